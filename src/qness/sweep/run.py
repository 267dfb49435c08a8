"""Run a parameter sweep: plan, execute chunk by chunk, checkpoint, resume.

A :class:`Sweep` names a registered model, a grid (:mod:`qness.sweep.grid`), the parameters held
fixed, the measures to record (keys of the model's ``analyse()`` output, nested keys joined with
dots: ``populations.S``) and solver options.  :func:`run_sweep` validates it against the model's
own parameter ranges, splits the grid into blocks (one Zarr chunk each) and hands blocks to an
executor:

* ``batched`` — in this process, each block built and solved as one batched generator (the
  floor is numpy's batched LU; the default on one machine);
* ``processes`` — a local :class:`concurrent.futures.ProcessPoolExecutor`;
* ``dask`` — :mod:`dask.distributed`: a ``LocalCluster`` by default, or an existing scheduler
  (``address='tcp://host:port'``).  For SLURM/PBS start the cluster with ``dask-jobqueue``
  (``SLURMCluster(...).scale(jobs=...)``) and pass its ``scheduler_address``.

Each finished block is written and checkpointed by this (coordinating) process only, so there is
a single writer; see :mod:`qness.sweep.store` for the crash-safety argument.  Results are
independent of the executor and of interruptions: a block's values depend only on the block.

Per point the store records every requested measure plus the solver diagnostics ``residual``
(``||L rho|| / ||L||``), ``trace_error``, ``hermiticity_error``, ``min_eigenvalue``,
``kernel_dim`` and ``ok`` (validated).  Points whose solve or analysis raised hold NaN and
``ok = False``; the messages are counted in the store's ``final.json`` and attrs.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import socket
import subprocess
import tempfile
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product as iproduct
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InvalidInputError, NonUniqueSteadyStateError, SolverError
from .grid import Grid, ProductGrid, block_shape
from .store import (
    FORMAT,
    CorruptStoreError,
    SweepStore,
    VariableLayout,
    _utc_now,
    checksum,
)

__all__ = [
    "DIAGNOSTICS",
    "EXECUTORS",
    "ChunkResult",
    "ChunkTask",
    "Plan",
    "Sweep",
    "compute_chunk",
    "prepare",
    "run_sweep",
    "verify_store",
]

EXECUTORS = ("batched", "processes", "dask")

#: Solver diagnostics stored per point: name -> (dtype, fill value, description).
DIAGNOSTICS: dict[str, tuple[str, Any, str]] = {
    "residual": ("float64", np.nan, "relative residual ||L rho|| / ||L||"),
    "trace_error": ("float64", np.nan, "|tr rho - 1| of the raw solution"),
    "hermiticity_error": ("float64", np.nan, "max |rho - rho^dag| of the raw solution"),
    "min_eigenvalue": ("float64", np.nan, "smallest eigenvalue of rho"),
    "kernel_dim": ("int16", -1, "numerical dimension of the kernel of L (-1: not computed)"),
    "ok": ("bool", False, "steady state validated (unique, residual, positivity, hermiticity)"),
}
LEVEL_VAR = "level"


# ============================================================================= specification
@dataclass(frozen=True)
class Sweep:
    """A parameter sweep of a registered model.

    Attributes
    ----------
    model : str
        Registry name (``qness list``).
    grid : Grid
        Which points (:func:`qness.sweep.product`, ``zipped``, ``random_samples``).
    fixed : mapping
        Parameters held fixed (others take the model's defaults).
    measures : sequence of str
        Keys of the model's ``analyse()`` output (``populations.S`` for nested ones); empty:
        every per-point scalar.
    solver : mapping
        ``method`` (``auto``, ``dense``, ...) and ``tolerances`` for :func:`qness.steadystate`.
    chunk_size : int
        Points per block (one Zarr chunk, one unit of work).
    title : str
        Free text stored in the attrs.
    """

    model: str
    grid: Grid
    fixed: Mapping[str, Any] = field(default_factory=dict)
    measures: Sequence[str] = ()
    solver: Mapping[str, Any] = field(default_factory=dict)
    chunk_size: int = 10_000
    title: str = ""


@dataclass(frozen=True)
class Plan:
    """A validated sweep: resolved parameters, variable layout, blocks and its hash."""

    sweep: Sweep
    fixed: dict[str, Any]
    measures: tuple[VariableLayout, ...]
    variables: tuple[VariableLayout, ...]
    block: tuple[int, ...]
    spec: dict[str, Any]
    spec_hash: str

    @property
    def grid(self) -> Grid:
        return self.sweep.grid

    @property
    def levels(self) -> int:
        return self.grid.levels

    @property
    def nblocks(self) -> tuple[int, ...]:
        return tuple(-(-n // b) for n, b in zip(self.grid.shape, self.block, strict=True))

    def block_slices(self, index: tuple[int, ...]) -> tuple[slice, ...]:
        return tuple(slice(i * b, min((i + 1) * b, n))
                     for i, b, n in zip(index, self.block, self.grid.shape, strict=True))

    def blocks(self) -> Iterator[tuple[int, ...]]:
        return iproduct(*(range(n) for n in self.nblocks))


@dataclass
class ChunkTask:
    """One unit of work: points of one block at one refinement level (picklable)."""

    key: str
    level: int
    block: tuple[int, ...]
    points: np.ndarray | None        # flat indices within the block; None = every point
    model: str
    fixed: dict[str, Any]
    swept: dict[str, np.ndarray]     # 1-D parameter values of the points
    measures: tuple[VariableLayout, ...]
    solver: dict[str, Any]


@dataclass
class ChunkResult:
    """Values of one task (arrays ``(n, *extra)``) and how they were obtained."""

    key: str
    level: int
    block: tuple[int, ...]
    points: np.ndarray | None
    values: dict[str, np.ndarray]
    seconds: float
    warnings: dict[str, int]
    errors: dict[str, int]
    host: str
    pid: int


# ============================================================================= chunk compute
def _leaf(tree: Mapping[str, Any], key: str) -> Any:
    node: Any = tree
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(key)
        node = node[part]
    return node


def _leaves(tree: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for k, v in tree.items():
        name = f"{prefix}{k}"
        if isinstance(v, Mapping):
            yield from _leaves(v, name + ".")
        else:
            yield name, v


def _solve(gen: Any, solver: Mapping[str, Any]) -> Any:
    """Validated steady state of a (batched) generator; never raises for one bad point.

    A model's ``info['rho0']`` hint is honoured (as ``qness run`` does).  Degenerate kernels are
    returned as the state reached from the maximally mixed state with ``ok = False``.
    """
    from ..steady import steadystate

    opts = {k: v for k, v in solver.items() if k in ("method", "tolerances")}
    rho0 = gen.info.get("rho0") if isinstance(getattr(gen, "info", None), Mapping) else None
    try:
        return steadystate(gen, rho0=rho0, on_fail="flag", **opts)
    except NonUniqueSteadyStateError:
        import dataclasses

        ss = steadystate(gen, return_kernel=True, on_fail="flag", **opts)
        ok = np.asarray(ss.ok) & (np.asarray(ss.kernel_dim) == 1)
        return dataclasses.replace(ss, ok=ok if ok.ndim else bool(ok))


def _evaluate(task: ChunkTask, params: dict[str, Any], n: int) -> dict[str, np.ndarray]:
    """Build, solve and analyse ``n`` points at once; arrays ``(n, *extra)``."""
    from ..models import get

    spec = get(task.model)
    gen = spec.build(params)
    ss = spec.solve(gen, params) if spec.solve is not None else _solve(gen, task.solver)
    out = spec.analyse(ss, gen, params)
    values: dict[str, np.ndarray] = {}
    for m in task.measures:
        arr = np.asarray(_leaf(out, m.name), dtype=float)
        if arr.ndim >= 1 and arr.shape[0] == n and arr.shape[1:] == m.extra:
            values[m.name] = arr.reshape(n, *m.extra)
        else:
            values[m.name] = np.broadcast_to(arr, (n, *m.extra)).copy()
    for name, (dtype, _, _) in DIAGNOSTICS.items():
        values[name] = np.broadcast_to(np.asarray(getattr(ss, name)), (n,)).astype(dtype)
    return values


def _failed_values(task: ChunkTask, n: int) -> dict[str, np.ndarray]:
    values = {m.name: np.full((n, *m.extra), np.nan) for m in task.measures}
    for name, (dtype, fill, _) in DIAGNOSTICS.items():
        values[name] = np.full(n, fill, dtype=dtype)
    return values


def compute_chunk(task: ChunkTask) -> ChunkResult:
    """Compute one task (runs in the executor's worker).

    The whole block is built and solved as one batch; if that raises (a point the model rejects,
    an analysis that fails), the points are redone one by one and only the failing ones are
    recorded as NaN with ``ok = False``.
    """
    import qness.models  # noqa: F401  (registers the models in a fresh worker)

    from ..models import get

    t0 = time.perf_counter()
    n = len(next(iter(task.swept.values()))) if task.swept else 0
    errors: Counter[str] = Counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec = get(task.model)
        try:
            params = spec.resolve({**task.fixed, **task.swept})
            values = _evaluate(task, params, n)
        except Exception as exc:  # one bad point must not kill the chunk: redo point by point
            errors[f"batch: {type(exc).__name__}: {exc}"[:300]] += 1
            values = _failed_values(task, n)
            for i in range(n):
                point = {k: v[i:i + 1] for k, v in task.swept.items()}
                try:
                    params = spec.resolve({**task.fixed, **point})
                    one = _evaluate(task, params, 1)
                except Exception as exc_i:
                    errors[f"{type(exc_i).__name__}: {exc_i}"[:300]] += 1
                    continue
                for k, v in one.items():
                    values[k][i] = v[0]
    warn_counts = Counter(f"{w.category.__name__}: {w.message}"[:300] for w in caught)
    return ChunkResult(key=task.key, level=task.level, block=task.block, points=task.points,
                       values=values, seconds=time.perf_counter() - t0,
                       warnings=dict(warn_counts), errors=dict(errors),
                       host=socket.gethostname(), pid=os.getpid())


# ============================================================================= planning
def _canonical(obj: Any) -> Any:
    from ..models import json_ready

    return json.loads(json.dumps(json_ready(obj), sort_keys=True, default=str))


def _probe_layout(model: str, fixed: dict[str, Any], grid: Grid, solver: Mapping[str, Any]
                  ) -> dict[str, tuple[int, ...] | None]:
    """Solve the first (up to) two grid points; map every numeric leaf of ``analyse()`` to its
    per-point extra shape (``None`` for non-numeric leaves)."""
    from ..models import get

    spec = get(model)
    n = min(2, grid.shape[-1])
    first = grid.block_values((*(slice(0, 1) for _ in grid.shape[:-1]), slice(0, n)))
    swept = {k: np.asarray(v).ravel()[:n] for k, v in first.items()}
    params = spec.resolve({**fixed, **swept})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gen = spec.build(params)
        ss = spec.solve(gen, params) if spec.solve is not None else _solve(gen, solver)
        out = spec.analyse(ss, gen, params)
    layout: dict[str, tuple[int, ...] | None] = {}
    for name, value in _leaves(out):
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            layout[name] = None
            continue
        if arr.ndim == 0:
            layout[name] = ()
        elif arr.shape[0] == n:
            layout[name] = tuple(arr.shape[1:])
        else:
            layout[name] = None
    return layout


def _check_solver(solver: Mapping[str, Any]) -> dict[str, Any]:
    from ..steady import DEFAULT_TOLERANCES, METHODS

    out: dict[str, Any] = {}
    for key, value in solver.items():
        if key == "method":
            if value not in METHODS:
                raise InvalidInputError(f"solver.method = {value!r} is not allowed: one of "
                                        f"{', '.join(METHODS)}")
            out[key] = value
        elif key == "tolerances":
            bad = sorted(set(value) - set(DEFAULT_TOLERANCES))
            if bad:
                raise InvalidInputError(f"solver.tolerances: unknown key(s) {bad}; allowed: "
                                        f"{', '.join(DEFAULT_TOLERANCES)}")
            for k, v in value.items():
                if not (isinstance(v, (int, float)) and v > 0):
                    raise InvalidInputError(f"solver.tolerances.{k} = {v!r}: must be a number "
                                            "> 0")
            out[key] = {k: float(v) for k, v in value.items()}
        else:
            raise InvalidInputError(f"solver: unknown option {key!r}; allowed: method, "
                                    "tolerances")
    return out


def prepare(sweep: Sweep) -> Plan:
    """Validate a sweep against its model and lay out the result variables.

    Raises
    ------
    InvalidInputError
        Unknown model or parameter, a value outside the model's allowed range (the message
        names the parameter and the range), a non-numeric swept parameter, an unknown measure
        (the message lists those available), or bad solver options.
    """
    from ..models import get

    spec = get(sweep.model)
    grid = sweep.grid
    if int(sweep.chunk_size) < 1:
        raise InvalidInputError(f"chunk_size must be >= 1, got {sweep.chunk_size!r}")
    for name in grid.names:
        p = spec.parameter(name)
        if p.kind not in (int, float):
            raise InvalidInputError(
                f"parameter {name!r} of model {spec.name!r} is a {p.kind.__name__} "
                f"({p.range_text()}); only numeric parameters can be swept — run one sweep "
                "per value instead")
        if name in sweep.fixed:
            raise InvalidInputError(f"parameter {name!r} is both fixed and swept")
    for name in sweep.fixed:
        spec.parameter(name)
    solver = _check_solver(sweep.solver)
    resolved = spec.resolve({**sweep.fixed, **grid.open_mesh()})
    fixed = {k: v for k, v in resolved.items() if k not in grid.names}

    layout = _probe_layout(sweep.model, fixed, grid, solver)
    numeric = {k: v for k, v in layout.items() if v is not None and k not in DIAGNOSTICS}
    wanted = list(sweep.measures) or [k for k, v in numeric.items() if v == ()]
    refine = grid.refine if isinstance(grid, ProductGrid) else None
    if refine is not None and refine.measure not in wanted:
        wanted.append(refine.measure)
    measures = []
    for name in dict.fromkeys(wanted):
        if name in DIAGNOSTICS:
            continue  # recorded anyway as a solver diagnostic
        if name not in layout:
            raise InvalidInputError(
                f"measure {name!r} is not in the output of model {spec.name!r}; available: "
                f"{', '.join(k for k in layout if layout[k] is not None)}")
        if layout[name] is None:
            raise InvalidInputError(f"measure {name!r} of model {spec.name!r} is not a "
                                    "per-point number and cannot be recorded")
        measures.append(VariableLayout(name, "float64", tuple(layout[name] or ()), np.nan))
    if refine is not None and any(m.name == refine.measure and m.extra for m in measures):
        raise InvalidInputError(f"refine.measure {refine.measure!r} must be a scalar measure")
    variables = list(measures) + [VariableLayout(k, d, (), f)
                                  for k, (d, f, _) in DIAGNOSTICS.items()]
    if refine is not None:
        variables.append(VariableLayout(LEVEL_VAR, "int8", (), -1))
    block = block_shape(grid.shape, int(sweep.chunk_size))
    spec_dict = _canonical({
        "format": FORMAT,
        "model": spec.name,
        "model_parameters": [{"name": p.name, "unit": p.unit, "default": p.default,
                              "range": p.range_text()} for p in spec.parameters],
        "parameters": fixed,
        "grid": grid.describe(),
        "grid_fingerprint": grid.fingerprint(),
        "axis_order": list(grid.names),
        "dims": list(grid.dims),
        "shape": list(grid.shape),
        "measures": [{"name": m.name, "extra": list(m.extra)} for m in measures],
        "solver": solver,
        "chunk_size": int(sweep.chunk_size),
        "block": list(block),
    })
    digest = hashlib.sha256(json.dumps(spec_dict, sort_keys=True).encode()).hexdigest()
    return Plan(sweep=Sweep(model=sweep.model, grid=grid, fixed=dict(sweep.fixed),
                            measures=tuple(m.name for m in measures), solver=solver,
                            chunk_size=int(sweep.chunk_size), title=sweep.title),
                fixed=fixed, measures=tuple(measures), variables=tuple(variables),
                block=block, spec=spec_dict, spec_hash=digest)


# ============================================================================= dataset
def _git_commit() -> str | None:
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                             text=True, timeout=5, check=False)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=here, capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def _template(plan: Plan) -> tuple[Any, dict[str, Any]]:
    """Empty dataset (fill values), its Zarr encoding (chunks = blocks) and provenance attrs."""
    import xarray as xr

    from .. import __version__
    from ..models import get

    spec = get(plan.sweep.model)
    grid = plan.grid
    dims = grid.dims
    coords: dict[str, Any] = {}
    for name, vals in grid.coordinate_values().items():
        p = spec.parameter(name)
        attrs = {"units": p.unit, "long_name": p.description or name,
                 "scale": grid.axes[name].scale}
        coords[name] = ((name,) if dims == grid.names else ("point",), vals, attrs)
    if dims == ("point",):
        coords["point"] = ("point", np.arange(grid.size))
    data_vars = {}
    encoding = {}
    for v in plan.variables:
        extra_dims = tuple(f"{v.name}_dim{i}" for i in range(len(v.extra)))
        shape = (*grid.shape, *v.extra)
        data = np.full(shape, v.fill, dtype=v.dtype)
        if v.name in DIAGNOSTICS:
            attrs = {"kind": "diagnostic", "long_name": DIAGNOSTICS[v.name][2]}
        elif v.name == LEVEL_VAR:
            attrs = {"kind": "refinement", "long_name": "refinement level at which the point "
                     "was computed (-1: interpolated from coarser levels, not computed)"}
        else:
            attrs = {"kind": "measure", "long_name": v.name, "units": "1"}
        data_vars[v.name] = ((*dims, *extra_dims), data, attrs)
        encoding[v.name] = {"chunks": (*plan.block, *v.extra)}
    attrs = {
        "title": plan.sweep.title or f"qness sweep of {spec.name}",
        "qness_version": __version__,
        "git_commit": _git_commit() or "unknown",
        "model": spec.name,
        "model_spec": json.dumps({"name": spec.name, "title": spec.title,
                                  "reference": spec.reference, "family": spec.family,
                                  "parameters": plan.spec["model_parameters"]}),
        "parameters": json.dumps(plan.spec["parameters"]),
        "grid": json.dumps(plan.spec["grid"]),
        "measures": json.dumps([m.name for m in plan.measures]),
        "solver": json.dumps(plan.spec["solver"]),
        "spec_hash": plan.spec_hash,
        "created": _utc_now(),
        "host": socket.gethostname(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "conventions": "hbar = k_B = 1; QuTiP basis order (index 0 = |e>)",
    }
    return xr.Dataset(data_vars, coords=coords, attrs=attrs), encoding


# ============================================================================= tasks
def _level_mask(plan: Plan, store: SweepStore, level: int) -> np.ndarray:
    """Points (fine grid) to compute at refinement ``level`` (only levels < ``level`` read)."""
    grid = plan.grid
    shape = grid.shape
    L = plan.levels
    mask = np.zeros(shape, bool)
    if level == 0:
        mask[tuple(slice(None, None, 2**L) for _ in shape)] = True
        return mask
    refine = grid.refine  # type: ignore[attr-defined]
    full = tuple(slice(None) for _ in shape)
    meas = store.read_block([refine.measure], full)[refine.measure]
    lev = store.read_block([LEVEL_VAR], full)[LEVEL_VAR]
    s = 2 ** (L - level)
    coarse_sl = tuple(slice(None, None, 2 * s) for _ in shape)
    sub, comp = meas[coarse_sl], lev[coarse_sl] >= 0
    keep = [i for i, n in enumerate(sub.shape) if n > 1]
    if not keep:
        return mask
    sq = tuple(slice(None) if i in keep else 0 for i in range(len(shape)))
    sub, comp = sub[sq], comp[sq]
    ncell = tuple(n - 1 for n in sub.shape)
    corners_v, corners_c = [], []
    for off in iproduct((0, 1), repeat=len(ncell)):
        sl = tuple(slice(o, o + n) for o, n in zip(off, ncell, strict=True))
        corners_v.append(sub[sl])
        corners_c.append(comp[sl])
    v = np.stack(corners_v)
    eligible = np.all(np.stack(corners_c), axis=0) & np.all(np.isfinite(v), axis=0)
    active = np.zeros(ncell, bool)
    with np.errstate(invalid="ignore"):
        vmax, vmin = np.max(v, axis=0), np.min(v, axis=0)
        if refine.boundary is not None:
            active |= (vmax > refine.boundary) & (vmin <= refine.boundary)
        if refine.gradient is not None:
            base = meas[tuple(slice(None, None, 2**L) for _ in shape)]
            span = float(np.nanmax(base) - np.nanmin(base)) if np.any(np.isfinite(base)) else 0
            active |= (vmax - vmin) > refine.gradient * span
    active &= eligible
    fine_shape = tuple(2 * n + 1 for n in ncell)
    fine = np.zeros(fine_shape, bool)
    for off in iproduct((0, 1, 2), repeat=len(ncell)):
        sl = tuple(slice(o, o + 2 * n, 2) for o, n in zip(off, ncell, strict=True))
        fine[sl] |= active
    level_sl = tuple(slice(None, None, s) for _ in shape)
    target = mask[level_sl]
    lev_sub = lev[level_sl]
    target[sq] = fine & (lev_sub[sq] < 0)
    mask[level_sl] = target
    return mask


def _tasks(plan: Plan, store: SweepStore, level: int, done: set[str]
           ) -> list[tuple[str, tuple[int, ...], np.ndarray | None]]:
    """Pending ``(key, block, points)`` of a level (``points`` None: the whole block)."""
    mask = _level_mask(plan, store, level) if plan.levels else None
    out = []
    for b in plan.blocks():
        key = f"L{level}-B" + "_".join(map(str, b))
        if key in done:
            continue
        if mask is None:
            out.append((key, b, None))
            continue
        pts = np.flatnonzero(mask[plan.block_slices(b)])
        if pts.size:
            out.append((key, b, pts))
    return out


def _make_task(plan: Plan, key: str, level: int, b: tuple[int, ...],
               points: np.ndarray | None) -> ChunkTask:
    vals = plan.grid.block_values(plan.block_slices(b))
    swept = {k: (np.asarray(v).ravel() if points is None else np.asarray(v).ravel()[points])
             for k, v in vals.items()}
    return ChunkTask(key=key, level=level, block=b, points=points, model=plan.sweep.model,
                     fixed=dict(plan.fixed), swept=swept, measures=plan.measures,
                     solver=dict(plan.sweep.solver))


def _n_points(plan: Plan, b: tuple[int, ...], points: np.ndarray | None) -> int:
    if points is not None:
        return int(points.size)
    return int(np.prod([s.stop - s.start for s in plan.block_slices(b)]))


# ============================================================================= store I/O
def _block_arrays(plan: Plan, store: SweepStore, result: ChunkResult
                  ) -> tuple[tuple[slice, ...], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Whole-block arrays to write and the written values (for the checksum)."""
    sl = plan.block_slices(result.block)
    bshape = tuple(s.stop - s.start for s in sl)
    names = [v.name for v in plan.variables]
    dtypes = {v.name: np.dtype(v.dtype) for v in plan.variables}
    extra = {v.name: v.extra for v in plan.variables}
    values = dict(result.values)
    if plan.levels:
        values[LEVEL_VAR] = np.full(len(result.points), result.level, dtype=np.int8)  # type: ignore[arg-type]
    if result.points is None:
        block = {k: np.asarray(values[k], dtype=dtypes[k]).reshape(*bshape, *extra[k])
                 for k in names}
        return sl, block, block
    current = store.read_block(names, sl)
    written = {}
    for k in names:
        arr = current[k].reshape(-1, *extra[k])
        arr[result.points] = np.asarray(values[k], dtype=dtypes[k])
        current[k] = arr.reshape(*bshape, *extra[k])
        written[k] = np.asarray(values[k], dtype=dtypes[k])
    return sl, current, written


def _task_values_from_store(plan: Plan, store: SweepStore, key: str, record: Mapping[str, Any]
                            ) -> dict[str, np.ndarray]:
    b = tuple(record["block"])
    sl = plan.block_slices(b)
    names = [v.name for v in plan.variables]
    data = store.read_block(names, sl)
    if not plan.levels:
        return data
    sel = (data[LEVEL_VAR] == record["level"]).ravel()
    return {k: data[k].reshape(sel.size, *data[k].shape[len(sl):])[sel] for k in names}


def verify_store(store: SweepStore, head: Mapping[str, Any] | None = None,
                 raise_on_error: bool = True) -> list[str]:
    """Check the Zarr metadata and every finished chunk against its checksum.

    Returns the list of problems (empty if intact); with ``raise_on_error`` a non-empty list
    raises :class:`CorruptStoreError`.
    """
    head = head or store.header()
    problems: list[str] = []
    try:
        sweep = sweep_from_spec(head["spec"])
        plan = _plan_from_header(sweep, head)
        problems += store.check_metadata(v.name for v in plan.variables)
        for v in plan.variables if not problems else ():
            arr = store.array(v.name)
            want = (*plan.grid.shape, *v.extra)
            if tuple(arr.shape) != want or np.dtype(arr.dtype) != np.dtype(v.dtype):
                problems.append(f"variable {v.name!r} has shape {tuple(arr.shape)} / dtype "
                                f"{arr.dtype}, expected {want} / {v.dtype}")
        if not problems:
            for key, rec in store.done().items():
                try:
                    got = checksum(_task_values_from_store(plan, store, key, rec))
                except CorruptStoreError as exc:
                    problems.append(f"chunk {key}: {exc}")
                    continue
                if got != rec.get("sha256"):
                    problems.append(f"chunk {key}: data do not match its checksum (truncated, "
                                    "altered or partially lost)")
    except CorruptStoreError as exc:
        problems.append(str(exc))
    if problems and raise_on_error:
        more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        raise CorruptStoreError(f"store {str(store.path)!r} is damaged: "
                                + "; ".join(problems[:5]) + more
                                + ". Refusing to resume; recompute into a new store")
    return problems


def sweep_from_spec(spec: Mapping[str, Any]) -> Sweep:
    """Rebuild a :class:`Sweep` from a stored specification (header ``spec``)."""
    from ..config import grid_from_dict

    grid = dict(spec["grid"])
    grid["axes"] = {k: grid["axes"][k] for k in spec["axis_order"]}
    return Sweep(model=spec["model"], grid=grid_from_dict(grid),
                 fixed=dict(spec["parameters"]),
                 measures=tuple(m["name"] for m in spec["measures"]),
                 solver=dict(spec["solver"]), chunk_size=int(spec["chunk_size"]))


def _plan_from_header(sweep: Sweep, head: Mapping[str, Any]) -> Plan:
    """A plan rebuilt from a header without solving anything (for verification)."""
    spec = head["spec"]
    measures = tuple(VariableLayout(m["name"], "float64", tuple(m["extra"]), np.nan)
                     for m in spec["measures"])
    variables = list(measures) + [VariableLayout(k, d, (), f)
                                  for k, (d, f, _) in DIAGNOSTICS.items()]
    if sweep.grid.levels:
        variables.append(VariableLayout(LEVEL_VAR, "int8", (), -1))
    return Plan(sweep=sweep, fixed=dict(spec["parameters"]), measures=measures,
                variables=tuple(variables), block=tuple(spec["block"]), spec=dict(spec),
                spec_hash=head["spec_hash"])


def _fill_refined(plan: Plan, store: SweepStore) -> None:
    """Fill points not computed by an adaptive sweep with multilinear interpolation from the
    next coarser level, level by level (their ``level`` stays -1 and diagnostics NaN)."""
    from scipy.interpolate import RegularGridInterpolator

    shape = plan.grid.shape
    full = tuple(slice(None) for _ in shape)
    L = plan.levels
    lev = store.read_block([LEVEL_VAR], full)[LEVEL_VAR]
    for m in plan.measures:
        arr = store.read_block([m.name], full)[m.name]
        arr[lev < 0] = np.nan
        for k in range(1, L + 1):
            s = 2 ** (L - k)
            fine_sl = tuple(slice(None, None, s) for _ in shape)
            coarse = arr[tuple(slice(None, None, 2 * s) for _ in shape)]
            fine = arr[fine_sl]
            missing = lev[fine_sl] < 0
            if not np.any(missing):
                continue
            keep = [i for i, n in enumerate(coarse.shape[:len(shape)]) if n > 1]
            sq = tuple(slice(None) if i in keep else 0 for i in range(len(shape)))
            c_sq = coarse[sq]
            f_idx = np.argwhere(missing[sq])
            if keep:
                axes_pts = [np.arange(c_sq.shape[j]) * 2.0 for j in range(len(keep))]
                interp = RegularGridInterpolator(axes_pts, c_sq, method="linear")
                vals = interp(f_idx.astype(float))
            else:
                vals = np.broadcast_to(c_sq, (len(f_idx), *m.extra))
            fine_sq = fine[sq]
            fine_sq[tuple(f_idx.T)] = vals
            fine[sq] = fine_sq
            arr[fine_sl] = fine
        store.array(m.name)[full] = arr


# ============================================================================= executors
class _Executor:
    """Maps :func:`compute_chunk` over tasks, yielding results in completion order."""

    name = "batched"

    def __enter__(self) -> _Executor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        pass

    def map_unordered(self, fn: Callable[[ChunkTask], ChunkResult],
                      tasks: Iterator[ChunkTask]) -> Iterator[ChunkResult]:
        for t in tasks:
            yield fn(t)


class _ProcessExecutor(_Executor):
    name = "processes"

    def __init__(self, workers: int | None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers or os.cpu_count() or 1
        self.pool = ProcessPoolExecutor(max_workers=self.workers,
                                        mp_context=multiprocessing.get_context("spawn"))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def map_unordered(self, fn, tasks):
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        pending: set[Any] = set()
        window = 2 * self.workers
        tasks = iter(tasks)
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < window:
                try:
                    pending.add(self.pool.submit(fn, next(tasks)))
                except StopIteration:
                    exhausted = True
            if not pending:
                break
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in finished:
                try:
                    yield f.result()
                except BrokenProcessPool:
                    raise SolverError(
                        "a worker process died (killed or out of memory); the finished chunks "
                        "are saved: rerun with --resume") from None


class _DaskExecutor(_Executor):
    name = "dask"

    def __init__(self, workers: int | None, address: str | None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InvalidInputError("executor 'dask' needs dask.distributed: pip install "
                                    "'qness[dask]'") from None
        self.cluster = None
        if address:
            try:
                self.client = Client(address, timeout="20s")
            except OSError as exc:
                raise InvalidInputError(f"cannot reach the dask scheduler at {address!r}: "
                                        f"{exc}") from None
        else:
            self.cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1,
                                        threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def map_unordered(self, fn, tasks):
        from distributed import as_completed

        nworkers = max(1, len(self.client.scheduler_info().get("workers", {})))
        window = 4 * nworkers
        tasks = iter(tasks)
        ac = as_completed()
        submitted = 0
        run = uuid.uuid4().hex[:8]
        for t in tasks:
            ac.add(self.client.submit(fn, t, key=f"qness-{t.key}-{run}", pure=False))
            submitted += 1
            if submitted >= window:
                break
        for fut in ac:
            try:
                res = fut.result()
            except Exception as exc:
                raise SolverError(f"a dask task failed ({type(exc).__name__}: {exc}); the "
                                  "finished chunks are saved: rerun with --resume") from exc
            fut.release()
            nxt = next(tasks, None)
            if nxt is not None:
                ac.add(self.client.submit(fn, nxt, key=f"qness-{nxt.key}-{run}", pure=False))
            yield res


def make_executor(name: str, workers: int | None = None, address: str | None = None
                  ) -> _Executor:
    """``batched`` (in process), ``processes`` (local pool) or ``dask`` (distributed)."""
    if name not in EXECUTORS:
        raise InvalidInputError(f"executor must be one of {', '.join(EXECUTORS)}, got {name!r}")
    if workers is not None and int(workers) < 1:
        raise InvalidInputError(f"workers must be >= 1, got {workers!r}")
    if address and name != "dask":
        raise InvalidInputError("--address is only used with --executor dask")
    if name == "processes":
        return _ProcessExecutor(workers)
    if name == "dask":
        return _DaskExecutor(workers, address)
    return _Executor()


# ============================================================================= progress
class _Progress:
    """rich progress bar (points, rate, ETA) on stderr; silent when ``quiet``."""

    def __init__(self, quiet: bool, description: str):
        self.bar = None
        if not quiet:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                MofNCompleteColumn(), TextColumn("points"),
                                TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                                TextColumn("ETA"), TimeRemainingColumn(),
                                console=Console(stderr=True))
            self.task = self.bar.add_task(description, total=0, rate="")
        self.t0 = time.perf_counter()
        self.count = 0

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()

    def add_total(self, n: int, description: str | None = None) -> None:
        if self.bar is not None:
            total = (self.bar.tasks[0].total or 0) + n
            self.bar.update(self.task, total=total,
                            **({"description": description} if description else {}))

    def advance(self, n: int) -> None:
        self.count += n
        if self.bar is not None:
            rate = self.count / max(time.perf_counter() - self.t0, 1e-9)
            self.bar.update(self.task, advance=n, rate=f"{rate:,.0f}/s")


# ============================================================================= run
def run_sweep(
    sweep: Sweep,
    store: str | os.PathLike[str] | None = None,
    *,
    executor: str = "batched",
    workers: int | None = None,
    address: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    quiet: bool = True,
    max_tasks: int | None = None,
) -> Any:
    """Run (or resume) a sweep and return its results as an ``xarray.Dataset``.

    Parameters
    ----------
    sweep : Sweep
    store : path or None
        Zarr store to write (``None``: a temporary one; the returned dataset is then loaded
        into memory).
    executor : {'batched', 'processes', 'dask'}
    workers : int, optional
        Worker processes (``processes``, or the size of the local dask cluster).
    address : str, optional
        ``tcp://host:port`` of an existing dask scheduler.
    resume : bool
        Continue an existing store: it must hold the same sweep (``StoreMismatchError``) and be
        intact (``CorruptStoreError``); only missing chunks are computed.
    overwrite : bool
        Replace an existing store.
    quiet : bool
        No progress bar.
    max_tasks : int, optional
        Stop after this many tasks (leaves a resumable partial store; for tests and budgets).

    Returns
    -------
    xarray.Dataset
        Opened lazily from the store (``xarray.open_zarr``), or loaded when ``store`` is None.
    """

    if store is None:
        shm = Path("/dev/shm")
        base = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
        with tempfile.TemporaryDirectory(prefix="qness-sweep-", dir=base) as tmp:
            ds = _run(sweep, Path(tmp) / "sweep.zarr", executor=executor, workers=workers,
                      address=address, resume=False, overwrite=False, quiet=quiet,
                      max_tasks=None, durable=False)
            return ds.load()
    return _run(sweep, store, executor=executor, workers=workers, address=address,
                resume=resume, overwrite=overwrite, quiet=quiet, max_tasks=max_tasks,
                durable=True)


def _run(sweep: Sweep, store: str | os.PathLike[str], *, executor: str, workers: int | None,
         address: str | None, resume: bool, overwrite: bool, quiet: bool,
         max_tasks: int | None, durable: bool) -> Any:
    import xarray as xr

    plan = prepare(sweep)
    st = SweepStore(store, durable=durable)
    t_start = time.perf_counter()
    if resume and st.exists:
        head = st.require_match(plan.spec_hash, plan.spec)
        verify_store(st, head)
    else:
        ds, encoding = _template(plan)
        header = {"format": FORMAT, "spec_hash": plan.spec_hash, "spec": plan.spec,
                  "created": _utc_now(), "executor": executor,
                  "tasks_total": None if plan.levels else int(np.prod(plan.nblocks))}
        st.create(ds, encoding, header, overwrite=overwrite)
    run_id = uuid.uuid4().hex[:12]
    st.log({"event": "run_start", "run": run_id, "executor": executor, "resume": bool(resume)})
    warn_total: Counter[str] = Counter()
    err_total: Counter[str] = Counter()
    n_done = 0
    stopped = False
    with make_executor(executor, workers, address) as ex, \
            _Progress(quiet, f"{plan.sweep.model} sweep") as prog:
        for level in range(plan.levels + 1):
            done = set(st.done())
            pending = _tasks(plan, st, level, done)
            if max_tasks is not None:
                pending = pending[:max(0, max_tasks - n_done)]
            prog.add_total(sum(_n_points(plan, b, p) for _, b, p in pending),
                           f"{plan.sweep.model} level {level}" if plan.levels else None)
            tasks = (_make_task(plan, key, level, b, p) for key, b, p in pending)
            for res in ex.map_unordered(compute_chunk, tasks):
                _record(plan, st, res, run_id, executor)
                warn_total.update(res.warnings)
                err_total.update(res.errors)
                n_done += 1
                prog.advance(len(next(iter(res.values.values()))))
            if max_tasks is not None and n_done >= max_tasks:
                stopped = True
                break
    if stopped and not _complete(plan, st):
        return xr.open_zarr(st.path)
    _finish(plan, st, t_start, warn_total, err_total, executor)
    return xr.open_zarr(st.path)


def _record(plan: Plan, st: SweepStore, res: ChunkResult, run_id: str, executor: str) -> None:
    sl, block, written = _block_arrays(plan, st, res)
    st.log({"event": "computed", "key": res.key, "run": run_id, "worker_host": res.host,
            "worker_pid": res.pid, "seconds": round(res.seconds, 6)})
    st.write_block(sl, block, res.block)
    n = len(next(iter(res.values.values())))
    st.mark_done(res.key, {"key": res.key, "level": res.level, "block": list(res.block),
                           "n_points": n, "sha256": checksum(written),
                           "seconds": res.seconds, "host": res.host, "pid": res.pid,
                           "executor": executor, "run": run_id, "finished": _utc_now(),
                           "failed": int(np.sum(~np.asarray(res.values["ok"]))),
                           "errors": res.errors})


def _complete(plan: Plan, st: SweepStore) -> bool:
    done = set(st.done())
    if plan.levels:
        return False
    return all("L0-B" + "_".join(map(str, b)) in done for b in plan.blocks())


def _finish(plan: Plan, st: SweepStore, t_start: float, warn_total: Counter[str],
            err_total: Counter[str], executor: str) -> None:
    if plan.levels:
        _fill_refined(plan, st)
    done = st.done()
    failed = int(sum(r.get("failed", 0) for r in done.values()))
    for r in done.values():
        err_total.update(r.get("errors", {}))
    record = {"finished": _utc_now(), "wall_time_s": time.perf_counter() - t_start,
              "tasks": len(done), "failed_points": failed,
              "warnings": dict(warn_total.most_common(20)),
              "errors": dict(err_total.most_common(20)), "executor": executor}
    attrs = {"finished": record["finished"], "failed_points": failed,
             "tasks": len(done), "warnings": json.dumps(record["warnings"]),
             "errors": json.dumps(record["errors"])}
    st.finalize(attrs, record)
    st.log({"event": "finished", "tasks": len(done)})
