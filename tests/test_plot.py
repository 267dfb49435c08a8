"""Figures: phase diagram of a 2D sweep, line plot, facets, Hinton diagrams; CLI plot/info."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from qness.cli import main
from qness.errors import InvalidInputError
from qness.operators import bell_state
from qness.plot import hinton, plot_sweep, save
from qness.sweep import Sweep, linear, log, product, run_sweep, values


@pytest.fixture(scope="module")
def sweep_2d(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("plot") / "hou.zarr"
    sw = Sweep("hou2025", product(mu=linear(0.98, 0.999, 6), r=log(0.1, 3.0, 5)),
               fixed={"T": 0.0}, measures=["concurrence"], chunk_size=15)
    run_sweep(sw, store)
    return store


def test_phase_diagram_png(sweep_2d: Path, tmp_path: Path) -> None:
    import xarray as xr

    out = tmp_path / "pd.png"
    ds = xr.open_zarr(sweep_2d)
    c = ds["concurrence"].values
    assert (c > 0).any() and (c == 0).any()  # the C = 0 boundary crosses the window
    fig = plot_sweep(ds, out=out)
    assert out.exists() and out.stat().st_size > 10_000
    ax = fig.axes[0]
    assert ax.get_xlabel() == "r [lambda0 = sqrt(D/gap)]"
    assert ax.get_ylabel() == "mu [energy unit]"
    assert ax.get_xscale() == "log"
    assert len(ax.collections) >= 2  # the colour mesh and the C = 0 contour
    assert fig.axes[1].get_ylabel() == "concurrence"  # colour bar


def test_cli_plot_and_info(sweep_2d: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for suffix in (".pdf", ".svg"):
        out = tmp_path / f"fig{suffix}"
        res = runner.invoke(main, ["plot", str(sweep_2d), "--out", str(out)])
        assert res.exit_code == 0, res.output
        assert out.stat().st_size > 5_000
    res = runner.invoke(main, ["plot", str(sweep_2d), "--out", str(tmp_path / "x.jpg")])
    assert res.exit_code == 2 and "suffix" in res.output
    res = runner.invoke(main, ["info", str(sweep_2d)])
    assert res.exit_code == 0, res.output
    assert "complete" in res.output and "hou2025" in res.output and "integrity  ok" in res.output


def test_line_and_facet_plots(tmp_path: Path) -> None:
    ds1 = run_sweep(Sweep("demo", product(c=linear(0.0, 0.99, 8)), measures=["concurrence"]),
                    None)
    fig = plot_sweep(ds1, out=tmp_path / "line.png")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "c" and ax.get_ylabel() == "concurrence"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), ds1["concurrence"].values)
    ds3 = run_sweep(Sweep("demo", product(c=linear(0.5, 0.99, 3), Omega=values([0.05, 0.2]),
                                          T=values([0.0, 0.1, 0.3])),
                          measures=["concurrence"]), None)
    fig = plot_sweep(ds3, out=tmp_path / "facets.png")
    titles = [a.get_title() for a in fig.axes if a.get_title()]
    assert titles == ["T = 0", "T = 0.1", "T = 0.3"]


def test_hinton_of_a_bell_state(tmp_path: Path) -> None:
    psi = bell_state("psi-")
    psi = psi.full().ravel() if hasattr(psi, "full") else np.asarray(psi).ravel()
    rho = np.outer(psi, psi.conj())
    ax = hinton(rho)
    # four non-zero elements: two positive populations, two negative coherences
    faces = [p.get_facecolor()[:3] for p in ax.patches]
    assert len(faces) == 4
    assert sum(f == (1.0, 1.0, 1.0) for f in faces) == 2
    assert sum(f == (0.0, 0.0, 0.0) for f in faces) == 2
    assert [t.get_text() for t in ax.get_xticklabels()] == ["|ee⟩", "|eg⟩", "|ge⟩", "|gg⟩"]
    out = save(ax.figure, tmp_path / "h.png")
    assert out.stat().st_size > 3_000
    # a complex matrix is coloured by phase and gets a phase colour bar
    ax2 = hinton(np.array([[0.5, 0.25j], [-0.25j, 0.5]]))
    assert len(ax2.figure.axes) == 2
    with pytest.raises(InvalidInputError, match="square"):
        hinton(np.ones((2, 3)))
