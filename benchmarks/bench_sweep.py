"""Sweep benchmarks (issue 6), printed as ratios in one run.

1. Throughput: 10^6 two-qubit points (``demo`` model, concurrence and populations) with the
   ``batched`` executor into a Zarr store on disk (target: < 60 s on a 2-core machine).
2. Scaling: the same CPU-bound sweep on a dask ``LocalCluster`` with 2 workers vs 1 worker
   (target: speed-up >= 1.7; cluster start-up excluded).
3. Per-chunk overhead in dask for chunks of 10^4 points: ``(wall time x workers - sum of the
   chunks' own compute times) / sum of compute times`` on 1 worker (target < 5 %); it contains
   scheduling, serialisation, transfer, and the coordinator's Zarr writes and checkpoints that
   are not hidden behind computation.

Run:  python benchmarks/bench_sweep.py [--points 1000000] [--dask-points 200000]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from qness.sweep import Sweep, linear, log, product, run_sweep
from qness.sweep.store import SweepStore


def demo_sweep(points: int, chunk: int) -> Sweep:
    n = math.isqrt(points)
    return Sweep("demo", product(c=linear(0.0, 0.99, n), Omega=log(0.01, 1.0, n)),
                 fixed={"T": 0.05, "J": 0.05},
                 measures=["concurrence", "populations.ee", "populations.gg"],
                 chunk_size=chunk)


def chunk_seconds(store: Path) -> float:
    return float(sum(r["seconds"] for r in SweepStore(store).done().values()))


def bench_batched(points: int, chunk: int, root: Path) -> dict[str, float]:
    store = root / "batched.zarr"
    sweep = demo_sweep(points, chunk)
    t0 = time.perf_counter()
    ds = run_sweep(sweep, store, executor="batched", quiet=True)
    wall = time.perf_counter() - t0
    n = int(np.prod(list(ds.sizes.values())))
    assert bool(ds["ok"].all()), "some points failed validation"
    return {"points": n, "wall_s": wall, "points_per_s": n / wall,
            "compute_s": chunk_seconds(store)}


def _one_chunk(_: int) -> float:
    from qness.sweep.run import _make_task, compute_chunk, prepare

    plan = prepare(demo_sweep(10_000, 10_000))
    task = _make_task(plan, "x", 0, (0, 0), None)
    t0 = time.perf_counter()
    compute_chunk(task)
    return time.perf_counter() - t0


def parallel_ceiling() -> float:
    """Speed-up the machine itself allows for 2 processes: the same 10^4-point chunk computed
    twice in one process vs once in each of two processes at the same time (no dask, no
    store).  On a machine shared with other jobs this is far below 2."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        pool.map(_one_chunk, [0, 1])                  # warm both workers
        serial = sum(pool.apply(_one_chunk, (i,)) for i in range(2))
        t0 = time.perf_counter()
        pool.map(_one_chunk, [0, 1], chunksize=1)
        parallel = time.perf_counter() - t0
    return serial / parallel


def bench_dask(points: int, chunk: int, root: Path) -> dict[str, float]:
    from distributed import Client, LocalCluster

    out: dict[str, float] = {}
    sweep = demo_sweep(points, chunk)
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            # warm the workers (imports) outside the timing
            client.run(lambda: __import__("qness.sweep.run"))
            warm = demo_sweep(4 * workers, 4)
            run_sweep(warm, root / f"warm{workers}.zarr", executor="dask",
                      address=cluster.scheduler_address, overwrite=True)
            store = root / f"dask{workers}.zarr"
            t0 = time.perf_counter()
            run_sweep(sweep, store, executor="dask", address=cluster.scheduler_address)
            wall = time.perf_counter() - t0
        comp = chunk_seconds(store)
        out[f"wall_{workers}w_s"] = wall
        out[f"compute_{workers}w_s"] = comp
        out[f"overhead_{workers}w"] = (wall * workers - comp) / comp
        out[f"chunks_{workers}w"] = len(SweepStore(store).done())
    out["speedup_2_vs_1"] = out["wall_1w_s"] / out["wall_2w_s"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=float, default=1e6)
    ap.add_argument("--dask-points", type=float, default=2e5)
    ap.add_argument("--chunk", type=int, default=10_000)
    ap.add_argument("--dir", type=Path, default=None, help="where to write the stores")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="qness-bench-", dir=args.dir))
    try:
        print(f"machine: {os.cpu_count()} cores; stores under {root}")
        b = bench_batched(int(args.points), args.chunk, root)
        print(f"[batched] {b['points']:.3g} points in {b['wall_s']:.1f} s "
              f"({b['points_per_s']:.3g} points/s; chunks' own compute {b['compute_s']:.1f} s, "
              f"store/checkpoint share {1 - b['compute_s'] / b['wall_s']:.1%}); "
              f"target < 60 s: {'PASS' if b['wall_s'] < 60 else 'FAIL'}")
        ceiling = parallel_ceiling()
        print(f"[machine] 2 processes vs 1 on the same chunk, no dask: {ceiling:.2f}x "
              f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        d = bench_dask(int(args.dask_points), args.chunk, root)
        print(f"[dask] {args.dask_points:.3g} points, chunks of {args.chunk}: 1 worker "
              f"{d['wall_1w_s']:.2f} s, 2 workers {d['wall_2w_s']:.2f} s -> speed-up "
              f"{d['speedup_2_vs_1']:.2f}x (target >= 1.7: "
              f"{'PASS' if d['speedup_2_vs_1'] >= 1.7 else 'FAIL'}; "
              f"{d['speedup_2_vs_1'] / ceiling:.0%} of the machine's own 2-process ceiling)")
        print(f"[dask] per-chunk overhead (1 worker): {d['overhead_1w']:.1%} of compute "
              f"(target < 5 %: {'PASS' if d['overhead_1w'] < 0.05 else 'FAIL'}); "
              f"2 workers: {d['overhead_2w']:.1%}")
        print(json.dumps({"batched": b, "dask": d, "ceiling": ceiling}, indent=None))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
