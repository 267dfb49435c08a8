"""``qness sweep | info`` from the command line: exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qness.cli import main

SPEC = """
model = "demo"
measures = ["concurrence"]
[grid.axes.c]
values = [0.2, 0.9]
[run]
chunk_size = 1
"""


def test_sweep_info_and_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    spec = tmp_path / "s.toml"
    spec.write_text(SPEC)
    store = tmp_path / "s.zarr"
    res = runner.invoke(main, ["sweep", str(spec), "--out", str(store), "--quiet"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["info", str(store), "--json"])
    info = json.loads(res.output)
    assert info["complete"] and info["tasks_done"] == info["tasks_total"] == 2
    assert info["dims"] == {"c": 2} and info["problems"] == []
    # existing store without --resume / --overwrite
    res = runner.invoke(main, ["sweep", str(spec), "--out", str(store), "--quiet"])
    assert res.exit_code == 2 and "already exists" in res.output
    # a different sweep into the same store is refused
    spec.write_text(SPEC.replace("0.9]", "0.8]"))
    res = runner.invoke(main, ["sweep", str(spec), "--out", str(store), "--resume", "-q"])
    assert res.exit_code == 2 and "different sweep" in res.output
    # a bad file names the key
    spec.write_text(SPEC.replace("chunk_size = 1", "chunk_size = -1"))
    res = runner.invoke(main, ["sweep", str(spec), "--out", str(tmp_path / "x.zarr")])
    assert res.exit_code == 2 and "run.chunk_size" in res.output
    res = runner.invoke(main, ["sweep", str(spec), "--out", str(store), "--executor",
                               "batched", "--address", "tcp://127.0.0.1:1"])
    assert res.exit_code == 2
    # damage: info reports it and exits 2
    (store / "concurrence" / "c" / "0").write_bytes(b"garbage")
    res = runner.invoke(main, ["info", str(store)])
    assert res.exit_code == 2 and "DAMAGED" in res.output
    res = runner.invoke(main, ["info", str(tmp_path / "nothing.zarr")])
    assert res.exit_code == 2 and "no sweep store" in res.output
