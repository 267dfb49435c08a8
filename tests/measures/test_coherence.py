"""Coherence measures and Bell fidelities against analytic states."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qness import operators as ops
from qness.errors import DimensionError, InvalidInputError
from qness.measures import (
    BELL_NAMES,
    bell_fidelities,
    bell_fidelity,
    fidelity,
    l1_coherence,
    relative_entropy_coherence,
)
from tests.conftest import random_density_matrix


def dm(psi: np.ndarray) -> np.ndarray:
    psi = np.asarray(psi, dtype=complex)
    return np.outer(psi, psi.conj())


@pytest.mark.parametrize("d", [2, 3, 5])
def test_maximally_coherent_and_incoherent(d):
    plus = dm(np.ones(d) / np.sqrt(d))
    assert l1_coherence(plus) == pytest.approx(d - 1, abs=1e-12)
    assert relative_entropy_coherence(plus) == pytest.approx(np.log2(d), abs=1e-12)
    assert relative_entropy_coherence(plus, base=np.e) == pytest.approx(np.log(d), abs=1e-12)
    diag = np.diag(np.arange(1, d + 1) / (d * (d + 1) / 2))
    assert l1_coherence(diag) == 0
    assert relative_entropy_coherence(diag) == pytest.approx(0, abs=1e-14)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), d=st.integers(2, 5))
def test_pure_state_coherences(seed, d):
    """For a pure state, C_re = H(|psi_i|^2) and C_l1 = (sum |psi_i|)^2 - 1."""
    rng = np.random.default_rng(seed)
    psi = rng.normal(size=d) + 1j * rng.normal(size=d)
    psi /= np.linalg.norm(psi)
    p = np.abs(psi) ** 2
    assert relative_entropy_coherence(dm(psi)) == pytest.approx(-np.sum(p * np.log2(p)),
                                                                abs=1e-10)
    assert l1_coherence(dm(psi)) == pytest.approx(np.sum(np.abs(psi)) ** 2 - 1, abs=1e-12)


def test_coherence_bounds_and_batching(rng):
    rho = np.stack([random_density_matrix(rng, 4, r) for r in (1, 2, 3, 4) * 2]).reshape(
        2, 4, 4, 4)
    l1 = l1_coherence(rho)
    cre = relative_entropy_coherence(rho)
    assert l1.shape == cre.shape == (2, 4)
    assert np.all((0 <= l1) & (l1 <= 3 + 1e-12)) and np.all((0 <= cre) & (cre <= 2 + 1e-12))
    flat = rho.reshape(-1, 4, 4)
    assert np.allclose(l1.ravel(), [l1_coherence(r) for r in flat])
    assert np.allclose(cre.ravel(), [relative_entropy_coherence(r) for r in flat])


def test_bell_fidelities_one_hot():
    for k, name in enumerate(BELL_NAMES):
        f = bell_fidelities(dm(ops.bell_state(name)))
        assert np.allclose(f, np.eye(4)[k], atol=1e-14)
        assert bell_fidelity(dm(ops.bell_state(name)), name) == pytest.approx(1)


def test_singlet_in_qutip_order():
    """psi- = (|eg> - |ge>)/sqrt2 with |e> = basis(2, 0) (QuTiP order)."""
    e, g = ops.ket(2, 0), ops.ket(2, 1)
    singlet = (np.kron(e, g) - np.kron(g, e)) / np.sqrt(2)
    assert bell_fidelity(dm(singlet), "psi-") == pytest.approx(1, abs=1e-14)
    assert bell_fidelities(dm(singlet))[BELL_NAMES.index("psi-")] == pytest.approx(1)


def test_bell_fidelities_werner_and_random(rng):
    p = np.linspace(0, 1, 11)
    rho = (p[:, None, None] * dm(ops.bell_state("psi-"))
           + (1 - p)[:, None, None] * np.eye(4) / 4)
    f = bell_fidelities(rho)
    assert f.shape == (11, 4)
    assert np.allclose(f[:, 3], (1 + 3 * p) / 4) and np.allclose(f[:, :3], ((1 - p) / 4)[:, None])
    states = np.stack([random_density_matrix(rng, 4) for _ in range(20)])
    fs = bell_fidelities(states)
    assert np.allclose(fs.sum(axis=-1), 1, atol=1e-12)
    for k, name in enumerate(BELL_NAMES):
        proj = dm(ops.bell_state(name))
        assert np.allclose(fs[:, k], fidelity(states, proj), atol=1e-10)
        assert np.allclose(fs[:, k], bell_fidelity(states, name))


def test_bad_input():
    with pytest.raises(InvalidInputError, match="name must be one of"):
        bell_fidelity(np.eye(4) / 4, "phi0")
    with pytest.raises(DimensionError, match="rho"):
        bell_fidelities(np.eye(2) / 2)
    with pytest.raises(InvalidInputError, match="rho contains NaN"):
        l1_coherence(np.full((2, 2), np.nan))
    with pytest.raises(InvalidInputError, match="base"):
        relative_entropy_coherence(np.eye(2) / 2, base=-1)
