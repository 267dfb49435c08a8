"""The :class:`SteadyState` result and the checks every solver runs before returning it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import SolverError

#: Default tolerances (relative where noted).  Exposed so users can read what "validated" means.
DEFAULT_TOLERANCES: dict[str, float] = {
    "residual": 1e-8,      # ||L rho|| / ||L|| (Frobenius of L rho over a norm of L)
    "trace": 1e-10,        # |tr rho - 1|
    "hermiticity": 1e-8,   # max |rho - rho^dag| before symmetrisation
    "positivity": 1e-8,    # min eigenvalue of rho >= -positivity
    "kernel": 1e-10,       # singular value sigma_k / sigma_max below which k is in the kernel
}


@dataclass(frozen=True, eq=False)
class SteadyState:
    """A steady state with the diagnostics that say whether to trust it.

    All diagnostic fields are floats for a single solve and arrays of shape ``batch_shape`` for a
    batched one.

    Attributes
    ----------
    rho : ndarray (..., d, d)
        The steady-state density matrix (Hermitian-symmetrised and trace-normalised).
    residual : float or ndarray
        ``||L rho||_2 / ||L||_F`` — relative residual of the returned state.
    trace_error : float or ndarray
        ``|tr rho - 1|`` before normalisation, as a check of the solve's constraint.
    hermiticity_error : float or ndarray
        ``max |rho - rho^dag|`` of the raw solution (before symmetrisation).
    min_eigenvalue : float or ndarray
        Smallest eigenvalue of ``rho`` (negative beyond tolerance means unphysical).
    kernel_dim : int or ndarray
        Numerical dimension of the kernel of ``L`` (1 for a unique steady state).
    gap : float or ndarray or None
        Smallest singular value of ``L`` outside the kernel relative to the largest (a
        conditioning diagnostic), when the solver computed it.
    method : str
        The solver that produced the state.
    wall_time : float
        Seconds spent in the solver.
    ok : bool or ndarray
        True where every check passed.
    dims : tuple of int
        Local dimensions of the state (QuTiP order).
    kernel : ndarray or None
        A Hermitian basis of the kernel ``(k, d, d)`` when requested or when non-unique.
    info : dict
        Solver-specific extras (iterations, preconditioner, ...).
    """

    rho: np.ndarray
    residual: Any
    trace_error: Any
    hermiticity_error: Any
    min_eigenvalue: Any
    kernel_dim: Any
    method: str
    wall_time: float
    ok: Any
    dims: tuple[int, ...] = ()
    gap: Any = None
    kernel: np.ndarray | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def is_unique(self) -> Any:
        return np.asarray(self.kernel_dim) == 1

    def summary(self) -> str:
        """One line per diagnostic, for printing."""
        def fmt(x: Any) -> str:
            a = np.asarray(x)
            if a.ndim == 0:
                return f"{a.item():.3g}" if a.dtype.kind == "f" else str(a.item())
            return f"max {np.max(a):.3g}" if a.dtype.kind == "f" else f"{np.unique(a)}"

        return "\n".join([
            f"method            {self.method}",
            f"residual ||L rho|| {fmt(self.residual)}",
            f"trace error       {fmt(self.trace_error)}",
            f"hermiticity error {fmt(self.hermiticity_error)}",
            f"min eigenvalue    {fmt(np.min(self.min_eigenvalue))}",
            f"kernel dimension  {fmt(self.kernel_dim)}"
            + ("" if self.info.get("uniqueness_established", True)
               else " (uniqueness not established: see info['uniqueness'])"),
            f"wall time         {self.wall_time:.3g} s",
            f"validated         {bool(np.all(self.ok))}",
        ])

    def to_qobj(self):
        """The state as a ``qutip.Qobj`` (requires the optional qutip extra)."""
        from ..interop import to_qobj

        return to_qobj(self.rho, dims=self.dims)


def finalize(
    raw: np.ndarray,
    apply_L: Any,
    norm_L: Any,
    *,
    method: str,
    t_start: float,
    kernel_dim: Any = 1,
    gap: Any = None,
    dims: tuple[int, ...] = (),
    tol: dict[str, float] | None = None,
    on_fail: str = "raise",
    kernel: np.ndarray | None = None,
    info: dict[str, Any] | None = None,
    unique_required: bool = True,
) -> SteadyState:
    """Symmetrise, normalise and validate a raw solution; build the :class:`SteadyState`.

    Parameters
    ----------
    raw : (..., d, d) array
        Unnormalised solution from a solver.
    apply_L : callable
        ``rho -> L(rho)`` for arrays ``(..., d, d)``.
    norm_L : float or array
        A norm of ``L`` (per batch element) to make the residual relative.
    unique_required : bool
        When False (the caller asked for the state reached from a given initial state), a kernel
        dimension above 1 is reported but does not fail validation.
    on_fail : {'raise', 'flag', 'warn'}
        What to do when a check fails: raise :class:`SolverError`, only set ``ok`` False,
        or warn and set ``ok`` False.
    """
    tol = {**DEFAULT_TOLERANCES, **(tol or {})}
    raw = np.asarray(raw, dtype=complex)
    herm_err = np.max(np.abs(raw - np.conj(np.swapaxes(raw, -1, -2))), axis=(-1, -2))
    rho = 0.5 * (raw + np.conj(np.swapaxes(raw, -1, -2)))
    tr = np.trace(rho, axis1=-2, axis2=-1).real
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = rho / tr[..., None, None]
        herm_err = herm_err / np.abs(tr) if np.ndim(tr) else herm_err / abs(tr)
    trace_err = np.abs(tr - 1.0)
    finite = np.all(np.isfinite(rho), axis=(-1, -2))
    rho = np.where(finite[..., None, None], rho, np.nan)
    lr = apply_L(np.nan_to_num(rho))
    residual = np.linalg.norm(lr, axis=(-1, -2)) / np.maximum(np.asarray(norm_L, float), 1e-300)
    evals = np.linalg.eigvalsh(np.nan_to_num(rho))
    min_ev = evals[..., 0]
    kdim = np.asarray(kernel_dim)
    converged = bool((info or {}).get("converged", True))  # an iterative solver's own verdict
    ok = (finite & (residual <= tol["residual"]) & (herm_err <= tol["hermiticity"])
          & (min_ev >= -tol["positivity"]) & ((kdim == 1) | (not unique_required)) & converged)
    # the trace constraint is imposed by the solve; report its raw error but judge by the others
    wall = time.perf_counter() - t_start

    def scalar(x: Any) -> Any:
        a = np.asarray(x)
        return a.item() if a.ndim == 0 else a

    ss = SteadyState(
        rho=rho, residual=scalar(residual), trace_error=scalar(trace_err),
        hermiticity_error=scalar(herm_err), min_eigenvalue=scalar(min_ev),
        kernel_dim=scalar(kdim), method=method, wall_time=wall, ok=scalar(ok), dims=dims,
        gap=None if gap is None else scalar(gap), kernel=kernel, info=dict(info or {}),
    )
    if not np.all(ok) and on_fail != "flag":
        msg = _failure_message(ss, tol)
        if on_fail == "raise":
            err = SolverError(msg)
            err.result = ss  # type: ignore[attr-defined]
            raise err
        import warnings

        warnings.warn(msg, RuntimeWarning, stacklevel=3)
    return ss


def _failure_message(ss: SteadyState, tol: dict[str, float]) -> str:
    ok = np.asarray(ss.ok)
    bad = np.argwhere(~ok) if ok.ndim else np.zeros((1, 0), int)
    where = "" if ok.ndim == 0 else f" at batch indices {bad[:5].tolist()}" + (
        " ..." if len(bad) > 5 else "")
    idx = tuple(bad[0]) if ok.ndim else ()
    pick = (lambda x: np.asarray(x)[idx])  # noqa: E731
    parts = []
    if not np.isfinite(pick(ss.residual)) or pick(ss.residual) > tol["residual"]:
        parts.append(f"residual {pick(ss.residual):.3g} > {tol['residual']:g}")
    if pick(ss.hermiticity_error) > tol["hermiticity"]:
        parts.append(f"hermiticity error {pick(ss.hermiticity_error):.3g} > {tol['hermiticity']:g}")
    if pick(ss.min_eigenvalue) < -tol["positivity"]:
        parts.append(f"min eigenvalue {pick(ss.min_eigenvalue):.3g} < -{tol['positivity']:g} "
                     "(not a positive state)")
    if not ss.info.get("converged", True):
        parts.append("the Krylov solve did not reach its tolerance "
                     f"(residual {ss.info.get('gmres_residual', float('nan')):.3g})")
    if pick(ss.kernel_dim) != 1 and np.asarray(ss.ok).ndim == 0 and not parts:
        parts.append(f"kernel dimension {pick(ss.kernel_dim)}")
    return (f"steady state failed validation{where} ({ss.method}): " + "; ".join(parts)
            + ". Pass on_fail='flag' to receive the result with ok=False.")
