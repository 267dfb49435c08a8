"""Model specifications: named parameters with units, defaults and allowed ranges.

A model is *data* plus two functions: ``build(params) -> Generator`` and
``analyse(state, generator, params) -> dict``.  The CLI (``qness show/run``), sweeps and the
reproduce scripts all go through :class:`ModelSpec`, so every model validates its parameters the
same way and reports its results as a JSON-ready dict.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InvalidInputError


@dataclass(frozen=True)
class Parameter:
    """One model parameter.

    Attributes
    ----------
    name : str
        ASCII name used on the command line (``--set name=value``), after the paper's symbol.
    default : float, int, str or bool
        Default value (the paper's).
    unit : str
        Unit of the value as given by the user (``"1"`` for dimensionless).
    description : str
        One line.
    low, high : float or None
        Allowed range; ``low_inclusive``/``high_inclusive`` say whether the ends are allowed.
    choices : tuple or None
        For discrete parameters, the allowed values.
    """

    name: str
    default: Any
    unit: str = "1"
    description: str = ""
    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    choices: tuple[Any, ...] | None = None

    @property
    def kind(self) -> type:
        return type(self.default)

    def range_text(self) -> str:
        if self.choices is not None:
            return "one of " + ", ".join(map(str, self.choices))
        if self.kind is bool:
            return "true or false"
        if self.kind is str:
            return "text"
        lo = "-inf" if self.low is None else f"{self.low:g}"
        hi = "inf" if self.high is None else f"{self.high:g}"
        lb = "[" if (self.low is not None and self.low_inclusive) else "("
        hb = "]" if (self.high is not None and self.high_inclusive) else ")"
        return f"{lb}{lo}, {hi}{hb}"

    def parse(self, text: str) -> Any:
        """Parse a command-line string (data only: no eval) into this parameter's type."""
        kind = self.kind
        try:
            if kind is bool:
                low = text.strip().lower()
                if low in ("1", "true", "yes", "on"):
                    return True
                if low in ("0", "false", "no", "off"):
                    return False
                raise ValueError(text)
            if kind is int:
                return int(text)
            if kind is float:
                return float(text)
            return str(text)
        except ValueError:
            raise InvalidInputError(
                f"parameter {self.name!r}: cannot read {text!r} as {kind.__name__}") from None

    def check(self, value: Any) -> Any:
        """Validate ``value`` (scalar or array); return it converted.  Raises naming the range."""
        if self.choices is not None:
            vals = np.atleast_1d(np.asarray(value, dtype=object))
            for v in vals.ravel():
                if v not in self.choices:
                    raise InvalidInputError(
                        f"parameter {self.name!r} = {v!r} is not allowed: {self.range_text()}")
            return value
        if self.kind in (str, bool):
            return value
        arr = np.asarray(value, dtype=float)
        if not np.all(np.isfinite(arr)):
            raise InvalidInputError(f"parameter {self.name!r} must be finite, got {value!r}")
        bad = np.zeros(arr.shape, bool)
        if self.low is not None:
            bad |= (arr < self.low) if self.low_inclusive else (arr <= self.low)
        if self.high is not None:
            bad |= (arr > self.high) if self.high_inclusive else (arr >= self.high)
        if np.any(bad):
            first = arr[bad].ravel()[0] if arr.ndim else float(arr)
            raise InvalidInputError(
                f"parameter {self.name!r} = {first:g} is outside the allowed range "
                f"{self.range_text()} ({self.unit})")
        if self.kind is int:
            if np.any(arr != np.round(arr)):
                raise InvalidInputError(f"parameter {self.name!r} must be an integer")
            return arr.astype(int) if arr.ndim else int(arr)
        return arr if arr.ndim else float(arr)


@dataclass(frozen=True)
class ModelSpec:
    """A named, documented, runnable model.

    Attributes
    ----------
    name : str
        Registry name (``hou2025``, ``arnesen2001``, ...).
    title : str
        One-line description shown by ``qness list``.
    family : str
        Group in the catalogue (``magnon``, ``A: drive + dissipation``, ...).
    reference : str
        Citation (authors, journal, year, arXiv id).
    parameters : tuple of Parameter
    build : callable
        ``build(params: dict) -> Generator``; parameters may be arrays (broadcast), giving a
        batched generator.
    analyse : callable
        ``analyse(state, generator, params) -> dict`` of JSON-ready results.
    check : callable or None
        Extra cross-parameter validation ``check(params) -> None`` (raises InvalidInputError).
    doc : str
        Long description (Hamiltonian, dissipators, master-equation form, units).
    solver_options : mapping
        Options passed to :func:`qness.steadystate` (``{"solver": "gaussian"}`` selects the
        Lyapunov solver for quadratic bosonic models).
    solve : callable or None
        ``solve(generator, params) -> state`` for models whose ``build`` does not return a
        :class:`~qness.Generator` (e.g. the permutation-invariant Dicke-basis generator).  The
        state must carry the validation fields of :class:`~qness.SteadyState` (``residual``,
        ``trace_error``, ``hermiticity_error``, ``min_eigenvalue``, ``kernel_dim``, ``ok``,
        ``method``, ``wall_time``), per point for batched parameters.
    """

    name: str
    title: str
    family: str
    reference: str
    parameters: tuple[Parameter, ...]
    build: Callable[[dict[str, Any]], Any]
    analyse: Callable[[Any, Any, dict[str, Any]], dict[str, Any]]
    check: Callable[[dict[str, Any]], None] | None = None
    doc: str = ""
    solver_options: Mapping[str, Any] = field(default_factory=dict)
    solve: Callable[[Any, dict[str, Any]], Any] | None = None

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.parameters}

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters)
        raise InvalidInputError(f"model {self.name!r} has no parameter {name!r}; known: {known}")

    def resolve(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults updated with ``overrides`` (strings are parsed), every value validated."""
        params = self.defaults()
        for key, value in (overrides or {}).items():
            p = self.parameter(key)
            params[key] = p.parse(value) if isinstance(value, str) and p.kind is not str else value
        for p in self.parameters:
            params[p.name] = p.check(params[p.name])
        if self.check is not None:
            self.check(params)
        return params


def parse_assignments(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Parse ``["key=value", ...]`` (command line ``--set``) into a dict of strings."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise InvalidInputError(f"--set expects key=value, got {item!r}")
        key, value = item.split("=", 1)
        key = key.strip()
        if not key:
            raise InvalidInputError(f"--set expects key=value, got {item!r}")
        out[key] = value.strip()
    return out


def json_ready(obj: Any) -> Any:
    """Convert numpy scalars/arrays (complex included) into JSON-serialisable Python objects."""
    if isinstance(obj, Mapping):
        return {str(k): json_ready(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_ready(v) for v in obj]
    if isinstance(obj, np.ndarray):
        if np.iscomplexobj(obj):
            if np.allclose(obj.imag, 0.0, atol=1e-15):
                return json_ready(obj.real)
            return {"real": json_ready(obj.real), "imag": json_ready(obj.imag)}
        return [json_ready(v) for v in obj.tolist()] if obj.ndim else json_ready(obj.item())
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return f if math.isfinite(f) else str(f)
    if isinstance(obj, (complex, np.complexfloating)):
        return {"real": float(obj.real), "imag": float(obj.imag)}
    return obj
