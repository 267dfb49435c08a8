"""Gaussian (Lyapunov) steady-state solver: analytic cases, QuTiP truncated-Fock oracle,
stability errors, input checks and a 200-mode chain."""

from __future__ import annotations

import time

import numpy as np
import pytest

from qness.errors import InvalidInputError, SolverError
from qness.measures.gaussian import covariance_from_density_matrix, symplectic_eigenvalues
from qness.steady.gaussian import (
    GaussianSystem,
    UnstableSystemError,
    annihilation,
    creation,
    quadratic_hamiltonian,
    solve_gaussian,
    symplectic_form,
)


def test_thermal_damped_mode_reaches_thermal_covariance():
    for n in (0.0, 0.3, 4.0):
        sys_ = GaussianSystem.from_modes([1.7], thermal=[(0.4, n, annihilation(1, 0))])
        ss = solve_gaussian(sys_)
        np.testing.assert_allclose(ss.covariance, (n + 0.5) * np.eye(2), atol=1e-12)
        assert ss.ok and ss.residual < 1e-12
        np.testing.assert_allclose(ss.stability_margin, 0.2, rtol=1e-12)  # kappa/2
        np.testing.assert_allclose(ss.occupations(), [n], atol=1e-12)


def test_number_operator_hamiltonian_matrix():
    # omega a^dag a = omega/2 (x^2 + p^2) - omega/2  ->  G = omega I
    np.testing.assert_allclose(quadratic_hamiltonian([2.5]), 2.5 * np.eye(2), atol=1e-14)
    # G (a1^dag a2^dag + a1 a2) = G (x1 x2 - p1 p2)
    G = quadratic_hamiltonian(np.zeros((2, 2)), [[0, 0.3], [0.3, 0]])
    expected = np.zeros((4, 4))
    expected[0, 2] = expected[2, 0] = 0.3
    expected[1, 3] = expected[3, 1] = -0.3
    np.testing.assert_allclose(G, expected, atol=1e-14)


def test_coherently_driven_damped_mode_mean():
    # H = Delta a^dag a + eps a^dag + eps* a, L = sqrt(kappa) a: <a> = -i eps / (kappa/2 + i Delta)
    eps, kappa, delta = 0.3 + 0.2j, 0.8, 0.5
    ss = solve_gaussian(GaussianSystem.from_modes([delta], jumps=[(kappa, annihilation(1, 0))],
                                                  drive=[eps]))
    a = -1j * eps / (kappa / 2 + 1j * delta)
    np.testing.assert_allclose(ss.means, [np.sqrt(2) * a.real, np.sqrt(2) * a.imag], atol=1e-12)
    np.testing.assert_allclose(ss.covariance, 0.5 * np.eye(2), atol=1e-12)


def _two_mode_system() -> tuple[GaussianSystem, dict]:
    # low occupations, so that 8 Fock levels per mode converge the moments to ~1e-8
    p = {"w1": 0.4, "w2": -0.3, "J": 0.25, "g": 0.1, "k1": 1.0, "k2": 0.7, "n1": 0.05, "n2": 0.02,
         "eps": 0.05 + 0.02j}
    omega = np.array([[p["w1"], p["J"]], [p["J"], p["w2"]]])
    g = np.array([[0, p["g"]], [p["g"], 0]])
    sys_ = GaussianSystem.from_modes(
        omega, g, thermal=[(p["k1"], p["n1"], annihilation(2, 0)),
                           (p["k2"], p["n2"], annihilation(2, 1))],
        jumps=[(0.05, annihilation(2, 0) + 0.3 * creation(2, 1))], drive=[p["eps"], 0])
    return sys_, p


def test_two_mode_against_qutip_truncated_fock():
    qutip = pytest.importorskip("qutip")
    sys_, p = _two_mode_system()
    ss = solve_gaussian(sys_)
    N = 8
    a1 = qutip.tensor(qutip.destroy(N), qutip.qeye(N))
    a2 = qutip.tensor(qutip.qeye(N), qutip.destroy(N))
    H = (p["w1"] * a1.dag() * a1 + p["w2"] * a2.dag() * a2
         + p["J"] * (a1.dag() * a2 + a2.dag() * a1) + p["g"] * (a1.dag() * a2.dag() + a1 * a2)
         + p["eps"] * a1.dag() + np.conj(p["eps"]) * a1)
    c_ops = [np.sqrt(p["k1"] * (p["n1"] + 1)) * a1, np.sqrt(p["k1"] * p["n1"]) * a1.dag(),
             np.sqrt(p["k2"] * (p["n2"] + 1)) * a2, np.sqrt(p["k2"] * p["n2"]) * a2.dag(),
             np.sqrt(0.05) * (a1 + 0.3 * a2.dag())]
    rho = qutip.steadystate(H, c_ops).full()
    V_fock, mean_fock = covariance_from_density_matrix(rho, [N, N])
    np.testing.assert_allclose(ss.covariance, V_fock, atol=1e-6)
    np.testing.assert_allclose(ss.means, mean_fock, atol=1e-6)


def test_parametric_instability_names_the_eigenvalue():
    # G (a1^dag a2^dag + h.c.) with decay kappa: unstable when G > kappa/2 (growth G - kappa/2)
    kappa, G = 1.0, 0.8
    sys_ = GaussianSystem.from_modes(np.zeros((2, 2)), [[0, G], [G, 0]],
                                     jumps=[(kappa, annihilation(2, 0)),
                                            (kappa, annihilation(2, 1))])
    with pytest.raises(UnstableSystemError, match=r"eigenvalue 0\.3") as info:
        solve_gaussian(sys_)
    np.testing.assert_allclose(info.value.eigenvalue.real, G - kappa / 2, atol=1e-12)
    assert isinstance(info.value, SolverError)


def test_undamped_mode_is_marginal():
    sys_ = GaussianSystem.from_modes([1.0, 1.0], jumps=[(1.0, annihilation(2, 0))])
    with pytest.raises(UnstableSystemError, match="marginally stable"):
        solve_gaussian(sys_)


@pytest.mark.parametrize("kwargs, match", [
    ({"G": np.array([[1.0, 2.0], [0.0, 1.0]]), "jumps": np.zeros((0, 2)), "force": None},
     "symmetric"),
    ({"G": np.eye(3), "jumps": np.zeros((0, 3)), "force": None}, "2n"),
    ({"G": np.eye(2), "jumps": np.zeros((0, 2)), "force": np.zeros(3)}, "force"),
])
def test_bad_quadrature_input(kwargs, match):
    with pytest.raises(InvalidInputError, match=match):
        GaussianSystem(**kwargs)


def test_bad_mode_input():
    with pytest.raises(InvalidInputError, match="rate"):
        GaussianSystem.from_modes([1.0], jumps=[(-1.0, annihilation(1, 0))])
    with pytest.raises(InvalidInputError, match="n_th"):
        GaussianSystem.from_modes([1.0], thermal=[(1.0, -0.1, annihilation(1, 0))])
    with pytest.raises(InvalidInputError, match="length 2"):
        GaussianSystem.from_modes([1.0], jumps=[(1.0, annihilation(2, 0))])
    with pytest.raises(InvalidInputError, match="Hermitian"):
        GaussianSystem.from_modes([[0, 1j], [1j, 0]])
    with pytest.raises(InvalidInputError, match="mode"):
        annihilation(2, 2)
    with pytest.raises(InvalidInputError, match="GaussianSystem"):
        solve_gaussian(np.eye(2))


def _random_system(rng: np.random.Generator, n: int) -> GaussianSystem:
    om = rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n))
    g = 0.2 * rng.normal(size=(n, n))
    thermal = [(rng.uniform(0.5, 1.5), rng.uniform(0, 2), annihilation(n, j)) for j in range(n)]
    jumps = [(0.3, rng.normal(size=2 * n) + 1j * rng.normal(size=2 * n)) for _ in range(2)]
    return GaussianSystem.from_modes(om + om.conj().T, g + g.T, thermal=thermal, jumps=jumps)


@pytest.mark.parametrize("seed", range(8))
def test_random_systems_are_physical(seed):
    rng = np.random.default_rng(seed)
    sys_ = _random_system(rng, int(rng.integers(1, 5)))
    try:
        ss = solve_gaussian(sys_)
    except UnstableSystemError:
        assert np.max(np.linalg.eigvals(sys_.drift).real) >= 0
        return
    V, A, D = ss.covariance, sys_.drift, sys_.diffusion
    np.testing.assert_allclose(A @ V + V @ A.T, -D, atol=1e-10 * np.abs(D).max())
    assert symplectic_eigenvalues(V)[0] >= 0.5 - 1e-9
    assert np.linalg.eigvalsh(V + 0.5j * symplectic_form(sys_.n_modes))[0] >= -1e-10
    # Lindblad form: D + i (A Om^T - Om A^T)/2 = Om M Om^T >= 0 (the Hamiltonian part cancels)
    Om = sys_.omega
    assert np.linalg.eigvalsh(D + 0.5j * (A @ Om.T - Om @ A.T))[0] >= -1e-10


def _chain(n: int, J: float, g: float, nth: np.ndarray) -> GaussianSystem:
    omega = np.diag(np.ones(n)) + J * (np.eye(n, k=1) + np.eye(n, k=-1))
    pair = g * (np.eye(n, k=1) + np.eye(n, k=-1))
    thermal = [(0.5, nth[j], annihilation(n, j)) for j in range(n)]
    return GaussianSystem.from_modes(omega, pair, thermal=thermal)


def test_200_mode_chain_common_temperature_is_thermal():
    n = 200
    sys_ = _chain(n, J=0.3, g=0.0, nth=np.full(n, 0.7))
    t0 = time.perf_counter()
    ss = solve_gaussian(sys_)
    elapsed = time.perf_counter() - t0
    # passive couplings + one common bath occupation: the steady state is thermal, V = (n+1/2) I
    np.testing.assert_allclose(ss.covariance, 1.2 * np.eye(2 * n), atol=1e-10)
    assert ss.ok and elapsed < 20, f"200-mode solve took {elapsed:.2f} s"


def test_200_mode_squeezing_chain_validates():
    n = 200
    rng = np.random.default_rng(1)
    ss = solve_gaussian(_chain(n, J=0.3, g=0.1, nth=rng.uniform(0, 1, n)))
    assert ss.ok and ss.residual < 1e-10
    assert ss.min_symplectic_eigenvalue >= 0.5 - 1e-9
    assert ss.stability_margin > 0
