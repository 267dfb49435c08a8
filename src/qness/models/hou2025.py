"""Two qubits above a spin-pumped magnet: entanglement from a broken conservation law.

Reference: V. Hou, E. Kleinherbers, S. P. Kelly, Y. Tserkovnyak, "Breaking a conservation law
enables steady-state entanglement out of equilibrium", arXiv:2508.18131 (2025).  The concrete
model below is the reconstruction of ``shared/design/MAGNON_MODEL.md`` (derived, not the paper's
own equations):

* qubits ``H_S = sum_j Delta_j sigma_j^z / 2`` at distance ``r`` above (contact-coupled to) a
  ``d``-dimensional magnet with gap ``eps0``, stiffness ``D``, Gilbert damping ``alpha`` and magnon
  chemical potential ``mu`` (spin pumping), temperature ``T``;
* coupling (MAGNON_MODEL.md §2.4; :class:`qness.baths.magnon.MagnonCouplings`)::

      H_int = sum_j sigma_j^+ (g_c psi_j + g_n psi_j^dag) + h.c.
            + sigma_j^z [g_z (psi_j + psi_j^dag) + g_lz n_j] + (sigma_j^+ + sigma_j^-) g_l n_j,

  ``n = psi^dag psi``.  The co-rotating part ``g_c`` (charge +1) is a bath at chemical potential
  ``+mu``, the counter-rotating part ``g_n`` (charge -1) a bath at ``-mu``, the two-magnon part
  ``g_l`` (charge 0) a bath at chemical potential 0.  ``g_n = g_l = 0`` conserves
  ``N + sum sigma^z / 2`` and gives the product GGE state;
* the couplings are given (``coupling`` parameter) either directly (``direct``: ``g_c = g``,
  ``g_n = eta g``, ``g_z``, ``g_l``, ``g_lz``) or from a microscopic exchange: ``xy``
  (``J_x s_q^x s^x + J_y s_q^y s^y``, magnet spin density ``spin``) or ``tilted`` (isotropic
  exchange ``J`` with the qubit axis tilted by ``theta`` from the magnetisation, which switches on
  all five couplings); see :func:`qness.baths.magnon.xy_exchange_couplings`,
  :func:`qness.baths.magnon.tilted_exchange_couplings`;
* rate matrices at the mean qubit frequency (``S>``/``S<`` from :mod:`qness.baths.magnon`,
  ``S_nn`` the two-magnon spectrum :func:`qness.baths.magnon.two_magnon_spectrum`)::

      Gamma_down_jk = g_c^2 S>(Delta, r_jk) + g_n^2 S<(-Delta, r_jk) + g_l^2 S_nn(Delta, r_jk)
      Gamma_up_jk   = g_c^2 S<(Delta, r_jk) + g_n^2 S>(-Delta, r_jk) + g_l^2 S_nn(-Delta, r_jk)
      Gamma_z_jk    = g_z^2 [S>(0, r_jk) + S<(0, r_jk)] + g_lz^2 S_nn(0, r_jk)
      J12 = g_c^2 Re G^R(Delta, r) + g_n^2 Re G^R(-Delta, r),   Jz = 2 g_z^2 Re G^R(0, r)

  (``S_nn(-Delta) = exp(-Delta/T) S_nn(Delta)``: the two-magnon channel alone thermalises the
  qubits at ``T`` with chemical potential 0; its Lamb shift is neglected, MAGNON_MODEL.md §2.6);
* master equation (partial-secular / Lehmberg form, default) in the frame rotating at the mean
  qubit frequency::

      drho/dt = -i[H, rho] + sum_jk {Gamma_down_jk D[s_k^-, s_j^-] + Gamma_up_jk D[s_k^+, s_j^+]
                + Gamma_z_jk D[s_k^z, s_j^z]} rho + local T1 / T2 channels,
      H = (detuning / 4)(s_1^z - s_2^z) + J12 (s_1^+ s_2^- + h.c.) + Jz s_1^z s_2^z,

  with ``D[A, B] rho = A rho B^dag - {B^dag A, rho}/2``; or the fully secular Davies form
  (``method='davies'``): ``H`` diagonalised and each Bohr component of ``s^-``, ``s^+``, ``s^z``
  weighted by the spectra (every channel, the two-magnon one included) at its own frequency.

Provenance: only the abstract of arXiv:2508.18131 was accessible when this was written, so the
paper's own Hamiltonian, parameters and figures could not be compared; every formula here is the
MAGNON_MODEL.md derivation (tags [D] there).  Agreement with the abstract is qualitative: C = 0 for
a conserving coupling, channels at chemical potentials +mu and -mu, entanglement over finite
distances.  Not covered: magnets stabilised beyond mu = eps0 (inverted, spin-torque stabilised),
pairing (magnon-antimagnon) correlations, the two-magnon Lamb shift.

Units of the dimensionless model: every energy (``gap``, ``mu``, ``T``, ``delta``, couplings'
rates) in one unit (``gap = 1`` by default: units of eps0, hbar = k_B = 1); distances ``r`` in
``lambda0 = sqrt(D / eps0)``; one-magnon couplings ``g, g_z`` in energy x lambda0^(d/2) (rates
scale as ``g^2 alpha``), two-magnon couplings ``g_l, g_lz`` and exchange constants ``J_x, J_y,
J`` in energy x lambda0^d, the magnet's spin density ``spin`` in lambda0^-d.  The microscopic
defaults (``spin = 2e4``, ``J_x, J_y = 1.2e-4, 0.8e-4``, ``J = 1e-4``) reproduce the direct
defaults ``g_c = 0.01`` (``eta = 0.2`` for ``xy``).

Qubit basis (QuTiP order): index 0 = ``|e>``, so ``|ee>`` is index 0 and ``|gg>`` index 3;
``T0, S = (|eg> +- |ge>)/sqrt2``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..baths.magnon import (
    MagnonCouplings,
    check_magnon_parameters,
    f_minus,
    f_plus,
    green_retarded,
    reduced_spectral,
    tilted_exchange_couplings,
    two_magnon_spectrum,
    xy_exchange_couplings,
)
from ..errors import InvalidInputError
from ..master.generator import Generator, liouvillian
from ..operators import sigmam, sigmaz
from .base import ModelSpec, Parameter, json_ready
from .registry import register

__all__ = [
    "COUPLINGS",
    "SPEC",
    "ValidityWarning",
    "analyse",
    "build",
    "channel_rates",
    "couplings",
    "davies_jumps",
    "exchange",
    "gge_state",
    "physical_state",
    "rate_matrices",
    "ring_concurrence",
    "ring_populations",
    "ring_state",
    "solve",
    "steady_state",
    "two_magnon_rates",
    "two_qubit_operators",
    "validity_flags",
]

#: Relative size of the antisymmetric rates used to represent the r -> 0+ limit (``at_contact =
#: 'limit'``): the state differs from the exact limit by O(this).
CONTACT_LIMIT_EPS = 1e-7
#: Weak-coupling threshold of MAGNON_MODEL.md §3.3.
WEAK_COUPLING_LIMIT = 0.05
#: Ways to specify the qubit-magnet coupling and the parameters each one reads.
COUPLINGS: dict[str, tuple[str, ...]] = {
    "direct": ("g", "eta", "g_z", "g_l", "g_lz"),
    "xy": ("J_x", "J_y", "spin"),
    "tilted": ("J", "theta", "spin"),
}


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


def couplings(p: Mapping[str, Any]) -> MagnonCouplings:
    """The coupling constants of resolved parameters ``p`` (``p['coupling']``, default
    ``'direct'``): ``direct`` reads ``g`` (= ``g_c``), ``eta`` (``g_n = eta g``), ``g_z``,
    ``g_l``, ``g_lz`` (missing ones are 0); ``xy`` maps ``J_x, J_y, spin`` and ``tilted`` maps
    ``J, theta, spin`` (:mod:`qness.baths.magnon`)."""
    kind = p.get("coupling", "direct")
    if kind == "direct":
        g = np.asarray(p["g"], float)
        return MagnonCouplings(g_c=g, g_n=np.asarray(p["eta"], float) * g,
                               g_z=np.asarray(p.get("g_z", 0.0), float),
                               g_l=np.asarray(p.get("g_l", 0.0), float),
                               g_lz=np.asarray(p.get("g_lz", 0.0), float))
    if kind == "xy":
        return xy_exchange_couplings(p["J_x"], p["J_y"], p["spin"])
    if kind == "tilted":
        return tilted_exchange_couplings(p["J"], p["theta"], p["spin"])
    raise InvalidInputError(f"coupling must be one of {', '.join(COUPLINGS)}, got {kind!r}")


def two_magnon_rates(omega: Any, r: Any, *, g_l: Any, gap: Any, stiffness: Any, alpha: Any,
                     mu: Any, T: Any, dim: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """``(g_l^2 S_nn(omega, r), g_l^2 S_nn(-omega, r))`` of the charge-0 channel.

    ``S_nn`` is computed (vectorised quadrature) only where ``g_l != 0`` and at ``|omega|``; the
    other sign follows from detailed balance ``S_nn(-W) = exp(-W/T) S_nn(W)`` (exact; the ratio of
    two independent quadratures is checked in the bath tests), so ``up / down`` of this channel
    is exactly ``exp(-omega/T)``: a bath at chemical potential 0.
    """
    arrs = np.broadcast_arrays(*(np.asarray(a, float) for a in
                                 (omega, r, g_l, gap, stiffness, alpha, mu, T)))
    om, rr, gl, e0, dd, al, m, t = arrs
    down, up = np.zeros(om.shape), np.zeros(om.shape)
    act = gl != 0
    if not np.any(act):
        return down, up
    w = np.abs(om[act])
    # one quadrature per distinct bath point (coupling sweeps reuse the same spectra)
    rows = np.stack([w, rr[act], e0[act], dd[act], al[act], m[act], t[act]], axis=-1)
    uniq, inverse = np.unique(rows, axis=0, return_inverse=True)
    u_w, u_r, u_e0, u_d, u_al, u_mu, u_t = uniq.T
    s_pos = two_magnon_spectrum(u_w, u_r, eps0=u_e0, D=u_d, alpha=u_al, mu=u_mu, T=u_t,
                                dim=dim)[np.ravel(inverse)]
    hot = t[act] > 0
    with np.errstate(over="ignore"):
        boltz = np.where(hot, np.exp(-w / np.where(hot, t[act], 1.0)), np.where(w > 0, 0.0, 1.0))
    s_neg = boltz * s_pos
    g2 = gl[act] ** 2
    positive = om[act] >= 0
    down[act] = g2 * np.where(positive, s_pos, s_neg)
    up[act] = g2 * np.where(positive, s_neg, s_pos)
    return down, up


def channel_rates(omega: Any, r: Any, *, g_c: Any, g_n: Any, gap: Any, stiffness: Any,
                  alpha: Any, mu: Any, T: Any, dim: int = 2, g_l: Any = None
                  ) -> dict[str, np.ndarray]:
    """Decay / excitation rates of each charge channel for a transition at frequency ``omega``.

    Parameters
    ----------
    omega : array
        Transition (Bohr) frequency of the qubit lowering operator.
    r : array
        Distance between the two qubits' contact points in the stiffness length unit (``r = 0``
        gives the local rate).
    g_l : array, optional
        Two-magnon coupling; when given, the charge-0 channel is added.

    Returns
    -------
    dict
        ``c_down = g_c^2 S>(omega, r)``, ``c_up = g_c^2 S<(omega, r)`` (charge +1, chemical
        potential ``+mu``) and ``n_down = g_n^2 S<(-omega, r)``, ``n_up = g_n^2 S>(-omega, r)``
        (charge -1, chemical potential ``-mu``); with ``g_l``: ``l_down = g_l^2 S_nn(omega, r)``,
        ``l_up = g_l^2 S_nn(-omega, r)`` (charge 0).  ``up / down`` of channel q is exactly
        ``exp(-(omega - q mu) / T)``.
    """
    kw = {"eps0": gap, "D": stiffness, "alpha": alpha, "mu": mu, "dim": dim}
    check_magnon_parameters(gap, stiffness, alpha, mu, T)
    om = np.asarray(omega, float)
    at_p = reduced_spectral(om, r, **kw)
    at_m = reduced_spectral(-om, r, **kw)
    gc2, gn2 = np.asarray(g_c, float) ** 2, np.asarray(g_n, float) ** 2
    x_p, x_m = om - np.asarray(mu, float), -om - np.asarray(mu, float)
    out = {
        "c_down": gc2 * at_p * f_plus(x_p, T), "c_up": gc2 * at_p * f_minus(x_p, T),
        "n_down": gn2 * at_m * f_minus(x_m, T), "n_up": gn2 * at_m * f_plus(x_m, T),
    }
    if g_l is not None:
        out["l_down"], out["l_up"] = two_magnon_rates(
            om, r, g_l=g_l, gap=gap, stiffness=stiffness, alpha=alpha, mu=mu, T=T, dim=dim)
    return out


def _dephasing_rate(omega: Any, r: Any, p: Mapping[str, Any],
                    cp: MagnonCouplings | None = None) -> np.ndarray:
    """``Gamma_z(omega, r) = g_z^2 [S>(omega, r) + S<(-omega, r)] + g_lz^2 S_nn(omega, r)`` (the
    sigma^z component lowering the energy by ``omega``)."""
    cp = couplings(p) if cp is None else cp
    kw = _bath_kw(p)
    om = np.asarray(omega, float)
    mu = np.asarray(p["mu"], float)
    s_gt = reduced_spectral(om, r, **kw) * f_plus(om - mu, p["T"])
    s_lt = reduced_spectral(-om, r, **kw) * f_minus(-om - mu, p["T"])
    one = np.asarray(cp.g_z, float) ** 2 * (s_gt + s_lt)
    lz, _ = two_magnon_rates(om, r, g_l=cp.g_lz, gap=p["gap"], stiffness=p["stiffness"],
                             alpha=p["alpha"], mu=p["mu"], T=p["T"], dim=int(p["dim"]))
    return one + lz


def _matrices(local: np.ndarray, cross: np.ndarray) -> np.ndarray:
    """Symmetric 2 x 2 matrices ``[[local, cross], [cross, local]]`` with batch axes."""
    local, cross = np.broadcast_arrays(local, cross)
    return np.stack([np.stack([local, cross], -1), np.stack([cross, local], -1)], -2)


def rate_matrices(p: Mapping[str, Any], omega: Any = None) -> dict[str, np.ndarray]:
    """Rate matrices ``down, up, z`` (``(..., 2, 2)``) at ``omega`` (default: ``delta``),
    plus the per-channel entries for reporting (``channels``: ``c_*``, ``n_*``, ``l_*``).
    ``p`` holds resolved model parameters (the couplings are read by :func:`couplings`)."""
    om = np.asarray(p["delta"] if omega is None else omega, float)
    r = _internal_distance(p)
    cp = couplings(p)
    common = {"g_c": cp.g_c, "g_n": cp.g_n, "g_l": cp.g_l, "gap": p["gap"],
              "stiffness": p["stiffness"], "alpha": p["alpha"], "mu": p["mu"], "T": p["T"],
              "dim": int(p["dim"])}
    loc = channel_rates(om, 0.0 * r, **common)
    crs = channel_rates(om, r, **common)
    down = _matrices(loc["c_down"] + loc["n_down"] + loc["l_down"],
                     crs["c_down"] + crs["n_down"] + crs["l_down"])
    up = _matrices(loc["c_up"] + loc["n_up"] + loc["l_up"],
                   crs["c_up"] + crs["n_up"] + crs["l_up"])
    zz = _matrices(_dephasing_rate(0.0 * om, 0.0 * r, p, cp), _dephasing_rate(0.0 * om, r, p, cp))
    channels = {k: _matrices(loc[k], crs[k]) for k in loc}
    return {"down": down, "up": up, "z": zz, "channels": channels}


def exchange(p: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Bath-mediated couplings ``(J12, Jz)`` (energy unit).

    ``J12 = g_c^2 Re G^R(Delta, r) + g_n^2 Re G^R(-Delta, r)``, ``Jz = 2 g_z^2 Re G^R(0, r)``
    (the two-magnon channel's coherent part is neglected, MAGNON_MODEL.md §2.6).  At ``r = 0`` in
    ``d = 2, 3`` both diverge (contact); they are then set to 0 (they commute with the
    populations of identical qubits, and the state there is the r -> 0+ limit or rho0-dependent
    anyway).
    """
    kw = _bath_kw(p)
    r = _internal_distance(p)
    cp = couplings(p)
    gc2 = np.asarray(cp.g_c, float) ** 2
    gn2 = np.asarray(cp.g_n, float) ** 2
    gz2 = np.asarray(cp.g_z, float) ** 2
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
_SCALAR_PARAMETERS = ("method", "at_contact", "dim", "lamb_shift", "coupling")


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
    The one-magnon channels only: the two-magnon couplings ``g_l, g_lz`` must vanish there.
    """
    dim = int(p["dim"])
    mu, T = np.asarray(p["mu"], float), p["T"]
    om = np.asarray(p["delta"], float)
    cp = couplings(p)

    def coeff(w: np.ndarray) -> np.ndarray:
        if dim > 1:
            return np.ones_like(w)
        D, eps0, al = (np.asarray(p[k], float) for k in ("stiffness", "gap", "alpha"))
        q = np.sqrt(((eps0 - w) - 1j * al * (w - mu)) / D)
        small = np.abs(al * (w - mu)) <= 1e-7 * np.abs(eps0 - w)
        ws = np.where(small, 1.0, w - mu)
        return np.where(small, al / (4 * D**2 * q.real), -q.imag / (2 * D * ws))

    gc2, gn2, gz2 = (np.asarray(g, float) ** 2 for g in (cp.g_c, cp.g_n, cp.g_z))
    cp_, cm, c0 = coeff(om), coeff(-om), coeff(0 * om)
    a_down = gc2 * cp_ * f_plus(om - mu, T) + gn2 * cm * f_minus(-om - mu, T)
    a_up = gc2 * cp_ * f_minus(om - mu, T) + gn2 * cm * f_plus(-om - mu, T)
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
        per-``channels``), ``couplings`` (:class:`~qness.baths.magnon.MagnonCouplings`),
        ``J12``, ``Jz``, ``validity`` ratios, ``degenerate`` (r = 0 mask) and, for
        ``at_contact`` in ``('gg', 'singlet')``, the initial state ``rho0``.
    """
    _check_cross(params)
    p, shape = _broadcast_params(params)
    cp = couplings(p)
    rates = rate_matrices(p)
    j12, jz = exchange(p)
    degenerate = _degenerate_mask(p)
    used = {k: rates[k] for k in ("down", "up", "z")}
    if p["at_contact"] == "limit" and np.any(degenerate):
        if p["method"] != "partial":
            raise InvalidInputError("at_contact='limit' (r -> 0+) needs method='partial'; with "
                                    "method='davies' use r > 0")
        if np.any(np.asarray(cp.g_l) != 0) or np.any(np.asarray(cp.g_lz) != 0):
            raise InvalidInputError("at_contact='limit' (r -> 0+) is available for the "
                                    "one-magnon couplings only (g_l = g_lz = 0); use r > 0")
        lim = _contact_limit_rates(p, rates)
        used = {k: np.where(degenerate[..., None, None], lim[k], used[k]) for k in used}
    o = _OPS
    H = _hamiltonian(p, j12, jz)
    if p["method"] == "partial":
        jumps = (_collective_jumps(used["down"], o["sm1"], o["sm2"])
                 + _collective_jumps(used["up"], o["sp1"], o["sp2"])
                 + (_collective_jumps(used["z"], o["sz1"], o["sz2"])
                    if np.any(used["z"] != 0) else []))
    else:
        jumps = davies_jumps(H, _contact_spectra(p, cp))
    jumps += _intrinsic_jumps(p)
    jumps = [np.broadcast_to(j, (*shape, 4, 4)) for j in jumps]
    gen = liouvillian(np.broadcast_to(H, (*shape, 4, 4)), jumps, dims=(2, 2))
    validity = _validity(p, rates, j12)
    _warn_validity(validity)
    gen.info.update({
        "model": "hou2025", "method": p["method"], "frame": "rotating at delta",
        "rates": used, "channels": rates["channels"], "couplings": cp, "J12": j12, "Jz": jz,
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
            "equation is not reliable there (reduce the coupling or move the qubit frequency "
            "away from the magnon gap)", ValidityWarning, stacklevel=3)


#: Thresholds above which :func:`validity_flags` reports a validity ratio.
FLAG_LIMITS: dict[str, tuple[float, str]] = {
    "weak_coupling": (WEAK_COUPLING_LIMIT, "weak coupling / Markov: max(|J12|, Gamma) / "
                      "|gap - delta| is not small"),
    "rotating_wave": (WEAK_COUPLING_LIMIT, "rotating-wave: max(|J12|, Gamma) / delta is not "
                      "small"),
    "antisymmetric_precision": (1e-6, "Gamma_11 - Gamma_12 lost to rounding (r << lambda0)"),
    "detuning_over_coupling": (0.2, "near-identical qubits: |detuning| is not small against "
                               "max(|J12|, Gamma); the singlet is not protected"),
    "alpha": (0.1, "Gilbert damping alpha is not small"),
    "ellipticity": (0.2, "thin-film (circular magnon) approximation: omega_M k d / 4 eps_k is "
                    "not small at k = 1/h"),
}


def validity_flags(validity: Mapping[str, Any]) -> list[str]:
    """Human-readable flags for every validity ratio above its limit (:data:`FLAG_LIMITS`), with
    the largest value and the number of batch points concerned; empty when all are fine."""
    flags = []
    for key, (limit, text) in FLAG_LIMITS.items():
        if key not in validity:
            continue
        val = np.asarray(validity[key], float)
        bad = val > limit
        if np.any(bad):
            flags.append(f"{key} = {np.max(val[bad]):.3g} > {limit:g} at {int(np.sum(bad))} "
                         f"point(s): {text}")
    return flags


# ----------------------------------------------------------------------------- Davies
#: ``spectra(kind, w)`` -> 2 x 2 rate matrix for a Bohr component at rotating-frame frequency
#: ``w`` (``kind`` in ``down``, ``up``, ``z``), or None when that channel is absent.
Spectra = Callable[[str, float], "np.ndarray | None"]


def davies_jumps(H: np.ndarray, spectra: Callable[[int], Spectra]) -> list[np.ndarray]:
    """Fully secular (Davies) jump operators of a batch, padded to a common count.

    Parameters
    ----------
    H : (..., 4, 4) array
        Rotating-frame Hamiltonians.
    spectra : callable
        ``spectra(i)`` returns the spectral function of flat batch point ``i``: ``f(kind, w)``
        with ``kind`` in ``('down', 'up', 'z')`` gives the 2 x 2 rate matrix for the Bohr
        component of ``s_j^-`` (``down``), ``s_j^+`` (``up``) or ``s_j^z`` (``z``) that lowers
        (``down``, ``z``) or raises (``up``) the rotating-frame energy by ``w``; ``None`` for an
        absent channel.
    """
    shape = H.shape[:-2]
    flat_h = H.reshape(-1, 4, 4)
    per_point = [_davies_point(flat_h[i], spectra(i)) for i in range(flat_h.shape[0])]
    n = max((len(j) for j in per_point), default=0)
    out = np.zeros((n, flat_h.shape[0], 4, 4), dtype=complex)
    for i, js in enumerate(per_point):
        for k, j in enumerate(js):
            out[k, i] = j
    return [out[k].reshape(*shape, 4, 4) for k in range(n)]


def _contact_spectra(p: Mapping[str, Any], cp: MagnonCouplings) -> Callable[[int], Spectra]:
    """Per-point spectra of the contact model for :func:`davies_jumps`: a component of ``s_j^-``
    lowering the rotating energy by ``w`` lowers the lab energy by ``delta + w`` and is
    weighted by every channel's spectra there."""
    shape = np.shape(p["delta"])
    flat = {k: (np.broadcast_to(np.asarray(v, float), shape).reshape(-1)
                if k not in _SCALAR_PARAMETERS and k != "coupling" else v)
            for k, v in p.items() if k not in ("coupling",)}
    cflat = {k: np.broadcast_to(np.asarray(v, float), shape).reshape(-1)
             for k, v in cp.as_dict().items() if k != "eta"}
    r_all = np.broadcast_to(_internal_distance(p), shape).reshape(-1)

    def point(i: int) -> Spectra:
        pi = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in flat.items()}
        ci = MagnonCouplings(**{k: float(v[i]) for k, v in cflat.items()})
        r, delta = float(r_all[i]), float(pi["delta"])
        common = {"g_c": ci.g_c, "g_n": ci.g_n, "g_l": ci.g_l, "gap": pi["gap"],
                  "stiffness": pi["stiffness"], "alpha": pi["alpha"], "mu": pi["mu"],
                  "T": pi["T"], "dim": int(pi["dim"])}
        dephasing = ci.g_z != 0 or ci.g_lz != 0

        def spectra(kind: str, w: float) -> np.ndarray | None:
            if kind == "z":
                if not dephasing:
                    return None
                return _matrices(_dephasing_rate(w, 0.0, pi, ci), _dephasing_rate(w, r, pi, ci))
            loc = channel_rates(delta + w, 0.0, **common)
            crs = channel_rates(delta + w, r, **common)
            keys = ("c_down", "n_down", "l_down") if kind == "down" else ("c_up", "n_up", "l_up")
            return _matrices(sum(loc[k] for k in keys), sum(crs[k] for k in keys))

        return spectra

    return point


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


def _grouped(comps: list[tuple[list[tuple[float, np.ndarray]], ...]], tol: float):
    """Yield ``(w, [A_1(w), A_2(w)])`` over the union of the Bohr frequencies of both qubits."""
    c1, c2 = comps
    for w in sorted({w for w, _ in c1 + c2}):
        a1 = sum((m for ww, m in c1 if abs(ww - w) <= tol), np.zeros((4, 4), complex))
        a2 = sum((m for ww, m in c2 if abs(ww - w) <= tol), np.zeros((4, 4), complex))
        yield w, [a1, a2]


def _davies_point(H: np.ndarray, spectra: Spectra) -> list[np.ndarray]:
    E, V = np.linalg.eigh(H)
    tol = 1e-9 * max(float(np.max(np.abs(E))), 1e-300) + 1e-300
    o = _OPS
    jumps: list[np.ndarray] = []
    lowering = [_bohr_components(o[a], E, V, tol) for a in ("sm1", "sm2")]
    for w, (a1, a2) in _grouped(lowering, tol):
        down, up = spectra("down", w), spectra("up", w)
        jumps += _general_jumps(down, [a1, a2]) + _general_jumps(
            up, [a1.conj().T, a2.conj().T])
    if spectra("z", 0.0) is not None:
        dephasing = [_bohr_components(o[a], E, V, tol) for a in ("sz1", "sz2")]
        for w, ops in _grouped(dephasing, tol):
            jumps += _general_jumps(spectra("z", w), ops)
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
    rate matrices, J12, Jz, the coupling constants (``g_c, g_n, g_z, g_l, g_lz, eta``), validity
    ratios with ``flags`` (those above their limits) and the analytic ring-solution concurrence
    (for identical qubits with the partial-secular form)."""
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
        "couplings": _batch_couplings(info["couplings"], np.shape(info["J12"])),
        "validity": info["validity"],
        "flags": validity_flags(info["validity"]),
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


def _batch_couplings(cp: MagnonCouplings, shape: tuple[int, ...]) -> dict[str, np.ndarray]:
    return {k: np.broadcast_to(np.asarray(v, float), shape) for k, v in cp.as_dict().items()}


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


def _check_coupling_parameters(params: Mapping[str, Any]) -> None:
    """A coupling parameter of another coupling choice must keep its default (it is not read)."""
    kind = params.get("coupling", "direct")
    if np.ndim(kind) != 0:
        raise InvalidInputError(f"parameter 'coupling' must be a scalar (not swept), got {kind!r}")
    if kind not in COUPLINGS:
        raise InvalidInputError(f"coupling must be one of {', '.join(COUPLINGS)}, got {kind!r}")
    defaults = {p.name: p.default for p in PARAMETERS}
    for other, names in COUPLINGS.items():
        for name in names:
            if other == kind or name in COUPLINGS[kind] or name not in params:
                continue
            if np.any(np.asarray(params[name], float) != defaults[name]):
                users = [k for k, v in COUPLINGS.items() if name in v]
                raise InvalidInputError(
                    f"parameter {name!r} is read only with coupling = {' or '.join(users)}, "
                    f"but coupling = {kind!r} (it would be ignored); set coupling or leave "
                    f"{name!r} at its default")


def _check_cross(params: Mapping[str, Any]) -> None:
    check_magnon_parameters(params["gap"], params["stiffness"], params["alpha"], params["mu"],
                            params["T"])
    _check_coupling_parameters(params)
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
    Parameter("eta", 0.2, "1", "anisotropy g_n / g_c (0: conserving; direct)", 0.0, None),
    Parameter("g", 0.01, "energy x lambda0^(d/2)", "co-rotating coupling g_c (direct)", 0.0,
              None),
    Parameter("r", 0.5, "lambda0 = sqrt(D/gap)", "qubit distance", 0.0, None),
    Parameter("method", "partial", "", "master equation: partial-secular or Davies",
              choices=("partial", "davies")),
    Parameter("g_z", 0.0, "energy x lambda0^(d/2)", "longitudinal (dephasing) coupling "
              "(direct)", 0.0, None),
    Parameter("gamma1", 0.0, "energy unit", "intrinsic local T1 rate (lattice at T, mu = 0)",
              0.0, None),
    Parameter("gamma_phi", 0.0, "energy unit", "intrinsic local pure-dephasing rate", 0.0, None),
    Parameter("detuning", 0.0, "energy unit", "qubit detuning Delta_1 - Delta_2"),
    Parameter("lamb_shift", True, "", "include the bath-induced coherent couplings J12, Jz"),
    Parameter("at_contact", "raise", "", "r = 0 (degenerate kernel): raise, r->0+ limit, or "
              "state reached from |gg> / singlet", choices=("raise", "limit", "gg", "singlet")),
    Parameter("coupling", "direct", "", "how the couplings are given: direct (g, eta, g_z, "
              "g_l, g_lz), xy exchange (J_x, J_y, spin) or tilted exchange (J, theta, spin)",
              choices=tuple(COUPLINGS)),
    Parameter("g_l", 0.0, "energy x lambda0^d", "two-magnon coupling (charge 0; direct)"),
    Parameter("g_lz", 0.0, "energy x lambda0^d", "two-magnon dephasing coupling (direct)"),
    Parameter("J_x", 1.2e-4, "energy x lambda0^d", "XY exchange J_x (coupling=xy)"),
    Parameter("J_y", 0.8e-4, "energy x lambda0^d", "XY exchange J_y (coupling=xy)"),
    Parameter("J", 1e-4, "energy x lambda0^d", "isotropic exchange (coupling=tilted)"),
    Parameter("theta", 0.6, "rad", "tilt of the qubit axis from the magnetisation "
              "(coupling=tilted)", 0.0, float(np.pi)),
    Parameter("spin", 2e4, "lambda0^-d", "spin density s of the magnet (coupling=xy, tilted)",
              0.0, None, low_inclusive=False),
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


