"""Reproduce benatti2010: concurrence reached from |eg> versus T for identical atoms in one
common bath (closed form), and versus the bath correlation c (unique steady state for c < 1)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..models.thermal_models import benatti_closed_form
from ._catalogue import argmax_row, sweep_figure


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
    return [argmax_row("benatti2010", "C(T) from |eg>, c=1", "T", T,
                       cols["concurrence[omega2=omega1, c=1]"], dt,
                       "derived closed form C(T=0) = 1/2")]
