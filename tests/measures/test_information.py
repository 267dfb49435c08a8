"""Entropies, partial traces, fidelity and trace distance against QuTiP and analytic values."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import qutip
from hypothesis import given, settings
from hypothesis import strategies as st

from qness import operators as ops
from qness.errors import DimensionError, InvalidInputError
from qness.measures import (
    as_density_matrix,
    fidelity,
    linear_entropy,
    mutual_information,
    partial_trace,
    purity,
    trace_distance,
    von_neumann_entropy,
)
from tests.conftest import random_density_matrix

dims_strategy = st.lists(st.integers(1, 3), min_size=1, max_size=3).filter(
    lambda d: np.prod(d) >= 2)


def dm(psi: np.ndarray) -> np.ndarray:
    psi = np.asarray(psi, dtype=complex)
    return np.outer(psi, psi.conj())


# ------------------------------------------------------------------ QuTiP as an oracle
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), dims=dims_strategy, data=st.data())
def test_ptrace_matches_qutip(seed, dims, data):
    rho_q = qutip.rand_dm(dims, seed=seed)
    keep = data.draw(st.lists(st.integers(0, len(dims) - 1), min_size=1, max_size=len(dims),
                              unique=True))
    ref = rho_q.ptrace(keep).full()  # QuTiP keeps ascending order whatever order is given
    out = partial_trace(rho_q.full(), dims, keep)
    assert out.shape == ref.shape
    assert np.abs(out - ref).max() < 1e-12
    assert np.abs(partial_trace(rho_q, dims, keep) - ref).max() < 1e-12  # Qobj input


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), dims=dims_strategy, rank=st.integers(1, 4))
def test_entropies_match_qutip(seed, dims, rank):
    d = int(np.prod(dims))
    rho_q = qutip.rand_dm(dims, seed=seed, rank=min(rank, d))
    rho = rho_q.full()
    assert von_neumann_entropy(rho) == pytest.approx(qutip.entropy_vn(rho_q, base=2), abs=1e-10)
    assert von_neumann_entropy(rho, base=np.e) == pytest.approx(qutip.entropy_vn(rho_q),
                                                                abs=1e-10)
    assert linear_entropy(rho) == pytest.approx(qutip.entropy_linear(rho_q), abs=1e-12)
    assert purity(rho) == pytest.approx((rho_q * rho_q).tr().real, abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), dims=st.lists(st.integers(2, 3), min_size=2, max_size=3),
       data=st.data())
def test_mutual_information_matches_qutip(seed, dims, data):
    rho_q = qutip.rand_dm(dims, seed=seed)
    n = len(dims)
    cut = data.draw(st.integers(1, n - 1))
    perm = data.draw(st.permutations(range(n)))
    a, b = sorted(perm[:cut]), sorted(perm[cut:])
    for base in (2, np.e):
        ref = qutip.entropy_mutual(rho_q, a, b, base=base)
        assert mutual_information(rho_q.full(), dims, a, b, base=base) == pytest.approx(
            ref, abs=1e-10)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), d=st.integers(2, 6))
def test_fidelity_and_trace_distance_match_qutip(seed, d):
    a, b = qutip.rand_dm(d, seed=seed), qutip.rand_dm(d, seed=seed + 1)
    # qutip.fidelity is sqrt(F) (Nielsen & Chuang); ours is the squared (Jozsa) convention
    assert fidelity(a.full(), b.full()) == pytest.approx(qutip.fidelity(a, b) ** 2, abs=1e-10)
    assert trace_distance(a.full(), b.full()) == pytest.approx(qutip.tracedist(a, b), abs=1e-10)


# ------------------------------------------------------------------ analytic values
def test_entropy_exact_at_zero_eigenvalues():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert von_neumann_entropy(np.diag([0.5, 0.5, 0, 0])) == pytest.approx(1, abs=1e-15)
        assert von_neumann_entropy(np.diag([1.0, 0, 0])) == 0.0
        assert von_neumann_entropy(dm(ops.bell_state("psi-"))) < 1e-14
        for d in (2, 3, 8):
            assert von_neumann_entropy(np.eye(d) / d) == pytest.approx(np.log2(d), abs=1e-14)
            assert linear_entropy(np.eye(d) / d) == pytest.approx(1 - 1 / d, abs=1e-15)


def test_tiny_negative_eigenvalues_clipped_big_ones_raise():
    rho = np.diag([0.5, 0.5 + 1e-14, -1e-14])
    assert von_neumann_entropy(rho) == pytest.approx(1, abs=1e-12)
    with pytest.raises(InvalidInputError, match="rho must be positive semidefinite"):
        von_neumann_entropy(np.diag([0.6, 0.5, -0.1]))
    with pytest.raises(InvalidInputError, match="sigma must be positive semidefinite"):
        fidelity(np.eye(2) / 2, np.diag([1.2, -0.2]))


def test_mutual_information_analytic():
    bell = dm(ops.bell_state("phi+"))
    assert mutual_information(bell, [2, 2], 0, 1) == pytest.approx(2, abs=1e-12)
    ghz = np.zeros(8)
    ghz[[0, 7]] = 1 / np.sqrt(2)
    # third qubit traced out: classically correlated pair, I = 1 bit
    assert mutual_information(dm(ghz), [2, 2, 2], 0, 1) == pytest.approx(1, abs=1e-12)
    assert mutual_information(dm(ghz), [2, 2, 2], 0, [1, 2]) == pytest.approx(2, abs=1e-12)
    rng = np.random.default_rng(3)
    prod = np.kron(random_density_matrix(rng, 2), random_density_matrix(rng, 3))
    assert mutual_information(prod, [2, 3], 0, 1) == pytest.approx(0, abs=1e-12)
    assert mutual_information(bell, [2, 2], 0, 1, base=np.e) == pytest.approx(2 * np.log(2))


def test_fidelity_pure_and_rank_deficient(rng):
    psi = rng.normal(size=(2, 5)) + 1j * rng.normal(size=(2, 5))
    psi /= np.linalg.norm(psi, axis=1, keepdims=True)
    overlap = abs(np.vdot(psi[0], psi[1])) ** 2
    assert fidelity(dm(psi[0]), dm(psi[1])) == pytest.approx(overlap, abs=1e-13)
    sigma = random_density_matrix(rng, 5, 2)
    assert fidelity(dm(psi[0]), sigma) == pytest.approx(
        np.vdot(psi[0], sigma @ psi[0]).real, abs=1e-13)
    assert fidelity(sigma, sigma) == pytest.approx(1, abs=1e-12)
    assert trace_distance(sigma, sigma) == pytest.approx(0, abs=1e-14)
    assert trace_distance(np.diag([1.0, 0]), np.diag([0, 1.0])) == pytest.approx(1)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), d=st.integers(2, 5), ra=st.integers(1, 5),
       rb=st.integers(1, 5))
def test_fuchs_van_de_graaf_and_symmetry(seed, d, ra, rb):
    rng = np.random.default_rng(seed)
    a = random_density_matrix(rng, d, min(ra, d))
    b = random_density_matrix(rng, d, min(rb, d))
    f, t = fidelity(a, b), trace_distance(a, b)
    assert 0 <= f <= 1 and 0 <= t <= 1
    assert f == pytest.approx(fidelity(b, a), abs=1e-10)
    assert 1 - np.sqrt(f) <= t + 1e-10
    assert t <= np.sqrt(1 - f) + 1e-10


def test_batched_equals_looped_and_broadcasting(rng):
    rho = np.stack([random_density_matrix(rng, 4, r) for r in (1, 2, 3, 4) * 3]).reshape(
        3, 4, 4, 4)
    sigma = random_density_matrix(rng, 4)
    flat = rho.reshape(-1, 4, 4)
    for f in (von_neumann_entropy, purity, linear_entropy):
        out = f(rho)
        assert out.shape == (3, 4)
        assert np.allclose(out.ravel(), [f(r) for r in flat], atol=1e-13)
    out = fidelity(rho, sigma)
    assert out.shape == (3, 4)
    assert np.allclose(out.ravel(), [fidelity(r, sigma) for r in flat], atol=1e-12)
    assert np.allclose(trace_distance(sigma, rho).ravel(),
                       [trace_distance(r, sigma) for r in flat], atol=1e-13)
    mi = mutual_information(rho, [2, 2], 0, 1)
    assert np.allclose(mi.ravel(), [mutual_information(r, [2, 2], 0, 1) for r in flat])
    red = partial_trace(rho, [2, 2], 1)
    assert red.shape == (3, 4, 2, 2)


# ------------------------------------------------------------------ bad input
def test_bad_input_messages():
    good = np.eye(4) / 4
    with pytest.raises(DimensionError, match="rho must be a square matrix"):
        von_neumann_entropy(np.ones((2, 3)))
    with pytest.raises(DimensionError, match="rho must be a square matrix"):
        purity(np.ones(4))
    with pytest.raises(DimensionError, match="dims"):
        partial_trace(good, [2, 3], 0)
    with pytest.raises(DimensionError, match="dims"):
        partial_trace(good, [2, 0, 2], 0)
    with pytest.raises(InvalidInputError, match="keep"):
        partial_trace(good, [2, 2], 5)
    with pytest.raises(InvalidInputError, match="disjoint"):
        mutual_information(good, [2, 2], 0, [0, 1])
    with pytest.raises(InvalidInputError, match="base"):
        von_neumann_entropy(good, base=1)
    with pytest.raises(InvalidInputError, match="rho must be Hermitian"):
        purity(np.array([[0.5, 0.3], [0.1, 0.5]]))
    with pytest.raises(InvalidInputError, match="sigma contains NaN"):
        fidelity(good, np.full((4, 4), np.nan))
    with pytest.raises(InvalidInputError, match="rho must have unit trace"):
        von_neumann_entropy(np.eye(3))
    with pytest.raises(DimensionError, match="same dimension"):
        trace_distance(good, np.eye(2) / 2)
    with pytest.raises(InvalidInputError, match="numeric"):
        purity(np.array([["a", "b"], ["c", "d"]]))


def test_hermiticity_tolerance_is_relative():
    rho = np.diag([0.5, 0.5]).astype(complex)
    rho[0, 1] = 1e-10  # relative defect 2e-10 < 1e-8: accepted and symmetrised
    out = as_density_matrix(rho)
    assert np.allclose(out, out.conj().T)
    rho[0, 1] = 1e-6
    with pytest.raises(InvalidInputError, match="Hermitian"):
        as_density_matrix(rho)


def test_qobj_ket_and_list_input():
    ket = qutip.bell_state("00")
    assert von_neumann_entropy(ket) < 1e-14
    states = [qutip.rand_dm(3, seed=s) for s in range(3)]
    assert np.allclose(von_neumann_entropy(states), [qutip.entropy_vn(s, 2) for s in states])
