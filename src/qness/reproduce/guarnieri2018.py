"""Reproduce guarnieri2018: l1 steady-state coherence of a qubit with composite coupling
versus temperature for three coupling angles (Bloch--Redfield with principal values)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ._catalogue import argmax_row, sweep_figure


def reproduce(out_dir: Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    out = Path(out_dir)
    T = np.linspace(0.2, 3.0, 5 if quick else 12)
    curves = {f"theta={k}pi/8": {"theta": k * np.pi / 8} for k in (1, 2, 3)}
    cols, dt = sweep_figure("guarnieri2018", out, "T", T, curves, ["l1_coherence"],
                            xlabel="bath temperature T [omega]", ylabel="l1 coherence",
                            title="guarnieri2018: coherence from composite coupling "
                                  "(alpha=0.01)", progress=progress)
    return [argmax_row("guarnieri2018", f"C_l1(T), {k}", "T", T, cols[f"l1_coherence[{k}]"],
                       dt, "derived: ~sin(2 theta), grows as T falls") for k in curves]
