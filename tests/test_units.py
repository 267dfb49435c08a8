"""The units layer: CODATA values, conversions to internal units (hbar = k_B = 1, rad/s)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qness import units as u
from qness.errors import InvalidInputError


def test_known_values():
    # k_B / h = 20.836619 GHz / K: 1 K is an angular frequency 2 pi x 20.8366 GHz
    assert u.kelvin(1.0) == pytest.approx(2 * math.pi * 20.836619e9, rel=1e-7)
    assert u.mk(1.0) == pytest.approx(2 * math.pi * 20.836619e6, rel=1e-7)
    # gamma_e / 2 pi = 28.0249514 GHz / T: 1 mT -> 2 pi x 28.025 MHz
    assert u.mt(1.0) == pytest.approx(2 * math.pi * 28.0249514e6, rel=1e-8)
    assert u.tesla(1.0) == pytest.approx(2 * math.pi * 28.0249514e9, rel=1e-8)
    assert u.ghz(1.0) == pytest.approx(2 * math.pi * 1e9, rel=1e-15)
    assert u.mhz(2.0) == pytest.approx(4 * math.pi * 1e6, rel=1e-15)
    assert u.khz(1.0) == pytest.approx(2 * math.pi * 1e3)
    assert u.hz(1.0) == pytest.approx(2 * math.pi)
    assert u.rad_per_s(3.0) == 3.0
    assert u.nm(1.0) == pytest.approx(1e-9) and u.um(1.0) == pytest.approx(1e-6)
    assert u.metre(2.0) == 2.0
    assert u.NV_ZERO_FIELD == pytest.approx(2 * math.pi * 2.87e9)
    # the constants are consistent with each other: hbar = h / 2 pi, gamma_e = g_e mu_B / hbar
    assert u.HBAR == pytest.approx(u.H_PLANCK / (2 * math.pi), rel=1e-9)
    assert u.HBAR * u.GAMMA_E / u.MU_B == pytest.approx(2.00231930436256, rel=1e-9)


@pytest.mark.parametrize("unit", list(u.UNITS))
def test_round_trip_every_unit(unit):
    x = np.array([[-3.5, 0.0], [1e-7, 2.5e4]])
    back = u.from_internal(u.to_internal(x, unit), unit)
    np.testing.assert_allclose(back, x, rtol=1e-15, atol=0)
    assert isinstance(u.to_internal(1.5, unit), float)
    assert u.to_internal(x, unit).shape == x.shape


def test_convert_between_units_of_one_internal_quantity():
    # 1 K in GHz (both angular frequencies internally): k_B / h
    assert u.convert(1.0, "K", "GHz") == pytest.approx(20.836619, rel=1e-7)
    assert u.convert(1.0, "T", "mT") == pytest.approx(1e3)
    assert u.convert(50.0, "nm", "um") == pytest.approx(0.05)
    np.testing.assert_allclose(u.convert([1.0, 2.0], "GHz", "MHz"), [1e3, 2e3])
    with pytest.raises(InvalidInputError, match="cannot convert"):
        u.convert(1.0, "nm", "GHz")


def test_unknown_unit_lists_the_known_ones():
    with pytest.raises(InvalidInputError) as exc:
        u.to_internal(1.0, "furlong")
    msg = str(exc.value)
    assert "furlong" in msg
    for name in ("GHz", "mK", "mT", "nm"):
        assert name in msg
    with pytest.raises(InvalidInputError, match="unknown unit"):
        u.from_internal(1.0, "ghz")  # case sensitive: mHz would be millihertz
    with pytest.raises(InvalidInputError, match="numeric"):
        u.ghz("fast")
    assert u.unit_kind("mK") == "temperature" and u.unit_kind("mT") == "field"
