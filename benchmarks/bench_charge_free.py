"""Benchmark: the iterative solver on generic N-qubit chains *without* a conserved charge.

Model: :func:`qness.models.nqubit.generic_qubits` (local decay, pumping, dephasing, collective
decay, XX chain with site-dependent frequencies) plus a transverse drive
``Omega sum_j sigma_j^x`` (default ``Omega = 0.2``), which breaks the excitation-number U(1)
charge: the charge-0 sector is the whole ``4^N``-dimensional operator space.  ``--flip RATE``
adds the jumps ``sqrt(RATE) sigma_j^x`` as well.  The charged chain (``Omega = 0``) is run next to
it for comparison (``--no-charged`` to skip).

Every case runs in a fresh subprocess (``OMP_NUM_THREADS`` etc. set to ``--blas-threads``, 1 by
default) so that its peak resident memory (``VmHWM``) is its own.  Reported per case: wall
and CPU time of building the generator and of ``solve_iterative`` (with its internal split:
factorisation of ``K``, jump superoperator, FGMRES, uniqueness certificate), FGMRES iterations,
its relative residual, the validated residual ``||L rho||_F / ||L||_F``, the precision of the
preconditioner, peak RSS, and the load average at the start and end of the case (the machine is
shared: read wall times against the load, CPU times are less sensitive).  ``--qutip-nmax N``
also compares the state with ``qutip.steadystate`` for N <= that value.

Measured (``python benchmarks/bench_charge_free.py --nmin 8 --nmax 10``, ``OMP_NUM_THREADS=1``,
2 cores shared with other jobs, 1-min load average 2.5-2.9; solve s = wall, CPU in brackets;
"before" = the previous solver: GMRES on ``L P`` in complex128 with the jump part as stacked
sparse products, measured the same way in the same hour):

==  =========  ===============  =====  ===============  ==========  ==========================
N   model      solve s (CPU)    iters  FGMRES / final   peak MiB    before: s (CPU), MiB
                                       residual
==  =========  ===============  =====  ===============  ==========  ==========================
8   no charge  1.05 (0.71)      34     5.8e-11/3.3e-15  145         2.82 (1.75), 176
9   no charge  5.15 (4.26)      37     7.7e-11/1.6e-15  307         18.2 (12.0), 456
10  no charge  29.2 (28.8)      40     8.4e-11/6.3e-16  985         116 (86), 1621
10  charged    6.16 (4.69)      39     7.0e-11/5.2e-16  297         6.16 (6.06), 293
==  =========  ===============  =====  ===============  ==========  ==========================

(charged N = 10, three alternating repeats at load 2.2-2.3: 5.0-5.2 s after, 6.1-6.4 s
before.)  With ``--flip 0.03`` (``sigma^x`` jumps as well) N = 10 takes 43 iterations, 34 s and
1.2 GiB.  Profile at N = 10 without a charge (CPU time): one FGMRES iteration costs about
0.55 s: 0.34 s for the four complex64 ``1024 x 1024`` products of the preconditioner, 0.13 s
for ``L`` (one sparse product with ``K``, one with the jump superoperator, two products for the
collective jump), 0.04 s Gram--Schmidt, 0.03 s Hermitian packing; ``eig(K)`` takes 2.3 s.

Usage::

    python benchmarks/bench_charge_free.py                      # N = 8..10
    python benchmarks/bench_charge_free.py --nmin 6 --nmax 7 --qutip-nmax 7 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
from _harness import peak_rss_mb, run_worker


def charge_free_qubits(n: int, drive: float = 0.2, flip: float = 0.0):
    """The generic chain plus ``drive * sum_j sigma_j^x`` in ``H`` and, for ``flip > 0``, the
    jumps ``sqrt(flip) sigma_j^x`` (QuTiP tensor order, sparse CSR operators)."""
    import scipy.sparse as sp

    from qness.models.nqubit import generic_qubits

    h, c_ops = generic_qubits(n)
    sx = sp.csr_array(np.array([[0.0, 1.0], [1.0, 0.0]], dtype=complex))
    site_x = [sp.csr_array(sp.kron(sp.kron(sp.identity(2**j), sx), sp.identity(2 ** (n - j - 1)),
                                   format="csr")) for j in range(n)]
    if drive:
        h = sp.csr_array(h + drive * sum(site_x[1:], site_x[0]))
    if flip > 0:
        c_ops = c_ops + [np.sqrt(flip) * op for op in site_x]
    return h, c_ops


def solve_case(n: int, drive: float, flip: float, save: str | None) -> dict:
    """Build and solve one case in this process; return the measurements."""
    import qness
    from qness.steady.iterative import solve_iterative

    load0 = os.getloadavg()[0]
    w0, c0 = time.perf_counter(), time.process_time()
    h, c_ops = charge_free_qubits(n, drive, flip)
    gen = qness.liouvillian(h, c_ops, dims=[2] * n)
    w1, c1 = time.perf_counter(), time.process_time()
    ss = solve_iterative(gen)
    w2, c2 = time.perf_counter(), time.process_time()
    if save:
        np.save(save, ss.rho)
    return {"n": n, "drive": drive, "flip": flip, "build_s": w1 - w0, "solve_s": w2 - w1,
            "build_cpu_s": c1 - c0, "solve_cpu_s": c2 - c1, "iterations": ss.info["iterations"],
            "gmres_residual": ss.info["gmres_residual"], "residual": ss.residual,
            "sectors": ss.info["sectors"], "unknowns": ss.info["unknowns"],
            "precision": ss.info["preconditioner_precision"],
            "superop_nnz": ss.info["jump_superoperator_nnz"],
            "timings": ss.info["timings"], "uniqueness": ss.info["uniqueness"],
            "peak_mb": peak_rss_mb(), "load_start": load0, "load_end": os.getloadavg()[0]}


def run_case(n: int, drive: float, flip: float, threads: int, cap: float,
             save: str | None = None) -> dict:
    """One case in a subprocess with a wall-clock cap."""
    args = ["--n", str(n), "--drive", repr(drive), "--flip", repr(flip)]
    return run_worker(__file__, args + (["--save", save] if save else []), cap, threads,
                      {"n": n, "drive": drive, "flip": flip}, width=100)


def qutip_difference(n: int, drive: float, flip: float, rho: np.ndarray) -> float:
    """``max |rho - rho_QuTiP|`` with ``qutip.steadystate`` on the same operators."""
    import qutip

    h, c_ops = charge_free_qubits(n, drive, flip)
    dims = [[2] * n, [2] * n]
    ref = qutip.steadystate(qutip.Qobj(h.toarray(), dims=dims),
                            [qutip.Qobj(c.toarray(), dims=dims) for c in c_ops]).full()
    return float(np.max(np.abs(rho - ref)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nmin", type=int, default=8)
    parser.add_argument("--nmax", type=int, default=10)
    parser.add_argument("--drive", type=float, default=0.2, help="transverse drive Omega")
    parser.add_argument("--flip", type=float, default=0.0, help="rate of sigma^x jumps")
    parser.add_argument("--no-charged", action="store_true",
                        help="skip the charged chain (Omega = 0, no flips)")
    parser.add_argument("--qutip-nmax", type=int, default=0,
                        help="compare with qutip.steadystate up to this N")
    parser.add_argument("--cap", type=float, default=600.0, help="time cap per case, s")
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="BLAS/OpenMP threads per case (0: library default)")
    parser.add_argument("--json", default=None, help="write all results to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--save", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(solve_case(args.n, args.drive, args.flip, args.save), default=str))
        return
    import platform
    import tempfile

    import scipy

    import qness

    print(f"# qness {qness.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, "
          f"python {platform.python_version()}, {os.cpu_count()} CPUs, BLAS threads per case: "
          f"{args.blas_threads or 'default'}")
    print("# wall (CPU) seconds; solve = solve_iterative incl. uniqueness and validation; "
          "residual = ||L rho||_F/||L||_F; load = 1-min load average at start/end")
    header = (f"{'N':>2} {'model':<10} {'build s':>8} {'solve s (CPU)':>16} {'iters':>5} "
              f"{'gmres res':>9} {'residual':>9} {'prec':>9} {'peak MiB':>9} {'load':>9}  "
              "split (factorize/superop/fgmres/uniqueness s)")
    print(header)
    print("-" * len(header))
    models = [("no charge", args.drive, args.flip)]
    if not args.no_charged:
        models.append(("charged", 0.0, 0.0))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.nmin, args.nmax + 1):
            for label, drive, flip in models:
                save = os.path.join(tmp, f"{n}-{drive}-{flip}.npy")
                info = run_case(n, drive, flip, args.blas_threads, args.cap, save)
                info["model"] = label
                if info["status"] != "ok":
                    print(f"{n:>2} {label:<10} {info['status']}", flush=True)
                    results.append(info)
                    continue
                if n <= args.qutip_nmax:
                    info["max_diff_vs_qutip"] = qutip_difference(n, drive, flip, np.load(save))
                tm = info["timings"]
                split = "/".join(f"{tm.get(k, 0.0):.2g}" for k in
                                 ("factorize", "jump_superoperator", "gmres", "uniqueness"))
                extra = (f"  |drho| vs QuTiP {info['max_diff_vs_qutip']:.1e}"
                         if "max_diff_vs_qutip" in info else "")
                solve = f"{info['solve_s']:.3g} ({info['solve_cpu_s']:.3g})"
                load = f"{info['load_start']:.1f}/{info['load_end']:.1f}"
                print(f"{n:>2} {label:<10} {info['build_s']:>8.2g} {solve:>16} "
                      f"{info['iterations']:>5} {info['gmres_residual']:>9.1e} "
                      f"{info['residual']:>9.1e} {info['precision']:>9} "
                      f"{info['peak_mb']:>9.0f} {load:>9}  {split}{extra}", flush=True)
                results.append(info)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1, default=str)


if __name__ == "__main__":
    main()
