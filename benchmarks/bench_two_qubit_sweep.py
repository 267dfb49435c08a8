"""Two-qubit parameter sweep: qness batched solve vs a QuTiP loop, in the same run.

The model: two detuned qubits with XX exchange ``J``, each with local decay and pumping, plus a
correlated (collective) decay channel of correlation ``c``; a weak drive on qubit 0.  The sweep
varies ``(J, c)`` on a grid; for every point we compute the steady state *and* its concurrence.

qness builds all generators as one array and solves them in one batched call; QuTiP builds and
solves point by point (``qutip.liouvillian`` + ``qutip.steadystate`` + ``qutip.concurrence``).
QuTiP is timed on ``--qutip-points`` points (a random subset of the grid, default 1000) and its
rate extrapolated; the two results are compared on that subset.

Run:  python benchmarks/bench_two_qubit_sweep.py [--points 10000] [--qutip-points 1000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import qness
from qness import Space
from qness import operators as ops


def model_arrays(J: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Batched (H, c_ops) for parameter arrays ``J`` and ``c`` of equal shape (B,)."""
    s = Space.qubits(2)
    sm = [s.embed(ops.sigmam(), j).toarray() for j in range(2)]
    sz = [s.embed(ops.sigmaz(), j).toarray() for j in range(2)]
    ex = s.embed_two(ops.sigmap(), 0, ops.sigmam(), 1).toarray()
    drive = 0.05 * (sm[0] + sm[0].conj().T)
    H = (0.1 * (sz[0] - sz[1]))[None] + J[:, None, None] * (ex + ex.conj().T)[None] + drive[None]
    gamma, pump = 1.0, 0.05
    amp_s = np.sqrt(0.5 * (1 + c))[:, None, None]
    amp_a = np.sqrt(0.5 * (1 - c))[:, None, None]
    c_ops = [
        np.sqrt(pump) * sm[0].conj().T, np.sqrt(pump) * sm[1].conj().T,   # pumping (shared)
        0.1 * sz[0], 0.1 * sz[1],                                         # dephasing (shared)
        np.sqrt(gamma) * amp_s * (sm[0] + sm[1]),                          # collective, batched
        np.sqrt(gamma) * amp_a * (sm[0] - sm[1]),
    ]
    return H, c_ops


def run_qness(J, c):
    H, c_ops = model_arrays(J, c)
    ss = qness.steadystate(H, c_ops)
    return ss, qness.concurrence(ss.rho)


def run_qutip(J, c):
    import qutip as qt

    H, c_ops = model_arrays(J, c)
    rhos, conc = [], []
    for b in range(len(J)):
        Hq = qt.Qobj(H[b], dims=[[2, 2], [2, 2]])
        cq = [qt.Qobj(x if x.ndim == 2 else x[b], dims=[[2, 2], [2, 2]]) for x in c_ops]
        rho = qt.steadystate(Hq, cq)
        rhos.append(rho.full())
        conc.append(qt.concurrence(rho))
    return np.array(rhos), np.array(conc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=10_000)
    ap.add_argument("--qutip-points", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    side = round(np.sqrt(args.points))
    Jg, cg = np.meshgrid(np.linspace(0.0, 2.0, side), np.linspace(0.0, 0.999, side))
    J, c = Jg.ravel(), cg.ravel()
    n = len(J)

    run_qness(J[:100], c[:100])  # warm-up (imports, allocator)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        ss, conc = run_qness(J, c)
        times.append(time.perf_counter() - t0)
    t_qness = min(times)
    assert np.all(ss.ok), "qness validation failed"

    rng = np.random.default_rng(0)
    sub = rng.choice(n, size=min(args.qutip_points, n), replace=False)
    t0 = time.perf_counter()
    rho_q, conc_q = run_qutip(J[sub], c[sub])
    t_qutip_sub = time.perf_counter() - t0
    per_point_qutip = t_qutip_sub / len(sub)

    import qutip

    print(f"two-qubit sweep, {n} points (steady state + concurrence), qutip {qutip.__version__}")
    print(f"  qness batched      : {t_qness:8.3f} s  -> {n / t_qness:12,.0f} points/s "
          f"(best of {args.repeat})")
    print(f"  qutip loop         : {per_point_qutip * 1e3:8.3f} ms/point -> "
          f"{1 / per_point_qutip:12,.1f} points/s (timed on {len(sub)} points, "
          f"{t_qutip_sub:.1f} s)")
    print(f"  speed-up           : {per_point_qutip * n / t_qness:12,.0f} x")
    print(f"  max |rho - rho_qutip|  on the subset: {np.abs(ss.rho[sub] - rho_q).max():.2e}")
    print(f"  max |C - C_qutip|      on the subset: {np.abs(conc[sub] - conc_q).max():.2e}")
    print(f"  max residual ||L rho||/||L||: {np.max(ss.residual):.2e}; "
          f"max C over the grid: {conc.max():.4f}")


if __name__ == "__main__":
    main()
