"""Superoperators in QuTiP's column-stacking convention.

``vec(rho)`` stacks the columns of ``rho`` (``rho.reshape(-1, order="F")``), so that
``vec(A rho B) = (B^T kron A) vec(rho)``.  Hence ``spre(A) = I kron A`` and
``spost(B) = B^T kron I``, exactly as ``qutip.spre`` / ``qutip.spost``.

Every function works on

* dense arrays of shape ``(..., d, d)`` -> dense superoperators ``(..., d^2, d^2)`` (any leading
  *batch* axes broadcast, so a stack of parameter points is one array), and
* scipy.sparse matrices ``(d, d)`` -> sparse CSR superoperators ``(d^2, d^2)``.

The dissipator convention is ``D[A, B] rho = A rho B^dag - 1/2 {B^dag A, rho}`` and
``D[A] = D[A, A]``.  The correlated (rate-matrix) form used by :func:`correlated_dissipator` is

    D rho = sum_ab gamma_ab ( A_b rho A_a^dag - 1/2 {A_a^dag A_b, rho} ),

with ``gamma`` Hermitian positive semidefinite (checked), which is completely positive.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .._checks import check_psd
from ..errors import DimensionError

Operator = np.ndarray | sp.csr_array


# --------------------------------------------------------------------------- vectorisation
def vec(rho: np.ndarray) -> np.ndarray:
    """Column-stack ``(..., d, d)`` -> ``(..., d^2)``."""
    rho = np.asarray(rho)
    return np.swapaxes(rho, -1, -2).reshape(*rho.shape[:-2], -1)


def unvec(v: np.ndarray, d: int | None = None) -> np.ndarray:
    """Inverse of :func:`vec`: ``(..., d^2)`` -> ``(..., d, d)``."""
    v = np.asarray(v)
    if d is None:
        d = round(np.sqrt(v.shape[-1]))
    if d * d != v.shape[-1]:
        raise DimensionError(f"vector length {v.shape[-1]} is not a square")
    return np.swapaxes(v.reshape(*v.shape[:-1], d, d), -1, -2)


# --------------------------------------------------------------------------- batched kron
def _bkron(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Kronecker product over the last two axes, broadcasting leading (batch) axes."""
    n, m = a.shape[-1], b.shape[-1]
    out = a[..., :, None, :, None] * b[..., None, :, None, :]
    return out.reshape(*out.shape[:-4], n * m, n * m)


def _eye_like(a: Operator) -> Operator:
    d = a.shape[-1]
    if sp.issparse(a):
        return sp.identity(d, dtype=complex, format="csr")
    return np.eye(d, dtype=complex)


def _dag(a: Operator) -> Operator:
    if sp.issparse(a):
        return a.conj().T.tocsr()
    return np.conj(np.swapaxes(a, -1, -2))


def _kron(a: Operator, b: Operator) -> Operator:
    if sp.issparse(a) or sp.issparse(b):
        return sp.csr_array(sp.kron(sp.csr_array(a), sp.csr_array(b), format="csr"))
    return _bkron(np.asarray(a), np.asarray(b))


def _transpose(a: Operator) -> Operator:
    if sp.issparse(a):
        return a.T.tocsr()
    return np.swapaxes(a, -1, -2)


def _mul(a: Operator, b: Operator) -> Operator:
    if sp.issparse(a) or sp.issparse(b):
        return sp.csr_array(sp.csr_array(a) @ sp.csr_array(b))
    return np.asarray(a) @ np.asarray(b)


# --------------------------------------------------------------------------- primitives
def spre(a: Operator) -> Operator:
    """Superoperator of ``rho -> a rho``."""
    return _kron(_eye_like(a), a)


def spost(b: Operator) -> Operator:
    """Superoperator of ``rho -> rho b``."""
    return _kron(_transpose(b), _eye_like(b))


def sprepost(a: Operator, b: Operator) -> Operator:
    """Superoperator of ``rho -> a rho b``."""
    return _kron(_transpose(b), a)


def hamiltonian_part(h: Operator) -> Operator:
    """Superoperator of ``rho -> -i [h, rho]``."""
    return -1j * (spre(h) - spost(h))


def dissipator(a: Operator, b: Operator | None = None) -> Operator:
    """Superoperator of ``D[a, b] rho = a rho b^dag - 1/2 {b^dag a, rho}`` (``b`` default ``a``).

    ``D[a, a]`` is the Lindblad dissipator; mixed terms ``D[a, b]`` appear in correlated forms.
    """
    b = a if b is None else b
    bd = _dag(b)
    bda = _mul(bd, a)
    return sprepost(a, bd) - 0.5 * spre(bda) - 0.5 * spost(bda)


def correlated_jumps(
    gamma: np.ndarray, ops: Sequence[Operator], *, name: str = "gamma"
) -> list[Operator]:
    """Diagonalise a rate matrix into independent Lindblad jump operators.

    ``sum_ab gamma_ab D[A_b, A_a]`` equals ``sum_k D[L_k]`` with
    ``L_k = sqrt(lambda_k) sum_b conj(U_bk) A_b`` where ``gamma = U diag(lambda) U^dag``.

    Parameters
    ----------
    gamma : (n, n) array
        Hermitian positive semidefinite rate matrix (units of frequency).  Checked.
    ops : sequence of n operators
        The operators ``A_b`` (all the same shape, dense or sparse).

    Returns
    -------
    list of operators
        One jump operator per non-zero eigenvalue of ``gamma`` (zero eigenvalues are dropped).
    """
    gamma = np.asarray(gamma, dtype=complex)
    if gamma.ndim != 2 or gamma.shape[0] != gamma.shape[1]:
        raise DimensionError(f"{name} must be a square (n, n) matrix, got shape {gamma.shape}")
    if gamma.shape[0] != len(ops):
        raise DimensionError(
            f"{name} is {gamma.shape[0]}x{gamma.shape[0]} but {len(ops)} operators were given"
        )
    check_psd(gamma, name)
    lam, u = np.linalg.eigh(0.5 * (gamma + gamma.conj().T))
    scale = max(float(np.max(np.abs(lam), initial=0.0)), 1e-300)
    jumps: list[Operator] = []
    for k in range(len(lam)):
        if lam[k] <= 1e-14 * scale:
            continue
        coeffs = np.sqrt(lam[k]) * np.conj(u[:, k])
        op = coeffs[0] * ops[0]
        for c, a in zip(coeffs[1:], ops[1:], strict=True):
            op = op + c * a
        jumps.append(sp.csr_array(op) if sp.issparse(op) else np.asarray(op))
    return jumps


def correlated_dissipator(gamma: np.ndarray, ops: Sequence[Operator]) -> Operator:
    """Superoperator of ``sum_ab gamma_ab (A_b rho A_a^dag - 1/2 {A_a^dag A_b, rho})``."""
    jumps = correlated_jumps(gamma, ops)
    if not jumps:
        d = ops[0].shape[-1]
        return sp.csr_array((d * d, d * d), dtype=complex) if sp.issparse(ops[0]) else np.zeros(
            (d * d, d * d), dtype=complex)
    total = dissipator(jumps[0])
    for j in jumps[1:]:
        total = total + dissipator(j)
    return total


def lindblad_matrix(h: Operator | None, jumps: Sequence[Operator], d: int,
                    sparse: bool) -> Operator:
    """Assemble ``-i[h, .] + sum_k D[L_k]`` as one matrix (dense batched or sparse CSR).

    Dense assembly uses the identity
    ``L = -i(I kron K) + i(K^* kron I)^T ... `` written through the effective Hamiltonian
    ``K = h - i/2 sum_k L_k^dag L_k``: ``L = spre(-iK) + spost(iK^dag) + sum_k L_k^* kron L_k``.
    """
    if sparse:
        eye = sp.identity(d, dtype=complex, format="csr")
        keff = sp.csr_array((d, d), dtype=complex) if h is None else sp.csr_array(h, dtype=complex)
        keff = -1j * keff
        jump_sum = sp.csr_array((d * d, d * d), dtype=complex)
        for lk in jumps:
            lk = sp.csr_array(lk, dtype=complex)
            keff = keff - 0.5 * (lk.conj().T @ lk)
            jump_sum = jump_sum + sp.kron(lk.conj(), lk, format="csr")
        out = sp.kron(eye, keff, format="csr") + sp.kron(keff.conj(), eye, format="csr")
        # spost(X) = X^T kron I with X = (-i K)^dag = conj(-iK)^T  ->  (X^T) = conj(-iK)
        return sp.csr_array(out + jump_sum)
    return _dense_lindblad(h, jumps, d)


def _dense(op: Operator) -> np.ndarray:
    return np.asarray(op.toarray() if sp.issparse(op) else op, dtype=complex)


def _dense_lindblad(h: Operator | None, jumps: Sequence[Operator], d: int) -> np.ndarray:
    """Dense (batched) Lindblad matrix.

    Unbatched pieces are summed once at ``(d^2, d^2)`` and broadcast; the batched effective
    Hamiltonian ``M = -iK`` enters as ``I kron M + conj(M) kron I``, written block by block into
    the output (no ``(B, d^2, d^2)`` temporaries), which keeps the assembly of 10^4 two-qubit
    generators at a few milliseconds per thousand.
    """
    n = d * d
    hd = None if h is None else _dense(h)
    parts = [] if hd is None else [hd]
    parts += [_dense(j) for j in jumps]
    batch = np.broadcast_shapes(*[p.shape[:-2] for p in parts]) if parts else ()
    static = np.zeros((n, n), dtype=complex)
    m_static = np.zeros((d, d), dtype=complex)
    m_batched = None

    def add_m(term: np.ndarray) -> None:
        nonlocal m_static, m_batched
        if term.ndim == 2:
            m_static = m_static + term
        else:
            m_batched = term if m_batched is None else m_batched + term

    if hd is not None:
        add_m(-1j * hd)
    for lk in parts[1:] if hd is not None else parts:
        lkd = np.conj(np.swapaxes(lk, -1, -2))
        add_m(-0.5 * (lkd @ lk))
        if lk.ndim == 2:
            static += np.kron(np.conj(lk), lk)
    eye = np.eye(d, dtype=complex)
    static += np.kron(eye, m_static) + np.kron(np.conj(m_static), eye)
    out = np.empty((*batch, n, n), dtype=complex)
    out[...] = static
    for lk in parts[1:] if hd is not None else parts:
        if lk.ndim > 2:
            out += _bkron(np.conj(lk), lk)
    if m_batched is not None:
        o5 = out.reshape(*batch, d, d, d, d)  # [a, i, b, j] <-> row a*d+i, column b*d+j
        mb = np.broadcast_to(m_batched, (*batch, d, d))
        mc = np.conj(mb)
        for a in range(d):
            o5[..., a, :, a, :] += mb
        for i in range(d):
            o5[..., :, i, :, i] += mc
    return out
