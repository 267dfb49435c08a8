"""Declarative parameter grids: product, zipped, random samples, and adaptive refinement.

A grid says *which parameter points* a sweep visits and how they are laid out in the result
dataset:

* :class:`ProductGrid` — the outer product of its axes; one dataset dimension per parameter.
* :class:`ZipGrid` — axes of equal length walked together; one dimension ``point`` with one
  coordinate per parameter.
* :class:`RandomGrid` — ``samples`` points drawn uniformly (linear or log scale) from ranges with
  a fixed seed (reproducible); one dimension ``point``.
* :class:`Refine` — attached to a product grid: the axes are refined ``levels`` times by
  midpoint insertion, and at each level only the cells where the chosen measure crosses a level
  (e.g. the ``C = 0`` boundary) or varies fastest are computed (see :mod:`qness.sweep.run`).

Axes are built with :func:`linear`, :func:`log` and :func:`values`.  Every value is a plain
number (data, never code); parameter ranges are checked later against the model's own
:class:`~qness.models.base.Parameter` definitions.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InvalidInputError

__all__ = [
    "AxisSpec",
    "Grid",
    "ProductGrid",
    "RandomGrid",
    "Refine",
    "ZipGrid",
    "block_shape",
    "linear",
    "log",
    "product",
    "random_samples",
    "values",
    "zipped",
]

SCALES = ("linear", "log")


# ----------------------------------------------------------------------------- axes
@dataclass(frozen=True)
class AxisSpec:
    """One parameter axis (unnamed; the grid gives it its parameter name).

    Either explicit ``points`` or a range ``start .. stop`` with ``num`` points (``num`` is
    ``None`` for the ranges of a random grid).  ``scale='log'`` spaces points geometrically
    (``start`` and ``stop`` must then be > 0).
    """

    points: tuple[float, ...] | None = None
    start: float | None = None
    stop: float | None = None
    num: int | None = None
    scale: str = "linear"

    def __post_init__(self) -> None:
        if self.scale not in SCALES:
            raise InvalidInputError(f"scale must be one of {SCALES}, got {self.scale!r}")
        if self.points is not None:
            if self.start is not None or self.stop is not None or self.num is not None:
                raise InvalidInputError("an axis takes either 'values' or 'start/stop/num', "
                                        "not both")
            if len(self.points) == 0:
                raise InvalidInputError("an axis needs at least one value, got []")
            arr = np.asarray(self.points, dtype=float)
            if not np.all(np.isfinite(arr)):
                raise InvalidInputError(f"axis values must be finite numbers, got "
                                        f"{list(self.points)!r}")
            if self.scale == "log" and np.any(arr <= 0):
                raise InvalidInputError("a log-scale axis needs values > 0")
            return
        if self.start is None or self.stop is None:
            raise InvalidInputError("an axis needs 'values' or both 'start' and 'stop'")
        if not (np.isfinite(self.start) and np.isfinite(self.stop)):
            raise InvalidInputError(f"axis start/stop must be finite, got {self.start!r}, "
                                    f"{self.stop!r}")
        if self.scale == "log" and (self.start <= 0 or self.stop <= 0):
            raise InvalidInputError(f"a log-scale axis needs start > 0 and stop > 0, got "
                                    f"start={self.start!r}, stop={self.stop!r}")
        if self.num is not None and self.num < 1:
            raise InvalidInputError(f"axis 'num' must be >= 1, got {self.num!r}")

    def coordinates(self, refine_levels: int = 0) -> np.ndarray:
        """The axis values, refined ``refine_levels`` times by midpoint insertion
        (geometric midpoints on a log axis): ``n -> (n - 1) 2^L + 1`` points."""
        if self.points is not None:
            base = np.asarray(self.points, dtype=float)
        else:
            if self.num is None:
                raise InvalidInputError("this axis is a range for random sampling (no 'num')")
            fn = np.geomspace if self.scale == "log" else np.linspace
            n = (self.num - 1) * 2**refine_levels + 1
            return fn(self.start, self.stop, n)
        for _ in range(refine_levels):
            base = _insert_midpoints(base, self.scale)
        return base

    def describe(self) -> dict[str, Any]:
        if self.points is not None:
            return {"values": [float(v) for v in self.points], "scale": self.scale}
        out: dict[str, Any] = {"start": float(self.start), "stop": float(self.stop),  # type: ignore[arg-type]
                               "scale": self.scale}
        if self.num is not None:
            out["num"] = int(self.num)
        return out


def _insert_midpoints(x: np.ndarray, scale: str) -> np.ndarray:
    if len(x) < 2:
        return x
    mid = np.sqrt(x[:-1] * x[1:]) if scale == "log" else 0.5 * (x[:-1] + x[1:])
    out = np.empty(2 * len(x) - 1)
    out[0::2], out[1::2] = x, mid
    return out


def linear(start: float, stop: float, num: int | None = None) -> AxisSpec:
    """Evenly spaced axis ``start .. stop`` (``num`` points; no ``num`` for a random range)."""
    return AxisSpec(start=float(start), stop=float(stop), num=num, scale="linear")


def log(start: float, stop: float, num: int | None = None) -> AxisSpec:
    """Geometrically spaced axis ``start .. stop`` (both > 0)."""
    return AxisSpec(start=float(start), stop=float(stop), num=num, scale="log")


def values(points: Any, scale: str = "linear") -> AxisSpec:
    """Axis with explicit values (``scale`` only matters for refinement and plotting)."""
    return AxisSpec(points=tuple(float(v) for v in np.atleast_1d(np.asarray(points, float))),
                    scale=scale)


# ----------------------------------------------------------------------------- refinement
@dataclass(frozen=True)
class Refine:
    """Adaptive refinement of a product grid near where ``measure`` changes.

    Attributes
    ----------
    measure : str
        A per-point scalar measure (e.g. ``concurrence``).
    levels : int
        Number of bisections of every axis (1..10): ``n -> (n - 1) 2^levels + 1`` points.
    boundary : float or None
        Refine cells whose corners lie on both sides of ``measure = boundary`` (``value >
        boundary`` versus ``<=``); ``boundary = 1e-12`` with the concurrence follows ``C = 0``.
    gradient : float or None
        Also refine cells over which ``measure`` varies by more than ``gradient`` times its range
        on the coarse (level-0) grid.
    """

    measure: str
    levels: int = 2
    boundary: float | None = None
    gradient: float | None = None

    def __post_init__(self) -> None:
        if not 1 <= int(self.levels) <= 10:
            raise InvalidInputError(f"refine.levels must be in [1, 10], got {self.levels!r}")
        if self.boundary is None and self.gradient is None:
            raise InvalidInputError("refine needs 'boundary' and/or 'gradient'")
        if self.gradient is not None and not 0 < self.gradient <= 1:
            raise InvalidInputError(f"refine.gradient must be in (0, 1], got {self.gradient!r}")

    def describe(self) -> dict[str, Any]:
        return {"measure": self.measure, "levels": int(self.levels), "boundary": self.boundary,
                "gradient": self.gradient}


# ----------------------------------------------------------------------------- grids
@dataclass(frozen=True)
class Grid:
    """Base class: named axes, dataset dimensions and per-point parameter values."""

    axes: dict[str, AxisSpec] = field(default_factory=dict)

    kind = "grid"

    def __post_init__(self) -> None:
        if not self.axes:
            raise InvalidInputError("a grid needs at least one axis")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.axes)

    @property
    def dims(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def shape(self) -> tuple[int, ...]:
        raise NotImplementedError

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    @property
    def levels(self) -> int:
        return 0

    def coordinate_values(self) -> dict[str, np.ndarray]:
        """Parameter name -> values along its dimension (for ``point`` grids: per point)."""
        raise NotImplementedError

    def open_mesh(self) -> dict[str, np.ndarray]:
        """Parameter arrays that broadcast to the grid's shape (for range checks)."""
        raise NotImplementedError

    def block_values(self, slices: tuple[slice, ...]) -> dict[str, np.ndarray]:
        """Parameter arrays of the points in a block, each of the block's shape."""
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "axes": {k: a.describe() for k, a in self.axes.items()}}

    def fingerprint(self) -> str:
        """sha256 of the description and of every coordinate's bytes."""
        h = hashlib.sha256(json.dumps(self.describe(), sort_keys=True).encode())
        for name, vals in self.coordinate_values().items():
            h.update(name.encode())
            h.update(np.ascontiguousarray(vals, dtype=float).tobytes())
        return h.hexdigest()


@dataclass(frozen=True)
class ProductGrid(Grid):
    """Outer product of the axes (C order: the last axis varies fastest)."""

    refine: Refine | None = None
    kind = "product"

    @property
    def dims(self) -> tuple[str, ...]:
        return self.names

    @property
    def levels(self) -> int:
        return 0 if self.refine is None else int(self.refine.levels)

    def coordinate_values(self) -> dict[str, np.ndarray]:
        return {k: a.coordinates(self.levels) for k, a in self.axes.items()}

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(v) for v in self.coordinate_values().values())

    def open_mesh(self) -> dict[str, np.ndarray]:
        coords = self.coordinate_values()
        n = len(coords)
        return {k: v.reshape([-1 if i == j else 1 for j in range(n)])
                for i, (k, v) in enumerate(coords.items())}

    def block_values(self, slices: tuple[slice, ...]) -> dict[str, np.ndarray]:
        coords = self.coordinate_values()
        sub = [v[s] for v, s in zip(coords.values(), slices, strict=True)]
        mesh = np.meshgrid(*sub, indexing="ij")
        return dict(zip(coords, mesh, strict=True))

    def describe(self) -> dict[str, Any]:
        out = super().describe()
        if self.refine is not None:
            out["refine"] = self.refine.describe()
        return out


@dataclass(frozen=True)
class ZipGrid(Grid):
    """Axes of equal length walked together (point ``i`` takes value ``i`` of every axis)."""

    kind = "zip"

    def __post_init__(self) -> None:
        super().__post_init__()
        lengths = {k: len(a.coordinates()) for k, a in self.axes.items()}
        if len(set(lengths.values())) != 1:
            raise InvalidInputError(f"a zipped grid needs axes of equal length, got {lengths}")

    @property
    def dims(self) -> tuple[str, ...]:
        return ("point",)

    @property
    def shape(self) -> tuple[int, ...]:
        return (len(next(iter(self.axes.values())).coordinates()),)

    def coordinate_values(self) -> dict[str, np.ndarray]:
        return {k: a.coordinates() for k, a in self.axes.items()}

    def open_mesh(self) -> dict[str, np.ndarray]:
        return self.coordinate_values()

    def block_values(self, slices: tuple[slice, ...]) -> dict[str, np.ndarray]:
        return {k: v[slices[0]] for k, v in self.coordinate_values().items()}


@dataclass(frozen=True)
class RandomGrid(Grid):
    """``samples`` points drawn uniformly in each range (log-uniform on log axes), seeded."""

    samples: int = 100
    seed: int = 0
    kind = "random"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.samples < 1:
            raise InvalidInputError(f"random grid 'samples' must be >= 1, got {self.samples!r}")
        for k, a in self.axes.items():
            if a.points is not None or a.num is not None:
                raise InvalidInputError(f"random grid axis {k!r} must be a range "
                                        "(start, stop, scale) without 'num' or 'values'")

    @property
    def dims(self) -> tuple[str, ...]:
        return ("point",)

    @property
    def shape(self) -> tuple[int, ...]:
        return (int(self.samples),)

    def coordinate_values(self) -> dict[str, np.ndarray]:
        rng = np.random.default_rng(self.seed)
        out = {}
        for k, a in self.axes.items():
            u = rng.random(self.samples)
            if a.scale == "log":
                lo, hi = np.log(a.start), np.log(a.stop)  # type: ignore[arg-type]
                out[k] = np.exp(lo + (hi - lo) * u)
            else:
                out[k] = a.start + (a.stop - a.start) * u  # type: ignore[operator]
        return out

    def open_mesh(self) -> dict[str, np.ndarray]:
        return self.coordinate_values()

    def block_values(self, slices: tuple[slice, ...]) -> dict[str, np.ndarray]:
        return {k: v[slices[0]] for k, v in self.coordinate_values().items()}

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "samples": int(self.samples), "seed": int(self.seed)}


def product(refine: Refine | None = None, **axes: AxisSpec) -> ProductGrid:
    """Outer-product grid, e.g. ``product(mu=linear(-1, 0.99, 41), r=log(0.1, 10, 30))``."""
    return ProductGrid(axes=dict(axes), refine=refine)


def zipped(**axes: AxisSpec) -> ZipGrid:
    """Axes of equal length walked together."""
    return ZipGrid(axes=dict(axes))


def random_samples(samples: int, seed: int = 0, **ranges: AxisSpec) -> RandomGrid:
    """``samples`` random points, e.g. ``random_samples(1000, mu=linear(-1, 0.9))``."""
    return RandomGrid(axes=dict(ranges), samples=int(samples), seed=int(seed))


# ----------------------------------------------------------------------------- blocks
def block_shape(shape: tuple[int, ...], target: int) -> tuple[int, ...]:
    """Block (zarr chunk) shape with about ``target`` points: trailing dimensions are kept
    whole while they fit, the leading one is split."""
    if target < 1:
        raise InvalidInputError(f"chunk_size must be >= 1, got {target!r}")
    out = [1] * len(shape)
    room = int(target)
    for i in range(len(shape) - 1, -1, -1):
        out[i] = max(1, min(shape[i], room))
        room = max(1, room // out[i])
        if out[i] < shape[i]:
            break
    return tuple(out)
