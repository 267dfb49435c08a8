"""Principal-value (Lamb-shift) part: analytic Hilbert transforms, exchange, builder consistency."""

from __future__ import annotations

import numpy as np
import pytest

from qness import Space, steadystate
from qness import operators as op
from qness.baths import Bath, Channel, FunctionKernel, Lorentzian, Ohmic, couple, exponential
from qness.master.davies import davies
from qness.master.lamb import coherent_exchange, lamb_shift, principal_value
from qness.master.redfield import bloch_redfield

SP2 = Space.qubits(2)
SM = [SP2.embed(op.sigmam(), j).toarray() for j in range(2)]
SZ = [SP2.embed(op.sigmaz(), j).toarray() for j in range(2)]
G, W0, KAPPA = 0.05, 1.3, 0.2


def _lorentz_density(w):
    """Tunnelling-density-like Lorentzian on the whole real axis (for exact references)."""
    return (G**2 / np.pi) * (KAPPA / 2) / ((np.asarray(w) - W0) ** 2 + KAPPA**2 / 4)


def _analytic_shift(w):
    """P int dw'/2pi S(w')/(w - w') for S = 2 pi * Lorentzian: g^2 d / (d^2 + k^2/4)."""
    d = w - W0
    return G**2 * d / (d**2 + KAPPA**2 / 4)


@pytest.mark.parametrize("w", [-1.0, 0.4, 1.25, 1.3, 2.7])
def test_principal_value_of_lorentzian(w):
    val = principal_value(lambda x: 2 * np.pi * _lorentz_density(x), w, scale=KAPPA,
                          points=[W0])
    assert val == pytest.approx(_analytic_shift(w), rel=1e-8, abs=1e-14)


def _wide_channel(kernel):
    """S_down = 2 pi D on (-200, inf) and S_up = 0 (a T = 0 fermionic lead far below the line),
    i.e. an exactly Lorentzian emission spectrum for the Lamb-shift reference."""
    return Bath(0.0, -200.0, Channel(_lorentz_density, 1, kernel, "fermion", "c"))["c"]


def test_coherent_exchange_matches_dispersive_formula():
    ch = _wide_channel(exponential(2.0))
    pos = [0.0, 0.7]
    delta = 1.0
    j = coherent_exchange(ch, pos, delta)
    k = np.exp(-0.7 / 2.0)
    assert j[0, 1] == pytest.approx(k * _analytic_shift(delta), rel=1e-5)
    assert j[1, 0] == pytest.approx(np.conj(j[0, 1]))
    assert j[0, 0] == pytest.approx(_analytic_shift(delta), rel=1e-5)


def test_davies_lamb_hamiltonian_contains_the_exchange():
    ch = _wide_channel(exponential(2.0))
    delta = 1.0
    h = 0.5 * delta * (SZ[0] + SZ[1])
    cps = [couple(SM[0], ch, 0.0), couple(SM[1], ch, 0.7)]
    hls = lamb_shift(h, cps)
    j = coherent_exchange(ch, [0.0, 0.7], delta)
    # basis |ee>, |eg>, |ge>, |gg>: <eg| H_LS |ge> is the sigma_1^+ sigma_2^- coefficient
    assert hls[1, 2] == pytest.approx(j[0, 1], rel=1e-10)
    # one excitation pushed by Lambda(delta) from the single-qubit shift
    assert hls[1, 1] - hls[3, 3] == pytest.approx(j[0, 0], rel=1e-8)


def test_frequency_dependent_kernel_path_agrees_with_factorised_path():
    ch_fast = _wide_channel(exponential(2.0))
    ch_slow = _wide_channel(FunctionKernel(lambda d, w: np.exp(-np.linalg.norm(d, axis=-1) / 2.0)))
    a = coherent_exchange(ch_fast, [0.0, 0.7], 1.0)
    b = coherent_exchange(ch_slow, [0.0, 0.7], 1.0)
    np.testing.assert_allclose(a, b, rtol=1e-7)


def test_qubit_dispersive_and_bloch_siegert_shift():
    """sigma_x coupled to one narrow mode at T = 0: Delta -> Delta + g^2/(Delta - w0)
    + g^2/(Delta + w0)."""
    g, w0, kappa, delta = 0.05, 2.0, 1e-3, 1.0
    bath = Bath(0.0, 0.0, Channel(Lorentzian(g, w0, kappa), 0, name="x"))
    gen = davies(0.5 * delta * op.sigmaz(), [couple(op.sigmax(), bath)], lamb=True, warn=False)
    hls = gen.info["lamb_shift"]
    shift = (hls[0, 0] - hls[1, 1]).real
    assert shift == pytest.approx(g**2 / (delta - w0) + g**2 / (delta + w0), rel=1e-3)


def test_redfield_with_lamb_close_to_davies_with_lamb_in_secular_regime():
    bath = Bath(0.4, 0.0, Channel(Ohmic(2e-3, 3.0), 0, exponential(1.0), name="x"))
    h = 0.5 * SZ[0] + 0.5 * 1.4 * SZ[1]
    sx = [SP2.embed(op.sigmax(), j).toarray() for j in range(2)]
    cps = [couple(sx[0], bath, 0.0), couple(sx[1], bath, 0.5)]
    dav = davies(h, cps, lamb=True, warn=False)
    red = bloch_redfield(h, cps, lamb=True, warn=False)
    r_d, r_r = steadystate(dav).rho, steadystate(red, on_fail="flag").rho
    rate = dav.info["rate"]
    assert np.abs(r_d - r_r).max() < 10 * rate / 0.4
    assert np.abs(r_d - r_r).max() > 0        # the non-secular terms do something
