"""Point-by-point reference solves for the sweep tests (qness.steadystate on each point)."""

from __future__ import annotations

from typing import Any

import numpy as np

import qness
from qness.models import get


def leaf(tree: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        tree = tree[part]
    return tree


def pointwise(model: str, fixed: dict[str, Any], point: dict[str, float],
              measures: list[str]) -> dict[str, Any]:
    """Measures and diagnostics of one point, solved on its own (no batching)."""
    spec = get(model)
    params = spec.resolve({**fixed, **point})
    gen = spec.build(params)
    ss = qness.steadystate(gen)
    out = spec.analyse(ss, gen, params)
    res = {m: np.asarray(leaf(out, m), float) for m in measures}
    res.update(residual=float(ss.residual), kernel_dim=int(ss.kernel_dim),
               min_eigenvalue=float(ss.min_eigenvalue), ok=bool(ss.ok))
    return res


def assert_matches_pointwise(ds: Any, model: str, fixed: dict[str, Any], measures: list[str],
                             params: list[str], atol: float = 1e-10) -> int:
    """Every point of ``ds`` equals its point-by-point solve; returns the number checked."""
    ds = ds.load()
    stacked = ds.stack(_p=[d for d in ds[measures[0]].dims]) if "point" not in ds.dims \
        else ds.rename({"point": "_p"})
    n = stacked.sizes["_p"]
    for i in range(n):
        row = stacked.isel(_p=i)
        if "level" in row and int(row["level"]) < 0:
            continue
        point = {k: float(row[k]) for k in params}
        ref = pointwise(model, fixed, point, measures)
        for m in measures:
            np.testing.assert_allclose(np.asarray(row[m].values, float), ref[m], rtol=0,
                                       atol=atol, err_msg=f"{m} at {point}")
        assert int(row["kernel_dim"]) == ref["kernel_dim"]
        assert bool(row["ok"]) == ref["ok"]
        np.testing.assert_allclose(float(row["min_eigenvalue"]), ref["min_eigenvalue"],
                                   atol=atol)
        assert float(row["residual"]) < 1e-8 and ref["residual"] < 1e-8
    return n
