"""A generic driven-dissipative chain of N qubits, used to benchmark the large-space solvers.

The model is deliberately *generic* (no accidental degeneracies, a unique full-rank steady state)
while conserving the total excitation number ``sum_j sigma_j^+ sigma_j^-`` as a U(1) charge in the
sense of weak symmetry: ``H`` commutes with it and each jump operator changes it by a fixed amount
(-1 for decay, +1 for pumping, 0 for dephasing).  It is not registered in the model catalogue.

Master equation (hbar = 1, rates and frequencies in the same unit of angular frequency)::

    H = sum_j (omega_j / 2) sigma_j^z + J sum_j (sigma_j^+ sigma_{j+1}^- + h.c.),
    omega_j = omega (1 + 0.1 j),
    c_ops = {sqrt(gamma) sigma_j^-, sqrt(pump) sigma_j^+, sqrt(dephasing) sigma_j^z,
             sqrt(collective) sum_j sigma_j^-}.

Channels with a zero rate are omitted.  Basis and tensor order follow QuTiP (qubit 0 leftmost,
``basis(2, 0)`` = excited state).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .._checks import check_rate
from ..errors import InvalidInputError

Operator = np.ndarray | sp.csr_array


def _basis_bits(n: int) -> np.ndarray:
    """``bits[j, i]`` = local index of qubit ``j`` in basis state ``i`` (QuTiP order: qubit 0 is
    the most significant; index 0 = excited, 1 = ground)."""
    states = np.arange(2**n)
    return (states[None, :] >> (n - 1 - np.arange(n))[:, None]) & 1


def _lowering(j: int, n: int, bits: np.ndarray) -> sp.csr_array:
    """``sigma_j^- = |g><e|`` on qubit ``j``: maps each state with qubit ``j`` excited to the
    state with it in the ground state."""
    cols = np.flatnonzero(bits[j] == 0)
    rows = cols + (1 << (n - 1 - j))
    return sp.csr_array((np.ones(len(cols), dtype=complex), (rows, cols)), shape=(2**n, 2**n))


def site_frequencies(n: int, omega: float = 1.0) -> np.ndarray:
    """The site-dependent qubit frequencies ``omega_j = omega (1 + 0.1 j)``, ``j = 0..n-1``."""
    return float(omega) * (1.0 + 0.1 * np.arange(n))


def generic_qubits(
    N: int,
    *,
    omega: float = 1.0,
    J: float = 0.5,
    gamma: float = 0.1,
    pump: float = 0.05,
    dephasing: float = 0.02,
    collective: float = 0.1,
    sparse: bool = True,
) -> tuple[Operator, list[Operator]]:
    """Hamiltonian and collapse operators of the generic N-qubit chain (see module docstring).

    Parameters
    ----------
    N : int
        Number of qubits, ``N >= 1`` (Hilbert-space dimension ``2**N``).
    omega : float
        Base qubit frequency (angular frequency); site ``j`` has ``omega (1 + 0.1 j)``.
    J : float
        Nearest-neighbour XX (flip-flop) coupling, open chain.
    gamma, pump, dephasing, collective : float
        Rates (>= 0) of local decay, local pumping, local dephasing (``sqrt(rate) sigma^z``,
        i.e. a coherence decay rate ``2 * dephasing``) and collective decay.
    sparse : bool
        Return scipy CSR arrays (default) or dense ndarrays.

    Returns
    -------
    (H, c_ops)
        ``H`` of shape ``(2**N, 2**N)`` and the list of collapse operators with rates absorbed.
    """
    if not isinstance(N, (int, np.integer)) or N < 1:
        raise InvalidInputError(f"N (number of qubits) must be an integer >= 1, got {N!r}")
    for name, value in [("omega", omega), ("J", J)]:
        if not np.isfinite(value):
            raise InvalidInputError(f"{name} must be a finite real number, got {value!r}")
    rates = {name: float(check_rate(value, name)) for name, value in
             [("gamma", gamma), ("pump", pump), ("dephasing", dephasing),
              ("collective", collective)]}
    N = int(N)
    dim = 2**N
    bits = _basis_bits(N)
    sm = [_lowering(j, N, bits) for j in range(N)]
    sp_ = [sp.csr_array(op.T) for op in sm]
    sz = [sp.diags_array((1.0 - 2.0 * bits[j]).astype(complex), format="csr")
          for j in range(N)]
    diag = 0.5 * site_frequencies(N, omega) @ (1.0 - 2.0 * bits)
    h = sp.diags_array(diag.astype(complex), format="csr")
    for j in range(N - 1):
        # sigma_j^+ sigma_{j+1}^-: qubit j ground -> excited, qubit j+1 excited -> ground
        cols = np.flatnonzero((bits[j] == 1) & (bits[j + 1] == 0))
        rows = cols - (1 << (N - 1 - j)) + (1 << (N - 2 - j))
        hop = sp.csr_array((np.full(len(cols), J, dtype=complex), (rows, cols)),
                           shape=(dim, dim))
        h = h + hop + hop.T
    c_ops: list[sp.csr_array] = []
    for name, ops in [("gamma", sm), ("pump", sp_), ("dephasing", sz)]:
        if rates[name] > 0:
            c_ops += [np.sqrt(rates[name]) * op for op in ops]
    if rates["collective"] > 0:
        total = sm[0]
        for op in sm[1:]:
            total = total + op
        c_ops.append(np.sqrt(rates["collective"]) * total)
    h = sp.csr_array(h)
    c_ops = [sp.csr_array(c) for c in c_ops]
    if not sparse:
        return h.toarray(), [c.toarray() for c in c_ops]
    return h, c_ops
