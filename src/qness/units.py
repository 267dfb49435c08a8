"""Physical constants and conversions to and from qness's internal units.

Internal units: hbar = k_B = 1, so every energy is an angular frequency in rad/s; lengths stay in
metres.  The conversions are

* frequencies ``GHz, MHz, kHz, Hz``: ``f -> 2 pi f`` (rad/s); ``rad/s`` (and ``1/s`` for rates)
  unchanged;
* temperatures ``K, mK``: ``T -> k_B T / hbar`` (rad/s);
* magnetic fields ``T, mT``: ``B -> gamma_e B``, the electron-spin Zeeman angular frequency
  (rad/s; the magnitude of the free-electron gyromagnetic ratio, g ~ 2);
* lengths ``m, um, nm``: metres.

``to_internal(value, unit)`` and ``from_internal(value, unit)`` accept scalars and arrays (numpy
broadcasting); ``convert(value, src, dst)`` converts between two units of the same internal
quantity (e.g. ``K`` to ``GHz``: both are angular frequencies internally).  Unit names are case
sensitive (``mK`` is millikelvin, ``MHz`` megahertz).

Constants: CODATA 2018 (SI 2019 exact values for hbar, k_B, h), and the NV-centre ground-state
zero-field splitting (2.87 GHz, its room-temperature value).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import InvalidInputError

__all__ = [
    "GAMMA_E",
    "HBAR",
    "H_PLANCK",
    "K_B",
    "MU_0",
    "MU_B",
    "NV_ZERO_FIELD",
    "UNITS",
    "Unit",
    "convert",
    "from_internal",
    "ghz",
    "hz",
    "kelvin",
    "khz",
    "metre",
    "mhz",
    "mk",
    "mt",
    "nm",
    "rad_per_s",
    "tesla",
    "to_internal",
    "um",
    "unit_kind",
]

# ----------------------------------------------------------------------------- constants (SI)
#: Planck constant, J s (exact).
H_PLANCK = 6.62607015e-34
#: Reduced Planck constant, J s (exact: h / 2 pi).
HBAR = 1.054571817e-34
#: Boltzmann constant, J / K (exact).
K_B = 1.380649e-23
#: Vacuum permeability, T m / A (CODATA 2018).
MU_0 = 1.25663706212e-6
#: Bohr magneton, J / T (CODATA 2018).
MU_B = 9.2740100783e-24
#: Electron gyromagnetic ratio (magnitude), rad / (s T) (CODATA 2018): gamma_e / 2 pi =
#: 28.0249514 GHz / T.
GAMMA_E = 1.76085963023e11
#: NV-centre ground-state zero-field splitting D, rad / s (2 pi x 2.87 GHz, room temperature).
NV_ZERO_FIELD = 2 * math.pi * 2.87e9


# ----------------------------------------------------------------------------- unit table
@dataclass(frozen=True)
class Unit:
    """One unit: ``internal = value * factor``.

    Attributes
    ----------
    name : str
        The unit's symbol (``"GHz"``, ``"mK"``, ...).
    quantity : str
        What it measures: ``frequency``, ``temperature``, ``field`` or ``length``.
    internal : str
        The internal quantity it converts to: ``angular frequency (rad/s)`` or ``length (m)``.
    factor : float
        Multiplier to internal units.
    """

    name: str
    quantity: str
    internal: str
    factor: float


_ANGULAR = "angular frequency (rad/s)"
_LENGTH = "length (m)"

#: The known units, by name.
UNITS: dict[str, Unit] = {u.name: u for u in (
    Unit("GHz", "frequency", _ANGULAR, 2 * math.pi * 1e9),
    Unit("MHz", "frequency", _ANGULAR, 2 * math.pi * 1e6),
    Unit("kHz", "frequency", _ANGULAR, 2 * math.pi * 1e3),
    Unit("Hz", "frequency", _ANGULAR, 2 * math.pi),
    Unit("rad/s", "frequency", _ANGULAR, 1.0),
    Unit("1/s", "frequency", _ANGULAR, 1.0),
    Unit("K", "temperature", _ANGULAR, K_B / HBAR),
    Unit("mK", "temperature", _ANGULAR, 1e-3 * K_B / HBAR),
    Unit("T", "field", _ANGULAR, GAMMA_E),
    Unit("mT", "field", _ANGULAR, 1e-3 * GAMMA_E),
    Unit("m", "length", _LENGTH, 1.0),
    Unit("um", "length", _LENGTH, 1e-6),
    Unit("nm", "length", _LENGTH, 1e-9),
)}


def _unit(unit: Any) -> Unit:
    if not isinstance(unit, str) or unit not in UNITS:
        raise InvalidInputError(
            f"unknown unit {unit!r}; known units (case sensitive): {', '.join(UNITS)}")
    return UNITS[unit]


def unit_kind(unit: str) -> str:
    """The quantity a unit measures (``frequency``, ``temperature``, ``field``, ``length``)."""
    return _unit(unit).quantity


def _numeric(value: Any) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidInputError(f"value to convert must be numeric, got {value!r}") from None
    return arr


def _out(arr: np.ndarray) -> Any:
    return float(arr) if arr.ndim == 0 else arr


def to_internal(value: Any, unit: str) -> Any:
    """``value`` given in ``unit`` -> internal units (rad/s, or metres for lengths).

    Parameters
    ----------
    value : float or array
    unit : str
        One of :data:`UNITS` (``GHz, MHz, kHz, Hz, rad/s, 1/s, K, mK, T, mT, m, um, nm``).

    Returns
    -------
    float (for a scalar) or ndarray
    """
    u = _unit(unit)
    return _out(_numeric(value) * u.factor)


def from_internal(value: Any, unit: str) -> Any:
    """Internal units -> ``unit`` (inverse of :func:`to_internal`)."""
    u = _unit(unit)
    return _out(_numeric(value) / u.factor)


def convert(value: Any, src: str, dst: str) -> Any:
    """``value`` in unit ``src`` expressed in unit ``dst`` (same internal quantity required)."""
    a, b = _unit(src), _unit(dst)
    if a.internal != b.internal:
        raise InvalidInputError(
            f"cannot convert {src!r} ({a.internal}) to {dst!r} ({b.internal})")
    return _out(_numeric(value) * (a.factor / b.factor))


# ----------------------------------------------------------------------------- named helpers
def ghz(value: Any) -> Any:
    """Frequency in GHz -> rad/s (``2 pi f``)."""
    return to_internal(value, "GHz")


def mhz(value: Any) -> Any:
    """Frequency in MHz -> rad/s."""
    return to_internal(value, "MHz")


def khz(value: Any) -> Any:
    """Frequency in kHz -> rad/s."""
    return to_internal(value, "kHz")


def hz(value: Any) -> Any:
    """Frequency in Hz -> rad/s."""
    return to_internal(value, "Hz")


def rad_per_s(value: Any) -> Any:
    """Angular frequency in rad/s (the internal unit; returned as float / array)."""
    return to_internal(value, "rad/s")


def kelvin(value: Any) -> Any:
    """Temperature in K -> ``k_B T / hbar`` (rad/s)."""
    return to_internal(value, "K")


def mk(value: Any) -> Any:
    """Temperature in mK -> ``k_B T / hbar`` (rad/s)."""
    return to_internal(value, "mK")


def tesla(value: Any) -> Any:
    """Magnetic field in T -> electron Zeeman angular frequency ``gamma_e B`` (rad/s)."""
    return to_internal(value, "T")


def mt(value: Any) -> Any:
    """Magnetic field in mT -> ``gamma_e B`` (rad/s)."""
    return to_internal(value, "mT")


def metre(value: Any) -> Any:
    """Length in m (the internal length unit)."""
    return to_internal(value, "m")


def um(value: Any) -> Any:
    """Length in micrometres -> m."""
    return to_internal(value, "um")


def nm(value: Any) -> Any:
    """Length in nanometres -> m."""
    return to_internal(value, "nm")
