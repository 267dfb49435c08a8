"""Master equations: superoperators, generators and the builders that derive them from baths."""

from .generator import Generator, liouvillian
from .superop import (
    correlated_dissipator,
    correlated_jumps,
    dissipator,
    hamiltonian_part,
    spost,
    spre,
    sprepost,
    unvec,
    vec,
)

__all__ = [
    "Generator",
    "correlated_dissipator",
    "correlated_jumps",
    "dissipator",
    "hamiltonian_part",
    "liouvillian",
    "spost",
    "spre",
    "sprepost",
    "unvec",
    "vec",
]
