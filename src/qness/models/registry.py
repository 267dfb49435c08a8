"""Name -> :class:`~qness.models.base.ModelSpec` registry (``qness list`` reads it)."""

from __future__ import annotations

import pkgutil
from importlib import import_module

from ..errors import InvalidInputError
from .base import ModelSpec

_REGISTRY: dict[str, ModelSpec] = {}

#: Modules of this package that hold no models.
_NOT_MODELS = frozenset({"base", "registry"})


def register(spec: ModelSpec) -> ModelSpec:
    """Add a model to the registry (names are unique)."""
    if spec.name in _REGISTRY and _REGISTRY[spec.name] is not spec:
        raise InvalidInputError(f"a model named {spec.name!r} is already registered")
    _REGISTRY[spec.name] = spec
    return spec


def _load_all() -> None:
    """Import every module of ``qness.models`` (each registers its models on import).

    Kept lazy so ``import qness`` stays light; a new model module needs no registration list.
    """
    from . import __path__ as package_path

    for info in pkgutil.iter_modules(package_path):
        if info.name not in _NOT_MODELS and not info.name.startswith("_"):
            import_module(f"qness.models.{info.name}")


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
