"""Reproduce huang2009: pairwise concurrences C12, C23, C13 of the three-qubit XX chain versus
the left-bath temperature (T_R = 0.1, J = 0.3, global master equation)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ._catalogue import argmax_row, sweep_figure


def reproduce(out_dir: Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    out = Path(out_dir)
    TL = np.linspace(0.0, 1.0, 11 if quick else 51)
    cols, dt = sweep_figure("huang2009", out, "T_L", TL, {"T_R=0.1": {"T_R": 0.1}},
                            ["C12", "C23", "C13"], xlabel="left bath temperature T_L [omega]",
                            ylabel="pairwise concurrence",
                            title="huang2009: three-qubit XX chain between two baths",
                            progress=progress)
    return [argmax_row("huang2009", f"{q}(T_L), T_R=0.1", "T_L", TL, cols[f"{q}[T_R=0.1]"], dt,
                       "derived (Gibbs limit, QuTiP ptrace)") for q in ("C12", "C23", "C13")]
