"""The hou2025-nv model (two NV centres above a garnet film, SI units): units, presets, Davies
and partial-secular forms, intrinsic channels, reported diagnostics and bad input."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
import qutip

from qness import units
from qness.errors import InvalidInputError
from qness.models import get
from qness.models import hou2025 as h
from qness.models import hou2025_nv as nv
from qness.steady import steadystate


def qutip_concurrence(rho: np.ndarray) -> float:
    return qutip.concurrence(qutip.Qobj(rho, dims=[[2, 2], [2, 2]]))


def test_registered_and_in_physical_units():
    spec = get("hou2025-nv")
    assert spec is nv.NV_SPEC
    q = nv.nv_physical({**spec.defaults(), "material": "yig", "thickness": 20.0})
    # MAGNON_MODEL.md §2.4: P ~ 0.40 m^2/s^2 for YIG with d = 20 nm; D = 9.31e-6 m^2 rad/s
    assert q["P"] == pytest.approx(0.40, rel=0.01)
    assert q["stiffness"] == pytest.approx(9.31e-6, rel=1e-3)
    # NV 0 <-> -1 line at 50 mT: 2.87 GHz - 28.025 GHz/T * 0.05 T
    assert q["delta"] / (2 * np.pi * 1e9) == pytest.approx(2.87 - 1.40125, abs=1e-4)
    # gap: gamma (B0 - mu0 Ms + Hk) = 28.025 GHz/T x (50 - 175.93 + 180) mT
    mu0_ms = units.MU_0 * 1.4e5
    assert q["gap"] == pytest.approx(units.tesla(0.05 - mu0_ms + 0.18), rel=1e-12)
    assert q["T"] == pytest.approx(units.mk(10.0))


def test_material_presets_carry_sources_shown_by_qness_show():
    from click.testing import CliRunner

    from qness.cli import main

    out = CliRunner().invoke(main, ["show", "hou2025-nv"]).output
    for name, mat in nv.MATERIALS.items():
        assert mat.source and name in out
        assert "source:" in out
    assert "Klingler" in nv.MATERIALS["yig"].source
    assert "Soumah" in nv.MATERIALS["pma_garnet"].source
    assert "assumed" in nv.MATERIALS["pma_garnet"].source   # Ms, A_ex, Hk not found: said so
    assert "arXiv:1806.00658" in out


def test_defaults_small_finite_entanglement_and_plain_yig_none():
    p = nv.NV_SPEC.resolve({})
    gen = nv.build_nv(p)
    state = steadystate(gen)
    c = qutip_concurrence(state.rho)
    assert 0 < c < 0.05  # proof of principle only (MAGNON_MODEL.md §4.4)
    rates = gen.info["rates"]
    assert 0.1 < rates["down"][0, 0] < 1e3  # 1/s: tiny compared with intrinsic NV decoherence
    out = nv.analyse_nv(state, gen, p)
    json.dumps(out)
    assert out["concurrence"] == pytest.approx(c, abs=1e-9)
    for key in ("rates_per_s", "J12_per_s", "Jz_per_s", "J_dipole_dipole_per_s", "validity",
                "flags", "magnon_gap_GHz", "nv_transition_GHz", "material",
                "coupling_prefactor_P_m2_per_s2", "method"):
        assert key in out
    for key in ("weak_coupling", "rotating_wave", "ellipticity", "stability_margin"):
        assert key in out["validity"]
    assert out["flags"] == []
    # plain perpendicular YIG: the NV line lies above the band, the resonant channel dominates
    yig = nv.build_nv(nv.NV_SPEC.resolve({"material": "yig", "Hk": 0.0, "B0": 200.0,
                                          "mu": np.array([-5.0, 0.0, 0.3]), "r": 20.0}))
    c_yig = [qutip_concurrence(x) for x in steadystate(yig).rho]
    assert max(c_yig) < 1e-9


def test_zero_chemical_potential_is_thermal():
    gen = nv.build_nv(nv.NV_SPEC.resolve({"mu": 0.0, "T": 50.0}))
    rho = steadystate(gen).rho
    delta = nv.nv_physical(nv.NV_SPEC.resolve({}))["delta"]
    np.testing.assert_allclose(rho, h.gge_state(delta, 0.0, units.mk(50.0)), atol=1e-10)


@pytest.mark.parametrize("over", [{}, {"mu": -3.0, "r": 5.0}])
def test_davies_agrees_with_partial_secular_for_identical_nvs(over):
    # the forms differ only through the kernels' variation across the Bohr frequencies
    # Delta +- J12: relative differences of order max(|J12|, Gamma) / |gap - Delta|
    p = nv.NV_SPEC.resolve(over)
    gen_p = nv.build_nv(p)
    a = steadystate(gen_p).rho
    gen_d = nv.build_nv({**p, "method": "davies"})
    b = steadystate(gen_d).rho
    ca, cb = qutip_concurrence(a), qutip_concurrence(b)
    ratio = gen_p.info["validity"]["weak_coupling"]
    assert ca > 1e-3 and ratio < 0.01
    assert abs(ca - cb) <= 5 * ratio * ca
    np.testing.assert_allclose(a, b, atol=5 * ratio * np.abs(a).max())
    assert gen_d.info["method"] == "davies"


@pytest.mark.parametrize("method", ["partial", "davies"])
def test_intrinsic_t1_t2_enter_both_forms(method):
    base = nv.NV_SPEC.resolve({"method": method})
    L0 = nv.build_nv(base).dense()
    g1, gphi = 50.0, 200.0
    L1 = nv.build_nv({**base, "gamma1": g1, "gamma_phi": gphi}).dense()
    # the difference is exactly the local Lindblad channels: lattice at T (mu = 0) and T2*
    import qness

    o = h.two_qubit_operators()
    delta = nv.nv_physical(base)["delta"]
    nth = float(1 / np.expm1(delta / units.mk(base["T"])))
    local = []
    for j in ("1", "2"):
        local += [np.sqrt(g1 * (1 + nth)) * o["sm" + j], np.sqrt(g1 * nth) * o["sp" + j],
                  np.sqrt(gphi / 2) * o["sz" + j]]
    extra = qness.liouvillian(np.zeros((4, 4)), local).dense()
    np.testing.assert_allclose(L1 - L0, extra, rtol=1e-9, atol=1e-9 * np.abs(extra).max())
    # strong intrinsic decoherence destroys the (tiny) entanglement in both forms
    strong = steadystate(nv.build_nv({**base, "gamma1": 1e3, "gamma_phi": 1e4})).rho
    assert qutip_concurrence(strong) < 1e-9


def test_nv_line_at_the_band_edge_is_flagged():
    # B0 chosen so the NV 0 <-> -1 line sits 0.2 MHz below the magnon gap: not weak coupling
    p = nv.NV_SPEC.resolve({})
    q = nv.nv_physical(p)
    # gap - delta is linear in B0 with slope 2 gamma: shift B0 to close the distance
    db = (q["gap"] - q["delta"] - units.mhz(0.2)) / (2 * units.GAMMA_E) * 1e3
    p = nv.NV_SPEC.resolve({"B0": 50.0 - float(db)})
    with pytest.warns(h.ValidityWarning, match="weak-coupling"):
        gen = nv.build_nv(p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = nv.analyse_nv(steadystate(gen), gen, p)
    assert any(f.startswith("weak_coupling") for f in out["flags"])
    assert out["validity"]["weak_coupling"] > 0.05


@pytest.mark.parametrize("overrides, word", [
    ({"material": "yig", "Hk": 0.0, "B0": 100.0}, "B0"),
    ({"mu": 5.0}, "mu"),
    ({"thickness": -1.0}, "thickness"),
    ({"thickness": 0.0}, "thickness"),
    ({"height": -1.0}, "height"),
    ({"r": 0.0}, "r"),                      # coinciding positions
    ({"method": "redfield"}, "method"),
    ({"material": "permalloy"}, "material"),
])
def test_bad_inputs(overrides, word):
    with pytest.raises(InvalidInputError, match=word):
        nv.build_nv(nv.NV_SPEC.resolve(overrides))
