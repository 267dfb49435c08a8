"""Reproduce quiroga2007: NESS concurrence versus the temperature of bath 1 at fixed T_2,
global master equation against the derived closed form, and the equilibrium concurrence at the
mean temperature (a gradient enhances or suppresses the entanglement, as the abstract says)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..models.twobath_models import quiroga_closed_form
from ._catalogue import argmax_row, sweep_figure


def reproduce(out_dir: Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    out = Path(out_dir)
    T1 = np.linspace(0.0, 1.0, 11 if quick else 51)
    curves = {"T_2=0": {"T_2": 0.0}, "T_2=0.2": {"T_2": 0.2}}
    ref = {"T_2=0": lambda t: quiroga_closed_form(1.0, 0.5, t, 0.0, omega_c=10.0)}
    cols, dt = sweep_figure("quiroga2007", out, "T_1", T1, curves,
                            ["concurrence", "concurrence_equilibrium_mean_T"],
                            xlabel="temperature of bath 1, T_1 [omega]", ylabel="concurrence C",
                            title="quiroga2007: two XX qubits, two baths (g=0.5, global ME)",
                            reference=ref, progress=progress)
    return [argmax_row("quiroga2007", f"C(T_1), {k}", "T_1", T1, cols[f"concurrence[{k}]"], dt,
                       "derived closed form") for k in curves]
