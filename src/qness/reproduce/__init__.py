"""Reproductions of papers' figures: one module per paper exposing
``reproduce(out_dir, progress=None, quick=False) -> list[dict]`` (summary-table rows).

Every module ``qness/reproduce/<name>.py`` whose name does not start with ``_`` is discovered;
``_`` in the module name reads as ``-`` in the reproduction's name (``brask2015_qutrit`` ->
``brask2015-qutrit``), so a new reproduction needs no registration list.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError


def available() -> dict[str, str]:
    """Map each reproduction's name to its module path."""
    return {info.name.replace("_", "-"): f"{__name__}.{info.name}"
            for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")}


def run(name: str, out_dir: str | Path, progress: Any = None, quick: bool = False
        ) -> list[dict[str, Any]]:
    """Run the reproduction ``name`` into ``out_dir`` (created if missing); summary rows."""
    modules = available()
    if name not in modules:
        raise InvalidInputError(
            f"unknown reproduction {name!r}; available: {', '.join(sorted(modules))}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return import_module(modules[name]).reproduce(out, progress=progress, quick=quick)


__all__ = ["available", "run"]
