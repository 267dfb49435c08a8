"""Shared reproduce script of the reduced Bell-pump models (``lin2013``, ``shankar2013``):
target Bell fidelity versus dephasing gamma_phi / Gamma (solver and closed form) and with qubit
T1 added.  Writes ``<name>_fidelity.png`` and ``.csv``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..models import drive_models as dm
from ..steady import steadystate
from ._output import output_dir, pyplot


def fidelity(spec: Any, gamma_phi: float, gamma1: float) -> float:
    p = spec.resolve({"gamma_phi": gamma_phi, "gamma1": gamma1})
    gen = spec.build(p)
    return float(dm.analyse_pump(steadystate(gen), gen, p)["fidelity"])


def reproduce_pump(spec: Any, out_dir: str | Path,
                   progress: Callable[[str], None] | None = None,
                   quick: bool = False) -> list[dict[str, Any]]:
    """F versus gamma_phi for gamma1 = 0 (with the closed form) and gamma1 = 0.05; PNG + CSV."""
    plt = pyplot()
    out = output_dir(out_dir)
    if progress:
        progress("F vs gamma_phi / Gamma")
    t0 = time.perf_counter()
    gphi = np.geomspace(1e-4, 1.0, 20 if quick else 60)
    f0 = np.array([fidelity(spec, x, 0.0) for x in gphi])
    f1 = np.array([fidelity(spec, x, 0.05) for x in gphi])
    closed = dm.pump_fidelity_dephasing(1.0, gphi)
    dt = time.perf_counter() - t0
    fig, ax = plt.subplots(figsize=(6.0, 4.2))
    ax.semilogx(gphi, f0, "-", label="solver, gamma1 = 0")
    ax.semilogx(gphi, closed, "k:", label="closed form (G + 2 g_phi)/(G + 6 g_phi)")
    ax.semilogx(gphi, f1, "--", label="solver, gamma1 = 0.05 Gamma")
    ax.set(xlabel="dephasing gamma_phi / Gamma", ylabel="target Bell fidelity F",
           title=f"{spec.name} (reduced effective model, target " + spec.build(
               spec.resolve({})).info["target"] + ")")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / f"{spec.name}_fidelity.png", dpi=110)
    plt.close(fig)
    np.savetxt(out / f"{spec.name}_fidelity.csv", np.column_stack([gphi, f0, closed, f1]),
               delimiter=",", fmt="%.10g", comments="# ",
               header=f"{spec.name} reduced model, units of Gamma\n"
               "gamma_phi,F_gamma1_0,F_closed_form,F_gamma1_0.05")
    return [{"computed": "max |F_solver - F_closed| (gamma1 = 0)",
             "value": float(np.max(np.abs(f0 - closed))), "seconds": round(dt, 3)},
            {"computed": "F at default point", "value": fidelity(
                spec, float(spec.resolve({})["gamma_phi"]), 0.0), "seconds": 0.0}]
