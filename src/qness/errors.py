"""Exceptions raised by qness.

Every input check raises a subclass of :class:`ValueError` whose message names the offending
argument and the condition it violates, so that a user sees *what* to change.
"""

from __future__ import annotations


class QnessError(Exception):
    """Base class of every qness-specific error."""


class InvalidInputError(QnessError, ValueError):
    """An argument is malformed or unphysical (the message names it and the allowed range)."""


class DimensionError(InvalidInputError):
    """Operators or states have shapes that do not fit together."""


class SolverError(QnessError, RuntimeError):
    """A solver failed to produce a validated result (residual, trace, positivity)."""


class NonUniqueSteadyStateError(SolverError):
    """The generator has a degenerate kernel: the steady state depends on the initial state.

    Attributes
    ----------
    kernel_dim : int or numpy.ndarray
        Dimension of the numerical kernel (per batch element for batched solves).
    singular_values : numpy.ndarray or None
        The smallest singular values of the generator, relative to the largest.
    """

    def __init__(self, message: str, kernel_dim, singular_values=None):
        super().__init__(message)
        self.kernel_dim = kernel_dim
        self.singular_values = singular_values


class ConvergenceError(SolverError):
    """An iterative solver did not reach its residual target."""


class MemoryEstimateError(SolverError, MemoryError):
    """A requested computation would need more memory than allowed (the message gives sizes)."""
