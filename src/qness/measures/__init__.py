"""What a state is worth: entanglement, information and coherence measures.

Every measure takes density matrices ``(..., d, d)`` (leading batch axes broadcast, so the
output of a batched steady-state solve flows straight in) or ``qutip.Qobj`` and returns floats of
shape ``(...)`` (pairwise maps: ``(..., n, n)``; Bell fidelities: ``(..., 4)``).  Tensor order is
QuTiP's; ``dims`` lists the local dimensions.  Conventions are stated in each submodule:
:mod:`~qness.measures.entanglement`, :mod:`~qness.measures.information`,
:mod:`~qness.measures.coherence`.
"""

from __future__ import annotations

from .coherence import (
    BELL_NAMES,
    bell_fidelities,
    bell_fidelity,
    l1_coherence,
    relative_entropy_coherence,
)
from .entanglement import (
    concurrence,
    entanglement_of_formation,
    log_negativity,
    negativity,
    pairwise_concurrence,
    pairwise_negativity,
    partial_transpose,
    wootters_lambdas,
)
from .information import (
    as_density_matrix,
    fidelity,
    linear_entropy,
    mutual_information,
    partial_trace,
    purity,
    trace_distance,
    von_neumann_entropy,
)
from .thermo import (
    channel_currents,
    charge_currents,
    energy_currents,
    entropy_production,
    heat_currents,
)

__all__ = [
    "BELL_NAMES",
    "as_density_matrix",
    "bell_fidelities",
    "bell_fidelity",
    "channel_currents",
    "charge_currents",
    "concurrence",
    "energy_currents",
    "entanglement_of_formation",
    "entropy_production",
    "fidelity",
    "heat_currents",
    "l1_coherence",
    "linear_entropy",
    "log_negativity",
    "mutual_information",
    "negativity",
    "pairwise_concurrence",
    "pairwise_negativity",
    "partial_trace",
    "partial_transpose",
    "purity",
    "relative_entropy_coherence",
    "trace_distance",
    "von_neumann_entropy",
    "wootters_lambdas",
]
