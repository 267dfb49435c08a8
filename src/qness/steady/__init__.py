"""Steady-state solvers with validation: dense (batched), sparse LU and iterative Krylov."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import InvalidInputError
from ..master.generator import Generator, liouvillian
from .dense import solve_dense
from .permutation import PermutationState, steadystate_permutation
from .sparse import solve_sparse
from .symmetry import check_symmetry, reflection, steadystate_symmetric, translation
from .validate import DEFAULT_TOLERANCES, SteadyState

#: ``method='auto'`` uses the dense solver up to this Hilbert-space dimension (and for batches);
#: beyond it Lindblad generators go to the matrix-free iterative solver, and general
#: (e.g. Redfield) generators to sparse LU up to ``SPARSE_MAX_DIM``.  Measured with
#: ``benchmarks/bench_nqubits.py`` (2 cores): dense LU at d = 32 took 0.10-0.16 s against
#: 0.03-0.05 s for the iterative solver, and sparse LU at d = 64 0.50 s against 0.07 s.
DENSE_MAX_DIM = 16
SPARSE_MAX_DIM = 64

METHODS = ("auto", "dense", "sparse", "iterative")


def _as_generator(H: Any, c_ops: Sequence[Any] | None, correlated, dims) -> Generator:
    if isinstance(H, Generator):
        if c_ops or correlated:
            raise InvalidInputError("c_ops/correlated cannot be combined with a Generator")
        return H
    if getattr(H, "issuper", False) is True:
        if c_ops:
            raise InvalidInputError("c_ops cannot be combined with a superoperator Qobj")
        return Generator.from_matrix(H, dims=dims)
    return liouvillian(H, c_ops, correlated=correlated or (), dims=dims)


def choose_method(gen: Generator) -> str:
    """The solver ``method='auto'`` picks for ``gen`` (by batch and Hilbert-space dimension)."""
    if gen.is_batched or gen.dim <= DENSE_MAX_DIM:
        return "dense"
    if gen.is_lindblad or gen.dim > SPARSE_MAX_DIM:
        return "iterative"
    return "sparse"


def steadystate(
    H: Any,
    c_ops: Sequence[Any] | None = None,
    *,
    correlated: Sequence[tuple[Any, Sequence[Any]]] = (),
    method: str = "auto",
    rho0: Any = None,
    return_kernel: bool = False,
    tolerances: dict[str, float] | None = None,
    on_fail: str = "raise",
    dims: Sequence[int] | None = None,
    **solver_options: Any,
) -> SteadyState:
    """Validated steady state of a Lindblad (or general) generator.

    Parameters
    ----------
    H : array (..., d, d), sparse matrix, qutip.Qobj, or Generator
        Hamiltonian (angular-frequency units, hbar = 1); leading axes of a dense array are a batch
        of parameter points solved together.  A :class:`~qness.Generator` or a superoperator
        ``Qobj`` is used as is.
    c_ops : sequence of operators
        Collapse operators ``sqrt(gamma_k) A_k`` (each ``(..., d, d)``, batch axes broadcast).
    correlated : sequence of ``(gamma, ops)``
        Correlated dissipators with Hermitian PSD rate matrices (see :func:`qness.liouvillian`).
    method : {'auto', 'dense', 'sparse', 'iterative'}
        ``auto`` picks dense (batched or ``d <= 16``), else iterative for Lindblad generators and
        sparse LU for general ones up to ``d = 64`` (see :func:`choose_method`).
    rho0 : (d, d) array, optional
        If the kernel is degenerate, return the state reached from ``rho0`` instead of raising
        :class:`~qness.NonUniqueSteadyStateError`.
    return_kernel : bool
        Attach a Hermitian basis of the kernel (``SteadyState.kernel``).
    tolerances : dict, optional
        Overrides of :data:`qness.steady.validate.DEFAULT_TOLERANCES` (``residual``, ``trace``,
        ``hermiticity``, ``positivity``, ``kernel``).
    on_fail : {'raise', 'flag', 'warn'}
        What to do when validation fails (default: raise :class:`~qness.SolverError`).
    solver_options
        Passed to the chosen solver (e.g. ``tol``, ``maxiter`` for the iterative one).

    Returns
    -------
    SteadyState
        ``rho`` plus diagnostics (``residual``, ``trace_error``, ``hermiticity_error``,
        ``min_eigenvalue``, ``kernel_dim``, ``method``, ``wall_time``, ``ok``).

    Raises
    ------
    NonUniqueSteadyStateError
        The kernel has dimension > 1 and neither ``rho0`` nor ``return_kernel`` was given.
    SolverError
        The result failed validation (residual, Hermiticity, positivity) and ``on_fail='raise'``.
    """
    if method not in METHODS:
        raise InvalidInputError(f"method must be one of {METHODS}, got {method!r}")
    if on_fail not in ("raise", "flag", "warn"):
        raise InvalidInputError(f"on_fail must be 'raise', 'flag' or 'warn', got {on_fail!r}")
    gen = _as_generator(H, c_ops, correlated, dims)
    if rho0 is not None:
        from .._checks import to_operator

        rho0 = to_operator(rho0, "rho0")
        rho0 = rho0.toarray() if hasattr(rho0, "toarray") else rho0
        if rho0.shape[-1] != gen.dim:
            raise InvalidInputError(
                f"rho0 has dimension {rho0.shape[-1]} but the generator acts on dimension "
                f"{gen.dim}")
    if method == "auto":
        method = choose_method(gen)
    common = {"rho0": rho0, "return_kernel": return_kernel, "tolerances": tolerances,
              "on_fail": on_fail}
    if method == "dense":
        ss = solve_dense(gen.dense(), dims=gen.dims, **common, **solver_options)
    elif method == "sparse":
        if gen.is_batched:
            raise InvalidInputError("method='sparse' does not take batched generators; "
                                    "use 'dense' or loop")
        ss = solve_sparse(gen.sparse(), dims=gen.dims, apply_L=gen.apply, **common,
                          **solver_options)
    else:
        from .iterative import solve_iterative

        ss = solve_iterative(gen, rho0=rho0, on_fail=on_fail, tolerances=tolerances,
                             **solver_options)
    return ss


__all__ = [
    "DEFAULT_TOLERANCES",
    "PermutationState",
    "SteadyState",
    "check_symmetry",
    "choose_method",
    "reflection",
    "solve_dense",
    "solve_sparse",
    "steadystate",
    "steadystate_permutation",
    "steadystate_symmetric",
    "translation",
]
