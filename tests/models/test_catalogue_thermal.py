"""Catalogue families B1 (nonequilibrium, multi-bath) and B2 (shared / thermal environment).

Every quantitative headline check is a derived closed form, a limit, or QuTiP as an oracle
(the papers' own numbers were not accessible, see docs/catalogue/*.md); the qualitative claims
stated in the papers' abstracts are tested where the model can express them.  Tolerances are
stated per test.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import qutip
from scipy.linalg import expm

from qness.errors import InvalidInputError
from qness.measures import concurrence, l1_coherence, trace_distance
from qness.models import get
from qness.models import thermal_models as tm
from qness.models import twobath_models as tb
from qness.steady import steadystate

B1 = "B1: nonequilibrium (multi-bath)"
B2 = "B2: shared / thermal environment"
NAMES = {"arnesen2001": B2, "benatti2010": B2, "guarnieri2018": B2, "quiroga2007": B1,
         "wang2019": B1, "huang2009": B1, "tacchino2018": B1}


def run(name: str, **overrides):
    spec = get(name)
    p = spec.resolve(overrides)
    gen = spec.build(p)
    st = steadystate(gen, rho0=gen.info.get("rho0"), **spec.solver_options)
    return st, spec.analyse(st, gen, p), p


def gibbs(H: np.ndarray, T: float) -> np.ndarray:
    g = expm(-np.asarray(H) / T)
    return g / np.trace(g)


def qt_conc(rho: np.ndarray) -> float:
    return qutip.concurrence(qutip.Qobj(rho, dims=[[2, 2], [2, 2]]))


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def test_registered_with_families_and_references():
    for name, fam in NAMES.items():
        spec = get(name)
        assert spec.family == fam
        assert "(20" in spec.reference or "(19" in spec.reference
        assert "Hamiltonian" in spec.doc or "H =" in spec.doc


# ----------------------------------------------------------------------------- arnesen2001
def test_arnesen_critical_temperature_closed_form():
    # headline: XXX antiferromagnet T_c = 2J/ln 3 (this J/2 convention); XX: J/ln(1 + sqrt 2)
    assert tm.arnesen_critical_temperature(1.0, 1.0) == pytest.approx(2 / np.log(3), rel=1e-12)
    assert tm.arnesen_critical_temperature(0.7, 0.0) == pytest.approx(
        0.7 / np.log(1 + np.sqrt(2)), rel=1e-12)
    assert tm.arnesen_critical_temperature(-1.0, 1.0) == 0.0   # ferromagnet never entangled


@pytest.mark.parametrize(("Delta", "B", "T"), [(1.0, 0.0, 0.5), (1.0, 0.8, 1.2), (0.0, 0.3, 0.4),
                                               (0.4, -0.5, 0.9)])
def test_arnesen_davies_state_is_gibbs_and_matches_closed_form(Delta, B, T):
    st, res, _p = run("arnesen2001", Delta=Delta, B=B, T=T)
    H = tm.arnesen_hamiltonian(1.0, Delta, B)
    rho_g = gibbs(H, T)
    assert trace_distance(st.rho, rho_g) < 1e-9
    assert res["concurrence"] == pytest.approx(qt_conc(rho_g), abs=1e-9)       # QuTiP oracle
    assert res["concurrence_closed_form"] == pytest.approx(qt_conc(rho_g), abs=1e-12)


def test_arnesen_entanglement_vanishes_at_tc_for_any_field():
    tc = 2 / np.log(3)
    for B in (0.0, 0.7):
        below = run("arnesen2001", B=B, T=0.98 * tc)[1]["concurrence"]
        above = run("arnesen2001", B=B, T=1.02 * tc)[1]["concurrence"]
        assert below > 1e-3 and above < 1e-10
    # T = 0, B = 0: singlet ground state, C = 1
    assert run("arnesen2001", T=0.0)[1]["concurrence"] == pytest.approx(1.0, abs=1e-9)


def test_arnesen_entanglement_rises_with_temperature_beyond_level_crossing():
    """Abstract of PRL 87, 017901: raising T can INCREASE the entanglement.  Two qubits: for
    |B| > 2J the ground state is |gg> (C = 0) and the thermal state is entangled below T_c."""
    B = 2.5
    c = [run("arnesen2001", B=B, T=T)[1]["concurrence"] for T in (0.0, 0.2, 0.5)]
    assert c[0] < 1e-10
    assert 0 < c[1] < c[2]
    assert c[2] == pytest.approx(float(tm.arnesen_concurrence(1.0, 1.0, B, 0.5)), abs=1e-9)


def test_arnesen_paper_units_map_to_qness_units():
    """The paper's bond J_p s1.s2 + B_p (sz1 + sz2) (Pauli matrices) is this model with
    J = 2 J_p, B = 2 B_p, so T_c = 4 J_p/ln 3 in the paper's one-bond units."""
    Jp, Bp = 0.7, 0.3
    s = [qutip.tensor(op, qutip.qeye(2)).full() for op in (qutip.sigmax(), qutip.sigmay(),
                                                            qutip.sigmaz())]
    t = [qutip.tensor(qutip.qeye(2), op).full() for op in (qutip.sigmax(), qutip.sigmay(),
                                                            qutip.sigmaz())]
    H_paper = Jp * sum(a @ b for a, b in zip(s, t, strict=True)) + Bp * (s[2] + t[2])
    np.testing.assert_allclose(tm.arnesen_hamiltonian(2 * Jp, 1.0, 2 * Bp), H_paper, atol=1e-14)
    assert tm.arnesen_critical_temperature(2 * Jp) == pytest.approx(4 * Jp / np.log(3),
                                                                    rel=1e-12)


def test_arnesen_batched_equals_pointwise():
    T = np.array([0.3, 1.0, 2.0])
    _st, res, _ = run("arnesen2001", T=T, B=0.2)
    for k, t in enumerate(T):
        assert res["concurrence"][k] == pytest.approx(
            run("arnesen2001", T=float(t), B=0.2)[1]["concurrence"], abs=1e-12)


def test_arnesen_rejects_bad_input():
    with pytest.raises(InvalidInputError, match="T"):
        get("arnesen2001").resolve({"T": -1.0})
    with pytest.raises(InvalidInputError, match="J and B"):
        get("arnesen2001").resolve({"J": 0.0, "B": 0.0})


# ----------------------------------------------------------------------------- benatti2010
def test_benatti_common_bath_gives_half_concurrence_from_eg():
    # identical atoms, c = 1, T = 0: the singlet is dark, |eg> keeps p_S = 1/2 -> C = 1/2
    st, res, _ = run("benatti2010")
    assert st.kernel_dim > 1
    assert res["concurrence"] == pytest.approx(0.5, abs=1e-9)
    # QuTiP's concurrence loses ~sqrt(eps) for this rank-2 state
    assert res["concurrence"] == pytest.approx(qt_conc(st.rho), abs=1e-6)


def test_benatti_finite_temperature_closed_form_and_unequal_atoms():
    _st, res, _ = run("benatti2010", T=0.6)
    assert res["singlet_population"] == pytest.approx(0.5, abs=1e-9)
    assert res["concurrence"] == pytest.approx(tm.benatti_closed_form(1.0, 0.6, 0.5), abs=1e-9)
    # unequal frequencies: dark state broken, unique steady state = ground state at T = 0
    st2, res2, _ = run("benatti2010", omega2=1.3)
    assert st2.kernel_dim == 1
    assert res2["concurrence"] < 1e-9


def test_benatti_unequal_atoms_entangle_only_through_cross_terms():
    """Abstract of arXiv:0912.0354: a common bath entangles atoms of UNEQUAL frequencies, which
    the standard (secular) weak-coupling limit cannot.  From |eg> with omega2 = 1.2 omega1 the
    cross terms (c = 1) create transient entanglement; dropping them (c = 0, the secular
    limit for unequal frequencies) leaves the product state separable at all times."""
    t = np.linspace(0.0, 60.0, 61)
    with_cross = tm.benatti_concurrence_dynamics(t, omega2=1.2, c=1.0)
    secular = tm.benatti_concurrence_dynamics(t, omega2=1.2, c=0.0)
    assert with_cross.max() > 0.2
    assert secular.max() < 1e-12
    assert with_cross[0] == 0.0


# ----------------------------------------------------------------------------- guarnieri2018
def test_guarnieri_no_coherence_without_composite_coupling_or_principal_value():
    assert tm.guarnieri_coherence(theta=0.0) < 1e-12
    assert tm.guarnieri_coherence(lamb=False) < 1e-12


def test_guarnieri_redfield_matches_qutip_without_lamb_shift():
    p = {"omega": 1.0, "theta": 0.6, "alpha": 0.01, "omega_c": 10.0, "T": 0.4, "lamb": False}
    rho = steadystate(tm._guarnieri_one(p), on_fail="flag").rho
    from qness.baths import Ohmic

    J = Ohmic(0.01, 10.0)

    def spec(w):
        if w > 0:
            return 2 * np.pi * J(w) / -np.expm1(-w / 0.4)
        if w < 0:
            return 2 * np.pi * J(-w) / np.expm1(-w / 0.4)
        return 2 * np.pi * 0.01 * 0.4

    H = 0.5 * qutip.sigmaz()
    X = qutip.Qobj(tm.guarnieri_coupling(0.6))
    R = qutip.bloch_redfield_tensor(H, [[X, spec]], sec_cutoff=-1, fock_basis=True)
    np.testing.assert_allclose(rho, qutip.steadystate(R).full(), atol=1e-9)


def test_guarnieri_steady_coherence_does_not_depend_on_initial_state():
    st, res, _ = run("guarnieri2018")
    assert st.kernel_dim == 1          # abstract: SSC independent of the initial state
    assert res["l1_coherence"] > 1e-3


def test_guarnieri_coherence_scales_as_sin_2theta_and_grows_when_cooled():
    # leading order in alpha: C_l1 ~ alpha sin(2 theta); tolerance 1% at alpha = 1e-3
    a, b = (tm.guarnieri_coherence(theta=t, alpha=1e-3, T=0.5) for t in (np.pi / 8, np.pi / 4))
    assert a / b == pytest.approx(np.sin(np.pi / 4), rel=1e-2)
    c = [tm.guarnieri_coherence(T=T) for T in (2.0, 1.0, 0.5, 0.25)]
    assert np.all(np.diff(c) > 0) and c[0] > 0


# ----------------------------------------------------------------------------- quiroga2007
@pytest.mark.parametrize(("T1", "T2"), [(0.3, 0.1), (0.05, 0.4), (0.2, 0.2), (0.0, 0.25)])
def test_quiroga_global_ness_matches_closed_form(T1, T2):
    st, res, _ = run("quiroga2007", T_1=T1, T_2=T2)
    assert res["concurrence"] == pytest.approx(res["concurrence_closed_form"], abs=1e-9)
    assert res["concurrence"] == pytest.approx(qt_conc(st.rho), abs=1e-9)


def test_quiroga_equal_temperatures_is_gibbs():
    st, res, _ = run("quiroga2007", T_1=0.2, T_2=0.2)
    H = tb.xx_hamiltonian((1.0, 1.0), 0.5)
    assert trace_distance(st.rho, gibbs(H, 0.2)) < 1e-9
    expected = (np.sinh(0.5 / 0.2) - 1) / (np.cosh(0.5 / 0.2) + np.cosh(1 / 0.2))
    assert res["concurrence"] == pytest.approx(expected, abs=1e-9)


def test_quiroga_gradient_enhances_or_suppresses_entanglement():
    """Abstract of cond-mat/0612046: a temperature gradient can enhance or suppress the
    entanglement relative to equilibrium (here: at the mean temperature), global ME solved."""
    _, up, _ = run("quiroga2007", T_1=0.0, T_2=0.25)
    assert up["concurrence"] > 2 * up["concurrence_equilibrium_mean_T"] > 0
    _, down, _ = run("quiroga2007", T_1=0.6, T_2=0.0)
    assert down["concurrence"] < 0.5 * down["concurrence_equilibrium_mean_T"]


# ----------------------------------------------------------------------------- wang2019
def test_wang_local_resonant_equal_T_is_bare_product_state():
    st, res, _ = run("wang2019", master="local", T_1=0.3, T_2=0.3)
    H0 = tb.xx_hamiltonian((1.0, 1.0), 0.0)
    assert trace_distance(st.rho, gibbs(H0, 0.3)) < 1e-9
    assert res["concurrence"] < 1e-12
    st_g, res_g, _ = run("wang2019", master="global", T_1=0.3, T_2=0.3)
    assert trace_distance(st_g.rho, gibbs(tb.xx_hamiltonian((1.0, 1.0), 0.5), 0.3)) < 1e-9
    assert res_g["concurrence"] > 0.01


def test_wang_redfield_coherence_grows_with_temperature_difference():
    """Abstract of arXiv:1812.04799 (Bloch-Redfield): the steady coherence (energy eigenbasis)
    vanishes at equilibrium and grows monotonically with the temperature difference."""
    dT = np.array([0.0, 0.1, 0.2, 0.3, 0.4])
    _, res, _ = run("wang2019", master="redfield", T_1=0.3 + dT / 2, T_2=0.3 - dT / 2)
    coh = np.asarray(res["coherence_energy_basis"])
    assert coh[0] < 1e-12
    assert np.all(np.diff(coh) > 1e-5)
    # secular (global) form: no energy-basis coherence at all
    _, glob, _ = run("wang2019", master="global", T_1=0.5, T_2=0.1)
    assert glob["coherence_energy_basis"] < 1e-12


def test_wang_weak_coupling_suppresses_entanglement():
    c = [run("wang2019", master="redfield", T_1=0.45, T_2=0.15, g=g)[1]["concurrence"]
         for g in (0.5, 0.1)]
    assert c[0] > 0.03 and c[1] < 1e-10


def test_wang_local_matches_qutip_lindblad():
    T1, T2, g, w1, w2 = 0.4, 0.05, 0.05, 1.0, 1.0
    st, _res, _p = run("wang2019", master="local", T_1=T1, T_2=T2, g=g, omega_2=w2)
    from qness.baths import Ohmic

    ref = 0.5 * (w1 + w2)
    alpha = 0.01 / (2 * np.pi * ref * np.exp(-ref / 10.0))
    J = Ohmic(alpha, 10.0)
    sm = [qutip.tensor(qutip.sigmam(), qutip.qeye(2)), qutip.tensor(qutip.qeye(2),
                                                                   qutip.sigmam())]
    H = qutip.Qobj(tb.xx_hamiltonian((w1, w2), g), dims=[[2, 2], [2, 2]])
    c_ops = []
    for s, w, T in zip(sm, (w1, w2), (T1, T2), strict=True):
        n = 1 / np.expm1(w / T)
        rate = 2 * np.pi * J(w)
        c_ops += [np.sqrt(rate * (1 + n)) * s, np.sqrt(rate * n) * s.dag()]
    rho_q = qutip.steadystate(H, c_ops).full()
    np.testing.assert_allclose(st.rho, rho_q, atol=1e-9)


# ----------------------------------------------------------------------------- huang2009
def test_huang_equal_temperatures_gibbs_pairwise_concurrence():
    st, res, _ = run("huang2009", T_L=0.15, T_R=0.15)
    H = tb.xx_hamiltonian((1.0,) * 3, 0.3)
    rho_g = gibbs(H, 0.15)
    assert trace_distance(st.rho, rho_g) < 1e-9
    q = qutip.Qobj(rho_g, dims=[[2, 2, 2], [2, 2, 2]])
    assert res["C12"] == pytest.approx(qutip.concurrence(q.ptrace([0, 1])), abs=1e-9)
    assert res["C13"] == pytest.approx(qutip.concurrence(q.ptrace([0, 2])), abs=1e-9)
    assert res["C12"] > 1e-3


def test_huang_mirror_symmetry():
    _, a, _ = run("huang2009", T_L=0.4, T_R=0.05)
    _, b, _ = run("huang2009", T_L=0.05, T_R=0.4)
    assert a["C12"] == pytest.approx(b["C23"], abs=1e-10)
    assert a["C13"] == pytest.approx(b["C13"], abs=1e-10)


# ----------------------------------------------------------------------------- tacchino2018
def test_tacchino_matches_qutip_and_equal_temperature_gives_no_entanglement():
    st, _res, _ = run("tacchino2018", P=0.3, T_c=0.2)
    sm1 = qutip.tensor(qutip.sigmam(), qutip.qeye(2))
    sm2 = qutip.tensor(qutip.qeye(2), qutip.sigmam())
    H = qutip.Qobj(tb.xx_hamiltonian((1.0, 1.0), 0.05), dims=[[2, 2], [2, 2]])
    n = 1 / np.expm1(1 / 0.2)
    c_ops = [np.sqrt(0.05) * sm1, np.sqrt(0.3) * sm1.dag(), np.sqrt(0.2 * (1 + n)) * sm2,
             np.sqrt(0.2 * n) * sm2.dag()]
    np.testing.assert_allclose(st.rho, qutip.steadystate(H, c_ops).full(), atol=1e-9)
    # P/gamma = n/(1+n): both effective temperatures equal T_c -> product state, C = 0
    _, eq, _ = run("tacchino2018", P=0.05 * n / (1 + n), T_c=0.2)
    assert eq["effective_T_h"] == pytest.approx(0.2, rel=1e-12)
    assert eq["concurrence"] < 1e-12


def test_tacchino_negative_temperature_beats_positive():
    # the paper's claim (abstract): maximal C needs the hot bath at negative temperature
    P = np.linspace(0.0, 1.0, 81)
    _, res, _ = run("tacchino2018", P=P)
    C = res["concurrence"]
    assert C[P > 0.05].max() > 1.2 * C[P <= 0.05].max()


def test_reproduce_writes_png_and_csv(tmp_path):
    from qness.reproduce import benatti2010

    rows = benatti2010.reproduce(tmp_path, quick=True)
    assert (tmp_path / "benatti2010.png").stat().st_size > 1000
    data = np.loadtxt(tmp_path / "benatti2010.csv", delimiter=",")
    np.testing.assert_allclose(data[:, 1], data[:, 2], atol=1e-9)   # numerics vs closed form
    assert rows[0]["max"] == pytest.approx(0.5, abs=1e-9)
    assert l1_coherence(np.eye(2) / 2) == 0.0 and concurrence(np.eye(4) / 4) == 0.0
