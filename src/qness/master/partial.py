"""Partial-secular (coarse-grained Bloch--Redfield) Lindblad master equation.

Bohr frequencies of ``H`` closer than a tolerance are clustered (single linkage on the sorted
frequencies); within a cluster ``c`` with centre ``w_c`` all cross terms are kept and the rates are
evaluated at ``w_c``:

    D rho = sum_c sum_ab gamma_ab(w_c) ( A_b,c rho A_a,c^dag - 1/2 {A_a,c^dag A_b,c, rho} ),
    A_a,c = sum_{omega in c} A_a(omega).

This is of Lindblad form (completely positive) for any tolerance.  It reduces to Davies for a
tolerance below every gap and keeps the near-degenerate coherences (e.g. the symmetric and
antisymmetric states of nearly identical qubits) that the fully secular form would drop.  The
error is of order ``gamma' * spread`` inside clusters and ``rate / gap`` between clusters; both
ratios are reported in ``Generator.info``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..baths.bath import Coupling
from ..errors import InvalidInputError
from .davies import (
    assemble,
    bohr_matrix,
    clustered_lindblad,
    common_diagnostics,
    diagnose,
    energy_scale,
    make_clustering,
    prepare,
    rate_scale,
    spectral_slopes,
    used_transitions,
)
from .generator import Generator

#: Default tolerance = this factor times the largest Davies rate.
DEFAULT_TOL_FACTOR = 10.0


def default_tolerance(rate: float) -> float:
    """Default clustering tolerance: frequencies within ``10 x rate`` are not resolved by the
    dynamics (dropping their cross terms would be an error of order ``rate/gap > 0.1``)."""
    return DEFAULT_TOL_FACTOR * rate


def choose_clustering(h: np.ndarray, terms: Any, E: np.ndarray, V: np.ndarray, W: np.ndarray,
                      used: np.ndarray, tol: float | None) -> tuple[Any, float, bool]:
    """Cluster the Bohr frequencies ``W`` of ``E`` within ``tol`` (default from the rates).

    Shared by the partial-secular and the local builders.  Returns ``(clustering, tol,
    tol_given)``.  The default never merges every distinct frequency; a user tolerance that
    does raises :class:`InvalidInputError` naming the allowed range.
    """
    degenerate = 1e-9 * energy_scale(E)
    exact = make_clustering(W, used, degenerate)
    user_tol = tol is not None
    if tol is None:
        parts0, _, _ = clustered_lindblad(h, terms, E, V, exact)
        tol = default_tolerance(rate_scale(parts0))
        if exact.centers.size > 1:
            # never let the default merge everything: rates comparable to every spacing mean
            # the weak-coupling ME is invalid anyway, which the diagnostics report
            tol = min(tol, 0.5 * float(np.max(np.diff(np.sort(exact.centers)))))
    tol = float(tol)
    if not np.isfinite(tol) or tol < 0:
        raise InvalidInputError(f"tol must be finite and >= 0 (rad/s), got {tol!r}")
    tol = max(tol, degenerate)
    clustering = make_clustering(W, used, tol)
    if exact.centers.size > 1 and clustering.centers.size == 1:
        gaps = np.diff(np.sort(exact.centers))
        raise InvalidInputError(
            f"tol = {tol:g} merges all {exact.centers.size} distinct Bohr frequencies "
            f"(from {exact.centers.min():g} to {exact.centers.max():g}) into one cluster, where "
            f"the rates would be evaluated at a single frequency; allowed range: "
            f"0 <= tol < {gaps.max():g} (the largest gap)")
    return clustering, tol, user_tol


def partial_secular(
    H: Any,
    couplings: Sequence[Coupling],
    *,
    tol: float | None = None,
    lamb: bool = False,
    dims: Sequence[int] | None = None,
    warn: bool = True,
    lamb_options: dict | None = None,
) -> Generator:
    """Partial-secular Lindblad generator.

    Parameters
    ----------
    H : (d, d) operator
        System Hamiltonian (rad/s).
    couplings : list of Coupling
    tol : float, optional
        Clustering tolerance (rad/s).  Default: ``10 x`` the largest Davies escape rate.  Must
        leave at least two clusters when ``H`` has several distinct Bohr frequencies.
    lamb : bool
        Add the Lamb-shift Hamiltonian ``sum_c sum_ab Lambda_ab(w_c) A_a,c^dag A_b,c``.
    dims, warn, lamb_options
        As in :func:`qness.master.davies.davies`.

    Returns
    -------
    Generator
        ``info`` has ``tol``, ``n_clusters``, ``max_spread``, ``cluster_variation`` and the common
        diagnostics.
    """
    h, terms = prepare(H, couplings)
    E, V = np.linalg.eigh(h)
    ops_eig = np.array([V.conj().T @ t.op @ V for t in terms])
    W = bohr_matrix(E)
    used = used_transitions(ops_eig, 1e-13 * max(np.abs(ops_eig).max(), 1e-300))
    clustering, tol, user_tol = choose_clustering(h, terms, E, V, W, used, tol)
    parts, h_ls, evaluated = clustered_lindblad(h, terms, E, V, clustering, lamb=lamb,
                                                lamb_options=lamb_options)
    info: dict[str, Any] = {"method": "partial_secular", "tol": tol, "tol_given": user_tol,
                            "n_clusters": int(clustering.centers.size)}
    info.update(common_diagnostics(E, parts, terms, evaluated, clustering))
    slope, peak = spectral_slopes(terms, evaluated, energy_scale(E))
    spread = float(np.max(clustering.spreads, initial=0.0))
    info["max_spread"] = spread
    info["cluster_variation"] = slope * spread / peak if peak > 0 else 0.0
    diagnose(info, "partial_secular", warn)
    return assemble(h, parts, h_ls, dims, info)
