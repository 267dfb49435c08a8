"""Steady states of quadratic bosonic (Gaussian) open systems from a Lyapunov equation.

Conventions
-----------
* ``n`` bosonic modes with quadratures ``r = (x_1, p_1, x_2, p_2, ..., x_n, p_n)``,
  ``x = (a + a^dag)/sqrt(2)``, ``p = (a - a^dag)/(i sqrt(2))``, so ``[x, p] = i`` (hbar = 1) and
  ``[r_i, r_j] = i Omega_ij`` with ``Omega = direct sum of [[0, 1], [-1, 0]]``.
* Covariance matrix ``V_ij = 1/2 <{dr_i, dr_j}>`` with ``dr = r - <r>``: the vacuum has
  ``V = I/2``, a thermal mode with occupation ``n`` has ``V = (n + 1/2) I``; the uncertainty
  principle reads ``V + i Omega / 2 >= 0`` (every symplectic eigenvalue ``>= 1/2``).
* Mode vector ``xi = (a_1, ..., a_n, a_1^dag, ..., a_n^dag)``; a linear jump operator is given by
  its coefficients ``w`` over ``xi`` (``L = w . xi``), see :func:`annihilation`,
  :func:`creation`.

Master equation (energies and rates are angular frequencies, hbar = 1)::

    d rho/dt = -i[H, rho] + sum_k (L_k rho L_k^dag - 1/2 {L_k^dag L_k, rho}),
    H = 1/2 r^T G r + f^T r,      L_k = c_k . r  (c_k complex, including sqrt(rate_k)).

With ``M = sum_k c_k^* c_k^T`` (Hermitian, PSD) the first two moments obey

    d<r>/dt = A <r> + Omega f,      dV/dt = A V + V A^T + D,
    A = Omega (G + Im M),           D = Omega Re(M) Omega^T,

so a stable ``A`` (every eigenvalue with negative real part) has the unique steady state
``A V + V A^T + D = 0`` (solved with :func:`scipy.linalg.solve_continuous_lyapunov`) and
``<r> = -A^{-1} Omega f``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.linalg as sla

from ..errors import DimensionError, InvalidInputError, SolverError

#: Default validation tolerances of :func:`solve_gaussian` (relative to the matrix scales).
GAUSSIAN_TOLERANCES: dict[str, float] = {
    "residual": 1e-9,      # ||A V + V A^T + D||_F / (2 ||A||_F ||V||_F + ||D||_F)
    "symmetry": 1e-9,      # ||V - V^T||_max / ||V||_max of the raw Lyapunov solution
    "physicality": 1e-9,   # min eig(V + i Omega/2) >= -physicality * ||V||_2
    "stability": 1e-12,    # max Re eig(A) must be < -stability * ||A||_2
}


#: Above this quadrature dimension (2n) the Lyapunov equation is first solved in the eigenbasis.
EIG_MIN_DIM = 32


class UnstableSystemError(SolverError):
    """The drift matrix has an eigenvalue with non-negative real part: no steady state.

    Attributes
    ----------
    eigenvalue : complex
        The eigenvalue of the drift matrix with the largest real part (angular frequency).
    """

    def __init__(self, message: str, eigenvalue: complex):
        super().__init__(message)
        self.eigenvalue = eigenvalue


# --------------------------------------------------------------------------------------------
# building blocks
# --------------------------------------------------------------------------------------------
def symplectic_form(n_modes: int) -> np.ndarray:
    """``Omega`` for ``n_modes`` modes in the ordering ``(x_1, p_1, x_2, p_2, ...)``."""
    n = _check_n_modes(n_modes)
    return np.kron(np.eye(n), np.array([[0.0, 1.0], [-1.0, 0.0]]))


def mode_to_quadrature(n_modes: int) -> np.ndarray:
    """Matrix ``T`` (2n, 2n) with ``xi = T r``, ``xi = (a_1..a_n, a_1^dag..a_n^dag)``."""
    n = _check_n_modes(n_modes)
    T = np.zeros((2 * n, 2 * n), complex)
    s = 1 / np.sqrt(2.0)
    for j in range(n):
        T[j, 2 * j], T[j, 2 * j + 1] = s, 1j * s             # a_j = (x_j + i p_j)/sqrt(2)
        T[n + j, 2 * j], T[n + j, 2 * j + 1] = s, -1j * s    # a_j^dag = (x_j - i p_j)/sqrt(2)
    return T


def annihilation(n_modes: int, mode: int) -> np.ndarray:
    """Coefficients of ``a_mode`` over ``xi`` (combine linearly to build jump operators)."""
    n = _check_n_modes(n_modes)
    w = np.zeros(2 * n, complex)
    w[_check_mode(mode, n, "mode")] = 1.0
    return w


def creation(n_modes: int, mode: int) -> np.ndarray:
    """Coefficients of ``a_mode^dag`` over ``xi``."""
    n = _check_n_modes(n_modes)
    w = np.zeros(2 * n, complex)
    w[n + _check_mode(mode, n, "mode")] = 1.0
    return w


def adjoint_coefficients(w: np.ndarray) -> np.ndarray:
    """Coefficients of ``L^dag`` given those of ``L = w . xi``."""
    w = np.asarray(w, complex)
    n = w.shape[-1] // 2
    return np.concatenate([np.conj(w[n:]), np.conj(w[:n])])


def quadratic_hamiltonian(omega: Any, g: Any = None) -> np.ndarray:
    """Quadrature matrix ``G`` of ``H = sum_ij omega_ij a_i^dag a_j + 1/2 sum_ij (g_ij a_i^dag
    a_j^dag + h.c.)`` (up to a constant), so that ``H = 1/2 r^T G r + const``.

    Parameters
    ----------
    omega : (n, n) Hermitian array or (n,) real frequencies
        Number-conserving part (angular frequencies).
    g : (n, n) complex symmetric array, optional
        Pairing (two-mode squeezing) part; ``g_ij a_i^dag a_j^dag`` is counted for both orders,
        so a term ``G (a_1^dag a_2^dag + h.c.)`` has ``g_12 = g_21 = G``.
    """
    om = np.asarray(omega, complex)
    if om.ndim == 1:
        om = np.diag(om)
    if om.ndim != 2 or om.shape[0] != om.shape[1] or om.shape[0] == 0:
        raise DimensionError(f"omega must be (n,) or (n, n), got shape {om.shape}")
    _check_finite(om, "omega")
    if not np.allclose(om, om.conj().T, atol=1e-12 * max(1.0, np.abs(om).max())):
        raise InvalidInputError("omega must be Hermitian (omega_ij = conj(omega_ji))")
    n = om.shape[0]
    gg = np.zeros((n, n), complex) if g is None else np.asarray(g, complex)
    if gg.shape != (n, n):
        raise DimensionError(f"g must have shape ({n}, {n}) like omega, got {gg.shape}")
    _check_finite(gg, "g")
    if not np.allclose(gg, gg.T, atol=1e-12 * max(1.0, np.abs(gg).max())):
        raise InvalidInputError("g must be symmetric (g_ij = g_ji)")
    K = np.block([[om, gg], [gg.conj(), om.conj()]])
    T = mode_to_quadrature(n)
    G = T.conj().T @ K @ T
    return np.real(0.5 * (G + G.T))


def jump_quadrature_coefficients(w: Any) -> np.ndarray:
    """Quadrature coefficients ``c`` (``L = c . r``) of jumps ``L = w . xi`` (``w``: (..., 2n)).

    ``u a + v a^dag = (u + v)/sqrt(2) x + i (u - v)/sqrt(2) p`` mode by mode (``c = w T``).
    """
    w = np.asarray(w, complex)
    n2 = w.shape[-1]
    if n2 % 2 or n2 == 0:
        raise DimensionError(f"jump coefficients need an even length 2n, got {n2}")
    u, v = w[..., : n2 // 2], w[..., n2 // 2:]
    c = np.empty(w.shape, complex)
    c[..., 0::2] = (u + v) / np.sqrt(2.0)
    c[..., 1::2] = 1j * (u - v) / np.sqrt(2.0)
    return c


# --------------------------------------------------------------------------------------------
# the system
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class GaussianSystem:
    """A quadratic Hamiltonian with linear jump operators (see the module docstring).

    Attributes
    ----------
    G : (2n, 2n) real symmetric array
        ``H = 1/2 r^T G r + f^T r`` (angular frequencies).
    jumps : (m, 2n) complex array
        Row ``k`` holds ``c_k`` with ``L_k = c_k . r``, rates included (``c_k ~ sqrt(rate)``).
    force : (2n,) real array
        Linear Hamiltonian term ``f`` (coherent drives); zero when undriven.
    labels : tuple of str
        Mode names (``"a1"``, ``"b"``, ...).
    info : dict
        Free-form extras recorded by a model (parameters, derived quantities).
    """

    G: np.ndarray
    jumps: np.ndarray
    force: np.ndarray
    labels: tuple[str, ...] = ()
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        G = np.asarray(self.G)
        if G.ndim != 2 or G.shape[0] != G.shape[1] or G.shape[0] % 2 or G.shape[0] == 0:
            raise DimensionError(f"G must be a (2n, 2n) matrix, got shape {G.shape}")
        if np.iscomplexobj(G) and np.max(np.abs(G.imag), initial=0.0) > 1e-12 * max(
                1.0, np.abs(G).max()):
            raise InvalidInputError("G must be real (H = 1/2 r^T G r is Hermitian)")
        G = np.real(G).astype(float)
        _check_finite(G, "G")
        if not np.allclose(G, G.T, atol=1e-12 * max(1.0, np.abs(G).max())):
            raise InvalidInputError("G must be symmetric")
        n2 = G.shape[0]
        C = np.asarray(self.jumps, complex).reshape(-1, n2) if np.size(self.jumps) else \
            np.zeros((0, n2), complex)
        _check_finite(C, "jumps")
        f = np.zeros(n2) if self.force is None else np.asarray(self.force, float)
        if f.shape != (n2,):
            raise DimensionError(f"force must have shape ({n2},), got {f.shape}")
        _check_finite(f, "force")
        labels = tuple(self.labels) or tuple(f"mode{j}" for j in range(n2 // 2))
        if len(labels) != n2 // 2:
            raise DimensionError(f"labels must name {n2 // 2} modes, got {len(labels)}")
        object.__setattr__(self, "G", 0.5 * (G + G.T))
        object.__setattr__(self, "jumps", C)
        object.__setattr__(self, "force", f)
        object.__setattr__(self, "labels", labels)

    # -- constructors -------------------------------------------------------------------------
    @classmethod
    def from_quadratures(cls, G: Any, jumps: Sequence[Any] | np.ndarray = (),
                         force: Any = None, labels: Sequence[str] = (),
                         info: Mapping[str, Any] | None = None) -> GaussianSystem:
        """From ``G`` (2n, 2n) and quadrature jump coefficients ``c_k`` (rates included)."""
        G = np.asarray(G)
        n2 = G.shape[-1] if G.ndim == 2 else 0
        C = np.array([np.asarray(c, complex) for c in jumps]).reshape(-1, n2) if len(jumps) \
            else np.zeros((0, n2), complex)
        return cls(G=G, jumps=C, force=force, labels=tuple(labels), info=dict(info or {}))

    @classmethod
    def from_modes(cls, omega: Any, g: Any = None, *,
                   jumps: Sequence[tuple[float, Any]] = (),
                   thermal: Sequence[tuple[float, float, Any]] = (),
                   drive: Any = None, labels: Sequence[str] = (),
                   info: Mapping[str, Any] | None = None) -> GaussianSystem:
        """From mode matrices and linear dissipators.

        Parameters
        ----------
        omega, g
            Hamiltonian, see :func:`quadratic_hamiltonian`.
        jumps : sequence of ``(rate, w)``
            Dissipator ``rate D[w . xi]`` (``rate >= 0``, angular frequency).
        thermal : sequence of ``(rate, n_th, w)``
            ``rate (n_th + 1) D[L] + rate n_th D[L^dag]`` with ``L = w . xi`` (``n_th >= 0``).
        drive : (n,) complex array, optional
            ``H_drive = sum_j (drive_j a_j^dag + conj(drive_j) a_j)``.
        """
        G = quadratic_hamiltonian(omega, g)
        n = G.shape[0] // 2
        rows: list[np.ndarray] = []
        for k, item in enumerate(jumps):
            rate, w = _unpack(item, 2, f"jumps[{k}]")
            rows.append(np.sqrt(_rate(rate, f"jumps[{k}] rate")) * _coeffs(w, n, f"jumps[{k}]"))
        for k, item in enumerate(thermal):
            rate, nth, w = _unpack(item, 3, f"thermal[{k}]")
            rate = _rate(rate, f"thermal[{k}] rate")
            nth = _rate(nth, f"thermal[{k}] n_th")
            w = _coeffs(w, n, f"thermal[{k}]")
            rows.append(np.sqrt(rate * (nth + 1)) * w)
            if nth > 0:
                rows.append(np.sqrt(rate * nth) * adjoint_coefficients(w))
        C = jump_quadrature_coefficients(np.array(rows).reshape(-1, 2 * n))
        f = np.zeros(2 * n)
        if drive is not None:
            eps = np.asarray(drive, complex).reshape(-1)
            if eps.shape != (n,):
                raise DimensionError(f"drive must have shape ({n},), got {eps.shape}")
            _check_finite(eps, "drive")
            f[0::2], f[1::2] = np.sqrt(2) * eps.real, np.sqrt(2) * eps.imag
        return cls(G=G, jumps=C, force=f, labels=tuple(labels), info=dict(info or {}))

    # -- derived matrices --------------------------------------------------------------------
    @property
    def n_modes(self) -> int:
        return self.G.shape[0] // 2

    @property
    def omega(self) -> np.ndarray:
        """The symplectic form ``Omega``."""
        return symplectic_form(self.n_modes)

    @property
    def dissipation_matrix(self) -> np.ndarray:
        """``M = sum_k c_k^* c_k^T`` (Hermitian PSD)."""
        C = self.jumps
        return C.conj().T @ C

    @property
    def drift(self) -> np.ndarray:
        """``A = Omega (G + Im M)``."""
        return self.omega @ (self.G + self.dissipation_matrix.imag)

    @property
    def diffusion(self) -> np.ndarray:
        """``D = Omega Re(M) Omega^T`` (real symmetric PSD)."""
        Om = self.omega
        D = Om @ self.dissipation_matrix.real @ Om.T
        return 0.5 * (D + D.T)

    @property
    def drive_vector(self) -> np.ndarray:
        """``b = Omega f`` in ``d<r>/dt = A <r> + b``."""
        return self.omega @ self.force


# --------------------------------------------------------------------------------------------
# the steady state
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class GaussianSteadyState:
    """Validated Gaussian steady state.

    Attributes
    ----------
    covariance : (2n, 2n) array
        ``V_ij = 1/2 <{dr_i, dr_j}>`` (vacuum ``I/2``), symmetrised.
    means : (2n,) array
        ``<r>`` (zero without linear drives).
    residual : float
        ``||A V + V A^T + D||_F / (2 ||A||_F ||V||_F + ||D||_F)``.
    symmetry_error : float
        ``max |V - V^T| / max |V|`` of the raw solution.
    min_symplectic_eigenvalue : float
        Smallest symplectic eigenvalue (``>= 1/2`` for a physical state).
    min_uncertainty_eigenvalue : float
        Smallest eigenvalue of ``V + i Omega/2`` (``>= 0`` for a physical state).
    stability_margin : float
        ``-max Re eig(A)`` (> 0): the slowest relaxation rate (angular frequency).
    slowest_eigenvalue : complex
        The eigenvalue of ``A`` with the largest real part.
    method : str
    wall_time : float
        Seconds for the solve and its validation.
    ok : bool
        True when every check passed.
    labels : tuple of str
    info : dict
    """

    covariance: np.ndarray
    means: np.ndarray
    residual: float
    symmetry_error: float
    min_symplectic_eigenvalue: float
    min_uncertainty_eigenvalue: float
    stability_margin: float
    slowest_eigenvalue: complex
    method: str
    wall_time: float
    ok: bool
    labels: tuple[str, ...] = ()
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def n_modes(self) -> int:
        return self.covariance.shape[0] // 2

    def mode_indices(self, modes: Sequence[int | str]) -> list[int]:
        """Mode numbers for ``modes`` given as indices or labels."""
        out = []
        for m in modes:
            if isinstance(m, str):
                if m not in self.labels:
                    raise InvalidInputError(f"unknown mode label {m!r}; known: {self.labels}")
                out.append(self.labels.index(m))
            else:
                out.append(_check_mode(m, self.n_modes, "modes"))
        return out

    def reduced_covariance(self, modes: Sequence[int | str]) -> np.ndarray:
        """Covariance of the listed modes (the others traced out), in the given order."""
        idx = [q for m in self.mode_indices(modes) for q in (2 * m, 2 * m + 1)]
        return self.covariance[np.ix_(idx, idx)]

    def occupations(self) -> np.ndarray:
        """Mean excitation numbers ``<a_j^dag a_j>`` (fluctuations plus displacement)."""
        d = np.diag(self.covariance)
        m2 = self.means ** 2
        return 0.5 * (d[0::2] + d[1::2] + m2[0::2] + m2[1::2]) - 0.5

    def diagnostics(self) -> dict[str, Any]:
        """JSON-ready diagnostics (for the CLI)."""
        return {
            "residual": float(self.residual), "symmetry_error": float(self.symmetry_error),
            "min_symplectic_eigenvalue": float(self.min_symplectic_eigenvalue),
            "min_uncertainty_eigenvalue": float(self.min_uncertainty_eigenvalue),
            "stability_margin": float(self.stability_margin),
            "slowest_eigenvalue": {"real": float(np.real(self.slowest_eigenvalue)),
                                   "imag": float(np.imag(self.slowest_eigenvalue))},
            "method": self.method, "wall_time_s": float(self.wall_time), "validated": self.ok,
            "n_modes": self.n_modes,
        }

    def summary(self) -> str:
        d = self.diagnostics()
        return "\n".join(f"{k:<28} {v}" for k, v in d.items())


def solve_gaussian(system: GaussianSystem, *, tolerances: Mapping[str, float] | None = None,
                   on_fail: str = "raise") -> GaussianSteadyState:
    """Steady state of a :class:`GaussianSystem` from the Lyapunov equation.

    Parameters
    ----------
    system : GaussianSystem
    tolerances : dict, optional
        Overrides of :data:`GAUSSIAN_TOLERANCES`.
    on_fail : {'raise', 'flag', 'warn'}
        What to do when a validation check fails (instability always raises).

    Raises
    ------
    UnstableSystemError
        An eigenvalue of the drift matrix has real part ``>= 0`` (names it).
    SolverError
        The solution failed validation (residual, symmetry, uncertainty principle).
    """
    if not isinstance(system, GaussianSystem):
        raise InvalidInputError(
            f"system must be a GaussianSystem, got {type(system).__name__}")
    if on_fail not in ("raise", "flag", "warn"):
        raise InvalidInputError(f"on_fail must be 'raise', 'flag' or 'warn', got {on_fail!r}")
    tol = {**GAUSSIAN_TOLERANCES, **(tolerances or {})}
    t0 = time.perf_counter()
    A, D = system.drift, system.diffusion
    eig = np.linalg.eig(A) if A.shape[0] > EIG_MIN_DIM else None
    slowest = check_stability(A, tol["stability"],
                              eigenvalues=None if eig is None else eig[0])
    V_raw, method = _lyapunov(A, D, eig, 0.1 * tol["residual"])
    scale = max(np.max(np.abs(V_raw)), 1e-300)
    sym_err = float(np.max(np.abs(V_raw - V_raw.T)) / scale)
    V = 0.5 * (V_raw + V_raw.T)
    means = np.linalg.solve(A, -system.drive_vector) if np.any(system.force) else \
        np.zeros(A.shape[0])
    residual = lyapunov_residual(A, V, D)
    Om = system.omega
    min_unc = float(np.linalg.eigvalsh(V + 0.5j * Om)[0])
    nu_min = float(_symplectic_min(V))
    norm_V = float(np.linalg.norm(V, 2))
    ok = bool(np.isfinite(residual) and residual <= tol["residual"]
              and sym_err <= tol["symmetry"] and min_unc >= -tol["physicality"] * norm_V)
    state = GaussianSteadyState(
        covariance=V, means=means, residual=residual, symmetry_error=sym_err,
        min_symplectic_eigenvalue=nu_min, min_uncertainty_eigenvalue=min_unc,
        stability_margin=float(-np.real(slowest)), slowest_eigenvalue=complex(slowest),
        method=method, wall_time=time.perf_counter() - t0, ok=ok,
        labels=system.labels, info={"tolerances": tol})
    if not ok and on_fail != "flag":
        msg = (f"Gaussian steady state failed validation: residual {residual:.3g} "
               f"(tol {tol['residual']:g}), symmetry error {sym_err:.3g}, min eig of "
               f"V + i Omega/2 {min_unc:.3g}. Pass on_fail='flag' to receive it with ok=False.")
        if on_fail == "raise":
            err = SolverError(msg)
            err.result = state  # type: ignore[attr-defined]
            raise err
        import warnings

        warnings.warn(msg, RuntimeWarning, stacklevel=2)
    return state


def check_stability(A: np.ndarray, rtol: float = GAUSSIAN_TOLERANCES["stability"], *,
                    eigenvalues: np.ndarray | None = None) -> complex:
    """Return the eigenvalue of ``A`` with the largest real part; raise unless it is negative.

    Raises
    ------
    UnstableSystemError
        ``max Re eig(A) >= -rtol ||A||_F`` (unstable or marginally stable: no unique steady
        state); the message names the eigenvalue.
    """
    ev = np.linalg.eigvals(A) if eigenvalues is None else np.asarray(eigenvalues)
    worst = ev[np.argmax(ev.real)]
    norm = max(float(np.linalg.norm(A)), 1e-300)
    if not worst.real < -rtol * norm:
        kind = "unstable" if worst.real > rtol * norm else "marginally stable"
        raise UnstableSystemError(
            f"the Gaussian system is {kind}: the drift matrix has the eigenvalue "
            f"{worst.real:.6g}{worst.imag:+.6g}j with real part >= 0 (needs < 0 for a steady "
            "state); add damping to every mode or reduce the amplifying (pairing) couplings",
            complex(worst))
    return complex(worst)


def _lyapunov(A: np.ndarray, D: np.ndarray, eig: tuple[np.ndarray, np.ndarray] | None,
              target: float) -> tuple[np.ndarray, str]:
    """Solve ``A V + V A^T + D = 0``.

    Large systems first try the eigenbasis of ``A`` (``A = S diag(l) S^-1``:
    ``V = -S [(S^-1 D S^-T)_ij / (l_i + l_j)] S^T``, a few dense products, much faster than
    LAPACK's unblocked Bartels-Stewart ``trsyl``) and keep it when its relative residual is below
    ``target``; otherwise (or for small systems) Bartels-Stewart via
    :func:`scipy.linalg.solve_continuous_lyapunov`.
    """
    if eig is not None:
        lam, S = eig
        with np.errstate(all="ignore"):
            Sinv = np.linalg.inv(S)
            X = -(Sinv @ D @ Sinv.T) / (lam[:, None] + lam[None, :])
            V = S @ X @ S.T
        if np.all(np.isfinite(V)):
            imag = np.max(np.abs(V.imag)) / max(np.max(np.abs(V.real)), 1e-300)
            V = V.real
            if imag < target and lyapunov_residual(A, V, D) < target:
                return V, "gaussian-lyapunov-eig"
    return sla.solve_continuous_lyapunov(A, -D), "gaussian-lyapunov-schur"


def lyapunov_residual(A: np.ndarray, V: np.ndarray, D: np.ndarray) -> float:
    """Relative residual ``||A V + V A^T + D||_F / (2 ||A||_F ||V||_F + ||D||_F)``."""
    R = A @ V + V @ A.T + D
    den = 2 * np.linalg.norm(A) * np.linalg.norm(V) + np.linalg.norm(D)
    return float(np.linalg.norm(R) / max(den, 1e-300))


def _symplectic_min(V: np.ndarray) -> float:
    """Smallest symplectic eigenvalue: the spectrum of ``V^{1/2} (i Omega) V^{1/2}`` is
    ``+-nu_k`` (needs ``V > 0``; returns ``nan`` otherwise)."""
    s, U = np.linalg.eigh(V)
    if s[0] <= 0:
        return float("nan")
    half = (U * np.sqrt(s)) @ U.T
    ev = np.linalg.eigvalsh(half @ (1j * symplectic_form(V.shape[0] // 2)) @ half)
    return float(ev[V.shape[0] // 2])


# --------------------------------------------------------------------------------------------
# input helpers
# --------------------------------------------------------------------------------------------
def _check_n_modes(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InvalidInputError(f"n_modes must be an integer >= 1, got {n!r}")
    return int(n)


def _check_mode(m: Any, n: int, name: str) -> int:
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or not 0 <= m < n:
        raise InvalidInputError(f"{name} must be an integer in [0, {n - 1}], got {m!r}")
    return int(m)


def _check_finite(a: np.ndarray, name: str) -> None:
    if not np.all(np.isfinite(a)):
        raise InvalidInputError(f"{name} contains NaN or infinite entries")


def _rate(value: Any, name: str) -> float:
    v = float(value)
    if not np.isfinite(v) or v < 0:
        raise InvalidInputError(f"{name} must be finite and >= 0, got {value!r}")
    return v


def _unpack(item: Any, k: int, name: str) -> tuple[Any, ...]:
    try:
        out = tuple(item)
    except TypeError:
        out = ()
    if len(out) != k:
        raise InvalidInputError(f"{name} must be a tuple of {k} entries, got {item!r}")
    return out


def _coeffs(w: Any, n: int, name: str) -> np.ndarray:
    w = np.asarray(w, complex).reshape(-1)
    if w.shape != (2 * n,):
        raise DimensionError(f"{name}: jump coefficients must have length {2 * n} "
                             f"(over a_1..a_n, a_1^dag..a_n^dag), got {w.shape[0]}")
    _check_finite(w, name)
    return w


__all__ = ["GAUSSIAN_TOLERANCES", "GaussianSteadyState", "GaussianSystem",
           "UnstableSystemError", "adjoint_coefficients", "annihilation", "check_stability",
           "creation", "jump_quadrature_coefficients", "lyapunov_residual",
           "mode_to_quadrature", "quadratic_hamiltonian", "solve_gaussian", "symplectic_form"]
