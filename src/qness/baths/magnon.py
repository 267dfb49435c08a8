"""A spin-pumped magnetic film as a bath: magnon propagators, noise spectra and spatial kernels.

Physics (see ``shared/design/MAGNON_MODEL.md`` §2): a uniaxial ferromagnet magnetised along its
normal, exchange dispersion ``eps_k = eps0 + D k^2``, Gilbert-like damping that vanishes at the
magnon chemical potential ``mu`` (spin pumping), and a magnon gas in the generalised Gibbs state
``exp[-(H_B - mu N)/T]``:

    G^R_k(omega) = 1 / (omega - eps_k + i alpha (omega - mu)),
    A_k(omega)   = -2 Im G^R_k(omega)            (sign of omega - mu),
    S>(omega)    = A (1 + n(omega - mu)) = At * f_plus(omega - mu),
    S<(omega)    = A n(omega - mu)       = At * f_minus(omega - mu),

with the *reduced* spectral function ``At = A / (omega - mu) > 0`` and
``f_plus(x) = x / (1 - exp(-x/T))``, ``f_minus(x) = x / (exp(x/T) - 1)``, a form that is regular at
``omega = mu`` and at ``T = 0``.  ``S>`` is ``int dt e^{i omega t} <psi(t) psi^dag>`` and ``S<`` is
``int dt e^{i omega t} <psi^dag psi(t)>``; ``S<(omega) = exp(-(omega - mu)/T) S>(omega)`` exactly.

Real-space kernels for contact (exchange) coupling are closed forms in ``d = 1, 2, 3`` with the
complex wave number ``q = sqrt(z / D)``, ``z = eps0 - omega - i alpha (omega - mu)``, ``Re q > 0``
(exact in ``alpha``; no small-damping expansion).  Film stray-field (dipolar) kernels are numerical
Hankel transforms, checked against the contact closed forms.

Units: hbar = k_B = 1.  ``omega``, ``eps0``, ``mu``, ``T`` are angular frequencies in one common
unit; ``D`` is that unit times length squared; ``r`` is a length in the same length unit.  The
field ``psi(r)`` is normalised to ``[psi(r), psi^dag(r')] = delta^d(r - r')``, so spectra carry
units of (frequency unit)^-1 (length)^-d.

The charge-0 (two-magnon, density-density) spectrum ``S_nn`` is a Wick integral of ``S<`` and
``S>`` evaluated by a vectorised graded quadrature (:func:`two_magnon_spectrum`).

Microscopic couplings (MAGNON_MODEL.md §2.4): :class:`MagnonCouplings` holds ``g_c, g_n, g_z, g_l,
g_lz``; :func:`xy_exchange_couplings` and :func:`tilted_exchange_couplings` map exchange
interactions with a Holstein-Primakoff-expanded magnet onto them, :func:`nv_dipolar_couplings`
gives the stray-field coupling of an NV centre (``eta = 1``).

Every function broadcasts over ``omega``, ``r`` and the bath parameters (numpy rules); ``dim`` is a
scalar.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.integrate as si
import scipy.special as sps

from ..errors import InvalidInputError
from ..units import GAMMA_E, HBAR, MU_0

__all__ = [
    "DipolarCouplings",
    "MagnonCouplings",
    "MagnonFilm",
    "check_magnon_parameters",
    "correlation_length",
    "dipolar_form_factor",
    "f_minus",
    "f_plus",
    "film_kernel",
    "green_retarded",
    "nv_dipolar_couplings",
    "reduced_spectral",
    "s_greater",
    "s_lesser",
    "spectral",
    "tilted_exchange_couplings",
    "two_magnon_spectrum",
    "xy_exchange_couplings",
]

#: Below this |alpha (omega - mu)| / |eps0 - omega| the reduced spectral function is taken from the
#: analytic derivative (the first-order expansion is then exact to double precision).
_SMALL_DAMPING_RATIO = 1e-7


# ----------------------------------------------------------------------------- validation
def _check_dim(dim: Any) -> int:
    if isinstance(dim, (bool, np.bool_)) or int(np.asarray(dim)) != np.asarray(dim) \
            or int(dim) not in (1, 2, 3):
        raise InvalidInputError(f"dim (film dimension) must be 1, 2 or 3, got {dim!r}")
    return int(dim)


def check_magnon_parameters(eps0: Any, D: Any, alpha: Any, mu: Any, T: Any = 0.0) -> None:
    """Raise :class:`InvalidInputError` unless the bath parameters are physical.

    Conditions: ``eps0 > 0`` (gap), ``D > 0`` (stiffness), ``0 < alpha`` (Gilbert damping),
    ``T >= 0`` and the stability condition ``mu < eps0`` (beyond it the k = 0 magnons have
    negative damping: auto-oscillation / condensation).  All arguments may be arrays.
    """
    for name, val, ok, rng in (
        ("eps0 (magnon gap)", eps0, lambda a: a > 0, "(0, inf)"),
        ("D (exchange stiffness)", D, lambda a: a > 0, "(0, inf)"),
        ("alpha (Gilbert damping)", alpha, lambda a: a > 0, "(0, inf)"),
        ("T (temperature)", T, lambda a: a >= 0, "[0, inf)"),
        ("mu (magnon chemical potential)", mu, lambda a: np.isfinite(a), "(-inf, eps0)"),
    ):
        arr = np.asarray(val, dtype=float)
        if not np.all(np.isfinite(arr)) or not np.all(ok(arr)):
            raise InvalidInputError(f"{name} must be finite and in {rng}, got {val!r}")
    mu_a, eps_a = np.broadcast_arrays(np.asarray(mu, float), np.asarray(eps0, float))
    bad = mu_a >= eps_a
    if np.any(bad):
        raise InvalidInputError(
            f"mu (magnon chemical potential) = {mu_a[bad].ravel()[0]:g} must satisfy "
            f"mu < eps0 = {eps_a[bad].ravel()[0]:g} (allowed range (-inf, eps0)): beyond the "
            "gap the pumped magnet is unstable (negative damping of the k = 0 mode)")


def _check_r(r: Any) -> np.ndarray:
    arr = np.asarray(r, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise InvalidInputError(f"r (distance) must be finite and >= 0, got {r!r}")
    return arr


# ----------------------------------------------------------------------------- thermal factors
def _bernoulli_ratio(u: np.ndarray) -> np.ndarray:
    """``u / (exp(u) - 1)`` with the value 1 at ``u = 0`` (no overflow warnings)."""
    u = np.asarray(u, dtype=float)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = u / np.expm1(u)
    out = np.where(u == 0.0, 1.0, out)
    out = np.where(u > 700.0, 0.0, out)
    return np.where(u < -700.0, -u, out)


def f_minus(x: Any, T: Any) -> np.ndarray:
    """``x n(x) = x / (exp(x/T) - 1)`` (``T * 1`` at ``x = 0``; ``max(-x, 0)`` at ``T = 0``).

    Parameters
    ----------
    x : array
        Energy measured from the chemical potential (``omega - mu``).
    T : array
        Temperature (same unit), ``T >= 0``.
    """
    x, T = np.broadcast_arrays(np.asarray(x, float), np.asarray(T, float))
    hot = T > 0
    t_safe = np.where(hot, T, 1.0)
    return np.where(hot, t_safe * _bernoulli_ratio(x / t_safe), np.maximum(-x, 0.0))


def f_plus(x: Any, T: Any) -> np.ndarray:
    """``x (1 + n(x)) = x / (1 - exp(-x/T))`` (``max(x, 0)`` at ``T = 0``).

    ``f_plus(x) = f_minus(x) + x = f_minus(-x)``.
    """
    return f_minus(-np.asarray(x, float), T)


# ----------------------------------------------------------------------------- propagators
def _wavenumber(z: np.ndarray, D: np.ndarray) -> np.ndarray:
    """``q = sqrt(z / D)`` on the principal branch (``Re q >= 0``)."""
    return np.sqrt(z / D)


def _x_k1(x: np.ndarray) -> np.ndarray:
    """``x K_1(x)`` for complex ``x`` with ``Re x >= 0``, equal to 1 at ``x = 0``."""
    with np.errstate(invalid="ignore", over="ignore"):
        out = x * sps.kv(1, x)
    out = np.where(x == 0, 1.0 + 0j, out)
    return np.where(np.isfinite(out), out, 0.0)


def _green_imag_carrier(z: np.ndarray, r: np.ndarray, D: np.ndarray, dim: int) -> np.ndarray:
    """A complex function whose imaginary part is ``Im G^R(omega, r)`` for every ``r >= 0``.

    For ``r > 0`` it is ``G^R`` itself; at ``r = 0`` in ``d = 2, 3`` the real part of ``G^R``
    diverges (the local Lamb shift), and only the finite imaginary part is returned correctly.
    """
    q = _wavenumber(z, D)
    if dim == 1:
        return -np.exp(-q * r) / (2 * D * q)
    if dim == 2:
        rpos = r > 0
        x = q * np.where(rpos, r, 1.0)
        with np.errstate(invalid="ignore", over="ignore"):
            k0 = sps.kv(0, x)
        k0 = np.where(np.isfinite(k0), k0, 0.0)
        return np.where(rpos, -k0 / (2 * np.pi * D), np.log(z) / (4 * np.pi * D))
    rpos = r > 0
    rs = np.where(rpos, r, 1.0)
    return np.where(rpos, -np.exp(-q * rs) / (4 * np.pi * D * rs), q / (4 * np.pi * D))


def _green_derivative(z: np.ndarray, r: np.ndarray, D: np.ndarray, dim: int) -> np.ndarray:
    """``dG^R/dz`` (finite for every ``r >= 0``, including ``r = 0``)."""
    q = _wavenumber(z, D)
    if dim == 1:
        return np.exp(-q * r) * (q * r + 1) / (4 * D**2 * q**3)
    if dim == 2:
        return _x_k1(q * r) / (4 * np.pi * D**2 * q**2)
    return np.exp(-q * r) / (8 * np.pi * D**2 * q)


def _complex_gap(omega, eps0, alpha, mu) -> np.ndarray:
    return (eps0 - omega) - 1j * alpha * (omega - mu)


def green_retarded(omega: Any, r: Any, *, eps0: Any, D: Any, alpha: Any, mu: Any,
                   dim: int = 2) -> np.ndarray:
    """Real-space retarded magnon propagator ``G^R(omega, r)`` for contact coupling.

    ``d = 1: -exp(-q r)/(2 D q)``; ``d = 2: -K_0(q r)/(2 pi D)``; ``d = 3: -exp(-q r)/(4 pi D r)``.

    Parameters
    ----------
    omega : array
        Frequency (angular, bath energy unit).
    r : array
        Distance ``>= 0`` (length unit of ``D``); ``r = 0`` is allowed only in ``d = 1`` (in
        ``d = 2, 3`` the real part diverges: the local Lamb shift, absorbed into the qubit
        frequency).
    eps0, D, alpha, mu : array
        Gap, stiffness, Gilbert damping, chemical potential (``mu < eps0``).
    dim : {1, 2, 3}

    Returns
    -------
    complex ndarray (broadcast shape)
    """
    dim = _check_dim(dim)
    check_magnon_parameters(eps0, D, alpha, mu)
    r = _check_r(r)
    if dim > 1 and np.any(r == 0):
        raise InvalidInputError(
            f"r must be > 0 for G^R in d = {dim}: the real part diverges at r = 0 (local "
            "Lamb shift, absorbed into the qubit frequency)")
    omega, r, eps0, D, alpha, mu = np.broadcast_arrays(
        *(np.asarray(a, float) for a in (omega, r, eps0, D, alpha, mu)))
    return _green_imag_carrier(_complex_gap(omega, eps0, alpha, mu), r, D, dim)


def reduced_spectral(omega: Any, r: Any, *, eps0: Any, D: Any, alpha: Any, mu: Any,
                     dim: int = 2) -> np.ndarray:
    """Reduced spectral kernel ``At(omega, r) = A(omega, r) / (omega - mu)`` (contact coupling).

    Exact closed forms (any ``alpha``); ``At(omega, 0) > 0``.  Where ``alpha |omega - mu|`` is
    below ``1e-7 |eps0 - omega|`` the limit ``2 alpha Re dG^R/dz`` is used, so the function is
    smooth through ``omega = mu``.

    Returns
    -------
    float ndarray, units (frequency unit)^-2 (length)^-d
    """
    dim = _check_dim(dim)
    check_magnon_parameters(eps0, D, alpha, mu)
    r = _check_r(r)
    return _reduced_core(*np.broadcast_arrays(
        *(np.asarray(a, float) for a in (omega, r, eps0, D, alpha, mu))), dim)


def _reduced_core(omega: np.ndarray, r: np.ndarray, eps0: np.ndarray, D: np.ndarray,
                  alpha: np.ndarray, mu: np.ndarray, dim: int) -> np.ndarray:
    """:func:`reduced_spectral` without argument checks (arrays already broadcast)."""
    w = omega - mu
    zr = eps0 - omega
    z = zr - 1j * alpha * w
    small = np.abs(alpha * w) <= _SMALL_DAMPING_RATIO * np.abs(zr)
    w_safe = np.where(small, 1.0, w)
    direct = -2.0 * _green_imag_carrier(z, r, D, dim).imag / w_safe
    if not np.any(small):
        return direct
    if np.ndim(direct) == 0:
        return 2.0 * alpha * _green_derivative(zr + 0j, r, D, dim).real
    idx = np.nonzero(small)  # the limit only where it is needed (it costs a second Bessel call)
    out = np.array(direct, dtype=float)
    out[idx] = 2.0 * alpha[idx] * _green_derivative(zr[idx] + 0j, r[idx], D[idx], dim).real
    return out


def spectral(omega: Any, r: Any, *, eps0: Any, D: Any, alpha: Any, mu: Any,
             dim: int = 2) -> np.ndarray:
    """Spectral kernel ``A(omega, r) = -2 Im G^R(omega, r)`` (has the sign of ``omega - mu``).

    ``A(omega, 0)``: ``d = 1: Im(1/q)/D``; ``d = 2: -arg(z)/(2 pi D)``; ``d = 3: -Im(q)/(2 pi D)``.
    """
    at = reduced_spectral(omega, r, eps0=eps0, D=D, alpha=alpha, mu=mu, dim=dim)
    return at * (np.asarray(omega, float) - np.asarray(mu, float))


def s_greater(omega: Any, r: Any, *, eps0: Any, D: Any, alpha: Any, mu: Any, T: Any,
              dim: int = 2) -> np.ndarray:
    """Emission-side noise ``S>(omega, r) = A (1 + n(omega - mu)) = At f_plus(omega - mu) >= 0``
    at ``r = 0`` (a kernel for ``r > 0``)."""
    check_magnon_parameters(eps0, D, alpha, mu, T)
    at = reduced_spectral(omega, r, eps0=eps0, D=D, alpha=alpha, mu=mu, dim=dim)
    return at * f_plus(np.asarray(omega, float) - np.asarray(mu, float), T)


def s_lesser(omega: Any, r: Any, *, eps0: Any, D: Any, alpha: Any, mu: Any, T: Any,
             dim: int = 2) -> np.ndarray:
    """Absorption-side noise ``S<(omega, r) = A n(omega - mu) = At f_minus(omega - mu)``."""
    check_magnon_parameters(eps0, D, alpha, mu, T)
    at = reduced_spectral(omega, r, eps0=eps0, D=D, alpha=alpha, mu=mu, dim=dim)
    return at * f_minus(np.asarray(omega, float) - np.asarray(mu, float), T)


def correlation_length(omega: Any, *, eps0: Any, D: Any, alpha: Any, mu: Any) -> np.ndarray:
    """``xi(omega) = 1 / Re q(omega)``: the decay length of the kernel at frequency ``omega``."""
    check_magnon_parameters(eps0, D, alpha, mu)
    omega, eps0, D, alpha, mu = np.broadcast_arrays(
        *(np.asarray(a, float) for a in (omega, eps0, D, alpha, mu)))
    q = _wavenumber(_complex_gap(omega, eps0, alpha, mu), D)
    with np.errstate(divide="ignore"):
        return 1.0 / q.real


# ----------------------------------------------------------------------------- two-magnon
#: Gauss-Legendre nodes per panel of the vectorised two-magnon quadrature.
_TM_NODES = 12
#: Points evaluated at once by the vectorised two-magnon quadrature (memory bound).
_TM_CHUNK = 256


def two_magnon_spectrum(W: Any, r: Any, *, eps0: Any, D: Any, alpha: Any, mu: Any, T: Any,
                        dim: int = 2, rtol: float = 1e-8, method: str = "panels") -> np.ndarray:
    """Density-density (two-magnon, charge-0) spectrum by numerical integration:

        S_nn(W, r) = int domega/(2 pi) S<(omega, r) S>(omega + W, r),

    which is Wick's theorem for ``int dt e^{iWt} <n(r, t) n(0, 0)>`` (connected part) written in
    the regular form.  Obeys ``S_nn(-W) = exp(-W/T) S_nn(W)``.  The integrand is confined by the
    thermal factors to ``[mu - max(W, 0) - 60 T, mu + max(-W, 0) + 60 T]``.

    Parameters
    ----------
    W : array
        Frequency transferred to the magnet (``W > 0``: the bath absorbs ``W``).
    r : array
        Distance ``>= 0`` (length unit of ``D``).
    method : {'panels', 'quad'}
        ``'panels'`` (default): vectorised Gauss-Legendre quadrature on panels graded
        geometrically (ratio 3) towards the band edges ``omega = eps0`` and ``omega + W = eps0``
        from their linewidth ``alpha (eps0 - mu)``, and towards the thermal edges ``mu``,
        ``mu - W`` from ``T / 8``; it agrees with ``'quad'`` to ~1e-9 relative and evaluates
        thousands of points per second.  ``'quad'``: adaptive ``scipy.integrate.quad`` per point
        with tolerance ``rtol`` (the reference).

    Returns
    -------
    float ndarray, units (frequency unit)^-1 (length)^-2d
    """
    dim = _check_dim(dim)
    check_magnon_parameters(eps0, D, alpha, mu, T)
    r = _check_r(r)
    if method not in ("panels", "quad"):
        raise InvalidInputError(f"method must be 'panels' or 'quad', got {method!r}")
    arrs = np.broadcast_arrays(*(np.asarray(a, float) for a in (W, r, eps0, D, alpha, mu, T)))
    shape = arrs[0].shape
    if method == "panels":
        flat = [np.ascontiguousarray(a).reshape(-1) for a in arrs]
        out = np.empty(flat[0].size)
        for start in range(0, out.size, _TM_CHUNK):
            sl = slice(start, start + _TM_CHUNK)
            out[sl] = _two_magnon_panels(*(a[sl] for a in flat), dim)
        return out.reshape(shape)
    out = np.empty(shape)
    for idx in np.ndindex(shape):
        w, rr, e0, dd, al, m, t = (float(a[idx]) for a in arrs)
        out[idx] = _two_magnon_point(w, rr, e0, dd, al, m, t, dim, rtol)
    return out


def _two_magnon_limits(W, mu, T):
    lo = mu - np.maximum(W, 0.0) - 60.0 * T
    hi = mu + np.maximum(-W, 0.0) + 60.0 * T
    return lo, hi


def _two_magnon_panels(W: np.ndarray, r: np.ndarray, eps0: np.ndarray, D: np.ndarray,
                       alpha: np.ndarray, mu: np.ndarray, T: np.ndarray, dim: int) -> np.ndarray:
    """Vectorised quadrature of :func:`two_magnon_spectrum` for 1-d arrays of points."""
    lo, hi = _two_magnon_limits(W, mu, T)
    span = np.maximum(hi - lo, 0.0)
    width = np.maximum(alpha * (eps0 - mu), 1e-300)
    # grading levels: from the linewidth (band edges) / T / 8 (thermal edges) up to the span
    with np.errstate(divide="ignore"):
        n_band = np.log(np.maximum(span, width) / width) / np.log(3.0)
    n_levels = int(min(np.max(np.ceil(n_band), initial=0.0) + 2, 60))
    ratios = 3.0 ** np.arange(n_levels)
    edges = [lo, hi, mu, mu - W, eps0, eps0 - W]
    for c in (eps0, eps0 - W):
        for s in (-1.0, 1.0):
            edges.append(c[:, None] + s * width[:, None] * ratios[None, :])
    if np.any(T > 0):
        for c in (mu, mu - W):
            for s in (-1.0, 1.0):
                edges.append(c[:, None] + s * (T / 8.0)[:, None] * 3.0 ** np.arange(8)[None, :])
    grid = np.concatenate([np.reshape(e, (W.size, -1)) for e in edges], axis=1)
    grid = np.sort(np.clip(grid, lo[:, None], hi[:, None]), axis=1)
    a, b = _nonempty_panels(grid)
    x, w = np.polynomial.legendre.leggauss(_TM_NODES)
    om = 0.5 * (b - a) * x + 0.5 * (b + a)
    weights = 0.5 * (b - a) * w
    bc = [p[:, None, None] for p in (r, eps0, D, alpha, mu)]
    shape = om.shape

    def reduced(freq: np.ndarray) -> np.ndarray:
        args = np.broadcast_arrays(freq, *bc)
        return _reduced_core(*args, dim).reshape(shape)

    lesser = reduced(om) * f_minus(om - bc[4], T[:, None, None])
    greater = reduced(om + W[:, None, None]) * f_plus(om + W[:, None, None] - bc[4],
                                                      T[:, None, None])
    val = np.sum(weights * lesser * greater, axis=(1, 2)) / (2 * np.pi)
    return np.where(span > 0, val, 0.0)


def _nonempty_panels(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Panel ends ``(a, b)`` of shape ``(n, m, 1)`` from sorted breakpoints ``(n, k)``, with the
    empty panels (clipped or repeated breakpoints) moved to the end and cut to the largest
    non-empty count ``m`` over the rows."""
    a, b = grid[:, :-1], grid[:, 1:]
    empty = ~(b > a)
    order = np.argsort(empty, axis=1, kind="stable")
    m = max(int(np.max(np.sum(~empty, axis=1), initial=0)), 1)
    a = np.take_along_axis(a, order, axis=1)[:, :m]
    b = np.take_along_axis(b, order, axis=1)[:, :m]
    return a[..., None], b[..., None]


def _two_magnon_point(W: float, r: float, eps0: float, D: float, alpha: float, mu: float,
                      T: float, dim: int, rtol: float) -> float:
    lo = mu - max(W, 0.0) - 60.0 * T
    hi = mu + max(-W, 0.0) + 60.0 * T
    if hi <= lo:
        return 0.0
    par = [np.float64(x) for x in (r, eps0, D, alpha, mu)]

    def integrand(om: float) -> float:
        lesser = _reduced_core(np.float64(om), *par, dim) * f_minus(om - mu, T)
        greater = _reduced_core(np.float64(om + W), *par, dim) * f_plus(om + W - mu, T)
        return float(lesser * greater) / (2 * np.pi)

    width = alpha * (eps0 - mu)
    pts = [mu, mu - W, eps0, eps0 - W]
    for c in (eps0, eps0 - W):
        pts += [c - 10 * width, c + 10 * width, c - width, c + width]
    for c in (mu, mu - W):  # thermal edges (width T)
        pts += [c + s * k * T for s in (-1.0, 1.0) for k in (1.0, 3.0, 10.0, 30.0)]
    pts = sorted({p for p in pts if lo < p < hi})
    val, _ = si.quad(integrand, lo, hi, points=pts or None, limit=400, epsrel=rtol,
                     epsabs=0.0)
    return val


# ----------------------------------------------------------------------------- film kernels
def dipolar_form_factor(k: Any, thickness: float, height: float) -> np.ndarray:
    """Stray-field form factor ``F(k) = (1 - exp(-k d))^2 exp(-2 k h)`` of a film.

    Parameters
    ----------
    k : array
        In-plane wave number (inverse length unit), ``k >= 0``.
    thickness : float
        Film thickness ``d > 0`` (length unit).
    height : float
        Height of the qubit above the film surface, ``h >= 0``.
    """
    if not (np.isfinite(thickness) and thickness > 0):
        raise InvalidInputError(f"thickness must be > 0 (length), got {thickness!r}")
    if not (np.isfinite(height) and height >= 0):
        raise InvalidInputError(f"height must be >= 0 (length), got {height!r}")
    k = np.asarray(k, float)
    return (-np.expm1(-k * thickness)) ** 2 * np.exp(-2 * k * height)


def _gauss_panels(edges: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    x, w = np.polynomial.legendre.leggauss(n)
    a, b = edges[:-1, None], edges[1:, None]
    nodes = 0.5 * (b - a) * x + 0.5 * (b + a)
    weights = 0.5 * (b - a) * w
    return nodes, weights


def film_kernel(omega: Any, r: Any, *, eps0: Any, D: Any, alpha: Any, mu: Any,
                form_factor: Callable[[np.ndarray], np.ndarray] | None = None,
                k_max: float | None = None, quantity: str = "reduced",
                nodes_per_panel: int = 24) -> np.ndarray:
    """2D film kernel by a numerical Hankel transform (the general, non-contact coupling):

        K(omega, r) = int_0^inf k dk / (2 pi) F(k) J_0(k r) s_k(omega),

    with ``s_k = At_k = 2 alpha / ((omega - eps_k)^2 + alpha^2 (omega - mu)^2)`` for
    ``quantity='reduced'`` (multiply by ``f_plus``/``f_minus`` for ``S>``/``S<``) or
    ``s_k = Re G^R_k(omega)`` for ``quantity='re_green'`` (exchange ``J_12``).  ``F = 1`` is the
    contact coupling (then ``K`` equals :func:`reduced_spectral` / ``Re`` :func:`green_retarded`
    with ``dim=2``).

    Quadrature: Gauss-Legendre panels on breakpoints at log-spaced wave numbers, at the magnon
    resonance ``k_omega`` and ``k_omega`` plus/minus 1, 3, 10, 30, 100 linewidths, and at the
    zeros of ``J_0(k r)``; the oscillatory tail beyond ``k_max`` is closed by repeated averaging of
    the partial sums over the last ``J_0`` half-periods.

    Parameters
    ----------
    omega, r : array
        Frequency and in-plane distance ``r >= 0`` (looped over after broadcasting).
    form_factor : callable, optional
        ``F(k)`` (e.g. ``lambda k: dipolar_form_factor(k, d, h)``); default contact ``F = 1``.
    k_max : float, optional
        Upper end of the panels; default ``40 / min(h-like scale)``: ``2000 / lambda0`` for
        contact coupling, where ``lambda0 = sqrt(D / eps0)``.
    quantity : {'reduced', 're_green'}

    Returns
    -------
    float ndarray
    """
    if quantity not in ("reduced", "re_green"):
        raise InvalidInputError(f"quantity must be 'reduced' or 're_green', got {quantity!r}")
    check_magnon_parameters(eps0, D, alpha, mu)
    r = _check_r(r)
    arrs = np.broadcast_arrays(*(np.asarray(a, float) for a in (omega, r, eps0, D, alpha, mu)))
    out = np.empty(arrs[0].shape)
    for idx in np.ndindex(out.shape):
        om, rr, e0, dd, al, m = (float(a[idx]) for a in arrs)
        out[idx] = _hankel_point(om, rr, e0, dd, al, m, form_factor, k_max, quantity,
                                 nodes_per_panel)
    return out


def _mode_spectrum(k: np.ndarray, om: float, eps0: float, D: float, alpha: float, mu: float,
                   quantity: str) -> np.ndarray:
    det = om - eps0 - D * k**2
    den = det**2 + (alpha * (om - mu)) ** 2
    return 2 * alpha / den if quantity == "reduced" else det / den


def _hankel_point(om: float, r: float, eps0: float, D: float, alpha: float, mu: float,
                  form_factor, k_max: float | None, quantity: str, npp: int) -> float:
    lam0 = math.sqrt(D / eps0)
    if quantity == "re_green" and r == 0 and form_factor is None:
        raise InvalidInputError("Re G at r = 0 diverges for contact coupling (set r > 0)")
    kmax = 2000.0 / lam0 if k_max is None else float(k_max)
    if r > 0 and form_factor is None:
        kmax = max(kmax, 400.0 * math.pi / r)
    edges = [0.0, *np.geomspace(1e-4 / lam0, kmax, 120).tolist()]
    width = alpha * abs(om - mu)
    e_res = om - eps0
    for m in (0.0, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0):
        for s in (-1.0, 1.0):
            e = e_res + s * m * width
            if e > 0:
                edges.append(math.sqrt(e / D))
    if r > 0:
        n_zeros = int(min(kmax * r / math.pi + 2, 20000))
        edges += (sps.jn_zeros(0, n_zeros) / r).tolist()
    edges_arr = np.unique(np.clip(np.asarray(edges), 0.0, kmax))
    nodes, weights = _gauss_panels(edges_arr, npp)

    def f(k: np.ndarray) -> np.ndarray:
        ff = 1.0 if form_factor is None else form_factor(k)
        return k / (2 * np.pi) * ff * sps.j0(k * r) * _mode_spectrum(k, om, eps0, D, alpha, mu,
                                                                      quantity)

    body = float(np.sum(weights * f(nodes)))
    if r == 0:
        if form_factor is None:  # exact Lorentzian tail of the contact integrand beyond kmax
            e_max = D * kmax**2
            if width > 0:
                body += alpha / (2 * np.pi * D) / width * (
                    0.5 * np.pi - math.atan((e_max - e_res) / width))
            else:
                body += alpha / (2 * np.pi * D) / (e_max - e_res)
        return body
    # oscillatory tail: half-periods between successive zeros of J0(k r) beyond kmax
    z0 = np.searchsorted(sps.jn_zeros(0, 20000) / r, kmax)
    zeros = sps.jn_zeros(0, int(z0) + 40) / r
    zeros = zeros[zeros >= kmax][:32]
    tail_edges = np.concatenate([[kmax], zeros])
    tn, tw = _gauss_panels(tail_edges, npp)
    partial = np.cumsum(np.sum(tw * f(tn), axis=1))
    sums = partial[1:]  # partial sums ending at zeros of J0 (alternating errors)
    for _ in range(min(10, len(sums) - 1)):
        sums = 0.5 * (sums[1:] + sums[:-1])
    return body + float(sums[-1])


# ----------------------------------------------------------------------------- couplings
@dataclass(frozen=True)
class MagnonCouplings:
    """Qubit-magnet coupling constants (MAGNON_MODEL.md §2.4), per qubit ``j`` at ``r_j``:

        H_int,j = sigma_j^+ (g_c psi_j + g_n psi_j^dag) + h.c.        one-magnon, charge +1 / -1
                + sigma_j^z [g_z (psi_j + psi_j^dag) + g_lz n_j]      pure dephasing
                + (sigma_j^+ + sigma_j^-) g_l n_j                     two-magnon, charge 0

    with ``n = psi^dag psi`` and ``sigma^- = |g><e|``.  ``g_c`` is co-rotating (a qubit decay
    creates a magnon: a bath at chemical potential ``+mu``), ``g_n`` counter-rotating (``-mu``),
    ``g_l`` the charge-0 two-magnon channel (chemical potential 0).  Values may be arrays (they
    broadcast); only squares enter the rates, signs are those of the mapping that produced them.

    Units: one-magnon couplings ``g_c, g_n, g_z`` in energy x length^(d/2), two-magnon
    couplings ``g_l, g_lz`` in energy x length^d (the field ``psi(r)`` is normalised to
    ``[psi(r), psi^dag(r')] = delta^d(r - r')``).
    """

    g_c: Any = 0.0
    g_n: Any = 0.0
    g_z: Any = 0.0
    g_l: Any = 0.0
    g_lz: Any = 0.0

    def __post_init__(self) -> None:
        for name in ("g_c", "g_n", "g_z", "g_l", "g_lz"):
            arr = np.asarray(getattr(self, name), dtype=float)
            if not np.all(np.isfinite(arr)):
                raise InvalidInputError(f"coupling {name} must be finite, got "
                                        f"{getattr(self, name)!r}")

    @property
    def eta(self) -> Any:
        """Anisotropy ``g_n / g_c`` (``inf`` where ``g_c = 0 != g_n``, ``0`` where both are 0)."""
        gc, gn = np.broadcast_arrays(np.asarray(self.g_c, float), np.asarray(self.g_n, float))
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(gc != 0, gn / np.where(gc != 0, gc, 1.0),
                           np.where(gn != 0, np.inf, 0.0))
        return float(out) if out.ndim == 0 else out

    @property
    def conserving(self) -> Any:
        """True where the qubit transitions conserve a U(1) charge: ``N + sum sigma^z / 2``
        (``g_n = g_l = 0``) or ``N - sum sigma^z / 2`` (``g_c = g_l = 0``).  The dephasing
        couplings ``g_z, g_lz`` do not move populations and leave the product GGE a fixed point
        (MAGNON_MODEL.md §1.4)."""
        gc, gn, gl = (np.asarray(x, float) for x in (self.g_c, self.g_n, self.g_l))
        out = (gl == 0) & ((gn == 0) | (gc == 0))
        return bool(out) if np.ndim(out) == 0 else out

    def as_dict(self) -> dict[str, Any]:
        """``g_c, g_n, g_z, g_l, g_lz`` and ``eta``."""
        return {"g_c": self.g_c, "g_n": self.g_n, "g_z": self.g_z, "g_l": self.g_l,
                "g_lz": self.g_lz, "eta": self.eta}


def _positive_spin(s: Any) -> np.ndarray:
    arr = np.asarray(s, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise InvalidInputError(f"s (magnet spin density) must be finite and > 0, got {s!r}")
    return arr


def xy_exchange_couplings(J_x: Any, J_y: Any, s: Any) -> MagnonCouplings:
    """Couplings of anisotropic XY exchange ``J_x s_q^x s^x + J_y s_q^y s^y``.

    The qubit's axis is along the magnetisation ``z`` and its ground state is spin-parallel to
    the magnet (``s_q^+ = sigma^-``); the magnet spin (density ``s``) is Holstein-Primakoff
    expanded, ``s^+ = sqrt(2 s) psi``, ``s^- = sqrt(2 s) psi^dag``, ``s^z = s - psi^dag psi``:

        g_c = (J_x + J_y) sqrt(2 s) / 4,   g_n = (J_x - J_y) sqrt(2 s) / 4,
        eta = (J_x - J_y) / (J_x + J_y),   g_z = g_l = g_lz = 0.

    Parameters
    ----------
    J_x, J_y : array
        Exchange constants (energy x length^d for a spin density in length^-d).
    s : array
        Spin density of the magnet (``> 0``), length^-d.
    """
    root = np.sqrt(2 * _positive_spin(s))
    jx, jy = np.asarray(J_x, float), np.asarray(J_y, float)
    return MagnonCouplings(g_c=(jx + jy) * root / 4, g_n=(jx - jy) * root / 4)


def tilted_exchange_couplings(J: Any, theta: Any, s: Any) -> MagnonCouplings:
    """Couplings of isotropic exchange ``J s_q . s`` with the qubit axis tilted by ``theta``.

    The qubit's quantisation axis is ``(sin theta, 0, cos theta)`` (rotation about ``y`` of the
    magnetisation axis ``z``), its ground state spin-parallel to that axis; the magnet spin is
    Holstein-Primakoff expanded to linear order in ``psi`` (``s^z = s - n`` exactly).  With
    ``G = J sqrt(s / 2)``:

        g_c = G cos^2(theta/2),   g_n = -G sin^2(theta/2)     (|eta| = tan^2(theta/2)),
        g_z = -G sin(theta) / 2,  g_l = G sin(theta) / sqrt(2 s),  g_lz = G cos(theta) / sqrt(2 s).

    Static terms (the exchange field ``-J s`` on the qubit) are absorbed into the qubit
    Hamiltonian (``theta`` is the tilt of its total quantisation axis).  The sign of ``g_z``
    relative to ``g_l`` (``g_z g_l < 0`` for ``0 < theta < pi``) is fixed by the geometry; MAGNON_
    MODEL.md §2.4 writes ``g_z = +G sin(theta)/2``.  It does not enter any rate here: ``g_z``
    (charge +-1) and ``g_l`` (charge 0) never interfere in a U(1)-invariant bath.

    Parameters
    ----------
    J : array
        Isotropic exchange constant (energy x length^d).
    theta : array
        Tilt of the qubit axis from the magnetisation, radians in ``[0, pi]``.
    s : array
        Spin density of the magnet (``> 0``), length^-d.
    """
    s_arr = _positive_spin(s)
    th = np.asarray(theta, dtype=float)
    if not np.all(np.isfinite(th)) or np.any(th < 0) or np.any(th > np.pi):
        raise InvalidInputError(f"theta (qubit tilt) must be in [0, pi] rad, got {theta!r}")
    G = np.asarray(J, float) * np.sqrt(s_arr / 2)
    root = np.sqrt(2 * s_arr)
    return MagnonCouplings(g_c=G * np.cos(th / 2) ** 2, g_n=-G * np.sin(th / 2) ** 2,
                           g_z=-G * np.sin(th) / 2, g_l=G * np.sin(th) / root,
                           g_lz=G * np.cos(th) / root)


@dataclass(frozen=True)
class DipolarCouplings:
    """Dipolar stray-field coupling of an NV centre (axis along the film normal) to a film.

    Per in-plane wave number ``k`` (MAGNON_MODEL.md §2.4): ``|g_c(k)|^2 = |g_n(k)|^2 =
    P F(k)``, ``|g_z(k)|^2 = P F(k) / 2``, ``F(k) = (1 - e^{-k d})^2 e^{-2 k h}``, so
    ``eta = 1`` exactly; ``P = gamma_NV^2 (mu0 / 4)^2 gamma hbar Ms / d`` (m^2 / s^2, SI).  A
    channel's kernel is the Hankel transform ``int k dk / 2 pi F(k) J_0(k r) s_k`` (see
    :func:`film_kernel`), multiplied by ``P`` (``P / 2`` for ``g_z``).

    Attributes
    ----------
    P : float
        Coupling prefactor, m^2/s^2.
    thickness, height : float
        Film thickness ``d`` and NV height ``h`` above its surface, metres.
    """

    P: Any
    thickness: float
    height: float

    @property
    def eta(self) -> float:
        return 1.0

    def form_factor(self, k: Any) -> np.ndarray:
        """``F(k) = (1 - e^{-k d})^2 e^{-2 k h}``."""
        return dipolar_form_factor(k, self.thickness, self.height)

    def at(self, k: Any) -> MagnonCouplings:
        """Mode couplings at wave number ``k`` (magnitudes; ``g_l = g_lz = 0``: the ``m_z``
        (two-magnon) stray field is neglected)."""
        pf = np.asarray(self.P, float) * self.form_factor(k)
        return MagnonCouplings(g_c=np.sqrt(pf), g_n=np.sqrt(pf), g_z=np.sqrt(pf / 2))


def nv_dipolar_couplings(Ms: float, thickness: float, height: float, *,
                         gamma: float | None = None, gamma_nv: float | None = None
                         ) -> DipolarCouplings:
    """Dipolar coupling of an NV doublet ``{|0>, |+-1>}`` to a perpendicular film (SI units).

    Derivation (checked numerically in the tests with spin-1 matrices): the film mode with
    transverse magnetisation ``m^+ = sqrt(2 gamma hbar Ms / d) psi`` produces above the film the
    field ``B_k = -(mu0/2)(1 - e^{-kd}) e^{-kh} (k^ + i z^)(k^ . m_k)``, which contains ``psi``
    and ``psi^dag`` with equal weight (hence ``eta = 1`` for circular magnons); the NV matrix
    element ``<0|S^+|-1> = sqrt 2`` gives ``|g_c|^2 = |g_n|^2 = gamma_NV^2 (mu0/4)^2 gamma hbar Ms
    F(k) / d`` and ``S^z`` in the doublet gives ``|g_z|^2`` half of it.

    Parameters
    ----------
    Ms : float
        Saturation magnetisation, A/m.
    thickness, height : float
        Film thickness ``d > 0`` and NV height ``h >= 0``, metres.
    gamma, gamma_nv : float, optional
        Gyromagnetic ratios of the film and of the NV spin, rad/(s T); default the electron's
        (:data:`qness.units.GAMMA_E`).
    """
    g_film = GAMMA_E if gamma is None else float(gamma)
    g_nv = GAMMA_E if gamma_nv is None else float(gamma_nv)
    if not (np.isfinite(Ms) and Ms > 0):
        raise InvalidInputError(f"Ms (saturation magnetisation) must be > 0 A/m, got {Ms!r}")
    dipolar_form_factor(0.0, thickness, height)  # validates thickness > 0, height >= 0
    P = g_nv**2 * (MU_0 / 4) ** 2 * g_film * HBAR * Ms / thickness
    return DipolarCouplings(P=P, thickness=float(thickness), height=float(height))


# ----------------------------------------------------------------------------- convenience
@dataclass(frozen=True)
class MagnonFilm:
    """A spin-pumped magnet with contact-coupled probes (parameters may be arrays).

    Attributes
    ----------
    eps0 : gap (angular frequency).  D : exchange stiffness (frequency x length^2).
    alpha : Gilbert damping (dimensionless).  mu : magnon chemical potential, ``mu < eps0``.
    T : temperature (frequency unit, k_B = 1).  dim : 1, 2 or 3 (spatial dimension of the magnet).
    """

    eps0: Any = 1.0
    D: Any = 1.0
    alpha: Any = 1e-3
    mu: Any = 0.0
    T: Any = 0.0
    dim: int = 2

    def __post_init__(self) -> None:
        _check_dim(self.dim)
        check_magnon_parameters(self.eps0, self.D, self.alpha, self.mu, self.T)

    @property
    def _kw(self) -> dict[str, Any]:
        return {"eps0": self.eps0, "D": self.D, "alpha": self.alpha, "mu": self.mu,
                "dim": self.dim}

    @property
    def length_unit(self) -> Any:
        """``lambda0 = sqrt(D / eps0)``."""
        return np.sqrt(np.asarray(self.D, float) / np.asarray(self.eps0, float))

    def reduced_spectral(self, omega: Any, r: Any = 0.0) -> np.ndarray:
        return reduced_spectral(omega, r, **self._kw)

    def spectral(self, omega: Any, r: Any = 0.0) -> np.ndarray:
        return spectral(omega, r, **self._kw)

    def s_greater(self, omega: Any, r: Any = 0.0) -> np.ndarray:
        return s_greater(omega, r, T=self.T, **self._kw)

    def s_lesser(self, omega: Any, r: Any = 0.0) -> np.ndarray:
        return s_lesser(omega, r, T=self.T, **self._kw)

    def green_retarded(self, omega: Any, r: Any) -> np.ndarray:
        return green_retarded(omega, r, **self._kw)

    def two_magnon_spectrum(self, W: Any, r: Any = 0.0) -> np.ndarray:
        return two_magnon_spectrum(W, r, T=self.T, **self._kw)

    def correlation_length(self, omega: Any) -> np.ndarray:
        kw = {k: v for k, v in self._kw.items() if k != "dim"}
        return correlation_length(omega, **kw)
