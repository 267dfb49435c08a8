"""Physics of the broken-conservation-law model (MAGNON_MODEL.md §1, §4, §5.5).

Every expectation here is an analytic statement (GGE theorem, KMS, ring solution, bounds) or an
independent oracle (QuTiP's concurrence), never a stored output of qness.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import qutip

import qness
from qness.baths import magnon as mg
from qness.errors import NonUniqueSteadyStateError
from qness.models import hou2025 as h
from qness.steady import steadystate

GAIN = {"mu": 0.999, "eta": 0.2}
DEPLETION = {"mu": -2.0, "eta": 2.0}


def concurrence(rho: np.ndarray) -> np.ndarray:
    """Wootters concurrence from QuTiP (independent oracle), for (..., 4, 4) arrays."""
    rho = np.asarray(rho)
    flat = rho.reshape(-1, 4, 4)
    out = [qutip.concurrence(qutip.Qobj(0.5 * (x + x.conj().T), dims=[[2, 2], [2, 2]]))
           for x in flat]
    return np.asarray(out).reshape(rho.shape[:-2])


def solve(**overrides):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", h.ValidityWarning)
        state, gen, p = h.solve(overrides)
    return state, gen, p


# ------------------------------------------------------------------ exact zeros (§4.1)
@pytest.mark.parametrize("g_z", [0.0, 0.003])
def test_conserving_coupling_gives_the_product_gge(g_z):
    mu = np.array([-2.0, 0.0, 0.5, 0.995, 0.9999])[:, None, None]  # 0.995 > Delta: T_eff < 0
    T = np.array([0.0, 0.003, 0.5])[None, :, None]
    r = np.array([0.3, 2.0])[None, None, :]
    state, _, _ = solve(eta=0.0, mu=mu, T=T, r=r, g_z=g_z)
    gge = np.broadcast_to(h.gge_state(0.99, mu, T), state.rho.shape)
    np.testing.assert_allclose(state.rho, gge, atol=1e-10)
    assert np.max(concurrence(state.rho)) < 1e-9


def test_counter_rotating_coupling_alone_gives_gge_at_minus_mu():
    # only g_n: the conserved charge is N - sum sigma^z/2, the qubits see chemical potential -mu
    o = h.two_qubit_operators()
    for mu, T in [(-2.0, 0.0), (-1.5, 0.2), (0.5, 0.1), (0.9, 0.0)]:
        kw = {"gap": 1.0, "stiffness": 1.0, "alpha": 1e-3, "mu": mu, "T": T, "dim": 2}
        loc = h.channel_rates(0.99, 0.0, g_c=0.0, g_n=0.01, **kw)
        crs = h.channel_rates(0.99, 0.4, g_c=0.0, g_n=0.01, **kw)
        down = np.array([[loc["n_down"], crs["n_down"]], [crs["n_down"], loc["n_down"]]])
        up = np.array([[loc["n_up"], crs["n_up"]], [crs["n_up"], loc["n_up"]]])
        gen = qness.liouvillian(np.zeros((4, 4)), [],
                                correlated=[(down, [o["sm1"], o["sm2"]]),
                                            (up, [o["sp1"], o["sp2"]])])
        rho = steadystate(gen).rho
        np.testing.assert_allclose(rho, h.gge_state(0.99, -mu, T), atol=1e-10)


@pytest.mark.parametrize("eta", [0.2, 1.0, 5.0])
def test_zero_chemical_potential_gives_gibbs_state(eta):
    T = np.array([0.05, 0.4, 2.0])[:, None]
    r = np.array([0.2, 1.0])[None, :]
    state, _, _ = solve(mu=0.0, eta=eta, T=T, r=r, g=0.01 / max(1.0, eta))
    gibbs = np.broadcast_to(h.gge_state(0.99, 0.0, T), state.rho.shape)
    np.testing.assert_allclose(state.rho, gibbs, atol=1e-10)
    assert np.max(concurrence(state.rho)) < 1e-9


def test_zero_temperature_inside_the_gap_gives_ground_state():
    mu = np.array([-0.9, 0.0, 0.9])[:, None]
    eta = np.array([0.2, 2.0])[None, :]
    state, _, _ = solve(mu=mu, eta=eta, T=0.0, r=0.5, g=0.005)
    gg = np.zeros((4, 4))
    gg[3, 3] = 1.0
    np.testing.assert_allclose(state.rho, np.broadcast_to(gg, state.rho.shape), atol=1e-12)


def test_charge_zero_two_magnon_channel_alone_thermalises():
    # a charge-0 channel sees mu = 0: detailed balance at T gives the Gibbs product state
    o = h.two_qubit_operators()
    kw = {"eps0": 1.0, "D": 1.0, "alpha": 1e-2, "mu": 0.5, "T": 0.3, "dim": 2}
    s_nn = mg.two_magnon_spectrum(np.array([[0.99], [-0.99]]), np.array([0.0, 0.6]), **kw)
    down = np.array([[s_nn[0, 0], s_nn[0, 1]], [s_nn[0, 1], s_nn[0, 0]]])
    up = np.array([[s_nn[1, 0], s_nn[1, 1]], [s_nn[1, 1], s_nn[1, 0]]])
    gen = qness.liouvillian(np.zeros((4, 4)), [], correlated=[(down, [o["sm1"], o["sm2"]]),
                                                              (up, [o["sp1"], o["sp2"]])])
    np.testing.assert_allclose(steadystate(gen).rho, h.gge_state(0.99, 0.0, 0.3), atol=1e-9)


# ------------------------------------------------------------------ KMS of every channel
def test_kms_ratio_of_every_channel_is_exact():
    rng = np.random.default_rng(7)
    om = rng.uniform(0.1, 3.0, 40)
    mu = rng.uniform(-3.0, 0.99, 40)
    T = rng.uniform(0.02, 1.0, 40)
    r = rng.uniform(0.0, 3.0, 40)
    for dim in (1, 2, 3):
        c = h.channel_rates(om, r, g_c=0.01, g_n=0.03, gap=1.0, stiffness=1.0, alpha=1e-3,
                            mu=mu, T=T, dim=dim)
        np.testing.assert_allclose(c["c_up"], c["c_down"] * np.exp(-(om - mu) / T), rtol=1e-12)
        np.testing.assert_allclose(c["n_up"], c["n_down"] * np.exp(-(om + mu) / T), rtol=1e-12)


# ------------------------------------------------------------------ entanglement windows
def test_entanglement_in_both_windows_and_bound():
    for window in (GAIN, DEPLETION):
        state, gen, _ = solve(**window, r=0.5)
        c = concurrence(state.rho)
        assert 0.1 < c <= 0.5
        assert gen.info["validity"]["weak_coupling"] < 0.05


def test_vanishes_at_both_conserving_limits_of_eta():
    eta = np.array([0.0, 1e-4, 1e3, 1e5])
    g = 0.01 / np.maximum(1.0, eta)
    for window in (GAIN, DEPLETION):
        c_mid = concurrence(solve(**window, r=0.5)[0].rho)
        c = concurrence(solve(mu=window["mu"], eta=eta, g=g, r=0.5)[0].rho)
        assert c[0] < 1e-9
        assert np.all(c[1:] < 0.01 * c_mid)


def test_decreases_monotonically_with_distance():
    r = np.geomspace(0.05, 12.0, 40)
    for window in (GAIN, DEPLETION):
        c = concurrence(solve(**window, r=r)[0].rho)
        assert c[0] > 0.2
        assert np.all(np.diff(c) <= 1e-9)
        assert c[-1] < 0.05 * c[0]


def test_concurrence_never_exceeds_one_half():
    rng = np.random.default_rng(2026)
    n = 300
    mu = np.where(rng.random(n) < 0.5, rng.uniform(0.99, 0.99999, n), rng.uniform(-4, -1, n))
    params = {"mu": mu, "eta": 10 ** rng.uniform(-2, 1, n), "r": 10 ** rng.uniform(-1.3, 0.7, n),
              "T": rng.choice([0.0, 1e-4, 1e-2], n), "g_z": rng.choice([0.0, 0.002], n),
              "gamma_phi": rng.choice([0.0, 1e-10], n), "g": 0.003}
    for dim in (1, 2, 3):
        c = concurrence(solve(**params, dim=dim)[0].rho)
        assert np.max(c) <= 0.5 + 1e-9
        assert np.max(c) > 0.05  # the sample does reach the entangled windows


def test_temperature_sensitivity_of_the_two_windows():
    T = np.array([0.0, 2e-4, 1e-2])
    gain = concurrence(solve(**GAIN, T=T)[0].rho)
    depl = concurrence(solve(**DEPLETION, T=np.array([0.0, 0.1]))[0].rho)
    assert gain[0] > 0.25 and gain[1] > 0.5 * gain[0] and gain[2] < 1e-9  # T > (mu - Delta)/4
    assert depl[1] > 0.5 * depl[0]                                        # robust


def test_local_dephasing_hurts_more_than_local_t1_and_detuning_destroys():
    _, gen, _ = solve(**GAIN)
    c0 = concurrence(solve(**GAIN)[0].rho)
    scale = gen.info["rates"]["up"][0, 0]
    c_t1 = concurrence(solve(**GAIN, gamma1=0.03 * scale)[0].rho)
    c_phi = concurrence(solve(**GAIN, gamma_phi=0.03 * scale)[0].rho)
    assert c_phi < 0.5 * c_t1 and c_phi < 0.5 * c0
    j12 = abs(gen.info["J12"])
    c_det = concurrence(solve(**GAIN, detuning=np.array([0.2, 2.0]) * j12)[0].rho)
    assert c_det[0] < c0 and c_det[1] < 0.2 * c0


# ------------------------------------------------------------------ ring solution (§1.6)
def _ring_closed_form(down: np.ndarray, up: np.ndarray) -> np.ndarray:
    su, sd = up[..., 0, 0] + up[..., 0, 1], down[..., 0, 0] + down[..., 0, 1]
    au, ad = up[..., 0, 0] - up[..., 0, 1], down[..., 0, 0] - down[..., 0, 1]
    x, y, A, B = su / (su + sd), au / (au + ad), su + sd, au + ad
    ratio = (x**2 * A + y**2 * B) / ((1 - x) ** 2 * A + (1 - y) ** 2 * B)
    pm = 1 / (1 + ratio + (x + (1 - x) * ratio) + (y + (1 - y) * ratio))
    pp = ratio * pm
    return np.stack([pm, x * pm + (1 - x) * pp, y * pm + (1 - y) * pp, pp], -1)


def test_ring_closed_form_agrees_with_markov_solution_and_full_solver():
    r = np.array([0.1, 0.5, 2.0])[:, None]
    mu = np.array([-2.5, -1.2, 0.995, 0.9995])[None, :]
    state, gen, _ = solve(mu=mu, r=r, eta=np.where(mu < 0, 2.0, 0.2), T=1e-4)
    down, up = gen.info["rates"]["down"], gen.info["rates"]["up"]
    closed = _ring_closed_form(down, up)
    markov = h.ring_populations(down, up)
    np.testing.assert_allclose(markov, closed, rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(state.rho, h.ring_state(markov), atol=1e-9)
    np.testing.assert_allclose(concurrence(state.rho), h.ring_concurrence(markov), atol=1e-9)


def test_ring_with_dephasing_and_local_channels_agrees_with_full_solver():
    g1, gphi, T = 2e-9, 5e-10, 1e-3
    state, gen, _ = solve(**GAIN, r=np.array([0.2, 1.0]), g_z=0.002, gamma1=g1,
                          gamma_phi=gphi, T=T)
    nth = mg.f_minus(0.99, T) / 0.99
    down = gen.info["rates"]["down"] + g1 * (1 + nth) * np.eye(2)
    up = gen.info["rates"]["up"] + g1 * nth * np.eye(2)
    pops = h.ring_populations(down, up, gen.info["rates"]["z"], gphi)
    np.testing.assert_allclose(state.rho, h.ring_state(pops), atol=1e-9)


# ------------------------------------------------------------------ master-equation forms
@pytest.mark.parametrize("window", [GAIN, DEPLETION])
def test_davies_and_partial_secular_agree_at_weak_coupling(window):
    r = np.array([0.1, 0.5, 2.0])
    a = concurrence(solve(**window, r=r, T=1e-4)[0].rho)
    b = concurrence(solve(**window, r=r, T=1e-4, method="davies")[0].rho)
    assert np.max(np.abs(a - b)) < 1e-3
    assert np.max(a) > 0.1


def test_davies_with_dephasing_is_consistent():
    a = concurrence(solve(**GAIN, g_z=0.002)[0].rho)
    b = concurrence(solve(**GAIN, g_z=0.002, method="davies")[0].rho)
    assert abs(a - b) < 1e-3


def test_steady_state_invariant_under_rotating_frame():
    # lab frame: add Delta sum_j sigma_j^z / 2 to H with the same dissipators
    state, gen, _ = solve(**DEPLETION, g=0.05, r=0.4)
    o = h.two_qubit_operators()
    lab = qness.liouvillian(gen.hamiltonian + 0.99 * (o["sz1"] + o["sz2"]) / 2, list(gen.jumps))
    rho_lab = steadystate(lab).rho
    np.testing.assert_allclose(rho_lab, state.rho, atol=1e-8)


# ------------------------------------------------------------------ contact (r -> 0)
def test_perfect_correlation_gives_degenerate_kernel():
    for window in (GAIN, DEPLETION):
        with pytest.raises(NonUniqueSteadyStateError) as exc:
            solve(**window, r=0.0)
        assert np.all(np.asarray(exc.value.kernel_dim) == 2)
        assert solve(**window, r=0.01)[0].kernel_dim == 1


@pytest.mark.parametrize("dim", [2, 3])
def test_contact_limit_matches_analytic_small_r_asymptotics(dim):
    # d = 2, 3: the kernel deficit At(0) - At(r) has the same shape for every channel, so the
    # antisymmetric channel's up fraction is y = sum_q g_q^2 f_-^q / sum_q g_q^2 (f_+^q + f_-^q)
    for window in (GAIN, DEPLETION):
        state, gen, _ = solve(**window, r=0.0, dim=dim, at_contact="limit")
        mu, delta, eta = window["mu"], 0.99, window["eta"]
        fp, fm = (lambda x: mg.f_plus(x, 0.0)), (lambda x: mg.f_minus(x, 0.0))
        y = (fm(delta - mu) + eta**2 * fp(-delta - mu)) / (
            fp(delta - mu) + fm(delta - mu) + eta**2 * (fp(-delta - mu) + fm(-delta - mu)))
        down, up = gen.info["rates"]["down"], gen.info["rates"]["up"]
        x = 2 * up[0, 0] / (2 * up[0, 0] + 2 * down[0, 0])
        ratio = x**2 / (1 - x) ** 2
        pm = 1 / (1 + ratio + x + (1 - x) * ratio + y + (1 - y) * ratio)
        pp = ratio * pm
        expected = [pm, x * pm + (1 - x) * pp, y * pm + (1 - y) * pp, pp]
        pops = [np.real(v.conj() @ state.rho @ v) for v in
                (h.two_qubit_operators()[k] for k in ("gg", "T0", "S", "ee"))]
        np.testing.assert_allclose(pops, expected, atol=1e-6)


def test_contact_limit_is_the_small_distance_limit_in_1d():
    lim = solve(**GAIN, dim=1, g=0.003, r=0.0, at_contact="limit")[0].rho
    near = solve(**GAIN, dim=1, g=0.003, r=np.array([1e-2, 1e-3]))[0].rho
    err = np.abs(near - lim).max(axis=(-1, -2))
    assert err[1] < 5e-3 and err[1] < err[0]


# ------------------------------------------------------------------ two-magnon (charge-0) channel
@pytest.mark.parametrize("method", ["partial", "davies"])
def test_two_magnon_channel_alone_thermalises_at_zero_chemical_potential(method):
    # only g_l (and its dephasing partner g_lz): charge 0, so the qubits see mu_eff = 0 whatever
    # the pumping: the Gibbs product state at T, C = 0
    mu = np.array([-2.0, 0.5, 0.995])[:, None]
    T = np.array([0.05, 0.4])[None, :]
    state, gen, _ = solve(g=0.0, g_l=0.02, g_lz=0.01, mu=mu, T=T, r=0.6, method=method)
    gibbs = np.broadcast_to(h.gge_state(0.99, 0.0, T), state.rho.shape)
    np.testing.assert_allclose(state.rho, gibbs, atol=1e-9)
    assert np.max(concurrence(state.rho)) < 1e-9
    assert np.all(gen.info["channels"]["l_down"] > 0)
    # T = 0: the channel only decays (S_nn(-Delta) = 0): the ground state
    gs, _, _ = solve(g=0.0, g_l=0.02, mu=0.9, T=0.0, r=0.6, method=method)
    np.testing.assert_allclose(np.real(gs.rho[3, 3]), 1.0, atol=1e-12)


def test_two_magnon_channel_kms_ratio_is_exactly_boltzmann():
    mu = np.array([-1.0, 0.3, 0.999])[:, None]
    T = np.array([0.02, 0.3, 2.0])[None, :]
    _, gen, _ = solve(g=0.01, eta=0.3, g_l=0.01, mu=mu, T=T, r=0.4)
    ch = gen.info["channels"]
    np.testing.assert_allclose(ch["l_up"], ch["l_down"] * np.exp(-0.99 / T)[..., None, None],
                               rtol=1e-12)
    # the one-magnon channels keep their shifted ratios exp(-(Delta -+ mu)/T)
    np.testing.assert_allclose(ch["c_up"], ch["c_down"] * np.exp(-(0.99 - mu) / T)[..., None, None],
                               rtol=1e-12)
    np.testing.assert_allclose(ch["n_up"], ch["n_down"] * np.exp(-(0.99 + mu) / T)[..., None, None],
                               rtol=1e-12)


def test_two_magnon_channel_breaks_the_conservation_law_and_entangles():
    # eta = 0 conserves N + sum sigma^z/2 (product GGE); adding the charge-0 channel (a bath at
    # mu = 0 with its own kernel) against the long-range gain channel at +mu entangles
    r = np.array([0.2, 0.5, 1.0])
    conserving = solve(eta=0.0, mu=0.999, r=r)[0]
    assert np.max(concurrence(conserving.rho)) < 1e-9
    state, gen, _ = solve(eta=0.0, g_l=0.01, mu=0.999, r=r)
    c = concurrence(state.rho)
    assert np.all(c > 0.1) and np.max(c) <= 0.5
    assert np.all(np.diff(c) < 0)
    pops = h.ring_populations(gen.info["rates"]["down"], gen.info["rates"]["up"])
    np.testing.assert_allclose(c, h.ring_concurrence(pops), atol=1e-9)


# ------------------------------------------------------------------ microscopic (tilted) coupling
def test_tilted_coupling_at_zero_tilt_is_conserving():
    # theta = 0: g_n = g_z = g_l = 0; only the co-rotating channel and the g_lz dephasing remain,
    # so the state is the product GGE at mu_eff = +mu for every mu, T, r
    mu = np.array([-2.0, 0.5, 0.995])[:, None, None]
    T = np.array([0.0, 0.01, 0.3])[None, :, None]
    r = np.array([0.3, 2.0])[None, None, :]
    state, gen, _ = solve(coupling="tilted", theta=0.0, mu=mu, T=T, r=r)
    assert np.any(gen.info["rates"]["z"] > 0)  # the g_lz dephasing is present at T > 0
    gge = np.broadcast_to(h.gge_state(0.99, mu, T), state.rho.shape)
    np.testing.assert_allclose(state.rho, gge, atol=1e-10)
    assert np.max(concurrence(state.rho)) < 1e-9


def test_tilted_coupling_entangles_in_both_windows():
    theta = np.linspace(0.1, 3.0, 30)
    depletion = concurrence(solve(coupling="tilted", theta=theta, mu=-2.0, r=0.5)[0].rho)
    gain = concurrence(solve(coupling="tilted", theta=theta, mu=0.999, r=0.5)[0].rho)
    assert 0.1 < np.max(depletion) <= 0.5
    assert 0.01 < np.max(gain) <= 0.5
    # depletion needs |eta| = tan^2(theta/2) >~ 1, the gain window a small |eta|
    assert theta[np.argmax(depletion)] > np.pi / 2 > theta[np.argmax(gain)]
    davies = concurrence(solve(coupling="tilted", theta=theta[::6], mu=-2.0, r=0.5,
                               method="davies")[0].rho)
    np.testing.assert_allclose(davies, depletion[::6], atol=1e-3)
