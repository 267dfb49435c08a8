"""Global secular (Davies) master equation, and the machinery the Lindblad builders share.

Convention (Breuer--Petruccione).  ``H_int = sum_alpha A_alpha (x) B_alpha`` (Hermitian as a set,
see :func:`qness.baths.interaction_terms`) and

    gamma_ab(omega) = int dt e^{i omega t} < B_a^dag(t) B_b(0) >      (Hermitian PSD),
    A(omega) = sum_{e' - e = omega} P(e) A P(e')                     (lowers the energy by omega),
    D rho = sum_omega sum_ab gamma_ab(omega) ( A_b(omega) rho A_a(omega)^dag
                                               - 1/2 {A_a(omega)^dag A_b(omega), rho} ).

For a qubit coupled as ``sigma^- (x) X + h.c.`` to a channel of charge ``q`` this gives the decay
rate ``S_down(Delta)`` and the excitation rate ``S_up(Delta) = e^{-(Delta - q mu)/T} S_down``.
The optional Lamb-shift Hamiltonian is
``H_LS = sum_omega sum_ab Lambda_ab(omega) A_a(omega)^dag A_b(omega)`` with the principal value
``Lambda_ab(omega) = P int domega'/(2 pi) gamma_ab(omega') / (omega - omega')``
(:mod:`qness.master.lamb`).

The same code builds the partial-secular form (Bohr frequencies clustered, each cluster's rates at
its mean frequency; :mod:`qness.master.partial`) and the local form (decomposition with respect
to the non-interacting Hamiltonian; :mod:`qness.master.local`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import check_hermitian, to_operator
from ..baths.bath import Coupling, Term, block_correlation, interaction_terms, term_blocks
from ..errors import DimensionError, InvalidInputError
from .generator import Generator, liouvillian
from .superop import correlated_jumps


class RegimeWarning(UserWarning):
    """A master-equation form is used outside the regime where it is justified."""


#: Thresholds above which builders warn (``ratio > threshold``).  Read-only defaults.
REGIME_THRESHOLDS: dict[str, float] = {
    "rate_to_spacing": 0.1,      # secular approximation: rates << Bohr-frequency differences
    "markov": 0.1,               # rates << scale on which the bath spectrum varies
    "rate_to_frequency": 0.1,    # weak coupling / RWA: rates << transition frequencies
    "cluster_variation": 0.1,    # partial secular: spectrum flat across a cluster
    "local_detuning": 0.1,       # local ME: internal coupling << spectral variation scale
}


# ----------------------------------------------------------------------------- data
@dataclass(frozen=True)
class DissipatorPart:
    """The dissipator of one uncorrelated block (one channel, one kind of term).

    Attributes
    ----------
    channel : BathChannel
    kind : {'X', 'Xd', 'H'}
        ``'X'``: the system operator ``A`` acts (bath gains charge ``q`` per jump);
        ``'Xd'``: ``A^dag`` acts (bath loses ``q``); ``'H'``: charge-0 channel.
    generator : Generator
        This block's dissipator alone (no Hamiltonian).
    """

    channel: Any
    kind: str
    generator: Generator
    decay_operator: np.ndarray | None = None

    def jump_rate(self, rho: np.ndarray) -> float:
        """Total rate of quantum jumps of this part, ``Tr[K rho]`` (``K = sum_k L_k^dag L_k``
        for Lindblad parts, ``A^dag L + L^dag A`` summed for Redfield parts)."""
        return float(np.real(np.trace(self.decay_operator @ np.asarray(rho))))

    @property
    def charge_per_jump(self) -> float:
        """Bath charge gained per quantum jump of this part."""
        return {"X": 1.0, "Xd": -1.0, "H": 0.0}[self.kind] * self.channel.charge


def hermitian_dense(H: Any, name: str = "H") -> np.ndarray:
    """``H`` as a dense Hermitian ``(d, d)`` array (checked)."""
    h = to_operator(H, name)
    h = np.asarray(h.toarray() if hasattr(h, "toarray") else h, dtype=complex)
    if h.ndim != 2:
        raise DimensionError(f"{name} must be a single (d, d) matrix, got shape {h.shape}")
    check_hermitian(h, name)
    return 0.5 * (h + h.conj().T)


def prepare(H: Any, couplings: Sequence[Coupling]) -> tuple[np.ndarray, list[Term]]:
    """Validate ``H`` and expand the couplings; returns ``(H, terms)``."""
    h = hermitian_dense(H)
    if not couplings:
        raise InvalidInputError("couplings must contain at least one qness.baths.couple(...)")
    terms = interaction_terms(couplings)
    if terms[0].op.shape[0] != h.shape[0]:
        raise DimensionError(f"coupling operators act on dimension {terms[0].op.shape[0]} but "
                             f"H on {h.shape[0]}")
    return h, terms


def bohr_matrix(energies: np.ndarray) -> np.ndarray:
    """``W[m, n] = E_n - E_m``: the energy lowered by the transition ``n -> m``."""
    return energies[None, :] - energies[:, None]


def energy_scale(energies: np.ndarray) -> float:
    return max(float(np.max(np.abs(energies), initial=0.0)), 1e-300)


# ----------------------------------------------------------------------------- clustering
def cluster_frequencies(freqs: np.ndarray, tol: float) -> list[np.ndarray]:
    """Single-linkage clusters of sorted frequencies: a new cluster starts where the gap to the
    previous frequency exceeds ``tol``.  Returns index arrays into ``freqs``."""
    order = np.argsort(freqs)
    f = freqs[order]
    cuts = np.nonzero(np.diff(f) > tol)[0] + 1
    return [order[s] for s in np.split(np.arange(f.size), cuts)]


def used_transitions(ops_eig: np.ndarray, atol: float) -> np.ndarray:
    """Boolean ``(d, d)`` mask of transitions ``n -> m`` with a non-zero matrix element."""
    return np.any(np.abs(ops_eig) > atol, axis=0)


@dataclass(frozen=True)
class Clustering:
    """Bohr frequencies grouped into clusters: ``labels[m, n]`` (-1 for unused transitions) and
    one representative frequency per cluster."""

    labels: np.ndarray
    centers: np.ndarray
    spreads: np.ndarray

    @property
    def min_gap(self) -> float:
        c = np.sort(self.centers)
        return float(np.min(np.diff(c))) if c.size > 1 else np.inf


def make_clustering(W: np.ndarray, used: np.ndarray, tol: float) -> Clustering:
    freqs = W[used]
    labels = -np.ones(W.shape, dtype=int)
    if freqs.size == 0:
        return Clustering(labels, np.zeros(0), np.zeros(0))
    groups = cluster_frequencies(freqs, tol)
    flat = -np.ones(freqs.size, dtype=int)
    centers, spreads = [], []
    for c, idx in enumerate(groups):
        flat[idx] = c
        vals = freqs[idx]
        centers.append(0.5 * (vals.min() + vals.max()) if vals.size > 1 else vals[0])
        spreads.append(vals.max() - vals.min())
    labels[used] = flat
    return Clustering(labels, np.asarray(centers, float), np.asarray(spreads, float))


# ----------------------------------------------------------------------------- builder core
def clustered_lindblad(
    H: np.ndarray,
    terms: Sequence[Term],
    energies: np.ndarray,
    vectors: np.ndarray,
    clustering: Clustering,
    *,
    lamb: bool = False,
    lamb_options: dict | None = None,
) -> tuple[list[DissipatorPart], np.ndarray | None, list[tuple[int, np.ndarray]]]:
    """Lindblad dissipator parts for a clustering of the Bohr frequencies of ``energies``.

    For cluster ``c`` with centre ``w_c`` the jump operators ``A_a,c = sum_{omega in c}
    A_a(omega)`` enter with rates ``gamma_ab(w_c)`` (exact Davies when every cluster is one
    frequency).  Returns the parts, the Lamb-shift Hamiltonian (or None) and, for diagnostics,
    the list of ``(block index, frequencies)`` evaluated.
    """
    from .lamb import block_principal_value

    d = H.shape[0]
    v, vh = vectors, vectors.conj().T
    ops_eig = np.array([vh @ t.op @ v for t in terms])
    h_ls = np.zeros((d, d), dtype=complex) if lamb else None
    parts: list[DissipatorPart] = []
    evaluated = []
    for b, idx in enumerate(term_blocks(terms)):
        block_terms = [terms[i] for i in idx]
        block_ops = ops_eig[idx]
        present = [c for c in range(clustering.centers.size)
                   if np.any(np.abs(block_ops[:, clustering.labels == c]) > 0)]
        if not present:
            continue
        centers = clustering.centers[present]
        gammas = block_correlation(block_terms, centers)
        pvs = block_principal_value(block_terms, centers, **(lamb_options or {})) if lamb \
            else None
        evaluated.append((b, centers))
        jumps = []
        for n, c in enumerate(present):
            mask = clustering.labels == c
            a_c = [v @ (op * mask) @ vh for op in block_ops]
            if np.any(np.abs(gammas[n]) > 0):
                jumps += _block_jumps(block_terms, gammas[n], a_c, centers[n])
            if lamb:
                lam = pvs[n]
                for i, ai in enumerate(a_c):
                    aid = ai.conj().T
                    for j, aj in enumerate(a_c):
                        if lam[i, j] != 0:
                            h_ls += lam[i, j] * (aid @ aj)
        if jumps:
            gen = liouvillian(None, jumps, check=False)
            k = sum(np.asarray(j).conj().T @ np.asarray(j) for j in jumps)
            parts.append(DissipatorPart(block_terms[0].channel, block_terms[0].kind, gen, k))
    if h_ls is not None:
        h_ls = 0.5 * (h_ls + h_ls.conj().T)
    return parts, h_ls, evaluated


def _block_jumps(block_terms: Sequence[Term], gamma: np.ndarray, ops: list[np.ndarray],
                 omega: float) -> list[np.ndarray]:
    """Jump operators of one block; a non-PSD rate matrix is reported with its kernel."""
    ch = block_terms[0].channel
    try:
        return correlated_jumps(gamma, ops, name=f"rate matrix of {ch.label}")
    except InvalidInputError as exc:
        pos = np.array([t.position for t in block_terms]).tolist()
        raise InvalidInputError(
            f"{exc} (channel {ch.label}, omega = {omega:g}): the kernel {ch.kernel!r} is not "
            f"positive semidefinite for the coupling positions {pos}; it is not a valid "
            "correlation function for this geometry") from None


def assemble(H: np.ndarray, parts: Sequence[DissipatorPart], h_ls: np.ndarray | None,
             dims: Sequence[int] | None, info: dict) -> Generator:
    """One Lindblad :class:`Generator` from the Hamiltonian, Lamb shift and dissipator parts."""
    h_tot = H if h_ls is None else H + h_ls
    jumps = [j for p in parts for j in p.generator.jumps]
    gen = liouvillian(h_tot, jumps, dims=dims, check=False)
    gen.info.update(info)
    gen.info["parts"] = list(parts)
    gen.info["hamiltonian_system"] = H
    gen.info["lamb_shift"] = h_ls
    return gen


# ----------------------------------------------------------------------------- diagnostics
def rate_scale(parts: Sequence[DissipatorPart]) -> float:
    """Largest total escape rate ``|| sum_k L_k^dag L_k ||_2`` (rad/s)."""
    total = None
    for p in parts:
        for j in p.generator.jumps:
            jj = np.asarray(j.toarray() if hasattr(j, "toarray") else j)
            m = jj.conj().T @ jj
            total = m if total is None else total + m
    return 0.0 if total is None else float(np.linalg.norm(total, 2))


def spectral_slopes(terms: Sequence[Term], evaluated: Sequence[tuple[int, np.ndarray]],
                    scale: float) -> tuple[float, float]:
    """Largest ``|d tr gamma / d omega|`` at the evaluated frequencies and the largest
    ``tr gamma`` there (per block): the bath-spectrum variation the Markov step neglects."""
    blocks = term_blocks(terms)
    slope, peak = 0.0, 0.0
    for b, freqs in evaluated:
        bt = [terms[i] for i in blocks[b]]
        h = 1e-4 * np.maximum(np.abs(freqs), scale)
        gp = np.trace(block_correlation(bt, freqs + h), axis1=1, axis2=2).real
        gm = np.trace(block_correlation(bt, freqs - h), axis1=1, axis2=2).real
        g0 = np.trace(block_correlation(bt, freqs), axis1=1, axis2=2).real
        ok = np.isfinite(gp) & np.isfinite(gm)
        if np.any(ok):
            slope = max(slope, float(np.max(np.abs(gp - gm)[ok] / (2 * h[ok]))))
        peak = max(peak, float(np.max(g0[np.isfinite(g0)], initial=0.0)))
    return slope, peak


def diagnose(info: dict, method: str, warn: bool) -> None:
    """Warn (:class:`RegimeWarning`) for every diagnostic ratio above its threshold."""
    if not warn:
        return
    for key, limit in REGIME_THRESHOLDS.items():
        val = info.get(key)
        if val is not None and np.isfinite(val) and val > limit:
            warnings.warn(
                f"{method}: {key} = {val:.3g} > {limit:g}; the {method} form is outside its "
                f"regime of validity (see Generator.info)", RegimeWarning, stacklevel=3)


def common_diagnostics(E: np.ndarray, parts: Sequence[DissipatorPart], terms: Sequence[Term],
                       evaluated, clustering: Clustering) -> dict:
    rate = rate_scale(parts)
    scale = energy_scale(E)
    slope, peak = spectral_slopes(terms, evaluated, scale)
    nonzero = np.abs(clustering.centers)[np.abs(clustering.centers) > 1e-12 * scale]
    min_freq = float(np.min(nonzero)) if nonzero.size else np.inf
    return {
        "rate": rate,
        "min_spacing": clustering.min_gap,
        "rate_to_spacing": rate / clustering.min_gap if np.isfinite(clustering.min_gap) else 0.0,
        "rate_to_frequency": rate / min_freq if np.isfinite(min_freq) else 0.0,
        "markov": rate * slope / peak if peak > 0 else 0.0,
        "spectral_slope": slope,
        "bohr_frequencies": clustering.centers.copy(),
    }


# ----------------------------------------------------------------------------- public
def davies(
    H: Any,
    couplings: Sequence[Coupling],
    *,
    lamb: bool = False,
    dims: Sequence[int] | None = None,
    degeneracy_tol: float | None = None,
    warn: bool = True,
    lamb_options: dict | None = None,
) -> Generator:
    """Global secular (Davies) Lindblad generator from the eigenbasis of ``H``.

    Parameters
    ----------
    H : (d, d) operator
        System Hamiltonian (rad/s), Hermitian.
    couplings : list of Coupling
        From :func:`qness.baths.couple`.
    lamb : bool
        Add the principal-value Lamb-shift Hamiltonian (incl. bath-mediated exchange).
    dims : sequence of int, optional
        Local dimensions for the generator.
    degeneracy_tol : float, optional
        Bohr frequencies closer than this are treated as degenerate (default
        ``1e-9 * max|E|``).  Degenerate frequencies are always kept together.
    warn : bool
        Emit :class:`RegimeWarning` when the secular or Markov conditions fail.
    lamb_options : dict, optional
        Passed to :func:`qness.master.lamb.block_principal_value`.

    Returns
    -------
    Generator
        ``info`` holds ``method``, ``parts`` (per-channel :class:`DissipatorPart`), ``lamb_shift``,
        and the ratios ``rate_to_spacing``, ``markov``, ``rate_to_frequency``.
    """
    h, terms = prepare(H, couplings)
    E, V = np.linalg.eigh(h)
    tol = 1e-9 * energy_scale(E) if degeneracy_tol is None else float(degeneracy_tol)
    if not np.isfinite(tol) or tol < 0:
        raise InvalidInputError(f"degeneracy_tol must be finite and >= 0, got {degeneracy_tol}")
    ops_eig = np.array([V.conj().T @ t.op @ V for t in terms])
    W = bohr_matrix(E)
    clustering = make_clustering(W, used_transitions(ops_eig, 1e-13 * max(
        np.abs(ops_eig).max(), 1e-300)), tol)
    parts, h_ls, evaluated = clustered_lindblad(h, terms, E, V, clustering, lamb=lamb,
                                                lamb_options=lamb_options)
    info = {"method": "davies", "degeneracy_tol": tol}
    info.update(common_diagnostics(E, parts, terms, evaluated, clustering))
    diagnose(info, "davies", warn)
    return assemble(h, parts, h_ls, dims, info)
