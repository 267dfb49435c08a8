"""Collective-spin moments and squeezing parameters against closed forms."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

from qness.errors import DimensionError, InvalidInputError
from qness.master.permutation import (
    PermutationModel,
    blocks_to_dense,
    dense_to_blocks,
    dicke_vectors,
    spin_matrices,
)
from qness.measures import partial_trace
from qness.measures.collective import (
    kitagawa_ueda_parameter,
    pair_state_from_moments,
    spin_moments,
    wineland_parameter,
)
from qness.steady.permutation import steadystate_permutation


def product_state(n: int, theta: float, phi: float) -> np.ndarray:
    """Every qubit along (theta, phi) on the Bloch sphere (|e> = sigma_z = +1 at theta = 0)."""
    q = np.array([np.cos(theta / 2), np.exp(1j * phi) * np.sin(theta / 2)])
    psi = q
    for _ in range(n - 1):
        psi = np.kron(psi, q)
    return np.outer(psi, psi.conj())


def symmetric_block_moments(psi: np.ndarray, j: float) -> tuple[np.ndarray, np.ndarray]:
    s = {k: v.toarray() for k, v in spin_matrices(j).items()}
    axes = "xyz"
    mean = np.array([np.vdot(psi, s[a] @ psi).real for a in axes])
    second = np.array([[np.vdot(psi, (s[a] @ s[b] + s[b] @ s[a]) / 2 @ psi).real for b in axes]
                       for a in axes])
    return mean, second


@pytest.mark.parametrize("theta,phi", [(0.0, 0.0), (np.pi / 2, 0.3), (2.1, -1.2)])
def test_coherent_spin_state_is_not_squeezed(theta, phi):
    n = 5
    mean, second = spin_moments(product_state(n, theta, phi), n)
    direction = np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi),
                          np.cos(theta)])
    assert np.allclose(mean, n / 2 * direction, atol=1e-12)
    assert kitagawa_ueda_parameter(mean, second, n) == pytest.approx(1.0, abs=1e-12)
    assert wineland_parameter(mean, second, n) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("mu", [0.02, 0.1, 0.4])
def test_one_axis_twisting_follows_kitagawa_ueda(mu):
    """exp(-i mu/2 J_z^2) on the x-polarised coherent state (Kitagawa & Ueda, PRA 47, 5138):
    xi_S^2 = 1 + (N-1)/4 [A - sqrt(A^2 + B^2)], A = 1 - cos^{N-2} mu,
    B = 4 sin(mu/2) cos^{N-2}(mu/2)."""
    n = 30
    j = n / 2
    s = {k: v.toarray() for k, v in spin_matrices(j).items()}
    top = np.zeros(n + 1, dtype=complex)
    top[0] = 1.0
    psi = sla.expm(-1j * np.pi / 2 * s["y"]) @ top
    psi = sla.expm(-1j * mu / 2 * s["z"] @ s["z"]) @ psi
    mean, second = symmetric_block_moments(psi, j)
    a = 1 - np.cos(mu) ** (n - 2)
    b = 4 * np.sin(mu / 2) * np.cos(mu / 2) ** (n - 2)
    expected = 1 + (n - 1) / 4 * (a - np.sqrt(a ** 2 + b ** 2))
    xi_s = kitagawa_ueda_parameter(mean, second, n)
    assert xi_s == pytest.approx(expected, rel=1e-10)
    assert xi_s < 1
    # Wineland: the same variance measured against the shortened mean spin
    assert wineland_parameter(mean, second, n) == pytest.approx(
        xi_s * (n / 2) ** 2 / np.sum(mean ** 2), rel=1e-12)


@pytest.mark.parametrize("m", [2.0, 1.0, 0.0, -1.0])
def test_dicke_state_moments(m):
    n, j = 4, 2.0
    v = dicke_vectors(n, j)[:, int(j - m), 0]
    mean, second = spin_moments(np.outer(v, v.conj()), n)
    perp = (j * (j + 1) - m ** 2) / 2
    assert np.allclose(mean, [0, 0, m], atol=1e-12)
    assert np.allclose(second, np.diag([perp, perp, m ** 2]), atol=1e-12)
    if m == 0:
        assert np.isnan(kitagawa_ueda_parameter(mean, second, n))
        assert np.isinf(wineland_parameter(mean, second, n))
    else:
        assert kitagawa_ueda_parameter(mean, second, n) == pytest.approx(4 * perp / n)


def test_pair_state_from_moments_is_the_partial_trace(rng):
    """For every permutation-invariant state the two-qubit marginal follows from the moments."""
    n = 4
    g = rng.normal(size=(16, 16)) + 1j * rng.normal(size=(16, 16))
    rho = g @ g.conj().T
    rho = blocks_to_dense(n, dense_to_blocks(rho / np.trace(rho), n))   # symmetrise
    mean, second = spin_moments(rho, n)
    pair = pair_state_from_moments(mean, second, n)
    assert np.allclose(pair, partial_trace(rho, [2] * n, [1, 3]), atol=1e-12)


def test_permutation_state_moments_equal_dense_moments():
    ps = steadystate_permutation(PermutationModel(4, omega_x=0.7, gamma_ce=0.4, gamma_e=0.3,
                                                  gamma_d=0.1))
    m1, s1 = spin_moments(ps)
    m2, s2 = spin_moments(ps.to_dense(), 4)
    assert np.allclose(m1, m2, atol=1e-12) and np.allclose(s1, s2, atol=1e-12)
    with pytest.raises(DimensionError):
        spin_moments(ps, 5)


def test_batches_broadcast():
    states = np.stack([product_state(3, t, 0.0) for t in (0.1, 0.7, 1.5)])
    mean, second = spin_moments(states)
    assert mean.shape == (3, 3) and second.shape == (3, 3, 3)
    assert np.allclose(kitagawa_ueda_parameter(mean, second, 3), 1.0)
    assert pair_state_from_moments(mean, second, 3).shape == (3, 4, 4)


def test_bad_input_is_rejected():
    with pytest.raises(DimensionError):
        spin_moments(np.eye(3) / 3)
    with pytest.raises(DimensionError):
        kitagawa_ueda_parameter(np.zeros(2), np.zeros((3, 3)), 2)
    with pytest.raises(InvalidInputError):
        wineland_parameter(np.ones(3), np.eye(3), 0)
    with pytest.raises(InvalidInputError):
        pair_state_from_moments(np.ones(3), np.eye(3), 1)
