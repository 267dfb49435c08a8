"""Steady states of N identical qubits in the permutation-invariant (Dicke) basis.

:func:`steadystate_permutation` solves the sparse generator of
:mod:`qness.master.permutation` (weighted blocks ``sigma^j = d_N(j) rho^j``, trace
``sum_j tr sigma^j = 1``) in real coordinates of Hermitian blocks, with one population row
replaced by the trace functional:

* ``direct``: sparse LU.  In the ``m = m'`` (U(1)) sector the generator is a Markov generator
  on a 2-D ``(j, m)`` grid; a nested-dissection ordering with diagonal pivots (trace row last)
  keeps the fill near ``n log n`` (N = 400, 40401 unknowns: ~0.3 s).
* ``iterative``: GMRES preconditioned by a symmetric block Gauss-Seidel sweep over the ``j``
  blocks (each block LU-factorised), for the full sector at large N (N = 100, 176851 unknowns).

It checks the result (relative residual, trace, Hermiticity, positivity of every block, kernel
dimension) and returns a :class:`PermutationState`.

Uniqueness.  The direct path estimates the smallest relative singular value of the augmented
matrix by inverse iteration with its LU; the iterative path solves once more with a random
right-hand side, which cannot converge when the matrix is singular.  A (near-)singular matrix
sends the kernel to an SVD (small) or shift-invert Arnoldi (large) count.  Without local rates
the ``j`` blocks decouple, each has its own steady state, and the kernel dimension is at least
the number of blocks: this is reported as :class:`~qness.NonUniqueSteadyStateError` unless
``rho0`` (or ``j_weights``) says which state is reached (the biorthogonal projection of rho0 on
the kernel).  All statements are within permutation-invariant states, the only ones represented.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..errors import (
    ConvergenceError,
    DimensionError,
    InvalidInputError,
    MemoryEstimateError,
    NonUniqueSteadyStateError,
    SolverError,
)
from ..master.permutation import (
    FULL_SPACE_MAX_N,
    PermutationBasis,
    PermutationGenerator,
    PermutationModel,
    blocks_to_dense,
    dense_to_blocks,
    log_degeneracy,
    permutation_liouvillian,
    spin_word,
)
from ..operators import sigmax, sigmay, sigmaz
from .kernel import dense_kernel, sparse_kernel
from .validate import DEFAULT_TOLERANCES

#: Relative smallest singular value of the augmented matrix below which the kernel is examined.
FLAG_RATIO = 1e-8
#: Up to this many unknowns the kernel is examined by a dense SVD (else shift-invert Arnoldi).
DENSE_KERNEL_MAX = 2500
#: Relative residual the random-right-hand-side probe must reach for a nonsingular matrix.
PROBE_RESIDUAL = 1e-5
#: Kernel vectors the shift-invert Arnoldi count looks for (``qness.steady.kernel``).
SPARSE_KERNEL_MAX_K = 6
#: ``PermutationState.blocks`` refuses to materialise more than this many bytes.
BLOCKS_MAX_BYTES = 2 * 2 ** 30
_WORD = re.compile(r"J([xyz+\-])(?:\^(\d+))?")


# --------------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class PermutationState:
    """A validated permutation-invariant steady state of ``n`` qubits.

    The state is ``rho = (+)_j rho^j (x) 1_{d_N(j)}`` stored as the weighted blocks
    ``sigma^j = d_N(j) rho^j`` (``sum_j tr sigma^j = 1``; ``tr sigma^j`` is the probability of
    total spin ``j``).  Blocks are ordered ``j = N/2, N/2-1, ...`` and indexed ``m = j, ..., -j``.

    Attributes
    ----------
    n : int
        Number of qubits.
    vector : ndarray
        The weighted blocks flattened in ``basis`` order (populations only when
        ``sector == 'diagonal'``).
    basis : PermutationBasis
    sector : str
        ``'diagonal'`` (only ``m = m'`` solved: the U(1) case) or ``'full'``.
    residual : float
        ``||L x|| / ||L||_F`` in the solved sector.
    trace_error : float
        ``|tr - 1|`` of the raw solution (the solve imposes the trace).
    hermiticity_error : float
        ``max |sigma^j - sigma^j dag|``: zero by construction (the solve runs in real
        coordinates of Hermitian blocks); kept for parity with :class:`~qness.SteadyState`.
    min_eigenvalue : float
        Smallest eigenvalue over all weighted blocks ``sigma^j`` (negative weight of a multiplet).
    kernel_dim : int
        Dimension of the generator's kernel (within permutation-invariant states).
    method, wall_time, ok, info
        Solver name, seconds (build + solve + checks), validation flag and extras.
    """

    n: int
    vector: np.ndarray = field(repr=False)
    basis: PermutationBasis = field(repr=False)
    residual: float
    trace_error: float
    hermiticity_error: float
    min_eigenvalue: float
    kernel_dim: int
    method: str
    wall_time: float
    ok: bool
    info: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ blocks
    @property
    def sector(self) -> str:
        return self.basis.sector

    @property
    def j_values(self) -> np.ndarray:
        return self.basis.j

    @property
    def is_unique(self) -> bool:
        return self.kernel_dim == 1

    @cached_property
    def populations(self) -> tuple[np.ndarray, ...]:
        """``sigma^j_{mm}`` per block (real, ``m = j ... -j``)."""
        parts = self.basis.split(self.vector)
        return tuple(np.real(np.diagonal(p) if p.ndim == 2 else p).copy() for p in parts)

    @property
    def j_weights(self) -> np.ndarray:
        """Probabilities ``p_j = tr sigma^j`` of total spin ``j``."""
        return np.array([p.sum() for p in self.populations])

    def block(self, j: float) -> np.ndarray:
        """The weighted block ``sigma^j`` as a dense ``(2j+1, 2j+1)`` array."""
        b = self.basis.block_index(j)
        part = self.basis.split(self.vector)[b]
        return part.copy() if part.ndim == 2 else np.diag(part)

    @property
    def blocks(self) -> list[np.ndarray]:
        """All weighted blocks as dense arrays (``~N^3/6`` numbers: checked against memory)."""
        need = int(np.sum(self.basis.sizes.astype(float) ** 2)) * 16
        if need > BLOCKS_MAX_BYTES:
            raise MemoryEstimateError(
                f"dense blocks for N = {self.n} need {need / 2**30:.3g} GiB (> "
                f"{BLOCKS_MAX_BYTES / 2**30:g} GiB); use populations or block(j)")
        return [self.block(j) for j in self.j_values]

    def dicke_blocks(self) -> list[np.ndarray]:
        """Unweighted blocks ``rho^j = sigma^j / d_N(j)`` (the state on each of the ``d_N(j)``
        copies of spin ``j``), with ``sum_j d_N(j) tr rho^j = 1``.

        Entries underflow for N of several hundred.  (QuTiP ``piqs`` stores the weighted blocks,
        :attr:`blocks`.)
        """
        logd = log_degeneracy(self.n, self.j_values)
        return [blk * np.exp(-ld) for blk, ld in zip(self.blocks, logd, strict=True)]

    def to_dense(self, max_n: int = 10) -> np.ndarray:
        """The full ``2^N x 2^N`` density matrix (QuTiP order), for ``N <= max_n``."""
        if self.n > min(max_n, FULL_SPACE_MAX_N):
            gib = 4.0 ** self.n * 16 / 2 ** 30
            raise MemoryEstimateError(
                f"to_dense for N = {self.n} needs a {2**self.n} x {2**self.n} matrix "
                f"(~{gib:.3g} GiB); allowed N <= {min(max_n, FULL_SPACE_MAX_N)} (raise max_n "
                "up to 12 if you have the memory)")
        return blocks_to_dense(self.n, self.blocks)

    # ------------------------------------------------------------------ observables
    def expect(self, name: str) -> complex | float:
        """Expectation value of a collective operator named ``name``.

        ``'Jx'``, ``'Jy'``, ``'Jz'``, ``'J+'``, ``'J-'``, ``'J2'`` (the Casimir ``J^2``) or a
        product such as ``'JxJy'``, ``'Jz^2'``, ``'J+J-'`` (operators in the written order).
        Hermitian words (palindromes of ``x, y, z``) return a float, others a complex number.
        """
        word = _parse_word(name)
        if word == "casimir":
            js = self.j_values
            return float(np.sum(self.j_weights * js * (js + 1)))
        value = self._trace_word(word)
        if all(c in "xyz" for c in word) and word == word[::-1]:
            return float(value.real)
        return complex(value)

    def spin_moments(self) -> tuple[np.ndarray, np.ndarray]:
        """``(mean, second)``: ``<J_a>`` (3,) and ``<(J_a J_b + J_b J_a)/2>`` (3, 3), a in x y z."""
        axes = "xyz"
        mean = np.array([self._trace_word(a).real for a in axes])
        second = np.empty((3, 3))
        for a in range(3):
            for b in range(a, 3):
                second[a, b] = second[b, a] = self._trace_word(axes[a] + axes[b]).real
        return mean, second

    def reduced_two_qubit(self) -> np.ndarray:
        """The ``4 x 4`` reduced state of any pair of qubits (the same for every pair).

        Built from the collective moments (see :func:`pair_state_from_moments`); QuTiP order.
        """
        mean, second = self.spin_moments()
        return pair_state_from_moments(mean, second, self.n)

    def _trace_word(self, word: str) -> complex:
        total = 0.0 + 0.0j
        for j, part in zip(self.j_values, self.basis.split(self.vector), strict=True):
            w = spin_word(j, word)
            if part.ndim == 1:
                total += np.dot(w.diagonal(), part)
            else:
                total += w.multiply(part.T).sum()
        return complex(total)

    def summary(self) -> str:
        return "\n".join([
            f"N                 {self.n} ({self.sector} sector, {self.basis.dim} unknowns)",
            f"method            {self.method}",
            f"residual          {self.residual:.3g}",
            f"trace error       {self.trace_error:.3g}",
            f"hermiticity error {self.hermiticity_error:.3g}",
            f"min eigenvalue    {self.min_eigenvalue:.3g}",
            f"kernel dimension  {self.kernel_dim}",
            f"wall time         {self.wall_time:.3g} s",
            f"validated         {self.ok}",
        ])


def _parse_word(name: str) -> str:
    text = str(name).replace(" ", "")
    if text in ("J2", "J^2"):
        return "casimir"
    pos, word = 0, ""
    for match in _WORD.finditer(text):
        if match.start() != pos:
            break
        word += match.group(1) * int(match.group(2) or 1)
        pos = match.end()
    if not word or pos != len(text):
        raise InvalidInputError(
            f"operator name {name!r} not understood: use Jx, Jy, Jz, J+, J-, J2 or products "
            "such as 'JxJy', 'Jz^2', 'J+J-'")
    return word


def pair_state_from_moments(mean: Any, second: Any, n: int) -> np.ndarray:
    """Two-qubit reduced state of a permutation-invariant N-qubit state from its spin moments.

    With ``J_a = (1/2) sum_i sigma_i^a``: ``<sigma^a> = 2 <J_a>/N`` and, for ``i != k``,
    ``<sigma_i^a sigma_k^b> = (4 S_ab - N delta_ab) / (N (N - 1))`` where
    ``S_ab = <(J_a J_b + J_b J_a)/2>``; then
    ``rho_2 = (1/4) [I + sum_a s_a (sigma_a x I + I x sigma_a) + sum_ab T_ab sigma_a x sigma_b]``.

    Parameters
    ----------
    mean : array (..., 3)
    second : array (..., 3, 3)
    n : int
        Number of qubits (>= 2).

    Returns
    -------
    ndarray (..., 4, 4)
        QuTiP order, ``sigma_z |e> = +|e>``.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise InvalidInputError(f"n must be an integer >= 2 for a two-qubit state, got {n!r}")
    mean = np.asarray(mean, dtype=float)
    second = np.asarray(second, dtype=float)
    if mean.shape[-1:] != (3,) or second.shape[-2:] != (3, 3):
        raise DimensionError(f"mean must be (..., 3) and second (..., 3, 3); got {mean.shape}, "
                             f"{second.shape}")
    paulis = np.stack([sigmax(), sigmay(), sigmaz()])
    eye = np.eye(2)
    s = 2.0 * mean / n
    t = (4.0 * second - n * np.eye(3)) / (n * (n - 1))
    single = (np.einsum("...a,aij->...ij", s, np.stack([np.kron(p, eye) for p in paulis]))
              + np.einsum("...a,aij->...ij", s, np.stack([np.kron(eye, p) for p in paulis])))
    pairs = np.stack([[np.kron(pa, pb) for pb in paulis] for pa in paulis])
    corr = np.einsum("...ab,abij->...ij", t, pairs)
    return 0.25 * (np.eye(4) + single + corr)


# --------------------------------------------------------------------------- solver
def steadystate_permutation(
    model_or_generator: PermutationModel | PermutationGenerator,
    *,
    rho0: Any = None,
    j_weights: Sequence[float] | None = None,
    sector: str = "auto",
    method: str = "auto",
    tolerances: Mapping[str, float] | None = None,
    on_fail: str = "raise",
    rtol: float = 1e-12,
    maxiter: int = 2000,
) -> PermutationState:
    """Validated permutation-invariant steady state of N identical qubits.

    Parameters
    ----------
    model_or_generator : PermutationModel or PermutationGenerator
        The model (rates and frequencies in angular-frequency units) or its generator from
        :func:`qness.master.permutation.permutation_liouvillian`.
    rho0 : optional
        Initial state, used only when the steady state is not unique: a :class:`PermutationState`,
        a mapping ``j -> weighted block`` (e.g. :func:`~qness.master.permutation.dicke_state`),
        a sequence of weighted blocks in ``j`` order (2-D, or 1-D populations), or a full
        ``2^N x 2^N`` density matrix (``N <= 12``; projected on the Dicke blocks).
    j_weights : sequence of float, optional
        Initial probabilities of each total spin ``j`` (``j = N/2, N/2-1, ...``).  Enough when
        every ``j`` block has its own unique steady state (no local rates); otherwise pass rho0.
    sector : {'auto', 'full', 'diagonal'}
        Which unknowns to solve for (see :func:`~qness.master.permutation.permutation_liouvillian`;
        ignored when a generator is passed).  With a degenerate kernel and an ``rho0`` that has
        coherences, a diagonal-sector problem is redone in the full sector.
    method : {'auto', 'direct', 'iterative'}
        ``direct``: sparse LU of the generator with the trace row (nested-dissection ordering
        in the diagonal sector).  ``iterative``: GMRES preconditioned by a symmetric block
        Gauss-Seidel sweep over the ``j`` blocks (each block factorised exactly), with a second,
        random-right-hand-side solve as the uniqueness test.  ``auto`` is direct in the diagonal
        sector and for full sectors up to :data:`DIRECT_FULL_MAX` unknowns.
    tolerances : dict, optional
        Overrides of :data:`qness.steady.validate.DEFAULT_TOLERANCES`.
    on_fail : {'raise', 'flag', 'warn'}
        What to do when validation fails.
    rtol, maxiter
        GMRES relative tolerance and iteration limit (iterative method only).

    Returns
    -------
    PermutationState

    Raises
    ------
    NonUniqueSteadyStateError
        Degenerate kernel (e.g. collective processes only) and neither rho0 nor j_weights given.
    ConvergenceError
        GMRES did not reach ``rtol`` within ``maxiter`` iterations.
    SolverError
        Validation failed and ``on_fail='raise'``.
    """
    t0 = time.perf_counter()
    if on_fail not in ("raise", "flag", "warn"):
        raise InvalidInputError(f"on_fail must be 'raise', 'flag' or 'warn', got {on_fail!r}")
    if method not in METHODS:
        raise InvalidInputError(f"method must be one of {METHODS}, got {method!r}")
    if rho0 is not None and j_weights is not None:
        raise InvalidInputError("pass either rho0 or j_weights, not both")
    tol = {**DEFAULT_TOLERANCES, **(tolerances or {})}
    if isinstance(model_or_generator, PermutationGenerator):
        gen = model_or_generator
    elif isinstance(model_or_generator, PermutationModel):
        gen = permutation_liouvillian(model_or_generator, sector)
    else:
        raise InvalidInputError("model_or_generator must be a PermutationModel or "
                                f"PermutationGenerator, got {type(model_or_generator).__name__}")
    start = _InitialState.build(gen, rho0, j_weights)
    options = {"method": method, "rtol": rtol, "maxiter": maxiter, "kernel_tol": tol["kernel"]}
    t_build = time.perf_counter() - t0
    if gen.sector == "diagonal" and start is not None and start.has_coherences:
        # rho0's coherences matter only if the kernel is degenerate, and then only the full
        # sector can follow them: try the cheap sector first
        try:
            r, kdim, info = _solve(gen, None, options)
        except NonUniqueSteadyStateError:
            gen = permutation_liouvillian(gen.model, "full")
            start = _InitialState.build(gen, rho0, j_weights)
            r, kdim, info = _solve(gen, start, options)
    else:
        r, kdim, info = _solve(gen, start, options)
    info.update(build_s=t_build, sector=gen.sector, unknowns=gen.dim, nnz=int(gen.matrix.nnz))
    return _finalize(gen, r, kdim, t0, tol, on_fail, info, unique_required=start is None)


def _solve(gen: PermutationGenerator, start: _InitialState | None,
           options: dict[str, Any]) -> tuple[np.ndarray, int, dict[str, Any]]:
    opts = dict(options)
    if opts["method"] == "auto":
        opts["method"] = ("direct" if gen.sector == "diagonal" or gen.dim <= DIRECT_FULL_MAX
                          else "iterative")
    if gen.block_decoupled and gen.basis.n_blocks > 1:
        return _solve_decoupled(gen, start, opts)
    return _solve_coupled(gen, start, opts)


#: Full-sector problems up to this many unknowns are solved by sparse LU under ``method='auto'``
#: (measured: at N = 40, 12341 unknowns, LU took ~4x longer than preconditioned GMRES).
DIRECT_FULL_MAX = 6000
METHODS = ("auto", "direct", "iterative")


@dataclass(frozen=True)
class _InitialState:
    vector: np.ndarray          # real coordinates, trace 1
    has_coherences: bool
    weights_only: bool

    @classmethod
    def build(cls, gen: PermutationGenerator, rho0: Any, j_weights: Any) -> _InitialState | None:
        basis = gen.basis
        if rho0 is None and j_weights is None:
            return None
        if j_weights is not None:
            w = np.asarray(j_weights, dtype=float)
            if w.shape != (basis.n_blocks,) or np.any(w < 0) or not np.isfinite(w).all():
                raise InvalidInputError(
                    f"j_weights must be {basis.n_blocks} non-negative numbers (j = {basis.n / 2}, "
                    f"{basis.n / 2 - 1}, ...), got {j_weights!r}")
            if w.sum() <= 0:
                raise InvalidInputError("j_weights must not all be zero")
            blocks = [np.full(s, wb / s) for wb, s in zip(w / w.sum(), basis.sizes, strict=True)]
            return cls(gen.to_real(basis.join(blocks)), False, True)
        blocks = _blocks_of(rho0, basis)
        values = blocks.values() if isinstance(blocks, Mapping) else blocks
        coherent = any(np.ndim(b) == 2 and np.any(np.abs(b - np.diag(np.diagonal(b))) > 0)
                       for b in values)
        vec = basis.join(blocks)
        tr = vec[basis.diagonal_positions()].sum().real
        if not np.isfinite(tr) or tr <= 0:
            raise InvalidInputError(f"rho0 must have a positive trace, got {tr}")
        return cls(gen.to_real(vec / tr), coherent, False)


def _blocks_of(rho0: Any, basis: PermutationBasis) -> Mapping[float, Any] | Sequence[Any]:
    if isinstance(rho0, PermutationState):
        if rho0.n != basis.n:
            raise DimensionError(f"rho0 has N = {rho0.n}, the model N = {basis.n}")
        return [rho0.block(j) if rho0.sector == "full" else p
                for j, p in zip(rho0.j_values, rho0.populations, strict=True)]
    if isinstance(rho0, Mapping):
        return rho0
    if isinstance(rho0, np.ndarray) and rho0.ndim == 2 and rho0.shape == (2 ** basis.n,) * 2:
        return dense_to_blocks(rho0, basis.n)
    if hasattr(rho0, "full") and hasattr(rho0, "dims"):  # qutip.Qobj in the full space
        return dense_to_blocks(np.asarray(rho0.full()), basis.n)
    if isinstance(rho0, (Sequence, np.ndarray)):
        return list(rho0)
    raise InvalidInputError(
        "rho0 must be a PermutationState, a mapping j -> block, a sequence of blocks or a "
        f"2^N x 2^N density matrix; got {type(rho0).__name__}")


# ------------------------------------------------------------------ linear algebra
def _augmented(L: sp.csr_array, trace_pos: np.ndarray) -> tuple[sp.csr_array, np.ndarray]:
    """Real ``L`` with its first population row replaced by the scaled trace functional."""
    n = L.shape[0]
    scale = float(np.max(np.abs(L.data))) if L.nnz else 1.0
    row = int(trace_pos[0])
    keep = sp.diags_array((np.arange(n) != row).astype(float), format="csr")
    tr = sp.csr_array((np.full(len(trace_pos), scale),
                       (np.full(len(trace_pos), row), trace_pos)), shape=(n, n))
    A = sp.csr_array(keep @ L + tr)
    b = np.zeros(n)
    b[row] = scale
    return A, b


class _Factor:
    """Sparse LU of ``A`` (optionally of ``A[p][:, p]``), with solves by ``A`` and ``A^T``."""

    def __init__(self, A: sp.csr_array, perm: np.ndarray | None = None, **options: Any):
        self.perm = perm
        Ap = A if perm is None else A[perm][:, perm]
        self.lu = spla.splu(sp.csc_array(Ap), **options)

    def solve(self, v: np.ndarray, trans: str = "N") -> np.ndarray:
        if self.perm is None:
            return self.lu.solve(v, trans=trans)
        out = np.empty_like(v)
        out[self.perm] = self.lu.solve(v[self.perm], trans=trans)
        return out


def nested_dissection(adj: sp.csr_array, coords: np.ndarray, leaf: int = 64) -> np.ndarray:
    """Fill-reducing ordering: recursive coordinate bisection with vertex separators last.

    ``adj`` is a symmetric sparsity pattern and ``coords`` the ``(j, m[, m'])`` of each index
    (the generator couples only neighbouring coordinates, so the separators are thin lines).
    Returns a permutation of ``range(adj.shape[0])``.
    """
    adj = sp.csr_array(adj)
    order: list[np.ndarray] = []

    def split(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        c = coords[idx]
        axis = int(np.argmax(np.ptp(c, axis=0)))
        med = np.median(c[:, axis])
        left = c[:, axis] < med
        if left.all() or not left.any():
            left = c[:, axis] <= med
            if left.all() or not left.any():
                return None
        lo, hi = idx[left], idx[~left]
        touches = np.diff(adj[lo][:, hi].indptr) > 0   # vertices of lo with a neighbour in hi
        return lo[~touches], hi, lo[touches]

    def visit(idx: np.ndarray) -> None:
        parts = split(idx) if len(idx) > leaf else None
        if parts is None:
            order.append(idx)
            return
        lo, hi, sep = parts
        visit(lo)
        visit(hi)
        order.append(sep)

    visit(np.arange(adj.shape[0]))
    return np.concatenate(order)


def _singular_ratio(A: sp.csr_array, solve: Any, seed: int = 7) -> float:
    """Estimate ``sigma_min / sigma_max`` of ``A`` (power and inverse-power iterations)."""
    rng = np.random.default_rng(seed)
    n = A.shape[0]
    v = rng.standard_normal(n)
    smax = 0.0
    AT = sp.csr_array(A.T)
    for _ in range(8):
        v = AT @ (A @ v)
        nv = np.linalg.norm(v)
        if nv == 0:
            break
        smax, v = np.sqrt(nv), v / nv
    w = rng.standard_normal(n)
    w /= np.linalg.norm(w)
    inv = 0.0
    for _ in range(4):
        w = solve(solve(w, "T"), "N")
        nw = np.linalg.norm(w)
        if not np.isfinite(nw) or nw == 0:
            return 0.0
        inv, w = np.sqrt(nw), w / nw
    return 0.0 if inv == 0 or smax == 0 else 1.0 / (inv * smax)


def _direct(gen: PermutationGenerator, L: sp.csr_array, trace_pos: np.ndarray,
            coords: np.ndarray | None) -> tuple[np.ndarray | None, float, str]:
    """Sparse LU solve of ``L r = 0``, ``tr r = 1``; returns ``(r or None, ratio, name)``.

    In the diagonal sector (a Markov generator: column diagonally dominant) the LU uses a
    nested-dissection ordering without pivoting, with the trace row ordered last; if that
    factor is unusable the general COLAMD/partial-pivoting LU is used.
    """
    A, b = _augmented(L, trace_pos)
    factor, name = None, "lu-colamd"
    if coords is not None and gen.sector == "diagonal" and A.shape[0] > 64:
        perm = nested_dissection(abs(L) + abs(L.T), coords)
        perm = np.concatenate([perm[perm != trace_pos[0]], [trace_pos[0]]])
        try:
            factor = _Factor(A, perm, permc_spec="NATURAL", diag_pivot_thresh=0.0,
                             options={"SymmetricMode": True})
            x = factor.solve(b)
            if not (np.all(np.isfinite(x))
                    and np.linalg.norm(A @ x - b) <= 1e-10 * np.linalg.norm(b)):
                factor = None
            name = "lu-nd"
        except RuntimeError:
            factor = None
    if factor is None:
        name = "lu-colamd"
        try:
            factor = _Factor(A, None, permc_spec="COLAMD")
        except RuntimeError:  # exactly singular
            return None, 0.0, name
    x = factor.solve(b)
    x = x + factor.solve(b - A @ x)  # one step of iterative refinement
    return x, _singular_ratio(A, factor.solve), name


class _BlockGaussSeidel:
    """Symmetric block Gauss-Seidel sweep over the ``j`` blocks of ``A`` (exact block solves).

    ``A`` is ``L`` with one population row of block 0 replaced by the trace functional.  That
    row makes block 0 alone badly conditioned (the trace fixes the weight of a state far from
    where block 0's own steady state sits), so block 0 -- and any block whose own generator is
    singular -- is factorised as ``L_bb + (c / n_b) t_b t_b^T`` instead (``t_b``: the block's
    populations).  The difference from ``A`` is of low rank and costs GMRES a step or two.
    """

    def __init__(self, A: sp.csr_array, L: sp.csr_array, basis: PermutationBasis):
        self.A = A
        self.slices = [basis.block_slice(b) for b in range(basis.n_blocks)]
        scale = float(np.max(np.abs(L.data))) if L.nnz else 1.0
        self.factors = []
        for b, sl in enumerate(self.slices):
            block = sp.csr_array(A[sl, sl])
            try:
                if b == 0:
                    raise RuntimeError("regularise the block holding the trace row")
                factor = _Factor(block, None, permc_spec="MMD_AT_PLUS_A")
            except RuntimeError:
                pos = _block_diagonal(basis, b)
                reg = sp.csr_array((np.full(len(pos) ** 2, scale / len(pos)),
                                    (np.repeat(pos, len(pos)), np.tile(pos, len(pos)))),
                                   shape=block.shape)
                factor = _Factor(sp.csr_array(L[sl, sl]) + reg, None,
                                 permc_spec="MMD_AT_PLUS_A")
            self.factors.append(factor)
        nb = len(self.slices)
        self.lower = [None] + [sp.csr_array(A[self.slices[b], self.slices[b - 1]])
                               for b in range(1, nb)]
        self.upper = [sp.csr_array(A[self.slices[b], self.slices[b + 1]])
                      for b in range(nb - 1)] + [None]

    def _sweep(self, v: np.ndarray, forward: bool) -> np.ndarray:
        out = np.zeros_like(v)
        nb = len(self.slices)
        order = range(nb) if forward else reversed(range(nb))
        for b in order:
            rhs = v[self.slices[b]]
            if forward and b > 0:
                rhs = rhs - self.lower[b] @ out[self.slices[b - 1]]
            if not forward and b < nb - 1:
                rhs = rhs - self.upper[b] @ out[self.slices[b + 1]]
            out[self.slices[b]] = self.factors[b].solve(rhs)
        return out

    def __call__(self, v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=float).ravel()
        y = self._sweep(v, True)
        return y + self._sweep(v - self.A @ y, False)


def _gmres(A: sp.csr_array, b: np.ndarray, M: Any, rtol: float,
           maxiter: int) -> tuple[np.ndarray, float, int]:
    """Restarted GMRES with preconditioner ``M``; returns ``(x, ||A x - b||/||b||, iterations)``."""
    count = [0]

    def callback(_res: float) -> None:
        count[0] += 1

    op = spla.LinearOperator(A.shape, M, dtype=float)
    restart = min(100, A.shape[0])
    x, _info = spla.gmres(A, b, M=op, rtol=rtol, atol=0.0, restart=restart,
                          maxiter=max(1, maxiter // restart + 1), callback=callback,
                          callback_type="pr_norm")
    return x, float(np.linalg.norm(A @ x - b) / np.linalg.norm(b)), count[0]


def _iterative(gen: PermutationGenerator, L: sp.csr_array, trace_pos: np.ndarray,
               rtol: float, maxiter: int) -> tuple[np.ndarray, float, dict[str, Any]]:
    """Preconditioned GMRES; the ratio comes from a solve with a random right-hand side.

    A singular augmented matrix (degenerate kernel) leaves a random right-hand side outside its
    range (the unreachable part is ~ 1/sqrt(n) of it), so that solve stalls above
    :data:`PROBE_RESIDUAL`; otherwise ``||A^-1 b'||`` bounds ``1/sigma_min``.
    """
    A, b = _augmented(L, trace_pos)
    try:
        M = _BlockGaussSeidel(A, L, gen.basis)
    except RuntimeError as exc:  # a singular diagonal block
        raise SolverError(f"block preconditioner failed ({exc}); use method='direct'") from exc
    x, relres, its = _gmres(A, b, M, rtol, maxiter)
    if not relres <= 10 * rtol:
        raise ConvergenceError(
            f"GMRES did not reach rtol = {rtol:g} in {its} iterations (relative residual "
            f"{relres:.3g}); raise maxiter or use method='direct'")
    rng = np.random.default_rng(11)
    probe = rng.standard_normal(A.shape[0])
    probe /= np.linalg.norm(probe)
    # a singular A stalls this solve: allow several times the iterations the first one needed
    y, relres2, its2 = _gmres(A, probe, M, 0.1 * PROBE_RESIDUAL,
                              min(maxiter, max(200, 6 * its)))
    smax = _norm2_estimate(A)
    ratio = 1.0 / (np.linalg.norm(y) * smax) if relres2 <= PROBE_RESIDUAL else 0.0
    return x, ratio, {"iterations": its, "probe_iterations": its2,
                      "probe_residual": relres2}


def _norm2_estimate(A: sp.csr_array, steps: int = 8) -> float:
    v = np.random.default_rng(3).standard_normal(A.shape[0])
    AT = sp.csr_array(A.T)
    s = 0.0
    for _ in range(steps):
        v = AT @ (A @ v)
        nv = np.linalg.norm(v)
        if nv == 0:
            return 0.0
        s, v = np.sqrt(nv), v / nv
    return s


def _kernel(L: sp.csr_array, kernel_tol: float):
    if L.shape[0] <= DENSE_KERNEL_MAX:
        return dense_kernel(L.toarray(), kernel_tol)
    return sparse_kernel(L, kernel_tol)


def _project(info: Any, x0: np.ndarray) -> np.ndarray:
    """State reached from ``x0``: biorthogonal projection on the kernel (real coordinates)."""
    if len(x0) > DENSE_KERNEL_MAX and info.dim >= SPARSE_KERNEL_MAX_K:
        raise SolverError(
            f"the kernel has dimension >= {info.dim}, more than the Arnoldi count resolves; "
            "the state reached from rho0 is not available at this size (use a smaller N)")
    r, w = info.right, info.left
    coeff = np.linalg.solve(w.conj().T @ r, w.conj().T @ x0)
    return np.real(r @ coeff)


# ------------------------------------------------------------------ solve paths
def _solve_coupled(gen: PermutationGenerator, start: _InitialState | None,
                   opts: dict[str, Any]) -> tuple[np.ndarray, int, dict[str, Any]]:
    trace_pos = gen.basis.diagonal_positions()
    L = gen.real_matrix
    t0 = time.perf_counter()
    info: dict[str, Any] = {}
    if opts["method"] == "direct":
        x, ratio, name = _direct(gen, L, trace_pos, gen.basis.coordinates())
    else:
        x, ratio, extra = _iterative(gen, L, trace_pos, opts["rtol"], opts["maxiter"])
        name = "gmres-block-sgs"
        info.update(extra)
    info.update(sigma_ratio=ratio, solve_s=time.perf_counter() - t0, solver=name)
    if x is not None and ratio >= FLAG_RATIO:
        return x, 1, info
    if L.shape[0] > DENSE_KERNEL_MAX and opts["method"] == "iterative":
        if start is None:
            raise NonUniqueSteadyStateError(
                f"the permutation-invariant steady state is not unique (or nearly so: estimated "
                f"sigma_min/sigma_max = {ratio:.2g}); kernel dimension at least 2. Pass rho0=... "
                "with method='direct' (smaller N) to get the state reached.", kernel_dim=2)
        raise SolverError("the kernel is degenerate; projecting rho0 needs method='direct'")
    kinfo = _kernel(L, opts["kernel_tol"])
    info["rel_singular_values"] = kinfo.rel_singular_values
    if kinfo.dim == 1:
        # ill-conditioned but unique: keep whichever candidate has the smaller residual
        candidates = [np.real(kinfo.right[:, 0])] + ([x] if x is not None else [])
        candidates = [c / c[trace_pos].sum() for c in candidates]
        best = min(candidates, key=lambda c: float(np.linalg.norm(L @ c)))
        return best, 1, info
    if start is None:
        raise NonUniqueSteadyStateError(
            f"the permutation-invariant steady state is not unique: kernel dimension "
            f"{kinfo.dim}{' (at least)' if L.shape[0] > DENSE_KERNEL_MAX else ''}. Pass "
            "rho0=... (the initial state) to get the state it reaches.", kernel_dim=kinfo.dim,
            singular_values=kinfo.rel_singular_values)
    if start.weights_only:
        raise InvalidInputError(
            "j_weights do not determine the steady state here (the kernel is degenerate beyond "
            "one state per j block); pass rho0 with the full initial blocks")
    return _project(kinfo, start.vector), kinfo.dim, info


def _solve_decoupled(gen: PermutationGenerator, start: _InitialState | None,
                     opts: dict[str, Any]) -> tuple[np.ndarray, int, dict[str, Any]]:
    """No local rates: every ``j`` block evolves alone and keeps its weight."""
    basis = gen.basis
    x = np.zeros(gen.dim)
    kdim, degenerate = 0, []
    t0 = time.perf_counter()
    for b in range(basis.n_blocks):
        sl = basis.block_slice(b)
        x0b = None if start is None else start.vector[sl]
        pos = _block_diagonal(basis, b)
        weight = None if x0b is None else float(x0b[pos].sum())
        if x0b is not None and not np.any(x0b):
            kdim += 1  # an empty block: its steady states are not needed (counted once)
            continue
        Lb = gen.block_matrix(b)
        xb, ratio, _ = _direct(gen, Lb, pos, None)
        if xb is not None and ratio >= FLAG_RATIO:
            kdim += 1
            if x0b is not None:
                x[sl] = weight * xb
            continue
        kinfo = _kernel(Lb, opts["kernel_tol"])
        kdim += kinfo.dim
        if kinfo.dim == 1:
            xb = np.real(kinfo.right[:, 0])
            if x0b is not None:
                x[sl] = weight * xb / xb[pos].sum()
            continue
        degenerate.append(float(basis.j[b]))
        if x0b is not None:
            if start.weights_only:
                raise InvalidInputError(
                    f"j_weights do not determine the steady state: the j = {basis.j[b]} block "
                    "has a degenerate kernel of its own; pass rho0 with the full blocks")
            x[sl] = _project(kinfo, x0b)
    info = {"solve_s": time.perf_counter() - t0, "degenerate_blocks": degenerate,
            "solver": "lu per j block"}
    if start is None:
        raise NonUniqueSteadyStateError(
            f"the permutation-invariant steady state is not unique: without local rates each of "
            f"the {basis.n_blocks} total-spin blocks keeps its own weight (kernel dimension "
            f"{kdim}). Pass rho0=... or j_weights=... to get the state reached.",
            kernel_dim=kdim)
    return x, kdim, info


def _block_diagonal(basis: PermutationBasis, b: int) -> np.ndarray:
    s = int(basis.sizes[b])
    return np.arange(s) * (s + 1) if basis.sector == "full" else np.arange(s)


def _finalize(gen: PermutationGenerator, r: np.ndarray, kdim: int, t0: float,
              tol: dict[str, float], on_fail: str, info: dict[str, Any],
              unique_required: bool) -> PermutationState:
    """Normalise, check (residual, trace, Hermiticity, block positivity) and wrap the result."""
    basis = gen.basis
    raw = gen.to_complex(np.asarray(r, dtype=float))
    tr = raw[basis.diagonal_positions()].sum().real
    x = raw / tr if tr != 0 else raw
    # the real coordinates are Hermitian by construction; check the complex residual instead
    herm = 0.0
    if basis.sector == "full":
        parts = basis.split(x)
        herm = max(float(np.max(np.abs(p - p.conj().T))) for p in parts)
        min_ev = min(float(np.linalg.eigvalsh(p)[0]) for p in parts)
    else:
        x = x.real
        min_ev = float(np.min(x))
    finite = bool(np.all(np.isfinite(x)))
    residual = (float(np.linalg.norm(gen.apply(x)) / max(gen.norm, 1e-300)) if finite
                else float("inf"))
    trace_err = float(abs(tr - 1.0))
    ok = (finite and residual <= tol["residual"] and herm <= tol["hermiticity"]
          and min_ev >= -tol["positivity"] and (kdim == 1 or not unique_required))
    method = f"permutation-{info.get('solver', 'lu')}"
    state = PermutationState(
        n=gen.model.n, vector=x, basis=basis, residual=residual, trace_error=trace_err,
        hermiticity_error=herm, min_eigenvalue=min_ev, kernel_dim=int(kdim), method=method,
        wall_time=time.perf_counter() - t0, ok=bool(ok), info=info)
    if not ok and on_fail != "flag":
        msg = (f"permutation-invariant steady state failed validation ({method}): residual "
               f"{residual:.3g} (tol {tol['residual']:g}), hermiticity {herm:.3g}, min block "
               f"eigenvalue {min_ev:.3g}, kernel dimension {kdim}. Pass on_fail='flag' to "
               "receive the result with ok=False.")
        if on_fail == "raise":
            err = SolverError(msg)
            err.result = state  # type: ignore[attr-defined]
            raise err
        import warnings

        warnings.warn(msg, RuntimeWarning, stacklevel=3)
    return state


__all__ = ["PermutationState", "nested_dissection", "pair_state_from_moments",
           "steadystate_permutation"]
