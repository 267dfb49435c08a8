"""The model catalogue: named, documented models with the papers' defaults."""

from .base import ModelSpec, Parameter, json_ready, parse_assignments
from .registry import all_models, get, register

__all__ = ["ModelSpec", "Parameter", "all_models", "get", "json_ready", "parse_assignments",
           "register"]
