"""Entanglement and information measures of Gaussian states from their covariance matrix.

Conventions (as :mod:`qness.steady.gaussian`): quadratures ``r = (x_1, p_1, ..., x_n, p_n)`` with
``[x, p] = i``; covariance ``V_ij = 1/2 <{dr_i, dr_j}>`` so the vacuum is ``I/2`` and every
symplectic eigenvalue of a physical state is ``>= 1/2``.  Logarithms are base 2 (ebits, bits)
unless ``base`` is given, matching :func:`qness.measures.log_negativity`.

Every function takes ``V`` of shape ``(..., 2n, 2n)`` (leading batch axes broadcast) and returns
arrays of shape ``(...)`` (or ``(..., n)`` for spectra).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import DimensionError, InvalidInputError
from ..steady.gaussian import symplectic_form


def _covariance(V: Any, name: str = "V") -> np.ndarray:
    V = np.asarray(V, dtype=float)
    if V.ndim < 2 or V.shape[-1] != V.shape[-2] or V.shape[-1] % 2 or V.shape[-1] == 0:
        raise DimensionError(f"{name} must be a covariance matrix (..., 2n, 2n), got {V.shape}")
    if not np.all(np.isfinite(V)):
        raise InvalidInputError(f"{name} contains NaN or infinite entries")
    return 0.5 * (V + np.swapaxes(V, -1, -2))


def _modes(modes: int | Sequence[int], n: int, name: str) -> tuple[int, ...]:
    sel = (modes,) if isinstance(modes, (int, np.integer)) else tuple(modes)
    if not sel:
        raise InvalidInputError(f"{name} must name at least one mode")
    for m in sel:
        if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or not 0 <= m < n:
            raise InvalidInputError(f"{name} must hold mode indices in [0, {n - 1}], got {m!r}")
    if len(set(sel)) != len(sel):
        raise InvalidInputError(f"{name} lists a mode twice: {sel}")
    return tuple(int(m) for m in sel)


def _quad_index(modes: Sequence[int]) -> list[int]:
    return [q for m in modes for q in (2 * m, 2 * m + 1)]


def reduced_covariance(V: Any, modes: int | Sequence[int]) -> np.ndarray:
    """Covariance of ``modes`` (the other modes traced out), in the order given."""
    V = _covariance(V)
    idx = _quad_index(_modes(modes, V.shape[-1] // 2, "modes"))
    return V[..., idx, :][..., :, idx]


def symplectic_eigenvalues(V: Any) -> np.ndarray:
    """Symplectic eigenvalues ``nu_1 <= ... <= nu_n`` of ``V`` (Williamson spectrum).

    Computed as the positive half of the spectrum of the Hermitian matrix
    ``V^{1/2} (i Omega) V^{1/2}`` (eigenvalues ``+-nu_k``); requires ``V`` positive definite.
    A physical state has every ``nu_k >= 1/2``; the vacuum has ``nu_k = 1/2``.
    """
    V = _covariance(V)
    n = V.shape[-1] // 2
    s, U = np.linalg.eigh(V)
    if np.any(s[..., 0] <= 0):
        raise InvalidInputError("V must be positive definite (a covariance matrix); its "
                                f"smallest eigenvalue is {np.min(s[..., 0]):.3g}")
    half = (U * np.sqrt(s)[..., None, :]) @ np.swapaxes(U, -1, -2)
    ev = np.linalg.eigvalsh(half @ (1j * symplectic_form(n)) @ half)
    return ev[..., n:]


def partial_transpose_covariance(V: Any, modes: int | Sequence[int]) -> np.ndarray:
    """Covariance of the partial transpose on ``modes``: flip the sign of their momenta."""
    V = _covariance(V)
    sel = _modes(modes, V.shape[-1] // 2, "modes")
    sign = np.ones(V.shape[-1])
    sign[[2 * m + 1 for m in sel]] = -1.0
    return V * sign[:, None] * sign[None, :]


def log_negativity(V: Any, modes: int | Sequence[int], base: float = 2) -> np.ndarray:
    """Logarithmic negativity of the bipartition ``modes | rest`` of a Gaussian state.

    ``E_N = sum_k max(0, -log(2 nu~_k))`` over the symplectic eigenvalues ``nu~_k`` of the
    partially transposed covariance (exact for Gaussian states: ``||rho^{T_A}||_1 =
    prod_k max(1, 1/(2 nu~_k))``).  Base 2 by default: a two-mode squeezed vacuum with squeezing
    ``r`` has ``E_N = 2 r / ln 2``.
    """
    nu = symplectic_eigenvalues(partial_transpose_covariance(V, modes))
    return np.sum(np.maximum(0.0, -np.log(2.0 * nu)), axis=-1) / np.log(base)


def purity(V: Any) -> np.ndarray:
    """``tr rho^2 = 1 / sqrt(det(2 V))`` (1 for pure Gaussian states)."""
    V = _covariance(V)
    sign, logdet = np.linalg.slogdet(2.0 * V)
    if np.any(sign <= 0):
        raise InvalidInputError("V must be positive definite (a covariance matrix)")
    return np.exp(-0.5 * logdet)


def entropy(V: Any, base: float = 2) -> np.ndarray:
    """Von Neumann entropy ``sum_k g(nu_k - 1/2)``, ``g(x) = (x+1) log(x+1) - x log x``."""
    x = np.maximum(symplectic_eigenvalues(V) - 0.5, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        xlogx = np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0)), 0.0)
    return np.sum((x + 1) * np.log1p(x) - xlogx, axis=-1) / np.log(base)


def mutual_information(V: Any, modes: int | Sequence[int], base: float = 2) -> np.ndarray:
    """``I(A:B) = S(A) + S(B) - S(AB)`` for ``A = modes`` and ``B`` the remaining modes."""
    V = _covariance(V)
    n = V.shape[-1] // 2
    a = _modes(modes, n, "modes")
    b = tuple(m for m in range(n) if m not in a)
    if not b:
        raise InvalidInputError("modes must leave at least one mode for the other side")
    return (entropy(reduced_covariance(V, a), base) + entropy(reduced_covariance(V, b), base)
            - entropy(V, base))


def epr_variance(V: Any, modes: tuple[int, int] = (0, 1), sign: int | None = None
                 ) -> np.ndarray:
    """Duan EPR variance ``[Var(x_i + s x_j) + Var(p_i - s p_j)] / 2`` (vacuum = 1).

    Every separable state has a value ``>= 1`` (Duan, Giedke, Cirac, Zoller, PRL 84, 2722
    (2000), with ``a = 1``); a value ``< 1`` certifies entanglement.  A two-mode squeezed vacuum
    ``exp(r (a_i a_j - a_i^dag a_j^dag))`` reaches ``exp(-2 r)`` with ``s = +1``.

    Parameters
    ----------
    modes : (i, j)
    sign : {+1, -1} or None
        ``s``; None takes the smaller of the two (both choices commute, so both are valid
        criteria).
    """
    V = _covariance(V)
    i, j = _modes(modes, V.shape[-1] // 2, "modes")
    if len(modes) != 2:
        raise InvalidInputError(f"modes must be a pair (i, j), got {modes!r}")
    if sign not in (None, 1, -1):
        raise InvalidInputError(f"sign must be +1, -1 or None, got {sign!r}")

    def value(s: int) -> np.ndarray:
        xi, pi, xj, pj = 2 * i, 2 * i + 1, 2 * j, 2 * j + 1
        vx = V[..., xi, xi] + V[..., xj, xj] + 2 * s * V[..., xi, xj]
        vp = V[..., pi, pi] + V[..., pj, pj] - 2 * s * V[..., pi, pj]
        return 0.5 * (vx + vp)

    if sign is None:
        return np.minimum(value(1), value(-1))
    return value(sign)


def two_mode_squeezed_covariance(r: float, n_modes: int = 2, modes: tuple[int, int] = (0, 1)
                                 ) -> np.ndarray:
    """Covariance of ``exp(r (a_i a_j - a_i^dag a_j^dag))|0>`` (other modes in vacuum).

    ``V_{x_i x_j} = -sinh(2r)/2``, ``V_{p_i p_j} = +sinh(2r)/2``, diagonal ``cosh(2r)/2``
    (so ``x_i + x_j`` and ``p_i - p_j`` are squeezed to ``exp(-2r)`` of the vacuum noise).
    """
    r = float(r)
    if not np.isfinite(r):
        raise InvalidInputError(f"r must be finite, got {r!r}")
    i, j = _modes(modes, int(n_modes), "modes")
    V = 0.5 * np.eye(2 * n_modes)
    c, s = 0.5 * np.cosh(2 * r), 0.5 * np.sinh(2 * r)
    for q in (2 * i, 2 * i + 1, 2 * j, 2 * j + 1):
        V[q, q] = c
    V[2 * i, 2 * j] = V[2 * j, 2 * i] = -s
    V[2 * i + 1, 2 * j + 1] = V[2 * j + 1, 2 * i + 1] = s
    return V


def covariance_from_density_matrix(rho: Any, dims: Sequence[int]) -> tuple[np.ndarray,
                                                                           np.ndarray]:
    """``(V, <r>)`` of a (truncated-Fock) density matrix of bosonic modes with ``dims`` levels.

    Uses the truncated ``a`` of :func:`qness.operators.destroy`; accurate when the populations
    of the top Fock levels are negligible.
    """
    from ..operators import destroy
    from .information import as_density_matrix

    r = as_density_matrix(rho)
    dims = tuple(int(d) for d in dims)
    if int(np.prod(dims)) != r.shape[-1]:
        raise DimensionError(f"dims {dims} do not match the state dimension {r.shape[-1]}")
    quads = []
    for k, d in enumerate(dims):
        a = destroy(d)
        for loc in ((a + a.conj().T) / np.sqrt(2), (a - a.conj().T) / (1j * np.sqrt(2))):
            op = np.eye(1)
            for m, dm in enumerate(dims):
                op = np.kron(op, loc if m == k else np.eye(dm))
            quads.append(op)
    mean = np.array([np.trace(r @ q).real for q in quads])
    n2 = len(quads)
    V = np.empty((n2, n2))
    for i in range(n2):
        for j in range(i, n2):
            sym = quads[i] @ quads[j] + quads[j] @ quads[i]
            V[i, j] = V[j, i] = 0.5 * np.trace(r @ sym).real - mean[i] * mean[j]
    return V, mean


__all__ = ["covariance_from_density_matrix", "entropy", "epr_variance", "log_negativity",
           "mutual_information", "partial_transpose_covariance", "purity", "reduced_covariance",
           "symplectic_eigenvalues", "two_mode_squeezed_covariance"]
