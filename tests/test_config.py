"""TOML sweep files: valid files load; each kind of mistake gives a clear, located error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qness.config import ConfigError, load_sweep, parse_sweep
from qness.sweep import ProductGrid, RandomGrid, ZipGrid

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hou2025_mu_r.toml"

GOOD = """
model = "demo"
measures = ["concurrence", "populations.ee"]
[parameters]
T = 0.1
[grid.axes.c]
start = 0.0
stop = 0.9
num = 4
[grid.axes.Omega]
values = [0.05, 0.1]
[solver]
method = "dense"
tolerances = {{ residual = 1e-9 }}
[run]
chunk_size = 3
executor = "processes"
workers = 2
{extra}
"""


def load_text(tmp_path: Path, text: str):
    path = tmp_path / "s.toml"
    path.write_text(text)
    return load_sweep(path)


def test_good_file(tmp_path: Path) -> None:
    sweep, run = load_text(tmp_path, GOOD.format(extra=""))
    assert sweep.model == "demo" and isinstance(sweep.grid, ProductGrid)
    assert sweep.grid.shape == (4, 2) and sweep.grid.dims == ("c", "Omega")
    np.testing.assert_allclose(sweep.grid.coordinate_values()["c"], np.linspace(0, 0.9, 4))
    assert sweep.solver == {"method": "dense", "tolerances": {"residual": 1e-9}}
    assert run.executor == "processes" and run.workers == 2 and sweep.chunk_size == 3


def test_example_file_is_valid() -> None:
    sweep, run = load_sweep(EXAMPLE)
    assert sweep.model == "hou2025" and sweep.grid.refine is not None
    assert sweep.grid.axes["r"].scale == "log" and run.executor == "batched"


def test_zip_and_random_kinds() -> None:
    base = {"model": "demo"}
    s, _ = parse_sweep({**base, "grid": {"kind": "zip", "axes": {
        "c": {"values": [0.1, 0.2]}, "T": {"values": [0.0, 0.5]}}}})
    assert isinstance(s.grid, ZipGrid) and s.grid.shape == (2,)
    s, _ = parse_sweep({**base, "grid": {"kind": "random", "samples": 7, "seed": 2, "axes": {
        "c": {"start": 0.1, "stop": 0.9}}}})
    assert isinstance(s.grid, RandomGrid) and s.grid.shape == (7,)


@pytest.mark.parametrize(("mutation", "expected"), [
    # unknown key: names the path and the allowed keys
    (("[grid.axes.c]", "[grid.axes.c]\nstep = 0.1"),
     r"grid\.axes\.c\.step: unknown key \(allowed: values, start, stop, num, scale\)"),
    (('model = "demo"', 'model = "demo"\ncolour = "red"'), r"colour: unknown key"),
    # wrong type
    (("num = 4", 'num = "four"'), r"grid\.axes\.c\.num: .*integer.*'four'"),
    (("chunk_size = 3", "chunk_size = 0"), r"run\.chunk_size: .*greater than or equal to 1"),
    # a literal outside the allowed set
    (('executor = "processes"', 'executor = "threads"'),
     r"run\.executor: .*'batched', 'processes' or 'dask'.*'threads'"),
    (('method = "dense"', 'method = "magic"'), r"solver\.method: .*'magic'"),
    # model-level checks: range, unknown parameter, unknown model
    (("stop = 0.9", "stop = 1.5"), r"grid\.axes\.c: parameter 'c' = 1\.5 is outside the allowed "
                                   r"range \[0, 1\]"),
    (("T = 0.1", "T = -1.0"), r"parameters\.T: parameter 'T' = -1 is outside the allowed range"),
    (("T = 0.1", "temperature = 0.1"), r"parameters\.temperature: model 'demo' has no parameter"),
    (('model = "demo"', 'model = "nope"'), r"model: unknown model 'nope'; known models: .*demo"),
    # structural
    (("num = 4", "num = 4\nvalues = [1.0]"), r"grid\.axes\.c: .*either 'values' or"),
])
def test_bad_files_give_clear_errors(tmp_path: Path, mutation, expected) -> None:
    old, new = mutation
    text = GOOD.format(extra="")
    assert old in text
    with pytest.raises(ConfigError, match=expected):
        load_text(tmp_path, text.replace(old, new, 1))


def test_syntax_error_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TOML syntax error"):
        load_text(tmp_path, 'model = "demo\n')
    with pytest.raises(ConfigError, match="cannot read sweep file"):
        load_sweep(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="grid: Field required"):
        parse_sweep({"model": "demo"})
    with pytest.raises(ConfigError, match=r"refine.*only for kind = 'product'"):
        parse_sweep({"model": "demo", "grid": {"kind": "zip", "axes": {"c": {"values": [0.1]}},
                                               "refine": {"measure": "c", "boundary": 0.0}}})
