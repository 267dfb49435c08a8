"""Sweeps equal point-by-point solves for every executor; resume, mismatch and corruption."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from qness.errors import InvalidInputError
from qness.sweep import (
    CorruptStoreError,
    Refine,
    StoreMismatchError,
    Sweep,
    linear,
    log,
    product,
    random_samples,
    run_sweep,
    store_info,
    values,
    zipped,
)
from qness.sweep.store import SweepStore

from .oracle import assert_matches_pointwise

DEMO_MEASURES = ["concurrence", "negativity", "populations.gg"]
DEMO_FIXED = {"T": 0.1, "J": 0.05}


def demo_sweep(n_c: int = 4, n_om: int = 3, chunk: int = 5) -> Sweep:
    return Sweep("demo", product(c=linear(0.0, 0.98, n_c), Omega=log(0.02, 0.5, n_om)),
                 fixed=DEMO_FIXED, measures=DEMO_MEASURES, chunk_size=chunk)


def same_data(a: xr.Dataset, b: xr.Dataset) -> None:
    a, b = a.load(), b.load()
    assert set(a.data_vars) == set(b.data_vars)
    for k in a.data_vars:
        np.testing.assert_array_equal(a[k].values, b[k].values, err_msg=k)
    for k in a.coords:
        np.testing.assert_array_equal(a[k].values, b[k].values, err_msg=k)


def test_batched_sweep_equals_pointwise(tmp_path: Path) -> None:
    ds = run_sweep(demo_sweep(), tmp_path / "s.zarr")
    assert ds.sizes == {"c": 4, "Omega": 3}
    assert ds["c"].attrs["units"] == "1" and ds["Omega"].attrs["units"] == "gamma"
    assert ds["Omega"].attrs["scale"] == "log"
    n = assert_matches_pointwise(ds, "demo", DEMO_FIXED, DEMO_MEASURES, ["c", "Omega"])
    assert n == 12
    # the store opens with plain xarray and carries provenance
    ds2 = xr.open_zarr(tmp_path / "s.zarr")
    assert ds2.attrs["model"] == "demo" and json.loads(ds2.attrs["parameters"])["T"] == 0.1
    for key in ("qness_version", "git_commit", "model_spec", "grid", "created", "finished",
                "host", "spec_hash"):
        assert key in ds2.attrs
    assert bool(ds2["ok"].all())


def test_processes_executor_equals_pointwise(tmp_path: Path) -> None:
    ds = run_sweep(demo_sweep(), tmp_path / "p.zarr", executor="processes", workers=2)
    assert_matches_pointwise(ds, "demo", DEMO_FIXED, DEMO_MEASURES, ["c", "Omega"])
    same_data(ds, run_sweep(demo_sweep(), tmp_path / "b.zarr"))


def test_hou2025_zip_and_random_grids(tmp_path: Path) -> None:
    fixed = {"T": 0.0, "eta": 0.3}
    z = Sweep("hou2025", zipped(mu=values([0.99, 0.995, 0.998]), r=values([0.3, 1.0, 2.0])),
              fixed=fixed, measures=["concurrence", "populations.S"], chunk_size=2)
    ds = run_sweep(z, tmp_path / "z.zarr")
    assert ds.sizes == {"point": 3} and ds["r"].attrs["units"].startswith("lambda0")
    assert_matches_pointwise(ds, "hou2025", fixed, ["concurrence", "populations.S"],
                             ["mu", "r"])
    r = Sweep("hou2025", random_samples(5, seed=1, mu=linear(0.98, 0.999), r=log(0.1, 3.0)),
              fixed=fixed, measures=["concurrence"], chunk_size=2)
    ds = run_sweep(r, None)
    assert_matches_pointwise(ds, "hou2025", fixed, ["concurrence"], ["mu", "r"])
    assert np.all((ds["mu"] >= 0.98) & (ds["mu"] <= 0.999))


def test_extra_dimensions_and_default_measures(tmp_path: Path) -> None:
    sw = Sweep("hou2025", product(mu=values([0.99, 0.995])), fixed={"T": 0.0},
               measures=["rates.down"], chunk_size=1)
    ds = run_sweep(sw, None)
    assert ds["rates.down"].dims == ("mu", "rates.down_dim0", "rates.down_dim1")
    m = ds["rates.down"].values
    np.testing.assert_allclose(m, np.swapaxes(m, 1, 2))  # symmetric rate matrices
    default = run_sweep(Sweep("demo", product(c=values([0.5]))), None)
    assert {"concurrence", "purity", "populations.ee"} <= set(default.data_vars)


def test_adaptive_refinement_follows_the_boundary(tmp_path: Path) -> None:
    fixed = {"T": 0.0}
    refine = Refine("concurrence", levels=2, boundary=1e-12)
    sw = Sweep("hou2025", product(mu=linear(0.985, 0.999, 5), r=log(0.1, 3.0, 4),
                                  refine=refine),
               fixed=fixed, measures=["concurrence"], chunk_size=20)
    ds = run_sweep(sw, tmp_path / "a.zarr").load()
    assert ds.sizes == {"mu": 17, "r": 13}
    level = ds["level"].values
    computed = level >= 0
    assert 20 < computed.sum() < 17 * 13          # refined, but not everywhere
    assert np.all(computed[::4, ::4])              # the coarse grid is complete
    # the computed points equal independent solves; interpolated ones are marked, not solved
    assert_matches_pointwise(ds, "hou2025", fixed, ["concurrence"], ["mu", "r"])
    assert np.all(np.isnan(ds["residual"].values[~computed]))
    # along every r column the C = 0 crossing is bracketed by adjacent computed fine points
    c = ds["concurrence"].values
    for j in range(0, 13, 4):
        col_c, col_k = c[:, j], computed[:, j]
        inside = col_c > 1e-12
        if inside.any() and not inside.all():
            i = int(np.argmax(inside)) - 1  # last point outside before the first inside
            assert col_k[i] and col_k[i + 1], f"boundary at r index {j} not refined"


def test_resume_recomputes_only_missing_chunks(tmp_path: Path) -> None:
    store = tmp_path / "r.zarr"
    partial = run_sweep(demo_sweep(chunk=3), store, max_tasks=2)
    assert not store_info(store)["complete"]
    assert int(partial["kernel_dim"].values.min()) == -1  # unfinished points hold fill values
    done_before = set(SweepStore(store).done())
    assert len(done_before) == 2
    ds = run_sweep(demo_sweep(chunk=3), store, resume=True)
    events = SweepStore(store).events()
    runs = [e["run"] for e in events if e["event"] == "run_start"]
    second = [e["key"] for e in events if e["event"] == "computed" and e["run"] == runs[1]]
    assert not set(second) & done_before
    assert len(second) == len(set(second)) == 4 - 2
    same_data(ds, run_sweep(demo_sweep(chunk=3), None))
    assert store_info(store)["complete"]


def test_adaptive_resume_is_identical(tmp_path: Path) -> None:
    def sweep() -> Sweep:
        return Sweep("hou2025", product(mu=linear(0.985, 0.999, 4), r=log(0.1, 3.0, 3),
                                        refine=Refine("concurrence", 2, boundary=1e-12)),
                     fixed={"T": 0.0}, measures=["concurrence"], chunk_size=10)

    store = tmp_path / "ar.zarr"
    run_sweep(sweep(), store, max_tasks=3)
    ds = run_sweep(sweep(), store, resume=True)
    same_data(ds, run_sweep(sweep(), None))


def test_mismatched_store_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "m.zarr"
    run_sweep(demo_sweep(), store, max_tasks=1)
    with pytest.raises(StoreMismatchError, match="grid"):
        run_sweep(demo_sweep(n_c=5), store, resume=True)
    other = Sweep("hou2025", product(mu=values([0.99])), chunk_size=5)
    with pytest.raises(StoreMismatchError, match="model"):
        run_sweep(other, store, resume=True)
    with pytest.raises(InvalidInputError, match="already exists"):
        run_sweep(demo_sweep(), store)


def test_corrupted_store_is_detected(tmp_path: Path) -> None:
    store = tmp_path / "c.zarr"
    run_sweep(demo_sweep(), store)
    assert store_info(store)["problems"] == []
    # truncate one finished chunk of one variable
    chunk = store / "concurrence" / "c" / "1" / "0"
    chunk.write_bytes(chunk.read_bytes()[:7])
    problems = store_info(store)["problems"]
    assert len(problems) == 1 and problems[0].startswith("chunk L0-B1_0")
    assert "damaged" in problems[0]
    with pytest.raises(CorruptStoreError, match="damaged"):
        run_sweep(demo_sweep(), store, resume=True)
    # a deleted chunk (reads back as fill values) is caught by the checksum
    store2 = tmp_path / "c2.zarr"
    run_sweep(demo_sweep(), store2)
    shutil.rmtree(store2 / "residual" / "c" / "0")
    with pytest.raises(CorruptStoreError, match="checksum"):
        run_sweep(demo_sweep(), store2, resume=True)
    # truncated metadata
    store3 = tmp_path / "c3.zarr"
    run_sweep(demo_sweep(), store3, max_tasks=1)
    meta = store3 / "ok" / "zarr.json"
    meta.write_text(meta.read_text()[:20])
    with pytest.raises(CorruptStoreError):
        run_sweep(demo_sweep(), store3, resume=True)


def test_bad_sweeps_raise(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="unknown model"):
        run_sweep(Sweep("nope", product(c=values([0.5]))), None)
    with pytest.raises(InvalidInputError, match="allowed range"):
        run_sweep(Sweep("demo", product(c=values([0.5, 1.5]))), None)
    with pytest.raises(InvalidInputError, match="available"):
        run_sweep(Sweep("demo", product(c=values([0.5])), measures=["entropy"]), None)
    with pytest.raises(InvalidInputError, match="only numeric"):
        run_sweep(Sweep("hou2025", product(lamb_shift=values([0, 1]))), None)
    with pytest.raises(InvalidInputError, match="both fixed and swept"):
        run_sweep(Sweep("demo", product(c=values([0.5])), fixed={"c": 0.2}), None)
    with pytest.raises(InvalidInputError, match="executor"):
        run_sweep(Sweep("demo", product(c=values([0.5]))), tmp_path / "x.zarr",
                  executor="threads")


def test_failing_points_are_flagged_not_fatal(tmp_path: Path) -> None:
    # hou2025 at r = 0 with at_contact='raise' has a degenerate kernel: flagged, not fatal
    sw = Sweep("hou2025", product(r=values([0.0, 0.5])), fixed={"T": 0.0},
               measures=["concurrence"], chunk_size=2)
    ds = run_sweep(sw, None)
    assert ds["kernel_dim"].values.tolist()[0] > 1
    assert ds["ok"].values.tolist() == [False, True]
    assert int(ds.attrs["failed_points"]) == 1
