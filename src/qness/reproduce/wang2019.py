"""Reproduce wang2019: NESS concurrence versus T_1 with the local, global and Bloch--Redfield
master equations (T_2 = 0.1, g = 0.5), and the Bloch--Redfield steady coherence in the energy
eigenbasis versus the temperature difference at fixed mean temperature (the paper's abstract
claim: zero at equilibrium, growing monotonically with the difference)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ._catalogue import argmax_row, solve_curve, sweep_figure
from ._output import pyplot


def coherence_figure(out: Path, quick: bool) -> tuple[np.ndarray, np.ndarray, float]:
    """Energy-basis coherence and concurrence vs T_1 - T_2 at mean temperature 0.3 (Redfield);
    writes ``wang2019_coherence.png`` and ``.csv``."""
    plt = pyplot()
    t0 = time.perf_counter()
    dT = np.linspace(0.0, 0.6, 7 if quick else 25)
    res = solve_curve("wang2019", "T_1", 0.3 + dT / 2, {"master": "redfield",
                                                        "T_2": 0.3 - dT / 2})
    coh = np.asarray(res["coherence_energy_basis"], float)
    conc = np.asarray(res["concurrence"], float)
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ax.plot(dT, coh, label="l1 coherence, energy eigenbasis")
    ax2 = ax.twinx()
    ax2.plot(dT, conc, "C1--", label="concurrence (right axis)")
    ax.set(xlabel="T_1 - T_2 at (T_1 + T_2)/2 = 0.3 [omega_1]", ylabel="coherence",
           title="wang2019: Bloch-Redfield steady coherence vs temperature difference")
    ax2.set_ylabel("concurrence C")
    ax.grid(alpha=0.3)
    fig.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.45, 0.85))
    fig.tight_layout()
    fig.savefig(out / "wang2019_coherence.png", dpi=110)
    plt.close(fig)
    np.savetxt(out / "wang2019_coherence.csv", np.column_stack([dT, coh, conc]),
               delimiter=",", fmt="%.10g", comments="# ",
               header="wang2019 redfield, g=0.5, mean T=0.3\nT1_minus_T2,coherence_energy_basis,"
               "concurrence")
    return dT, coh, time.perf_counter() - t0


def reproduce(out_dir: Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    out = Path(out_dir)
    T1 = np.linspace(0.0, 1.0, 11 if quick else 41)
    curves = {m: {"master": m} for m in ("global", "local", "redfield")}
    cols, dt = sweep_figure("wang2019", out, "T_1", T1, curves, ["concurrence"],
                            xlabel="temperature of bath 1, T_1 [omega_1]",
                            ylabel="concurrence C",
                            title="wang2019: local vs global vs Redfield (T_2=0.1, g=0.5)",
                            progress=progress)
    rows = [argmax_row("wang2019", f"C(T_1), {k}", "T_1", T1, cols[f"concurrence[{k}]"], dt,
                       "derived checks (Gibbs / product limits, QuTiP)") for k in curves]
    if progress:
        progress("wang2019: Redfield coherence vs temperature difference")
    dT, coh, dt2 = coherence_figure(out, quick)
    rows.append(argmax_row("wang2019", "energy-basis coherence vs T_1 - T_2 (Redfield)",
                           "T_1-T_2", dT, coh, dt2,
                           "abstract: 0 at equilibrium, monotone in T_1 - T_2"))
    return rows
