"""Coherence measures and fidelities to the Bell states.

All functions take density matrices ``(..., d, d)`` (leading batch axes broadcast) or
``qutip.Qobj`` and return floats; the checks are those of
:func:`qness.measures.information.as_density_matrix`.

Conventions
-----------
* Coherence is basis dependent: it is measured in the basis the matrix is written in (for qness
  states the QuTiP product basis, index 0 = ``|e>``), following Baumgratz, Cramer and Plenio,
  PRL 113, 140401 (2014).
* Bell states are those of :func:`qness.operators.bell_state` in QuTiP order:
  ``phi+- = (|ee> +- |gg>)/sqrt2``, ``psi+- = (|eg> +- |ge>)/sqrt2``; ``psi-`` is the singlet.
  A Bell fidelity ``<B|rho|B>`` is the squared-convention fidelity of
  :func:`qness.measures.information.fidelity` with a pure state.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InvalidInputError
from ..operators import bell_state
from .entanglement import _two_qubit_states
from .information import _check_base, _entropy_of_spectrum, as_density_matrix, psd_eigvalsh

__all__ = [
    "BELL_NAMES",
    "bell_fidelities",
    "bell_fidelity",
    "l1_coherence",
    "relative_entropy_coherence",
]

#: Order of the last axis of :func:`bell_fidelities`.
BELL_NAMES: tuple[str, ...] = ("phi+", "phi-", "psi+", "psi-")


def l1_coherence(rho: Any) -> np.ndarray:
    """l1-norm of coherence ``C_l1 = sum_{i != j} |rho_ij|`` in ``[0, d - 1]``."""
    r = as_density_matrix(rho)
    total = np.abs(r).sum(axis=(-2, -1))
    diag = np.abs(np.diagonal(r, axis1=-2, axis2=-1)).sum(axis=-1)
    return np.maximum(total - diag, 0.0)


def relative_entropy_coherence(rho: Any, base: float = 2) -> np.ndarray:
    """Relative entropy of coherence ``S(diag rho) - S(rho)`` in ``[0, log_base d]``.

    ``diag rho`` is the dephased state (off-diagonal entries removed).  ``base=2`` gives bits.
    """
    b = _check_base(base)
    r = as_density_matrix(rho)
    populations = np.clip(np.diagonal(r, axis1=-2, axis2=-1).real, 0.0, None)
    value = _entropy_of_spectrum(populations, b) - _entropy_of_spectrum(psd_eigvalsh(r), b)
    return np.maximum(value, 0.0)


def _bell_matrix() -> np.ndarray:
    """Rows are the Bell kets in :data:`BELL_NAMES` order."""
    return np.stack([bell_state(name) for name in BELL_NAMES])


def bell_fidelities(rho: Any) -> np.ndarray:
    """Fidelities ``<B|rho|B>`` to the four Bell states, shape ``(..., 4)``.

    The last axis is ordered as :data:`BELL_NAMES` = (phi+, phi-, psi+, psi-); the four values
    are in ``[0, 1]`` and sum to 1 (the Bell states form a basis).
    """
    r = _two_qubit_states(rho)
    kets = _bell_matrix()
    vals = np.einsum("ki,...ij,kj->...k", kets.conj(), r, kets).real
    return np.clip(vals, 0.0, 1.0)


def bell_fidelity(rho: Any, name: str) -> np.ndarray:
    """Fidelity ``<B|rho|B>`` to the Bell state ``name`` in ``BELL_NAMES``, shape ``(...)``."""
    if name not in BELL_NAMES:
        raise InvalidInputError(f"name must be one of {list(BELL_NAMES)}, got {name!r}")
    r = _two_qubit_states(rho)
    ket = bell_state(name)
    return np.clip(np.einsum("i,...ij,j->...", ket.conj(), r, ket).real, 0.0, 1.0)
