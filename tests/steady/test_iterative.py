"""Tests of the iterative (GMRES, matrix-free) steady-state solver and the N-qubit benchmark model.

Oracles: the null vector of the dense generator from numpy's SVD, the long-time limit from
``expm(L t)``, QuTiP's ``steadystate``, and analytic states (ground state, dark states).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg as sla
import scipy.sparse as sp

import qness
from qness import Space
from qness import operators as ops
from qness.errors import (
    ConvergenceError,
    InvalidInputError,
    MemoryEstimateError,
    NonUniqueSteadyStateError,
)
from qness.master import Generator, unvec, vec
from qness.models.nqubit import generic_qubits, site_frequencies
from qness.steady import iterative
from qness.steady.iterative import (
    detect_charges,
    lindblad_frobenius_norm,
    solve_iterative,
    trivial_commutant,
)
from qness.steady.validate import DEFAULT_TOLERANCES

qutip = pytest.importorskip("qutip")


# ----------------------------------------------------------------------------- helpers
def svd_steady_state(gen: Generator) -> np.ndarray:
    """Oracle: the (unique) null vector of the dense generator, trace-normalised."""
    _, s, vh = np.linalg.svd(gen.dense())
    assert s[-2] > 1e-8 * s[0], "oracle model is not uniquely stationary"
    rho = unvec(vh[-1].conj(), gen.dim)
    return rho / np.trace(rho)


def long_time_state(gen: Generator, rho0: np.ndarray) -> np.ndarray:
    """Oracle: the biorthogonal kernel projection of rho0 (= lim exp(L t) rho0), dense eig."""
    w, vl, vr = sla.eig(gen.dense(), left=True)
    idx = np.flatnonzero(np.abs(w) < 1e-9)
    r, left = vr[:, idx], vl[:, idx]
    return unvec(r @ np.linalg.solve(left.conj().T @ r, left.conj().T @ vec(rho0)), gen.dim)


def random_lindblad(d: int, n_jumps: int, seed: int, dims=None) -> Generator:
    """Random dense H and jumps: generic, no conserved charge."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((d, d)) + 1j * rng.standard_normal((d, d))
    h = 0.5 * (a + a.conj().T)
    jumps = [0.5 * (rng.standard_normal((d, d)) + 1j * rng.standard_normal((d, d)))
             for _ in range(n_jumps)]
    return qness.liouvillian(h, jumps, dims=dims)


def random_state(d: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    g = rng.standard_normal((d, d)) + 1j * rng.standard_normal((d, d))
    rho = g @ g.conj().T
    return rho / np.trace(rho)


def qutip_generic_qubits(n: int, omega=1.0, J=0.5, gamma=0.1, pump=0.05, dephasing=0.02,
                         collective=0.1):
    """The benchmark model written independently with QuTiP's tensor products."""
    def site(op, j):
        return qutip.tensor([op if k == j else qutip.qeye(2) for k in range(n)])

    sm = [site(qutip.sigmam(), j) for j in range(n)]
    sz = [site(qutip.sigmaz(), j) for j in range(n)]
    h = sum(0.5 * omega * (1 + 0.1 * j) * sz[j] for j in range(n))
    for j in range(n - 1):
        h = h + J * (sm[j].dag() * sm[j + 1] + sm[j + 1].dag() * sm[j])
    c_ops = ([np.sqrt(gamma) * s for s in sm] + [np.sqrt(pump) * s.dag() for s in sm]
             + [np.sqrt(dephasing) * z for z in sz] + [np.sqrt(collective) * sum(sm)])
    return h, c_ops


def sigma_x_sites(n: int) -> list[sp.csr_array]:
    sx = sp.csr_array(np.array([[0.0, 1.0], [1.0, 0.0]], dtype=complex))
    return [sp.csr_array(sp.kron(sp.kron(sp.identity(2**j), sx), sp.identity(2 ** (n - j - 1)),
                                 format="csr")) for j in range(n)]


def charge_free_qubits(n: int, drive: float = 0.2, flip: float = 0.0) -> Generator:
    """The benchmark chain plus a transverse drive drive * sum_j sigma_j^x (and sigma^x jumps of
    rate ``flip``): no U(1) charge is conserved."""
    h, c_ops = generic_qubits(n)
    sx = sigma_x_sites(n)
    h = sp.csr_array(h + drive * sum(sx[1:], sx[0]))
    c_ops = c_ops + ([np.sqrt(flip) * op for op in sx] if flip else [])
    return qness.liouvillian(h, c_ops, dims=[2] * n)


def qutip_charge_free_qubits(n: int, drive: float = 0.2, flip: float = 0.0):
    """The same chain with QuTiP's tensor products."""
    h, c_ops = qutip_generic_qubits(n)
    sx = [qutip.tensor([qutip.sigmax() if k == j else qutip.qeye(2) for k in range(n)])
          for j in range(n)]
    h = h + drive * sum(sx)
    return h, c_ops + ([np.sqrt(flip) * op for op in sx] if flip else [])


# ----------------------------------------------------------------------------- the model
def test_generic_qubits_matches_independent_qutip_construction():
    n = 3
    h, c_ops = generic_qubits(n)
    qh, qc = qutip_generic_qubits(n)
    assert sp.issparse(h) and len(c_ops) == 3 * n + 1
    np.testing.assert_allclose(h.toarray(), qh.full(), atol=1e-14)
    for mine, theirs in zip(c_ops, qc, strict=True):
        np.testing.assert_allclose(mine.toarray(), theirs.full(), atol=1e-14)
    hd, _ = generic_qubits(n, sparse=False)
    assert isinstance(hd, np.ndarray) and np.allclose(hd, h.toarray())
    np.testing.assert_allclose(site_frequencies(3, 2.0), [2.0, 2.2, 2.4])


def test_generic_qubits_drops_zero_rates_and_checks_input():
    _, c_ops = generic_qubits(2, pump=0.0, dephasing=0.0, collective=0.0)
    assert len(c_ops) == 2
    with pytest.raises(InvalidInputError, match="N"):
        generic_qubits(0)
    with pytest.raises(InvalidInputError, match="gamma"):
        generic_qubits(2, gamma=-1.0)


# ----------------------------------------------------------------------------- correctness
def test_frobenius_norm_is_matrix_free_and_exact():
    gen = random_lindblad(5, 3, seed=1)
    norm = lindblad_frobenius_norm(gen.hamiltonian, list(gen.jumps), gen.dim)
    assert norm == pytest.approx(np.linalg.norm(gen.dense()), rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("preconditioner", ["eig", "schur", "ilu"])
def test_random_models_match_svd_null_vector(seed, preconditioner):
    d = [4, 6, 9][seed]
    gen = random_lindblad(d, n_jumps=1 + seed, seed=seed)
    assert detect_charges(None, [sp.csr_array(j) for j in gen.jumps], d) is None
    ss = solve_iterative(gen, preconditioner=preconditioner)
    np.testing.assert_allclose(ss.rho, svd_steady_state(gen), atol=1e-9)
    assert ss.ok and ss.kernel_dim == 1 and ss.residual < 1e-10
    assert ss.method == f"iterative-{preconditioner}"
    assert ss.info["preconditioner"] == preconditioner and ss.info["iterations"] >= 1


def test_non_lindblad_generator_uses_ilu_and_matches_oracle():
    lind = random_lindblad(6, 2, seed=5)
    gen = Generator.from_matrix(lind.dense())  # same superoperator, as an opaque 'extra'
    assert not gen.is_lindblad
    ss = solve_iterative(gen)
    assert ss.method == "iterative-ilu" and ss.kernel_dim == 1
    np.testing.assert_allclose(ss.rho, svd_steady_state(lind), atol=1e-9)


@pytest.mark.parametrize("n", [3, 4])
def test_block_path_equals_full_path_and_qutip(n):
    h, c_ops = generic_qubits(n)
    gen = qness.liouvillian(h, c_ops)
    block = solve_iterative(gen)
    full = solve_iterative(gen, use_symmetry=False)
    assert block.info["sectors"] == n + 1 and full.info["sectors"] == 1
    assert block.info["unknowns"] == sum(math.comb(n, k) ** 2 for k in range(n + 1))
    np.testing.assert_allclose(block.rho, full.rho, atol=1e-10)
    qh, qc = qutip_generic_qubits(n)
    ref = qutip.steadystate(qh, qc).full()
    np.testing.assert_allclose(block.rho, ref, atol=1e-9)
    # the state is block diagonal in the excitation number (weak U(1) symmetry)
    excitations = n - np.array([bin(i)[2:].zfill(n).count("1") for i in range(2**n)])
    off = excitations[:, None] != excitations[None, :]
    assert np.max(np.abs(block.rho[off])) < 1e-12


def test_detected_charges_are_excitation_number_up_to_affine_map():
    n = 3
    h, c_ops = generic_qubits(n)
    q, shifts = detect_charges(h, c_ops, 2**n)
    excitations = n - np.array([bin(i)[2:].zfill(n).count("1") for i in range(2**n)])
    # q = a * excitations + b with a != 0
    a, b = np.polyfit(excitations, q, 1)
    np.testing.assert_allclose(q, a * excitations + b, atol=1e-9)
    assert abs(a) > 1e-3
    # decay lowers, pumping raises, dephasing keeps, collective decay lowers the charge
    np.testing.assert_allclose(shifts, [-a] * n + [a] * n + [0.0] * n + [-a], atol=1e-9)


def test_declared_charges_are_checked_and_used():
    n = 3
    h, c_ops = generic_qubits(n)
    gen = qness.liouvillian(h, c_ops)
    excitations = n - np.array([bin(i)[2:].zfill(n).count("1") for i in range(2**n)])
    ss = solve_iterative(gen, charges=excitations)
    assert ss.info["sectors"] == n + 1
    with pytest.raises(InvalidInputError, match="charges"):
        solve_iterative(gen, charges=np.arange(2**n))
    with pytest.raises(InvalidInputError, match="charges"):
        solve_iterative(gen, charges=np.zeros(3))


def test_finer_symmetry_is_found_for_independent_qubits():
    # without hopping or collective decay each qubit's excitation is conserved separately:
    # every basis state is its own sector and the steady state is diagonal (product state)
    h, c_ops = generic_qubits(3, J=0.0, collective=0.0)
    gen = qness.liouvillian(h, c_ops)
    ss = solve_iterative(gen)
    assert ss.info["sectors"] == 8
    p_e = 0.05 / (0.1 + 0.05)  # single-qubit excited population pump / (gamma + pump)
    single = np.diag([p_e, 1 - p_e])
    expected = np.kron(np.kron(single, single), single)
    np.testing.assert_allclose(ss.rho, expected, atol=1e-12)


# ----------------------------------------------------------------------------- no charge
@pytest.mark.parametrize("drive, flip", [(0.2, 0.0), (0.0, 0.03), (0.3, 0.03)])
def test_charge_free_chain_matches_qutip_and_sparse_lu(drive, flip):
    # a transverse drive in H, or sigma^x jumps, break the excitation-number charge: the solve
    # runs on all 4^N unknowns, and its uniqueness comes from the commutant certificate
    n = 5
    gen = charge_free_qubits(n, drive, flip)
    ss = solve_iterative(gen)
    assert ss.info["sectors"] == 1 and ss.info["unknowns"] == 4**n
    assert ss.ok and ss.kernel_dim == 1 and ss.residual < 1e-12
    assert "commutant" in ss.info["uniqueness"]
    qh, qc = qutip_charge_free_qubits(n, drive, flip)
    np.testing.assert_allclose(ss.rho, qutip.steadystate(qh, qc).full(), atol=1e-9)
    lu = qness.steadystate(gen, method="sparse")
    np.testing.assert_allclose(ss.rho, lu.rho, atol=1e-9)


@pytest.mark.slow
def test_charge_free_chain_n6_matches_qutip():
    n = 6
    ss = solve_iterative(charge_free_qubits(n))
    qh, qc = qutip_charge_free_qubits(n)
    np.testing.assert_allclose(ss.rho, qutip.steadystate(qh, qc).full(), atol=1e-9)
    assert ss.info["unknowns"] == 4**n and ss.residual < 1e-12


@pytest.mark.parametrize("charged", [False, True])
def test_single_precision_preconditioner_gives_the_same_state(monkeypatch, charged):
    # P in complex64 is only a preconditioner of FGMRES: the state and its residual are those of
    # the double-precision solve, in about the same number of iterations
    gen = qness.liouvillian(*generic_qubits(5)) if charged else charge_free_qubits(5)
    monkeypatch.setattr(iterative, "SINGLE_MIN_BLOCK", 10**9)
    double = solve_iterative(gen)
    monkeypatch.setattr(iterative, "SINGLE_MIN_BLOCK", 1)
    single = solve_iterative(gen)
    assert double.info["preconditioner_precision"] == "complex128"
    assert single.info["preconditioner_precision"] == "complex64"
    np.testing.assert_allclose(single.rho, double.rho, atol=1e-11)
    assert single.info["gmres_residual"] <= 1e-10 and single.residual < 1e-12
    assert abs(single.info["iterations"] - double.info["iterations"]) <= 2


def test_single_precision_is_chosen_for_large_well_conditioned_blocks():
    # d = 256: the eigenvectors of K are well conditioned, P runs in complex64
    gen = charge_free_qubits(8)
    ss = solve_iterative(gen, check_unique=False)
    assert ss.info["preconditioner_precision"] == "complex64"
    assert ss.info["gmres_residual"] <= 1e-10 and ss.residual < 1e-12
    # the returned state is stationary: its residual is that of L itself, not of P
    lr = gen.apply(ss.rho)
    assert np.linalg.norm(lr) < 1e-10 * np.linalg.norm(ss.rho)


def test_inexact_preconditioner_does_not_change_the_state(monkeypatch):
    # FGMRES applies L exactly; a preconditioner perturbed randomly at every call (5 %) costs
    # iterations but leaves the answer exact
    gen = charge_free_qubits(4)
    exact = solve_iterative(gen)
    rng = np.random.default_rng(0)
    apply_p = iterative._Split.apply_P

    def noisy(self, sec, y, single=False):
        z = apply_p(self, sec, y, single)
        return z * (1.0 + 0.05 * rng.standard_normal(z.shape))

    monkeypatch.setattr(iterative._Split, "apply_P", noisy)
    ss = solve_iterative(gen)
    np.testing.assert_allclose(ss.rho, exact.rho, atol=1e-10)
    assert ss.info["gmres_residual"] <= 1e-10 and ss.residual < 1e-12


@pytest.mark.parametrize("dtype", [float, complex])
def test_fgmres_solves_with_restarts_and_a_varying_preconditioner(dtype):
    rng = np.random.default_rng(3)
    n = 80
    a = np.eye(n) * 4 + rng.standard_normal((n, n)) / np.sqrt(n)
    if dtype is complex:
        a = a + 1j * rng.standard_normal((n, n)) / np.sqrt(n)
    b = rng.standard_normal(n).astype(dtype)
    diag = np.diag(a)

    def precond(v):  # Jacobi with a random 10 % error, different at every call
        return (v / diag * (1 + 0.1 * rng.standard_normal(n))).astype(np.result_type(v, diag))

    x, iters, res, ok = iterative._fgmres(lambda v: a @ v, precond, b, None, 1e-12, 500, 7)
    assert ok and res <= 1e-11 and iters > 7  # restarted at least once
    np.testing.assert_allclose(x, np.linalg.solve(a, b), atol=1e-10)
    # an iteration budget too small: not converged, and the true residual is reported
    x, iters, res, ok = iterative._fgmres(lambda v: a @ v, precond, b, None, 1e-12, 3, 7)
    assert not ok and iters == 3
    assert res == pytest.approx(np.linalg.norm(a @ x - b) / np.linalg.norm(b), rel=1e-12)


@pytest.mark.parametrize("ratio", [0.0, None, 1e12])
@pytest.mark.parametrize("charged", [False, True])
def test_matrix_free_L_matches_the_generator(monkeypatch, ratio, charged):
    # the jump part as sparse superoperator (ratio 1e12: every term), as products (ratio 0) or
    # the default mix; compared with the generator's own apply on random non-Hermitian input,
    # in the charge-0 sector and a charge-difference sector
    if ratio is not None:
        monkeypatch.setattr(iterative, "KRON_COST_RATIO", ratio)
        monkeypatch.setattr(iterative, "KRON_NNZ_PER_UNKNOWN", 10**6)
    n = 4
    gen = qness.liouvillian(*generic_qubits(n)) if charged else charge_free_qubits(n, 0.2, 0.05)
    h, jumps = iterative._sparse_parts(gen)
    found = detect_charges(h, jumps, gen.dim)
    assert (found is not None) == charged
    groups, gcharge = (iterative._charge_groups(found[0]) if charged
                       else ([np.arange(gen.dim)], np.zeros(1)))
    keff = iterative._effective_hamiltonian(h, jumps, gen.dim)
    split = iterative._Split.build(keff, jumps, groups, gcharge, "eig", None)
    rng = np.random.default_rng(1)
    for m in [0.0, *split.sector_differences()[:1]]:
        sec = split.sector(m)
        x = rng.standard_normal(sec.size) + 1j * rng.standard_normal(sec.size)
        full = split.gather(sec, x, gen.dim)
        np.testing.assert_allclose(split.gather(sec, split.apply_L(sec, x), gen.dim),
                                   gen.apply(full), atol=1e-12)
        if ratio == 0.0:
            assert split.jump_superop_nnz(sec) <= sec.size  # at most the diagonal weights
    sec0 = split.sector(0.0)
    xh = split.scatter(sec0, random_state(gen.dim, seed=2))
    np.testing.assert_allclose(split.apply_L(sec0, xh, hermitian=True),
                               split.apply_L(sec0, xh), atol=1e-13)


def test_hermitian_coordinates_are_an_isometry():
    h, c_ops = generic_qubits(3)
    split_groups, _ = iterative._charge_groups(detect_charges(h, c_ops, 8)[0])
    sizes = [len(g) for g in split_groups]
    sec = iterative._Sector([(a, a) for a in range(len(sizes))], [(r, r) for r in sizes],
                            np.concatenate([[0], np.cumsum([r * r for r in sizes])[:-1]]),
                            sum(r * r for r in sizes), np.zeros(0, np.int64))
    coords = iterative._HermitianCoordinates.build(sec)
    rng = np.random.default_rng(4)

    def herm_vector():
        blocks = []
        for r in sizes:
            g = rng.standard_normal((r, r)) + 1j * rng.standard_normal((r, r))
            blocks.append((g + g.conj().T).ravel())
        return np.concatenate(blocks)

    x, y = herm_vector(), herm_vector()
    px, py = coords.pack(x), coords.pack(y)
    assert px.dtype == np.float64 and px.shape == (sec.size,)
    np.testing.assert_allclose(coords.unpack(px), x, atol=1e-14)
    assert px @ py == pytest.approx(np.vdot(x, y).real, rel=1e-12)


def test_charges_closer_than_the_tolerance_form_one_group():
    groups, gcharge = iterative._charge_groups(np.array([0.0, 3e-6, 1.0, 1.0, -2.0]))
    assert [g.tolist() for g in groups] == [[4], [0, 1], [2, 3]]
    np.testing.assert_allclose(gcharge, [-2.0, 0.0, 1.0])


def test_memory_estimate_of_the_charge_free_n10_chain_fits_six_gigabytes():
    # the budget for the generic 10-qubit chain without a charge (4^10 unknowns)
    est = iterative._split_memory_estimate(np.array([1024.0]), 1024, 60, 2000, True)
    assert 1e9 < est < 6e9


# ----------------------------------------------------------------------------- uniqueness
def dark_pair() -> Generator:
    """Two qubits with collective decay only: |gg> and the singlet are both dark."""
    s = Space.qubits(2)
    jc = s.embed(ops.sigmam(), 0) + s.embed(ops.sigmam(), 1)
    return qness.liouvillian(None, [jc])


@pytest.mark.parametrize("use_symmetry", [True, False])
def test_dark_state_reports_non_uniqueness(use_symmetry):
    with pytest.raises(NonUniqueSteadyStateError) as err:
        solve_iterative(dark_pair(), use_symmetry=use_symmetry)
    # kernel = operators on span{|gg>, singlet}: populations and the two coherences
    assert err.value.kernel_dim == 4


@pytest.mark.parametrize("use_symmetry", [True, False])
def test_dark_state_with_rho0_returns_long_time_limit(use_symmetry):
    gen = dark_pair()
    rho0 = random_state(4, seed=3)
    ss = solve_iterative(gen, rho0=rho0, use_symmetry=use_symmetry)
    assert ss.kernel_dim == 4 and ss.ok
    np.testing.assert_allclose(ss.rho, long_time_state(gen, rho0), atol=1e-10)
    # analytic check from |eg>: half singlet, half ground state
    eg = np.zeros((4, 4))
    eg[1, 1] = 1.0
    ss = solve_iterative(gen, rho0=eg, use_symmetry=use_symmetry)
    singlet = ops.bell_state("psi-")
    singlet = singlet if singlet.ndim == 2 else np.outer(singlet, singlet.conj())
    gg = np.zeros((4, 4))
    gg[3, 3] = 1.0
    np.testing.assert_allclose(ss.rho, 0.5 * singlet + 0.5 * gg, atol=1e-10)


def test_arnoldi_kernel_count_on_a_large_sector(monkeypatch):
    # Sectors above DENSE_SECTOR_MAX unknowns are analysed by deflated Arnoldi; lower it so that
    # a 3-qubit model (64 unknowns) takes that path.  A dark pair (collective decay) next to a
    # driven-dissipative qubit: kernel dimension 4.
    monkeypatch.setattr(iterative, "DENSE_SECTOR_MAX", 10)
    s = Space.qubits(3)
    sm = [s.embed(ops.sigmam(), j) for j in range(3)]
    c_ops = [sm[0] + sm[1], 0.3 * sm[2], 0.2 * sm[2].conj().T]
    h = 0.4 * s.embed(ops.sigmax(), 2) + s.embed(ops.sigmaz(), 2)
    gen = qness.liouvillian(h, c_ops)
    with pytest.raises(NonUniqueSteadyStateError) as err:
        solve_iterative(gen, use_symmetry=False)
    assert err.value.kernel_dim == 4
    rho0 = random_state(8, seed=4)
    ss = solve_iterative(gen, rho0=rho0, use_symmetry=False)
    assert ss.kernel_dim == 4 and ss.info["kernel_diagnostics"]["sector0"]["method"] == "arnoldi"
    np.testing.assert_allclose(ss.rho, long_time_state(gen, rho0), atol=1e-9)


def test_unique_state_where_S_is_singular():
    # decay only: |gg> is annihilated by every jump, so K has a real eigenvalue and
    # S(rho) = -i K rho + i rho K^dag is singular; the solver shifts K and still finds the
    # unique ground state.
    s = Space.qubits(2)
    hop = s.embed(ops.sigmap(), 0) @ s.embed(ops.sigmam(), 1)
    h = 0.5 * (hop + hop.conj().T) + s.embed(ops.sigmaz(), 0)
    gen = qness.liouvillian(h, [s.embed(ops.sigmam(), 0), 0.5 * s.embed(ops.sigmam(), 1)])
    for use_symmetry in (True, False):
        ss = solve_iterative(gen, use_symmetry=use_symmetry)
        assert ss.info["shift"] > 0 and ss.kernel_dim == 1
        expected = np.zeros((4, 4))
        expected[3, 3] = 1.0
        np.testing.assert_allclose(ss.rho, expected, atol=1e-12)


def test_commutant_test_detects_a_decoupled_qubit():
    # a qubit with no dynamics at all: its operators commute with everything -> not trivial
    s = Space.qubits(2)
    h = s.embed(ops.sigmaz(), 0)
    jumps = [sp.csr_array(s.embed(ops.sigmam(), 0))]
    assert not trivial_commutant([np.arange(4)], sp.csr_array(h), jumps)
    h2, c2 = generic_qubits(2)
    assert trivial_commutant([np.arange(4)], h2, c2)


# ----------------------------------------------------------------------------- failures
def test_memory_estimate_error_for_tiny_limit():
    h, c_ops = generic_qubits(4)
    gen = qness.liouvillian(h, c_ops)
    with pytest.raises(MemoryEstimateError, match="GiB"):
        solve_iterative(gen, memory_limit=1e3)
    with pytest.raises(MemoryEstimateError, match="GiB"):
        solve_iterative(gen, memory_limit=1e3, preconditioner="ilu")


@pytest.mark.parametrize("charged", [True, False])
def test_convergence_error_names_the_residual(charged):
    gen = qness.liouvillian(*generic_qubits(4)) if charged else charge_free_qubits(4)
    with pytest.raises(ConvergenceError, match="relative residual"):
        solve_iterative(gen, maxiter=2, restart=2)
    flagged = solve_iterative(gen, maxiter=2, restart=2, on_fail="flag")
    assert flagged.info["converged"] is False


def test_rho0_is_used_as_initial_guess_for_unique_states():
    h, c_ops = generic_qubits(3)
    gen = qness.liouvillian(h, c_ops)
    cold = solve_iterative(gen)
    warm = solve_iterative(gen, rho0=cold.rho)
    assert warm.info["iterations"] < cold.info["iterations"]
    np.testing.assert_allclose(warm.rho, cold.rho, atol=1e-10)


@pytest.mark.parametrize("kwargs, match", [
    ({"tol": 0.0}, "tol"), ({"maxiter": 0}, "maxiter"), ({"restart": 0}, "restart"),
    ({"preconditioner": "jacobi"}, "preconditioner"), ({"on_fail": "ignore"}, "on_fail"),
    ({"memory_limit": -1.0}, "memory_limit"),
])
def test_bad_arguments_are_rejected(kwargs, match):
    gen = random_lindblad(3, 1, seed=0)
    with pytest.raises(InvalidInputError, match=match):
        solve_iterative(gen, **kwargs)


def test_batched_and_non_generator_inputs_are_rejected():
    rng = np.random.default_rng(0)
    hb = np.stack([np.diag(rng.standard_normal(2)) for _ in range(3)])
    batched = qness.liouvillian(hb, [ops.sigmam()])
    with pytest.raises(InvalidInputError, match="batch"):
        solve_iterative(batched)
    with pytest.raises(InvalidInputError, match="Generator"):
        solve_iterative(np.eye(4))
    with pytest.raises(InvalidInputError, match="Lindblad"):
        solve_iterative(Generator.from_matrix(random_lindblad(2, 1, 0).dense()),
                        preconditioner="eig")


# ----------------------------------------------------------------------------- hard cases
def _magnon_array(n: int, eta: float):
    from qness.models import get

    spec = get("hou2025-array")
    return spec.build(spec.resolve({"N": n, "a": 0.02, "mu": -2, "eta": eta}))


def test_stalled_fgmres_grows_its_restart_and_converges():
    # conserving array at small spacing: nearly dark collective modes make restarted FGMRES
    # (restart 60) stall at a residual ~2e-6 for thousands of iterations
    gen = _magnon_array(5, 0.0)
    ss = solve_iterative(gen)
    assert ss.ok and ss.info["converged"]
    assert max(ss.info["restarts"]) > ss.info["restarts"][0]
    ref = qness.steadystate(gen, method="dense")
    assert np.linalg.norm(ss.rho - ref.rho) < 1e-6


def test_slightly_negative_state_is_refined_automatically():
    # pure steady state with a slow mode: residual 5e-11 leaves an eigenvalue -1e-7
    gen = _magnon_array(4, 0.0)
    ss = solve_iterative(gen)
    assert ss.ok and ss.min_eigenvalue >= -DEFAULT_TOLERANCES["positivity"]
    steps = ss.info["refinement"]
    assert steps[0]["min_eigenvalue_before"] < -DEFAULT_TOLERANCES["positivity"]
    assert steps[-1]["residual"] < ss.info["refinement"][0]["tol"] * 10
    ref = qness.steadystate(gen, method="dense")
    assert np.linalg.norm(ss.rho - ref.rho) < 1e-7


def test_inconclusive_kernel_search_is_capped_and_reported():
    # non-faithful state (min eigenvalue ~1e-13 of the max) with a jump-map gap ~2e-4: the
    # commutant certificate cannot apply and Arnoldi cannot settle the kernel cheaply
    gen = _magnon_array(6, 2.0)
    ss = solve_iterative(gen)
    budget = max(iterative.ARNOLDI_BUDGET_MIN,
                 iterative.ARNOLDI_BUDGET_PER_ITER * ss.info["iterations"])
    assert ss.info["uniqueness"].startswith("not established")
    assert ss.info["uniqueness_established"] is False
    assert ss.info["kernel_diagnostics"]["arnoldi_products"] <= budget + iterative.ARNOLDI_NCV
    ref = qness.steadystate(gen, method="sparse")  # the state itself is right (and unique)
    assert ref.kernel_dim == 1 and np.linalg.norm(ss.rho - ref.rho) < 1e-6
