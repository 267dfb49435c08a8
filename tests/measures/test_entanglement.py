"""Entanglement measures against analytic states, QuTiP and physical invariants."""

from __future__ import annotations

import time

import numpy as np
import pytest
import qutip
from hypothesis import given, settings
from hypothesis import strategies as st

from qness import operators as ops
from qness.errors import DimensionError, InvalidInputError
from qness.measures import (
    concurrence,
    entanglement_of_formation,
    log_negativity,
    negativity,
    pairwise_concurrence,
    pairwise_negativity,
    partial_trace,
    partial_transpose,
    wootters_lambdas,
)
from qness.measures.entanglement import _SMALL_BATCH
from tests.conftest import random_density_matrix

BELLS = ("phi+", "phi-", "psi+", "psi-")
YY = np.kron(ops.sigmay(), ops.sigmay())
BIG = 2 * _SMALL_BATCH  # batches of this size take the vectorised (Jacobi) path


def dm(psi: np.ndarray) -> np.ndarray:
    psi = np.asarray(psi, dtype=complex)
    return psi[..., :, None] * psi[..., None, :].conj()


def random_pure(rng: np.random.Generator, shape: tuple[int, ...], d: int = 4) -> np.ndarray:
    psi = rng.normal(size=(*shape, d)) + 1j * rng.normal(size=(*shape, d))
    return psi / np.linalg.norm(psi, axis=-1, keepdims=True)


def random_unitary(rng: np.random.Generator, d: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d)))
    return q * (np.diagonal(r) / np.abs(np.diagonal(r)))


def random_states(rng: np.random.Generator, n: int, rank: int, d: int = 4) -> np.ndarray:
    return np.stack([random_density_matrix(rng, d, rank) for _ in range(n)])


def werner(p: np.ndarray) -> np.ndarray:
    """p |psi-><psi-| + (1 - p) I/4 (singlet in QuTiP order)."""
    p = np.asarray(p, dtype=float)[..., None, None]
    return p * dm(ops.bell_state("psi-")) + (1 - p) * np.eye(4) / 4


def binary_entropy(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 1e-300, 1.0)
    y = np.clip(1.0 - x, 1e-300, 1.0)
    return -(x * np.log2(x) + y * np.log2(y))


def eof_reference(c: np.ndarray) -> np.ndarray:
    return binary_entropy((1 + np.sqrt(1 - c**2)) / 2)


def random_x_states(rng: np.random.Generator, n: int, zero_frac: float = 0.3) -> np.ndarray:
    """X states with random populations (some exactly 0) and maximal-or-less coherences."""
    pops = rng.dirichlet(np.ones(4), size=n)
    pops[rng.random((n, 4)) < zero_frac] = 0.0
    pops[pops.sum(axis=1) == 0, 0] = 1.0
    pops /= pops.sum(axis=1, keepdims=True)
    phase = np.exp(2j * np.pi * rng.random((n, 2)))
    frac = rng.random((n, 2)) ** 0.5
    frac[rng.random((n, 2)) < 0.2] = 1.0  # coherences at the positivity bound: rank deficient
    z14 = frac[:, 0] * np.sqrt(pops[:, 0] * pops[:, 3]) * phase[:, 0]
    z23 = frac[:, 1] * np.sqrt(pops[:, 1] * pops[:, 2]) * phase[:, 1]
    rho = np.zeros((n, 4, 4), dtype=complex)
    idx = np.arange(4)
    rho[:, idx, idx] = pops
    rho[:, 0, 3], rho[:, 3, 0] = z14, z14.conj()
    rho[:, 1, 2], rho[:, 2, 1] = z23, z23.conj()
    return rho


def x_state_concurrence(rho: np.ndarray) -> np.ndarray:
    r = rho
    return 2 * np.maximum.reduce([
        np.zeros(r.shape[:-2]),
        np.abs(r[..., 0, 3]) - np.sqrt(r[..., 1, 1].real * r[..., 2, 2].real),
        np.abs(r[..., 1, 2]) - np.sqrt(r[..., 0, 0].real * r[..., 3, 3].real),
    ])


# ------------------------------------------------------------------ analytic states
@pytest.mark.parametrize("name", BELLS)
def test_bell_states(name):
    rho = dm(ops.bell_state(name))
    assert concurrence(rho) == pytest.approx(1, abs=1e-12)
    assert entanglement_of_formation(rho) == pytest.approx(1, abs=1e-12)
    for subsys in (0, 1):
        assert negativity(rho, [2, 2], subsys) == pytest.approx(0.5, abs=1e-12)
        assert log_negativity(rho, [2, 2], subsys) == pytest.approx(1, abs=1e-12)


def test_bell_states_large_batch():
    rho = np.stack([dm(ops.bell_state(n)) for n in BELLS] * (BIG // 4))
    assert np.allclose(concurrence(rho), 1, atol=1e-12)
    assert np.allclose(entanglement_of_formation(rho), 1, atol=1e-12)


@pytest.mark.parametrize("n", [3, BIG])
def test_product_states_are_unentangled(rng, n):
    mixed = [np.kron(random_density_matrix(rng, 2), random_density_matrix(rng, 2))
             for _ in range(n)]
    pure = [dm(np.kron(random_pure(rng, (), 2), random_pure(rng, (), 2))) for _ in range(n)]
    rho = np.stack(mixed + pure)
    assert np.abs(concurrence(rho)).max() < 1e-10
    assert np.abs(entanglement_of_formation(rho)).max() < 1e-9
    assert np.abs(negativity(rho, [2, 2], 0)).max() < 1e-12
    assert np.abs(log_negativity(rho, [2, 2], 1)).max() < 1e-12


@settings(max_examples=25, deadline=None)
@given(p=st.floats(0, 1))
def test_werner_states(p):
    rho = werner(p)
    assert concurrence(rho) == pytest.approx(max(0, (3 * p - 1) / 2), abs=1e-12)
    assert negativity(rho, [2, 2], 0) == pytest.approx(max(0, (3 * p - 1) / 4), abs=1e-12)
    assert entanglement_of_formation(rho) == pytest.approx(
        eof_reference(max(0, (3 * p - 1) / 2)), abs=1e-10)


def test_werner_batch_including_nearly_pure():
    p = np.concatenate([np.linspace(0, 1, BIG), 1 - np.logspace(-14, -6, 9)])
    c = concurrence(werner(p))
    assert np.abs(c - np.maximum(0, (3 * p - 1) / 2)).max() < 1e-12


@pytest.mark.parametrize("n", [40, 4 * BIG])
def test_x_states_closed_form(n):
    rho = random_x_states(np.random.default_rng(n), n)
    c_ref = x_state_concurrence(rho)
    c = concurrence(rho)
    assert np.abs(c - c_ref).max() < 1e-10
    assert np.abs(entanglement_of_formation(rho) - eof_reference(c_ref)).max() < 1e-8


@pytest.mark.parametrize("n", [40, BIG])
def test_x_states_under_local_unitaries(n):
    """Local unitaries hide the X structure (and its exact zeros) but not the concurrence."""
    rng = np.random.default_rng(n + 1)
    rho = random_x_states(rng, n)
    us = np.stack([np.kron(random_unitary(rng, 2), random_unitary(rng, 2)) for _ in range(n)])
    rotated = us @ rho @ us.conj().swapaxes(-1, -2)
    assert np.abs(concurrence(rotated) - x_state_concurrence(rho)).max() < 1e-10


@pytest.mark.parametrize("eps", [0.0, 1e-14, 1e-11, 1e-8])
def test_nearly_pure_x_states(eps):
    """(1-eps)|psi><psi| + eps|eg><eg| with psi = cos t |ee> + sin t |gg>: C = (1-eps) sin 2t."""
    theta = np.linspace(0, np.pi / 2, BIG)
    psi = np.zeros((BIG, 4), dtype=complex)
    psi[:, 0], psi[:, 3] = np.cos(theta), np.sin(theta)
    rho = (1 - eps) * dm(psi) + eps * dm(ops.ket(4, 1))
    expected = (1 - eps) * np.abs(np.sin(2 * theta))
    assert np.abs(concurrence(rho) - expected).max() < 1e-10
    assert np.abs(concurrence(rho[:5]) - expected[:5]).max() < 1e-10


@pytest.mark.parametrize("n", [7, BIG])
def test_pure_states(rng, n):
    """C(psi) = |<psi| Y (x) Y |psi*>| = 2 |ad - bc| for psi = (a, b, c, d)."""
    psi = random_pure(rng, (n,))
    expected = 2 * np.abs(psi[:, 0] * psi[:, 3] - psi[:, 1] * psi[:, 2])
    rho = dm(psi)
    assert np.abs(concurrence(rho) - expected).max() < 1e-10
    assert np.abs(np.einsum("ni,ij,nj->n", psi, YY, psi)).max() <= 1 + 1e-12
    assert np.abs(entanglement_of_formation(rho) - eof_reference(expected)).max() < 1e-8


def test_bell_diagonal_states_under_local_unitaries(rng):
    """sum_k p_k |B_k><B_k| has C = max(0, 2 max p - 1) and N = max(0, max p - 1/2); degenerate
    weights (l1 = l2) included.  Local unitaries must not change either."""
    n = BIG
    p = rng.dirichlet(np.ones(4), size=n)
    p[: n // 4] = [0.5, 0.5, 0, 0]
    p[n // 4 : n // 2] = [0.4, 0.4, 0.2, 0.0]
    bells = np.stack([dm(ops.bell_state(b)) for b in BELLS])
    rho = np.einsum("nk,kij->nij", p, bells)
    us = np.stack([np.kron(random_unitary(rng, 2), random_unitary(rng, 2)) for _ in range(n)])
    rho = us @ rho @ us.conj().swapaxes(-1, -2)
    pmax = p.max(axis=1)
    assert np.abs(concurrence(rho) - np.maximum(0, 2 * pmax - 1)).max() < 1e-10
    assert np.abs(negativity(rho, [2, 2], 0) - np.maximum(0, pmax - 0.5)).max() < 1e-12


# ------------------------------------------------------------------ QuTiP as an oracle
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_concurrence_matches_qutip(seed):
    states = [qutip.rand_dm([2, 2], seed=seed + k) for k in range(3)]
    ours = concurrence(np.stack([s.full() for s in states]))
    ref = [qutip.concurrence(s) for s in states]
    assert np.abs(ours - ref).max() < 1e-10
    assert concurrence(states[0]) == pytest.approx(ref[0], abs=1e-10)  # Qobj input


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31 - 1),
       dims=st.lists(st.integers(2, 3), min_size=2, max_size=3),
       data=st.data())
def test_partial_transpose_and_negativity_match_qutip(seed, dims, data):
    rho_q = qutip.rand_dm(dims, seed=seed)
    rho = rho_q.full()
    mask = data.draw(st.lists(st.booleans(), min_size=len(dims), max_size=len(dims)))
    sel = [i for i, m in enumerate(mask) if m]
    if sel:
        ref = qutip.partial_transpose(rho_q, mask).full()
        assert np.abs(partial_transpose(rho, dims, sel) - ref).max() < 1e-12
    sub = data.draw(st.integers(0, len(dims) - 1))
    assert negativity(rho, dims, sub) == pytest.approx(qutip.negativity(rho_q, sub), abs=1e-10)
    assert log_negativity(rho, dims, sub) == pytest.approx(
        qutip.negativity(rho_q, sub, logarithmic=True), abs=1e-10)


# ------------------------------------------------------------------ invariants
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), rank=st.integers(1, 4))
def test_local_unitary_invariance(seed, rank):
    rng = np.random.default_rng(seed)
    rho = random_states(rng, 3, rank)
    u = np.kron(random_unitary(rng, 2), random_unitary(rng, 2))
    rotated = u @ rho @ u.conj().T
    assert np.abs(concurrence(rotated) - concurrence(rho)).max() < 1e-10
    assert np.abs(negativity(rotated, [2, 2], 0) - negativity(rho, [2, 2], 0)).max() < 1e-12


def test_local_unitary_invariance_large_batch(rng):
    rho = np.concatenate([random_states(rng, BIG // 4, r) for r in (1, 2, 3, 4)])
    us = np.stack([np.kron(random_unitary(rng, 2), random_unitary(rng, 2)) for _ in rho])
    rotated = us @ rho @ us.conj().swapaxes(-1, -2)
    assert np.abs(concurrence(rotated) - concurrence(rho)).max() < 1e-10


def test_concurrence_negativity_relations(rng):
    """0 <= C <= 1, and 2N <= C <= ... (Verstraete et al., J. Phys. A 34, 10327 (2001)):

    sqrt((1 - C)^2 + C^2) - (1 - C) <= 2N <= C, so N = 0 exactly when C = 0 for two qubits.
    """
    rho = np.concatenate([random_states(rng, 100, r) for r in (1, 2, 3, 4)]
                         + [werner(np.linspace(0, 1, 50)), random_x_states(rng, 100)])
    c = concurrence(rho)
    n2 = 2 * negativity(rho, [2, 2], 0)
    assert c.min() >= 0 and c.max() <= 1 + 1e-12
    assert np.all(n2 <= c + 1e-10)
    assert np.all(n2 >= np.sqrt((1 - c) ** 2 + c**2) - (1 - c) - 1e-10)
    assert np.all(n2[c < 1e-12] < 1e-10) and np.all(n2[c > 1e-6] > 0)
    assert np.any(c == 0) and np.any(c > 0.5)


def test_batched_equals_looped(rng):
    rho = np.concatenate([random_states(rng, BIG // 2, r) for r in (1, 2, 4)])
    batched = concurrence(rho)  # vectorised path
    looped = np.array([concurrence(r) for r in rho])  # LAPACK path
    assert np.abs(batched - looped).max() < 1e-12
    shaped = concurrence(rho.reshape(3, -1, 4, 4))
    assert shaped.shape == (3, rho.shape[0] // 3)
    assert np.array_equal(shaped.ravel(), batched)
    lam = wootters_lambdas(rho[:3])
    assert lam.shape == (3, 4) and np.all(np.diff(lam, axis=-1) <= 0)


def test_unconverged_jacobi_falls_back_to_svd(rng, monkeypatch):
    """With a single sweep allowed, unconverged states must still come out right (LAPACK)."""
    import qness.measures.entanglement as ent

    rho = random_states(rng, BIG, 4)
    expected = concurrence(rho)
    monkeypatch.setattr(ent, "_JACOBI_MAX_SWEEPS", 1)
    assert np.abs(concurrence(rho) - expected).max() < 1e-12


def test_concurrence_speed_is_vectorised(rng):
    """10,000 states: the target is ~15 ms; the assertion only catches a per-state loop."""
    g = rng.normal(size=(10_000, 4, 4)) + 1j * rng.normal(size=(10_000, 4, 4))
    rho = g @ g.conj().swapaxes(-1, -2)
    rho /= np.trace(rho, axis1=-2, axis2=-1).real[:, None, None]
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        concurrence(rho)
        best = min(best, time.perf_counter() - t0)
    assert best < 0.1


# ------------------------------------------------------------------ pairwise maps
def ghz_w():
    w = np.zeros(8, dtype=complex)
    w[[1, 2, 4]] = 1 / np.sqrt(3)
    ghz = np.zeros(8, dtype=complex)
    ghz[[0, 7]] = 1 / np.sqrt(2)
    return dm(w), dm(ghz)


def test_pairwise_w_and_ghz():
    w, ghz = ghz_w()
    off = ~np.eye(3, dtype=bool)
    cw = pairwise_concurrence(w, [2, 2, 2])
    assert cw.shape == (3, 3)
    assert np.allclose(cw[off], 2 / 3, atol=1e-12) and np.all(np.diagonal(cw) == 0)
    assert np.allclose(pairwise_concurrence(ghz, [2, 2, 2]), 0, atol=1e-12)
    # reduced W pair: partial transpose has eigenvalue (1 - sqrt5)/6
    nw = pairwise_negativity(w, [2, 2, 2])
    assert np.allclose(nw[off], (np.sqrt(5) - 1) / 6, atol=1e-12)
    assert np.allclose(pairwise_negativity(ghz, [2, 2, 2]), 0, atol=1e-12)
    both = pairwise_concurrence(np.stack([w, ghz]), [2, 2, 2])
    assert both.shape == (2, 3, 3) and np.allclose(both[0], cw) and np.allclose(both[1], 0)


def test_pairwise_matches_reduced_states(rng):
    dims = [2, 3, 2, 2]
    rho = random_density_matrix(rng, 24, 2)
    cmap = pairwise_concurrence(rho, dims)
    nmap = pairwise_negativity(rho, dims)
    for i in range(4):
        for j in range(i + 1, 4):
            red = partial_trace(rho, dims, [i, j])
            assert nmap[i, j] == nmap[j, i] == pytest.approx(
                negativity(red, [dims[i], dims[j]], 0), abs=1e-12)
            if dims[i] == dims[j] == 2:
                assert cmap[i, j] == cmap[j, i] == pytest.approx(concurrence(red), abs=1e-12)
            else:
                assert np.isnan(cmap[i, j]) and np.isnan(cmap[j, i])


# ------------------------------------------------------------------ bad input
def test_bad_input_messages():
    good = dm(ops.bell_state("phi+"))
    with pytest.raises(DimensionError, match="rho"):
        concurrence(np.ones((4, 3)) / 4)
    with pytest.raises(DimensionError, match="rho"):
        concurrence(np.eye(3) / 3)
    with pytest.raises(DimensionError, match="dims"):
        negativity(good, [2, 3], 0)
    with pytest.raises(DimensionError, match="dims"):
        pairwise_concurrence(good, [4])
    with pytest.raises(InvalidInputError, match="subsys"):
        negativity(good, [2, 2], 2)
    with pytest.raises(InvalidInputError, match="subsys must name at least one"):
        partial_transpose(good, [2, 2], [])
    with pytest.raises(InvalidInputError, match="keep"):
        partial_trace(good, [2, 2], [0, 0])
    nonherm = good.copy()
    nonherm[0, 1] += 0.1
    with pytest.raises(InvalidInputError, match="rho must be Hermitian"):
        concurrence(nonherm)
    nan = good.copy()
    nan[1, 1] = np.nan
    with pytest.raises(InvalidInputError, match="rho contains NaN"):
        concurrence(nan)
    with pytest.raises(InvalidInputError, match="rho must have unit trace"):
        concurrence(2 * good)
    notpsd = np.diag([0.6, 0.5, 0.1, -0.2]).astype(complex)
    with pytest.raises(InvalidInputError, match="rho must be positive semidefinite"):
        concurrence(notpsd)
    batch = np.stack([good] * BIG)
    batch[17] = notpsd
    with pytest.raises(InvalidInputError, match="rho must be positive semidefinite"):
        concurrence(batch)


def test_rounding_negative_eigenvalues_are_tolerated():
    """A state with eigenvalues -1e-14 (solver rounding) is accepted and measured."""
    rho = np.diag([0.5, 0.5 + 1e-14, 1e-14, -2e-14]).astype(complex)
    assert concurrence(rho) == pytest.approx(0, abs=1e-12)
    assert np.allclose(concurrence(np.stack([rho] * BIG)), 0, atol=1e-12)
