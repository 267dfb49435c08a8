"""Bloch--Redfield (non-secular) master equation.

With ``Gamma_ab(omega) = gamma_ab(omega)/2 + i Lambda_ab(omega)`` (:mod:`qness.master.lamb`;
``Lambda`` only when ``lamb=True``) and ``A_a(omega)`` the eigen-operators of ``H``,

    d rho/dt = -i[H, rho] + sum_a ( L_a rho A_a^dag - A_a^dag L_a rho ) + h.c.,
    L_a = sum_b sum_omega Gamma_ab(omega) A_b(omega),

i.e. in the eigenbasis ``(L_a)_mn = sum_b Gamma_ab(E_n - E_m) (A_b)_mn`` (Breuer--Petruccione
eq. 3.118 with every pair ``(omega, omega')`` kept).  With ``lamb=False`` this equals QuTiP's
``bloch_redfield_tensor`` with ``sec_cutoff=-1`` when QuTiP's spectrum for ``a_op = A`` is
``gamma(omega)`` (QuTiP also drops the principal-value part).

The result is not guaranteed to be completely positive.  ``info['ccp_violation']`` reports (in
rad/s) the most negative eigenvalue of the generator's Choi matrix projected orthogonally to the
maximally entangled state (conditional complete positivity, the exact criterion for a CP
semigroup); ``info['positivity_ratio']`` divides it by the smallest non-zero Bohr frequency, and
:class:`~qness.master.davies.RegimeWarning` is raised when that exceeds ``positivity_tol``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..baths.bath import Coupling, block_correlation, term_blocks
from ..errors import DimensionError
from .davies import (
    DissipatorPart,
    RegimeWarning,
    bohr_matrix,
    diagnose,
    energy_scale,
    prepare,
    spectral_slopes,
    used_transitions,
)
from .generator import Generator
from .lamb import block_principal_value
from .superop import spost, spre, sprepost

#: :func:`bloch_redfield` warns when the CCP violation (rad/s) exceeds this fraction of the
#: smallest non-zero Bohr frequency (the scale on which negativity would be averaged out).
POSITIVITY_TOL = 1e-2


def ccp_violation(matrix: np.ndarray, relative: bool = True) -> float:
    """``max(0, -lambda_min)`` of ``P C P`` (``C`` the Choi matrix of the generator, ``P`` the
    projector orthogonal to ``|Omega> = sum_i |ii>/sqrt(d)``), divided by ``max |lambda|`` when
    ``relative``; 0 exactly for generators of completely positive semigroups."""
    m = np.asarray(matrix)
    n = m.shape[-1]
    d = round(np.sqrt(n))
    # L[a + b d, i + j d] = <a| L(|i><j|) |b>  ->  C[(a, i), (b, j)]
    choi = m.reshape(d, d, d, d).transpose(1, 3, 0, 2).reshape(n, n)
    omega = np.eye(d).reshape(n) / np.sqrt(d)
    proj = np.eye(n) - np.outer(omega, omega)
    pc = proj @ choi @ proj
    ev = np.linalg.eigvalsh(0.5 * (pc + pc.conj().T))
    scale = max(float(np.max(np.abs(ev))), 1e-300) if relative else 1.0
    return max(0.0, -float(ev[0])) / scale


def _dressed_operators(terms, ops_eig: np.ndarray, W: np.ndarray, lamb: bool,
                       lamb_options: dict | None) -> tuple[np.ndarray, list[list[int]]]:
    """``L_a`` in the eigenbasis for every term (zero across uncorrelated blocks)."""
    d = W.shape[0]
    dressed = np.zeros_like(ops_eig)
    blocks = term_blocks(terms)
    freqs, inverse = np.unique(W.ravel(), return_inverse=True)
    for idx in blocks:
        bt = [terms[i] for i in idx]
        present = np.any(np.abs(ops_eig[idx]) > 0, axis=0).ravel()
        need = np.unique(inverse[present])
        g = np.zeros((freqs.size, len(idx), len(idx)), dtype=complex)
        g[need] = 0.5 * block_correlation(bt, freqs[need])
        if lamb:
            g[need] += 1j * block_principal_value(bt, freqs[need], **(lamb_options or {}))
        gm = g[inverse].reshape(d, d, len(idx), len(idx))
        dressed[idx] = np.einsum("mnab,bmn->amn", gm, ops_eig[idx])
    return dressed, blocks


def bloch_redfield(
    H: Any,
    couplings: Sequence[Coupling],
    *,
    lamb: bool = False,
    dims: Sequence[int] | None = None,
    warn: bool = True,
    positivity_tol: float = POSITIVITY_TOL,
    check_positivity: bool | None = None,
    lamb_options: dict | None = None,
) -> Generator:
    """Bloch--Redfield generator (dense; for small systems).

    Parameters
    ----------
    H : (d, d) operator
        System Hamiltonian (rad/s).
    couplings : list of Coupling
    lamb : bool
        Include the principal-value part ``i Lambda`` of the one-sided transform.
    dims : sequence of int, optional
    warn : bool
        Warn (:class:`RegimeWarning`) on complete-positivity violation above
        ``positivity_tol`` and on Markov / weak-coupling ratios above their thresholds.
    check_positivity : bool, optional
        Compute the conditional-complete-positivity violation (an eigenvalue problem of size
        ``d^2``); default: only for ``d <= 8`` (``info['ccp_violation']`` is None otherwise).

    Returns
    -------
    Generator
        ``extra`` holds the dissipative superoperator, ``hamiltonian`` is ``H``.  ``info`` has
        ``parts`` (per-channel :class:`~qness.master.davies.DissipatorPart`),
        ``ccp_violation``, ``markov``, ``rate_to_frequency``.
    """
    h, terms = prepare(H, couplings)
    d = h.shape[0]
    dims_t = (d,) if dims is None else tuple(int(x) for x in dims)
    if int(np.prod(dims_t)) != d:
        raise DimensionError(f"dims {list(dims_t)} do not multiply to {d}")
    E, V = np.linalg.eigh(h)
    Vh = V.conj().T
    ops_eig = np.array([Vh @ t.op @ V for t in terms])
    # drop round-off elements so no spectrum is evaluated at a frequency the coupling lacks
    ops_eig[np.abs(ops_eig) < 1e-14 * max(np.abs(ops_eig).max(), 1e-300)] = 0.0
    W = bohr_matrix(E)
    dressed, blocks = _dressed_operators(terms, ops_eig, W, lamb, lamb_options)
    parts: list[DissipatorPart] = []
    total = np.zeros((d * d, d * d), dtype=complex)
    bound = 0.0
    for idx in blocks:
        sup = np.zeros((d * d, d * d), dtype=complex)
        decay = np.zeros((d, d), dtype=complex)
        for i in idx:
            a = terms[i].op
            ad = a.conj().T
            lam = V @ dressed[i] @ Vh
            lamd = lam.conj().T
            sup += sprepost(lam, ad) - spre(ad @ lam) + sprepost(a, lamd) - spost(lamd @ a)
            decay += ad @ lam + lamd @ a
            bound += 2 * np.linalg.norm(lam, 2) * np.linalg.norm(a, 2)
        total += sup
        parts.append(DissipatorPart(terms[idx[0]].channel, terms[idx[0]].kind,
                                    Generator.from_matrix(sup, dims_t), decay))
    gen = Generator(dim=d, dims=dims_t, hamiltonian=h, extra=total)
    if check_positivity is None:
        check_positivity = d <= 8
    violation = ccp_violation(gen.dense(), relative=False) if check_positivity else None
    used = used_transitions(ops_eig, 1e-13 * max(np.abs(ops_eig).max(), 1e-300))
    freqs = np.unique(W[used])
    evaluated = [(b, freqs) for b in range(len(blocks))]
    slope, peak = spectral_slopes(terms, evaluated, energy_scale(E))
    nz = np.abs(freqs)[np.abs(freqs) > 1e-12 * energy_scale(E)]
    min_freq = float(nz.min()) if nz.size else np.inf
    info: dict[str, Any] = {
        "method": "bloch_redfield",
        "lamb": lamb,
        "rate": float(bound),
        "ccp_violation": violation,
        "positivity_ratio": None if violation is None else violation / min_freq,
        "markov": float(bound * slope / peak) if peak > 0 else 0.0,
        "rate_to_frequency": float(bound / min_freq),
        "bohr_frequencies": freqs,
        "parts": parts,
        "hamiltonian_system": h,
    }
    gen.info.update(info)
    ratio = info["positivity_ratio"]
    if warn and ratio is not None and ratio > positivity_tol:
        warnings.warn(
            f"bloch_redfield: the generator is not completely positive (Choi violation "
            f"{violation:.3g} rad/s, {ratio:.3g} of the smallest Bohr frequency > "
            f"{positivity_tol:g}); states may lose positivity. Use partial_secular or davies "
            "for a Lindblad form", RegimeWarning, stacklevel=2)
    diagnose({k: info[k] for k in ("markov", "rate_to_frequency")}, "bloch_redfield", warn)
    return gen
