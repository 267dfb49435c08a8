"""Fault tolerance: SIGKILL of the sweep process, and of a dask worker, in mid-sweep."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from qness.config import load_sweep
from qness.sweep import run_sweep, store_info
from qness.sweep.store import SweepStore

SPEC = """
model = "demo"
measures = ["concurrence", "populations.ee"]
[parameters]
T = 0.05
[grid]
kind = "product"
[grid.axes.c]
start = 0.0
stop = 0.99
num = {n}
[grid.axes.Omega]
start = 0.01
stop = 1.0
num = {n}
scale = "log"
[run]
chunk_size = {chunk}
"""


def write_spec(tmp_path: Path, n: int, chunk: int) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(SPEC.format(n=n, chunk=chunk))
    return path


def n_done(store: Path) -> int:
    folder = store / "_qness" / "done"
    return len(list(folder.glob("*.json"))) if folder.exists() else 0


def assert_same(a: xr.Dataset, b: xr.Dataset) -> None:
    a, b = a.load(), b.load()
    assert set(a.data_vars) == set(b.data_vars)
    for k in a.data_vars:
        np.testing.assert_array_equal(a[k].values, b[k].values, err_msg=k)


def computed_keys_by_run(store: Path) -> list[list[str]]:
    events = SweepStore(store).events()
    runs = [e["run"] for e in events if e["event"] == "run_start"]
    return [[e["key"] for e in events if e["event"] == "computed" and e["run"] == r]
            for r in runs]


def test_sigkill_then_resume_equals_uninterrupted(tmp_path: Path) -> None:
    spec_file = write_spec(tmp_path, n=16, chunk=8)   # blocks of (1, 8): 32 chunks
    store = tmp_path / "k.zarr"
    proc = subprocess.Popen([sys.executable, "-m", "qness.cli", "sweep", str(spec_file),
                             "--out", str(store), "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while n_done(store) < 4 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the sweep finished before it could be killed"
    before = set(SweepStore(store).done())
    total = store_info(store)["tasks_total"]
    assert total == 32
    assert 4 <= len(before) < total
    info = store_info(store)
    assert not info["complete"] and info["problems"] == []

    from click.testing import CliRunner

    from qness.cli import main

    res = CliRunner().invoke(main, ["sweep", str(spec_file), "--out", str(store), "--resume",
                                    "--quiet"])
    assert res.exit_code == 0, res.output
    runs = computed_keys_by_run(store)
    assert len(runs) == 2
    resumed = runs[1]
    assert not set(resumed) & before                 # no finished chunk computed again
    assert len(resumed) == len(set(resumed)) == total - len(before)
    sweep, _ = load_sweep(spec_file)
    assert_same(xr.open_zarr(store), run_sweep(sweep, None))
    assert store_info(store)["complete"]


@pytest.mark.slow
def test_dask_worker_killed_mid_sweep(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    spec_file = write_spec(tmp_path, n=20, chunk=5)   # blocks of (1, 5): 80 chunks
    sweep, _ = load_sweep(spec_file)
    store = tmp_path / "d.zarr"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        outcome: dict[str, object] = {}

        def work() -> None:
            try:
                outcome["ds"] = run_sweep(sweep, store, executor="dask",
                                          address=cluster.scheduler_address)
            except Exception as exc:  # pragma: no cover - reported below
                outcome["error"] = exc

        thread = threading.Thread(target=work)
        thread.start()
        deadline = time.monotonic() + 60
        while n_done(store) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        pids = client.run(os.getpid)
        victim = sorted(pids)[0]
        os.kill(pids[victim], signal.SIGKILL)
        thread.join(120)
        assert "error" not in outcome, outcome.get("error")
        assert n_done(store) == 80
    keys = computed_keys_by_run(store)
    assert len(keys) == 1 and len(keys[0]) == len(set(keys[0])) == 80  # each chunk written once
    assert_same(xr.open_zarr(store), run_sweep(sweep, None))


def test_dask_executor_equals_pointwise(tmp_path: Path) -> None:
    from distributed import LocalCluster

    from .oracle import assert_matches_pointwise

    spec_file = write_spec(tmp_path, n=4, chunk=5)
    sweep, _ = load_sweep(spec_file)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        ds = run_sweep(sweep, tmp_path / "dd.zarr", executor="dask",
                       address=cluster.scheduler_address)
        assert_matches_pointwise(ds, "demo", {"T": 0.05}, ["concurrence", "populations.ee"],
                                 ["c", "Omega"])
