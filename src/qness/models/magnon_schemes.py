"""Two magnon-mediated entanglement schemes related to the headline model (family ``magnon``).

* ``zou2022`` -- J. Zou, S. Zhang, Y. Tserkovnyak, "Bell-state generation for spin qubits via
  dissipative coupling", Phys. Rev. B 106, L180406 (2022), arXiv:2108.07365: long-lived (not
  steady) entanglement from the correlated decay of two qubits into a magnet, and Bell states
  by post-selection, with a no-jump evolution whose phases are separated by an exceptional point.
* ``kleinherbers2025`` -- E. Kleinherbers, S. P. Kelly, Y. Tserkovnyak, "Entangling color centers
  via magnon-antimagnon pair creation", arXiv:2411.09865 (2025): steady-state entanglement of two
  colour centres from the magnon-antimagnon pairs created at the interface of a ground-state and
  an inverted ferromagnet.

Only the abstracts (and the first lines of the introductions) of both papers were available.  The
models below are **reconstructions** in qness terms; every formula not quoted from an abstract is
derived here (see each model's description, ``qness show zou2022``), and none is the papers' own
equation.  Conventions: hbar = k_B = 1, QuTiP order (qubit 0 leftmost), ``basis(2, 0) = |e>``,
``sigma^- = |g><e|``; ``T0, S = (|eg> +- |ge>)/sqrt2``; ``D[A, B] rho = A rho B^dag -
{B^dag A, rho}/2`` and ``D[A] = D[A, A]``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import scipy.linalg as sla

from ..baths.magnon import check_magnon_parameters, f_minus, green_retarded
from ..errors import InvalidInputError
from ..master.generator import Generator, liouvillian
from ..master.superop import unvec, vec
from .base import ModelSpec, Parameter, json_ready
from .hou2025 import PARAMETERS as HOU_PARAMETERS
from .hou2025 import channel_rates, physical_state, two_qubit_operators
from .registry import register

__all__ = [
    "KLEINHERBERS_SPEC",
    "ZOU_SPEC",
    "SchemeValidityWarning",
    "bogoliubov",
    "dark_state",
    "effective_hamiltonian",
    "eigenvector_concurrence",
    "ep_eigenvalues",
    "evolve",
    "initial_state",
    "kleinherbers_analyse",
    "kleinherbers_build",
    "long_lived_concurrence",
    "pair_correlations",
    "pair_rate_matrices",
    "pair_steady_state",
    "peak_concurrence",
    "postselected_concurrence",
    "postselected_evolution",
    "sector_postselect",
    "transient_concurrence",
    "zou_analyse",
    "zou_build",
    "zou_rate_matrices",
]

FAMILY = "magnon"
_OPS = two_qubit_operators()
#: Single-excitation sector in QuTiP order: |eg> = index 1, |ge> = index 2.
_SECTOR1 = (1, 2)
#: Weak-coupling threshold for the bath-derived rates (as in the headline model).
WEAK_COUPLING_LIMIT = 0.05


class SchemeValidityWarning(UserWarning):
    """A validity ratio of a scheme's master equation is not small, or the kernel is numerically
    degenerate although it is not exactly so."""


# ============================================================================= shared helpers
def _broadcast(params: Mapping[str, Any], scalars: tuple[str, ...]
               ) -> tuple[dict[str, Any], tuple[int, ...]]:
    """Numeric parameters broadcast to one batch shape; ``scalars`` must not be arrays."""
    for k in scalars:
        if np.ndim(params[k]) != 0:
            raise InvalidInputError(f"parameter {k!r} must be a scalar (not swept), got "
                                    f"{params[k]!r}")
    numeric = {k: np.asarray(v, float) for k, v in params.items() if k not in scalars}
    shape = np.broadcast_shapes(*(a.shape for a in numeric.values()))
    out = dict(params)
    out.update({k: np.broadcast_to(a, shape) for k, a in numeric.items()})
    return out, shape


def _sym(local_1: Any, local_2: Any, cross: Any) -> np.ndarray:
    """Real symmetric 2 x 2 matrices ``[[local_1, cross], [cross, local_2]]`` with batch axes."""
    a, b, c = np.broadcast_arrays(*(np.asarray(x, float) for x in (local_1, local_2, cross)))
    return np.stack([np.stack([a, c], -1), np.stack([c, b], -1)], -2)


def _rate_jumps(matrix: np.ndarray, ops: tuple[np.ndarray, np.ndarray], name: str
                ) -> list[np.ndarray]:
    """Jump operators ``sqrt(lambda_m) sum_k U_km A_k`` of a batch of real symmetric PSD rate
    matrices ``Gamma = U diag(lambda) U^T`` (``sum_jk Gamma_jk D[A_k, A_j] = sum_m D[L_m]``)."""
    lam, U = np.linalg.eigh(np.asarray(matrix, float))
    scale = np.maximum(np.max(np.abs(lam), axis=-1), 1e-300)
    if np.any(lam[..., 0] < -1e-10 * scale):
        raise InvalidInputError(f"the {name} rate matrix is not positive semidefinite "
                                "(|Gamma_12| > sqrt(Gamma_11 Gamma_22)): unphysical correlations")
    lam = np.clip(lam, 0.0, None)
    return [np.sqrt(lam[..., m])[..., None, None]
            * (U[..., 0, m][..., None, None] * ops[0] + U[..., 1, m][..., None, None] * ops[1])
            for m in range(2)]


def _occupation(omega: Any, T: Any) -> np.ndarray:
    """Bose occupation ``n(omega) = 1 / (exp(omega / T) - 1)`` (0 at ``T = 0``), ``omega > 0``."""
    om = np.asarray(omega, float)
    return f_minus(om, T) / om


def _local_jumps(p: Mapping[str, Any]) -> list[np.ndarray]:
    """Intrinsic local T1 (lattice at ``T``, chemical potential 0) and pure dephasing:
    ``gamma1 (1 + n) D[s_j^-] + gamma1 n D[s_j^+] + (gamma_phi / 2) D[s_j^z]``."""
    o = _OPS
    g1, gphi = np.asarray(p["gamma1"], float), np.asarray(p["gamma_phi"], float)
    nth = _occupation(p["delta"], p["T"])
    jumps: list[np.ndarray] = []
    if np.any(g1 > 0):
        for a in ("sm1", "sm2"):
            jumps.append(np.sqrt(g1 * (1 + nth))[..., None, None] * o[a])
            jumps.append(np.sqrt(g1 * nth)[..., None, None] * o[a].conj().T)
    if np.any(gphi > 0):
        for a in ("sz1", "sz2"):
            jumps.append(np.sqrt(gphi / 2)[..., None, None] * o[a])
    return jumps


def _hamiltonian(detuning: Any, J: Any) -> np.ndarray:
    """``(detuning / 4)(s_1^z - s_2^z) + J (s_1^+ s_2^- + h.c.)`` (frame rotating at the mean
    qubit frequency), batched."""
    o = _OPS
    flip = o["sp1"] @ o["sm2"]
    flip = flip + flip.conj().T
    det = np.asarray(detuning, float)[..., None, None]
    return det / 4 * (o["sz1"] - o["sz2"]) + np.asarray(J, float)[..., None, None] * flip


def _projector(name: str) -> np.ndarray:
    v = _OPS[name]
    return np.outer(v, v.conj())


def initial_state(name: str) -> np.ndarray:
    """``|eg><eg|`` or ``|ge><ge|`` (QuTiP order)."""
    k = {"eg": 1, "ge": 2}[name]
    rho = np.zeros((4, 4), complex)
    rho[k, k] = 1.0
    return rho


def _populations(rho: np.ndarray) -> dict[str, np.ndarray]:
    o = _OPS
    eg, ge = np.eye(4)[1], np.eye(4)[2]
    out = {}
    for name, v in (("gg", o["gg"]), ("eg", eg), ("ge", ge), ("ee", o["ee"]),
                    ("T0", o["T0"]), ("S", o["S"])):
        out[name] = np.einsum("i,...ij,j->...", v.conj(), rho, v).real
    return out


def evolve(generator: Generator, rho0: Any, times: Any) -> np.ndarray:
    """``rho(t) = exp(L t) rho0`` for every ``t`` in ``times`` (dense ``scipy.linalg.expm``).

    Parameters
    ----------
    generator : Generator
        Small generator (two qubits: 16 x 16), optionally batched with shape ``B``.
    rho0 : (d, d) array
        Initial density matrix.
    times : 1-D array
        Times (inverse units of the generator's rates), ``>= 0``.

    Returns
    -------
    ndarray ``(*B, n_times, d, d)``
    """
    t = np.asarray(times, float)
    if t.ndim != 1 or np.any(t < 0) or not np.all(np.isfinite(t)):
        raise InvalidInputError("times must be a 1-D array of finite values >= 0")
    L = generator.dense()
    v0 = vec(np.asarray(rho0, complex))
    flat = L.reshape(-1, *L.shape[-2:])
    # one expm per (point, time): scipy's batched expm is far slower on mixed norms
    vt = np.stack([np.stack([sla.expm(m * tk) @ v0 for tk in t]) for m in flat])
    return unvec(vt.reshape(*L.shape[:-2], t.size, -1), generator.dim)


def transient_concurrence(generator: Generator, rho0: Any, times: Any) -> np.ndarray:
    """Concurrence ``C(t)`` of :func:`evolve` (shape ``(*B, n_times)``)."""
    from ..measures import concurrence

    rho = evolve(generator, rho0, times)
    rho = 0.5 * (rho + np.conj(np.swapaxes(rho, -1, -2)))
    return np.asarray(concurrence(rho), float)


def sector_postselect(rho: Any) -> np.ndarray:
    """Post-select the single-excitation sector: ``P1 rho P1 / tr(P1 rho P1)`` with ``P1 =
    |eg><eg| + |ge><ge|`` (a measurement of the total excitation number keeping outcome 1)."""
    rho = np.asarray(rho, complex)
    keep = np.zeros(4)
    keep[list(_SECTOR1)] = 1.0
    out = rho * keep[:, None] * keep[None, :]
    tr = np.trace(out, axis1=-2, axis2=-1).real[..., None, None]
    if np.any(tr <= 0):
        raise InvalidInputError("the state has no weight in the single-excitation sector: "
                                "post-selection undefined")
    return out / tr


# ============================================================================= zou2022
ZOU_REFERENCE = ("J. Zou, S. Zhang, Y. Tserkovnyak, 'Bell-state generation for spin qubits via "
                 "dissipative coupling', Phys. Rev. B 106, L180406 (2022), arXiv:2108.07365")

ZOU_DOC = """Two spin qubits coupled to one magnet: dissipative coupling, long-lived and
post-selected (Bell) entanglement, exceptional point.

Reference: J. Zou, S. Zhang, Y. Tserkovnyak, Phys. Rev. B 106, L180406 (2022), arXiv:2108.07365.
Sourced (abstract): two spin qubits interact with a magnetic medium described by its steady
state; the medium induces a *dissipative* coupling (correlated decay), no coherent coupling is
needed; a sizable long-lived entanglement results; Bell states are reached with post-selection,
where the no-jump evolution is governed by a non-Hermitian Hamiltonian whose dynamical phases are
separated by an exceptional point (EP); no special initial state is needed.
Derived here (a reconstruction, not the paper's equations): everything below.

Hamiltonian (frame rotating at the mean qubit frequency Delta = `delta`; qubit frequencies
Delta +- detuning/2):
    H = (detuning/4)(s1^z - s2^z) [+ J12 (s1^+ s2^- + h.c.) if lamb_shift]
Dissipators (Lehmberg / partial-secular form, rates at Delta):
    sum_jk {Gd_jk D[s_k^-, s_j^-] + Gu_jk D[s_k^+, s_j^+]} + local T1 gamma1, T2 gamma_phi.
  bath='magnon': the headline model's magnon bath (contact coupling, gap, stiffness, alpha, mu,
    T, d = `dim`) with a *conserving* coupling g_c = g, g_n = 0 (qness.models.hou2025
    channel_rates): Gd_jk = g^2 S>(Delta, r_jk), Gu_jk = g^2 S<(Delta, r_jk),
    J12 = g^2 Re G^R(Delta, r).  With Delta inside the band (default 1.2 eps0) the qubits emit
    real magnons and Gamma_12/Gamma = J0(k r) e^{-r/l} (2D).
  bath='phenomenological': Gd = (1 + n) [[Gamma, Gamma_12], [Gamma_12, Gamma]],
    Gu = n [[Gamma, Gamma_12], [Gamma_12, Gamma]], n = 1/(e^{Delta/T} - 1).
Master equation: drho/dt = -i[H, rho] + dissipators (Lindblad form, CPTP since Gd, Gu are PSD).
Steady state: the coupling conserves N + sum s^z/2, so (gamma1 = 0) the steady state is the
product GGE exp[-(Delta - mu) sum s^z / 2T]/Z: C = 0 exactly (the entanglement is transient).
At Gamma_12 = Gamma (r = 0) the collective dark state (S for Gamma_12 > 0, T0 for < 0) makes
the kernel degenerate; the state reached from `initial` is returned (`rho0`).
Long-lived entanglement: concurrence_long_lived is max_t C(t) from `initial` (exp(L t) by
scipy.linalg.expm).  When Gamma - |Gamma_12| << Gamma + |Gamma_12| it sits on a plateau: the
state left once the dominant collective channel has relaxed, before the minority one acts (the
kernel projection of rho0 under the dominant channel alone, concurrence_plateau).  From |eg>:
p_dark = 1/2, the bright ladder thermal with q = Gu/Gd, C_plateau = (Gd - Gu)^2 /
(2 (Gd^2 + Gd Gu + Gu^2)) (1/2 at T = 0); plateau_lifetime is the mean decay time of its
deviation from the steady state.  At T = 0, detuning = 0, J12 = 0 from |eg>:
C(t) = |exp(-(Gamma - |Gamma_12|) t) - exp(-(Gamma + |Gamma_12|) t)| / 2.
Post-selection (no jump; at T = 0 identical to keeping the single-excitation outcome of a final
measurement of the excitation number): in the basis (|eg>, |ge>)
    H_eff = [[d/2 - i G/2, J12 - i G12/2], [J12 - i G12/2, -d/2 - i G/2]],
G = Gd_11 + Gu_22 (+ gamma1 (1 + 2 n)), G12 = Gd_12 + Gu_12, d = detuning.  With J12 = 0 the
eigenvalues are -i G/2 +- sqrt(d^2 - G12^2)/2: an EP at |d| = |G12|.  For |d| < |G12|
(PT-broken) one mode decays slower and the post-selected state converges to it; its amplitudes
have equal moduli, so C_ps -> 1 (a Bell state) from any single-excitation initial state; for
|d| > |G12| (PT-symmetric) both modes decay at G/2, the state keeps oscillating, and each mode
has C = |G12|/|d|.  A coherent J12 removes the EP (the degeneracy needs J12 G12 = 0).
Units: energies, rates, T in the unit of the magnon gap eps0 (`gap`, default 1), hbar = k_B = 1;
distances r in lambda0 = sqrt(D/eps0); g in energy x lambda0^(d/2); times in 1/energy.
Defaults: bath=magnon, 2D film, alpha = 1e-3, mu = 0, T = 0, Delta = 1.2, g = 0.01, r = 0.5
(Gamma = 5.0e-5, Gamma_12/Gamma = 0.987), detuning = 0, no coherent coupling (lamb_shift
false, the paper's 'absence of any coherent coupling'), initial |eg>."""


def zou_rate_matrices(p: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Decay / absorption rate matrices ``down, up`` (``(..., 2, 2)``) and the coherent exchange
    ``J12`` of ``zou2022`` (resolved, broadcast parameters ``p``)."""
    if p["bath"] == "phenomenological":
        n = _occupation(p["delta"], p["T"])
        k = _sym(p["Gamma"], p["Gamma"], p["Gamma_12"])
        return {"down": (1 + n)[..., None, None] * k, "up": n[..., None, None] * k,
                "J12": np.zeros(np.shape(n))}
    r = np.asarray(p["r"], float) * np.sqrt(np.asarray(p["stiffness"], float)
                                             / np.asarray(p["gap"], float))
    common = {"g_c": p["g"], "g_n": 0.0, "gap": p["gap"], "stiffness": p["stiffness"],
              "alpha": p["alpha"], "mu": p["mu"], "T": p["T"], "dim": int(p["dim"])}
    loc = channel_rates(p["delta"], 0.0 * r, **common)
    crs = channel_rates(p["delta"], r, **common)
    out = {"down": _sym(loc["c_down"], loc["c_down"], crs["c_down"]),
           "up": _sym(loc["c_up"], loc["c_up"], crs["c_up"])}
    if p["lamb_shift"]:
        g2 = np.asarray(p["g"], float) ** 2
        out["J12"] = g2 * green_retarded(p["delta"], r, eps0=p["gap"], D=p["stiffness"],
                                         alpha=p["alpha"], mu=p["mu"], dim=int(p["dim"])).real
    else:
        out["J12"] = np.zeros(np.shape(r))
    return out


def _zou_check(p: Mapping[str, Any]) -> None:
    if p["bath"] == "magnon":
        check_magnon_parameters(p["gap"], p["stiffness"], p["alpha"], p["mu"], p["T"])
        if p["lamb_shift"] and int(p["dim"]) > 1 and np.any(np.asarray(p["r"]) == 0):
            raise InvalidInputError(
                "r = 0 (coinciding qubit positions) with lamb_shift=true: the coherent exchange "
                f"J12 diverges in d = {int(p['dim'])}; use r > 0 or lamb_shift=false")
    else:
        gam, g12 = np.asarray(p["Gamma"], float), np.asarray(p["Gamma_12"], float)
        if np.any(np.abs(g12) > gam):
            raise InvalidInputError(
                "Gamma_12 must satisfy |Gamma_12| <= Gamma (allowed range [-Gamma, Gamma]): the "
                "rate matrix [[Gamma, Gamma_12], [Gamma_12, Gamma]] must be positive "
                "semidefinite")
    if np.any(np.abs(np.asarray(p["detuning"], float)) >= 2 * np.asarray(p["delta"], float)):
        raise InvalidInputError("detuning must satisfy |detuning| < 2 delta (both qubit "
                                "frequencies positive)")


def _dominant(rates: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Collective-channel rates: ``sign`` (+1: symmetric channel dominant, dark singlet; -1:
    antisymmetric dominant, dark T0), ``fast_down/up`` (dominant), ``slow_down/up``."""
    d, u = rates["down"], rates["up"]
    cross = d[..., 0, 1] + u[..., 0, 1]
    sign = np.where(cross >= 0, 1.0, -1.0)
    return {"sign": sign,
            "fast_down": d[..., 0, 0] + sign * d[..., 0, 1],
            "fast_up": u[..., 0, 0] + sign * u[..., 0, 1],
            "slow_down": d[..., 0, 0] - sign * d[..., 0, 1],
            "slow_up": u[..., 0, 0] - sign * u[..., 0, 1]}


def zou_build(params: Mapping[str, Any]) -> Generator:
    """Generator of ``zou2022`` (batched when numeric parameters are arrays).

    ``info`` holds ``rates`` (``down``, ``up``), ``J12``, ``validity``, ``degenerate`` (the
    kernel is exactly degenerate: Gamma_12 = +-Gamma, no detuning, no local channels) and
    ``rho0`` (the initial state, used by the solver where the kernel is degenerate).
    """
    _zou_check(params)
    p, shape = _broadcast(params, ("bath", "dim", "lamb_shift", "initial"))
    rates = zou_rate_matrices(p)
    o = _OPS
    H = _hamiltonian(p["detuning"], rates["J12"])
    jumps = (_rate_jumps(rates["down"], (o["sm1"], o["sm2"]), "decay")
             + _rate_jumps(rates["up"], (o["sp1"], o["sp2"]), "absorption") + _local_jumps(p))
    jumps = [np.broadcast_to(j, (*shape, 4, 4)) for j in jumps]
    gen = liouvillian(np.broadcast_to(H, (*shape, 4, 4)), jumps, dims=(2, 2))
    dom = _dominant(rates)
    fast = dom["fast_down"] + dom["fast_up"]
    slow = dom["slow_down"] + dom["slow_up"]
    degenerate = ((slow == 0) & (np.asarray(p["detuning"]) == 0)
                  & (np.asarray(p["gamma1"]) == 0) & (np.asarray(p["gamma_phi"]) == 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        validity = {
            "slow_over_fast": np.where(fast > 0, slow / fast, 0.0),
            "weak_coupling": (np.maximum(np.abs(rates["J12"]), rates["down"][..., 0, 0]
                                         + rates["up"][..., 0, 0])
                              / np.abs(np.asarray(p["gap"], float) - p["delta"])
                              if p["bath"] == "magnon" else np.zeros(shape)),
            "rotating_wave": (rates["down"][..., 0, 0] + rates["up"][..., 0, 0]) / p["delta"],
        }
    _zou_warn(validity, degenerate)
    gen.info.update({"model": "zou2022", "frame": "rotating at the mean qubit frequency",
                     "rates": {"down": rates["down"], "up": rates["up"]}, "J12": rates["J12"],
                     "validity": validity, "degenerate": degenerate,
                     "rho0": initial_state(p["initial"])})
    return gen


def _zou_warn(validity: Mapping[str, np.ndarray], degenerate: np.ndarray) -> None:
    ratio = np.asarray(validity["slow_over_fast"])
    near = (ratio > 0) & (ratio < 1e-9) & ~degenerate
    if np.any(near):
        warnings.warn(
            f"Gamma - |Gamma_12| is only {np.min(ratio[near]):.2g} of Gamma + |Gamma_12|: the "
            "kernel is numerically degenerate, and a solver returns the state reached from the "
            "initial state (the long-lived state) instead of the product GGE reached after "
            "t ~ 1/(Gamma - |Gamma_12|)", SchemeValidityWarning, stacklevel=3)
    weak = np.asarray(validity["weak_coupling"])
    if np.any(weak > WEAK_COUPLING_LIMIT):
        warnings.warn(
            f"weak-coupling ratio max(|J12|, Gamma)/|gap - delta| = {np.max(weak):.3g} > "
            f"{WEAK_COUPLING_LIMIT}: the Markovian master equation is not reliable there",
            SchemeValidityWarning, stacklevel=3)


def effective_hamiltonian(gamma: Any, gamma_12: Any, detuning: Any, J: Any = 0.0) -> np.ndarray:
    """No-jump Hamiltonian in the single-excitation sector, basis ``(|eg>, |ge>)``::

        [[d/2 - i G/2, J - i G12/2], [J - i G12/2, -d/2 - i G/2]]

    Parameters
    ----------
    gamma, gamma_12 : array
        Total local and cross rates of the anti-Hermitian part (``Gd_11 + Gu_22``,
        ``Gd_12 + Gu_12``), energy unit.
    detuning, J : array
        Qubit detuning ``Delta_1 - Delta_2`` and coherent exchange.
    """
    g, g12, d, j = np.broadcast_arrays(*(np.asarray(x, float) for x in
                                         (gamma, gamma_12, detuning, J)))
    off = j - 0.5j * g12
    return np.stack([np.stack([d / 2 - 0.5j * g, off], -1),
                     np.stack([off, -d / 2 - 0.5j * g], -1)], -2)


def ep_eigenvalues(gamma: Any, gamma_12: Any, detuning: Any) -> np.ndarray:
    """Closed-form eigenvalues ``-i G/2 -+ sqrt(d^2 - G12^2)/2`` of :func:`effective_hamiltonian`
    with ``J = 0`` (``(..., 2)``; the first decays slower in the PT-broken phase
    ``|d| < |G12|``, where the root is ``i sqrt(G12^2 - d^2)``)."""
    g, g12, d = (np.asarray(x, float) for x in (gamma, gamma_12, detuning))
    root = np.sqrt((d**2 - g12**2).astype(complex))
    return np.stack([-0.5j * g + root / 2, -0.5j * g - root / 2], -1)


def eigenvector_concurrence(vectors: Any) -> np.ndarray:
    """Concurrence ``2|a b| / (|a|^2 + |b|^2)`` of the single-excitation state ``a|eg> + b|ge>``
    (``vectors[..., 0] = a``, ``vectors[..., 1] = b``)."""
    v = np.asarray(vectors, complex)
    a, b = np.abs(v[..., 0]), np.abs(v[..., 1])
    return 2 * a * b / (a**2 + b**2)


def postselected_concurrence(gamma_12: Any, detuning: Any) -> np.ndarray:
    """Closed form (``J = 0``, equal local rates): concurrence of the slowest no-jump mode,
    ``1`` for ``|d| <= |G12|`` (PT-broken; the post-selected long-time limit) and ``|G12|/|d|``
    for ``|d| > |G12|`` (PT-symmetric; each of the two equally damped modes); 0 without
    dissipative coupling (``G12 = 0``: the modes are ``|eg>``, ``|ge>``)."""
    g12 = np.abs(np.asarray(gamma_12, float))
    d = np.abs(np.asarray(detuning, float))
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(d <= g12, 1.0, g12 / np.where(d > 0, d, 1.0))
    return np.where(g12 > 0, c, 0.0)          # no dissipative coupling: modes |eg>, |ge>


def postselected_evolution(heff: Any, psi0: Any, times: Any) -> np.ndarray:
    """Normalised no-jump state ``exp(-i H_eff t) psi0 / |...|`` (``(..., n_times, 2)``).

    Exact for 2 x 2 ``H_eff = m I + K`` (``K`` traceless, ``K^2 = w^2 I``):
    ``exp(-i K t) = cos(w t) - i t sinc(w t) K``, regular at the exceptional point ``w = 0``; the
    scalar factor ``exp(-i m t)`` drops out of the normalised state.
    """
    h = np.asarray(heff, complex)
    t = np.asarray(times, float)
    if t.ndim != 1:
        raise InvalidInputError("times must be a 1-D array")
    m = 0.5 * (h[..., 0, 0] + h[..., 1, 1])
    K = h - m[..., None, None] * np.eye(2)
    w = np.sqrt(K[..., 0, 0] ** 2 + K[..., 0, 1] * K[..., 1, 0])[..., None]
    z = w * t
    # cos z and t sin(z)/z, both scaled by exp(-|Im z|) (no overflow in the PT-broken phase)
    damp = np.abs(z.imag)
    ep, em = np.exp(1j * z - damp), np.exp(-1j * z - damp)
    c = 0.5 * (ep + em)
    small = np.abs(z) < 1e-3
    z_safe = np.where(small, 1.0, z)
    s = t * np.where(small, np.sinc(np.where(small, z, 0) / np.pi) * np.exp(-damp),
                     (ep - em) / (2j * z_safe))
    psi0 = np.asarray(psi0, complex)
    kpsi = np.einsum("...ij,j->...i", K, psi0)[..., None, :]
    psi = c[..., None] * psi0 - 1j * s[..., None] * kpsi
    return psi / np.linalg.norm(psi, axis=-1, keepdims=True)


def long_lived_concurrence(fast_down: Any, fast_up: Any) -> np.ndarray:
    """Closed form of the long-lived concurrence from ``|eg>`` (or ``|ge>``): the dark state
    keeps weight 1/2, the bright ladder relaxes to ``(1, q, q^2)/(1 + q + q^2)`` with
    ``q = fast_up / fast_down``; ``C = (Gd - Gu)^2 / (2 (Gd^2 + Gd Gu + Gu^2))``."""
    a, b = np.asarray(fast_down, float), np.asarray(fast_up, float)
    den = 2 * (a**2 + a * b + b**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, (a - b) ** 2 / np.where(den > 0, den, 1.0), np.nan)


def _fast_generator(rates: Mapping[str, np.ndarray], J12: np.ndarray) -> Generator:
    """The dominant collective channel alone (plus J12): its kernel holds the long-lived state."""
    o = _OPS
    dom = _dominant(rates)
    s = dom["sign"][..., None, None]
    a_m = (o["sm1"] + s * o["sm2"]) / np.sqrt(2)
    a_p = (o["sp1"] + s * o["sp2"]) / np.sqrt(2)
    jumps = [np.sqrt(np.clip(dom["fast_down"], 0, None))[..., None, None] * a_m,
             np.sqrt(np.clip(dom["fast_up"], 0, None))[..., None, None] * a_p]
    shape = np.shape(dom["sign"])
    H = np.broadcast_to(_hamiltonian(np.zeros(shape), J12), (*shape, 4, 4))
    return liouvillian(H, [np.broadcast_to(j, (*shape, 4, 4)) for j in jumps], dims=(2, 2))


def _lifetime(generator: Generator, rho_from: np.ndarray, rho_ss: np.ndarray) -> np.ndarray:
    """Mean lifetime of the deviation ``Delta = rho_from - rho_ss`` under ``L``:
    ``tau = <Delta, X> / <Delta, Delta>`` with ``X = int_0^inf exp(L t) Delta dt`` (the traceless
    solution of ``L X = -Delta``); ``1/gamma`` for a single exponential, ``inf`` when
    ``rho_from`` is itself stationary."""
    L = generator.dense()
    dv = vec(np.asarray(rho_from, complex) - np.asarray(rho_ss, complex))
    X = -np.einsum("...ij,...j->...i", np.linalg.pinv(L, rcond=1e-14), dv)
    ss = vec(np.asarray(rho_ss, complex))
    trace = np.einsum("...ii->...", unvec(X, generator.dim))
    X = X - trace[..., None] * ss
    nrm2 = np.sum(np.abs(dv) ** 2, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = np.einsum("...i,...i->...", dv.conj(), X).real / nrm2
    return np.where(nrm2 > 1e-20, tau, np.inf)


def peak_concurrence(generator: Generator, rho0: Any, n_grid: int = 100
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Largest concurrence of ``rho(t) = exp(L t) rho0`` over all times, and where it occurs.

    A log-spaced grid from ``0.01 / (fastest rate)`` to ``20 / (slowest non-zero rate)`` (at most
    ``1e12 / fastest``) is refined four times by a 21-point grid around its best point (relative
    accuracy of ``t_max`` ~ 1e-5; ``C`` is flat there).

    Returns
    -------
    (C_max, t_max) : arrays of the generator's batch shape
    """
    from ..measures import concurrence

    L = generator.dense()
    flat = L.reshape(-1, *L.shape[-2:])
    v0 = vec(np.asarray(rho0, complex))
    c_out, t_out = np.empty(len(flat)), np.empty(len(flat))

    def conc(m: np.ndarray, times: np.ndarray) -> np.ndarray:
        rho = unvec(np.stack([sla.expm(m * t) @ v0 for t in times]), generator.dim)
        return np.asarray(concurrence(0.5 * (rho + np.conj(np.swapaxes(rho, -1, -2)))), float)

    for k, m in enumerate(flat):
        rates = -np.linalg.eigvals(m).real
        fast = max(float(np.max(rates)), 1e-300)
        slow_rates = rates[rates > 1e-12 * fast]
        slow = max(float(np.min(slow_rates)) if slow_rates.size else 0.0, 1e-12 * fast)
        grid = np.geomspace(1e-2 / fast, min(20.0 / slow, 1e12 / fast), n_grid)
        for _ in range(5):
            vals = conc(m, grid)
            i = int(np.argmax(vals))
            best_c, best_t = float(vals[i]), float(grid[i])
            grid = np.geomspace(grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)], 21)
        c_out[k], t_out[k] = best_c, best_t
    shape = L.shape[:-2]
    return c_out.reshape(shape), t_out.reshape(shape)


def zou_analyse(state: Any, generator: Generator, params: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-ready results of ``zou2022``.

    ``concurrence`` (steady state: the product GGE, 0), ``concurrence_long_lived`` and
    ``t_long_lived`` (the largest concurrence of ``rho(t)`` from ``initial`` and when it occurs),
    ``concurrence_plateau`` (the state left once the dominant collective channel has relaxed:
    kernel projection of ``initial`` under that channel alone; the long-lived value when
    ``validity['slow_over_fast'] << 1``), its closed form and ``plateau_lifetime``, the
    post-selected concurrence (slowest no-jump mode, numerical and closed form), the EP location
    ``ep_detuning``, the no-jump eigenvalues and the rates.
    """
    from ..measures import concurrence
    from ..steady import steadystate

    info = generator.info
    rates, J12 = info["rates"], np.asarray(info["J12"], float)
    rho = physical_state(state.rho)
    rho0 = info["rho0"]
    long_state = steadystate(_fast_generator(rates, J12), rho0=rho0)
    rho_long = physical_state(long_state.rho)
    dom = _dominant(rates)
    n = _occupation(params["delta"], params["T"])
    extra = np.asarray(params["gamma1"], float) * (1 + 2 * n)
    g_tot = rates["down"][..., 0, 0] + rates["up"][..., 1, 1] + extra
    g12_tot = rates["down"][..., 0, 1] + rates["up"][..., 0, 1]
    heff = effective_hamiltonian(g_tot, g12_tot, params["detuning"], J12)
    lam, vecs = np.linalg.eig(heff)
    slow = np.argmax(lam.imag, axis=-1)
    v_slow = np.take_along_axis(vecs, slow[..., None, None], axis=-1)[..., 0]
    det = np.abs(np.asarray(params["detuning"], float))
    coherent = np.abs(J12) > 0
    with np.errstate(invalid="ignore"):
        rel = np.abs(det - np.abs(g12_tot)) <= 1e-12 * np.maximum(np.abs(g12_tot), 1e-300)
    phase = np.where(coherent, "no exceptional point (coherent J12)",
                     np.where(g12_tot == 0, "no dissipative coupling",
                     np.where(rel, "exceptional point",
                              np.where(det < np.abs(g12_tot), "PT-broken", "PT-symmetric"))))
    lifetime = _lifetime(generator, rho_long, rho)
    c_peak, t_peak = peak_concurrence(generator, rho0)
    out = {
        "concurrence": concurrence(rho),
        "populations": _populations(rho),
        "concurrence_long_lived": c_peak,
        "t_long_lived": t_peak,
        "concurrence_plateau": concurrence(rho_long),
        "concurrence_plateau_closed_form": long_lived_concurrence(dom["fast_down"],
                                                                  dom["fast_up"]),
        "plateau_populations": _populations(rho_long),
        "plateau_lifetime": lifetime,
        "fast_relaxation_time": 1.0 / np.maximum(dom["fast_down"] + dom["fast_up"], 1e-300),
        "dark_state": np.where(dom["sign"] > 0, "S", "T0"),
        "concurrence_postselected": eigenvector_concurrence(v_slow),
        "concurrence_postselected_closed_form": np.where(
            coherent, np.nan, postselected_concurrence(g12_tot, det)),
        "postselected_phase": phase,
        "ep_detuning": np.where(coherent, np.nan, np.abs(g12_tot)),
        "heff_eigenvalues": lam,
        "Gamma": rates["down"][..., 0, 0], "Gamma_12": rates["down"][..., 0, 1],
        "Gamma_up": rates["up"][..., 0, 0], "Gamma_up_12": rates["up"][..., 0, 1],
        "correlation_ratio": np.where(g_tot > 0, g12_tot / np.maximum(g_tot, 1e-300), 0.0),
        "J12": J12,
        "rates": rates,
        "validity": info["validity"],
        "kernel_dim": state.kernel_dim,
        "residual": state.residual,
    }
    if np.any(info["degenerate"]):
        out["note"] = ("Gamma_12 = +-Gamma: the collective dark state is decoupled, the kernel is "
                       f"degenerate; the state shown is the one reached from |{params['initial']}>")
    return json_ready(out)


#: The magnon-bath parameters, as defined by the headline two-qubit model.
_BATH = {p.name: p for p in HOU_PARAMETERS}

ZOU_PARAMETERS = (
    Parameter("bath", "magnon", "", "rates from the magnon bath or given directly",
              choices=("magnon", "phenomenological")),
    _BATH["gap"],
    _BATH["stiffness"],
    _BATH["alpha"],
    replace(_BATH["mu"], default=0.0),
    _BATH["T"],
    _BATH["dim"],
    replace(_BATH["delta"], default=1.2),
    replace(_BATH["g"], description="qubit-magnon coupling (conserving, g_n = 0)"),
    Parameter("r", 0.5, "lambda0 = sqrt(D/gap)", "qubit distance (0: coinciding, Gamma_12 = "
              "Gamma)", 0.0, None),
    Parameter("Gamma", 1e-4, "energy unit", "local decay rate at T = 0 (phenomenological bath)",
              0.0, None),
    Parameter("Gamma_12", 0.95e-4, "energy unit", "correlated decay rate, |Gamma_12| <= Gamma "
              "(phenomenological bath)"),
    Parameter("detuning", 0.0, "energy unit", "qubit detuning delta = Delta_1 - Delta_2"),
    Parameter("lamb_shift", False, "", "include the bath-mediated coherent exchange J12 "
              "(magnon bath)"),
    Parameter("gamma1", 0.0, "energy unit", "intrinsic local T1 rate (lattice at T, mu = 0)",
              0.0, None),
    Parameter("gamma_phi", 0.0, "energy unit", "intrinsic local pure-dephasing rate", 0.0,
              None),
    Parameter("initial", "eg", "", "initial state for the long-lived and post-selected states",
              choices=("eg", "ge")),
)

ZOU_SPEC = register(ModelSpec(
    name="zou2022",
    title="two qubits with magnon-mediated dissipative coupling: long-lived and post-selected "
          "Bell entanglement, exceptional point",
    family=FAMILY,
    reference=ZOU_REFERENCE + "; reconstructed from the abstract",
    parameters=ZOU_PARAMETERS,
    build=zou_build,
    analyse=zou_analyse,
    check=_zou_check,
    doc=ZOU_DOC,
))


# ============================================================================= kleinherbers2025
KLEINHERBERS_REFERENCE = ("E. Kleinherbers, S. P. Kelly, Y. Tserkovnyak, 'Entangling color "
                          "centers via magnon-antimagnon pair creation', arXiv:2411.09865 (2025)")

KLEINHERBERS_DOC = """Two colour centres above a ground-state and an inverted ferromagnet:
steady-state entanglement from magnon-antimagnon pair creation.

Reference: E. Kleinherbers, S. P. Kelly, Y. Tserkovnyak, arXiv:2411.09865 (2025).
Sourced (abstract): two coupled ferromagnets, F1 in its ground state and F2 inverted with respect
to the applied field; the energetic instability sustains a quantum spin current in the vacuum by
creating magnon-antimagnon pairs at the interface; these fluctuations imprint steady-state
entanglement on two dipole-coupled colour centres through nonlocal dissipation; a maximally
entangled Bell state is possible under conditions derived there; no entanglement in thermal
equilibrium.  Derived here (a reconstruction, NOT the paper's equations): everything below.

Which qubit sees which magnet (derivation).  Qubit 1 (leftmost) sits above F1, qubit 2 above F2,
at distances r/2 on either side of the interface; both have frequency Delta in the same field.
A magnon of F1 carries energy +w (a spin deviation against the field, like the qubit's
excitation): energy conservation couples s1^+ a + h.c.  An antimagnon of F2 carries -w: the
qubit's excitation (+Delta) is resonant with *creating* an antimagnon, so qubit 2 couples as
s2^+ b^dag + h.c.  Pairs (a^dag b^dag, total energy 0, total spin 0) make the fields two-mode
squeezed, a = u alpha + v beta^dag, b = u beta + v alpha^dag, u = cosh r_sq, v = sinh r_sq,
|u|^2 - |v|^2 = 1, alpha, beta broadband modes with occupation n.  Qubit j sees c_j (the operator
multiplying s_j^+): c_1 = a, c_2 = b^dag.  Hence (broadband, Markov):
    Gd_jk = sqrt(G_j G_k) <c_j c_k^dag>,  Gu_jk = sqrt(G_j G_k) <c_j^dag c_k>,
    Gd = [[1 + N, M], [M, N]],  Gu = [[N, M], [M, 1 + N]]    (x G, equal couplings)
with the occupation N = n + t v^2 (1 + 2n) and the pair correlation M = t u v (1 + 2n); the
pair part is attenuated by t = exp(-r / (2 l)) on the way from the interface to each centre
(l: decay length of the pair-created magnons; a lossy two-mode squeezed state, which stays
physical: (1 + N) N >= M^2).  Qubit 2 is pumped (Gu_22 > Gd_22: F2 is an inverted medium).
At n = 0, t = 1 the dissipator is D[L_a] + D[L_b] with L_a = sqrt(G)(u s1^- + v s2^-),
L_b = sqrt(G)(v s1^+ + u s2^+): the pure dark state |D> = (v|eg> - u|ge>)/sqrt(u^2 + v^2) is
the unique steady state, C = 2uv/(u^2 + v^2) = tanh(2 r_sq) = 2p/(1 + p^2), p = v/u.  A local
flip of qubit 2 (e <-> g) maps these jumps onto u s1^- + v s2^+ and u s2^- + v s1^+ (the familiar
two-qubit squeezed-reservoir form); concurrence is unchanged.
General steady state (equal couplings, no local noise, J_dd = 0, detuning = 0), derived here:
block diagonal in the excitation number, with s = 1 + 2N,
    p_ee = p_gg = (N(N+1) - M^2)/(s^2 - 4M^2),  rho_eg,ge = -M/(s (s^2 - 4M^2)),
    C = 2 max(0, [M - s (N(N+1) - M^2)] / (s (s^2 - 4M^2))).
Bell-state conditions (derived): p = v/u -> 1 (strong pair creation near the instability;
1 - C = (1 - p)^2/(1 + p^2)), equal couplings G_2 = G_1, perfect pair correlation (t -> 1,
r << l), n -> 0, and local T1/T2, detuning and J_dd small compared with G.  Large p makes the
state fragile: with t < 1 the concurrence peaks at an intermediate p.
Thermal-equilibrium control (configuration='aligned': F2 along the field, no pairs): both
centres see positive-energy magnons at temperature T with a shared, attenuated field:
Gd = G (1 + n) K, Gu = G n K, K = [[1, t], [t, 1]]: detailed balance -> the product Gibbs state,
C = 0 exactly for every T and r > 0 (as also for v = 0 in the inverted configuration).
Hamiltonian (frame rotating at Delta): H = (detuning/4)(s1^z - s2^z) + J (s1^+ s2^- + h.c.),
J = J_dd (l / r)^3 (direct colour-centre dipolar flip-flop; 0 by default).
Dissipators: sum_jk {Gd_jk D[s_k^-, s_j^-] + Gu_jk D[s_k^+, s_j^+]} + gamma1 (1 + n) D[s_j^-]
+ gamma1 n D[s_j^+] + (gamma_phi/2) D[s_j^z], n = 1/(e^{Delta/T} - 1).
Master equation: drho/dt = -i[H, rho] + dissipators (Lindblad form).
Units: energies, rates and T in the unit of the qubit frequency Delta (`delta` = 1 by default),
distances in l, hbar = k_B = 1.
Defaults: configuration=inverted, v/u = 0.6 (r_sq = 0.69, ideal C = 0.882), G = 1e-3,
r = 0.02 l, T = 0, no local noise, J_dd = 0, detuning = 0."""


def bogoliubov(v_over_u: Any) -> tuple[np.ndarray, np.ndarray]:
    """``(u, v) = (cosh r_sq, sinh r_sq)`` from the pair amplitude ``p = v/u`` (``|p| < 1``)."""
    p = np.asarray(v_over_u, float)
    u = 1.0 / np.sqrt(1.0 - p**2)
    return u, p * u


def pair_correlations(v_over_u: Any, T: Any, r: Any, delta: Any = 1.0) -> dict[str, np.ndarray]:
    """Occupation ``N``, pair correlation ``M``, thermal occupation ``n`` and attenuation ``t``
    seen by the colour centres (inverted configuration; symmetric placement at +-r/2)."""
    u, v = bogoliubov(v_over_u)
    n = _occupation(delta, T)
    t = np.exp(-np.asarray(r, float) / 2)
    return {"N": n + t * v**2 * (1 + 2 * n), "M": t * u * v * (1 + 2 * n), "n": n, "t": t}


def pair_rate_matrices(p: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """``down``, ``up`` rate matrices (``(..., 2, 2)``) of ``kleinherbers2025``."""
    g1 = np.asarray(p["G"], float)
    g2 = g1 * np.asarray(p["coupling_ratio"], float)
    scale = _sym(g1, g2, np.sqrt(g1 * g2))
    if p["configuration"] == "aligned":
        n = _occupation(p["delta"], p["T"])
        t = np.exp(-np.asarray(p["r"], float) / 2)
        K = _sym(np.ones_like(t), np.ones_like(t), t)
        return {"down": (1 + n)[..., None, None] * K * scale, "up": n[..., None, None] * K * scale}
    c = pair_correlations(p["v_over_u"], p["T"], p["r"], p["delta"])
    N, M = c["N"], c["M"]
    return {"down": _sym(1 + N, N, M) * scale, "up": _sym(N, 1 + N, M) * scale}


def pair_steady_state(N: Any, M: Any) -> dict[str, np.ndarray]:
    """Closed-form steady state (equal couplings, no local noise, no coherent terms).

    Returns
    -------
    dict
        ``rho`` (``(..., 4, 4)``, QuTiP order) and ``concurrence``
        ``2 max(0, |rho_eg,ge| - sqrt(p_ee p_gg))``.
    """
    N, M = np.broadcast_arrays(np.asarray(N, float), np.asarray(M, float))
    s = 1 + 2 * N
    den = s**2 - 4 * M**2
    p_edge = (N * (N + 1) - M**2) / den
    c = -M / (s * den)
    p_eg = (2 * M**2 * N - M**2 - 2 * N**3 - N**2) / (s * (2 * M - s) * (2 * M + s))
    p_ge = 1 - 2 * p_edge - p_eg
    rho = np.zeros((*N.shape, 4, 4), complex)
    rho[..., 0, 0], rho[..., 3, 3] = p_edge, p_edge
    rho[..., 1, 1], rho[..., 2, 2] = p_eg, p_ge
    rho[..., 1, 2], rho[..., 2, 1] = c, c
    conc = 2 * np.maximum(0.0, np.abs(c) - np.clip(p_edge, 0, None))  # p_ee = p_gg
    return {"rho": rho, "concurrence": conc}


def dark_state(v_over_u: Any) -> np.ndarray:
    """Pure dark state ``(v|eg> - u|ge>)/sqrt(u^2 + v^2)`` of the ideal pair reservoir (4-vector,
    QuTiP order)."""
    u, v = bogoliubov(v_over_u)
    norm = np.sqrt(u**2 + v**2)
    psi = np.zeros((*np.shape(u), 4), complex)
    psi[..., 1], psi[..., 2] = v / norm, -u / norm
    return psi


def _kleinherbers_check(p: Mapping[str, Any]) -> None:
    r = np.asarray(p["r"], float)
    if p["configuration"] == "aligned" and np.any(r == 0):
        raise InvalidInputError(
            "r = 0 in the aligned (equilibrium) configuration: the shared field is perfectly "
            "correlated, the singlet is dark and the steady state depends on the initial state; "
            "use r > 0 (allowed range (0, inf) for configuration=aligned)")
    if np.any((np.asarray(p["J_dd"], float) != 0) & (r == 0)):
        raise InvalidInputError("r = 0 (coinciding colour centres) with J_dd != 0: the direct "
                                "dipolar coupling J_dd / r^3 diverges; use r > 0")
    if np.any(np.abs(np.asarray(p["detuning"], float)) >= 2 * np.asarray(p["delta"], float)):
        raise InvalidInputError("detuning must satisfy |detuning| < 2 delta (both qubit "
                                "frequencies positive)")


def kleinherbers_build(params: Mapping[str, Any]) -> Generator:
    """Generator of ``kleinherbers2025`` (batched when numeric parameters are arrays).

    ``info`` holds ``rates`` (``down``, ``up``), ``J`` (direct flip-flop) and the pair quantities
    ``N``, ``M``, ``n``, ``t`` of the reservoir.
    """
    _kleinherbers_check(params)
    p, shape = _broadcast(params, ("configuration",))
    rates = pair_rate_matrices(p)
    r = np.asarray(p["r"], float)
    with np.errstate(divide="ignore", invalid="ignore"):
        J = np.where(np.asarray(p["J_dd"]) != 0, p["J_dd"] / np.where(r > 0, r, 1.0) ** 3, 0.0)
    o = _OPS
    H = _hamiltonian(p["detuning"], J)
    jumps = (_rate_jumps(rates["down"], (o["sm1"], o["sm2"]), "decay")
             + _rate_jumps(rates["up"], (o["sp1"], o["sp2"]), "absorption") + _local_jumps(p))
    jumps = [np.broadcast_to(j, (*shape, 4, 4)) for j in jumps]
    gen = liouvillian(np.broadcast_to(H, (*shape, 4, 4)), jumps, dims=(2, 2))
    if p["configuration"] == "aligned":
        pair = {"N": _occupation(p["delta"], p["T"]), "M": np.zeros(shape),
                "n": _occupation(p["delta"], p["T"]), "t": np.exp(-r / 2)}
    else:
        pair = pair_correlations(p["v_over_u"], p["T"], r, p["delta"])
    gen.info.update({"model": "kleinherbers2025", "frame": "rotating at the qubit frequency",
                     "rates": rates, "J": J, "pair": pair,
                     "configuration": p["configuration"]})
    return gen


def kleinherbers_analyse(state: Any, generator: Generator, params: Mapping[str, Any]
                         ) -> dict[str, Any]:
    """JSON-ready results: concurrence, the closed form (where it applies), the ideal dark-state
    concurrence ``tanh(2 r_sq)``, the dark-state fidelity, populations, N, M, rates."""
    from ..measures import concurrence

    info = generator.info
    rho = physical_state(state.rho)
    pair = info["pair"]
    aligned = info["configuration"] == "aligned"
    p_amp = 0.0 if aligned else np.asarray(params["v_over_u"], float)
    u, v = bogoliubov(p_amp)
    psi = dark_state(p_amp)
    fid = np.einsum("...i,...ij,...j->...", psi.conj(), rho, psi).real
    applies = ((np.asarray(params["coupling_ratio"]) == 1) & (np.asarray(params["gamma1"]) == 0)
               & (np.asarray(params["gamma_phi"]) == 0) & (np.asarray(info["J"]) == 0)
               & (np.asarray(params["detuning"]) == 0))
    closed = pair_steady_state(pair["N"], pair["M"])["concurrence"]
    N, M = np.asarray(pair["N"]), np.asarray(pair["M"])
    out = {
        "concurrence": concurrence(rho),
        "concurrence_closed_form": np.where(applies, closed, np.nan),
        "concurrence_ideal": 2 * u * v / (u**2 + v**2),
        "dark_state_fidelity": fid,
        "populations": _populations(rho),
        "coherence_eg_ge": rho[..., 1, 2],
        "pair_occupation_N": N, "pair_correlation_M": M,
        "thermal_occupation": pair["n"], "attenuation_t": pair["t"],
        "entangling_condition": np.abs(M) > (1 + 2 * N) * (N * (N + 1) - M**2),
        "squeezing_r": np.arctanh(p_amp), "u": u, "v": v,
        "rates": info["rates"], "J": info["J"],
        "configuration": info["configuration"],
        "kernel_dim": state.kernel_dim, "residual": state.residual,
    }
    if aligned:
        out["note"] = ("aligned configuration (thermal equilibrium, no pairs): v_over_u is not "
                       "used; the steady state is the product Gibbs state")
    return json_ready(out)


KLEINHERBERS_PARAMETERS = (
    Parameter("configuration", "inverted", "", "F2 inverted (pair creation) or aligned with the "
              "field (thermal equilibrium control)", choices=("inverted", "aligned")),
    Parameter("v_over_u", 0.6, "1", "pair-creation amplitude p = v/u = tanh r_sq (|p| < 1)",
              -1.0, 1.0, low_inclusive=False, high_inclusive=False),
    Parameter("G", 1e-3, "energy unit", "bare emission rate of colour centre 1 into the magnets",
              0.0, None),
    Parameter("coupling_ratio", 1.0, "1", "G_2 / G_1 (colour centre 2 over 1)", 0.0, None,
              low_inclusive=False),
    Parameter("r", 0.02, "l (pair decay length)", "colour-centre separation across the "
              "interface", 0.0, None),
    Parameter("delta", 1.0, "energy unit", "qubit frequency Delta (sets the energy unit)", 0.0,
              None, low_inclusive=False),
    Parameter("T", 0.0, "energy unit", "temperature of both magnets and the lattice", 0.0, None),
    Parameter("gamma1", 0.0, "energy unit", "intrinsic local T1 rate (lattice at T)", 0.0, None),
    Parameter("gamma_phi", 0.0, "energy unit", "intrinsic local pure-dephasing rate", 0.0,
              None),
    Parameter("J_dd", 0.0, "energy x l^3", "direct dipolar flip-flop J = J_dd / r^3"),
    Parameter("detuning", 0.0, "energy unit", "qubit detuning Delta_1 - Delta_2"),
)

KLEINHERBERS_SPEC = register(ModelSpec(
    name="kleinherbers2025",
    title="two colour centres entangled by magnon-antimagnon pairs at a ground-state/inverted "
          "ferromagnet interface",
    family=FAMILY,
    reference=KLEINHERBERS_REFERENCE + "; reconstructed from the abstract",
    parameters=KLEINHERBERS_PARAMETERS,
    build=kleinherbers_build,
    analyse=kleinherbers_analyse,
    check=_kleinherbers_check,
    doc=KLEINHERBERS_DOC,
))
