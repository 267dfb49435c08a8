"""Spectral densities, power spectra and thermal occupation factors.

Units: hbar = k_B = 1, every frequency and temperature is an angular frequency (rad/s).

Conventions
-----------
*Spectral density* ``J(omega)`` (``omega >= 0``, units of frequency): for a bath of normal modes
``b_k`` coupled through ``X = sum_k g_k b_k^dag`` (or its Hermitian version ``X + X^dag``),
``J(omega) = sum_k |g_k|^2 delta(omega - omega_k)``.

*Power spectrum* (emission spectrum) of a bath operator ``X``:

    S(omega) = int dt e^{i omega t} < X^dag(t) X(0) >   >= 0,   omega real.

``S(omega)`` with ``omega > 0`` is the rate density for the *system to lose* the energy
``omega`` to the bath; ``S(-omega)`` is the rate for absorbing it.  For a Hermitian bosonic bath
operator at temperature ``T`` and chemical potential 0:

    S(omega)  = 2 pi J(omega) [1 + n(omega)]          (omega > 0)
    S(-omega) = 2 pi J(omega) n(omega) = e^{-omega/T} S(omega)   (detailed balance, KMS).

With a chemical potential the Bose factor is shifted, ``n(omega - mu)`` (see
:mod:`qness.baths.bath`).  Every thermal weight is evaluated in a *regular* form,

    f_plus(x)  = x [1 + n(x)] = x / (1 - e^{-x/T})     (-> T at x = 0, -> max(x, 0) at T = 0)
    f_minus(x) = x n(x)       = x / (e^{x/T} - 1)      (= f_plus(-x) = e^{-x/T} f_plus(x)),

so that ``S = 2 pi (J/x) f_plus(x)`` never forms ``0 * inf`` at ``x = 0`` or ``T = 0`` and never
overflows for ``|x|/T`` large.  ``J(omega)/omega`` (:meth:`SpectralDensity.reduced`) is the
regular "reduced" density.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.interpolate import PchipInterpolator
from scipy.special import expit

from ..errors import InvalidInputError

ArrayLike = float | np.ndarray | Sequence[float]


# ----------------------------------------------------------------------------- checks
def check_temperature(T: float, name: str = "T") -> float:
    """Return ``T`` as float, raising unless it is finite and ``>= 0`` (units of frequency)."""
    try:
        t = float(T)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{name} must be a real number >= 0, got {T!r}") from None
    if not np.isfinite(t) or t < 0:
        raise InvalidInputError(
            f"{name} (temperature, k_B T / hbar in rad/s) must be finite and >= 0, got {T!r}")
    return t


def _positive(value: float, name: str, allow_inf: bool = False) -> float:
    v = float(value)
    if np.isnan(v) or v <= 0 or (np.isinf(v) and not allow_inf):
        rng = "> 0 (inf allowed)" if allow_inf else "finite and > 0"
        raise InvalidInputError(f"{name} must be {rng}, got {value!r}")
    return v


def _nonneg(value: float, name: str) -> float:
    v = float(value)
    if not np.isfinite(v) or v < 0:
        raise InvalidInputError(f"{name} must be finite and >= 0, got {value!r}")
    return v


# ----------------------------------------------------------------------------- thermal factors
def bose(omega: ArrayLike, T: float) -> np.ndarray:
    """Bose occupation ``n(omega) = 1 / (e^{omega/T} - 1)``, evaluated without overflow.

    ``n(-x) = -1 - n(x)``; at ``T = 0``: 0 for ``omega > 0`` and -1 for ``omega < 0``.  At
    ``omega = 0`` the occupation diverges and ``inf`` is returned (no warning).  Prefer
    :func:`f_plus` / :func:`f_minus`, which are finite everywhere.
    """
    T = check_temperature(T)
    w = np.asarray(omega, dtype=float)
    out = np.empty(np.shape(w))
    pos, neg, zero = w > 0, w < 0, w == 0
    if T == 0:
        out[pos], out[neg] = 0.0, -1.0
    else:
        y = np.abs(w) / T
        # e^{-y} / (1 - e^{-y}) for y > 0 never overflows; the numerator may underflow to 0
        with np.errstate(divide="ignore"):
            np_ = np.exp(-y) / (-np.expm1(-y))
        out[pos] = np_[pos]
        out[neg] = -1.0 - np_[neg]
    out[zero] = np.inf
    return out if out.ndim else out[()]


def fermi(omega: ArrayLike, T: float) -> np.ndarray:
    """Fermi occupation ``f(omega) = 1 / (e^{omega/T} + 1)`` (logistic form, no overflow).

    At ``T = 0`` a step with ``f(0) = 1/2``.
    """
    T = check_temperature(T)
    w = np.asarray(omega, dtype=float)
    if T == 0:
        out = np.where(w < 0, 1.0, np.where(w > 0, 0.0, 0.5))
    else:
        out = expit(-w / T)
    return out if np.ndim(out) else out[()]


def f_plus(x: ArrayLike, T: float) -> np.ndarray:
    """Emission weight ``x [1 + n(x)] = x / (1 - e^{-x/T})`` (>= 0, regular everywhere).

    Limits: ``T`` at ``x = 0``; ``max(x, 0)`` at ``T = 0``; ``|x| e^{-|x|/T}`` for ``x << -T``.
    """
    T = check_temperature(T)
    x = np.asarray(x, dtype=float)
    if T == 0:
        out = np.maximum(x, 0.0)
        return out if out.ndim else out[()]
    y = x / T
    ay = np.abs(y)
    small = ay < 1e-8
    safe = np.where(small, 1.0, ay)
    g = safe / (-np.expm1(-safe))           # |y| / (1 - e^{-|y|}) >= 1, finite
    # x > 0: T g(|y|); x < 0: T g(|y|) e^{-|y|}
    val = np.where(y > 0, g, g * np.exp(-np.where(y < 0, safe, 0.0)))
    val = np.where(small, 1.0 + 0.5 * y, val)
    out = T * val
    return out if out.ndim else out[()]


def f_minus(x: ArrayLike, T: float) -> np.ndarray:
    """Absorption weight ``x n(x) = x / (e^{x/T} - 1) = f_plus(-x)`` (>= 0, regular)."""
    return f_plus(-np.asarray(x, dtype=float), T)


def fermi_plus(x: ArrayLike, T: float) -> np.ndarray:
    """Fermionic emission weight ``1 - f(x) = 1 / (1 + e^{-x/T})``."""
    return fermi(-np.asarray(x, dtype=float), T)


def fermi_minus(x: ArrayLike, T: float) -> np.ndarray:
    """Fermionic absorption weight ``f(x) = 1 / (1 + e^{x/T})``."""
    return fermi(x, T)


# ----------------------------------------------------------------------------- densities
@dataclass(frozen=True)
class SpectralDensity:
    """Base class: a spectral density ``J(omega) >= 0`` on ``omega >= 0``.

    Subclasses implement :meth:`_j` (``J`` at positive frequencies) and :meth:`_reduced_at_zero`
    (the limit of ``J(omega)/omega`` at 0).  Calling the object evaluates ``J(|omega|)``; the
    parity used on the negative axis is decided by the :class:`~qness.baths.bath.Channel`.

    Attributes
    ----------
    support : (float, float)
        Interval ``[lo, hi]`` of positive frequencies outside which ``J = 0``.
    scale : float
        A characteristic frequency (cutoff, line centre or width) used by quadratures.
    """

    def __call__(self, omega: ArrayLike) -> np.ndarray:
        w = np.abs(np.asarray(omega, dtype=float))
        lo, hi = self.support
        inside = (w >= lo) & (w <= hi)
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            val = np.where(inside, self._j(np.where(inside, w, lo if lo > 0 else 1.0)), 0.0)
        return val if val.ndim else val[()]

    def reduced(self, omega: ArrayLike) -> np.ndarray:
        """``J(|omega|) / |omega|``, with its limit at ``omega = 0`` (may be 0, finite or inf)."""
        w = np.abs(np.asarray(omega, dtype=float))
        zero = w == 0
        with np.errstate(divide="ignore", invalid="ignore"):
            val = self(np.where(zero, 1.0, w)) / np.where(zero, 1.0, w)
        val = np.where(zero, self._reduced_at_zero(), val)
        return val if val.ndim else val[()]

    # to be provided by subclasses
    @property
    def support(self) -> tuple[float, float]:
        return (0.0, np.inf)

    @property
    def scale(self) -> float:
        return 1.0

    @property
    def breakpoints(self) -> tuple[float, ...]:
        """Frequencies where the density has kinks or structure (for quadratures)."""
        lo, hi = self.support
        return tuple(x for x in (lo, hi) if np.isfinite(x) and x > 0)

    def _j(self, w: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _reduced_at_zero(self) -> float:
        return 0.0

    def __add__(self, other: SpectralDensity) -> SpectralDensity:
        if not isinstance(other, SpectralDensity):
            return NotImplemented
        return SumDensity((self, other))


@dataclass(frozen=True)
class Ohmic(SpectralDensity):
    """Ohmic family ``J(omega) = alpha omega_c^{1-s} omega^s F(omega/omega_c)``.

    Parameters
    ----------
    alpha : float
        Dimensionless coupling strength (>= 0).
    cutoff : float
        Cutoff frequency ``omega_c`` (> 0, rad/s).
    s : float
        Exponent: ``s = 1`` ohmic, ``s > 1`` super-ohmic, ``0 < s < 1`` sub-ohmic.
    form : {'exponential', 'drude'}
        ``F(x) = e^{-x}`` or ``F(x) = 1/(1 + x^2)`` (Drude--Lorentz).
    """

    alpha: float
    cutoff: float
    s: float = 1.0
    form: str = "exponential"

    def __post_init__(self) -> None:
        _nonneg(self.alpha, "alpha")
        _positive(self.cutoff, "cutoff")
        _positive(self.s, "s (ohmic exponent)")
        if self.form not in ("exponential", "drude"):
            raise InvalidInputError(
                f"form must be 'exponential' or 'drude', got {self.form!r}")

    def _cut(self, x: np.ndarray) -> np.ndarray:
        return np.exp(-x) if self.form == "exponential" else 1.0 / (1.0 + x * x)

    def _j(self, w: np.ndarray) -> np.ndarray:
        x = w / self.cutoff
        return self.alpha * self.cutoff * x**self.s * self._cut(x)

    def reduced(self, omega: ArrayLike) -> np.ndarray:
        x = np.abs(np.asarray(omega, dtype=float)) / self.cutoff
        with np.errstate(divide="ignore"):
            val = self.alpha * np.power(x, self.s - 1.0) * self._cut(x)
        return val if np.ndim(val) else val[()]

    def _reduced_at_zero(self) -> float:
        if self.s > 1:
            return 0.0
        return self.alpha if self.s == 1 else np.inf

    @property
    def scale(self) -> float:
        return self.cutoff


@dataclass(frozen=True)
class Lorentzian(SpectralDensity):
    """One damped mode: ``J(omega) = (g^2/pi) (kappa/2) / ((omega - omega_0)^2 + kappa^2/4)``.

    At ``T = 0`` this gives the emission spectrum ``S = 2 pi J = g^2 kappa / (delta^2 +
    kappa^2/4)`` (Purcell rate ``4 g^2/kappa`` on resonance).  ``J`` is kept on ``omega > 0``.

    Parameters
    ----------
    coupling : float
        ``g`` (rad/s), the mode--system coupling.
    center : float
        ``omega_0`` (> 0).
    width : float
        ``kappa`` (> 0), full width at half maximum.
    """

    coupling: float
    center: float
    width: float

    def __post_init__(self) -> None:
        _nonneg(self.coupling, "coupling")
        _positive(self.center, "center")
        _positive(self.width, "width")

    def _j(self, w: np.ndarray) -> np.ndarray:
        hk = 0.5 * self.width
        return self.coupling**2 / np.pi * hk / ((w - self.center) ** 2 + hk * hk)

    @property
    def scale(self) -> float:
        return self.width

    @property
    def breakpoints(self) -> tuple[float, ...]:
        c, k = self.center, self.width
        return tuple(x for x in (c - 5 * k, c - k, c, c + k, c + 5 * k) if x > 0)


@dataclass(frozen=True)
class Flat(SpectralDensity):
    """Flat density ``J(omega) = gamma / (2 pi)`` on the band ``[band[0], band[1]]``.

    At ``T = 0`` the emission rate is ``S = gamma`` inside the band (a Markovian quantum-optics
    bath).  ``band[0] > 0`` makes a gapped bath (allowed chemical potentials ``q mu <
    band[0]``).  No principal-value part is defined for an infinite band.
    """

    gamma: float
    band: tuple[float, float] = (0.0, np.inf)

    def __post_init__(self) -> None:
        _nonneg(self.gamma, "gamma")
        lo, hi = (float(b) for b in self.band)
        if not (0 <= lo < hi):
            raise InvalidInputError(f"band must satisfy 0 <= band[0] < band[1], got {self.band}")

    def _j(self, w: np.ndarray) -> np.ndarray:
        return np.full_like(w, self.gamma / (2 * np.pi), dtype=float)

    def _reduced_at_zero(self) -> float:
        return np.inf if self.band[0] == 0 and self.gamma > 0 else 0.0

    @property
    def support(self) -> tuple[float, float]:
        return (float(self.band[0]), float(self.band[1]))

    @property
    def scale(self) -> float:
        lo, hi = self.support
        return hi - lo if np.isfinite(hi) else max(lo, 1.0)


@dataclass(frozen=True)
class Tabulated(SpectralDensity):
    """``J`` from a table, interpolated monotonicity-preserving (PCHIP, never negative).

    Parameters
    ----------
    omega : array
        Strictly increasing frequencies ``>= 0``.
    values : array
        ``J`` at those frequencies (>= 0).  Outside ``[omega[0], omega[-1]]`` ``J = 0``.
    kind : {'pchip', 'linear'}
    """

    omega: tuple[float, ...]
    values: tuple[float, ...]
    kind: str = "pchip"
    _interp: Callable | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        w = np.asarray(self.omega, dtype=float)
        v = np.asarray(self.values, dtype=float)
        if w.ndim != 1 or w.shape != v.shape or w.size < 2:
            raise InvalidInputError("omega and values must be 1-D arrays of equal length >= 2")
        if np.any(~np.isfinite(w)) or np.any(np.diff(w) <= 0) or w[0] < 0:
            raise InvalidInputError("omega must be finite, >= 0 and strictly increasing")
        if np.any(~np.isfinite(v)) or np.any(v < 0):
            raise InvalidInputError("values (spectral density) must be finite and >= 0")
        if self.kind not in ("pchip", "linear"):
            raise InvalidInputError(f"kind must be 'pchip' or 'linear', got {self.kind!r}")
        object.__setattr__(self, "omega", tuple(w))
        object.__setattr__(self, "values", tuple(v))
        if self.kind == "pchip":
            f = PchipInterpolator(w, v, extrapolate=False)
        else:
            def f(x, w=w, v=v):
                return np.interp(x, w, v)
        object.__setattr__(self, "_interp", f)

    def _j(self, w: np.ndarray) -> np.ndarray:
        return np.maximum(np.nan_to_num(self._interp(w)), 0.0)

    def _reduced_at_zero(self) -> float:
        if self.omega[0] > 0 or self.values[0] == 0:
            return float(self.values[1] / self.omega[1]) if self.omega[0] == 0 else 0.0
        return np.inf

    @property
    def support(self) -> tuple[float, float]:
        return (self.omega[0], self.omega[-1])

    @property
    def scale(self) -> float:
        return self.omega[-1] - self.omega[0]

    @property
    def breakpoints(self) -> tuple[float, ...]:
        w = np.asarray(self.omega)
        return (*tuple(w[::max(1, len(w) // 32)]), w[-1])


@dataclass(frozen=True)
class SumDensity(SpectralDensity):
    """Sum of spectral densities (e.g. an ohmic background plus structured peaks)."""

    parts: tuple[SpectralDensity, ...]

    def _j(self, w: np.ndarray) -> np.ndarray:
        return sum(p(w) for p in self.parts)

    def reduced(self, omega: ArrayLike) -> np.ndarray:
        return sum(p.reduced(omega) for p in self.parts)

    def _reduced_at_zero(self) -> float:
        return float(sum(p._reduced_at_zero() for p in self.parts))

    @property
    def support(self) -> tuple[float, float]:
        return (min(p.support[0] for p in self.parts), max(p.support[1] for p in self.parts))

    @property
    def scale(self) -> float:
        return min(p.scale for p in self.parts)

    @property
    def breakpoints(self) -> tuple[float, ...]:
        return tuple(sorted({b for p in self.parts for b in p.breakpoints}))


# ----------------------------------------------------------------------------- power spectrum
def power_spectrum(J: SpectralDensity, omega: ArrayLike, T: float, mu: float = 0.0,
                   hermitian: bool = True) -> np.ndarray:
    """Emission spectrum ``S(omega)`` of a bosonic bath (see the module docstring).

    ``S(omega) = 2 pi [J(omega)/(omega - mu)] f_plus(omega - mu)``, i.e.
    ``2 pi J(omega) [1 + n(omega - mu)]`` for ``omega > 0``.  With ``hermitian=True`` (a
    Hermitian bath operator, ``mu`` must be 0) ``J`` is odd-extended so that
    ``S(-omega) = 2 pi J(omega) n(omega) = e^{-omega/T} S(omega)``; otherwise (a charged bath
    operator that only creates quanta) ``S(omega < 0) = 0``.

    Raises
    ------
    InvalidInputError
        If ``mu >= `` the lower edge of ``J``'s support (negative occupations), or if
        ``hermitian`` and ``mu != 0``.
    """
    T = check_temperature(T)
    mu = float(mu)
    if hermitian and mu != 0:
        raise InvalidInputError("mu must be 0 for a Hermitian (charge-0) bath operator")
    lo = J.support[0]
    if mu != 0 and mu >= lo:
        raise InvalidInputError(
            f"mu = {mu:g} makes the Bose occupation n(omega - mu) negative on the support of J "
            f"(which starts at {lo:g}); allowed range: mu < {lo:g}")
    w = np.asarray(omega, dtype=float)
    x = w - mu
    with np.errstate(divide="ignore", invalid="ignore"):
        red = np.where(x == 0, J.reduced(w) if mu == 0 else 0.0,
                       J(w) / np.where(x == 0, 1.0, np.abs(x)))
    if not hermitian:
        red = np.where(w > 0, red, 0.0)
    out = 2 * np.pi * red * f_plus(x, T)
    return out if out.ndim else out[()]
