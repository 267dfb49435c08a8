"""Kernel (null-space) analysis of generators: dimension, Hermitian basis, biorthogonal projector.

For a Lindblad generator the eigenvalue 0 is semisimple, so the long-time limit of
``exp(L t) rho0`` is ``P rho0`` with the biorthogonal projector ``P = R (W^dag R)^{-1} W^dag`` built
from right kernel vectors ``R`` (``L R = 0``) and left kernel vectors ``W`` (``L^dag W = 0``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..master.superop import unvec, vec


@dataclass(frozen=True)
class KernelInfo:
    """Numerical kernel of one generator."""

    dim: int
    right: np.ndarray          # (n, k) right kernel vectors (column-stacked states)
    left: np.ndarray           # (n, k) left kernel vectors
    rel_singular_values: np.ndarray  # smallest few sigma_i / sigma_max, ascending
    gap: float                 # smallest sigma outside the kernel / sigma_max


def dense_kernel(L: np.ndarray, kernel_tol: float) -> KernelInfo:
    """Kernel of a dense ``(n, n)`` generator from its SVD."""
    u, s, vh = np.linalg.svd(L)
    smax = s[0] if s[0] > 0 else 1.0
    rel = s[::-1] / smax
    k = int(np.sum(rel <= kernel_tol))
    k = max(k, 1)  # a trace-preserving generator always has a kernel
    right = vh[-k:].conj().T
    left = u[:, -k:]
    gap = float(rel[k]) if k < len(rel) else 0.0
    return KernelInfo(k, right, left, rel[: min(len(rel), k + 3)], gap)


def sparse_kernel(L: sp.csr_array, kernel_tol: float, max_k: int = 6) -> KernelInfo:
    """Kernel of a large sparse generator from shift-invert Arnoldi near 0.

    Counts eigenvalues with ``|lambda| <= kernel_tol * ||L||_1``; left vectors come from
    ``L^dag``.  Used only after a cheaper test suggested a degenerate kernel.
    """
    n = L.shape[0]
    norm = spla.norm(L, 1)
    shift = -1e-7 * norm
    k = min(max_k, n - 2)
    vals, vecs = spla.eigs(L.tocsc(), k=k, sigma=shift, which="LM")
    order = np.argsort(np.abs(vals))
    vals, vecs = vals[order], vecs[:, order]
    rel = np.abs(vals) / norm
    kdim = max(int(np.sum(rel <= kernel_tol)), 1)
    lvals, lvecs = spla.eigs(L.conj().T.tocsc(), k=k, sigma=np.conj(shift), which="LM")
    lorder = np.argsort(np.abs(lvals))
    left = lvecs[:, lorder[:kdim]]
    gap = float(rel[kdim]) if kdim < len(rel) else 0.0
    return KernelInfo(kdim, vecs[:, :kdim], left, rel[: kdim + 2], gap)


def hermitian_basis(right: np.ndarray, d: int) -> np.ndarray:
    """Orthonormal (Hilbert-Schmidt) Hermitian basis ``(k, d, d)`` of the span of ``right``."""
    k = right.shape[1]
    mats = unvec(right.T, d)
    cand = np.concatenate([0.5 * (mats + np.conj(np.swapaxes(mats, -1, -2))),
                           -0.5j * (mats - np.conj(np.swapaxes(mats, -1, -2)))])
    flat = np.concatenate([cand.reshape(len(cand), -1).real, cand.reshape(len(cand), -1).imag],
                          axis=1)
    _, _s, vh = np.linalg.svd(flat, full_matrices=False)
    basis = vh[:k]
    out = (basis[:, : d * d] + 1j * basis[:, d * d:]).reshape(k, d, d)
    # make each element trace-positive when it has a trace, for readability
    tr = np.trace(out, axis1=1, axis2=2).real
    out = np.where((tr < 0)[:, None, None], -out, out)
    return out


def project_initial_state(info: KernelInfo, rho0: np.ndarray) -> np.ndarray:
    """The steady state reached from ``rho0``: ``P rho0`` with the biorthogonal projector."""
    r, w = info.right, info.left
    g = w.conj().T @ r
    coeff = np.linalg.solve(g, w.conj().T @ vec(np.asarray(rho0, dtype=complex)))
    d = round(np.sqrt(r.shape[0]))
    return unvec(r @ coeff, d)
