"""The permutation-invariant (Dicke-basis) generator against the full 2^N Lindbladian and PIQS."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.special import logsumexp

import qness
from qness.errors import InvalidInputError, MemoryEstimateError
from qness.master.permutation import (
    PermutationModel,
    blocks_to_dense,
    collective_operators,
    degeneracy,
    dense_to_blocks,
    dicke_vectors,
    j_values,
    log_degeneracy,
    permutation_liouvillian,
)


def random_model(rng: np.random.Generator, n: int, driven: bool, twist: bool = False):
    rates = rng.uniform(0.05, 1.0, 6)
    return PermutationModel(
        n, omega_z=rng.uniform(-1, 1), chi=rng.uniform(-0.5, 0.5),
        omega_x=rng.uniform(-1, 1) if driven else 0.0,
        omega_y=rng.uniform(-1, 1) if driven else 0.0,
        h_terms=((rng.uniform(-0.3, 0.3), "xx"), (0.2, "+-")) if twist else (),
        gamma_ce=rates[0], gamma_cp=rates[1], gamma_cd=rates[2],
        gamma_e=rates[3], gamma_p=rates[4], gamma_d=rates[5])


def random_blocks(rng: np.random.Generator, n: int) -> list[np.ndarray]:
    """Random Hermitian weighted blocks (not necessarily positive: the action is linear)."""
    out = []
    for j in j_values(n):
        s = int(np.rint(2 * j)) + 1
        a = rng.normal(size=(s, s)) + 1j * rng.normal(size=(s, s))
        out.append(a + a.conj().T)
    return out


# ------------------------------------------------------------------ combinatorics
@pytest.mark.parametrize("n", [1, 2, 5, 8, 11])
def test_multiplets_fill_the_hilbert_space(n):
    js = j_values(n)
    assert np.isclose(np.sum((2 * js + 1) * degeneracy(n, js)), 2 ** n)
    assert np.allclose(degeneracy(n, js), np.rint(degeneracy(n, js)))


def test_log_degeneracy_does_not_overflow_at_n_400():
    n = 400
    js = j_values(n)
    total = logsumexp(np.log(2 * js + 1) + log_degeneracy(n, js))
    assert np.isclose(total, n * np.log(2), rtol=1e-12)
    assert np.all(np.isfinite(log_degeneracy(n, js)))


@pytest.mark.parametrize("n", [3, 4])
def test_dicke_vectors_are_orthonormal_angular_momentum_eigenstates(n):
    ops = collective_operators(n)
    j2 = (ops["x"] @ ops["x"] + ops["y"] @ ops["y"] + ops["z"] @ ops["z"]).toarray()
    cols = []
    for j in j_values(n):
        v = dicke_vectors(n, j)
        assert v.shape[2] == round(degeneracy(n, j))
        m = j - np.arange(v.shape[1])
        flat = v.reshape(2 ** n, -1)
        assert np.allclose(j2 @ flat, j * (j + 1) * flat, atol=1e-12)
        assert np.allclose(ops["z"] @ v.reshape(2 ** n, -1),
                           (v * m[None, :, None]).reshape(2 ** n, -1), atol=1e-12)
        # J- lowers with the Condon-Shortley coefficient (positive, as in qness.operators.jmat)
        for k in range(v.shape[1] - 1):
            coef = np.sqrt((j + m[k]) * (j - m[k] + 1))
            assert np.allclose(ops["-"] @ v[:, k], coef * v[:, k + 1], atol=1e-12)
        cols.append(flat)
    allv = np.concatenate(cols, axis=1)
    assert allv.shape == (2 ** n, 2 ** n)
    assert np.allclose(allv.conj().T @ allv, np.eye(2 ** n), atol=1e-12)


def test_blocks_to_dense_round_trip(rng):
    n = 4
    blocks = random_blocks(rng, n)
    rho = blocks_to_dense(n, blocks)
    back = dense_to_blocks(rho, n)
    for a, b in zip(blocks, back, strict=True):
        assert np.allclose(a, b, atol=1e-12)


# ------------------------------------------------------------------ the generator
def _full_action_on_blocks(model, blocks):
    n = model.n
    h, c_ops = model.full_space_terms()
    gen = qness.liouvillian(h.toarray(), [c.toarray() for c in c_ops], dims=[2] * n)
    return dense_to_blocks(gen.apply(blocks_to_dense(n, blocks)), n)


@pytest.mark.parametrize("n", [2, 3, 4, 5])
@pytest.mark.parametrize("driven", [False, True])
def test_generator_acts_like_the_full_lindbladian(rng, n, driven):
    """L(rho) of every permutation-invariant rho, computed in 2^N and in the Dicke blocks."""
    model = random_model(rng, n, driven, twist=driven and n % 2 == 1)
    gen = permutation_liouvillian(model, sector="full")
    blocks = random_blocks(rng, n)
    expected = _full_action_on_blocks(model, blocks)
    got = gen.basis.split(gen.apply(gen.basis.join(blocks)))
    for a, b in zip(expected, got, strict=True):
        assert np.allclose(a, b, atol=1e-10)


@pytest.mark.parametrize("n", [3, 6])
def test_diagonal_sector_is_the_restriction_for_u1_models(rng, n):
    model = random_model(rng, n, driven=False)
    assert model.conserves_jz
    full = permutation_liouvillian(model, sector="full")
    diag = permutation_liouvillian(model)
    assert diag.sector == "diagonal" and diag.matrix.dtype == float
    pops = [rng.normal(size=int(np.rint(2 * j)) + 1) for j in j_values(n)]
    via_full = full.basis.split(full.apply(full.basis.join([np.diag(p) for p in pops])))
    via_diag = diag.basis.split(diag.apply(diag.basis.join(pops)))
    for a, b in zip(via_full, via_diag, strict=True):
        assert np.allclose(np.diagonal(a), b, atol=1e-12)
        assert np.allclose(a - np.diag(np.diagonal(a)), 0, atol=1e-12)


@pytest.mark.parametrize("sector,driven", [("diagonal", False), ("full", True)])
def test_trace_is_preserved_at_large_n(rng, sector, driven):
    """sum over populations of L x = 0: checks the transfer weights' N-dependence at N = 61."""
    model = random_model(rng, 61, driven)
    gen = permutation_liouvillian(model, sector=sector)
    trace_row = np.zeros(gen.dim)
    trace_row[gen.basis.diagonal_positions()] = 1.0
    assert np.abs(trace_row @ gen.matrix).max() < 1e-11 * abs(gen.matrix).max()


def test_real_form_matches_complex_action(rng):
    model = random_model(rng, 5, driven=True)
    gen = permutation_liouvillian(model)
    x = gen.basis.join(random_blocks(rng, 5))
    r = gen.to_real(x)
    assert np.allclose(gen.to_complex(r), x)
    assert gen.real_matrix.dtype == float
    assert np.allclose(gen.real_matrix @ r, gen.to_real(gen.matrix @ x), atol=1e-12)


@pytest.mark.parametrize("n", [3, 6])
def test_generator_equals_qutip_piqs_liouvillian(n):
    """Entry by entry against qutip.piqs (its dephasing acts on sigma_z/2: rate 4 gamma_d).

    PIQS computes some coefficients in single precision, hence the 1e-6 relative tolerance.
    """
    pytest.importorskip("qutip")
    import qutip.piqs as piqs  # the package attribute is the piqs module

    rates = {"gamma_ce": 0.3, "gamma_cp": 0.1, "gamma_cd": 0.2, "gamma_e": 0.5,
             "gamma_p": 0.2, "gamma_d": 0.15}
    model = PermutationModel(n, omega_x=0.4, omega_z=0.3, chi=0.2, **rates)
    jx, _jy, jz = piqs.jspin(n)
    system = piqs.Dicke(n, hamiltonian=0.4 * jx + 0.3 * jz + 0.2 * jz * jz, emission=0.5,
                        pumping=0.2, dephasing=4 * 0.15, collective_emission=0.3,
                        collective_pumping=0.1, collective_dephasing=0.2)
    big = system.liouvillian().full()
    nds = int(np.rint(np.sqrt(big.shape[0])))
    gen = permutation_liouvillian(model)
    starts = np.concatenate([[0], np.cumsum(gen.basis.sizes)])
    idx = []
    for b, s in enumerate(gen.basis.sizes):
        k, l_ = np.divmod(np.arange(s * s), s)
        idx.append((starts[b] + k) + nds * (starts[b] + l_))   # column-stacked (row, col)
    idx = np.concatenate(idx)
    ours = gen.matrix.toarray()
    assert np.abs(big[np.ix_(idx, idx)] - ours).max() < 1e-6 * np.abs(ours).max()


# ------------------------------------------------------------------ model checks
def test_model_detects_u1_symmetry():
    assert PermutationModel(4, omega_z=1.0, chi=0.3, h_terms=((0.5, "+-"),)).conserves_jz
    assert not PermutationModel(4, omega_z=1.0, h_terms=((0.5, "xx"),)).conserves_jz
    assert not PermutationModel(4, omega_y=0.1).conserves_jz


def test_model_rejects_bad_input():
    with pytest.raises(InvalidInputError, match="gamma_e"):
        PermutationModel(3, gamma_e=-1.0)
    with pytest.raises(InvalidInputError, match="Hermitian"):
        PermutationModel(3, h_terms=((1.0, "+"),))
    with pytest.raises(InvalidInputError, match=r"letters|string"):
        PermutationModel(3, h_terms=((1.0, "q"),))
    with pytest.raises(InvalidInputError, match="n"):
        PermutationModel(0)
    with pytest.raises(InvalidInputError, match="diagonal"):
        permutation_liouvillian(PermutationModel(3, omega_x=1.0, gamma_e=1.0), sector="diagonal")
    with pytest.raises(MemoryEstimateError):
        PermutationModel(13, gamma_e=1.0).full_space_terms()


def test_full_space_terms_build_collective_operators():
    model = PermutationModel(3, omega_z=0.5, gamma_ce=2.0)
    h, c_ops = model.full_space_terms()
    ops = collective_operators(3)
    assert sp.issparse(h)
    assert np.allclose(h.toarray(), 0.5 * ops["z"].toarray())
    assert len(c_ops) == 1 and np.allclose(c_ops[0].toarray(), np.sqrt(2.0) * ops["-"].toarray())
