"""Baths with a temperature, a chemical potential and charged, spatially correlated channels.

Model
-----
A :class:`Bath` is a reservoir in the generalised Gibbs state ``exp[-(H_B - mu N)/T]`` holding
independent :class:`Channel` s.  A channel is a bath field ``X(r)`` of definite charge ``q``
(``[N, X] = q X``): when the system operator ``A`` it is coupled to acts (a decay, for ``A =
sigma^-``), the bath gains charge ``q``.  A coupling (:func:`couple`) adds

    H_int = g A (x) X(r) + h.c.      (q != 0: X non-Hermitian)
    H_int = g A (x) X(r)             (q == 0: X Hermitian, g A must be Hermitian)

Spectra (all frequencies real, ``omega > 0`` = energy given *to* the bath):

    S_down(omega) = int dt e^{ i omega t} < X^dag(t) X(0) >  = 2 pi A~(omega) phi(omega - q mu)
    S_up(omega)   = int dt e^{-i omega t} < X(t) X^dag(0) >  = 2 pi A~(omega) phi(q mu - omega)
                  = e^{-(omega - q mu)/T} S_down(omega)        (shifted KMS: a bath at q mu)

with ``phi = f_plus`` (bosons, ``x/(1 - e^{-x/T})``) or ``phi = 1 - f`` (fermions), see
:mod:`qness.baths.spectra`.  The reduced density ``A~ >= 0`` is

* ``statistics='boson'`` (normal modes, density ``J``): ``A~ = J(omega)/(omega - q mu)`` for
  ``omega > 0`` and, for ``q = 0``, ``J(|omega|)/|omega|`` for ``omega < 0`` (so
  ``S(-omega) = 2 pi J n``); for ``q != 0`` nothing at ``omega < 0``.  Needs ``q mu <`` the
  lower edge of ``J``'s support (else occupations are negative: the bath is unstable).
* ``statistics='kms'``: ``A~ = density(omega)`` given directly on the whole real axis (e.g. a
  damped magnon field, ``A(omega)/(omega - mu)``); any ``q mu`` is allowed.  For ``q = 0`` it is
  used as ``A~(|omega|)``.
* ``statistics='fermion'`` (a lead, ``q != 0``): ``2 pi A~ = 2 pi D(omega)`` the tunnelling
  density; ``S_down = 2 pi D (1 - f(omega - q mu))``, ``S_up = 2 pi D f(omega - q mu)``.

Spatial structure: ``int dt e^{i omega t} < X^dag(r_j, t) X(r_k) > = S_down(omega) K(r_j - r_k,
omega)`` with a :class:`~qness.baths.kernels.Kernel`.  The KMS partner is transposed:
``int e^{-i omega t} <X(r_j, t) X^dag(r_k)> = S_up(omega) K(r_k - r_j, omega)``, i.e.
``Gamma_up_jk = e^{-(omega - q mu)/T} Gamma_down_kj`` (equal to ``Gamma_down_jk`` for
reciprocal, real kernels).  Different channels (and different baths) are uncorrelated; in
particular cross-correlations between different charges vanish.

Plugging in another spectrum (e.g. the magnon bath of :mod:`qness.baths.magnon`)
------------------------------------------------------------------------------
Use ``statistics='kms'`` with the reduced density ``A~(omega) = S_down(omega) / (2 pi
f_plus(omega - q mu))`` (any ``A~ >= 0``; close over ``mu`` if it depends on it) and a kernel
``FunctionKernel(lambda d, w: A(w, |d|) / A(w, 0))``.  For the magnon channels of
MAGNON_MODEL.md 2.5: co-rotating (``q = +1``, ``X = psi^dag``) ``A~(w) = A_tilde_magnon(w)/2pi``;
counter-rotating (``q = -1``, ``X = psi``) ``A~(w) = A_tilde_magnon(-w)/2pi``, where
``A_tilde_magnon = A/(omega - mu)``; the coupling strengths are ``g_c`` and ``g_n``.

Interaction terms
-----------------
:func:`interaction_terms` writes the couplings as ``H_int = sum_alpha A_alpha (x) B_alpha`` with
the set Hermitian as a whole (``A (x) X`` and ``A^dag (x) X^dag`` as separate alphas), and
:func:`spectral_matrix` returns ``gamma_ab(omega) = int dt e^{i omega t} <B_a^dag(t) B_b(0)>``,
Hermitian PSD for every omega.  The master-equation builders in :mod:`qness.master` share this.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._checks import check_psd, to_operator
from ..errors import DimensionError, InvalidInputError
from .kernels import Independent, Kernel, as_positions
from .spectra import (
    SpectralDensity,
    check_temperature,
    f_plus,
    fermi_plus,
)

STATISTICS = ("boson", "kms", "fermion")


# ----------------------------------------------------------------------------- channel
@dataclass(frozen=True, eq=False)
class Channel:
    """One bath field of definite charge (frozen; compare by identity).

    Parameters
    ----------
    density : SpectralDensity or callable
        ``J(omega)`` (bosons, ``omega > 0``), the reduced density ``A~(omega) >= 0`` on the
        real axis (``'kms'``), or the tunnelling density ``D(omega)`` (``'fermion'``); units of
        frequency (``'kms'``: dimensionless).  Callables take and return numpy arrays.
    charge : float
        ``q``: bath charge deposited when the coupled system operator acts.
    kernel : Kernel
        Spatial correlation kernel (default :class:`~qness.baths.kernels.Independent`).
    statistics : {'boson', 'kms', 'fermion'}
    name : str
    """

    density: SpectralDensity | Callable[[np.ndarray], np.ndarray]
    charge: float = 0.0
    kernel: Kernel = field(default_factory=Independent)
    statistics: str = "boson"
    name: str = ""

    def __post_init__(self) -> None:
        if self.statistics not in STATISTICS:
            raise InvalidInputError(f"statistics must be one of {STATISTICS}, "
                                    f"got {self.statistics!r}")
        q = float(self.charge)
        if not np.isfinite(q):
            raise InvalidInputError(f"charge must be finite, got {self.charge!r}")
        if self.statistics == "fermion" and q == 0:
            raise InvalidInputError("a fermionic channel must carry a charge != 0 (e.g. 1)")
        if not callable(self.density):
            raise InvalidInputError("density must be a SpectralDensity or a callable")
        if not isinstance(self.kernel, Kernel):
            raise InvalidInputError("kernel must be a qness.baths.kernels.Kernel")

    # -- validation against a bath state
    def check_state(self, T: float, mu: float) -> None:
        """Raise if ``(T, mu)`` is not allowed for this channel (bosonic stability)."""
        check_temperature(T)
        qmu = float(self.charge) * float(mu)
        if self.statistics == "boson" and isinstance(self.density, SpectralDensity) and qmu > 0:
            lo = self.density.support[0]
            if qmu >= lo:
                raise InvalidInputError(
                    f"mu = {mu:g} gives channel {self.name or '(unnamed)'} (charge "
                    f"{self.charge:g}) the chemical potential q*mu = {qmu:g} >= {lo:g}, the "
                    f"lower edge of its spectral support: Bose occupations n(omega - q mu) would "
                    f"be negative. Allowed range: q*mu < {lo:g}, i.e. mu "
                    f"{'<' if self.charge > 0 else '>'} {lo / self.charge:g}")

    # -- spectra
    def reduced(self, omega: np.ndarray, mu: float = 0.0) -> np.ndarray:
        """``A~(omega) >= 0`` on the real axis (see the module docstring)."""
        w = np.asarray(omega, dtype=float)
        q = float(self.charge)
        if self.statistics == "boson":
            if q == 0:
                if isinstance(self.density, SpectralDensity):
                    return np.asarray(self.density.reduced(w), dtype=float)
                # plain callable: J(|w|)/|w|, with the slope J(h)/h at w = 0
                aw = np.abs(w)
                h = 1e-10 * max(float(np.max(aw, initial=0.0)), 1.0)
                return _safe_ratio(self.density(np.where(aw == 0, h, aw)), np.where(aw == 0, h, aw))
            x = w - q * mu
            j = np.where(w > 0, np.asarray(self.density(np.where(w > 0, w, 1.0)), float), 0.0)
            if np.any((j > 0) & (x <= 0)):
                raise InvalidInputError(
                    f"mu = {mu:g}: channel {self.name or '(unnamed)'} has spectral weight at "
                    f"omega <= q*mu = {q * mu:g}, where Bose occupations are negative; allowed: "
                    "q*mu below the support of J")
            return _safe_ratio(j, x)
        if self.statistics == "kms":
            red = np.asarray(self.density(np.abs(w) if q == 0 else w), dtype=float)
        else:
            red = np.asarray(self.density(w), dtype=float)
        if np.any(red < 0) or np.any(np.isnan(red)):
            raise InvalidInputError(
                f"channel {self.name or '(unnamed)'}: density must be >= 0 on the real axis "
                f"(got min {np.nanmin(red):.3g}); for 'kms' it is A~ = S_down / f_plus")
        return red

    def _phi(self, x: np.ndarray, T: float) -> np.ndarray:
        return fermi_plus(x, T) if self.statistics == "fermion" else f_plus(x, T)

    def down(self, omega: Any, T: float, mu: float = 0.0) -> np.ndarray:
        """Emission spectrum ``S_down(omega) = int dt e^{i omega t} <X^dag(t) X>`` (rad/s)."""
        w = np.asarray(omega, dtype=float)
        out = 2 * np.pi * self.reduced(w, mu) * self._phi(w - self.charge * mu, T)
        return np.where(np.isnan(out), 0.0, out)

    def up(self, omega: Any, T: float, mu: float = 0.0) -> np.ndarray:
        """Absorption spectrum ``S_up(omega) = e^{-(omega - q mu)/T} S_down(omega)`` (rad/s)."""
        w = np.asarray(omega, dtype=float)
        out = 2 * np.pi * self.reduced(w, mu) * self._phi(self.charge * mu - w, T)
        return np.where(np.isnan(out), 0.0, out)


def _safe_ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(num == 0, 0.0, num / np.where(den == 0, np.nan, den))
    return np.where(np.isnan(out), np.inf, out)


# ----------------------------------------------------------------------------- bath
@dataclass(frozen=True, eq=False)
class Bath:
    """A reservoir at temperature ``T >= 0`` and chemical potential ``mu`` (rad/s).

    Parameters
    ----------
    T : float
        Temperature ``k_B T / hbar`` (>= 0).
    mu : float
        Chemical potential of the bath charge; channel ``q`` sees ``q * mu``.
    channels : sequence of Channel, or a single Channel
        Unnamed channels are called ``'c0'``, ``'c1'``, ... .
    name : str

    ``bath['name']`` (or ``bath[0]``) returns the :class:`BathChannel` to pass to
    :func:`couple`.  Baths compare by identity: two baths at equal ``(T, mu)`` are still two
    independent reservoirs (e.g. the two leads of a junction).
    """

    T: float
    mu: float = 0.0
    channels: tuple[Channel, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "T", check_temperature(self.T))
        mu = float(self.mu)
        if not np.isfinite(mu):
            raise InvalidInputError(f"mu must be finite, got {self.mu!r}")
        object.__setattr__(self, "mu", mu)
        chans = (self.channels,) if isinstance(self.channels, Channel) else tuple(self.channels)
        if not chans:
            raise InvalidInputError("a Bath needs at least one Channel")
        named = []
        for i, ch in enumerate(chans):
            if not isinstance(ch, Channel):
                raise InvalidInputError(f"channels[{i}] must be a Channel, got {type(ch)}")
            if not ch.name:
                ch = Channel(ch.density, ch.charge, ch.kernel, ch.statistics, f"c{i}")
            ch.check_state(self.T, mu)
            named.append(ch)
        names = [c.name for c in named]
        if len(set(names)) != len(names):
            raise InvalidInputError(f"channel names must be unique, got {names}")
        object.__setattr__(self, "channels", tuple(named))
        object.__setattr__(self, "_views", tuple(BathChannel(self, c) for c in named))

    def __getitem__(self, key: int | str) -> BathChannel:
        if isinstance(key, (int, np.integer)):
            return self._views[int(key)]
        for v in self._views:
            if v.channel.name == key:
                return v
        raise InvalidInputError(f"bath has no channel {key!r}; channels: "
                                f"{[c.name for c in self.channels]}")

    def __iter__(self):
        return iter(self._views)

    def __len__(self) -> int:
        return len(self.channels)

    def __repr__(self) -> str:
        chans = ", ".join(f"{c.name}(q={c.charge:g}, {c.statistics})" for c in self.channels)
        return f"Bath({self.name or 'unnamed'}, T={self.T:g}, mu={self.mu:g}: {chans})"


@dataclass(frozen=True, eq=False)
class BathChannel:
    """A channel together with the bath state it lives in (what couplings refer to)."""

    bath: Bath
    channel: Channel

    @property
    def T(self) -> float:
        return self.bath.T

    @property
    def mu(self) -> float:
        return self.bath.mu

    @property
    def charge(self) -> float:
        return float(self.channel.charge)

    @property
    def effective_mu(self) -> float:
        """``q mu``: the chemical potential this channel presents to the system."""
        return self.charge * self.bath.mu

    @property
    def kernel(self) -> Kernel:
        return self.channel.kernel

    @property
    def label(self) -> str:
        return f"{self.bath.name or 'bath'}:{self.channel.name}"

    def down(self, omega: Any) -> np.ndarray:
        return self.channel.down(omega, self.bath.T, self.bath.mu)

    def up(self, omega: Any) -> np.ndarray:
        return self.channel.up(omega, self.bath.T, self.bath.mu)

    def rate_matrix(self, positions: Sequence | np.ndarray, omega: float,
                    direction: str = "down") -> np.ndarray:
        """``Gamma_jk(omega) = S(omega) K(r_j - r_k, omega)`` (``'down'``) or the KMS partner
        ``S_up(omega) K(r_k - r_j, omega)`` (``'up'``), checked Hermitian PSD."""
        k = self.kernel.matrix(positions, omega)
        if direction == "down":
            return float(self.down(omega)) * k
        if direction == "up":
            return float(self.up(omega)) * k.T
        raise InvalidInputError(f"direction must be 'down' or 'up', got {direction!r}")

    def __repr__(self) -> str:
        return f"BathChannel({self.label}, q={self.charge:g}, T={self.T:g}, mu={self.mu:g})"


def fermionic_lead(T: float, mu: float, density: SpectralDensity | Callable, *,
                   charge: float = 1.0, kernel: Kernel | None = None,
                   name: str = "lead") -> Bath:
    """A fermionic lead at ``(T, mu)`` with tunnelling density ``D(omega)`` (``2 pi D`` is the
    tunnelling rate).  Couple the system operator that *removes* a particle (e.g. ``sigma^-`` of
    a single level, ``|e>`` = occupied): ``S_down = 2 pi D (1 - f(omega - mu))`` is the rate out,
    ``S_up = 2 pi D f(omega - mu)`` the rate in."""
    ch = Channel(density, charge, kernel or Independent(), "fermion", "tunnel")
    return Bath(T, mu, (ch,), name)


# ----------------------------------------------------------------------------- couplings
@dataclass(frozen=True, eq=False)
class Coupling:
    """``g A (x) X(r) (+ h.c. if q != 0)`` with ``A`` a dense ``(d, d)`` system operator."""

    operator: np.ndarray
    channel: BathChannel
    position: np.ndarray
    strength: complex = 1.0

    @property
    def scaled(self) -> np.ndarray:
        return self.strength * self.operator


def couple(operator: Any, channel: BathChannel | Bath, position: Any = 0.0,
           strength: complex = 1.0) -> Coupling:
    """Couple a system operator to a bath channel at a position.

    Parameters
    ----------
    operator : (d, d) operator
        ``A`` (dense, sparse or Qobj), e.g. ``space.embed(sigmam(), j)``.
    channel : BathChannel or Bath
        ``bath['name']``; a one-channel :class:`Bath` may be passed directly.
    position : float or vector
        Position of the coupling point (enters the kernel).
    strength : complex
        ``g`` (the coupling constant; rates scale as ``|g|^2``).

    For ``q != 0`` the coupling is ``g A (x) X + h.c.``; for ``q = 0`` it is ``g A (x) X`` with
    ``X`` Hermitian, so ``g A`` must be Hermitian (use ``A + A^dag`` otherwise).  Anisotropic,
    charge-mixing couplings are several couplings of the same ``A`` to channels of different
    charge (:func:`couple_anisotropic`).
    """
    if isinstance(channel, Bath):
        if len(channel) != 1:
            raise InvalidInputError(
                f"channel: the bath has {len(channel)} channels; pass bath['name']")
        channel = channel[0]
    if not isinstance(channel, BathChannel):
        raise InvalidInputError("channel must be bath['name'] (a BathChannel) or a Bath")
    a = to_operator(operator, "operator")
    a = np.asarray(a.toarray() if hasattr(a, "toarray") else a, dtype=complex)
    if a.ndim != 2:
        raise DimensionError(f"operator must be a single (d, d) matrix, got shape {a.shape}")
    g = complex(strength)
    if not np.isfinite(g):
        raise InvalidInputError(f"strength must be finite, got {strength!r}")
    pos = np.asarray(position, dtype=float)
    pos = as_positions(pos.reshape(1, -1) if pos.ndim == 1 else pos, "position")
    if pos.shape[0] != 1:
        raise DimensionError("position must be a single point (scalar or vector)")
    if channel.charge == 0:
        ga = g * a
        if np.max(np.abs(ga - ga.conj().T), initial=0.0) > 1e-12 * max(np.abs(ga).max(), 1e-300):
            raise InvalidInputError(
                "operator: a charge-0 channel has a Hermitian field X, so strength * operator "
                "must be Hermitian (couple A + A^dag, or use a channel with charge != 0)")
    return Coupling(a, channel, pos[0], g)


def couple_anisotropic(operator: Any, co: BathChannel, counter: BathChannel, position: Any = 0.0,
                       strength: complex = 1.0, eta: complex = 0.0) -> list[Coupling]:
    """``A (x) (g X_co + eta g X_counter) + h.c.``: the same transition coupled to two charge
    components (e.g. co- and counter-rotating magnon channels, ``eta = g_n / g_c``)."""
    out = [couple(operator, co, position, strength)]
    if eta != 0:
        out.append(couple(operator, counter, position, complex(eta) * complex(strength)))
    return out


# ----------------------------------------------------------------------------- alphas
@dataclass(frozen=True, eq=False)
class Term:
    """One ``A_alpha (x) B_alpha`` of the Hermitian set.

    ``kind``: ``'X'`` (``g A (x) X``), ``'Xd'`` (``(g A)^dag (x) X^dag``) or ``'H'`` (charge 0).
    """

    op: np.ndarray
    channel: BathChannel
    position: np.ndarray
    kind: str
    coupling: int

    @property
    def block(self) -> tuple[int, int, str]:
        """Terms in different blocks are uncorrelated."""
        return (id(self.channel.bath), id(self.channel.channel), self.kind)


def interaction_terms(couplings: Sequence[Coupling]) -> list[Term]:
    """Expand couplings into the Hermitian set ``{A_alpha (x) B_alpha}``."""
    terms: list[Term] = []
    dims = set()
    for i, c in enumerate(couplings):
        if not isinstance(c, Coupling):
            raise InvalidInputError(f"couplings[{i}] must be made by qness.baths.couple()")
        dims.add(c.operator.shape[0])
        ga = c.scaled
        if c.channel.charge == 0:
            terms.append(Term(0.5 * (ga + ga.conj().T), c.channel, c.position, "H", i))
        else:
            terms.append(Term(ga, c.channel, c.position, "X", i))
            terms.append(Term(ga.conj().T, c.channel, c.position, "Xd", i))
    if len(dims) > 1:
        raise DimensionError(f"coupling operators act on different dimensions {sorted(dims)}")
    return terms


def term_blocks(terms: Sequence[Term]) -> list[list[int]]:
    """Indices of terms grouped into mutually uncorrelated blocks (same channel and kind)."""
    order: dict[tuple, list[int]] = {}
    for i, t in enumerate(terms):
        order.setdefault(t.block, []).append(i)
    return list(order.values())


def block_correlation(terms: Sequence[Term], omega: np.ndarray) -> np.ndarray:
    """``gamma_ab(omega)`` for terms of one block: shape ``(len(omega), n, n)``.

    ``'X'``/``'H'``: ``S_down(omega) K(r_a - r_b, omega)``;
    ``'Xd'``: ``S_up(-omega) conj K(r_a - r_b, -omega)``.  For ``'H'`` with ``omega < 0`` the
    kernel is ``conj K(r_a - r_b, |omega|)`` (Hermitian field).
    """
    w = np.atleast_1d(np.asarray(omega, dtype=float))
    t0 = terms[0]
    ch = t0.channel
    pos = np.array([t.position for t in terms])
    d = pos[:, None, :] - pos[None, :, :]
    if t0.kind == "Xd":
        s = ch.up(-w)
    else:
        s = ch.down(w)
    out = np.zeros((w.size, len(terms), len(terms)), dtype=complex)
    cache: dict[float, np.ndarray] = {}
    for i, wi in enumerate(w):
        if s[i] == 0:
            continue
        if t0.kind == "X":
            key = wi
        else:
            key = -wi if t0.kind == "Xd" else abs(wi)
        if key not in cache:
            cache[key] = np.asarray(ch.kernel(d, key), dtype=complex)
        k = cache[key]
        if t0.kind == "Xd" or (t0.kind == "H" and wi < 0):
            k = k.conj()
        out[i] = s[i] * k
    return out


def spectral_matrix(terms: Sequence[Term], omega: Any, check: bool = False) -> np.ndarray:
    """``gamma_ab(omega) = int dt e^{i omega t} <B_a^dag(t) B_b(0)>``, ``(len(omega), n, n)``.

    Hermitian PSD for every omega (checked when ``check``; a failure names the kernel).
    """
    w = np.atleast_1d(np.asarray(omega, dtype=float))
    n = len(terms)
    out = np.zeros((w.size, n, n), dtype=complex)
    for idx in term_blocks(terms):
        blk = block_correlation([terms[i] for i in idx], w)
        out[:, np.ix_(idx, idx)[0], np.ix_(idx, idx)[1]] = blk
        if check:
            for i in range(w.size):
                try:
                    check_psd(blk[i], "rate matrix")
                except InvalidInputError as exc:
                    raise InvalidInputError(
                        f"rate matrix of channel {terms[idx[0]].channel.label} at omega = "
                        f"{w[i]:g} is not Hermitian PSD ({exc}); its kernel "
                        f"{terms[idx[0]].channel.kernel!r} is not a valid correlation for "
                        "these positions") from None
    return out
