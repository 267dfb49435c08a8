"""Reproduce benatti2010: concurrence reached from |eg> versus T for identical atoms in one
common bath (closed form), and the transient concurrence of UNEQUAL atoms (omega2 = 1.2 omega1)
with and without the cross terms of the common bath (the paper's abstract claim: the secular
weak-coupling limit, which drops them, cannot entangle unequal atoms)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..models.thermal_models import benatti_closed_form, benatti_concurrence_dynamics
from ._catalogue import argmax_row, sweep_figure
from ._output import pyplot


def dynamics_figure(out: Path, quick: bool) -> tuple[np.ndarray, dict[str, np.ndarray], float]:
    """C(t) from |eg>, omega2 = 1.2, T = 0, c = 1 and c = 0; writes
    ``benatti2010_dynamics.png`` and ``.csv``."""
    plt = pyplot()
    t0 = time.perf_counter()
    t = np.linspace(0.0, 100.0, 51 if quick else 201)
    curves = {f"c={c:g}": benatti_concurrence_dynamics(t, omega2=1.2, c=c) for c in (1.0, 0.0)}
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for label, y in curves.items():
        ax.plot(t, y, label=label + (" (cross terms kept)" if label == "c=1" else
                                     " (secular limit)"))
    ax.set(xlabel="time t [1/omega1]", ylabel="concurrence C(t) from |eg>",
           title="benatti2010: unequal atoms, omega2 = 1.2, gamma = 0.05, T = 0")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "benatti2010_dynamics.png", dpi=110)
    plt.close(fig)
    np.savetxt(out / "benatti2010_dynamics.csv", np.column_stack([t, *curves.values()]),
               delimiter=",", fmt="%.10g", comments="# ",
               header="benatti2010 omega2=1.2, gamma=0.05, T=0, from |eg>\nt," + ",".join(curves))
    return t, curves, time.perf_counter() - t0


def reproduce(out_dir: Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    out = Path(out_dir)
    T = np.linspace(0.0, 1.5, 11 if quick else 31)
    curves = {"omega2=omega1, c=1": {"c": 1.0}}
    ref = {"p_S=1/2": lambda t: benatti_closed_form(1.0, t, 0.5)}
    cols, dt = sweep_figure("benatti2010", out, "T", T, curves, ["concurrence"],
                            xlabel="bath temperature T [omega1]",
                            ylabel="concurrence reached from |eg>",
                            title="benatti2010: common bath, identical atoms",
                            reference=ref, progress=progress)
    rows = [argmax_row("benatti2010", "C(T) from |eg>, c=1", "T", T,
                       cols["concurrence[omega2=omega1, c=1]"], dt,
                       "derived closed form C(T=0) = 1/2")]
    if progress:
        progress("benatti2010: transient concurrence of unequal atoms")
    t, dyn, dt2 = dynamics_figure(out, quick)
    for label, y in dyn.items():
        rows.append(argmax_row("benatti2010", f"C(t) unequal atoms, {label}", "t", t, y, dt2,
                               "abstract: entangled only beyond the secular limit"))
    return rows
