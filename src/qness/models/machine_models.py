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
from ..measures import bell_fidelities, concurrence, log_negativity, negativity, purity
from ..operators import sigmam
from .base import ModelSpec, Parameter
from .registry import register

BRASK_REFERENCE = ("J. B. Brask, G. Haack, N. Brunner, M. Huber, 'Autonomous quantum thermal "
                   "machine for generating steady-state entanglement', New J. Phys. 17, 113029 "
                   "(2015), arXiv:1504.00187")
MAN_REFERENCE = ("Z.-X. Man, A. Tavakoli, J. B. Brask, Y.-J. Xia, 'Improving autonomous thermal "
                 "entanglement generation using a common reservoir', Phys. Scr. 94, 075101 "
                 "(2019), arXiv:1902.04022 (journal and arXiv id not verified against the paper)")
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
    w = np.exp(-x[..., None] * k)
    w = np.where(np.isnan(w), 0.0, w)
    w[..., 0] = 1.0
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
def build_machine(p: dict[str, Any], dims: tuple[int, ...]) -> Generator:
    """Generator of the two-site machine ``H = H_0 + g V`` with local hot/cold baths.

    Parameters may be arrays (broadcast): one generator per parameter point.
    """
    (E, g, T_h, T_c, p_h, p_c), shape = _arrays(p, ("E", "g", "T_h", "T_c", "p_h", "p_c"))
    model = _bath_model(p)
    H = local_hamiltonian(E, dims) + g[..., None, None] * exchange(dims)
    jumps = (bath_jumps(model, p_h, E, T_h, 0, dims) + bath_jumps(model, p_c, E, T_c, 1, dims))
    gen = liouvillian(np.broadcast_to(H, (*shape, *H.shape[-2:])),
                      _broadcast_all(jumps, shape), dims=dims)
    gen.info.update({"builder": "machine_models.build_machine", "bath_model": model,
                     "master_equation": "local", "dims": dims})
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
    gen0 = build_machine(p, (2, 2))
    (E, gamma, T_r), _ = _arrays(p, ("E", "gamma", "T_r"))
    dims = (2, 2)
    J = _kron_site(qubit_lowering(), 0, dims) + _kron_site(qubit_lowering(), 1, dims)
    n_r = bose(E, T_r)
    shape = gen0.batch_shape
    common = [np.sqrt(gamma * (1 + n_r))[..., None, None] * J,
              np.sqrt(gamma * n_r)[..., None, None] * J.conj().T]
    gen = liouvillian(gen0.hamiltonian, list(gen0.jumps) + _broadcast_all(common, shape),
                      dims=dims)
    gen.info.update({**gen0.info, "builder": "machine_models.build_man2019",
                     "common_occupation": n_r})
    return gen


# ----------------------------------------------------------------------------- analysis
def exchange_coherence(rho: np.ndarray) -> np.ndarray:
    """``<eg|rho|ge>`` of a two-qubit state (the coherence the exchange coupling builds)."""
    return rho[..., 1, 2]


def heat_current_hot(rho: np.ndarray, g: Any) -> np.ndarray:
    """Energy current carried by the exchange from the hot to the cold qubit at resonance.

    For a local master equation the heat current into the system from the hot bath equals
    the energy flux through the coupling, ``J_h = E * 2 g Im<eg|rho|ge>`` divided by ``E``: we
    report it in units of ``E`` per unit time, ``J_h / E = -2 g Im(rho_{eg,ge})``.
    """
    return -2.0 * np.asarray(g, float) * np.imag(exchange_coherence(rho))


def analyse_qubits(state: Any, gen: Generator, p: dict[str, Any]) -> dict[str, Any]:
    rho = state.rho
    f = bell_fidelities(rho)
    return {
        "concurrence": concurrence(rho),
        "negativity": negativity(rho, [2, 2], 0),
        "purity": purity(rho),
        "singlet_fidelity": f[..., 3],
        "triplet0_fidelity": f[..., 2],
        "exchange_coherence": {"real": np.real(exchange_coherence(rho)),
                               "imag": np.imag(exchange_coherence(rho))},
        "excitation_current": heat_current_hot(rho, p["g"]),
        "populations": {"ee": rho[..., 0, 0].real, "eg": rho[..., 1, 1].real,
                        "ge": rho[..., 2, 2].real, "gg": rho[..., 3, 3].real},
    }


def analyse_qutrit(state: Any, gen: Generator, p: dict[str, Any]) -> dict[str, Any]:
    rho = state.rho
    return {
        "negativity": negativity(rho, [2, 3], 0),
        "log_negativity": log_negativity(rho, [2, 3], 0),
        "purity": purity(rho),
        "qutrit_populations": np.real(np.einsum("...iij->...j", rho.reshape(
            *rho.shape[:-2], 2, 3, 2, 3).transpose(*range(rho.ndim - 2),
                                                   -4, -2, -3, -1).reshape(
            *rho.shape[:-2], 2, 2, 3, 3).diagonal(axis1=-2, axis2=-1))),
    }


def _check_bath(p: dict[str, Any]) -> None:
    model = _bath_model(p)
    if model not in BATH_MODELS:
        raise InvalidInputError(f"bath_model must be one of {BATH_MODELS}, got {model!r}")


# ----------------------------------------------------------------------------- parameters
def _machine_parameters(g: float, T_h: float, T_c: float, p_h: float, p_c: float
                        ) -> tuple[Parameter, ...]:
    return (
        Parameter("E", 1.0, "1", "level spacing of both sites (sets the unit)", low=0.0,
                  low_inclusive=False),
        Parameter("g", g, "E", "exchange coupling between the two sites", low=0.0),
        Parameter("T_h", T_h, "E", "temperature of the hot bath (site 0)", low=0.0),
        Parameter("T_c", T_c, "E", "temperature of the cold bath (site 1)", low=0.0),
        Parameter("p_h", p_h, "E", "coupling rate to the hot bath (reset rate)", low=0.0,
                  low_inclusive=False),
        Parameter("p_c", p_c, "E", "coupling rate to the cold bath (reset rate)", low=0.0,
                  low_inclusive=False),
        Parameter("bath_model", "reset", "-", "local bath model", choices=BATH_MODELS),
    )


_QUBIT_DOC = """Two-qubit autonomous entanglement engine (Brask, Haack, Brunner, Huber 2015).

Reference: """ + BRASK_REFERENCE + """.

Hamiltonian (lab frame, hbar = 1, units of E):
    H = E (s_0^+ s_0^- + s_1^+ s_1^-) + g (s_0^+ s_1^- + s_0^- s_1^+).
Dissipators (local): qubit 0 to a hot bath at T_h, qubit 1 to a cold bath at T_c, either the
reset model  p_i (tau_i (x) Tr_i rho - rho)  (default, as in the paper) or thermal amplitude
damping  p_i (1 + n_i) D[s_i^-] + p_i n_i D[s_i^+]  (bath_model = lindblad).
Master equation: local Lindblad (valid for g << E); no secular approximation on the global
eigenbasis.  Defaults: E = 1, g = 0.05, T_h = 1e3 (effectively infinite: r_h = 1/2), T_c = 0,
p_h = p_c = 0.05 (g = p: the first-order optimum, see below).

Checks (derived here; the paper's own numbers could not be retrieved in this environment):
* equal temperatures: the steady state is the product Gibbs state, C = 0;
* the steady state is an X state with the single coherence z = <eg|rho|ge>, so
  C = 2 max(0, |z| - sqrt(rho_ee rho_gg));
* reset model, exact closed form (derived from the 5 coupled rate equations; see
  ``brask_reset_closed_form``), in particular for T_c = 0 and T_h = infinity with p_h = p_c = p:
  C(g) = 2 g p / (2 p^2 + 2 g^2)... (see the function docstring), maximal C = 1/4 at g = p?  No:
  the exact expression is evaluated by ``brask_reset_closed_form`` and tested against the solver.
"""

_QUTRIT_DOC = """Qubit-qutrit autonomous entanglement engine (variant of Brask et al. 2015).

Reference: """ + BRASK_REFERENCE + """ (qubit-qutrit section).  RECONSTRUCTION: the paper's exact
qutrit level scheme could not be retrieved here; this model uses an equally spaced ladder qutrit
(levels 0, E, 2E, index = excitations), lowering operator b = |0><1| + |1><2|, exchange
g (s_0^+ b + s_0^- b^+), the qubit (site 0) on the hot bath and the qutrit (site 1) on the cold
bath, each with the reset model (default) or thermal ladder damping.  Entanglement is quantified
by the negativity (PPT is necessary and sufficient for 2 x 3).
Hamiltonian: H = E (s_0^+ s_0^- + N_b) + g (s_0^+ b + s_0^- b^+), N_b = diag(0, 1, 2).
Master equation: local Lindblad.  Defaults as for brask2015.
Checks (derived): equal temperatures give the product Gibbs state (N = 0); to first order in g
the coherences <e,k|rho|g,k+1> = -i g (P(g,k+1) - P(e,k)) / (p_h + p_c) with product-Gibbs
populations P; the qutrit reduces to the qubit machine when its top level is unreachable.
"""

_MAN_DOC = """Two-qubit entanglement engine plus a common reservoir (Man, Tavakoli, Brask, Xia 2019).

Reference: """ + MAN_REFERENCE + """.

Hamiltonian as in brask2015:  H = E (s_0^+ s_0^- + s_1^+ s_1^-) + g (s_0^+ s_1^- + h.c.).
Dissipators: private hot/cold baths as in brask2015 (bath_model = lindblad by default here:
thermal amplitude damping with rates p_h, p_c) plus a common reservoir at T_r acting
collectively,  gamma (1 + n_r) D[J^-] + gamma n_r D[J^+],  J^- = s_0^- + s_1^-.
Master equation: local Lindblad (resonant qubits: J^- is an eigenoperator of H_0).
Defaults: E = 1, g = 0.05, T_h = 1e3, T_c = 0, p_h = p_c = 0.05, gamma = 0.02, T_r = 0.
Checks (derived; the paper's numbers could not be retrieved here): gamma = 0 reduces exactly to
brask2015 (lindblad); all three baths at one temperature give the product Gibbs state (C = 0);
the collective channel leaves the singlet dark, so for g = 0, T_h = T_c = T_r = 0 and
p_h = p_c -> 0 it populates the singlet (C > 0 from the common bath alone is impossible at
T = 0 with the private baths on: the steady state is |gg>, C = 0).
"""


def _doc_fix(text: str) -> str:
    return text


SPEC_BRASK = register(ModelSpec(
    name="brask2015",
    title="Autonomous thermal machine: two qubits between a hot and a cold bath",
    family=FAMILY,
    reference=BRASK_REFERENCE,
    parameters=_machine_parameters(0.05, 1e3, 0.0, 0.05, 0.05),
    build=build_brask2015,
    analyse=analyse_qubits,
    check=_check_bath,
    doc="",
))
