"""Operator library in QuTiP's basis order.

Qubits: ``basis(2, 0)`` is the sigma_z = +1 eigenstate (excited ``|e>``), so
``sigmam() = |g><e|`` has its single 1 at row 1, column 0, exactly as ``qutip.sigmam()``.
Spin-s operators use the ``|s, m>`` basis ordered m = s, s-1, ..., -s (QuTiP ``jmat``).
Bosons are truncated at ``n_max`` with ``destroy(n)`` as in QuTiP.
All functions return dense ``numpy`` arrays; :class:`qness.Space` embeds them sparsely.
"""

from __future__ import annotations

import numpy as np

from .errors import InvalidInputError


def sigmax() -> np.ndarray:
    return np.array([[0, 1], [1, 0]], dtype=complex)


def sigmay() -> np.ndarray:
    return np.array([[0, -1j], [1j, 0]], dtype=complex)


def sigmaz() -> np.ndarray:
    """Pauli z with ``diag(+1, -1)``: index 0 is the excited state."""
    return np.array([[1, 0], [0, -1]], dtype=complex)


def sigmap() -> np.ndarray:
    """Raising operator ``|e><g|`` = (sigma_x + i sigma_y)/2."""
    return np.array([[0, 1], [0, 0]], dtype=complex)


def sigmam() -> np.ndarray:
    """Lowering operator ``|g><e|`` = (sigma_x - i sigma_y)/2."""
    return np.array([[0, 0], [1, 0]], dtype=complex)


def qeye(d: int) -> np.ndarray:
    return np.eye(_check_dim(d, "d"), dtype=complex)


def projector(d: int, i: int, j: int | None = None) -> np.ndarray:
    """``|i><j|`` in dimension ``d`` (``j`` defaults to ``i``)."""
    j = i if j is None else j
    if not (0 <= i < d and 0 <= j < d):
        raise InvalidInputError(f"indices ({i}, {j}) out of range for dimension {d}")
    m = np.zeros((d, d), dtype=complex)
    m[i, j] = 1.0
    return m


def destroy(n: int) -> np.ndarray:
    """Bosonic annihilation operator truncated to ``n`` levels (QuTiP ``destroy``)."""
    n = _check_dim(n, "n")
    return np.diag(np.sqrt(np.arange(1, n)), 1).astype(complex)


def create(n: int) -> np.ndarray:
    return destroy(n).conj().T


def num(n: int) -> np.ndarray:
    return np.diag(np.arange(_check_dim(n, "n"))).astype(complex)


def jmat(s: float, which: str) -> np.ndarray:
    """Spin-``s`` operator ``which`` in ``x, y, z, +, -`` (basis m = s, ..., -s; QuTiP ``jmat``)."""
    two_s = 2 * s
    if two_s < 1 or abs(two_s - round(two_s)) > 1e-12:
        raise InvalidInputError(f"s must be a positive half-integer, got {s}")
    m = s - np.arange(round(two_s) + 1)
    jp = np.diag(np.sqrt(s * (s + 1) - m[1:] * (m[1:] + 1)), 1).astype(complex)
    ops = {
        "+": jp,
        "-": jp.conj().T,
        "x": 0.5 * (jp + jp.conj().T),
        "y": -0.5j * (jp - jp.conj().T),
        "z": np.diag(m).astype(complex),
    }
    if which not in ops:
        raise InvalidInputError(f"which must be one of x, y, z, +, -; got {which!r}")
    return ops[which]


def ket(d: int, i: int) -> np.ndarray:
    """Basis ket ``|i>`` of dimension ``d`` as a 1-D array."""
    v = np.zeros(_check_dim(d, "d"), dtype=complex)
    if not 0 <= i < d:
        raise InvalidInputError(f"index {i} out of range for dimension {d}")
    v[i] = 1.0
    return v


def ket2dm(psi: np.ndarray) -> np.ndarray:
    psi = np.asarray(psi, dtype=complex).reshape(-1)
    return np.outer(psi, psi.conj())


# Two-qubit reference states in QuTiP order (index 0 = |e>, 1 = |g>).
E, G = 0, 1


def bell_state(name: str) -> np.ndarray:
    """Bell kets ``phi+``, ``phi-``, ``psi+``, ``psi-`` as length-4 arrays.

    ``phi+- = (|00> +- |11>)/sqrt2`` and ``psi+- = (|01> +- |10>)/sqrt2`` in the computational
    basis; ``psi-`` is the singlet S and ``psi+`` the triplet T0.
    """
    s = 1 / np.sqrt(2)
    table = {
        "phi+": [s, 0, 0, s],
        "phi-": [s, 0, 0, -s],
        "psi+": [0, s, s, 0],
        "psi-": [0, s, -s, 0],
    }
    if name not in table:
        raise InvalidInputError(f"Bell state name must be one of {sorted(table)}, got {name!r}")
    return np.array(table[name], dtype=complex)


def _check_dim(d: int, name: str) -> int:
    if not isinstance(d, (int, np.integer)) or d < 1:
        raise InvalidInputError(f"{name} must be an integer >= 1, got {d!r}")
    return int(d)
