"""Reproduce the headline results of Hou, Kleinherbers, Kelly, Tserkovnyak, arXiv:2508.18131
(as reconstructed in MAGNON_MODEL.md; the paper's own figures were not available).

Panels (2D contact model, energies in units of the gap eps0, distances in lambda0 =
sqrt(D/eps0), T = 0 unless swept, Delta = 0.99, alpha = 1e-3, g = 0.01):

a. concurrence C versus magnon chemical potential mu for a conserving coupling (eta = 0) and two
   non-conserving ones (eta = 0.2: gain window Delta < mu < eps0; eta = 2: depletion window
   mu < -Delta);
b. C versus qubit distance r in both windows (and in d = 1, 3 for the gain window, with
   g = 0.003 because the 1D/3D exchange J12 grows faster as r -> 0);
c. C over the (mu, r) plane in both windows;
d. C versus the anisotropy eta (coupling rescaled so that max(g_c, g_n) = 0.01, which keeps the
   weak-coupling ratios small and leaves the partial-secular populations unchanged) and versus
   temperature T;
e. microscopic couplings: C versus the tilt theta of a qubit with isotropic exchange (all five
   couplings g_c, g_n, g_z, g_l, g_lz follow from theta) in both windows, and C versus the
   two-magnon coupling g_l added to a conserving (eta = 0) coupling;
plus checks: the conserving coupling gives C = 0 everywhere, and Davies versus partial-secular.

Each panel is one batched build and one batched steady-state solve.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..models import hou2025 as model
from ._output import pyplot, run_panels

#: Parameters shared by every panel unless overridden.
BASE: dict[str, Any] = {"delta": 0.99, "alpha": 1e-3, "g": 0.01, "T": 0.0, "dim": 2,
                        "gap": 1.0, "stiffness": 1.0}
#: The two entanglement windows of MAGNON_MODEL.md §4.2.
GAIN: dict[str, Any] = {"mu": 0.999, "eta": 0.2}
DEPLETION: dict[str, Any] = {"mu": -2.0, "eta": 2.0}

UNITS = ("energies (mu, T, Delta, g, rates) in units of the magnon gap eps0 (hbar = k_B = 1); "
         "distances r in lambda0 = sqrt(D/eps0); C = Wootters concurrence (dimensionless)")


def solve_grid(overrides: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Solve the contact model on a broadcast parameter grid (one batched solve).

    Returns
    -------
    dict
        ``C`` (concurrence), populations ``p_gg, p_T0, p_S, p_ee``, the largest weak-coupling
        ratio ``weak`` and the solver's largest relative ``residual``.
    """
    from ..measures import concurrence

    params = model.SPEC.resolve({**BASE, **overrides})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", model.ValidityWarning)
        gen = model.build(params)
    state = model.steady_state(gen, params)
    rho = model.physical_state(state.rho)
    pops = model._populations(rho)
    return {"C": np.asarray(concurrence(rho), float),
            **{f"p_{k}": np.asarray(v) for k, v in pops.items()},
            "weak": np.asarray(gen.info["validity"]["weak_coupling"]),
            "residual": np.asarray(state.residual)}


# ----------------------------------------------------------------------------- output helpers
def _write_csv(path: Path, columns: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> None:
    names = list(columns)
    data = np.column_stack([np.ravel(np.asarray(columns[n], float)) for n in names])
    header = [f"{k}: {v}" for k, v in meta.items()] + [",".join(names)]
    np.savetxt(path, data, delimiter=",", header="\n".join(header), comments="# ", fmt="%.10g")


def _write_netcdf(path: Path, coords: Mapping[str, np.ndarray],
                  data: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> bool:
    """Write a netCDF file through xarray when it (and a backend) is available."""
    try:
        import xarray as xr
    except ImportError:
        return False
    dims = list(coords)
    ds = xr.Dataset({k: (dims, np.asarray(v, float)) for k, v in data.items()},
                    coords={k: np.asarray(v, float) for k, v in coords.items()},
                    attrs={k: str(v) for k, v in meta.items()})
    try:
        ds.to_netcdf(path)
    except (ValueError, ImportError, OSError):
        return False
    return True


def _figure(ncols: int, width: float = 5.2, height: float = 3.8):
    plt = pyplot()

    fig, axes = plt.subplots(1, ncols, figsize=(width * ncols, height), squeeze=False)
    return fig, axes[0], plt


def _argmax_row(panel: str, what: str, C: np.ndarray, coords: Mapping[str, np.ndarray],
                seconds: float, weak: np.ndarray) -> dict[str, Any]:
    C = np.asarray(C)
    idx = np.unravel_index(int(np.nanargmax(C)), C.shape)
    grids = np.meshgrid(*[np.asarray(v) for v in coords.values()], indexing="ij")
    where = ", ".join(f"{k}={g[idx]:.5g}" for k, g in zip(coords, grids, strict=True))
    return {"panel": panel, "computed": what, "points": int(C.size),
            "max_C": float(np.nanmax(C)), "at": where if float(np.nanmax(C)) > 0 else "-",
            "max_weak_ratio": float(np.nanmax(weak)), "seconds": round(seconds, 3)}


def _meta(panel: str, fixed: Mapping[str, Any]) -> dict[str, Any]:
    return {"qness reproduce": f"hou2025 panel {panel}",
            "reference": "Hou, Kleinherbers, Kelly, Tserkovnyak, arXiv:2508.18131 "
                         "(model: MAGNON_MODEL.md reconstruction)",
            "fixed parameters": ", ".join(f"{k}={v}" for k, v in fixed.items()),
            "units": UNITS, "master equation": "partial-secular, rotating frame"}


# ----------------------------------------------------------------------------- panels
def panel_mu(out: Path, quick: bool) -> list[dict[str, Any]]:
    """(a) C versus mu for eta = 0, 0.2, 2 over the full range and in the gain window."""
    n = 60 if quick else 240
    mu = np.concatenate([np.linspace(-3.0, 0.98, n), np.linspace(0.9802, 0.99995, n)])
    etas = np.array([0.0, 0.2, 2.0])
    t0 = time.perf_counter()
    res = solve_grid({"mu": mu[None, :], "eta": etas[:, None], "r": 0.5})
    dt = time.perf_counter() - t0
    C = res["C"]
    fig, (ax1, ax2), plt = _figure(2)
    for k, eta in enumerate(etas):
        label = f"eta = {eta:g}" + (" (conserving)" if eta == 0 else "")
        ax1.plot(mu[:n], C[k, :n], label=label)
        ax2.plot(mu[n:], C[k, n:], label=label)
    ax1.set(xlabel="magnon chemical potential mu [eps0]", ylabel="concurrence C",
            title="full range: depletion window mu < -Delta (r = 0.5 lambda0)")
    ax2.set(xlabel="magnon chemical potential mu [eps0]", ylabel="concurrence C",
            title="gain window Delta < mu < eps0 (Delta = 0.99)")
    ax2.axvline(BASE["delta"], color="gray", ls=":")
    ax2.xaxis.set_major_locator(plt.MaxNLocator(5))
    for ax in (ax1, ax2):
        ax.legend()
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "hou2025_a_C_vs_mu.png", dpi=120)
    plt.close(fig)
    meta = _meta("a", {**BASE, "r": 0.5})
    _write_csv(out / "hou2025_a_C_vs_mu.csv",
               {"mu": mu, **{f"C_eta={e:g}": C[k] for k, e in enumerate(etas)}}, meta)
    _write_netcdf(out / "hou2025_a_C_vs_mu.nc", {"eta": etas, "mu": mu},
                  {"C": C, "p_S": res["p_S"], "p_T0": res["p_T0"]}, meta)
    rows = []
    for k, eta in enumerate(etas):
        rows.append(_argmax_row("a", f"C vs mu, eta={eta:g}" + (" (conserving)" if eta == 0
                                                                  else ""),
                                C[k], {"mu": mu}, dt, res["weak"][k]))
    return rows


def panel_distance(out: Path, quick: bool) -> list[dict[str, Any]]:
    """(b) C versus r in the gain and depletion windows (d = 2) and the gain window in d = 1, 3."""
    r = np.geomspace(0.02, 12.0, 40 if quick else 160)
    cases = {
        "2D gain (mu=0.999, eta=0.2)": {**GAIN, "dim": 2},
        "2D depletion (mu=-2, eta=2)": {**DEPLETION, "dim": 2},
        "1D gain (mu=0.999, eta=1, g=0.003)": {"mu": 0.999, "eta": 1.0, "dim": 1, "g": 0.003},
        "3D gain (mu=0.999, eta=0.05, g=0.003)": {"mu": 0.999, "eta": 0.05, "dim": 3,
                                                  "g": 0.003},
    }
    fig, (ax,), plt = _figure(1, width=6.4)
    rows, cols = [], {"r": r}
    for name, case in cases.items():
        t0 = time.perf_counter()
        res = solve_grid({**case, "r": r})
        dt = time.perf_counter() - t0
        ax.plot(r, res["C"], label=name)
        cols[f"C[{name}]"] = res["C"]
        rows.append(_argmax_row("b", f"C vs r, {name}", res["C"], {"r": r}, dt, res["weak"]))
    ax.set(xscale="log", xlabel="qubit distance r [lambda0 = sqrt(D/eps0)]",
           ylabel="concurrence C", title="C versus distance (Delta = 0.99, T = 0)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "hou2025_b_C_vs_distance.png", dpi=120)
    plt.close(fig)
    _write_csv(out / "hou2025_b_C_vs_distance.csv", cols, _meta("b", BASE))
    return rows


def panel_plane(out: Path, quick: bool) -> list[dict[str, Any]]:
    """(c) C over the (mu, r) plane in both windows."""
    nm, nr = (30, 24) if quick else (90, 70)
    r = np.geomspace(0.02, 8.0, nr)
    windows = {
        "gain (eta=0.2)": (np.linspace(0.9902, 0.99995, nm), 0.2),
        "depletion (eta=2)": (np.linspace(-4.0, -0.95, nm), 2.0),
    }
    fig, axes, plt = _figure(2)
    rows = []
    for ax, (name, (mu, eta)) in zip(axes, windows.items(), strict=True):
        t0 = time.perf_counter()
        res = solve_grid({"mu": mu[:, None], "r": r[None, :], "eta": eta})
        dt = time.perf_counter() - t0
        im = ax.pcolormesh(mu, r, res["C"].T, shading="auto", cmap="viridis", vmin=0)
        ax.set(yscale="log", xlabel="magnon chemical potential mu [eps0]",
               ylabel="distance r [lambda0]", title=f"C(mu, r): {name} window")
        fig.colorbar(im, ax=ax, label="concurrence C")
        tag = name.split(" ")[0]
        meta = _meta("c", {**BASE, "eta": eta})
        _write_netcdf(out / f"hou2025_c_C_mu_r_{tag}.nc", {"mu": mu, "r": r},
                      {"C": res["C"], "p_S": res["p_S"]}, meta)
        mm, rr = np.meshgrid(mu, r, indexing="ij")
        _write_csv(out / f"hou2025_c_C_mu_r_{tag}.csv", {"mu": mm, "r": rr, "C": res["C"]}, meta)
        rows.append(_argmax_row("c", f"C(mu, r), {name}", res["C"], {"mu": mu, "r": r}, dt,
                                res["weak"]))
    fig.tight_layout()
    fig.savefig(out / "hou2025_c_C_mu_r.png", dpi=120)
    plt.close(fig)
    return rows


def panel_eta_temperature(out: Path, quick: bool) -> list[dict[str, Any]]:
    """(d) C versus anisotropy eta and versus temperature T in both windows (r = 0.5)."""
    n = 40 if quick else 160
    eta = np.geomspace(1e-3, 1e3, n)
    temps = np.geomspace(1e-6, 3.0, n)
    g = 0.01 / np.maximum(1.0, eta)  # keeps max(g_c, g_n) = 0.01: weak coupling for all eta
    fig, (ax1, ax2), plt = _figure(2)
    rows, cols_eta, cols_t = [], {"eta": eta, "g": g}, {"T": temps}
    for name, case in (("gain", GAIN), ("depletion", DEPLETION)):
        t0 = time.perf_counter()
        res = solve_grid({"mu": case["mu"], "eta": eta, "g": g, "r": 0.5})
        dt = time.perf_counter() - t0
        ax1.plot(eta, res["C"], label=f"{name} window (mu = {case['mu']:g})")
        cols_eta[f"C[{name}]"] = res["C"]
        rows.append(_argmax_row("d", f"C vs eta, {name} window", res["C"], {"eta": eta}, dt,
                                res["weak"]))
        t0 = time.perf_counter()
        res_t = solve_grid({**case, "T": temps, "r": 0.5})
        dt = time.perf_counter() - t0
        ax2.plot(temps, res_t["C"], label=f"{name} (mu = {case['mu']:g}, eta = {case['eta']:g})")
        cols_t[f"C[{name}]"] = res_t["C"]
        rows.append(_argmax_row("d", f"C vs T, {name} window", res_t["C"], {"T": temps}, dt,
                                res_t["weak"]))
    ax1.set(xscale="log", xlabel="anisotropy eta = g_n / g_c", ylabel="concurrence C",
            title="C versus anisotropy (r = 0.5 lambda0, T = 0)")
    ax2.set(xscale="log", xlabel="temperature T [eps0 / k_B]", ylabel="concurrence C",
            title="C versus temperature (r = 0.5 lambda0)")
    for ax in (ax1, ax2):
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "hou2025_d_C_vs_eta_T.png", dpi=120)
    plt.close(fig)
    _write_csv(out / "hou2025_d_C_vs_eta.csv", cols_eta, _meta("d", {**BASE, "r": 0.5}))
    _write_csv(out / "hou2025_d_C_vs_T.csv", cols_t, _meta("d", {**BASE, "r": 0.5}))
    return rows


def panel_microscopic(out: Path, quick: bool) -> list[dict[str, Any]]:
    """(e) Microscopic couplings: C versus the qubit tilt theta for isotropic exchange (all five
    couplings from theta, MAGNON_MODEL.md §2.4) in both windows, and C versus the two-magnon
    coupling g_l added to a conserving (eta = 0) one-magnon coupling in the gain window."""
    n = 30 if quick else 120
    theta = np.linspace(0.0, np.pi, n)
    g_l = np.geomspace(1e-4, 0.1, n)
    fig, (ax1, ax2), plt = _figure(2)
    rows, cols_t, cols_l = [], {"theta": theta}, {"g_l": g_l}
    for name, mu in (("gain", GAIN["mu"]), ("depletion", DEPLETION["mu"])):
        t0 = time.perf_counter()
        res = solve_grid({"coupling": "tilted", "theta": theta, "mu": mu, "r": 0.5})
        dt = time.perf_counter() - t0
        ax1.plot(theta, res["C"], label=f"{name} window (mu = {mu:g})")
        cols_t[f"C[{name}]"] = res["C"]
        rows.append(_argmax_row("e", f"C vs theta (tilted exchange), {name} window", res["C"],
                                {"theta": theta}, dt, res["weak"]))
    t0 = time.perf_counter()
    res = solve_grid({"eta": 0.0, "g_l": g_l, "mu": GAIN["mu"], "r": 0.5})
    dt = time.perf_counter() - t0
    ax2.plot(g_l, res["C"], label="eta = 0 plus two-magnon g_l (mu = 0.999)")
    cols_l["C"] = res["C"]
    rows.append(_argmax_row("e", "C vs g_l (eta = 0, two-magnon channel only breaks "
                                 "the conservation law)", res["C"], {"g_l": g_l}, dt,
                            res["weak"]))
    ax1.set(xlabel="qubit tilt theta [rad] (J = 1e-4, spin = 2e4: G = 0.01)",
            ylabel="concurrence C", title="isotropic exchange, tilted qubit (r = 0.5 lambda0)")
    ax2.set(xscale="log", xlabel="two-magnon coupling g_l [eps0 lambda0^2]",
            ylabel="concurrence C", title="eta = 0 (conserving) + two-magnon channel")
    for ax in (ax1, ax2):
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "hou2025_e_microscopic.png", dpi=120)
    plt.close(fig)
    meta = _meta("e", {**BASE, "r": 0.5, "J": 1e-4, "spin": 2e4})
    _write_csv(out / "hou2025_e_C_vs_theta.csv", cols_t, meta)
    _write_csv(out / "hou2025_e_C_vs_g_l.csv", cols_l, meta)
    return rows


def check_davies(out: Path, quick: bool) -> list[dict[str, Any]]:
    """Davies (fully secular) versus partial-secular along the distance sweep (gain window)."""
    r = np.geomspace(0.05, 5.0, 10 if quick else 30)
    t0 = time.perf_counter()
    a = solve_grid({**GAIN, "r": r})
    b = solve_grid({**GAIN, "r": r, "method": "davies"})
    dt = time.perf_counter() - t0
    diff = np.abs(a["C"] - b["C"])
    _write_csv(out / "hou2025_check_davies.csv",
               {"r": r, "C_partial": a["C"], "C_davies": b["C"]}, _meta("check", {**BASE, **GAIN}))
    return [{"panel": "check", "computed": "max |C_davies - C_partial| vs r (gain window)",
             "points": int(r.size), "max_C": float(np.max(diff)),
             "at": f"r={r[int(np.argmax(diff))]:.4g}", "max_weak_ratio": float(np.max(a["weak"])),
             "seconds": round(dt, 3)}]


PANELS: tuple[tuple[str, Callable[[Path, bool], list[dict[str, Any]]]], ...] = (
    ("a: C vs mu (conserving and non-conserving)", panel_mu),
    ("b: C vs distance", panel_distance),
    ("c: C over the (mu, r) plane", panel_plane),
    ("d: C vs anisotropy and temperature", panel_eta_temperature),
    ("e: microscopic couplings (tilted exchange, two-magnon channel)", panel_microscopic),
    ("check: Davies vs partial-secular", check_davies),
)


def reproduce(out_dir: str | Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    """Compute every panel, write PNG figures, CSV (and netCDF) data into ``out_dir``.

    Parameters
    ----------
    out_dir : path
        Output folder (created if missing).
    progress : callable, optional
        Called with the name of each step before it runs.
    quick : bool
        Coarser grids.

    Returns
    -------
    list of dict
        Summary rows: panel, what was computed, number of points, max C, where, the largest
        weak-coupling ratio of the panel and the wall time.
    """
    return run_panels(PANELS, out_dir, progress, quick)


__all__ = ["BASE", "DEPLETION", "GAIN", "PANELS", "reproduce", "solve_grid"]
