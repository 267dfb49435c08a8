"""Shared output plumbing of the reproduce scripts: a headless pyplot and the output folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any


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
