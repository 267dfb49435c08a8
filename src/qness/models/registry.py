"""Name -> :class:`~qness.models.base.ModelSpec` registry (``qness list`` reads it)."""

from __future__ import annotations

from importlib import import_module

from ..errors import InvalidInputError
from .base import ModelSpec

_REGISTRY: dict[str, ModelSpec] = {}

#: Modules that register models on import (kept lazy so ``import qness`` stays light).
_MODEL_MODULES: tuple[str, ...] = ("qness.models.demo", "qness.models.hou2025")


def register(spec: ModelSpec) -> ModelSpec:
    """Add a model to the registry (names are unique)."""
    if spec.name in _REGISTRY and _REGISTRY[spec.name] is not spec:
        raise InvalidInputError(f"a model named {spec.name!r} is already registered")
    _REGISTRY[spec.name] = spec
    return spec


def _load_all() -> None:
    for mod in _MODEL_MODULES:
        try:
            import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise


def get(name: str) -> ModelSpec:
    """The model called ``name``; the error lists the known names."""
    _load_all()
    if name not in _REGISTRY:
        raise InvalidInputError(
            f"unknown model {name!r}; known models: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[name]


def all_models() -> list[ModelSpec]:
    """Every registered model, sorted by family then name."""
    _load_all()
    return sorted(_REGISTRY.values(), key=lambda s: (s.family, s.name))
