"""Thermal factors and spectral densities: exact limits, regular forms, KMS."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from qness.baths import (
    Flat,
    Lorentzian,
    Ohmic,
    Tabulated,
    bose,
    f_minus,
    f_plus,
    fermi,
    power_spectrum,
)
from qness.errors import InvalidInputError

EXTREME = np.array([-1e6, -700.0, -50.0, -1.0, -1e-9, -1e-300, 0.0, 1e-300, 1e-9, 1.0, 50.0,
                    700.0, 1e6])


@pytest.mark.parametrize("T", [0.0, 1e-3, 1.0, 1e4])
def test_thermal_factors_raise_no_floating_point_warnings(T):
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        fp, fm, fe = f_plus(EXTREME, T), f_minus(EXTREME, T), fermi(EXTREME, T)
        n = bose(EXTREME[EXTREME != 0], T)
    for arr in (fp, fm, fe, n):
        assert np.all(np.isfinite(arr))
    assert np.all(fp >= 0) and np.all(fm >= 0)
    np.testing.assert_allclose(fp - fm, EXTREME, rtol=1e-12, atol=1e-12 * max(T, 1e-300))
    assert np.all((fe >= 0) & (fe <= 1))


def test_f_plus_limits_and_bose_relation():
    T = 0.37
    assert f_plus(0.0, T) == pytest.approx(T, rel=1e-15)
    assert f_minus(0.0, T) == pytest.approx(T, rel=1e-15)
    x = np.linspace(-5, 5, 41)
    x = x[x != 0]
    # x (1 + n(x)) = x / (1 - e^{-x/T}) computed directly in the safe range
    naive = x / (1 - np.exp(-x / T))
    np.testing.assert_allclose(f_plus(x, T), naive, rtol=1e-12)
    np.testing.assert_allclose(f_minus(x, T), np.exp(-x / T) * f_plus(x, T), rtol=1e-12)
    np.testing.assert_allclose(bose(-x, T), -1 - bose(x, T), rtol=1e-12, atol=1e-15)
    # continuity through x = 0 (second-order Taylor)
    for eps in (1e-6, 1e-9, 1e-12):
        assert f_plus(eps, T) == pytest.approx(T + eps / 2, rel=1e-12)
    # T = 0: step functions
    np.testing.assert_array_equal(f_plus([-1.0, 0.0, 2.0], 0.0), [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(bose([-1.0, 2.0], 0.0), [-1.0, 0.0])
    np.testing.assert_array_equal(fermi([-1.0, 0.0, 1.0], 0.0), [1.0, 0.5, 0.0])


def test_large_argument_asymptotics_without_overflow():
    T = 1e-3
    x = 2.0
    # f_minus(x) = x e^{-x/T} / (1 - e^{-x/T}) underflows gracefully to 0
    assert f_minus(x, T) == 0.0
    assert f_plus(x, T) == pytest.approx(x, rel=1e-15)
    assert fermi(-x, T) == pytest.approx(1.0, rel=1e-15)
    assert f_minus(0.01, T) == pytest.approx(0.01 * np.exp(-10.0) / (1 - np.exp(-10.0)),
                                             rel=1e-12)


def test_negative_temperature_rejected():
    with pytest.raises(InvalidInputError, match=r"T.*>= 0"):
        f_plus(1.0, -0.1)
    with pytest.raises(InvalidInputError, match="T"):
        bose(1.0, float("nan"))


def test_ohmic_family_forms_and_zero_limits():
    j = Ohmic(0.1, 2.0)
    w = np.array([0.5, 1.0, 3.0])
    np.testing.assert_allclose(j(w), 0.1 * w * np.exp(-w / 2.0), rtol=1e-14)
    assert j.reduced(0.0) == pytest.approx(0.1)
    drude = Ohmic(0.1, 2.0, form="drude")
    np.testing.assert_allclose(drude(w), 0.1 * w / (1 + (w / 2.0) ** 2), rtol=1e-14)
    sup = Ohmic(0.1, 2.0, s=3.0)
    np.testing.assert_allclose(sup(w), 0.1 * 2.0 * (w / 2.0) ** 3 * np.exp(-w / 2.0))
    assert sup.reduced(0.0) == 0.0
    sub = Ohmic(0.1, 2.0, s=0.5)
    assert sub.reduced(0.0) == np.inf
    with pytest.raises(InvalidInputError, match="cutoff"):
        Ohmic(0.1, -1.0)
    with pytest.raises(InvalidInputError, match="form"):
        Ohmic(0.1, 1.0, form="gauss")


def test_lorentzian_weight_and_purcell_rate():
    g, w0, k = 0.3, 5.0, 0.2
    lor = Lorentzian(g, w0, k)
    weight = quad(lor, 0, 2 * w0, points=[w0], limit=200)[0] + quad(lor, 2 * w0, np.inf)[0]
    # the tail below omega = 0 is cut: weight g^2 (1/2 + arctan(2 w0 / k) / pi)
    assert weight == pytest.approx(g**2 * (0.5 + np.arctan(2 * w0 / k) / np.pi), rel=1e-9)
    # T = 0 emission on resonance = 4 g^2 / kappa
    assert power_spectrum(lor, w0, 0.0) == pytest.approx(4 * g**2 / k, rel=1e-12)


def test_power_spectrum_detailed_balance_and_convention():
    j = Ohmic(0.05, 3.0)
    T = 0.8
    w = np.linspace(0.05, 6, 30)
    s_pos, s_neg = power_spectrum(j, w, T), power_spectrum(j, -w, T)
    np.testing.assert_allclose(s_neg, np.exp(-w / T) * s_pos, rtol=1e-12)
    n = 1 / np.expm1(w / T)
    np.testing.assert_allclose(s_pos, 2 * np.pi * j(w) * (1 + n), rtol=1e-12)
    np.testing.assert_allclose(s_neg, 2 * np.pi * j(w) * n, rtol=1e-12)
    # finite at omega = 0: 2 pi alpha T
    assert power_spectrum(j, 0.0, T) == pytest.approx(2 * np.pi * 0.05 * T)


def test_power_spectrum_mu_must_stay_below_support():
    gapped = Flat(0.1, band=(1.0, 4.0))
    s = power_spectrum(gapped, 2.0, 0.5, mu=0.6, hermitian=False)
    assert s == pytest.approx(0.1 * (1 + 1 / np.expm1(1.4 / 0.5)))
    with pytest.raises(InvalidInputError, match=r"mu.*allowed range: mu < 1"):
        power_spectrum(gapped, 2.0, 0.5, mu=1.2, hermitian=False)


def test_tabulated_density_interpolates_and_stays_nonnegative():
    ref = Ohmic(0.2, 1.5)
    grid = np.linspace(0, 8, 400)
    tab = Tabulated(tuple(grid), tuple(ref(grid)))
    w = np.linspace(0.01, 7.9, 57)
    np.testing.assert_allclose(tab(w), ref(w), rtol=2e-4, atol=1e-8)
    assert tab(9.0) == 0.0
    spiky = Tabulated((0.0, 1.0, 2.0, 3.0), (0.0, 1.0, 0.0, 0.0))
    assert np.all(spiky(np.linspace(0, 3, 301)) >= 0)
    with pytest.raises(InvalidInputError, match="increasing"):
        Tabulated((0.0, 2.0, 1.0), (1.0, 1.0, 1.0))
    with pytest.raises(InvalidInputError, match=">= 0"):
        Tabulated((0.0, 1.0), (1.0, -1.0))


def test_sum_density():
    a, b = Ohmic(0.1, 2.0), Lorentzian(0.2, 1.0, 0.1)
    w = np.array([0.3, 1.0, 2.5])
    np.testing.assert_allclose((a + b)(w), a(w) + b(w))
