"""Two qubits above a spin-pumped magnet: entanglement from a broken conservation law.

Reference: V. Hou, E. Kleinherbers, S. P. Kelly, Y. Tserkovnyak, "Breaking a conservation law
enables steady-state entanglement out of equilibrium", arXiv:2508.18131 (2025).  The concrete
model below is the reconstruction of ``shared/design/MAGNON_MODEL.md`` (derived, not the paper's
own equations):

* qubits ``H_S = sum_j Delta_j sigma_j^z / 2`` at distance ``r`` above (contact-coupled to) a
  ``d``-dimensional magnet with gap ``eps0``, stiffness ``D``, Gilbert damping ``alpha`` and magnon
  chemical potential ``mu`` (spin pumping), temperature ``T``;
* coupling ``H_int = sum_j sigma_j^+ (g_c psi(r_j) + g_n psi^dag(r_j)) + h.c.
  + g_z sigma_j^z (psi(r_j) + psi^dag(r_j))``; the co-rotating part ``g_c`` (charge +1) is a bath
  at chemical potential ``+mu``, the counter-rotating part ``g_n = eta g_c`` (charge -1) a bath at
  ``-mu``.  ``eta = 0`` conserves ``N + sum sigma^z / 2`` and gives the product GGE state;
* rate matrices at the mean qubit frequency (``S>``/``S<`` from :mod:`qness.baths.magnon`)::

      Gamma_down_jk = g_c^2 S>(Delta, r_jk) + g_n^2 S<(-Delta, r_jk)
      Gamma_up_jk   = g_c^2 S<(Delta, r_jk) + g_n^2 S>(-Delta, r_jk)
      Gamma_z_jk    = g_z^2 [S>(0, r_jk) + S<(0, r_jk)]
      J12 = g_c^2 Re G^R(Delta, r) + g_n^2 Re G^R(-Delta, r),   Jz = 2 g_z^2 Re G^R(0, r)

* master equation (partial-secular / Lehmberg form, default) in the frame rotating at the mean
  qubit frequency::

      drho/dt = -i[H, rho] + sum_jk {Gamma_down_jk D[s_k^-, s_j^-] + Gamma_up_jk D[s_k^+, s_j^+]
                + Gamma_z_jk D[s_k^z, s_j^z]} rho + local T1 / T2 channels,
      H = (detuning / 4)(s_1^z - s_2^z) + J12 (s_1^+ s_2^- + h.c.) + Jz s_1^z s_2^z,

  with ``D[A, B] rho = A rho B^dag - {B^dag A, rho}/2``; or the fully secular Davies form
  (``method='davies'``): ``H`` diagonalised and each Bohr component of ``s^-``, ``s^+``, ``s^z``
  weighted by the spectra at its own frequency.

Provenance: only the abstract of arXiv:2508.18131 was accessible when this was written, so the
paper's own Hamiltonian, parameters and figures could not be compared; every formula here is the
MAGNON_MODEL.md derivation (tags [D] there).  Agreement with the abstract is qualitative: C = 0 for
a conserving coupling, channels at chemical potentials +mu and -mu, entanglement over finite
distances.  Not covered: magnets stabilised beyond mu = eps0 (inverted, spin-torque stabilised),
pairing (magnon-antimagnon) correlations, and the two-magnon channel (its spectrum is
:func:`qness.baths.magnon.two_magnon_spectrum`).

Units of the dimensionless model: every energy (``gap``, ``mu``, ``T``, ``delta``, ``g``, rates)
in one unit (``gap = 1`` by default: units of eps0, hbar = k_B = 1); distances ``r`` in
``lambda0 = sqrt(D / eps0)``; ``g`` in energy x lambda0^(d/2) (so rates scale as ``g^2 alpha``).

Qubit basis (QuTiP order): index 0 = ``|e>``, so ``|ee>`` is index 0 and ``|gg>`` index 3;
``T0, S = (|eg> +- |ge>)/sqrt2``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..baths.magnon import (
    check_magnon_parameters,
    f_minus,
    f_plus,
    green_retarded,
    reduced_spectral,
)
from ..errors import InvalidInputError
from ..master.generator import Generator, liouvillian
from ..operators import sigmam, sigmaz
from .base import ModelSpec, Parameter, json_ready
from .registry import register

__all__ = [
    "SPEC",
    "ValidityWarning",
    "analyse",
    "build",
    "channel_rates",
    "exchange",
    "gge_state",
    "physical_state",
    "rate_matrices",
    "ring_concurrence",
    "ring_populations",
    "ring_state",
    "solve",
    "steady_state",
    "two_qubit_operators",
]

#: Relative size of the antisymmetric rates used to represent the r -> 0+ limit (``at_contact =
#: 'limit'``): the state differs from the exact limit by O(this).
CONTACT_LIMIT_EPS = 1e-7
#: Weak-coupling threshold of MAGNON_MODEL.md §3.3.
WEAK_COUPLING_LIMIT = 0.05


class ValidityWarning(UserWarning):
    """A weak-coupling / rotating-wave validity ratio of the master equation is not small."""


# ----------------------------------------------------------------------------- operators
def two_qubit_operators() -> dict[str, np.ndarray]:
    """``sm1, sm2, sp1, sp2, sz1, sz2`` (4 x 4, QuTiP order) and the states ``ee, T0, S, gg``."""
    eye = np.eye(2, dtype=complex)
    sm, sz = sigmam(), sigmaz()
    ops = {
        "sm1": np.kron(sm, eye), "sm2": np.kron(eye, sm),
        "sz1": np.kron(sz, eye), "sz2": np.kron(eye, sz),
    }
    ops["sp1"], ops["sp2"] = ops["sm1"].conj().T, ops["sm2"].conj().T
    ee, eg, ge, gg = np.eye(4, dtype=complex)
    ops.update({"ee": ee, "gg": gg, "T0": (eg + ge) / np.sqrt(2), "S": (eg - ge) / np.sqrt(2)})
    return ops


_OPS = two_qubit_operators()


# ----------------------------------------------------------------------------- rates
def _bath_kw(p: Mapping[str, Any]) -> dict[str, Any]:
    return {"eps0": p["gap"], "D": p["stiffness"], "alpha": p["alpha"], "mu": p["mu"],
            "dim": int(p["dim"])}


def _internal_distance(p: Mapping[str, Any]) -> np.ndarray:
    """``r`` in the length unit of ``stiffness`` (``r * sqrt(D / eps0)``)."""
    return np.asarray(p["r"], float) * np.sqrt(np.asarray(p["stiffness"], float)
                                                / np.asarray(p["gap"], float))


def channel_rates(omega: Any, r: Any, *, g_c: Any, g_n: Any, gap: Any, stiffness: Any,
                  alpha: Any, mu: Any, T: Any, dim: int = 2) -> dict[str, np.ndarray]:
    """Decay / excitation rates of each charge channel for a transition at frequency ``omega``.

    Parameters
    ----------
    omega : array
        Transition (Bohr) frequency of the qubit lowering operator.
    r : array
        Distance between the two qubits' contact points in the stiffness length unit (``r = 0``
        gives the local rate).

    Returns
    -------
    dict
        ``c_down = g_c^2 S>(omega, r)``, ``c_up = g_c^2 S<(omega, r)`` (charge +1, chemical
        potential ``+mu``) and ``n_down = g_n^2 S<(-omega, r)``, ``n_up = g_n^2 S>(-omega, r)``
        (charge -1, chemical potential ``-mu``); ``up / down`` of channel q is exactly
        ``exp(-(omega - q mu) / T)``.
    """
    kw = {"eps0": gap, "D": stiffness, "alpha": alpha, "mu": mu, "dim": dim}
    check_magnon_parameters(gap, stiffness, alpha, mu, T)
    om = np.asarray(omega, float)
    at_p = reduced_spectral(om, r, **kw)
    at_m = reduced_spectral(-om, r, **kw)
    gc2, gn2 = np.asarray(g_c, float) ** 2, np.asarray(g_n, float) ** 2
    x_p, x_m = om - np.asarray(mu, float), -om - np.asarray(mu, float)
    return {
        "c_down": gc2 * at_p * f_plus(x_p, T), "c_up": gc2 * at_p * f_minus(x_p, T),
        "n_down": gn2 * at_m * f_minus(x_m, T), "n_up": gn2 * at_m * f_plus(x_m, T),
    }


def _dephasing_rate(omega: Any, r: Any, p: Mapping[str, Any]) -> np.ndarray:
    """``Gamma_z(omega, r) = g_z^2 [S>(omega, r) + S<(-omega, r)]`` (sigma^z component lowering
    the energy by ``omega``)."""
    kw = _bath_kw(p)
    om = np.asarray(omega, float)
    mu = np.asarray(p["mu"], float)
    s_gt = reduced_spectral(om, r, **kw) * f_plus(om - mu, p["T"])
    s_lt = reduced_spectral(-om, r, **kw) * f_minus(-om - mu, p["T"])
    return np.asarray(p["g_z"], float) ** 2 * (s_gt + s_lt)


def _matrices(local: np.ndarray, cross: np.ndarray) -> np.ndarray:
    """Symmetric 2 x 2 matrices ``[[local, cross], [cross, local]]`` with batch axes."""
    local, cross = np.broadcast_arrays(local, cross)
    return np.stack([np.stack([local, cross], -1), np.stack([cross, local], -1)], -2)


def rate_matrices(p: Mapping[str, Any], omega: Any = None) -> dict[str, np.ndarray]:
    """Rate matrices ``down, up, z`` (``(..., 2, 2)``) at ``omega`` (default: ``delta``),
    plus the per-channel entries for reporting.  ``p`` holds resolved model parameters."""
    om = np.asarray(p["delta"] if omega is None else omega, float)
    r = _internal_distance(p)
    common = {"g_c": p["g"], "g_n": np.asarray(p["eta"], float) * np.asarray(p["g"], float),
              "gap": p["gap"], "stiffness": p["stiffness"], "alpha": p["alpha"], "mu": p["mu"],
              "T": p["T"], "dim": int(p["dim"])}
    loc = channel_rates(om, 0.0 * r, **common)
    crs = channel_rates(om, r, **common)
    down = _matrices(loc["c_down"] + loc["n_down"], crs["c_down"] + crs["n_down"])
    up = _matrices(loc["c_up"] + loc["n_up"], crs["c_up"] + crs["n_up"])
    zz = _matrices(_dephasing_rate(0.0 * om, 0.0 * r, p), _dephasing_rate(0.0 * om, r, p))
    channels = {k: _matrices(loc[k], crs[k]) for k in loc}
    return {"down": down, "up": up, "z": zz, "channels": channels}


def exchange(p: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Bath-mediated couplings ``(J12, Jz)`` (energy unit).

    ``J12 = g_c^2 Re G^R(Delta, r) + g_n^2 Re G^R(-Delta, r)``, ``Jz = 2 g_z^2 Re G^R(0, r)``.
    At ``r = 0`` in ``d = 2, 3`` both diverge (contact); they are then set to 0 (they commute with
    the populations of identical qubits, and the state there is the r -> 0+ limit or rho0-dependent
    anyway).
    """
    kw = _bath_kw(p)
    r = _internal_distance(p)
    gc2 = np.asarray(p["g"], float) ** 2
    gn2 = (np.asarray(p["eta"], float) * np.asarray(p["g"], float)) ** 2
    gz2 = np.asarray(p["g_z"], float) ** 2
    om = np.asarray(p["delta"], float)
    contact = r == 0
    rr = np.where(contact, 1.0, r) if int(p["dim"]) > 1 else r
    j12 = gc2 * green_retarded(om, rr, **kw).real + gn2 * green_retarded(-om, rr, **kw).real
    jz = 2 * gz2 * green_retarded(0.0 * om, rr, **kw).real
    if int(p["dim"]) > 1:
        j12, jz = np.where(contact, 0.0, j12), np.where(contact, 0.0, jz)
    if not p.get("lamb_shift", True):
        j12, jz = 0.0 * j12, 0.0 * jz
    return np.asarray(j12, float) + 0.0, np.asarray(jz, float) + 0.0  # no signed zeros


def gge_state(delta: Any, mu_eff: Any, T: Any) -> np.ndarray:
    """Product GGE ``exp[-(Delta - mu_eff) sum_j sigma_j^z / 2T] / Z`` of two qubits (QuTiP order).

    ``mu_eff = q0 mu`` is the chemical potential seen by the qubits; ``T = 0`` gives ``|gg><gg|``
    for ``Delta > mu_eff`` and ``|ee><ee|`` for ``Delta < mu_eff`` (negative temperature).
    """
    x = np.asarray(delta, float) - np.asarray(mu_eff, float)
    T = np.asarray(T, float)
    # single-qubit excited-state probability 1 / (1 + exp(x / T)) = f_minus(x, T) / x, safely
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        pe = np.where(T > 0, 0.5 * (1 - np.tanh(x / (2 * np.where(T > 0, T, 1.0)))),
                      np.where(x > 0, 0.0, np.where(x < 0, 1.0, 0.5)))
    single = np.zeros((*pe.shape, 2, 2))
    single[..., 0, 0], single[..., 1, 1] = pe, 1 - pe
    return np.einsum("...ij,...kl->...ikjl", single, single).reshape(*pe.shape, 4, 4)


# ----------------------------------------------------------------------------- ring solution
def ring_populations(down: Any, up: Any, z: Any = None, gamma_phi: Any = 0.0) -> np.ndarray:
    """Exact steady populations ``(p_T-, p_T0, p_S, p_T+)`` of identical qubits (§1.6).

    The dissipators are diagonal in the collective basis: ``L_S = (s_1 + s_2)/sqrt2`` with rates
    ``Gamma_11 + Gamma_12`` and ``L_A = (s_1 - s_2)/sqrt2`` with ``Gamma_11 - Gamma_12``, so the
    steady state is an X state whose populations solve a 4-state Markov ring
    ``T- <-> T0 <-> T+`` (symmetric), ``T- <-> S <-> T+`` (antisymmetric) and ``T0 <-> S`` at rate
    ``2 (Gamma^z_11 - Gamma^z_12) + gamma_phi``.

    Parameters
    ----------
    down, up : (..., 2, 2) arrays
        Real symmetric rate matrices with equal diagonals (local T1 channels included).
    z : (..., 2, 2) array, optional
        Dephasing rate matrix.
    gamma_phi : array
        Local pure-dephasing rate (``(gamma_phi / 2) D[s^z_j]``).
    """
    down, up = np.asarray(down, float), np.asarray(up, float)
    sd, su = down[..., 0, 0] + down[..., 0, 1], up[..., 0, 0] + up[..., 0, 1]
    ad, au = down[..., 0, 0] - down[..., 0, 1], up[..., 0, 0] - up[..., 0, 1]
    zr = 0.0 if z is None else 2 * (np.asarray(z, float)[..., 0, 0]
                                    - np.asarray(z, float)[..., 0, 1])
    zr = zr + np.asarray(gamma_phi, float)
    shape = np.broadcast_shapes(np.shape(sd), np.shape(zr))
    # generator W (column = from): states 0 = T-, 1 = T0, 2 = S, 3 = T+
    W = np.zeros((*shape, 4, 4))
    moves = [(0, 1, su), (1, 0, sd), (1, 3, su), (3, 1, sd),
             (0, 2, au), (2, 0, ad), (2, 3, au), (3, 2, ad), (1, 2, zr), (2, 1, zr)]
    for i, f, rate in moves:
        rate = np.broadcast_to(rate, shape)
        W[..., f, i] += rate
        W[..., i, i] -= rate
    A = W.copy()
    A[..., 0, :] = 1.0
    rhs = np.zeros((*shape, 4))
    rhs[..., 0] = 1.0
    return np.linalg.solve(A, rhs[..., None])[..., 0]


def ring_concurrence(pops: Any) -> np.ndarray:
    """Concurrence of the X state with populations ``(p_T-, p_T0, p_S, p_T+)``:
    ``max(0, |p_T0 - p_S| - 2 sqrt(p_T+ p_T-))`` (Wootters)."""
    p = np.asarray(pops, float)
    return np.maximum(0.0, np.abs(p[..., 1] - p[..., 2])
                      - 2 * np.sqrt(np.clip(p[..., 0] * p[..., 3], 0, None)))


# ----------------------------------------------------------------------------- build
#: Parameters that select the model's structure and cannot be swept within one batch.
_SCALAR_PARAMETERS = ("method", "at_contact", "dim", "lamb_shift")


def _broadcast_params(params: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[int, ...]]:
    numeric = [k for k in params if k not in _SCALAR_PARAMETERS]
    arrays = {k: np.asarray(params[k], float) for k in numeric}
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    out = dict(params)
    out.update({k: np.broadcast_to(a, shape) for k, a in arrays.items()})
    for k in _SCALAR_PARAMETERS:
        if k in params and np.ndim(params[k]) != 0:
            raise InvalidInputError(f"parameter {k!r} must be a scalar (not swept), got "
                                    f"{params[k]!r}")
    return out, shape


def _hamiltonian(p: Mapping[str, Any], j12: np.ndarray, jz: np.ndarray) -> np.ndarray:
    o = _OPS
    flip = o["sp1"] @ o["sm2"]
    flip = flip + flip.conj().T
    det = np.asarray(p["detuning"], float)[..., None, None]
    return (det / 4 * (o["sz1"] - o["sz2"]) + j12[..., None, None] * flip
            + jz[..., None, None] * (o["sz1"] @ o["sz2"]))


def _collective_jumps(matrix: np.ndarray, a1: np.ndarray, a2: np.ndarray) -> list[np.ndarray]:
    """Jump operators ``sqrt(G11 +- G12)(A1 +- A2)/sqrt2`` of a symmetric rate matrix (batched)."""
    lam_s = matrix[..., 0, 0] + matrix[..., 0, 1]
    lam_a = matrix[..., 0, 0] - matrix[..., 0, 1]
    scale = np.maximum(np.abs(lam_s), 1e-300)
    if np.any(lam_a < -1e-10 * scale) or np.any(lam_s < -1e-300):
        raise InvalidInputError("a rate matrix is not positive semidefinite (|Gamma_12| > "
                                "Gamma_11): the spectral kernel is unphysical")
    rs = np.sqrt(np.clip(lam_s, 0, None))[..., None, None]
    ra = np.sqrt(np.clip(lam_a, 0, None))[..., None, None]
    return [rs * (a1 + a2) / np.sqrt(2), ra * (a1 - a2) / np.sqrt(2)]


def _contact_limit_rates(p: Mapping[str, Any], rates: dict[str, np.ndarray]) -> dict[str, Any]:
    """Rate matrices representing r -> 0+: symmetric parts at r = 0, antisymmetric parts with the
    exact small-r shape of each channel's kernel deficit, scaled by ``CONTACT_LIMIT_EPS``.

    The deficit ``At(omega, 0) - At(omega, r)`` vanishes as ``a(omega) r^2 ln(1/r)`` (d = 2),
    ``a r`` (d = 3) with the frequency-independent ``a = alpha / (4 pi D^2)``, and as
    ``-Im q / (2 D (omega - mu)) r^2`` in d = 1; the limit state depends only on the ratios.
    """
    dim = int(p["dim"])
    mu, T = np.asarray(p["mu"], float), p["T"]
    om = np.asarray(p["delta"], float)

    def coeff(w: np.ndarray) -> np.ndarray:
        if dim > 1:
            return np.ones_like(w)
        D, eps0, al = (np.asarray(p[k], float) for k in ("stiffness", "gap", "alpha"))
        q = np.sqrt(((eps0 - w) - 1j * al * (w - mu)) / D)
        small = np.abs(al * (w - mu)) <= 1e-7 * np.abs(eps0 - w)
        ws = np.where(small, 1.0, w - mu)
        return np.where(small, al / (4 * D**2 * q.real), -q.imag / (2 * D * ws))

    gc2 = np.asarray(p["g"], float) ** 2
    gn2 = (np.asarray(p["eta"], float) * np.asarray(p["g"], float)) ** 2
    gz2 = np.asarray(p["g_z"], float) ** 2
    cp, cm, c0 = coeff(om), coeff(-om), coeff(0 * om)
    a_down = gc2 * cp * f_plus(om - mu, T) + gn2 * cm * f_minus(-om - mu, T)
    a_up = gc2 * cp * f_minus(om - mu, T) + gn2 * cm * f_plus(-om - mu, T)
    a_z = gz2 * c0 * (f_plus(-mu, T) + f_minus(-mu, T))
    total = np.maximum(a_down + a_up + 2 * a_z, 1e-300)
    s_total = (rates["down"][..., 0, 0] + rates["up"][..., 0, 0]) * 2
    eps = CONTACT_LIMIT_EPS * s_total / total
    out = {}
    for key, a in (("down", a_down), ("up", a_up), ("z", a_z)):
        g11 = rates[key][..., 0, 0]
        out[key] = _matrices(g11, g11 - eps * a)   # antisymmetric eigenvalue eps * a
    return out


def _degenerate_mask(p: Mapping[str, Any]) -> np.ndarray:
    return ((np.asarray(p["r"]) == 0) & (np.asarray(p["gamma1"]) == 0)
            & (np.asarray(p["gamma_phi"]) == 0) & (np.asarray(p["detuning"]) == 0))


def _intrinsic_jumps(p: Mapping[str, Any]) -> list[np.ndarray]:
    o = _OPS
    delta = np.asarray(p["delta"], float)
    g1, gphi = np.asarray(p["gamma1"], float), np.asarray(p["gamma_phi"], float)
    nth = f_minus(delta, p["T"]) / delta  # Bose occupation of the lattice (mu = 0) at Delta
    jumps = []
    if np.any(g1 > 0):
        for a in ("sm1", "sm2"):
            jumps.append(np.sqrt(g1 * (1 + nth))[..., None, None] * o[a])
            jumps.append(np.sqrt(g1 * nth)[..., None, None] * o[a].conj().T)
    if np.any(gphi > 0):
        for a in ("sz1", "sz2"):
            jumps.append(np.sqrt(gphi / 2)[..., None, None] * o[a])
    return jumps


def _validity(p: Mapping[str, Any], rates: dict[str, np.ndarray], j12: np.ndarray
              ) -> dict[str, np.ndarray]:
    gmax = np.max(np.abs(np.stack([rates["down"], rates["up"], rates["z"]], -3)),
                  axis=(-1, -2, -3))
    scale = np.maximum(np.abs(j12), gmax)
    delta, gap = np.asarray(p["delta"], float), np.asarray(p["gap"], float)
    local = rates["down"][..., 0, 0] + rates["up"][..., 0, 0]
    anti = local - rates["down"][..., 0, 1] - rates["up"][..., 0, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            # relative rounding error of the antisymmetric (S-channel) rates Gamma_11 - Gamma_12
            "antisymmetric_precision": np.where(np.asarray(p["r"]) > 0,
                                                np.finfo(float).eps * local / anti, 0.0),
            "weak_coupling": scale / np.abs(gap - delta),
            "rotating_wave": scale / delta,
            "detuning_over_coupling": np.abs(np.asarray(p["detuning"], float)) / scale,
            "stability_margin": (gap - np.asarray(p["mu"], float)) / gap,
            "alpha": np.asarray(p["alpha"], float),
        }


def build(params: Mapping[str, Any]) -> Generator:
    """Generator of the contact model (batched when parameters are arrays that broadcast).

    Parameters
    ----------
    params : mapping
        Resolved parameters (see ``SPEC.parameters``); array values broadcast to one batch.

    Returns
    -------
    Generator
        In the frame rotating at ``delta``; ``info`` holds ``rates`` (``down``, ``up``, ``z``,
        per-``channels``), ``J12``, ``Jz``, ``validity`` ratios, ``degenerate`` (r = 0 mask) and,
        for ``at_contact`` in ``('gg', 'singlet')``, the initial state ``rho0``.
    """
    _check_cross(params)
    p, shape = _broadcast_params(params)
    rates = rate_matrices(p)
    j12, jz = exchange(p)
    degenerate = _degenerate_mask(p)
    used = {k: rates[k] for k in ("down", "up", "z")}
    if p["at_contact"] == "limit" and np.any(degenerate):
        if p["method"] != "partial":
            raise InvalidInputError("at_contact='limit' (r -> 0+) needs method='partial'; with "
                                    "method='davies' use r > 0")
        lim = _contact_limit_rates(p, rates)
        used = {k: np.where(degenerate[..., None, None], lim[k], used[k]) for k in used}
    o = _OPS
    H = _hamiltonian(p, j12, jz)
    if p["method"] == "partial":
        jumps = (_collective_jumps(used["down"], o["sm1"], o["sm2"])
                 + _collective_jumps(used["up"], o["sp1"], o["sp2"])
                 + (_collective_jumps(used["z"], o["sz1"], o["sz2"])
                    if np.any(np.asarray(p["g_z"]) > 0) else []))
    else:
        jumps = _davies_jumps(p, H)
    jumps += _intrinsic_jumps(p)
    jumps = [np.broadcast_to(j, (*shape, 4, 4)) for j in jumps]
    gen = liouvillian(np.broadcast_to(H, (*shape, 4, 4)), jumps, dims=(2, 2))
    validity = _validity(p, rates, j12)
    _warn_validity(validity)
    gen.info.update({
        "model": "hou2025", "method": p["method"], "frame": "rotating at delta",
        "rates": used, "channels": rates["channels"], "J12": j12, "Jz": jz,
        "validity": validity, "degenerate": degenerate, "at_contact": p["at_contact"],
    })
    if p["at_contact"] in ("gg", "singlet"):
        psi = _OPS["gg"] if p["at_contact"] == "gg" else _OPS["S"]
        gen.info["rho0"] = np.outer(psi, psi.conj())
    return gen


def _warn_validity(validity: Mapping[str, np.ndarray]) -> None:
    prec = np.asarray(validity["antisymmetric_precision"])
    if np.any(prec > 1e-6):
        warnings.warn(
            f"the qubits are so close (r << lambda0) that Gamma_11 - Gamma_12 has relative "
            f"rounding error {np.max(prec):.2g}: results are unreliable; use r = 0 with "
            "at_contact='limit' for the r -> 0+ state", ValidityWarning, stacklevel=3)
    weak = np.asarray(validity["weak_coupling"])
    bad = weak > WEAK_COUPLING_LIMIT
    if np.any(bad):
        warnings.warn(
            f"weak-coupling ratio max(|J12|, Gamma)/|gap - delta| = {np.max(weak[bad]):.3g} > "
            f"{WEAK_COUPLING_LIMIT} at {int(np.sum(bad))} point(s): the Markovian master "
            "equation is not reliable there (reduce g or move delta away from the gap)",
            ValidityWarning, stacklevel=3)


# ----------------------------------------------------------------------------- Davies
def _davies_jumps(p: Mapping[str, Any], H: np.ndarray) -> list[np.ndarray]:
    """Fully secular (Davies) jump operators, padded to a common count over the batch.

    ``H`` is the rotating-frame Hamiltonian; a component of ``s_j^-`` that lowers the rotating
    energy by ``w`` lowers the lab energy by ``delta + w`` and is weighted by the spectra there.
    """
    shape = H.shape[:-2]
    flat_h = H.reshape(-1, 4, 4)
    flat_p = {k: (np.asarray(v).reshape(-1) if k not in _SCALAR_PARAMETERS else v)
              for k, v in p.items()}
    per_point: list[list[np.ndarray]] = []
    for i in range(flat_h.shape[0]):
        pi = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in flat_p.items()}
        per_point.append(_davies_point(pi, flat_h[i]))
    n = max((len(j) for j in per_point), default=0)
    out = np.zeros((n, flat_h.shape[0], 4, 4), dtype=complex)
    for i, js in enumerate(per_point):
        for k, j in enumerate(js):
            out[k, i] = j
    return [out[k].reshape(*shape, 4, 4) for k in range(n)]


def _bohr_components(op: np.ndarray, E: np.ndarray, V: np.ndarray, tol: float
                     ) -> list[tuple[float, np.ndarray]]:
    """Split ``op`` into eigen-components ``(w, op(w))`` with ``op(w)`` lowering energy by ``w``."""
    oe = V.conj().T @ op @ V
    w = E[None, :] - E[:, None]  # element (a, b): from b to a lowers energy by E_b - E_a
    mask = np.abs(oe) > 1e-14
    comps: list[tuple[float, np.ndarray]] = []
    done = np.zeros_like(mask)
    for a, b in zip(*np.nonzero(mask), strict=True):
        if done[a, b]:
            continue
        sel = mask & (np.abs(w - w[a, b]) <= tol)
        done |= sel
        comps.append((float(np.mean(w[sel])), V @ np.where(sel, oe, 0) @ V.conj().T))
    return comps


def _davies_point(p: Mapping[str, Any], H: np.ndarray) -> list[np.ndarray]:
    E, V = np.linalg.eigh(H)
    tol = 1e-9 * max(float(np.max(np.abs(E))), 1e-300) + 1e-300
    r = float(_internal_distance(p))
    delta = float(p["delta"])
    common = {"g_c": p["g"], "g_n": float(p["eta"]) * float(p["g"]), "gap": p["gap"],
              "stiffness": p["stiffness"], "alpha": p["alpha"], "mu": p["mu"], "T": p["T"],
              "dim": int(p["dim"])}
    o = _OPS
    jumps: list[np.ndarray] = []
    c1, c2 = (_bohr_components(o[a], E, V, tol) for a in ("sm1", "sm2"))
    freqs = sorted({w for w, _ in c1 + c2})
    for w in freqs:
        a1 = sum((m for ww, m in c1 if abs(ww - w) <= tol), np.zeros((4, 4), complex))
        a2 = sum((m for ww, m in c2 if abs(ww - w) <= tol), np.zeros((4, 4), complex))
        loc = channel_rates(delta + w, 0.0, **common)
        crs = channel_rates(delta + w, r, **common)
        down = _matrices(loc["c_down"] + loc["n_down"], crs["c_down"] + crs["n_down"])
        up = _matrices(loc["c_up"] + loc["n_up"], crs["c_up"] + crs["n_up"])
        jumps += _general_jumps(down, [a1, a2]) + _general_jumps(
            up, [a1.conj().T, a2.conj().T])
    if float(p["g_z"]) > 0:
        z1, z2 = (_bohr_components(o[a], E, V, tol) for a in ("sz1", "sz2"))
        for w in sorted({w for w, _ in z1 + z2}):
            a1 = sum((m for ww, m in z1 if abs(ww - w) <= tol), np.zeros((4, 4), complex))
            a2 = sum((m for ww, m in z2 if abs(ww - w) <= tol), np.zeros((4, 4), complex))
            zz = _matrices(_dephasing_rate(w, 0.0, p), _dephasing_rate(w, r, p))
            jumps += _general_jumps(zz, [a1, a2])
    return jumps


def _general_jumps(matrix: np.ndarray, ops: list[np.ndarray]) -> list[np.ndarray]:
    lam, u = np.linalg.eigh(np.asarray(matrix, float))
    scale = max(float(np.max(np.abs(lam))), 1e-300)
    if lam[0] < -1e-10 * scale:
        raise InvalidInputError("a Davies rate matrix is not positive semidefinite")
    return [np.sqrt(max(lam[k], 0.0)) * (u[0, k] * ops[0] + u[1, k] * ops[1])
            for k in range(len(lam)) if lam[k] > 1e-14 * scale]


# ----------------------------------------------------------------------------- analyse / solve
#: Negative eigenvalues of a validated steady state down to this size are solver round-off (the
#: solver's own positivity tolerance); they are clipped before measures are evaluated.
POSITIVITY_TOL = 1e-8


def physical_state(rho: Any) -> np.ndarray:
    """``rho`` with round-off negative eigenvalues (>= -``POSITIVITY_TOL``) set to zero and the
    trace restored; states more negative than that raise (they are not steady states)."""
    rho = np.asarray(rho, dtype=complex)
    rho = 0.5 * (rho + np.conj(np.swapaxes(rho, -1, -2)))
    w, v = np.linalg.eigh(rho)
    if np.any(w[..., 0] < -POSITIVITY_TOL):
        raise InvalidInputError(f"state has eigenvalue {np.min(w[..., 0]):.3g} < "
                                f"-{POSITIVITY_TOL:g}: not a density matrix")
    if np.all(w[..., 0] >= 0):
        return rho
    w = np.clip(w, 0.0, None)
    w = w / np.sum(w, axis=-1, keepdims=True)
    return np.einsum("...ij,...j,...kj->...ik", v, w, v.conj())


def _populations(rho: np.ndarray) -> dict[str, np.ndarray]:
    o = _OPS
    pop = {}
    for name in ("gg", "T0", "S", "ee"):
        v = o[name]
        pop[name] = np.einsum("i,...ij,j->...", v.conj(), rho, v).real
    return pop


def analyse(state: Any, generator: Generator, params: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-ready results: concurrence, populations {gg, T0, S, ee}, kernel dimension, residual,
    rate matrices, J12, Jz, validity ratios and the analytic ring-solution concurrence (for
    identical qubits with the partial-secular form)."""
    from ..measures import concurrence

    rho = physical_state(state.rho)
    info = generator.info
    out: dict[str, Any] = {
        "concurrence": concurrence(rho),
        "populations": _populations(rho),
        "kernel_dim": state.kernel_dim,
        "residual": state.residual,
        "min_eigenvalue": state.min_eigenvalue,
        "rates": {k: info["rates"][k] for k in ("down", "up", "z")},
        "J12": info["J12"], "Jz": info["Jz"],
        "validity": info["validity"],
        "frame": info["frame"], "method": info["method"],
    }
    if info["method"] == "partial" and np.all(np.asarray(params["detuning"]) == 0) \
            and np.all(~np.asarray(info["degenerate"]) | (info["at_contact"] == "limit")):
        pops = ring_populations(_with_t1(info["rates"]["down"], params, "down"),
                                _with_t1(info["rates"]["up"], params, "up"),
                                info["rates"]["z"], params["gamma_phi"])
        out["concurrence_ring"] = ring_concurrence(pops)
    if np.any(np.asarray(info["degenerate"])):
        out["note"] = ("r = 0: perfectly correlated bath, degenerate kernel; at_contact="
                       f"{info['at_contact']!r}")
    return json_ready(out)


def _with_t1(matrix: np.ndarray, params: Mapping[str, Any], kind: str) -> np.ndarray:
    g1 = np.asarray(params["gamma1"], float)
    delta = np.asarray(params["delta"], float)
    nth = f_minus(delta, params["T"]) / delta
    extra = g1 * ((1 + nth) if kind == "down" else nth)
    return matrix + extra[..., None, None] * np.eye(2)


def ring_state(pops: Any) -> np.ndarray:
    """Density matrix ``p_T- |gg><gg| + p_T0 |T0><T0| + p_S |S><S| + p_T+ |ee><ee|`` (QuTiP order)
    from populations ``(p_T-, p_T0, p_S, p_T+)``."""
    pops = np.asarray(pops, float)
    o = _OPS
    projs = np.stack([np.outer(o[k], o[k].conj()) for k in ("gg", "T0", "S", "ee")])
    return np.einsum("...k,kij->...ij", pops.astype(complex), projs)


def _ring_applicable(params: Mapping[str, Any], generator: Generator) -> bool:
    return (generator.info.get("method") == "partial"
            and bool(np.all(np.asarray(params["detuning"]) == 0)))


def steady_state(generator: Generator, params: Mapping[str, Any]) -> Any:
    """Solve a generator built by :func:`build`, handling the contact and near-contact cases.

    * ``r = 0`` with ``at_contact='gg'`` / ``'singlet'``: the state reached from that initial
      state (biorthogonal kernel projector of :func:`qness.steadystate`).
    * ``r = 0`` with ``at_contact='raise'``: :class:`~qness.NonUniqueSteadyStateError`.
    * ``r > 0`` but so small that the kernel is numerically degenerate in double precision
      (identical qubits, partial-secular form): the exact ring solution of §1.6 replaces the
      solver's result at those points (``info['ring_fallback']`` marks them).
    """
    import dataclasses

    from ..errors import NonUniqueSteadyStateError
    from ..steady import steadystate

    rho0 = generator.info.get("rho0")
    if rho0 is not None:
        return steadystate(generator, rho0=rho0)
    try:
        return steadystate(generator)
    except NonUniqueSteadyStateError:
        contact = np.asarray(generator.info["degenerate"])
        if np.any(contact & (generator.info["at_contact"] == "raise")) \
                or not _ring_applicable(params, generator):
            raise
    state = steadystate(generator, return_kernel=True, on_fail="flag")
    rates = generator.info["rates"]
    pops = ring_populations(_with_t1(rates["down"], params, "down"),
                            _with_t1(rates["up"], params, "up"), rates["z"],
                            params["gamma_phi"])
    fallback = np.asarray(state.kernel_dim) > 1
    rho = np.where(fallback[..., None, None], ring_state(pops), state.rho)
    lr = generator.apply(rho)
    norm = np.linalg.norm(generator.dense(), axis=(-1, -2))
    residual = np.where(fallback, np.linalg.norm(lr, axis=(-1, -2)) / norm, state.residual)
    ok = np.where(fallback, residual < 1e-8, state.ok)

    def scalar(x: Any) -> Any:
        a = np.asarray(x)
        return a.item() if a.ndim == 0 else a

    return dataclasses.replace(
        state, rho=rho, residual=scalar(residual), ok=scalar(ok),
        kernel_dim=scalar(np.where(fallback, 1, state.kernel_dim)), kernel=None,
        info={**state.info, "ring_fallback": scalar(fallback)})


def solve(params: Mapping[str, Any] | None = None, **overrides: Any
          ) -> tuple[Any, Generator, dict[str, Any]]:
    """Resolve parameters, build, and solve (see :func:`steady_state`).

    Returns
    -------
    (SteadyState, Generator, params)
    """
    p = SPEC.resolve({**(params or {}), **overrides})
    gen = build(p)
    return steady_state(gen, p), gen, p


def _check_cross(params: Mapping[str, Any]) -> None:
    check_magnon_parameters(params["gap"], params["stiffness"], params["alpha"], params["mu"],
                            params["T"])
    det, delta = np.asarray(params["detuning"], float), np.asarray(params["delta"], float)
    if np.any(np.abs(det) >= 2 * delta):
        raise InvalidInputError("detuning must satisfy |detuning| < 2 delta (both qubit "
                                "frequencies positive)")


PARAMETERS = (
    Parameter("gap", 1.0, "energy unit", "magnon gap eps0 (sets the energy unit)", 0.0, None,
              low_inclusive=False),
    Parameter("stiffness", 1.0, "energy x length^2", "exchange stiffness D", 0.0, None,
              low_inclusive=False),
    Parameter("alpha", 1e-3, "1", "Gilbert damping", 0.0, 1.0, low_inclusive=False),
    Parameter("mu", 0.999, "energy unit", "magnon chemical potential (spin pumping), < gap"),
    Parameter("T", 0.0, "energy unit", "temperature (k_B = 1)", 0.0, None),
    Parameter("dim", 2, "1", "dimension of the magnet", choices=(1, 2, 3)),
    Parameter("delta", 0.99, "energy unit", "qubit frequency Delta (mean)", 0.0, None,
              low_inclusive=False),
    Parameter("eta", 0.2, "1", "anisotropy g_n / g_c (0: conserving)", 0.0, None),
    Parameter("g", 0.01, "energy x lambda0^(d/2)", "co-rotating coupling g_c", 0.0, None),
    Parameter("r", 0.5, "lambda0 = sqrt(D/gap)", "qubit distance", 0.0, None),
    Parameter("method", "partial", "", "master equation: partial-secular or Davies",
              choices=("partial", "davies")),
    Parameter("g_z", 0.0, "energy x lambda0^(d/2)", "longitudinal (dephasing) coupling", 0.0,
              None),
    Parameter("gamma1", 0.0, "energy unit", "intrinsic local T1 rate (lattice at T, mu = 0)",
              0.0, None),
    Parameter("gamma_phi", 0.0, "energy unit", "intrinsic local pure-dephasing rate", 0.0, None),
    Parameter("detuning", 0.0, "energy unit", "qubit detuning Delta_1 - Delta_2"),
    Parameter("lamb_shift", True, "", "include the bath-induced coherent couplings J12, Jz"),
    Parameter("at_contact", "raise", "", "r = 0 (degenerate kernel): raise, r->0+ limit, or "
              "state reached from |gg> / singlet", choices=("raise", "limit", "gg", "singlet")),
)

SPEC = register(ModelSpec(
    name="hou2025",
    title="two qubits above a spin-pumped magnet (broken conservation law, contact coupling)",
    family="magnon",
    reference=("V. Hou, E. Kleinherbers, S. P. Kelly, Y. Tserkovnyak, arXiv:2508.18131 (2025); "
               "model as reconstructed in MAGNON_MODEL.md"),
    parameters=PARAMETERS,
    build=build,
    analyse=analyse,
    check=_check_cross,
    doc=__doc__ or "",
))


# ============================================================================= NV + film model
#: Physical constants (CODATA 2018) and material presets, SI units.
HBAR = 1.054571817e-34          # J s
K_B = 1.380649e-23              # J / K
MU0 = 1.25663706212e-6          # T m / A
GAMMA_E = 1.76085963e11         # electron gyromagnetic ratio, rad / (s T) (magnet and NV, g ~ 2)
NV_ZERO_FIELD = 2 * np.pi * 2.87e9  # NV ground-state zero-field splitting, rad / s

#: Material presets: saturation magnetisation Ms [A/m], exchange stiffness A_ex [J/m], source.
MATERIALS: dict[str, dict[str, Any]] = {
    "yig": {"Ms": 1.4e5, "A_ex": 3.7e-12,
            "source": "YIG: Ms = 1.4e5 A/m, A_ex = 3.7 pJ/m (MAGNON_MODEL.md §2.1; standard "
                      "values, e.g. Serga, Chumak, Hillebrands, J. Phys. D 43, 264002 (2010))"},
    "pma_garnet": {"Ms": 1.4e5, "A_ex": 3.7e-12,
                   "source": "YIG-like garnet with perpendicular anisotropy, e.g. Bi:YIG (Soumah "
                             "et al., Nat. Commun. 9, 3355 (2018), arXiv:1806.00658: PMA films "
                             "< 30 nm with alpha ~ 3e-4); Ms, A_ex assumed equal to YIG's"},
}


def nv_physical(params: Mapping[str, Any]) -> dict[str, Any]:
    """Convert ``hou2025-nv`` parameters to internal SI quantities (rad/s, m).

    Returns
    -------
    dict
        ``gap`` (eps0 = gamma (B0 - mu0 Ms + mu0 Hk)), ``stiffness`` (D = 2 gamma A_ex / Ms),
        ``alpha``, ``mu``, ``T`` (k_B T / hbar), ``delta`` (NV transition |D_zfs -+ gamma B0|),
        ``r``, ``thickness``, ``height``, ``P`` (coupling prefactor, m^2/s^2), ``omega_M``.
    """
    mat = MATERIALS[str(params["material"])]
    b0 = np.asarray(params["B0"], float) * 1e-3
    hk = np.asarray(params["Hk"], float) * 1e-3
    ms, aex = mat["Ms"], mat["A_ex"]
    d = np.asarray(params["thickness"], float) * 1e-9
    sign = -1.0 if params["transition"] == "minus" else 1.0
    out = {
        "gap": GAMMA_E * (b0 - MU0 * ms + hk),
        "stiffness": 2 * GAMMA_E * aex / ms * np.ones_like(b0),
        "alpha": np.asarray(params["alpha"], float),
        "mu": 2 * np.pi * 1e9 * np.asarray(params["mu"], float),
        "T": K_B / HBAR * 1e-3 * np.asarray(params["T"], float),
        "delta": np.abs(NV_ZERO_FIELD + sign * GAMMA_E * b0),
        "r": np.asarray(params["r"], float) * 1e-9,
        "thickness": d,
        "height": np.asarray(params["height"], float) * 1e-9,
        "P": GAMMA_E**2 * (MU0 / 4) ** 2 * GAMMA_E * HBAR * ms / d,
        "omega_M": GAMMA_E * MU0 * ms * np.ones_like(b0),
    }
    return out


def _nv_point_rates(q: Mapping[str, float]) -> dict[str, float]:
    """Local and cross rates and exchange of one NV pair (SI), by numerical Hankel transforms."""
    from ..baths.magnon import dipolar_form_factor, film_kernel

    def ff(k: np.ndarray) -> np.ndarray:
        return dipolar_form_factor(k, q["thickness"], q["height"])

    bath = {"eps0": q["gap"], "D": q["stiffness"], "alpha": q["alpha"], "mu": q["mu"]}
    kmax = 40.0 / max(q["height"], 1e-3 * q["thickness"])
    om = np.array([q["delta"], -q["delta"], 0.0])
    kern = {r_name: film_kernel(om, rr, form_factor=ff, k_max=kmax, **bath)
            for r_name, rr in (("loc", 0.0), ("crs", q["r"]))}
    reg = film_kernel(om, q["r"], form_factor=ff, k_max=kmax, quantity="re_green", **bath)
    mu, T, P = q["mu"], q["T"], q["P"]
    out: dict[str, float] = {}
    for name, k in kern.items():
        # eta = 1: co- and counter-rotating channels with equal weight P F(k)
        out[f"down_{name}"] = P * (k[0] * f_plus(om[0] - mu, T) + k[1] * f_minus(om[1] - mu, T))
        out[f"up_{name}"] = P * (k[0] * f_minus(om[0] - mu, T) + k[1] * f_plus(om[1] - mu, T))
        out[f"z_{name}"] = 0.5 * P * k[2] * (f_plus(-mu, T) + f_minus(-mu, T))
    out["J12"] = P * (reg[0] + reg[1])
    out["Jz"] = P * reg[2]
    return {k: float(v) for k, v in out.items()}


def build_nv(params: Mapping[str, Any]) -> Generator:
    """Generator of two NV centres above a film (``hou2025-nv``), partial-secular form.

    Rates from the dipolar stray-field kernel (§2.4): ``|g_c(k)|^2 = |g_n(k)|^2 = P F(k)``,
    ``|g_z(k)|^2 = P F(k) / 2`` with ``F(k) = (1 - e^{-k d})^2 e^{-2 k h}`` (eta = 1 exactly),
    ``P = gamma_NV^2 (mu0/4)^2 gamma hbar Ms / d``; plus the direct NV-NV dipolar coupling
    (``J_dd = mu0 hbar gamma^2 / (4 pi r^3)``: flip-flop ``-J_dd/2``, ``s^z s^z`` ``+J_dd/4``, for
    NV axes along the film normal).  Frame rotating at the NV transition frequency; rates in 1/s.
    """
    _check_nv(params)
    q_all = nv_physical(params)
    shape = np.broadcast_shapes(*(np.shape(v) for v in q_all.values()),
                                np.shape(params["gamma1"]), np.shape(params["gamma_phi"]))
    q_all = {k: np.broadcast_to(v, shape) for k, v in q_all.items()}
    keys = ("down_loc", "down_crs", "up_loc", "up_crs", "z_loc", "z_crs", "J12", "Jz")
    vals = {k: np.empty(shape) for k in keys}
    for idx in np.ndindex(shape):
        point = _nv_point_rates({k: float(v[idx]) for k, v in q_all.items()})
        for k in keys:
            vals[k][idx] = point[k]
    rates = {kind: _matrices(vals[f"{kind}_loc"], vals[f"{kind}_crs"])
             for kind in ("down", "up", "z")}
    j12, jz = vals["J12"], vals["Jz"]
    r = q_all["r"]
    j_dd = MU0 * HBAR * GAMMA_E**2 / (4 * np.pi * r**3)
    if params["dipole_dipole"]:
        j12, jz = j12 - j_dd / 2, jz + j_dd / 4
    q = {**{k: q_all[k] for k in ("gap", "mu", "alpha", "delta", "T")},
         "detuning": np.zeros(shape), "r": r,
         "gamma1": np.broadcast_to(np.asarray(params["gamma1"], float), shape),
         "gamma_phi": np.broadcast_to(np.asarray(params["gamma_phi"], float), shape)}
    o = _OPS
    H = _hamiltonian(q, j12, jz)
    jumps = (_collective_jumps(rates["down"], o["sm1"], o["sm2"])
             + _collective_jumps(rates["up"], o["sp1"], o["sp2"])
             + _collective_jumps(rates["z"], o["sz1"], o["sz2"]) + _intrinsic_jumps(q))
    jumps = [np.broadcast_to(j, (*shape, 4, 4)) for j in jumps]
    gen = liouvillian(np.broadcast_to(H, (*shape, 4, 4)), jumps, dims=(2, 2))
    validity = _validity(q, rates, j12)
    k_h = 1.0 / q_all["height"]
    validity["ellipticity"] = q_all["omega_M"] * k_h * q_all["thickness"] / 4 / (
        q_all["gap"] + q_all["stiffness"] * k_h**2)
    _warn_validity(validity)
    gen.info.update({
        "model": "hou2025-nv", "method": "partial", "frame": "rotating at the NV transition",
        "rates": rates, "J12": j12, "Jz": jz, "J_dipole_dipole": j_dd, "validity": validity,
        "degenerate": np.zeros(shape, bool), "at_contact": "raise",
        "units": "rates, J12, Jz in rad/s (1/s)",
        "gap_GHz": q_all["gap"] / (2 * np.pi * 1e9),
        "delta_GHz": q_all["delta"] / (2 * np.pi * 1e9),
        "material": MATERIALS[str(params["material"])]["source"],
    })
    return gen


def analyse_nv(state: Any, generator: Generator, params: Mapping[str, Any]) -> dict[str, Any]:
    """As :func:`analyse`, plus the magnon gap and NV frequency in GHz and the direct coupling."""
    from ..measures import concurrence

    rho = physical_state(state.rho)
    info = generator.info
    return json_ready({
        "concurrence": concurrence(rho), "populations": _populations(rho),
        "kernel_dim": state.kernel_dim, "residual": state.residual,
        "rates_per_s": {k: info["rates"][k] for k in ("down", "up", "z")},
        "J12_per_s": info["J12"], "Jz_per_s": info["Jz"],
        "J_dipole_dipole_per_s": info["J_dipole_dipole"], "validity": info["validity"],
        "magnon_gap_GHz": info["gap_GHz"], "nv_transition_GHz": info["delta_GHz"],
        "material": info["material"],
    })


def _check_nv(params: Mapping[str, Any]) -> None:
    q = nv_physical(params)
    if np.any(q["gap"] <= 0):
        raise InvalidInputError(
            "B0 - mu0 Ms + Hk must be > 0 (mT): the film is not magnetised along its normal "
            f"(magnon gap {np.min(q['gap']) / (2 * np.pi * 1e9):.3g} GHz); raise B0 or Hk")
    if np.any(q["mu"] >= q["gap"]):
        raise InvalidInputError(
            f"mu must be below the magnon gap eps0/2pi = {np.min(q['gap']) / 2e9 / np.pi:.4g} "
            "GHz (allowed range (-inf, gap)): beyond it the pumped magnet is unstable")
    if np.any(q["delta"] <= 0):
        raise InvalidInputError("B0 puts the NV transition at zero frequency (level crossing)")


NV_PARAMETERS = (
    Parameter("material", "pma_garnet", "", "film material preset", choices=tuple(MATERIALS)),
    Parameter("B0", 50.0, "mT", "bias field along the film normal and the NV axis", 0.0, None),
    Parameter("Hk", 180.0, "mT", "effective perpendicular anisotropy field mu0 Hk (0 for YIG)"),
    Parameter("alpha", 3e-4, "1", "Gilbert damping", 0.0, 1.0, low_inclusive=False),
    Parameter("mu", -5.0, "GHz", "magnon chemical potential mu/2pi (spin pumping), < gap"),
    Parameter("T", 10.0, "mK", "temperature", 0.0, None),
    Parameter("thickness", 20.0, "nm", "film thickness d", 0.0, None, low_inclusive=False),
    Parameter("height", 10.0, "nm", "NV height above the film h", 0.0, None,
              low_inclusive=False),
    Parameter("r", 10.0, "nm", "NV-NV distance (in plane)", 0.0, None, low_inclusive=False),
    Parameter("transition", "minus", "", "NV qubit 0 <-> -1 or 0 <-> +1",
              choices=("minus", "plus")),
    Parameter("gamma1", 0.0, "1/s", "intrinsic NV T1 rate", 0.0, None),
    Parameter("gamma_phi", 0.0, "1/s", "intrinsic NV pure-dephasing rate", 0.0, None),
    Parameter("dipole_dipole", True, "", "include the direct NV-NV dipolar coupling"),
)

NV_SPEC = register(ModelSpec(
    name="hou2025-nv",
    title="two NV centres above a spin-pumped garnet film (dipolar stray field, SI units)",
    family="magnon",
    reference=("V. Hou, E. Kleinherbers, S. P. Kelly, Y. Tserkovnyak, arXiv:2508.18131 (2025); "
               "model as reconstructed in MAGNON_MODEL.md §2.4, §4.4"),
    parameters=NV_PARAMETERS,
    build=build_nv,
    analyse=analyse_nv,
    check=_check_nv,
    doc=(build_nv.__doc__ or "") + "\nFeasibility: the off-resonant channels scale with alpha, so "
        "rates are tiny compared with intrinsic NV decoherence; the printed rates, J12 and "
        "validity ratios say how far from practical a parameter point is.",
))
