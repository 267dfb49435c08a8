"""Figures: sweep line plots, phase diagrams with the ``C = 0`` contour, facets, Hinton plots.

Everything draws on :class:`matplotlib.figure.Figure` objects (no global pyplot state, any
backend); axes are labelled ``name [unit]`` from the dataset's coordinate attributes (the
model's :class:`~qness.models.base.Parameter` units).  Output formats: PNG, PDF, SVG.
"""

from __future__ import annotations

from itertools import product as iproduct
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InvalidInputError

__all__ = ["FORMATS", "hinton", "phase_diagram", "plot_sweep", "save"]

FORMATS = (".png", ".pdf", ".svg")

#: Publication defaults (single-column figure, 8-9 pt text).
STYLE = {
    "font.size": 9, "axes.labelsize": 9, "axes.titlesize": 9, "legend.fontsize": 8,
    "xtick.labelsize": 8, "ytick.labelsize": 8, "axes.linewidth": 0.8, "lines.linewidth": 1.4,
    "xtick.direction": "in", "ytick.direction": "in", "xtick.top": True, "ytick.right": True,
    "savefig.bbox": "tight", "savefig.pad_inches": 0.03, "image.cmap": "viridis",
}


def _label(ds: Any, name: str) -> str:
    attrs = ds[name].attrs if name in ds.variables else {}
    unit = str(attrs.get("units", ""))
    return name if unit in ("", "1") else f"{name} [{unit}]"


def _scale(ds: Any, name: str) -> str:
    return "log" if ds[name].attrs.get("scale") == "log" else "linear"


def _edges(x: np.ndarray, scale: str) -> np.ndarray:
    """Cell edges around centres ``x`` (geometric midpoints on a log axis)."""
    x = np.asarray(x, float)
    if len(x) == 1:
        return np.array([x[0] * 0.9, x[0] * 1.1]) if scale == "log" else x[0] + np.array(
            [-0.5, 0.5])
    t = np.log(x) if scale == "log" else x
    mid = 0.5 * (t[1:] + t[:-1])
    e = np.concatenate([[t[0] - (mid[0] - t[0])], mid, [t[-1] + (t[-1] - mid[-1])]])
    return np.exp(e) if scale == "log" else e


def _default_var(ds: Any) -> str:
    measures = [k for k, v in ds.data_vars.items() if v.attrs.get("kind") == "measure"]
    if "concurrence" in measures:
        return "concurrence"
    if measures:
        return measures[0]
    raise InvalidInputError("the dataset has no measure variables to plot")


def _select(ds: Any, var: str) -> tuple[Any, str]:
    if var not in ds.data_vars:
        raise InvalidInputError(f"no variable {var!r} in the dataset; available: "
                                f"{', '.join(map(str, ds.data_vars))}")
    da = ds[var]
    note = ""
    extra = [d for d in da.dims if d not in ds[var].coords and d.startswith(f"{var}_dim")]
    if extra:
        da = da.isel({d: 0 for d in extra})
        note = " (" + ", ".join(f"{d}=0" for d in extra) + ")"
    return da, note


def _zero_level(z: np.ndarray) -> float | None:
    """Level of the ``measure = 0`` contour, if the data cross it."""
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return None
    top = float(np.max(finite))
    level = max(1e-12, 1e-6 * top)
    if top <= level or float(np.min(finite)) > level:
        return None
    return level


def phase_diagram(ds: Any, var: str | None = None, ax: Any = None, *, zero_contour: bool = True,
                  colorbar: bool = True, vmin: float | None = None, vmax: float | None = None,
                  title: str | None = None) -> Any:
    """Colour map of ``var`` over the two grid dimensions, with the ``var = 0`` contour.

    Parameters
    ----------
    ds : xarray.Dataset
        A 2D sweep (or a 2D selection of a larger one).
    var : str, optional
        Measure (default: ``concurrence`` or the first measure).
    zero_contour : bool
        Draw the boundary ``var = 0`` (the entanglement boundary for the concurrence), and mark
        points that failed validation (``ok = False``) with crosses.
    """
    from matplotlib.figure import Figure

    var = var or _default_var(ds)
    da, note = _select(ds, var)
    dims = [d for d in da.dims]
    if len(dims) != 2:
        raise InvalidInputError(f"phase_diagram needs 2 grid dimensions, {var!r} has {dims}")
    if ax is None:
        fig = Figure(figsize=(3.4, 2.7), layout="constrained")
        ax = fig.add_subplot()
    ydim, xdim = dims
    x, y = np.asarray(ds[xdim].values, float), np.asarray(ds[ydim].values, float)
    z = np.asarray(da.transpose(ydim, xdim).values, float)
    xs, ys = _scale(ds, xdim), _scale(ds, ydim)
    mesh = ax.pcolormesh(_edges(x, xs), _edges(y, ys), z, shading="flat", vmin=vmin,
                         vmax=vmax, rasterized=True)
    ax.set_xscale(xs)
    ax.set_yscale(ys)
    if zero_contour:
        level = _zero_level(z)
        if level is not None and len(x) > 1 and len(y) > 1:
            ax.contour(x, y, np.nan_to_num(z, nan=0.0), levels=[level], colors="white",
                       linewidths=1.0, linestyles="--")
        if "ok" in ds.data_vars:
            ok = np.asarray(ds["ok"].transpose(ydim, xdim).values, bool)
            level_var = ds["level"].transpose(ydim, xdim).values if "level" in ds else None
            bad = ~ok if level_var is None else (~ok & (np.asarray(level_var) >= 0))
            if np.any(bad):
                yy, xx = np.nonzero(bad)
                ax.plot(x[xx], y[yy], "x", color="red", ms=3, mew=0.7,
                        label="not validated")
                ax.legend(loc="best", frameon=False)
    ax.set_xlabel(_label(ds, xdim))
    ax.set_ylabel(_label(ds, ydim))
    if title is not None:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(mesh, ax=ax, label=var + note)
    return mesh


def _line_plot(ds: Any, var: str, ax: Any) -> None:
    da, note = _select(ds, var)
    (dim,) = da.dims
    x = np.asarray(ds[dim].values, float)
    y = np.asarray(da.values, float)
    ax.plot(x, y, "-", marker="o" if len(x) < 40 else None, ms=3)
    if "ok" in ds.data_vars:
        bad = ~np.asarray(ds["ok"].values, bool)
        if np.any(bad):
            ax.plot(x[bad], y[bad], "x", color="red", ms=4, label="not validated")
            ax.legend(frameon=False)
    ax.set_xscale(_scale(ds, dim))
    ax.set_xlabel(_label(ds, dim))
    ax.set_ylabel(var + note)


def _scatter_plot(ds: Any, var: str, fig: Any) -> None:
    da, note = _select(ds, var)
    params = [k for k, c in ds.coords.items() if c.dims == ("point",) and k != "point"]
    ax = fig.add_subplot()
    z = np.asarray(da.values, float)
    if len(params) == 1:
        x = np.asarray(ds[params[0]].values, float)
        order = np.argsort(x)
        ax.plot(x[order], z[order], ".-", ms=3)
        ax.set_xlabel(_label(ds, params[0]))
        ax.set_ylabel(var + note)
        ax.set_xscale(_scale(ds, params[0]))
        return
    px, py = params[0], params[1]
    sc = ax.scatter(ds[px].values, ds[py].values, c=z, s=8, linewidths=0)
    ax.set_xscale(_scale(ds, px))
    ax.set_yscale(_scale(ds, py))
    ax.set_xlabel(_label(ds, px))
    ax.set_ylabel(_label(ds, py))
    fig.colorbar(sc, ax=ax, label=var + note)
    if len(params) > 2:
        ax.set_title(f"projection on ({px}, {py}) of {len(params)} parameters")


def _facets(ds: Any, var: str, fig: Any, max_panels: int = 6) -> None:
    da, _ = _select(ds, var)
    dims = list(da.dims)
    base, facet = dims[:2], dims[2:]
    col = facet[0]
    row = facet[1] if len(facet) > 1 else None
    fixed = {d: 0 for d in facet[2:]}

    def picks(dim: str) -> list[int]:
        n = ds.sizes[dim]
        return sorted(set(np.linspace(0, n - 1, min(n, max_panels)).round().astype(int)))

    cols, rows = picks(col), (picks(row) if row else [None])
    finite = np.asarray(da.values, float)
    vmin, vmax = float(np.nanmin(finite)), float(np.nanmax(finite))
    axes = fig.subplots(len(rows), len(cols), squeeze=False, sharex=True, sharey=True)
    mesh = None
    for (i, r), (j, c) in iproduct(enumerate(rows), enumerate(cols)):
        sel = {col: c, **({row: r} if row else {}), **fixed}
        sub = ds.isel(sel)
        t = f"{col} = {float(ds[col][c]):.3g}" + (f", {row} = {float(ds[row][r]):.3g}"
                                                    if row else "")
        mesh = phase_diagram(sub, var, axes[i, j], colorbar=False, vmin=vmin, vmax=vmax,
                             title=t)
        if i < len(rows) - 1:
            axes[i, j].set_xlabel("")
        if j > 0:
            axes[i, j].set_ylabel("")
    if mesh is not None:
        fig.colorbar(mesh, ax=axes, label=var, shrink=0.9)
    if fixed:
        fig.suptitle("at " + ", ".join(f"{d} = {float(ds[d][0]):.3g}" for d in fixed))
    _ = base


def plot_sweep(ds: Any, var: str | None = None, out: str | Path | None = None, *,
               dpi: int = 200) -> Any:
    """Plot a sweep dataset: a line plot (1 dimension), a phase diagram with the ``var = 0``
    contour (2), facets over the 3rd/4th dimension (more); scatter for random/zipped grids.

    Parameters
    ----------
    ds : xarray.Dataset
        As returned by :func:`qness.sweep.run_sweep` or ``xarray.open_zarr(store)``.
    var : str, optional
        Measure (default ``concurrence`` or the first measure).
    out : path, optional
        Write the figure (``.png``, ``.pdf``, ``.svg``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib as mpl
    from matplotlib.figure import Figure

    var = var or _default_var(ds)
    with mpl.rc_context(STYLE):
        da, _ = _select(ds, var)
        ndim = len(da.dims)
        if "point" in da.dims:
            fig = Figure(figsize=(3.4, 2.7), layout="constrained")
            _scatter_plot(ds, var, fig)
        elif ndim == 1:
            fig = Figure(figsize=(3.4, 2.5), layout="constrained")
            _line_plot(ds, var, fig.add_subplot())
        elif ndim == 2:
            fig = Figure(figsize=(3.4, 2.7), layout="constrained")
            phase_diagram(ds, var, fig.add_subplot())
        else:
            ncol = min(ds.sizes[da.dims[2]], 6)
            nrow = min(ds.sizes[da.dims[3]], 6) if ndim > 3 else 1
            fig = Figure(figsize=(2.0 * ncol + 1.0, 1.8 * nrow + 0.5), layout="constrained")
            _facets(ds, var, fig)
        title = ds.attrs.get("title")
        if title and ndim <= 2:
            fig.suptitle(title, fontsize=8)
        if out is not None:
            save(fig, out, dpi=dpi)
    return fig


def save(fig: Any, out: str | Path, dpi: int = 200) -> Path:
    """Save ``fig`` as PNG, PDF or SVG (by the file suffix)."""
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise InvalidInputError(f"figure file {str(out)!r}: the suffix must be one of "
                                f"{', '.join(FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=dpi)
    return out


def _basis_labels(dims: tuple[int, ...]) -> list[str]:
    """Ket labels in QuTiP order (qubit index 0 = ``e``)."""
    local = [["e", "g"] if d == 2 else [str(i) for i in range(d)] for d in dims]
    return ["|" + "".join(p) + "⟩" for p in iproduct(*local)]


def hinton(rho: Any, ax: Any = None, *, dims: tuple[int, ...] | None = None,
           labels: list[str] | None = None, title: str | None = None) -> Any:
    """Hinton diagram of a density matrix: one square per element, area ~ ``|rho_ij|``.

    Real matrices: white squares for positive, black for negative elements on a grey ground.
    Complex ones: colour = phase ``arg rho_ij`` (cyclic colour map with a colour bar).

    Parameters
    ----------
    rho : (d, d) array or qutip.Qobj
        Density matrix (QuTiP basis order).
    dims : tuple of int, optional
        Local dimensions for the tick labels (two qubits: ``|ee>, |eg>, |ge>, |gg>``).
    labels : list of str, optional
        Explicit tick labels.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    if hasattr(rho, "full"):
        dims = dims or tuple(rho.dims[0])
        rho = rho.full()
    rho = np.asarray(rho)
    if rho.ndim != 2 or rho.shape[0] != rho.shape[1] or rho.shape[0] == 0:
        raise InvalidInputError(f"rho must be a square (d, d) matrix, got shape {rho.shape}")
    if not np.all(np.isfinite(rho)):
        raise InvalidInputError("rho has non-finite entries")
    d = rho.shape[0]
    if labels is None:
        if dims is not None and int(np.prod(dims)) == d:
            labels = _basis_labels(tuple(dims))
        elif d & (d - 1) == 0 and d > 1:
            labels = _basis_labels((2,) * int(np.log2(d)))
        else:
            labels = [str(i) for i in range(d)]
    if len(labels) != d:
        raise InvalidInputError(f"labels must have {d} entries, got {len(labels)}")
    with mpl.rc_context(STYLE):
        if ax is None:
            fig = Figure(figsize=(2.8, 2.6), layout="constrained")
            ax = fig.add_subplot()
        mag = np.abs(rho)
        top = float(mag.max()) or 1.0
        is_complex = np.iscomplexobj(rho) and np.max(np.abs(rho.imag)) > 1e-12 * top
        cmap = mpl.colormaps["twilight"]
        ax.set_facecolor("0.55" if not is_complex else "white")
        for i, j in iproduct(range(d), range(d)):
            side = np.sqrt(mag[i, j] / top) * 0.95
            if side <= 0:
                continue
            if is_complex:
                color = cmap((np.angle(rho[i, j]) + np.pi) / (2 * np.pi))
            else:
                color = "white" if rho[i, j].real > 0 else "black"
            ax.add_patch(Rectangle((j - side / 2, i - side / 2), side, side, facecolor=color,
                                   edgecolor="0.2" if is_complex else color, linewidth=0.4))
        ax.set_xlim(-0.5, d - 0.5)
        ax.set_ylim(d - 0.5, -0.5)
        ax.set_aspect("equal")
        ax.set_xticks(range(d), labels, rotation=90 if d > 8 else 0)
        ax.set_yticks(range(d), labels)
        ax.tick_params(length=0)
        if is_complex:
            sm = mpl.cm.ScalarMappable(norm=mpl.colors.Normalize(-np.pi, np.pi), cmap=cmap)
            cb = ax.figure.colorbar(sm, ax=ax, label=r"arg $\rho_{ij}$")
            cb.set_ticks([-np.pi, 0, np.pi], labels=[r"$-\pi$", "0", r"$\pi$"])
        ax.set_title(title if title is not None else
                     rf"$|\rho_{{ij}}|$, largest square = {top:.3g}")
    return ax
