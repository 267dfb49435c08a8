"""Information-theoretic measures of density matrices, and the state checks every measure uses.

Every function takes density matrices as arrays of shape ``(..., d, d)`` (leading batch axes
broadcast) or ``qutip.Qobj`` (qutip stays optional) and returns floats of shape ``(...)``.
Entropies are in bits for ``base=2`` (the default) and in nats for ``base=numpy.e``.

Conventions
-----------
* Tensor order is QuTiP's: subsystem 0 is the leftmost factor of ``kron``; ``dims`` lists the
  local dimensions in that order.
* ``fidelity`` is the *squared* Uhlmann fidelity ``F = (tr sqrt(sqrt(rho) sigma sqrt(rho)))^2``;
  ``qutip.fidelity`` returns its square root.
* ``linear_entropy`` is ``1 - tr rho^2`` (QuTiP's ``entropy_linear``), not normalised to [0, 1].
* A valid density matrix is Hermitian to ``HERMITIAN_RTOL`` (relative to its largest entry), has
  unit trace to ``TRACE_ATOL`` and, where a spectrum is needed, no eigenvalue below
  ``-NEGATIVE_EIGENVALUE_ATOL``.  Eigenvalues in ``[-NEGATIVE_EIGENVALUE_ATOL, 0)`` are rounding
  noise and are set to zero; anything more negative raises :class:`InvalidInputError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import DimensionError, InvalidInputError
from ..steady.validate import DEFAULT_TOLERANCES

__all__ = [
    "HERMITIAN_RTOL",
    "NEGATIVE_EIGENVALUE_ATOL",
    "TRACE_ATOL",
    "as_density_matrix",
    "check_dims",
    "check_subsystems",
    "fidelity",
    "linear_entropy",
    "mutual_information",
    "partial_trace",
    "psd_eigvalsh",
    "purity",
    "trace_distance",
    "von_neumann_entropy",
]

#: Largest allowed ``max |rho - rho^dagger|`` relative to ``max |rho|``.
HERMITIAN_RTOL = 1e-8
#: Largest allowed ``|tr rho - 1|``.
TRACE_ATOL = 1e-6
#: Eigenvalues down to ``-NEGATIVE_EIGENVALUE_ATOL`` count as rounding noise and are set to 0.
#: It is the steady-state solver's positivity tolerance, so every state that passed validation
#: can be measured; anything more negative is rejected as unphysical.
NEGATIVE_EIGENVALUE_ATOL = DEFAULT_TOLERANCES["positivity"]

# Work on batches in pieces of about this many bytes so temporaries stay small (cache friendly).
_CHUNK_BYTES = 1 << 17


# --------------------------------------------------------------------------------------------
# input handling
# --------------------------------------------------------------------------------------------
def _is_qobj(obj: Any) -> bool:
    return hasattr(obj, "full") and hasattr(obj, "dims") and not isinstance(obj, np.ndarray)


def _qobj_to_dm(obj: Any) -> np.ndarray:
    mat = np.asarray(obj.full(), dtype=complex)
    if getattr(obj, "isket", False) or getattr(obj, "isbra", False):
        psi = mat.reshape(-1)
        return np.outer(psi, psi.conj())
    return mat


def _to_array(rho: Any, name: str) -> np.ndarray:
    """Convert ``rho`` (array, sparse matrix, Qobj or sequence of Qobj) to a complex ndarray."""
    if _is_qobj(rho):
        return _qobj_to_dm(rho)
    if sp.issparse(rho):
        return np.asarray(rho.toarray(), dtype=complex)
    if isinstance(rho, (list, tuple)) and rho and all(_is_qobj(r) for r in rho):
        return np.stack([_qobj_to_dm(r) for r in rho])
    arr = np.asarray(rho)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise InvalidInputError(
            f"{name} must be a numeric array (..., d, d), got dtype {arr.dtype}"
        )
    return arr.astype(complex, copy=False)


def _chunk_rows(n_items: int, item_bytes: int) -> int:
    return max(1, min(n_items, _CHUNK_BYTES // max(item_bytes, 1)))


def _hermiticity_defect(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``max |a - a^dagger|`` and ``max |a|`` of every matrix in ``flat`` (n, d, d)."""
    n, d, _ = flat.shape
    rows, cols = np.triu_indices(d)
    upper_idx = rows * d + cols
    lower_idx = cols * d + rows
    flat2 = flat.reshape(n, d * d)
    defect = np.empty(n)
    scale = np.empty(n)
    step = _chunk_rows(n, len(upper_idx) * 16)
    for start in range(0, n, step):
        block = flat2[start : start + step]
        upper = block[:, upper_idx]
        diff = upper - block[:, lower_idx].conj()
        defect[start : start + step] = np.abs(diff).max(axis=-1)
        scale[start : start + step] = np.abs(upper).max(axis=-1)
    return defect, scale


def as_density_matrix(rho: Any, name: str = "rho", hermitize: bool = True) -> np.ndarray:
    """Return ``rho`` as a validated complex array ``(..., d, d)`` of density matrices.

    Accepts numpy arrays (any leading batch axes), scipy sparse matrices, ``qutip.Qobj``
    operators or kets (a ket becomes its projector) and lists of ``Qobj``.  With ``hermitize``
    (the default) the result is symmetrised, ``(rho + rho^dagger) / 2``; otherwise it is the
    checked input as a complex array (for callers that read one triangle only).

    Raises
    ------
    DimensionError
        If the last two axes are missing or not square.
    InvalidInputError
        If an entry is NaN/infinite, if ``rho`` is not Hermitian within ``HERMITIAN_RTOL``
        (relative to its largest entry) or if its trace differs from 1 by more than ``TRACE_ATOL``.
        Positivity is checked where a spectrum is computed (see :func:`psd_eigvalsh`).
    """
    arr = _to_array(rho, name)
    if arr.ndim < 2 or arr.shape[-1] != arr.shape[-2] or arr.shape[-1] == 0:
        raise DimensionError(
            f"{name} must be a square matrix or a batch of them, shape (..., d, d) with d >= 1; "
            f"got shape {arr.shape}"
        )
    if not np.isfinite(arr).all():
        raise InvalidInputError(f"{name} contains NaN or infinite entries")
    d = arr.shape[-1]
    batch = arr.shape[:-2]
    flat = arr.reshape(-1, d, d)
    if flat.shape[0]:
        defect, scale = _hermiticity_defect(flat)
        rel = defect / np.maximum(scale, np.finfo(float).tiny)
        bad = (rel > HERMITIAN_RTOL) & (defect > 1e-300)
        if bad.any():
            worst = int(np.argmax(np.where(bad, rel, -1.0)))
            raise InvalidInputError(
                f"{name} must be Hermitian: max |{name} - {name}^dagger| / max |{name}| = "
                f"{rel[worst]:.3g} > {HERMITIAN_RTOL:g} (batch element {_index(worst, batch)})"
            )
        tr = flat.reshape(-1, d * d)[:, :: d + 1].real.sum(axis=-1)
        err = np.abs(tr - 1.0)
        if (err > TRACE_ATOL).any():
            worst = int(np.argmax(err))
            raise InvalidInputError(
                f"{name} must have unit trace (|tr {name} - 1| <= {TRACE_ATOL:g}); got trace "
                f"{tr[worst]:.12g} (batch element {_index(worst, batch)})"
            )
    if not hermitize:
        return arr
    return 0.5 * (arr + arr.conj().swapaxes(-1, -2))


def _index(flat_index: int, batch: tuple[int, ...]) -> tuple[int, ...] | str:
    return tuple(int(i) for i in np.unravel_index(flat_index, batch)) if batch else "()"


def check_dims(dims: Any, d: int, name: str = "dims") -> tuple[int, ...]:
    """Validate a list of local dimensions (QuTiP order) against the total dimension ``d``."""
    try:
        out = tuple(int(x) for x in dims)
        ok = all(float(x) == int(x) for x in dims)
    except (TypeError, ValueError) as exc:
        raise DimensionError(f"{name} must be a sequence of integers >= 1, got {dims!r}") from exc
    if not out or not ok or any(x < 1 for x in out):
        raise DimensionError(f"{name} must be a non-empty sequence of integers >= 1, got {dims!r}")
    if int(np.prod(out)) != d:
        raise DimensionError(
            f"{name}={list(out)} has product {int(np.prod(out))}, but the state has dimension {d}"
        )
    return out


def check_subsystems(sel: Any, n: int, name: str) -> tuple[int, ...]:
    """Return the sorted subsystem indices in ``sel`` (int or sequence), each in ``[0, n)``."""
    items = [sel] if isinstance(sel, (int, np.integer)) else sel
    try:
        idx = [int(i) for i in items]
        ok = all(isinstance(i, (int, np.integer)) for i in items)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"{name} must be a subsystem index or a sequence of them, got {sel!r}"
        ) from exc
    if not ok:
        raise InvalidInputError(f"{name} must contain integer subsystem indices, got {sel!r}")
    if any(i < 0 or i >= n for i in idx):
        raise InvalidInputError(f"{name} indices must lie in [0, {n - 1}], got {sel!r}")
    if len(set(idx)) != len(idx):
        raise InvalidInputError(f"{name} contains a repeated subsystem index: {sel!r}")
    return tuple(sorted(idx))


def _check_base(base: float) -> float:
    b = float(base)
    if not np.isfinite(b) or b <= 0 or b == 1:
        raise InvalidInputError(f"base must be a finite positive number other than 1, got {base!r}")
    return b


def psd_eigvalsh(rho: np.ndarray, name: str = "rho") -> np.ndarray:
    """Eigenvalues (ascending, ``(..., d)``) of Hermitian ``rho``, with rounding negatives zeroed.

    Raises :class:`InvalidInputError` if an eigenvalue is below ``-NEGATIVE_EIGENVALUE_ATOL``.
    """
    lam = np.linalg.eigvalsh(rho)
    _check_nonnegative(lam, name)
    return np.clip(lam, 0.0, None)


def _check_nonnegative(lam: np.ndarray, name: str) -> None:
    if lam.size and lam.min() < -NEGATIVE_EIGENVALUE_ATOL:
        raise InvalidInputError(
            f"{name} must be positive semidefinite: smallest eigenvalue {lam.min():.3g} < "
            f"-{NEGATIVE_EIGENVALUE_ATOL:g}"
        )


def _entropy_of_spectrum(p: np.ndarray, base: float) -> np.ndarray:
    """``-sum p log_base p`` over the last axis with ``0 log 0 = 0`` exactly (``p >= 0``)."""
    pos = p > 0
    logs = np.log(np.where(pos, p, 1.0))
    ent = -np.sum(np.where(pos, p * logs, 0.0), axis=-1) / np.log(base)
    return np.maximum(ent, 0.0) + 0.0  # + 0.0 turns -0.0 into 0.0


# --------------------------------------------------------------------------------------------
# measures
# --------------------------------------------------------------------------------------------
def von_neumann_entropy(rho: Any, base: float = 2) -> np.ndarray:
    """Von Neumann entropy ``S(rho) = -tr rho log rho``.

    Parameters
    ----------
    rho : array_like (..., d, d) or qutip.Qobj
        Density matrices.
    base : float, default 2
        Logarithm base: 2 gives bits, ``numpy.e`` nats (QuTiP's ``entropy_vn`` default is e).

    Returns
    -------
    ndarray (...)
        Entropy in units of ``log(base)``; exactly 0 for pure states up to rounding of the
        eigenvalues (``0 log 0 = 0``).
    """
    b = _check_base(base)
    return _entropy_of_spectrum(psd_eigvalsh(as_density_matrix(rho), "rho"), b)


def purity(rho: Any) -> np.ndarray:
    """Purity ``tr rho^2`` in ``[1/d, 1]`` (computed as ``sum_ij |rho_ij|^2``)."""
    r = as_density_matrix(rho)
    return np.sum(r.real**2 + r.imag**2, axis=(-2, -1))


def linear_entropy(rho: Any) -> np.ndarray:
    """Linear entropy ``1 - tr rho^2`` (QuTiP's ``entropy_linear``), in ``[0, 1 - 1/d]``."""
    return 1.0 - purity(rho)


def partial_trace(rho: Any, dims: Sequence[int], keep: int | Sequence[int]) -> np.ndarray:
    """Reduced density matrix of the subsystems ``keep``.

    Parameters
    ----------
    rho : array_like (..., d, d) or qutip.Qobj
        Density matrices of a system with local dimensions ``dims`` (QuTiP order, ``prod(dims) ==
        d``).
    dims : sequence of int
        Local dimensions.
    keep : int or sequence of int
        Subsystems to keep.  As in ``qutip.ptrace`` they are *not* reordered: the result is in
        ascending subsystem order whatever the order given.

    Returns
    -------
    ndarray (..., dk, dk)
        The reduced state, ``dk = prod(dims[k] for k in keep)``.
    """
    r = as_density_matrix(rho)
    dd = check_dims(dims, r.shape[-1])
    return _partial_trace(r, dd, check_subsystems(keep, len(dd), "keep"))


def _partial_trace(r: np.ndarray, dims: tuple[int, ...], keep: tuple[int, ...]) -> np.ndarray:
    """Partial trace of validated ``r`` keeping sorted, validated subsystems ``keep``."""
    n = len(dims)
    batch = r.shape[:-2]
    if not keep:
        raise InvalidInputError("keep must name at least one subsystem")
    if len(keep) == n:
        return r
    t = r.reshape(*batch, *dims, *dims)
    nb = len(batch)
    row = list(range(nb, nb + n))
    col = [nb + n + i if i in keep else nb + i for i in range(n)]
    bidx = list(range(nb))
    out = bidx + [nb + i for i in keep] + [nb + n + i for i in keep]
    red = np.einsum(t, bidx + row + col, out)
    dk = int(np.prod([dims[i] for i in keep]))
    return red.reshape(*batch, dk, dk)


def mutual_information(
    rho: Any,
    dims: Sequence[int],
    a: int | Sequence[int],
    b: int | Sequence[int],
    base: float = 2,
) -> np.ndarray:
    """Quantum mutual information ``I(A:B) = S(rho_A) + S(rho_B) - S(rho_AB)``.

    ``a`` and ``b`` are disjoint subsystem indices (ints or sequences); subsystems in neither are
    traced out first (``qutip.entropy_mutual`` requires ``a`` and ``b`` to cover everything).
    Units as :func:`von_neumann_entropy`; ``0 <= I <= 2 min(log dA, log dB)``.
    """
    bb = _check_base(base)
    r = as_density_matrix(rho)
    dd = check_dims(dims, r.shape[-1])
    sa = check_subsystems(a, len(dd), "a")
    sb = check_subsystems(b, len(dd), "b")
    if not sa or not sb:
        raise InvalidInputError(f"a and b must each name at least one subsystem, got {a!r}, {b!r}")
    if set(sa) & set(sb):
        raise InvalidInputError(f"a and b must be disjoint subsystem sets, got {a!r} and {b!r}")
    ent = [
        _entropy_of_spectrum(psd_eigvalsh(_partial_trace(r, dd, s), "rho"), bb)
        for s in (sa, sb, tuple(sorted(sa + sb)))
    ]
    return np.maximum(ent[0] + ent[1] - ent[2], 0.0)


def _psd_factor(r: np.ndarray, name: str) -> np.ndarray:
    """``W`` with ``W W^dagger = r`` from the eigendecomposition (columns scaled by sqrt(lam)).

    Eigenvalues below ``10 d eps lam_max`` are rounding noise of ``eigh`` (an exact zero comes
    out as ~1e-16) and are dropped: their ``sqrt`` (~1e-8) would otherwise enter quantities
    such as the fidelity of a pure state at first order.
    """
    lam, vec = np.linalg.eigh(r)
    _check_nonnegative(lam, name)
    cutoff = 10 * r.shape[-1] * np.finfo(float).eps * np.abs(lam).max(axis=-1, keepdims=True)
    lam = np.where(lam > cutoff, lam, 0.0)
    return vec * np.sqrt(lam)[..., None, :]


def fidelity(rho: Any, sigma: Any) -> np.ndarray:
    """Squared Uhlmann fidelity ``F = (tr sqrt(sqrt(rho) sigma sqrt(rho)))^2`` in ``[0, 1]``.

    This is the *squared* convention (``F(|a>, |b>) = |<a|b>|^2``, Jozsa); ``qutip.fidelity``
    returns ``sqrt(F)``.  Computed as the squared trace norm of ``W_rho^dagger W_sigma`` with
    ``W W^dagger`` factorisations, which stays accurate for pure and rank-deficient states.
    ``rho`` and ``sigma`` broadcast over their batch axes.
    """
    r = as_density_matrix(rho, "rho")
    s = as_density_matrix(sigma, "sigma")
    if r.shape[-1] != s.shape[-1]:
        raise DimensionError(
            f"rho and sigma must have the same dimension, got {r.shape[-1]} and {s.shape[-1]}"
        )
    wr = _psd_factor(r, "rho")
    ws = _psd_factor(s, "sigma")
    sv = np.linalg.svd(wr.conj().swapaxes(-1, -2) @ ws, compute_uv=False)
    return np.clip(sv.sum(axis=-1) ** 2, 0.0, 1.0)


def trace_distance(rho: Any, sigma: Any) -> np.ndarray:
    """Trace distance ``T = ||rho - sigma||_1 / 2`` in ``[0, 1]`` (``qutip.tracedist``)."""
    r = as_density_matrix(rho, "rho")
    s = as_density_matrix(sigma, "sigma")
    if r.shape[-1] != s.shape[-1]:
        raise DimensionError(
            f"rho and sigma must have the same dimension, got {r.shape[-1]} and {s.shape[-1]}"
        )
    return 0.5 * np.abs(np.linalg.eigvalsh(r - s)).sum(axis=-1)
