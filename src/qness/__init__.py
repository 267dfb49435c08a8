"""qness: steady-state entanglement in open quantum systems."""

from __future__ import annotations

from . import operators
from .errors import (
    ConvergenceError,
    DimensionError,
    InvalidInputError,
    NonUniqueSteadyStateError,
    QnessError,
    SolverError,
)
from .master import Generator, liouvillian
from .space import Site, Space
from .steady import SteadyState, steadystate

__version__ = "0.1.0"

__all__ = [
    "ConvergenceError",
    "DimensionError",
    "Generator",
    "InvalidInputError",
    "NonUniqueSteadyStateError",
    "QnessError",
    "Site",
    "SolverError",
    "Space",
    "SteadyState",
    "__version__",
    "liouvillian",
    "operators",
    "steadystate",
]
