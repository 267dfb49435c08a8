"""Local Lindblad master equation: dissipators built from the non-interacting Hamiltonian.

Each coupling operator is decomposed into eigen-operators of the *local* Hamiltonian ``H_0``
(by default the single-site part of ``H``, :func:`local_part`), so rates are taken at the bare
transition frequencies, while the unitary part keeps the full ``H``:

    d rho/dt = -i[H, rho] + sum_omega sum_ab gamma_ab(omega) D[A_b(omega), A_a(omega)] rho,
    A(omega) from H_0.

Couplings of different sites to one correlated channel keep their cross terms when the bare
frequencies coincide (Lehmberg form).  The form is justified when the internal coupling
``V = H - H_0`` is small compared with the scale on which the bath spectra vary (and with
``T``); it can violate the second law otherwise (Levy & Kosloff, EPL 107, 20004 (2014);
Hofer et al., New J. Phys. 19, 123037 (2017)).  ``info['local_detuning']`` is
``||V|| * |gamma'| / gamma_max``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..baths.bath import Coupling
from ..errors import DimensionError, InvalidInputError
from .davies import (
    assemble,
    bohr_matrix,
    clustered_lindblad,
    common_diagnostics,
    diagnose,
    energy_scale,
    hermitian_dense,
    prepare,
    spectral_slopes,
    used_transitions,
)
from .generator import Generator
from .partial import choose_clustering


def local_part(H: Any, dims: Sequence[int]) -> np.ndarray:
    """Single-site part of ``H``: ``sum_j (Tr_{not j} H / D_{not j}) (x) 1 - (N - 1) Tr H / D``.

    This is the projection of ``H`` onto sums of one-site operators; e.g. for
    ``H = sum_j h_j + g (s_1^+ s_2^- + h.c.)`` it returns ``sum_j h_j``.
    """
    h = hermitian_dense(H)
    dims = [int(x) for x in dims]
    d = int(np.prod(dims))
    if d != h.shape[0]:
        raise DimensionError(f"dims {dims} do not multiply to dim(H) = {h.shape[0]}")
    n = len(dims)
    t = h.reshape(dims + dims)
    letters = "abcdefghijklmnopqrstuvwxyz"
    if 2 * n > len(letters):
        raise DimensionError("local_part supports at most 13 sites")
    out = np.zeros_like(h)
    for j in range(n):
        rows = list(letters[:n])
        cols = [rows[k] if k != j else letters[n + j] for k in range(n)]
        red = np.einsum(f"{''.join(rows)}{''.join(cols)}->{rows[j]}{cols[j]}", t)
        red = red / (d // dims[j])
        full = np.ones((1, 1), dtype=complex)
        for k in range(n):
            full = np.kron(full, red if k == j else np.eye(dims[k]))
        out += full
    out -= (n - 1) * np.trace(h) / d * np.eye(d)
    return out


def local_lindblad(
    H: Any,
    couplings: Sequence[Coupling],
    *,
    h_local: Any = None,
    dims: Sequence[int] | None = None,
    tol: float | None = None,
    lamb: bool = False,
    warn: bool = True,
    lamb_options: dict | None = None,
) -> Generator:
    """Local Lindblad generator (rates at the bare transition frequencies of ``h_local``).

    Bare Bohr frequencies closer than ``tol`` are treated as one (cross terms between the sites
    kept, rates at the cluster centre), exactly as in :func:`~qness.master.partial
    .partial_secular`: nearly identical qubits keep their collective (Lehmberg) dissipator.

    Parameters
    ----------
    H : (d, d) operator
        Full system Hamiltonian (rad/s), kept in the unitary part.
    couplings : list of Coupling
    h_local : (d, d) operator, optional
        Non-interacting Hamiltonian for the decomposition; default :func:`local_part` of ``H``
        (needs ``dims``).
    dims : sequence of int, optional
        Local dimensions (needed when ``h_local`` is not given).
    tol : float, optional
        Clustering tolerance of the bare Bohr frequencies (rad/s); default ``10 x`` the largest
        rate (see :func:`~qness.master.partial.default_tolerance`).
    lamb, warn, lamb_options
        As in :func:`qness.master.davies.davies` (Lamb shift at the bare frequencies).
    """
    h, terms = prepare(H, couplings)
    if h_local is None:
        if dims is None or len(dims) < 2:
            raise InvalidInputError(
                "local_lindblad needs h_local or dims with at least two sites to find the "
                "non-interacting part of H")
        h0 = local_part(h, dims)
    else:
        h0 = hermitian_dense(h_local, "h_local")
        if h0.shape != h.shape:
            raise DimensionError(f"h_local has shape {h0.shape}, H has {h.shape}")
    E0, V0 = np.linalg.eigh(h0)
    ops_eig = np.array([V0.conj().T @ t.op @ V0 for t in terms])
    used = used_transitions(ops_eig, 1e-13 * max(np.abs(ops_eig).max(), 1e-300))
    clustering, tol, user_tol = choose_clustering(h0, terms, E0, V0, bohr_matrix(E0), used, tol)
    parts, h_ls, evaluated = clustered_lindblad(h0, terms, E0, V0, clustering, lamb=lamb,
                                                lamb_options=lamb_options)
    info: dict[str, Any] = {"method": "local", "tol": tol, "tol_given": user_tol}
    info.update(common_diagnostics(E0, parts, terms, evaluated, clustering))
    v_norm = float(np.linalg.norm(h - h0, 2))
    slope, peak = spectral_slopes(terms, evaluated, energy_scale(E0))
    info["internal_coupling"] = v_norm
    info["local_detuning"] = v_norm * slope / peak if peak > 0 else 0.0
    info["internal_to_rate"] = v_norm / info["rate"] if info["rate"] > 0 else np.inf
    info["hamiltonian_local"] = h0
    # the local form does not rely on resolving the *local* Bohr frequencies of different sites
    info["rate_to_spacing"] = None
    diagnose(info, "local", warn)
    gen = assemble(h, parts, h_ls, dims, info)
    return gen
