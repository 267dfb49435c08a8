"""Reproduce the claims of Zou, Zhang, Tserkovnyak, Phys. Rev. B 106, L180406 (2022),
arXiv:2108.07365, with the qness reconstruction ``zou2022`` (the paper's figures were not
available; the curves are this model's, checked against closed forms derived in its docstring).

Panels:

a. concurrence C(t) from |eg> for several qubit distances r (magnon bath, 2D film, qubits in the
   band at Delta = 1.2 eps0, T = 0): the long-lived plateau C = 1/2 and its decay after
   t ~ 1/(Gamma - |Gamma_12|), against the closed form |e^{-(G-G12)t} - e^{-(G+G12)t}|/2;
b. C(t) for given correlation ratios Gamma_12/Gamma (phenomenological bath), including the
   perfectly correlated case (a dark singlet: the plateau never decays);
c. post-selected concurrence versus detuning / Gamma_12 across the exceptional point: the slowest
   no-jump mode (numerical and closed form min(1, |G12|/|d|)) and the range of the post-selected
   C(t) from |eg> over a late time window (converged in the PT-broken phase, oscillating in the
   PT-symmetric one);
d. the no-jump eigenvalues (decay rates and frequencies) versus detuning: the EP at |d| = |G12|;
plus checks: the steady state is the product GGE (C = 0) for every T, mu, r; the single-excitation
post-selection of the full master equation equals the no-jump evolution at T = 0.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..models import magnon_schemes as ms
from ._output import pyplot, run_panels

REFERENCE = "Zou, Zhang, Tserkovnyak, PRB 106, L180406 (2022), arXiv:2108.07365"
#: Phenomenological rates of panels b-d (energy unit: the gap; only ratios matter).
GAMMA = 1e-4


def _write_csv(path: Path, columns: Mapping[str, Any], note: str) -> None:
    names = list(columns)
    data = np.column_stack([np.ravel(np.asarray(columns[n], float)) for n in names])
    header = f"qness reproduce zou2022 ({REFERENCE}; qness reconstruction)\n{note}\n" + \
        ",".join(names)
    np.savetxt(path, data, delimiter=",", header=header, comments="# ", fmt="%.10g")


def _row(panel: str, what: str, value: float, check: str, seconds: float) -> dict[str, Any]:
    return {"panel": panel, "computed": what, "value": float(value), "check": check,
            "seconds": round(seconds, 3)}


def _build(overrides: Mapping[str, Any]):
    params = ms.ZOU_SPEC.resolve(dict(overrides))
    return ms.zou_build(params), params


def _closed_form_ct(gam: np.ndarray, g12: np.ndarray, t: np.ndarray) -> np.ndarray:
    """C(t) from |eg> at T = 0, no detuning, no J12: |e^{-(G-|G12|)t} - e^{-(G+|G12|)t}| / 2."""
    a = np.abs(g12)
    return 0.5 * np.abs(np.exp(-(gam - a) * t) - np.exp(-(gam + a) * t))


def panel_dynamics(out: Path, quick: bool) -> list[dict[str, Any]]:
    """(a, b) C(t) from |eg> versus distance (magnon bath) and correlation ratio."""
    nt = 60 if quick else 240
    x = np.geomspace(1e-2, 1e4, nt)                     # t * Gamma
    r = np.array([0.25, 0.5, 1.0, 2.0, 4.0, 8.0])
    ratios = np.array([1.0, 0.999, 0.99, 0.9, 0.5])
    rows = []
    t0 = time.perf_counter()
    gen, _ = _build({"r": r})
    rates = gen.info["rates"]["down"]
    gam, g12 = rates[:, 0, 0], rates[:, 0, 1]
    C_r = ms.transient_concurrence(gen, ms.initial_state("eg"), x / gam[0])
    ref_r = _closed_form_ct(gam[:, None], g12[:, None], (x / gam[0])[None, :])
    gen_b, _ = _build({"bath": "phenomenological", "Gamma": GAMMA, "Gamma_12": ratios * GAMMA})
    C_b = ms.transient_concurrence(gen_b, ms.initial_state("eg"), x / GAMMA)
    ref_b = _closed_form_ct(GAMMA, ratios[:, None] * GAMMA, (x / GAMMA)[None, :])
    dt = time.perf_counter() - t0
    plt = pyplot()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10.5, 3.9))
    for k in range(r.size):
        ax1.plot(x, C_r[k], label=f"r = {r[k]:g} (G12/G = {g12[k] / gam[k]:.3f})")
        ax1.plot(x, ref_r[k], "k:", lw=1)
    for k in range(ratios.size):
        ax2.plot(x, C_b[k], label=f"G12/G = {ratios[k]:g}")
        ax2.plot(x, ref_b[k], "k:", lw=1)
    ax1.set(xscale="log", xlabel="time t x Gamma", ylabel="concurrence C(t) from |eg>",
            title="magnon bath, Delta = 1.2 eps0, T = 0 (dotted: closed form)")
    ax2.set(xscale="log", xlabel="time t x Gamma", ylabel="concurrence C(t) from |eg>",
            title="given correlation ratio (dotted: closed form)")
    for ax in (ax1, ax2):
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "zou2022_C_vs_time.png", dpi=90)
    plt.close(fig)
    _write_csv(out / "zou2022_C_vs_time.csv",
               {"t_Gamma": x, **{f"C[r={v:g}]": C_r[k] for k, v in enumerate(r)},
                **{f"C[G12/G={v:g}]": C_b[k] for k, v in enumerate(ratios)}},
               "C(t) from |eg>; columns r=...: magnon bath (defaults of zou2022); G12/G=...: "
               "phenomenological bath")
    err = max(float(np.max(np.abs(C_r - ref_r))), float(np.max(np.abs(C_b - ref_b))))
    k = int(np.argmin(np.abs(r - 0.5)))
    rows.append(_row("a", "max_t C(t) from |eg>, r = 0.5 (magnon bath)", np.max(C_r[k]),
                     "long-lived plateau 1/2", dt))
    rows.append(_row("a,b", "max |C(t) - closed form|", err, "0 (exact at T = 0)", dt))
    rows.append(_row("b", "C(t Gamma = 1e4), G12 = G (dark singlet)", C_b[0, -1],
                     "1/2 forever", dt))
    return rows


def panel_postselection(out: Path, quick: bool) -> list[dict[str, Any]]:
    """(c, d) post-selected concurrence and no-jump eigenvalues across the EP."""
    n = 61 if quick else 301
    ratio = 0.9
    g12 = ratio * GAMMA
    xd = np.linspace(0.0, 3.0, n)                        # detuning / Gamma_12
    t0 = time.perf_counter()
    heff = ms.effective_hamiltonian(GAMMA, g12, xd * g12)
    lam_num, vecs = np.linalg.eig(heff)
    slowest = np.argmax(lam_num.imag, axis=-1)
    c_num = ms.eigenvector_concurrence(
        np.take_along_axis(vecs, slowest[:, None, None], axis=-1)[..., 0])
    c_cf = ms.postselected_concurrence(g12, xd * g12)
    window = np.linspace(40.0, 60.0, 41 if quick else 161) / g12
    psi = ms.postselected_evolution(heff, np.array([1.0, 0.0]), window)
    c_t = ms.eigenvector_concurrence(psi)
    lam = ms.ep_eigenvalues(GAMMA, g12, xd * g12)
    dt = time.perf_counter() - t0
    plt = pyplot()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10.5, 3.9))
    ax1.fill_between(xd, c_t.min(-1), c_t.max(-1), color="C1", alpha=0.35,
                     label="post-selected C(t) from |eg>, t G12 in [40, 60]")
    ax1.plot(xd, c_num, "C0", lw=2, label="slowest no-jump mode (numerical)")
    ax1.plot(xd, c_cf, "k:", lw=1.5, label="closed form min(1, |G12|/|d|)")
    ax1.axvline(1.0, color="gray", ls="--", lw=1)
    ax1.set(xlabel="detuning d / Gamma_12", ylabel="post-selected concurrence",
            title=f"EP at |d| = |Gamma_12| (Gamma_12/Gamma = {ratio:g}, T = 0)")
    ax2.plot(xd, -lam[:, 0].imag / g12, "C0", label="decay rate, mode 1")
    ax2.plot(xd, -lam[:, 1].imag / g12, "C0--", label="decay rate, mode 2")
    ax2.plot(xd, lam[:, 0].real / g12, "C3", label="frequency, mode 1")
    ax2.plot(xd, lam[:, 1].real / g12, "C3--", label="frequency, mode 2")
    ax2.axvline(1.0, color="gray", ls="--", lw=1)
    ax2.set(xlabel="detuning d / Gamma_12", ylabel="eigenvalue of H_eff / Gamma_12",
            title="no-jump spectrum: PT-broken | PT-symmetric")
    for ax in (ax1, ax2):
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "zou2022_postselection_EP.png", dpi=90)
    plt.close(fig)
    _write_csv(out / "zou2022_postselection_EP.csv",
               {"detuning_over_G12": xd, "C_slowest_mode": c_num, "C_closed_form": c_cf,
                "C_t_window_min": c_t.min(-1), "C_t_window_max": c_t.max(-1),
                "decay1_over_G12": -lam[:, 0].imag / g12, "decay2_over_G12": -lam[:, 1].imag / g12,
                "freq1_over_G12": lam[:, 0].real / g12, "freq2_over_G12": lam[:, 1].real / g12},
               f"phenomenological bath, Gamma = {GAMMA:g}, Gamma_12 = {g12:g}, T = 0")
    broken = xd < 0.8
    return [
        _row("c", "max |C_slowest mode - closed form|", np.max(np.abs(c_num - c_cf)), "0", dt),
        _row("c", "min post-selected C(t), |d| < 0.8 G12, t G12 in [40, 60]",
             np.min(c_t[broken]), "-> 1 (PT-broken)", dt),
        _row("d", "EP location (d / G12 where the decay rates merge)",
             xd[int(np.argmax(np.abs(lam[:, 0].imag - lam[:, 1].imag) < 1e-9 * GAMMA))],
             "1", dt),
    ]


def _steady(gen):
    from ..steady import steadystate

    return steadystate(gen, rho0=gen.info["rho0"])


def checks(out: Path, quick: bool) -> list[dict[str, Any]]:
    """Steady state = product GGE (C = 0); sector post-selection = no-jump evolution at T = 0."""
    from ..measures import concurrence

    t0 = time.perf_counter()
    T = np.array([0.0, 0.05, 0.3, 1.0])
    mu = np.array([-1.0, 0.0, 0.5, 0.9])
    gen, _ = _build({"T": T[:, None, None], "mu": mu[None, :, None],
                     "r": np.array([0.3, 1.0, 3.0])[None, None, :]})
    ss = _steady(gen)
    c_ss = float(np.max(concurrence(ss.rho)))
    dt1 = time.perf_counter() - t0
    t0 = time.perf_counter()
    d = 0.5 * 0.9 * GAMMA
    gen2, _ = _build({"bath": "phenomenological", "Gamma": GAMMA, "Gamma_12": 0.9 * GAMMA,
                      "detuning": d})
    times = np.linspace(0, 30 / GAMMA, 16 if quick else 61)
    rho_t = ms.evolve(gen2, ms.initial_state("eg"), times)[1:]
    full = ms.sector_postselect(rho_t)[:, 1:3, 1:3]
    psi = ms.postselected_evolution(ms.effective_hamiltonian(GAMMA, 0.9 * GAMMA, d),
                                    np.array([1.0, 0.0]), times[1:])
    nojump = np.einsum("ti,tj->tij", psi, psi.conj())
    diff = float(np.max(np.abs(full - nojump)))
    dt2 = time.perf_counter() - t0
    return [_row("check", "max steady-state C over T, mu, r (product GGE)", c_ss, "0", dt1),
            _row("check", "max |sector post-selection - no-jump state| (T = 0)", diff, "0",
                 dt2)]


PANELS: tuple[tuple[str, Callable[[Path, bool], list[dict[str, Any]]]], ...] = (
    ("a, b: C(t) versus distance and correlation ratio", panel_dynamics),
    ("c, d: post-selection across the exceptional point", panel_postselection),
    ("checks: GGE steady state, post-selection", checks),
)


def reproduce(out_dir: str | Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    """Compute every panel; write PNG figures and CSV data into ``out_dir``.

    Returns
    -------
    list of dict
        Summary rows: panel, what was computed, its value, the expected value, wall time.
    """
    return run_panels(PANELS, out_dir, progress, quick)


__all__ = ["PANELS", "reproduce"]
