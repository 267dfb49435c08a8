"""Master equations: superoperators, generators and the builders that derive them from baths."""

from .davies import DissipatorPart, RegimeWarning, davies
from .generator import Generator, liouvillian
from .lamb import coherent_exchange, lamb_shift, principal_value
from .local import local_lindblad, local_part
from .partial import partial_secular
from .permutation import PermutationGenerator, PermutationModel, permutation_liouvillian
from .redfield import bloch_redfield, ccp_violation
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
    "DissipatorPart",
    "Generator",
    "PermutationGenerator",
    "PermutationModel",
    "RegimeWarning",
    "bloch_redfield",
    "ccp_violation",
    "coherent_exchange",
    "correlated_dissipator",
    "correlated_jumps",
    "davies",
    "dissipator",
    "hamiltonian_part",
    "lamb_shift",
    "liouvillian",
    "local_lindblad",
    "local_part",
    "partial_secular",
    "permutation_liouvillian",
    "principal_value",
    "spost",
    "spre",
    "sprepost",
    "unvec",
    "vec",
]
