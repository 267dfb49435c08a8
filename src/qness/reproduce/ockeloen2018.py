"""Reproduce the Woolley-Clerk reservoir-engineered mechanical entanglement behind
Ockeloen-Korppi et al., Nature 556, 478 (2018), arXiv:1711.01640, with ``ockeloen2018``.

Figure: steady-state log-negativity of the two mechanical modes versus G_plus/G_minus for
several mechanical bath occupations n_m (cavity kept as a mode), against the Woolley-Clerk
noiseless limit E_N = 2 artanh(G_plus/G_minus)/ln 2; the adiabatically eliminated cavity is
shown dashed for the default n_m.  Parameters are the model's illustrative defaults (units of
kappa), not the paper's calibrated values.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..models.gaussian_models import OCKELOEN, ockeloen_analyse, ockeloen_ideal
from ..steady.gaussian import solve_gaussian
from ._output import output_dir, pyplot

OCCUPATIONS = (0.0, 30.0, 300.0)


def _run(over: dict[str, Any]) -> dict[str, Any]:
    p = OCKELOEN.resolve(over)
    system = OCKELOEN.build(p)
    return ockeloen_analyse(solve_gaussian(system), system, p)


def reproduce(out_dir: str | Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    plt = pyplot()
    out = output_dir(out_dir)
    say = progress or (lambda s: None)
    Gm = float(OCKELOEN.defaults()["G_minus"])
    ratios = np.linspace(0.05, 0.95, 7 if quick else 46)
    cols: dict[str, np.ndarray] = {"G_plus_over_G_minus": ratios,
                                   "EN_ideal": 2 * np.arctanh(ratios) / np.log(2)}
    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    ax.plot(ratios, cols["EN_ideal"], "k:", label="Woolley-Clerk, gamma -> 0")
    for n_m in OCCUPATIONS:
        say(f"n_m = {n_m:g}")
        en = np.array([_run({"G_plus": float(x * Gm), "n_m": n_m})["log_negativity"]
                       for x in ratios])
        cols[f"EN_nm{n_m:g}"] = en
        ax.plot(ratios, en, label=f"qness, n_m = {n_m:g}")
    say("adiabatic elimination")
    n_def = float(OCKELOEN.defaults()["n_m"])
    cols["EN_eliminated"] = np.array([
        _run({"G_plus": float(x * Gm), "eliminate_cavity": True})["log_negativity"]
        for x in ratios])
    ax.plot(ratios, cols["EN_eliminated"], "--", lw=1, label=f"eliminated cavity, n_m = {n_def:g}")
    ax.set_xlabel("G_plus / G_minus")
    ax.set_ylabel("log-negativity E_N (ebits)")
    ax.set_title("ockeloen2018: mechanical entanglement (units of kappa)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "ockeloen2018_EN_vs_ratio.png", dpi=120)
    plt.close(fig)
    names = list(cols)
    np.savetxt(out / "ockeloen2018_EN_vs_ratio.csv", np.column_stack([cols[k] for k in names]),
               delimiter=",", header=",".join(names), comments="", fmt="%.10g")
    d = _run({})
    ideal = ockeloen_ideal(OCKELOEN.resolve())
    z = _run({"gamma": 0.0})
    return [
        {"quantity": "E_N ebits, gamma = 0", "qness": z["log_negativity"],
         "reference": ideal["log_negativity"], "source": "Woolley-Clerk 2r/ln2"},
        {"quantity": "EPR variance, gamma = 0", "qness": z["epr_variance"],
         "reference": ideal["epr_variance"], "source": "(G- - G+)/(G- + G+)"},
        {"quantity": "E_N ebits (defaults)", "qness": d["log_negativity"],
         "reference": float("nan"), "source": "paper value not available"},
        {"quantity": "EPR variance (defaults)", "qness": d["epr_variance"],
         "reference": float("nan"), "source": "paper value not available"},
    ]
