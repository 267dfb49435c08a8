"""Thermodynamics per bath channel: energy, charge and heat currents, entropy production.

Sign conventions (hbar = k_B = 1; currents in rad/s, charge per second):

* ``energy``  ``J_c = Tr[H_S D_c(rho)]``: energy flowing *from* channel ``c`` *into* the system
  (``H_S`` the system Hamiltonian without Lamb shift, ``D_c`` the channel's dissipator).
* ``charge``  ``I_c = sum_parts q_jump Tr[K_part rho]``: rate at which the *bath* of channel ``c``
  gains charge (``q`` per jump of ``A``, ``-q`` per jump of ``A^dag``).
* ``heat``    ``Qdot_c = J_c + mu_c I_c``: heat flowing from the bath into the system (the bath
  loses energy ``J_c`` and gains charge ``I_c`` at chemical potential ``mu_c``).
* entropy production ``sigma = -sum_c Qdot_c / T_c >= 0`` at a steady state (Spohn), every
  ``T_c > 0``.

In a steady state ``sum_c J_c = 0`` (first law) when the generator's Hamiltonian commutes with
``H_S`` (Davies, Redfield without Lamb shift).  The generator must come from a builder of
:mod:`qness.master` (it carries ``info['parts']``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InvalidInputError
from ..master.superop import unvec, vec


@dataclass(frozen=True)
class ChannelCurrents:
    """Currents of one bath channel in a given state (see the module docstring)."""

    label: str
    channel: Any
    energy: float
    charge: float
    heat: float
    T: float
    mu: float


def _rho(state: Any) -> np.ndarray:
    rho = getattr(state, "rho", state)
    rho = np.asarray(rho, dtype=complex)
    if rho.ndim != 2 or rho.shape[0] != rho.shape[1]:
        raise InvalidInputError(f"rho must be a single (d, d) density matrix, got {rho.shape}")
    return rho


def _apply(part_gen: Any, rho: np.ndarray) -> np.ndarray:
    if part_gen.is_lindblad:
        return part_gen.apply(rho)
    m = part_gen.dense()
    return unvec(m @ vec(rho), rho.shape[0])


def channel_currents(generator: Any, state: Any, H: Any = None) -> list[ChannelCurrents]:
    """Energy, charge and heat currents of every channel of a built generator.

    Parameters
    ----------
    generator : Generator
        From :func:`~qness.master.davies.davies`, :func:`~qness.master.partial.partial_secular`,
        :func:`~qness.master.local.local_lindblad` or
        :func:`~qness.master.redfield.bloch_redfield`.
    state : (d, d) array or SteadyState
    H : (d, d) operator, optional
        Hamiltonian measuring energy (default: the system Hamiltonian the builder used).
    """
    parts = generator.info.get("parts")
    if parts is None:
        raise InvalidInputError("generator has no info['parts']; build it with qness.master "
                                "builders (davies, partial_secular, local_lindblad, ...)")
    rho = _rho(state)
    h = generator.info.get("hamiltonian_system") if H is None else H
    h = np.asarray(h.toarray() if hasattr(h, "toarray") else h, dtype=complex)
    if rho.shape != h.shape:
        raise InvalidInputError(f"rho has shape {rho.shape} but H has {h.shape}")
    acc: dict[int, dict[str, Any]] = {}
    for p in parts:
        key = id(p.channel.bath), id(p.channel.channel)
        e = acc.setdefault(key, {"channel": p.channel, "energy": 0.0, "charge": 0.0})
        e["energy"] += float(np.real(np.trace(h @ _apply(p.generator, rho))))
        if p.charge_per_jump != 0:
            e["charge"] += p.charge_per_jump * p.jump_rate(rho)
    out = []
    for e in acc.values():
        ch = e["channel"]
        heat = e["energy"] + ch.mu * e["charge"]
        out.append(ChannelCurrents(ch.label, ch, e["energy"], e["charge"], heat, ch.T, ch.mu))
    return out


def heat_currents(generator: Any, state: Any, H: Any = None) -> dict[str, float]:
    """``{label: Qdot_c}`` heat from each channel's bath into the system."""
    return {c.label: c.heat for c in channel_currents(generator, state, H)}


def energy_currents(generator: Any, state: Any, H: Any = None) -> dict[str, float]:
    """``{label: J_c}`` energy from each channel into the system."""
    return {c.label: c.energy for c in channel_currents(generator, state, H)}


def charge_currents(generator: Any, state: Any, H: Any = None) -> dict[str, float]:
    """``{label: I_c}`` charge gained per unit time by each channel's bath."""
    return {c.label: c.charge for c in channel_currents(generator, state, H)}


def entropy_production(generator: Any, state: Any, H: Any = None) -> float:
    """Steady-state entropy production rate ``sigma = -sum_c Qdot_c / T_c`` (1/s, k_B = 1).

    Raises
    ------
    InvalidInputError
        If a channel with non-zero heat current has ``T = 0`` (``sigma`` is then infinite).
    """
    total = 0.0
    for c in channel_currents(generator, state, H):
        if c.T == 0:
            if abs(c.heat) > 0:
                raise InvalidInputError(
                    f"entropy production is infinite: channel {c.label} has T = 0 and heat "
                    f"current {c.heat:.3g}; T must be > 0")
            continue
        total -= c.heat / c.T
    return total
