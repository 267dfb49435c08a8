"""An array of N qubits above a spin-pumped magnet: pairwise entanglement map.

The N-qubit version of :mod:`qness.models.hou2025` (MAGNON_MODEL.md §1.5, §2.3-2.6, §3.1): N
identical qubits at positions ``r_j`` on a line (spacing ``a``) or a square grid (lattice
constant ``a``, filled row by row), contact-coupled to the same magnon bath.  Every 2 x 2 matrix
of the two-qubit model becomes an N x N matrix with entries evaluated at ``|r_j - r_k|``::

    Gamma_down_jk = g_c^2 S>(Delta, r_jk) + g_n^2 S<(-Delta, r_jk)
    Gamma_up_jk   = g_c^2 S<(Delta, r_jk) + g_n^2 S>(-Delta, r_jk)
    Gamma_z_jk    = g_z^2 [S>(0, r_jk) + S<(0, r_jk)]
    J_jk  = g_c^2 Re G^R(Delta, r_jk) + g_n^2 Re G^R(-Delta, r_jk)
    Jz_jk = 2 g_z^2 Re G^R(0, r_jk)

(``g_c = g``, ``g_n = eta g``; the entries are those of :func:`qness.models.hou2025.rate_matrices`
and :func:`qness.models.hou2025.exchange`).  Partial-secular (Lehmberg) master equation in the
frame rotating at ``delta``::

    drho/dt = -i[H, rho] + sum_jk {Gamma_down_jk D[s_k^-, s_j^-] + Gamma_up_jk D[s_k^+, s_j^+]
              + Gamma_z_jk D[s_k^z, s_j^z]} rho,
    H = sum_{j<k} [J_jk (s_j^+ s_k^- + h.c.) + Jz_jk s_j^z s_k^z],

with ``D[A, B] rho = A rho B^dag - {B^dag A, rho}/2``; the rate matrices are checked to be positive
semidefinite and passed to :func:`qness.liouvillian` as correlated dissipators.  Local Lamb shifts
(``r_jj = 0``) are absorbed into ``delta``.

Units: every energy in one unit (``gap = 1``: units of eps0, hbar = k_B = 1); distances (``a``) in
``lambda0 = sqrt(D / eps0)``; ``g`` in energy x lambda0^(d/2).  Qubit basis and tensor order as
QuTiP (qubit 0 leftmost, index 0 = ``|e>``).  Parameters are scalars (no batched sweeps: the
Hilbert space has dimension ``2**N``).

Regime: ``|J_jk| ~ g^2 Re G^R`` exceeds the correlated rates ``~ g^2 Im G^R`` by ``~1/alpha`` (about
3e3 at the defaults); the steady state is then diagonal in the exchange eigenmodes, and the
pairwise map follows which dark modes are filled: for N = 3 at small spacing the outer pair can be
more entangled than neighbours, and for N >= 4 pairs are separable while every bipartition stays
entangled (``docs/scaling.md``, ``examples/scaling_magnon_array.py``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..baths.magnon import check_magnon_parameters
from ..errors import InvalidInputError
from ..master.generator import Generator, liouvillian
from ..operators import sigmam, sigmaz
from ..space import Space
from .base import ModelSpec, Parameter, json_ready
from .hou2025 import PARAMETERS as TWO_QUBIT_PARAMETERS
from .hou2025 import WEAK_COUPLING_LIMIT, ValidityWarning, exchange, rate_matrices
from .registry import register

__all__ = [
    "SPEC",
    "analyse",
    "array_rates",
    "build",
    "build_at",
    "gge_product_state",
    "positions",
    "site_distances",
    "solve",
]

#: Largest number of qubits accepted (the iterative steady-state solver's practical limit).
MAX_QUBITS = 10
GEOMETRIES = ("line", "grid")


# ----------------------------------------------------------------------------- geometry
def positions(N: int, a: float, geometry: str = "line") -> np.ndarray:
    """Site coordinates ``(N, 2)`` in units of lambda0.

    ``line``: ``r_j = (j a, 0)``.  ``grid``: square lattice with ``ceil(sqrt(N))`` columns,
    filled row by row, ``r_j = a (j mod ncol, j div ncol)`` (N = 4 is a 2 x 2 plaquette).
    """
    if not isinstance(N, (int, np.integer)) or N < 2:
        raise InvalidInputError(f"N (number of qubits) must be an integer >= 2, got {N!r}")
    if not np.isfinite(a) or a <= 0:
        raise InvalidInputError(f"a (site spacing) must be in (0, inf) lambda0, got {a!r}")
    if geometry not in GEOMETRIES:
        raise InvalidInputError(f"geometry must be one of {GEOMETRIES}, got {geometry!r}")
    j = np.arange(int(N))
    if geometry == "line":
        return float(a) * np.stack([j, np.zeros_like(j)], -1).astype(float)
    ncol = math.ceil(math.sqrt(int(N)))
    return float(a) * np.stack([j % ncol, j // ncol], -1).astype(float)


def site_distances(pos: np.ndarray) -> np.ndarray:
    """Distance matrix ``|r_j - r_k|`` ``(N, N)`` of site coordinates ``(N, 2)``."""
    pos = np.asarray(pos, float)
    return np.linalg.norm(pos[:, None, :] - pos[None, :, :], axis=-1)


# ----------------------------------------------------------------------------- rates
def _pair_params(params: Mapping[str, Any], r: np.ndarray) -> dict[str, Any]:
    """Parameters in the form :mod:`qness.models.hou2025` expects, with distance(s) ``r``."""
    keys = ("gap", "stiffness", "alpha", "mu", "T", "dim", "delta", "eta", "g", "g_z",
            "lamb_shift")
    return {**{k: params[k] for k in keys}, "r": r}


def array_rates(params: Mapping[str, Any], dist: np.ndarray) -> dict[str, np.ndarray]:
    """N x N rate and coupling matrices for the distance matrix ``dist`` (lambda0 units).

    Returns
    -------
    dict
        ``down``, ``up``, ``z`` (real symmetric, entries ``Gamma(delta, dist_jk)``; the diagonal
        is the local rate), ``J``, ``Jz`` (zero diagonal: local Lamb shifts are absorbed into
        ``delta``), and per-channel matrices ``channels`` (``c_down``, ``c_up``, ``n_down``,
        ``n_up``).  Raises :class:`InvalidInputError` if a rate matrix is not PSD.
    """
    dist = np.asarray(dist, float)
    p = _pair_params(params, dist)
    rm = rate_matrices(p)  # entries [..., 0, 1] are the rates at distance dist (local at 0)
    j, jz = exchange(p)
    off = ~np.eye(dist.shape[-1], dtype=bool)
    out = {k: 0.5 * (rm[k][..., 0, 1] + rm[k][..., 0, 1].T) for k in ("down", "up", "z")}
    out["channels"] = {k: v[..., 0, 1] for k, v in rm["channels"].items()}
    out["J"] = np.where(off, j, 0.0)
    out["Jz"] = np.where(off, jz, 0.0)
    for k in ("down", "up", "z"):
        _check_rate_psd(out[k], k)
    return out


def _check_rate_psd(matrix: np.ndarray, name: str) -> None:
    ev = np.linalg.eigvalsh(matrix)
    scale = max(float(np.max(np.abs(ev), initial=0.0)), 1e-300)
    if ev[0] < -1e-10 * scale:
        raise InvalidInputError(
            f"rate matrix Gamma_{name} is not positive semidefinite (smallest eigenvalue "
            f"{ev[0]:.3g}, largest {ev[-1]:.3g}): the spectral kernel is unphysical")


# ----------------------------------------------------------------------------- build
def _site_operators(n: int) -> tuple[Space, dict[str, list[Any]]]:
    space = Space.qubits(n)
    sm = [space.embed(sigmam(), j) for j in range(n)]
    ops = {"sm": sm, "sp": [o.conj().T.tocsr() for o in sm],
           "sz": [space.embed(sigmaz(), j) for j in range(n)]}
    return space, ops


def _hamiltonian(ops: Mapping[str, list[Any]], J: np.ndarray, Jz: np.ndarray) -> Any:
    """``sum_{j<k} J_jk (s_j^+ s_k^- + h.c.) + Jz_jk s_j^z s_k^z`` (sparse)."""
    n = len(ops["sm"])
    H = 0 * ops["sz"][0]
    for j in range(n):
        for k in range(j + 1, n):
            flip = ops["sp"][j] @ ops["sm"][k]
            H = H + J[j, k] * (flip + flip.conj().T) + Jz[j, k] * (ops["sz"][j] @ ops["sz"][k])
    return H.tocsr()


def _validity(params: Mapping[str, Any], rates: Mapping[str, np.ndarray]) -> dict[str, float]:
    gmax = max(float(np.max(np.abs(rates[k]))) for k in ("down", "up", "z"))
    scale = max(float(np.max(np.abs(rates["J"]))), gmax)
    gap, delta = float(params["gap"]), float(params["delta"])
    total = rates["down"] + rates["up"]
    ev = np.linalg.eigvalsh(total)
    return {
        "weak_coupling": scale / abs(gap - delta) if gap != delta else math.inf,
        "rotating_wave": scale / delta,
        "stability_margin": (gap - float(params["mu"])) / gap,
        "alpha": float(params["alpha"]),
        # smallest / largest eigenvalue of Gamma_down + Gamma_up: near 0 the array is close to the
        # perfectly correlated (degenerate-kernel) limit and the solve is ill-conditioned
        "rate_conditioning": float(ev[0] / max(ev[-1], 1e-300)),
    }


def build(params: Mapping[str, Any]) -> Generator:
    """Generator of the N-qubit array (partial-secular form, frame rotating at ``delta``).

    Parameters
    ----------
    params : mapping
        Resolved scalar parameters (see ``SPEC.parameters``).

    Returns
    -------
    Generator
        On ``N`` qubits (dims ``(2,) * N``, sparse); ``info`` holds ``positions``,
        ``distances``, ``rates`` (``down``, ``up``, ``z``, ``channels``), ``J``, ``Jz`` and
        ``validity`` ratios.
    """
    _check_cross(params)
    pos = positions(int(params["N"]), float(params["a"]), str(params["geometry"]))
    return build_at(params, pos)


def build_at(params: Mapping[str, Any], pos: Any) -> Generator:
    """As :func:`build`, for qubits at arbitrary in-plane positions ``pos`` ``(n, 2)`` (lambda0).

    ``params['N']``, ``a`` and ``geometry`` are ignored; the bath parameters are checked.
    """
    pos = np.asarray(pos, float)
    if pos.ndim != 2 or pos.shape[0] < 2 or pos.shape[1] != 2 or not np.all(np.isfinite(pos)):
        raise InvalidInputError(f"pos must be a finite (n, 2) array with n >= 2, got shape "
                                f"{pos.shape}")
    _check_bath(params)
    n = pos.shape[0]
    dist = site_distances(pos)
    if np.any(dist[~np.eye(n, dtype=bool)] <= 0):
        raise InvalidInputError("pos: two qubits share a position (distance 0 gives a "
                                "degenerate kernel); use distinct sites")
    rates = array_rates(params, dist)
    _, ops = _site_operators(n)
    H = _hamiltonian(ops, rates["J"], rates["Jz"])
    correlated = [(rates["down"], ops["sm"]), (rates["up"], ops["sp"])]
    if float(params["g_z"]) > 0:
        correlated.append((rates["z"], ops["sz"]))
    gen = liouvillian(H, correlated=correlated, dims=(2,) * n)
    validity = _validity(params, rates)
    if validity["weak_coupling"] > WEAK_COUPLING_LIMIT:
        warnings.warn(
            f"weak-coupling ratio max(|J|, Gamma)/|gap - delta| = {validity['weak_coupling']:.3g}"
            f" > {WEAK_COUPLING_LIMIT}: the Markovian master equation is not reliable (reduce g "
            "or move delta away from the gap)", ValidityWarning, stacklevel=2)
    gen.info.update({
        "model": "hou2025-array", "method": "partial", "frame": "rotating at delta",
        "positions": pos, "distances": dist, "rates": rates, "J": rates["J"],
        "Jz": rates["Jz"], "validity": validity,
    })
    return gen


# ----------------------------------------------------------------------------- analyse / solve
def gge_product_state(N: int, delta: float, mu_eff: float, T: float) -> np.ndarray:
    """Product GGE ``exp[-(delta - mu_eff) sum_j s_j^z / 2T] / Z`` of ``N`` qubits (QuTiP order).

    ``T = 0`` gives all-ground for ``delta > mu_eff`` and all-excited for ``delta < mu_eff``.
    """
    x = float(delta) - float(mu_eff)
    if T > 0:
        pe = 0.5 * (1 - math.tanh(x / (2 * T)))
    else:
        pe = 0.0 if x > 0 else (1.0 if x < 0 else 0.5)
    single = np.diag([pe, 1 - pe]).astype(complex)
    rho = np.ones((1, 1), complex)
    for _ in range(int(N)):
        rho = np.kron(rho, single)
    return rho


def _nearest_neighbour(cmap: np.ndarray, dist: np.ndarray) -> dict[str, Any]:
    off = ~np.eye(len(dist), dtype=bool)
    dmin = float(np.min(dist[off]))
    sel = off & np.isclose(dist, dmin, rtol=1e-9) & np.triu(np.ones_like(off), 1)
    pairs = [(int(j), int(k)) for j, k in zip(*np.nonzero(sel), strict=True)]
    vals = [float(cmap[j, k]) for j, k in pairs]
    return {"distance": dmin, "pairs": pairs, "values": vals, "mean": float(np.mean(vals))}


def analyse(state: Any, generator: Generator, params: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-ready results: pairwise concurrence map (N x N), its maximum and the pair reaching
    it (``None`` when every pair is separable), the nearest-neighbour concurrences, excited
    populations per site, kernel dimension, residual, rate and coupling matrices, validity ratios
    and the site positions."""
    from ..measures import pairwise_concurrence
    from .hou2025 import physical_state

    n = len(generator.info["positions"])
    rho = physical_state(np.asarray(state.rho))
    cmap = np.asarray(pairwise_concurrence(rho, (2,) * n), float)
    upper = np.triu_indices(n, 1)
    best = int(np.argmax(cmap[upper]))
    info = generator.info
    _, ops = _site_operators(n)
    diag = np.real(np.diagonal(rho))
    p_exc = [float(0.5 * (1 + ops["sz"][j].diagonal().real @ diag)) for j in range(n)]
    return json_ready({
        "pairwise_concurrence": cmap,
        "max_concurrence": float(cmap[upper][best]),
        "max_pair": ((int(upper[0][best]), int(upper[1][best]))
                     if cmap[upper][best] > 0 else None),
        "nearest_neighbour": _nearest_neighbour(cmap, info["distances"]),
        "excited_population": p_exc,
        "kernel_dim": state.kernel_dim,
        "residual": state.residual,
        "solver": getattr(state, "method", None),
        "rates": {k: info["rates"][k] for k in ("down", "up", "z")},
        "J": info["J"], "Jz": info["Jz"],
        "validity": info["validity"],
        "positions": info["positions"], "distances": info["distances"],
        "frame": info["frame"], "method": info["method"],
    })


def solve(params: Mapping[str, Any] | None = None, **overrides: Any
          ) -> tuple[Any, Generator, dict[str, Any]]:
    """Resolve parameters, build and solve with :func:`qness.steadystate`.

    Returns
    -------
    (SteadyState, Generator, params)
    """
    from ..steady import steadystate

    p = SPEC.resolve({**(params or {}), **overrides})
    gen = build(p)
    return steadystate(gen), gen, p


def _check_cross(params: Mapping[str, Any]) -> None:
    for k, v in params.items():
        if np.ndim(v) != 0:
            raise InvalidInputError(f"parameter {k!r} must be a scalar for hou2025-array (no "
                                    f"batched sweeps), got shape {np.shape(v)}")
    n = params["N"]
    if not isinstance(n, (int, np.integer)) or not 2 <= n <= MAX_QUBITS:
        raise InvalidInputError(f"parameter 'N' (number of qubits) must be an integer in "
                                f"[2, {MAX_QUBITS}], got {n!r}")
    a = float(params["a"])
    if not np.isfinite(a) or a <= 0:
        raise InvalidInputError(f"parameter 'a' (site spacing) must be in (0, inf) lambda0, "
                                f"got {a!r}")
    if params["geometry"] not in GEOMETRIES:
        raise InvalidInputError(f"parameter 'geometry' must be one of {GEOMETRIES}, got "
                                f"{params['geometry']!r}")
    _check_bath(params)


def _check_bath(params: Mapping[str, Any]) -> None:
    check_magnon_parameters(params["gap"], params["stiffness"], params["alpha"], params["mu"],
                            params["T"])
    if int(params["dim"]) not in (1, 2, 3):
        raise InvalidInputError(f"parameter 'dim' must be 1, 2 or 3, got {params['dim']!r}")
    if float(params["delta"]) <= 0:
        raise InvalidInputError(f"parameter 'delta' must be in (0, inf), got {params['delta']!r}")


_TWO_QUBIT = {p.name: p for p in TWO_QUBIT_PARAMETERS}

PARAMETERS = (
    Parameter("N", 3, "1", "number of qubits", 2, MAX_QUBITS),
    Parameter("geometry", "line", "", "site arrangement: line or square grid (row by row)",
              choices=GEOMETRIES),
    Parameter("a", 0.5, "lambda0 = sqrt(D/gap)", "site spacing", 0.0, None,
              low_inclusive=False),
    # the bath and coupling parameters are those of the two-qubit model, definitions shared
    *(_TWO_QUBIT[name] for name in ("gap", "stiffness", "alpha", "mu", "T", "dim", "delta",
                                    "eta", "g", "g_z", "lamb_shift")),
)

SPEC = register(ModelSpec(
    name="hou2025-array",
    title="N qubits (line or grid) above a spin-pumped magnet: pairwise concurrence map",
    family="magnon",
    reference=("V. Hou, E. Kleinherbers, S. P. Kelly, Y. Tserkovnyak, arXiv:2508.18131 (2025); "
               "N-qubit array as reconstructed in MAGNON_MODEL.md §3.1"),
    parameters=PARAMETERS,
    build=build,
    analyse=analyse,
    check=_check_cross,
    doc=__doc__ or "",
))

