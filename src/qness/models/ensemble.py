"""N identical qubits sharing one engineered reservoir: the permutation-invariant ensemble.

The many-qubit version of the review's shared-environment schemes (family B2 and, with the
collective drive, family A): ``N`` identical two-level systems with collective and identical local
processes,

    H = omega J_z + Omega J_x + chi J_z^2,
    drho/dt = -i[H, rho] + gamma_ce D[J_-] + gamma_cp D[J_+] + gamma_cd D[J_z]
              + sum_i (gamma_e D[sigma_i^-] + gamma_p D[sigma_i^+] + gamma_d D[sigma_i^z]),

``J_a = (1/2) sum_i sigma_i^a``, ``D[A] rho = A rho A^dag - {A^dag A, rho}/2``.  With ``Omega`` and
``gamma_ce`` only it is cooperative resonance fluorescence (Puri & Lawande, Phys. Lett. A 72, 200
(1979); Carmichael, J. Phys. B 13, 3551 (1980)): a spin-squeezed steady state in the
symmetric subspace below the threshold ``Omega = N gamma_ce / 2``.  The steady state is solved
in the permutation-invariant (Dicke) basis (:mod:`qness.master.permutation`,
:func:`qness.steady.permutation.steadystate_permutation`): ``O(N^2)`` unknowns when ``H``
commutes with ``J_z`` (``Omega = 0``), ``O(N^3)`` otherwise, so ``N`` in the hundreds is
routine.

Without local rates every total-spin block keeps its weight and the steady state depends on the
initial state; ``initial`` chooses it (all qubits in ``|g>``: the symmetric block ``j = N/2``; or
the maximally mixed state's distribution over ``j``).

Units: every rate and frequency in one unit (``gamma_ce = 1`` by default), hbar = 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InvalidInputError
from ..master.permutation import (
    PermutationGenerator,
    PermutationModel,
    j_values,
    log_degeneracy,
    permutation_liouvillian,
)
from ..measures.collective import kitagawa_ueda_parameter, wineland_parameter
from ..measures.entanglement import concurrence, negativity
from ..measures.multipartite import entanglement_depth_dicke, entanglement_depth_squeezing
from ..steady.permutation import PermutationState, steadystate_permutation
from .base import ModelSpec, Parameter
from .registry import register

__all__ = ["SPEC", "EnsembleProblem", "EnsembleStates", "analyse", "build", "initial_weights",
           "solve"]

#: Parameters that enter the permutation-invariant model (in PermutationModel's names).
_MODEL_FIELDS = {"omega": "omega_z", "Omega": "omega_x", "chi": "chi", "gamma_ce": "gamma_ce",
                 "gamma_cp": "gamma_cp", "gamma_cd": "gamma_cd", "gamma_e": "gamma_e",
                 "gamma_p": "gamma_p", "gamma_d": "gamma_d"}


@dataclass(frozen=True)
class EnsembleProblem:
    """The generators of a (possibly batched) parameter set, one per point, in C order."""

    generators: tuple[PermutationGenerator, ...]
    shape: tuple[int, ...]
    initial: tuple[str, ...]


@dataclass(frozen=True)
class EnsembleStates:
    """Validated permutation-invariant steady states of every point, with per-point diagnostics
    (the fields of :class:`~qness.SteadyState`, as arrays of the batch shape)."""

    states: tuple[PermutationState, ...]
    shape: tuple[int, ...]
    info: dict[str, Any] = field(default_factory=dict)

    def _field(self, name: str, dtype: Any = float) -> np.ndarray:
        values = np.array([getattr(s, name) for s in self.states], dtype=dtype)
        return values.reshape(self.shape) if self.shape else values.reshape(())[()]

    @property
    def residual(self) -> Any:
        return self._field("residual")

    @property
    def trace_error(self) -> Any:
        return self._field("trace_error")

    @property
    def hermiticity_error(self) -> Any:
        return self._field("hermiticity_error")

    @property
    def min_eigenvalue(self) -> Any:
        return self._field("min_eigenvalue")

    @property
    def kernel_dim(self) -> Any:
        return self._field("kernel_dim", int)

    @property
    def ok(self) -> Any:
        return self._field("ok", bool)

    @property
    def wall_time(self) -> float:
        return float(sum(s.wall_time for s in self.states))

    @property
    def method(self) -> str:
        return ", ".join(sorted({s.method for s in self.states}))


def initial_weights(n: int, kind: str) -> np.ndarray:
    """Probabilities of each total spin ``j = N/2, N/2 - 1, ...`` of an initial state.

    ``ground``: all qubits in ``|g>`` (only ``j = N/2``); ``mixed``: the maximally mixed state,
    ``p_j = (2j + 1) d_N(j) / 2^N``.
    """
    js = j_values(n)
    if kind == "ground":
        w = np.zeros(len(js))
        w[0] = 1.0
        return w
    if kind == "mixed":
        logs = log_degeneracy(n, js) + np.log(2 * js + 1) - n * math.log(2.0)
        return np.exp(logs - np.logaddexp.reduce(logs))
    raise InvalidInputError(f"initial must be 'ground' or 'mixed', got {kind!r}")


def _points(params: Mapping[str, Any]) -> tuple[list[dict[str, Any]], tuple[int, ...]]:
    names = ["N", *_MODEL_FIELDS, "initial"]
    arrays = np.broadcast_arrays(*(np.asarray(params[k], dtype=object) for k in names))
    shape = arrays[0].shape
    flat = [a.ravel() for a in arrays]
    points = [{k: flat[i][p] for i, k in enumerate(names)} for p in range(flat[0].size)]
    return points, shape


def build(params: Mapping[str, Any]) -> EnsembleProblem:
    """Dicke-basis generators of every parameter point (parameters may be arrays)."""
    points, shape = _points(params)
    gens = []
    for p in points:
        model = PermutationModel(int(p["N"]), **{f: float(p[k]) for k, f in _MODEL_FIELDS.items()})
        gens.append(permutation_liouvillian(model))
    return EnsembleProblem(tuple(gens), shape, tuple(str(p["initial"]) for p in points))


def solve(problem: EnsembleProblem, params: Mapping[str, Any]) -> EnsembleStates:
    """Steady state of every point; without local rates, the state reached from ``initial``."""
    states = []
    for gen, kind in zip(problem.generators, problem.initial, strict=True):
        weights = initial_weights(gen.model.n, kind) if gen.block_decoupled else None
        states.append(steadystate_permutation(gen, j_weights=weights))
    return EnsembleStates(tuple(states), problem.shape)


def _point_measures(state: PermutationState, depth_max_n: int) -> dict[str, Any]:
    n = state.n
    mean, second = state.spin_moments()
    pair = state.reduced_two_qubit()
    return {
        "concurrence": float(concurrence(pair)),
        "negativity": float(negativity(pair, (2, 2), 0)),
        "excitation": float(mean[2] / n + 0.5),
        "spin_length": float(np.linalg.norm(mean) / (n / 2)),
        "wineland": float(wineland_parameter(mean, second, n)),
        "kitagawa_ueda": float(kitagawa_ueda_parameter(mean, second, n)),
        "depth_squeezing": int(entanglement_depth_squeezing(mean, second, n, kmax=depth_max_n)),
        "depth_dicke": int(entanglement_depth_dicke(mean, second, n)),
        "p_symmetric": float(state.j_weights[0]),
        "unknowns": int(state.basis.dim),
        "sector": state.sector,
    }


def analyse(states: EnsembleStates, problem: EnsembleProblem, params: Mapping[str, Any]
            ) -> dict[str, Any]:
    """Pairwise and collective measures of every point (arrays of the batch shape).

    ``concurrence``/``negativity`` of any pair (identical by symmetry), ``excitation`` (fraction
    of excited qubits), ``spin_length`` ``|<J>| / (N/2)``, the Wineland and Kitagawa–Ueda squeezing
    parameters, the entanglement depth certified by the Sørensen–Mølmer criterion (block sizes
    tested up to ``depth_max_n``; ``depth_max_n + 1`` means "at least that") and by the
    Dicke-state criterion, the weight of the symmetric block and the number of unknowns solved.
    """
    depth_max_n = int(np.max(np.asarray(params["depth_max_n"])))
    rows = [_point_measures(s, depth_max_n) for s in states.states]
    out: dict[str, Any] = {}
    for key in rows[0]:
        values = np.array([r[key] for r in rows])
        out[key] = values.reshape(states.shape) if states.shape else values.reshape(())[()]
    out["threshold_Omega"] = np.asarray(params["N"], float) * np.asarray(params["gamma_ce"]) / 2
    out["kernel_dim"] = states.kernel_dim
    return out


PARAMETERS = (
    Parameter("N", 20, "1", "number of identical qubits", low=2, high=2000),
    Parameter("omega", 0.0, "gamma_ce", "frequency (detuning in the drive frame): omega J_z"),
    Parameter("Omega", 5.0, "gamma_ce", "collective drive Omega J_x (threshold N gamma_ce / 2)"),
    Parameter("chi", 0.0, "gamma_ce", "one-axis twisting chi J_z^2"),
    Parameter("gamma_ce", 1.0, "rate unit", "collective emission D[J_-]", low=0.0),
    Parameter("gamma_cp", 0.0, "rate unit", "collective pumping D[J_+]", low=0.0),
    Parameter("gamma_cd", 0.0, "rate unit", "collective dephasing D[J_z]", low=0.0),
    Parameter("gamma_e", 0.0, "rate unit", "local emission D[sigma_i^-]", low=0.0),
    Parameter("gamma_p", 0.0, "rate unit", "local pumping D[sigma_i^+]", low=0.0),
    Parameter("gamma_d", 0.0, "rate unit", "local dephasing D[sigma_i^z]", low=0.0),
    Parameter("initial", "ground", "", "initial state when no local rate couples the total-spin "
              "blocks (steady state otherwise not unique)", choices=("ground", "mixed")),
    Parameter("depth_max_n", 40, "1", "largest block size tested by the Sørensen–Mølmer depth "
              "bound (it costs seconds per size at ~40)", low=1, high=400),
)


SPEC = register(ModelSpec(
    name="ensemble",
    title="N identical qubits in a shared reservoir: collective drive and decay, local noise "
          "(permutation-invariant solver)",
    family="B2: shared / thermal environment",
    reference="cooperative resonance fluorescence: R. R. Puri, S. V. Lawande, Phys. Lett. A "
              "72, 200 (1979); H. J. Carmichael, "
              "J. Phys. B 13, 3551 (1980); Dicke-basis method: Chase & Geremia, PRA 78, 052101 "
              "(2008), Shammah et al., PRA 98, 063815 (2018)",
    parameters=PARAMETERS,
    build=build,
    analyse=analyse,
    solve=solve,
    doc=__doc__ or "",
))
