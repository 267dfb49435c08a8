"""The shared-bath scaling study (examples/scaling_shared_bath.py): its results obey physics.

The script runs in quick mode into a temporary folder; its CSV output is checked against
statements derived from the models (detailed balance: the Gibbs product state; the exact
Puri–Lawande state of cooperative resonance fluorescence and its Holstein–Primakoff limits;
the Koashi–Bužek–Imoto bound; the maximally mixed state at equal pump and collective decay;
single-atom resonance fluorescence when local decay dominates) and against the full ``2^N``
solve, never against stored outputs of the script.
"""

from __future__ import annotations

import csv
import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import load_example

FIGURES = ("crf", "noise", "laser")
INT_KEYS = ("N", "depth_sq", "depth_dicke", "gme_k", "depth_sq_full", "depth_sq_reduced",
            "depth_dicke_full", "depth_dicke_reduced")


@pytest.fixture(scope="module")
def script():
    return load_example("scaling_shared_bath")


@pytest.fixture(scope="module")
def study(script, tmp_path_factory):
    out = tmp_path_factory.mktemp("shared_bath")
    script.main(["--quick", "--out", str(out)])
    return out


def _read(path: Path) -> list[dict]:
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        parsed = {}
        for k, v in row.items():
            if v == "":
                continue
            if k in INT_KEYS:
                parsed[k] = int(v)
            elif v in ("True", "False"):
                parsed[k] = v == "True"
            else:
                try:
                    parsed[k] = float(v)
                except ValueError:
                    parsed[k] = v
        out.append(parsed)
    return out


@pytest.fixture(scope="module")
def points(study):
    return _read(study / "scaling_shared_points.csv")


@pytest.fixture(scope="module")
def cross(study):
    return _read(study / "scaling_shared_crosscheck.csv")


def _rows(points, **match):
    return [r for r in points if all(r.get(k) == v for k, v in match.items())]


def test_outputs_written(study, points, script):
    for name in ("scaling_shared_points.csv", "scaling_shared_crosscheck.csv"):
        assert (study / name).stat().st_size > 0
    for fig in FIGURES:
        assert (study / f"scaling_shared_{fig}.png").stat().st_size > 1000
    studies = {r["study"] for r in points}
    assert studies == {"crf_drive", "crf_noise", "crf_local_scan", "gibbs", "laser"}
    solved = [r for r in points if r["solver"] == "permutation"]
    assert solved and all(r["residual"] < 1e-9 for r in solved)
    assert max(r["N"] for r in points) >= 100


def test_gibbs_control_is_the_product_state_for_every_n(points, script):
    """One temperature for every channel (collective and local, emission and absorption):
    detailed balance makes exp(-omega J_z / T) / Z, a product state, the steady state."""
    rows = _rows(points, study="gibbs")
    assert {r["N"] for r in rows} == set(script.QUICK["gibbs_n"])
    assert len({r["T"] for r in rows}) >= 2
    for r in rows:
        assert r["gibbs_dev"] < 1e-10
        assert r["C"] < 1e-12
        assert r["depth_sq"] == 1 and r["depth_dicke"] == 1 and not r["toth_entangled"]
        # product of thermal qubits: Var(J_x) = N/4, <J_z> = -(N/2) tanh(omega / 2T)
        expected = 1.0 / math.tanh(script.OMEGA_Z / (2 * r["T"])) ** 2
        assert r["xi2_R"] == pytest.approx(expected, rel=1e-8)
        assert r["jz"] == pytest.approx(-math.tanh(script.OMEGA_Z / (2 * r["T"])), abs=1e-10)


def test_reduced_measures_agree_with_the_full_space(cross, script):
    """N <= 6: the full 2^N solve equals the Dicke-basis state, every pair has the same
    concurrence, equal to the one of the moment-built pair state; negativities of every cut and
    fidelities with the Dicke states agree (and cuts of equal size have equal negativity)."""
    assert {r["N"] for r in cross} == set(script.QUICK["cross_n"])
    assert {r["case"] for r in cross} >= {"crf", "crf+decay", "gibbs", "laser-weak"}
    for r in cross:
        assert r["state_diff"] < 1e-8
        assert r["moment_diff"] < 1e-8
        assert r["C_full_max"] - r["C_full_min"] < 1e-9
        assert abs(r["C_full_max"] - r["C_reduced"]) < 1e-8
        if r["xi2_R_reduced"] < 1e3:   # (unpolarised states: xi^2 = N Var / |<J>|^2 ~ 1/0)
            assert r["xi2_R_full"] == pytest.approx(r["xi2_R_reduced"], rel=1e-7)
        assert r["depth_sq_full"] == r["depth_sq_reduced"]
        assert r["depth_dicke_full"] == r["depth_dicke_reduced"]
        assert r["toth_entangled_full"] == r["toth_entangled_reduced"]
        assert r["neg_diff"] < 1e-8 and r["neg_same_size_spread"] < 1e-8
        assert r["gme_F_diff"] < 1e-8
        assert r["gme_detected_full"] == r["gme_detected_reduced"]
        assert r["gme_self_detected_full"] == r["gme_self_detected_reduced"]
    assert sum(r["C_reduced"] > 0.01 for r in cross) >= 5   # not trivially 0 = 0
    assert any(r["neg_min_full"] > 1e-3 for r in cross)


def _spin_ladder(n: int) -> tuple[np.ndarray, np.ndarray]:
    """J_+ and J_x of spin N/2 in the basis m = N/2 ... -N/2, built here from the textbook
    matrix elements (independent of qness)."""
    j = n / 2
    m = j - np.arange(n + 1)
    jp = np.diag(np.sqrt(j * (j + 1) - m[1:] * (m[1:] + 1)), 1)
    return jp, 0.5 * (jp + jp.T)


@pytest.mark.parametrize("n, kappa", [(12, 0.2), (12, 0.45), (9, 0.8)])
def test_puri_lawande_state_is_stationary(script, n, kappa):
    """The closed form solves L rho = 0 for H = Omega J_x, gamma D[J_-], is a density matrix,
    and equals A^dag A / tr with A = (1 - J_+/g)^{-1}, g = i Omega / gamma."""
    omega, gamma = kappa * n, 1.0
    rho = script.puri_lawande_block(n, omega, gamma)
    jp, jx = _spin_ladder(n)
    jm = jp.T
    h = omega * jx
    lind = (-1j * (h @ rho - rho @ h)
            + gamma * (jm @ rho @ jp - 0.5 * (jp @ jm @ rho + rho @ jp @ jm)))
    assert np.max(np.abs(lind)) < 1e-12 * np.max(np.abs(h))
    assert np.trace(rho).real == pytest.approx(1.0, abs=1e-13)
    assert np.linalg.eigvalsh(0.5 * (rho + rho.conj().T))[0] > -1e-13
    a = np.linalg.inv(np.eye(n + 1) - jp / (1j * omega / gamma))
    direct = a.conj().T @ a
    assert np.max(np.abs(direct / np.trace(direct) - rho)) < 1e-12


def test_solver_reproduces_the_closed_form(points):
    rows = [r for r in points if r["study"] == "crf_drive" and r["solver"] == "permutation"]
    assert len(rows) >= 4
    assert all(r["pl_diff"] < 1e-10 for r in rows)
    assert {r["kappa"] < 0.5 for r in rows} == {True, False}


def test_crf_pair_concurrence_falls_as_one_over_n(points, script):
    """Below threshold (kappa < 1/2) the state tends to a pure squeezed state around the mean
    spin: Holstein–Primakoff gives xi^2 = sqrt(1 - 4 kappa^2) and N C -> 1 - xi^2 (pair
    concurrence ~ 1/N), approached as O(1/N); N C <= 2 always (Koashi–Bužek–Imoto); above
    threshold neither pairwise concurrence nor squeezing survives."""
    rows = _rows(points, study="crf_drive", solver="closed-form")
    assert all(r["NC"] <= 2.0 + 1e-12 for r in rows)
    tested = 0
    for kappa in script.QUICK["scaling_kappas"]:
        xi_lim = math.sqrt(1 - 4 * kappa**2)
        pts = sorted((r for r in rows if r["kappa"] == kappa), key=lambda r: r["N"])
        big = [r for r in pts if r["N"] >= 40]
        assert len(big) >= 3
        for r in big:
            assert abs(r["NC"] - (1 - xi_lim)) <= 1.0 / r["N"]
            assert abs(r["xi2_R"] - xi_lim) <= 2.0 / r["N"]
            assert r["C"] > 0 and r["depth_sq"] >= 2
            tested += 1
        cs = [r["C"] for r in big]
        assert all(a > b for a, b in itertools.pairwise(cs))   # C itself decreases
    assert tested >= 12
    above = [r for r in rows if r["kappa"] >= 0.6 and r["N"] >= 10]
    assert above and all(r["C"] < 1e-12 and r["xi2_R"] > 1 for r in above)


def test_capped_depth_agrees_with_the_library(script):
    """Beyond kmax the capped check says 'more than kmax' exactly when the full Sørensen–Mølmer
    depth exceeds kmax (N = 16, kmax = 6)."""
    from qness.measures import entanglement_depth_squeezing

    for kappa in (0.2, 0.4):
        mean, second = script.block_moments(script.puri_lawande_block(16, 16 * kappa), 8.0)
        full = int(entanglement_depth_squeezing(mean, second, 16))
        capped, censored = script.certified_depth(mean, second, 16, kmax=6)
        assert censored == (full > 6)
        assert capped == (7 if full > 6 else full)


def test_local_decay_limit_is_single_atom_fluorescence(points):
    """gamma_e >> N gamma_ce: each qubit is an independently driven, decaying atom
    (H = (Omega/2) sigma_x, gamma_e D[sigma^-]): <sigma_z> = -1/(1 + 2 Omega^2/gamma_e^2),
    a product state (C = 0, xi_R^2 -> 1)."""
    rows = [r for r in _rows(points, study="crf_local_scan") if r.get("gamma_e", 0) >= 1e3]
    assert rows
    for r in rows:
        omega = r["kappa"] * r["N"]
        sz = -1.0 / (1.0 + 2.0 * omega**2 / r["gamma_e"] ** 2)
        tol = 3 * r["N"] / r["gamma_e"]
        assert r["jz"] == pytest.approx(sz, abs=tol)
        assert r["C"] < 1e-6 and abs(r["xi2_R"] - 1) < tol


def test_dephasing_destroys_squeezing_as_n_grows(points):
    """Dephasing does not take population out of the driven collective mode into the ground
    state: it only moves weight to smaller total spin, where the drive is above threshold
    (Omega > j gamma_ce); the squeezing is lost and the loss grows with N."""
    for name in ("gamma_d",):
        rows = sorted((r for r in _rows(points, study="crf_noise") if name in r),
                      key=lambda r: r["N"])
        assert len(rows) >= 3
        xi = [r["xi2_R"] for r in rows if r["N"] >= 4]
        assert all(x > 1 for x in xi)
        assert all(a < b for a, b in itertools.pairwise(xi))
        assert all(r["C"] < 1e-12 for r in rows)


def test_laser_model_limits(points):
    """Local pumping w and collective decay gamma_ce: at w = gamma_ce the identity is stationary
    (sum_i D[sigma_i^+](1) = 2 J_z = -D[J_-](1)), so the state is maximally mixed; for N = 2 at
    w -> 0 half the population is trapped in the (dark) singlet, C -> 1/2."""
    rows = _rows(points, study="laser")
    mixed = [r for r in rows if r["gamma_p"] == 1.0]
    assert mixed
    for r in mixed:
        n = r["N"]
        assert abs(r["jz"]) < 1e-10 and abs(r["pair_coh"]) < 1e-10 and r["C"] < 1e-12
        assert r["toth_singlet"] == pytest.approx(0.25, abs=1e-10)    # (3N/4 - N/2) / N
        assert r["p_sym"] == pytest.approx((n + 1) / 2.0**n, rel=1e-8)
    pair = sorted(_rows(points, study="laser", N=2), key=lambda r: r["gamma_p"])
    assert pair[0]["gamma_p"] <= 1e-3 and pair[0]["C"] > 0.45
    weak = [r["C"] for r in pair if r["gamma_p"] < 0.1]
    assert all(a > b for a, b in itertools.pairwise(weak))


def test_toth_inequalities_on_known_states(script):
    """Product states satisfy all three; the two-qubit singlet (sum of variances 0 < N/2), the
    Dicke state |D_4^2> (<J_x^2 + J_y^2> = 6, Var J_z = 0: (6 - 2 - 0) / 16 = 1/4 too much) and
    a spin-squeezed state violate one each."""
    from qness.measures import dicke_state, spin_moments

    n = 4
    up = np.zeros(2**n)
    up[0] = 1.0
    for rho in (np.outer(up, up), np.eye(2**n) / 2**n):
        mean, second = spin_moments(rho, n)
        assert min(script.toth_inequalities(mean, second, n).values()) >= -1e-12
    singlet = np.array([0, 1, -1, 0]) / np.sqrt(2)
    mean, second = spin_moments(np.outer(singlet, singlet), 2)
    assert script.toth_inequalities(mean, second, 2)["toth_singlet"] == pytest.approx(-0.5)
    d = dicke_state(n, n // 2)
    mean, second = spin_moments(np.outer(d, d.conj()), n)
    assert script.toth_inequalities(mean, second, n)["toth_dicke"] == pytest.approx(-0.25)
    # a spin-squeezed state (resonance fluorescence below threshold, xi_R^2 ~ 0.6)
    mean, second = script.block_moments(script.puri_lawande_block(20, 8.0), 10.0)
    assert script.toth_inequalities(mean, second, 20)["toth_squeeze"] < -0.05
