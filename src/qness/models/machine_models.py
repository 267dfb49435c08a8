"""Autonomous quantum thermal machines for steady-state entanglement (family B1).

Models ``brask2015``, ``brask2015-qutrit`` and ``man2019`` from the review of Pedram and
Müstecaplıoğlu, "Steady-state quantum entanglement via reservoir engineering" (arXiv:2303.00490),
section on nonequilibrium (multi-bath) schemes.

Common setting (hbar = k_B = 1; every energy, rate and temperature is in units of the level
spacing ``E``, which is the default ``E = 1``): two resonant systems, the first ("hot", site 0)
coupled to a bath at ``T_h``, the second ("cold", site 1) to a bath at ``T_c``, exchange-coupled
with strength ``g``.  Nothing is driven; the steady state is entangled only out of equilibrium
(``T_h != T_c``) because a heat current flows through the exchange coupling.

Bath models (both *local*: the dissipators act on each site separately, built from the bare
site Hamiltonian, valid for ``g`` small compared with ``E`` and the bath spectral scales):

* ``reset`` (the form used by Brask et al. 2015): each site is replaced by its local thermal
  state ``tau_i`` at rate ``p_i``,  ``L_i rho = p_i (tau_i (x) Tr_i rho - rho)``.  It is written in
  Lindblad form with jumps ``sqrt(p_i tau_i[a]) |a><b|`` (all ``a, b``), so the generator is an
  ordinary Lindbladian.
* ``lindblad``: thermal amplitude damping ``p_i (1 + n_i) D[s_i^-] + p_i n_i D[s_i^+]`` with
  Bose occupations ``n_i = 1/(exp(E/T_i) - 1)`` (``p_i`` is then the zero-temperature decay
  rate).

Basis conventions: a qubit has index 0 = excited (QuTiP, ``sigma_z = +1``); the qutrit of
``brask2015-qutrit`` uses index = number of excitations (0 = ground, ladder 0, E, 2E).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InvalidInputError
from ..master.generator import Generator, liouvillian
from ..measures import (
    bell_fidelities,
    concurrence,
    log_negativity,
    negativity,
    partial_trace,
    purity,
)
from ..operators import sigmam
from .base import ModelSpec, Parameter
from .registry import register

BRASK_REFERENCE = ("J. B. Brask, G. Haack, N. Brunner, M. Huber, 'Autonomous quantum thermal "
                   "machine for generating steady-state entanglement', New J. Phys. 17, 113029 "
                   "(2015), arXiv:1504.00187")
MAN_REFERENCE = ("Z.-X. Man, A. Tavakoli, J. B. Brask, Y.-J. Xia, 'Improving autonomous thermal "
                 "entanglement generation using a common reservoir', Phys. Scr. 94, 075101 "
                 "(2019), arXiv:1902.04022 (journal and arXiv id not verified: no stored copy "
                 "of the paper was found)")
FAMILY = "B1: nonequilibrium (multi-bath)"
BATH_MODELS = ("reset", "lindblad")


# ----------------------------------------------------------------------------- thermal helpers
def bose(E: Any, T: Any) -> np.ndarray:
    """Bose occupation ``1/(exp(E/T) - 1)`` (``E > 0``), exactly 0 at ``T = 0``, no overflow."""
    E, T = np.broadcast_arrays(np.asarray(E, float), np.asarray(T, float))
    x = np.divide(E, T, out=np.full(E.shape, np.inf), where=T > 0)
    return np.exp(-x) / -np.expm1(-x)


def thermal_populations(E: Any, T: Any, levels: int) -> np.ndarray:
    """Gibbs populations of an equally spaced ladder ``0, E, ..., (levels-1) E`` at ``T``.

    Returns ``(..., levels)``, index = number of excitations; exact ``(1, 0, ...)`` at ``T = 0``.
    """
    E, T = np.broadcast_arrays(np.asarray(E, float), np.asarray(T, float))
    x = np.divide(E, T, out=np.full(E.shape, np.inf), where=T > 0)
    k = np.arange(levels)
    with np.errstate(invalid="ignore"):
        w = np.exp(-x[..., None] * k)
    w[..., 0] = 1.0  # exp(-inf * 0) is nan: the ground state always has weight 1
    return w / w.sum(axis=-1, keepdims=True)


def qubit_excited_population(E: Any, T: Any) -> np.ndarray:
    """``r = 1/(1 + exp(E/T))``: excited population of a thermal qubit (0 at ``T = 0``)."""
    return thermal_populations(E, T, 2)[..., 1]


# ----------------------------------------------------------------------------- operators
def _kron_site(op: np.ndarray, site: int, dims: tuple[int, ...]) -> np.ndarray:
    out = np.ones((1, 1), complex)
    for j, d in enumerate(dims):
        out = np.kron(out, op if j == site else np.eye(d))
    return out


def qubit_lowering() -> np.ndarray:
    """Qubit ``s^- = |g><e|`` in QuTiP order (index 0 = excited)."""
    return sigmam()


def ladder_lowering(levels: int) -> np.ndarray:
    """``b = sum_k |k><k+1|`` (index = excitations; unit matrix elements, not sqrt(k))."""
    return np.diag(np.ones(levels - 1), 1).astype(complex)


def _site_levels(dim: int) -> np.ndarray:
    """Map a site's basis index to its number of excitations (qubits: index 0 = excited)."""
    return np.array([1, 0]) if dim == 2 else np.arange(dim)


def local_hamiltonian(E: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
    """``H_0 = E sum_i N_i`` with ``N_i`` the excitation number of site ``i``; ``(..., D, D)``."""
    n_tot = sum(_kron_site(np.diag(_site_levels(d)).astype(complex), j, dims)
                for j, d in enumerate(dims))
    return np.asarray(E, float)[..., None, None] * n_tot


def site_lowering(dim: int) -> np.ndarray:
    return qubit_lowering() if dim == 2 else ladder_lowering(dim)


def exchange(dims: tuple[int, ...]) -> np.ndarray:
    """``V = A_0^+ A_1 + A_0 A_1^+`` with ``A_i`` the lowering operator of site ``i``."""
    a0 = _kron_site(site_lowering(dims[0]), 0, dims)
    a1 = _kron_site(site_lowering(dims[1]), 1, dims)
    v = a0.conj().T @ a1
    return v + v.conj().T


def reset_jumps(p: np.ndarray, pops: np.ndarray, site: int,
                dims: tuple[int, ...]) -> list[np.ndarray]:
    """Jumps of the reset channel ``p (tau (x) Tr_site rho - rho)`` on one site.

    ``pops[..., k]`` are the populations of ``tau`` by excitation number; jumps are
    ``sqrt(p tau_a) |a><b|`` for every pair ``(a, b)`` of basis indices.
    """
    d = dims[site]
    levels = _site_levels(d)
    jumps = []
    for a in range(d):
        amp = np.sqrt(p * pops[..., levels[a]])[..., None, None]
        for b in range(d):
            ket_bra = np.zeros((d, d), complex)
            ket_bra[a, b] = 1.0
            jumps.append(amp * _kron_site(ket_bra, site, dims))
    return jumps


def thermal_damping_jumps(p: np.ndarray, E: np.ndarray, T: np.ndarray, site: int,
                          dims: tuple[int, ...]) -> list[np.ndarray]:
    """``sqrt(p (1 + n)) A`` and ``sqrt(p n) A^+`` for the site's lowering operator ``A``."""
    n = bose(E, T)
    A = _kron_site(site_lowering(dims[site]), site, dims)
    down = np.sqrt(p * (1 + n))[..., None, None] * A
    up = np.sqrt(p * n)[..., None, None] * A.conj().T
    return [down, up]


def bath_jumps(model: str, p: np.ndarray, E: np.ndarray, T: np.ndarray, site: int,
               dims: tuple[int, ...]) -> list[np.ndarray]:
    """Local jumps of one site's bath (``reset`` or ``lindblad``)."""
    if model == "reset":
        return reset_jumps(p, thermal_populations(E, T, dims[site]), site, dims)
    if model == "lindblad":
        return thermal_damping_jumps(p, E, T, site, dims)
    raise InvalidInputError(f"bath_model must be one of {BATH_MODELS}, got {model!r}")


def _arrays(p: dict[str, Any], names: tuple[str, ...]) -> tuple[tuple[np.ndarray, ...], tuple]:
    arrs = tuple(np.asarray(p[k], float) for k in names)
    return arrs, np.broadcast_shapes(*(a.shape for a in arrs))


def _broadcast_all(ops: list[np.ndarray], shape: tuple) -> list[np.ndarray]:
    return [np.broadcast_to(o, (*shape, *o.shape[-2:])) for o in ops]


def _bath_model(p: dict[str, Any]) -> str:
    model = p.get("bath_model", "reset")
    if isinstance(model, np.ndarray):
        raise InvalidInputError("bath_model cannot be an array")
    return str(model)


# ----------------------------------------------------------------------------- builders
def build_machine(p: dict[str, Any], dims: tuple[int, ...],
                  common: tuple[str, ...] = ()) -> Generator:
    """Generator of the two-site machine ``H = H_0 + g V`` with local hot/cold baths.

    Parameters may be arrays (broadcast): one generator per parameter point.  With
    ``common = ("gamma", "T_r")`` (two qubits only) a collective common-reservoir channel
    ``gamma (1 + n_r) D[J^-] + gamma n_r D[J^+]`` is added (see :func:`build_man2019`).
    """
    names = ("E", "g", "T_h", "T_c", "p_h", "p_c", *common)
    arrs, shape = _arrays(p, names)
    E, g, T_h, T_c, p_h, p_c = arrs[:6]
    model = _bath_model(p)
    H = local_hamiltonian(E, dims) + g[..., None, None] * exchange(dims)
    jumps = (bath_jumps(model, p_h, E, T_h, 0, dims) + bath_jumps(model, p_c, E, T_c, 1, dims))
    info: dict[str, Any] = {"builder": "machine_models.build_machine", "bath_model": model,
                            "master_equation": "local", "dims": dims}
    if common:
        gamma, T_r = arrs[6:8]
        J = _kron_site(qubit_lowering(), 0, dims) + _kron_site(qubit_lowering(), 1, dims)
        n_r = bose(E, T_r)
        jumps += [np.sqrt(gamma * (1 + n_r))[..., None, None] * J,
                  np.sqrt(gamma * n_r)[..., None, None] * J.conj().T]
        info["common_occupation"] = n_r
    gen = liouvillian(np.broadcast_to(H, (*shape, *H.shape[-2:])),
                      _broadcast_all(jumps, shape), dims=dims)
    gen.info.update(info)
    return gen


def build_brask2015(p: dict[str, Any]) -> Generator:
    """Two qubits (hot, cold) with exchange ``g``: generator of ``brask2015``."""
    return build_machine(p, (2, 2))


def build_qutrit(p: dict[str, Any]) -> Generator:
    """Hot qubit and cold ladder qutrit with exchange ``g``: generator of ``brask2015-qutrit``."""
    return build_machine(p, (2, 3))


def build_man2019(p: dict[str, Any]) -> Generator:
    """Two-qubit machine of ``brask2015`` plus a common reservoir acting collectively.

    Common bath: ``gamma (1 + n_r) D[J^-] + gamma n_r D[J^+]``, ``J^- = s_1^- + s_2^-``,
    ``n_r = bose(E, T_r)`` (resonant qubits, so the collective operator is an eigenoperator of
    ``H_0``; local form like the two private baths).
    """
    return build_machine(p, (2, 2), common=("gamma", "T_r"))


# ----------------------------------------------------------------------------- closed forms
def brask_reset_closed_form(g: Any, p_h: Any, p_c: Any, r_h: Any, r_c: Any) -> dict[str, Any]:
    """Exact steady state of the resonant two-qubit reset machine (derived here).

    With ``s = p_h + p_c``, ``D = 2 g^2 + p_h p_c`` and the rate-weighted excited population
    ``m = (p_h r_h + p_c r_c) / s``, the steady state is the X state

        P_ee = (2 g^2 m^2 + p_h p_c r_h r_c) / D,
        P_gg = (2 g^2 (1 - m)^2 + p_h p_c (1 - r_h)(1 - r_c)) / D,
        P_eg - P_ge = p_h p_c (r_h - r_c) / D,
        z = <eg|rho|ge> = i g p_h p_c (r_h - r_c) / (D s),

    (site 0 = hot; the coherence obeys dz/dt = -i g (P_ge - P_eg) - s z, which turns the
    exchange into a classical hopping rate 2 g^2 / s between eg and ge), and the concurrence is
    ``C = 2 max(0, |z| - sqrt(P_ee P_gg))``.  ``r_i`` are the thermal excited populations
    (``qubit_excited_population``).  All arguments broadcast.
    """
    g, p_h, p_c, r_h, r_c = (np.asarray(x, float) for x in (g, p_h, p_c, r_h, r_c))
    s = p_h + p_c
    D = 2 * g**2 + p_h * p_c
    m = (p_h * r_h + p_c * r_c) / s
    p_ee = (2 * g**2 * m**2 + p_h * p_c * r_h * r_c) / D
    p_gg = (2 * g**2 * (1 - m) ** 2 + p_h * p_c * (1 - r_h) * (1 - r_c)) / D
    diff = p_h * p_c * (r_h - r_c) / D
    mid = 1 - p_ee - p_gg
    z = 1j * g * p_h * p_c * (r_h - r_c) / (D * s)
    C = 2 * np.maximum(0.0, np.abs(z) - np.sqrt(p_ee * p_gg))
    return {"P_ee": p_ee, "P_gg": p_gg, "P_eg": (mid + diff) / 2, "P_ge": (mid - diff) / 2,
            "z": z, "concurrence": C}


# ----------------------------------------------------------------------------- analysis
def exchange_coherence(rho: np.ndarray) -> np.ndarray:
    """``<eg|rho|ge>`` of a two-qubit state (site 0 = e, site 1 = g in the bra-ket)."""
    return rho[..., 1, 2]


def excitation_current(rho: np.ndarray, g: Any) -> np.ndarray:
    """Excitation current from site 0 (hot) to site 1 (cold) through the exchange coupling.

    ``-d<N_0>/dt`` due to ``H`` is ``2 g Im<eg|rho|ge>`` (quanta per unit time; times ``E`` it is
    the heat current of the local master equation).  Positive: hot -> cold.
    """
    return 2.0 * np.asarray(g, float) * np.imag(exchange_coherence(rho))


def analyse_qubits(state: Any, gen: Generator, p: dict[str, Any]) -> dict[str, Any]:
    rho = state.rho
    f = bell_fidelities(rho)
    z = exchange_coherence(rho)
    return {
        "concurrence": concurrence(rho),
        "negativity": negativity(rho, [2, 2], 0),
        "purity": purity(rho),
        "singlet_fidelity": f[..., 3],
        "exchange_coherence": {"real": np.real(z), "imag": np.imag(z)},
        "excitation_current": excitation_current(rho, p["g"]),
        "populations": {"ee": rho[..., 0, 0].real, "eg": rho[..., 1, 1].real,
                        "ge": rho[..., 2, 2].real, "gg": rho[..., 3, 3].real},
    }


def analyse_qutrit(state: Any, gen: Generator, p: dict[str, Any]) -> dict[str, Any]:
    rho = state.rho
    red = partial_trace(rho, [2, 3], 1)
    return {
        "negativity": negativity(rho, [2, 3], 0),
        "log_negativity": log_negativity(rho, [2, 3], 0),
        "purity": purity(rho),
        "qubit_excited_population": rho[..., :3, :3].trace(axis1=-2, axis2=-1).real,
        "qutrit_populations": np.real(np.diagonal(red, axis1=-2, axis2=-1)),
    }


def _check_bath(p: dict[str, Any]) -> None:
    _bath_model(p)
    if p.get("bath_model") not in BATH_MODELS:
        raise InvalidInputError(
            f"bath_model must be one of {BATH_MODELS}, got {p.get('bath_model')!r}")


# ----------------------------------------------------------------------------- parameters
def machine_parameters(g: float = 0.014, T_h: float = 1e3, T_c: float = 0.0, p_h: float = 0.01,
                       p_c: float = 0.088, bath_model: str = "reset") -> tuple[Parameter, ...]:
    """Parameters shared by the two-bath machines (defaults overridable)."""
    return (
        Parameter("E", 1.0, "1", "level spacing of both sites (sets the unit)", low=0.0,
                  low_inclusive=False),
        Parameter("g", g, "E", "exchange coupling between the two sites", low=0.0),
        Parameter("T_h", T_h, "E", "temperature of the hot bath (site 0)", low=0.0),
        Parameter("T_c", T_c, "E", "temperature of the cold bath (site 1)", low=0.0),
        Parameter("p_h", p_h, "E", "hot-bath rate (reset rate, or decay rate for lindblad)",
                  low=0.0, low_inclusive=False),
        Parameter("p_c", p_c, "E", "cold-bath rate (reset rate, or decay rate for lindblad)",
                  low=0.0, low_inclusive=False),
        Parameter("bath_model", bath_model, "-", "local bath model: reset or lindblad",
                  choices=BATH_MODELS),
    )


BRASK_DOC = f"""Two-qubit autonomous entanglement engine (Brask, Haack, Brunner, Huber 2015).

Reference: {BRASK_REFERENCE}.

Hamiltonian (Units: hbar = k_B = 1, energies/rates/temperatures in units of E):
    H = E (s_0^+ s_0^- + s_1^+ s_1^-) + g (s_0^+ s_1^- + s_0^- s_1^+).
Dissipators (local, one private bath per qubit; qubit 0 hot at T_h, qubit 1 cold at T_c):
    reset (default):  p_i (tau_i (x) Tr_i rho - rho),  tau_i the Gibbs state of qubit i at T_i;
    lindblad:         p_i (1 + n_i) D[s_i^-] + p_i n_i D[s_i^+],  n_i = 1/(exp(E/T_i) - 1).
Master equation: local Lindblad form (dissipators from the bare qubit Hamiltonian; valid for
g << E and weak system-bath coupling); no global secular approximation.
Defaults: E = 1, g = 0.014, T_h = 1000 (r_h ~ 1/2), T_c = 0, p_h = 0.01, p_c = 0.088, reset
(close to the concurrence maximum of the reset model, C = 0.054).

Paper's claim (abstract of arXiv:1504.00187): weak coupling to baths at different temperatures
drives a heat current and an entangled steady state far from equilibrium (equal temperatures:
product Gibbs state, C = 0 -- tested).  The paper's figure values were not accessible, so the
quantitative headline is DERIVED here: the reset model has the exact X-state solution
`brask_reset_closed_form` (populations, coherence
z = i g p_h p_c (r_h - r_c) / ((2 g^2 + p_h p_c)(p_h + p_c)), concurrence
C = 2 max(0, |z| - sqrt(P_ee P_gg))), tested against the solver; its maximum over g, p_h, p_c
for T_c = 0, T_h -> infinity is C_max = 0.0541 (at g/p_h = 1.42, p_c/p_h = 8.8; the optimum is
scale free because the reset dynamics does not involve E).  Equal temperatures give the product
Gibbs state (C = 0).
"""

QUTRIT_DOC = f"""Qubit-qutrit autonomous entanglement engine (variant in Brask et al. 2015).

Reference: {BRASK_REFERENCE} (qubit-qutrit machine).
RECONSTRUCTION: the paper's qutrit level scheme could not be read (abstract only).  This model
uses an equally spaced ladder qutrit (levels 0, E, 2E; index = number of excitations) with
lowering operator b = |0><1| + |1><2| (unit matrix elements), the qubit (site 0) on the hot bath,
the qutrit (site 1) on the cold bath.
Hamiltonian: H = E (s_0^+ s_0^- + N_b) + g (s_0^+ b + s_0^- b^+),  N_b = diag(0, 1, 2).
Dissipators: local reset to Gibbs states (default) or thermal ladder damping
p_i (1 + n_i) D[b] + p_i n_i D[b^+] (lindblad).  Master equation: local Lindblad.
Measure: negativity (PPT is necessary and sufficient for 2 x 3 states).  Units: E = 1,
hbar = k_B = 1.
Defaults: E = 1, g = 0.0092, T_h = 1000, T_c = 0, p_h = 0.01, p_c = 0.038, reset (close to
the negativity maximum of this reconstruction, N = 0.0042, versus N = 0.0040 for the two-qubit
machine with the same bath model: the ladder qutrit gains little; the paper's larger gain
presumably relies on a different level scheme - NOT verified).
Checks (DERIVED): equal temperatures give the product Gibbs state (N = 0); for g -> 0 the
coherences are <e,k|rho|g,k+1> = i g (P_e,k - P_g,k+1) / (p_h + p_c) with product-Gibbs
populations P (first order in g).
"""

MAN_DOC = f"""Two-qubit entanglement engine plus a common reservoir (Man et al. 2019).

Reference: {MAN_REFERENCE}.

Hamiltonian as in brask2015:  H = E (s_0^+ s_0^- + s_1^+ s_1^-) + g (s_0^+ s_1^- + h.c.).
Dissipators: private hot/cold baths as in brask2015 (default bath_model = lindblad: thermal
amplitude damping with rates p_h, p_c), plus a common reservoir at T_r acting collectively,
    gamma (1 + n_r) D[J^-] + gamma n_r D[J^+],   J^- = s_0^- + s_1^-,  n_r = bose(E, T_r).
Master equation: local Lindblad (resonant qubits: J^- lowers H_0 by exactly E).  Units: E = 1,
hbar = k_B = 1.
Defaults: E = 1, g = 0.001, T_h = 1, T_c = 0, p_h = 0.001, p_c = 0.0001, gamma = 0.1, T_r = 0
(C = 0.172; the strong collective channel keeps the singlet, which it cannot empty, populated
by the hot bath).
Checks (DERIVED; no stored copy of the paper was found): gamma = 0 reduces exactly to
brask2015 with the same bath model; all baths at one temperature give the product Gibbs state
(C = 0); the paper's qualitative claim, that a common reservoir can raise the steady-state
concurrence above the two-bath machine's, is checked at the default point.
"""


SPEC_BRASK = register(ModelSpec(
    name="brask2015",
    title="Autonomous thermal machine: two qubits between a hot and a cold bath",
    family=FAMILY,
    reference=BRASK_REFERENCE,
    parameters=machine_parameters(),
    build=build_brask2015,
    analyse=analyse_qubits,
    check=_check_bath,
    doc=BRASK_DOC,
))

SPEC_QUTRIT = register(ModelSpec(
    name="brask2015-qutrit",
    title="Autonomous thermal machine: hot qubit and cold ladder qutrit (negativity)",
    family=FAMILY,
    reference=BRASK_REFERENCE,
    parameters=machine_parameters(g=0.0092, p_c=0.038),
    build=build_qutrit,
    analyse=analyse_qutrit,
    check=_check_bath,
    doc=QUTRIT_DOC,
))

SPEC_MAN = register(ModelSpec(
    name="man2019",
    title="Two-qubit thermal machine with an added common reservoir",
    family=FAMILY,
    reference=MAN_REFERENCE,
    parameters=(
        *machine_parameters(g=0.001, T_h=1.0, p_h=0.001, p_c=0.0001, bath_model="lindblad"),
        Parameter("gamma", 0.1, "E", "coupling rate to the common reservoir", low=0.0),
        Parameter("T_r", 0.0, "E", "temperature of the common reservoir", low=0.0),
    ),
    build=build_man2019,
    analyse=analyse_qubits,
    check=_check_bath,
    doc=MAN_DOC,
))
