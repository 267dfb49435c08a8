"""What a state is worth: entanglement, information and coherence measures.

Every measure takes density matrices ``(..., d, d)`` (leading batch axes broadcast, so the
output of a batched steady-state solve flows straight in) or ``qutip.Qobj`` and returns floats of
shape ``(...)`` (pairwise maps: ``(..., n, n)``; Bell fidelities: ``(..., 4)``).  Tensor order is
QuTiP's; ``dims`` lists the local dimensions.  Conventions are stated in each submodule:
:mod:`~qness.measures.entanglement`, :mod:`~qness.measures.information`,
:mod:`~qness.measures.coherence`, :mod:`~qness.measures.multipartite`.
"""

from __future__ import annotations

from .coherence import (
    BELL_NAMES,
    bell_fidelities,
    bell_fidelity,
    l1_coherence,
    relative_entropy_coherence,
)
from .collective import (
    kitagawa_ueda_parameter,
    min_perpendicular_variance,
    spin_moments,
    wineland_parameter,
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
from .multipartite import (
    bipartition_negativities,
    dicke_state,
    entanglement_depth_dicke,
    entanglement_depth_squeezing,
    ghz_state,
    gme_fidelity_witness,
    min_bipartition_negativity,
    w_state,
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
    "bipartition_negativities",
    "channel_currents",
    "charge_currents",
    "concurrence",
    "dicke_state",
    "energy_currents",
    "entanglement_depth_dicke",
    "entanglement_depth_squeezing",
    "entanglement_of_formation",
    "entropy_production",
    "fidelity",
    "ghz_state",
    "gme_fidelity_witness",
    "heat_currents",
    "kitagawa_ueda_parameter",
    "l1_coherence",
    "linear_entropy",
    "log_negativity",
    "min_bipartition_negativity",
    "min_perpendicular_variance",
    "mutual_information",
    "negativity",
    "pairwise_concurrence",
    "pairwise_negativity",
    "partial_trace",
    "partial_transpose",
    "purity",
    "relative_entropy_coherence",
    "spin_moments",
    "trace_distance",
    "von_neumann_entropy",
    "w_state",
    "wineland_parameter",
    "wootters_lambdas",
]
