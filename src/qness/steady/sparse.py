"""Sparse direct steady-state solver: LU of the generator with the trace constraint.

The first row of ``L`` (redundant by trace preservation) is replaced by the scaled trace
functional and the system is factorised once with SuperLU.  Two extra solves with random
right-hand sides estimate ``||A^{-1}||``; a large condition estimate (or an exactly singular
factor) means a (near-)degenerate kernel, which is then measured by shift-invert Arnoldi (or an
SVD for moderate sizes) before anything is returned.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..errors import NonUniqueSteadyStateError
from ..master.superop import unvec, vec
from .dense import FLAG_FACTOR
from .kernel import dense_kernel, hermitian_basis, project_initial_state, sparse_kernel
from .validate import DEFAULT_TOLERANCES, SteadyState, finalize

#: Above this d^2 the kernel is examined by Arnoldi instead of a dense SVD.
DENSE_KERNEL_MAX_N = 4096


def augmented(L: sp.csr_array) -> tuple[sp.csc_array, float]:
    """``L`` with row 0 replaced by the trace functional times ``max |L_ij|``."""
    n = L.shape[0]
    d = round(np.sqrt(n))
    scale = float(abs(L).max()) if L.nnz else 1.0
    scale = scale if scale > 0 else 1.0
    L = sp.csr_array(L, dtype=complex)
    keep = sp.diags_array((np.arange(n) != 0).astype(float), format="csr")
    trace = sp.csr_array(
        (np.full(d, scale, dtype=complex), (np.zeros(d, int), np.arange(d) * (d + 1))),
        shape=(n, n))
    return sp.csc_array(keep @ L + trace), scale


def solve_sparse(
    L: sp.csr_array,
    *,
    dims: tuple[int, ...] = (),
    rho0: np.ndarray | None = None,
    return_kernel: bool = False,
    kernel_tol: float | None = None,
    tolerances: dict[str, float] | None = None,
    on_fail: str = "raise",
    apply_L=None,
    seed: int = 12345,
) -> SteadyState:
    """Steady state of a sparse generator (``d^2 x d^2`` CSR).  See :func:`solve_dense`."""
    t0 = time.perf_counter()
    tol = {**DEFAULT_TOLERANCES, **(tolerances or {})}
    kernel_tol = tol["kernel"] if kernel_tol is None else kernel_tol
    n = L.shape[0]
    d = round(np.sqrt(n))
    A, scale = augmented(L)
    b = np.zeros(n, dtype=complex)
    b[0] = scale
    singular = False
    cond = np.inf
    x = np.full(n, np.nan, dtype=complex)
    try:
        lu = spla.splu(A, permc_spec="COLAMD")
        x = lu.solve(b)
        rng = np.random.default_rng(seed)
        probes = rng.standard_normal((n, 2)) + 1j * rng.standard_normal((n, 2))
        probes /= np.linalg.norm(probes, axis=0)
        inv_est = max(np.linalg.norm(lu.solve(probes[:, j])) for j in range(2))
        cond = spla.norm(A, "fro") * inv_est
    except RuntimeError:  # "Factor is exactly singular"
        singular = True
    flagged = singular or not np.isfinite(cond) or cond > FLAG_FACTOR / kernel_tol
    kdim, gap, basis, note = 1, None, None, None
    raw = unvec(x, d)
    if flagged or return_kernel:
        info = (dense_kernel(L.toarray(), kernel_tol) if n <= DENSE_KERNEL_MAX_N
                else sparse_kernel(L, kernel_tol))
        kdim, gap = info.dim, info.gap
        if kdim == 1:
            m = unvec(info.right[:, 0], d)
            raw = m / np.trace(m)
        elif rho0 is not None:
            raw = project_initial_state(info, rho0)
        elif return_kernel:
            raw, note = project_initial_state(info, np.eye(d) / d), "identity/d"
        else:
            raise NonUniqueSteadyStateError(
                f"the steady state is not unique: the generator's kernel has dimension {kdim} "
                f"(relative eigen/singular values <= {kernel_tol:g}). Pass rho0=... to get the "
                "state reached from an initial state, or return_kernel=True for a kernel basis.",
                kernel_dim=kdim, singular_values=info.rel_singular_values)
        if return_kernel:
            basis = hermitian_basis(info.right, d)
    if apply_L is None:
        def apply_L(rho: np.ndarray) -> np.ndarray:
            return unvec(L @ vec(rho), d)
    extra = {"cond_estimate": cond}
    if note:
        extra["rho0"] = note
    return finalize(raw, apply_L, spla.norm(L, "fro"), method="sparse-lu", t_start=t0,
                    kernel_dim=kdim, gap=gap, dims=dims, tol=tol, on_fail=on_fail,
                    kernel=basis, info=extra,
                    unique_required=(rho0 is None and not return_kernel))
