"""Reproduce ullah2021: concurrence of two driven spins in a common magnon bath versus the drive
Omega for several thermal occupations, with the zero-temperature Puri-Lawande closed form.

Writes ``ullah2021_C_vs_Omega.png`` and ``.csv``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..measures import concurrence
from ..models import drive_models as dm
from ..steady import steadystate
from ._output import output_dir, pyplot


def reproduce(out_dir: str | Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    """C(Omega) for n_th = 0, 0.1, 0.5, 2 and the Puri-Lawande curve; PNG + CSV."""
    plt = pyplot()
    out = output_dir(out_dir)
    Om = np.geomspace(0.02, 10, 30 if quick else 100)
    cols: dict[str, np.ndarray] = {"Omega": Om}
    rows = []
    fig, ax = plt.subplots(figsize=(6.0, 4.2))
    t0 = time.perf_counter()
    for n in (0.0, 0.1, 0.5, 2.0):
        if progress:
            progress(f"C vs Omega, n_th = {n}")
        C = []
        for om in Om:
            p = dm.SPEC_ULLAH.resolve({"Omega": om, "n_th": n})
            gen = dm.SPEC_ULLAH.build(p)
            C.append(float(concurrence(steadystate(gen, rho0=gen.info["rho0"]).rho)))
        C = np.array(C)
        cols[f"C[n_th={n}]"] = C
        ax.semilogx(Om, C, label=f"n_th = {n:g}")
        k = int(np.argmax(C))
        rows.append({"computed": f"max C, n_th={n}", "value": float(C[k]),
                     "at": f"Omega={Om[k]:.3g}", "seconds": round(time.perf_counter() - t0, 3)})
    pl = np.array([float(concurrence(dm.puri_lawande_state(om, 1.0))) for om in Om])
    cols["C[Puri-Lawande]"] = pl
    ax.semilogx(Om, pl, "k:", label="Puri-Lawande closed form (n_th = 0)")
    ax.set(xlabel="drive Omega [gamma]", ylabel="concurrence C",
           title="ullah2021 (reconstruction): common magnon bath, gamma_l = 0")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "ullah2021_C_vs_Omega.png", dpi=110)
    plt.close(fig)
    np.savetxt(out / "ullah2021_C_vs_Omega.csv", np.column_stack(list(cols.values())),
               delimiter=",", fmt="%.10g", comments="# ",
               header="ullah2021 reconstruction, units of gamma\n" + ",".join(cols))
    rows.append({"computed": "max |C_solver - C_PuriLawande| (n_th = 0)",
                 "value": float(np.max(np.abs(cols["C[n_th=0.0]"] - pl))), "seconds": 0.0})
    return rows
