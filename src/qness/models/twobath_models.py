"""Catalogue family B1: qubits between baths at different temperatures (nonequilibrium).

Models (review: Pedram & Müstecaplıoğlu, arXiv:2303.00490):

* ``quiroga2007``  -- two XX-coupled qubits, each with its own bath (global Davies ME);
* ``wang2019``     -- the same setup (detuning allowed) with a local, global or Bloch--Redfield
  master equation;
* ``huang2009``    -- three-qubit XX chain between two baths, pairwise concurrences;
* ``tacchino2018`` -- one qubit incoherently pumped (negative effective temperature), the other
  cold; local master equation.

Units: hbar = k_B = 1, energies/rates/temperatures in units of the qubit frequency ``omega``.
Basis and tensor order are QuTiP's (``|e>`` = index 0, qubit 0 leftmost).  The baths are
ohmic, ``J(w) = alpha w e^{-w/omega_c}``, coupled in excitation-exchange form
``sigma^-_j (x) X_j + h.c.`` with ``alpha`` fixed by the ``T = 0`` decay rate ``gamma_j`` at
``omega`` (:func:`qness.models.thermal_models.ohmic_bath`).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..baths import couple
from ..master.davies import RegimeWarning, davies
from ..master.generator import Generator, liouvillian
from ..master.local import local_lindblad
from ..master.redfield import bloch_redfield
from ..measures import concurrence, l1_coherence, negativity, pairwise_concurrence, purity
from .base import ModelSpec, Parameter
from .registry import register
from .thermal_models import (
    FAMILY_B1,
    batched_generator,
    broadcast_params,
    ohmic_bath,
    qubit_ops,
    x_state_concurrence,
)

MASTER_FORMS = ("global", "local", "redfield")


def bose(omega, T) -> np.ndarray:
    """Bose occupation ``1/(e^{omega/T} - 1)`` (0 at ``T = 0``), overflow-free."""
    omega, T = np.broadcast_arrays(np.asarray(omega, float), np.asarray(T, float))
    x = np.divide(omega, T, out=np.full(omega.shape, np.inf), where=T > 0)
    return np.exp(-x) / -np.expm1(-x)


def xx_hamiltonian(omegas, g) -> np.ndarray:
    """``H = sum_j (omega_j/2) sz_j + g sum_j (s_j^+ s_{j+1}^- + h.c.)`` (open chain, batched
    over the scalar-broadcast ``omegas`` and ``g``)."""
    n = len(omegas)
    o = qubit_ops(n)
    g = np.asarray(g, float)[..., None, None]
    H = sum(0.5 * np.asarray(w, float)[..., None, None] * o["z"][j]
            for j, w in enumerate(omegas))
    for j in range(n - 1):
        hop = o["p"][j] @ o["m"][j + 1]
        H = H + g * (hop + hop.conj().T)
    return H


def _form(H: np.ndarray, couplings: list, dims: tuple[int, ...], form: str) -> Generator:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RegimeWarning)
        if form == "global":
            return davies(H, couplings, dims=dims, warn=False)
        if form == "local":
            return local_lindblad(H, couplings, dims=dims, warn=False)
        return bloch_redfield(H, couplings, dims=dims, warn=False)


def _two_bath_couplings(n: int, sites: tuple[int, int], temps: tuple[float, float],
                        gammas: tuple[float, float], omega: float, omega_c: float) -> list:
    o = qubit_ops(n)
    names = ("hot/left", "cold/right")
    return [couple(o["m"][s], ohmic_bath(T, g, omega, omega_c * omega, nm))
            for s, T, g, nm in zip(sites, temps, gammas, names, strict=True)]


# ============================================================================ quiroga2007
def _quiroga_one(p: dict[str, Any]) -> Generator:
    H = xx_hamiltonian((p["omega"], p["omega"]), p["g"])
    cps = _two_bath_couplings(2, (0, 1), (p["T_1"], p["T_2"]), (p["gamma_1"], p["gamma_2"]),
                              p["omega"], p["omega_c"])
    return _form(H, cps, (2, 2), "global")


def quiroga_build(p: dict[str, Any]) -> Generator:
    """Global (Davies) generator of two resonant XX-coupled qubits with local baths."""
    return batched_generator(_quiroga_one, p, ("omega", "g", "T_1", "T_2", "gamma_1",
                                               "gamma_2", "omega_c"), (2, 2))


def quiroga_closed_form(omega, g, T_1, T_2, gamma_1=1.0, gamma_2=1.0, omega_c=np.inf):
    """Closed-form global-ME concurrence (derived here, not from the paper).

    The eigenstates are ``|gg>, |+->= (|eg> +- |ge>)/sqrt2, |ee>`` with transition frequencies
    ``w_a = omega + g`` (``gg -> +``, ``- -> ee``) and ``w_b = omega - g`` (``gg -> -``,
    ``+ -> ee``).  Each transition sees both baths with the same weight, i.e. the effective
    occupation ``nbar(w) = sum_j G_j(w) n_j(w) / sum_j G_j(w)`` (``G_j`` the T = 0 rate).  The
    rates satisfy Kolmogorov's cycle criterion, so the populations are
    ``(p_gg, p_+, p_-, p_ee) ∝ (1, x_a, x_b, x_a x_b)``, ``x = nbar/(1 + nbar)`` and
    ``C = max(0, |x_a - x_b| - 2 sqrt(x_a x_b)) / ((1 + x_a)(1 + x_b))``.
    """
    omega, g, T_1, T_2, gamma_1, gamma_2 = np.broadcast_arrays(
        *(np.asarray(v, float) for v in (omega, g, T_1, T_2, gamma_1, gamma_2)))

    def weight(w):
        # ohmic T = 0 rate relative to its value at omega (same shape for both baths)
        return (w / omega) * np.exp(-(w - omega) / omega_c)

    def x(w):
        n1, n2 = bose(w, T_1), bose(w, T_2)
        nb = (gamma_1 * n1 + gamma_2 * n2) / (gamma_1 + gamma_2)
        return nb / (1 + nb) * (weight(w) > 0)

    xa, xb = x(omega + np.abs(g)), x(omega - np.abs(g))
    return np.maximum(0.0, np.abs(xa - xb) - 2 * np.sqrt(xa * xb)) / ((1 + xa) * (1 + xb))


def quiroga_analyse(state: Any, gen: Generator, p: dict[str, Any]) -> dict[str, Any]:
    rho = state.rho
    return {
        "concurrence": concurrence(rho),
        "concurrence_closed_form": quiroga_closed_form(p["omega"], p["g"], p["T_1"], p["T_2"],
                                                       p["gamma_1"], p["gamma_2"],
                                                       p["omega_c"] * np.asarray(p["omega"])),
        "concurrence_equilibrium_mean_T": quiroga_closed_form(
            p["omega"], p["g"], 0.5 * (np.asarray(p["T_1"]) + p["T_2"]),
            0.5 * (np.asarray(p["T_1"]) + p["T_2"])),
        "negativity": negativity(rho, [2, 2], 0),
        "purity": purity(rho),
    }


def _check_gap(p: dict[str, Any]) -> None:
    from ..errors import InvalidInputError

    if np.any(np.abs(np.asarray(p["g"])) >= np.asarray(p["omega"])):
        raise InvalidInputError("g must satisfy |g| < omega (all transition frequencies "
                                "positive, ground state |gg>-like)")


_TWO_BATH_PARAMS = (
    Parameter("omega", 1.0, "1 (frequency unit)", "qubit frequency", low=0.0,
              low_inclusive=False),
    Parameter("g", 0.5, "omega", "XX (flip-flop) coupling, |g| < omega"),
    Parameter("T_1", 0.3, "omega", "temperature of the bath of qubit 1", low=0.0),
    Parameter("T_2", 0.1, "omega", "temperature of the bath of qubit 2", low=0.0),
    Parameter("gamma_1", 0.01, "omega", "T = 0 decay rate of qubit 1 into its bath", low=0.0,
              low_inclusive=False),
    Parameter("gamma_2", 0.01, "omega", "T = 0 decay rate of qubit 2 into its bath", low=0.0,
              low_inclusive=False),
    Parameter("omega_c", 10.0, "omega", "ohmic cutoff", low=0.0, low_inclusive=False),
)

QUIROGA = register(ModelSpec(
    name="quiroga2007",
    title="Two XX-coupled qubits, each in its own bath at a different temperature (global ME)",
    family=FAMILY_B1,
    reference="L. Quiroga, F. J. Rodríguez, M. E. Ramírez, R. París, 'Nonequilibrium thermal "
              "entanglement', Phys. Rev. A 75, 032308 (2007), arXiv:cond-mat/0612046",
    parameters=_TWO_BATH_PARAMS,
    build=quiroga_build,
    analyse=quiroga_analyse,
    check=_check_gap,
    doc="""Quiroga, Rodríguez, Ramírez, París, PRA 75, 032308 (2007), arXiv:cond-mat/0612046.

Hamiltonian: H = (omega/2)(sz1 + sz2) + g (s1^+ s2^- + s1^- s2^+)   (resonant XX coupling).
Dissipators: qubit j exchanges excitations with its own ohmic bath (s_j^- X_j + h.c.) at T_j,
T = 0 rate gamma_j.  Master equation: global secular (Davies) Lindblad form in the eigenbasis
of H (valid for gamma_j << g).  Units: omega = 1, hbar = k_B = 1.
Defaults: omega = 1, g = 0.5, T_1 = 0.3, T_2 = 0.1, gamma_1 = gamma_2 = 0.01, omega_c = 10.
The paper's own Hamiltonian and numbers could not be read (abstract and introduction only);
the model is the standard two-qubit version of the setting.  Paper's claim (abstract): a
temperature gradient can enhance or suppress the entanglement relative to equilibrium -- both
found here (g = 0.5: (T_1, T_2) = (0, 0.25) gives C = 0.049 against 0.017 at the mean
temperature; (0.6, 0) gives 0.013 against 0.093), tested.  Quantitative headline: a closed
form DERIVED here (quiroga_closed_form),
    C = max(0, |x_a - x_b| - 2 sqrt(x_a x_b)) / ((1 + x_a)(1 + x_b)),
    x = nbar/(1 + nbar) at w_a = omega + g and w_b = omega - g, nbar the rate-weighted mean
    Bose occupation of the two baths.
For T_1 = T_2 = T this is the Gibbs concurrence (sinh(g/T) - 1)/(cosh(g/T) + cosh(omega/T)),
T_c = g/ln(1 + sqrt 2).  concurrence_equilibrium_mean_T is the equilibrium value at the mean
temperature.""",
))


# ============================================================================ wang2019
def _wang_one(p: dict[str, Any]) -> Generator:
    H = xx_hamiltonian((p["omega_1"], p["omega_2"]), p["g"])
    ref = 0.5 * (p["omega_1"] + p["omega_2"])
    cps = _two_bath_couplings(2, (0, 1), (p["T_1"], p["T_2"]), (p["gamma"], p["gamma"]), ref,
                              p["omega_c"])
    return _form(H, cps, (2, 2), p["master"])


def wang_build(p: dict[str, Any]) -> Generator:
    """Local, global (Davies) or Bloch--Redfield generator (``master``)."""
    return batched_generator(_wang_one, p, ("omega_1", "omega_2", "g", "T_1", "T_2", "gamma",
                                            "omega_c"), (2, 2))


def energy_basis_coherence(rho: np.ndarray, H: np.ndarray) -> np.ndarray:
    """l1 norm of the off-diagonal elements of ``rho`` in the eigenbasis of ``H`` (batched
    ``(..., d, d)``; for a non-degenerate ``H``, the coherence the secular approximation
    discards)."""
    _, V = np.linalg.eigh(np.asarray(H, dtype=complex))
    r = np.swapaxes(V.conj(), -1, -2) @ np.asarray(rho) @ V
    return np.abs(r).sum(axis=(-2, -1)) - np.abs(np.diagonal(r, axis1=-2, axis2=-1)).sum(-1)


def wang_analyse(state: Any, gen: Generator, p: dict[str, Any]) -> dict[str, Any]:
    rho = state.rho
    H = xx_hamiltonian((p["omega_1"], p["omega_2"]), p["g"])
    return {
        "concurrence": concurrence(rho),
        "l1_coherence": l1_coherence(rho),
        "coherence_energy_basis": energy_basis_coherence(rho, H),
        "negativity": negativity(rho, [2, 2], 0),
        "purity": purity(rho),
        "min_eigenvalue": state.min_eigenvalue,
    }


def _check_wang(p: dict[str, Any]) -> None:
    from ..errors import InvalidInputError

    lo = np.minimum(np.asarray(p["omega_1"]), p["omega_2"])
    if np.any(np.abs(np.asarray(p["g"])) >= lo):
        raise InvalidInputError("g must satisfy |g| < min(omega_1, omega_2)")


WANG = register(ModelSpec(
    name="wang2019",
    title="Two coupled qubits in two baths: local vs global vs Bloch-Redfield master equation",
    family=FAMILY_B1,
    reference="Z. Wang, W. Wu, J. Wang, 'Steady-state entanglement and coherence of the coupled "
              "qubit system in equilibrium and nonequilibrium environments', Phys. Rev. A 99, "
              "042320 (2019), arXiv:1812.04799",
    parameters=(
        Parameter("omega_1", 1.0, "1 (frequency unit)", "frequency of qubit 1", low=0.0,
                  low_inclusive=False),
        Parameter("omega_2", 1.0, "omega_1", "frequency of qubit 2", low=0.0,
                  low_inclusive=False),
        Parameter("g", 0.5, "omega_1", "XX coupling, |g| < min(omega_1, omega_2)"),
        Parameter("T_1", 0.3, "omega_1", "temperature of bath 1", low=0.0),
        Parameter("T_2", 0.1, "omega_1", "temperature of bath 2", low=0.0),
        Parameter("gamma", 0.01, "omega_1", "T = 0 decay rate of each qubit", low=0.0,
                  low_inclusive=False),
        Parameter("omega_c", 10.0, "omega_1", "ohmic cutoff", low=0.0, low_inclusive=False),
        Parameter("master", "global", "-", "master-equation form", choices=MASTER_FORMS),
    ),
    build=wang_build,
    analyse=wang_analyse,
    check=_check_wang,
    solver_options={"on_fail": "flag"},
    doc="""Wang, Wu, Wang, PRA 99, 042320 (2019), arXiv:1812.04799.

Hamiltonian: H = (omega_1/2) sz1 + (omega_2/2) sz2 + g (s1^+ s2^- + h.c.).
Dissipators: qubit j exchanges excitations (s_j^- X_j + h.c.) with its own ohmic bath at T_j.
Master equation (parameter master): 'local' (rates at the bare frequencies, qness.master.local),
'global' (secular Davies in the eigenbasis of H) or 'redfield' (Bloch--Redfield without the
secular approximation, the form used in the paper; not completely positive, so validation
failures are flagged).  Units: omega_1 = 1, hbar = k_B = 1.
Defaults: omega_1 = omega_2 = 1, g = 0.5, T_1 = 0.3, T_2 = 0.1, gamma = 0.01, omega_c = 10,
master = global.
Paper's claims (abstract), reproduced qualitatively with master = redfield (the paper's
figures were not accessible): the steady coherence in the energy eigenbasis
(coherence_energy_basis) vanishes at equal temperatures and grows monotonically with the
temperature difference; weak inter-qubit coupling suppresses the entanglement (g = 0.1 gives
C = 0 where g = 0.5 gives 0.055 at T_1 = 0.45, T_2 = 0.15) -- both tested.  Derived checks: at
T_1 = T_2 the global state is Gibbs; the local state of resonant qubits is the product of bare
Gibbs states (C = 0 exactly) -- the local ME misses thermal entanglement; local and Redfield
agree with QuTiP (explicit Lindblad operators / bloch_redfield_tensor).""",
))


# ============================================================================ huang2009
def _huang_one(p: dict[str, Any]) -> Generator:
    H = xx_hamiltonian((p["omega"],) * 3, p["J"])
    cps = _two_bath_couplings(3, (0, 2), (p["T_L"], p["T_R"]), (p["gamma"], p["gamma"]),
                              p["omega"], p["omega_c"])
    return _form(H, cps, (2, 2, 2), "global")


def huang_build(p: dict[str, Any]) -> Generator:
    """Global (Davies) generator of the three-qubit XX chain, end qubits in two baths."""
    return batched_generator(_huang_one, p, ("omega", "J", "T_L", "T_R", "gamma", "omega_c"),
                             (2, 2, 2))


def huang_analyse(state: Any, gen: Generator, p: dict[str, Any]) -> dict[str, Any]:
    rho = state.rho
    pc = pairwise_concurrence(rho, [2, 2, 2])
    return {"C12": pc[..., 0, 1], "C23": pc[..., 1, 2], "C13": pc[..., 0, 2],
            "purity": purity(rho)}


def _check_huang(p: dict[str, Any]) -> None:
    from ..errors import InvalidInputError

    if np.any(np.sqrt(2) * np.abs(np.asarray(p["J"])) >= np.asarray(p["omega"])):
        raise InvalidInputError("J must satisfy sqrt(2) |J| < omega (positive single-excitation "
                                "energies)")


HUANG = register(ModelSpec(
    name="huang2009",
    title="Three-qubit XX chain between two baths: pairwise steady-state concurrences",
    family=FAMILY_B1,
    reference="X. L. Huang, J. L. Guo, X. X. Yi, Phys. Rev. A 80, 054301 (2009) (title and "
              "arXiv id not verified: no stored copy of the paper was found)",
    parameters=(
        Parameter("omega", 1.0, "1 (frequency unit)", "qubit frequency", low=0.0,
                  low_inclusive=False),
        Parameter("J", 0.3, "omega", "nearest-neighbour XX coupling, sqrt(2)|J| < omega"),
        Parameter("T_L", 0.3, "omega", "temperature of the bath of qubit 1", low=0.0),
        Parameter("T_R", 0.1, "omega", "temperature of the bath of qubit 3", low=0.0),
        Parameter("gamma", 0.01, "omega", "T = 0 decay rate of the end qubits", low=0.0,
                  low_inclusive=False),
        Parameter("omega_c", 10.0, "omega", "ohmic cutoff", low=0.0, low_inclusive=False),
    ),
    build=huang_build,
    analyse=huang_analyse,
    check=_check_huang,
    doc="""Huang, Guo, Yi, PRA 80, 054301 (2009): open three-qubit XX chain, end qubits in
baths at T_L and T_R.

Hamiltonian: H = (omega/2) sum_j sz_j + J (s1^+ s2^- + s2^+ s3^- + h.c.).
Dissipators: qubits 1 and 3 exchange excitations (s^- X + h.c.) with ohmic baths at T_L and
T_R.  Master equation: global secular (Davies) in the eigenbasis of H (degenerate Bohr frequencies
kept together).  Units: omega = 1, hbar = k_B = 1.  Outputs: pairwise concurrences C12, C23,
C13 of the reduced two-qubit states.
Defaults: omega = 1, J = 0.3, T_L = 0.3, T_R = 0.1, gamma = 0.01, omega_c = 10.
Checks (derived; no stored copy of the paper was found): T_L = T_R gives the Gibbs state of
the chain (pairwise concurrences checked against QuTiP partial traces); swapping T_L and T_R
exchanges C12 and C23 (mirror symmetry).""",
))


# ============================================================================ tacchino2018
def _tacchino_one(p: dict[str, Any]) -> Generator:
    o = qubit_ops(2)
    w = p["omega"]
    H = xx_hamiltonian((w, w), p["g"])
    n_c = float(bose(w, p["T_c"]))
    c_ops = [np.sqrt(p["gamma"]) * o["m"][0], np.sqrt(p["P"]) * o["p"][0],
             np.sqrt(p["kappa"] * (1 + n_c)) * o["m"][1]]
    if n_c > 0:
        c_ops.append(np.sqrt(p["kappa"] * n_c) * o["p"][1])
    gen = liouvillian(H, [c for c in c_ops if np.any(c != 0)], dims=(2, 2))
    gen.info["effective_T_h"] = effective_temperature(w, p["P"], p["gamma"])
    return gen


def tacchino_build(p: dict[str, Any]) -> Generator:
    """Local Lindblad generator (each bath acts on its own qubit)."""
    return batched_generator(_tacchino_one, p, ("omega", "g", "gamma", "P", "kappa", "T_c"),
                             (2, 2))


def effective_temperature(omega, P, gamma) -> np.ndarray:
    """``T_h = omega / ln(gamma / P)``: the temperature for which ``P/gamma = e^{-omega/T_h}``
    (negative for ``P > gamma``, infinite for ``P = gamma``, 0 for ``P = 0``)."""
    omega, P, gamma = np.broadcast_arrays(*(np.asarray(v, float) for v in (omega, P, gamma)))
    with np.errstate(divide="ignore"):
        lr = np.log(gamma) - np.log(P)
        out = np.where(P == 0, 0.0, np.where(lr == 0, np.inf, omega / np.where(lr == 0, 1, lr)))
    return out if out.ndim else float(out)


def tacchino_analyse(state: Any, gen: Generator, p: dict[str, Any]) -> dict[str, Any]:
    rho = state.rho
    return {
        "concurrence": concurrence(rho),
        "negativity": negativity(rho, [2, 2], 0),
        "effective_T_h": effective_temperature(p["omega"], p["P"], p["gamma"]),
        "x_state_concurrence": x_state_concurrence(rho[..., 0, 0].real, rho[..., 3, 3].real,
                                                   rho[..., 1, 1].real, rho[..., 2, 2].real,
                                                   rho[..., 1, 2], rho[..., 0, 3]),
        "purity": purity(rho),
    }


TACCHINO = register(ModelSpec(
    name="tacchino2018",
    title="Pumped (negative-temperature) and cold qubit: entanglement beyond thermal limits",
    family=FAMILY_B1,
    reference="F. Tacchino, A. Auffèves, M. F. Santos, D. Gerace, 'Steady state entanglement "
              "beyond thermal limits', Phys. Rev. Lett. 120, 063604 (2018), arXiv:1710.01377",
    parameters=(
        Parameter("omega", 1.0, "1 (frequency unit)", "qubit frequency (both qubits)", low=0.0,
                  low_inclusive=False),
        Parameter("g", 0.05, "omega", "XX coupling between the qubits"),
        Parameter("gamma", 0.05, "omega", "decay rate of qubit 1 (hot/pumped bath)", low=0.0),
        Parameter("P", 0.2, "omega", "incoherent pump rate of qubit 1", low=0.0),
        Parameter("kappa", 0.2, "omega", "T = 0 decay rate of qubit 2 (cold bath)", low=0.0,
                  low_inclusive=False),
        Parameter("T_c", 0.0, "omega", "cold-bath temperature", low=0.0),
    ),
    build=tacchino_build,
    analyse=tacchino_analyse,
    doc="""Tacchino, Auffèves, Santos, Gerace, PRL 120, 063604 (2018), arXiv:1710.01377 (arXiv
v2 title: 'Steady state entanglement beyond the thermodynamic limit').

Hamiltonian: H = (omega/2)(sz1 + sz2) + g (s1^+ s2^- + h.c.)  (resonant qubits).
Dissipators (local Lindblad, each bath acts on its own qubit, valid for g not >> rates):
    qubit 1 ("hot"): gamma D[s1^-] + P D[s1^+]   -> effective T_h = omega/ln(gamma/P),
                     negative (population inversion) when P > gamma;
    qubit 2 ("cold"): kappa (1 + n_c) D[s2^-] + kappa n_c D[s2^+],  n_c = Bose(omega, T_c).
Master equation: local Lindblad form.  Units: omega = 1, hbar = k_B = 1.
Defaults: omega = 1, g = 0.05, gamma = 0.05, P = 0.2, kappa = 0.2, T_c = 0.
Paper's claim (abstract): classical (positive-temperature) reservoirs bound the entanglement;
the bound is overcome when the pumping rate exceeds the dissipation rate (P > gamma, negative
effective temperature).  The paper's numbers could not be read; the checks are derived:
QuTiP oracle, C = 0 when both effective temperatures are equal (the product of bare Gibbs
states is then stationary), and the maximum over P > gamma exceeds the maximum over
P <= gamma (positive T_h) at the default couplings.""",
))


def huang_reflect(p: dict[str, Any]) -> dict[str, Any]:
    """Parameters with the two bath temperatures swapped (mirror image of the chain)."""
    return {**p, "T_L": p["T_R"], "T_R": p["T_L"]}


__all__ = ["bose", "broadcast_params", "effective_temperature", "energy_basis_coherence",
           "huang_reflect", "quiroga_closed_form", "xx_hamiltonian"]
