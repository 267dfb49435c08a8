"""Reproduce tacchino2018: concurrence versus the pump rate P of qubit 1 (P > gamma: negative
effective temperature) for two cold-qubit decay rates; maxima with P <= gamma and overall."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ._catalogue import argmax_row, sweep_figure


def reproduce(out_dir: Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    out = Path(out_dir)
    P = np.linspace(0.0, 1.0, 21 if quick else 101)
    curves = {"kappa=0.1": {"kappa": 0.1}, "kappa=0.2": {"kappa": 0.2}}
    cols, dt = sweep_figure("tacchino2018", out, "P", P, curves, ["concurrence"],
                            xlabel="pump rate P of qubit 1 [omega] (gamma = 0.05)",
                            ylabel="concurrence C",
                            title="tacchino2018: P > gamma is a negative temperature",
                            progress=progress)
    rows = []
    for k in curves:
        C = cols[f"concurrence[{k}]"]
        thermal = P <= 0.05
        rows.append(argmax_row("tacchino2018", f"C(P), {k}, P<=gamma (T_h>0)", "P", P[thermal],
                               C[thermal], dt, "derived"))
        rows.append(argmax_row("tacchino2018", f"C(P), {k}, all P", "P", P, C, dt, "derived"))
    return rows
