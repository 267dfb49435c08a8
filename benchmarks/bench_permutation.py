"""Benchmark: permutation-invariant steady states of N qubits, qness vs QuTiP PIQS, in one run.

Models (``hbar = 1``, rates in units of ``omega``):

u1      H = omega J_z, local pumping ``gamma_p D[sigma_i^+]``, collective emission
        ``gamma_ce D[J_-]``, local dephasing ``gamma_d D[sigma_i^z]`` (a superradiant-laser-like
        model).  H commutes with J_z, so qness solves the ``m = m'`` sector (~N^2/4 unknowns).
driven  H = Omega J_x, collective emission, local emission and local dephasing (cooperative
        resonance fluorescence with local noise): the full Dicke-block sector (~N^3/6 unknowns).

Cases (each in a fresh subprocess: its peak RSS is its own, QuTiP is stopped at the cap):

qness       ``PermutationModel`` + ``steadystate_permutation`` (method 'auto': sparse LU with a
            nested-dissection ordering in the m = m' sector, block-Gauss-Seidel GMRES in the full
            sector beyond 6000 unknowns), including the uniqueness test.
qutip-piqs  ``qutip.piqs.Dicke(...).liouvillian()`` + ``qutip.steadystate(method='direct')``.
            The PIQS Liouvillian also carries the coherences between different j, which have no
            dynamics at all (a kernel of their own, so the plain direct solve is singular); they
            are given a unit decay first.  PIQS's local ``dephasing`` acts on sigma_z/2, so it is
            passed ``4 gamma_d``.  Times include building the Liouvillian.

Residuals are ``||L x|| / ||L||_F`` with qness's Dicke-block generator in the full sector
(``x`` the weighted blocks, trace 1) whenever that generator is small enough to build
(N <= 100); otherwise the residual qness reports in the sector it solved.  ``max|dx|`` compares
the two results block by block.

Usage::

    python benchmarks/bench_permutation.py                       # both models, cap 120 s
    python benchmarks/bench_permutation.py --model u1 --ns 10,100,400 --cap 60 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time

import numpy as np
from _harness import peak_rss_mb, run_worker

MODELS = {
    "u1": {"omega_z": 1.0, "gamma_p": 0.5, "gamma_ce": 0.05, "gamma_d": 0.1},
    "driven": {"omega_x": 1.0, "gamma_ce": 0.1, "gamma_e": 0.2, "gamma_d": 0.1},
}
DEFAULT_NS = {"u1": [10, 20, 40, 60, 100, 200, 400], "driven": [10, 20, 40, 60, 100]}
PIQS_RATES = {"gamma_e": "emission", "gamma_p": "pumping", "gamma_ce": "collective_emission",
              "gamma_cp": "collective_pumping", "gamma_cd": "collective_dephasing"}
FULL_RESIDUAL_MAX_N = 100


# ------------------------------------------------------------------------------ workers
def solve_qness(model_name: str, n: int) -> tuple[list[np.ndarray], dict]:
    from qness.master.permutation import PermutationModel
    from qness.steady.permutation import steadystate_permutation

    t0 = time.perf_counter()
    ps = steadystate_permutation(PermutationModel(n, **MODELS[model_name]))
    total = time.perf_counter() - t0
    info = {"method": ps.method, "sector": ps.sector, "unknowns": ps.basis.dim,
            "own_residual": ps.residual, "kernel_dim": ps.kernel_dim, "total_s": total,
            "iterations": ps.info.get("iterations")}
    blocks = ps.blocks if n <= FULL_RESIDUAL_MAX_N else [np.diag(p) for p in ps.populations]
    return blocks, info


def solve_piqs(model_name: str, n: int) -> tuple[list[np.ndarray], dict]:
    import qutip
    import qutip.piqs as piqs  # the package attribute is the piqs module
    import scipy.sparse as sp

    from qness.master.permutation import j_values

    params = MODELS[model_name]
    t0 = time.perf_counter()
    jx, _jy, jz = piqs.jspin(n)
    h = params.get("omega_z", 0.0) * jz + params.get("omega_x", 0.0) * jx
    rates = {PIQS_RATES[k]: v for k, v in params.items() if k in PIQS_RATES}
    if "gamma_d" in params:
        rates["dephasing"] = 4 * params["gamma_d"]
    liouv = piqs.Dicke(n, hamiltonian=h, **rates).liouvillian()
    nds = liouv.dims[0][0][0]
    label = np.repeat(np.arange(len(j_values(n))), (2 * j_values(n) + 1).astype(int))
    rows, cols = np.meshgrid(np.arange(nds), np.arange(nds), indexing="ij")
    inter = np.zeros(nds * nds)
    inter[(rows + nds * cols).ravel()] = (label[rows] != label[cols]).ravel()
    decay = qutip.Qobj(sp.diags_array(inter).tocsr(), dims=liouv.dims, superrep=liouv.superrep)
    t1 = time.perf_counter()
    rho = qutip.steadystate(liouv - decay, method="direct")
    t2 = time.perf_counter()
    blocks = [np.asarray(b) for b in piqs.dicke_blocks(rho)]
    total = sum(np.trace(b).real for b in blocks)
    info = {"method": "piqs + steadystate direct", "build_s": t1 - t0, "solve_s": t2 - t1,
            "total_s": t2 - t0}
    return [b / total for b in blocks], info


def solve_case(case: str, model_name: str, n: int, out: str, repeat_below: float = 5.0) -> dict:
    solver = solve_qness if case == "qness" else solve_piqs
    if case == "qness":
        import qness.steady.permutation  # noqa: F401  (imports are not part of the timing)
    else:
        import qutip.piqs  # noqa: F401
    base = peak_rss_mb()
    blocks, info = solver(model_name, n)
    if info["total_s"] < repeat_below:
        blocks2, info2 = solver(model_name, n)
        if info2["total_s"] < info["total_s"]:
            blocks, info = blocks2, info2
    np.savez(out, *blocks)
    info.update(case=case, model=model_name, n=n, peak_mb=peak_rss_mb(), base_mb=base)
    return info


# ------------------------------------------------------------------------------ driver
def run_case(case: str, model_name: str, n: int, cap: float, tmp: str
             ) -> tuple[dict, list[np.ndarray] | None]:
    out = os.path.join(tmp, f"{case}-{model_name}-{n}.npz")
    info = run_worker(__file__, [case, "--model", model_name, "--n", str(n), "--save", out],
                      cap, 1, {"case": case, "n": n}, width=70)
    if info["status"] != "ok":
        return info, None
    with np.load(out) as data:
        blocks = [data[f"arr_{k}"] for k in range(len(data.files))]
    return info, blocks


def full_sector_residual(model_name: str, n: int, blocks: list[np.ndarray], cache: dict) -> float:
    from qness.master.permutation import PermutationModel, permutation_liouvillian

    if (model_name, n) not in cache:
        cache[(model_name, n)] = permutation_liouvillian(
            PermutationModel(n, **MODELS[model_name]), sector="full")
    gen = cache[(model_name, n)]
    x = gen.basis.join(blocks)
    x = x / x[gen.basis.diagonal_positions()].sum().real
    return float(np.linalg.norm(gen.apply(x)) / gen.norm)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="u1,driven", help="u1, driven or both (comma)")
    parser.add_argument("--ns", default=None, help="comma-separated N (default per model)")
    parser.add_argument("--cap", type=float, default=120.0, help="time cap per QuTiP case, s")
    parser.add_argument("--qness-cap", type=float, default=600.0)
    parser.add_argument("--no-qutip", action="store_true", help="time qness only")
    parser.add_argument("--json", default=None, help="write all results to this file")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--save", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(solve_case(args.worker, args.model, args.n, args.save), default=str))
        return

    import platform

    import scipy

    import qness

    try:
        import qutip

        qutip_version = qutip.__version__
    except ImportError:  # pragma: no cover - QuTiP is a test/benchmark extra
        qutip_version, args.no_qutip = "absent", True
    print(f"# qness {qness.__version__}, qutip {qutip_version}, numpy {np.__version__}, "
          f"scipy {scipy.__version__}, python {platform.python_version()}, {os.cpu_count()} "
          f"CPUs, load average {os.getloadavg()[0]:.2f}, one BLAS thread per case")
    print("# time: total s incl. building the generator (best of 2 when < 5 s); peak RSS of the "
          "case's process in MiB (increase after imports); residual ||L x||/||L||_F")
    results: list[dict] = []
    cache: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for model_name in [m for m in args.model.split(",") if m]:
            if model_name not in MODELS:
                parser.error(f"unknown model {model_name!r}; choose from {sorted(MODELS)}")
            ns = ([int(v) for v in args.ns.split(",")] if args.ns else DEFAULT_NS[model_name])
            print(f"\n## model {model_name}: {MODELS[model_name]}")
            header = (f"{'N':>4} {'unknowns':>9} | {'qness s':>8} {'method':<28} {'MiB':>11} "
                      f"{'residual':>9} | {'piqs s':>16} {'MiB':>11} {'residual':>9} "
                      f"{'max|dx|':>8} {'piqs/qness':>10}")
            print(header)
            print("-" * len(header))
            qutip_stopped = args.no_qutip
            for n in ns:
                mine, xb = run_case("qness", model_name, n, args.qness_cap, tmp)
                theirs, yb = ({"status": "skipped"}, None)
                if not qutip_stopped:
                    theirs, yb = run_case("qutip-piqs", model_name, n, args.cap, tmp)
                    qutip_stopped = yb is None
                for info, blocks in ((mine, xb), (theirs, yb)):
                    if blocks is not None:
                        info["residual"] = (
                            full_sector_residual(model_name, n, blocks, cache)
                            if n <= FULL_RESIDUAL_MAX_N else info.get("own_residual"))
                diff = (max(float(np.abs(a - b).max()) for a, b in zip(xb, yb, strict=True))
                        if xb is not None and yb is not None else None)
                ratio = (theirs["total_s"] / mine["total_s"]
                         if mine.get("status") == "ok" and theirs.get("status") == "ok" else None)
                mine.update(model=model_name, max_diff=diff, ratio=ratio)
                theirs.update(model=model_name, n=n, case="qutip-piqs")
                results += [mine, theirs]
                print(_row(n, mine, theirs, diff, ratio), flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1, default=str)


def _mem(info: dict) -> str:
    if "peak_mb" not in info:
        return "-"
    return f"{info['peak_mb']:.0f}(+{info['peak_mb'] - info['base_mb']:.0f})"


def _row(n: int, mine: dict, theirs: dict, diff: float | None, ratio: float | None) -> str:
    ok_m, ok_t = mine.get("status") == "ok", theirs.get("status") == "ok"
    q_time = f"{mine['total_s']:.3g}" if ok_m else mine.get("status", "-")
    t_time = f"{theirs['total_s']:.3g}" if ok_t else theirs.get("status", "-")
    res_m = f"{mine['residual']:.1e}" if ok_m and mine.get("residual") is not None else "-"
    res_t = f"{theirs['residual']:.1e}" if ok_t and theirs.get("residual") is not None else "-"
    return (f"{n:>4} {mine.get('unknowns', '-')!s:>9} | {q_time:>8} "
            f"{mine.get('method', '-')!s:<28} {_mem(mine):>11} {res_m:>9} | {t_time:>16} "
            f"{_mem(theirs):>11} {res_t:>9} {'-' if diff is None else f'{diff:.1e}':>8} "
            f"{'-' if ratio is None else f'{ratio:.3g}':>10}")


if __name__ == "__main__":
    main()
