"""Reproduce wang2019: NESS concurrence versus T_1 with the local, global and Bloch--Redfield
master equations (T_2 = 0.1, g = 0.5)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ._catalogue import argmax_row, sweep_figure


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
    return [argmax_row("wang2019", f"C(T_1), {k}", "T_1", T1, cols[f"concurrence[{k}]"], dt,
                       "derived checks (Gibbs / product limits, QuTiP)") for k in curves]
