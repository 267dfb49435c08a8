"""Catalogue family A: drive + engineered dissipation (kastoryano2011, lin2013, shankar2013,
ullah2021).

Physics checks: the singlet's invariance under the symmetric microwave/Zeeman terms, the
Reiter-Sørensen effective-operator model against the full cavity model (weak-drive limit), the
C^-1 error law of the cavity scheme in the resolved-dressed-state regime, the closed-form Bell
fidelity of the reduced pump models, QuTiP as an oracle, and the Puri-Lawande state.
"""

from __future__ import annotations

import numpy as np
import pytest
import qutip

from qness.cli import solve_model
from qness.errors import InvalidInputError
from qness.models import drive_models as dm
from qness.models import get
from qness.steady import steadystate

FAMILY = "A: drive + engineered dissipation"
NAMES = ("kastoryano2011", "lin2013", "shankar2013", "ullah2021")


def solve(name, **overrides):
    spec = get(name)
    p = spec.resolve(overrides)
    gen = spec.build(p)
    return steadystate(gen, rho0=gen.info.get("rho0")), gen, p


@pytest.mark.parametrize("name", NAMES)
def test_registered_with_family_reference_and_doc(name):
    spec = get(name)
    assert spec.family == FAMILY
    assert "(20" in spec.reference
    for word in ("Hamiltonian", "Dissipators", "Master equation", "Units", "Defaults"):
        assert word in spec.doc


@pytest.mark.parametrize("name,bad", [("kastoryano2011", {"kappa": 0.0}),
                                      ("kastoryano2011", {"n_cav": 1}),
                                      ("lin2013", {"gamma_phi": -0.1}),
                                      ("shankar2013", {"Gamma": 0.0}),
                                      ("ullah2021", {"n_th": -1.0})])
def test_bad_parameters_raise_naming_the_argument(name, bad):
    with pytest.raises(InvalidInputError, match=next(iter(bad))):
        get(name).resolve(bad)


def test_array_parameters_rejected_for_pointwise_models():
    with pytest.raises(InvalidInputError, match="scalar"):
        get("lin2013").build(get("lin2013").resolve({"Gamma": np.array([1.0, 2.0])}))


# ----------------------------------------------------------------------------- kastoryano2011
def test_singlet_is_invariant_under_ground_hamiltonian():
    ops = dm.krs_operators(get("kastoryano2011").resolve({"delta": 0.3, "Omega_MW": 0.7}))
    g = ops["ground"]
    Hg = ops["H_ground"][np.ix_(g, g)]
    s = dm.krs_singlet_ground()
    # the singlet is an eigenvector of the symmetric microwave + Zeeman Hamiltonian
    hs = Hg @ s
    assert np.allclose(hs, (s.conj() @ hs) * s, atol=1e-14)


def test_effective_operators_match_full_model_at_weak_drive():
    """Second-order effective model versus the full cavity model: they agree to O(Omega^2/g^2,
    Omega^2/kappa^2) as the laser weakens (microwave and Zeeman scaled with Omega^2)."""
    errors = []
    for Om in (0.1, 0.03):
        rate = Om**2
        common = {"Omega": Om, "Omega_MW": 30 * rate, "delta": 0.03 * rate}
        full, _, _ = solve("kastoryano2011", **common)
        eff, _, _ = solve("kastoryano2011", effective=True, **common)
        f_full = dm.analyse_kastoryano(full, get("kastoryano2011").build(
            get("kastoryano2011").resolve(common)), {})["singlet_fidelity"]
        p_eff = get("kastoryano2011").resolve({**common, "effective": True})
        f_eff = dm.analyse_kastoryano(eff, get("kastoryano2011").build(p_eff), p_eff)[
            "singlet_fidelity"]
        errors.append(abs(f_full - f_eff))
    assert errors[1] < 0.2 * errors[0]
    assert errors[1] < 2e-3


def krs_infidelity(C, kappa=1.0, detuning=-1.0):
    """1 - F of the effective model at cooperativity C (gamma = 1, Delta = detuning * g)."""
    g = np.sqrt(C * kappa)
    Om = 0.01
    rate = Om**2
    p = get("kastoryano2011").resolve({"g": g, "kappa": kappa, "gamma": 1.0,
                                       "Delta": detuning * g,
                                       "Omega": Om, "Omega_MW": 30 * rate,
                                       "delta": 0.03 * rate, "effective": True})
    gen = get("kastoryano2011").build(p)
    ss = steadystate(gen, on_fail="flag")
    return dm.analyse_kastoryano(ss, gen, p)["infidelity"]


def test_singlet_error_scales_as_inverse_cooperativity():
    """Derived headline: 1 - F ~ C^-1 (kappa = gamma, Delta = -g, fixed drive ratios).

    Pump into the singlet ~ Omega^2/kappa (resonant dressed state), singlet loss ~
    Omega^2 (kappa + gamma)/g^2, so their ratio ~ 1/C.  Fitted log-log slope over
    C = 1e2 .. 1e4 must be -1 within 0.05.  (The paper's own optimised law is quoted as
    C^-1/2 elsewhere; the stored abstract states no exponent - see
    docs/catalogue/kastoryano2011.md.)
    """
    C = np.array([1e2, 1e3, 1e4])
    err = np.array([krs_infidelity(c) for c in C])
    slope = np.polyfit(np.log(C), np.log(err), 1)[0]
    assert slope == pytest.approx(-1.0, abs=0.05)
    assert np.all(np.diff(err) < 0)


def test_singlet_error_law_needs_dressed_resonance_not_kappa_equal_gamma():
    """The C^-1 law survives kappa = 10 gamma (slope -1 within 0.05); a laser off the dressed
    resonance (Delta = 0) stops the pumping and 1 - F stalls above 0.2 whatever C."""
    C = np.array([1e2, 1e3, 1e4])
    err = np.array([krs_infidelity(c, kappa=10.0) for c in C])
    assert np.polyfit(np.log(C), np.log(err), 1)[0] == pytest.approx(-1.0, abs=0.05)
    assert krs_infidelity(1e4, detuning=0.0) > 0.2


def test_kastoryano_singlet_is_the_unique_fixed_point():
    ss, _, _ = solve("kastoryano2011")      # abstract: the singlet is the unique fixed point
    assert ss.kernel_dim == 1


def test_kastoryano_full_model_matches_qutip():
    p = get("kastoryano2011").resolve({"g": 3.0, "Delta": -3.0})
    gen = get("kastoryano2011").build(p)
    dims = [list(gen.dims), list(gen.dims)]
    H = qutip.Qobj(gen.hamiltonian, dims=dims)
    c_ops = [qutip.Qobj(np.asarray(c), dims=dims) for c in gen.jumps]
    ref = qutip.steadystate(H, c_ops).full()
    np.testing.assert_allclose(steadystate(gen).rho, ref, atol=1e-8)


def test_default_kastoryano_singlet_dominates():
    out = solve_model("kastoryano2011", {})
    assert out["singlet_fidelity"] > 0.9
    assert out["cooperativity"] == pytest.approx(100.0)


# ------------------------------------------------------------------------ lin2013 / shankar2013
@pytest.mark.parametrize("name,target", [("lin2013", "psi-"), ("shankar2013", "phi-")])
def test_pump_fidelity_closed_form(name, target):
    for gphi in (0.0, 0.003, 0.05, 0.4):
        out = solve_model(name, {"gamma_phi": gphi, "Gamma": 2.0})
        assert out["target"] == target
        expected = dm.pump_fidelity_dephasing(2.0, gphi)
        assert out["fidelity"] == pytest.approx(float(expected), abs=1e-12)
    # first-order law 1 - F = 4 gamma_phi / Gamma
    small = solve_model(name, {"gamma_phi": 1e-5})
    assert 1 - small["fidelity"] == pytest.approx(4e-5, rel=1e-3)


@pytest.mark.parametrize("name", ["lin2013", "shankar2013"])
def test_pump_with_t1_matches_qutip(name):
    ss, gen, _ = solve(name, gamma1=0.05, gamma_phi=0.02)
    dims = [[2, 2], [2, 2]]
    ref = qutip.steadystate(qutip.Qobj(np.zeros((4, 4)), dims=dims),
                            [qutip.Qobj(np.asarray(c), dims=dims) for c in gen.jumps]).full()
    np.testing.assert_allclose(ss.rho, ref, atol=1e-9)
    noiseless, _, _ = solve(name, gamma1=0.0, gamma_phi=0.0)
    from qness.measures import bell_fidelity
    assert float(bell_fidelity(noiseless.rho, gen.info["target"])) == pytest.approx(1.0,
                                                                                  abs=1e-12)


# ----------------------------------------------------------------------------- ullah2021
@pytest.mark.parametrize("Omega", [0.2, 0.5, 1.5])
def test_ullah_zero_temperature_is_puri_lawande(Omega):
    ss, _gen, _p = solve("ullah2021", Omega=Omega)
    assert ss.kernel_dim == 2  # the singlet decouples without local relaxation
    np.testing.assert_allclose(ss.rho, dm.puri_lawande_state(Omega, 1.0), atol=1e-10)


def test_ullah_local_relaxation_makes_state_unique_and_heat_reduces_entanglement():
    ss, _, _ = solve("ullah2021", gamma_l=0.05)
    assert ss.kernel_dim == 1
    c = [solve_model("ullah2021", {"n_th": n})["concurrence"] for n in (0.0, 0.5, 2.0)]
    assert c[0] > 0 and c[0] >= c[1] >= c[2]
