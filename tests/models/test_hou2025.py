"""The hou2025 model: registry contract, generator structure, batching, analysis output, inputs."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
import qutip

import qness
from qness.errors import InvalidInputError, NonUniqueSteadyStateError
from qness.models import get
from qness.models import hou2025 as h
from qness.steady import steadystate

CONTRACT = ("gap", "stiffness", "alpha", "mu", "T", "dim", "delta", "eta", "g", "r", "method",
            "g_z", "gamma1", "gamma_phi", "detuning", "coupling", "g_l", "g_lz", "J_x", "J_y",
            "J", "theta", "spin")


def qutip_concurrence(rho: np.ndarray) -> float:
    return qutip.concurrence(qutip.Qobj(rho, dims=[[2, 2], [2, 2]]))


def test_registered_with_contract_parameters():
    spec = get("hou2025")
    assert spec is h.SPEC
    names = [p.name for p in spec.parameters]
    for name in CONTRACT:
        assert name in names
    d = spec.defaults()
    assert (d["gap"], d["stiffness"], d["alpha"], d["dim"], d["g"]) == (1.0, 1.0, 1e-3, 2, 0.01)
    assert d["method"] == "partial"
    assert spec.resolve({"mu": "0.5", "dim": "3"})["dim"] == 3


def test_generator_structure_and_info():
    p = h.SPEC.resolve({})
    gen = h.build(p)
    assert isinstance(gen, qness.Generator)
    assert gen.dims == (2, 2) and gen.batch_shape == ()
    info = gen.info
    for key in ("rates", "J12", "Jz", "validity", "channels"):
        assert key in info
    for key in ("down", "up", "z"):
        m = info["rates"][key]
        assert m.shape == (2, 2)
        np.testing.assert_allclose(m, m.T)
    assert info["validity"]["weak_coupling"] < 0.05
    # J12 in 2D below the gap: -(g_c^2 K0(kp r) + g_n^2 K0(km r)) / (2 pi D) for small alpha
    from scipy.special import k0
    r, kp, km = 0.5, np.sqrt(1 - 0.99), np.sqrt(1 + 0.99)
    expected = -(0.01**2 * k0(kp * r) + (0.2 * 0.01) ** 2 * k0(km * r)) / (2 * np.pi)
    assert info["J12"] == pytest.approx(expected, rel=1e-4)


def test_partial_secular_equals_correlated_liouvillian():
    # the batched jump construction must equal qness.liouvillian with the explicit rate matrices
    p = h.SPEC.resolve({"g_z": 0.004, "T": 0.01, "r": 0.7})
    gen = h.build(p)
    o = h.two_qubit_operators()
    ref = qness.liouvillian(
        gen.hamiltonian, [],
        correlated=[(gen.info["rates"]["down"], [o["sm1"], o["sm2"]]),
                    (gen.info["rates"]["up"], [o["sp1"], o["sp2"]]),
                    (gen.info["rates"]["z"], [o["sz1"], o["sz2"]])])
    np.testing.assert_allclose(gen.dense(), ref.dense(), atol=1e-20, rtol=1e-12)


def test_hamiltonian_in_rotating_frame():
    p = h.SPEC.resolve({"g_z": 0.01, "detuning": 1e-5})
    gen = h.build(p)
    o = h.two_qubit_operators()
    flip = o["sp1"] @ o["sm2"]
    expected = (1e-5 / 4 * (o["sz1"] - o["sz2"]) + gen.info["J12"] * (flip + flip.T)
                + gen.info["Jz"] * o["sz1"] @ o["sz2"])
    np.testing.assert_allclose(gen.hamiltonian, expected, atol=1e-18)


def test_batched_build_matches_pointwise():
    mu = np.array([-2.0, 0.5, 0.999])
    r = np.array([[0.3], [1.0]])
    p = h.SPEC.resolve({"mu": mu, "r": r, "T": 0.02, "g_z": 0.002})
    gen = h.build(p)
    assert gen.batch_shape == (2, 3)
    L = gen.dense()
    for i, j in np.ndindex(2, 3):
        one = h.build(h.SPEC.resolve({"mu": mu[j], "r": r[i, 0], "T": 0.02, "g_z": 0.002}))
        np.testing.assert_allclose(L[i, j], one.dense(), atol=1e-22, rtol=1e-12)
    ss = steadystate(gen)
    assert ss.rho.shape == (2, 3, 4, 4)


def test_batched_davies_matches_pointwise():
    r = np.array([0.3, 1.5])
    gen = h.build(h.SPEC.resolve({"r": r, "method": "davies", "g_z": 0.003}))
    for i in range(2):
        one = h.build(h.SPEC.resolve({"r": r[i], "method": "davies", "g_z": 0.003}))
        np.testing.assert_allclose(gen.dense()[i], one.dense(), atol=1e-22, rtol=1e-12)


def test_solution_agrees_with_qutip_steadystate():
    p = h.SPEC.resolve({"T": 0.002, "g_z": 0.002, "gamma1": 1e-8, "gamma_phi": 1e-9})
    gen = h.build(p)
    ss = steadystate(gen)
    dims = [[2, 2], [2, 2]]
    H = qutip.Qobj(gen.hamiltonian, dims=dims)
    c_ops = [qutip.Qobj(j, dims=dims) for j in gen.jumps]
    ref = qutip.steadystate(H, c_ops).full()
    np.testing.assert_allclose(ss.rho, ref, atol=1e-8)
    assert abs(qutip_concurrence(ss.rho) - qutip_concurrence(ref)) < 1e-7


def test_analyse_output_is_json_ready_and_consistent():
    state, gen, p = h.solve({})
    out = h.analyse(state, gen, p)
    json.dumps(out)
    for key in ("concurrence", "populations", "kernel_dim", "rates", "J12", "validity",
                "residual"):
        assert key in out
    pops = out["populations"]
    assert set(pops) == {"gg", "T0", "S", "ee"}
    assert sum(pops.values()) == pytest.approx(1.0, abs=1e-12)
    # QuTiP order: index 0 = |ee>, index 3 = |gg>
    assert pops["ee"] == pytest.approx(state.rho[0, 0].real)
    assert pops["gg"] == pytest.approx(state.rho[3, 3].real)
    assert out["concurrence"] == pytest.approx(qutip_concurrence(state.rho), abs=1e-9)
    assert out["concurrence_ring"] == pytest.approx(out["concurrence"], abs=1e-9)
    assert out["kernel_dim"] == 1


def test_analyse_batched():
    state, gen, p = h.solve({"r": np.array([0.2, 1.0, 3.0])})
    out = h.analyse(state, gen, p)
    assert len(out["concurrence"]) == 3
    json.dumps(out)


def test_contact_options():
    with pytest.raises(NonUniqueSteadyStateError):
        h.solve({"r": 0.0})
    gg, _, _ = h.solve({"r": 0.0, "at_contact": "gg"})
    singlet, _, _ = h.solve({"r": 0.0, "at_contact": "singlet"})
    assert gg.kernel_dim == 2 and singlet.kernel_dim == 2
    psi_s = h.two_qubit_operators()["S"]
    assert np.real(psi_s.conj() @ singlet.rho @ psi_s) == pytest.approx(1.0, abs=1e-6)
    assert qutip_concurrence(singlet.rho) == pytest.approx(1.0, abs=1e-6)
    assert qutip_concurrence(gg.rho) < 1e-8
    lim, _, _ = h.solve({"r": 0.0, "at_contact": "limit"})
    assert lim.kernel_dim == 1
    # a local channel makes r = 0 unique without any option
    local, _, _ = h.solve({"r": 0.0, "gamma1": 1e-9})
    assert local.kernel_dim == 1


def test_validity_warning_for_strong_coupling():
    with pytest.warns(h.ValidityWarning, match="weak-coupling"):
        h.build(h.SPEC.resolve({"g": 0.1}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h.build(h.SPEC.resolve({}))


def test_lamb_shift_switch():
    gen = h.build(h.SPEC.resolve({"lamb_shift": False}))
    assert gen.info["J12"] == 0
    np.testing.assert_allclose(gen.hamiltonian, 0)


@pytest.mark.parametrize("overrides, words", [
    ({"mu": 1.0}, ["mu", "eps0"]),
    ({"mu": 2.0, "gap": 1.5}, ["mu", "eps0"]),
    ({"dim": 4}, ["dim"]),
    ({"alpha": 0.0}, ["alpha"]),
    ({"r": -1.0}, ["r"]),
    ({"T": -0.1}, ["T"]),
    ({"method": "redfield"}, ["method"]),
    ({"delta": 0.0}, ["delta"]),
    ({"detuning": 2.5}, ["detuning"]),
    ({"at_contact": "maybe"}, ["at_contact"]),
])
def test_bad_parameters_raise(overrides, words):
    with pytest.raises(InvalidInputError) as exc:
        h.build(h.SPEC.resolve(overrides))
    for w in words:
        assert w in str(exc.value)


def test_structural_parameters_cannot_be_swept():
    p = h.SPEC.resolve({})
    p["dim"] = np.array([1, 2])
    with pytest.raises(InvalidInputError, match="dim"):
        h.build(p)


def test_gge_state_helper():
    rho = h.gge_state(1.0, 0.4, 0.3)
    pe = 1 / (1 + np.exp(0.6 / 0.3))
    single = np.diag([pe, 1 - pe])
    np.testing.assert_allclose(rho, np.kron(single, single), atol=1e-15)
    np.testing.assert_allclose(h.gge_state(1.0, 2.0, 0.0), np.diag([1.0, 0, 0, 0]))


# ------------------------------------------------------------------ reproduce
def test_reproduce_quick_writes_figures_and_data(tmp_path):
    import time

    from qness.reproduce import hou2025 as rep

    steps = []
    t0 = time.perf_counter()
    rows = rep.reproduce(tmp_path, progress=steps.append, quick=True)
    assert time.perf_counter() - t0 < 60
    assert len(steps) == len(rep.PANELS)
    names = {p.name for p in tmp_path.iterdir()}
    for stem in ("a_C_vs_mu", "b_C_vs_distance", "c_C_mu_r", "d_C_vs_eta_T"):
        assert f"hou2025_{stem}.png" in names
    assert "hou2025_a_C_vs_mu.csv" in names
    text = (tmp_path / "hou2025_a_C_vs_mu.csv").read_text()
    assert text.startswith("# ") and "units" in text
    by = {r["computed"]: r for r in rows}
    assert by["C vs mu, eta=0 (conserving)"]["max_C"] < 1e-9
    assert 0.2 < by["C vs mu, eta=0.2"]["max_C"] <= 0.5
    assert 0.2 < by["C vs mu, eta=2"]["max_C"] <= 0.5
    assert by["max |C_davies - C_partial| vs r (gain window)"]["max_C"] < 1e-3
    assert "hou2025_e_microscopic.png" in names
    assert by["C vs theta (tilted exchange), depletion window"]["max_C"] > 0.1
    two_magnon = [r for r in rows if r["computed"].startswith("C vs g_l")]
    assert len(two_magnon) == 1 and two_magnon[0]["max_C"] > 0.1
    assert all(r["max_weak_ratio"] < 0.05 for r in rows)


def test_contact_limit_needs_partial_secular():
    with pytest.raises(InvalidInputError, match="partial"):
        h.build(h.SPEC.resolve({"r": 0.0, "at_contact": "limit", "method": "davies"}))


def test_physical_state_clips_only_round_off():
    rho = np.diag([0.5, 0.5 + 4e-12, -4e-12, 0.0]).astype(complex)
    fixed = h.physical_state(rho)
    assert np.min(np.linalg.eigvalsh(fixed)) >= 0
    assert np.trace(fixed).real == pytest.approx(1.0)
    np.testing.assert_allclose(fixed, rho, atol=1e-11)
    with pytest.raises(InvalidInputError, match="eigenvalue"):
        h.physical_state(np.diag([0.6, 0.5, -0.1, 0.0]))


# ------------------------------------------------------------------ coupling choices
def test_microscopic_defaults_reproduce_the_direct_couplings():
    # spin = 2e4, J_x, J_y = 1.2e-4, 0.8e-4: g_c = (J_x + J_y) sqrt(2 s) / 4 = 0.01, eta = 0.2
    direct = h.build(h.SPEC.resolve({}))
    xy = h.build(h.SPEC.resolve({"coupling": "xy"}))
    np.testing.assert_allclose(xy.dense(), direct.dense(), rtol=1e-12, atol=1e-24)
    cp = xy.info["couplings"]
    assert (cp.g_c, cp.g_n, cp.eta) == pytest.approx((0.01, 0.002, 0.2), rel=1e-12)
    # tilted with theta = 0: G = J sqrt(s/2) = 0.01 co-rotating only, plus g_lz = G / sqrt(2 s)
    tilt0 = h.build(h.SPEC.resolve({"coupling": "tilted", "theta": 0.0}))
    ref = h.build(h.SPEC.resolve({"eta": 0.0, "g_lz": 0.01 / 200.0}))
    np.testing.assert_allclose(tilt0.dense(), ref.dense(), rtol=1e-12, atol=1e-24)


def test_tilted_coupling_generator_equals_direct_with_mapped_constants():
    from qness.baths.magnon import tilted_exchange_couplings

    over = {"mu": -2.0, "T": 0.05, "r": 0.7}
    gen = h.build(h.SPEC.resolve({"coupling": "tilted", "theta": 1.3, **over}))
    cp = tilted_exchange_couplings(1e-4, 1.3, 2e4)
    assert cp.g_l != 0 and cp.g_z != 0 and cp.g_lz != 0
    ref = h.build(h.SPEC.resolve({"g": cp.g_c, "eta": abs(cp.g_n / cp.g_c), "g_z": abs(cp.g_z),
                                  "g_l": cp.g_l, "g_lz": cp.g_lz, **over}))
    np.testing.assert_allclose(gen.dense(), ref.dense(), rtol=1e-12, atol=1e-24)
    # the two-magnon channel is part of the rate matrices
    ch = gen.info["channels"]
    for kind in ("down", "up"):
        total = ch[f"c_{kind}"] + ch[f"n_{kind}"] + ch[f"l_{kind}"]
        np.testing.assert_allclose(gen.info["rates"][kind], total, rtol=1e-14)
    assert np.all(ch["l_down"] > 0) and np.all(ch["l_up"] > 0)


def test_batched_tilted_build_matches_pointwise():
    theta = np.array([0.3, 1.2, 2.5])
    T = np.array([[0.0], [0.03]])
    gen = h.build(h.SPEC.resolve({"coupling": "tilted", "theta": theta, "T": T, "mu": -1.5}))
    assert gen.batch_shape == (2, 3)
    for i, j in np.ndindex(2, 3):
        one = h.build(h.SPEC.resolve({"coupling": "tilted", "theta": theta[j],
                                      "T": float(T[i, 0]), "mu": -1.5}))
        np.testing.assert_allclose(gen.dense()[i, j], one.dense(), rtol=1e-10, atol=1e-24)


def test_analyse_reports_couplings_and_flags():
    state, gen, p = h.solve({"coupling": "tilted", "r": np.array([0.3, 1.0])})
    out = h.analyse(state, gen, p)
    json.dumps(out)
    assert set(out["couplings"]) == {"g_c", "g_n", "g_z", "g_l", "g_lz", "eta"}
    assert len(out["couplings"]["g_l"]) == 2 and out["flags"] == []
    with pytest.warns(h.ValidityWarning):
        state, gen, p = h.solve({"g": 0.1})
    flags = h.analyse(state, gen, p)["flags"]
    assert any(f.startswith("weak_coupling") for f in flags)


@pytest.mark.parametrize("overrides, words", [
    ({"coupling": "tilted", "eta": 0.5}, ["eta", "direct", "tilted"]),
    ({"coupling": "xy", "g": 0.02}, ["'g'", "direct"]),
    ({"coupling": "direct", "theta": 1.0}, ["theta", "tilted"]),
    ({"coupling": "direct", "spin": 10.0}, ["spin", "xy or tilted"]),
    ({"coupling": "tilted", "J_x": 1.0}, ["J_x", "xy"]),
    ({"coupling": "tilted", "theta": 4.0}, ["theta"]),
    ({"coupling": "xy", "spin": 0.0}, ["spin"]),
    ({"coupling": "sideways"}, ["coupling"]),
    ({"g_l": 1e-4, "r": 0.0, "at_contact": "limit"}, ["limit", "g_l"]),
])
def test_bad_coupling_parameters_raise(overrides, words):
    with pytest.raises(InvalidInputError) as exc:
        h.build(h.SPEC.resolve(overrides))
    for w in words:
        assert w in str(exc.value)


def test_coupling_choice_cannot_be_swept():
    p = h.SPEC.resolve({})
    p["coupling"] = np.array(["direct", "xy"])
    with pytest.raises(InvalidInputError, match="coupling"):
        h.build(p)
