"""Reproduce the dissipative EPR steady state of Krauter et al., PRL 107, 080503 (2011),
arXiv:1006.4344, with the ``krauter2011`` Gaussian model.

Figure: steady-state EPR variance versus the local-noise ratio gamma/Gamma for several nu/mu,
qness (Lyapunov solve) against the closed form [Gamma exp(-2r) + gamma(2n+1)]/(Gamma + gamma);
the entanglement boundary Delta_EPR = 1 is marked.  The paper's quoted value is not reproduced
(not available here, see the model docstring); the defaults are illustrative.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..models.gaussian_models import KRAUTER, krauter_closed_form
from ..steady.gaussian import solve_gaussian
from ._output import output_dir, pyplot

RATIOS = (0.2, 0.5, 0.8)


def _curve(q: float, ratios: np.ndarray, n: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from ..measures.gaussian import epr_variance, log_negativity

    epr, en, cf = [], [], []
    for g in ratios:
        p = KRAUTER.resolve({"nu_over_mu": q, "gamma": float(g), "n": n})
        V = solve_gaussian(KRAUTER.build(p)).covariance
        epr.append(float(epr_variance(V)))
        en.append(float(log_negativity(V, 0)))
        cf.append(krauter_closed_form(p)["epr_variance"])
    return np.array(epr), np.array(en), np.array(cf)


def reproduce(out_dir: str | Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    plt = pyplot()
    out = output_dir(out_dir)
    say = progress or (lambda s: None)
    n = float(KRAUTER.defaults()["n"])
    ratios = np.linspace(0, 2, 9 if quick else 81)
    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    cols: dict[str, np.ndarray] = {"gamma_over_Gamma": ratios}
    rows: list[dict[str, Any]] = []
    for q in RATIOS:
        say(f"nu/mu = {q}")
        epr, en, cf = _curve(q, ratios, n)
        ax.plot(ratios, epr, label=f"qness, nu/mu = {q}")
        ax.plot(ratios, cf, "k:", lw=1)
        cols[f"epr_q{q}"], cols[f"EN_q{q}"], cols[f"epr_closed_q{q}"] = epr, en, cf
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_xlabel("local noise gamma / Gamma")
    ax.set_ylabel("EPR variance (vacuum = 1)")
    ax.set_title(f"krauter2011: dissipative EPR state (n = {n:g}); dotted: closed form")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "krauter2011_epr_vs_noise.png", dpi=120)
    plt.close(fig)
    names = list(cols)
    np.savetxt(out / "krauter2011_epr_vs_noise.csv", np.column_stack([cols[k] for k in names]),
               delimiter=",", header=",".join(names), comments="", fmt="%.10g")
    p = KRAUTER.resolve()
    V = solve_gaussian(KRAUTER.build(p)).covariance
    from ..measures.gaussian import epr_variance, log_negativity

    cf = krauter_closed_form(p)
    rows.append({"quantity": "EPR variance (defaults)", "qness": float(epr_variance(V)),
                 "reference": cf["epr_variance"], "source": "closed form (derived)"})
    rows.append({"quantity": "E_N ebits (defaults)", "qness": float(log_negativity(V, 0)),
                 "reference": cf["log_negativity"], "source": "closed form (derived)"})
    p0 = KRAUTER.resolve({"gamma": 0.0})
    V0 = solve_gaussian(KRAUTER.build(p0)).covariance
    rows.append({"quantity": "EPR variance, gamma = 0", "qness": float(epr_variance(V0)),
                 "reference": cf["epr_variance_ideal"], "source": "ideal TMSV (1-q)/(1+q)"})
    return rows
