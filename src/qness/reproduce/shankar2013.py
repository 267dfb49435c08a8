"""Reproduce shankar2013: target Bell fidelity of the reduced pump model versus dephasing and
with qubit T1 added (see :mod:`qness.reproduce._bell_pump`).  Writes
``shankar2013_fidelity.png`` and ``.csv``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..models import drive_models as dm
from ._bell_pump import reproduce_pump


def reproduce(out_dir: str | Path, progress: Callable[[str], None] | None = None,
              quick: bool = False) -> list[dict[str, Any]]:
    """F versus gamma_phi for gamma1 = 0 (with the closed form) and gamma1 = 0.05; PNG + CSV."""
    return reproduce_pump(dm.SPEC_SHANKAR, out_dir, progress, quick)
