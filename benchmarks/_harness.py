"""Shared plumbing of the benchmark scripts: per-process peak memory and capped worker runs.

Each benchmark runs every case in a fresh ``python <script> --worker ...`` subprocess so that its
peak memory is its own and a slow case can be stopped at a wall-clock cap.  The worker prints
one JSON object as its last line of output.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

BLAS_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB: ``VmHWM`` of /proc/self/status (reset by
    ``exec``, unlike ``ru_maxrss``, which Linux carries over from the forking parent)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_worker(script: str, args: Sequence[str], cap: float, threads: int | None = None,
               label: dict[str, Any] | None = None, width: int = 80) -> dict[str, Any]:
    """Run ``python script --worker *args`` with a wall-clock cap of ``cap`` seconds.

    ``threads`` sets the BLAS/OpenMP thread count of the worker.  Returns the worker's JSON
    result with ``status = 'ok'``, or ``label`` with a ``status`` saying why it failed (stopped
    at the cap, or the last line of its error output) and the elapsed ``wall_s``.
    """
    cmd = [sys.executable, os.path.abspath(script), "--worker", *args]
    env = dict(os.environ)
    if threads:
        env.update({var: str(threads) for var in BLAS_VARIABLES})
    label = dict(label or {})
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=cap, env=env)
    except subprocess.TimeoutExpired:
        return {**label, "status": f"> {cap:.0f} s (stopped)"}
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["?"]
        return {**label, "status": f"failed: {tail[0][:width]}",
                "wall_s": time.perf_counter() - t0}
    return {**json.loads(proc.stdout.strip().splitlines()[-1]), "status": "ok"}
