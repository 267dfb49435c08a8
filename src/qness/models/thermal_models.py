"""Catalogue family B2 (one shared / thermal environment) and helpers shared with family B1.

Models (review: A. Pedram and Ö. E. Müstecaplıoğlu, "Steady-state quantum entanglement via
reservoir engineering", arXiv:2303.00490, families B1/B2):

* ``arnesen2001``  -- thermal (Gibbs) entanglement of two Heisenberg-coupled qubits;
* ``benatti2010``  -- two (possibly unequal) qubits decaying into one common bath;
* ``guarnieri2018`` -- steady-state coherence of one qubit with a composite (transverse +
  longitudinal) coupling to one bath (Bloch--Redfield).

Units: hbar = k_B = 1; every energy, rate and temperature is an angular frequency in the unit of
the model's reference frequency (``J`` or ``omega``).  Basis and tensor order are QuTiP's
(``|e>`` = index 0, qubit 0 leftmost).

The helpers (:func:`batched_generator`, :func:`ohmic_bath`, :func:`gibbs_state`,
:func:`x_state_concurrence`) are shared with :mod:`qness.models.twobath_models`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from scipy.linalg import expm
from scipy.optimize import brentq

from ..baths import Bath, Channel, Ohmic, couple
from ..errors import InvalidInputError
from ..master.davies import RegimeWarning, davies
from ..master.generator import Generator, liouvillian
from ..master.redfield import bloch_redfield
from ..measures import concurrence, l1_coherence, negativity, purity, trace_distance
from ..operators import sigmam, sigmap, sigmax, sigmay, sigmaz
from ..space import Space
from .base import ModelSpec, Parameter
from .registry import register

FAMILY_B1 = "B1: nonequilibrium (multi-bath)"
FAMILY_B2 = "B2: shared / thermal environment"

REVIEW = ("review: A. Pedram, Ö. E. Müstecaplıoğlu, 'Steady-state quantum entanglement via "
          "reservoir engineering', arXiv:2303.00490")

SPACE2 = Space.qubits(2)


# ============================================================================ shared helpers
def qubit_ops(n: int) -> dict[str, list[np.ndarray]]:
    """Dense embedded Pauli and ladder operators of ``n`` qubits (QuTiP order)."""
    space = Space.qubits(n)
    base = {"x": sigmax(), "y": sigmay(), "z": sigmaz(), "m": sigmam(), "p": sigmap()}
    return {k: [space.embed(v, j).toarray() for j in range(n)] for k, v in base.items()}


def broadcast_params(p: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[tuple[int, ...],
                                                                          dict[str, np.ndarray]]:
    """Broadcast the numeric parameters ``keys`` of ``p`` to one common shape."""
    arrays = np.broadcast_arrays(*(np.asarray(p[k], dtype=float) for k in keys))
    shape = arrays[0].shape if arrays else ()
    return shape, dict(zip(keys, arrays, strict=True))


def batched_generator(build_one: Callable[[dict[str, Any]], Generator], p: Mapping[str, Any],
                      keys: tuple[str, ...], dims: tuple[int, ...]) -> Generator:
    """Build a (possibly batched) generator from a single-point builder.

    The master-equation builders of :mod:`qness.master` act on one Hamiltonian at a time; for
    array-valued parameters each point is built separately and the dense superoperators are
    stacked into one batched :class:`Generator` (``batch_shape`` = the broadcast shape of
    ``keys``).  A scalar point returns the builder's own Lindblad generator (with its
    ``info``: dissipator parts, regime diagnostics).
    """
    shape, arrays = broadcast_params(p, keys)
    if shape == ():
        return build_one({**p, **{k: float(v) for k, v in arrays.items()}})
    mats = []
    for idx in np.ndindex(*shape):
        point = {**p, **{k: float(v[idx]) for k, v in arrays.items()}}
        mats.append(build_one(point).dense())
    d2 = mats[0].shape[-1]
    stack = np.asarray(mats).reshape(*shape, d2, d2)
    return Generator.from_matrix(stack, dims=dims, builder="per-point", batch_keys=keys)


def ohmic_bath(T: float, gamma: float, omega_ref: float, omega_c: float, name: str) -> Bath:
    """Bosonic bath at temperature ``T`` with an ohmic density ``J = alpha w e^{-w/omega_c}``.

    The channel carries charge 1: couple a lowering operator ``A`` (``sigma^-_j``) with
    :func:`qness.baths.couple`, giving the excitation-exchange interaction ``A (x) X + h.c.``
    (rotating-wave form).  Emission ``S_down(w) = 2 pi J(w) [1 + n(w)]``, absorption
    ``S_up(w) = 2 pi J(w) n(w)`` (detailed balance at ``T``, ``mu = 0``), nothing at ``w <= 0``
    (no pure dephasing).  ``alpha`` is set so that a qubit of frequency ``omega_ref`` decays at
    ``T = 0`` with rate ``gamma`` (``2 pi J(omega_ref) = gamma``).
    """
    alpha = gamma / (2 * np.pi * omega_ref * np.exp(-omega_ref / omega_c))
    return Bath(T, 0.0, Channel(Ohmic(alpha, omega_c), 1.0, name="field"), name=name)


def gibbs_state(H: np.ndarray, T: np.ndarray | float) -> np.ndarray:
    """Gibbs state ``e^{-H/T}/Z`` of (batched) Hermitian ``H`` (``(..., d, d)``); ``T = 0`` gives
    the uniform mixture of the ground space (degeneracy within ``1e-10 max|E|``)."""
    H = np.asarray(H, dtype=complex)
    E, V = np.linalg.eigh(H)
    T = np.asarray(T, dtype=float)[..., None]
    dE = E - E[..., :1]
    scale = 1e-10 * max(float(np.max(np.abs(E))), 1e-300)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        w = np.where(T > 0, np.exp(-dE / np.where(T > 0, T, 1.0)), (dE <= scale).astype(float))
    w = w / w.sum(axis=-1, keepdims=True)
    return np.einsum("...ik,...k,...jk->...ij", V, w, V.conj())


def x_state_concurrence(p_ee, p_gg, p_eg, p_ge, coh_eg_ge, coh_ee_gg=0.0) -> np.ndarray:
    """Concurrence of a two-qubit X state (closed form, Yu & Eberly):
    ``2 max(0, |rho_{eg,ge}| - sqrt(p_ee p_gg), |rho_{ee,gg}| - sqrt(p_eg p_ge))``."""
    a = np.abs(coh_eg_ge) - np.sqrt(np.asarray(p_ee) * p_gg)
    b = np.abs(coh_ee_gg) - np.sqrt(np.asarray(p_eg) * p_ge)
    return 2 * np.maximum(0.0, np.maximum(a, b))


def solve(gen: Generator, **options: Any):
    """Steady state of ``gen`` through :func:`qness.steadystate` (imported lazily)."""
    from ..steady import steadystate

    return steadystate(gen, **options)


def _davies_quiet(H: np.ndarray, couplings: list, dims: tuple[int, ...]) -> Generator:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RegimeWarning)
        return davies(H, couplings, dims=dims, warn=False)


# ============================================================================ arnesen2001
def arnesen_hamiltonian(J, Delta, B) -> np.ndarray:
    """``H = (J/2)(sx sx + sy sy + Delta sz sz) + (B/2)(sz_1 + sz_2)`` (batched)."""
    o = qubit_ops(2)
    J, Delta, B = (np.asarray(v, float)[..., None, None] for v in (J, Delta, B))
    xx = o["x"][0] @ o["x"][1] + o["y"][0] @ o["y"][1]
    zz = o["z"][0] @ o["z"][1]
    return 0.5 * J * (xx + Delta * zz) + 0.5 * B * (o["z"][0] + o["z"][1])


def arnesen_concurrence(J, Delta, B, T) -> np.ndarray:
    """Closed-form Gibbs concurrence of :func:`arnesen_hamiltonian` (derived, X state):

    ``C = max(0, (e^{J Delta/T} |sinh(J/T)| - 1) / (cosh(B/T) + e^{J Delta/T} cosh(J/T)))``,
    which for ``Delta = 1`` is ``max(0, (e^{2J/T} - 3) / (e^{2J/T} + 1 + 2 cosh(B/T)))``.
    Evaluated in an overflow-free form; ``T = 0`` is the limit from above.
    """
    J, Delta, B, T = np.broadcast_arrays(*(np.asarray(v, float) for v in (J, Delta, B, T)))
    E = np.stack([J * Delta / 2 + B, J * Delta / 2 - B, -J * Delta / 2 + J,
                  -J * Delta / 2 - J], axis=-1)                     # ee, gg, +, -
    E0 = E.min(axis=-1, keepdims=True)
    Tt = T[..., None]
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        w = np.where(Tt > 0, np.exp(-(E - E0) / np.where(Tt > 0, Tt, 1.0)),
                     (E - E0 <= 1e-12 * np.abs(E).max(axis=-1, keepdims=True)).astype(float))
    p = w / w.sum(axis=-1, keepdims=True)
    return x_state_concurrence(p[..., 0], p[..., 1], 0.5 * (p[..., 2] + p[..., 3]),
                               0.5 * (p[..., 2] + p[..., 3]), 0.5 * (p[..., 2] - p[..., 3]))


def arnesen_critical_temperature(J: float, Delta: float = 1.0) -> float:
    """Temperature above which the Gibbs state is separable (independent of ``B``).

    Solves ``e^{J Delta/T} sinh(|J|/T) = 1``; for ``Delta = 1`` (XXX) ``T_c = 2J/ln 3`` and for
    ``Delta = 0`` (XX) ``T_c = |J|/ln(1 + sqrt 2)``.  Returns 0 when the state is never
    entangled (e.g. the ferromagnetic XXX case ``J < 0``).
    """
    J, Delta = float(J), float(Delta)
    if J == 0:
        return 0.0

    def f(T: float) -> float:
        x = abs(J) / T        # log sinh(x) = x + log(1 - e^{-2x}) - log 2, overflow-free
        return J * Delta / T + x + np.log(-np.expm1(-2 * x)) - np.log(2.0)

    lo, hi = 1e-3 * abs(J), 1e3 * abs(J) * (1 + abs(Delta))
    if f(lo) <= 0:
        return 0.0
    return float(brentq(f, lo, hi, xtol=1e-14 * abs(J)))


def isotropic_bath(T: float, gamma: float, omega_ref: float, omega_c: float, name: str) -> Bath:
    """Bath with three independent charge-0 ohmic fields ``X, Y, Z`` at temperature ``T``
    (couple ``sigma^x_j, sigma^y_j, sigma^z_j`` of one qubit to them: an isotropic spin-bath
    coupling).  ``alpha`` gives a ``T = 0`` transverse decay rate ``gamma`` at ``omega_ref``."""
    alpha = gamma / (2 * np.pi * omega_ref * np.exp(-omega_ref / omega_c))
    dens = Ohmic(alpha, omega_c)
    return Bath(T, 0.0, tuple(Channel(dens, 0.0, name=k) for k in "xyz"), name=name)


def _arnesen_one(p: dict[str, Any]) -> Generator:
    H = arnesen_hamiltonian(p["J"], p["Delta"], p["B"])
    scale = max(abs(p["J"]), abs(p["B"]), 1e-300)
    o = qubit_ops(2)
    couplings = []
    for j in range(2):
        bath = isotropic_bath(p["T"], p["gamma"], scale, p["omega_c"] * scale, f"bath{j}")
        couplings += [couple(o[k][j], bath[k]) for k in "xyz"]
    return _davies_quiet(H, couplings, (2, 2))


def arnesen_build(p: dict[str, Any]) -> Generator:
    """Davies generator: each qubit couples isotropically (``sigma^{x,y,z}_j``) to its own bath
    at ``T`` (the SU(2)-invariant XXX Hamiltonian with a single coupling direction would
    conserve a total spin component and leave the steady state non-unique)."""
    return batched_generator(_arnesen_one, p, ("J", "Delta", "B", "T", "gamma", "omega_c"), (2, 2))


def arnesen_analyse(state: Any, gen: Generator, p: dict[str, Any]) -> dict[str, Any]:
    rho = state.rho
    H = arnesen_hamiltonian(p["J"], p["Delta"], p["B"])
    gibbs = gibbs_state(H, p["T"])
    shape, a = broadcast_params(p, ("J", "Delta"))
    tc = np.vectorize(arnesen_critical_temperature)(a["J"], a["Delta"])
    return {
        "concurrence": concurrence(rho),
        "concurrence_gibbs": concurrence(gibbs),
        "concurrence_closed_form": arnesen_concurrence(p["J"], p["Delta"], p["B"], p["T"]),
        "T_critical": tc if shape else float(tc),
        "distance_to_gibbs": trace_distance(rho, gibbs),
        "negativity": negativity(rho, [2, 2], 0),
        "purity": purity(rho),
    }


def _check_arnesen(p: dict[str, Any]) -> None:
    if np.any((np.asarray(p["J"]) == 0) & (np.asarray(p["B"]) == 0)):
        raise InvalidInputError("J and B must not both be 0 (H = 0 has no thermalising "
                                "Bohr frequencies)")


ARNESEN = register(ModelSpec(
    name="arnesen2001",
    title="Thermal entanglement of two Heisenberg XX/XXX/XXZ qubits (Gibbs = Davies state)",
    family=FAMILY_B2,
    reference="M. C. Arnesen, S. Bose, V. Vedral, 'Natural thermal and magnetic entanglement in "
              "the 1D Heisenberg model', Phys. Rev. Lett. 87, 017901 (2001), quant-ph/0009060",
    parameters=(
        Parameter("J", 1.0, "1 (energy unit)", "exchange coupling (J > 0 antiferromagnet)"),
        Parameter("Delta", 1.0, "1", "XXZ anisotropy (1: XXX, 0: XX)"),
        Parameter("B", 0.0, "J", "magnetic field, (B/2)(sz_1 + sz_2)"),
        Parameter("T", 0.5, "J", "temperature of the bath(s)", low=0.0),
        Parameter("gamma", 0.01, "J", "bath coupling: T = 0 decay rate at frequency |J|",
                  low=0.0, low_inclusive=False),
        Parameter("omega_c", 10.0, "|J|", "ohmic cutoff frequency", low=0.0,
                  low_inclusive=False),
    ),
    build=arnesen_build,
    analyse=arnesen_analyse,
    check=_check_arnesen,
    doc="""Arnesen, Bose, Vedral, PRL 87, 017901 (2001), quant-ph/0009060: two-qubit case.

Hamiltonian (hbar = k_B = 1, energies in units of J):
    H = (J/2) (sx1 sx2 + sy1 sy2 + Delta sz1 sz2) + (B/2) (sz1 + sz2).
Paper's convention (stored copy of the PRL's first page): the chain is written with Pauli
matrices s_i = (sx, sy, sz)_i, exchange J_p (> 0 antiferromagnetic), a field along z and
cyclic boundary conditions.  One bond J_p s1.s2 + B_p (sz1 + sz2) is this model with
J = 2 J_p, B = 2 B_p (if the two-site ring counts its bond twice, J = 4 J_p).  The
convention-free statement is that the Gibbs state is entangled iff the singlet-triplet gap
exceeds T ln 3.
Environment: each qubit couples isotropically, s^x_j X_j + s^y_j Y_j + s^z_j Z_j, to its own
bath of three independent ohmic fields (cutoff omega_c, T = 0 transverse rate gamma), both
at temperature T.  (A single coupling direction, e.g. s^x_j only, conserves the total spin
component along it for the SU(2)-invariant XXX Hamiltonian and leaves the steady state
non-unique.)  Master equation: global secular (Davies) Lindblad form, whose unique steady
state is the Gibbs state exp(-H/T)/Z (checked; analyse reports distance_to_gibbs).
Units: J = 1 (energy, temperature), hbar = k_B = 1.
Defaults: J = 1, Delta = 1 (XXX), B = 0, T = 0.5, gamma = 0.01, omega_c = 10.
Paper's headline (abstract): antiferromagnetic entanglement can be INCREASED by raising the
temperature or the field.  For two qubits the temperature part holds beyond the level
crossing |B| > 2J (ground state |gg>, C(T = 0) = 0 < C(T > 0)) -- tested; the paper's numbers
could not be read, so the quantitative checks are DERIVED closed forms:
    C(T) = max(0, (e^{2J/T} - 3)/(e^{2J/T} + 1 + 2 cosh(B/T))),  T_c = 2J/ln 3 ~ 1.820 J
    (= 4 J_p/ln 3 in the paper's one-bond units), independent of B;
    XX model (Delta = 0): T_c = J/ln(1 + sqrt 2) ~ 1.135 J.
Outputs: concurrence of the Davies steady state, of the Gibbs state, the closed form, T_c.""",
))


# ============================================================================ benatti2010
def benatti_hamiltonian(omega1, omega2) -> np.ndarray:
    o = qubit_ops(2)
    w1, w2 = (np.asarray(v, float)[..., None, None] for v in (omega1, omega2))
    return 0.5 * w1 * o["z"][0] + 0.5 * w2 * o["z"][1]


def _bose(omega: float, T: float) -> float:
    return 0.0 if T == 0 else float(1.0 / np.expm1(omega / T))


def _benatti_one(p: dict[str, Any]) -> Generator:
    o = qubit_ops(2)
    w = (p["omega1"], p["omega2"])
    n = [_bose(wj, p["T"]) for wj in w]
    c = p["c"]
    corr = np.array([[1.0, c], [c, 1.0]])
    down = np.sqrt([p["gamma"] * (1 + nj) for nj in n])
    up = np.sqrt([p["gamma"] * nj for nj in n])
    correlated = [(np.outer(down, down) * corr, [o["m"][0], o["m"][1]])]
    if p["T"] > 0:
        correlated.append((np.outer(up, up) * corr, [o["p"][0], o["p"][1]]))
    gen = liouvillian(benatti_hamiltonian(w[0], w[1]), [], correlated=correlated, dims=(2, 2))
    gen.info.update({"bose_occupation": n, "rho0": benatti_initial_state()})
    return gen


def benatti_initial_state() -> np.ndarray:
    """``|eg><eg|``: one atom excited (the state the paper's asymptotic entanglement is reached
    from; equal singlet and triplet-zero weights)."""
    rho = np.zeros((4, 4), complex)
    rho[1, 1] = 1.0
    return rho


def benatti_build(p: dict[str, Any]) -> Generator:
    """Kossakowski--Lindblad generator with cross-correlated decay through one common bath."""
    gen = batched_generator(_benatti_one, p, ("omega1", "omega2", "gamma", "T", "c"), (2, 2))
    gen.info.setdefault("rho0", benatti_initial_state())
    return gen


def benatti_closed_form(omega, T, singlet_population=0.5) -> np.ndarray:
    """Concurrence reached for identical atoms in a fully common bath (derived): the singlet
    population ``p_S`` is conserved and the triplet is thermal, ``(p_ee, p_T0, p_gg) ∝ (x^2, x,
    1)`` with ``x = e^{-omega/T}``; ``C = max(0, |p_T0 - p_S| - 2 sqrt(p_ee p_gg))``."""
    omega, T, pS = np.broadcast_arrays(*(np.asarray(v, float) for v in
                                         (omega, T, singlet_population)))
    with np.errstate(divide="ignore", over="ignore"):
        x = np.where(T > 0, np.exp(-omega / np.where(T > 0, T, 1.0)), 0.0)
    z = 1 + x + x * x
    pt = 1 - pS
    p_ee, p_t0, p_gg = pt * x * x / z, pt * x / z, pt / z
    return np.maximum(0.0, np.abs(p_t0 - pS) - 2 * np.sqrt(p_ee * p_gg))


def benatti_concurrence_dynamics(times, omega1: float = 1.0, omega2: float = 1.2,
                                 gamma: float = 0.05, T: float = 0.0, c: float = 1.0
                                 ) -> np.ndarray:
    """Concurrence ``C(t)`` from ``|eg>`` under the benatti2010 generator (exact propagation
    ``exp(L t)``, column-stacked ``L``) at the given ``times`` (units of 1/omega1)."""
    gen = _benatti_one({"omega1": omega1, "omega2": omega2, "gamma": gamma, "T": T, "c": c})
    L = gen.dense()
    v0 = benatti_initial_state().reshape(-1, order="F")
    rhos = [(expm(L * float(t)) @ v0).reshape(4, 4, order="F") for t in np.atleast_1d(times)]
    return np.asarray(concurrence(np.asarray(rhos)))


def benatti_analyse(state: Any, gen: Generator, p: dict[str, Any]) -> dict[str, Any]:
    rho = state.rho
    singlet = np.array([0, 1, -1, 0]) / np.sqrt(2)
    p_s = np.einsum("i,...ij,j->...", singlet, rho, singlet).real
    return {
        "concurrence": concurrence(rho),
        "negativity": negativity(rho, [2, 2], 0),
        "singlet_population": p_s,
        "concurrence_closed_form_identical": benatti_closed_form(p["omega1"], p["T"], p_s),
        "purity": purity(rho),
    }


BENATTI = register(ModelSpec(
    name="benatti2010",
    title="Two (unequal) qubits entangled by decay into one common bath",
    family=FAMILY_B2,
    reference="F. Benatti, R. Floreanini, U. Marzolino, 'Entangling two unequal atoms through a "
              "common bath', Phys. Rev. A 81, 012105 (2010), arXiv:0912.0354",
    parameters=(
        Parameter("omega1", 1.0, "1 (frequency unit)", "frequency of qubit 1", low=0.0,
                  low_inclusive=False),
        Parameter("omega2", 1.0, "omega1", "frequency of qubit 2", low=0.0, low_inclusive=False),
        Parameter("gamma", 0.05, "omega1", "single-qubit decay rate (T = 0)", low=0.0,
                  low_inclusive=False),
        Parameter("T", 0.0, "omega1", "bath temperature", low=0.0),
        Parameter("c", 1.0, "1", "bath correlation between the qubits (1: one common bath)",
                  low=0.0, high=1.0),
    ),
    build=benatti_build,
    analyse=benatti_analyse,
    doc="""Benatti, Floreanini, Marzolino, PRA 81, 012105 (2010), arXiv:0912.0354: two atoms,
no direct coupling, immersed in one common thermal bath.

Hamiltonian: H = (omega1/2) sz1 + (omega2/2) sz2 (no interaction).
Dissipators (Kossakowski/Lehmberg form, Lindblad, correlated):
    sum_jk Gd_jk D[s_k^-, s_j^-] + Gu_jk D[s_k^+, s_j^+],
    Gd_jk = c_jk sqrt(gamma^2 (1+n_j)(1+n_k)),  Gu_jk = c_jk sqrt(gamma^2 n_j n_k),
    c_jj = 1, c_12 = c,  n_j = 1/(e^{omega_j/T} - 1).
Master equation: Markovian Lindblad form that keeps the cross terms for unequal frequencies
(non-secular in the atom index, as in a common-bath Kossakowski matrix; the paper derives such
terms from a time-coarse-grained Markov limit); the Lamb shift is neglected.  The standard
(secular) weak-coupling limit drops the cross terms between different frequencies, which here
is c = 0.  Units: omega1 = 1, hbar = k_B = 1.
Defaults: omega1 = omega2 = 1, gamma = 0.05, T = 0, c = 1.
Paper's claim (abstract): the refined dynamics entangles two atoms even when their frequencies
are unequal, impossible in the standard weak-coupling limit.  Reproduced qualitatively (the
paper's numbers could not be read): from |eg> with omega2 = 1.2 omega1 the transient
concurrence reaches ~0.27 with the cross terms and stays exactly 0 with c = 0
(benatti_concurrence_dynamics); the steady state of unequal atoms is unique and separable.
Identical atoms, c = 1: the singlet is decoupled, the steady state is NOT unique, and the state
reached from |eg> (the model's rho0 hint) has C = 1/2 at T = 0 (derived; closed form at T > 0 in
concurrence_closed_form_identical).  Unequal frequencies or c < 1 make it unique.""",
))


# ============================================================================ guarnieri2018
def guarnieri_coupling(theta) -> np.ndarray:
    """Composite coupling operator ``cos(theta) sigma^x + sin(theta) sigma^z``."""
    th = np.asarray(theta, float)[..., None, None]
    return np.cos(th) * sigmax() + np.sin(th) * sigmaz()


def _guarnieri_one(p: dict[str, Any]) -> Generator:
    H = 0.5 * p["omega"] * sigmaz()
    alpha = p["alpha"]
    bath = Bath(p["T"], 0.0, Channel(Ohmic(alpha, p["omega_c"] * p["omega"]), 0.0,
                                     name="field"), name="bath")
    cp = couple(guarnieri_coupling(p["theta"]), bath)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RegimeWarning)
        return bloch_redfield(H, [cp], dims=(2,), lamb=p["lamb"], warn=False)


def guarnieri_build(p: dict[str, Any]) -> Generator:
    """Bloch--Redfield (non-secular) generator of the qubit with composite coupling."""
    return batched_generator(_guarnieri_one, p, ("omega", "theta", "alpha", "omega_c", "T"), (2,))


def guarnieri_coherence(omega=1.0, theta=np.pi / 4, alpha=0.01, omega_c=10.0, T=0.5,
                        lamb=True) -> float:
    """l1 coherence of the Redfield steady state at one parameter point (convenience)."""
    p = {"omega": omega, "theta": theta, "alpha": alpha, "omega_c": omega_c, "T": T,
         "lamb": lamb}
    return float(l1_coherence(solve(_guarnieri_one(p), on_fail="flag").rho))


def guarnieri_analyse(state: Any, gen: Generator, p: dict[str, Any]) -> dict[str, Any]:
    rho = state.rho
    return {
        "l1_coherence": l1_coherence(rho),
        "rho_eg": rho[..., 0, 1],
        "excited_population": rho[..., 0, 0].real,
        "min_eigenvalue": state.min_eigenvalue,
    }


GUARNIERI = register(ModelSpec(
    name="guarnieri2018",
    title="Steady-state coherence of a qubit from a composite system-bath coupling",
    family=FAMILY_B2,
    reference="G. Guarnieri, M. Kolář, R. Filip, 'Steady-state coherences by composite "
              "system-bath interactions', Phys. Rev. Lett. 121, 070401 (2018), arXiv:1802.08283",
    parameters=(
        Parameter("omega", 1.0, "1 (frequency unit)", "qubit frequency", low=0.0,
                  low_inclusive=False),
        Parameter("theta", float(np.pi / 4), "rad", "coupling angle: cos(theta) sx + "
                  "sin(theta) sz", low=0.0, high=float(np.pi / 2), high_inclusive=False),
        Parameter("alpha", 0.01, "1", "ohmic coupling strength", low=0.0, low_inclusive=False),
        Parameter("omega_c", 10.0, "omega", "ohmic cutoff", low=0.0, low_inclusive=False),
        Parameter("T", 0.5, "omega", "bath temperature", low=0.0),
        Parameter("lamb", True, "1", "keep the principal-value (Lamb-shift) part of the "
                  "Redfield tensor; without it the steady coherence vanishes",
                  choices=(True, False)),
    ),
    build=guarnieri_build,
    analyse=guarnieri_analyse,
    solver_options={"on_fail": "flag"},
    doc="""Guarnieri, Kolář, Filip, PRL 121, 070401 (2018), arXiv:1802.08283.

Hamiltonian: H = (omega/2) sz.  Interaction: (cos(theta) sx + sin(theta) sz) (x) B with B a
Hermitian bosonic field, ohmic J(w) = alpha w e^{-w/omega_c}, at temperature T.
Dissipators / master equation: Bloch--Redfield (second order, non-secular) WITH the
principal-value part of the bath correlation (lamb = True, the default) -- the secular
(Davies) form gives the Gibbs state with zero coherence, and so does Redfield without the
principal values (checked against QuTiP's bloch_redfield_tensor, which drops them).  The
imaginary parts of the cross correlations between the transverse (w = +-omega) and
longitudinal (w = 0) components feed a steady coherence rho_eg of order alpha sin(2 theta).
Measure: l1-norm coherence (qness.measures.l1_coherence), not entanglement.  Redfield is not
completely positive: min_eigenvalue is reported and validation failures are flagged rather
than raised.  Units: omega = 1, hbar = k_B = 1.
Defaults: omega = 1, theta = pi/4, alpha = 0.01, omega_c = 10, T = 0.5, lamb = True.
Paper's claims (abstract): the steady coherence needs the composite coupling, does not depend
on the initial state, and grows as the bath is cooled -- all three tested (theta = 0 gives
none; unique steady state; C_l1 increases as T decreases).  The paper's numbers were not
accessible; the quantitative checks are derived: leading order ~ sin(2 theta) at weak
coupling; Redfield without principal values agrees with QuTiP's Bloch--Redfield tensor (zero
coherence).  theta = pi/2 (pure dephasing) has no unique steady state and is excluded.""",
))
