"""Principal-value (Lamb-shift) part of the bath correlation functions.

The one-sided transform of the bath correlation function splits as

    Gamma_ab(omega) = int_0^inf ds e^{i omega s} <B_a^dag(s) B_b(0)>
                    = gamma_ab(omega)/2 + i Lambda_ab(omega),
    Lambda_ab(omega) = P int domega'/(2 pi) gamma_ab(omega') / (omega - omega')   (Hermitian).

The secular Lamb-shift Hamiltonian is ``H_LS = sum_omega sum_ab Lambda_ab(omega)
A_a(omega)^dag A_b(omega)``; for couplings at different positions its off-diagonal part is the
bath-mediated coherent exchange.  Check with one undamped mode at ``omega_b`` (``gamma = 2 pi g^2
delta(omega' - omega_b)``): ``Lambda(omega) = g^2 / (omega - omega_b)``, the dispersive shift.

The integral needs a spectrum that decays at large ``|omega'|`` (a cutoff); a flat infinite band
has a divergent local shift (absorb it into the bare frequencies).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.integrate import IntegrationWarning, quad, quad_vec

from ..baths.bath import BathChannel, Term, block_correlation
from ..baths.kernels import Common, Exponential, Independent, as_positions
from ..baths.spectra import SpectralDensity
from ..errors import InvalidInputError

_OMEGA_INDEPENDENT = (Independent, Common, Exponential)


def _segments(omega: float, a: float, points: Sequence[float]) -> tuple[list[float], float]:
    """Edges for the integration and the half-width of the Cauchy window around ``omega``."""
    pts = sorted({float(p) for p in points if np.isfinite(p)})
    others = [p for p in pts if abs(p - omega) > 0]
    if others:
        a = min(a, 0.5 * min(abs(p - omega) for p in others))
    edges = sorted({*(p for p in pts if abs(p - omega) > a), omega - a, omega + a})
    return edges, a


def principal_value(func: Callable[[float], float], omega: float, *, scale: float = 1.0,
                    points: Sequence[float] = (), epsabs: float = 1e-13,
                    epsrel: float = 1e-10) -> float:
    """``P int_{-inf}^{inf} dx/(2 pi) func(x) / (omega - x)`` for a real, decaying ``func``.

    The singular window ``[omega - a, omega + a]`` is integrated with QUADPACK's Cauchy weight
    (QAWC); the remaining segments (split at ``points``, where ``func`` has kinks) with QAGS /
    QAGI.  ``scale`` sets the window half-width ``a`` (reduced so no point lies inside).
    """
    a = max(float(scale), 1e-12 * max(abs(omega), 1.0))
    edges, a = _segments(float(omega), a, points)
    total = 0.0
    opts = {"epsabs": epsabs, "epsrel": epsrel, "limit": 400}

    def outside(x: float) -> float:
        return float(func(x)) / (omega - x)

    for lo, hi in itertools.pairwise(edges):
        if np.isclose(lo, omega - a) and np.isclose(hi, omega + a):
            val, _ = quad(lambda x: float(func(x)), lo, hi, weight="cauchy", wvar=omega,
                          **opts)
            total -= val
        else:
            total += quad(outside, lo, hi, **opts)[0]
    total += quad(outside, -np.inf, edges[0], **opts)[0]
    total += quad(outside, edges[-1], np.inf, **opts)[0]
    return total / (2 * np.pi)


def _block_points(terms: Sequence[Term]) -> list[float]:
    ch = terms[0].channel
    dens = ch.channel.density
    bps = list(dens.breakpoints) if isinstance(dens, SpectralDensity) else []
    scale = dens.scale if isinstance(dens, SpectralDensity) else 1.0
    qmu = ch.effective_mu
    pts = [0.0, qmu, -qmu, scale, -scale, 5 * scale, -5 * scale]
    pts += bps + [-b for b in bps]
    return pts


def _block_scale(terms: Sequence[Term]) -> float:
    dens = terms[0].channel.channel.density
    s = dens.scale if isinstance(dens, SpectralDensity) else 1.0
    return float(s) if np.isfinite(s) and s > 0 else 1.0


def block_principal_value(terms: Sequence[Term], freqs: Any, *, epsabs: float = 1e-13,
                          epsrel: float = 1e-10) -> np.ndarray:
    """``Lambda_ab(omega)`` for the terms of one block, shape ``(len(freqs), n, n)``.

    Kernels that do not depend on frequency (independent, common, exponential) factor out and
    the scalar spectrum is integrated with :func:`principal_value`; otherwise the whole matrix
    is integrated with :func:`scipy.integrate.quad_vec`.
    """
    w = np.atleast_1d(np.asarray(freqs, dtype=float))
    n = len(terms)
    scale = _block_scale(terms)
    points = _block_points(terms)
    ch, kind = terms[0].channel, terms[0].kind
    out = np.zeros((w.size, n, n), dtype=complex)
    if isinstance(ch.kernel, _OMEGA_INDEPENDENT):
        unit = block_correlation(terms, np.array([1.0]))[0]
        ref = (ch.up(-1.0) if kind == "Xd" else ch.down(1.0))
        if ref == 0:
            pos = np.array([t.position for t in terms])
            d = pos[:, None, :] - pos[None, :, :]
            unit = np.asarray(ch.kernel(d, 1.0), dtype=complex)
            unit = unit.conj() if kind == "Xd" else unit
        else:
            unit = unit / ref

        def spec(x: float) -> float:
            return float(ch.up(-x) if kind == "Xd" else ch.down(x))

        for i, wi in enumerate(w):
            out[i] = principal_value(spec, wi, scale=scale, points=points, epsabs=epsabs,
                                     epsrel=epsrel) * unit
        return out

    def flat(x: float) -> np.ndarray:
        g = block_correlation(terms, np.array([x]))[0]
        return np.concatenate([g.real.ravel(), g.imag.ravel()])

    def spec(x: float) -> float:
        return float(ch.up(-x) if kind == "Xd" else ch.down(x))

    for i, wi in enumerate(w):
        # frequency-dependent kernels oscillate (e^{i k(omega) r}); integrate on a finite range
        # and bound the dropped tails with |K| <= 1 (normalised PSD kernel)
        reach = max(200.0 * scale, 20.0 * (abs(wi) + max(abs(p) for p in points)))
        edges, a = _segments(float(wi), scale, points)
        edges = [e for e in edges if abs(e - wi) < reach]
        edges = sorted({*edges, wi - reach, wi + reach})
        g0 = flat(wi)
        mag = max(abs(spec(x)) for x in [wi, *points])
        tol = {"epsabs": max(epsabs, 1e-12 * mag), "epsrel": max(epsrel, 1e-9), "limit": 400}

        def window(x: float, wi: float = wi, g0: np.ndarray = g0) -> np.ndarray:
            dx = wi - x
            return np.zeros_like(g0) if abs(dx) < 1e-300 else (flat(x) - g0) / dx

        def outside(x: float, wi: float = wi) -> np.ndarray:
            return flat(x) / (wi - x)

        total = np.zeros(2 * n * n)
        for lo, hi in itertools.pairwise(edges):
            f = window if (np.isclose(lo, wi - a) and np.isclose(hi, wi + a)) else outside
            total += quad_vec(f, lo, hi, **tol)[0]
        def tail(r: float, wi: float = wi) -> float:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", IntegrationWarning)
                return sum(quad(lambda y: abs(spec(y)) / abs(wi - y), lo, hi, limit=200)[0]
                           for lo, hi in ((-np.inf, wi - r), (wi + r, np.inf)))

        bound = tail(reach)
        # extend the range (doubling) while the dropped tail matters, up to 64 x the start
        for _ in range(6):
            if bound <= 1e-8 * max(np.abs(total).max(), 1e-300):
                break
            for lo, hi in ((wi - 2 * reach, wi - reach), (wi + reach, wi + 2 * reach)):
                total += quad_vec(outside, lo, hi, **tol)[0]
            reach *= 2
            bound = tail(reach)
        if bound > 1e-6 * max(np.abs(total).max(), 1e-300):
            warnings.warn(
                f"principal value with a frequency-dependent kernel truncated at |omega' - "
                f"omega| = {reach:g}: the dropped tail is bounded by {bound / (2 * np.pi):.3g} "
                "(relative > 1e-6); the spectrum decays slowly", UserWarning, stacklevel=3)
        total /= 2 * np.pi
        out[i] = (total[: n * n] + 1j * total[n * n:]).reshape(n, n)
    return 0.5 * (out + np.conj(np.swapaxes(out, -1, -2)))


def coherent_exchange(channel: BathChannel, positions: Any, omega: float,
                      strengths: Any = None) -> np.ndarray:
    """Bath-mediated couplings of two-level emitters ``sigma_j^- (x) g_j X(r_j) + h.c.``.

    Returns ``J`` with ``H_LS = sum_{j != k} J_jk sigma_j^+ sigma_k^- + sum_j J_jj sigma_j^z/2``
    (secular, all emitters at frequency ``omega``): ``J_jk = Lambda^X_jk(omega) +
    Lambda^Xd_kj(-omega)`` and ``J_jj = Lambda^X_jj(omega) - Lambda^Xd_jj(-omega)`` (the shift
    of the transition frequency; up to a constant).  Charge-0 channels use the Hermitian term
    at ``+-omega``.
    """
    pos = as_positions(positions)
    g = np.ones(len(pos), complex) if strengths is None else np.asarray(strengths, complex)
    if g.shape != (len(pos),):
        raise InvalidInputError("strengths must have one entry per position")
    op = np.zeros((1, 1))
    if channel.charge == 0:
        terms = [Term(op, channel, p, "H", i) for i, p in enumerate(pos)]
        lx = block_principal_value(terms, [omega])[0]
        lxd = block_principal_value(terms, [-omega])[0]
    else:
        tx = [Term(op, channel, p, "X", i) for i, p in enumerate(pos)]
        txd = [Term(op, channel, p, "Xd", i) for i, p in enumerate(pos)]
        lx = block_principal_value(tx, [omega])[0]
        lxd = block_principal_value(txd, [-omega])[0]
    gg = np.conj(g)[:, None] * g[None, :]
    j = gg * lx + (gg * lxd.T) if channel.charge != 0 else gg * (lx + lxd.T)
    diag = np.diag(gg).real * (np.diag(lx).real - np.diag(lxd).real)
    np.fill_diagonal(j, diag)
    return j


def lamb_shift(H: Any, couplings: Sequence[Any], **options: Any) -> np.ndarray:
    """Secular Lamb-shift Hamiltonian ``sum_omega sum_ab Lambda_ab(omega) A_a(omega)^dag
    A_b(omega)`` of ``H`` and the couplings (rad/s); ``options`` go to
    :func:`qness.master.davies.davies`."""
    from .davies import davies

    options.setdefault("warn", False)
    return davies(H, couplings, lamb=True, **options).info["lamb_shift"]
