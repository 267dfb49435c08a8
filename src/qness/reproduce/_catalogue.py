"""Shared helper for the catalogue reproduce scripts of families B1/B2: one batched sweep per
curve, one PNG figure and one CSV per model."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._output import pyplot


def solve_curve(name: str, x_name: str, x: np.ndarray, overrides: Mapping[str, Any],
                options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Solve model ``name`` along ``x_name = x`` (one batched build and solve); the analyse
    dict with numpy arrays."""
    from ..models import get
    from ..steady import steadystate

    spec = get(name)
    params = spec.resolve({**overrides, x_name: np.asarray(x, float)})
    gen = spec.build(params)
    opts = {**spec.solver_options, **(options or {})}
    rho0 = gen.info.get("rho0")
    state = steadystate(gen, rho0=rho0, **opts)
    return spec.analyse(state, gen, params)


def sweep_figure(
    name: str,
    out: Path,
    x_name: str,
    x: np.ndarray,
    curves: Mapping[str, Mapping[str, Any]],
    quantities: Sequence[str],
    *,
    xlabel: str,
    ylabel: str,
    title: str,
    reference: Mapping[str, Callable[[np.ndarray], np.ndarray]] | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[str, np.ndarray], float]:
    """Sweep ``x`` for each curve (label -> parameter overrides), plot ``quantities`` and the
    optional closed-form ``reference`` curves; write ``<name>.png`` and ``<name>.csv``."""
    plt = pyplot()

    t0 = time.perf_counter()
    columns: dict[str, np.ndarray] = {x_name: np.asarray(x, float)}
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for label, ov in curves.items():
        if progress:
            progress(f"{name}: {label}")
        res = solve_curve(name, x_name, x, ov)
        for q in quantities:
            y = np.asarray(res[q], float)
            columns[f"{q}[{label}]"] = y
            ax.plot(x, y, label=f"{q} ({label})" if len(quantities) > 1 else label)
    for label, fn in (reference or {}).items():
        y = np.asarray(fn(np.asarray(x, float)), float)
        columns[f"closed_form[{label}]"] = y
        ax.plot(x, y, "k:", lw=1.2, label=f"closed form ({label})")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / f"{name}.png", dpi=110)
    plt.close(fig)
    names = list(columns)
    data = np.column_stack([columns[k] for k in names])
    np.savetxt(out / f"{name}.csv", data, delimiter=",", header=",".join(names), comments="# ",
               fmt="%.10g")
    return columns, time.perf_counter() - t0


def argmax_row(name: str, what: str, x_name: str, x: np.ndarray, y: np.ndarray,
               seconds: float, source: str) -> dict[str, Any]:
    """Summary row: the maximum of ``y`` and where it is."""
    k = int(np.nanargmax(y))
    return {"model": name, "computed": what, "max": float(y[k]),
            "at": f"{x_name}={float(x[k]):.4g}", "check": source, "seconds": round(seconds, 3)}
