"""Spatial correlation kernels ``K(r_j - r_k, omega)`` of a bath channel.

A channel's field ``X(r)`` at position ``r`` has correlations

    int dt e^{i omega t} < X^dag(r_j, t) X(r_k, 0) > = S(omega) K(r_j - r_k, omega),

with ``K(0, omega) = 1`` and ``K(-d, omega) = conj(K(d, omega))`` (so rate matrices are
Hermitian).  For any set of positions the matrix ``K_jk = K(r_j - r_k, omega)`` must be positive
semidefinite; :meth:`Kernel.matrix` checks it and raises a clear error otherwise.

Positions are scalars (1-D) or vectors of length 1, 2 or 3 (rad/s for frequencies, any
consistent length unit for distances).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.interpolate import PchipInterpolator
from scipy.special import j0, k1

from .._checks import check_psd
from ..errors import DimensionError, InvalidInputError


def as_positions(positions: Sequence | np.ndarray, name: str = "positions") -> np.ndarray:
    """Return positions as an ``(n, dim)`` float array (scalars become 1-D vectors)."""
    p = np.asarray(positions, dtype=float)
    if p.ndim == 0:
        p = p.reshape(1, 1)
    elif p.ndim == 1:
        p = p[:, None]
    if p.ndim != 2 or p.shape[1] not in (1, 2, 3):
        raise DimensionError(f"{name} must be scalars or vectors of length 1-3, got {p.shape}")
    if not np.all(np.isfinite(p)):
        raise InvalidInputError(f"{name} must be finite")
    return p


def displacements(positions: np.ndarray) -> np.ndarray:
    """``d[j, k] = r_j - r_k`` with shape ``(n, n, dim)``."""
    p = as_positions(positions)
    return p[:, None, :] - p[None, :, :]


@dataclass(frozen=True)
class Kernel:
    """Base class: subclasses implement :meth:`__call__` (``d`` has shape ``(..., dim)``)."""

    def __call__(self, d: np.ndarray, omega: float) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def matrix(self, positions: Sequence | np.ndarray, omega: float,
               check: bool = True) -> np.ndarray:
        """``K_jk = K(r_j - r_k, omega)`` for the given positions, checked Hermitian PSD."""
        k = np.asarray(self(displacements(positions), float(omega)), dtype=complex)
        if check:
            try:
                check_psd(k, "kernel matrix")
            except InvalidInputError as exc:
                raise InvalidInputError(
                    f"{self!r} is not positive semidefinite for positions "
                    f"{np.asarray(positions).tolist()} at omega = {float(omega):g}: {exc}. "
                    "The kernel is not a valid correlation function for this geometry; choose "
                    "a PSD kernel (e.g. exponential, J0 in 2D, cos in 1D) or other positions"
                ) from None
        return k


def _dist(d: np.ndarray) -> np.ndarray:
    return np.linalg.norm(np.asarray(d, dtype=float), axis=-1)


@dataclass(frozen=True)
class Independent(Kernel):
    """Uncorrelated fields: ``K(d) = 1`` if ``d = 0`` else 0 (couplings at distinct positions are
    independent; two couplings at the same position share one field)."""

    def __call__(self, d: np.ndarray, omega: float) -> np.ndarray:
        return (_dist(d) == 0).astype(complex)


@dataclass(frozen=True)
class Common(Kernel):
    """One common field: ``K = 1`` (perfect correlation, collective dissipation)."""

    def __call__(self, d: np.ndarray, omega: float) -> np.ndarray:
        return np.ones(np.shape(d)[:-1], dtype=complex)


@dataclass(frozen=True)
class Exponential(Kernel):
    """``K(d) = exp(-|d| / length)`` (PSD in any dimension)."""

    length: float

    def __post_init__(self) -> None:
        if not (float(self.length) > 0):
            raise InvalidInputError(f"length must be > 0, got {self.length!r}")

    def __call__(self, d: np.ndarray, omega: float) -> np.ndarray:
        return np.exp(-_dist(d) / self.length).astype(complex)


@dataclass(frozen=True)
class Waveguide1D(Kernel):
    """1-D waveguide: ``K(x) = cos(k x) e^{-|x|/loss_length}``; chiral: ``e^{+- i k x} e^{-|x|/l}``.

    ``k = |omega| / velocity`` (frequency-dependent propagation phase) or the fixed
    ``wavenumber``.  ``x = x_j - x_k`` is the first position component.  ``chiral='right'`` gives
    ``e^{i k x}``, ``'left'`` gives ``e^{-i k x}``; for ``omega < 0`` the phase is conjugated, so
    ``K(d, -omega) = conj K(d, omega)`` as required for a Hermitian field.
    """

    velocity: float | None = None
    wavenumber: float | None = None
    loss_length: float = np.inf
    chiral: str | None = None

    def __post_init__(self) -> None:
        if (self.velocity is None) == (self.wavenumber is None):
            raise InvalidInputError("give exactly one of velocity (> 0) or wavenumber")
        if self.velocity is not None and not float(self.velocity) > 0:
            raise InvalidInputError(f"velocity must be > 0, got {self.velocity!r}")
        if not float(self.loss_length) > 0:
            raise InvalidInputError(f"loss_length must be > 0, got {self.loss_length!r}")
        if self.chiral not in (None, "right", "left"):
            raise InvalidInputError(f"chiral must be None, 'right' or 'left', got {self.chiral!r}")

    def k(self, omega: float) -> float:
        return abs(omega) / self.velocity if self.velocity is not None else float(self.wavenumber)

    def __call__(self, d: np.ndarray, omega: float) -> np.ndarray:
        x = np.asarray(d, dtype=float)[..., 0]
        phase = self.k(omega) * x
        damp = np.exp(-np.abs(x) / self.loss_length)
        if self.chiral is None:
            return (np.cos(phase) * damp).astype(complex)
        sign = (1.0 if self.chiral == "right" else -1.0) * (1.0 if omega >= 0 else -1.0)
        return np.exp(1j * sign * phase) * damp


@dataclass(frozen=True)
class Film2D(Kernel):
    """2-D film.  In band: ``K(r) = J0(k r) e^{-r/loss_length}``; below the band (evanescent):
    ``K(r) = (kappa r) K1(kappa r)`` (the normalised 2-D off-resonant magnon kernel ``c_2``).

    Give ``wavenumber`` (a number or a callable ``omega -> k``) for the propagating form, or
    ``decay`` (``kappa`` or a callable) for the evanescent one.  Both are PSD in two dimensions
    (Fourier transforms of positive measures).  The principal-value (Hankel, ``Y0``/``K0``) part
    belongs to the Lamb shift (:mod:`qness.master.lamb`).
    """

    wavenumber: float | Callable[[float], float] | None = None
    decay: float | Callable[[float], float] | None = None
    loss_length: float = np.inf

    def __post_init__(self) -> None:
        if (self.wavenumber is None) == (self.decay is None):
            raise InvalidInputError("give exactly one of wavenumber or decay")
        if not float(self.loss_length) > 0:
            raise InvalidInputError(f"loss_length must be > 0, got {self.loss_length!r}")

    @staticmethod
    def _value(v: float | Callable[[float], float], omega: float) -> float:
        return float(v(omega)) if callable(v) else float(v)

    def __call__(self, d: np.ndarray, omega: float) -> np.ndarray:
        r = _dist(d)
        if self.wavenumber is not None:
            k = self._value(self.wavenumber, omega)
            return (j0(k * r) * np.exp(-r / self.loss_length)).astype(complex)
        kappa = self._value(self.decay, omega)
        if kappa <= 0:
            raise InvalidInputError(f"decay kappa must be > 0, got {kappa!r}")
        x = kappa * r
        with np.errstate(invalid="ignore", over="ignore"):
            val = np.where(x == 0, 1.0, x * k1(np.where(x == 0, 1.0, x)))
        return (val * np.exp(-r / self.loss_length)).astype(complex)


@dataclass(frozen=True)
class TabulatedKernel(Kernel):
    """Isotropic kernel ``K(|d|)`` from a table ``(distance, value)`` (PCHIP interpolation;
    beyond the last distance the last value is kept).  ``value[0]`` at distance 0 must be 1.
    Optionally ``omegas`` with ``values`` of shape ``(len(omegas), len(distance))``: the table
    nearest in frequency is used (linear interpolation between the two nearest)."""

    distance: tuple[float, ...]
    values: tuple = ()
    omegas: tuple[float, ...] | None = None
    _interps: tuple = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        r = np.asarray(self.distance, dtype=float)
        v = np.asarray(self.values, dtype=float)
        if v.ndim == 1:
            v = v[None, :]
        if r.ndim != 1 or r.size < 2 or r[0] != 0 or np.any(np.diff(r) <= 0):
            raise InvalidInputError("distance must be 1-D, start at 0 and strictly increase")
        if v.shape[-1] != r.size:
            raise InvalidInputError("values must have len(distance) entries per row")
        if not np.allclose(v[:, 0], 1.0):
            raise InvalidInputError("a kernel must be 1 at distance 0 (values[..., 0] == 1)")
        if self.omegas is not None and len(self.omegas) != v.shape[0]:
            raise InvalidInputError("omegas must have one entry per row of values")
        object.__setattr__(self, "_interps", tuple(PchipInterpolator(r, row) for row in v))

    def __call__(self, d: np.ndarray, omega: float) -> np.ndarray:
        r = np.minimum(_dist(d), self.distance[-1])
        if self.omegas is None or len(self._interps) == 1:
            return self._interps[0](r).astype(complex)
        w = np.asarray(self.omegas, dtype=float)
        i = int(np.clip(np.searchsorted(w, abs(omega)), 1, len(w) - 1))
        t = float(np.clip((abs(omega) - w[i - 1]) / (w[i] - w[i - 1]), 0.0, 1.0))
        return ((1 - t) * self._interps[i - 1](r) + t * self._interps[i](r)).astype(complex)


@dataclass(frozen=True)
class FunctionKernel(Kernel):
    """A user kernel ``func(d, omega)`` (``d`` of shape ``(..., dim)``); PSD is checked on use."""

    func: Callable[[np.ndarray, float], np.ndarray]
    label: str = "custom"

    def __call__(self, d: np.ndarray, omega: float) -> np.ndarray:
        return np.asarray(self.func(d, omega), dtype=complex)


# short public constructors -----------------------------------------------------------------
def independent() -> Independent:
    return Independent()


def common() -> Common:
    return Common()


def exponential(length: float) -> Exponential:
    return Exponential(length)


def waveguide_1d(velocity: float | None = None, *, wavenumber: float | None = None,
                 loss_length: float = np.inf, chiral: str | None = None) -> Waveguide1D:
    return Waveguide1D(velocity, wavenumber, loss_length, chiral)


def film_2d(wavenumber=None, *, decay=None, loss_length: float = np.inf) -> Film2D:
    return Film2D(wavenumber, decay, loss_length)


def tabulated_kernel(distance, values, omegas=None) -> TabulatedKernel:
    return TabulatedKernel(tuple(np.asarray(distance, float)),
                           tuple(map(tuple, np.atleast_2d(np.asarray(values, float)))),
                           None if omegas is None else tuple(np.asarray(omegas, float)))
