"""The tutorial script (examples/tutorial_bath_to_steady_state.py) runs and its claims hold.

Every statement the page docs/tutorial_bath_to_steady_state.md makes is checked here against
physics (KMS relations, Gibbs and generalised Gibbs states, the first and second laws, the
analytic X-state solution of MAGNON_MODEL.md 1.6), not against stored outputs of the script.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "tutorial_bath_to_steady_state.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("tutorial_bath_to_steady_state", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tutorial():
    return _load_script()


@pytest.fixture(scope="module")
def results(tutorial, tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    return tutorial.main(out, quick=True)


def _x_state_concurrence(sd: float, su: float, ad: float, au: float) -> float:
    """MAGNON_MODEL.md 1.6: the 4-state ring T- <-> {T0, S} <-> T+ and Wootters' C of the
    resulting X state (symmetric rates sd/su, antisymmetric ad/au)."""
    x, y, a, b = su / (su + sd), au / (au + ad), su + sd, au + ad
    p_minus = 1.0
    p_plus = (x**2 * a + y**2 * b) / ((1 - x) ** 2 * a + (1 - y) ** 2 * b)
    p_t0 = x * p_minus + (1 - x) * p_plus
    p_s = y * p_minus + (1 - y) * p_plus
    z = p_minus + p_plus + p_t0 + p_s
    return max(0.0, (abs(p_t0 - p_s) - 2 * np.sqrt(p_plus * p_minus)) / z)


def test_spectra_obey_s_vs_j_and_detailed_balance(results):
    s_pos, s_neg, s_from_j, boltzmann = results["bath"]["ohmic"]
    np.testing.assert_allclose(s_pos, s_from_j, rtol=1e-12)          # S = 2 pi J (1 + n)
    np.testing.assert_allclose(s_neg / s_pos, boltzmann, rtol=1e-12)  # KMS at mu = 0
    for ratio, shifted in results["bath"]["kms"].values():              # KMS at q mu
        np.testing.assert_allclose(ratio, shifted, rtol=1e-12)


def test_rate_matrices_follow_the_kernels(tutorial, results):
    rates = results["bath"]["rates"]
    r = tutorial.SEPARATION
    for name, length in (("co", tutorial.LONG_RANGE), ("counter", tutorial.SHORT_RANGE)):
        g = rates[name]
        assert g[0, 0] > 0 and g[0, 0] == pytest.approx(g[1, 1])
        assert g[0, 1] / g[0, 0] == pytest.approx(np.exp(-r / length), rel=1e-12)


def test_builders_agree_for_identical_qubits_and_partial_secular_for_detuned(results):
    same, detuned = results["two_qubits"]["identical"], results["two_qubits"]["detuned"]
    assert same["partial"] > 0.1                          # the gain window entangles
    for name in ("local", "davies", "redfield"):
        assert same[name] == pytest.approx(same["partial"], abs=1e-9)
    # a detuning far below the rates: partial secular still matches Redfield, Davies does not
    assert detuned["partial"] == pytest.approx(detuned["redfield"], abs=1e-4)
    assert abs(detuned["davies"] - detuned["redfield"]) > 0.1


def test_equilibrium_states(results):
    eq = results["equilibrium"]
    for dist in eq["gibbs"].values():
        assert dist < 1e-10
    for mu, entry in eq["gge"].items():
        for dist, conc in entry["results"].values():
            assert dist < 1e-10 and conc < 1e-10
        if mu > 1.0:                                       # mu > Delta: population inversion
            assert entry["p_ee"] > entry["p_gg"]


def test_local_vs_global_heat_currents(results):
    runs = results["local_vs_global"]
    for by_form in runs.values():
        q_ref = by_form["redfield"][0]
        assert q_ref > 0                                   # heat flows from hot into cold
        for q_hot, q_cold, sigma in by_form.values():
            assert abs(q_hot + q_cold) < 1e-9 * abs(q_hot)   # first law
            assert sigma > 0                               # second law
        assert by_form["partial"][0] == pytest.approx(q_ref, rel=2e-3)
    weak, mid, strong = (runs[g] for g in sorted(runs))
    assert weak["local"][0] == pytest.approx(weak["redfield"][0], rel=1e-3)
    assert weak["davies"][0] > 100 * weak["redfield"][0]  # Davies: g below the rates
    assert mid["local"][0] == pytest.approx(mid["redfield"][0], rel=2e-3)
    assert mid["davies"][0] == pytest.approx(mid["redfield"][0], rel=3e-2)
    assert strong["davies"][0] == pytest.approx(strong["redfield"][0], rel=1e-3)
    assert abs(strong["local"][0] / strong["redfield"][0] - 1) > 0.1


def test_concurrence_curves(tutorial, results):
    data = results["concurrence"]
    mus, curves = data["mus"], data["curves"]
    assert data["figure"].is_file() and data["figure"].stat().st_size > 10_000
    conserving, mixing_02, mixing_05, same_kernel = curves.values()
    assert np.all(conserving < 1e-10)                      # GGE product state for every mu
    assert np.all(same_kernel < 1e-10)                     # needs different kernels
    for c in (mixing_02, mixing_05):
        assert np.all(c <= 0.5 + 1e-12)                    # bound of MAGNON_MODEL 1.6
        assert np.all(c[np.abs(mus) < 0.9] < 1e-10)        # both channels lossy
        assert c.max() > 0.2
    # every point of the eta = 0.2 curve equals the analytic X-state solution
    positions = [0.0, tutorial.SEPARATION]
    for mu, c in zip(mus, mixing_02, strict=True):
        bath = tutorial.magnet_bath(0.02, float(mu), tutorial.exponential(tutorial.LONG_RANGE),
                                    tutorial.exponential(tutorial.SHORT_RANGE))
        down = sum(w * bath[n].rate_matrix(positions, tutorial.DELTA).real
                   for n, w in (("co", 1.0), ("counter", 0.04)))
        up = sum(w * bath[n].rate_matrix(positions, tutorial.DELTA, "up").real
                 for n, w in (("co", 1.0), ("counter", 0.04)))
        expected = _x_state_concurrence(down[0, 0] + down[0, 1], up[0, 0] + up[0, 1],
                                        down[0, 0] - down[0, 1], up[0, 0] - up[0, 1])
        assert c == pytest.approx(expected, abs=1e-9)
