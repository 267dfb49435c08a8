"""Entanglement measures: concurrence, entanglement of formation, negativity, pairwise maps.

All functions take density matrices ``(..., d, d)`` (leading batch axes broadcast) or
``qutip.Qobj`` and return floats ``(...)``; the checks are those of
:func:`qness.measures.information.as_density_matrix`.  Tensor order is QuTiP's (subsystem 0 is the
leftmost ``kron`` factor); ``dims`` lists the local dimensions.

Conventions
-----------
* Concurrence (Wootters, PRL 80, 2245 (1998)): ``C = max(0, l1 - l2 - l3 - l4)`` where the
  ``l_i`` (decreasing) are the square roots of the eigenvalues of ``rho (Y rho^* Y)`` with
  ``Y = sigma_y (x) sigma_y``; they are the singular values of ``tau = W^T Y W`` for any factor
  ``W W^dagger = rho``.  The spin flip is basis independent, so QuTiP's ``|e> = basis(2, 0)``
  ordering changes nothing.
* Entanglement of formation in ebits: ``E = h((1 + sqrt(1 - C^2)) / 2)`` with the binary entropy
  ``h`` in base 2.
* Negativity ``N = (||rho^{T_A}||_1 - 1) / 2`` = sum of the moduli of the negative eigenvalues of
  the partial transpose; this is ``qutip.negativity(rho, subsys)`` (default method 'tracenorm'),
  which is 1/2 for a Bell state.  Log-negativity ``E_N = log2 ||rho^{T_A}||_1 = log2(2 N + 1)``,
  as ``qutip.negativity(..., logarithmic=True)``; 1 for a Bell state.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import DimensionError, InvalidInputError
from .information import (
    _entropy_of_spectrum,
    _partial_trace,
    _psd_factor,
    as_density_matrix,
    check_dims,
    check_subsystems,
    partial_trace,
)

__all__ = [
    "concurrence",
    "entanglement_of_formation",
    "log_negativity",
    "negativity",
    "pairwise_concurrence",
    "pairwise_negativity",
    "partial_trace",
    "partial_transpose",
    "wootters_lambdas",
]

#: sigma_y (x) sigma_y, real: (Y)_{03} = (Y)_{30} = -1, (Y)_{12} = (Y)_{21} = +1.
_YY = np.real(np.kron(np.array([[0, -1j], [1j, 0]]), np.array([[0, -1j], [1j, 0]])))

# Batches smaller than this take the singular values of tau from LAPACK; larger ones from the
# vectorised Jacobi iteration (~1000 numpy calls of fixed cost: the crossover is ~300 states).
_SMALL_BATCH = 300
# Pivoted Cholesky: a remaining pivot below this (tr rho = 1) is rounding noise and is dropped,
# so that numerically pure or rank-deficient states get an exactly rank-deficient factor.
_PIVOT_TOL = 1e-13
# A Schur complement diagonal below -_NEGATIVE_TOL or a residual above _RESIDUAL_TOL means the
# state may not be positive semidefinite: such states go to the eigh path, which decides.
_NEGATIVE_TOL = 1e-12
_RESIDUAL_TOL = 1e-12
# The Jacobi iteration stops when every off-diagonal |tau_ij| is below this (absolute, with
# tr rho = 1 so that ||tau|| <= 1).  The error of C is then second order (~tol^2 / gap) except
# where l1 is degenerate with l2, where it is at most ~2 tol; convergence is quadratic, so the
# next sweep would take the off-diagonal from ~1e-11 to ~1e-40.
_JACOBI_TOL = 1e-11
_JACOBI_MAX_SWEEPS = 15
_JACOBI_PAIRS = ((0, 1), (2, 3), (0, 2), (1, 3), (0, 3), (1, 2))
_OFF_DIAGONAL = ((0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3))


# --------------------------------------------------------------------------------------------
# concurrence
# --------------------------------------------------------------------------------------------
def concurrence(rho: Any) -> np.ndarray:
    """Wootters concurrence of two-qubit states, in ``[0, 1]``.

    Parameters
    ----------
    rho : array_like (..., 4, 4) or qutip.Qobj
        Two-qubit density matrices (QuTiP order; any local basis gives the same value).

    Returns
    -------
    ndarray (...)
        ``C = max(0, l1 - l2 - l3 - l4)``; 1 for Bell states, 0 for separable states.

    Notes
    -----
    The ``l_i`` are the singular values of ``tau = W^T (sigma_y x sigma_y) W`` with
    ``W W^dagger = rho`` (never square roots of eigenvalues of ``rho rho~``, which lose half the
    digits for rank-deficient states).  ``W`` comes from a vectorised Cholesky factorisation with
    diagonal pivoting that drops pivots below ``1e-13``: exact zeros stay exact, so pure and
    rank-deficient states (X states with empty populations, dark states) are right to ~1e-14.
    This matters because ``C`` is only Hoelder-1/2 continuous there (``C = 2(|rho_14| -
    sqrt(rho_22 rho_33))`` for X states), so an ``eigh``-based factor, whose zero eigenvalues
    come out as ``+-1e-16``, errs by ~1e-8.  The singular values come from LAPACK for small
    batches and from a batched complex-symmetric (Takagi) Jacobi iteration for large ones.
    States the factorisation flags as possibly not positive semidefinite go through
    ``eigh``, which raises if an eigenvalue is below ``-1e-12``.
    """
    lam = wootters_lambdas(rho)
    return _concurrence_from_lambdas(lam)


def wootters_lambdas(rho: Any) -> np.ndarray:
    """Wootters' ``l_i`` of two-qubit states, shape ``(..., 4)``, in decreasing order."""
    r = _two_qubit_states(rho, hermitize=False)  # the factorisation reads the upper triangle
    flat = r.reshape(-1, 4, 4)
    lam = _lambdas(flat)
    return -np.sort(-lam, axis=-1).reshape(*r.shape[:-2], 4)


def _concurrence_from_lambdas(lam: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, 2.0 * lam.max(axis=-1) - lam.sum(axis=-1))


def _two_qubit_states(rho: Any, hermitize: bool = True) -> np.ndarray:
    r = as_density_matrix(rho, hermitize=hermitize)
    if r.shape[-1] != 4:
        raise DimensionError(
            f"rho must hold two-qubit states of shape (..., 4, 4), got shape {r.shape}"
        )
    return r


def _lambdas(flat: np.ndarray) -> np.ndarray:
    """Unsorted Wootters lambdas ``(n, 4)`` of validated states ``flat`` ``(n, 4, 4)``."""
    n = flat.shape[0]
    if n == 0:
        return np.zeros((0, 4))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        cols, suspect = _pivoted_factor(flat)
        tau = _spin_flip_product(cols)
        if suspect.any():
            tau = [[None if t is None else np.where(suspect, 0.0, t) for t in row] for row in tau]
        if n < _SMALL_BATCH:
            lam = np.linalg.svd(_assemble_symmetric(tau), compute_uv=False)
        else:
            lam = _takagi_values(tau)
    if suspect.any():
        lam[suspect] = _lambdas_eigh(flat[suspect])
    return lam


def _lambdas_eigh(flat: np.ndarray) -> np.ndarray:
    """Reference path (LAPACK eigh + SVD); raises if a state is not positive semidefinite."""
    w = _psd_factor(0.5 * (flat + flat.conj().swapaxes(-1, -2)), "rho")
    tau = w.swapaxes(-1, -2) @ (_YY @ w)
    return np.linalg.svd(tau, compute_uv=False)


def _pivoted_factor(flat: np.ndarray) -> tuple[list[list[np.ndarray]], np.ndarray]:
    """Columns ``c_k`` with ``sum_k c_k c_k^dagger = rho`` by Cholesky with diagonal pivoting.

    Works entry-wise on ``(n,)`` arrays (each state picks its own pivots, no Python batch loop).
    Returns the columns (``cols[k][i]`` is entry ``i`` of column ``k``; at most 4 columns) and a
    mask of states whose Schur complements went negative or left a residual, i.e. that may not
    be positive semidefinite.
    """
    s = {(i, j): np.ascontiguousarray(flat[:, i, j]) for i in range(4) for j in range(i, 4)}
    n = flat.shape[0]
    suspect = np.zeros(n, dtype=bool)
    dropped = np.zeros(n, dtype=bool)
    cols: list[list[np.ndarray]] = []
    for step in range(4):
        diag = [s[i, i].real for i in range(4)]
        pivot, piv = diag[0], np.zeros(n, dtype=np.intp)
        for i in range(1, 4):
            better = diag[i] > pivot
            pivot = np.where(better, diag[i], pivot)
            piv[better] = i
        lowest = np.minimum(np.minimum(diag[0], diag[1]), np.minimum(diag[2], diag[3]))
        suspect |= lowest < -_NEGATIVE_TOL
        keep = pivot > _PIVOT_TOL
        dropped |= ~keep
        if not keep.any():
            break
        inv_sqrt = np.where(keep, 1.0 / np.sqrt(np.where(keep, pivot, 1.0)), 0.0)
        chosen = [piv == j for j in range(3)]
        col = []
        for i in range(4):
            # entry (i, piv) of the Hermitian Schur complement, stored as (min, max) index pair
            entries = [s[min(i, j), max(i, j)] for j in range(4)]
            picked = np.where(chosen[2], entries[2], entries[3])
            picked = np.where(chosen[1], entries[1], picked)
            picked = np.where(chosen[0], entries[0], picked)
            if i:
                picked = np.where(piv < i, picked.conj(), picked)
            col.append(picked * inv_sqrt)
        cols.append(col)
        if step == 3:
            break  # the last Schur complement is only needed where a pivot was dropped
        col_conj = [c.conj() for c in col]
        for i, j in s:
            s[i, j] = s[i, j] - col[i] * col_conj[j]
    if dropped.any():
        # what a dropped pivot leaves behind must be negligible, else rho is indefinite
        residual = functools.reduce(np.maximum, [np.abs(v) for v in s.values()])
        suspect |= dropped & (residual > _RESIDUAL_TOL)
    return cols, suspect


def _spin_flip_product(cols: list[list[np.ndarray]]) -> list[list[Any]]:
    """Upper triangle of ``tau = W^T (sigma_y x sigma_y) W`` for ``W = [c_0, c_1, ...]``.

    ``tau_kl = -c_k0 c_l3 + c_k1 c_l2 + c_k2 c_l1 - c_k3 c_l0``; missing columns are zero.
    """
    n = cols[0][0].shape[0] if cols else 0
    zero = np.zeros(n, dtype=complex)
    flipped = [[-c[3], c[2], c[1], -c[0]] for c in cols]
    tau: list[list[Any]] = [[None] * 4 for _ in range(4)]
    for k in range(4):
        for m in range(k, 4):
            if m < len(cols):
                ck, fm = cols[k], flipped[m]
                tau[k][m] = ck[0] * fm[0] + ck[1] * fm[1] + ck[2] * fm[2] + ck[3] * fm[3]
            else:
                tau[k][m] = zero
    return tau


def _assemble_symmetric(tau: list[list[Any]]) -> np.ndarray:
    """``(n, 4, 4)`` array from the upper triangle ``tau[i][j]`` (``i <= j``)."""
    n = tau[0][0].shape[0]
    out = np.empty((n, 4, 4), dtype=complex)
    for i in range(4):
        for j in range(i, 4):
            out[:, i, j] = tau[i][j]
            out[:, j, i] = tau[i][j]
    return out


def _takagi_values(t: list[list[Any]]) -> np.ndarray:
    """Takagi (= singular) values ``(n, 4)`` of complex symmetric 4x4 matrices by Jacobi sweeps.

    ``t[i][j]`` (``i <= j``) hold the upper triangle as ``(n,)`` arrays.  Each rotation is a
    unitary congruence ``U^T tau U`` that zeros one off-diagonal pair; the diagonal converges to
    the Takagi values up to phases.  Convergence is quadratic (4-5 sweeps); once most states
    have converged the sweeps continue on the others only.  States still unconverged after
    ``_JACOBI_MAX_SWEEPS`` get LAPACK's SVD instead.
    """
    n = t[0][0].shape[0]
    original = [row[:] for row in t]  # rotations build new arrays, so this is a snapshot
    values = np.empty((n, 4))
    active = np.arange(n)
    off = np.full(n, np.inf)
    for _ in range(_JACOBI_MAX_SWEEPS):
        zero = np.zeros(active.size, dtype=complex)
        for p, q in _JACOBI_PAIRS:
            _takagi_rotation(t, p, q, zero)
        off = functools.reduce(np.maximum, [np.abs(t[i][j]) for i, j in _OFF_DIAGONAL])
        done = off <= _JACOBI_TOL
        if done.all():
            break
        if 2 * np.count_nonzero(done) > done.size:
            values[active[done]] = np.stack([np.abs(t[i][i][done]) for i in range(4)], axis=-1)
            todo = ~done
            t = [[None if x is None else x[todo] for x in row] for row in t]
            active, off = active[todo], off[todo]
    values[active] = np.stack([np.abs(t[i][i]) for i in range(4)], axis=-1)
    stuck = active[~(off <= _JACOBI_TOL)]
    if stuck.size:
        values[stuck] = np.linalg.svd(_assemble_symmetric(original)[stuck], compute_uv=False)
    return values


def _takagi_rotation(t: list[list[Any]], p: int, q: int, zero: np.ndarray) -> None:
    """Zero ``t[p][q]`` by ``U^T t U``, ``U = cs [[1, -conj(e) s], [e s, 1]]`` on rows/cols p, q.

    For the block ``[[a, b], [b, c]]`` let ``w = a conj(b) + conj(c) b``.  The phase
    ``e = w / |w|`` makes the problem real; ``s = tan(theta)`` is the small root of
    ``s^2 + 2 zeta s - 1 = 0`` with ``zeta = (|a|^2 - |c|^2) / (2 |w|)``, and the new diagonal is
    ``a + s e b``, ``c - s conj(e) b``.  When ``w = 0`` (e.g. ``a = c = 0``) ``e = 1`` and
    ``zeta = Re((a - c) conj(b)) / (2 |b|^2)``; when ``b = 0`` nothing rotates.
    """
    a, b, c = t[p][p], t[p][q], t[q][q]
    w = a * b.conj()
    w += c.conj() * b
    aw = np.abs(w)
    abs_a = np.abs(a)
    abs_c = np.abs(c)
    zeta = (abs_a * abs_a - abs_c * abs_c) / (2.0 * aw)
    s = 1.0 / (zeta + np.copysign(np.sqrt(1.0 + zeta * zeta), zeta))
    pe = w * (s / aw)
    # w vanishes (to rounding) when a conj(b) = -conj(c) b; then its phase is noise
    degenerate = ~(aw > 1e-12 * np.abs(b) * (abs_a + abs_c))
    if degenerate.any():
        s_deg = _degenerate_angle(a[degenerate], b[degenerate], c[degenerate])
        s[degenerate] = s_deg
        pe[degenerate] = s_deg
    cs = (1.0 / np.sqrt(1.0 + s * s)).astype(complex)
    qe = pe.conj()
    t[p][p] = a + pe * b
    t[q][q] = c - qe * b
    t[p][q] = zero
    for k in range(4):
        if k in (p, q):
            continue
        kp = (k, p) if k < p else (p, k)
        kq = (k, q) if k < q else (q, k)
        akp, akq = t[kp[0]][kp[1]], t[kq[0]][kq[1]]
        new_kp = pe * akq
        new_kp += akp
        new_kp *= cs
        new_kq = qe * akp
        new_kq -= akq
        new_kq *= -cs
        t[kp[0]][kp[1]] = new_kp
        t[kq[0]][kq[1]] = new_kq


def _degenerate_angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``tan(theta)`` for blocks with ``a conj(b) + conj(c) b = 0`` (phase ``e = 1``)."""
    ab2 = b.real**2 + b.imag**2
    zeta = ((a - c) * b.conj()).real / (2.0 * ab2)
    s = 1.0 / (zeta + np.copysign(np.sqrt(1.0 + zeta * zeta), zeta))
    s[~(ab2 > 1e-280)] = 0.0
    return s


def entanglement_of_formation(rho: Any) -> np.ndarray:
    """Entanglement of formation of two-qubit states in ebits (log base 2), in ``[0, 1]``.

    ``E = h((1 + sqrt(1 - C^2)) / 2)`` with ``C`` the :func:`concurrence` and ``h`` the binary
    entropy (exactly 0 at ``C = 0``, 1 at ``C = 1``).
    """
    return _eof_from_concurrence(concurrence(rho))


def _eof_from_concurrence(c: np.ndarray) -> np.ndarray:
    root = np.sqrt(np.clip(1.0 - c * c, 0.0, 1.0))
    small = c * c / (2.0 * (1.0 + root))  # = (1 - root) / 2 without cancellation at small C
    return _entropy_of_spectrum(np.stack([1.0 - small, small], axis=-1), 2.0)


# --------------------------------------------------------------------------------------------
# partial transpose and negativity
# --------------------------------------------------------------------------------------------
def partial_transpose(rho: Any, dims: Sequence[int], subsys: int | Sequence[int]) -> np.ndarray:
    """Partial transpose of ``rho`` on the subsystems ``subsys`` (an int or a sequence).

    Equals ``qutip.partial_transpose(rho, mask)`` with ``mask[i] = i in subsys``.  Returns an
    array of the same shape ``(..., d, d)``.
    """
    r = as_density_matrix(rho)
    dd = check_dims(dims, r.shape[-1])
    return _partial_transpose(r, dd, _check_subsys(subsys, len(dd)))


def _check_subsys(subsys: Any, n: int) -> tuple[int, ...]:
    sel = check_subsystems(subsys, n, "subsys")
    if not sel:
        raise InvalidInputError(f"subsys must name at least one subsystem, got {subsys!r}")
    return sel


def _partial_transpose(r: np.ndarray, dims: tuple[int, ...], sel: tuple[int, ...]) -> np.ndarray:
    batch = r.shape[:-2]
    nb, n = len(batch), len(dims)
    t = r.reshape(*batch, *dims, *dims)
    axes = list(range(t.ndim))
    for i in sel:
        axes[nb + i], axes[nb + n + i] = axes[nb + n + i], axes[nb + i]
    return t.transpose(axes).reshape(r.shape)


def _negativity(r: np.ndarray, dims: tuple[int, ...], sel: tuple[int, ...]) -> np.ndarray:
    lam = np.linalg.eigvalsh(_partial_transpose(r, dims, sel))
    return 0.5 * np.sum(np.abs(lam) - lam, axis=-1)


def negativity(rho: Any, dims: Sequence[int], subsys: int | Sequence[int]) -> np.ndarray:
    """Negativity ``N = (||rho^{T_A}||_1 - 1) / 2`` with ``A = subsys``, in ``[0, (d_A - 1)/2]``.

    Computed as the sum of ``|lambda|`` over the negative eigenvalues of the partial transpose
    (same as ``qutip.negativity``; 1/2 for a Bell state, 0 for PPT states).
    """
    r = as_density_matrix(rho)
    dd = check_dims(dims, r.shape[-1])
    return _negativity(r, dd, _check_subsys(subsys, len(dd)))


def log_negativity(rho: Any, dims: Sequence[int], subsys: int | Sequence[int]) -> np.ndarray:
    """Logarithmic negativity ``E_N = log2 ||rho^{T_A}||_1 = log2(2 N + 1)`` (ebits, >= 0)."""
    return np.log2(2.0 * negativity(rho, dims, subsys) + 1.0)


# --------------------------------------------------------------------------------------------
# pairwise maps
# --------------------------------------------------------------------------------------------
def _pairs_setup(rho: Any, dims: Sequence[int]) -> tuple[np.ndarray, tuple[int, ...]]:
    r = as_density_matrix(rho)
    dd = check_dims(dims, r.shape[-1])
    if len(dd) < 2:
        raise DimensionError(
            f"dims must list at least two subsystems for pairwise maps, got {list(dims)}"
        )
    return r, dd


def _pair_matrix(
    values: np.ndarray, pairs: list[tuple[int, int]], n: int, fill: float
) -> np.ndarray:
    """Symmetric ``(..., n, n)`` array: ``values[..., k]`` at pair ``k``, ``fill`` elsewhere."""
    out = np.full((*values.shape[:-1], n, n), fill, dtype=float)
    idx = np.arange(n)
    out[..., idx, idx] = 0.0
    if pairs:
        i, j = np.array(pairs).T
        out[..., i, j] = values
        out[..., j, i] = values
    return out


def pairwise_concurrence(rho: Any, dims: Sequence[int]) -> np.ndarray:
    """Concurrence of every pair of qubits, ``(..., n, n)`` with ``n = len(dims)``.

    Entry ``[i, j]`` is the concurrence of the two-qubit reduced state of subsystems ``i, j``
    (all others traced out).  The diagonal is 0; pairs involving a subsystem whose dimension is
    not 2 are NaN (concurrence is defined for qubit pairs only).
    """
    r, dd = _pairs_setup(rho, dims)
    n = len(dd)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if dd[i] == 2 and dd[j] == 2]
    batch = r.shape[:-2]
    if not pairs:
        return _pair_matrix(np.empty((*batch, 0)), [], n, np.nan)
    reduced = np.stack([_partial_trace(r, dd, pair) for pair in pairs], axis=-3)
    lam = _lambdas(reduced.reshape(-1, 4, 4)).reshape(*batch, len(pairs), 4)
    return _pair_matrix(_concurrence_from_lambdas(lam), pairs, n, np.nan)


def pairwise_negativity(rho: Any, dims: Sequence[int]) -> np.ndarray:
    """Negativity of every pair of subsystems, ``(..., n, n)``, symmetric with zero diagonal.

    Entry ``[i, j]`` is :func:`negativity` of the reduced state of ``i, j`` (transposing ``i``;
    transposing ``j`` gives the same spectrum).
    """
    r, dd = _pairs_setup(rho, dims)
    n = len(dd)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    vals = np.stack(
        [_negativity(_partial_trace(r, dd, p), (dd[p[0]], dd[p[1]]), (0,)) for p in pairs],
        axis=-1,
    )
    return _pair_matrix(vals, pairs, n, 0.0)

