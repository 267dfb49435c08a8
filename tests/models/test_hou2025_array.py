"""Tests of the N-qubit magnon array model (hou2025-array)."""

from __future__ import annotations

import numpy as np
import pytest

from qness.errors import InvalidInputError
from qness.master.superop import dissipator, spost, spre
from qness.measures import concurrence, pairwise_concurrence
from qness.models import hou2025, hou2025_array
from qness.models.registry import get
from qness.space import Space
from qness.steady import steadystate

SPEC = hou2025_array.SPEC


def _solve(**over):
    state, gen, p = hou2025_array.solve(**over)
    return state, gen, p, hou2025_array.analyse(state, gen, p)


def test_registered():
    assert get("hou2025-array") is SPEC
    assert SPEC.family == "magnon"


@pytest.mark.parametrize("over", [{}, {"T": 0.02, "eta": 0.5, "a": 1.3},
                                  {"g_z": 0.005, "dim": 3, "mu": -1.2, "delta": 0.8}])
def test_two_qubits_equal_hou2025(over):
    state, gen, _, res = _solve(N=2, **over)
    ref_over = {k: v for k, v in over.items() if k != "a"}
    ref, ref_gen, ref_p = hou2025.solve(r=over.get("a", 0.5), **ref_over)
    assert np.max(np.abs(state.rho - ref.rho)) < 1e-10
    c_ref = hou2025.analyse(ref, ref_gen, ref_p)["concurrence"]
    assert abs(res["pairwise_concurrence"][0][1] - c_ref) < 1e-10
    assert np.allclose(gen.info["rates"]["down"], ref_gen.info["rates"]["down"], rtol=1e-12)
    assert np.isclose(gen.info["J"][0, 1], ref_gen.info["J12"], rtol=1e-12)


def test_generator_is_lehmberg_double_sum():
    """The eigen-decomposed correlated jumps reproduce sum_jk G_jk D[s_k, s_j] + exchange."""
    gen = _solve(N=3, geometry="grid", g_z=0.004, T=0.01)[1]
    n, info = 3, gen.info
    space = Space.qubits(n)
    sm = [space.embed(np.array([[0, 0], [1, 0]]), j).toarray() for j in range(n)]
    sz = [space.embed(np.diag([1.0, -1.0]), j).toarray() for j in range(n)]
    H = np.zeros((8, 8), complex)
    L = np.zeros((64, 64), complex)
    for j in range(n):
        for k in range(n):
            L += info["rates"]["down"][j, k] * dissipator(sm[k], sm[j])
            L += info["rates"]["up"][j, k] * dissipator(sm[k].T, sm[j].T)
            L += info["rates"]["z"][j, k] * dissipator(sz[k], sz[j])
            if j < k:
                flip = sm[j].T @ sm[k]
                H += info["J"][j, k] * (flip + flip.T) + info["Jz"][j, k] * sz[j] @ sz[k]
    L += -1j * (spre(H) - spost(H))
    assert np.allclose(gen.dense(), L, atol=1e-14 * np.max(np.abs(L)))
    for k in ("down", "up", "z"):
        assert np.min(np.linalg.eigvalsh(info["rates"][k])) >= -1e-12 * np.max(info["rates"][k])


@pytest.mark.parametrize("T", [0.0, 0.03])
def test_conserving_coupling_gives_product_gge(T):
    state, _, p, res = _solve(N=3, eta=0.0, T=T)
    expected = hou2025_array.gge_product_state(3, p["delta"], p["mu"], T)
    assert np.max(np.abs(state.rho - expected)) < 1e-8
    assert np.max(res["pairwise_concurrence"]) < 1e-8
    assert res["kernel_dim"] == 1


def test_concurrence_decays_along_line():
    """For a >= lambda0 the next-nearest pair is less entangled than the nearest one.

    (At the default a = 0.5 the outer pair of three is the *more* entangled one: the long-range
    co-rotating kernel favours the (1, 0, -1) dark mode; see docs/scaling.md.)"""
    for a in (1.0, 2.0):
        c = np.array(_solve(N=3, a=a)[3]["pairwise_concurrence"])
        assert c[0, 1] > c[0, 2] + 1e-3
        assert np.isclose(c[0, 1], c[1, 2], atol=1e-10)
    c_far = np.array(_solve(N=3, a=4.0)[3]["pairwise_concurrence"])
    c_near = np.array(_solve(N=3, a=2.0)[3]["pairwise_concurrence"])
    assert c_far[0, 1] < c_near[0, 1]


def _relabel(rho, order):
    """State with new qubit i = old qubit order[i] (tensor axes permuted)."""
    n = len(order)
    t = np.asarray(rho).reshape([2] * (2 * n))
    return t.transpose(list(order) + [n + o for o in order]).reshape(2**n, 2**n)


def test_reflection_of_line_maps_state_and_map():
    state, _, _, res = _solve(N=4, a=2.0)
    assert np.allclose(_relabel(state.rho, [3, 2, 1, 0]), state.rho, atol=1e-10)
    c = np.array(res["pairwise_concurrence"])
    assert np.allclose(c[::-1, ::-1], c, atol=1e-10)
    assert c[0, 1] > 1e-3  # the map is not trivially zero


def test_permuting_sites_permutes_state():
    """Qubits at generic positions: relabelling them permutes the state and the map."""
    p = SPEC.resolve({"N": 3})
    pos = np.array([[0.0, 0.0], [0.9, 0.1], [0.2, 0.6]])
    order = [2, 0, 1]
    rho = steadystate(hou2025_array.build_at(p, pos)).rho
    rho_p = steadystate(hou2025_array.build_at(p, pos[order])).rho
    c, c_p = (pairwise_concurrence(r, (2, 2, 2)) for r in (rho, rho_p))
    assert np.max(c) > 1e-3
    assert np.allclose(c[np.ix_(order, order)], c_p, atol=1e-9)
    assert np.allclose(_relabel(rho, order), rho_p, atol=1e-9)
    assert not np.allclose(rho, rho_p, atol=1e-6)  # the relabelling is not a symmetry


def test_grid_of_four_runs():
    _, gen, _, res = _solve(N=4, geometry="grid")
    assert tuple(gen.dims) == (2, 2, 2, 2)
    d = gen.info["distances"]
    assert np.isclose(d[0, 3], np.sqrt(2) * 0.5) and np.isclose(d[0, 1], 0.5)
    assert res["kernel_dim"] == 1 and res["residual"] < 1e-10
    c = np.array(res["pairwise_concurrence"])
    assert c.shape == (4, 4) and np.all(c >= 0) and np.allclose(c, c.T)
    assert len(res["nearest_neighbour"]["pairs"]) == 4


def test_pair_concurrence_matches_reduced_state():
    state, _, _, res = _solve(N=3, a=1.0)
    rho = state.rho.reshape([2] * 6)
    rho01 = np.einsum("abkcdk->abcd", rho).reshape(4, 4)
    assert np.isclose(concurrence(rho01), res["pairwise_concurrence"][0][1], atol=1e-10)
    assert res["max_pair"] in ([0, 1], [1, 2], (0, 1), (1, 2))


@pytest.mark.parametrize("over, name", [
    ({"N": 1}, "'N'"), ({"a": 0.0}, "'a'"), ({"a": -1.0}, "'a'"),
    ({"geometry": "ring"}, "'geometry'"), ({"mu": 1.0}, "mu"), ({"mu": 1.5}, "mu"),
    ({"N": 11}, "'N'"),
])
def test_bad_input(over, name):
    with pytest.raises(InvalidInputError, match=name):
        SPEC.resolve(over)


def test_bad_input_direct():
    p = SPEC.resolve({})
    for bad, name in (({"N": 1}, "'N'"), ({"a": 0.0}, "'a'"), ({"geometry": "x"}, "geometry"),
                      ({"mu": 2.0}, "mu"), ({"a": np.array([0.5, 1.0])}, "'a'")):
        with pytest.raises(InvalidInputError, match=name):
            hou2025_array.build({**p, **bad})
    with pytest.raises(InvalidInputError, match="N"):
        hou2025_array.positions(1, 0.5)
    with pytest.raises(InvalidInputError, match="share a position"):
        hou2025_array.build_at(p, [[0.0, 0.0], [0.0, 0.0]])
