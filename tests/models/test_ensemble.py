"""The permutation-invariant ensemble model: physics limits, full-space oracle, CLI, sweeps."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from qness import steadystate
from qness.cli import main
from qness.errors import InvalidInputError
from qness.master import liouvillian
from qness.master.permutation import PermutationModel
from qness.measures import pairwise_concurrence, spin_moments, wineland_parameter
from qness.models import get
from qness.models.ensemble import initial_weights
from qness.sweep import Sweep, linear, product, run_sweep


def solve(**overrides):
    spec = get("ensemble")
    params = spec.resolve(overrides)
    problem = spec.build(params)
    states = spec.solve(problem, params)
    return spec.analyse(states, problem, params), states


def test_reduced_measures_equal_the_full_space_solve():
    """N = 5 with every process switched on: pair concurrence and squeezing equal those of the
    full 2^N steady state built from the same operators."""
    rates = dict(omega=0.4, Omega=1.3, chi=0.2, gamma_ce=1.0, gamma_cp=0.1, gamma_cd=0.05,
                 gamma_e=0.2, gamma_p=0.05, gamma_d=0.1)
    out, _ = solve(N=5, **rates)
    model = PermutationModel(5, omega_z=0.4, omega_x=1.3, chi=0.2, gamma_ce=1.0, gamma_cp=0.1,
                             gamma_cd=0.05, gamma_e=0.2, gamma_p=0.05, gamma_d=0.1)
    H, jumps = model.full_space_terms()
    rho = steadystate(liouvillian(H, jumps, dims=(2,) * 5)).rho
    pairs = pairwise_concurrence(rho, (2,) * 5)
    assert np.allclose(pairs[~np.eye(5, dtype=bool)], out["concurrence"], atol=1e-9)
    mean, second = spin_moments(rho, 5)
    assert out["wineland"] == pytest.approx(float(wineland_parameter(mean, second, 5)), rel=1e-8)
    assert out["kernel_dim"] == 1


def test_thermal_shared_bath_gives_the_separable_gibbs_state():
    """Collective and local emission/absorption at one temperature with H = omega J_z: the
    steady state is the Gibbs product state, so no pair is entangled and nothing is certified."""
    w = np.exp(-1.0 / 0.7)  # up/down ratio at omega = 1, T = 0.7
    out, states = solve(N=30, Omega=0.0, omega=1.0, gamma_ce=0.5, gamma_cp=0.5 * w, gamma_e=1.0,
                        gamma_p=w)
    assert out["concurrence"] == 0.0
    assert out["depth_squeezing"] == 1 and out["depth_dicke"] == 1
    assert out["wineland"] > 1.0
    assert out["excitation"] == pytest.approx(w / (1 + w), abs=1e-10)
    assert states.states[0].sector == "diagonal"


def test_cooperative_resonance_fluorescence_squeezes_below_threshold_only():
    """Collective drive + collective decay from |g...g>: squeezed (Wineland < 1) and pairwise
    entangled below the threshold Omega = N gamma / 2, neither well above it."""
    below, _ = solve(N=16, Omega=0.3 * 16)
    above, _ = solve(N=16, Omega=2.0 * 16)
    assert below["wineland"] < 1.0 and below["concurrence"] > 0
    assert below["p_symmetric"] == pytest.approx(1.0, abs=1e-12)
    assert above["wineland"] > 1.0 and above["concurrence"] < below["concurrence"]
    assert below["kernel_dim"] > 1  # each total-spin block keeps its own steady state


def test_initial_weights_of_the_mixed_state_count_the_multiplets():
    """p_j = (2j + 1) d_N(j) / 2^N: for N = 4, j = 2, 1, 0 have 5, 9, 2 states of 16."""
    assert np.allclose(initial_weights(4, "mixed"), [5 / 16, 9 / 16, 2 / 16], atol=1e-14)
    with pytest.raises(InvalidInputError, match="initial"):
        initial_weights(4, "excited")


def test_cli_json_and_bad_input():
    runner = CliRunner()
    res = runner.invoke(main, ["run", "ensemble", "--set", "N=12", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert {"concurrence", "wineland", "depth_squeezing", "diagnostics"} <= set(out)
    assert out["diagnostics"]["validated"] is True
    bad = runner.invoke(main, ["run", "ensemble", "--set", "gamma_e=-1"])
    assert bad.exit_code == 2 and "gamma_e" in bad.output
    rho0 = runner.invoke(main, ["run", "ensemble", "--rho0", "mixed"])
    assert rho0.exit_code == 2 and "initial" in rho0.output


def test_sweep_runs_the_model_with_its_own_solver(tmp_path):
    sweep = Sweep("ensemble", product(Omega=linear(1.0, 12.0, 3)),
                  fixed={"N": 8, "gamma_e": 0.05}, measures=["concurrence", "wineland"])
    ds = run_sweep(sweep, tmp_path / "e.zarr")
    assert bool(ds["ok"].all())
    for om, c in zip(ds["Omega"].values, ds["concurrence"].values, strict=True):
        out, _ = solve(N=8, gamma_e=0.05, Omega=float(om))
        assert c == pytest.approx(out["concurrence"], abs=1e-12)
