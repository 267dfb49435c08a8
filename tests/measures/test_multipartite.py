"""Multipartite measures: bipartitions, GME fidelity witnesses, entanglement depth from spins.

Physics checks: closed forms (GHZ/W/Dicke Schmidt overlaps, the GHZ white-noise threshold,
the spin-1/2 Sørensen–Mølmer function), bounds that must hold for every member of a class
(biseparable states never pass the witness, k-producible states never certify depth > k, spin-J
states never beat F_J) and states built to sit on those bounds (tightness).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from qness import Space
from qness import operators as ops
from qness.errors import DimensionError, InvalidInputError
from qness.measures import negativity, partial_trace
from qness.measures.multipartite import (
    bipartition_negativities,
    bipartitions,
    biseparable_overlap,
    dicke_depth_bound,
    dicke_state,
    entanglement_depth_dicke,
    entanglement_depth_squeezing,
    ghz_state,
    gme_fidelity_witness,
    min_bipartition_negativity,
    producible_variance_bound,
    sorensen_molmer_function,
    w_state,
)
from tests.conftest import random_density_matrix


def dm(psi: np.ndarray) -> np.ndarray:
    return np.outer(psi, psi.conj())


def random_ket(rng: np.random.Generator, d: int) -> np.ndarray:
    v = rng.normal(size=d) + 1j * rng.normal(size=d)
    return v / np.linalg.norm(v)


def kron_all(kets: list[np.ndarray]) -> np.ndarray:
    out = np.ones(1, dtype=complex)
    for k in kets:
        out = np.kron(out, k)
    return out


def reorder(psi: np.ndarray, order: list[int]) -> np.ndarray:
    """Relabel the qubits of ``psi``: its qubit at position ``m`` becomes qubit ``order[m]``."""
    n = len(order)
    return np.transpose(psi.reshape((2,) * n), np.argsort(order)).reshape(-1)


# ------------------------------------------------------------------ collective spin moments
def collective_spins(n: int) -> list:
    s = Space.qubits(n)
    return [sum(s.embed(0.5 * op, i) for i in range(n))
            for op in (ops.sigmax(), ops.sigmay(), ops.sigmaz())]


def moments(state: np.ndarray, spins: list) -> tuple[np.ndarray, np.ndarray]:
    """``<J_a>`` and ``<(J_a J_b + J_b J_a)/2>`` of a ket or density matrix (full space)."""
    if state.ndim == 1:  # <(J_a J_b + J_b J_a)/2> = Re <J_a psi | J_b psi>
        v = [j @ state for j in spins]
        return (np.array([np.vdot(state, x).real for x in v]),
                np.array([[np.vdot(a, b).real for b in v] for a in v]))
    rho = state
    mean = np.array([np.trace(j @ rho).real for j in spins])
    second = np.array([[0.5 * np.trace((a @ b + b @ a) @ rho).real for b in spins]
                       for a in spins])
    return mean, second


def spin_matrices(j: float) -> tuple[np.ndarray, np.ndarray]:
    return ops.jmat(j, "z").real, ops.jmat(j, "x").real


def squeezed_spin_state(j: float, lam: float, c: float) -> np.ndarray:
    """Ground state of ``(J_z - c)^2 - lam J_x`` for spin ``j`` (basis m = j..-j)."""
    jz, jx = spin_matrices(j)
    h = (jz - c * np.eye(len(jz))) @ (jz - c * np.eye(len(jz))) - lam * jx
    return np.linalg.eigh(h)[1][:, 0].astype(complex)


def symmetric_embedding(spin_ket: np.ndarray) -> np.ndarray:
    """The k-qubit ket of a spin-k/2 ket: |k/2, m> -> Dicke state with k/2 + m excitations."""
    k = len(spin_ket) - 1
    return sum(a * dicke_state(k, k - i) for i, a in enumerate(spin_ket))


def spin_variance_and_x(psi: np.ndarray, j: float) -> tuple[float, float]:
    jz, jx = spin_matrices(j)
    mz = np.vdot(psi, jz @ psi).real
    return np.vdot(psi, jz @ jz @ psi).real - mz**2, np.vdot(psi, jx @ psi).real


# ============================================================================ target states
def test_target_states_are_normalised_symmetric_and_have_the_right_excitation_number():
    spins = collective_spins(4)
    for psi, jz in [(ghz_state(4), None), (w_state(4), -1.0), (dicke_state(4, 2), 0.0)]:
        assert np.isclose(np.linalg.norm(psi), 1.0)
        if jz is not None:  # J_z eigenstates: k - n/2 (excitation = |e> = basis(2, 0))
            np.testing.assert_allclose(spins[2] @ psi, jz * psi, atol=1e-12)
    # the W state has its single excitation (local index 0) on each qubit in turn
    w = w_state(3)
    assert np.flatnonzero(np.abs(w) > 0).tolist() == [3, 5, 6]  # |egg>, |geg>, |gge> = 011, ...
    assert np.flatnonzero(np.abs(ghz_state(3)) > 0).tolist() == [0, 7]
    np.testing.assert_allclose(dicke_state(3, 3), np.eye(8)[0])  # all excited = |eee>


@pytest.mark.parametrize("bad", [0, 1.5, -1, True, 40])
def test_target_builders_reject_bad_sizes(bad):
    with pytest.raises(InvalidInputError, match="n"):
        ghz_state(bad)
    with pytest.raises(InvalidInputError, match="k"):
        dicke_state(4, 5)


# ============================================================================ bipartitions
@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_bipartitions_cover_every_cut_once(n):
    cuts = bipartitions(n)
    assert len(cuts) == 2 ** (n - 1) - 1
    canonical = set()
    for a in cuts:
        b = tuple(i for i in range(n) if i not in a)
        canonical.add(min(a, b) if len(a) == len(b) else (a if len(a) < len(b) else b))
    assert len(canonical) == len(cuts)  # no cut appears with both of its sides


def test_product_state_has_zero_negativity_on_every_cut(rng):
    rho = kron_all([random_ket(rng, 2) for _ in range(4)])
    res = bipartition_negativities(dm(rho), [2] * 4)
    assert res.negativity.shape == (7,)
    np.testing.assert_allclose(res.negativity, 0.0, atol=1e-12)
    np.testing.assert_allclose(res.log_negativity, 0.0, atol=1e-12)


@pytest.mark.parametrize("n", [3, 4, 5])
def test_ghz_negativity_is_one_half_on_every_cut(n):
    res = bipartition_negativities(dm(ghz_state(n)), [2] * n)
    np.testing.assert_allclose(res.negativity, 0.5, atol=1e-12)
    np.testing.assert_allclose(res.log_negativity, 1.0, atol=1e-12)


def test_bell_pair_times_qubit_labels_and_batches(rng):
    bell = ops.bell_state("psi-")
    psi = reorder(np.kron(bell, ops.ket(2, 1)), [0, 2, 1])  # Bell pair on qubits 0 and 2
    rho = dm(psi)
    res = bipartition_negativities(np.stack([rho, rho]), [2, 2, 2])
    assert res.negativity.shape == (2, 3)
    np.testing.assert_allclose(res[(1,)], 0.0, atol=1e-12)       # qubit 1 is unentangled
    np.testing.assert_allclose(res[(0, 2)], 0.0, atol=1e-12)     # the other side of that cut
    np.testing.assert_allclose(res[0], 0.5, atol=1e-12)
    np.testing.assert_allclose(res.as_dict()[(2,)], 0.5, atol=1e-12)
    with pytest.raises(InvalidInputError, match="cut"):
        res[(0, 1, 2)]
    two = bipartition_negativities(dm(bell), [2, 2])  # one cut, either side names it
    assert two[0] == pytest.approx(0.5) and two[1] == pytest.approx(0.5)
    # each cut agrees with the bipartite negativity of qness.measures
    mixed = random_density_matrix(rng, 8, 3)
    res = bipartition_negativities(mixed, [2, 2, 2])
    for cut, value in res.as_dict().items():
        np.testing.assert_allclose(value, negativity(mixed, [2, 2, 2], cut), atol=1e-13)


def test_every_cut_entangled_does_not_imply_gme():
    """A biseparable mixture of Bell pairs on the three pairs: every cut has negativity > 0."""
    bell = ops.bell_state("phi+")
    g = ops.ket(2, 1)
    pieces = [reorder(np.kron(bell, g), order) for order in ([0, 1, 2], [0, 2, 1], [1, 2, 0])]
    rho = sum(dm(p) for p in pieces) / 3
    # the three Bell pairs sit on (0,1), (0,2) and (1,2)
    for p, pair in zip(pieces, [(0, 1), (0, 2), (1, 2)], strict=True):
        np.testing.assert_allclose(negativity(partial_trace(dm(p), [2, 2, 2], pair), [2, 2], 0),
                                   0.5, atol=1e-12)
    assert min_bipartition_negativity(rho, [2, 2, 2]) > 0.05
    # ... yet the state is biseparable by construction, and the witness (which is sound) does
    # not claim GME for it
    assert not gme_fidelity_witness(rho, ghz_state(3), [2, 2, 2]).detected
    assert not gme_fidelity_witness(rho, w_state(3), [2, 2, 2]).detected


def test_bipartition_input_checks():
    with pytest.raises(DimensionError):
        bipartition_negativities(np.eye(4) / 4, [4])
    with pytest.raises(DimensionError):
        bipartition_negativities(np.eye(8) / 8, [2, 2])
    with pytest.raises(InvalidInputError):
        bipartitions(1)


# ============================================================================ GME witness
@pytest.mark.parametrize(("target", "dims", "alpha"), [
    (ghz_state(3), [2] * 3, 0.5),
    (ghz_state(5), [2] * 5, 0.5),
    (w_state(3), [2] * 3, 2 / 3),
    (w_state(4), [2] * 4, 3 / 4),
    (w_state(5), [2] * 5, 4 / 5),
    (dicke_state(4, 2), [2] * 4, 2 / 3),
])
def test_biseparable_overlap_matches_literature(target, dims, alpha):
    """GHZ 1/2, W_n (n-1)/n, D_4^2 2/3 (Bourennane et al. 2004; Tóth 2007)."""
    value, cut = biseparable_overlap(target, dims)
    assert value == pytest.approx(alpha, abs=1e-12)
    # tightness: the product of the leading Schmidt vectors across ``cut`` reaches alpha
    n = len(dims)
    rest = [i for i in range(n) if i not in cut]
    m = np.transpose(target.reshape(dims), list(cut) + rest).reshape(2 ** len(cut), -1)
    u, _, vh = np.linalg.svd(m)
    prod = reorder(np.kron(u[:, 0], vh[0].conj()), list(cut) + rest)
    assert abs(np.vdot(prod, target)) ** 2 == pytest.approx(alpha, abs=1e-12)
    assert gme_fidelity_witness(dm(prod), target, dims).value == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("target_name", ["ghz", "w", "dicke"])
def test_targets_detected_and_biseparable_states_never(rng, target_name):
    n = 4
    target = {"ghz": ghz_state(n), "w": w_state(n), "dicke": dicke_state(n, 2)}[target_name]
    res = gme_fidelity_witness(dm(target), target, [2] * n)
    assert res.detected and res.fidelity == pytest.approx(1.0)
    # random biseparable states (pure products across a random cut, and their mixtures),
    # biased towards the target by projecting each side onto the target's Schmidt vectors
    cuts = bipartitions(n)
    states = []
    for _ in range(200):
        cut = cuts[rng.integers(len(cuts))]
        rest = [i for i in range(n) if i not in cut]
        m = np.transpose(target.reshape((2,) * n), list(cut) + rest).reshape(2 ** len(cut), -1)
        u, _, vh = np.linalg.svd(m)
        a = u[:, 0] + 0.3 * random_ket(rng, 2 ** len(cut))
        b = vh[0].conj() + 0.3 * random_ket(rng, 2 ** len(rest))
        states.append(reorder(np.kron(a / np.linalg.norm(a), b / np.linalg.norm(b)),
                              list(cut) + rest))
    rhos = np.stack([dm(s) for s in states])
    weights = rng.dirichlet(np.ones(len(rhos)), size=20)
    mixtures = np.einsum("mk,kij->mij", weights, rhos)
    for batch in (rhos, mixtures):
        res = gme_fidelity_witness(batch, target, [2] * n)
        assert res.value.shape == (len(batch),)
        assert not res.detected.any()
        assert np.all(res.fidelity <= res.alpha + 1e-12)
    # the sample comes close to the bound, so the test probes the witness where it matters
    fids = np.einsum("i,kij,j->k", target.conj(), rhos, target).real
    assert np.max(fids) > 0.9 * res.alpha


@pytest.mark.parametrize("n", [3, 4])
def test_ghz_white_noise_threshold(n):
    """p |GHZ><GHZ| + (1 - p) 1/d is detected exactly for p > (1/2 - 1/d) / (1 - 1/d)."""
    d = 2**n
    p_crit = (0.5 - 1 / d) / (1 - 1 / d)
    ps = p_crit + np.array([-1e-6, -1e-3, 1e-3, 1e-6, 0.2])
    rho = ps[:, None, None] * dm(ghz_state(n)) + (1 - ps[:, None, None]) * np.eye(d) / d
    res = gme_fidelity_witness(rho, ghz_state(n), [2] * n)
    np.testing.assert_allclose(res.fidelity, ps + (1 - ps) / d, atol=1e-14)
    assert res.detected.tolist() == [False, False, True, True, True]


def test_witness_input_checks():
    with pytest.raises(InvalidInputError, match="normalised"):
        gme_fidelity_witness(np.eye(8) / 8, 2 * ghz_state(3), [2, 2, 2])
    with pytest.raises(DimensionError):
        gme_fidelity_witness(np.eye(8) / 8, ghz_state(2), [2, 2, 2])


# ============================================================================ Sørensen–Mølmer
def test_sorensen_molmer_function_spin_half_closed_form():
    """Qubit: Var(j_z) = 1/4 - <j_z>^2 >= <j_x>^2, i.e. F_{1/2}(x) = x^2 / 2."""
    x = np.linspace(-1, 1, 41)
    f = sorensen_molmer_function(0.5, x)
    assert np.all(f <= x**2 / 2 + 1e-12)          # a valid lower bound ...
    # ... and a tight one (the finite multiplier grid costs at most a few 1e-4)
    np.testing.assert_allclose(f, x**2 / 2, atol=3e-4)
    assert producible_variance_bound(1, 0.3) == pytest.approx(0.09, abs=1e-4)  # Phi_1 = x^2


@pytest.mark.parametrize("j", [1.0, 1.5, 2.0, 3.5])
def test_spin_j_states_never_beat_f_j_and_ground_states_reach_it(rng, j):
    """F_J is the least variance: random near-extremal states stay above it, the ground states
    of (J_z - c)^2 - lam J_x (the extremal family) lie on it."""
    jz, _ = spin_matrices(j)
    dim = len(jz)
    for _ in range(150):
        lam, c = 10 ** rng.uniform(-1.5, 1.5), rng.uniform(0, min(j, 1.0))
        psi = squeezed_spin_state(j, lam, c) + 0.05 * rng.uniform() * random_ket(rng, dim)
        psi /= np.linalg.norm(psi)
        var, x = spin_variance_and_x(psi, j)
        assert var >= j * sorensen_molmer_function(j, x / j) - 1e-10
    # tightness where the extremal curve is convex (c = 0, moderate squeezing)
    for lam in (0.5 * j, 2.0 * j, 8.0 * j):
        var, x = spin_variance_and_x(squeezed_spin_state(j, lam, 0.0), j)
        assert var == pytest.approx(j * sorensen_molmer_function(j, x / j), abs=2e-4 * j)


def test_sorensen_molmer_function_decreases_with_j_and_ends_at_one_half():
    x = np.array([0.3, 0.6, 0.9])
    curves = [sorensen_molmer_function(j, x) for j in (0.5, 1, 2, 4, 8)]
    assert all(np.all(a > b) for a, b in itertools.pairwise(curves))
    for j in (0.5, 2, 8):  # coherent state: Var = J/2 at <J_x> = J
        assert sorensen_molmer_function(j, 1.0) == pytest.approx(0.5, abs=2e-3)


def test_half_integer_blocks_with_nonzero_mean_jz_are_not_over_certified():
    """Two 3-qubit blocks squeezed with <J_z> = +-c: total <J_z> = 0, each block sits on F_{3/2}
    (minimised over the centre c).  The <J_z> = 0 minimisation alone would call this state
    more than 3-producible; the certified depth must stay <= 3."""
    j, lam = 1.5, 0.15
    block = squeezed_spin_state(j, lam, 0.5)
    flipped = block[::-1]  # rotation by pi about x: m -> -m (J_x unchanged), <J_z> -> -<J_z>
    var_b, x_b = spin_variance_and_x(block, j)
    assert abs(np.vdot(block, spin_matrices(j)[0] @ block).real) > 0.2
    psi = np.kron(symmetric_embedding(block), symmetric_embedding(flipped))
    mean, second = moments(psi, collective_spins(6))
    np.testing.assert_allclose(mean, [2 * x_b, 0, 0], atol=1e-12)
    # the <J_z> = 0 curve of spin 3/2 at this polarisation (ground states of J_z^2 - L J_x)
    jz, jx = spin_matrices(j)
    lams = np.geomspace(1e-3, 1e3, 2001)
    ground = np.linalg.eigvalsh(jz @ jz - lams[:, None, None] * jx)[:, 0]
    naive = np.max(ground + lams * x_b)  # Legendre transform: min <J_z^2> at <J_x> = x_b
    assert var_b < naive - 1e-3  # the state beats the <J_z> = 0 bound ...
    assert entanglement_depth_squeezing(mean, second, 6) <= 3  # ... but not the true one


# ============================================================================ depth
def k_producible_states(rng: np.random.Generator, n: int, k: int, count: int) -> list:
    """Pure products of blocks of at most k qubits: random, squeezed-aligned and tilted ones."""
    out = []
    for i in range(count):
        sizes = []
        while sum(sizes) < n:
            sizes.append(int(rng.integers(1, min(k, n - sum(sizes)) + 1)))
        if i % 3 == 0:  # random block states
            kets = [random_ket(rng, 2**s) for s in sizes]
        else:  # extremal squeezed blocks along +x, alternately tilted to +-<J_z>
            lam = 10 ** rng.uniform(-1, 1.5)
            c = rng.uniform(0, 0.6) if i % 3 == 2 else 0.0
            kets = []
            for b, s in enumerate(sizes):
                ket = squeezed_spin_state(s / 2, lam * s, c)
                kets.append(symmetric_embedding(ket if b % 2 else ket[::-1]))
        out.append(reorder(kron_all(kets), list(rng.permutation(n))))
    return out


@pytest.mark.parametrize("k", [1, 2, 3])
def test_k_producible_states_never_certify_more_than_k(rng, k):
    n = 6
    spins = collective_spins(n)
    states = k_producible_states(rng, n, k, 60)
    rhos = np.stack([dm(s) for s in states])
    mixtures = np.einsum("mk,kij->mij", rng.dirichlet(np.ones(len(rhos)) * 0.3, size=10), rhos)
    stats = [moments(s, spins) for s in list(states) + list(mixtures)]
    mean = np.stack([m for m, _ in stats])
    second = np.stack([s for _, s in stats])
    assert np.all(entanglement_depth_squeezing(mean, second, n) <= k)
    assert np.all(entanglement_depth_dicke(mean, second, n) <= k)
    if k > 1:  # products of aligned squeezed k-blocks are entangled: the bound is not vacuous
        assert np.max(entanglement_depth_squeezing(mean, second, n)) == k


def test_coherent_spin_state_has_depth_one():
    for n in (2, 5, 8):
        spins = collective_spins(n)
        theta, phi = 0.7, 1.9
        q = np.array([np.cos(theta / 2), np.exp(1j * phi) * np.sin(theta / 2)])
        mean, second = moments(kron_all([q] * n), spins)
        assert entanglement_depth_squeezing(mean, second, n) == 1
        assert entanglement_depth_dicke(mean, second, n) == 1


def test_one_axis_twisting_depth_grows_with_n():
    """exp(-i t J_z^2) on the coherent state along x, at the best twisting time."""
    depths = []
    for n in (3, 6, 10):
        spins = collective_spins(n)
        jz = spins[2].diagonal().real
        psi0 = np.full(2**n, 2 ** (-n / 2), dtype=complex)
        stats = [moments(np.exp(-1j * t * jz**2) * psi0, spins)
                 for t in np.linspace(0.02, 0.6, 30)]
        mean = np.stack([m for m, _ in stats])
        second = np.stack([s for _, s in stats])
        d = entanglement_depth_squeezing(mean, second, n)
        assert d.shape == (30,) and d.min() >= 1 and d.max() <= n
        depths.append(int(d.max()))
    assert depths[0] < depths[1] < depths[2]
    assert depths[0] >= 2


@pytest.mark.parametrize("n", [4, 6, 8])
def test_dicke_state_depth(n):
    spins = collective_spins(n)
    mean, second = moments(dicke_state(n, n // 2), spins)
    assert entanglement_depth_dicke(mean, second, n) == n
    # no mean spin: the squeezing bound (Phi_k(0) = 0 for every k) certifies nothing
    assert entanglement_depth_squeezing(mean, second, n) == 1
    # the rotated Dicke state (quantisation axis x): the criterion finds the axis itself
    hadamard = (ops.sigmaz() + ops.sigmax()) / np.sqrt(2)  # maps sigma_z to sigma_x
    full = np.ones((1, 1))
    for _ in range(n):
        full = np.kron(full, hadamard)
    mean, second = moments(full @ dicke_state(n, n // 2), spins)
    assert entanglement_depth_dicke(mean, second, n) == n
    # white noise lowers the certified depth monotonically
    rho = dm(dicke_state(n, n // 2))
    last = n
    for p in (0.99, 0.9, 0.6):
        mean, second = moments(p * rho + (1 - p) * np.eye(2**n) / 2**n, spins)
        d = int(entanglement_depth_dicke(mean, second, n))
        assert 1 <= d <= last
        last = d


def test_dicke_bound_matches_toth_structure_for_separable_states():
    """k = 1: <J_x^2 + J_y^2> <= 3n/4 + (n - 2) Var(J_z); equality for the coherent state along x
    (<J_x^2 + J_y^2> = n^2/4 + n/4, Var(J_z) = n/4)."""
    n = 7
    assert dicke_depth_bound(1, n, n / 4) == pytest.approx(n * n / 4 + n / 4)
    assert dicke_depth_bound(n, n, 0.0) == pytest.approx(n * (n + 2) / 4)  # the largest <J^2>


def test_depth_input_checks():
    with pytest.raises(DimensionError):
        entanglement_depth_squeezing(np.zeros(2), np.zeros((2, 2)), 3)
    with pytest.raises(DimensionError):
        entanglement_depth_dicke(np.zeros(3), np.zeros((3, 2)), 3)
    with pytest.raises(InvalidInputError, match="spin length"):
        entanglement_depth_squeezing(np.array([3.0, 0, 0]), np.eye(3), 2)
    with pytest.raises(InvalidInputError, match="symmetric"):
        entanglement_depth_squeezing(np.zeros(3), np.triu(np.ones((3, 3))), 2)
    with pytest.raises(InvalidInputError, match="J"):
        sorensen_molmer_function(0.7, 0.5)
    with pytest.raises(InvalidInputError, match="x"):
        producible_variance_bound(2, 0.8)


def test_capped_depth_is_a_lower_bound_of_the_full_one():
    """kmax tests block sizes up to kmax only: the answer is min(depth, kmax + 1)."""
    n = 8
    spins = collective_spins(n)
    jz = spins[2].diagonal().real
    psi0 = np.full(2**n, 2 ** (-n / 2), dtype=complex)
    stats = [moments(np.exp(-1j * t * jz**2) * psi0, spins) for t in np.linspace(0.05, 0.5, 10)]
    mean = np.stack([m for m, _ in stats])
    second = np.stack([s for _, s in stats])
    full = entanglement_depth_squeezing(mean, second, n)
    for kmax in (1, 2, 3, n):
        capped = entanglement_depth_squeezing(mean, second, n, kmax=kmax)
        expected = full if kmax == n else np.minimum(full, kmax + 1)
        np.testing.assert_array_equal(capped, expected)
    with pytest.raises(InvalidInputError, match="kmax"):
        entanglement_depth_squeezing(mean, second, n, kmax=0)
