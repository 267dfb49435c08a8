"""Reproductions of papers' figures: one module per paper exposing
``reproduce(out_dir, progress=None, quick=False) -> list[dict]`` (summary-table rows).

The CLI (``qness reproduce NAME``) looks modules up in :data:`AVAILABLE`.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError

#: name -> module path of the reproductions shipped with qness.
AVAILABLE: dict[str, str] = {"hou2025": "qness.reproduce.hou2025"}


def run(name: str, out_dir: str | Path, progress: Any = None, quick: bool = False
        ) -> list[dict[str, Any]]:
    """Run the reproduction ``name`` into ``out_dir`` (created if missing); summary rows."""
    if name not in AVAILABLE:
        raise InvalidInputError(
            f"unknown reproduction {name!r}; available: {', '.join(sorted(AVAILABLE))}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return import_module(AVAILABLE[name]).reproduce(out, progress=progress, quick=quick)


__all__ = ["AVAILABLE", "run"]
