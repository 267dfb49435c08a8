"""Two NV centres above a spin-pumped garnet film: the headline magnon model in SI units.

Reference: V. Hou, E. Kleinherbers, S. P. Kelly, Y. Tserkovnyak, arXiv:2508.18131 (2025); the
model is the reconstruction of MAGNON_MODEL.md §2.4 and §4.4 (derived, not the paper's own
equations), the SI version of :mod:`qness.models.hou2025`:

* two NV centres (axis along the film normal z, the qubit is the 0 <-> -1 or 0 <-> +1 doublet at
  ``Delta = |D_zfs -+ gamma B0|``) at height ``h`` above a film of thickness ``d``, in-plane
  distance ``r``;
* film: perpendicular magnetisation, gap ``eps0 = gamma (B0 - mu0 Ms + mu0 Hk)``, exchange
  stiffness ``D = 2 gamma A_ex / Ms``, Gilbert damping ``alpha``, magnon chemical potential
  ``mu`` (spin pumping), temperature ``T``;
* dipolar stray-field coupling (:func:`qness.baths.magnon.nv_dipolar_couplings`):
  ``|g_c(k)|^2 = |g_n(k)|^2 = P F(k)``, ``|g_z(k)|^2 = P F(k) / 2``, ``F(k) = (1 - e^{-k d})^2
  e^{-2 k h}``, ``P = gamma_NV^2 (mu0/4)^2 gamma hbar Ms / d`` (eta = 1 exactly: the stray field
  of circular magnons is maximally non-conserving); every kernel is a numerical Hankel transform
  (:func:`qness.baths.magnon.film_kernel`);
* the direct NV-NV dipolar coupling ``J_dd = mu0 hbar gamma^2 / (4 pi r^3)`` (flip-flop
  ``-J_dd / 2``, ``s^z s^z`` ``+J_dd / 4``) adds to the bath-induced ``J12``, ``Jz``;
* master equation in the frame rotating at the NV transition: partial-secular (Lehmberg) form
  with the rate matrices at ``Delta`` (default) or fully secular Davies form (``method=davies``:
  each Bohr component of ``s^-``, ``s^+``, ``s^z`` weighted by the kernels at its own
  frequency); intrinsic NV T1 (``gamma1``, lattice at ``T``, ``mu = 0``) and pure dephasing
  (``gamma_phi``) as local Lindblad channels in both forms.

Units: parameters in mT, GHz, mK, nm, 1/s as listed by ``qness show hou2025-nv``; internally
SI through :mod:`qness.units` (rad/s, metres); rates, ``J12`` and ``Jz`` are reported in 1/s
(rad/s).  Qubit basis as :mod:`qness.models.hou2025` (QuTiP order, index 0 = ``|e>``).

Feasibility: the off-resonant channels scale with ``alpha``, so the rates are tiny compared with
intrinsic NV decoherence; the printed rates, ``J12`` and validity ratios (with ``flags``) say how
far from practical a parameter point is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import units
from ..baths.magnon import (
    dipolar_form_factor,
    f_minus,
    f_plus,
    film_kernel,
    nv_dipolar_couplings,
)
from ..errors import InvalidInputError
from ..master.generator import Generator, liouvillian
from .base import ModelSpec, Parameter, json_ready
from .hou2025 import (
    _OPS,
    Spectra,
    _collective_jumps,
    _hamiltonian,
    _intrinsic_jumps,
    _matrices,
    _populations,
    _validity,
    _warn_validity,
    davies_jumps,
    physical_state,
    validity_flags,
)
from .registry import register

__all__ = ["MATERIALS", "NV_SPEC", "Material", "analyse_nv", "build_nv", "nv_physical"]


# ----------------------------------------------------------------------------- materials
@dataclass(frozen=True)
class Material:
    """A film material preset (SI units) with the provenance of every value.

    Attributes
    ----------
    name : str
    Ms : float
        Saturation magnetisation, A/m.
    A_ex : float
        Exchange stiffness constant, J/m.
    alpha : float
        Typical Gilbert damping of thin films (the model's ``alpha`` parameter is separate).
    Hk : float
        Typical effective perpendicular anisotropy field ``mu0 Hk``, mT (the model's ``Hk``
        parameter is separate).
    source : str
        Where each value comes from; values not found in the literature say "assumed".
    """

    name: str
    Ms: float
    A_ex: float
    alpha: float
    Hk: float
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "Ms_A_per_m": self.Ms, "A_ex_J_per_m": self.A_ex,
                "typical_alpha": self.alpha, "typical_Hk_mT": self.Hk, "source": self.source}


#: Material presets.
MATERIALS: dict[str, Material] = {
    "yig": Material(
        "yig", Ms=1.4e5, A_ex=3.7e-12, alpha=8.6e-5, Hk=0.0,
        source="YIG. Ms: 4 pi Ms = 1766 G (1.405e5 A/m) and alpha = 8.6e-5 in a 22 nm sputtered "
               "film, H. Chang et al., IEEE Magn. Lett. 5, 6882836 (2014); A_ex = 3.65 +- 0.38 "
               "pJ/m, S. Klingler et al., J. Phys. D 48, 015001 (2015), arXiv:1408.5772 (3.7 "
               "pJ/m and 1.4e5 A/m used, as in MAGNON_MODEL.md §2.1); Hk = 0 assumed (growth "
               "and cubic anisotropy neglected: perpendicular magnetisation needs B0 > mu0 Ms = "
               "176 mT)"),
    "pma_garnet": Material(
        "pma_garnet", Ms=1.4e5, A_ex=3.7e-12, alpha=3e-4, Hk=180.0,
        source="Bi:YIG with perpendicular magnetic anisotropy. alpha = 3e-4 in PMA films <= 30 "
               "nm thick and a PMA tunable by epitaxial strain and Bi content: L. Soumah et al., "
               "Nat. Commun. 9, 3355 (2018), doi:10.1038/s41467-018-05732-1, arXiv:1806.00658 "
               "(tunable, compensated anisotropy also in sputtered 10-60 nm films: H. Wang et "
               "al., arXiv:2510.07465). Ms and A_ex assumed equal to YIG's (not found for "
               "Bi:YIG); Hk = 180 mT assumed (chosen so that the gap at B0 = 50 mT sits just "
               "above the NV 0 <-> -1 line)"),
}


# ----------------------------------------------------------------------------- physical units
def nv_physical(params: Mapping[str, Any]) -> dict[str, Any]:
    """Convert ``hou2025-nv`` parameters to internal SI quantities (rad/s, m).

    Returns
    -------
    dict
        ``gap`` (eps0 = gamma (B0 - mu0 Ms + mu0 Hk)), ``stiffness`` (D = 2 gamma A_ex / Ms),
        ``alpha``, ``mu``, ``T`` (k_B T / hbar), ``delta`` (NV transition |D_zfs -+ gamma B0|),
        ``r``, ``thickness``, ``height``, ``P`` (coupling prefactor, m^2/s^2), ``omega_M``
        (gamma mu0 Ms), ``material`` (:class:`Material`).
    """
    mat = MATERIALS[str(params["material"])]
    b0 = units.mt(np.asarray(params["B0"], float))
    ms_field = units.tesla(units.MU_0 * mat.Ms)
    d = units.nm(np.asarray(params["thickness"], float))
    sign = -1.0 if params["transition"] == "minus" else 1.0
    ones = np.ones_like(b0)
    return {
        "gap": b0 - ms_field + units.mt(np.asarray(params["Hk"], float)),
        "stiffness": 2 * units.GAMMA_E * mat.A_ex / mat.Ms * ones,
        "alpha": np.asarray(params["alpha"], float),
        "mu": units.ghz(np.asarray(params["mu"], float)),
        "T": units.mk(np.asarray(params["T"], float)),
        "delta": np.abs(units.NV_ZERO_FIELD + sign * b0),
        "r": units.nm(np.asarray(params["r"], float)),
        "thickness": d,
        "height": units.nm(np.asarray(params["height"], float)),
        "P": np.vectorize(lambda dd: nv_dipolar_couplings(mat.Ms, dd, 0.0).P, otypes=[float])(d),
        "omega_M": ms_field * ones,
        "material": mat,
    }


# ----------------------------------------------------------------------------- kernels
class _PointKernels:
    """Hankel-transform kernels of one NV pair, cached by frequency (SI units).

    ``K(omega, r) = int k dk / 2 pi F(k) J_0(k r) At_k(omega)`` at ``r = 0`` (local) and at the
    NV distance; the channel rates are ``P`` times kernel times the thermal factors.
    """

    def __init__(self, q: Mapping[str, float]) -> None:
        self.q = q
        self.bath = {"eps0": q["gap"], "D": q["stiffness"], "alpha": q["alpha"], "mu": q["mu"]}
        self.kmax = 40.0 / max(q["height"], 1e-3 * q["thickness"])
        self._cache: dict[float, tuple[float, float]] = {}

    def _ff(self, k: np.ndarray) -> np.ndarray:
        return dipolar_form_factor(k, self.q["thickness"], self.q["height"])

    def reduced(self, omegas: list[float]) -> dict[float, tuple[float, float]]:
        """``{omega: (K_local, K_cross)}`` of the reduced spectral kernel."""
        todo = sorted({float(w) for w in omegas} - set(self._cache))
        if todo:
            om = np.asarray(todo)
            for name_r in (0.0, self.q["r"]):
                vals = film_kernel(om, name_r, form_factor=self._ff, k_max=self.kmax,
                                   **self.bath)
                for w, v in zip(todo, vals, strict=True):
                    loc, crs = self._cache.get(w, (np.nan, np.nan))
                    self._cache[w] = (float(v), crs) if name_r == 0.0 else (loc, float(v))
        return {float(w): self._cache[float(w)] for w in omegas}

    def re_green(self, omegas: list[float]) -> np.ndarray:
        return film_kernel(np.asarray(omegas, float), self.q["r"], form_factor=self._ff,
                           k_max=self.kmax, quantity="re_green", **self.bath)

    def rates(self, omega: float) -> dict[str, tuple[float, float]]:
        """(local, cross) ``down``, ``up`` rates of ``s^-`` at lab frequency ``omega`` (eta = 1:
        co-rotating channel at ``omega``, counter-rotating one at ``-omega``, equal weight P)
        and ``z`` of a sigma^z component lowering the energy by ``omega``."""
        mu, T, P = self.q["mu"], self.q["T"], self.q["P"]
        k = self.reduced([omega, -omega])
        kp, km = k[float(omega)], k[float(-omega)]
        fp_p, fm_p = float(f_plus(omega - mu, T)), float(f_minus(omega - mu, T))
        fp_m, fm_m = float(f_plus(-omega - mu, T)), float(f_minus(-omega - mu, T))
        down = tuple(P * (kp[i] * fp_p + km[i] * fm_m) for i in (0, 1))
        up = tuple(P * (kp[i] * fm_p + km[i] * fp_m) for i in (0, 1))
        return {"down": down, "up": up, "z": tuple(0.5 * x for x in down)}


def _nv_point_rates(q: Mapping[str, float]) -> tuple[dict[str, float], _PointKernels]:
    """Partial-secular rates (local and cross) and exchange of one NV pair (SI)."""
    kern = _PointKernels(q)
    at_delta, at_zero = kern.rates(q["delta"]), kern.rates(0.0)
    reg = kern.re_green([q["delta"], -q["delta"], 0.0])
    out = {}
    for kind, src in (("down", at_delta), ("up", at_delta), ("z", at_zero)):
        out[f"{kind}_loc"], out[f"{kind}_crs"] = src[kind]
    out["J12"] = q["P"] * float(reg[0] + reg[1])   # g_c^2 Re G(D) + g_n^2 Re G(-D)
    out["Jz"] = q["P"] * float(reg[2])              # 2 g_z^2 Re G(0), g_z^2 = P F / 2
    return out, kern


def _nv_spectra(kernels: list[_PointKernels]) -> Callable[[int], Spectra]:
    def point(i: int) -> Spectra:
        kern = kernels[i]
        delta = kern.q["delta"]

        def spectra(kind: str, w: float) -> np.ndarray:
            rates = kern.rates(w if kind == "z" else delta + w)
            return _matrices(*(np.asarray(x) for x in rates[kind]))

        return spectra

    return point


# ----------------------------------------------------------------------------- build
def build_nv(params: Mapping[str, Any]) -> Generator:
    """Generator of two NV centres above a film (``hou2025-nv``; see the module docstring).

    Parameters
    ----------
    params : mapping
        Resolved ``hou2025-nv`` parameters; arrays broadcast to a batch (one Hankel transform
        set per point).

    Returns
    -------
    Generator
        Frame rotating at the NV transition; ``info`` holds ``rates`` (rate matrices at the NV
        frequency, 1/s), ``J12``, ``Jz``, ``J_dipole_dipole`` (rad/s), ``validity`` (with the
        thin-film ``ellipticity``), the magnon gap and NV frequency in GHz and the material.
    """
    _check_nv(params)
    q_all = nv_physical(params)
    mat = q_all.pop("material")
    shape = np.broadcast_shapes(*(np.shape(v) for v in q_all.values()),
                                np.shape(params["gamma1"]), np.shape(params["gamma_phi"]))
    q_all = {k: np.broadcast_to(v, shape) for k, v in q_all.items()}
    keys = ("down_loc", "down_crs", "up_loc", "up_crs", "z_loc", "z_crs", "J12", "Jz")
    vals = {k: np.empty(shape) for k in keys}
    kernels: list[_PointKernels] = []
    for idx in np.ndindex(shape):
        point, kern = _nv_point_rates({k: float(v[idx]) for k, v in q_all.items()})
        kernels.append(kern)
        for k in keys:
            vals[k][idx] = point[k]
    rates = {kind: _matrices(vals[f"{kind}_loc"], vals[f"{kind}_crs"])
             for kind in ("down", "up", "z")}
    j12, jz = vals["J12"], vals["Jz"]
    r = q_all["r"]
    j_dd = units.MU_0 * units.HBAR * units.GAMMA_E**2 / (4 * np.pi * r**3)
    if params["dipole_dipole"]:
        j12, jz = j12 - j_dd / 2, jz + j_dd / 4
    q = {**{k: q_all[k] for k in ("gap", "mu", "alpha", "delta", "T")},
         "detuning": np.zeros(shape), "r": r,
         "gamma1": np.broadcast_to(np.asarray(params["gamma1"], float), shape),
         "gamma_phi": np.broadcast_to(np.asarray(params["gamma_phi"], float), shape)}
    o = _OPS
    H = np.broadcast_to(_hamiltonian(q, j12, jz), (*shape, 4, 4))
    if params["method"] == "davies":
        jumps = davies_jumps(H, _nv_spectra(kernels))
    else:
        jumps = (_collective_jumps(rates["down"], o["sm1"], o["sm2"])
                 + _collective_jumps(rates["up"], o["sp1"], o["sp2"])
                 + _collective_jumps(rates["z"], o["sz1"], o["sz2"]))
    jumps += _intrinsic_jumps(q)
    jumps = [np.broadcast_to(j, (*shape, 4, 4)) for j in jumps]
    gen = liouvillian(H, jumps, dims=(2, 2))
    validity = _validity(q, rates, j12)
    k_h = 1.0 / q_all["height"]
    validity["ellipticity"] = q_all["omega_M"] * k_h * q_all["thickness"] / 4 / (
        q_all["gap"] + q_all["stiffness"] * k_h**2)
    _warn_validity(validity)
    gen.info.update({
        "model": "hou2025-nv", "method": params["method"],
        "frame": "rotating at the NV transition",
        "rates": rates, "J12": j12, "Jz": jz, "J_dipole_dipole": j_dd, "validity": validity,
        "degenerate": np.zeros(shape, bool), "at_contact": "raise",
        "units": "rates, J12, Jz in rad/s (1/s)", "P": q_all["P"],
        "gap_GHz": units.from_internal(q_all["gap"], "GHz"),
        "delta_GHz": units.from_internal(q_all["delta"], "GHz"),
        "material": mat,
    })
    return gen


def analyse_nv(state: Any, generator: Generator, params: Mapping[str, Any]) -> dict[str, Any]:
    """Concurrence and populations next to everything that qualifies them: rate matrices (1/s),
    ``J12``, ``Jz``, the direct dipolar coupling, validity ratios and ``flags``, the magnon gap
    and NV frequency (GHz), the coupling prefactor ``P`` and the material with its sources."""
    from ..measures import concurrence

    rho = physical_state(state.rho)
    info = generator.info
    return json_ready({
        "concurrence": concurrence(rho), "populations": _populations(rho),
        "kernel_dim": state.kernel_dim, "residual": state.residual, "method": info["method"],
        "rates_per_s": {k: info["rates"][k] for k in ("down", "up", "z")},
        "J12_per_s": info["J12"], "Jz_per_s": info["Jz"],
        "J_dipole_dipole_per_s": info["J_dipole_dipole"],
        "intrinsic_per_s": {"gamma1": params["gamma1"], "gamma_phi": params["gamma_phi"]},
        "validity": info["validity"], "flags": validity_flags(info["validity"]),
        "magnon_gap_GHz": info["gap_GHz"], "nv_transition_GHz": info["delta_GHz"],
        "coupling_prefactor_P_m2_per_s2": info["P"],
        "material": info["material"].as_dict(),
    })


def _check_nv(params: Mapping[str, Any]) -> None:
    q = nv_physical(params)
    if np.any(q["gap"] <= 0):
        raise InvalidInputError(
            "B0 - mu0 Ms + Hk must be > 0 (mT): the film is not magnetised along its normal "
            f"(magnon gap {np.min(units.from_internal(q['gap'], 'GHz')):.3g} GHz); raise B0 or "
            "Hk")
    if np.any(q["mu"] >= q["gap"]):
        raise InvalidInputError(
            f"mu must be below the magnon gap eps0/2pi = "
            f"{np.min(units.from_internal(q['gap'], 'GHz')):.4g} GHz (allowed range (-inf, "
            "gap)): beyond it the pumped magnet is unstable")
    if np.any(q["delta"] <= 0):
        raise InvalidInputError("B0 puts the NV transition at zero frequency (level crossing)")


def _materials_doc() -> str:
    lines = ["Material presets (typical alpha and Hk are suggestions; the model's alpha and Hk "
             "parameters are set independently):"]
    for m in MATERIALS.values():
        lines.append(f"  {m.name}: Ms = {m.Ms:.4g} A/m, A_ex = {m.A_ex * 1e12:.3g} pJ/m, "
                     f"typical alpha = {m.alpha:g}, typical mu0 Hk = {m.Hk:g} mT.")
        lines.append(f"    source: {m.source}")
    return "\n".join(lines)


NV_PARAMETERS = (
    Parameter("material", "pma_garnet", "", "film material preset (sources: see below)",
              choices=tuple(MATERIALS)),
    Parameter("B0", 50.0, "mT", "bias field along the film normal and the NV axis", 0.0, None),
    Parameter("Hk", 180.0, "mT", "effective perpendicular anisotropy field mu0 Hk (0 for YIG)"),
    Parameter("alpha", 3e-4, "1", "Gilbert damping", 0.0, 1.0, low_inclusive=False),
    Parameter("mu", -5.0, "GHz", "magnon chemical potential mu/2pi (spin pumping), < gap"),
    Parameter("T", 10.0, "mK", "temperature", 0.0, None),
    Parameter("thickness", 20.0, "nm", "film thickness d", 0.0, None, low_inclusive=False),
    Parameter("height", 10.0, "nm", "NV height above the film h", 0.0, None,
              low_inclusive=False),
    Parameter("r", 10.0, "nm", "NV-NV distance (in plane)", 0.0, None, low_inclusive=False),
    Parameter("transition", "minus", "", "NV qubit 0 <-> -1 or 0 <-> +1",
              choices=("minus", "plus")),
    Parameter("gamma1", 0.0, "1/s", "intrinsic NV T1 rate", 0.0, None),
    Parameter("gamma_phi", 0.0, "1/s", "intrinsic NV pure-dephasing rate", 0.0, None),
    Parameter("dipole_dipole", True, "", "include the direct NV-NV dipolar coupling"),
    Parameter("method", "partial", "", "master equation: partial-secular or Davies",
              choices=("partial", "davies")),
)

NV_SPEC = register(ModelSpec(
    name="hou2025-nv",
    title="two NV centres above a spin-pumped garnet film (dipolar stray field, SI units)",
    family="magnon",
    reference=("V. Hou, E. Kleinherbers, S. P. Kelly, Y. Tserkovnyak, arXiv:2508.18131 (2025); "
               "model as reconstructed in MAGNON_MODEL.md §2.4, §4.4"),
    parameters=NV_PARAMETERS,
    build=build_nv,
    analyse=analyse_nv,
    check=_check_nv,
    doc=(__doc__ or "") + "\n" + _materials_doc(),
))
