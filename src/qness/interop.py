"""Optional QuTiP interoperability (install the ``qutip`` extra).

qness accepts ``qutip.Qobj`` wherever an operator is expected (converted on entry, sparse when
QuTiP stores it sparse); these helpers convert results back.  QuTiP is imported lazily, so qness
works without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from .errors import DimensionError, QnessError


def _qutip():
    try:
        import qutip
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise QnessError("QuTiP is not installed: pip install 'qness[qutip]'") from exc
    return qutip


def is_qobj(obj: Any) -> bool:
    """True for a ``qutip.Qobj`` (checked without importing QuTiP)."""
    return type(obj).__name__ == "Qobj" and hasattr(obj, "dims")


def to_qobj(op: Any, dims: Sequence[int] | None = None) -> Any:
    """Convert an operator ``(d, d)`` (or a stack ``(..., d, d)`` -> list) into ``qutip.Qobj``.

    ``dims`` are the local dimensions (QuTiP order); the Qobj gets ``dims=[dims, dims]``.
    """
    qt = _qutip()
    if sp.issparse(op):
        op = op.toarray()
    arr = np.asarray(op)
    if arr.ndim > 2:
        return [to_qobj(a, dims) for a in arr.reshape(-1, *arr.shape[-2:])]
    if arr.ndim != 2:
        raise DimensionError(f"to_qobj expects a (d, d) operator, got shape {arr.shape}")
    dims = [arr.shape[0]] if dims is None or len(dims) == 0 else list(dims)
    if int(np.prod(dims)) != arr.shape[0]:
        raise DimensionError(f"dims {dims} do not match the operator dimension {arr.shape[0]}")
    return qt.Qobj(arr, dims=[dims, dims])


def from_qobj(q: Any) -> np.ndarray:
    """Dense array of a ``qutip.Qobj``."""
    return np.asarray(q.full())
