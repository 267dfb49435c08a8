"""Baths, charged channels and couplings: shifted KMS, stability ranges, spectral matrices."""

from __future__ import annotations

import numpy as np
import pytest

from qness import Space
from qness import operators as op
from qness.baths import (
    Bath,
    Channel,
    Flat,
    Lorentzian,
    Ohmic,
    couple,
    couple_anisotropic,
    exponential,
    fermi,
    fermionic_lead,
    interaction_terms,
    spectral_matrix,
    waveguide_1d,
)
from qness.errors import InvalidInputError

W = np.array([-3.0, -1.0, -0.2, 0.0, 0.2, 1.0, 2.5])


def _kms(w, q, mu, T):
    return np.exp(-(w - q * mu) / T)


@pytest.mark.parametrize(("statistics", "q", "mu"), [
    ("boson", 0, 0.0), ("boson", 1, -0.7), ("boson", -1, 0.4), ("boson", 2, -0.1),
    ("kms", 1, 1.3), ("kms", -1, 1.3), ("kms", 1, -2.0), ("fermion", 1, 0.5),
    ("fermion", -1, 0.5),
])
def test_shifted_kms_for_every_statistics(statistics, q, mu):
    T = 0.6
    dens = Ohmic(0.1, 4.0) if statistics == "boson" else (lambda w: 0.3 / (1 + (w - 0.5) ** 2))
    bath = Bath(T, mu, Channel(dens, q, statistics=statistics, name="c"))
    ch = bath["c"]
    down, up = ch.down(W), ch.up(W)
    assert np.all(down >= 0) and np.all(up >= 0)
    mask = down > 1e-300
    np.testing.assert_allclose(up[mask] / down[mask], _kms(W[mask], q, mu, T), rtol=1e-10)
    assert ch.effective_mu == pytest.approx(q * mu)


def test_boson_channel_equals_standard_bose_forms():
    J = Ohmic(0.05, 3.0)
    T, mu = 0.5, -0.4
    ch = Bath(T, mu, Channel(J, 1, name="c"))["c"]
    w = np.array([0.3, 1.0, 2.0])
    n = 1 / np.expm1((w - mu) / T)
    np.testing.assert_allclose(ch.down(w), 2 * np.pi * J(w) * (1 + n), rtol=1e-12)
    np.testing.assert_allclose(ch.up(w), 2 * np.pi * J(w) * n, rtol=1e-12)
    # a charged normal-mode channel has nothing at negative frequency
    assert ch.down(-1.0) == 0.0
    herm = Bath(T, 0.0, Channel(J, 0, name="x"))["x"]
    np.testing.assert_allclose(herm.down(-w), 2 * np.pi * J(w) / np.expm1(w / T), rtol=1e-12)


def test_fermionic_lead_rates():
    lead = fermionic_lead(0.3, 0.8, Flat(0.2))
    ch = lead["tunnel"]
    w = np.array([-1.0, 0.5, 0.8, 2.0])
    np.testing.assert_allclose(ch.down(w), 0.2 * (1 - fermi(w - 0.8, 0.3)), rtol=1e-12)
    np.testing.assert_allclose(ch.up(w), 0.2 * fermi(w - 0.8, 0.3), rtol=1e-12)
    with pytest.raises(InvalidInputError, match="charge"):
        Channel(Flat(0.2), 0, statistics="fermion")


def test_zero_temperature_limits_are_exact():
    ch = Bath(0.0, -0.2, Channel(Lorentzian(0.3, 1.0, 0.1), 1, statistics="boson", name="c"))["c"]
    # T = 0: emission 2 pi J above q mu, no absorption (no 0 * inf)
    assert ch.down(1.0) == pytest.approx(4 * 0.3**2 / 0.1, rel=1e-12)
    assert ch.up(1.0) == 0.0
    inv = Bath(0.0, 1.5, Channel(lambda w: np.full_like(w, 0.1), 1, statistics="kms",
                                 name="c"))["c"]
    # population-inverting channel (q mu > omega): only absorption at T = 0
    assert inv.down(1.0) == 0.0
    assert inv.up(1.0) == pytest.approx(2 * np.pi * 0.1 * 0.5)


def test_bad_bath_parameters_name_the_argument():
    with pytest.raises(InvalidInputError, match=r"T \(temperature"):
        Bath(-0.1, 0.0, Channel(Ohmic(0.1, 1.0)))
    gapped = Channel(Flat(0.1, band=(1.0, 5.0)), 1, name="c")
    Bath(0.3, 0.9, gapped)   # allowed: q mu below the band edge
    with pytest.raises(InvalidInputError, match=r"mu = 1\.2.*Allowed range: q\*mu < 1"):
        Bath(0.3, 1.2, gapped)
    with pytest.raises(InvalidInputError, match=r"mu.*Allowed range"):
        Bath(0.3, 0.1, Channel(Ohmic(0.1, 1.0), 1))    # ohmic support starts at 0
    # opposite charge: the same mu is stable (it lowers the occupation)
    Bath(0.3, 1.2, Channel(Flat(0.1, band=(1.0, 5.0)), -1))
    with pytest.raises(InvalidInputError, match="unique"):
        Bath(0.3, 0.0, (Channel(Ohmic(0.1, 1.0), name="a"), Channel(Ohmic(0.1, 1.0), name="a")))


def test_couple_checks_hermiticity_for_charge_zero():
    bath = Bath(0.3, 0.0, Channel(Ohmic(0.1, 1.0), 0, name="x"))
    with pytest.raises(InvalidInputError, match="Hermitian"):
        couple(op.sigmam(), bath)
    c = couple(op.sigmax(), bath, strength=0.5)
    assert c.strength == 0.5
    with pytest.raises(InvalidInputError, match="strength"):
        couple(op.sigmax(), bath, strength=np.nan)


def test_spectral_matrix_structure_psd_and_charge_selection():
    sp = Space.qubits(3)
    sm = [sp.embed(op.sigmam(), j).toarray() for j in range(3)]
    sz = [sp.embed(op.sigmaz(), j).toarray() for j in range(3)]
    T, mu = 0.4, 0.7
    magnet = Bath(T, mu, (
        Channel(lambda w: 0.1 / (1 + w**2), 1, exponential(2.0), "kms", "co"),
        Channel(lambda w: 0.05 / (1 + w**2), -1, waveguide_1d(velocity=1.0), "kms", "counter"),
    ))
    deph = Bath(T, 0.0, Channel(Ohmic(0.02, 2.0), 0, exponential(0.5), name="z"))
    pos = [0.0, 0.8, 2.1]
    cps = []
    for j in range(3):
        cps += couple_anisotropic(sm[j], magnet["co"], magnet["counter"], pos[j], 1.0, eta=0.4)
        cps.append(couple(sz[j], deph, pos[j], 0.3))
    terms = interaction_terms(cps)
    assert len(terms) == 3 * (2 + 2 + 1)
    # the set {A_alpha} is Hermitian as a whole
    for t in terms:
        assert any(np.allclose(t.op.conj().T, u.op) for u in terms)
    freqs = np.array([-1.4, -1.0, 0.0, 0.3, 1.0, 1.4])
    g = spectral_matrix(terms, freqs, check=True)
    for m in g:
        np.testing.assert_allclose(m, m.conj().T, atol=1e-15)
        assert np.linalg.eigvalsh(m).min() > -1e-12
    kinds = [(t.channel.label, t.kind) for t in terms]
    for a, ka in enumerate(kinds):
        for b, kb in enumerate(kinds):
            if ka != kb:    # different channels or different charge direction: uncorrelated
                assert np.all(g[:, a, b] == 0)
    # the co-rotating decay entries are S_down(omega) K(r_a - r_b)
    ia = [i for i, k in enumerate(kinds) if k == ("bath:co", "X")]
    co = magnet["co"]
    np.testing.assert_allclose(
        g[4][np.ix_(ia, ia)],
        co.down(1.0) * np.exp(-np.abs(np.subtract.outer(pos, pos)) / 2.0), rtol=1e-12)
