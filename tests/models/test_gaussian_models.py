"""krauter2011 and ockeloen2018: closed forms, ideal limits, QuTiP Fock oracle, errors."""

from __future__ import annotations

import numpy as np
import pytest

from qness.errors import InvalidInputError
from qness.measures.gaussian import covariance_from_density_matrix
from qness.models import get
from qness.models.gaussian_models import (
    KRAUTER,
    OCKELOEN,
    krauter_closed_form,
    ockeloen_ideal,
    solve,
)
from qness.steady.gaussian import UnstableSystemError, solve_gaussian


def test_registered_with_gaussian_solver_and_citations():
    for name, arxiv in (("krauter2011", "1006.4344"), ("ockeloen2018", "1711.01640")):
        spec = get(name)
        assert spec.solver_options["solver"] == "gaussian"
        assert arxiv in spec.reference and arxiv in spec.doc


@pytest.mark.parametrize("q, gamma, n", [(0.5, 0.25, 0.5), (0.2, 0.0, 0.0), (0.8, 1.0, 2.0),
                                         (0.9, 0.05, 0.0)])
def test_krauter_matches_closed_form(q, gamma, n):
    out = solve("krauter2011", {"nu_over_mu": q, "gamma": gamma, "n": n})
    cf = krauter_closed_form(KRAUTER.resolve({"nu_over_mu": q, "gamma": gamma, "n": n}))
    np.testing.assert_allclose(out["epr_variance"], cf["epr_variance"], rtol=1e-10)
    np.testing.assert_allclose(out["log_negativity"], cf["log_negativity"], atol=1e-10)
    assert out["diagnostics"]["validated"]


def test_krauter_ideal_is_two_mode_squeezed_vacuum():
    q = 0.6
    out = solve("krauter2011", {"nu_over_mu": q, "gamma": 0.0})
    r = np.arctanh(q)
    np.testing.assert_allclose(out["log_negativity"], 2 * r / np.log(2), rtol=1e-10)
    np.testing.assert_allclose(out["purity"], 1.0, atol=1e-10)
    np.testing.assert_allclose(out["occupations"], np.sinh(r) ** 2, rtol=1e-10)


def test_krauter_against_qutip_fock():
    qutip = pytest.importorskip("qutip")
    p = KRAUTER.resolve({"nu_over_mu": 0.3, "gamma": 0.2, "n": 0.05})
    V = solve_gaussian(KRAUTER.build(p)).covariance
    N = 8
    a1 = qutip.tensor(qutip.destroy(N), qutip.qeye(N))
    a2 = qutip.tensor(qutip.qeye(N), qutip.destroy(N))
    mu = 1 / np.sqrt(1 - 0.09)
    nu = 0.3 * mu
    c_ops = [mu * a1 + nu * a2.dag(), mu * a2 + nu * a1.dag()]
    for a in (a1, a2):
        c_ops += [np.sqrt(0.2 * 1.05) * a, np.sqrt(0.2 * 0.05) * a.dag()]
    rho = qutip.steadystate(0 * a1.dag() * a1, c_ops).full()
    V_fock, _ = covariance_from_density_matrix(rho, [N, N])
    np.testing.assert_allclose(V, V_fock, atol=1e-6)


def test_krauter_noise_destroys_entanglement():
    ens = [solve("krauter2011", {"gamma": g, "n": 1.0})["log_negativity"] for g in (0, 0.3, 3.0)]
    assert ens[0] > ens[1] > ens[2] == 0.0


@pytest.mark.parametrize("eliminate", [False, True])
def test_ockeloen_noiseless_limit_is_woolley_clerk_tmsv(eliminate):
    over = {"gamma": 0.0, "eliminate_cavity": eliminate, "G_plus": 0.05}
    out = solve("ockeloen2018", over)
    ideal = ockeloen_ideal(OCKELOEN.resolve(over))
    np.testing.assert_allclose(out["log_negativity"], ideal["log_negativity"], rtol=1e-8)
    np.testing.assert_allclose(out["epr_variance"], ideal["epr_variance"], rtol=1e-8)
    np.testing.assert_allclose(out["purity"], 1.0, atol=1e-8)


def test_ockeloen_adiabatic_elimination_agrees_for_large_kappa():
    over = {"G_minus": 0.02, "G_plus": 0.014, "Omega": 4e-4, "gamma": 2e-6, "n_m": 20.0}
    full = solve("ockeloen2018", over)
    elim = solve("ockeloen2018", {**over, "eliminate_cavity": True})
    # corrections are O(G^2 / kappa^2) ~ 1e-3
    np.testing.assert_allclose(elim["log_negativity"], full["log_negativity"], rtol=1e-2)
    np.testing.assert_allclose(elim["epr_variance"], full["epr_variance"], rtol=1e-2)


def test_ockeloen_thermal_noise_degrades_entanglement():
    ens = [solve("ockeloen2018", {"n_m": n})["log_negativity"] for n in (0.0, 30.0, 3000.0)]
    ideal = solve("ockeloen2018")["log_negativity_ideal"]
    assert ideal > ens[0] > ens[1] > ens[2]


def test_ockeloen_dark_mode_without_detuning_is_reported():
    with pytest.raises(UnstableSystemError, match="marginally stable"):
        solve("ockeloen2018", {"Omega": 0.0, "gamma": 0.0})


def test_bad_parameters():
    with pytest.raises(InvalidInputError, match="G_plus < G_minus"):
        solve("ockeloen2018", {"G_plus": 0.2})
    with pytest.raises(InvalidInputError, match="nu_over_mu"):
        solve("krauter2011", {"nu_over_mu": 1.0})
    with pytest.raises(InvalidInputError, match="scalar"):
        KRAUTER.build({**KRAUTER.defaults(), "gamma": np.array([0.1, 0.2])})


def test_reproduce_quick(tmp_path):
    from qness.reproduce import krauter2011, ockeloen2018

    for mod in (krauter2011, ockeloen2018):
        rows = mod.reproduce(tmp_path, quick=True)
        assert rows and all("qness" in r for r in rows)
    assert sorted(p.suffix for p in tmp_path.iterdir()).count(".png") == 2
