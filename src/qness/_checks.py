"""Small argument checks shared by the layers (internal)."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from .errors import DimensionError, InvalidInputError


def to_operator(op: Any, name: str) -> np.ndarray | sp.csr_array:
    """Return ``op`` as a dense ndarray (any leading batch axes) or a CSR sparse array.

    Accepts numpy arrays, scipy.sparse matrices/arrays and ``qutip.Qobj`` (duck-typed via
    ``.full()``/``.data``), so qutip stays optional.  Raises when the last two axes are not square
    or when entries are not finite.
    """
    if hasattr(op, "full") and hasattr(op, "dims") and not isinstance(op, np.ndarray):
        # qutip.Qobj: keep it sparse if qutip stores it sparse
        try:
            data = op.data_as("csr_matrix")
            op = sp.csr_array(data)
        except Exception:
            op = np.asarray(op.full())
    if sp.issparse(op):
        op = sp.csr_array(op, dtype=complex)
        if op.shape[0] != op.shape[1]:
            raise DimensionError(f"{name} must be square, got shape {op.shape}")
        if op.nnz and not np.all(np.isfinite(op.data)):
            raise InvalidInputError(f"{name} contains NaN or infinite entries")
        return op
    arr = np.asarray(op)
    if arr.dtype == object:
        raise InvalidInputError(f"{name} must be a numeric array, got dtype object")
    arr = arr.astype(complex, copy=False)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2]:
        raise DimensionError(f"{name} must be a square matrix (..., d, d), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise InvalidInputError(f"{name} contains NaN or infinite entries")
    return arr


def check_hermitian(op: np.ndarray | sp.csr_array, name: str, rtol: float = 1e-10) -> None:
    """Raise :class:`InvalidInputError` unless ``op`` (or every batch element) is Hermitian."""
    if sp.issparse(op):
        diff = abs(op - op.conj().T).max() if op.nnz else 0.0
        scale = abs(op).max() if op.nnz else 0.0
    else:
        diff = np.max(np.abs(op - np.conj(np.swapaxes(op, -1, -2))), initial=0.0)
        scale = np.max(np.abs(op), initial=0.0)
    if diff > rtol * max(scale, 1e-300) and diff > 1e-14:
        raise InvalidInputError(
            f"{name} must be Hermitian: max |{name} - {name}^dagger| = {diff:.3g} "
            f"(relative {diff / max(scale, 1e-300):.3g} > tolerance {rtol:g})"
        )


def check_rate(value: Any, name: str) -> np.ndarray:
    """Return ``value`` as a float array, raising unless every entry is finite and >= 0."""
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise InvalidInputError(f"{name} must be finite, got {value!r}")
    if np.any(arr < 0):
        raise InvalidInputError(f"{name} must be a non-negative rate (>= 0), got {value!r}")
    return arr


def check_psd(matrix: np.ndarray, name: str, atol: float = 1e-12, rtol: float = 1e-10) -> None:
    """Raise unless ``matrix`` (..., n, n) is Hermitian positive semidefinite within tolerance."""
    m = np.asarray(matrix, dtype=complex)
    if m.ndim < 2 or m.shape[-1] != m.shape[-2]:
        raise DimensionError(f"{name} must be a square matrix (..., n, n), got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise InvalidInputError(f"{name} contains NaN or infinite entries")
    check_hermitian(m, name, rtol=rtol)
    herm = 0.5 * (m + np.conj(np.swapaxes(m, -1, -2)))
    ev = np.linalg.eigvalsh(herm)
    scale = np.max(np.abs(ev), axis=-1, initial=0.0)
    bad = ev[..., 0] < -(atol + rtol * scale)
    if np.any(bad):
        worst = float(np.min(ev[..., 0]))
        raise InvalidInputError(
            f"{name} must be positive semidefinite (a matrix of rates); its smallest eigenvalue "
            f"is {worst:.3g} < 0"
        )
