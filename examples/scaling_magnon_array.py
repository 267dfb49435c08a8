"""Scaling study of the magnon qubit array (hou2025-array): entanglement versus N and spacing.

Can a shared, spin-pumped magnet entangle many qubits, and how does the entanglement scale with
the number of qubits ``N`` and with the spacing ``a`` of the array?  For every point this script
solves the steady state of ``qness show hou2025-array`` and records

* the pairwise concurrence map ``C_jk`` and the pairwise negativities,
* the negativity of every bipartition (its minimum over all ``2^(N-1) - 1`` cuts, and the
  ``half|half`` cut: the first ``N // 2`` sites in the order of the array, i.e. the left half of
  a line, the top rows of a grid),
* genuine-multipartite-entanglement (GME) fidelity witnesses against the W state and the
  one-hole Dicke state ``|D_N^(N-1)>``, the largest eigenvalue of rho (if it is below 1/2, *no*
  fidelity witness can detect GME: every pure target has a biseparable overlap >= 1/2),
* the entanglement depth certified by the collective-spin criteria (spin squeezing and Dicke),
* the secularity ``||[H, rho]||_F / (2 ||H||_2 ||rho||_F)`` (0: rho commutes with the
  bath-induced exchange Hamiltonian H).

Windows: ``gain`` (defaults: mu = 0.999 > delta, eta = 0.2), ``depletion`` (mu = -2, eta = 2) and
the control ``conserving`` (eta = 0: the coupling conserves excitations plus magnons, so the
steady state is a product state and every negativity vanishes).  Line arrays for N = 2..8
and grids (filled row by row) for N = 4, 6, 8; spacings 0.02..3 lambda0 (N = 8 from 0.1 unless
``--complete``).  The results are discussed in ``docs/scaling.md``.  A second scan (N = 3,
gain window) switches the bath-induced exchange off (``lamb_shift = False``) to separate its
effect from that of the rate matrices.

Usage::

    python examples/scaling_magnon_array.py --quick --out DIR    # N <= 5, 3 spacings: ~5 s
    python examples/scaling_magnon_array.py --out DIR            # N <= 8, 9 spacings: ~2.5 min
    python examples/scaling_magnon_array.py --complete --out DIR # + N = 8 at a < 0.1 (~40 s each)

Writes into DIR: ``scaling_points.csv`` (one row per point), ``scaling_pairs.csv`` (one row per
pair), ``scaling_kernels.csv`` (rates and exchange versus distance) and the figures
``scaling_magnon_vs_N.png``, ``scaling_magnon_vs_a.png``, ``scaling_magnon_maps.png``,
``scaling_magnon_kernels.png``, ``scaling_magnon_lamb.png``; prints a short table.

Units and conventions: energies in units of the magnon gap eps0 (hbar = k_B = 1), distances in
lambda0 = sqrt(D / eps0); QuTiP tensor order (qubit 0 leftmost), basis(2, 0) = |e>.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from qness import operators as op
from qness.measures import (
    bipartition_negativities,
    dicke_state,
    entanglement_depth_dicke,
    entanglement_depth_squeezing,
    gme_fidelity_witness,
    pairwise_concurrence,
    pairwise_negativity,
    w_state,
)
from qness.models import hou2025_array
from qness.models.hou2025 import ValidityWarning, physical_state
from qness.space import Space
from qness.steady import choose_method, reflection, steadystate, steadystate_symmetric

#: Parameter windows of the study (the other parameters are the hou2025-array defaults).
WINDOWS: dict[str, dict[str, float]] = {
    "gain": {"mu": 0.999, "eta": 0.2},
    "depletion": {"mu": -2.0, "eta": 2.0},
    "conserving": {"mu": 0.999, "eta": 0.0},
}
#: Spacing at which the N scans are reported (the model's default, lambda0).
DEFAULT_A = 0.5
FULL = {
    "line_n": (2, 3, 4, 5, 6, 7, 8),
    "grid_n": (4, 6, 8),
    "spacings": (0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 1.5, 2.0, 3.0),
    "control_n": (2, 3, 4, 5, 6, 7),
    "lamb_spacings": tuple(np.round(np.geomspace(0.02, 6.0, 25), 4)),
}
QUICK = {
    "line_n": (2, 3, 4, 5),
    "grid_n": (4,),
    "spacings": (0.1, 0.5, 2.0),
    "control_n": (2, 3, 4, 5),
    "lamb_spacings": (0.1, 0.5, 1.0, 2.0),
}
#: Krylov options of the iterative solver (d > 16): near contact (a < 0.1 lambda0) the rate
#: matrices are almost perfectly correlated and the default restart length stalls for N >= 6.
ITERATIVE_OPTIONS = {"restart": 200, "maxiter": 8000}
#: Without ``--complete``, N = 8 is solved only for a >= this (lambda0): below it one solve takes
#: ~40 s, most of it in the iterative solver's uniqueness check.
N8_MIN_A = 0.1
#: A pair or cut counts as entangled above this (solver precision is ~1e-10).
ENTANGLED = 1e-8


# --------------------------------------------------------------------------------------------
# one point
# --------------------------------------------------------------------------------------------
def half_cut(n: int) -> tuple[int, ...]:
    """The ``half|half`` cut: the first ``n // 2`` sites in array order (left half of a line)."""
    return tuple(range(n // 2))


def spin_moments(rho: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``<J_a>``, ``<(J_a J_b + J_b J_a)/2>`` of ``J_a = (1/2) sum_i sigma_i^a`` (QuTiP order)."""
    space = Space.qubits(n)
    paulis = (op.sigmax(), op.sigmay(), op.sigmaz())
    mats = [0.5 * sum(space.embed(s, j).toarray() for j in range(n)) for s in paulis]
    mean = np.array([np.trace(rho @ m).real for m in mats])
    second = np.array([[0.5 * np.trace(rho @ (a @ b + b @ a)).real for b in mats] for a in mats])
    return mean, second


def exchange_hamiltonian(J: np.ndarray) -> np.ndarray:
    """``sum_{j<k} J_jk (s_j^+ s_k^- + h.c.)`` (dense), the bath-induced flip-flop exchange."""
    n = len(J)
    space = Space.qubits(n)
    sm = [space.embed(op.sigmam(), j).toarray() for j in range(n)]
    H = np.zeros((2**n, 2**n), complex)
    for j in range(n):
        for k in range(j + 1, n):
            flip = sm[j].conj().T @ sm[k]
            H += J[j, k] * (flip + flip.conj().T)
    return H


def secularity(H: np.ndarray, rho: np.ndarray) -> float:
    """``||[H, rho]||_F / (2 ||H||_2 ||rho||_F)`` in [0, 1]; 0 when rho commutes with ``H``."""
    norm = 2 * np.linalg.norm(H, 2) * np.linalg.norm(rho)
    return float(np.linalg.norm(H @ rho - rho @ H) / norm) if norm > 0 else 0.0


def one_flip_modes(rho: np.ndarray, J: np.ndarray, holes: bool) -> tuple[np.ndarray, float]:
    """Populations of the exchange eigenmodes in the one-flip sector, and the largest coherence.

    The sector holds one hole in ``|e...e>`` (``holes``, the gain window) or one excitation in
    ``|g...g>``; its states ``|j>`` (flip at site ``j``) are hopped by ``J`` exactly as a single
    particle, so the eigenvectors ``u_m`` of the matrix ``J`` are the exchange eigenmodes (sorted
    by energy; for ``J < 0`` the first is the nearly uniform bright mode).  Returns
    ``(p_m = <u_m|rho|u_m>, max_{m != m'} |<u_m|rho|u_m'>|)``.
    """
    n = len(J)
    flips = np.array([1 << (n - 1 - j) for j in range(n)])
    idx = flips if holes else (2**n - 1) - flips
    _, u = np.linalg.eigh(J)
    block = u.T @ rho[np.ix_(idx, idx)] @ u
    pops = np.real(np.diagonal(block))
    return pops, float(np.max(np.abs(block - np.diag(np.diagonal(block))), initial=0.0))


def solve_point(window: str, n: int, geometry: str, a: float, *, lamb_shift: bool = True,
                solver: str = "auto") -> tuple[np.ndarray, Any, Mapping[str, Any], dict]:
    """Steady state of one array: ``(rho, generator, params, diagnostics)``.

    ``solver='auto'`` is :func:`qness.steadystate`'s choice; ``'symmetric'`` reduces a line by
    its reflection (:func:`qness.steady.steadystate_symmetric`).  ``diagnostics`` holds
    ``solver``, ``wall_s`` (seconds of the solve) and ``residual`` (``||L rho|| / ||L||``).
    A :class:`~qness.models.hou2025.ValidityWarning` (weak coupling violated) is an error here.
    """
    params = hou2025_array.SPEC.resolve({"N": n, "geometry": geometry, "a": a,
                                          "lamb_shift": lamb_shift, **WINDOWS[window]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", ValidityWarning)
        gen = hou2025_array.build(params)
    t0 = time.perf_counter()
    if solver == "symmetric" and geometry == "line":
        state = steadystate_symmetric(gen, [reflection(n)])
    elif choose_method(gen) == "iterative":
        state = steadystate(gen, **ITERATIVE_OPTIONS)
    else:
        state = steadystate(gen)
    diagnostics = {"solver": str(state.method), "wall_s": time.perf_counter() - t0,
                   "residual": float(state.residual)}
    return physical_state(state.rho), gen, params, diagnostics


def measure_point(rho: np.ndarray, gen: Any, n: int) -> tuple[dict[str, Any], list[dict]]:
    """Entanglement measures of one steady state: a row of scalars and the per-pair rows."""
    dims = (2,) * n
    cmap = np.asarray(pairwise_concurrence(rho, dims), float)
    nmap = np.asarray(pairwise_negativity(rho, dims), float)
    bn = bipartition_negativities(rho, dims)
    i_min = int(np.argmin(bn.negativity))
    upper = np.triu_indices(n, 1)
    dist = gen.info["distances"]
    nn = np.isclose(dist, np.min(dist[upper]), rtol=1e-9) & np.triu(np.ones((n, n), bool), 1)
    mean, second = spin_moments(rho, n)
    lam = np.linalg.eigvalsh(rho)
    witnesses = {"gme_w": gme_fidelity_witness(rho, w_state(n), dims),
                 "gme_hole": gme_fidelity_witness(rho, dicke_state(n, n - 1), dims)}
    row = {
        "c_max": float(np.max(cmap[upper])),
        "c_nn": float(np.mean(cmap[nn])),
        "n_pairs_entangled": int(np.count_nonzero(cmap[upper] > ENTANGLED)),
        "ckw_max": float(np.max(np.sum(cmap**2, axis=1))),
        "neg_pair_max": float(np.max(nmap[upper])),
        "neg_min": float(bn.negativity[i_min]),
        "neg_min_cut": _cut_label(bn.cuts[i_min]),
        "neg_half": float(bn[half_cut(n)]),
        "half_cut": _cut_label(half_cut(n)),
        "neg_max": float(np.max(bn.negativity)),
        "n_cuts_entangled": int(np.count_nonzero(bn.negativity > ENTANGLED)),
        "n_cuts": len(bn.cuts),
        "lam_max": float(lam[-1]),
        **{k: float(w.value) for k, w in witnesses.items()},
        "depth_squeezing": int(entanglement_depth_squeezing(mean, second, n)),
        "depth_dicke": int(entanglement_depth_dicke(mean, second, n)),
        "secularity": secularity(exchange_hamiltonian(gen.info["J"]), rho),
        "p_excited": float(0.5 + mean[2] / n),
    }
    pops, coherence = one_flip_modes(rho, gen.info["J"], holes=row["p_excited"] > 0.5)
    row["mode_populations"] = ";".join(f"{x:.4f}" for x in pops)
    row["mode_coherence"] = coherence
    pairs = [{"j": int(j), "k": int(k), "distance": float(dist[j, k]),
              "concurrence": float(cmap[j, k]), "negativity": float(nmap[j, k])}
             for j, k in zip(*upper, strict=True)]
    return row, pairs


def _cut_label(cut: Iterable[int]) -> str:
    return "-".join(str(i) for i in cut)


def run_point(window: str, n: int, geometry: str, a: float, *, lamb_shift: bool = True,
              solver: str = "auto", scan: str = "spacing") -> tuple[dict[str, Any], list[dict]]:
    """Solve and measure one point; rows carry the point's labels."""
    rho, gen, params, diagnostics = solve_point(window, n, geometry, a, lamb_shift=lamb_shift,
                                                solver=solver)
    row, pairs = measure_point(rho, gen, n)
    label = {"scan": scan, "window": window, "geometry": geometry, "N": n, "a": float(a),
             "lamb_shift": bool(lamb_shift), "mu": float(params["mu"]),
             "eta": float(params["eta"])}
    head = {**label, **diagnostics}
    return {**head, **row}, [{**label, **p} for p in pairs]


# --------------------------------------------------------------------------------------------
# the study
# --------------------------------------------------------------------------------------------
def study_points(cfg: Mapping[str, Sequence[Any]], complete: bool = False
                 ) -> list[tuple[str, str, int, str, float, bool]]:
    """Every ``(scan, window, N, geometry, a, lamb_shift)`` of the study.

    Scans: ``spacing`` (gain and depletion windows, line and grid, every spacing), ``control``
    (the conserving coupling at ``DEFAULT_A``, N <= 7: its steady state is a pure product state
    that the N = 8 iterative solve resolves only with a tighter tolerance, ~20 s) and ``lamb``
    (N = 3 line, gain window, with and without the bath-induced exchange).  Unless
    ``complete``, N = 8 is skipped below ``N8_MIN_A``.
    """
    pts = []
    for window in ("gain", "depletion"):
        for a in cfg["spacings"]:
            pts += [("spacing", window, n, "line", a, True) for n in cfg["line_n"]]
            pts += [("spacing", window, n, "grid", a, True) for n in cfg["grid_n"]]
    pts += [("control", "conserving", n, "line", DEFAULT_A, True) for n in cfg["control_n"]]
    pts += [("control", "conserving", n, "grid", DEFAULT_A, True) for n in cfg["grid_n"]
            if n <= max(cfg["control_n"])]
    for lamb in (True, False):
        pts += [("lamb", "gain", 3, "line", float(a), lamb) for a in cfg["lamb_spacings"]]
    return [p for p in pts if complete or p[2] < 8 or p[4] >= N8_MIN_A]


def kernel_rows(distances: Sequence[float]) -> list[dict[str, Any]]:
    """Rate-matrix entries and exchange versus distance for the two windows (N = 2 kernel)."""
    rows = []
    for window in ("gain", "depletion"):
        p = hou2025_array.SPEC.resolve({"N": 2, **WINDOWS[window]})
        for r in distances:
            rates = hou2025_array.array_rates(p, np.array([[0.0, r], [r, 0.0]]))
            rows.append({"window": window, "r": float(r),
                         "down_local": float(rates["down"][0, 0]),
                         "down_cross": float(rates["down"][0, 1]),
                         "up_local": float(rates["up"][0, 0]),
                         "up_cross": float(rates["up"][0, 1]),
                         "J": float(rates["J"][0, 1])})
    return rows


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: (f"{v:.10g}" if isinstance(v, float) else v)
                             for k, v in row.items()})


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------
def _select(rows: list[dict], **match: Any) -> list[dict]:
    return [r for r in rows if all(r[k] == v for k, v in match.items())]


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


QUANTITIES = (("c_max", "max pairwise C"), ("neg_min", "min over cuts of N"),
              ("neg_half", "N(half|half)"))


def figure_vs_n(rows: list[dict], path: Path) -> None:
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=False)
    for ax, window in zip(axes, ("gain", "depletion"), strict=True):
        for (key, label), color in zip(QUANTITIES, ("C0", "C1", "C2"), strict=True):
            for geometry, style in (("line", "-o"), ("grid", "--s")):
                sel = sorted(_select(rows, scan="spacing", window=window, geometry=geometry,
                                     a=DEFAULT_A), key=lambda r: r["N"])
                if sel:
                    ax.plot([r["N"] for r in sel], [r[key] for r in sel], style, color=color,
                            ms=4, label=f"{label} ({geometry})")
        ax.set_title(f"{window} window, a = {DEFAULT_A} λ0")
        ax.set_xlabel("number of qubits N")
        ax.set_yscale("symlog", linthresh=1e-3)
    axes[0].set_ylabel("entanglement")
    axes[1].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def figure_vs_a(rows: list[dict], path: Path) -> None:
    plt = _plt()
    fig, axes = plt.subplots(2, 3, figsize=(11, 6), sharex=True)
    ns = sorted({r["N"] for r in _select(rows, scan="spacing", geometry="line")})
    colors = plt.cm.viridis(np.linspace(0, 0.9, len(ns)))
    for i, window in enumerate(("gain", "depletion")):
        for j, (key, label) in enumerate(QUANTITIES):
            ax = axes[i, j]
            for n, color in zip(ns, colors, strict=True):
                sel = sorted(_select(rows, scan="spacing", window=window, geometry="line", N=n),
                             key=lambda r: r["a"])
                ax.plot([r["a"] for r in sel], [r[key] for r in sel], "-o", ms=3, color=color,
                        label=f"N = {n}")
            ax.set_xscale("log")
            ax.set_title(f"{window}: {label}", fontsize=9)
            if i == 1:
                ax.set_xlabel("spacing a (λ0)")
    axes[0, 0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


#: (window, spacing) of each row of the concurrence-map figure.
MAP_ROWS = (("gain", 0.5), ("gain", 2.0), ("depletion", 0.1), ("depletion", 2.0))


def figure_maps(pairs: list[dict], path: Path) -> None:
    plt = _plt()
    ns = sorted({p["N"] for p in _select(pairs, scan="spacing", geometry="line")} - {2})
    fig, axes = plt.subplots(len(MAP_ROWS), len(ns), figsize=(1.9 * len(ns) + 1, 8.4),
                             squeeze=False)
    for i, (window, a) in enumerate(MAP_ROWS):
        maps = {}
        for n in ns:
            maps[n] = np.zeros((n, n))
            for p in _select(pairs, scan="spacing", window=window, geometry="line", N=n, a=a):
                maps[n][p["j"], p["k"]] = maps[n][p["k"], p["j"]] = p["concurrence"]
        vmax = max(0.01, max(m.max() for m in maps.values()))
        for j, n in enumerate(ns):
            im = axes[i, j].imshow(maps[n], vmin=0, vmax=vmax, cmap="magma")
            axes[i, j].set_title(f"{window}, a = {a:g}, N = {n}", fontsize=6)
            axes[i, j].set_xticks(range(n))
            axes[i, j].set_yticks(range(n))
            axes[i, j].tick_params(labelsize=5)
        fig.colorbar(im, ax=axes[i, :].tolist(), shrink=0.8, label="C_jk")
    fig.savefig(path, dpi=100)
    plt.close(fig)


def figure_kernels(krows: list[dict], path: Path) -> None:
    plt = _plt()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
    for ax, window in zip(axes[:2], ("gain", "depletion"), strict=True):
        sel = _select(krows, window=window)
        r = np.array([k["r"] for k in sel])
        for key, color in (("down", "C0"), ("up", "C1")):
            ratio = [k[f"{key}_cross"] / k[f"{key}_local"] for k in sel]
            ax.plot(r, ratio, "-", color=color, label=f"Γ_{key}(r) / Γ_{key}(0)")
        ax.set_title(f"{window} window: rate kernels", fontsize=9)
    for window, style in (("gain", "-"), ("depletion", "--")):
        sel = _select(krows, window=window)
        r = np.array([k["r"] for k in sel])
        gmax = np.array([max(k["down_local"], k["up_local"]) for k in sel])
        axes[2].plot(r, np.abs([k["J"] for k in sel]) / gmax, style, color="C2",
                     label=f"{window}")
    axes[2].set_title("|J(r)| / max(Γ_down(0), Γ_up(0))", fontsize=9)
    axes[2].set_yscale("log")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel("distance r (λ0)")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def figure_lamb(rows: list[dict], path: Path) -> None:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for lamb, style in ((True, "-"), (False, "--")):
        sel = sorted(_select(rows, scan="lamb", lamb_shift=lamb), key=lambda r: r["a"])
        tag = "with exchange J" if lamb else "J = 0"
        ax.plot([r["a"] for r in sel], [r["c_nn"] for r in sel], style, color="C0",
                label=f"C12 ({tag})")
        ax.plot([r["a"] for r in sel], [_c13(r) for r in sel], style, color="C3",
                label=f"C13 ({tag})")
    ax.set_xscale("log")
    ax.set_xlabel("spacing a (λ0)")
    ax.set_ylabel("concurrence")
    ax.set_title("N = 3 line, gain window", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _c13(row: dict) -> float:
    return row["_c13"]


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------
def print_table(rows: list[dict]) -> None:
    print(f"{'window':10} {'geom':5} {'N':>2} {'a':>5} {'solver':>14} {'t/s':>6} {'C_max':>7} "
          f"{'C_nn':>7} {'N_min':>8} {'N_half':>8} {'cuts':>7} {'lam_max':>7} {'sec':>8}")
    for r in rows:
        if r["a"] != DEFAULT_A or r["scan"] == "lamb":
            continue
        print(f"{r['window']:10} {r['geometry']:5} {r['N']:2d} {r['a']:5.2f} {r['solver']:>14} "
              f"{r['wall_s']:6.2f} {r['c_max']:7.4f} {r['c_nn']:7.4f} {r['neg_min']:8.5f} "
              f"{r['neg_half']:8.5f} {r['n_cuts_entangled']:3d}/{r['n_cuts']:<3d} "
              f"{r['lam_max']:7.3f} {r['secularity']:8.1e}")


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the study; returns ``{'points', 'pairs', 'kernels', 'out', 'seconds'}``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small study (N <= 5), < 30 s")
    parser.add_argument("--out", type=Path, default=Path("qness-out") / "scaling_magnon",
                        help="output folder (created)")
    parser.add_argument("--solver", choices=("auto", "symmetric"), default="auto",
                        help="qness.steadystate's choice, or the reflection-symmetric solver")
    parser.add_argument("--complete", action="store_true",
                        help=f"also N = 8 at a < {N8_MIN_A} lambda0 (~40 s per point)")
    args = parser.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    points, pairs = [], []
    todo = study_points(cfg, args.complete)
    for i, (scan, window, n, geometry, a, lamb) in enumerate(todo):
        row, prs = run_point(window, n, geometry, a, lamb_shift=lamb, solver=args.solver,
                             scan=scan)
        if not args.quick:
            print(f"[{i + 1}/{len(todo)}] {scan} {window} {geometry} N={n} a={a:g}: "
                  f"{row['solver']} {row['wall_s']:.2f} s", file=sys.stderr, flush=True)
        if n >= 3:
            row["_c13"] = next(p["concurrence"] for p in prs if (p["j"], p["k"]) == (0, 2))
        points.append(row)
        pairs += prs
    kernels = kernel_rows(np.geomspace(0.01, 30.0, 40))
    write_csv(out / "scaling_points.csv", [{k: v for k, v in r.items() if not k.startswith("_")}
                                           for r in points])
    write_csv(out / "scaling_pairs.csv", pairs)
    write_csv(out / "scaling_kernels.csv", kernels)
    figure_vs_n(points, out / "scaling_magnon_vs_N.png")
    figure_vs_a(points, out / "scaling_magnon_vs_a.png")
    figure_maps(pairs, out / "scaling_magnon_maps.png")
    figure_kernels(kernels, out / "scaling_magnon_kernels.png")
    figure_lamb(points, out / "scaling_magnon_lamb.png")
    print_table(points)
    seconds = time.perf_counter() - t0
    print(f"{len(points)} points in {seconds:.1f} s -> {out}")
    return {"points": points, "pairs": pairs, "kernels": kernels, "out": out,
            "seconds": seconds}


if __name__ == "__main__":
    main()
