"""Master-equation builders: Davies, partial secular, local, Bloch--Redfield (QuTiP oracle)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import qutip
from scipy.linalg import expm

from qness import Space, liouvillian, steadystate
from qness import operators as op
from qness.baths import (
    Bath,
    Channel,
    Flat,
    FunctionKernel,
    Ohmic,
    couple,
    exponential,
)
from qness.errors import InvalidInputError
from qness.master.davies import RegimeWarning, davies
from qness.master.local import local_lindblad, local_part
from qness.master.partial import partial_secular
from qness.master.redfield import bloch_redfield, ccp_violation

SP2 = Space.qubits(2)
SM = [SP2.embed(op.sigmam(), j).toarray() for j in range(2)]
SX = [SP2.embed(op.sigmax(), j).toarray() for j in range(2)]
SZ = [SP2.embed(op.sigmaz(), j).toarray() for j in range(2)]


def _rand_herm(rng, d, scale=1.0):
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    return scale * (a + a.conj().T) / 2


def _gibbs(h, T):
    g = expm(-(h - np.linalg.eigvalsh(h)[0] * np.eye(len(h))) / T)
    return g / np.trace(g)


def _trace_preserving(gen):
    d = gen.dim
    return np.abs(np.eye(d).reshape(-1).conj() @ gen.dense()).max()


def _random_model(seed):
    """Random H, random operators, two channels (charge 0 and 1) with correlated kernels."""
    rng = np.random.default_rng(seed)
    d = 3 + seed % 2
    h = _rand_herm(rng, d)
    T = rng.uniform(0.3, 2.0)
    bath = Bath(T, 0.0, (
        Channel(Ohmic(0.01, 3.0), 0, exponential(1.0), name="x"),
        Channel(lambda w: 0.01 / (1 + w**2), 1, exponential(0.5), "kms", "c"),
    ))
    other = Bath(T, 0.0, Channel(Ohmic(0.005, 1.0, form="drude"), 0, name="y"))
    cps = [couple(_rand_herm(rng, d), bath["x"], rng.uniform(0, 2)) for _ in range(2)]
    cps += [couple(rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d)), bath["c"],
                   rng.uniform(0, 2), 0.5) for _ in range(2)]
    cps.append(couple(_rand_herm(rng, d), other))
    return h, cps, T


@pytest.mark.parametrize("seed", range(6))
def test_davies_steady_state_is_gibbs_for_random_models(seed):
    h, cps, T = _random_model(seed)
    gen = davies(h, cps, warn=False)
    ss = steadystate(gen)
    np.testing.assert_allclose(ss.rho, _gibbs(h, T), atol=1e-10)
    assert _trace_preserving(gen) < 1e-12
    assert ccp_violation(gen.dense()) < 1e-12


@pytest.mark.parametrize("seed", range(3))
def test_davies_with_lamb_shift_keeps_gibbs(seed):
    h, cps, T = _random_model(seed)
    gen = davies(h, cps, lamb=True, warn=False)
    ls = gen.info["lamb_shift"]
    _, V = np.linalg.eigh(h)
    ls_eig = V.conj().T @ ls @ V
    # the secular Lamb shift commutes with H (block diagonal in degenerate eigenspaces)
    assert np.abs(ls_eig - np.diag(np.diag(ls_eig))).max() < 1e-12 * np.abs(ls).max()
    np.testing.assert_allclose(steadystate(gen).rho, _gibbs(h, T), atol=1e-10)


def test_davies_merges_degenerate_bohr_frequencies():
    # spin 1 in a field: both transitions at Delta; A(Delta) = J^-/2 must be one jump operator
    jz, jx = op.jmat(1, "z"), op.jmat(1, "x")
    jm = op.jmat(1, "-")
    T, delta = 0.5, 1.2
    bath = Bath(T, 0.0, Channel(Ohmic(0.02, 4.0), 0, name="x"))
    gen = davies(delta * jz, [couple(jx, bath)], warn=False)
    g_down, g_up = bath["x"].down(delta), bath["x"].down(-delta)
    ref = liouvillian(delta * jz, [np.sqrt(g_down) * jm / 2, np.sqrt(g_up) * jm.conj().T / 2])
    np.testing.assert_allclose(gen.dense(), ref.dense(), atol=1e-14)


def _qutip_spectrum(channel):
    return lambda w: float(channel.down(w))


def _qobj(a, dims=(2, 2)):
    return qutip.Qobj(a, dims=[list(dims), list(dims)])


def _rel(a, b):
    return np.linalg.norm(a - b) / np.linalg.norm(b)


def test_redfield_matches_qutip_single_qubit():
    bath = Bath(0.7, 0.0, Channel(Ohmic(0.02, 3.0), 0, name="x"))
    h = 0.5 * op.sigmaz() + 0.2 * op.sigmax()
    a = op.sigmax() + 0.3 * op.sigmaz()
    gen = bloch_redfield(h, [couple(a, bath)], warn=False)
    R = qutip.bloch_redfield_tensor(qutip.Qobj(h), [(qutip.Qobj(a), _qutip_spectrum(bath["x"]))],
                                    sec_cutoff=-1, fock_basis=True)
    assert _rel(gen.dense(), R.full()) < 1e-10


@pytest.mark.parametrize("corr_length", [None, 0.8, np.inf])
def test_redfield_matches_qutip_correlated_two_qubits(corr_length):
    """Partially or fully correlated baths: QuTiP gets the eigen-decomposed kernel as a_ops."""
    r = 0.6
    kernel = exponential(corr_length) if corr_length else exponential(1e-12)
    bath = Bath(0.4, 0.0, Channel(Ohmic(0.01, 2.0), 0, kernel, name="x"))
    h = 0.5 * SZ[0] + 0.55 * SZ[1] + 0.1 * (SM[0].conj().T @ SM[1] + SM[1].conj().T @ SM[0])
    cps = [couple(SX[0], bath, 0.0), couple(SX[1], bath, r)]
    gen = bloch_redfield(h, cps, warn=False)
    k = 0.0 if not corr_length else np.exp(-r / corr_length)
    a_ops = []
    for lam, sgn in ((1 + k, 1), (1 - k, -1)):
        if lam > 0:
            a_ops.append((_qobj(np.sqrt(lam / 2) * (SX[0] + sgn * SX[1])),
                          _qutip_spectrum(bath["x"])))
    R = qutip.bloch_redfield_tensor(_qobj(h), a_ops, sec_cutoff=-1, fock_basis=True)
    assert _rel(gen.dense(), R.full()) < 1e-10


def test_redfield_matches_qutip_random_three_level_two_baths():
    """Real symmetric H and couplings (QuTiP 5.3.1 returns the tensor of conj(A) for general
    complex Hermitian a_ops and is then not basis covariant; see the covariance test below)."""
    rng = np.random.default_rng(3)
    h = _rand_herm(rng, 3).real.astype(complex)
    hot = Bath(1.5, 0.0, Channel(Ohmic(0.01, 2.0), 0, name="x"), name="hot")
    cold = Bath(0.2, 0.0, Channel(Ohmic(0.02, 5.0, s=2), 0, name="x"), name="cold")
    a, b = _rand_herm(rng, 3).real.astype(complex), 1j * np.triu(rng.normal(size=(3, 3)), 1)
    b = b + b.conj().T
    gen = bloch_redfield(h, [couple(a, hot), couple(b, cold)], warn=False)
    R = qutip.bloch_redfield_tensor(
        qutip.Qobj(h), [(qutip.Qobj(a), _qutip_spectrum(hot["x"])),
                        (qutip.Qobj(b), _qutip_spectrum(cold["x"]))],
        sec_cutoff=-1, fock_basis=True)
    assert _rel(gen.dense(), R.full()) < 1e-10


def test_redfield_is_basis_covariant():
    """L(U H U^dag, U A U^dag) = S_U L(H, A) S_U^-1 for a complex unitary U."""
    from scipy.stats import unitary_group
    rng = np.random.default_rng(11)
    h0 = np.diag([0.0, 1.0, 2.3]).astype(complex)
    a0 = _rand_herm(rng, 3)
    bath = Bath(0.7, 0.0, Channel(Ohmic(0.02, 3.0), 0, name="x"))
    u = unitary_group.rvs(3, random_state=1)
    l0 = bloch_redfield(h0, [couple(a0, bath)], warn=False, lamb=True).dense()
    l1 = bloch_redfield(u @ h0 @ u.conj().T, [couple(u @ a0 @ u.conj().T, bath)], warn=False,
                        lamb=True).dense()
    su = np.kron(u.conj(), u)       # vec(U rho U^dag) = (U^* kron U) vec(rho)
    assert _rel(l1, su @ l0 @ np.linalg.inv(su)) < 1e-12


def test_redfield_reduces_to_davies_and_is_cp_when_secular_is_exact():
    bath = Bath(0.5, 0.3, Channel(lambda w: 0.005 / (1 + w**2), 1, statistics="kms", name="c"))
    h = 0.5 * op.sigmaz()
    cps = [couple(op.sigmam(), bath)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RegimeWarning)
        red = bloch_redfield(h, cps)
    np.testing.assert_allclose(red.dense(), davies(h, cps).dense(), atol=1e-14)
    assert red.info["ccp_violation"] < 1e-12


def test_redfield_positivity_violation_is_reported():
    bath = Bath(0.3, 0.0, Channel(Ohmic(0.05, 2.0), 0, name="x"))
    h = 0.5 * SZ[0] + 0.5 * SZ[1] + 0.05 * SX[0] @ SX[1]
    with pytest.warns(RegimeWarning) as record:
        gen = bloch_redfield(h, [couple(SX[0], bath, 0.0), couple(SX[1], bath, 1.0)])
    assert any("not completely positive" in str(w.message) for w in record)
    assert gen.info["positivity_ratio"] > 1e-2
    assert gen.info["ccp_violation"] > 0
    assert _trace_preserving(gen) < 1e-12
    weak = Bath(0.3, 0.0, Channel(Ohmic(1e-4, 2.0), 0, name="x"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RegimeWarning)
        quiet = bloch_redfield(h, [couple(SX[0], weak, 0.0), couple(SX[1], weak, 1.0)])
    assert 0 < quiet.info["positivity_ratio"] < 1e-2      # reported, small


def test_ccp_violation_detects_negative_rates():
    a = op.sigmam()
    good = liouvillian(op.sigmaz(), [a]).dense()
    assert ccp_violation(good) < 1e-14
    from qness.master.superop import dissipator
    assert ccp_violation(good - 2 * dissipator(a)) > 0.1


def test_partial_secular_limits_and_tolerance_errors():
    bath = Bath(0.5, 0.0, Channel(Ohmic(1e-3, 3.0), 0, exponential(1.0), name="x"))
    h = 0.5 * SZ[0] + 0.6 * SZ[1] + 0.05 * SX[0] @ SX[1]
    cps = [couple(SX[0], bath, 0.0), couple(SX[1], bath, 0.3)]
    dav = davies(h, cps, warn=False)
    part0 = partial_secular(h, cps, tol=0.0, warn=False)
    np.testing.assert_allclose(part0.dense(), dav.dense(), atol=1e-14)
    with pytest.raises(InvalidInputError, match=r"tol = 10 merges all .* allowed range: 0 <= tol"):
        partial_secular(h, cps, tol=10.0)
    with pytest.raises(InvalidInputError, match="tol must be finite and >= 0"):
        partial_secular(h, cps, tol=-1.0)
    default = partial_secular(h, cps, warn=False)
    assert default.info["tol"] == pytest.approx(10 * dav.info["rate"])
    assert ccp_violation(default.dense()) < 1e-12


def test_partial_secular_fixes_davies_for_nearly_degenerate_qubits():
    """Detuning << rates, out of equilibrium (shared cold correlated bath + local hot bath):
    Davies drops the coherences between the two transitions and is wrong; partial secular
    agrees with Bloch--Redfield up to O(detuning / rate)."""
    shared = Bath(0.1, 0.0, Channel(Ohmic(1e-3, 3.0), 0, exponential(5.0), name="x"))
    hot = Bath(1.0, 0.0, Channel(Ohmic(5e-4, 3.0), 0, name="x"))
    h = 0.5 * SZ[0] + 0.5 * (1 + 1e-4) * SZ[1]
    cps = [couple(SX[0], shared, 0.0), couple(SX[1], shared, 0.5), couple(SX[0], hot)]
    with pytest.warns(RegimeWarning, match="rate_to_spacing"):
        dav = davies(h, cps)
    part = partial_secular(h, cps, warn=False)
    red = bloch_redfield(h, cps, warn=False)
    r_dav, r_part, r_red = (steadystate(g, on_fail="flag").rho for g in (dav, part, red))
    err_part, err_dav = np.abs(r_part - r_red).max(), np.abs(r_dav - r_red).max()
    assert err_part < 1e-4
    assert err_dav > 0.05


def test_local_part_projects_onto_single_site_terms():
    h0 = 0.5 * 1.1 * SZ[0] + 0.3 * SX[1] + 0.5 * 0.9 * SZ[1]
    v = 0.2 * (SM[0].conj().T @ SM[1] + SM[1].conj().T @ SM[0]) + 0.1 * SZ[0] @ SZ[1]
    np.testing.assert_allclose(local_part(h0 + v, [2, 2]), h0, atol=1e-14)


def test_local_equals_davies_without_internal_coupling():
    hot = Bath(1.0, 0.0, Channel(Ohmic(1e-3, 3.0), 0, name="x"), name="hot")
    cold = Bath(0.2, 0.0, Channel(Ohmic(1e-3, 3.0), 0, name="x"), name="cold")
    h = 0.5 * SZ[0] + 0.7 * SZ[1]
    cps = [couple(SX[0], hot), couple(SX[1], cold)]
    np.testing.assert_allclose(local_lindblad(h, cps, dims=[2, 2]).dense(),
                               davies(h, cps).dense(), atol=1e-14)
    with pytest.raises(InvalidInputError, match="h_local or dims"):
        local_lindblad(h, cps)


def test_diagnostics_are_reported_and_quiet_in_regime():
    bath = Bath(0.5, 0.0, Channel(Ohmic(1e-3, 3.0), 0, name="x"))
    h = 0.5 * SZ[0] + 0.7 * SZ[1]
    cps = [couple(SX[0], bath, 0.0), couple(SX[1], bath, 1.0)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RegimeWarning)
        gen = davies(h, cps)
        partial_secular(h, cps)
    for key in ("rate", "rate_to_spacing", "markov", "rate_to_frequency", "parts"):
        assert key in gen.info
    assert 0 < gen.info["rate_to_spacing"] < 0.1
    strong = Bath(0.5, 0.0, Channel(Ohmic(0.3, 3.0), 0, name="x"))
    with pytest.warns(RegimeWarning) as record:
        davies(h, [couple(SX[0], strong, 0.0)])
    assert {"rate_to_frequency", "rate_to_spacing", "markov"} <= {
        str(w.message).split(": ")[1].split(" =")[0] for w in record}


def test_non_psd_kernel_in_builder_names_kernel_and_positions():
    box = FunctionKernel(lambda d, w: (np.linalg.norm(d, axis=-1) < 1.0).astype(float), "box")
    bath = Bath(0.5, 0.0, Channel(Flat(0.01, band=(0.0, 10.0)), 1, box, name="c"))
    sp3 = Space.qubits(3)
    h = sum(0.5 * sp3.embed(op.sigmaz(), j).toarray() for j in range(3))
    cps = [couple(sp3.embed(op.sigmam(), j).toarray(), bath, x)
           for j, x in enumerate([0.0, 0.9, 1.8])]
    with pytest.raises(InvalidInputError, match=r"kernel .*box.* not positive semidefinite"):
        davies(h, cps)


@pytest.mark.parametrize("builder", ["davies", "partial", "local", "redfield"])
def test_every_builder_is_trace_preserving_and_lindblad_forms_are_cp(builder):
    magnet = Bath(0.3, 0.8, (
        Channel(lambda w: 2e-3 / (1 + w**2), 1, exponential(3.0), "kms", "co"),
        Channel(lambda w: 1e-3 / (1 + w**2), -1, exponential(0.3), "kms", "counter")))
    deph = Bath(0.3, 0.0, Channel(Ohmic(1e-3, 2.0), 0, name="z"))
    h = 0.5 * SZ[0] + 0.5 * 1.1 * SZ[1] + 0.05 * (SM[0].conj().T @ SM[1] + SM[1].conj().T @ SM[0])
    cps = []
    for j in range(2):
        cps += [couple(SM[j], magnet["co"], 0.4 * j),
                couple(SM[j], magnet["counter"], 0.4 * j, 0.5),
                couple(SZ[j], deph, 0.4 * j)]
    make = {"davies": davies, "partial": partial_secular, "redfield": bloch_redfield,
            "local": lambda h, c, warn: local_lindblad(h, c, dims=[2, 2], warn=warn)}[builder]
    gen = make(h, cps, warn=False)
    assert _trace_preserving(gen) < 1e-13
    if builder != "redfield":
        assert gen.is_lindblad and ccp_violation(gen.dense()) < 1e-12
    ss = steadystate(gen, on_fail="flag")
    assert ss.min_eigenvalue > -1e-8
