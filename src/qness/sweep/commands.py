"""``qness sweep | info | plot`` (attached to the main CLI by ``qness.cli``).

Exit status: 0 success, 2 bad input (sweep file, store mismatch or damage), 3 solver failure.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import InvalidInputError, SolverError


def _fail(msg: str, code: int = 2) -> None:
    click.echo(f"error: {msg}", err=True)
    sys.exit(code)


@click.command("sweep")
@click.argument("spec_file", metavar="SPEC.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Zarr store to write (a directory, e.g. results.zarr).")
@click.option("--executor", type=click.Choice(["batched", "processes", "dask"]), default=None,
              help="Where chunks run [default: the file's run.executor, else batched].")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (processes executor, local dask cluster).")
@click.option("--address", default=None, metavar="tcp://HOST:PORT",
              help="Existing dask scheduler (e.g. from dask-jobqueue on SLURM/PBS).")
@click.option("--resume", is_flag=True, help="Continue an interrupted sweep in --out.")
@click.option("--overwrite", is_flag=True, help="Replace an existing store.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
def sweep(spec_file: Path, out: Path, executor: str | None, workers: int | None,
          address: str | None, resume: bool, overwrite: bool, quiet: bool) -> None:
    """Run the parameter sweep described by SPEC.toml into a Zarr store.

    The store is written chunk by chunk; an interrupted sweep (killed, power loss, a worker
    lost) continues with --resume and recomputes only the missing chunks.  A store that holds a
    different sweep or is damaged is refused.  On a cluster: start a dask scheduler (e.g.
    dask_jobqueue.SLURMCluster) and pass --executor dask --address tcp://host:port.
    """
    from ..config import load_sweep
    from .run import run_sweep

    if resume and overwrite:
        _fail("--resume and --overwrite exclude each other")
    try:
        spec, run_cfg = load_sweep(spec_file)
        ex = executor or run_cfg.executor
        addr = address or run_cfg.address
        if addr and ex != "dask":
            if executor is None:
                ex = "dask"
            else:
                _fail("--address is only used with --executor dask")
        ds = run_sweep(spec, out, executor=ex, workers=workers or run_cfg.workers,
                       address=addr, resume=resume, overwrite=overwrite, quiet=quiet)
    except SolverError as exc:
        _fail(str(exc), 3)
    except InvalidInputError as exc:
        _fail(str(exc), 2)
    if not quiet:
        failed = int(ds.attrs.get("failed_points", 0))
        click.echo(f"wrote {out} ({dict(ds.sizes)}; {failed} point(s) failed validation)")


@click.command("info")
@click.argument("store", type=click.Path(path_type=Path))
@click.option("--no-verify", is_flag=True, help="Skip the chunk checksum verification.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def info(store: Path, no_verify: bool, as_json: bool) -> None:
    """Describe a sweep store: model, grid, measures, completeness and integrity."""
    from .store import store_info

    try:
        data = store_info(store, verify=not no_verify)
    except InvalidInputError as exc:
        _fail(str(exc), 2)
    if as_json:
        click.echo(json.dumps(data, default=str))
        return
    _print_info(data)
    if data["problems"]:
        sys.exit(2)


def _print_info(d: dict[str, Any]) -> None:
    spec = d["spec"]
    click.echo(f"store      {d['path']}")
    click.echo(f"model      {d['model']}   fixed: {json.dumps(spec['parameters'])}")
    grid = spec["grid"]
    click.echo(f"grid       {grid['kind']}  dims {d['dims']}")
    for name, ax in grid["axes"].items():
        click.echo(f"  {name:<10} {json.dumps(ax)}")
    if grid.get("refine"):
        click.echo(f"  refine     {json.dumps(grid['refine'])}")
    click.echo(f"measures   {', '.join(d['measures'])}")
    total = d["tasks_total"]
    pct = f" ({100 * d['tasks_done'] / total:.1f} %)" if total else ""
    click.echo(f"chunks     {d['tasks_done']} done" + (f" of {total}{pct}" if total else
                                                      f" (per level {d['tasks_done_per_level']})"))
    click.echo(f"points     {d['points_done']} computed of {d['points_total']}")
    click.echo(f"status     {'complete' if d['complete'] else 'INCOMPLETE (resume with --resume)'}"
               + (f", finished {d['finished']} in {d['wall_time_s']:.1f} s"
                  if d["complete"] else ""))
    if d["complete"]:
        click.echo(f"failed     {d['failed_points']} point(s) not validated")
        for msg, n in (d["warnings"] or {}).items():
            click.echo(f"warning    {n} x {msg}")
    click.echo(f"created    {d['created']}")
    if d["problems"]:
        click.echo("integrity  DAMAGED:")
        for p in d["problems"]:
            click.echo(f"  - {p}")
    else:
        click.echo("integrity  ok (every finished chunk matches its checksum)")


@click.command("plot")
@click.argument("store", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Figure file (.png, .pdf or .svg).")
@click.option("--var", "var", default=None, help="Measure to plot [default: concurrence or the "
              "first measure].")
@click.option("--dpi", type=click.IntRange(min=30), default=200, show_default=True)
def plot(store: Path, out: Path, var: str | None, dpi: int) -> None:
    """Plot a sweep: lines (1D), phase diagram with the C = 0 contour (2D), facets (more)."""
    import xarray as xr

    from ..plot import plot_sweep

    try:
        ds = xr.open_zarr(store)
        plot_sweep(ds, var=var, out=out, dpi=dpi)
    except InvalidInputError as exc:
        _fail(str(exc), 2)
    except (OSError, ValueError, KeyError) as exc:
        _fail(f"cannot plot {store}: {exc}", 2)
    click.echo(f"wrote {out}")


COMMANDS = [sweep, info, plot]
