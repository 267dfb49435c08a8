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

__all__ = [
    "MagnonFilm",
    "check_magnon_parameters",
    "correlation_length",
    "dipolar_form_factor",
    "f_minus",
    "f_plus",
    "film_kernel",
    "green_retarded",
    "reduced_spectral",
    "s_greater",
    "s_lesser",
    "spectral",
    "two_magnon_spectrum",
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
    z_lim = np.where(small, zr + 0j, 1.0 + 0j)
    limit = 2.0 * alpha * _green_derivative(z_lim, r, D, dim).real
    return np.where(small, limit, direct)


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
def two_magnon_spectrum(W: Any, r: Any, *, eps0: Any, D: Any, alpha: Any, mu: Any, T: Any,
                        dim: int = 2, rtol: float = 1e-8) -> np.ndarray:
    """Density-density (two-magnon, charge-0) spectrum by numerical integration:

        S_nn(W, r) = int domega/(2 pi) S<(omega, r) S>(omega + W, r),

    which is Wick's theorem for ``int dt e^{iWt} <n(r, t) n(0, 0)>`` (connected part) written in
    the regular form.  Obeys ``S_nn(-W) = exp(-W/T) S_nn(W)``.  The integrand is confined by the
    thermal factors to ``[mu - max(W, 0) - 60 T, mu + max(-W, 0) + 60 T]``; breakpoints at the
    band edge resolve its width ``alpha (eps0 - mu)``.

    Returns
    -------
    float ndarray, units (frequency unit)^-3 (length)^-2d
    """
    dim = _check_dim(dim)
    check_magnon_parameters(eps0, D, alpha, mu, T)
    r = _check_r(r)
    arrs = np.broadcast_arrays(*(np.asarray(a, float) for a in (W, r, eps0, D, alpha, mu, T)))
    out = np.empty(arrs[0].shape)
    for idx in np.ndindex(out.shape):
        w, rr, e0, dd, al, m, t = (float(a[idx]) for a in arrs)
        out[idx] = _two_magnon_point(w, rr, e0, dd, al, m, t, dim, rtol)
    return out


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
