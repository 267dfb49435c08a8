"""Benchmark: steady state of the generic N-qubit chain, qness vs QuTiP 5, in one run.

Model: :func:`qness.models.nqubit.generic_qubits` (local decay, pumping, dephasing, collective
decay, XX chain with site-dependent frequencies), built identically with QuTiP's tensor products.

Every case runs in a fresh subprocess, so that its peak resident memory (``VmHWM``) is its
own and QuTiP can be stopped at a time cap.  Times include building the generator.  Residuals
use one definition for every state, computed by qness: ``||L rho||_F / ||L||_F`` with ``rho``
Hermitian-symmetrised and trace-normalised (``L`` applied matrix-free, ``||L||_F`` exact).

Cases
-----
qness           ``qness.steadystate(generator)`` (method 'auto': dense / sparse LU / iterative
                by size) -- the public entry point.
qness-iter      ``qness.steady.iterative.solve_iterative`` forced (block-diagonal FGMRES with the
                jump-map preconditioner and uniqueness check).
qutip-direct    ``qutip.liouvillian`` + ``qutip.steadystate`` (method 'direct', sparse LU).
qutip-gmres     same, ``solver='gmres'`` with QuTiP's ILU preconditioner (``use_precond``).
qutip-bicgstab  same with ``solver='bicgstab'``.

A QuTiP case that hits the cap (default 120 s) is not run for larger N.  The same chain without
a conserved charge (a transverse drive added) is timed by ``bench_charge_free.py``; there, the
charged N = 10 chain takes 5.0-5.2 s and 0.30 GB in ``solve_iterative`` (39 FGMRES iterations,
one core, load average ~2.3).

Usage::

    python benchmarks/bench_nqubits.py                 # N = 2..10, cap 120 s
    python benchmarks/bench_nqubits.py --nmax 8 --cap 60 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time

import numpy as np
from _harness import peak_rss_mb, run_worker

CASES = ("qness", "qness-iter", "qutip-direct", "qutip-gmres", "qutip-bicgstab")
QUTIP_ITER_OPTIONS = {"use_precond": True, "use_rcm": True, "rtol": 1e-12, "atol": 1e-14,
                      "maxiter": 5000}


# ------------------------------------------------------------------------------ workers
def qutip_model(n: int, omega=1.0, J=0.5, gamma=0.1, pump=0.05, dephasing=0.02,
                collective=0.1):
    """The generic N-qubit chain with QuTiP operators (same conventions as qness)."""
    import qutip

    def site(op, j):
        return qutip.tensor([op if k == j else qutip.qeye(2) for k in range(n)])

    sm = [site(qutip.sigmam(), j) for j in range(n)]
    sz = [site(qutip.sigmaz(), j) for j in range(n)]
    h = sum(0.5 * omega * (1 + 0.1 * j) * sz[j] for j in range(n))
    for j in range(n - 1):
        h = h + J * (sm[j].dag() * sm[j + 1] + sm[j + 1].dag() * sm[j])
    c_ops = ([np.sqrt(gamma) * s for s in sm] + [np.sqrt(pump) * s.dag() for s in sm]
             + [np.sqrt(dephasing) * z for z in sz] + [np.sqrt(collective) * sum(sm)])
    return h, c_ops


def solve_once(case: str, n: int) -> tuple[np.ndarray, dict]:
    """Build the generator and solve it once; return rho and timings."""
    info: dict = {}
    if case.startswith("qness"):
        import qness
        from qness.models.nqubit import generic_qubits
        from qness.steady.iterative import solve_iterative

        t0 = time.perf_counter()
        h, c_ops = generic_qubits(n)
        gen = qness.liouvillian(h, c_ops, dims=[2] * n)
        t1 = time.perf_counter()
        ss = qness.steadystate(gen) if case == "qness" else solve_iterative(gen)
        t2 = time.perf_counter()
        rho = ss.rho
        info.update(method=ss.method, kernel_dim=int(ss.kernel_dim),
                    iterations=ss.info.get("iterations"))
    else:
        import qutip

        solver = case.split("-")[1]
        t0 = time.perf_counter()
        h, c_ops = qutip_model(n)
        lind = qutip.liouvillian(h, c_ops)
        t1 = time.perf_counter()
        if solver == "direct":
            rho = qutip.steadystate(lind)
        else:
            rho = qutip.steadystate(lind, method="direct", solver=solver, **QUTIP_ITER_OPTIONS)
        t2 = time.perf_counter()
        rho = rho.full()
        info.update(method=f"qutip {solver}")
    info.update(build_s=t1 - t0, solve_s=t2 - t1, total_s=t2 - t0)
    return rho, info


def solve_case(case: str, n: int, out: str, repeat_below: float = 5.0) -> dict:
    """Solve one case (twice, keeping the faster, when a solve takes < ``repeat_below`` s, so
    that small cases are not dominated by first-call overheads); save rho to ``out``."""
    if case.startswith("qness"):
        import qness.steady.iterative  # noqa: F401  (imports are not part of the timing)
    else:
        import qutip  # noqa: F401
    base = peak_rss_mb()
    rho, info = solve_once(case, n)
    info["cold_total_s"] = info["total_s"]
    if info["total_s"] < repeat_below:
        rho2, info2 = solve_once(case, n)
        if info2["total_s"] < info["total_s"]:
            rho, info = rho2, {**info2, "cold_total_s": info["cold_total_s"]}
    np.save(out, rho)
    info.update(case=case, n=n, peak_mb=peak_rss_mb(), base_mb=base)
    return info


# ------------------------------------------------------------------------------ driver
def run_case(case: str, n: int, cap: float, tmp: str, threads: int | None
             ) -> tuple[dict, np.ndarray | None]:
    """Run one case in a subprocess with a wall-clock cap (and a BLAS thread count)."""
    out = os.path.join(tmp, f"{case}-{n}.npy")
    info = run_worker(__file__, [case, "--n", str(n), "--save", out], cap, threads,
                      {"case": case, "n": n})
    return info, (np.load(out) if info["status"] == "ok" else None)


def residual(rho: np.ndarray, n: int, cache: dict) -> float:
    """``||L rho||_F / ||L||_F`` for the trace-normalised Hermitian part of ``rho`` (qness)."""
    import qness
    from qness.models.nqubit import generic_qubits
    from qness.steady.iterative import lindblad_frobenius_norm

    if n not in cache:
        h, c_ops = generic_qubits(n)
        gen = qness.liouvillian(h, c_ops)
        cache[n] = (gen, lindblad_frobenius_norm(gen.hamiltonian, list(gen.jumps), gen.dim))
    gen, norm = cache[n]
    rho = 0.5 * (rho + rho.conj().T)
    rho = rho / np.trace(rho).real
    return float(np.linalg.norm(gen.apply(rho)) / norm)


def fmt_time(info: dict) -> str:
    if info.get("status") != "ok":
        return info.get("status", "-")
    return f"{info['total_s']:.3g} ({info['build_s']:.2g}+{info['solve_s']:.2g})"


def print_summary(results: list[dict]) -> None:
    """Per N: the faster qness case against the fastest QuTiP case that finished."""
    print("# summary: fastest qness vs fastest QuTiP (total time incl. build)")
    print(f"{'N':>2} | {'qness s':>9} {'case':<11} | {'QuTiP s':>9} {'case':<15} | "
          f"{'speed-up':>8} | {'qness res':>9} | {'qness MiB':>9}")
    for n in sorted({r["n"] for r in results}):
        ok = [r for r in results if r["n"] == n and r.get("status") == "ok"]
        mine = min((r for r in ok if r["case"].startswith("qness")),
                   key=lambda r: r["total_s"], default=None)
        theirs = min((r for r in ok if r["case"].startswith("qutip")),
                     key=lambda r: r["total_s"], default=None)
        if mine is None:
            continue
        q_time = f"{theirs['total_s']:.3g}" if theirs else "-"
        q_case = theirs["case"] if theirs else "none finished"
        speed = f"{theirs['total_s'] / mine['total_s']:.3g}" if theirs else "-"
        print(f"{n:>2} | {mine['total_s']:>9.3g} {mine['case']:<11} | {q_time:>9} "
              f"{q_case:<15} | {speed:>8} | {mine.get('residual', float('nan')):>9.1e} | "
              f"{mine['peak_mb']:>9.0f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nmin", type=int, default=2)
    parser.add_argument("--nmax", type=int, default=10)
    parser.add_argument("--cap", type=float, default=120.0, help="time cap per QuTiP case, s")
    parser.add_argument("--qness-cap", type=float, default=600.0)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--json", default=None, help="write all results to this file")
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="BLAS/OpenMP threads per case (0: library default)")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--save", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(solve_case(args.worker, args.n, args.save)))
        return

    cases = [c for c in args.cases.split(",") if c]
    unknown = set(cases) - set(CASES)
    if unknown:
        parser.error(f"unknown cases {sorted(unknown)}; choose from {CASES}")
    import platform

    import qutip
    import scipy

    import qness

    print(f"# qness {qness.__version__}, qutip {qutip.__version__}, numpy {np.__version__}, "
          f"scipy {scipy.__version__}, python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, BLAS threads per "
          f"case: {args.blas_threads or 'default'}")
    print("# times: total (build+solve) in s, best of 2 when < 5 s; memory: peak RSS of the "
          "case's process in MiB (and its increase after imports); "
          "residual ||L rho||_F/||L||_F")
    cache: dict = {}
    results: list[dict] = []
    stopped: set[str] = set()
    header = (f"{'N':>2} {'d':>5} | {'case':<14} {'method':<22} {'time s (build+solve)':<26} "
              f"{'peak MiB':>12} {'residual':>9} {'max|drho|':>9} {'t/t_qness':>9}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.nmin, args.nmax + 1):
            rhos: dict[str, np.ndarray] = {}
            row: dict[str, dict] = {}
            for case in cases:
                if case in stopped:
                    row[case] = {"case": case, "n": n, "status": "skipped (cap hit at smaller N)"}
                    continue
                cap = args.qness_cap if case.startswith("qness") else args.cap
                info, rho = run_case(case, n, cap, tmp, args.blas_threads)
                if rho is not None:
                    rhos[case] = rho
                    info["residual"] = residual(rho, n, cache)
                elif case.startswith("qutip"):
                    stopped.add(case)
                row[case] = info
            ref = rhos.get("qness")
            t_ref = row.get("qness", {}).get("total_s")
            for case in cases:
                info = row[case]
                if case in rhos and ref is not None:
                    info["max_diff_vs_qness"] = float(np.max(np.abs(rhos[case] - ref)))
                if info.get("status") == "ok" and t_ref:
                    info["time_ratio_vs_qness"] = info["total_s"] / t_ref
                peak = (f"{info['peak_mb']:.0f} (+{info['peak_mb'] - info['base_mb']:.0f})"
                        if "peak_mb" in info else "-")
                res = f"{info['residual']:.1e}" if "residual" in info else "-"
                diff = (f"{info['max_diff_vs_qness']:.1e}" if "max_diff_vs_qness" in info
                        and case != "qness" else "-")
                ratio = (f"{info['time_ratio_vs_qness']:.3g}" if "time_ratio_vs_qness" in info
                         and case != "qness" else "-")
                print(f"{n:>2} {2**n:>5} | {case:<14} {info.get('method', '-')!s:<22} "
                      f"{fmt_time(info):<26} {peak:>12} {res:>9} {diff:>9} {ratio:>9}",
                      flush=True)
                results.append(info)
            print(flush=True)
    print_summary(results)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1, default=str)


if __name__ == "__main__":
    main()
