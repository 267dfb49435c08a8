"""TOML sweep files, validated with pydantic (files are data: nothing is evaluated).

A sweep file::

    model = "hou2025"                       # a registered model (qness list)
    title = "C(mu, r) phase diagram"        # optional
    measures = ["concurrence", "populations.S"]   # keys of the model's analyse() output

    [parameters]                            # held fixed (others: the model's defaults)
    T = 0.0

    [grid]
    kind = "product"                        # product | zip | random
    [grid.axes.mu]
    start = -1.0
    stop = 0.99
    num = 41                                # or: values = [...]; scale = "linear" | "log"
    [grid.axes.r]
    start = 0.1
    stop = 5.0
    num = 30
    scale = "log"
    [grid.refine]                           # optional (product grids): adaptive refinement
    measure = "concurrence"
    levels = 2
    boundary = 1e-12                        # refine where the measure crosses this (C = 0)

    [solver]
    method = "auto"                         # auto | dense | sparse | iterative
    tolerances = { residual = 1e-8 }

    [run]
    chunk_size = 10000                      # points per chunk (one unit of work)
    executor = "batched"                    # batched | processes | dask
    workers = 2

Errors name the key path (``grid.axes.mu.num``), the bad value and what is allowed.  Parameter
values are then checked against the model's own :class:`~qness.models.base.Parameter` ranges.
"""

from __future__ import annotations

import tomllib
import types
import typing
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import InvalidInputError

__all__ = [
    "AxisModel",
    "ConfigError",
    "GridModel",
    "RefineModel",
    "RunModel",
    "SolverModel",
    "SweepFile",
    "grid_from_dict",
    "load_sweep",
    "parse_sweep",
]


class ConfigError(InvalidInputError):
    """A sweep file is malformed (the message names the key path and what is allowed)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class AxisModel(_Strict):
    """One axis: explicit ``values`` or ``start``/``stop``/``num``; ``scale`` linear or log."""

    values: list[float] | None = Field(default=None, min_length=1)
    start: float | None = None
    stop: float | None = None
    num: int | None = Field(default=None, ge=1, le=10_000_000)
    scale: Literal["linear", "log"] = "linear"

    @model_validator(mode="after")
    def _one_form(self) -> AxisModel:
        has_range = self.start is not None or self.stop is not None or self.num is not None
        if self.values is not None and has_range:
            raise ValueError("give either 'values' or 'start'/'stop'/'num', not both")
        if self.values is None and (self.start is None or self.stop is None):
            raise ValueError("needs 'values' or both 'start' and 'stop'")
        if self.scale == "log":
            pts = self.values if self.values is not None else [self.start, self.stop]
            if any(v is not None and v <= 0 for v in pts):
                raise ValueError(f"scale = 'log' needs values > 0, got {pts}")
        return self


class RefineModel(_Strict):
    """Adaptive refinement of a product grid (see :class:`qness.sweep.grid.Refine`)."""

    measure: str
    levels: int = Field(default=2, ge=1, le=10)
    boundary: float | None = None
    gradient: float | None = Field(default=None, gt=0, le=1)

    @model_validator(mode="after")
    def _criterion(self) -> RefineModel:
        if self.boundary is None and self.gradient is None:
            raise ValueError("needs 'boundary' (e.g. 1e-12 for C = 0) and/or 'gradient'")
        return self


class GridModel(_Strict):
    kind: Literal["product", "zip", "random"] = "product"
    axes: dict[str, AxisModel] = Field(min_length=1)
    samples: int | None = Field(default=None, ge=1)
    seed: int = 0
    refine: RefineModel | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> GridModel:
        if self.kind == "random":
            if self.samples is None:
                raise ValueError("kind = 'random' needs 'samples'")
            for name, ax in self.axes.items():
                if ax.values is not None or ax.num is not None:
                    raise ValueError(f"kind = 'random': axis {name!r} must be a range "
                                     "(start, stop, scale) without 'num' or 'values'")
        else:
            if self.samples is not None:
                raise ValueError(f"'samples' is only for kind = 'random' (kind is {self.kind!r})")
            for name, ax in self.axes.items():
                if ax.values is None and ax.num is None:
                    raise ValueError(f"axis {name!r} needs 'num' (or 'values')")
        if self.refine is not None and self.kind != "product":
            raise ValueError("'refine' is only for kind = 'product'")
        return self


class SolverModel(_Strict):
    method: Literal["auto", "dense", "sparse", "iterative"] = "auto"
    tolerances: dict[Literal["residual", "trace", "hermiticity", "positivity", "kernel"],
                     float] = Field(default_factory=dict)


class RunModel(_Strict):
    chunk_size: int = Field(default=10_000, ge=1, le=10_000_000)
    executor: Literal["batched", "processes", "dask"] = "batched"
    workers: int | None = Field(default=None, ge=1)
    address: str | None = None


class SweepFile(_Strict):
    """The whole sweep file."""

    model: str
    title: str = ""
    measures: list[str] = Field(default_factory=list)
    parameters: dict[str, bool | int | float | str] = Field(default_factory=dict)
    grid: GridModel
    solver: SolverModel = Field(default_factory=SolverModel)
    run: RunModel = Field(default_factory=RunModel)


# ----------------------------------------------------------------------------- errors
def _unwrap(tp: Any) -> Any:
    """``X | None`` -> ``X``."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else tp
    return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str] | None:
    """Field names of the pydantic model that holds ``loc[-1]`` (for unknown-key errors)."""
    current: Any = model
    for part in loc[:-1]:
        current = _unwrap(current)
        if _is_model(current):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return None
    current = _unwrap(current)
    return list(current.model_fields) if _is_model(current) else None


def _format_errors(exc: ValidationError, source: str) -> str:
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = ".".join(str(p) for p in loc) or "(top level)"
        if err["type"] == "extra_forbidden":
            allowed = _allowed_keys(SweepFile, loc)
            lines.append(f"{path}: unknown key" + (f" (allowed: {', '.join(allowed)})"
                                                   if allowed else ""))
            continue
        msg = err["msg"].removeprefix("Value error, ")
        got = "" if err["type"] in ("missing", "value_error") else f" (got {err['input']!r})"
        lines.append(f"{path}: {msg}{got}")
    return f"{source}: invalid sweep file:\n  " + "\n  ".join(lines)


# ----------------------------------------------------------------------------- conversion
def grid_from_dict(grid: dict[str, Any] | GridModel) -> Any:
    """A :class:`qness.sweep.grid.Grid` from a ``[grid]`` table (or ``Grid.describe()``)."""
    from .sweep.grid import AxisSpec, ProductGrid, RandomGrid, Refine, ZipGrid

    g = grid if isinstance(grid, GridModel) else GridModel.model_validate(grid)
    axes = {}
    for name, a in g.axes.items():
        axes[name] = AxisSpec(points=None if a.values is None else tuple(a.values),
                              start=a.start, stop=a.stop, num=a.num, scale=a.scale)
    if g.kind == "zip":
        return ZipGrid(axes=axes)
    if g.kind == "random":
        return RandomGrid(axes=axes, samples=int(g.samples or 0), seed=g.seed)
    refine = None if g.refine is None else Refine(**g.refine.model_dump())
    return ProductGrid(axes=axes, refine=refine)


def _check_parameters(cfg: SweepFile, grid: Any) -> None:
    """Model-level checks with key paths: model name, parameter names and ranges."""
    import numpy as np

    from .models import get

    try:
        spec = get(cfg.model)
    except InvalidInputError as exc:
        raise ConfigError(f"model: {exc}") from None
    for name, value in cfg.parameters.items():
        try:
            p = spec.parameter(name)
            if isinstance(value, str) and p.kind is not str:
                value = p.parse(value)
            p.check(value)
        except InvalidInputError as exc:
            raise ConfigError(f"parameters.{name}: {exc}") from None
    for name, coords in grid.coordinate_values().items():
        try:
            spec.parameter(name).check(np.asarray(coords))
        except InvalidInputError as exc:
            raise ConfigError(f"grid.axes.{name}: {exc}") from None


def parse_sweep(data: dict[str, Any], source: str = "<sweep>") -> tuple[Any, RunModel]:
    """Validate a parsed TOML document; return ``(Sweep, RunModel)``."""
    from .sweep.run import Sweep

    try:
        cfg = SweepFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_errors(exc, source)) from None
    try:
        grid = grid_from_dict(cfg.grid)
    except InvalidInputError as exc:
        raise ConfigError(f"{source}: grid: {exc}") from None
    _check_parameters(cfg, grid)
    solver: dict[str, Any] = {"method": cfg.solver.method} if cfg.solver.method != "auto" else {}
    if cfg.solver.tolerances:
        solver["tolerances"] = dict(cfg.solver.tolerances)
    sweep = Sweep(model=cfg.model, grid=grid, fixed=dict(cfg.parameters),
                  measures=tuple(cfg.measures), solver=solver,
                  chunk_size=cfg.run.chunk_size, title=cfg.title)
    return sweep, cfg.run


def load_sweep(path: str | Path) -> tuple[Any, RunModel]:
    """Read and validate a TOML sweep file; return ``(Sweep, RunModel)``.

    Raises
    ------
    ConfigError
        Unreadable file, TOML syntax error, unknown key, wrong type, value out of range (the
        message names the key path, the value and what is allowed), unknown model.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read sweep file {str(path)!r}: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML syntax error: {exc}") from None
    return parse_sweep(data, str(path))
