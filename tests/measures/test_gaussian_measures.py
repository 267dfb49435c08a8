"""Gaussian measures: analytic two-mode squeezed states, density-matrix oracle, invariances."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

from qness.errors import InvalidInputError
from qness.measures import gaussian as gm
from qness.measures import log_negativity as dm_log_negativity
from qness.steady.gaussian import symplectic_form


def _g(x: float) -> float:
    return (x + 1) * np.log2(x + 1) - (x * np.log2(x) if x > 0 else 0.0)


@pytest.mark.parametrize("r", [0.0, 0.1, 0.5, 1.3])
def test_two_mode_squeezed_vacuum_analytic(r):
    V = gm.two_mode_squeezed_covariance(r)
    np.testing.assert_allclose(gm.log_negativity(V, 0), 2 * r / np.log(2), atol=1e-10)
    np.testing.assert_allclose(gm.log_negativity(V, 0, base=np.e), 2 * r, atol=1e-10)
    np.testing.assert_allclose(gm.epr_variance(V), np.exp(-2 * r), rtol=1e-12)
    np.testing.assert_allclose(gm.epr_variance(V, sign=-1), np.exp(2 * r), rtol=1e-12)
    np.testing.assert_allclose(gm.purity(V), 1.0, atol=1e-10)
    np.testing.assert_allclose(gm.symplectic_eigenvalues(V), [0.5, 0.5], atol=1e-10)
    np.testing.assert_allclose(gm.mutual_information(V, 0), 2 * _g(np.sinh(r) ** 2), atol=1e-9)


def test_thermal_state_entropy_and_purity():
    n = np.array([0.0, 0.4, 3.0])
    V = np.array([(k + 0.5) * np.eye(2) for k in n])  # a batch of single-mode thermal states
    np.testing.assert_allclose(gm.entropy(V), [_g(k) for k in n], atol=1e-12)
    np.testing.assert_allclose(gm.purity(V), 1 / (2 * n + 1), rtol=1e-12)


def _tmsv_density_matrix(r: float, N: int) -> np.ndarray:
    lam = -np.tanh(r)
    psi = np.zeros(N * N, complex)
    for k in range(N):
        psi[k * N + k] = lam ** k
    psi /= np.linalg.norm(psi)
    return np.outer(psi, psi.conj())


def test_against_density_matrix_log_negativity():
    r, N = 0.4, 30
    rho = _tmsv_density_matrix(r, N)
    V, mean = gm.covariance_from_density_matrix(rho, [N, N])
    np.testing.assert_allclose(V, gm.two_mode_squeezed_covariance(r), atol=1e-8)
    np.testing.assert_allclose(mean, 0, atol=1e-12)
    np.testing.assert_allclose(gm.log_negativity(V, 0), dm_log_negativity(rho, [N, N], 0),
                               atol=1e-8)


def test_mixed_state_against_density_matrix():
    # TMSV through loss on mode 1 is a mixed Gaussian state: compare with its Fock form
    qutip = pytest.importorskip("qutip")
    N, r, eta = 14, 0.3, 0.7
    a1 = qutip.tensor(qutip.destroy(N), qutip.qeye(N))
    a2 = qutip.tensor(qutip.qeye(N), qutip.destroy(N))
    S = (r * (a1 * a2 - a1.dag() * a2.dag())).expm()
    rho = S * qutip.ket2dm(qutip.tensor(qutip.basis(N, 0), qutip.basis(N, 0))) * S.dag()
    t = -np.log(eta)  # loss channel exp(t D[a1]) with transmissivity eta
    rho = qutip.mesolve(qutip.qzero_like(a1), rho, [0, t], [a1]).states[-1].full()
    V, _ = gm.covariance_from_density_matrix(rho, [N, N])
    V0 = gm.two_mode_squeezed_covariance(r)
    X = np.diag([np.sqrt(eta)] * 2 + [1, 1])
    np.testing.assert_allclose(V, X @ V0 @ X + np.diag([(1 - eta) / 2] * 2 + [0, 0]), atol=1e-6)
    np.testing.assert_allclose(gm.log_negativity(V, 0), dm_log_negativity(rho, [N, N], 0),
                               atol=1e-5)
    assert gm.purity(V) < 0.99


def _local_symplectic(rng: np.random.Generator) -> np.ndarray:
    blocks = []
    for _ in range(2):
        th, s = rng.uniform(0, 2 * np.pi), rng.uniform(-1, 1)
        R = np.array([[np.cos(th), np.sin(th)], [-np.sin(th), np.cos(th)]])
        blocks.append(R @ np.diag([np.exp(s), np.exp(-s)]))
    return sla.block_diag(*blocks)


@pytest.mark.parametrize("seed", range(5))
def test_invariance_under_local_symplectic_maps(seed):
    rng = np.random.default_rng(seed)
    V = gm.two_mode_squeezed_covariance(0.7) + np.diag(rng.uniform(0, 0.3, 4))
    S = _local_symplectic(rng)
    Om = symplectic_form(2)
    np.testing.assert_allclose(S @ Om @ S.T, Om, atol=1e-12)
    W = S @ V @ S.T
    for f in (lambda x: gm.log_negativity(x, 0), gm.purity, gm.entropy,
              lambda x: gm.mutual_information(x, 1)):
        np.testing.assert_allclose(f(W), f(V), atol=1e-9)
    np.testing.assert_allclose(gm.symplectic_eigenvalues(W), gm.symplectic_eigenvalues(V),
                               atol=1e-10)


def test_product_and_multimode_bipartitions():
    V = sla.block_diag(gm.two_mode_squeezed_covariance(0.5), 0.9 * np.eye(2))
    assert abs(gm.log_negativity(V, 2)) < 1e-12  # a pure TMSV pair has nu~ = 1/2 exactly
    np.testing.assert_allclose(gm.log_negativity(V, [0, 2]), 1 / np.log(2), atol=1e-10)
    np.testing.assert_allclose(gm.reduced_covariance(V, [2]), 0.9 * np.eye(2))
    V2 = sla.block_diag(gm.two_mode_squeezed_covariance(0.5), gm.two_mode_squeezed_covariance(0.2))
    np.testing.assert_allclose(gm.log_negativity(V2, [0, 2]), 1.4 / np.log(2), atol=1e-10)


def test_bad_input():
    with pytest.raises(InvalidInputError, match="positive definite"):
        gm.symplectic_eigenvalues(np.diag([1.0, -1.0]))
    with pytest.raises(InvalidInputError, match="2n"):
        gm.purity(np.eye(3))
    with pytest.raises(InvalidInputError, match="mode"):
        gm.log_negativity(np.eye(4) / 2, 2)
    with pytest.raises(InvalidInputError, match="other side"):
        gm.mutual_information(np.eye(4) / 2, [0, 1])
    with pytest.raises(InvalidInputError, match="sign"):
        gm.epr_variance(np.eye(4) / 2, sign=2)
