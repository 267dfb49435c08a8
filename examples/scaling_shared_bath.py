"""Scaling study: N identical qubits in one shared bath, from N = 2 to a few hundred.

Can a shared, engineered reservoir entangle many qubits, and how does the entanglement scale with
``N``?  Every model here is permutation invariant (collective operators
``J_a = (1/2) sum_i sigma_i^a`` plus the same local dissipator on every qubit), so the steady
state is solved in the Dicke basis (:class:`qness.master.permutation.PermutationModel`,
:func:`qness.steady.steadystate_permutation`) and measured from its collective spin moments:
the pairwise concurrence (the two-qubit reduced state is fixed by the moments), the Wineland and
Kitagawa-Ueda squeezing parameters, the entanglement depth certified by the Sørensen–Mølmer
bound and by the Dicke-state criterion, and Tóth's optimal spin-squeezing inequalities (which
also see unpolarised, singlet-like entanglement).  Rates and energies are in units of the
collective decay rate ``gamma_ce`` (hbar = 1).

Studies (``study`` column of ``scaling_shared_points.csv``):

``crf_drive``
    Cooperative resonance fluorescence, ``H = Omega J_x``, ``gamma_ce D[J_-]``, versus the drive
    ``kappa = Omega / (N gamma_ce)`` (mean-field threshold at ``kappa = 1/2``).  Without local
    rates ``J^2`` is conserved; starting from the ground state the state stays in the symmetric
    block ``j = N/2``.  Solved (``solver = 'closed-form'``) from the exact Puri–Lawande state
    :func:`puri_lawande_block` for every N, and with the Dicke-basis solver
    (``'permutation'``) for the N listed in ``solver_n``; ``pl_diff`` is their largest moment
    difference divided by N^2.
``crf_noise``
    The same drive at ``kappa = 0.3`` with local decay ``gamma_e D[sigma_i^-]`` or local dephasing
    ``gamma_d D[sigma_i^z]`` at fixed rate ratios, versus N.  A near-degenerate generator
    (metastable, bistable steady state) is recorded with ``solver = 'near-degenerate'``.
``crf_local_scan``
    Pairwise concurrence and squeezing versus the local rate at fixed N (``kappa = 0.3``).
``gibbs``
    Control: ``H = omega_z J_z`` with collective and local emission/absorption at one temperature
    ``T`` (rates ``gamma (nbar + 1)``, ``gamma nbar``) plus local dephasing.  Detailed balance
    makes the Gibbs product state ``exp(-omega_z J_z / T) / Z`` the steady state for every N:
    ``C = 0``, depth 1, ``xi_R^2 = coth^2(omega_z / 2T)``; ``gibbs_dev`` is the largest deviation
    of the two-qubit reduced state from the product of thermal qubits.
``laser``
    Collective decay plus local pumping ``gamma_p D[sigma_i^+]`` (the superradiant-laser model)
    versus the pump ``w = gamma_p`` from ``1e-3`` to ``1e3 gamma_ce``.

``scaling_shared_crosscheck.csv`` compares, for N <= 8, the Dicke-basis solve with the full
``2^N``-dimensional solve (:func:`qness.steadystate`) and the measures on the full state
(pairwise concurrence of every pair, negativity of every bipartition, GME fidelity witnesses
against the Dicke states ``|D_N^k>`` and against the state's own principal eigenvector) with the
reduced ones (moments, the ``j = N/2`` block).

Usage::

    python examples/scaling_shared_bath.py --quick --out DIR    # < 30 s
    python examples/scaling_shared_bath.py --out DIR            # full study, a few minutes

Writes ``scaling_shared_points.csv``, ``scaling_shared_crosscheck.csv`` and the figures
``scaling_shared_crf.png``, ``scaling_shared_noise.png``, ``scaling_shared_laser.png`` into DIR
and prints a summary table.  Conventions: QuTiP tensor order, ``basis(2, 0) = |e>`` with
``sigma_z = +1``.
"""

from __future__ import annotations

import argparse
import csv
import math
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import qness
from qness.errors import ConvergenceError, NonUniqueSteadyStateError
from qness.master.permutation import PermutationModel, spin_matrices
from qness.measures import (
    bipartition_negativities,
    concurrence,
    dicke_state,
    entanglement_depth_dicke,
    entanglement_depth_squeezing,
    gme_fidelity_witness,
    kitagawa_ueda_parameter,
    pairwise_concurrence,
    spin_moments,
    wineland_parameter,
)
from qness.measures.collective import min_perpendicular_variance
from qness.measures.multipartite import producible_variance_bound
from qness.steady import PermutationState, steadystate_permutation
from qness.steady.permutation import pair_state_from_moments

#: Unit of rates and energies.
GAMMA_CE = 1.0
#: Drive of the noise scans, kappa = Omega / (N gamma_ce) (below the threshold 1/2).
KAPPA_NOISE = 0.3
#: Qubit frequency of the Gibbs control.
OMEGA_Z = 1.0
#: A quantity counts as nonzero (entangled, violated) beyond this.
TINY = 1e-9

FULL: dict[str, Any] = {
    "drive_n": (2, 4, 6, 10, 20, 40, 100, 200, 400),
    "kappas": (0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.48, 0.5, 0.52, 0.55,
               0.6, 0.7, 0.8, 1.0, 1.5),
    "scaling_kappas": (0.1, 0.2, 0.3, 0.4),
    "scaling_n": (2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 100, 150, 200, 300, 400),
    "solver_n": (4, 10, 40, 100),
    "solver_kappas": (0.1, 0.3, 0.45, 0.6, 1.0),
    "noise_n": (2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 100),
    "noise": (("gamma_e", 0.1), ("gamma_e", 1.0), ("gamma_e", 10.0), ("gamma_d", 0.01),
              ("gamma_d", 1.0)),
    "scan_n": (2, 4, 6, 10, 20),
    "scan_rates": tuple(10.0 ** np.arange(-3.0, 3.01, 0.5)),
    "gibbs_n": (2, 3, 4, 10, 40, 100, 200, 400),
    "gibbs_T": (0.25, 1.0, 4.0),
    "laser_n": (2, 3, 4, 6, 10, 20, 40, 100, 300),
    "laser_pumps": tuple(10.0 ** np.arange(-3.0, 3.01, 0.25)),
    "cross_n": (2, 3, 4, 6, 8),
    "depth_kmax": 40,
}
QUICK: dict[str, Any] = {
    "drive_n": (4, 10, 40, 100, 400),
    "kappas": (0.1, 0.2, 0.3, 0.4, 0.45, 0.5, 0.6, 0.8),
    "scaling_kappas": (0.1, 0.2, 0.3, 0.4),
    "scaling_n": (4, 10, 40, 100, 400),
    "solver_n": (4, 10, 20),
    "solver_kappas": (0.2, 0.6),
    "noise_n": (2, 4, 8, 12),
    "noise": (("gamma_e", 0.1), ("gamma_e", 1.0), ("gamma_e", 10.0), ("gamma_d", 1.0)),
    "scan_n": (2, 4, 10),
    "scan_rates": tuple(10.0 ** np.arange(-3.0, 3.01, 1.0)),
    "gibbs_n": (2, 3, 4, 10, 40, 100),
    "gibbs_T": (0.5, 2.0),
    "laser_n": (2, 3, 4, 10, 40),
    "laser_pumps": tuple(10.0 ** np.arange(-3.0, 3.01, 0.5)),
    "cross_n": (2, 3, 4, 6),
    "depth_kmax": 12,
}


# --------------------------------------------------------------------------------------------
# models
# --------------------------------------------------------------------------------------------
def crf_model(n: int, kappa: float, gamma_e: float = 0.0, gamma_d: float = 0.0
              ) -> PermutationModel:
    """Cooperative resonance fluorescence ``H = kappa N gamma_ce J_x`` with ``gamma_ce D[J_-]``,
    plus optional local decay ``gamma_e`` and dephasing ``gamma_d`` (units of ``gamma_ce``)."""
    return PermutationModel(n, omega_x=kappa * n * GAMMA_CE, gamma_ce=GAMMA_CE,
                            gamma_e=gamma_e, gamma_d=gamma_d)


def thermal_occupation(T: float, omega: float = OMEGA_Z) -> float:
    """Bose factor ``nbar = 1 / (exp(omega / T) - 1)`` (0 at T = 0)."""
    return 0.0 if T == 0 else 1.0 / math.expm1(omega / T)


def gibbs_model(n: int, T: float, gamma_e: float = 0.5, gamma_d: float = 0.2
                ) -> PermutationModel:
    """Collective and local emission/absorption at one temperature ``T``, ``H = omega_z J_z``.

    Rates ``gamma (nbar + 1)`` down and ``gamma nbar`` up for the collective (``gamma_ce``) and
    the local (``gamma_e``) channel obey detailed balance at ``T``; local dephasing commutes with
    ``J_z``.  The steady state is the Gibbs product state for every ``N``.
    """
    nbar = thermal_occupation(T)
    return PermutationModel(n, omega_z=OMEGA_Z, gamma_ce=GAMMA_CE * (nbar + 1),
                            gamma_cp=GAMMA_CE * nbar, gamma_e=gamma_e * (nbar + 1),
                            gamma_p=gamma_e * nbar, gamma_d=gamma_d)


def laser_model(n: int, pump: float, gamma_d: float = 0.0) -> PermutationModel:
    """Collective decay plus local pumping ``pump D[sigma_i^+]`` (superradiant-laser model)."""
    return PermutationModel(n, gamma_ce=GAMMA_CE, gamma_p=pump, gamma_d=gamma_d)


# --------------------------------------------------------------------------------------------
# the exact state of cooperative resonance fluorescence
# --------------------------------------------------------------------------------------------
def puri_lawande_block(n: int, omega: float, gamma: float = GAMMA_CE) -> np.ndarray:
    """Steady state of ``H = omega J_x``, ``gamma D[J_-]`` in the symmetric block ``j = N/2``.

    Puri & Lawande, Phys. Lett. A 72, 200 (1979); Carmichael, J. Phys. B 13, 3551 (1980):
    ``rho = sum_{m,n} (g*)^{-m} g^{-n} J_-^m J_+^n / D = A^dag A / D`` with
    ``A = (1 - J_+ / g)^{-1}``, ``g = i omega / gamma`` (checked here by stationarity).  With
    ``a = j - m`` and ``(J_+)_{a-1, a} = sqrt(a (N + 1 - a))``, ``A`` factorises and

        rho_ab = i^(a - b) e^(L_a + L_b) sum_{k <= min(a, b)} e^(-2 L_k),
        L_a = sum_{i <= a} (1/2) log(i (N + 1 - i)) - a log(omega / gamma),

    evaluated with logarithms (no overflow for any N).  Returns the ``(N+1, N+1)`` density
    matrix in the basis ``m = N/2, ..., -N/2`` (QuTiP ``jmat`` order).
    """
    if omega <= 0 or gamma <= 0:
        raise ValueError(f"omega and gamma must be > 0, got {omega}, {gamma}")
    a = np.arange(n + 1)
    steps = 0.5 * np.log(a[1:] * (n + 1.0 - a[1:]))
    log_l = np.concatenate([[0.0], np.cumsum(steps)]) - a * math.log(omega / gamma)
    cum = np.logaddexp.accumulate(-2.0 * log_l)
    logr = log_l[:, None] + log_l[None, :] + cum[np.minimum.outer(a, a)]
    rho = np.exp(logr - logr.max()) * (1j ** ((a[:, None] - a[None, :]) % 4))
    return rho / np.trace(rho).real


def block_moments(rho: np.ndarray, j: float) -> tuple[np.ndarray, np.ndarray]:
    """``<J_a>`` and ``<(J_a J_b + J_b J_a)/2>`` of a state of one spin ``j`` (basis m = j..-j)."""
    s = spin_matrices(j)
    mats = [s[a] for a in "xyz"]
    rt = rho.T

    def expect(op: Any) -> float:
        return float(np.real(np.sum(op.multiply(rt))))

    mean = np.array([expect(m) for m in mats])
    second = np.empty((3, 3))
    for a in range(3):
        for b in range(a, 3):
            second[a, b] = second[b, a] = 0.5 * (expect(mats[a] @ mats[b])
                                                 + expect(mats[b] @ mats[a]))
    return mean, second


# --------------------------------------------------------------------------------------------
# measures from collective moments
# --------------------------------------------------------------------------------------------
def toth_inequalities(mean: np.ndarray, second: np.ndarray, n: int) -> dict[str, float]:
    """Tóth's optimal spin-squeezing inequalities, each ``>= 0`` for every separable state.

    Tóth, Knapp, Gühne & Briegel, PRL 99, 250405 (2007); the rotation-invariant form of
    PRA 79, 042334 (2009) with ``C = second``, ``G = C - <J><J>^T`` and ``X = (N-1) G + C``:

    * ``singlet = tr G - N/2`` (``(dJ_x)^2 + (dJ_y)^2 + (dJ_z)^2 >= N/2``; singlet-like,
      unpolarised states violate it),
    * ``dicke = lambda_min(X) - tr C + N/2`` (``<J_k^2> + <J_l^2> - N/2 <= (N-1) (dJ_m)^2``;
      Dicke states violate it, and so do spin-squeezed states),
    * ``squeeze = (N-1) tr G - N(N-2)/4 - lambda_max(X)``
      (``(N-1) [(dJ_k)^2 + (dJ_l)^2] >= <J_m^2> + N(N-2)/4``; spin-squeezed states violate it),

    for every orthonormal frame ``k, l, m`` (the eigenvalues of ``X`` pick the best one).
    Returned divided by ``N`` (singlet) or ``N^2``.  A negative value proves entanglement.
    """
    cov = second - np.outer(mean, mean)
    ev = np.linalg.eigvalsh((n - 1) * cov + second)
    return {"toth_singlet": float(np.trace(cov) - n / 2) / n,
            "toth_dicke": float(ev[0] - np.trace(second) + n / 2) / n**2,
            "toth_squeeze": float((n - 1) * np.trace(cov) - n * (n - 2) / 4 - ev[-1]) / n**2}


def certified_depth(mean: np.ndarray, second: np.ndarray, n: int, kmax: int) -> tuple[int, bool]:
    """Sørensen–Mølmer entanglement depth, checked up to block size ``kmax``.

    Returns ``(depth, censored)``.  For ``n <= kmax`` this is
    :func:`qness.measures.entanglement_depth_squeezing`.  Beyond, the smallest ``k <= kmax``
    with ``Var_perp >= N Phi_k(|<J>|/N)`` (:func:`producible_variance_bound`) is returned, or
    ``(kmax + 1, True)`` when even ``kmax``-producible states are excluded: the state then holds
    a group of more than ``kmax`` entangled qubits.  (The bound for block size ``k`` costs
    ``O(k^2)``, so the check stops at ``kmax``.)
    """
    if n <= kmax:
        return int(entanglement_depth_squeezing(mean, second, n)), False
    length = float(np.linalg.norm(mean))
    if length == 0:
        return int(entanglement_depth_squeezing(mean, second, n)), False
    var = float(min_perpendicular_variance(mean, second))
    x = min(length / n, 0.5)
    for k in range(1, kmax + 1):
        if var / n >= float(producible_variance_bound(k, x)) - TINY:
            return k, False
    return kmax + 1, True


def measure(mean: np.ndarray, second: np.ndarray, n: int, kmax: int) -> dict[str, Any]:
    """Every moment-based quantity of a permutation-invariant state of ``n`` qubits."""
    c = float(concurrence(pair_state_from_moments(mean, second, n))) if n >= 2 else 0.0
    depth, censored = certified_depth(mean, second, n, kmax)
    toth = toth_inequalities(mean, second, n)
    return {
        "C": c, "NC": n * c,
        "xi2_R": float(wineland_parameter(mean, second, n)),
        "xi2_KU": float(kitagawa_ueda_parameter(mean, second, n)),
        "polarisation": float(np.linalg.norm(mean) / (n / 2)),
        "jz": float(mean[2] / (n / 2)),
        "jpjm_N2": float((second[0, 0] + second[1, 1] + mean[2]) / n**2),   # <J+ J->/N^2
        # <sigma_1^+ sigma_2^-> = (<J+ J-> - sum_i <sigma_i^+ sigma_i^->) / (N (N - 1))
        "pair_coh": float((second[0, 0] + second[1, 1] - n / 2) / (n * (n - 1))),
        "depth_sq": depth, "depth_sq_censored": censored,
        "depth_dicke": int(entanglement_depth_dicke(mean, second, n)),
        **toth,
        "toth_entangled": min(toth.values()) < -TINY,
    }


# --------------------------------------------------------------------------------------------
# solving
# --------------------------------------------------------------------------------------------
def solve(model: PermutationModel) -> tuple[PermutationState | None, dict[str, Any]]:
    """Dicke-basis steady state and its diagnostics.

    Without local rates ``J^2`` is conserved and the state reached from the ground state (total
    spin ``N/2``) is returned.  A generator whose smallest relative singular value is below the
    solver's resolution (a metastable, near-degenerate steady state) gives ``(None, info)``.
    """
    t0 = time.perf_counter()
    weights = None
    if not model.has_local:
        weights = np.zeros(model.n // 2 + 1)
        weights[0] = 1.0
    try:
        ps = steadystate_permutation(model, j_weights=weights)
    except (NonUniqueSteadyStateError, ConvergenceError) as exc:
        return None, {"solver": "near-degenerate", "seconds": time.perf_counter() - t0,
                      "note": str(exc).split(";")[0][:120]}
    return ps, {"solver": "permutation", "seconds": time.perf_counter() - t0,
                "residual": ps.residual, "sigma_ratio": ps.info.get("sigma_ratio", np.nan),
                "p_sym": float(ps.j_weights[0]), "method": ps.method}


def solved_row(model: PermutationModel, kmax: int, **labels: Any) -> dict[str, Any]:
    """Solve ``model`` and measure it; a near-degenerate point keeps NaN measures."""
    ps, info = solve(model)
    row = {**labels, "N": model.n, **info}
    if ps is not None:
        mean, second = ps.spin_moments()
        row.update(measure(mean, second, model.n, kmax))
        row["_state"] = ps
    return row


# --------------------------------------------------------------------------------------------
# studies
# --------------------------------------------------------------------------------------------
def crf_drive_rows(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """Collective-only resonance fluorescence: closed form for every (N, kappa), the solver for
    the smaller N (``pl_diff``: largest moment difference / N^2 between the two)."""
    kmax = cfg["depth_kmax"]
    rows = []
    grid = {(n, k) for n in cfg["drive_n"] for k in cfg["kappas"]}
    grid |= {(n, k) for n in cfg["scaling_n"] for k in cfg["scaling_kappas"]}
    solver = {(n, k) for n in cfg["solver_n"] for k in cfg["solver_kappas"]}
    for n, kappa in sorted(grid | solver):
        t0 = time.perf_counter()
        mean, second = block_moments(puri_lawande_block(n, kappa * n * GAMMA_CE), n / 2)
        row = {"study": "crf_drive", "solver": "closed-form", "N": n, "kappa": kappa,
               "seconds": time.perf_counter() - t0, "p_sym": 1.0,
               **measure(mean, second, n, kmax)}
        rows.append(row)
        if (n, kappa) in solver:
            srow = solved_row(crf_model(n, kappa), kmax, study="crf_drive", kappa=kappa)
            ps = srow.pop("_state")
            m2, s2 = ps.spin_moments()
            diff = max(np.max(np.abs(m2 - mean)), np.max(np.abs(s2 - second))) / n**2
            srow["pl_diff"] = row["pl_diff"] = float(diff)
            rows.append(srow)
    return rows


def crf_noise_rows(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """Local decay or dephasing at fixed ratios to gamma_ce, versus N (kappa = 0.3)."""
    rows = []
    for name, rate in cfg["noise"]:
        for n in cfg["noise_n"]:
            row = solved_row(crf_model(n, KAPPA_NOISE, **{name: rate}), cfg["depth_kmax"],
                             study="crf_noise", kappa=KAPPA_NOISE, **{name: rate})
            row.pop("_state", None)
            rows.append(row)
    return rows


def crf_local_scan_rows(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """Concurrence and squeezing versus the local rate at fixed N (kappa = 0.3)."""
    rows = []
    for name in ("gamma_e", "gamma_d"):
        for n in cfg["scan_n"]:
            for rate in cfg["scan_rates"]:
                row = solved_row(crf_model(n, KAPPA_NOISE, **{name: float(rate)}),
                                 cfg["depth_kmax"], study="crf_local_scan", kappa=KAPPA_NOISE,
                                 **{name: float(rate)})
                row.pop("_state", None)
                rows.append(row)
    return rows


def gibbs_rows(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The thermal control: deviation from the Gibbs product state and its measures."""
    rows = []
    for T in cfg["gibbs_T"]:
        p_e = 1.0 / (1.0 + math.exp(OMEGA_Z / T))
        qubit = np.diag([p_e, 1.0 - p_e])           # basis(2, 0) = |e>
        product = np.kron(qubit, qubit)
        for n in cfg["gibbs_n"]:
            model = gibbs_model(n, T)
            row = solved_row(model, cfg["depth_kmax"], study="gibbs", T=T,
                             gamma_e=model.gamma_e, gamma_d=model.gamma_d)
            ps = row.pop("_state")
            row["gibbs_dev"] = float(np.max(np.abs(ps.reduced_two_qubit() - product)))
            row["xi2_gibbs"] = 1.0 / math.tanh(OMEGA_Z / (2 * T)) ** 2
            rows.append(row)
    return rows


def laser_rows(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """Collective decay + local pumping versus the pump rate."""
    rows = []
    for n in cfg["laser_n"]:
        for pump in cfg["laser_pumps"]:
            row = solved_row(laser_model(n, float(pump)), cfg["depth_kmax"], study="laser",
                             gamma_p=float(pump))
            row.pop("_state", None)
            rows.append(row)
    return rows


# --------------------------------------------------------------------------------------------
# cross-check against the full 2^N solve
# --------------------------------------------------------------------------------------------
def crosscheck_models(n: int) -> list[tuple[str, PermutationModel]]:
    cases = [("crf+decay", crf_model(n, KAPPA_NOISE, gamma_e=1.0)),
             ("crf+dephasing", crf_model(n, KAPPA_NOISE, gamma_e=0.2, gamma_d=0.1)),
             ("gibbs", gibbs_model(n, 1.0)),
             ("laser-weak", laser_model(n, 0.05)),
             ("laser-strong", laser_model(n, n / 2))]
    if n <= 4:  # collective only: the full kernel is large, the state from |g...g> is projected
        cases.insert(0, ("crf", crf_model(n, KAPPA_NOISE)))
    return cases


def full_solve(model: PermutationModel) -> np.ndarray:
    """The ``2^N x 2^N`` steady state from :func:`qness.steadystate` (from |g...g> if needed)."""
    H, c_ops = model.full_space_terms()
    rho0 = None
    if not model.has_local:
        rho0 = np.zeros((2**model.n, 2**model.n))
        rho0[-1, -1] = 1.0                       # |g ... g>: basis(2, 1) on every qubit
    return np.asarray(qness.steadystate(H, c_ops, rho0=rho0).rho)


def crosscheck_row(case: str, model: PermutationModel, kmax: int) -> dict[str, Any]:
    """Full-space solve and measures next to the Dicke-basis ones for one small model."""
    n, dims = model.n, (2,) * model.n
    t0 = time.perf_counter()
    rho = full_solve(model)
    t_full = time.perf_counter() - t0
    ps, info = solve(model)
    dense = ps.to_dense(max_n=12)
    upper = np.triu_indices(n, 1)
    cmap = np.asarray(pairwise_concurrence(rho, dims))[upper]
    mean_f, sec_f = spin_moments(rho, n)
    mean_r, sec_r = ps.spin_moments()
    full, red = measure(mean_f, sec_f, n, kmax), measure(mean_r, sec_r, n, kmax)
    row = {"case": case, "N": n, "state_diff": float(np.max(np.abs(rho - dense))),
           "seconds_full": t_full, "seconds_perm": info["seconds"],
           "C_full_max": float(cmap.max()), "C_full_min": float(cmap.min()),
           "C_reduced": red["C"], "moment_diff": float(max(np.max(np.abs(mean_f - mean_r)),
                                                           np.max(np.abs(sec_f - sec_r))))}
    for key in ("xi2_R", "depth_sq", "depth_dicke", "toth_entangled"):
        row[f"{key}_full"], row[f"{key}_reduced"] = full[key], red[key]
    if n >= 2:
        neg_f = bipartition_negativities(rho, dims)
        neg_r = bipartition_negativities(dense, dims)
        sizes = np.array([len(c) for c in neg_f.cuts])
        spread = max(float(np.ptp(neg_f.negativity[sizes == s])) for s in set(sizes))
        row.update(neg_min_full=float(neg_f.negativity.min()),
                   neg_max_full=float(neg_f.negativity.max()),
                   neg_min_reduced=float(neg_r.negativity.min()),
                   neg_max_reduced=float(neg_r.negativity.max()),
                   neg_diff=float(np.max(np.abs(neg_f.negativity - neg_r.negativity))),
                   neg_same_size_spread=spread)
    row.update(gme_rows(rho, ps, n))
    row.update(gme_self(rho, dense, n))
    return row


def gme_rows(rho: np.ndarray, ps: PermutationState, n: int) -> dict[str, Any]:
    """Fidelity witnesses against every Dicke state ``|D_N^k>``: the full state's fidelity next
    to the ``j = N/2`` block's population (``d_N(N/2) = 1``, so it is the same number)."""
    top = np.real(np.diag(ps.block(n / 2)))           # m = N/2 - a, k = N - a excitations
    best, f_diff = None, 0.0
    for k in range(n + 1):
        w = gme_fidelity_witness(rho, dicke_state(n, k), (2,) * n)
        f_red = float(top[n - k])
        f_diff = max(f_diff, abs(float(w.fidelity) - f_red))
        margin = float(w.fidelity) - float(w.alpha)
        if best is None or margin > best[0]:
            best = (margin, k, float(w.fidelity), f_red, float(w.alpha))
    margin, k, f_full, f_red, alpha = best
    return {"gme_k": k, "gme_F_full": f_full, "gme_F_reduced": f_red, "gme_alpha": alpha,
            "gme_detected_full": margin > TINY, "gme_detected_reduced": f_red - alpha > TINY,
            "gme_F_diff": f_diff}


def gme_self(rho: np.ndarray, dense: np.ndarray, n: int) -> dict[str, Any]:
    """Fidelity witness with the state's own principal eigenvector as target: GME is proven
    when the largest eigenvalue exceeds that vector's largest biseparable overlap."""
    out = {}
    for label, state in (("full", rho), ("reduced", dense)):
        _, vecs = np.linalg.eigh(0.5 * (state + state.conj().T))
        w = gme_fidelity_witness(state, vecs[:, -1], (2,) * n)
        out.update({f"gme_self_F_{label}": float(w.fidelity),
                    f"gme_self_alpha_{label}": float(w.alpha),
                    f"gme_self_detected_{label}": bool(w.detected)})
    return out


# --------------------------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------------------------
def write_csv(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    keys: list[str] = []
    for r in rows:
        keys += [k for k in r if k not in keys and not k.startswith("_")]
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=keys, restval="")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: _fmt(v) for k, v in r.items() if not k.startswith("_")})


def _fmt(v: Any) -> Any:
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return v


def _select(rows: Iterable[dict], **match: Any) -> list[dict]:
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]


def crf_limit(kappa: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Large-N limits below threshold: ``xi^2 = sqrt(1 - 4 kappa^2)``, ``N C = 1 - xi^2``
    (Holstein–Primakoff; module docs); NaN above ``kappa = 1/2``."""
    kappa = np.asarray(kappa, float)
    xi2 = np.where(kappa < 0.5, np.sqrt(np.clip(1 - 4 * kappa**2, 0, None)), np.nan)
    return xi2, 1.0 - xi2


def figure_crf(rows: list[dict], cfg: dict[str, Any], path: Path) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(2, 2, figsize=(10.5, 8.0))
    cf = _select(rows, study="crf_drive", solver="closed-form")
    ks = np.linspace(0.0, 0.499, 200)
    xi_lim, nc_lim = crf_limit(ks)
    cmap = plt.get_cmap("viridis")
    drive_n = cfg["drive_n"]
    for i, n in enumerate(drive_n):
        pts = sorted((r for r in cf if r["N"] == n and r["kappa"] in cfg["kappas"]),
                     key=lambda r: r["kappa"])
        col = cmap(i / max(1, len(drive_n) - 1))
        kap = [r["kappa"] for r in pts]
        ax[0, 0].plot(kap, [r["NC"] for r in pts], "o-", ms=3, color=col, label=f"N = {n}")
        ax[0, 1].semilogy(kap, [r["xi2_R"] for r in pts], "o-", ms=3, color=col)
    solved = _select(rows, study="crf_drive", solver="permutation")
    ax[0, 0].plot([r["kappa"] for r in solved], [r["NC"] for r in solved], "kx", ms=6,
                  label="Dicke-basis solver")
    ax[0, 0].plot(ks, nc_lim, "k--", lw=1, label=r"$1-\sqrt{1-4\kappa^2}$ (N$\to\infty$)")
    ax[0, 0].axvline(0.5, color="grey", lw=0.6)
    ax[0, 0].set(xlabel=r"drive $\kappa = \Omega/(N\gamma_{ce})$", ylabel=r"$N\,C$ (pair)",
                 title="(a) pairwise concurrence x N")
    ax[0, 0].legend(fontsize=7)
    ax[0, 1].plot(ks, xi_lim, "k--", lw=1, label=r"$\sqrt{1-4\kappa^2}$")
    ax[0, 1].axhline(1.0, color="grey", lw=0.6)
    ax[0, 1].axvline(0.5, color="grey", lw=0.6)
    ax[0, 1].set(xlabel=r"$\kappa$", ylabel=r"Wineland $\xi_R^2$", ylim=(0.05, 500),
                 title="(b) spin squeezing (< 1: entangled)")
    ax[0, 1].legend(fontsize=7)
    for i, kappa in enumerate(cfg["scaling_kappas"]):
        pts = sorted((r for r in cf if r["kappa"] == kappa), key=lambda r: r["N"])
        col = plt.get_cmap("plasma")(i / max(1, len(cfg["scaling_kappas"])))
        ns = np.array([r["N"] for r in pts])
        ax[1, 0].semilogx(ns, [r["NC"] for r in pts], "o-", ms=3, color=col,
                          label=rf"$\kappa$ = {kappa}")
        ax[1, 0].axhline(float(crf_limit(kappa)[1]), color=col, ls="--", lw=0.8)
        dep = np.array([r["depth_sq"] for r in pts])
        cen = np.array([r["depth_sq_censored"] for r in pts], bool)
        ax[1, 1].loglog(ns, dep, "o-", ms=3, color=col, label=rf"$\kappa$ = {kappa}")
        if cen.any():
            ax[1, 1].plot(ns[cen], dep[cen], "^", ms=8, mfc="none", color=col)
    ax[1, 0].axhline(2.0, color="k", lw=0.8)
    ax[1, 0].text(2.2, 1.9, "Koashi-Bužek-Imoto bound N C <= 2", fontsize=7, va="top")
    ax[1, 0].set(xlabel="N", ylabel=r"$N\,C$", ylim=(0, 2.1),
                 title="(c) C ~ (1 - xi^2)/N: limits dashed")
    ax[1, 0].legend(fontsize=7)
    nn = np.array(sorted({r["N"] for r in cf}))
    ax[1, 1].loglog(nn, nn, "k:", lw=0.8, label="depth = N")
    ax[1, 1].axhline(cfg["depth_kmax"] + 1, color="grey", lw=0.6)
    ax[1, 1].set(xlabel="N", ylabel="certified depth (Sørensen–Mølmer)",
                 title=f"(d) depth (triangles: > {cfg['depth_kmax']}, not checked beyond)")
    ax[1, 1].legend(fontsize=7)
    fig.suptitle(r"Cooperative resonance fluorescence $H=\Omega J_x$, $\gamma_{ce}D[J_-]$ "
                 "(exact Puri–Lawande state, j = N/2)")
    _save(fig, path)


def figure_noise(rows: list[dict], cfg: dict[str, Any], path: Path) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(2, 2, figsize=(10.5, 8.0))
    scan = _select(rows, study="crf_local_scan")
    cmap = plt.get_cmap("viridis")
    for i, n in enumerate(cfg["scan_n"]):
        col = cmap(i / max(1, len(cfg["scan_n"]) - 1))
        for name, style in (("gamma_e", "o-"), ("gamma_d", "s--")):
            pts = sorted((r for r in scan if r["N"] == n and name in r and "C" in r),
                         key=lambda r: r[name])
            x = [r[name] for r in pts]
            if name == "gamma_e":
                ax[0, 0].semilogx(x, [r["NC"] for r in pts], style, ms=3, color=col,
                                  label=f"N = {n}")
            ax[0, 1].loglog(x, [r["xi2_R"] for r in pts], style, ms=3, color=col,
                            label=f"N = {n}" if name == "gamma_e" else None)
        ref = _select(rows, study="crf_drive", solver="closed-form", N=n, kappa=KAPPA_NOISE)
        if ref:
            ax[0, 0].plot([cfg["scan_rates"][0] / 3], [ref[0]["NC"]], "*", color=col, ms=9)
            ax[0, 1].plot([cfg["scan_rates"][0] / 3], [ref[0]["xi2_R"]], "*", color=col, ms=9)
    ax[0, 0].set(xlabel=r"local decay $\gamma_e/\gamma_{ce}$", ylabel=r"$N\,C$",
                 title=r"(a) pair concurrence vs local decay ($\kappa$ = 0.3; *: none)")
    ax[0, 0].legend(fontsize=7)
    ax[0, 1].axhline(1.0, color="grey", lw=0.6)
    ax[0, 1].set(xlabel=r"local rate / $\gamma_{ce}$ (o decay, s dephasing)",
                 ylabel=r"$\xi_R^2$", title="(b) squeezing: decay vs dephasing (*: none)")
    ax[0, 1].legend(fontsize=7)
    noise = _select(rows, study="crf_noise")
    cf = sorted(_select(rows, study="crf_drive", solver="closed-form", kappa=KAPPA_NOISE),
                key=lambda r: r["N"])
    ax[1, 0].loglog([r["N"] for r in cf], [r["xi2_R"] for r in cf], "k*-", ms=5,
                    label="no local noise")
    ax[1, 1].loglog([r["N"] for r in cf], [r["depth_sq"] for r in cf], "k*-", ms=5,
                    label="no local noise")
    for i, (name, rate) in enumerate(cfg["noise"]):
        col = plt.get_cmap("tab10")(i)
        pts = sorted((r for r in noise if r.get(name) == rate), key=lambda r: r["N"])
        ok = [r for r in pts if "xi2_R" in r]
        bad = [r for r in pts if "xi2_R" not in r]
        lab = (r"$\gamma_e$" if name == "gamma_e" else r"$\gamma_d$") + rf" = {rate:g}"
        ax[1, 0].loglog([r["N"] for r in ok], [r["xi2_R"] for r in ok], "o-", ms=3, color=col,
                        label=lab)
        ax[1, 0].plot([r["N"] for r in bad], [1.0] * len(bad), "x", color=col, ms=8)
        ax[1, 1].loglog([r["N"] for r in ok], [r["depth_sq"] * (1 + 0.03 * i) for r in ok],
                        "o-", ms=3, color=col, label=lab)
    ax[1, 0].axhline(1.0, color="grey", lw=0.6)
    ax[1, 0].set(xlabel="N", ylabel=r"$\xi_R^2$", ylim=(0.5, 30.0),
                 title="(c) squeezing vs N (x: near-degenerate, metastable)")
    ax[1, 0].legend(fontsize=7)
    ax[1, 1].set(xlabel="N", ylabel="certified depth (noisy curves offset by 3% each)",
                 title=f"(d) Sørensen–Mølmer depth (checked to {cfg['depth_kmax']})")
    ax[1, 1].legend(fontsize=7)
    fig.suptitle(r"Resonance fluorescence with local noise ($\kappa = \Omega/N\gamma_{ce}$ = "
                 f"{KAPPA_NOISE})")
    _save(fig, path)


def figure_laser(rows: list[dict], cfg: dict[str, Any], path: Path) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(2, 2, figsize=(10.5, 8.0))
    laser = _select(rows, study="laser")
    cmap = plt.get_cmap("viridis")
    for i, n in enumerate(cfg["laser_n"]):
        col = cmap(i / max(1, len(cfg["laser_n"]) - 1))
        pts = sorted((r for r in laser if r["N"] == n), key=lambda r: r["gamma_p"])
        w = np.array([r["gamma_p"] for r in pts])
        if n <= 4:
            ax[0, 0].semilogx(w, [r["C"] for r in pts], "o-", ms=3, color=col, label=f"N = {n}")
        ax[0, 1].loglog(w, [2 * r["toth_singlet"] + 1 for r in pts], "o-", ms=3, color=col,
                        label=f"N = {n}")
        ax[1, 0].semilogx(w / n, [r["pair_coh"] for r in pts], "o-", ms=3, color=col,
                          label=f"N = {n}")
    ax[0, 0].set(xlabel=r"pump $w/\gamma_{ce}$", ylabel="pair concurrence C",
                 title="(a) pairs: entangled only for N <= 3")
    ax[0, 0].legend(fontsize=7)
    ax[0, 1].axhline(1.0, color="grey", lw=0.6)
    ax[0, 1].axvline(1.0, color="grey", lw=0.6, ls=":")
    ax[0, 1].set(xlabel=r"pump $w/\gamma_{ce}$", ylabel=r"$\sum_a (\Delta J_a)^2 / (N/2)$",
                 title="(b) Tóth singlet witness (< 1: entangled)")
    ax[0, 1].legend(fontsize=7)
    s = np.geomspace(1e-4, 1.0, 200)
    ax[1, 0].plot(s, s * (1 - s) / 2, "k--", lw=1, label="mean field s(1-s)/2, s = w/N")
    ax[1, 0].set(xlabel=r"$w/(N\gamma_{ce})$",
                 ylabel=r"$\langle\sigma_1^+\sigma_2^-\rangle$",
                 title="(c) pair coherence (superradiant emission ~ N^2 x this)")
    ax[1, 0].legend(fontsize=7)
    gibbs = _select(rows, study="gibbs")
    for i, T in enumerate(cfg["gibbs_T"]):
        pts = sorted((r for r in gibbs if r["T"] == T), key=lambda r: r["N"])
        col = plt.get_cmap("tab10")(i)
        ns = [r["N"] for r in pts]
        ax[1, 1].loglog(ns, [max(r["gibbs_dev"], 1e-17) for r in pts], "o-", ms=3, color=col,
                        label=f"T = {T:g}: max|rho2 - rho_th x rho_th|")
        ax[1, 1].loglog(ns, [max(r["C"], 1e-17) for r in pts], "s:", ms=3, color=col,
                        label=f"T = {T:g}: C (0 plotted at 1e-17)")
    ax[1, 1].set(xlabel="N", ylim=(1e-18, 1e-6),
                 title="(d) control: thermal shared bath -> Gibbs product")
    ax[1, 1].legend(fontsize=6)
    fig.suptitle("Collective decay + local pumping (superradiant-laser model); thermal control")
    _save(fig, path)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    import matplotlib.pyplot as plt

    plt.close(fig)


def print_table(rows: list[dict], cross: list[dict]) -> None:
    """A short summary of each study."""
    print("cooperative resonance fluorescence (closed form), N C / xi_R^2 / depth:")
    cf = _select(rows, study="crf_drive", solver="closed-form")
    for kappa in sorted({r["kappa"] for r in cf if r["kappa"] in (0.1, 0.2, 0.3, 0.4, 0.6)}):
        pts = sorted((r for r in cf if r["kappa"] == kappa), key=lambda r: r["N"])
        cells = " ".join(f"{r['N']}:{r['NC']:.4f}/{r['xi2_R']:.3f}/"
                         f"{'>' if r['depth_sq_censored'] else ''}"
                         f"{r['depth_sq'] - int(r['depth_sq_censored'])}" for r in pts)
        xi, nc = crf_limit(kappa)
        print(f"  kappa={kappa:<5g} limit NC={float(nc):.4f} xi2={float(xi):.4f} | {cells}")
    solved = [r for r in rows if r.get("pl_diff") is not None and r["solver"] == "permutation"]
    if solved:
        print(f"  solver vs closed form: max moment difference / N^2 = "
              f"{max(r['pl_diff'] for r in solved):.2e} over {len(solved)} points")
    print("local noise (kappa = 0.3), xi_R^2 by N (nd = near-degenerate):")
    noise = _select(rows, study="crf_noise")
    for key in sorted({(k, r[k]) for r in noise for k in ("gamma_e", "gamma_d") if k in r}):
        pts = sorted((r for r in noise if r.get(key[0]) == key[1]), key=lambda r: r["N"])
        cells = " ".join(f"{r['N']}:" + (f"{r['xi2_R']:.3f}" if "xi2_R" in r else "nd")
                         for r in pts)
        print(f"  {key[0]}={key[1]:<5g} {cells}")
    gibbs = _select(rows, study="gibbs")
    print(f"thermal control: {len(gibbs)} points, max C = {max(r['C'] for r in gibbs):.1e}, "
          f"max |rho2 - product| = {max(r['gibbs_dev'] for r in gibbs):.1e}, depths = "
          f"{sorted({r['depth_sq'] for r in gibbs} | {r['depth_dicke'] for r in gibbs})}")
    laser = _select(rows, study="laser")
    ent = sorted({r["N"] for r in laser if r["toth_entangled"]})
    pairs = sorted({r["N"] for r in laser if r["C"] > TINY})
    peak = {n: max(r["pair_coh"] for r in laser if r["N"] == n)
            for n in sorted({r["N"] for r in laser})}
    print(f"laser model: Tóth-entangled at N = {ent}; pair-entangled at N = {pairs}; "
          "peak <s1+ s2-> by N: " + " ".join(f"{n}:{v:.4f}" for n, v in peak.items()))
    print("full 2^N cross-check: case N | state diff | C full/reduced | min cut negativity "
          "full/reduced | GME F diff | own-eigenvector GME witness F/alpha")
    for r in cross:
        print(f"  {r['case']:<14} {r['N']} | {r['state_diff']:.1e} | {r['C_full_max']:.4f}/"
              f"{r['C_reduced']:.4f} | {r['neg_min_full']:.4f}/{r['neg_min_reduced']:.4f} | "
              f"{r['gme_F_diff']:.1e} | {r['gme_self_F_full']:.4f}/"
              f"{r['gme_self_alpha_full']:.4f}{' GME' if r['gme_self_detected_full'] else ''}")


# --------------------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the study; returns ``{'rows', 'cross', 'out', 'seconds'}``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small study, < 30 s")
    parser.add_argument("--out", type=Path, default=Path("qness-out") / "scaling_shared",
                        help="output folder (created)")
    args = parser.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    rows = (crf_drive_rows(cfg) + crf_noise_rows(cfg) + crf_local_scan_rows(cfg)
            + gibbs_rows(cfg) + laser_rows(cfg))
    cross = [crosscheck_row(case, model, cfg["depth_kmax"])
             for n in cfg["cross_n"] for case, model in crosscheck_models(n)]
    write_csv(out / "scaling_shared_points.csv", rows)
    write_csv(out / "scaling_shared_crosscheck.csv", cross)
    figure_crf(rows, cfg, out / "scaling_shared_crf.png")
    figure_noise(rows, cfg, out / "scaling_shared_noise.png")
    figure_laser(rows, cfg, out / "scaling_shared_laser.png")
    print_table(rows, cross)
    seconds = time.perf_counter() - t0
    print(f"{len(rows)} points + {len(cross)} cross-checks in {seconds:.1f} s -> {out}")
    return {"rows": rows, "cross": cross, "out": out, "seconds": seconds}


if __name__ == "__main__":
    main()
