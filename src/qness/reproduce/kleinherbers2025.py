"""Reproduce the claims of Kleinherbers, Kelly, Tserkovnyak, arXiv:2411.09865 (2025), with the
qness reconstruction ``kleinherbers2025`` (the paper's figures were not available; the curves are
this model's, checked against the closed-form steady state derived in its docstring).

Panels (steady-state concurrence of the two colour centres; G = 1e-3 in units of the qubit
frequency, equal couplings):

a. C versus the pair amplitude p = v/u for several separations r (units of the pair decay length
   l) and one temperature, with the ideal dark-state value tanh(2 r_sq) = 2p/(1+p^2);
b. C versus the separation r (the correlation kernel t = exp(-r/2l)) for several p;
c. C versus temperature for several p, with the thermal-equilibrium control (F2 aligned with
   the field: no pairs) and the inverted magnet without pair creation (p = 0), both exactly 0;
d. C versus intrinsic local T1 and pure dephasing rates (relative to G).
Every curve is one batched steady-state solve; the closed form is drawn dotted where it applies.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..models import magnon_schemes as ms
from ._output import output_dir, pyplot

REFERENCE = "Kleinherbers, Kelly, Tserkovnyak, arXiv:2411.09865 (2025)"
BASE: dict[str, Any] = {"G": 1e-3, "delta": 1.0}


def solve(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Build, solve and analyse ``kleinherbers2025`` on a broadcast parameter grid."""
    from ..steady import steadystate

    params = ms.KLEINHERBERS_SPEC.resolve({**BASE, **overrides})
    gen = ms.kleinherbers_build(params)
    state = steadystate(gen)
    return ms.kleinherbers_analyse(state, gen, params)


def _c(res: Mapping[str, Any], key: str = "concurrence") -> np.ndarray:
    return np.asarray(res[key], float)


def _write_csv(path: Path, columns: Mapping[str, Any], note: str) -> None:
    names = list(columns)
    data = np.column_stack([np.ravel(np.asarray(columns[n], float)) for n in names])
    header = (f"qness reproduce kleinherbers2025 ({REFERENCE}; qness reconstruction)\n{note}\n"
              + ",".join(names))
    np.savetxt(path, data, delimiter=",", header=header, comments="# ", fmt="%.10g")


def _row(panel: str, what: str, value: float, check: str, seconds: float) -> dict[str, Any]:
    return {"panel": panel, "computed": what, "value": float(value), "check": check,
            "seconds": round(seconds, 3)}


def compute(quick: bool) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """All curves (dict of columns per panel) and the summary rows."""
    n = 40 if quick else 160
    rows: list[dict[str, Any]] = []
    data: dict[str, Any] = {}

    t0 = time.perf_counter()
    p = np.linspace(0.0, 0.995, n)
    cases_a = {"r = 0 (ideal)": {"r": 0.0}, "r = 0.02 l": {"r": 0.02}, "r = 0.1 l": {"r": 0.1},
               "r = 0.4 l": {"r": 0.4}, "r = 0.02 l, T = 0.2 Delta": {"r": 0.02, "T": 0.2}}
    res_a = {k: solve({**v, "v_over_u": p}) for k, v in cases_a.items()}
    dt = time.perf_counter() - t0
    data["a"] = {"p": p, "ideal": 2 * p / (1 + p**2), "res": res_a}
    ideal = res_a["r = 0 (ideal)"]
    rows.append(_row("a", "max |C - tanh(2 r_sq)| at r = 0, T = 0",
                     np.max(np.abs(_c(ideal) - 2 * p / (1 + p**2))), "0", dt))
    err = max(float(np.nanmax(np.abs(_c(r) - _c(r, "concurrence_closed_form"))))
              for r in res_a.values())
    rows.append(_row("a", "max |C - closed form| (all curves)", err, "0", dt))
    c02 = _c(res_a["r = 0.02 l"])
    rows.append(_row("a", f"max C at r = 0.02 l (at p = {p[int(np.argmax(c02))]:.3f})",
                     np.max(c02), "optimum p < 1 when t < 1", dt))

    t0 = time.perf_counter()
    r = np.geomspace(1e-3, 10.0, n)
    pvals = (0.3, 0.6, 0.9)
    res_b = {f"p = {pv:g}": solve({"v_over_u": pv, "r": r}) for pv in pvals}
    dt = time.perf_counter() - t0
    data["b"] = {"r": r, "res": res_b}
    last = max(float(_c(v)[-1]) for v in res_b.values())
    rows.append(_row("b", "max C at r = 10 l (correlations lost)", last, "-> 0", dt))

    t0 = time.perf_counter()
    T = np.geomspace(1e-3, 3.0, n)
    res_c = {f"p = {pv:g}": solve({"v_over_u": pv, "T": T}) for pv in pvals}
    res_eq = {"aligned (equilibrium), r = 0.02 l": solve({"configuration": "aligned", "T": T}),
              "inverted, no pairs (p = 0)": solve({"v_over_u": 0.0, "T": T})}
    dt = time.perf_counter() - t0
    data["c"] = {"T": T, "res": res_c, "eq": res_eq}
    zero = max(float(np.max(_c(v))) for v in res_eq.values())
    rows.append(_row("c", "max C, equilibrium controls (all T)", zero, "0 exactly", dt))
    r_eq = solve({"configuration": "aligned", "T": T[:, None],
                  "r": np.array([1e-3, 0.1, 1.0, 5.0])[None, :]})
    rows.append(_row("c", "max C, aligned over (T, r) grid", np.max(_c(r_eq)), "0 exactly", dt))

    t0 = time.perf_counter()
    x = np.geomspace(1e-4, 10.0, n)
    res_d = {"local T1 (gamma1)": solve({"gamma1": x * BASE["G"]}),
             "local dephasing (gamma_phi)": solve({"gamma_phi": x * BASE["G"]})}
    dt = time.perf_counter() - t0
    data["d"] = {"x": x, "res": res_d}
    rows.append(_row("d", "C at gamma1 = 0.1 G (p = 0.6, r = 0.02 l)",
                     np.interp(0.1, x, _c(res_d["local T1 (gamma1)"])), "< ideal 0.88", dt))
    return data, rows


def plot(data: Mapping[str, Any], out: Path) -> None:
    """Four-panel figure and one CSV per panel."""
    plt = pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(9.6, 7.0))
    ax = axes[0, 0]
    a = data["a"]
    ax.plot(a["p"], a["ideal"], "k", lw=3, alpha=0.25, label="tanh(2 r_sq) = 2p/(1+p^2)")
    for label, res in a["res"].items():
        ax.plot(a["p"], _c(res), label=label)
        ax.plot(a["p"], _c(res, "concurrence_closed_form"), "k:", lw=1)
    ax.set(xlabel="pair amplitude p = v/u", ylabel="steady-state concurrence C",
           title="C vs pair creation (dotted: closed form)")
    ax = axes[0, 1]
    b = data["b"]
    for label, res in b["res"].items():
        ax.plot(b["r"], _c(res), label=label)
        ax.plot(b["r"], _c(res, "concurrence_closed_form"), "k:", lw=1)
    ax.set(xscale="log", xlabel="separation r [pair decay length l]",
           ylabel="steady-state concurrence C", title="C vs distance (T = 0)")
    ax = axes[1, 0]
    c = data["c"]
    for label, res in c["res"].items():
        ax.plot(c["T"], _c(res), label=f"inverted, {label}")
    for label, res in c["eq"].items():
        ax.plot(c["T"], _c(res), "--", lw=2, label=label)
    ax.set(xscale="log", xlabel="temperature T [Delta]", ylabel="steady-state concurrence C",
           title="C vs temperature (r = 0.02 l); equilibrium: C = 0")
    ax = axes[1, 1]
    d = data["d"]
    for label, res in d["res"].items():
        ax.plot(d["x"], _c(res), label=label)
    ax.set(xscale="log", xlabel="intrinsic rate / G", ylabel="steady-state concurrence C",
           title="local noise (p = 0.6, r = 0.02 l, T = 0)")
    for ax in axes.ravel():
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "kleinherbers2025_C.png", dpi=90)
    plt.close(fig)
    note = "G = 1e-3 Delta, equal couplings; r in units of the pair decay length l"
    _write_csv(out / "kleinherbers2025_C_vs_p.csv",
               {"p": a["p"], "ideal": a["ideal"],
                **{f"C[{k}]": _c(v) for k, v in a["res"].items()}}, note)
    _write_csv(out / "kleinherbers2025_C_vs_r.csv",
               {"r": b["r"], **{f"C[{k}]": _c(v) for k, v in b["res"].items()}}, note + ", T = 0")
    _write_csv(out / "kleinherbers2025_C_vs_T.csv",
               {"T": c["T"], **{f"C[{k}]": _c(v) for k, v in {**c["res"], **c["eq"]}.items()}},
               note + ", r = 0.02")
    _write_csv(out / "kleinherbers2025_C_vs_local_noise.csv",
               {"rate_over_G": d["x"], **{f"C[{k}]": _c(v) for k, v in d["res"].items()}},
               note + ", p = 0.6, r = 0.02, T = 0")


def reproduce(out_dir: str | Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    """Compute every panel; write the PNG figure and CSV data into ``out_dir``.

    Returns
    -------
    list of dict
        Summary rows: panel, what was computed, its value, the expected value, wall time.
    """
    out = output_dir(out_dir)
    if progress is not None:
        progress("a-d: steady-state concurrence vs pair amplitude, distance, temperature, noise")
    data, rows = compute(quick)
    if progress is not None:
        progress("figure and data")
    plot(data, out)
    return rows


__all__ = ["BASE", "compute", "plot", "reproduce", "solve"]
