"""Reproduce arnesen2001: C(T) of the Davies steady state (= Gibbs) against the closed form,
XXX (B = 0, 0.5) and XX; headline T_c = 2J/ln 3 (units of J)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..models.thermal_models import arnesen_concurrence, arnesen_critical_temperature
from ._catalogue import argmax_row, sweep_figure


def reproduce(out_dir: Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    out = Path(out_dir)
    T = np.linspace(0.02, 2.5, 13 if quick else 40)
    curves = {"XXX, B=0": {"Delta": 1.0, "B": 0.0}, "XXX, B=0.5": {"Delta": 1.0, "B": 0.5},
              "XX, B=0": {"Delta": 0.0, "B": 0.0}}
    ref = {"XXX, B=0": lambda t: arnesen_concurrence(1.0, 1.0, 0.0, t)}
    cols, dt = sweep_figure("arnesen2001", out, "T", T, curves, ["concurrence"],
                            xlabel="temperature T [J]", ylabel="concurrence C",
                            title="arnesen2001: thermal entanglement (Davies = Gibbs)",
                            reference=ref, progress=progress)
    tc_xxx, tc_xx = arnesen_critical_temperature(1.0, 1.0), arnesen_critical_temperature(1.0, 0.0)
    rows = [argmax_row("arnesen2001", f"C(T), {k}", "T", T, cols[f"concurrence[{k}]"], dt,
                       "Davies steady state") for k in curves]
    rows.append({"model": "arnesen2001", "computed": "T_c XXX (2J/ln3 = 1.8205)",
                 "max": tc_xxx, "at": "-", "check": "closed form", "seconds": 0.0})
    rows.append({"model": "arnesen2001", "computed": "T_c XX (J/ln(1+sqrt2) = 1.1346)",
                 "max": tc_xx, "at": "-", "check": "closed form", "seconds": 0.0})
    return rows
