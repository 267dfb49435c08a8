"""Multipartite entanglement: every bipartition, GME fidelity witnesses, entanglement depth.

Three families of tests for states of more than two subsystems:

* **Bipartitions.**  :func:`bipartition_negativities` computes the negativity and the
  log-negativity (conventions of :mod:`qness.measures.entanglement`) for every cut ``A|B`` of a
  small system: ``A`` ranges over the non-empty proper subsets up to complement,
  ``2^(n-1) - 1`` cuts (:func:`bipartitions`).  A state is entangled across a cut if that cut's
  negativity is positive.
* **Genuine multipartite entanglement (GME) witnesses.**  For a pure target ``|psi>`` the
  fidelity witness ``W = alpha 1 - |psi><psi|`` with ``alpha`` the largest squared Schmidt
  coefficient of ``|psi>`` over all bipartitions is non-negative on every biseparable state, and
  ``alpha`` is exactly the largest overlap of ``|psi>`` with a biseparable state (Bourennane et
  al., PRL 92, 087902 (2004)).  ``tr(W rho) < 0``, i.e. ``<psi|rho|psi> > alpha``, proves GME
  (:func:`gme_fidelity_witness`).  Targets: :func:`ghz_state`, :func:`w_state`,
  :func:`dicke_state`.
* **Entanglement depth from collective spin moments** of ``n`` qubits,
  ``J_a = (1/2) sum_i sigma_i^a``, given as ``mean (..., 3) = <J_a>`` and
  ``second (..., 3, 3) = <(J_a J_b + J_b J_a) / 2>`` (the convention of
  ``qness.measures.collective.spin_moments``).  A state is *k-producible* if it is a mixture of
  products of states of at most ``k`` qubits; its *certified depth* is the smallest ``k`` with
  which the measured moments are consistent, so that the state is proven not
  ``(k - 1)``-producible.  :func:`entanglement_depth_squeezing` uses the extreme spin-squeezing
  bound of Sørensen and Mølmer (PRL 86, 4431 (2001)); :func:`entanglement_depth_dicke` a
  Dicke-state bound on ``<J_x^2 + J_y^2>`` against ``Var(J_z)`` derived below.

Conventions: QuTiP tensor order (qubit 0 leftmost), ``basis(2, 0) = |e>`` with ``sigma_z = +1``;
an *excitation* is ``|e>``, so ``J_z = (#excited - #ground) / 2``.  Dimensionless throughout.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ..errors import DimensionError, InvalidInputError
from .entanglement import _negativity
from .information import as_density_matrix, check_dims

__all__ = [
    "BipartitionNegativities",
    "GMEWitness",
    "bipartition_negativities",
    "bipartitions",
    "biseparable_overlap",
    "dicke_depth_bound",
    "dicke_state",
    "entanglement_depth_dicke",
    "entanglement_depth_squeezing",
    "ghz_state",
    "gme_fidelity_witness",
    "min_bipartition_negativity",
    "producible_variance_bound",
    "sorensen_molmer_function",
    "w_state",
]

#: Largest number of qubits for the target-state builders (a ket of 2^n amplitudes).
MAX_TARGET_QUBITS = 24


# --------------------------------------------------------------------------------------------
# target states
# --------------------------------------------------------------------------------------------
def _check_qubits(n: Any, name: str = "n", minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not (
            minimum <= n <= MAX_TARGET_QUBITS):
        raise InvalidInputError(
            f"{name} (number of qubits) must be an integer in [{minimum}, {MAX_TARGET_QUBITS}], "
            f"got {n!r}")
    return int(n)


def _excitations(n: int) -> np.ndarray:
    """Number of excited qubits (local index 0) in each product-basis state of ``n`` qubits."""
    idx = np.arange(2**n)
    ones = np.zeros(2**n, dtype=np.int64)
    for bit in range(n):
        ones += (idx >> bit) & 1
    return n - ones


def dicke_state(n: int, k: int) -> np.ndarray:
    """Symmetric Dicke ket ``|D_n^k>`` of ``n`` qubits with ``k`` excitations, shape ``(2^n,)``.

    The equal-weight superposition of all product states with exactly ``k`` qubits in ``|e> =
    basis(2, 0)`` (QuTiP order); ``J_z |D_n^k> = (k - n/2) |D_n^k>``.  ``k = 1`` is the W state,
    ``k = 0`` the all-ground product state.
    """
    n = _check_qubits(n)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k <= n:
        raise InvalidInputError(f"k (number of excitations) must be an integer in [0, {n}], "
                                f"got {k!r}")
    mask = _excitations(n) == k
    psi = np.zeros(2**n, dtype=complex)
    psi[mask] = 1.0 / np.sqrt(np.count_nonzero(mask))
    return psi


def w_state(n: int) -> np.ndarray:
    """W ket ``(|e g ... g> + |g e g ... g> + ... + |g ... g e>) / sqrt(n)``, ``n >= 2``."""
    return dicke_state(_check_qubits(n, minimum=2), 1)


def ghz_state(n: int) -> np.ndarray:
    """GHZ ket ``(|e e ... e> + |g g ... g>) / sqrt(2)`` of ``n >= 2`` qubits (QuTiP order)."""
    n = _check_qubits(n, minimum=2)
    psi = np.zeros(2**n, dtype=complex)
    psi[0] = psi[-1] = 1.0 / np.sqrt(2.0)
    return psi


# --------------------------------------------------------------------------------------------
# bipartitions
# --------------------------------------------------------------------------------------------
def bipartitions(n: int) -> tuple[tuple[int, ...], ...]:
    """The ``2^(n-1) - 1`` cuts ``A|B`` of ``n`` subsystems, each given by its side ``A``.

    ``A`` is the smaller side; when both sides have ``n/2`` subsystems, the side holding
    subsystem 0.  Ordered by the size of ``A``, then lexicographically.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise InvalidInputError(f"n (number of subsystems) must be an integer >= 2, got {n!r}")
    cuts = []
    for size in range(1, n // 2 + 1):
        for a in itertools.combinations(range(n), size):
            if 2 * size == n and 0 not in a:
                continue
            cuts.append(a)
    return tuple(cuts)


@dataclass(frozen=True)
class BipartitionNegativities:
    """Negativity and log-negativity of every cut ``A|B``.

    Attributes
    ----------
    cuts : tuple of tuple of int
        The side ``A`` of each cut (:func:`bipartitions` order); ``B`` is the complement.
    negativity : ndarray (..., n_cuts)
        ``N = (||rho^{T_A}||_1 - 1) / 2`` of each cut (1/2 for a Bell pair across the cut).
    log_negativity : ndarray (..., n_cuts)
        ``E_N = log2(2 N + 1)`` in ebits.
    n_subsystems : int
        Number of subsystems ``n``.
    """

    cuts: tuple[tuple[int, ...], ...]
    negativity: np.ndarray
    log_negativity: np.ndarray
    n_subsystems: int

    def _index(self, cut: Any) -> int:
        n = self.n_subsystems
        try:
            side = tuple(sorted(int(i) for i in ((cut,) if np.isscalar(cut) else cut)))
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(f"cut must be a subsystem index or a sequence, got {cut!r}"
                                    ) from exc
        other = tuple(i for i in range(n) if i not in side)
        for key in (side, other):
            if key in self.cuts:
                return self.cuts.index(key)
        raise InvalidInputError(f"{cut!r} is not one side of a cut of {n} subsystems")

    def __getitem__(self, cut: Any) -> np.ndarray:
        """Negativity of the cut with side ``cut`` (either side may be given)."""
        return self.negativity[..., self._index(cut)]

    def as_dict(self, logarithmic: bool = False) -> dict[tuple[int, ...], np.ndarray]:
        """``{A: value}`` for every cut (log-negativity if ``logarithmic``)."""
        vals = self.log_negativity if logarithmic else self.negativity
        return {cut: vals[..., i] for i, cut in enumerate(self.cuts)}

    def minimum(self) -> np.ndarray:
        """Smallest negativity over all cuts, ``(...)``."""
        return self.negativity.min(axis=-1)


def _validated(rho: Any, dims: Sequence[int]) -> tuple[np.ndarray, tuple[int, ...]]:
    r = as_density_matrix(rho)
    dd = check_dims(dims, r.shape[-1])
    if len(dd) < 2:
        raise DimensionError(f"dims must list at least two subsystems, got {list(dims)}")
    return r, dd


def bipartition_negativities(rho: Any, dims: Sequence[int]) -> BipartitionNegativities:
    """Negativity and log-negativity of ``rho`` across every bipartition.

    Parameters
    ----------
    rho : array_like (..., d, d) or qutip.Qobj
        Density matrices (leading batch axes broadcast), QuTiP tensor order.
    dims : sequence of int
        Local dimensions, at least two subsystems (``prod(dims) == d``).

    Returns
    -------
    BipartitionNegativities
        ``negativity`` and ``log_negativity`` of shape ``(..., 2^(n-1) - 1)`` with the cut labels
        ``cuts``; index by a side, ``result[(0, 2)]``, or use ``as_dict()``.

    Notes
    -----
    Each cut costs one ``eigvalsh`` of the ``d x d`` partial transpose, so this is meant for
    small systems (``d`` up to a few hundred).  A product state has negativity 0 across every
    cut, ``|GHZ_n>`` 1/2 across every cut.
    """
    r, dd = _validated(rho, dims)
    cuts = bipartitions(len(dd))
    neg = np.stack([_negativity(r, dd, cut) for cut in cuts], axis=-1)
    neg = np.maximum(neg, 0.0)
    return BipartitionNegativities(cuts, neg, np.log2(2.0 * neg + 1.0), len(dd))


def min_bipartition_negativity(rho: Any, dims: Sequence[int]) -> np.ndarray:
    """Smallest negativity over all bipartitions, ``(...)``.

    Every cut being entangled (a positive minimum) is *necessary* for genuine multipartite
    entanglement, but the converse does not hold: a mixture of states each entangled across a
    different cut can be biseparable although every cut has positive negativity.  Use
    :func:`gme_fidelity_witness` to prove genuine multipartite entanglement.
    """
    return bipartition_negativities(rho, dims).minimum()


# --------------------------------------------------------------------------------------------
# GME fidelity witness
# --------------------------------------------------------------------------------------------
class GMEWitness(NamedTuple):
    """Result of :func:`gme_fidelity_witness` (arrays of the batch shape ``(...)``)."""

    fidelity: np.ndarray   #: ``<psi|rho|psi>``
    alpha: float           #: largest overlap of ``|psi>`` with a biseparable state
    value: np.ndarray      #: ``tr(W rho) = alpha - fidelity``
    detected: np.ndarray   #: ``value < -atol``: genuine multipartite entanglement proven


def _target_ket(target: Any, d: int) -> np.ndarray:
    if hasattr(target, "full") and hasattr(target, "dims") and not isinstance(target,
                                                                              np.ndarray):
        target = target.full()
    psi = np.asarray(target, dtype=complex)
    if psi.ndim == 2 and 1 in psi.shape:
        psi = psi.reshape(-1)
    if psi.shape != (d,):
        raise DimensionError(f"target must be a ket of {d} amplitudes, got shape {psi.shape}")
    if not np.all(np.isfinite(psi)):
        raise InvalidInputError("target contains NaN or infinite amplitudes")
    norm = np.linalg.norm(psi)
    if abs(norm - 1.0) > 1e-8:
        raise InvalidInputError(f"target must be normalised, got norm {norm:.12g}")
    return psi / norm


def biseparable_overlap(target: Any, dims: Sequence[int]) -> tuple[float, tuple[int, ...]]:
    """Largest overlap ``|<phi|psi>|^2`` of a pure ``|psi>`` with biseparable states.

    Returns ``(alpha, A)``: ``alpha`` is the largest squared Schmidt coefficient of ``|psi>``
    over all cuts, attained for the cut with side ``A`` by the product of the leading Schmidt
    vectors (Bourennane et al., PRL 92, 087902 (2004)).  GHZ: 1/2; W_n: (n - 1)/n; ``|D_4^2>``:
    2/3.
    """
    d = int(np.prod([int(x) for x in dims])) if len(dims) else 0
    dd = check_dims(dims, d)
    if len(dd) < 2:
        raise DimensionError(f"dims must list at least two subsystems, got {list(dims)}")
    psi = _target_ket(target, d).reshape(dd)
    n = len(dd)
    best, best_cut = -1.0, ()
    for cut in bipartitions(n):
        rest = tuple(i for i in range(n) if i not in cut)
        da = int(np.prod([dd[i] for i in cut]))
        m = np.transpose(psi, cut + rest).reshape(da, -1)
        s = np.linalg.svd(m, compute_uv=False)
        if s[0] ** 2 > best:
            best, best_cut = float(s[0] ** 2), cut
    return best, best_cut


def gme_fidelity_witness(rho: Any, target: Any, dims: Sequence[int],
                         atol: float = 1e-10) -> GMEWitness:
    """Fidelity witness of genuine multipartite entanglement around a pure target state.

    ``W = alpha 1 - |psi><psi|`` with ``alpha`` from :func:`biseparable_overlap`; every
    biseparable state has ``tr(W rho) >= 0``, so ``fidelity > alpha`` proves GME.

    Parameters
    ----------
    rho : array_like (..., d, d) or qutip.Qobj
        Density matrices (batch axes broadcast).
    target : array_like (d,) or qutip.Qobj ket
        The normalised pure target ``|psi>`` (e.g. :func:`ghz_state`).
    dims : sequence of int
        Local dimensions (QuTiP order), at least two subsystems.
    atol : float
        Detection requires ``tr(W rho) < -atol`` (guards against rounding at the boundary).

    Returns
    -------
    GMEWitness
        ``(fidelity, alpha, value, detected)``.  For ``rho = p |GHZ_n><GHZ_n| + (1 - p) 1/d`` the
        witness detects ``p > (1/2 - 1/d) / (1 - 1/d)``.
    """
    r, dd = _validated(rho, dims)
    if not (np.isfinite(atol) and atol >= 0):
        raise InvalidInputError(f"atol must be a finite number >= 0, got {atol!r}")
    psi = _target_ket(target, r.shape[-1])
    alpha, _ = biseparable_overlap(psi, dd)
    fid = np.einsum("i,...ij,j->...", psi.conj(), r, psi).real
    value = alpha - fid
    return GMEWitness(fid, alpha, value, value < -atol)


# --------------------------------------------------------------------------------------------
# collective spin moments
# --------------------------------------------------------------------------------------------
def _check_moments(mean: Any, second: Any, n: Any) -> tuple[np.ndarray, np.ndarray, int]:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InvalidInputError(f"n (number of qubits) must be an integer >= 1, got {n!r}")
    m = np.asarray(mean, dtype=float)
    s2 = np.asarray(second, dtype=float)
    if m.ndim < 1 or m.shape[-1] != 3:
        raise DimensionError(f"mean must have shape (..., 3) (<J_x>, <J_y>, <J_z>), got {m.shape}")
    if s2.shape != (*m.shape, 3):
        raise DimensionError(f"second must have shape {(*m.shape, 3)} to match mean, got "
                             f"{s2.shape}")
    if not (np.all(np.isfinite(m)) and np.all(np.isfinite(s2))):
        raise InvalidInputError("mean and second must be finite")
    scale = max(1.0, n * n / 4.0)
    if np.max(np.abs(s2 - np.swapaxes(s2, -1, -2)), initial=0.0) > 1e-8 * scale:
        raise InvalidInputError("second must be symmetric: <(J_a J_b + J_b J_a)/2>")
    if np.max(np.linalg.norm(m, axis=-1), initial=0.0) > n / 2.0 * (1 + 1e-8) + 1e-12:
        raise InvalidInputError(f"|mean| exceeds the largest spin length n/2 = {n / 2}")
    return m, 0.5 * (s2 + np.swapaxes(s2, -1, -2)), int(n)


def _perpendicular_variance(m: np.ndarray, s2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Spin length ``|<J>|`` and the smallest variance orthogonal to the mean spin.

    Where the mean spin vanishes (``|<J>| <= 1e-12``) the smallest variance in any direction.
    """
    cov = s2 - m[..., :, None] * m[..., None, :]
    length = np.linalg.norm(m, axis=-1)
    polarised = length > 1e-12
    u = m / np.where(polarised, length, 1.0)[..., None]
    # an orthonormal basis (e1, e2) of the plane orthogonal to u
    helper = np.eye(3)[np.argmin(np.abs(u), axis=-1)]
    e1 = np.cross(u, helper)
    e1 /= np.maximum(np.linalg.norm(e1, axis=-1), 1e-300)[..., None]
    basis = np.stack([e1, np.cross(u, e1)], axis=-2)                   # (..., 2, 3)
    plane = basis @ cov @ np.swapaxes(basis, -1, -2)
    perpendicular = np.linalg.eigvalsh(plane)[..., 0]
    smallest = np.linalg.eigvalsh(cov)[..., 0]
    return length, np.where(polarised, perpendicular, smallest)


# ---------------------------------------------------------------- Sørensen–Mølmer function
#: Multipliers ``Lambda`` of the Legendre representation (dimensionless, per unit of ``J_x``).
_LAMBDAS = np.concatenate([[0.0], np.geomspace(1e-3, 1e4, 281)])
#: Bisection steps of the lowest tridiagonal eigenvalue (the bracket shrinks by 2^-steps).
_BISECTION_STEPS = 50
#: Branch and bound over the centre ``c``: initial spacing, subintervals per split, rounds, and
#: the (relative) gap below which an interval is not refined further.
_C_STEP = 0.5
_C_SPLIT = 8
_C_ROUNDS = 7
_C_GAP = 1e-9


def _lowest_eigenvalue(diag: np.ndarray, off2: np.ndarray) -> np.ndarray:
    """Lower bound of the smallest eigenvalue of real symmetric tridiagonal matrices.

    ``diag (..., n)`` and the squared off-diagonal ``off2 (..., n - 1)`` broadcast together.
    Bisection on positive definiteness of ``T - x`` (all pivots of its LDL^T factorisation,
    a Sturm sequence, positive), starting from the Gershgorin bracket; the lower end of the
    final bracket is returned, so rounding aside the result never exceeds the eigenvalue.
    """
    shape = np.broadcast_shapes(diag.shape[:-1], off2.shape[:-1])
    n = diag.shape[-1]
    d = [np.broadcast_to(diag[..., i], shape) for i in range(n)]
    o2 = [np.broadcast_to(off2[..., i], shape) for i in range(n - 1)]
    off = [np.sqrt(x) for x in o2]
    lo = d[0] - (off[0] if n > 1 else 0.0)
    hi = d[0].copy()
    for i in range(1, n):
        radius = off[i - 1] + (off[i] if i < n - 1 else 0.0)
        lo = np.minimum(lo, d[i] - radius)
        hi = np.minimum(hi, d[i])  # a diagonal entry is a Rayleigh quotient
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        q = d[0] - mid
        pos = q > 0
        for i in range(1, n):
            q = d[i] - mid - o2[i - 1] / np.where(q > 0, q, 1.0)
            pos &= q > 0
        lo = np.where(pos, mid, lo)
        hi = np.where(pos, hi, mid)
    return lo - 1e-13 * (1.0 + np.abs(lo))


@functools.lru_cache(maxsize=256)
def _support(two_j: int) -> np.ndarray:
    """Lower bounds of ``e_j(Lambda) = min_rho [Var(J_z) - Lambda <J_x>]`` for spin ``j``.

    ``Var(J_z) = min_c <(J_z - c)^2>`` with the optimal ``c = <J_z>`` in ``[-j, j]``, and
    ``E(c) = lambda_min((J_z - c)^2 - Lambda J_x)`` is even in ``c`` (a rotation by pi about
    ``x``).  ``E(c) - c^2`` is a minimum of functions linear in ``c``, hence concave, so on an
    interval it lies above its chord and ``min E`` there is at least the minimum of
    ``c^2 + chord``.  Branch and bound: ``[0, j]`` is cut at the half-integers (where ``E`` has
    its kinks at small ``Lambda``); intervals whose chord bound comes within ``_C_GAP`` of the
    best value found are split, the others are discarded.  The result is the smallest bound
    left, so it never exceeds the true ``e_j`` (eigenvalues are bounded from below too), which
    keeps every bound built on it valid.  Cached; an array over :data:`_LAMBDAS`.
    """
    j = two_j / 2.0
    m = j - np.arange(two_j + 1)
    off2 = 0.25 * (j * (j + 1) - m[1:] * (m[1:] + 1))          # (J_x)_{m, m-1}^2

    def energy(lam_idx: np.ndarray, c: np.ndarray) -> np.ndarray:
        diag = (m[None, :] - c[:, None]) ** 2
        return _lowest_eigenvalue(diag, (_LAMBDAS[lam_idx] ** 2)[:, None] * off2[None, :])

    n_lam = len(_LAMBDAS)
    cs = np.linspace(0.0, j, max(2, round(j / _C_STEP) + 1))
    grid_e = np.stack([energy(np.arange(n_lam), np.full(n_lam, c)) for c in cs], axis=1)
    best = grid_e.min(axis=1)                                    # an attained value per Lambda
    lam = np.repeat(np.arange(n_lam), len(cs) - 1)
    c0, c1 = np.tile(cs[:-1], n_lam), np.tile(cs[1:], n_lam)
    e0, e1 = grid_e[:, :-1].ravel(), grid_e[:, 1:].ravel()
    floor = np.full(n_lam, np.inf)                               # bounds of discarded intervals
    for rnd in range(_C_ROUNDS + 1):
        lower = _chord_bound(c0, c1, e0, e1)
        gap = _C_GAP * (1.0 + _LAMBDAS[lam] * j)
        refine = lower < best[lam] - gap
        np.minimum.at(floor, lam[~refine], lower[~refine])
        if rnd == _C_ROUNDS or not refine.any():
            np.minimum.at(floor, lam[refine], lower[refine])
            break
        lam, c0, c1, e0, e1 = lam[refine], c0[refine], c1[refine], e0[refine], e1[refine]
        t = np.linspace(0.0, 1.0, _C_SPLIT + 1)
        pts = c0[:, None] + (c1 - c0)[:, None] * t[None, :]       # (n, split + 1)
        inner = energy(np.repeat(lam, _C_SPLIT - 1), pts[:, 1:-1].ravel())
        vals = np.concatenate([e0[:, None], inner.reshape(len(lam), -1), e1[:, None]], axis=1)
        np.minimum.at(best, lam, vals.min(axis=1))
        lam = np.repeat(lam, _C_SPLIT)
        c0, c1 = pts[:, :-1].ravel(), pts[:, 1:].ravel()
        e0, e1 = vals[:, :-1].ravel(), vals[:, 1:].ravel()
    gap = _C_GAP * (1.0 + _LAMBDAS * j)
    return np.minimum(np.minimum(floor, best - gap), 0.0)  # J_z eigenstates: Var 0, <J_x> 0


def _chord_bound(c0: np.ndarray, c1: np.ndarray, e0: np.ndarray, e1: np.ndarray) -> np.ndarray:
    """``min over [c0, c1]`` of ``c^2 + chord of (E - c^2)``, a lower bound of ``min E`` there."""
    p0, p1 = e0 - c0**2, e1 - c1**2
    slope = (p1 - p0) / (c1 - c0)
    cstar = np.clip(-slope / 2.0, c0, c1)
    return cstar**2 + p0 + slope * (cstar - c0)


def _check_x(x: Any, name: str, upper: float) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(np.abs(arr) > upper * (1 + 1e-9)):
        raise InvalidInputError(f"{name} must lie in [-{upper:g}, {upper:g}], got {x!r}")
    return np.minimum(np.abs(arr), upper)


def _legendre(support: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``max_Lambda [support(Lambda) + Lambda y]`` over the multiplier grid (a lower bound)."""
    vals = support + _LAMBDAS * y[..., None]
    return np.maximum(vals.max(axis=-1), 0.0)


def sorensen_molmer_function(J: float, x: Any) -> np.ndarray:
    """Sørensen–Mølmer function ``F_J(x) = (1/J) min Var(J_z)`` at ``<J_x> = J x`` (spin ``J``).

    Parameters
    ----------
    J : float
        Spin quantum number, a positive half-integer.
    x : array_like
        Polarisation ``<J_x> / J`` in ``[-1, 1]``.

    Returns
    -------
    ndarray
        The lower convex hull of the smallest variance over all spin-``J`` states, as a rigorous
        lower bound (computed from ground energies of ``(J_z - c)^2 - Lambda J_x`` on a grid of
        multipliers ``Lambda`` and centres ``c``; the discretisation can only lower it).
        ``F_{1/2}(x) = x^2 / 2`` exactly and ``F_J(1) = 1/2`` (coherent state).

    Notes
    -----
    Sørensen and Mølmer (PRL 86, 4431 (2001)) obtain ``F_J`` from the ground states of
    ``J_z^2 - Lambda J_x``, i.e. with ``<J_z> = 0``.  The minimum over the centre ``c`` also
    admits ``<J_z> != 0``, which lowers ``F_J`` for half-integer ``J`` at small ``x`` (for
    ``J = 1/2`` the ``<J_z> = 0`` curve would be the constant 1/2 instead of ``x^2/2``).
    """
    two_j = _check_two_j(J)
    xs = _check_x(x, "x", 1.0)
    j = two_j / 2.0
    return _legendre(_support(two_j), xs * j) / j


def _check_two_j(J: Any) -> int:
    try:
        two_j = 2.0 * float(J)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"J must be a positive half-integer, got {J!r}") from exc
    if not np.isfinite(two_j) or two_j < 1 or abs(two_j - round(two_j)) > 1e-12:
        raise InvalidInputError(f"J must be a positive half-integer, got {J!r}")
    return round(two_j)


def _producible_support(k: int) -> np.ndarray:
    """``h_k(Lambda) = min_{j <= k/2} e_j(Lambda) / (2 j)``, the per-qubit support function."""
    return np.min(np.stack([_support(t) / t for t in range(1, k + 1)]), axis=0)


def producible_variance_bound(k: int, x: Any) -> np.ndarray:
    """Smallest variance per qubit, ``Var(J_z) / N``, of a ``k``-producible state.

    Parameters
    ----------
    k : int
        Block size (``k >= 1``): the state is a mixture of products of states of at most ``k``
        qubits.
    x : array_like
        Polarisation per qubit ``<J_x> / N`` in ``[-1/2, 1/2]``.

    Returns
    -------
    ndarray
        ``Phi_k(x)`` with ``Var(J_z) >= N Phi_k(<J_x> / N)`` for every ``k``-producible state of
        any number ``N`` of qubits and every pair of orthogonal axes ``x, z``.  ``Phi_1(x) = x^2``
        (Wineland's ``xi^2 >= 1``); ``Phi_k`` does not increase with ``k``.

    Notes
    -----
    A block of ``s <= k`` qubits splits into spins ``j <= s/2``; every spin-``j`` state obeys
    ``Var(J_z) - Lambda <J_x> >= e_j(Lambda)`` (:func:`sorensen_molmer_function`'s support
    function, ``e_j <= 0``).  Variances add over a product of blocks and are concave under
    mixing, ``<J_x>`` is linear, so ``Var(J_z) - Lambda <J_x> >= N min_{j <= k/2} e_j / (2 j)``
    for every ``k``-producible state; maximising over ``Lambda`` gives ``Phi_k``.  This is the
    Sørensen–Mølmer argument (PRL 86, 4431 (2001)) with the block-size envelope made explicit,
    so it does not rely on ``F_J`` decreasing with ``J``.
    """
    k = _check_block(k)
    xs = _check_x(x, "x", 0.5)
    return _legendre(_producible_support(k), xs)


def _check_block(k: Any) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InvalidInputError(f"k (block size) must be an integer >= 1, got {k!r}")
    return int(k)


def entanglement_depth_squeezing(mean: Any, second: Any, n: int,
                                 atol: float = 1e-9, kmax: int | None = None) -> np.ndarray:
    """Entanglement depth certified by spin squeezing (Sørensen–Mølmer bound).

    Parameters
    ----------
    mean : array_like (..., 3)
        ``<J_a>``, ``J_a = (1/2) sum_i sigma_i^a`` for ``n`` qubits.
    second : array_like (..., 3, 3)
        ``<(J_a J_b + J_b J_a) / 2>``.
    n : int
        Number of qubits.
    atol : float
        Absolute tolerance (per qubit) on the variance comparison, guarding against rounding.
    kmax : int, optional
        Test block sizes only up to ``kmax`` (the bound costs seconds per block size at
        ``k ~ 40``); a state that violates every bound up to ``kmax`` gets ``kmax + 1``, which
        is then a lower bound of the certified depth.

    Returns
    -------
    ndarray of int (...)
        The smallest ``k`` in ``[1, n]`` with ``Var_perp >= n Phi_k(|<J>| / n) - n atol``
        (:func:`producible_variance_bound`), where ``Var_perp`` is the smallest variance
        orthogonal to the mean spin.  The state is then proven not ``(k - 1)``-producible: it
        holds a group of at least ``k`` entangled qubits.  1 means nothing is certified.

    Notes
    -----
    The bound holds for every orthogonal pair of axes; taking ``x`` along the mean spin and
    ``z`` the orthogonal direction of least variance is the usual choice.  A coherent spin
    state gives 1; one-axis-twisted states certify depths that grow with ``n``.
    """
    m, s2, n = _check_moments(mean, second, n)
    length, var = _perpendicular_variance(m, s2)
    x = np.minimum(length / n, 0.5)
    if kmax is not None and (isinstance(kmax, bool) or not isinstance(kmax, (int, np.integer))
                             or kmax < 1):
        raise InvalidInputError(f"kmax must be an integer >= 1, got {kmax!r}")
    top = n if kmax is None else min(n, int(kmax))
    depth = np.full(x.shape, n if top == n else top + 1, dtype=np.int64)
    todo = np.ones(x.shape, dtype=bool)
    for k in range(1, top + 1):
        if not todo.any():
            break
        ok = todo & (var / n >= producible_variance_bound(k, x) - atol)
        depth[ok] = k
        todo &= ~ok
    return depth


# ---------------------------------------------------------------- Dicke-state criterion
def _dicke_coefficient(k: int, n: int) -> float:
    """``c_k = max_{1 <= s <= k} (n s - s^2 - 1)``, clipped at 0."""
    s = np.arange(1, min(k, n) + 1)
    return float(max(np.max(n * s - s * s - 1), 0))


def dicke_depth_bound(k: int, n: int, var_z: Any) -> np.ndarray:
    """Largest ``<J_x^2 + J_y^2>`` of a ``k``-producible state of ``n`` qubits given ``Var(J_z)``.

    ``<J_x^2 + J_y^2> <= n (k + 2) / 4 + c_k Var(J_z)`` with
    ``c_k = max_{1 <= s <= min(k, n)} (n s - s^2 - 1)``.

    Derivation (for a pure product of blocks ``b`` of ``s_b <= k`` qubits with means
    ``m^b = <J^b>``; ``a_b = <J_x^b>^2 + <J_y^b>^2``, ``v_b = Var(J_z^b)``):

    1. ``<J_x^2 + J_y^2> = sum_b [Var(J_x^b) + Var(J_y^b)] + |sum_b m_perp^b|^2`` and
       ``|sum_b m_perp^b|^2 <= n sum_b a_b / s_b`` (Cauchy–Schwarz), ``Var(J_z) = sum_b v_b``.
    2. ``Var(J_x^b) + Var(J_y^b) = <(J^b)^2> - <(J_z^b)^2> - a_b <= S_b - v_b - a_b`` with
       ``S_b = (s_b/2)(s_b/2 + 1)``.
    3. Robertson's relation with the axis ``x'`` along ``m_perp^b``:
       ``v_b Var(J_y'^b) >= a_b / 4`` and ``Var(J_y'^b) <= (s_b/2)^2``, so ``a_b <= s_b^2 v_b``.
    4. Hence ``<J_x^2 + J_y^2> <= sum_b [S_b + (n s_b - s_b^2 - 1) v_b]
       <= n (k + 2) / 4 + c_k Var(J_z)`` (``S_b <= s_b (k + 2) / 4``).  The left side is linear
       in the state and the variance concave, so the bound holds for mixtures too.

    For ``k = 1`` it reads ``<J_x^2 + J_y^2> <= 3n/4 + (n - 2) Var(J_z)``, a relative of
    Tóth et al.'s separability condition (PRL 99, 250405 (2007)); like the criterion of Lücke
    et al. (PRL 112, 155304 (2014)) it detects states near the Dicke state ``|D_n^{n/2}>``
    (``<J_x^2 + J_y^2> = n(n + 2)/4``, ``Var(J_z) = 0``: depth ``n``), though with a much
    steeper dependence on ``Var(J_z)`` than their numerically optimised boundary.
    """
    k = _check_block(k)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InvalidInputError(f"n (number of qubits) must be an integer >= 1, got {n!r}")
    v = np.asarray(var_z, dtype=float)
    if not np.all(np.isfinite(v)) or np.any(v < -1e-12):
        raise InvalidInputError(f"var_z must be finite and >= 0, got {var_z!r}")
    return n * (min(k, n) + 2) / 4.0 + _dicke_coefficient(k, n) * np.maximum(v, 0.0)


def entanglement_depth_dicke(mean: Any, second: Any, n: int, atol: float = 1e-9) -> np.ndarray:
    """Entanglement depth certified by the Dicke-state criterion :func:`dicke_depth_bound`.

    The bound holds for every axis ``u`` in the role of ``z``; violation for some ``u`` means
    ``lambda_min(S + c_k C) < tr S - n (k + 2) / 4`` with ``S = second``, ``C`` the covariance
    matrix, so the best axis is found exactly by an eigenvalue problem.

    Parameters
    ----------
    mean, second, n
        Collective spin moments as in :func:`entanglement_depth_squeezing`.
    atol : float
        Absolute tolerance (per qubit) on the comparison.

    Returns
    -------
    ndarray of int (...)
        The smallest ``k`` in ``[1, n]`` consistent with ``k``-producibility.  The Dicke state
        ``|D_n^{n/2}>`` (``n`` even) gives ``n``; product states give 1.
    """
    m, s2, n = _check_moments(mean, second, n)
    cov = s2 - m[..., :, None] * m[..., None, :]
    total = np.trace(s2, axis1=-2, axis2=-1)
    depth = np.full(total.shape, n, dtype=np.int64)
    todo = np.ones(total.shape, dtype=bool)
    for k in range(1, n + 1):
        if not todo.any():
            break
        low = np.linalg.eigvalsh(s2 + _dicke_coefficient(k, n) * cov)[..., 0]
        ok = todo & (low >= total - n * (min(k, n) + 2) / 4.0 - n * atol)
        depth[ok] = k
        todo &= ~ok
    return depth
