"""Grids: axis construction, refinement by midpoint insertion, random and zipped grids."""

from __future__ import annotations

import numpy as np
import pytest

from qness.errors import InvalidInputError
from qness.sweep import Refine, linear, log, product, random_samples, values, zipped
from qness.sweep.grid import block_shape


def test_refined_axes_insert_midpoints() -> None:
    lin = linear(0.0, 1.0, 3)
    np.testing.assert_allclose(lin.coordinates(2), np.linspace(0, 1, 9))
    lg = log(0.1, 10.0, 3)
    np.testing.assert_allclose(lg.coordinates(1), np.geomspace(0.1, 10.0, 5))
    ex = values([1.0, 2.0, 4.0], scale="log")
    np.testing.assert_allclose(ex.coordinates(1), [1, np.sqrt(2), 2, np.sqrt(8), 4])
    # the coarse grid is the every-2^L-th subset of the fine one
    fine = lin.coordinates(3)
    np.testing.assert_allclose(fine[::8], lin.coordinates(0))


def test_product_grid_layout() -> None:
    g = product(a=linear(0, 1, 4), b=values([5.0, 6.0, 7.0]))
    assert g.dims == ("a", "b") and g.shape == (4, 3) and g.size == 12
    blk = g.block_values((slice(1, 3), slice(0, 3)))
    np.testing.assert_allclose(blk["a"][:, 0], np.linspace(0, 1, 4)[1:3])
    np.testing.assert_allclose(blk["b"][0], [5, 6, 7])
    r = product(refine=Refine("concurrence", levels=2, boundary=0.0), a=linear(0, 1, 3))
    assert r.shape == (9,) and r.levels == 2


def test_random_grid_is_seeded_and_in_range() -> None:
    g1 = random_samples(500, seed=3, x=linear(-1, 2), y=log(1e-3, 1e2))
    g2 = random_samples(500, seed=3, x=linear(-1, 2), y=log(1e-3, 1e2))
    c1, c2 = g1.coordinate_values(), g2.coordinate_values()
    np.testing.assert_array_equal(c1["x"], c2["x"])
    assert c1["x"].min() >= -1 and c1["x"].max() <= 2
    assert c1["y"].min() >= 1e-3 and c1["y"].max() <= 1e2
    # log-uniform: the median of log10 y is near the middle of [-3, 2]
    assert abs(np.median(np.log10(c1["y"])) + 0.5) < 0.4
    assert g1.fingerprint() != random_samples(500, seed=4, x=linear(-1, 2),
                                              y=log(1e-3, 1e2)).fingerprint()


def test_bad_grids_raise() -> None:
    with pytest.raises(InvalidInputError, match="equal length"):
        zipped(a=values([1, 2]), b=values([1, 2, 3]))
    with pytest.raises(InvalidInputError, match="log-scale axis needs"):
        log(0.0, 1.0, 3)
    with pytest.raises(InvalidInputError, match="levels"):
        Refine("c", levels=0, boundary=0.0)
    with pytest.raises(InvalidInputError, match="range"):
        random_samples(10, x=linear(0, 1, 5))


@pytest.mark.parametrize(("shape", "target", "expected"), [
    ((1000, 1000), 10_000, (10, 1000)),
    ((7, 5), 100, (7, 5)),
    ((50,), 8, (8,)),
    ((3, 4, 5), 12, (1, 2, 5)),
])
def test_block_shape(shape, target, expected) -> None:
    assert block_shape(shape, target) == expected
    assert np.prod(block_shape(shape, target)) <= max(target, shape[-1])
