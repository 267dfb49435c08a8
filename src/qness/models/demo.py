"""Two qubits sharing a partially correlated thermal bath, one of them weakly driven.

A small but complete demonstration of the pipeline (describe -> derive -> solve -> quantify):
two resonant qubits (frequency ``omega``) exchange-coupled with strength ``J`` decay into a
common reservoir at temperature ``T`` whose correlation between the two qubit positions is
``c`` (``c = 1``: one shared bath, ``c = 0``: independent baths).  The correlated (Lehmberg)
master equation in the frame rotating at ``omega`` reads

    d rho/dt = -i[H, rho] + sum_jk Gamma_jk^down D[s_k^-, s_j^-] + Gamma_jk^up D[s_k^+, s_j^+],
    H = J (s_1^+ s_2^- + h.c.) + Omega/2 (s_1^+ + s_1^-),
    Gamma^down = gamma (1 + n) [[1, c], [c, 1]],   Gamma^up = gamma n [[1, c], [c, 1]],

with ``n = 1/(exp(omega/T) - 1)``.  A weak resonant drive ``Omega`` on qubit 0 feeds the
subradiant (singlet-like) state, which the collective decay cannot empty when ``c`` is close to
1; the steady state is then entangled.  For ``c -> 1`` and ``Omega = 0`` the singlet decouples and
the steady state is not unique (qness reports it).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..master.generator import Generator, liouvillian
from ..measures import bell_fidelities, concurrence, negativity, purity
from ..operators import sigmam, sigmap
from ..space import Space
from .base import ModelSpec, Parameter
from .registry import register

SPACE = Space.qubits(2)


def _bose(omega: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Bose occupation 1/(e^{omega/T} - 1) for omega > 0, exact 0 at T = 0 (no overflow)."""
    omega, T = np.broadcast_arrays(np.asarray(omega, float), np.asarray(T, float))
    x = np.divide(omega, T, out=np.full(omega.shape, np.inf), where=T > 0)
    return np.exp(-x) / -np.expm1(-x)


def build(p: dict[str, Any]) -> Generator:
    """Batched generator: parameters may be arrays that broadcast."""
    omega, J, Om, gamma, T, c = (np.asarray(p[k], float) for k in
                                 ("omega", "J", "Omega", "gamma", "T", "c"))
    shape = np.broadcast_shapes(omega.shape, J.shape, Om.shape, gamma.shape, T.shape, c.shape)
    sm = [SPACE.embed(sigmam(), j).toarray() for j in range(2)]
    sp_ = [SPACE.embed(sigmap(), j).toarray() for j in range(2)]
    n = _bose(omega, T)
    ex = sp_[0] @ sm[1]
    H = (J[..., None, None] * (ex + ex.conj().T)
         + 0.5 * Om[..., None, None] * (sm[0] + sp_[0]))
    H = np.broadcast_to(H, (*shape, 4, 4))
    # symmetric/antisymmetric eigen-channels of [[1, c], [c, 1]]: rates 1 + c and 1 - c
    down = gamma * (1 + n)
    up = gamma * n
    c_ops = []
    for rate, ops in ((down, sm), (up, sp_)):
        for sign, w in ((1.0, 1 + c), (-1.0, 1 - c)):
            amp = np.sqrt(np.broadcast_to(rate * w / 2, shape))[..., None, None]
            c_ops.append(amp * (ops[0] + sign * ops[1]))
    gen = liouvillian(H, c_ops, dims=(2, 2))
    gen.info.update({"bose_occupation": n})
    return gen


def analyse(state: Any, gen: Generator, p: dict[str, Any]) -> dict[str, Any]:
    rho = state.rho
    f = bell_fidelities(rho)
    return {
        "concurrence": concurrence(rho),
        "negativity": negativity(rho, [2, 2], 0),
        "purity": purity(rho),
        "singlet_fidelity": f[..., 3],
        "populations": {"ee": rho[..., 0, 0].real, "eg": rho[..., 1, 1].real,
                        "ge": rho[..., 2, 2].real, "gg": rho[..., 3, 3].real},
    }


SPEC = register(ModelSpec(
    name="demo",
    title="Two qubits in a partially correlated thermal bath, one weakly driven",
    family="demo",
    reference="Textbook Lehmberg/Dicke collective decay (e.g. Ficek & Tanas, Phys. Rep. 372, "
              "369 (2002)); qness demonstration model",
    parameters=(
        Parameter("omega", 1.0, "1", "qubit frequency (sets the thermal occupation)",
                  low=0.0, low_inclusive=False),
        Parameter("J", 0.0, "gamma", "exchange coupling"),
        Parameter("Omega", 0.1, "gamma", "resonant drive amplitude on qubit 0", low=0.0),
        Parameter("gamma", 1.0, "1", "single-qubit decay rate", low=0.0, low_inclusive=False),
        Parameter("T", 0.0, "omega", "bath temperature", low=0.0),
        Parameter("c", 0.95, "1", "bath correlation between the two qubits", low=0.0, high=1.0),
    ),
    build=build,
    analyse=analyse,
    doc=__doc__ or "",
))
