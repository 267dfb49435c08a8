"""Batched dense steady-state solver for small generators (many parameter points at once).

Method: replace the first row of ``L`` (a redundant one: trace preservation makes the rows of the
diagonal entries sum to zero) by the trace functional, scaled to ``L``'s magnitude, and solve
``A x = s e_0`` with numpy's batched LU.  ``A`` is invertible exactly when the kernel of ``L`` is
one-dimensional, so the same factorisation also yields a condition estimate (two extra random
right-hand sides): elements whose estimate is large are re-examined by an SVD of ``L``, which
decides the kernel dimension at relative tolerance ``kernel_tol``.  No element with a degenerate
kernel is returned as if it were unique.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..errors import NonUniqueSteadyStateError
from ..master.superop import unvec
from .kernel import dense_kernel, hermitian_basis, project_initial_state
from .validate import DEFAULT_TOLERANCES, SteadyState, finalize

#: condition estimates above ``FLAG_FACTOR / kernel_tol`` trigger an SVD check of that element
FLAG_FACTOR = 1e-2


def _fro(x: np.ndarray) -> np.ndarray:
    """Frobenius norms of a stack ``(B, m, n)`` of complex matrices (fast path)."""
    xf = np.ascontiguousarray(x).view(np.float64).reshape(x.shape[0], -1)
    return np.sqrt(np.einsum("bi,bi->b", xf, xf))


def _trace_row(d: int) -> np.ndarray:
    w = np.zeros(d * d, dtype=complex)
    w[np.arange(d) * (d + 1)] = 1.0
    return w


def solve_dense(
    L: np.ndarray,
    *,
    dims: tuple[int, ...] = (),
    rho0: np.ndarray | None = None,
    return_kernel: bool = False,
    kernel_tol: float | None = None,
    tolerances: dict[str, float] | None = None,
    on_fail: str = "raise",
    seed: int = 12345,
) -> SteadyState:
    """Steady state(s) of dense generator(s) ``L`` of shape ``(..., d^2, d^2)``.

    Parameters
    ----------
    L : ndarray
        Generator matrix (column-stacking convention), optionally with leading batch axes.
    rho0 : ndarray (d, d) or (..., d, d), optional
        Initial state(s): where the kernel is degenerate, return the state reached from ``rho0``
        (biorthogonal projection) instead of raising.
    return_kernel : bool
        Attach a Hermitian kernel basis (``SteadyState.kernel``, single generators only); a
        degenerate kernel then does not raise, and ``rho`` is the state reached from ``rho0`` or,
        if none is given, from the maximally mixed state (recorded in ``info['rho0']``).
    kernel_tol : float
        Relative singular-value threshold of the kernel (default ``DEFAULT_TOLERANCES['kernel']``).
    on_fail : {'raise', 'flag', 'warn'}
        Behaviour on failed validation (see :func:`qness.steady.validate.finalize`).
    """
    t0 = time.perf_counter()
    tol = {**DEFAULT_TOLERANCES, **(tolerances or {})}
    kernel_tol = tol["kernel"] if kernel_tol is None else kernel_tol
    L = np.asarray(L, dtype=complex)
    batch = L.shape[:-2]
    n = L.shape[-1]
    d = round(np.sqrt(n))
    flat = L.reshape(-1, n, n)
    nb = flat.shape[0]

    scale = np.max(np.abs(flat), axis=(-1, -2))
    scale = np.where(scale > 0, scale, 1.0)
    A = flat.copy()
    A[:, 0, :] = scale[:, None] * _trace_row(d)[None, :]
    rng = np.random.default_rng(seed)
    probes = rng.standard_normal((n, 2)) + 1j * rng.standard_normal((n, 2))
    probes /= np.linalg.norm(probes, axis=0)
    rhs = np.zeros((nb, n, 3), dtype=complex)
    rhs[:, 0, 0] = scale
    rhs[:, :, 1:] = probes[None]

    x = np.full((nb, n, 3), np.nan, dtype=complex)
    singular = np.zeros(nb, bool)
    try:
        x = np.linalg.solve(A, rhs)
    except np.linalg.LinAlgError:
        for i in range(nb):
            try:
                x[i] = np.linalg.solve(A[i], rhs[i])
            except np.linalg.LinAlgError:
                singular[i] = True
    norm_a = _fro(A)
    with np.errstate(invalid="ignore", over="ignore"):
        inv_est = np.max(np.linalg.norm(x[:, :, 1:], axis=1), axis=-1)
        cond = norm_a * inv_est
    flagged = singular | ~np.isfinite(cond) | (cond > FLAG_FACTOR / kernel_tol)

    kdim = np.ones(nb, dtype=int)
    gap = np.full(nb, np.nan)
    raw = unvec(x[:, :, 0], d)
    kernel_basis = None
    rho0_used = None
    rho0_arr = None if rho0 is None else np.broadcast_to(
        np.asarray(rho0, dtype=complex), (*batch, d, d)).reshape(nb, d, d)
    for i in np.flatnonzero(flagged | return_kernel):
        info = dense_kernel(flat[i], kernel_tol)
        kdim[i] = info.dim
        gap[i] = info.gap
        if info.dim == 1:
            m = unvec(info.right[:, 0], d)
            raw[i] = m / np.trace(m)
        elif rho0_arr is not None:
            raw[i] = project_initial_state(info, rho0_arr[i])
        elif return_kernel:
            rho0_used = "identity/d"
            raw[i] = project_initial_state(info, np.eye(d) / d)
        if return_kernel and nb == 1:
            kernel_basis = hermitian_basis(info.right, d)

    degenerate = kdim > 1
    if np.any(degenerate) and rho0_arr is None and not return_kernel:
        where = np.flatnonzero(degenerate)
        idx = [np.unravel_index(i, batch) if batch else () for i in where[:5]]
        k = int(kdim[where[0]])
        raise NonUniqueSteadyStateError(
            f"the steady state is not unique: the generator's kernel has dimension {k}"
            + (f" at batch indices {[list(map(int, t)) for t in idx]}" if batch else "")
            + f" (relative singular values <= {kernel_tol:g}). Pass rho0=... to get the state "
            "reached from an initial state, or return_kernel=True for a basis of the kernel.",
            kernel_dim=kdim.reshape(batch) if batch else k,
        )

    def apply_L(rho: np.ndarray) -> np.ndarray:
        from ..master.superop import vec

        v = vec(rho.reshape(nb, d, d))
        return unvec(np.einsum("bij,bj->bi", flat, v), d).reshape(rho.shape)

    info_extra: dict[str, Any] = {"cond_estimate": cond.reshape(batch) if batch else cond[0]}
    if rho0_used:
        info_extra["rho0"] = rho0_used
    return finalize(
        raw.reshape(*batch, d, d), apply_L, _fro(flat).reshape(batch),
        method="dense", t_start=t0, kernel_dim=kdim.reshape(batch),
        gap=gap.reshape(batch) if np.any(np.isfinite(gap)) else None,
        dims=dims, tol=tol, on_fail=on_fail, kernel=kernel_basis, info=info_extra,
        unique_required=(rho0 is None and not return_kernel),
    )
