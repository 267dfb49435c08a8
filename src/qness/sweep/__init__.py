"""Parameter sweeps at scale: declarative grids, batched/process/dask executors, Zarr stores
with checkpoint and resume.

Quick start::

    from qness.sweep import Sweep, linear, log, product, run_sweep

    sweep = Sweep("hou2025", product(mu=linear(-1, 0.99, 41), r=log(0.1, 5, 30)),
                  fixed={"T": 0.0}, measures=["concurrence", "populations.S"])
    ds = run_sweep(sweep, "mu_r.zarr")          # xarray.Dataset backed by the Zarr store

or from a TOML file: ``qness sweep examples/hou2025_mu_r.toml --out mu_r.zarr``.
"""

from __future__ import annotations

from .grid import (
    AxisSpec,
    Grid,
    ProductGrid,
    RandomGrid,
    Refine,
    ZipGrid,
    linear,
    log,
    product,
    random_samples,
    values,
    zipped,
)
from .run import DIAGNOSTICS, EXECUTORS, Sweep, compute_chunk, prepare, run_sweep
from .store import CorruptStoreError, StoreMismatchError, SweepStore, store_info

__all__ = [
    "DIAGNOSTICS",
    "EXECUTORS",
    "AxisSpec",
    "CorruptStoreError",
    "Grid",
    "ProductGrid",
    "RandomGrid",
    "Refine",
    "StoreMismatchError",
    "Sweep",
    "SweepStore",
    "ZipGrid",
    "compute_chunk",
    "linear",
    "log",
    "prepare",
    "product",
    "random_samples",
    "run_sweep",
    "store_info",
    "values",
    "zipped",
]
