"""Iterative (Krylov) steady-state solver for large generators, matrix-free for Lindblad forms.

Lindblad generators (``gen.extra is None``)
-------------------------------------------
Write ``L = S + J`` with

    S(rho) = -i K rho + i rho K^dag,   K = H - (i/2) sum_k L_k^dag L_k   (effective Hamiltonian),
    J(rho) = sum_k L_k rho L_k^dag                                        (jump part).

``S`` is inverted exactly by diagonalising ``K`` once (``K = V diag(lambda) V^-1``: then
``S^-1`` divides elementwise by ``-i(lambda_i - conj(lambda_j))``) or, for nearly defective ``K``,
by a complex Schur form and a triangular Sylvester solve (LAPACK ``ztrsyl``).  ``S`` is
invertible iff every eigenvalue of ``K`` has ``Im lambda < 0``; if not (a state annihilated by all
jumps, e.g. a dark state or a ground state with decay only), ``K`` is shifted by ``-i alpha/2``
and ``alpha`` is added back to the jump part (adding the jump ``sqrt(alpha) 1`` leaves ``L``
unchanged), so the splitting stays exact.

With ``P = S^-1``, ``L P = 1 - T`` where ``T = -J S^-1`` is the completely positive,
trace-preserving *jump map*.  The equations

    L rho + u tr(S rho) = u    <=>    (L P) y + u tr(y) = u,   rho = P y,

with ``u = 1/d`` fix ``tr(S rho) = 1`` (take the trace: ``L`` is trace-annihilating) and then
``L rho = 0``.  They are solved by flexible GMRES (FGMRES, Saad 1993) with ``P`` as right
preconditioner: the same Krylov iteration as GMRES on ``L P``, but every preconditioned vector
``z_j = P v_j`` is stored and ``L z_j`` is applied in double precision, so the returned ``rho``
(a combination of the ``z_j``) has the residual FGMRES reports, however inexactly ``P`` is
applied.  That allows ``P`` in single precision (complex64: half the cost of its four dense
``d x d`` products, the bulk of the work) whenever the eigenvectors of ``K`` are well
conditioned; the iteration count is unchanged.  The full ``d^2 x d^2`` matrix is never built.

``L``, ``P`` and the trace preserve Hermiticity and ``u`` is Hermitian, so the iteration runs in
real coordinates of Hermitian matrices (:class:`_HermitianCoordinates`: half the memory of
complex vectors, and ``S X = -i K X + h.c.`` needs one sparse product).  The jump part ``J`` is
applied as one sparse ``d^2 x d^2`` superoperator ``sum_k L_k (x) conj(L_k)`` (per block pair)
for the jumps whose Kronecker form is no denser than two sparse-dense products (local jumps:
``nnz(L_k)^2`` entries), and as products ``L_k X L_k^dag`` for the others (collective jumps).

Block structure: if a U(1) charge ``Q`` (diagonal in the product basis) is conserved in the weak
sense (``H`` commutes with it, each jump changes it by a fixed amount), ``L`` maps each sector of
matrix blocks ``rho[Q=a, Q=b]`` with fixed ``a - b = m`` to itself.  The solve then runs on the
``m = 0`` sector only (for N qubits with excitation-number charge, ``C(2N, N)`` unknowns instead
of ``4^N``).  The charge is detected automatically (sum of the local level indices) or given.

Uniqueness (``check_unique``), cheapest certificate first:

1. If the solution is faithful (smallest eigenvalue > ``FAITHFUL_TOL`` times the largest), then
   (Frigerio 1978; Baumgartner & Narnhofer 2008) the kernel of ``L^dag`` is the commutant of
   ``{H, L_k, L_k^dag}``, so the steady state is unique iff that commutant is trivial.  This is
   tested on ``d x d`` operators (:func:`trivial_commutant`: in the eigenbasis of a random
   Hermitian element of the operator algebra, the non-zero matrix elements must connect all
   states).  With a charge, only block-diagonal (charge-0) ``X`` need testing: the commutant is
   U(1)-covariant, and a charge-``m != 0`` element ``X`` would make ``X^dag X`` a charge-0
   element, hence a multiple of 1, impossible for an operator that shifts a finite spectrum of
   charges.
2. Otherwise the eigenvalue 1 of ``1 - L P`` (the kernel of ``L``) is counted with Arnoldi
   (``scipy.sparse.linalg.eigs``, eigenvalues of largest real part) with deflation of every
   kernel vector found (so a degenerate eigenvalue is found vector by vector), or with a dense
   SVD for small sectors; with a charge, the ``m != 0`` sectors are counted too unless the
   state is faithful and the charge-0 kernel is one-dimensional (argument above).

Non-uniqueness: without ``rho0`` a :class:`~qness.errors.NonUniqueSteadyStateError` is raised.
With ``rho0`` the returned state is the biorthogonal projection of ``rho0`` onto the kernel of
``L`` along its range (right kernel vectors from the sectors above, left kernel vectors from the
same construction applied to ``L^dag``), i.e. the time average of ``exp(L t) rho0`` as
``t -> infinity`` (the state the dynamics reaches from ``rho0``).

Non-Lindblad generators (``gen.extra`` set, e.g. Bloch--Redfield) or ``preconditioner='ilu'``
-------------------------------------------------------------------------------------------
GMRES on the sparse ``L + c u tr(.)`` (``u = 1/d``, ``c = ||L||_F / d``) with an incomplete LU
preconditioner (``scipy.sparse.linalg.spilu``).  Uniqueness is checked by a second solve with a
different ``u`` (a random full-rank state): a singular system is consistent for every ``u`` and
then GMRES returns different states.  There the projection from ``rho0`` is not available.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.linalg.lapack import ztrsyl
from scipy.sparse.csgraph import connected_components

from ..errors import (
    ConvergenceError,
    DimensionError,
    InvalidInputError,
    MemoryEstimateError,
    NonUniqueSteadyStateError,
    SolverError,
)
from ..master.generator import Generator
from ..master.superop import unvec, vec
from .validate import DEFAULT_TOLERANCES, SteadyState, finalize

PRECONDITIONERS = ("auto", "eig", "schur", "ilu")

#: Charges are rounded to this many decimals (they are scaled to shifts of order 1) and charge
#: differences closer than CHARGE_TOL are equal.
CHARGE_DECIMALS = 6
CHARGE_TOL = 1e-5
#: Eigenvalues of ``1 - L P`` within this distance of 1 count as kernel (override with
#: ``tolerances={'kernel_iterative': ...}``).
KERNEL_TOL = 1e-8
#: ``cond_F(V) = ||V||_F ||V^-1||_F`` above which the eigenbasis of ``K`` is not used.
EIG_COND_MAX = 1e8
#: ``S`` counts as singular when ``min(-Im lambda(K)) < SHIFT_TRIGGER * mean decay rate``.
SHIFT_TRIGGER = 1e-3
#: Smallest eigenvalue (relative to the largest) above which a state counts as faithful.
FAITHFUL_TOL = 1e-8
#: Relative eigenvalue gap (random algebra element) and matrix-element size used by the
#: commutant test of uniqueness.
COMMUTANT_GAP_TOL = 1e-7
COMMUTANT_EDGE_TOL = 1e-7
#: Blocks with at most this many entries are stored dense.
DENSE_PIECE_MAX = 16384
#: A jump term ``X -> l_a X l_b^dag`` goes into the sparse jump superoperator (Kronecker form,
#: ``nnz(l_a) nnz(l_b)`` entries) when that costs at most this times the two sparse-dense
#: products; at most KRON_NNZ_PER_UNKNOWN superoperator entries per unknown are stored.
KRON_COST_RATIO = 1.0
KRON_NNZ_PER_UNKNOWN = 16
#: ``P`` is applied in complex64 inside FGMRES when the largest charge block has at least
#: SINGLE_MIN_BLOCK states and ``cond_F(V) <= SINGLE_COND_MAX`` for the eigenvectors of ``K``.
SINGLE_MIN_BLOCK = 256
SINGLE_COND_MAX = 1e5
#: Sectors at most this long are analysed by a dense SVD instead of Arnoldi.
DENSE_SECTOR_MAX = 400
#: Largest kernel dimension searched for (per sector) by deflated Arnoldi.
MAX_KERNEL_SEARCH = 8
#: Arnoldi (ARPACK) settings of the kernel search: a coarse pass, refined when the top
#: eigenvalue of the jump map comes within ARNOLDI_REFINE_BELOW of 1.
ARNOLDI_K = 3
ARNOLDI_NCV_COARSE = 12
ARNOLDI_TOL_COARSE = 1e-5
ARNOLDI_REFINE_BELOW = 1e-3
ARNOLDI_NCV = 24
ARNOLDI_TOL = 1e-12
ARNOLDI_MAXITER = 100
#: Total products with ``L P`` allowed to the Arnoldi kernel search of all sectors together:
#: at least ARNOLDI_BUDGET_MIN, or ARNOLDI_BUDGET_PER_ITER times the FGMRES iterations of the
#: solve.  When it runs out the kernel dimension is reported as not established.
ARNOLDI_BUDGET_MIN = 1500
ARNOLDI_BUDGET_PER_ITER = 2
#: FGMRES doubles its restart length after a cycle that reduces the residual by less than this
#: factor, up to RESTART_MAX vectors (and the memory limit, and the number of unknowns).
STALL_RATIO = 1e-2
RESTART_MAX = 1024
#: Automatic refinement when the only failed check is a slightly negative eigenvalue: at most
#: REFINE_STEPS further FGMRES solves, each at a tolerance REFINE_FACTOR smaller (not below
#: REFINE_TOL_MIN), continuing from the current iterate.
REFINE_STEPS = 3
REFINE_FACTOR = 1e-2
REFINE_TOL_MIN = 1e-15


# ============================================================================ small helpers
def available_memory() -> float:
    """Available RAM in bytes (``MemAvailable`` of /proc/meminfo; 8 GiB if unreadable)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0
    except OSError:
        pass
    return 8.0 * 2**30


def lindblad_frobenius_norm(hamiltonian: Any, jumps: list[Any], d: int,
                            keff: sp.csr_array | None = None) -> float:
    """``||L||_F`` of the Lindblad superoperator without building it.

    ``L = 1 (x) A + conj(A) (x) 1 + sum_k conj(L_k) (x) L_k`` with ``A = -i K``, and
    ``||sum_t X_t (x) Y_t||_F^2 = sum_ts <X_t, X_s><Y_t, Y_s>`` (Hilbert--Schmidt products), so
    only Gram matrices of ``d x d`` sparse operators are needed.
    """
    jumps = [sp.csr_array(lk, dtype=complex) for lk in jumps]
    keff = _effective_hamiltonian(hamiltonian, jumps, d) if keff is None else keff
    eye = sp.identity(d, dtype=complex, format="csr")
    a = -1j * keff
    xs = [eye, sp.csr_array(a.conj()), *[sp.csr_array(lk.conj()) for lk in jumps]]
    ys = [a, eye, *jumps]

    def gram(ops: list[sp.csr_array]) -> np.ndarray:
        rows, cols, vals = [], [], []
        for t, op in enumerate(ops):
            coo = sp.coo_array(op)
            rows.append(np.full(coo.nnz, t))
            cols.append(coo.row.astype(np.int64) * d + coo.col)
            vals.append(coo.data)
        m = sp.csr_array((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                         shape=(len(ops), d * d))
        return (m.conj() @ m.T).toarray()

    total = np.sum(gram(xs) * gram(ys)).real
    return float(np.sqrt(max(total, 0.0)))


def _effective_hamiltonian(hamiltonian: Any, jumps: list[sp.csr_array], d: int) -> sp.csr_array:
    """``K = H - (i/2) sum_k L_k^dag L_k`` (sparse)."""
    keff = sp.csr_array((d, d), dtype=complex) if hamiltonian is None else sp.csr_array(
        hamiltonian, dtype=complex)
    if jumps:
        stacked = sp.csr_array(sp.vstack([sp.csr_array(lk) for lk in jumps], format="csr"))
        keff = keff - 0.5j * (stacked.conj().T @ stacked)  # sum_k L_k^dag L_k in one product
    return sp.csr_array(keff)


def _sparse_parts(gen: Generator) -> tuple[sp.csr_array | None, list[sp.csr_array]]:
    h = None if gen.hamiltonian is None else sp.csr_array(gen.hamiltonian, dtype=complex)
    jumps = [sp.csr_array(lk, dtype=complex) for lk in gen.jumps]
    jumps = [lk for lk in jumps if lk.nnz and np.any(lk.data != 0)]
    return h, jumps


# ============================================================================ charges
def charge_shift(op: sp.csr_array, charges: np.ndarray) -> float | None:
    """The fixed amount ``q`` by which ``op`` changes the charge, or None if it has none."""
    coo = sp.coo_array(op)
    mask = coo.data != 0
    if not np.any(mask):
        return 0.0
    diff = charges[coo.row[mask]] - charges[coo.col[mask]]
    if np.allclose(diff, diff[0], atol=CHARGE_TOL):
        return float(diff[0])
    return None


def _edges(h: sp.csr_array | None, jumps: list[sp.csr_array]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(src, dst, label)`` of every non-zero: ``op[dst, src] != 0``; label -1 for ``H``."""
    srcs, dsts, labs = [], [], []
    for lab, op in ([(-1, h)] if h is not None else []) + list(enumerate(jumps)):
        coo = sp.coo_array(op)
        keep = coo.data != 0
        srcs.append(coo.col[keep].astype(np.int64))
        dsts.append(coo.row[keep].astype(np.int64))
        labs.append(np.full(int(keep.sum()), lab, dtype=np.int64))
    if not srcs:
        return (np.zeros(0, np.int64),) * 3
    return np.concatenate(srcs), np.concatenate(dsts), np.concatenate(labs)


def find_charges(h: sp.csr_array | None, jumps: list[sp.csr_array], d: int, seed: int = 7
                 ) -> tuple[np.ndarray, list[float]] | None:
    """Detect conserved U(1) charges diagonal in the computational basis, from the operators.

    Looks for real labels ``c_i`` of the basis states and shifts ``q_k`` with ``c_r = c_s`` for
    every non-zero ``H[r, s]`` and ``c_r - c_s = q_k`` for every non-zero ``L_k[r, s]``
    (``H`` conserves the charge, ``L_k`` changes it by ``q_k``).  A spanning tree of the graph
    of non-zeros expresses each ``c_i`` as an integer combination of the ``q_k``; the other edges
    give linear constraints on ``q``, whose null space holds every such charge.  A random
    combination of the null space (plus a random offset per connected component, a conserved
    charge too) gives the finest block partition.

    Returns
    -------
    (charges, shifts) or None
        Charge of each basis state and the shift of each jump, or None if every state has the
        same charge (no block structure).
    """
    src, dst, lab = _edges(h, jumps)
    k = len(jumps)
    off = src != dst
    # undirected adjacency with the edge index, for a breadth-first spanning forest
    half_from = np.concatenate([src[off], dst[off]])
    half_to = np.concatenate([dst[off], src[off]])
    half_edge = np.concatenate([np.flatnonzero(off), np.flatnonzero(off)])
    half_sign = np.concatenate([np.ones(off.sum(), np.int64), -np.ones(off.sum(), np.int64)])
    order = np.argsort(half_from, kind="stable")
    half_to, half_edge, half_sign = half_to[order], half_edge[order], half_sign[order]
    indptr = np.searchsorted(half_from[order], np.arange(d + 1))
    coef = np.zeros((d, k), dtype=np.int64)
    comp = np.full(d, -1, dtype=np.int64)
    n_comp = 0
    for root in range(d):
        if comp[root] >= 0:
            continue
        comp[root] = n_comp
        queue = [root]
        while queue:
            node = queue.pop()
            for j in range(indptr[node], indptr[node + 1]):
                nxt = half_to[j]
                if comp[nxt] < 0:
                    comp[nxt] = n_comp
                    coef[nxt] = coef[node]
                    lb = lab[half_edge[j]]
                    if lb >= 0:
                        coef[nxt, lb] += half_sign[j]
                    queue.append(nxt)
        n_comp += 1
    # constraints: coef[dst] - coef[src] - e_lab = 0 on every edge
    rows = coef[dst] - coef[src]
    is_jump = lab >= 0
    rows[np.flatnonzero(is_jump), lab[is_jump]] -= 1
    rows = np.unique(rows, axis=0) if len(rows) else rows
    rows = rows[np.any(rows != 0, axis=1)] if len(rows) else rows
    if k and len(rows):
        gram = rows.T.astype(float) @ rows.astype(float)  # (k, k): same null space as rows
        ev, vecs = np.linalg.eigh(gram)
        null = vecs[:, ev <= 1e-9 * max(float(ev[-1]), 1.0)]
    else:
        null = np.eye(k)
    rng = np.random.default_rng(seed)
    q = null @ rng.standard_normal(null.shape[1]) if null.shape[1] else np.zeros(k)
    qmax = float(np.max(np.abs(q), initial=0.0))
    q = q / qmax if qmax > 1e-12 else np.zeros(k)  # unit scale: shifts of order 1
    charges = coef @ q + (rng.standard_normal(n_comp) * 10.0)[comp] * (n_comp > 1)
    charges = np.round(charges, CHARGE_DECIMALS)
    if len(np.unique(charges)) < 2:
        return None
    shifts = [charge_shift(lk, charges) for lk in jumps]
    if any(sh is None for sh in shifts):  # cannot happen for an exact null vector; be safe
        return None
    return charges, [float(sh) for sh in shifts]


def detect_charges(h: sp.csr_array | None, jumps: list[sp.csr_array], d: int,
                   charges: Any = None) -> tuple[np.ndarray, list[float]] | None:
    """A conserved U(1) charge: verify the given ``charges`` or find one (:func:`find_charges`).

    Returns ``(charges per basis state, shift per jump)`` or None (no block structure).
    A given ``charges`` that ``H`` does not conserve, or that a jump does not shift by a fixed
    amount, raises :class:`~qness.errors.InvalidInputError`.
    """
    if charges is None:
        return find_charges(h, jumps, d)
    q = np.asarray(charges, dtype=float).ravel()
    if q.shape != (d,) or not np.all(np.isfinite(q)):
        raise InvalidInputError(
            f"charges must be {d} finite numbers (one per basis state), got shape {q.shape}")
    shifts = [charge_shift(lk, q) for lk in jumps]
    if (h is not None and charge_shift(h, q) != 0.0) or any(s is None for s in shifts):
        raise InvalidInputError(
            "charges: the given charge is not conserved (H must commute with it and every "
            "jump operator must change it by a fixed amount)")
    if len(np.unique(np.round(q, CHARGE_DECIMALS))) < 2:
        return None
    return np.round(q, CHARGE_DECIMALS), [float(s) for s in shifts]


# ============================================================================ block algebra
@dataclass
class _Sector:
    """A set of matrix blocks ``(a, b)`` (groups of equal charge) with fixed charge difference."""

    pairs: list[tuple[int, int]]
    shapes: list[tuple[int, int]]
    offsets: np.ndarray
    size: int
    trace_index: np.ndarray  # flat positions of the diagonal of the (a, a) blocks

    def blocks(self, x: np.ndarray) -> list[np.ndarray]:
        return [x[o:o + r * c].reshape(r, c)
                for o, (r, c) in zip(self.offsets, self.shapes, strict=True)]


@dataclass
class _HermitianCoordinates:
    """Real coordinates of the Hermitian elements of a charge-0 sector.

    The charge-0 sector is block diagonal (groups of distinct charges); ``L``, ``S_alpha^-1``
    and the trace map Hermitian matrices to Hermitian matrices and the steady state is
    Hermitian, so the solve can run in the real vector space of Hermitian sector elements
    (``sec.size`` real numbers instead of complex ones).  A block ``X_aa`` is stored as its
    real part on and above the diagonal and its imaginary part below it, off-diagonal entries
    scaled by ``sqrt 2``: the Euclidean product of coordinates is ``Re tr(X^dag Y)``.
    """

    sec: _Sector
    weights: list[np.ndarray]      # 1 on the diagonal, sqrt 2 off it
    lower: list[np.ndarray]        # strictly-lower-triangle masks

    @classmethod
    def build(cls, sec: _Sector) -> _HermitianCoordinates:
        if any(a != b for a, b in sec.pairs):
            raise SolverError("internal: the charge-0 sector is not block diagonal")
        weights, lower = [], []
        for r, _ in sec.shapes:
            w = np.full((r, r), math.sqrt(2.0))
            np.fill_diagonal(w, 1.0)
            weights.append(w)
            lower.append(np.tri(r, r, -1, dtype=bool))
        return cls(sec, weights, lower)

    def pack(self, x: np.ndarray, dtype: Any = np.float64) -> np.ndarray:
        """Coordinates of the Hermitian complex sector vector ``x`` (its upper real part and
        lower imaginary part are read)."""
        out = np.empty(self.sec.size, dtype=dtype)
        for xb, ob, w, low in zip(self.sec.blocks(x), self.sec.blocks(out), self.weights,
                                  self.lower, strict=True):
            seg = xb.real.copy()
            np.copyto(seg, xb.imag, where=low)
            np.multiply(seg, w, out=ob)
        return out

    def unpack(self, p: np.ndarray, dtype: Any = complex) -> np.ndarray:
        """The Hermitian complex sector vector with coordinates ``p``."""
        out = np.empty(self.sec.size, dtype=dtype)
        for pb, ob, w, low in zip(self.sec.blocks(p), self.sec.blocks(out), self.weights,
                                  self.lower, strict=True):
            rp = pb / w
            im = np.where(low, rp, 0.0)
            ob.real = np.where(low, rp.T, rp)   # symmetric real part
            ob.imag = im - im.T                 # antisymmetric imaginary part
        return out


@dataclass
class _Split:
    """``L = S + J`` restricted to the charge groups, with the preconditioner ``P = S_alpha^-1``.

    Built from an effective Hamiltonian ``K`` and jump operators; the same code serves ``L`` and
    (with ``K -> -K^dag``, ``L_k -> L_k^dag``) the dual ``L^dag``.
    """

    groups: list[np.ndarray]
    group_charge: np.ndarray
    kblocks: list[sp.csr_array]
    jump_pieces: list[dict[int, tuple[int, sp.csr_array]]]  # per jump: src group -> (dst, op)
    method: str
    alpha: float
    fact: list[tuple[np.ndarray, ...]]
    _stack_cache: dict[Any, Any] = field(default_factory=dict)
    _dinv_cache: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)

    # ------------------------------------------------------------------ construction
    @classmethod
    def build(cls, keff: sp.csr_array, jumps: list[sp.csr_array], groups: list[np.ndarray],
              group_charge: np.ndarray, method: str, alpha: float | None) -> _Split:
        group_of = np.empty(sum(len(g) for g in groups), dtype=np.int64)
        local = np.empty_like(group_of)  # position of each basis state inside its group
        for g, members in enumerate(groups):
            group_of[members] = g
            local[members] = np.arange(len(members))
        kblocks = [_compact(blk) for blk in _split_blocks(keff, groups, group_of, local,
                                                          diagonal_only=True).values()]
        pieces: list[dict[int, tuple[int, Any]]] = []
        for k, lk in enumerate(jumps):
            per_src: dict[int, tuple[int, Any]] = {}
            for (dst, src), piece in _split_blocks(lk, groups, group_of, local).items():
                if src in per_src:
                    raise SolverError(f"jump operator {k} maps charge sector {src} into several "
                                      "sectors: the charge is not conserved")
                per_src[src] = (dst, piece)
            pieces.append(per_src)
        dense = [_to_dense(k) for k in kblocks]
        if method == "eig":
            fact = [_eig_factor(k) for k in dense]
            if any(f is None for f in fact):
                raise _EigIllConditioned
            evals = [f[0] for f in fact]
        else:
            fact = [_schur_factor(k) for k in dense]
            evals = [np.diag(f[0]) for f in fact]
        if alpha is None:
            alpha = choose_shift(np.concatenate(evals))
        return cls(groups, group_charge, kblocks, pieces, method, alpha, fact)

    # ------------------------------------------------------------------ sectors
    def sector(self, m: float) -> _Sector:
        pairs = [(a, b) for a in range(len(self.groups)) for b in range(len(self.groups))
                 if abs(self.group_charge[a] - self.group_charge[b] - m) < CHARGE_TOL]
        shapes = [(len(self.groups[a]), len(self.groups[b])) for a, b in pairs]
        sizes = np.array([r * c for r, c in shapes], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        tr = [o + np.arange(r) * (r + 1)
              for (a, b), o, (r, _) in zip(pairs, offsets, shapes, strict=True) if a == b]
        trace_index = np.concatenate(tr) if tr else np.zeros(0, dtype=np.int64)
        return _Sector(pairs, shapes, offsets, int(sizes.sum()), trace_index)

    def sector_differences(self) -> list[float]:
        """The positive charge differences ``m`` present (sectors ``-m`` are conjugates)."""
        c = self.group_charge
        diffs = np.unique(np.round((c[:, None] - c[None, :]).ravel(), CHARGE_DECIMALS))
        return [float(m) for m in diffs if m > CHARGE_TOL]

    # ------------------------------------------------------------------ actions
    def apply_L(self, sec: _Sector, x: np.ndarray, hermitian: bool = False) -> np.ndarray:
        """``L x = S x + J x`` on the sector (unshifted: ``L`` itself).

        The jump part is one sparse matrix-vector product with the sector's jump superoperator
        (:meth:`_jump_terms`) plus, for the jumps whose Kronecker form would be too dense, two
        sparse-dense matrix products per block.  ``hermitian``: ``x`` is Hermitian (diagonal
        blocks Hermitian), so ``S`` needs one product per diagonal block (:meth:`_apply_S`).
        """
        out = self._apply_S(sec, x, 0.0, hermitian)
        sup, products = self._jump_terms(sec)
        if sup is not None:
            out += sup @ x
        xb, outb = sec.blocks(x), sec.blocks(out)
        for src, dst, la, lb_conj in products:
            t = la @ xb[src]                      # L_a X  (r', c)
            outb[dst] += (lb_conj @ t.T).T        # (L_a X) L_b^dag
        return out

    def _apply_S(self, sec: _Sector, x: np.ndarray, shift: float, hermitian: bool = False
                 ) -> np.ndarray:
        """``S x - shift x`` blockwise: ``-i K_a X + i X K_b^dag - shift X``.

        For a Hermitian diagonal block (``hermitian``) ``X K^dag = (K X)^dag``: one product.
        """
        out = np.empty(sec.size, dtype=complex)
        outb = sec.blocks(out)
        for i, ((a, b), xb) in enumerate(zip(sec.pairs, sec.blocks(x), strict=True)):
            if hermitian and a == b:
                m = -1j * (self.kblocks[a] @ xb)
                np.add(m, m.conj().T, out=outb[i])
            else:
                outb[i][...] = -1j * (self.kblocks[a] @ xb) + 1j * (self.kconj[b] @ xb.T).T
            if shift:
                outb[i] -= shift * xb
        return out

    @property
    def kconj(self) -> list[Any]:
        if "kconj" not in self._stack_cache:
            self._stack_cache["kconj"] = [k.conj() for k in self.kblocks]
        return self._stack_cache["kconj"]

    def _jump_terms(self, sec: _Sector) -> tuple[sp.csr_array | None, list[tuple]]:
        """The jump part ``J`` of the sector: ``(superoperator, products)``.

        ``J X = sum_k L_k X L_k^dag`` maps block ``(a, b)`` to ``(a', b')`` through the pieces
        ``l_a = L_k[a', a]``, ``l_b = L_k[b', b]``; on row-major flattened blocks that is the
        Kronecker product ``l_a (x) conj(l_b)`` with ``nnz(l_a) nnz(l_b)`` entries.  Every term
        whose Kronecker form costs at most ``KRON_COST_RATIO`` times the two sparse-dense
        products ``l_a X l_b^dag`` (and fits in ``KRON_NNZ_PER_UNKNOWN`` entries per unknown,
        cheapest first) is summed into one sparse superoperator; jumps diagonal on both sides
        become its diagonal.  The others stay as ``(src, dst, l_a, conj(l_b))`` products.
        """
        key = ("jumps", tuple(sec.pairs))
        if key in self._stack_cache:
            return self._stack_cache[key]
        index = {p: i for i, p in enumerate(sec.pairs)}
        weights: list[tuple[int, np.ndarray]] = []
        candidates = []
        for i, (a, b) in enumerate(sec.pairs):
            c = sec.shapes[i][1]
            weight = None
            for per_src in self.jump_pieces:
                if a not in per_src or b not in per_src:
                    continue
                (da, la), (db, lb) = per_src[a], per_src[b]
                if da == a and db == b and _is_diagonal(la) and _is_diagonal(lb):
                    w = np.outer(la.diagonal(), np.conj(lb.diagonal()))
                    weight = w if weight is None else weight + w
                    continue
                j = index[(da, db)]
                rd, cd = sec.shapes[j]
                kron_nnz = la.nnz * lb.nnz
                product_cost = la.nnz * c + lb.nnz * rd + 2 * rd * cd
                candidates.append((kron_nnz / max(product_cost, 1), kron_nnz, i, j, la, lb))
            if weight is not None:
                weights.append((i, weight.ravel()))
        budget = KRON_NNZ_PER_UNKNOWN * sec.size
        used = sum(len(w) for _, w in weights)
        krons, products = [], []
        for ratio, kron_nnz, i, j, la, lb in sorted(candidates, key=lambda t: t[0]):
            if ratio <= KRON_COST_RATIO and used + kron_nnz <= budget:
                krons.append((kron_nnz, i, j, la, lb))
                used += kron_nnz
            else:
                products.append((i, j, _compact(la), _compact(sp.csr_array(lb.conj()))))
        sup = _assemble_superop(sec, weights, krons, used) if used else None
        self._stack_cache[key] = (sup, products)
        return sup, products

    def jump_superop_nnz(self, sec: _Sector) -> int:
        """Stored entries of the sector's jump superoperator (0 if none)."""
        sup, _ = self._jump_terms(sec)
        return 0 if sup is None else int(sup.nnz)

    def apply_S_shifted(self, sec: _Sector, x: np.ndarray) -> np.ndarray:
        """``S_alpha x = S x - alpha x`` (the inverse of the preconditioner)."""
        return self._apply_S(sec, x, self.alpha)

    def trace_functional(self, sec: _Sector) -> tuple[np.ndarray, np.ndarray]:
        """``(positions, weights)`` with ``weights @ x[positions] = tr(S_alpha x)``.

        ``tr(S_alpha X) = sum_ij X_ij G_ij`` with ``G = -i K^T + i conj(K) - alpha 1`` on the
        diagonal blocks ``(a, a)`` (no others contribute to the trace).
        """
        pos, wts = [], []
        for (a, b), o, (r, _) in zip(sec.pairs, sec.offsets, sec.shapes, strict=True):
            if a != b:
                continue
            k = sp.csr_array(self.kblocks[a]) if not sp.issparse(self.kblocks[a]) else \
                self.kblocks[a]
            g = sp.coo_array(-1j * k.T + 1j * k.conj()
                             - self.alpha * sp.identity(r, dtype=complex, format="csr"))
            g.sum_duplicates()
            keep = g.data != 0
            pos.append(o + g.row[keep].astype(np.int64) * r + g.col[keep])
            wts.append(g.data[keep])
        if not pos:
            return np.zeros(0, np.int64), np.zeros(0, complex)
        return np.concatenate(pos), np.concatenate(wts)

    def apply_P(self, sec: _Sector, y: np.ndarray, single: bool = False) -> np.ndarray:
        """``P y = S_alpha^-1 y``: solve ``K_a X - X K_b^dag - i alpha X = i Y`` blockwise.

        With ``single`` (method 'eig' only) the four matrix products per block run in complex64
        and the result is complex64: an approximate inverse, for use as a flexible
        preconditioner only.
        """
        single = single and self.method == "eig"
        out = np.empty(sec.size, dtype=np.complex64 if single else complex)
        outb = sec.blocks(out)
        for i, ((a, b), yb) in enumerate(zip(sec.pairs, sec.blocks(y), strict=True)):
            if self.method == "eig":
                va, wa, _, _ = self._eig_parts(a, single)
                _, _, vbh, wbh = self._eig_parts(b, single)
                dinv = self._dinv(a, b, single)
                yb = yb.astype(out.dtype, copy=False)
                outb[i][...] = va @ ((wa @ yb @ wbh) * dinv) @ vbh
            else:
                ta, qa = self.fact[a]
                tb, qb = self.fact[b]
                ta = ta - 0.5j * self.alpha * np.eye(ta.shape[0])
                tb = tb - 0.5j * self.alpha * np.eye(tb.shape[0])
                c = 1j * (qa.conj().T @ yb @ qb)
                xs, scale, info = ztrsyl(ta, tb, c, trana="N", tranb="C", isgn=-1)
                if info < 0:
                    raise SolverError(f"ztrsyl failed (info={info}) on block {(a, b)}")
                outb[i][...] = qa @ (xs / scale) @ qb.conj().T
        return out

    def single_precision_ok(self) -> bool:
        """Whether to apply ``P`` in complex64 (as a flexible preconditioner): method 'eig', a
        block of at least SINGLE_MIN_BLOCK states (smaller products gain little), and every
        eigenvector matrix with ``cond_F(V) <= SINGLE_COND_MAX`` (its rounding error, about
        ``6e-8 cond``, then only perturbs the preconditioner)."""
        if self.method != "eig" or max(len(g) for g in self.groups) < SINGLE_MIN_BLOCK:
            return False
        conds = [np.linalg.norm(f[1]) * np.linalg.norm(f[2]) for f in self.fact]
        return bool(max(conds) <= SINGLE_COND_MAX)

    def _eig_parts(self, g: int, single: bool) -> tuple[np.ndarray, ...]:
        """``(V, V^-1, V^dag, (V^-1)^dag)`` of block ``g`` (contiguous; complex64 if single)."""
        key = ("eig", g, single)
        if key not in self._stack_cache:
            _, v, w, wh = self.fact[g]
            dtype = np.complex64 if single else complex
            self._stack_cache[key] = tuple(np.ascontiguousarray(m, dtype=dtype)
                                           for m in (v, w, v.conj().T, wh))
        return self._stack_cache[key]

    def _dinv(self, a: int, b: int, single: bool = False) -> np.ndarray:
        if (a, b) not in self._dinv_cache:
            la = self.fact[a][0] - 0.5j * self.alpha
            lb = self.fact[b][0] - 0.5j * self.alpha
            self._dinv_cache[(a, b)] = 1j / (la[:, None] - np.conj(lb)[None, :])
        if not single:
            return self._dinv_cache[(a, b)]
        key = ("dinv32", a, b)
        if key not in self._stack_cache:
            self._stack_cache[key] = self._dinv_cache[(a, b)].astype(np.complex64)
        return self._stack_cache[key]

    # ------------------------------------------------------------------ full matrices
    def gather(self, sec: _Sector, x: np.ndarray, d: int, out: np.ndarray | None = None
               ) -> np.ndarray:
        """Scatter the sector vector into a full ``d x d`` matrix (added to ``out``)."""
        out = np.zeros((d, d), dtype=complex) if out is None else out
        for (a, b), xb in zip(sec.pairs, sec.blocks(x), strict=True):
            out[np.ix_(self.groups[a], self.groups[b])] += xb
        return out

    def scatter(self, sec: _Sector, rho: np.ndarray) -> np.ndarray:
        """The sector's blocks of a full ``d x d`` matrix, flattened."""
        return np.concatenate([rho[np.ix_(self.groups[a], self.groups[b])].ravel()
                               for a, b in sec.pairs])


def _is_diagonal(op: Any) -> bool:
    if op.shape[0] != op.shape[1]:
        return False
    if sp.issparse(op):
        coo = sp.coo_array(op)
        return bool(np.all(coo.row == coo.col))
    return not np.any(op - np.diag(np.diagonal(op)))


def _assemble_superop(sec: _Sector, weights: list[tuple[int, np.ndarray]],
                      krons: list[tuple[int, int, int, Any, Any]], nnz: int) -> sp.csr_array:
    """The sparse jump superoperator of a sector from diagonal weights ``(block, w)`` and
    Kronecker terms ``(nnz, src block, dst block, l_a, l_b)``; the COO triplets are written into
    preallocated arrays (32-bit indices when they fit), then converted and summed in place."""
    idx = np.int32 if sec.size < 2**31 else np.int64
    rows, cols = np.empty(nnz, dtype=idx), np.empty(nnz, dtype=idx)
    vals = np.empty(nnz, dtype=complex)
    at = 0
    for i, w in weights:
        pos = np.arange(sec.offsets[i], sec.offsets[i] + len(w), dtype=idx)
        rows[at:at + len(w)], cols[at:at + len(w)], vals[at:at + len(w)] = pos, pos, w
        at += len(w)
    for kron_nnz, i, j, la, lb in krons:
        sl = slice(at, at + kron_nnz)
        _kron_entries(la, lb, sec.offsets[j], sec.shapes[j][1], sec.offsets[i],
                      sec.shapes[i][1], rows[sl], cols[sl], vals[sl])
        at += kron_nnz
    sup = sp.coo_array((vals, (rows, cols)), shape=(sec.size, sec.size))
    del rows, cols, vals
    sup = sp.csr_array(sup)
    sup.sum_duplicates()
    return sup


def _kron_entries(la: sp.csr_array, lb: sp.csr_array, off_dst: int, cols_dst: int,
                  off_src: int, cols_src: int, rows: np.ndarray, cols: np.ndarray,
                  vals: np.ndarray) -> None:
    """COO entries of ``X -> l_a X l_b^dag`` between row-major flattened blocks, written into
    ``rows``, ``cols``, ``vals`` (length ``nnz(l_a) nnz(l_b)``).

    Entry ``(i', j'), (i, j)`` is ``l_a[i', i] conj(l_b[j', j])`` (``l_a (x) conj(l_b)``), placed
    at row ``off_dst + i' cols_dst + j'`` and column ``off_src + i cols_src + j``.
    """
    ca_, cb_ = sp.coo_array(la), sp.coo_array(lb)
    idx = rows.dtype
    ra, ca = ca_.row.astype(idx), ca_.col.astype(idx)
    rb, cb = cb_.row.astype(idx), cb_.col.astype(idx)
    shape = (len(ra), len(rb))
    rows.reshape(shape)[...] = (ra * idx.type(cols_dst) + idx.type(off_dst))[:, None] + rb
    cols.reshape(shape)[...] = (ca * idx.type(cols_src) + idx.type(off_src))[:, None] + cb
    np.multiply(ca_.data[:, None], np.conj(cb_.data)[None, :], out=vals.reshape(shape))


def _to_dense(op: Any) -> np.ndarray:
    return op.toarray() if sp.issparse(op) else np.asarray(op)


def _compact(op: Any) -> Any:
    """Small matrices as dense arrays (faster than sparse products), large ones as CSR."""
    if op.shape[0] * op.shape[1] <= DENSE_PIECE_MAX:
        return _to_dense(op)
    return sp.csr_array(op)


def _split_blocks(op: sp.csr_array, groups: list[np.ndarray], group_of: np.ndarray,
                  local: np.ndarray, diagonal_only: bool = False
                  ) -> dict[tuple[int, int], sp.csr_array]:
    """The non-zero blocks ``op[group dst, group src]`` keyed by ``(dst, src)``.

    With ``diagonal_only`` every diagonal block is returned (zero ones too) and off-diagonal
    entries are ignored (the caller guarantees there are none).
    """
    coo = sp.coo_array(op)
    keep = coo.data != 0
    rows, cols, data = coo.row[keep], coo.col[keep], coo.data[keep]
    gr, gc = group_of[rows], group_of[cols]
    out: dict[tuple[int, int], sp.csr_array] = {}
    if diagonal_only:
        for g, members in enumerate(groups):
            sel = (gr == g) & (gc == g)
            out[(g, g)] = sp.csr_array((data[sel], (local[rows[sel]], local[cols[sel]])),
                                       shape=(len(members), len(members)))
        return out
    order = np.lexsort((gr, gc))
    rows, cols, data, gr, gc = rows[order], cols[order], data[order], gr[order], gc[order]
    bounds = np.flatnonzero(np.diff(gc * (len(groups) + 1) + gr)) + 1
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(data)], strict=True):
        if hi <= lo:
            continue
        dst, src = int(gr[lo]), int(gc[lo])
        out[(dst, src)] = sp.csr_array(
            (data[lo:hi], (local[rows[lo:hi]], local[cols[lo:hi]])),
            shape=(len(groups[dst]), len(groups[src])))
    return out


class _EigIllConditioned(Exception):
    """The eigenvector matrix of some block of K is too ill-conditioned for the 'eig' method."""


def _eig_factor(k: np.ndarray) -> tuple[np.ndarray, ...] | None:
    """``(lambda, V, V^-1, (V^-1)^dag)`` of a dense block, or None if ``V`` is ill-conditioned."""
    lam, v = np.linalg.eig(k)
    try:
        w = np.linalg.inv(v)
    except np.linalg.LinAlgError:
        return None
    cond = np.linalg.norm(v) * np.linalg.norm(w)
    if not np.isfinite(cond) or cond > EIG_COND_MAX:
        return None
    return lam, v, w, w.conj().T


def _schur_factor(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t, q = sla.schur(k, output="complex")
    return t, q


def choose_shift(evals: np.ndarray) -> float:
    """Shift ``alpha`` making ``S`` safely invertible: 0 unless some ``Im lambda(K) ~ 0``.

    ``-2 Im lambda`` are the decay rates of the no-jump evolution; if the smallest is below
    ``SHIFT_TRIGGER`` times their mean, ``alpha`` = their mean (or ``max |lambda|`` if all vanish).
    """
    rates = -2.0 * np.imag(evals)
    mean = float(np.mean(np.maximum(rates, 0.0)))
    scale = mean if mean > 0 else float(np.max(np.abs(evals), initial=0.0)) or 1.0
    if float(np.min(rates)) < SHIFT_TRIGGER * scale:
        return scale
    return 0.0


# ============================================================================ kernel analysis
def _kernel_vectors(op: Callable[[np.ndarray], np.ndarray], n: int, known: list[np.ndarray],
                    ktol: float, seed: int, budget: dict[str, int] | None = None
                    ) -> tuple[list[np.ndarray], list[float], str]:
    """Vectors spanning the kernel of ``op`` (``op = L P`` on one sector), with diagnostics.

    ``known`` holds (normalised) kernel vectors already found; they are part of the result.
    Small ``n``: dense SVD (singular values ``<= ktol * max`` count).  Large ``n``: Arnoldi for
    the eigenvalue 1 of ``B = 1 - op`` (``which='LR'``), deflating each vector found by the
    projection ``(1 - Q Q^dag) B`` (the span ``Q`` of eigenvectors is invariant, so the other
    eigenvalues are kept exactly), until the top eigenvalue is farther than ``ktol`` from 1.
    ``budget['left']`` (if given) is the number of products with ``op`` still allowed to
    Arnoldi; it is decreased, and when it runs out the search stops with ``how`` saying
    'budget exhausted'.
    Returns (vectors, distances or relative singular values, how).
    """
    if n <= DENSE_SECTOR_MAX:
        mat = np.stack([op(e) for e in np.eye(n, dtype=complex)], axis=1)
        _, s, vh = np.linalg.svd(mat)
        smax = s[0] if s[0] > 0 else 1.0
        k = int(np.sum(s / smax <= ktol))
        rel = [float(x) for x in s[::-1][: k + 2] / smax]
        return [vh[-i - 1].conj() for i in range(k)], rel, "svd"
    found = [y / np.linalg.norm(y) for y in known]
    rng = np.random.default_rng(seed)
    v0 = rng.standard_normal(n) + 1j * rng.standard_normal(n)
    dist: list[float] = []
    how = "arnoldi"
    k = min(ARNOLDI_K, n - 2)
    while len(found) < MAX_KERNEL_SEARCH:
        if budget is not None and budget["left"] <= ARNOLDI_NCV_COARSE:
            how = "arnoldi (budget exhausted)"
            break
        qs = np.linalg.qr(np.stack(found, axis=1))[0] if found else np.zeros((n, 0), complex)

        def deflated(x: np.ndarray, qs: np.ndarray = qs) -> np.ndarray:
            if budget is not None:
                budget["left"] -= 1
            bx = x - op(x)
            return bx - qs @ (qs.conj().T @ bx)

        lin = spla.LinearOperator((n, n), matvec=deflated, dtype=complex)
        # coarse pass: enough to see that the top eigenvalues are far from 1 (the usual case)
        vals, vecs, how = _arnoldi_top(lin, v0, k, ARNOLDI_NCV_COARSE, ARNOLDI_TOL_COARSE, how,
                                       budget)
        if len(vals) and np.min(np.abs(vals - 1.0)) < ARNOLDI_REFINE_BELOW:
            vals, vecs, how = _arnoldi_top(lin, v0, k, ARNOLDI_NCV, ARNOLDI_TOL, how, budget)
        if len(vals) == 0:
            break
        gaps = np.abs(vals - 1.0)
        dist.append(float(np.min(gaps)))
        near = np.flatnonzero(gaps <= ktol)
        if len(near) == 0:
            break
        new = vecs[:, near] - qs @ (qs.conj().T @ vecs[:, near])
        u, sv, _ = np.linalg.svd(new, full_matrices=False)
        new = u[:, sv > 1e-6 * max(sv[0], 1e-300)]
        if new.shape[1] == 0:
            break
        found += [new[:, i] for i in range(new.shape[1])]
    if len(found) >= MAX_KERNEL_SEARCH:
        how += f" (stopped at {MAX_KERNEL_SEARCH} vectors: the kernel may be larger)"
    return found[:MAX_KERNEL_SEARCH], dist, how


def _arnoldi_top(lin: spla.LinearOperator, v0: np.ndarray, k: int, ncv: int, tol: float,
                 how: str, budget: dict[str, int] | None = None
                 ) -> tuple[np.ndarray, np.ndarray, str]:
    """The ``k`` eigenvalues of largest real part (ARPACK), tolerating non-convergence; the
    ARPACK restarts are limited so that about ``budget['left']`` products remain allowed."""
    n = lin.shape[0]
    ncv = min(n - 1, max(ncv, 2 * k + 2))
    maxiter = ARNOLDI_MAXITER
    if budget is not None:
        maxiter = max(1, min(maxiter, (budget["left"] - ncv) // max(ncv - k, 1)))
    try:
        vals, vecs = spla.eigs(lin, k=k, which="LR", v0=v0, ncv=ncv, tol=tol, maxiter=maxiter)
    except spla.ArpackNoConvergence as exc:
        vals, vecs = exc.eigenvalues, exc.eigenvectors
        how = "arnoldi (unconverged)"
        if budget is not None and maxiter < ARNOLDI_MAXITER:
            how = "arnoldi (budget exhausted)"
    return vals, vecs, how


def _right_left_projection(split: _Split, dual: _Split, sec_r: _Sector, sec_l: _Sector,
                           right_y: list[np.ndarray], rho0_block: np.ndarray,
                           ktol: float, seed: int) -> np.ndarray:
    """Biorthogonal projection of ``rho0``'s sector component onto the kernel of ``L``."""
    kappas = np.stack([split.apply_P(sec_r, y) for y in right_y], axis=1)
    k = kappas.shape[1]

    def lp_dual(z: np.ndarray) -> np.ndarray:
        return dual.apply_L(sec_l, dual.apply_P(sec_l, z))

    known: list[np.ndarray] = []
    if len(sec_l.trace_index):
        # the identity is a left kernel vector of every trace-preserving L (charge-0 sector)
        ident = np.zeros(sec_l.size, dtype=complex)
        ident[sec_l.trace_index] = 1.0
        known = [dual.apply_S_shifted(sec_l, ident)]
    zs, _, _ = _kernel_vectors(lp_dual, sec_l.size, known, ktol, seed + 1)
    lefts = np.stack([dual.apply_P(sec_l, z) for z in zs[:k]], axis=1)
    if lefts.shape[1] != k:
        raise SolverError(f"found {lefts.shape[1]} left kernel vectors but {k} right ones; "
                          "cannot project rho0")
    g = lefts.conj().T @ kappas
    coeff = np.linalg.solve(g, lefts.conj().T @ rho0_block)
    return kappas @ coeff


# ============================================================================ main entry
def solve_iterative(
    gen: Generator,
    *,
    tol: float = 1e-10,
    maxiter: int = 2000,
    restart: int = 60,
    preconditioner: str = "auto",
    check_unique: bool = True,
    rho0: np.ndarray | None = None,
    memory_limit: float | None = None,
    on_fail: str = "raise",
    tolerances: dict | None = None,
    charges: Any = None,
    use_symmetry: bool = True,
    seed: int = 2024,
) -> SteadyState:
    """Steady state of a (large) generator by preconditioned (F)GMRES, matrix-free when possible.

    Parameters
    ----------
    gen : Generator
        A single (non-batched) generator.  Lindblad form (``gen.extra is None``) uses the
        matrix-free jump-map preconditioner; otherwise the sparse matrix with ILU.
    tol : float
        Relative residual target of the Krylov solve (``||A y - b|| <= tol ||b||``; Lindblad
        path: ``A = L P + u tr``, module docstring, reached by the returned state itself).
    maxiter : int
        Maximum total number of (F)GMRES iterations (inner steps, counted over restarts).
    restart : int
        Restart length (Krylov basis size).
    preconditioner : {'auto', 'eig', 'schur', 'ilu'}
        ``eig``/``schur``: exact inverse of the no-jump part ``S`` via the eigen- or Schur
        decomposition of the effective Hamiltonian (Lindblad only); ``ilu``: sparse incomplete
        LU of the full matrix.  ``auto``: ``eig`` (``schur`` if the eigenbasis is
        ill-conditioned) for Lindblad generators, ``ilu`` otherwise.
    check_unique : bool
        Establish the kernel dimension (commutant certificate, else Arnoldi; second solve on
        the ILU path).  If False, ``kernel_dim`` is reported as 1 unchecked
        (``info['uniqueness'] = 'not checked'``).
    rho0 : (d, d) array, optional
        Initial state: used as the Krylov starting point (its Hermitian part), and when the
        kernel is degenerate the returned state is the projection of ``rho0`` onto the kernel
        along the range of ``L`` (the long-time average of ``exp(L t) rho0``; Lindblad path
        only).
    memory_limit : float, optional
        Bytes allowed for the solver's large arrays (default 75% of MemAvailable).
    on_fail : {'raise', 'flag', 'warn'}
        On a failed validation or non-convergence: raise, or return the state with ``ok=False``.
    tolerances : dict, optional
        Overrides of :data:`~qness.steady.validate.DEFAULT_TOLERANCES`, plus
        ``kernel_iterative`` (distance of an eigenvalue of ``1 - L P`` from 1, or singular value
        of ``L P`` relative to the largest, counted as kernel; default 1e-8).
    charges : (d,) array, optional
        A conserved U(1) charge per product-basis state; default: detected automatically.
    use_symmetry : bool
        Exploit the charge's block structure (default True).
    seed : int
        Seed of the random start vectors (Arnoldi, uniqueness probes).

    Returns
    -------
    SteadyState
        ``method`` is ``'iterative-<preconditioner>'``; ``info`` has ``iterations``,
        ``preconditioner``, ``shift``, ``sectors``, ``unknowns``, ``memory_estimate``,
        ``timings`` and ``uniqueness`` (how the kernel dimension was established); on the
        Lindblad path also ``preconditioner_precision`` ('complex64' or 'complex128') and
        ``jump_superoperator_nnz``.

    Notes
    -----
    Cost on the Lindblad path: one eigen- (or Schur) decomposition per charge block, then per
    FGMRES iteration four dense products per block (complex64 when the eigenvectors of ``K``
    are well conditioned and a block has >= SINGLE_MIN_BLOCK states), one sparse product with
    ``K`` and one with the jump superoperator.  Memory (the estimate checked against
    ``memory_limit``): at most ``(2 restart + 75) * 8 * n`` bytes plus
    ``KRON_NNZ_PER_UNKNOWN * 48 * n`` for the superoperator, for ``n`` unknowns of the charge-0
    sector (``C(2N, N)`` for N qubits with an excitation-number charge; ``4^N`` without one).
    Measured with ``benchmarks/bench_charge_free.py`` on one core
    (``OMP_NUM_THREADS=1``) of a 2-core machine shared with other jobs (load average ~2.5): the
    generic 10-qubit chain (:func:`qness.models.nqubit.generic_qubits`, 11 charge sectors)
    takes 39 iterations, 5.1 s and 0.30 GB; with a transverse drive ``0.2 sum_j sigma_j^x`` (no
    charge, ``4^10`` unknowns) 40 iterations, 29-32 s and 0.99 GB (FGMRES residual 8e-11,
    ``||L rho||_F / ||L||_F = 6e-16``); with ``sigma_j^x`` jumps too, 43 iterations, 34 s and
    1.2 GB.  The ILU path builds the sparse ``d^2 x d^2`` matrix and its incomplete factors, so
    it is practical only up to ``d ~ 128`` (minutes at ``d = 256``).  The many mid-size BLAS
    calls suffer on an oversubscribed machine: set ``OPENBLAS_NUM_THREADS=1`` there.

    Raises
    ------
    ConvergenceError
        GMRES did not reach ``tol`` within ``maxiter`` (the message gives the residual reached).
    NonUniqueSteadyStateError
        The kernel is degenerate and no ``rho0`` was given.
    MemoryEstimateError
        The estimated memory exceeds ``memory_limit``.
    """
    t0 = time.perf_counter()
    _check_arguments(gen, tol, maxiter, restart, preconditioner, on_fail, memory_limit)
    tol_all = {**DEFAULT_TOLERANCES, **(tolerances or {})}
    ktol = float(tol_all.pop("kernel_iterative", KERNEL_TOL))
    limit = 0.75 * available_memory() if memory_limit is None else float(memory_limit)
    d = gen.dim
    if rho0 is not None:
        rho0 = np.asarray(rho0.toarray() if sp.issparse(rho0) else rho0, dtype=complex)
        if rho0.shape != (d, d):
            raise DimensionError(f"rho0 must have shape ({d}, {d}), got {rho0.shape}")
    use_ilu = preconditioner == "ilu" or not gen.is_lindblad
    common = dict(tol=tol, maxiter=maxiter, restart=restart, check_unique=check_unique,
                  rho0=rho0, limit=limit, on_fail=on_fail, tol_all=tol_all, ktol=ktol,
                  seed=seed, t0=t0)
    if use_ilu:
        return _solve_ilu(gen, **common)
    return _solve_split(gen, preconditioner=preconditioner, charges=charges,
                        use_symmetry=use_symmetry, **common)


def _check_arguments(gen: Any, tol: float, maxiter: int, restart: int, preconditioner: str,
                     on_fail: str, memory_limit: float | None) -> None:
    if not isinstance(gen, Generator):
        raise InvalidInputError(f"gen must be a qness.Generator, got {type(gen).__name__}")
    if gen.is_batched:
        raise InvalidInputError("gen must be a single generator; the iterative solver does not "
                                "take batches (loop, or use method='dense')")
    if not (isinstance(tol, (float, int)) and 0 < tol < 1):
        raise InvalidInputError(f"tol must be in (0, 1), got {tol!r}")
    if not isinstance(maxiter, (int, np.integer)) or maxiter < 1:
        raise InvalidInputError(f"maxiter must be an integer >= 1, got {maxiter!r}")
    if not isinstance(restart, (int, np.integer)) or restart < 1:
        raise InvalidInputError(f"restart must be an integer >= 1, got {restart!r}")
    if preconditioner not in PRECONDITIONERS:
        raise InvalidInputError(
            f"preconditioner must be one of {PRECONDITIONERS}, got {preconditioner!r}")
    if preconditioner in ("eig", "schur") and not gen.is_lindblad:
        raise InvalidInputError(f"preconditioner={preconditioner!r} needs a Lindblad generator "
                                "(gen.extra is None); use 'ilu' or 'auto'")
    if on_fail not in ("raise", "flag", "warn"):
        raise InvalidInputError(f"on_fail must be 'raise', 'flag' or 'warn', got {on_fail!r}")
    if memory_limit is not None and not memory_limit > 0:
        raise InvalidInputError(f"memory_limit must be > 0 bytes, got {memory_limit!r}")


def _check_memory(estimate: float, limit: float, what: str) -> None:
    if estimate > limit:
        raise MemoryEstimateError(
            f"the iterative solver would need about {estimate / 2**30:.3g} GiB ({what}) but "
            f"memory_limit is {limit / 2**30:.3g} GiB; raise memory_limit, reduce restart, or "
            "exploit a conserved charge")


def _gmres(apply_a: Callable[[np.ndarray], np.ndarray], b: np.ndarray, x0: np.ndarray | None,
           tol: float, maxiter: int, restart: int, m: Any = None
           ) -> tuple[np.ndarray, int, float, bool]:
    """GMRES with ``maxiter`` counted in inner iterations; returns (x, iters, rel. res., ok)."""
    n = len(b)
    lin = spla.LinearOperator((n, n), matvec=apply_a, dtype=complex)
    count = [0]

    def callback(_res: float) -> None:
        count[0] += 1

    restart = max(1, min(restart, maxiter, n))
    cycles = max(1, math.ceil(maxiter / restart))
    x, info = spla.gmres(lin, b, x0=x0, rtol=tol, atol=0.0, restart=restart, maxiter=cycles,
                         M=m, callback=callback, callback_type="pr_norm")
    res = float(np.linalg.norm(apply_a(x) - b) / max(np.linalg.norm(b), 1e-300))
    return x, count[0], res, info == 0 and res <= 10 * tol


def _fgmres(apply_a: Callable[[np.ndarray], np.ndarray],
            apply_m: Callable[[np.ndarray], np.ndarray], b: np.ndarray, x0: np.ndarray | None,
            tol: float, maxiter: int, restart: int, restart_max: int | None = None,
            stats: dict | None = None) -> tuple[np.ndarray, int, float, bool]:
    """Flexible GMRES (Saad 1993): right preconditioning by any (even inexact) ``apply_m``.

    Each preconditioned vector ``z_j = apply_m(v_j)`` is stored as returned (complex64 when
    the preconditioner runs in single precision: that is its exact value) and the solution is
    ``x = x0 + sum_j c_j z_j``, so ``A x - b`` is the residual of the operator ``apply_a``
    applied in double precision, whatever the accuracy of ``apply_m``.  Arnoldi uses classical
    Gram--Schmidt with one conditional reorthogonalisation (DGKS criterion), complex Givens
    rotations for the small least-squares problem, and restarts after ``restart`` steps from
    the true residual.  ``maxiter`` counts inner steps.

    Stagnation: restarted GMRES discards the Krylov space, so slow modes of the operator (small
    eigenvalues of ``A``, e.g. nearly dark states of a Lindblad generator) are rebuilt each
    cycle and the residual can stall.  When a cycle reduces the residual by less than
    STALL_RATIO, the restart length is doubled (up to ``restart_max``) for the next cycle, which
    continues from the current iterate.  ``stats`` (if given) receives the restart lengths used
    (``'restarts'``) and the residual after each cycle (``'cycle_residuals'``).

    Returns (x, iterations, true relative residual ``||A x - b|| / ||b||``, converged) with
    converged = residual <= 10 tol, as for :func:`_gmres`.
    """
    n = len(b)
    dtype = np.result_type(b.dtype, np.float64)  # float64 or complex128
    bnorm = float(np.linalg.norm(b)) or 1.0
    x = np.zeros(n, dtype=dtype) if x0 is None else np.array(x0, dtype=dtype)
    r = b - apply_a(x) if x0 is not None else np.array(b, dtype=dtype)
    beta = float(np.linalg.norm(r))
    res, iters = beta / bnorm, 0
    restart_max = max(restart, restart if restart_max is None else restart_max)
    stats = {} if stats is None else stats
    stats.update(restarts=[], cycle_residuals=[])
    while res > tol and iters < maxiter and beta > 0.0:
        m = min(restart, maxiter - iters)
        stats["restarts"].append(m)
        basis = np.empty((m + 1, n), dtype=dtype)  # pages are touched row by row
        basis[0] = r / beta
        zs: list[np.ndarray] = []
        hess = np.zeros((m + 1, m), dtype=dtype)
        rot_c, rot_s = np.zeros(m), np.zeros(m, dtype=dtype)
        g = np.zeros(m + 1, dtype=dtype)
        g[0] = beta
        k, reached = 0, False
        for j in range(m):
            zs.append(apply_m(basis[j]))
            w = apply_a(zs[j])
            hess[: j + 2, j] = _orthogonalize(basis[: j + 1], w)
            hnext = hess[j + 1, j].real
            if hnext > 0.0:
                basis[j + 1] = w / hnext
            _givens_step(hess, rot_c, rot_s, g, j)
            iters, k = iters + 1, j + 1
            if abs(g[j + 1]) <= tol * bnorm or hnext <= 1e-14 * bnorm:
                reached = True  # converged estimate, or an invariant subspace (exact solution)
                break
        coef = sla.solve_triangular(hess[:k, :k], g[:k])
        for c, z in zip(coef, zs, strict=True):
            x += c * z
        del basis, zs
        r = b - apply_a(x)
        beta = float(np.linalg.norm(r))
        res, res_before = beta / bnorm, res
        stats["cycle_residuals"].append(res)
        if reached and res <= 10 * tol:
            break
        if res > STALL_RATIO * res_before and restart < restart_max:
            restart = min(2 * restart, restart_max)  # stalled: keep more of the Krylov space
    return x, iters, res, res <= 10 * tol


def _orthogonalize(basis: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Orthogonalise ``w`` (in place) against the orthonormal rows of ``basis``.

    Classical Gram--Schmidt (two matrix-vector products over the basis), repeated once when
    the norm drops below 0.7 of its value (DGKS): then ``w`` is orthogonal to working
    precision.  Returns the coefficients followed by the norm of the result.
    """
    norm_in = float(np.linalg.norm(w))
    cplx = np.iscomplexobj(w)
    h = (basis @ w.conj()).conj() if cplx else basis @ w
    w -= basis.T @ h
    norm_out = float(np.linalg.norm(w))
    if norm_out < 0.7 * norm_in:
        h2 = (basis @ w.conj()).conj() if cplx else basis @ w
        w -= basis.T @ h2
        h += h2
        norm_out = float(np.linalg.norm(w))
    return np.append(h, norm_out)


def _givens_step(hess: np.ndarray, rot_c: np.ndarray, rot_s: np.ndarray, g: np.ndarray,
                 j: int) -> None:
    """Apply the previous rotations to column ``j`` of the Hessenberg matrix, then the one
    that zeroes ``hess[j + 1, j]``; update the right-hand side ``g`` (``|g[j + 1]|`` is the
    residual norm of the small least-squares problem)."""
    col = hess[:, j]
    for i in range(j):
        t = rot_c[i] * col[i] + rot_s[i] * col[i + 1]
        col[i + 1] = -np.conj(rot_s[i]) * col[i] + rot_c[i] * col[i + 1]
        col[i] = t
    a, bb = col[j], col[j + 1]
    rho = math.hypot(abs(a), abs(bb))
    if rho == 0.0:
        rot_c[j], rot_s[j] = 1.0, 0.0
    elif abs(a) == 0.0:
        rot_c[j], rot_s[j] = 0.0, np.conj(bb) / abs(bb)
    else:
        rot_c[j] = abs(a) / rho
        rot_s[j] = (a / abs(a)) * np.conj(bb) / rho
    col[j] = rot_c[j] * a + rot_s[j] * bb
    col[j + 1] = 0.0
    g[j + 1] = -np.conj(rot_s[j]) * g[j]
    g[j] = rot_c[j] * g[j]


def _fail_convergence(res: float, tol: float, iters: int, maxiter: int, method: str,
                      restarts: list[int] | None = None) -> None:
    grown = ""
    if restarts and max(restarts) > restarts[0]:
        grown = f" (restart length grown from {restarts[0]} to {max(restarts)} on stagnation)"
    raise ConvergenceError(
        f"GMRES ({method}) did not converge: relative residual {res:.3g} > tol {tol:g} after "
        f"{iters} iterations (maxiter {maxiter}){grown}; raise maxiter or restart, or try "
        "another preconditioner")


# ---------------------------------------------------------------------------- Lindblad path
def _solve_split(gen: Generator, *, preconditioner: str, charges: Any, use_symmetry: bool,
                 tol: float, maxiter: int, restart: int, check_unique: bool,
                 rho0: np.ndarray | None, limit: float, on_fail: str, tol_all: dict,
                 ktol: float, seed: int, t0: float) -> SteadyState:
    timings: dict[str, float] = {}
    d = gen.dim
    h, jumps = _sparse_parts(gen)
    found = detect_charges(h, jumps, d, charges) if (use_symmetry or charges is not None) \
        else None
    if found is None:
        groups, gcharge = [np.arange(d)], np.zeros(1)
    else:
        groups, gcharge = _charge_groups(found[0])
    sizes = np.array([len(g) for g in groups], dtype=float)
    n0 = float(np.sum(sizes**2))
    estimate = _split_memory_estimate(sizes, d, restart, maxiter, rho0 is not None or check_unique)
    _check_memory(estimate, limit, f"Krylov basis of {min(restart, maxiter) + 1} + "
                  f"{min(restart, maxiter)} vectors of {int(n0)} unknowns (d = {d}, "
                  f"{len(groups)} charge sectors), jump superoperator and factors")
    t = time.perf_counter()
    keff = _effective_hamiltonian(h, jumps, d)
    method = "eig" if preconditioner in ("auto", "eig") else "schur"
    try:
        split = _Split.build(keff, jumps, groups, gcharge, method, None)
    except _EigIllConditioned:
        if preconditioner == "eig":
            raise SolverError("preconditioner='eig': the eigenvectors of the effective "
                              f"Hamiltonian are ill-conditioned (cond_F > {EIG_COND_MAX:g}); "
                              "use 'schur' or 'auto'") from None
        method = "schur"
        split = _Split.build(keff, jumps, groups, gcharge, method, None)
    timings["factorize"] = time.perf_counter() - t
    t = time.perf_counter()
    sec0 = split.sector(0.0)
    split.jump_superop_nnz(sec0)  # build the sector's jump superoperator now (timed apart)
    timings["jump_superoperator"] = time.perf_counter() - t
    single = split.single_precision_ok()
    restart_max = _restart_cap(sizes, d, restart, maxiter, estimate, limit, sec0.size)
    stats: dict[str, Any] = {}
    x, iters, res, converged = _solve_sector0(split, sec0, d, rho0, tol, maxiter, restart,
                                              single, timings, restart_max, stats=stats)
    name = f"iterative-{method}"
    if not converged and on_fail == "raise":
        _fail_convergence(res, tol, iters, maxiter, name, stats["restarts"])
    raw = split.gather(sec0, x, d)
    refined: list[dict[str, float]] = []
    if converged:
        x, raw, res, more = _refine_negative(split, sec0, d, x, raw, res, maxiter, restart,
                                             restart_max, single, timings, tol_all, refined)
        iters += more

    kdim, uniq_note, diag, established = 1, "not checked", {}, False
    t = time.perf_counter()
    if check_unique:
        y = split.apply_S_shifted(sec0, x)  # P y = x: the kernel vector of L P
        budget = max(ARNOLDI_BUDGET_MIN, ARNOLDI_BUDGET_PER_ITER * iters)
        kdim, uniq_note, diag, right_by_sector = _count_steady_states(
            split, sec0, y, raw, h, jumps, ktol, seed, budget)
        established = not uniq_note.startswith("not established")
        if kdim > 1:
            if rho0 is None:
                raise NonUniqueSteadyStateError(
                    f"the steady state is not unique: the generator's kernel has dimension "
                    f"{'>= ' if 'capped' in uniq_note else ''}{kdim} (jump-map eigenvalues "
                    f"within {ktol:g} of 1; {uniq_note}). Pass rho0=... to get the state "
                    "reached from an initial state.", kernel_dim=kdim)
            if "capped" in uniq_note:
                raise SolverError(f"the kernel has dimension >= {kdim}, beyond the search cap "
                                  f"MAX_KERNEL_SEARCH = {MAX_KERNEL_SEARCH} of a sector: "
                                  "cannot project rho0; use method='sparse' or 'dense'")
            raw = _project_rho0(split, keff, jumps, groups, gcharge, right_by_sector,
                                rho0, ktol, seed)
    timings["uniqueness"] = time.perf_counter() - t
    norm_l = lindblad_frobenius_norm(h, jumps, d, keff)
    info = {"iterations": iters, "gmres_residual": res, "converged": converged,
            "preconditioner": method, "shift": split.alpha, "sectors": len(groups),
            "preconditioner_precision": "complex64" if single else "complex128",
            "jump_superoperator_nnz": split.jump_superop_nnz(sec0),
            "unknowns": sec0.size, "memory_estimate": estimate, "uniqueness": uniq_note,
            "uniqueness_established": established, "kernel_diagnostics": diag,
            "restarts": stats["restarts"], "timings": timings}
    if refined:
        info["refinement"] = refined
    if rho0 is not None and kdim > 1:
        info["rho0"] = "projection of rho0 onto the kernel along the range of L"
    return finalize(raw, gen.apply, norm_l, method=name, t_start=t0, kernel_dim=kdim,
                    dims=gen.dims, tol=tol_all, on_fail=on_fail, info=info,
                    unique_required=rho0 is None)


def _charge_groups(charges: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Basis states grouped by charge (charges closer than CHARGE_TOL are one group), and the
    charge of each group: distinct groups differ by at least CHARGE_TOL, so the charge-0
    sector is block diagonal."""
    values, group_of = np.unique(np.round(charges, CHARGE_DECIMALS), return_inverse=True)
    merged = np.concatenate([[0], np.cumsum(np.diff(values) >= CHARGE_TOL)])
    group_of = merged[group_of]
    n_groups = int(merged[-1]) + 1
    groups = [np.flatnonzero(group_of == g) for g in range(n_groups)]
    gcharge = np.array([values[merged == g][0] for g in range(n_groups)])
    return groups, gcharge


def _split_memory_estimate(sizes: np.ndarray, d: int, restart: int, maxiter: int,
                           full_matrices: bool) -> float:
    """Bytes for the Lindblad path, for ``n0`` unknowns of the charge-0 sector: the FGMRES
    basis (``m + 1`` real coordinate vectors and ``m`` preconditioned ones, at most float64),
    complex work vectors (or the ARNOLDI_NCV Arnoldi vectors of the kernel search), the jump
    superoperator (at most KRON_NNZ_PER_UNKNOWN entries per unknown, 48 bytes each while it is
    built), the factors of ``K`` (double and single copies), and full ``d x d`` matrices for
    validation."""
    n0 = float(np.sum(sizes**2))
    m = min(restart, maxiter)
    krylov = 8.0 * n0 * (2 * m + 1)
    work = 16.0 * n0 * max(12, ARNOLDI_NCV + 2)
    superop = 48.0 * KRON_NNZ_PER_UNKNOWN * n0
    factors = 16.0 * n0 * 6 + 8.0 * n0 * 5
    full = 16.0 * d * d * 4 if full_matrices else 0.0
    return krylov + work + superop + factors + full


def _restart_cap(sizes: np.ndarray, d: int, restart: int, maxiter: int, estimate: float,
                 limit: float, n_complex: int) -> int:
    """Largest restart length FGMRES may grow to on stagnation: RESTART_MAX, the number of real
    unknowns, ``maxiter``, and what the memory limit leaves for ``2 m + 1`` float64 vectors
    beyond the other arrays of :func:`_split_memory_estimate`."""
    n0 = float(np.sum(sizes**2))
    others = estimate - 8.0 * n0 * (2 * min(restart, maxiter) + 1)
    by_memory = int((limit - others) / (16.0 * n0) - 0.5)
    cap = min(RESTART_MAX, 2 * n_complex, maxiter, by_memory)
    return max(min(restart, maxiter), cap)


def _refine_negative(split: _Split, sec0: _Sector, d: int, x: np.ndarray, raw: np.ndarray,
                     res: float, maxiter: int, restart: int, restart_max: int, single: bool,
                     timings: dict[str, float], tol_all: dict, log: list[dict[str, float]]
                     ) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Tighten a converged solution whose only defect is a slightly negative eigenvalue.

    Near a pure (or low-rank) steady state the error of a solution with relative residual
    ``tol`` is about ``tol`` divided by the slowest relaxation rate, and it shows up as negative
    eigenvalues in the (near-)empty directions.  While the smallest eigenvalue of the normalised
    state is below ``-tol_all['positivity']`` (and above -1e-3: a larger one is no rounding
    effect), FGMRES continues from ``x`` at a REFINE_FACTOR smaller tolerance, at most
    REFINE_STEPS times.  Each step is appended to ``log``.  Returns (x, raw, residual of the
    last solve, extra iterations).
    """
    more = 0
    for _ in range(REFINE_STEPS):
        herm = 0.5 * (raw + raw.conj().T)
        tr = float(np.trace(herm).real)
        min_ev = float(np.linalg.eigvalsh(herm / tr)[0]) if tr != 0 else -np.inf
        tol_new = max(res * REFINE_FACTOR, REFINE_TOL_MIN)
        if min_ev >= -tol_all["positivity"] or min_ev < -1e-3 or res <= REFINE_TOL_MIN:
            break
        stats: dict[str, Any] = {}
        x_new, it, res_new, _ = _solve_sector0(split, sec0, d, None, tol_new, maxiter, restart,
                                               single, timings, restart_max, x, stats)
        more += it
        log.append({"min_eigenvalue_before": min_ev, "tol": tol_new, "iterations": it,
                    "residual": res_new})
        if not res_new < res:
            break  # no progress (residual floor): keep the previous solution
        x, raw, res = x_new, split.gather(sec0, x_new, d), res_new
    return x, raw, res, more


def _solve_sector0(split: _Split, sec0: _Sector, d: int, rho0: np.ndarray | None, tol: float,
                   maxiter: int, restart: int, single: bool, timings: dict[str, float],
                   restart_max: int | None = None, x_start: np.ndarray | None = None,
                   stats: dict | None = None) -> tuple[np.ndarray, int, float, bool]:
    """FGMRES for ``L x + u tr(S_alpha x) = u`` on the charge-0 sector (``u = 1/d``).

    Right-preconditioned by ``P = S_alpha^-1`` this is ``(L P) y + u tr(y) = u`` with
    ``x = P y`` (module docstring): the same Krylov iteration, but the operator applied is
    ``L`` itself, so ``P`` may be applied inexactly (in complex64 when ``single``) without
    changing the solution or its residual.  The trace of ``x`` is fixed by normalisation later.
    ``x_start`` (a sector vector with ``tr(S_alpha x) = 1``, e.g. a previous solution) overrides
    the start from ``rho0``; ``restart_max`` bounds the restart growth of :func:`_fgmres`.
    Returns (x, iterations, relative residual, converged).
    """
    u = np.zeros(sec0.size, dtype=complex)
    u[sec0.trace_index] = 1.0 / d
    pos, wts = split.trace_functional(sec0)
    coords = _HermitianCoordinates.build(sec0)
    low = np.complex64 if single else complex

    def apply_a(p: np.ndarray) -> np.ndarray:
        x = coords.unpack(p)
        out = split.apply_L(sec0, x, hermitian=True)
        out += u * (wts @ x[pos]).real
        return coords.pack(out)

    def apply_m(p: np.ndarray) -> np.ndarray:
        z = split.apply_P(sec0, coords.unpack(p, low), single=single)
        return coords.pack(z, np.float32 if single else np.float64)

    x0 = None
    if rho0 is not None:
        xs = split.scatter(sec0, 0.5 * (rho0 + rho0.conj().T))
        w0 = float((wts @ xs[pos]).real)
        # scale so that tr(S_alpha x0) = 1 like the solution: the initial residual is L(rho0)
        x0 = coords.pack(xs / w0) if abs(w0) > 1e-300 else None
    if x_start is not None:
        x0 = coords.pack(x_start)
    t = time.perf_counter()
    p, iters, res, converged = _fgmres(apply_a, apply_m, coords.pack(u), x0, tol, maxiter,
                                       restart, restart_max, stats)
    timings["gmres"] = timings.get("gmres", 0.0) + time.perf_counter() - t
    return coords.unpack(p), iters, res, converged


def _count_steady_states(split: _Split, sec0: _Sector, y: np.ndarray, raw: np.ndarray,
                         h: sp.csr_array | None, jumps: list[sp.csr_array], ktol: float,
                         seed: int, budget: int | None = None
                         ) -> tuple[int, str, dict, dict[float, list[np.ndarray]]]:
    """Kernel dimension of ``L`` given the solution ``raw = P y`` of the charge-0 sector.

    1. If ``raw`` is faithful (full rank) and the commutant of ``{H, L_k, L_k^dag}`` restricted
       to charge 0 is trivial (:func:`trivial_commutant`), the steady state is unique (Frigerio:
       with a faithful stationary state the kernel of ``L^dag`` is that commutant; its charge
       ``m != 0`` parts vanish, see the module docstring).  No Arnoldi is needed.
    2. Otherwise the charge-0 sector's kernel is counted (:func:`_kernel_vectors`), and the
       ``m != 0`` sectors too unless the state is faithful and the charge-0 kernel is 1.
       Arnoldi gets at most ``budget`` products with ``L P`` over all sectors (None: no
       limit).  A sector whose Arnoldi did not converge (or ran out of budget, or was skipped)
       without finding a kernel vector is inconclusive: the note then starts with
       'not established' and the kernel dimension returned is the one found so far.

    Returns (kernel_dim, how it was established, per-sector diagnostics, right kernel vectors
    per sector).
    """
    evs = np.linalg.eigvalsh(0.5 * (raw + raw.conj().T) / np.trace(raw).real)
    faithful = bool(evs[0] > FAITHFUL_TOL * evs[-1])
    y1 = y / np.linalg.norm(y)
    if faithful and trivial_commutant(split.groups, h, jumps, seed):
        return 1, "faithful state and trivial commutant of {H, L_k, L_k^dag} (Frigerio)", {
            "min_eigenvalue_ratio": float(evs[0] / evs[-1])}, {0.0: [y1]}

    def lp0(v: np.ndarray) -> np.ndarray:
        return split.apply_L(sec0, split.apply_P(sec0, v))

    left = {"left": budget if budget is not None else 2**62}
    right0, dist0, how = _kernel_vectors(lp0, sec0.size, [y], ktol, seed, left)
    open_sectors = ["0"] if _inconclusive(how, len(right0) > 1) else []
    capped = "stopped at" in how
    right0 = right0 or [y1]
    kdim = len(right0)
    diag: dict[str, Any] = {"sector0": {"kernel_dim": kdim, "method": how, "distances": dist0}}
    note = f"{how} on the charge-0 sector" if len(split.groups) > 1 else how
    right_by_sector: dict[float, list[np.ndarray]] = {0.0: right0}
    if len(split.groups) > 1 and (kdim > 1 or not faithful):
        for m in split.sector_differences():
            sec = split.sector(m)

            def lpm(v: np.ndarray, sec: _Sector = sec) -> np.ndarray:
                return split.apply_L(sec, split.apply_P(sec, v))

            if left["left"] <= ARNOLDI_NCV_COARSE and sec.size > DENSE_SECTOR_MAX:
                vecs, dist, how_m = [], [], "skipped (budget exhausted)"
            else:
                vecs, dist, how_m = _kernel_vectors(lpm, sec.size, [], ktol, seed + 1, left)
            if _inconclusive(how_m, bool(vecs)):
                open_sectors.append(f"{m:g}")
            capped = capped or "stopped at" in how_m
            diag[f"sector{m:g}"] = {"kernel_dim": len(vecs), "method": how_m, "distances": dist}
            if vecs:
                right_by_sector[m] = vecs
            kdim += 2 * len(vecs)
        note += " and all charge-difference sectors"
    elif len(split.groups) > 1:
        note += "; faithful state => unique in all sectors (Frigerio)"
    if capped:
        note += f"; kernel search capped: dimension >= {kdim}"
    if open_sectors and kdim == 1:
        used = (budget - left["left"]) if budget is not None else None
        note = (f"not established: the state is not faithful (min eigenvalue / max "
                f"{max(evs[0], 0.0) / evs[-1]:.2g}), so the commutant certificate does not "
                f"apply, and the kernel search was inconclusive in charge-difference sector(s) "
                f"{', '.join(open_sectors)} ({note}"
                + (f"; {used} of {budget} products with L P used)" if used is not None else ")"))
    diag["arnoldi_products"] = (budget - left["left"]) if budget is not None else None
    return kdim, note, diag, right_by_sector


def _inconclusive(how: str, found_kernel: bool) -> bool:
    """True if a sector's kernel search neither converged nor found a kernel vector."""
    return not found_kernel and ("unconverged" in how or "budget" in how or "skipped" in how)


def trivial_commutant(groups: list[np.ndarray], h: sp.csr_array | None,
                      jumps: list[sp.csr_array], seed: int = 11) -> bool:
    """True if the only block-diagonal (charge-0) ``X`` commuting with ``H``, every ``L_k`` and
    ``L_k^dag`` is a multiple of the identity (a sufficient test; False means 'not shown').

    Any such ``X`` commutes with a random Hermitian element ``R`` of the algebra generated by
    those operators (``H + sum_q G_q^dag G_q`` with random combinations ``G_q`` of the jumps of
    equal charge shift), so if ``R`` has a simple spectrum in every block, ``X`` is diagonal in
    ``R``'s eigenbasis, and each matrix element of ``H`` or ``L_k`` between eigenvectors ``i``,
    ``j`` that is non-zero forces ``x_i = x_j``.  The commutant is trivial iff the graph of such
    elements connects all basis vectors.  Jumps are added until it does.
    """
    d = sum(len(g) for g in groups)
    rng = np.random.default_rng(seed)
    group_of = np.empty(d, dtype=np.int64)
    for g, members in enumerate(groups):
        group_of[members] = g
    r = sp.csr_array((d, d), dtype=complex) if h is None else sp.csr_array(h, dtype=complex)
    by_shift: dict[tuple, sp.csr_array] = {}
    for lk in jumps:
        coo = sp.coo_array(lk)
        key = tuple(sorted(set(zip(group_of[coo.col].tolist(), group_of[coo.row].tolist(),
                                   strict=True))))
        c = complex(rng.standard_normal(), rng.standard_normal())
        by_shift[key] = c * lk if key not in by_shift else by_shift[key] + c * lk
    for gq in by_shift.values():
        r = r + gq.conj().T @ gq
    bases, offsets = [], np.concatenate([[0], np.cumsum([len(g) for g in groups])])
    scale = max(float(abs(r).max()) if r.nnz else 0.0, 1e-300)
    for members in groups:
        block = sp.csr_array(r[np.ix_(members, members)]).toarray()
        ev, u = np.linalg.eigh(0.5 * (block + block.conj().T))
        if len(ev) > 1 and np.min(np.diff(ev)) < COMMUTANT_GAP_TOL * scale:
            return False  # degenerate: inconclusive
        bases.append(u)
    labels = np.arange(d)
    for op in ([h] if h is not None else []) + list(jumps):
        rows, cols = _eigenbasis_edges(op, groups, group_of, bases, offsets)
        if len(rows) == 0:
            continue
        graph = sp.coo_array((np.ones(len(rows)), (labels[rows], labels[cols])), shape=(d, d))
        n_comp, comp = connected_components(graph, directed=False)
        labels = comp[labels]
        if n_comp == 1 or len(np.unique(labels)) == 1:
            return True
    return len(np.unique(labels)) == 1


def _eigenbasis_edges(op: sp.csr_array, groups: list[np.ndarray], group_of: np.ndarray,
                      bases: list[np.ndarray], offsets: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (global eigenvector indices) joined by a non-zero element of ``op``."""
    coo = sp.coo_array(op)
    if coo.nnz == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    tol = COMMUTANT_EDGE_TOL * float(np.max(np.abs(coo.data)))
    rows_all, cols_all = [], []
    pairs = set(zip(group_of[coo.col].tolist(), group_of[coo.row].tolist(), strict=True))
    for a, b in sorted(pairs):
        piece = sp.csr_array(op[np.ix_(groups[b], groups[a])])
        m = bases[b].conj().T @ (piece @ bases[a])
        ri, ci = np.nonzero(np.abs(m) > tol)
        rows_all.append(ri + offsets[b])
        cols_all.append(ci + offsets[a])
    return np.concatenate(rows_all), np.concatenate(cols_all)


def _project_rho0(split: _Split, keff: sp.csr_array, jumps: list[sp.csr_array],
                  groups: list[np.ndarray], gcharge: np.ndarray,
                  right_by_sector: dict[float, list[np.ndarray]], rho0: np.ndarray,
                  ktol: float, seed: int) -> np.ndarray:
    """``P rho0`` summed over the sectors that carry kernel vectors (and their conjugates)."""
    d = rho0.shape[0]
    dual_jumps = [sp.csr_array(lk.conj().T) for lk in jumps]
    dual = _Split.build(sp.csr_array(-keff.conj().T), dual_jumps, groups, gcharge,
                        split.method, split.alpha)
    out = np.zeros((d, d), dtype=complex)
    for m, right_y in right_by_sector.items():
        for sign in ((1.0,) if m == 0 else (1.0, -1.0)):
            sec = split.sector(sign * m)
            ys = right_y if sign > 0 else [_conjugate_sector(split, split.sector(m), sec, y)
                                           for y in right_y]
            block = split.scatter(sec, rho0)
            proj = _right_left_projection(split, dual, sec, dual.sector(sign * m), ys, block,
                                          ktol, seed)
            split.gather(sec, proj, d, out)
    return out


def _conjugate_sector(split: _Split, sec_m: _Sector, sec_minus: _Sector, y: np.ndarray
                      ) -> np.ndarray:
    """``y`` for sector ``-m`` from a kernel vector of sector ``m``: ``P^-1 (P y)^dag``."""
    d = sum(len(g) for g in split.groups)
    rho = split.gather(sec_m, split.apply_P(sec_m, y), d)
    return split.apply_S_shifted(sec_minus, split.scatter(sec_minus, rho.conj().T))


# ---------------------------------------------------------------------------- ILU path
def _solve_ilu(gen: Generator, *, tol: float, maxiter: int, restart: int, check_unique: bool,
               rho0: np.ndarray | None, limit: float, on_fail: str, tol_all: dict,
               ktol: float, seed: int, t0: float) -> SteadyState:
    timings: dict[str, float] = {}
    d = gen.dim
    n = d * d
    fill_factor = 10.0
    base = 16.0 * n * (min(restart, maxiter) + 8)
    _check_memory(base, limit, f"GMRES basis of {min(restart, maxiter) + 2} vectors of "
                  f"{n} unknowns (d = {d})")
    t = time.perf_counter()
    lmat = sp.csr_array(gen.sparse(), dtype=complex)
    estimate = base + 20.0 * (lmat.nnz + n) * (1 + fill_factor)
    _check_memory(estimate, limit, f"sparse generator with {lmat.nnz} non-zeros, its ILU "
                  f"(fill factor {fill_factor:g}) and {min(restart, maxiter) + 2} vectors of "
                  f"{n} unknowns")
    norm_l = float(spla.norm(lmat, "fro"))
    c = norm_l / d if norm_l > 0 else 1.0
    diag_pos = np.arange(d) * (d + 1)
    u = np.zeros(n, dtype=complex)
    u[diag_pos] = 1.0 / d
    rank_one = sp.csr_array((np.full(d * d, c / d, dtype=complex),
                             (np.repeat(diag_pos, d), np.tile(diag_pos, d))), shape=(n, n))
    a_mat = sp.csc_array(lmat + rank_one)
    try:
        ilu = spla.spilu(a_mat, drop_tol=1e-6, fill_factor=fill_factor)
    except RuntimeError as exc:
        raise SolverError(f"incomplete LU of the generator failed: {exc}") from exc
    prec = spla.LinearOperator((n, n), matvec=ilu.solve, dtype=complex)
    timings["factorize"] = time.perf_counter() - t

    def solve_with(state: np.ndarray, x0: np.ndarray | None) -> tuple[np.ndarray, int, float,
                                                                        bool]:
        us = vec(state)

        def apply_a(x: np.ndarray) -> np.ndarray:
            return lmat @ x + c * us * np.sum(x[diag_pos])

        return _gmres(apply_a, c * us, x0, tol, maxiter, restart, prec)

    t = time.perf_counter()
    x0 = None
    if rho0 is not None and abs(np.trace(rho0)) > 1e-300:
        x0 = vec(rho0 / np.trace(rho0))
    x, iters, res, converged = solve_with(np.eye(d) / d, x0)
    timings["gmres"] = time.perf_counter() - t
    if not converged and on_fail == "raise":
        _fail_convergence(res, tol, iters, maxiter, "iterative-ilu")
    raw = unvec(x, d)
    kdim, note = 1, "not checked"
    if check_unique:
        t = time.perf_counter()
        rng = np.random.default_rng(seed)
        g = rng.standard_normal((d, d)) + 1j * rng.standard_normal((d, d))
        probe = g @ g.conj().T
        probe /= np.trace(probe).real
        x2, _, _, conv2 = solve_with(probe, None)
        r1 = raw / np.trace(raw)
        r2 = unvec(x2, d)
        r2 = r2 / np.trace(r2)
        diff = float(np.linalg.norm(r1 - r2) / max(np.linalg.norm(r1), 1e-300))
        note = f"second solve from a random state: relative difference {diff:.2g}"
        if diff > max(1e3 * tol, 1e-6) and conv2:
            kdim = 2
            if rho0 is not None:
                note += "; projection from rho0 not available on the ILU path"
            raise NonUniqueSteadyStateError(
                "the steady state is not unique: two GMRES solves with different trace "
                f"vectors reached different states (relative difference {diff:.2g}); the "
                "kernel has dimension >= 2. The ILU path cannot project rho0; use a Lindblad "
                "generator or method='sparse'.", kernel_dim=kdim)
        timings["uniqueness"] = time.perf_counter() - t
    info = {"iterations": iters, "gmres_residual": res, "converged": converged,
            "preconditioner": "ilu", "unknowns": n, "memory_estimate": estimate,
            "uniqueness": note, "timings": timings, "ilu_nnz": int(ilu.nnz)}
    return finalize(raw, gen.apply, norm_l, method="iterative-ilu", t_start=t0, kernel_dim=kdim,
                    dims=gen.dims, tol=tol_all, on_fail=on_fail, info=info,
                    unique_required=rho0 is None)


__all__ = ["PRECONDITIONERS", "available_memory", "charge_shift", "detect_charges", "find_charges",
           "lindblad_frobenius_norm", "solve_iterative"]
