"""Collective-spin measures of N qubits: spin moments and spin-squeezing parameters.

Conventions: ``J_a = (1/2) sum_i sigma_i^a`` (a = x, y, z) with ``sigma^z |e> = +|e>`` (QuTiP
order, :mod:`qness.operators`).  Every function here works from the first and symmetrised second
moments

    mean[a] = <J_a>,     second[a, b] = <(J_a J_b + J_b J_a) / 2>,

so that a full state ``(..., 2^N, 2^N)`` and a permutation-invariant steady state
(:class:`qness.steady.permutation.PermutationState`, whose moments come from its Dicke blocks) are
treated alike; leading batch axes broadcast.  The pairwise concurrence of a permutation-invariant
state is :func:`qness.measures.concurrence` of
:meth:`~qness.steady.permutation.PermutationState.reduced_two_qubit` (or of
:func:`pair_state_from_moments`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import DimensionError, InvalidInputError
from ..master.permutation import FULL_SPACE_MAX_N, collective_operators
from ..steady.permutation import pair_state_from_moments
from .information import as_density_matrix

_AXES = "xyz"


def spin_moments(rho: Any, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """First and symmetrised second moments of the collective spin.

    Parameters
    ----------
    rho : array_like (..., 2^N, 2^N), qutip.Qobj, or PermutationState
        Density matrices of N qubits (QuTiP order), or a permutation-invariant state (anything
        with a ``spin_moments()`` method), whose moments are computed in its Dicke blocks.
    n : int, optional
        Number of qubits (checked against the state; inferred when omitted).

    Returns
    -------
    mean : ndarray (..., 3)
        ``<J_x>, <J_y>, <J_z>``.
    second : ndarray (..., 3, 3)
        ``<(J_a J_b + J_b J_a)/2>`` (real symmetric).
    """
    if hasattr(rho, "spin_moments") and callable(rho.spin_moments):
        if n is not None and getattr(rho, "n", n) != n:
            raise DimensionError(f"the state has N = {rho.n} qubits, n = {n} was given")
        return rho.spin_moments()
    arr = as_density_matrix(rho, "rho")
    d = arr.shape[-1]
    n_state = int(np.rint(np.log2(d)))
    if 2 ** n_state != d:
        raise DimensionError(f"rho has dimension {d}, not 2^N for N qubits")
    if n is not None and n != n_state:
        raise DimensionError(f"rho has dimension {d} = 2^{n_state}, but n = {n} was given")
    if n_state > FULL_SPACE_MAX_N:
        raise InvalidInputError(f"full states are supported up to N = {FULL_SPACE_MAX_N}")
    ops = collective_operators(n_state)
    mats = [ops[a].toarray() for a in _AXES]
    # tr(rho A) = sum_ij rho_ji A_ij
    mean = np.stack([np.einsum("...ji,ij->...", arr, a).real for a in mats], axis=-1)
    second = np.empty((*arr.shape[:-2], 3, 3))
    for a in range(3):
        for b in range(a, 3):
            prod = mats[a] @ mats[b]
            val = np.einsum("...ji,ij->...", arr, prod).real
            second[..., a, b] = val
            second[..., b, a] = val
    return mean, second


def _check_moments(mean: Any, second: Any, n: Any) -> tuple[np.ndarray, np.ndarray, int]:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InvalidInputError(f"n (number of qubits) must be an integer >= 1, got {n!r}")
    mean = np.asarray(mean, dtype=float)
    second = np.asarray(second, dtype=float)
    if mean.shape[-1:] != (3,) or second.shape[-2:] != (3, 3):
        raise DimensionError(f"mean must have shape (..., 3) and second (..., 3, 3); got "
                             f"{mean.shape} and {second.shape}")
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(second))):
        raise InvalidInputError("mean and second must be finite")
    return mean, second, int(n)


def min_perpendicular_variance(mean: Any, second: Any) -> np.ndarray:
    """``min Var(J_perp)`` over directions perpendicular to the mean spin ``<J>``.

    Returns NaN where ``<J> = 0`` (no mean-spin direction).
    """
    mean = np.asarray(mean, dtype=float)
    second = np.asarray(second, dtype=float)
    norm = np.linalg.norm(mean, axis=-1)
    safe = np.where(norm > 0, norm, 1.0)
    u = mean / safe[..., None]
    # a helper axis not parallel to u, then two orthonormal perpendicular directions
    helper = np.where((np.abs(u[..., 0]) < 0.9)[..., None], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0])
    e1 = helper - np.sum(helper * u, axis=-1, keepdims=True) * u
    e1 /= np.linalg.norm(e1, axis=-1, keepdims=True)
    e2 = np.cross(u, e1)
    cov = second - mean[..., :, None] * mean[..., None, :]
    a = np.einsum("...i,...ij,...j->...", e1, cov, e1)
    c = np.einsum("...i,...ij,...j->...", e2, cov, e2)
    b = np.einsum("...i,...ij,...j->...", e1, cov, e2)
    vmin = 0.5 * (a + c) - np.sqrt(0.25 * (a - c) ** 2 + b ** 2)
    return np.where(norm > 0, vmin, np.nan)


def kitagawa_ueda_parameter(mean: Any, second: Any, n: int) -> np.ndarray:
    """Kitagawa-Ueda squeezing ``xi_S^2 = 4 min Var(J_perp) / N`` (PRA 47, 5138 (1993)).

    ``xi_S^2 = 1`` for a coherent spin state, ``< 1`` for a spin-squeezed state.  ``J_perp``
    ranges over directions perpendicular to the mean spin; NaN where ``<J> = 0``.

    Parameters
    ----------
    mean, second : arrays (..., 3), (..., 3, 3)
        Moments as returned by :func:`spin_moments`.
    n : int
        Number of qubits.
    """
    mean, second, n = _check_moments(mean, second, n)
    return 4.0 * min_perpendicular_variance(mean, second) / n


def wineland_parameter(mean: Any, second: Any, n: int) -> np.ndarray:
    """Wineland (metrological) squeezing ``xi_R^2 = N min Var(J_perp) / |<J>|^2``.

    Wineland et al., PRA 50, 67 (1994); ``xi_R^2 < 1`` certifies entanglement and a phase
    sensitivity beyond the standard quantum limit.  ``inf`` where ``<J> = 0``.
    """
    mean, second, n = _check_moments(mean, second, n)
    norm2 = np.sum(mean ** 2, axis=-1)
    vmin = min_perpendicular_variance(mean, second)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = n * vmin / norm2
    return np.where(norm2 > 0, out, np.inf)


__all__ = ["kitagawa_ueda_parameter", "min_perpendicular_variance", "pair_state_from_moments",
           "spin_moments", "wineland_parameter"]
