"""qness: steady-state entanglement in open quantum systems."""

from __future__ import annotations

from . import measures, operators
from .errors import (
    ConvergenceError,
    DimensionError,
    InvalidInputError,
    MemoryEstimateError,
    NonUniqueSteadyStateError,
    QnessError,
    SolverError,
)
from .master import Generator, liouvillian
from .measures import (
    bell_fidelities,
    concurrence,
    entanglement_of_formation,
    fidelity,
    l1_coherence,
    log_negativity,
    mutual_information,
    negativity,
    pairwise_concurrence,
    partial_trace,
    partial_transpose,
    purity,
    relative_entropy_coherence,
    von_neumann_entropy,
)
from .space import Site, Space
from .steady import SteadyState, steadystate

__version__ = "0.1.0"

__all__ = [
    "ConvergenceError",
    "DimensionError",
    "Generator",
    "InvalidInputError",
    "MemoryEstimateError",
    "NonUniqueSteadyStateError",
    "QnessError",
    "Site",
    "SolverError",
    "Space",
    "SteadyState",
    "__version__",
    "bell_fidelities",
    "concurrence",
    "entanglement_of_formation",
    "fidelity",
    "l1_coherence",
    "liouvillian",
    "log_negativity",
    "measures",
    "mutual_information",
    "negativity",
    "operators",
    "pairwise_concurrence",
    "partial_trace",
    "partial_transpose",
    "purity",
    "relative_entropy_coherence",
    "steadystate",
    "von_neumann_entropy",
]
