"""Generators of N identical qubits in the permutation-invariant (Dicke) basis.

For N identical two-level systems whose dynamics is invariant under permutations of the qubits
(collective Hamiltonians and dissipators built from ``J_a = (1/2) sum_i sigma_i^a``, plus the same
local dissipator on every qubit), a permutation-invariant state is block diagonal in the
Schur-Weyl decomposition ``(C^2)^{(x)N} = (+)_j V_j (x) K_j``:

    rho = (+)_j rho^j (x) 1_{K_j},     d_N(j) = dim K_j = (2j+1) N! / ((N/2+j+1)! (N/2-j)!),

with ``j = N/2, N/2-1, ..., 0 or 1/2`` and ``rho^j`` a ``(2j+1) x (2j+1)`` matrix in the basis
``m = j, j-1, ..., -j`` (QuTiP ``jmat`` order; ``m = j`` is all-excited when ``j = N/2``).
qness stores the *weighted* blocks ``sigma^j = d_N(j) rho^j``, whose traces are the probabilities
``p_j`` of total spin ``j`` (``sum_j tr sigma^j = 1``).  Nothing then over- or underflows for N in
the thousands; ``d_N(j)`` itself is only ever formed as a logarithm (:func:`log_degeneracy`).

The generator on the weighted blocks
-------------------------------------
Collective terms act within each block with the spin-``j`` matrices:
``-i[H(J), sigma^j] + gamma_CE D[J_-] + gamma_CP D[J_+] + gamma_CD D[J_z]``, with
``D[A] x = A x A^dag - {A^dag A, x}/2``.  The local terms
``sum_i (gamma_E D[sigma_i^-] + gamma_P D[sigma_i^+] + gamma_D D[sigma_i^z])`` split into an
anticommutator part, which is collective (``sum_i sigma_i^+ sigma_i^- = N/2 + J_z``,
``sum_i sigma_i^- sigma_i^+ = N/2 - J_z``, ``sum_i (sigma_i^z)^2 = N``), and a jump part
``sum_i T_i rho T_i^dag`` that moves weight between ``j' -> j in {j'-1, j', j'+1}``.  Because
``sigma_i^- = sqrt2 T^1_{-1}``, ``sigma_i^+ = -sqrt2 T^1_{+1}`` and ``sigma_i^z = 2 T^1_0`` are
components of a vector operator, the Wigner-Eckart theorem and Schur's lemma on ``K_j`` give

    [sum_i T^i_q sigma T^{i dag}_q]^j_{m n} = h(j, j') C^{j m}_{j' m-q; 1 q} C^{j n}_{j' n-q; 1 q}
                                              sigma^{j'}_{m-q, n-q},

with Clebsch-Gordan coefficients ``C`` and one scalar ``h(j, j')`` per pair of blocks, the same
for every ``q``.  Requiring ``tr sum_i T^i_q rho T^{i dag}_q = tr(sum_i T^{i dag}_q T^i_q rho)``
for every ``|j' m><j' m| (x) 1`` (three ``q``, polynomial identities in ``m``) fixes

    h(j'+1, j') = (N/2 - j') / 2,   h(j', j') = (N/2 + 1) / 2,   h(j'-1, j') = (N/2 + j' + 1) / 2,

in the weighted variables (no degeneracy appears); the jump parts of ``D[sigma^-]``,
``D[sigma^+]``, ``D[sigma^z]`` carry the factors 2, 2 and 4 of the normalisations above.  This is
the Dicke-basis generator of Chase & Geremia, PRA 78, 052101 (2008) and Shammah et al., PRA 98,
063815 (2018); the tests check it against the full ``2^N``-dimensional Lindbladian (N = 2..5,
acting on random permutation-invariant operators) and entry by entry against QuTiP's ``piqs``.

U(1) sector
-----------
Every dissipator above is phase covariant, so when ``H`` commutes with ``J_z`` (no ``J_x``/``J_y``
drive) the generator does not mix the coherence order ``m - m'``.  A unique steady state then has
``m = m'`` only, and the kernel is one-dimensional iff it is so in the ``m = m'`` sector (the
pinching onto ``J_z`` eigenspaces maps steady states to steady states and bounds their supports),
so solving that sector (``sum_j (2j+1) ~ N^2/4`` unknowns) is exact.
:func:`permutation_liouvillian` picks it automatically (``sector='diagonal'``), and the full
sector (``sum_j (2j+1)^2 ~ N^3/6`` unknowns) otherwise.

Uniqueness is always meant within permutation-invariant states (the only ones represented).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import gammaln

from ..errors import DimensionError, InvalidInputError, MemoryEstimateError

SECTORS = ("auto", "full", "diagonal")
#: Largest N for which full ``2^N`` objects (Dicke basis vectors, dense states) are built.
FULL_SPACE_MAX_N = 12
_SPIN_LETTERS = frozenset("xyz+-")


# --------------------------------------------------------------------------- combinatorics
def j_values(n: int) -> np.ndarray:
    """Total-spin values ``N/2, N/2 - 1, ..., 0 or 1/2`` (descending, as floats)."""
    n = _check_n(n)
    return n / 2 - np.arange(n // 2 + 1)


def log_degeneracy(n: int, j: Any) -> np.ndarray:
    """``log d_N(j)``, ``d_N(j) = (2j+1) N! / ((N/2+j+1)! (N/2-j)!)`` (log-gamma: no overflow)."""
    j = np.asarray(j, dtype=float)
    return (np.log(2 * j + 1) + gammaln(n + 1) - gammaln(n / 2 + j + 2) - gammaln(n / 2 - j + 1))


def degeneracy(n: int, j: Any) -> np.ndarray:
    """Multiplicity ``d_N(j)`` of the spin-``j`` irreducible representation (float; may be inf)."""
    with np.errstate(over="ignore"):
        return np.exp(log_degeneracy(n, j))


# --------------------------------------------------------------------------- spin matrices
def spin_matrices(j: float) -> dict[str, sp.csr_array]:
    """Sparse spin-``j`` matrices ``x, y, z, +, -`` in the basis ``m = j, ..., -j`` (``j >= 0``)."""
    dim = _dim(j)
    m = j - np.arange(dim)
    up = np.sqrt(np.maximum(j * (j + 1) - m[1:] * (m[1:] + 1), 0.0))
    jp = sp.csr_array(sp.diags_array(up.astype(complex), offsets=1, shape=(dim, dim)))
    jm = sp.csr_array(jp.T)
    return {
        "+": jp,
        "-": jm,
        "x": sp.csr_array(0.5 * (jp + jm)),
        "y": sp.csr_array(-0.5j * (jp - jm)),
        "z": sp.csr_array(sp.diags_array(m.astype(complex), shape=(dim, dim))),
    }


def spin_word(j: float, word: str) -> sp.csr_array:
    """Product of spin-``j`` matrices named by ``word`` (letters ``x y z + -``), left to right."""
    mats = spin_matrices(j)
    dim = _dim(j)
    out = sp.identity(dim, dtype=complex, format="csr")
    for letter in word:
        if letter not in _SPIN_LETTERS:
            raise InvalidInputError(
                f"collective operator word {word!r} may only contain the letters x, y, z, +, -")
        out = out @ mats[letter]
    return sp.csr_array(out)


# --------------------------------------------------------------------------- model
@dataclass(frozen=True)
class PermutationModel:
    """N identical qubits with collective and identical local processes (angular frequencies).

    The Hamiltonian is ``omega_z J_z + omega_x J_x + omega_y J_y + chi J_z^2 + sum_k c_k W_k``
    where each extra term ``(c_k, W_k)`` in ``h_terms`` is a coefficient and a word of collective
    operators, e.g. ``(0.3, "xx")`` for ``0.3 J_x^2`` or ``(0.1, "+-")`` for ``0.1 J_+ J_-``; the
    sum must be Hermitian.  ``J_a = (1/2) sum_i sigma_i^a`` with ``sigma^z |e> = +|e>``.

    Dissipators (rates in the units of the frequencies, ``D[A] rho = A rho A^dag - {A^dag A,
    rho}/2``): collective ``gamma_ce D[J_-] + gamma_cp D[J_+] + gamma_cd D[J_z]`` and local
    ``sum_i gamma_e D[sigma_i^-] + gamma_p D[sigma_i^+] + gamma_d D[sigma_i^z]``.  QuTiP's
    ``piqs.Dicke`` takes the same rates except local dephasing, which it applies to
    ``sigma^z / 2``: ``Dicke(emission=gamma_e, pumping=gamma_p, dephasing=4 * gamma_d,
    collective_emission=gamma_ce, collective_pumping=gamma_cp,
    collective_dephasing=gamma_cd)``; its Dicke-basis density matrix holds the weighted blocks
    ``sigma^j`` used here.
    """

    n: int
    omega_z: float = 0.0
    omega_x: float = 0.0
    omega_y: float = 0.0
    chi: float = 0.0
    h_terms: tuple[tuple[complex, str], ...] = ()
    gamma_ce: float = 0.0
    gamma_cp: float = 0.0
    gamma_cd: float = 0.0
    gamma_e: float = 0.0
    gamma_p: float = 0.0
    gamma_d: float = 0.0

    def __post_init__(self) -> None:
        _check_n(self.n)
        for name in ("omega_z", "omega_x", "omega_y", "chi"):
            value = getattr(self, name)
            if not (np.isscalar(value) and np.isreal(value) and np.isfinite(value)):
                raise InvalidInputError(f"{name} must be a finite real number, got {value!r}")
        for name in ("gamma_ce", "gamma_cp", "gamma_cd", "gamma_e", "gamma_p", "gamma_d"):
            value = getattr(self, name)
            if not (np.isscalar(value) and np.isreal(value) and np.isfinite(value) and value >= 0):
                raise InvalidInputError(f"{name} must be a finite rate >= 0, got {value!r}")
        terms = tuple((complex(c), str(w)) for c, w in self.h_terms)
        for c, w in terms:
            if not np.isfinite(c):
                raise InvalidInputError(f"h_terms coefficient for {w!r} must be finite, got {c}")
            if not w or any(letter not in _SPIN_LETTERS for letter in w):
                raise InvalidInputError(
                    f"h_terms word {w!r} must be a non-empty string of x, y, z, +, -")
        object.__setattr__(self, "h_terms", terms)
        top = self.hamiltonian_block(self.n / 2)
        if _max_abs(top - top.conj().T) > 1e-12 * max(1.0, _max_abs(top)):
            raise InvalidInputError("the collective Hamiltonian (h_terms) must be Hermitian")

    # ------------------------------------------------------------------ derived properties
    @property
    def j_values(self) -> np.ndarray:
        return j_values(self.n)

    @property
    def has_local(self) -> bool:
        """True when a local rate couples different ``j`` blocks."""
        return bool(self.gamma_e or self.gamma_p or self.gamma_d)

    @cached_property
    def conserves_jz(self) -> bool:
        """True when ``H`` commutes with ``J_z`` in every block (the U(1) case)."""
        if self.omega_x or self.omega_y:
            return False
        if not self.h_terms:
            return True
        for j in self.j_values:
            h = self.hamiltonian_block(j)
            if _max_abs(h - sp.diags_array(h.diagonal())) > 0:
                return False
        return True

    def hamiltonian_block(self, j: float) -> sp.csr_array:
        """The collective Hamiltonian on the spin-``j`` block (sparse ``(2j+1) x (2j+1)``)."""
        s = spin_matrices(j)
        h = (self.omega_z * s["z"] + self.omega_x * s["x"] + self.omega_y * s["y"]
             + self.chi * (s["z"] @ s["z"]))
        for c, w in self.h_terms:
            h = h + c * spin_word(j, w)
        return sp.csr_array(h)

    def full_space_terms(self) -> tuple[sp.csr_array, list[sp.csr_array]]:
        """``(H, c_ops)`` on the full ``2^N`` space (qness operators, QuTiP order), ``N <= 12``.

        For cross-checks with :func:`qness.steadystate`; collapse operators carry ``sqrt(rate)``.
        """
        n = self.n
        _check_full_space(n, "full_space_terms")
        ops = collective_operators(n)
        h = (self.omega_z * ops["z"] + self.omega_x * ops["x"] + self.omega_y * ops["y"]
             + self.chi * (ops["z"] @ ops["z"]))
        for c, w in self.h_terms:
            term = sp.identity(2 ** n, dtype=complex, format="csr")
            for letter in w:
                term = term @ ops[letter]
            h = h + c * term
        c_ops = []
        for rate, letter in ((self.gamma_ce, "-"), (self.gamma_cp, "+"), (self.gamma_cd, "z")):
            if rate:
                c_ops.append(sp.csr_array(np.sqrt(rate) * ops[letter]))
        from ..operators import sigmam, sigmap, sigmaz
        from ..space import Space

        space = Space.qubits(n)
        for rate, op in ((self.gamma_e, sigmam()), (self.gamma_p, sigmap()),
                         (self.gamma_d, sigmaz())):
            if rate:
                c_ops.extend(np.sqrt(rate) * space.embed(op, i) for i in range(n))
        return sp.csr_array(h), c_ops


# --------------------------------------------------------------------------- basis
@dataclass(frozen=True, eq=False)
class PermutationBasis:
    """Index bookkeeping of the weighted Dicke blocks.

    ``sector='full'`` stores every ``sigma^j_{m m'}`` (block ``b`` at ``offsets[b]``, entry
    ``(k, l)`` with ``k = j - m``, ``l = j - m'`` at ``offsets[b] + k (2j+1) + l``, row major);
    ``sector='diagonal'`` stores ``sigma^j_{m m}`` only (entry ``k`` at ``offsets[b] + k``).
    """

    n: int
    sector: str
    j: np.ndarray = field(repr=False)
    sizes: np.ndarray = field(repr=False)     # 2j + 1 per block
    offsets: np.ndarray = field(repr=False)   # start index per block (length n_blocks + 1)

    @classmethod
    def build(cls, n: int, sector: str) -> PermutationBasis:
        if sector not in ("full", "diagonal"):
            raise InvalidInputError(f"sector must be 'full' or 'diagonal', got {sector!r}")
        js = j_values(n)
        sizes = np.rint(2 * js).astype(int) + 1
        lengths = sizes ** 2 if sector == "full" else sizes
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        return cls(n=_check_n(n), sector=sector, j=js, sizes=sizes, offsets=offsets)

    @property
    def dim(self) -> int:
        return int(self.offsets[-1])

    @property
    def n_blocks(self) -> int:
        return len(self.j)

    def block_index(self, j: float) -> int:
        """Position of the block with total spin ``j``."""
        b = int(np.rint(self.n / 2 - j))
        if not (0 <= b < self.n_blocks) or abs(self.j[b] - j) > 1e-9:
            raise InvalidInputError(
                f"j = {j} is not a total spin of {self.n} qubits (allowed: {self.n / 2}, "
                f"{self.n / 2 - 1}, ..., {self.j[-1]})")
        return b

    def block_slice(self, b: int) -> slice:
        return slice(int(self.offsets[b]), int(self.offsets[b + 1]))

    def diagonal_positions(self) -> np.ndarray:
        """Indices of the populations ``sigma^j_{m m}`` (the trace functional's support)."""
        if self.sector == "diagonal":
            return np.arange(self.dim)
        return np.concatenate([self.offsets[b] + np.arange(s) * (s + 1)
                               for b, s in enumerate(self.sizes)])

    def hermitian_layout(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(pos, partner, lower)``: every index, the index of its transpose ``(l, k)`` and
        whether it lies below the block diagonal (``k > l``).  Full sector only."""
        parts, partners, lowers = [], [], []
        for b, s in enumerate(self.sizes):
            k, l_ = np.divmod(np.arange(s * s), s)
            parts.append(self.offsets[b] + k * s + l_)
            partners.append(self.offsets[b] + l_ * s + k)
            lowers.append(k > l_)
        return np.concatenate(parts), np.concatenate(partners), np.concatenate(lowers)

    def coordinates(self) -> np.ndarray:
        """``(dim, 2 or 3)`` array of ``(j, m)`` or ``(j, m, m')`` per index (for orderings)."""
        out = []
        for j, s in zip(self.j, self.sizes, strict=True):
            m = j - np.arange(s)
            if self.sector == "diagonal":
                out.append(np.stack([np.full(s, j), m], axis=1))
            else:
                mm, nn = np.meshgrid(m, m, indexing="ij")
                out.append(np.stack([np.full(s * s, j), mm.ravel(), nn.ravel()], axis=1))
        return np.concatenate(out)

    def split(self, x: np.ndarray) -> list[np.ndarray]:
        """Vector -> per-block arrays: ``(2j+1, 2j+1)`` (full) or ``(2j+1,)`` (diagonal)."""
        out = []
        for b, s in enumerate(self.sizes):
            part = x[self.block_slice(b)]
            out.append(part.reshape(s, s) if self.sector == "full" else part)
        return out

    def join(self, blocks: Mapping[float, Any] | Sequence[Any]) -> np.ndarray:
        """Per-block arrays (a sequence in ``j`` order or a mapping ``j -> block``) -> vector.

        A 1-D block is read as populations; in the full sector it becomes a diagonal block.  A 2-D
        block in the diagonal sector keeps its diagonal (callers check coherences first).
        """
        items = (blocks.items() if isinstance(blocks, Mapping)
                 else zip(self.j, blocks, strict=False))
        if not isinstance(blocks, Mapping) and len(blocks) != self.n_blocks:
            raise DimensionError(
                f"expected {self.n_blocks} blocks (j = {self.n / 2} ... {self.j[-1]}), "
                f"got {len(blocks)}")
        x = np.zeros(self.dim, dtype=complex)
        for j, block in items:
            b = self.block_index(float(j))
            s = int(self.sizes[b])
            arr = np.asarray(block, dtype=complex)
            if arr.shape not in ((s,), (s, s)):
                raise DimensionError(
                    f"block for j = {j} must have shape ({s},) or ({s}, {s}), got {arr.shape}")
            if self.sector == "full":
                arr = np.diag(arr) if arr.ndim == 1 else arr
                x[self.block_slice(b)] = arr.reshape(-1)
            else:
                x[self.block_slice(b)] = np.diagonal(arr) if arr.ndim == 2 else arr
        return x


# --------------------------------------------------------------------------- generator
@dataclass(frozen=True, eq=False)
class PermutationGenerator:
    """The generator on weighted Dicke blocks: ``d x / dt = matrix @ x`` with ``x`` in ``basis``.

    Attributes
    ----------
    model : PermutationModel
    basis : PermutationBasis
        Index bookkeeping (``basis.sector`` says whether only ``m = m'`` is represented).
    matrix : scipy.sparse.csr_array
        The sparse generator (real in the diagonal sector, complex in the full one).
    """

    model: PermutationModel
    basis: PermutationBasis
    matrix: sp.csr_array = field(repr=False)

    @property
    def sector(self) -> str:
        return self.basis.sector

    @property
    def dim(self) -> int:
        return self.basis.dim

    @property
    def block_decoupled(self) -> bool:
        """True when no local rate couples blocks (then each ``j`` has its own steady state)."""
        return not self.model.has_local

    @cached_property
    def norm(self) -> float:
        """Frobenius norm of :attr:`matrix` (the scale of relative residuals)."""
        return float(np.sqrt(np.sum(np.abs(self.matrix.data) ** 2)))

    def apply(self, x: np.ndarray) -> np.ndarray:
        """``matrix @ x`` for a vector (or ``(dim, k)`` stack) in the basis."""
        return self.matrix @ x

    def block_matrix(self, b: int) -> sp.csr_array:
        """The diagonal block of :attr:`real_matrix` acting on block ``b`` alone."""
        sl = self.basis.block_slice(b)
        return sp.csr_array(self.real_matrix[sl, sl])

    @cached_property
    def real_matrix(self) -> sp.csr_array:
        """The generator as a real matrix on Hermitian blocks (see :meth:`to_real`).

        ``L`` maps Hermitian blocks to Hermitian blocks, so it is a real-linear map of the real
        coordinates ``r``; solving in them halves memory and costs about a quarter of the
        complex arithmetic.  In the diagonal sector this is :attr:`matrix` itself.
        """
        if self.sector == "diagonal":
            return self.matrix
        pos, partner, lower = self.basis.hermitian_layout()
        n = self.dim
        upper = ~lower & (pos != partner)
        # T: r -> x (complex):  x_p = r_p + i r_q,  x_q = r_p - i r_q  for p upper, q its partner
        cols = np.concatenate([pos[upper], pos[upper], pos[lower], pos[lower], pos[pos == partner]])
        rows = np.concatenate([pos[upper], partner[upper], partner[lower], pos[lower],
                               pos[pos == partner]])
        vals = np.concatenate([np.ones(upper.sum()), np.ones(upper.sum()),
                               np.full(lower.sum(), 1j), np.full(lower.sum(), -1j),
                               np.ones(int((pos == partner).sum()))])
        t = sp.csr_array(sp.coo_array((vals, (rows, cols)), shape=(n, n)))
        lt = sp.csr_array(self.matrix @ t)
        keep = sp.diags_array((~lower).astype(float), format="csr")
        swap = sp.csr_array(sp.coo_array((np.ones(lower.sum()), (pos[lower], partner[lower])),
                                         shape=(n, n)))
        out = sp.csr_array(keep @ sp.csr_array(lt.real) + swap @ sp.csr_array(lt.imag))
        out.eliminate_zeros()
        return out

    def to_real(self, x: np.ndarray) -> np.ndarray:
        """Complex block coordinates -> real coordinates ``r`` (Hermitian part of ``x``).

        In the full sector ``r[(k,l)] = Re x[(k,l)]`` for ``k <= l`` and
        ``r[(l,k)] = Im x[(k,l)]`` for ``k < l``; in the diagonal sector ``r = Re x``.
        """
        x = np.asarray(x)
        if self.sector == "diagonal":
            return x.real.copy()
        _, partner, lower = self.basis.hermitian_layout()
        return np.where(lower, x[partner].imag, x.real)

    def to_complex(self, r: np.ndarray) -> np.ndarray:
        """Inverse of :meth:`to_real` for Hermitian blocks."""
        r = np.asarray(r, dtype=float)
        if self.sector == "diagonal":
            return r.astype(complex)
        pos, partner, lower = self.basis.hermitian_layout()
        re = np.where(lower, r[partner], r)
        im = np.where(lower, -r, np.where(pos == partner, 0.0, r[partner]))
        return re + 1j * im


def permutation_liouvillian(model: PermutationModel, sector: str = "auto") -> PermutationGenerator:
    """Sparse generator of ``model`` on the weighted Dicke blocks (see the module docstring).

    Parameters
    ----------
    model : PermutationModel
    sector : {'auto', 'full', 'diagonal'}
        ``'diagonal'`` keeps only ``m = m'`` (valid only when ``H`` commutes with ``J_z``);
        ``'auto'`` chooses it exactly then, and ``'full'`` otherwise.

    Returns
    -------
    PermutationGenerator
    """
    if not isinstance(model, PermutationModel):
        raise InvalidInputError(f"model must be a PermutationModel, got {type(model).__name__}")
    if sector not in SECTORS:
        raise InvalidInputError(f"sector must be one of {SECTORS}, got {sector!r}")
    if sector == "auto":
        sector = "diagonal" if model.conserves_jz else "full"
    if sector == "diagonal" and not model.conserves_jz:
        raise InvalidInputError(
            "sector='diagonal' needs a Hamiltonian that commutes with J_z (omega_x = omega_y = 0 "
            "and charge-conserving h_terms); use sector='full'")
    basis = PermutationBasis.build(model.n, sector)
    alg = _Triplets(full=(sector == "full"))
    for b, j in enumerate(basis.j):
        off = int(basis.offsets[b])
        alg.origin = (off, off)
        _block_terms(model, j, alg)
        if model.has_local:
            for b_src in (b - 1, b + 1):
                if 0 <= b_src < basis.n_blocks:
                    alg.origin = (off, int(basis.offsets[b_src]))
                    _local_jumps(model, j, basis.j[b_src], alg)
    matrix = alg.assemble(basis.dim, real=(sector == "diagonal"))
    return PermutationGenerator(model=model, basis=basis, matrix=matrix)


@dataclass(frozen=True)
class _Coo:
    """A small sparse matrix as plain arrays (cheaper than scipy objects for tiny blocks)."""

    row: np.ndarray
    col: np.ndarray
    data: np.ndarray
    shape: tuple[int, int]

    @classmethod
    def of(cls, m: Any) -> _Coo:
        c = sp.coo_array(m)
        c.sum_duplicates()
        keep = c.data != 0
        return cls(c.row[keep], c.col[keep], c.data[keep], c.shape)


def _ladders(j: float) -> tuple[np.ndarray, _Coo, _Coo, _Coo]:
    """``m``, ``J_+``, ``J_-`` and ``J_z`` of spin ``j`` as :class:`_Coo` (basis m = j ... -j)."""
    dim = _dim(j)
    m = j - np.arange(dim)
    k = np.arange(1, dim)
    up = np.sqrt(np.maximum(j * (j + 1) - m[k] * (m[k] + 1), 0.0))   # <m+1| J+ |m>
    jp = _Coo(k - 1, k, up.astype(complex), (dim, dim))
    jm = _Coo(k, k - 1, up.astype(complex), (dim, dim))
    jz = _Coo(np.arange(dim), np.arange(dim), m.astype(complex), (dim, dim))
    return m, jp, jm, jz


class _Triplets:
    """Collects superoperator terms as COO triplets, in one of two representations.

    ``full``: row-major ``(2j+1)^2`` blocks, ``vec(A X B) = (A kron B^T) vec(X)``.
    diagonal: only ``X = diag(x)``, ``(A X B)_mm = sum_k A_mk B_km x_k`` -- exact for the
    ``m = m'`` sector whenever the generator does not leave it (U(1) case).
    """

    def __init__(self, full: bool):
        self.full = full
        self.origin = (0, 0)
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []

    def _add(self, r: np.ndarray, c: np.ndarray, v: np.ndarray) -> None:
        self.rows.append(np.asarray(r, dtype=np.int64) + self.origin[0])
        self.cols.append(np.asarray(c, dtype=np.int64) + self.origin[1])
        self.vals.append(np.asarray(v, dtype=complex))

    def jump(self, a: _Coo, scale: complex) -> None:
        """Add ``scale * (X -> A X A^dag)``."""
        if self.full:
            n_src = a.shape[1]
            r = (a.row[:, None] * a.shape[0] + a.row[None, :]).ravel()
            c = (a.col[:, None] * n_src + a.col[None, :]).ravel()
            v = (scale * a.data[:, None] * np.conj(a.data)[None, :]).ravel()
            self._add(r, c, v)
        else:  # (A X A^dag)_mm = sum_k |A_mk|^2 x_k
            self._add(a.row, a.col, scale * np.abs(a.data) ** 2)

    def anticommutator(self, a_diag: np.ndarray, scale: complex) -> None:
        """Add ``scale * (X -> A X + X A)`` for a diagonal ``A`` given by its diagonal."""
        dim = len(a_diag)
        if self.full:
            k, l_ = np.divmod(np.arange(dim * dim), dim)
            idx = np.arange(dim * dim)
            self._add(idx, idx, scale * (a_diag[k] + a_diag[l_]))
        else:
            idx = np.arange(dim)
            self._add(idx, idx, scale * 2 * a_diag)

    def commutator(self, h: _Coo, scale: complex) -> None:
        """Add ``scale * (X -> H X - X H)`` (full representation only)."""
        dim = h.shape[0]
        ids = np.arange(dim)
        # (H kron I): rows (r, l), cols (c, l)
        r1 = (h.row[:, None] * dim + ids[None, :]).ravel()
        c1 = (h.col[:, None] * dim + ids[None, :]).ravel()
        v1 = np.repeat(scale * h.data, dim)
        # (I kron H^T): rows (k, c), cols (k, r) with value H[r, c]
        r2 = (ids[:, None] * dim + h.col[None, :]).ravel()
        c2 = (ids[:, None] * dim + h.row[None, :]).ravel()
        v2 = np.tile(-scale * h.data, dim)
        self._add(np.concatenate([r1, r2]), np.concatenate([c1, c2]), np.concatenate([v1, v2]))

    def assemble(self, dim: int, real: bool) -> sp.csr_array:
        vals = np.concatenate(self.vals) if self.vals else np.zeros(0, complex)
        rows = np.concatenate(self.rows) if self.rows else np.zeros(0, np.int64)
        cols = np.concatenate(self.cols) if self.cols else np.zeros(0, np.int64)
        if real:
            vals = vals.real
        out = sp.csr_array(sp.coo_array((vals, (rows, cols)), shape=(dim, dim)))
        out.sum_duplicates()
        out.eliminate_zeros()
        return out


def _hamiltonian(model: PermutationModel, j: float, ladders: tuple) -> _Coo:
    """The block Hamiltonian as :class:`_Coo` (direct for the named terms)."""
    if model.h_terms:
        return _Coo.of(model.hamiltonian_block(j))
    m, jp, jm, _ = ladders
    dim = len(m)
    diag = model.omega_z * m + model.chi * m ** 2
    c_up = 0.5 * (model.omega_x - 1j * model.omega_y)    # coefficient of J+
    c_dn = 0.5 * (model.omega_x + 1j * model.omega_y)    # coefficient of J-
    rows = [np.arange(dim), jp.row, jm.row]
    cols = [np.arange(dim), jp.col, jm.col]
    vals = [diag.astype(complex), c_up * jp.data, c_dn * jm.data]
    r, c, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    keep = v != 0
    return _Coo(r[keep], c[keep], v[keep], (dim, dim))


def _block_terms(model: PermutationModel, j: float, alg: _Triplets) -> None:
    """Everything acting within block ``j``: H, collective dissipators, local terms j -> j."""
    ladders = _ladders(j)
    m, jp, jm, jz = ladders
    if alg.full:
        h = _hamiltonian(model, j, ladders)
        if len(h.data):
            alg.commutator(h, -1j)
    # collective dissipators: A^dag A is diagonal for J-, J+, Jz
    for rate, op in ((model.gamma_ce, jm), (model.gamma_cp, jp), (model.gamma_cd, jz)):
        if rate:
            alg.jump(op, rate)
            ada = np.zeros(len(m))
            np.add.at(ada, op.col, np.abs(op.data) ** 2)
            alg.anticommutator(ada, -0.5 * rate)
    n_half = model.n / 2
    # anticommutator parts of the local dissipators (collective operators)
    for rate, sign in ((model.gamma_e, 1.0), (model.gamma_p, -1.0)):
        if rate:
            alg.anticommutator(n_half + sign * m, -0.5 * rate)
    if model.gamma_d:
        alg.anticommutator(np.full(len(m), n_half), -model.gamma_d)
    _local_jumps(model, j, j, alg)


#: Prefactors of the jump parts: sigma^- = sqrt2 T_-1, sigma^+ = -sqrt2 T_+1, sigma^z = 2 T_0.
_JUMP_CHANNELS = (("gamma_e", -1, 2.0), ("gamma_p", 1, 2.0), ("gamma_d", 0, 4.0))


def transfer_weight(n: int, j: float, j_src: float) -> float:
    """The scalar ``h(j, j')`` of the local jump part in the weighted blocks (module docstring)."""
    if abs(j - j_src - 1) < 1e-9:
        return (n / 2 - j_src) / 2
    if abs(j - j_src) < 1e-9:
        return (n / 2 + 1) / 2
    if abs(j - j_src + 1) < 1e-9:
        return (n / 2 + j_src + 1) / 2
    return 0.0


def _local_jumps(model: PermutationModel, j: float, j_src: float, alg: _Triplets) -> None:
    """Add ``sum_i T_i sigma^{j_src} T_i^dag`` projected on block ``j`` for every local channel."""
    weight = transfer_weight(model.n, j, j_src)
    for name, q, factor in _JUMP_CHANNELS:
        rate = getattr(model, name)
        if not rate or weight == 0:
            continue
        k = _clebsch_coo(j_src, j, q)
        if k is not None:
            alg.jump(k, rate * factor * weight)


def clebsch_ladder(j_src: float, j: float, q: int) -> sp.csr_array | None:
    """``K[k, k1] = <j_src m1; 1 q | j m1+q>`` with ``k = j - m``, ``k1 = j_src - m1``.

    Condon-Shortley Clebsch-Gordan coefficients for coupling spin ``j_src`` with spin 1.  Signs
    that are the same for every ``m`` drop out of ``K x K^T`` and are omitted; the ``m``-dependent
    sign of ``j = j_src, q = 0`` is kept.  Returns None when no ``m`` is allowed.
    """
    k = _clebsch_coo(j_src, j, q)
    if k is None:
        return None
    return sp.csr_array(sp.coo_array((k.data, (k.row, k.col)), shape=k.shape))


def _clebsch_coo(j_src: float, j: float, q: int) -> _Coo | None:
    j1 = j_src
    d_src, d_dst = _dim(j1), _dim(j)
    if j < 0 or d_dst < 1:
        return None
    m1 = j1 - np.arange(d_src)
    m = m1 + q
    ok = np.abs(m) <= j + 1e-9
    m1, m = m1[ok], m[ok]
    if m.size == 0:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        coef = np.nan_to_num(_cg_values(j1, j, q, m))
    keep = coef != 0
    if not np.any(keep):
        return None
    rows = np.rint(j - m[keep]).astype(np.int64)
    cols = np.rint(j1 - m1[keep]).astype(np.int64)
    return _Coo(rows, cols, coef[keep].astype(complex), (d_dst, d_src))


def _cg_values(j1: float, j: float, q: int, m: np.ndarray) -> np.ndarray:
    """``|<j1 m-q; 1 q | j m>|`` (with the sign of ``m`` for ``j = j1, q = 0``)."""
    if abs(j - j1 - 1) < 1e-9:
        num = {1: (j1 + m) * (j1 + m + 1), 0: 2 * (j1 - m + 1) * (j1 + m + 1),
               -1: (j1 - m) * (j1 - m + 1)}[q]
        return np.sqrt(np.maximum(num, 0) / ((2 * j1 + 1) * (2 * j1 + 2)))
    if abs(j - j1) < 1e-9:
        if j1 == 0:
            return np.zeros_like(m)
        if q == 0:
            return m / np.sqrt(j1 * (j1 + 1))
        num = (j1 + m) * (j1 - m + 1) if q == 1 else (j1 - m) * (j1 + m + 1)
        return np.sqrt(np.maximum(num, 0) / (2 * j1 * (j1 + 1)))
    if abs(j - j1 + 1) < 1e-9:
        num = {1: (j1 - m) * (j1 - m + 1), 0: 2 * (j1 - m) * (j1 + m),
               -1: (j1 + m + 1) * (j1 + m)}[q]
        return np.sqrt(np.maximum(num, 0) / (2 * j1 * (2 * j1 + 1)))
    return np.zeros_like(m)


# --------------------------------------------------------------------------- full space
def collective_operators(n: int) -> dict[str, sp.csr_array]:
    """``J_x, J_y, J_z, J_+, J_-`` on the full ``2^N`` space (QuTiP order), keyed x y z + -."""
    _check_full_space(n, "collective_operators")
    from ..operators import sigmam, sigmap, sigmax, sigmay, sigmaz
    from ..space import Space

    space = Space.qubits(n)
    out = {}
    for key, op, scale in (("x", sigmax(), 0.5), ("y", sigmay(), 0.5), ("z", sigmaz(), 0.5),
                           ("+", sigmap(), 1.0), ("-", sigmam(), 1.0)):
        total = sum(space.embed(op, i) for i in range(n))
        out[key] = sp.csr_array(scale * total)
    return out


def dicke_vectors(n: int, j: float) -> np.ndarray:
    """Orthonormal ``|j, m, alpha>`` in the full space: array ``(2^N, 2j+1, d_N(j))``.

    ``[:, k, alpha]`` is ``|j, m = j - k, alpha>``; the multiplicity label ``alpha`` comes from an
    orthonormal basis of highest-weight vectors, lowered with ``J_-`` (Condon-Shortley phases).
    """
    _check_full_space(n, "dicke_vectors")
    ops = collective_operators(n)
    jz = ops["z"].diagonal().real
    sector = np.flatnonzero(np.abs(jz - j) < 1e-9)
    if sector.size == 0:
        raise InvalidInputError(f"j = {j} is not a total spin of {n} qubits")
    # highest weights: kernel of J_+ restricted to the J_z = j eigenspace
    jp_sec = ops["+"][:, sector].toarray()
    _, s, vh = np.linalg.svd(jp_sec, full_matrices=True)
    rank = int(np.sum(s > 1e-10))
    hw = np.zeros((2 ** n, vh.shape[0] - rank), dtype=complex)
    hw[sector] = vh[rank:].conj().T
    dim = _dim(j)
    out = np.zeros((2 ** n, dim, hw.shape[1]), dtype=complex)
    out[:, 0] = hw
    for k in range(1, dim):
        m = j - (k - 1)
        out[:, k] = (ops["-"] @ out[:, k - 1]) / np.sqrt((j + m) * (j - m + 1))
    return out


def blocks_to_dense(n: int, blocks: Sequence[np.ndarray]) -> np.ndarray:
    """Full ``2^N x 2^N`` density matrix from weighted blocks (2-D, or 1-D populations)."""
    _check_full_space(n, "blocks_to_dense")
    js = j_values(n)
    if len(blocks) != len(js):
        raise DimensionError(f"expected {len(js)} blocks for N = {n}, got {len(blocks)}")
    rho = np.zeros((2 ** n, 2 ** n), dtype=complex)
    for j, block in zip(js, blocks, strict=True):
        block = np.asarray(block, dtype=complex)
        block = np.diag(block) if block.ndim == 1 else block
        if not np.any(block):
            continue
        v = dicke_vectors(n, j)
        d = v.shape[2]
        rho += np.einsum("ika,kl,jla->ij", v, block, v.conj()) / d
    return rho


def dense_to_blocks(rho: np.ndarray, n: int) -> list[np.ndarray]:
    """Weighted blocks ``sigma^j_{kl} = sum_alpha <j k alpha| rho |j l alpha>`` of a full state.

    Exact for permutation-invariant ``rho``; for others it is the blocks of its average over
    qubit permutations.
    """
    _check_full_space(n, "dense_to_blocks")
    rho = np.asarray(rho, dtype=complex)
    if rho.shape != (2 ** n, 2 ** n):
        raise DimensionError(f"rho must have shape ({2 ** n}, {2 ** n}) for N = {n}, "
                             f"got {rho.shape}")
    out = []
    for j in j_values(n):
        v = dicke_vectors(n, j)
        out.append(np.einsum("ika,ij,jla->kl", v.conj(), rho, v))
    return out


def dicke_state(n: int, j: float, m: float) -> dict[float, np.ndarray]:
    """The weighted blocks ``{j: |j m><j m|}`` of the Dicke state ``|j, m>`` (mixed over alpha).

    For ``j = N/2`` this is the symmetric Dicke state with ``N/2 + m`` excitations; for lower
    ``j`` it is the equal mixture of the ``d_N(j)`` degenerate copies (the permutation-invariant
    state of that ``(j, m)``).
    """
    _check_n(n)
    if not (0 <= j <= n / 2 and abs((n / 2 - j) - round(n / 2 - j)) < 1e-9):
        raise InvalidInputError(f"j must be one of N/2, N/2-1, ..., >= 0 for N = {n}; got {j}")
    if not (abs(m) <= j + 1e-9 and abs((j - m) - round(j - m)) < 1e-9):
        raise InvalidInputError(f"m must be one of j, j-1, ..., -j for j = {j}; got {m}")
    dim = _dim(j)
    block = np.zeros((dim, dim), dtype=complex)
    k = int(np.rint(j - m))
    block[k, k] = 1.0
    return {float(j): block}


def _dim(j: float) -> int:
    """``2j + 1`` as an int."""
    return int(np.rint(2 * j)) + 1


def _max_abs(m: sp.csr_array) -> float:
    m = sp.csr_array(m)
    return float(np.max(np.abs(m.data))) if m.nnz else 0.0


def _check_n(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InvalidInputError(f"n (number of qubits) must be an integer >= 1, got {n!r}")
    return int(n)


def _check_full_space(n: int, what: str) -> None:
    _check_n(n)
    if n > FULL_SPACE_MAX_N:
        gib = (2 ** n) ** 2 * 16 / 2 ** 30
        raise MemoryEstimateError(
            f"{what} builds 2^N x 2^N objects: N = {n} would need ~{gib:.3g} GiB per matrix; "
            f"allowed N <= {FULL_SPACE_MAX_N}")


__all__ = [
    "FULL_SPACE_MAX_N",
    "PermutationBasis",
    "PermutationGenerator",
    "PermutationModel",
    "blocks_to_dense",
    "clebsch_ladder",
    "collective_operators",
    "degeneracy",
    "dense_to_blocks",
    "dicke_state",
    "dicke_vectors",
    "j_values",
    "log_degeneracy",
    "permutation_liouvillian",
    "spin_matrices",
    "spin_word",
    "transfer_weight",
]
