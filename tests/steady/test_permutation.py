"""Permutation-invariant steady states: full 2^N solves, QuTiP PIQS, and physical limits."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import comb

import qness
from qness.errors import (
    InvalidInputError,
    MemoryEstimateError,
    NonUniqueSteadyStateError,
    SolverError,
)
from qness.master.permutation import (
    PermutationModel,
    blocks_to_dense,
    collective_operators,
    degeneracy,
    dense_to_blocks,
    dicke_state,
    j_values,
    permutation_liouvillian,
)
from qness.measures import concurrence, partial_trace
from qness.steady.permutation import steadystate_permutation


def random_model(rng: np.random.Generator, n: int, driven: bool) -> PermutationModel:
    rates = rng.uniform(0.05, 1.0, 6)
    return PermutationModel(
        n, omega_z=rng.uniform(-1, 1), chi=rng.uniform(-0.5, 0.5),
        omega_x=rng.uniform(-1, 1) if driven else 0.0,
        omega_y=rng.uniform(-1, 1) if driven else 0.0,
        gamma_ce=rates[0], gamma_cp=rates[1], gamma_cd=rates[2],
        gamma_e=rates[3], gamma_p=rates[4], gamma_d=rates[5])


def full_solve(model: PermutationModel, **kwargs):
    h, c_ops = model.full_space_terms()
    return qness.steadystate(h.toarray(), [c.toarray() for c in c_ops], dims=[2] * model.n,
                             **kwargs)


# ------------------------------------------------------------------ against the full solve
@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
@pytest.mark.parametrize("driven", [False, True])
def test_reduced_solve_equals_full_solve(rng, n, driven):
    model = random_model(rng, n, driven)
    ps = steadystate_permutation(model)
    full = full_solve(model)
    assert ps.ok and ps.kernel_dim == 1
    assert ps.sector == ("full" if driven else "diagonal")
    assert ps.residual < 1e-12
    assert np.abs(ps.to_dense() - full.rho).max() < 1e-9
    pair = partial_trace(full.rho, [2] * n, [0, n - 1])
    assert np.abs(ps.reduced_two_qubit() - pair).max() < 1e-9
    assert np.isclose(concurrence(ps.reduced_two_qubit()), concurrence(pair), atol=1e-7)


@pytest.mark.parametrize("n", [4, 5])
def test_iterative_method_equals_full_solve(rng, n):
    model = random_model(rng, n, driven=True)
    ps = steadystate_permutation(model, method="iterative")
    assert ps.method == "permutation-gmres-block-sgs" and ps.ok
    assert np.abs(ps.to_dense() - full_solve(model).rho).max() < 1e-9


def test_iterative_and_direct_agree_at_moderate_n():
    model = PermutationModel(24, omega_x=1.5, omega_z=0.3, gamma_ce=0.1, gamma_e=0.3,
                             gamma_d=0.1)
    it = steadystate_permutation(model, method="iterative")
    lu = steadystate_permutation(model, method="direct")
    assert it.ok and lu.ok and it.kernel_dim == lu.kernel_dim == 1
    assert np.abs(it.vector - lu.vector).max() < 1e-9


def test_expectation_values_match_the_dense_state(rng):
    n = 5
    ps = steadystate_permutation(random_model(rng, n, driven=True))
    rho = ps.to_dense()
    ops = {k: v.toarray() for k, v in collective_operators(n).items()}
    j2 = ops["x"] @ ops["x"] + ops["y"] @ ops["y"] + ops["z"] @ ops["z"]
    cases = {"Jx": ops["x"], "Jz": ops["z"], "J+": ops["+"], "J2": j2,
             "JxJy": ops["x"] @ ops["y"], "Jz^2": ops["z"] @ ops["z"], "J+J-": ops["+"] @ ops["-"]}
    for name, op in cases.items():
        assert np.isclose(ps.expect(name), np.trace(rho @ op), atol=1e-12), name
    assert isinstance(ps.expect("Jx"), float) and isinstance(ps.expect("J+"), complex)
    with pytest.raises(InvalidInputError, match="not understood"):
        ps.expect("Sx")


# ------------------------------------------------------------------ against QuTiP PIQS
def piqs_steady_blocks(n, hamiltonian, **rates):
    """PIQS Liouvillian + qutip.steadystate (direct).

    The PIQS Liouvillian also carries the coherences between different j, which it leaves
    without dynamics (a kernel of their own); they are given a unit decay so that QuTiP's
    direct solver sees a unique steady state.  Normalised with the plain trace (PIQS stores the
    weighted blocks).
    """
    qutip = pytest.importorskip("qutip")
    import qutip.piqs as piqs  # the package attribute is the piqs module
    import scipy.sparse as sp

    liouv = piqs.Dicke(n, hamiltonian=hamiltonian, **rates).liouvillian()
    nds = liouv.dims[0][0][0]
    label = np.repeat(np.arange(len(j_values(n))), (2 * j_values(n) + 1).astype(int))
    rows, cols = np.meshgrid(np.arange(nds), np.arange(nds), indexing="ij")
    inter = np.zeros(nds * nds)
    inter[(rows + nds * cols).ravel()] = (label[rows] != label[cols]).ravel()
    decay = qutip.Qobj(sp.diags_array(inter).tocsr(), dims=liouv.dims, superrep=liouv.superrep)
    rho = qutip.steadystate(liouv - decay, method="direct")
    blocks = [np.asarray(b) for b in piqs.dicke_blocks(rho)]
    total = sum(np.trace(b).real for b in blocks)
    return [b / total for b in blocks]


@pytest.mark.parametrize("n", [3, 5, 8])
def test_steady_state_equals_qutip_piqs(n):
    """Agreement to 1e-6: PIQS computes some Liouvillian coefficients in single precision."""
    pytest.importorskip("qutip")
    import qutip.piqs as piqs

    rates = {"gamma_ce": 0.3, "gamma_cp": 0.1, "gamma_cd": 0.2, "gamma_e": 0.5,
             "gamma_p": 0.2, "gamma_d": 0.15}
    jx, _jy, jz = piqs.jspin(n)
    theirs = piqs_steady_blocks(
        n, 0.4 * jx + 0.3 * jz, emission=0.5, pumping=0.2, dephasing=4 * 0.15,
        collective_emission=0.3, collective_pumping=0.1, collective_dephasing=0.2)
    ours = steadystate_permutation(PermutationModel(n, omega_x=0.4, omega_z=0.3, **rates))
    for a, b in zip(theirs, ours.blocks, strict=True):
        assert np.abs(a - b).max() < 1e-6


# ------------------------------------------------------------------ non-unique cases
def test_collective_decay_alone_is_not_unique():
    model = PermutationModel(4, omega_z=0.5, gamma_ce=1.0)
    with pytest.raises(NonUniqueSteadyStateError) as info:
        steadystate_permutation(model)
    assert info.value.kernel_dim == 3   # one dark state |j, -j> per total spin j = 2, 1, 0


def test_collective_decay_from_a_dicke_state_reaches_the_ground_state():
    ps = steadystate_permutation(PermutationModel(6, gamma_ce=1.0), rho0=dicke_state(6, 3, 1))
    assert ps.ok and ps.kernel_dim == 4
    assert np.allclose(ps.j_weights, [1, 0, 0, 0])
    assert np.isclose(ps.populations[0][-1], 1.0)       # |3, -3>: all qubits in |g>


def test_collective_decay_projection_equals_full_solve_from_rho0():
    """A mixture over j: each block keeps its weight and decays to its own dark state."""
    model = PermutationModel(4, omega_z=0.5, gamma_ce=1.0, gamma_cd=0.3)
    rho0 = {2.0: np.diag([0, 0.2, 0, 0, 0]), 1.0: np.diag([0.5, 0, 0]), 0.0: np.array([[0.3]])}
    ps = steadystate_permutation(model, rho0=rho0)
    full = full_solve(model, rho0=blocks_to_dense(4, [rho0[2.0], rho0[1.0], rho0[0.0]]))
    assert np.allclose(ps.j_weights, [0.2, 0.5, 0.3])
    assert np.abs(ps.to_dense() - full.rho).max() < 1e-9
    by_weights = steadystate_permutation(model, j_weights=[0.2, 0.5, 0.3])
    assert np.allclose(by_weights.vector, ps.vector, atol=1e-12)


def test_collective_dephasing_keeps_populations_and_kills_coherences(rng):
    """Degenerate kernels inside each block: the coherent rho0 needs the full sector."""
    n = 3
    model = PermutationModel(n, omega_z=0.5, gamma_cd=1.0)
    g = rng.normal(size=(8, 8)) + 1j * rng.normal(size=(8, 8))
    rho0 = g @ g.conj().T
    rho0 = blocks_to_dense(n, dense_to_blocks(rho0 / np.trace(rho0), n))   # symmetrise
    ps = steadystate_permutation(model, rho0=rho0)
    assert ps.sector == "full" and ps.ok
    assert np.abs(ps.to_dense() - full_solve(model, rho0=rho0).rho).max() < 1e-9
    with pytest.raises(InvalidInputError, match="j_weights"):
        steadystate_permutation(model, j_weights=[0.5, 0.5])


@pytest.mark.parametrize("method", ["direct", "iterative"])
def test_parity_conserving_model_is_not_unique(method):
    """H = J_x^2 and local dephasing conserve the parity of the excitation number: two steady
    states (the direct path counts them, the iterative one sees its probe solve stall)."""
    model = PermutationModel(8, h_terms=((1.0, "xx"),), gamma_d=0.5)
    with pytest.raises(NonUniqueSteadyStateError) as info:
        steadystate_permutation(model, method=method)
    assert info.value.kernel_dim == 2


def test_local_dephasing_alone_conserves_the_excitation_number():
    n = 4
    model = PermutationModel(n, omega_z=0.3, gamma_d=1.0)
    with pytest.raises(NonUniqueSteadyStateError) as info:
        steadystate_permutation(model)
    assert info.value.kernel_dim == n + 1        # one state per excitation number
    ps = steadystate_permutation(model, rho0=dicke_state(n, 2, 0))
    # the symmetric Dicke state with 2 excitations dephases to the uniform mixture of all
    # C(4, 2) configurations: weight d_N(j) / C(N, k) on every j >= |m| = 0
    assert np.allclose(ps.j_weights, degeneracy(n, j_values(n)) / comb(n, 2))


# ------------------------------------------------------------------ known limits
def test_pure_local_decay_gives_the_all_ground_state():
    ps = steadystate_permutation(PermutationModel(60, gamma_e=1.0, omega_z=2.0))
    assert ps.ok and ps.kernel_dim == 1
    assert np.isclose(ps.populations[0][-1], 1.0) and np.isclose(ps.expect("Jz"), -30.0)


@pytest.mark.parametrize("n", [6, 80])
def test_thermal_local_rates_give_the_product_gibbs_state(n):
    """Local and collective emission/absorption in the detailed-balance ratio e^{-omega/T}
    (plus dephasing) leave exp(-omega J_z / T) stationary: the product of qubit Gibbs states."""
    omega, temperature = 1.3, 0.7
    boltzmann = np.exp(-omega / temperature)
    ps = steadystate_permutation(PermutationModel(
        n, omega_z=omega, chi=0.2, gamma_e=0.4, gamma_p=0.4 * boltzmann, gamma_ce=0.2,
        gamma_cp=0.2 * boltzmann, gamma_d=0.1, gamma_cd=0.3))
    p_e = 1.0 / (1.0 + np.exp(omega / temperature))
    assert ps.ok and ps.sector == "diagonal"
    for j, pops in zip(ps.j_values, ps.populations, strict=True):
        m = j - np.arange(len(pops))
        expected = degeneracy(n, j) * p_e ** (n / 2 + m) * (1 - p_e) ** (n / 2 - m)
        assert np.allclose(pops, expected, rtol=1e-8, atol=1e-13)
    single = np.diag([p_e, 1 - p_e])
    assert np.allclose(ps.reduced_two_qubit(), np.kron(single, single), atol=1e-12)
    assert concurrence(ps.reduced_two_qubit()) == pytest.approx(0.0, abs=1e-10)


def test_collective_decay_with_local_pumping_matches_full_solve():
    """The superradiant-laser-like steady state (unique thanks to the local pumping)."""
    model = PermutationModel(6, omega_z=0.8, gamma_ce=1.0, gamma_p=0.7)
    ps = steadystate_permutation(model)
    assert ps.ok and ps.kernel_dim == 1
    assert np.abs(ps.to_dense() - full_solve(model).rho).max() < 1e-9


def test_u1_model_at_n_200_is_validated():
    model = PermutationModel(200, omega_z=1.0, gamma_p=1.0, gamma_ce=0.1, gamma_d=0.1)
    ps = steadystate_permutation(model)
    assert ps.ok and ps.sector == "diagonal" and ps.basis.dim == 101 ** 2
    assert ps.residual < 1e-12 and ps.min_eigenvalue > -1e-12
    assert np.isclose(ps.j_weights.sum(), 1.0)
    # a coherent rho0 is irrelevant for a unique steady state: still the cheap sector
    coherent = {100.0: np.full((201, 201), 1 / 201)}
    again = steadystate_permutation(model, rho0=coherent)
    assert again.sector == "diagonal" and np.allclose(again.vector, ps.vector, atol=1e-14)


@pytest.mark.slow
def test_u1_model_at_n_400_is_validated():
    model = PermutationModel(400, omega_z=1.0, gamma_p=1.0, gamma_ce=0.1, gamma_d=0.1)
    ps = steadystate_permutation(model)
    assert ps.ok and ps.residual < 1e-12 and ps.wall_time < 60


# ------------------------------------------------------------------ API checks
def test_generator_input_and_errors(rng):
    model = random_model(rng, 3, driven=False)
    gen = permutation_liouvillian(model, sector="full")
    ps = steadystate_permutation(gen)
    assert ps.sector == "full"
    assert np.abs(ps.to_dense() - steadystate_permutation(model).to_dense()).max() < 1e-12
    with pytest.raises(InvalidInputError, match="method"):
        steadystate_permutation(model, method="magic")
    with pytest.raises(InvalidInputError, match="either"):
        steadystate_permutation(model, rho0=dicke_state(3, 1.5, 0.5), j_weights=[1, 0])
    with pytest.raises(InvalidInputError, match="j_weights"):
        steadystate_permutation(PermutationModel(3, gamma_ce=1.0), j_weights=[1.0])
    with pytest.raises(InvalidInputError, match="model_or_generator"):
        steadystate_permutation("not a model")
    big = steadystate_permutation(PermutationModel(14, gamma_e=1.0, gamma_p=0.5))
    with pytest.raises(MemoryEstimateError):
        big.to_dense()


def test_validation_failure_raises_with_the_result():
    model = PermutationModel(5, omega_x=1.0, gamma_e=0.5, gamma_d=0.2)
    with pytest.raises(SolverError) as info:
        steadystate_permutation(model, tolerances={"residual": 0.0})
    assert info.value.result.residual < 1e-12
    flagged = steadystate_permutation(model, tolerances={"residual": 0.0}, on_fail="flag")
    assert not flagged.ok
