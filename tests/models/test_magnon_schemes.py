"""The related magnon schemes ``zou2022`` and ``kleinherbers2025``: closed forms, limits, the
product (GGE / Gibbs) zeros, QuTiP cross-checks, bad inputs, reproduce scripts."""

from __future__ import annotations

import json

import numpy as np
import pytest
import qutip

import qness
from qness.cli import solve_model
from qness.errors import InvalidInputError
from qness.measures import concurrence
from qness.models import get
from qness.models import magnon_schemes as ms
from qness.models.hou2025 import two_qubit_operators
from qness.steady import steadystate

OPS = two_qubit_operators()
EG = ms.initial_state("eg")


def zou(**overrides):
    p = ms.ZOU_SPEC.resolve(overrides)
    return ms.zou_build(p), p


def klein(**overrides):
    p = ms.KLEINHERBERS_SPEC.resolve(overrides)
    gen = ms.kleinherbers_build(p)
    return steadystate(gen), gen, p


def product_state(pe1, pe2):
    """rho_1 (x) rho_2 of diagonal qubit states with excited populations pe1, pe2."""
    return np.kron(np.diag([pe1, 1 - pe1]), np.diag([pe2, 1 - pe2])).astype(complex)


# ============================================================================= registry / CLI
@pytest.mark.parametrize("name", ["zou2022", "kleinherbers2025"])
def test_registered_documented_and_cli_json(name):
    spec = get(name)
    assert spec.family == "magnon"
    assert "arXiv:" in spec.reference and "(20" in spec.reference
    for word in ("Hamiltonian", "Dissipators", "Master equation", "Units", "Defaults",
                 "Derived here", "reconstruction"):
        assert word in spec.doc
    out = solve_model(name, {})
    json.dumps(out)
    assert out["diagnostics"]["validated"]


# ============================================================================= zou2022
def test_zou_rates_reuse_the_magnon_bath_and_are_conserving():
    gen, _ = zou(T=0.05, mu=0.3)
    from qness.models.hou2025 import channel_rates

    kw = {"g_c": 0.01, "g_n": 0.0, "gap": 1.0, "stiffness": 1.0, "alpha": 1e-3, "mu": 0.3,
          "T": 0.05, "dim": 2}
    loc, crs = channel_rates(1.2, 0.0, **kw), channel_rates(1.2, 0.5, **kw)
    down, up = gen.info["rates"]["down"], gen.info["rates"]["up"]
    np.testing.assert_allclose(down, [[loc["c_down"], crs["c_down"]],
                                      [crs["c_down"], loc["c_down"]]], rtol=1e-14)
    # one charge channel: up/down = exp(-(Delta - mu)/T) for local and cross rates alike
    np.testing.assert_allclose(up / down, np.exp(-(1.2 - 0.3) / 0.05), rtol=1e-10)
    # in the band (2D): Gamma_12 / Gamma = J0(k r) e^{-r/l} ~ J0(k r)
    from scipy.special import j0

    assert down[0, 1] / down[0, 0] == pytest.approx(j0(np.sqrt(0.2) * 0.5), rel=2e-3)


def test_zou_generator_equals_correlated_liouvillian():
    gen, _ = zou(T=0.1, detuning=3e-5, lamb_shift=True, gamma1=1e-6, gamma_phi=2e-6)
    rates = gen.info["rates"]
    nth = 1 / np.expm1(1.2 / 0.1)
    local = [np.sqrt(1e-6 * (1 + nth)) * OPS["sm1"], np.sqrt(1e-6 * nth) * OPS["sp1"],
             np.sqrt(1e-6 * (1 + nth)) * OPS["sm2"], np.sqrt(1e-6 * nth) * OPS["sp2"],
             np.sqrt(1e-6) * OPS["sz1"], np.sqrt(1e-6) * OPS["sz2"]]
    flip = OPS["sp1"] @ OPS["sm2"]
    H = 3e-5 / 4 * (OPS["sz1"] - OPS["sz2"]) + gen.info["J12"] * (flip + flip.T)
    ref = qness.liouvillian(H, local, correlated=[(rates["down"], [OPS["sm1"], OPS["sm2"]]),
                                                  (rates["up"], [OPS["sp1"], OPS["sp2"]])])
    np.testing.assert_allclose(gen.dense(), ref.dense(), atol=1e-22, rtol=1e-12)


@pytest.mark.parametrize("T,mu,r", [(0.0, 0.0, 0.5), (0.05, 0.3, 1.0), (0.4, -1.0, 2.0),
                                    (0.2, 0.9, 0.3)])
def test_zou_steady_state_is_the_product_gge(T, mu, r):
    gen, _ = zou(T=T, mu=mu, r=r, detuning=1e-5, lamb_shift=True)
    ss = steadystate(gen)
    pe = 0.0 if T == 0 else 1 / (np.exp((1.2 - mu) / T) + 1)
    np.testing.assert_allclose(ss.rho, product_state(pe, pe), atol=1e-10)
    assert concurrence(ss.rho) < 1e-10


def test_zou_transient_concurrence_closed_form():
    # T = 0, no detuning, no J12: C(t) = |exp(-(G - G12) t) - exp(-(G + G12) t)| / 2 from |eg>
    for ratio in (0.99, 0.6, -0.8):
        gen, _ = zou(bath="phenomenological", Gamma=1.0, Gamma_12=ratio)
        t = np.array([0.0, 0.1, 1.0, 3.0, 30.0])
        c = ms.transient_concurrence(gen, EG, t)
        ref = 0.5 * np.abs(np.exp(-(1 - abs(ratio)) * t) - np.exp(-(1 + abs(ratio)) * t))
        np.testing.assert_allclose(c, ref, atol=1e-12)


def test_zou_evolution_agrees_with_qutip_mesolve():
    gen, _ = zou(T=0.3, detuning=2e-5, lamb_shift=True)
    times = np.linspace(0, 4e4, 5)
    rho = ms.evolve(gen, EG, times)
    dims = [[2, 2], [2, 2]]
    res = qutip.mesolve(qutip.Qobj(gen.hamiltonian, dims=dims), qutip.Qobj(EG, dims=dims), times,
                        [qutip.Qobj(j, dims=dims) for j in gen.jumps],
                        options={"atol": 1e-12, "rtol": 1e-10})
    for k, st in enumerate(res.states):
        np.testing.assert_allclose(rho[k], st.full(), atol=1e-8)


@pytest.mark.parametrize("T,mu,delta", [(0.0, 0.0, 1.2), (0.3, 0.0, 1.2), (0.2, 0.5, 1.2),
                                         (0.1, 0.99, 0.95)])
def test_zou_long_lived_state_closed_form_and_exact_at_contact(T, mu, delta):
    # mu = 0.99 > delta = 0.95: a pumped magnet inverts the qubits (gain), q = Gu/Gd > 1
    p = {"T": T, "mu": mu, "delta": delta}
    # r = 0: the dark singlet is exactly decoupled: the state reached from |eg> (rho0 projection)
    gen0, p0 = zou(r=0.0, **p)
    assert gen0.info["degenerate"]
    ss0 = steadystate(gen0, rho0=EG)
    out0 = ms.zou_analyse(ss0, gen0, p0)
    rates = gen0.info["rates"]
    a, b = rates["down"][0, 0] * 2, rates["up"][0, 0] * 2         # symmetric channel rates
    expected = (a - b) ** 2 / (2 * (a * a + a * b + b * b))
    assert concurrence(ss0.rho) == pytest.approx(expected, abs=1e-9)
    assert out0["concurrence_plateau"] == pytest.approx(expected, abs=1e-9)
    assert out0["concurrence_plateau_closed_form"] == pytest.approx(expected, abs=1e-12)
    assert out0["concurrence_long_lived"] == pytest.approx(expected, abs=1e-6)
    assert out0["plateau_lifetime"] == "inf"
    # r > 0: the same plateau, now decaying at ~ 1/(Gamma - Gamma_12); steady state C = 0
    gen, pr = zou(r=0.2, **p)
    out = ms.zou_analyse(steadystate(gen), gen, pr)
    assert out["concurrence"] < 1e-10
    assert out["concurrence_plateau"] == pytest.approx(out["concurrence_plateau_closed_form"],
                                                       abs=1e-9)
    rates = gen.info["rates"]
    lam_a = rates["down"][0, 0] - rates["down"][0, 1] + rates["up"][0, 0] - rates["up"][0, 1]
    lam_s = rates["down"][0, 0] + rates["down"][0, 1] + rates["up"][0, 0] + rates["up"][0, 1]
    assert out["plateau_lifetime"] > 0.3 / lam_a
    t_mid = np.sqrt(1 / (lam_a * lam_s))                 # fast channel done, slow barely started
    c_mid = ms.transient_concurrence(gen, EG, [t_mid])[0]
    assert c_mid == pytest.approx(expected, abs=0.05)
    assert c_mid - 1e-9 <= out["concurrence_long_lived"] <= expected + 1e-9
    c_at = ms.transient_concurrence(gen, EG, [out["t_long_lived"]])[0]
    assert c_at == pytest.approx(out["concurrence_long_lived"], abs=1e-12)


def test_zou_peak_concurrence_closed_form():
    # T = 0: C(t) = (e^{-a t} - e^{-b t})/2 peaks at t* = ln(b/a)/(b - a)
    for ratio in (0.99, 0.5, -0.7):
        gen, _ = zou(bath="phenomenological", Gamma=1e-4, Gamma_12=ratio * 1e-4)
        a, b = (1 - abs(ratio)) * 1e-4, (1 + abs(ratio)) * 1e-4
        t_star = np.log(b / a) / (b - a)
        c_star = 0.5 * (np.exp(-a * t_star) - np.exp(-b * t_star))
        c, t = ms.peak_concurrence(gen, EG)
        assert c == pytest.approx(c_star, abs=1e-10)
        assert t == pytest.approx(t_star, rel=1e-3)


def test_zou_exceptional_point_of_the_no_jump_hamiltonian():
    g, g12 = 1.0, 0.7
    for d in (0.0, 0.3, 0.69, 0.71, 1.5):
        num = sorted(np.linalg.eigvals(ms.effective_hamiltonian(g, g12, d)),
                     key=lambda z: (round(z.imag, 9), round(z.real, 9)))
        ref = np.array(sorted(ms.ep_eigenvalues(g, g12, d),
                              key=lambda z: (round(z.imag, 9), round(z.real, 9))))
        np.testing.assert_allclose(num, ref, atol=1e-12)
        rates = -ref.imag
        if d < g12:                    # PT-broken: two decay rates, equal frequencies
            assert rates.max() - rates.min() == pytest.approx(np.sqrt(g12**2 - d**2))
            assert abs(ref.real).max() < 1e-12
        else:                          # PT-symmetric: one decay rate, split frequencies
            assert rates.max() - rates.min() < 1e-12
            assert abs(ref[0].real - ref[1].real) == pytest.approx(np.sqrt(d**2 - g12**2))
    at_ep = ms.ep_eigenvalues(g, g12, g12)
    assert abs(at_ep[0] - at_ep[1]) < 1e-12
    # the model reports the EP at |detuning| = |Gamma_12| (total cross rate)
    gen, p = zou(bath="phenomenological", Gamma=1e-4, Gamma_12=0.7e-4,
                 detuning=np.array([0.3e-4, 0.7e-4, 1.5e-4]))
    out = ms.zou_analyse(steadystate(gen), gen, p)
    np.testing.assert_allclose(out["ep_detuning"], 0.7e-4)
    assert out["postselected_phase"] == ["PT-broken", "exceptional point", "PT-symmetric"]


def test_zou_postselected_concurrence_closed_form():
    g12 = 0.8e-4
    d = np.array([0.0, 0.4, 0.79, 1.2, 2.0, 5.0]) * g12
    gen, p = zou(bath="phenomenological", Gamma=1e-4, Gamma_12=g12, detuning=d)
    out = ms.zou_analyse(steadystate(gen), gen, p)
    expected = np.where(d <= g12, 1.0, g12 / np.maximum(d, 1e-300))
    np.testing.assert_allclose(out["concurrence_postselected"], expected, atol=1e-9)
    np.testing.assert_allclose(out["concurrence_postselected_closed_form"], expected, atol=1e-15)
    # delta = 0: the no-jump state from |eg> is cosh|eg> - sinh|ge>: C(t) = tanh(G12 t)
    t = np.array([0.5, 2.0, 1e4]) / g12
    psi = ms.postselected_evolution(ms.effective_hamiltonian(1e-4, g12, 0.0), [1, 0], t)
    np.testing.assert_allclose(ms.eigenvector_concurrence(psi), np.tanh(g12 * t), atol=1e-12)


def test_zou_postselection_needs_no_special_initial_state(rng):
    g12, d = 0.9, 0.5
    heff = ms.effective_hamiltonian(1.0, g12, d)
    for _ in range(5):
        psi0 = rng.normal(size=2) + 1j * rng.normal(size=2)
        psi = ms.postselected_evolution(heff, psi0, np.array([60.0]))
        assert ms.eigenvector_concurrence(psi)[0] == pytest.approx(1.0, abs=1e-9)


def test_zou_sector_postselection_equals_no_jump_at_zero_temperature():
    g, g12, d = 1e-4, 0.85e-4, 0.4e-4
    gen, _ = zou(bath="phenomenological", Gamma=g, Gamma_12=g12, detuning=d)
    times = np.array([0.3, 3.0, 20.0]) / g
    block = ms.sector_postselect(ms.evolve(gen, EG, times))[:, 1:3, 1:3]
    psi = ms.postselected_evolution(ms.effective_hamiltonian(g, g12, d), [1, 0], times)
    np.testing.assert_allclose(block, np.einsum("ti,tj->tij", psi, psi.conj()), atol=1e-12)


def test_zou_correlations_vanish_no_entanglement_at_any_time():
    gen, p = zou(bath="phenomenological", Gamma=1e-4, Gamma_12=0.0, T=0.3)
    c = ms.transient_concurrence(gen, EG, np.geomspace(1, 1e6, 30))
    assert np.max(c) < 1e-12
    out = ms.zou_analyse(steadystate(gen), gen, p)
    assert out["concurrence_long_lived"] < 1e-12
    assert out["concurrence_postselected"] < 1e-12
    assert out["postselected_phase"] == "no dissipative coupling"


def test_zou_batched_build_matches_pointwise():
    r = np.array([0.3, 1.0, 4.0])
    gen, _ = zou(r=r, T=0.1)
    for k in range(3):
        one, _ = zou(r=r[k], T=0.1)
        np.testing.assert_allclose(gen.dense()[k], one.dense(), atol=1e-22, rtol=1e-12)


def test_zou_cli_at_contact_returns_the_state_from_eg():
    out = solve_model("zou2022", {"r": "0"})
    assert out["kernel_dim"] > 1
    assert out["concurrence"] == pytest.approx(0.5, abs=1e-9)
    assert out["populations"]["S"] == pytest.approx(0.5, abs=1e-9)


@pytest.mark.parametrize("bad,match", [
    ({"bath": "phenomenological", "Gamma_12": 2e-4}, "Gamma_12"),
    ({"Gamma": -1.0}, "Gamma"),
    ({"mu": 1.0}, "mu"),
    ({"detuning": 3.0}, "detuning"),
    ({"r": 0.0, "lamb_shift": True}, "r = 0"),
    ({"r": -1.0}, "'r'"),
    ({"bath": "thermal"}, "bath"),
    ({"initial": "ee"}, "initial"),
])
def test_zou_bad_inputs_raise(bad, match):
    with pytest.raises(InvalidInputError, match=match):
        ms.zou_build(ms.ZOU_SPEC.resolve(bad))


# ============================================================================= kleinherbers2025
@pytest.mark.parametrize("p", [0.1, 0.4, 0.6, 0.9, 0.99])
def test_pair_reservoir_dark_state_has_concurrence_tanh_2r(p):
    ss, gen, par = klein(v_over_u=p, r=0.0)
    assert ss.kernel_dim == 1
    r_sq = np.arctanh(p)
    assert concurrence(ss.rho) == pytest.approx(np.tanh(2 * r_sq), abs=1e-9)
    psi = ms.dark_state(p)
    np.testing.assert_allclose(ss.rho, np.outer(psi, psi.conj()), atol=1e-9)
    out = ms.kleinherbers_analyse(ss, gen, par)
    assert out["dark_state_fidelity"] == pytest.approx(1.0, abs=1e-9)
    assert out["concurrence_ideal"] == pytest.approx(np.tanh(2 * r_sq), rel=1e-12)


def test_pair_reservoir_equals_squeezed_reservoir_after_flipping_qubit_2():
    # u s1^- + v s2^+, u s2^- + v s1^+ (squeezed-reservoir form) = lab-frame model with qubit 2's
    # e <-> g swapped: same concurrence, state X_2 rho X_2
    p, G = 0.7, 1e-3
    u, v = ms.bogoliubov(p)
    L1 = np.sqrt(G) * (u * OPS["sm1"] + v * OPS["sp2"])
    L2 = np.sqrt(G) * (u * OPS["sm2"] + v * OPS["sp1"])
    ref = steadystate(qness.liouvillian(np.zeros((4, 4)), [L1, L2])).rho
    ss, _, _ = klein(v_over_u=p, r=0.0, G=G)
    x2 = np.kron(np.eye(2), np.array([[0, 1], [1, 0]]))
    np.testing.assert_allclose(x2 @ ss.rho @ x2, ref, atol=1e-10)
    assert concurrence(ref) == pytest.approx(np.tanh(2 * np.arctanh(p)), abs=1e-9)


def test_pair_rate_matrices_physical_and_attenuated(rng):
    for _ in range(20):
        p, T, r = rng.uniform(-0.99, 0.99), rng.uniform(0, 2), rng.uniform(0, 5)
        c = ms.pair_correlations(p, T, r)
        assert (1 + c["N"]) * c["N"] >= c["M"] ** 2 - 1e-12       # lossy squeezed state: PSD
        rates = ms.pair_rate_matrices({"configuration": "inverted", "v_over_u": p, "T": T,
                                       "r": r, "delta": 1.0, "G": 1.0, "coupling_ratio": 1.0})
        for m in rates.values():
            assert np.linalg.eigvalsh(m)[0] >= -1e-12
        # qubit 2 sees an inverted medium, qubit 1 a normal one
        assert rates["up"][1, 1] > rates["down"][1, 1]
        assert rates["down"][0, 0] > rates["up"][0, 0]


@pytest.mark.parametrize("p,T,r", [(0.6, 0.0, 0.02), (0.3, 0.4, 0.5), (0.9, 0.1, 0.05),
                                   (-0.5, 0.2, 0.0), (0.95, 0.0, 1.0)])
def test_pair_steady_state_closed_form_against_full_solve(p, T, r):
    ss, gen, par = klein(v_over_u=p, T=T, r=r)
    c = ms.pair_correlations(p, T, r)
    cf = ms.pair_steady_state(c["N"], c["M"])
    np.testing.assert_allclose(ss.rho, cf["rho"], atol=1e-10)
    assert concurrence(ss.rho) == pytest.approx(float(cf["concurrence"]), abs=1e-9)
    out = ms.kleinherbers_analyse(ss, gen, par)
    assert out["concurrence_closed_form"] == pytest.approx(out["concurrence"], abs=1e-9)
    assert out["entangling_condition"] == (out["concurrence"] > 1e-12)


def test_pair_steady_state_agrees_with_qutip():
    ss, gen, _ = klein(v_over_u=0.5, T=0.2, r=0.1, gamma1=2e-4, gamma_phi=1e-4, J_dd=1e-9,
                       detuning=2e-4, coupling_ratio=1.3)
    dims = [[2, 2], [2, 2]]
    ref = qutip.steadystate(qutip.Qobj(gen.hamiltonian, dims=dims),
                            [qutip.Qobj(j, dims=dims) for j in gen.jumps]).full()
    np.testing.assert_allclose(ss.rho, ref, atol=1e-8)


@pytest.mark.parametrize("T", [0.0, 0.05, 0.5, 3.0])
@pytest.mark.parametrize("r", [0.01, 0.5, 4.0])
def test_equilibrium_controls_are_exact_products(T, r):
    nth = 0.0 if T == 0 else 1 / np.expm1(1.0 / T)
    # F2 aligned with the field: detailed balance at T -> product Gibbs state
    ss, _, _ = klein(configuration="aligned", T=T, r=r, coupling_ratio=0.7)
    pe = nth / (1 + 2 * nth)
    np.testing.assert_allclose(ss.rho, product_state(pe, pe), atol=1e-12)
    assert concurrence(ss.rho) < 1e-12
    # inverted F2 but no pair creation (v = 0): uncorrelated normal + inverted media
    ss, _, _ = klein(v_over_u=0.0, T=T, r=r)
    np.testing.assert_allclose(ss.rho, product_state(pe, 1 - pe), atol=1e-12)
    assert concurrence(ss.rho) < 1e-12


def test_concurrence_vanishes_as_pair_correlations_are_lost():
    r = np.array([0.0, 0.5, 2.0, 8.0, 30.0])
    ss, gen, _ = klein(v_over_u=0.3, r=r)
    c = np.asarray(concurrence(ss.rho))
    assert np.all(np.diff(c) < 0)
    assert c[-1] < 1e-5
    assert np.asarray(gen.info["pair"]["M"])[-1] < 1e-6


def test_bell_state_conditions():
    # ideal: 1 - C = (1 - p)^2 / (1 + p^2) -> 0 as p -> 1
    for p in (0.9, 0.99, 0.999):
        ss, _, _ = klein(v_over_u=p, r=0.0)
        assert 1 - concurrence(ss.rho) == pytest.approx((1 - p) ** 2 / (1 + p**2), abs=1e-8)
    # equal couplings are needed for a pure dark state
    ideal = klein(v_over_u=0.6, r=0.0)[0]
    for ratio in (0.8, 1.25):
        ss, _, _ = klein(v_over_u=0.6, r=0.0, coupling_ratio=ratio)
        assert concurrence(ss.rho) < concurrence(ideal.rho) - 0.01
    # imperfect correlation: the concurrence peaks at an intermediate pair amplitude
    p = np.linspace(0.0, 0.995, 60)
    ss, _, _ = klein(v_over_u=p, r=0.1)
    c = np.asarray(concurrence(ss.rho))
    assert 5 < int(np.argmax(c)) < 55 and c[-1] < 0.05


def test_kleinherbers_direct_coupling_and_detuning_degrade():
    base = concurrence(klein(r=0.02)[0].rho)
    assert concurrence(klein(r=0.02, J_dd=1e-9)[0].rho) < base      # J = 1.25e-4
    assert concurrence(klein(r=0.02, detuning=5e-4)[0].rho) < base


@pytest.mark.parametrize("bad,match", [
    ({"v_over_u": 1.0}, "v_over_u"),
    ({"v_over_u": -1.2}, "v_over_u"),
    ({"G": -1e-3}, "'G'"),
    ({"configuration": "aligned", "r": 0.0}, "r = 0"),
    ({"J_dd": 1e-9, "r": 0.0}, "coinciding"),
    ({"coupling_ratio": 0.0}, "coupling_ratio"),
    ({"T": -0.1}, "'T'"),
    ({"detuning": 2.5}, "detuning"),
])
def test_kleinherbers_bad_inputs_raise(bad, match):
    with pytest.raises(InvalidInputError, match=match):
        ms.kleinherbers_build(ms.KLEINHERBERS_SPEC.resolve(bad))


# ============================================================================= reproduce
@pytest.mark.parametrize("name", ["zou2022", "kleinherbers2025"])
def test_reproduce_quick(name, tmp_path):
    from importlib import import_module

    rows = import_module(f"qness.reproduce.{name}").reproduce(tmp_path, quick=True)
    assert rows and all({"panel", "computed", "value", "check"} <= set(r) for r in rows)
    assert list(tmp_path.glob("*.png")) and list(tmp_path.glob("*.csv"))
    for r in rows:
        if r["check"] in ("0", "0 exactly", "0 (exact at T = 0)"):
            assert abs(r["value"]) < 1e-9, r
