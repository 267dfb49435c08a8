"""The ``qness`` command line: list | show | run | reproduce.

Every command validates its input and reports problems as one clear line on stderr with a
non-zero exit status (2: bad input, 3: solver failure), never a traceback.
"""

from __future__ import annotations

import json
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

import click
import numpy as np

from . import __version__
from .errors import InvalidInputError, NonUniqueSteadyStateError, SolverError


def reproducible() -> dict[str, str]:
    """Map ``qness reproduce NAME`` to its module (see :func:`qness.reproduce.available`)."""
    from .reproduce import available

    return available()


def _fail(msg: str, code: int) -> None:
    click.echo(f"error: {msg}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qness")
def main() -> None:
    """qness: steady-state entanglement in open quantum systems.

    Describe qubits and their baths, derive the master equation, find the validated steady state
    and quantify its entanglement.  Start with `qness list`.
    """


@main.command("list")
def list_models() -> None:
    """List the model catalogue, grouped by family."""
    from .models import all_models

    family = None
    for spec in all_models():
        if spec.family != family:
            family = spec.family
            click.echo(f"\n[{family}]")
        click.echo(f"  {spec.name:<22} {spec.title}")


@main.command("show")
@click.argument("name")
def show(name: str) -> None:
    """Print a model: reference, parameters (units, defaults, ranges) and description."""
    from .models import get

    try:
        spec = get(name)
    except InvalidInputError as exc:
        _fail(str(exc), 2)
    click.echo(f"{spec.name}: {spec.title}")
    click.echo(f"reference: {spec.reference}\n")
    rows = [("parameter", "default", "unit", "allowed", "description")]
    rows += [(p.name, str(p.default), p.unit, p.range_text(), p.description)
             for p in spec.parameters]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        click.echo("  " + "  ".join(f"{r[i]:<{widths[i]}}" for i in range(4)) + "  " + r[4])
    if spec.doc:
        click.echo("\n" + spec.doc.strip())


def _initial_state(text: str | None, dim: int) -> np.ndarray | None:
    if text is None:
        return None
    if text == "mixed":
        return np.eye(dim) / dim
    if text.startswith("basis:"):
        try:
            k = int(text.split(":", 1)[1])
        except ValueError:
            raise InvalidInputError(f"--rho0 basis:K needs an integer K, got {text!r}") from None
        if not 0 <= k < dim:
            raise InvalidInputError(f"--rho0 basis:K needs 0 <= K < {dim}, got {k}")
        rho = np.zeros((dim, dim), complex)
        rho[k, k] = 1
        return rho
    raise InvalidInputError(f"--rho0 must be 'mixed' or 'basis:K', got {text!r}")


def solve_model(name: str, overrides: dict[str, Any], *, method: str = "auto",
                rho0: str | None = None) -> dict[str, Any]:
    """Resolve parameters, build, solve and analyse a registered model; JSON-ready dict."""
    from .models import get, json_ready
    from .steady import steadystate

    spec = get(name)
    params = spec.resolve(overrides)
    gen = spec.build(params)
    options = {k: v for k, v in spec.solver_options.items() if k != "solver"}
    if spec.solver_options.get("solver") == "gaussian":
        # quadratic bosonic models: covariance matrix from the Lyapunov equation
        from .steady.gaussian import solve_gaussian

        gss = solve_gaussian(gen)
        out = {"model": name, "parameters": params, **spec.analyse(gss, gen, params)}
        out.setdefault("diagnostics", gss.diagnostics())
        return json_ready(out)
    if spec.solve is not None:
        # the model brings its own solver (e.g. the permutation-invariant Dicke basis)
        if rho0 is not None:
            raise InvalidInputError(f"model {name!r} sets its initial state through its "
                                    "parameters (see `qness show`), not --rho0")
        ss = spec.solve(gen, params)
    else:
        if method != "auto":
            options["method"] = method
        initial = _initial_state(rho0, gen.dim)
        if initial is None:
            initial = gen.info.get("rho0")  # a model may name the relevant initial state
        ss = steadystate(gen, rho0=initial, **options)
    result = spec.analyse(ss, gen, params)
    diagnostics = {
        "residual": ss.residual, "trace_error": ss.trace_error,
        "hermiticity_error": ss.hermiticity_error, "min_eigenvalue": ss.min_eigenvalue,
        "kernel_dim": ss.kernel_dim, "method": ss.method, "wall_time_s": ss.wall_time,
        "validated": ss.ok,
    }
    out = {"model": name, "parameters": params, **result}
    out.setdefault("kernel_dim", ss.kernel_dim)
    out["diagnostics"] = diagnostics
    return json_ready(out)


def _print_human(result: dict[str, Any], indent: str = "") -> None:
    for key, value in result.items():
        if isinstance(value, dict):
            click.echo(f"{indent}{key}:")
            _print_human(value, indent + "  ")
        elif isinstance(value, float):
            click.echo(f"{indent}{key:<20} {value:.6g}")
        elif isinstance(value, list) and value and isinstance(value[0], list):
            click.echo(f"{indent}{key}:")
            for row in value:
                click.echo(f"{indent}  " + "  ".join(
                    f"{x:>12.5g}" if isinstance(x, float) else f"{x!s:>12}" for x in row))
        else:
            click.echo(f"{indent}{key:<20} {value}")


@main.command("run")
@click.argument("name")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Override a parameter (repeatable); `qness show NAME` lists them.")
@click.option("--method", type=click.Choice(["auto", "dense", "sparse", "iterative"]),
              default="auto", show_default=True, help="Steady-state solver.")
@click.option("--rho0", default=None, metavar="mixed|basis:K",
              help="Initial state: if the steady state is not unique, report the state reached "
                   "from it instead of failing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def run(name: str, assignments: tuple[str, ...], method: str, rho0: str | None,
        as_json: bool) -> None:
    """Solve model NAME and print its steady-state measures with solver diagnostics."""
    from .models import parse_assignments

    try:
        result = solve_model(name, parse_assignments(list(assignments)), method=method,
                             rho0=rho0)
    except NonUniqueSteadyStateError as exc:
        _fail(f"{exc} (kernel dimension {exc.kernel_dim}; use --rho0)", 3)
    except SolverError as exc:
        _fail(str(exc), 3)
    except InvalidInputError as exc:
        _fail(str(exc), 2)
    if as_json:
        click.echo(json.dumps(result, indent=None))
    else:
        _print_human(result)


@main.command("reproduce")
@click.argument("name")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Output folder for figures and data [default: ./qness-out/NAME]")
@click.option("--quick", is_flag=True, help="Coarser grids (for a fast check).")
@click.option("--quiet", is_flag=True, help="No progress output.")
def reproduce(name: str, out_dir: Path | None, quick: bool, quiet: bool) -> None:
    """Recompute a paper's figures and data into an output folder and print a summary."""
    import time

    modules = reproducible()
    if name not in modules:
        _fail(f"nothing to reproduce for {name!r}; available: {', '.join(sorted(modules))}", 2)
    module = import_module(modules[name])
    out_dir = Path("qness-out") / name if out_dir is None else out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    def progress(step: str) -> None:
        if not quiet:
            click.echo(f"[{time.perf_counter() - t0:7.1f} s] {step}", err=True)

    try:
        rows = module.reproduce(out_dir, progress=progress, quick=quick)
    except InvalidInputError as exc:
        _fail(str(exc), 2)
    except SolverError as exc:
        _fail(str(exc), 3)
    _print_summary(rows)
    click.echo(f"\nfigures and data written to {out_dir.resolve()} "
               f"({time.perf_counter() - t0:.1f} s)")


def _print_summary(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    keys = list(rows[0])
    widths = {k: max(len(k), *(len(_fmt(r.get(k))) for r in rows)) for k in keys}
    click.echo("\n" + "  ".join(k.ljust(widths[k]) for k in keys))
    click.echo("  ".join("-" * widths[k] for k in keys))
    for r in rows:
        click.echo("  ".join(_fmt(r.get(k)).ljust(widths[k]) for k in keys))


def _fmt(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return f"{v:.4g}"
    return str(v)


def _register_optional_commands() -> None:
    """Attach command groups that live with their feature (e.g. ``qness.sweep.commands``)."""
    for mod_name in ("qness.sweep.commands",):
        try:
            mod = import_module(mod_name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and mod_name.startswith(exc.name):
                continue  # feature not present in this build
            raise
        for command in getattr(mod, "COMMANDS", ()):
            main.add_command(command)


_register_optional_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
