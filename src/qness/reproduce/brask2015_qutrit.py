"""Reproduce brask2015-qutrit: negativity versus exchange g for the qubit-qutrit machine and the
two-qubit machine (reset model, T_c = 0, T_h -> infinity; reconstruction, see
docs/catalogue/brask2015-qutrit.md).

Writes ``brask2015_qutrit_negativity.png`` and ``.csv``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..measures import negativity
from ..models import machine_models as mm
from ..steady import steadystate
from ._output import output_dir, pyplot


def reproduce(out_dir: str | Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    """Batched solves of N(g) for both machines at two cold-bath rates; PNG + CSV."""
    plt = pyplot()
    out = output_dir(out_dir)
    g = np.geomspace(1e-4, 0.1, 40 if quick else 120)
    cols: dict[str, np.ndarray] = {"g": g}
    rows = []
    fig, ax = plt.subplots(figsize=(6.0, 4.2))
    for label, spec, dims in (("qubit-qutrit", mm.SPEC_QUTRIT, [2, 3]),
                              ("qubit-qubit", mm.SPEC_BRASK, [2, 2])):
        for pc in (0.038, 0.088):
            if progress:
                progress(f"{label}, p_c = {pc}")
            t0 = time.perf_counter()
            p = spec.resolve({"g": g, "p_h": 0.01, "p_c": pc, "T_h": 1e9, "T_c": 0.0})
            N = negativity(steadystate(spec.build(p)).rho, dims, 0)
            dt = time.perf_counter() - t0
            key = f"N[{label}, p_c={pc}]"
            cols[key] = N
            ax.plot(g, N, label=key)
            k = int(np.argmax(N))
            rows.append({"computed": f"max negativity {label}, p_c={pc}",
                         "value": float(N[k]), "at": f"g={g[k]:.4g}", "seconds": round(dt, 3)})
    ax.set(xscale="log", xlabel="exchange g [E] (p_h = 0.01)", ylabel="negativity N",
           title="brask2015-qutrit: T_c = 0, T_h -> inf, reset baths")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "brask2015_qutrit_negativity.png", dpi=110)
    plt.close(fig)
    np.savetxt(out / "brask2015_qutrit_negativity.csv", np.column_stack(list(cols.values())),
               delimiter=",", fmt="%.10g", comments="# ",
               header="brask2015-qutrit (reconstruction), units of E, p_h=0.01\n"
               + ",".join(cols))
    return rows
