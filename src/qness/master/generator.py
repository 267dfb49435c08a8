"""The :class:`Generator`: a Lindblad (or general) superoperator plus what built it.

A generator built from a Hamiltonian and jump operators keeps those *parts*, so solvers can pick
their representation: a dense (optionally batched) matrix for small spaces, a sparse CSR matrix
for larger ones, or the matrix-free action for very large ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._checks import check_hermitian, to_operator
from ..errors import DimensionError, InvalidInputError
from .superop import correlated_jumps, lindblad_matrix, unvec, vec

Operator = np.ndarray | sp.csr_array

#: Hilbert-space dimension from which generators are assembled sparse by default.
SPARSE_FROM_DIM = 16


@dataclass(frozen=True, eq=False)
class Generator:
    """A superoperator ``L`` acting on column-stacked density matrices.

    Attributes
    ----------
    dim : int
        Hilbert-space dimension ``d`` (``L`` is ``d^2 x d^2``).
    dims : tuple of int
        Local dimensions (QuTiP order) when known, else ``(d,)``.
    hamiltonian : operator or None
        ``H`` (dense ``(..., d, d)`` or sparse ``(d, d)``), when built from parts.
    jumps : tuple of operators
        Lindblad jump operators ``L_k`` with rates absorbed: ``L = -i[H, .] + sum_k D[L_k]``.
    extra : superoperator or None
        A non-Lindblad addition (e.g. a Bloch--Redfield tensor), dense or sparse.
    batch_shape : tuple of int
        Leading batch axes of dense parts (``()`` for a single generator).
    info : dict
        Free-form provenance (which builder, validity diagnostics, ...).
    """

    dim: int
    dims: tuple[int, ...]
    hamiltonian: Operator | None = None
    jumps: tuple[Operator, ...] = ()
    extra: Operator | None = None
    batch_shape: tuple[int, ...] = ()
    info: dict[str, Any] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_matrix(cls, matrix: Any, dims: Sequence[int] | None = None, **info: Any) -> Generator:
        """Wrap an explicit superoperator matrix ``(..., d^2, d^2)`` (dense) or sparse."""
        if hasattr(matrix, "full") and hasattr(matrix, "dims") and not isinstance(
                matrix, np.ndarray):
            qdims = matrix.dims
            matrix = sp.csr_array(matrix.data_as("csr_matrix"))
            if dims is None:
                dims = tuple(qdims[0][0])
        m = to_operator(matrix, "generator matrix")
        n = m.shape[-1]
        d = round(np.sqrt(n))
        if d * d != n:
            raise DimensionError(f"a superoperator must be d^2 x d^2; got {n} x {n}")
        dims = (d,) if dims is None else tuple(int(x) for x in dims)
        if int(np.prod(dims)) != d:
            raise DimensionError(f"dims {dims} do not multiply to d = {d}")
        batch = () if sp.issparse(m) else tuple(m.shape[:-2])
        return cls(dim=d, dims=dims, extra=m, batch_shape=batch, info=dict(info))

    # ------------------------------------------------------------------ properties
    @property
    def is_lindblad(self) -> bool:
        """True when the generator is of Lindblad form (no ``extra`` part)."""
        return self.extra is None

    @property
    def is_batched(self) -> bool:
        return len(self.batch_shape) > 0

    @property
    def batch_size(self) -> int:
        return int(np.prod(self.batch_shape)) if self.batch_shape else 1

    def _has_sparse_parts(self) -> bool:
        parts = [self.hamiltonian, *self.jumps, self.extra]
        return any(sp.issparse(p) for p in parts if p is not None)

    # ------------------------------------------------------------------ representations
    def dense(self) -> np.ndarray:
        """Dense matrix ``(*batch_shape, d^2, d^2)``."""
        if "dense" not in self._cache:
            if self.is_batched or not self._has_sparse_parts():
                m = lindblad_matrix(self.hamiltonian, self.jumps, self.dim, sparse=False) \
                    if (self.hamiltonian is not None or self.jumps) else None
                if self.extra is not None:
                    ex = self.extra.toarray() if sp.issparse(self.extra) else self.extra
                    m = ex if m is None else m + ex
                if m is None:
                    m = np.zeros((*self.batch_shape, self.dim**2, self.dim**2), dtype=complex)
            else:
                m = self.sparse().toarray()
            self._cache["dense"] = np.asarray(m)
        return self._cache["dense"]

    def sparse(self) -> sp.csr_array:
        """Sparse CSR matrix ``(d^2, d^2)`` (not available for batched generators)."""
        if self.is_batched:
            raise InvalidInputError("a batched generator has no single sparse matrix")
        if "sparse" not in self._cache:
            n = self.dim**2
            m = lindblad_matrix(self.hamiltonian, self.jumps, self.dim, sparse=True) \
                if (self.hamiltonian is not None or self.jumps) else sp.csr_array(
                    (n, n), dtype=complex)
            if self.extra is not None:
                m = m + sp.csr_array(self.extra)
            m = sp.csr_array(m)
            m.eliminate_zeros()
            self._cache["sparse"] = m
        return self._cache["sparse"]

    def matrix(self, fmt: str = "auto") -> Operator:
        """The superoperator as ``fmt`` = ``'dense'``, ``'sparse'`` or ``'auto'`` (by size)."""
        if fmt == "dense" or (fmt == "auto" and (self.is_batched or self.dim < SPARSE_FROM_DIM)):
            return self.dense()
        if fmt in ("sparse", "auto"):
            return self.sparse()
        raise InvalidInputError(f"fmt must be 'auto', 'dense' or 'sparse', got {fmt!r}")

    def apply(self, rho: np.ndarray) -> np.ndarray:
        """``L(rho)`` for density matrices ``(..., d, d)`` without forming the superoperator
        when the generator is of Lindblad form (matrix-free action)."""
        rho = np.asarray(rho, dtype=complex)
        if self.extra is not None:
            m = self.matrix()
            if sp.issparse(m):
                return unvec(m @ vec(rho), self.dim)
            return unvec(np.einsum("...ij,...j->...i", m, vec(rho)), self.dim)
        out = np.zeros(np.broadcast_shapes(rho.shape, (*self.batch_shape, self.dim, self.dim)),
                       dtype=complex)
        if self.hamiltonian is not None:
            h = self.hamiltonian
            out += -1j * (h @ rho - rho @ h)
        for lk in self.jumps:
            lkd = lk.conj().T if sp.issparse(lk) else np.conj(np.swapaxes(lk, -1, -2))
            lr = lk @ rho
            out += lr @ lkd - 0.5 * (lkd @ lr + (rho @ lkd) @ lk)
        return out

    def __repr__(self) -> str:
        kind = "Lindblad" if self.is_lindblad else "general"
        b = f", batch={self.batch_shape}" if self.batch_shape else ""
        return f"Generator({kind}, dims={list(self.dims)}, jumps={len(self.jumps)}{b})"


# ---------------------------------------------------------------------- public builder
def liouvillian(
    H: Any = None,
    c_ops: Sequence[Any] | None = None,
    *,
    correlated: Sequence[tuple[Any, Sequence[Any]]] = (),
    dims: Sequence[int] | None = None,
    check: bool = True,
) -> Generator:
    """Build the Lindblad generator ``L rho = -i[H, rho] + sum_k D[c_k] rho + correlated parts``.

    Parameters
    ----------
    H : (..., d, d) array, sparse matrix or qutip.Qobj, optional
        Hamiltonian (units of angular frequency, hbar = 1).  Must be Hermitian.  Leading axes of a
        dense array are batch axes: one generator per parameter point.
    c_ops : sequence of operators, optional
        Collapse operators with rates absorbed (``c_k = sqrt(gamma_k) A_k``), each ``(..., d, d)``.
    correlated : sequence of ``(gamma, [A_1, ..., A_n])``
        Correlated dissipators ``sum_ab gamma_ab (A_b rho A_a^dag - 1/2 {A_a^dag A_b, rho})``
        with ``gamma`` an ``(n, n)`` Hermitian positive semidefinite rate matrix (checked).
    dims : sequence of int, optional
        Local dimensions (QuTiP order); defaults to ``(d,)`` or the Qobj's dims.
    check : bool
        Validate Hermiticity of ``H`` and shapes (default True).

    Returns
    -------
    Generator
    """
    c_ops = list(c_ops or [])
    qdims = None
    for candidate in [H, *c_ops]:
        if candidate is not None and hasattr(candidate, "dims") and not isinstance(
                candidate, np.ndarray):
            qdims = tuple(candidate.dims[0])
            break
    h = None if H is None else to_operator(H, "H")
    ops = [to_operator(c, f"c_ops[{k}]") for k, c in enumerate(c_ops)]
    jumps: list[Operator] = list(ops)
    for n, (gamma, group) in enumerate(correlated):
        group_ops = [to_operator(a, f"correlated[{n}] operator {k}") for k, a in enumerate(group)]
        jumps += correlated_jumps(np.asarray(gamma), group_ops, name=f"correlated[{n}] gamma")
    everything = ([h] if h is not None else []) + jumps
    if not everything:
        raise InvalidInputError("liouvillian needs a Hamiltonian H or at least one c_op")
    d = everything[0].shape[-1]
    batch_shapes = []
    for name, op in zip(["H"] * (h is not None) + [f"jump {k}" for k in range(len(jumps))],
                        everything, strict=True):
        if op.shape[-1] != d:
            raise DimensionError(
                f"{name} acts on dimension {op.shape[-1]} but the others act on dimension {d}")
        if not sp.issparse(op):
            batch_shapes.append(op.shape[:-2])
    try:
        batch = np.broadcast_shapes(*batch_shapes) if batch_shapes else ()
    except ValueError as exc:
        raise DimensionError(f"batch shapes {batch_shapes} do not broadcast") from exc
    if batch and any(sp.issparse(op) for op in everything):
        everything = [op.toarray() if sp.issparse(op) else op for op in everything]
        h = everything[0] if h is not None else None
        jumps = everything[1:] if h is not None else everything
    if check and h is not None:
        check_hermitian(h, "H")
    dims = qdims if dims is None else tuple(int(x) for x in dims)
    dims = (d,) if dims is None else dims
    if int(np.prod(dims)) != d:
        raise DimensionError(f"dims {list(dims)} do not multiply to the operator dimension {d}")
    return Generator(dim=d, dims=tuple(dims), hamiltonian=h, jumps=tuple(jumps),
                     batch_shape=tuple(batch))
