"""The command-line contracts: list/show/run/reproduce, JSON output, exit codes."""

import json

import pytest
from click.testing import CliRunner

from qness import __version__
from qness.cli import main


@pytest.fixture
def cli():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_version_and_help(cli):
    assert __version__ in cli("--version").output
    out = cli("--help").output
    for command in ("list", "show", "run", "reproduce", "sweep", "info", "plot"):
        assert command in out


def test_list_groups_the_catalogue_by_family(cli):
    out = cli("list").output
    for name in ("hou2025", "hou2025-nv", "demo", "arnesen2001", "krauter2011"):
        assert name in out
    assert "[magnon]" in out and "[A: drive + engineered dissipation]" in out


def test_show_lists_parameters_with_units_and_ranges(cli):
    out = cli("show", "hou2025").output
    for p in ("gap", "stiffness", "alpha", "mu", "T", "dim", "delta", "eta", "g", "r"):
        assert f"\n  {p} " in out
    assert "(-inf, " in out or "[" in out


def test_run_hou2025_json_contract(cli):
    res = cli("run", "hou2025", "--set", "delta=0.99", "--set", "mu=0.999", "--set", "T=0",
              "--set", "eta=0.2", "--set", "r=0.5", "--json")
    assert res.exit_code == 0
    data = json.loads(res.output)
    for key in ("concurrence", "populations", "kernel_dim", "J12"):
        assert key in data
    assert set(data["populations"]) >= {"gg", "T0", "S", "ee"}
    assert 0 < data["concurrence"] <= 0.5
    assert abs(sum(data["populations"].values()) - 1) < 1e-10
    assert data["kernel_dim"] == 1
    assert data["diagnostics"]["validated"] is True


def test_conserving_coupling_gives_zero_concurrence_via_cli(cli):
    res = cli("run", "hou2025", "--set", "eta=0", "--set", "mu=0.999", "--json")
    assert json.loads(res.output)["concurrence"] == pytest.approx(0, abs=1e-10)


def test_bad_parameter_is_a_clear_error(cli):
    res = CliRunner().invoke(main, ["run", "hou2025", "--set", "mu=2"])
    assert res.exit_code == 2
    assert "mu" in res.output and "unstable" in res.output
    res = CliRunner().invoke(main, ["run", "hou2025", "--set", "nope=1"])
    assert res.exit_code == 2 and "no parameter 'nope'" in res.output
    res = CliRunner().invoke(main, ["run", "hou2025", "--set", "mu"])
    assert res.exit_code == 2 and "key=value" in res.output
    res = CliRunner().invoke(main, ["run", "no-such-model"])
    assert res.exit_code == 2 and "unknown model" in res.output


def test_non_unique_steady_state_is_reported_not_hidden(cli):
    res = CliRunner().invoke(main, ["run", "hou2025", "--set", "r=0"])
    assert res.exit_code == 3
    assert "not unique" in res.output and "kernel dimension 2" in res.output
    ok = cli("run", "hou2025", "--set", "r=0", "--rho0", "mixed", "--json")
    assert json.loads(ok.output)["kernel_dim"] == 2


def test_gaussian_models_run(cli):
    data = json.loads(cli("run", "krauter2011", "--json").output)
    assert data["log_negativity"] > 0 and data["epr_variance"] < 1


def test_reproduce_writes_figures_and_data(cli, tmp_path):
    res = cli("reproduce", "hou2025", "--out", str(tmp_path), "--quick", "--quiet")
    assert res.exit_code == 0
    pngs = list(tmp_path.glob("*.png"))
    assert len(pngs) >= 3 and all(p.stat().st_size > 10_000 for p in pngs)
    assert list(tmp_path.glob("*.csv"))
    assert "max_C" in res.output
    bad = CliRunner().invoke(main, ["reproduce", "nothing"])
    assert bad.exit_code == 2 and "available" in bad.output


def _reproducible_names():
    from qness.cli import reproducible

    return sorted(reproducible())


@pytest.mark.parametrize("name", _reproducible_names())
def test_every_reproduce_script_runs(name, tmp_path):
    """Each ``qness reproduce NAME`` (quick mode) writes a non-trivial figure and a summary."""
    res = CliRunner().invoke(main, ["reproduce", name, "--out", str(tmp_path), "--quick",
                                    "--quiet"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    pngs = list(tmp_path.glob("*.png"))
    assert pngs and all(p.stat().st_size > 5_000 for p in pngs)
    assert "figures and data written" in res.output
