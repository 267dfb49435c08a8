"""Reproduce brask2015: concurrence of the two-qubit reset machine over (g, p_c) at T_c = 0,
T_h -> infinity, with the closed-form optimum (derived; see docs/catalogue/brask2015.md).

Writes ``brask2015_C_map.png`` and ``brask2015_C_map.csv``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

from ..measures import concurrence
from ..models import machine_models as mm
from ..steady import steadystate
from ._output import output_dir, pyplot


def closed_form_optimum() -> tuple[float, float, float]:
    """Maximal closed-form concurrence (T_c = 0, r_h = 1/2) and the optimal g/p_h, p_c/p_h."""
    def neg(x: np.ndarray) -> float:
        g, pc = np.exp(x)
        return -float(mm.brask_reset_closed_form(g, 1.0, pc, 0.5, 0.0)["concurrence"])
    best = min((minimize(neg, x0, method="Nelder-Mead",
                         options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000})
                for x0 in [(0.0, 1.0), (1.0, 3.0)]), key=lambda r: r.fun)
    g, pc = np.exp(best.x)
    return -float(best.fun), float(g), float(pc)


def reproduce(out_dir: str | Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    """Batched solve of C over a log grid of g/p_h and p_c/p_h; PNG + CSV; summary rows."""
    plt = pyplot()
    out = output_dir(out_dir)
    n = 25 if quick else 60
    if progress:
        progress("C over (g/p_h, p_c/p_h), reset model, T_c = 0, T_h = 1e9")
    t0 = time.perf_counter()
    g = np.geomspace(0.05, 20, n)
    pc = np.geomspace(0.1, 100, n)
    spec = mm.SPEC_BRASK
    p = spec.resolve({"g": 0.01 * g[:, None], "p_c": 0.01 * pc[None, :], "p_h": 0.01,
                      "T_h": 1e9, "T_c": 0.0})
    ss = steadystate(spec.build(p))
    C = concurrence(ss.rho)
    dt = time.perf_counter() - t0
    c_opt, g_opt, pc_opt = closed_form_optimum()
    fig, ax = plt.subplots(figsize=(6.0, 4.6))
    im = ax.pcolormesh(pc, g, C, shading="auto", cmap="viridis")
    ax.plot([pc_opt], [g_opt], "r*", ms=12, label=f"closed-form optimum C = {c_opt:.4f}")
    ax.set(xscale="log", yscale="log", xlabel="p_c / p_h", ylabel="g / p_h",
           title="brask2015: concurrence (reset model, T_c = 0, T_h -> inf)")
    fig.colorbar(im, ax=ax, label="concurrence C")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "brask2015_C_map.png", dpi=110)
    plt.close(fig)
    gg, pp = np.meshgrid(g, pc, indexing="ij")
    np.savetxt(out / "brask2015_C_map.csv", np.column_stack([gg.ravel(), pp.ravel(), C.ravel()]),
               delimiter=",", fmt="%.10g", header="brask2015 reset model, T_c=0, T_h=1e9, "
               "units of p_h\ng_over_p_h,p_c_over_p_h,concurrence", comments="# ")
    return [{"computed": "max C on grid (solver)", "value": float(C.max()),
             "source": "qness", "seconds": round(dt, 3)},
            {"computed": "max C closed form (derived)", "value": c_opt,
             "source": f"derived, at g/p_h={g_opt:.3g}, p_c/p_h={pc_opt:.3g}", "seconds": 0.0}]


__all__ = ["closed_form_optimum", "reproduce"]
