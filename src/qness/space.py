"""Tensor-product Hilbert spaces and embedding of local operators.

Conventions follow QuTiP so that arrays interoperate: subsystem 0 is the *leftmost* tensor factor
(``kron(A_0, A_1, ...)``) and for a qubit ``basis(2, 0)`` is the eigenstate of sigma_z with
eigenvalue +1 (the excited state ``|e>``), ``basis(2, 1)`` the ground state ``|g>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce

import numpy as np
import scipy.sparse as sp

from ._checks import to_operator
from .errors import DimensionError, InvalidInputError


@dataclass(frozen=True)
class Site:
    """One tensor factor: its dimension, a label and a kind (``qubit``, ``spin``, ``boson``)."""

    dim: int
    label: str
    kind: str = "generic"

    @classmethod
    def qubit(cls, label: str) -> Site:
        """A two-level system (index 0 = excited, sigma_z = +1)."""
        return cls(2, label, "qubit")

    @classmethod
    def spin(cls, s: float, label: str) -> Site:
        """A spin-``s`` (dimension 2s+1, basis m = s, ..., -s)."""
        two_s = 2 * s
        if two_s < 1 or abs(two_s - round(two_s)) > 1e-12:
            raise InvalidInputError(f"spin s must be a positive half-integer, got {s}")
        return cls(round(two_s) + 1, label, "spin")

    @classmethod
    def boson(cls, n_levels: int, label: str) -> Site:
        """A bosonic mode truncated to ``n_levels`` Fock states."""
        if not isinstance(n_levels, (int, np.integer)) or n_levels < 1:
            raise InvalidInputError(f"n_levels must be an integer >= 1, got {n_levels!r}")
        return cls(int(n_levels), label, "boson")


@dataclass(frozen=True)
class Space:
    """A tensor product of local spaces.

    Parameters
    ----------
    sites : sequence of Site
        The factors, leftmost first (QuTiP order).

    Examples
    --------
    >>> from qness import Space, operators as ops
    >>> s = Space.qubits(2)
    >>> s.dim
    4
    >>> s.embed(ops.sigmam(), 1).shape
    (4, 4)
    """

    sites: tuple[Site, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not self.sites:
            raise InvalidInputError("sites must contain at least one local space")
        labels = [s.label for s in self.sites]
        if len(set(labels)) != len(labels):
            raise InvalidInputError(f"site labels must be unique, got {labels}")
        for s in self.sites:
            if not isinstance(s.dim, (int, np.integer)) or s.dim < 1:
                raise InvalidInputError(f"dimension of site {s.label!r} must be an integer >= 1")

    # ---------------------------------------------------------------- constructors
    @classmethod
    def from_dims(cls, dims: Sequence[int], labels: Sequence[str] | None = None) -> Space:
        """Space with the given local dimensions (labels default to ``"0", "1", ...``)."""
        labels = [str(i) for i in range(len(dims))] if labels is None else list(labels)
        if len(labels) != len(dims):
            raise InvalidInputError("labels must have one entry per dimension")
        return cls(tuple(Site(int(d), lab) for d, lab in zip(dims, labels, strict=True)))

    @classmethod
    def qubits(cls, n: int, prefix: str = "q") -> Space:
        """``n`` qubits labelled ``q0, q1, ...``."""
        if n < 1:
            raise InvalidInputError(f"n (number of qubits) must be >= 1, got {n}")
        return cls(tuple(Site(2, f"{prefix}{i}", "qubit") for i in range(n)))

    @classmethod
    def of(cls, *sites: Site) -> Space:
        """Space from sites, e.g. ``Space.of(Site.qubit("a"), Site.boson(10, "cavity"))``."""
        return cls(tuple(sites))

    def __add__(self, other: Space) -> Space:
        """Tensor product of two spaces (``self`` leftmost)."""
        return Space(self.sites + other.sites)

    # ---------------------------------------------------------------- properties
    @property
    def dims(self) -> list[int]:
        """Local dimensions, leftmost first (QuTiP ``dims[0]``)."""
        return [s.dim for s in self.sites]

    @property
    def labels(self) -> list[str]:
        return [s.label for s in self.sites]

    @property
    def dim(self) -> int:
        """Total Hilbert-space dimension."""
        return int(np.prod(self.dims))

    def __len__(self) -> int:
        return len(self.sites)

    def index(self, site: int | str) -> int:
        """Position of a site given by index or label."""
        if isinstance(site, (int, np.integer)):
            if not -len(self) <= site < len(self):
                raise InvalidInputError(f"site index {site} out of range for {len(self)} sites")
            return int(site) % len(self)
        try:
            return self.labels.index(site)
        except ValueError:
            raise InvalidInputError(f"unknown site label {site!r}; known: {self.labels}") from None

    # ---------------------------------------------------------------- embedding
    def embed(self, op, site: int | str) -> sp.csr_array:
        """Embed a local operator acting on ``site`` into the full space (sparse CSR)."""
        return self.embed_many({site: op})

    def embed_many(self, ops: Mapping[int | str, object]) -> sp.csr_array:
        """Embed a product of local operators ``{site: op}`` (identity elsewhere), sparse CSR."""
        placed: dict[int, sp.csr_array] = {}
        for site, op in ops.items():
            i = self.index(site)
            if i in placed:
                raise InvalidInputError(f"site {site!r} given twice")
            mat = to_operator(op, f"operator on site {site!r}")
            mat = sp.csr_array(mat) if not sp.issparse(mat) else mat
            if mat.shape != (self.dims[i], self.dims[i]):
                raise DimensionError(
                    f"operator on site {site!r} has shape {mat.shape}, expected "
                    f"({self.dims[i]}, {self.dims[i]})"
                )
            placed[i] = mat
        factors = [placed.get(i, sp.identity(d, dtype=complex, format="csr"))
                   for i, d in enumerate(self.dims)]
        return sp.csr_array(reduce(lambda a, b: sp.kron(a, b, format="csr"), factors))

    def embed_two(self, op_a, site_a: int | str, op_b, site_b: int | str) -> sp.csr_array:
        """Embed the two-body product ``op_a (x) op_b`` on two distinct sites."""
        if self.index(site_a) == self.index(site_b):
            raise InvalidInputError("embed_two needs two distinct sites")
        return self.embed_many({site_a: op_a, site_b: op_b})

    def identity(self) -> sp.csr_array:
        return sp.identity(self.dim, dtype=complex, format="csr")

    def basis_state(self, indices: Iterable[int]) -> np.ndarray:
        """Ket of the product basis state with the given local indices (QuTiP order)."""
        idx = list(indices)
        if len(idx) != len(self):
            raise DimensionError(f"need {len(self)} local indices, got {len(idx)}")
        flat = int(np.ravel_multi_index(idx, self.dims))
        ket = np.zeros(self.dim, dtype=complex)
        ket[flat] = 1.0
        return ket

    def permutation(self, order: Sequence[int]) -> np.ndarray:
        """Index permutation ``p`` such that ``rho[np.ix_(p, p)]`` reorders the sites.

        The returned state has site ``order[k]`` of the old space at position ``k``.
        """
        order = list(order)
        if sorted(order) != list(range(len(self))):
            raise InvalidInputError(f"order must be a permutation of 0..{len(self) - 1}")
        idx = np.arange(self.dim).reshape(self.dims)
        return np.transpose(idx, order).reshape(-1)
