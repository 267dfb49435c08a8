"""Shared output plumbing of the reproduce scripts: a headless pyplot and the output folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

#: A reproduce panel: ``(title, function(out_dir, quick) -> summary rows)``.
Panel = tuple[str, Callable[[Path, bool], list[dict[str, Any]]]]


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (figures go to files only;
    imported lazily so that ``import qness`` stays light)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def output_dir(out_dir: str | Path) -> Path:
    """``out_dir`` as a Path, created if missing."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return out


def run_panels(panels: Sequence[Panel], out_dir: str | Path,
               progress: Callable[[str], None] | None, quick: bool) -> list[dict[str, Any]]:
    """Run every panel into ``out_dir`` (created if missing), announcing each to ``progress``;
    the concatenated summary rows."""
    out = output_dir(out_dir)
    rows: list[dict[str, Any]] = []
    for name, func in panels:
        if progress is not None:
            progress(name)
        rows += func(out, quick)
    return rows
