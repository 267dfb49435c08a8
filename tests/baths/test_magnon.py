"""Tests of the spin-pumped magnet bath (qness.baths.magnon) against independent quadratures,
analytic limits and the fluctuation-dissipation / KMS relations."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.integrate as si
import scipy.special as sps

from qness.baths import magnon as mg
from qness.errors import InvalidInputError

BATH = {"eps0": 1.0, "D": 1.3, "alpha": 2e-3, "mu": 0.4}


def mode_reduced(k, omega, eps0, D, alpha, mu):
    """Reduced spectral function of one mode: 2 alpha / ((w - eps_k)^2 + alpha^2 (w - mu)^2)."""
    return 2 * alpha / ((omega - eps0 - D * k**2) ** 2 + (alpha * (omega - mu)) ** 2)


def mode_re_green(k, omega, eps0, D, alpha, mu):
    det = omega - eps0 - D * k**2
    return det / (det**2 + (alpha * (omega - mu)) ** 2)


def oscillatory(f, r: float) -> float:
    """int_0^inf f(k) dk for an integrand oscillating with period 2 pi / r (mpmath.quadosc)."""
    with mpmath.workdps(20):
        return float(mpmath.quadosc(f, [0, mpmath.inf], omega=r))


# ------------------------------------------------------------------ closed forms vs k-integrals
@pytest.mark.parametrize("omega", [-1.5, 0.2, 0.9])
@pytest.mark.parametrize("r", [0.3, 2.0])
def test_1d_closed_form_equals_fourier_integral(omega, r):
    # d = 1: At(w, r) = int dk/2pi cos(k r) At_k  (mpmath oscillatory quadrature)
    num = oscillatory(lambda k: mode_reduced(k, omega, **BATH) * mpmath.cos(k * r) / mpmath.pi, r)
    closed = mg.reduced_spectral(omega, r, dim=1, **BATH)
    assert closed == pytest.approx(num, rel=1e-9)
    num_g = oscillatory(lambda k: mode_re_green(k, omega, **BATH) * mpmath.cos(k * r) / mpmath.pi,
                        r)
    assert mg.green_retarded(omega, r, dim=1, **BATH).real == pytest.approx(num_g, rel=1e-9)


@pytest.mark.parametrize("omega", [-1.5, 0.2, 0.9])
@pytest.mark.parametrize("r", [0.3, 2.0])
def test_3d_closed_form_equals_sine_integral(omega, r):
    # d = 3: At(w, r) = 1/(2 pi^2 r) int k sin(k r) At_k dk
    num = oscillatory(lambda k: k * mode_reduced(k, omega, **BATH) * mpmath.sin(k * r)
                      / (2 * mpmath.pi**2 * r), r)
    assert mg.reduced_spectral(omega, r, dim=3, **BATH) == pytest.approx(num, rel=1e-9)


@pytest.mark.parametrize("omega", [-1.0, 0.5, 0.95])
@pytest.mark.parametrize("r", [0.0, 0.4, 1.5])
def test_2d_closed_form_equals_hankel_quad_below_band(omega, r):
    # below the band the integrand is smooth: independent adaptive quadratures
    if r == 0:
        f = lambda k: k / (2 * np.pi) * mode_reduced(k, omega, **BATH)  # noqa: E731
        num = si.quad(f, 0, np.inf, limit=500, epsabs=0, epsrel=1e-12)[0]
    else:
        num = oscillatory(lambda k: k / (2 * mpmath.pi) * mpmath.besselj(0, k * r)
                          * mode_reduced(k, omega, **BATH), r)
    assert mg.reduced_spectral(omega, r, dim=2, **BATH) == pytest.approx(num, rel=1e-9)


@pytest.mark.parametrize("omega", [-1.0, 0.4, 0.97, 1.0, 1.3, 4.0])
@pytest.mark.parametrize("r", [0.0, 0.5, 3.0])
def test_2d_film_hankel_transform_with_contact_form_factor(omega, r):
    # in and below the band (resonant Lorentzian of width alpha (w - mu)), with J0 oscillations
    closed = mg.reduced_spectral(omega, r, dim=2, **BATH)
    num = mg.film_kernel(omega, r, **BATH)
    assert num == pytest.approx(closed, rel=1e-7, abs=1e-10 * abs(mg.reduced_spectral(
        omega, 0.0, dim=2, **BATH)))
    if r > 0:
        g_closed = mg.green_retarded(omega, r, dim=2, **BATH).real
        g_num = mg.film_kernel(omega, r, quantity="re_green", **BATH)
        assert g_num == pytest.approx(g_closed, rel=1e-6, abs=1e-9)


def test_dipolar_kernel_tends_to_contact_for_thick_film_at_small_height():
    r, omega = 1.0, 0.8
    contact = mg.reduced_spectral(omega, r, dim=2, **BATH)
    errs = []
    for h in (1e-2, 1e-3):
        ff = lambda k, h=h: mg.dipolar_form_factor(k, thickness=1e3, height=h)  # noqa: E731
        errs.append(abs(mg.film_kernel(omega, r, form_factor=ff, k_max=60 / h, **BATH)
                        / contact - 1))
    assert errs[1] < 2e-3
    assert errs[1] < errs[0] / 5  # converges as h -> 0


def test_dipolar_kernel_matches_adaptive_quadrature():
    d, h, r, omega = 0.5, 0.3, 1.2, 0.6
    ff = lambda k: mg.dipolar_form_factor(k, d, h)  # noqa: E731
    f = lambda k: k / (2 * np.pi) * ff(k) * sps.j0(k * r) * mode_reduced(k, omega, **BATH)  # noqa: E731
    num = si.quad(f, 0, 200, limit=800, epsabs=0, epsrel=1e-11)[0]
    assert mg.film_kernel(omega, r, form_factor=ff, **BATH) == pytest.approx(num, rel=1e-8)
    # the 2x2 matrix of a film kernel is positive semidefinite
    k0 = mg.film_kernel(omega, 0.0, form_factor=ff, **BATH)
    assert abs(mg.film_kernel(omega, r, form_factor=ff, **BATH)) <= k0


# ------------------------------------------------------------------ analytic limits
@pytest.mark.parametrize("dim", [1, 2, 3])
def test_small_damping_limit_matches_normalized_kernels(dim):
    eps0, D, alpha, mu, omega = 1.0, 1.0, 1e-7, 0.3, 0.7
    kappa = np.sqrt((eps0 - omega) / D)
    r = np.array([0.0, 0.2, 1.0, 4.0])
    x = kappa * r
    c = {1: np.exp(-x) * (1 + x), 2: np.where(x > 0, x * sps.k1(np.where(x > 0, x, 1)), 1.0),
         3: np.exp(-x)}[dim]
    pref = {1: 1 / (2 * D * kappa), 2: 1 / (2 * np.pi * D), 3: kappa / (4 * np.pi * D)}[dim]
    expected = alpha * c / (eps0 - omega) * pref
    got = mg.reduced_spectral(omega, r, eps0=eps0, D=D, alpha=alpha, mu=mu, dim=dim)
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_local_spectral_function_closed_forms_and_continuity_in_r():
    omega = np.array([-2.0, 0.1, 0.99, 1.2, 3.0])
    z = BATH["eps0"] - omega - 1j * BATH["alpha"] * (omega - BATH["mu"])
    q = np.sqrt(z / BATH["D"])
    D = BATH["D"]
    expected = {1: (1 / q).imag / D, 2: -np.angle(z) / (2 * np.pi * D),
                3: -q.imag / (2 * np.pi * D)}
    for dim in (1, 2, 3):
        a0 = mg.spectral(omega, 0.0, dim=dim, **BATH)
        np.testing.assert_allclose(a0, expected[dim], rtol=1e-12)
        assert np.all(np.sign(a0) == np.sign(omega - BATH["mu"]))
        np.testing.assert_allclose(mg.spectral(omega, 1e-7, dim=dim, **BATH), a0, rtol=1e-5)


def test_reduced_spectral_smooth_through_omega_equal_mu():
    mu = BATH["mu"]
    om = mu + np.array([-1e-6, -1e-12, 0.0, 1e-12, 1e-6])
    for dim in (1, 2, 3):
        for r in (0.0, 0.7):
            at = mg.reduced_spectral(om, r, dim=dim, **BATH)
            assert np.all(np.isfinite(at)) and np.all(at > 0)
            np.testing.assert_allclose(at, at[2], rtol=1e-4)


def test_band_edge_correlation_length():
    kw = {k: BATH[k] for k in ("eps0", "D", "alpha", "mu")}
    xi = mg.correlation_length(BATH["eps0"], **kw)
    edge = np.sqrt(2 * BATH["D"] / (BATH["alpha"] * (BATH["eps0"] - BATH["mu"])))
    assert xi == pytest.approx(edge)
    # below the gap xi ~ sqrt(D / (eps0 - w)); it grows as mu -> eps0 at the band edge
    assert mg.correlation_length(0.5, **kw) == pytest.approx(np.sqrt(BATH["D"] / 0.5), rel=1e-5)
    xi2 = mg.correlation_length(1.0, **{**kw, "mu": 0.99})
    assert xi2 > 5 * xi


# ------------------------------------------------------------------ thermal factors / KMS
def test_kms_ratio_exact_and_positivity():
    rng = np.random.default_rng(1)
    om = rng.uniform(-3, 3, 50)
    T = rng.uniform(0.01, 2, 50)
    for dim in (1, 2, 3):
        sg = mg.s_greater(om, 0.0, T=T, dim=dim, **BATH)
        sl = mg.s_lesser(om, 0.0, T=T, dim=dim, **BATH)
        assert np.all(sg >= 0) and np.all(sl >= 0)
        np.testing.assert_allclose(sl, sg * np.exp(-(om - BATH["mu"]) / T), rtol=1e-12)
        # fluctuation-dissipation: S> - S< = A
        np.testing.assert_allclose(sg - sl, mg.spectral(om, 0.0, dim=dim, **BATH),
                                   rtol=1e-10, atol=1e-14)


def test_zero_temperature_and_omega_equal_mu_are_regular():
    om = np.array([-1.0, BATH["mu"], 0.9])
    sg = mg.s_greater(om, 0.0, T=0.0, **BATH)
    sl = mg.s_lesser(om, 0.0, T=0.0, **BATH)
    assert np.all(np.isfinite(sg)) and np.all(np.isfinite(sl))
    assert sg[0] == 0 and sl[2] == 0 and sg[1] == 0 and sl[1] == 0
    assert sg[2] > 0 and sl[0] > 0
    # at omega = mu and T > 0 both equal At * T
    at = mg.reduced_spectral(BATH["mu"], 0.0, **BATH)
    assert mg.s_greater(BATH["mu"], 0.0, T=0.3, **BATH) == pytest.approx(at * 0.3)
    assert mg.s_lesser(BATH["mu"], 0.0, T=0.3, **BATH) == pytest.approx(at * 0.3)


def test_thermal_factors_extreme_arguments_do_not_warn():
    x = np.array([-1e5, -1.0, 0.0, 1.0, 1e5])
    with np.errstate(all="raise"):
        fp, fm = mg.f_plus(x, 1e-3), mg.f_minus(x, 1e-3)
    np.testing.assert_allclose(fp - fm, x, atol=1e-12)
    assert fm[-1] == 0 and fp[0] == 0


def test_rate_matrices_positive_semidefinite():
    om = np.linspace(-3, 4, 41)[:, None]
    r = np.array([0.1, 0.5, 2.0, 8.0])[None, :]
    for dim in (1, 2, 3):
        a0 = mg.reduced_spectral(om, 0.0, dim=dim, **BATH)
        ar = mg.reduced_spectral(om, r, dim=dim, **BATH)
        assert np.all(a0 > 0)
        assert np.all(np.abs(ar) <= a0 * (1 + 1e-12))


# ------------------------------------------------------------------ two-magnon spectrum
def test_two_magnon_spectrum_detailed_balance():
    kw = {**BATH, "mu": 0.3}
    for T in (0.05, 0.4):
        W = np.array([0.2, 0.8])
        sp = mg.two_magnon_spectrum(W, np.array([[0.0], [0.6]]), T=T, **kw)
        sm = mg.two_magnon_spectrum(-W, np.array([[0.0], [0.6]]), T=T, **kw)
        assert np.all(sp[0] > 0)
        np.testing.assert_allclose(sm, sp * np.exp(-W / T), rtol=1e-6)
    assert mg.two_magnon_spectrum(-0.3, 0.0, T=0.0, **kw) == 0.0
    assert mg.two_magnon_spectrum(0.3, 0.0, T=0.0, **kw) > 0


# ------------------------------------------------------------------ vectorisation
def test_broadcasting_matches_scalar_evaluation():
    om = np.array([-0.5, 0.3, 0.95])[:, None, None]
    r = np.array([0.0, 1.0])[None, :, None]
    mu = np.array([-1.0, 0.2, 0.9])[None, None, :]
    got = mg.s_greater(om, r, eps0=1.0, D=1.0, alpha=1e-3, mu=mu, T=0.1, dim=2)
    assert got.shape == (3, 2, 3)
    for i, j, k in np.ndindex(got.shape):
        one = mg.s_greater(float(om[i, 0, 0]), float(r[0, j, 0]), eps0=1.0, D=1.0, alpha=1e-3,
                           mu=float(mu[0, 0, k]), T=0.1, dim=2)
        assert got[i, j, k] == pytest.approx(float(one), rel=1e-14)


def test_magnon_film_object():
    film = mg.MagnonFilm(eps0=1.0, D=2.0, alpha=1e-3, mu=0.5, T=0.1, dim=3)
    assert film.length_unit == pytest.approx(np.sqrt(2.0))
    np.testing.assert_allclose(film.s_greater(0.7, 0.5),
                               mg.s_greater(0.7, 0.5, eps0=1.0, D=2.0, alpha=1e-3, mu=0.5,
                                            T=0.1, dim=3))


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("kwargs, words", [
    ({"mu": 1.0}, ["mu", "eps0"]),
    ({"mu": 1.5}, ["mu", "eps0"]),
    ({"alpha": -1e-3}, ["alpha"]),
    ({"D": 0.0}, ["D"]),
    ({"eps0": -1.0}, ["eps0"]),
])
def test_bad_bath_parameters_raise(kwargs, words):
    kw = {**BATH, **kwargs}
    with pytest.raises(InvalidInputError) as exc:
        mg.reduced_spectral(0.5, 0.0, **kw)
    for w in words:
        assert w in str(exc.value)


def test_other_bad_inputs_raise():
    with pytest.raises(InvalidInputError, match="T"):
        mg.s_greater(0.5, 0.0, T=-0.1, **BATH)
    with pytest.raises(InvalidInputError, match="dim"):
        mg.reduced_spectral(0.5, 0.0, dim=4, **BATH)
    with pytest.raises(InvalidInputError, match="distance"):
        mg.reduced_spectral(0.5, -1.0, **BATH)
    with pytest.raises(InvalidInputError, match="r must be > 0"):
        mg.green_retarded(0.5, 0.0, dim=2, **BATH)  # coinciding positions: divergent Lamb shift
    with pytest.raises(InvalidInputError, match="thickness"):
        mg.dipolar_form_factor(1.0, thickness=-1.0, height=0.1)
    with pytest.raises(InvalidInputError, match="height"):
        mg.dipolar_form_factor(1.0, thickness=1.0, height=-0.1)
    with pytest.raises(InvalidInputError, match="mu"):
        mg.MagnonFilm(mu=2.0)


# ------------------------------------------------------------------ two-magnon quadrature
def test_vectorised_two_magnon_quadrature_agrees_with_adaptive_quad():
    # two different quadratures of the same Wick integral: graded Gauss-Legendre panels
    # (vectorised) and adaptive scipy quad, over dimensions, distances, T = 0 and T > 0
    rng = np.random.default_rng(11)
    for dim in (1, 2, 3):
        for _ in range(8):
            mu = rng.choice([rng.uniform(-3.0, 0.9), 1.0 - 10 ** rng.uniform(-4, -1)])
            kw = {"eps0": 1.0, "D": rng.uniform(0.5, 2.0), "alpha": 10 ** rng.uniform(-4, -1.5),
                  "mu": mu, "T": rng.choice([0.0, 10 ** rng.uniform(-4, 0)]), "dim": dim}
            W = rng.choice([0.99, 0.3, 0.0, 2.5])
            r = rng.choice([0.0, rng.uniform(0.05, 5.0)])
            fast = mg.two_magnon_spectrum(W, r, **kw)
            ref = mg.two_magnon_spectrum(W, r, method="quad", rtol=1e-10, **kw)
            assert fast == pytest.approx(ref, rel=1e-7, abs=1e-300)
    with pytest.raises(InvalidInputError, match="method"):
        mg.two_magnon_spectrum(0.5, 0.0, method="simpson", T=0.1, **BATH)


def test_vectorised_two_magnon_batches_equal_pointwise():
    mu = np.array([-2.0, 0.5, 0.999])[:, None]
    r = np.array([0.0, 0.7])[None, :]
    kw = {"eps0": 1.0, "D": 1.0, "alpha": 1e-3, "T": 0.02, "dim": 2}
    got = mg.two_magnon_spectrum(0.99, r, mu=mu, **kw)
    assert got.shape == (3, 2)
    for i, j in np.ndindex(3, 2):
        one = mg.two_magnon_spectrum(0.99, float(r[0, j]), mu=float(mu[i, 0]), **kw)
        assert got[i, j] == pytest.approx(float(one), rel=1e-12)


# ------------------------------------------------------------------ microscopic couplings
def _exchange_read_off(sq: list[np.ndarray], J: tuple[float, float, float], S: float) -> dict:
    """Coefficients of H = sum_a J_a s_q^a S^a read off exact matrix elements.

    ``sq``: the qubit's lab-frame spin components in the basis (|e>, |g>).  The magnet is a spin
    S along +z (qutip.jmat, |S, S - n> = n magnons): its matrix elements between n = 0, 1 are
    those of the Holstein-Primakoff expansion exactly (S^- |S, S> = sqrt(2S) |S, S-1>).
    """
    import qutip

    big = [qutip.jmat(S, c).full() for c in "xyz"]
    H = sum(j * np.kron(a, b) for j, a, b in zip(J, sq, big, strict=True))
    d = big[0].shape[0]

    def el(q1, n1, q2, n2):
        return H[q1 * d + n1, q2 * d + n2]

    e, g = 0, 1
    return {
        "g_c": el(e, 0, g, 1),                   # sigma^+ psi
        "g_n": el(e, 1, g, 0),                   # sigma^+ psi^dag
        "g_z": 0.5 * (el(e, 1, e, 0) - el(g, 1, g, 0)),
        "g_l": el(e, 1, g, 1) - el(e, 0, g, 0),  # (sigma^+ + sigma^-) n
        "g_lz": 0.5 * ((el(e, 1, e, 1) - el(e, 0, e, 0)) - (el(g, 1, g, 1) - el(g, 0, g, 0))),
    }


def _qubit_spin(theta: float) -> list[np.ndarray]:
    """Lab-frame spin-1/2 components of a qubit whose ground state is spin-up along
    (sin theta, 0, cos theta): |g> = R_y(theta)|up>, |e> = R_y(theta)|down>."""
    from scipy.linalg import expm

    pauli = [np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]),
             np.array([[1, 0], [0, -1]], complex)]
    R = expm(-0.5j * theta * pauli[1])
    U = np.stack([R @ np.array([0, 1.0]), R @ np.array([1.0, 0])], axis=1)  # columns e, g
    return [U.conj().T @ (p / 2) @ U for p in pauli]


@pytest.mark.parametrize("jx, jy", [(1.0, 1.0), (1.3, 0.2), (-0.4, 0.9)])
def test_xy_mapping_from_exchange_matrix_elements(jx, jy):
    S = 6.0
    got = _exchange_read_off(_qubit_spin(0.0), (jx, jy, 0.0), S)
    cp = mg.xy_exchange_couplings(jx, jy, S)
    for name in ("g_c", "g_n", "g_z", "g_l", "g_lz"):
        assert got[name] == pytest.approx(getattr(cp, name), abs=1e-12)
    assert cp.eta == pytest.approx((jx - jy) / (jx + jy))


@pytest.mark.parametrize("theta", [0.0, np.pi / 2, 0.37, 1.9, np.pi])
def test_tilted_mapping_from_exchange_matrix_elements(theta):
    S, J = 4.5, 0.8
    got = _exchange_read_off(_qubit_spin(theta), (J, J, J), S)
    cp = mg.tilted_exchange_couplings(J, theta, S)
    for name in ("g_c", "g_n", "g_z", "g_l", "g_lz"):
        assert got[name] == pytest.approx(getattr(cp, name), abs=1e-12), name
    G = J * np.sqrt(S / 2)
    if theta < np.pi:
        assert abs(cp.eta) == pytest.approx(np.tan(theta / 2) ** 2)
    else:  # spin-flipped qubit: only the counter-rotating channel (the opposite U(1))
        assert cp.g_c == pytest.approx(0.0, abs=1e-15) and cp.g_n == pytest.approx(-G)
    assert cp.g_lz == pytest.approx(G * np.cos(theta) / np.sqrt(2 * S))
    if 0 < theta < np.pi:  # the geometry fixes g_z g_l < 0 (MAGNON_MODEL.md writes +)
        assert cp.g_z * cp.g_l < 0


@pytest.mark.parametrize("transition", ["minus", "plus"])
def test_nv_dipolar_mapping_from_spin1_matrix_elements(transition):
    # one film mode psi with transverse magnetisation m^+ = A psi (A = sqrt(2 gamma hbar Ms/d))
    # and stray field B = v psi + h.c., v = b (k^ + i z^) (k_x - i k_y) A / 2,
    # b = -(mu0/2)(1 - e^{-kd}) e^{-kh}; NV Hamiltonian gamma B . S with S the spin-1 operators
    import qutip

    from qness.units import GAMMA_E, HBAR, MU_0

    Ms, d, h = 1.4e5, 20e-9, 10e-9
    cp = mg.nv_dipolar_couplings(Ms, d, h)
    S = [qutip.jmat(1.0, c).full() for c in "xyz"]       # basis m = +1, 0, -1
    psi = qutip.destroy(2).full()
    e, g = (0, 1) if transition == "plus" else (2, 1)
    rng = np.random.default_rng(3)
    for k in (2e6, 3e7, 1.5e8):
        phi = rng.uniform(0, 2 * np.pi)
        khat = np.array([np.cos(phi), np.sin(phi), 0.0])
        A = np.sqrt(2 * GAMMA_E * HBAR * Ms / d)
        b = -(MU_0 / 2) * (1 - np.exp(-k * d)) * np.exp(-k * h)
        v = b * (khat + 1j * np.array([0, 0, 1.0])) * np.exp(-1j * phi) * A / 2
        H = GAMMA_E * sum(np.kron(S[i], v[i] * psi + np.conj(v[i]) * psi.conj().T)
                          for i in range(3))

        def el(q1, n1, q2, n2, H=H):
            return H[q1 * 2 + n1, q2 * 2 + n2]

        g_c, g_n = el(e, 0, g, 1), el(e, 1, g, 0)
        g_z = 0.5 * (el(e, 1, e, 0) - el(g, 1, g, 0))
        mode = cp.at(k)
        assert abs(g_c) ** 2 == pytest.approx(mode.g_c**2, rel=1e-12)
        assert abs(g_n) ** 2 == pytest.approx(mode.g_n**2, rel=1e-12)
        assert abs(g_z) ** 2 == pytest.approx(mode.g_z**2, rel=1e-12)
        assert mode.eta == 1.0 and cp.eta == 1.0
    # MAGNON_MODEL.md §2.4: P ~ 0.40 m^2/s^2 for YIG with d = 20 nm
    assert cp.P == pytest.approx(0.40, rel=0.01)


def test_coupling_record_eta_and_conservation():
    assert mg.MagnonCouplings(g_c=0.01).conserving
    assert mg.MagnonCouplings(g_n=0.01, g_z=0.1, g_lz=0.2).conserving
    assert not mg.MagnonCouplings(g_c=0.01, g_n=0.001).conserving
    assert not mg.MagnonCouplings(g_c=0.01, g_l=1e-4).conserving
    assert mg.MagnonCouplings(g_n=0.01).eta == np.inf
    assert mg.MagnonCouplings().eta == 0.0
    theta = np.array([0.0, 0.5, np.pi])
    cp = mg.tilted_exchange_couplings(1.0, theta, 100.0)
    np.testing.assert_array_equal(cp.conserving, [True, False, False])
    assert set(cp.as_dict()) == {"g_c", "g_n", "g_z", "g_l", "g_lz", "eta"}


@pytest.mark.parametrize("call, word", [
    (lambda: mg.tilted_exchange_couplings(1.0, 3.5, 10.0), "theta"),
    (lambda: mg.tilted_exchange_couplings(1.0, -0.1, 10.0), "theta"),
    (lambda: mg.xy_exchange_couplings(1.0, 0.5, 0.0), "spin density"),
    (lambda: mg.nv_dipolar_couplings(-1.0, 2e-8, 1e-8), "Ms"),
    (lambda: mg.nv_dipolar_couplings(1.4e5, -2e-8, 1e-8), "thickness"),
    (lambda: mg.nv_dipolar_couplings(1.4e5, 2e-8, -1e-8), "height"),
    (lambda: mg.MagnonCouplings(g_c=np.nan), "g_c"),
])
def test_bad_coupling_inputs_raise(call, word):
    with pytest.raises(InvalidInputError, match=word):
        call()
