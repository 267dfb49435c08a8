"""Spatial kernels: K(0) = 1, Hermitian symmetry, positive semidefinite rate matrices."""

from __future__ import annotations

import numpy as np
import pytest

from qness.baths import (
    Bath,
    Channel,
    FunctionKernel,
    Ohmic,
    common,
    exponential,
    film_2d,
    independent,
    tabulated_kernel,
    waveguide_1d,
)
from qness.baths.kernels import displacements
from qness.errors import InvalidInputError

RNG = np.random.default_rng(7)
POS_1D = RNG.uniform(0, 5, size=6)
POS_2D = RNG.uniform(0, 5, size=(6, 2))
POS_3D = RNG.uniform(0, 5, size=(5, 3))

KERNELS = [
    ("independent", independent(), POS_2D),
    ("common", common(), POS_3D),
    ("exponential-1d", exponential(1.3), POS_1D),
    ("exponential-3d", exponential(0.7), POS_3D),
    ("waveguide", waveguide_1d(velocity=0.8), POS_1D),
    ("waveguide-lossy", waveguide_1d(wavenumber=2.0, loss_length=3.0), POS_1D),
    ("waveguide-chiral", waveguide_1d(velocity=0.5, chiral="right", loss_length=4.0), POS_1D),
    ("film-J0", film_2d(2.5), POS_2D),
    ("film-J0-lossy", film_2d(lambda w: 1.5 * w, loss_length=2.0), POS_2D),
    ("film-evanescent", film_2d(decay=1.1), POS_2D),
    ("tabulated", tabulated_kernel(np.linspace(0, 10, 200), np.exp(-np.linspace(0, 10, 200))),
     POS_2D),
]


@pytest.mark.parametrize(("name", "kernel", "pos"), KERNELS, ids=[k[0] for k in KERNELS])
@pytest.mark.parametrize("omega", [0.7, 1.9, -1.2])
def test_kernel_is_one_at_zero_hermitian_and_psd(name, kernel, pos, omega):
    d = displacements(pos)
    k = np.asarray(kernel(d, omega))
    np.testing.assert_allclose(np.diag(k), 1.0, atol=1e-14)
    np.testing.assert_allclose(k, k.conj().T, atol=1e-14)
    m = kernel.matrix(pos, omega)     # raises if not PSD
    assert np.linalg.eigvalsh(m).min() > -1e-12


def test_closed_forms():
    x = np.array([[0.0], [1.0], [2.5]])
    wg = waveguide_1d(velocity=2.0)
    np.testing.assert_allclose(wg.matrix(x, 3.0)[0], np.cos(1.5 * np.array([0, -1.0, -2.5])))
    chiral = waveguide_1d(velocity=2.0, chiral="right")
    k = chiral.matrix(x, 3.0)
    np.testing.assert_allclose(k[1, 0], np.exp(1.5j * 1.0))
    assert np.linalg.matrix_rank(k, tol=1e-10) == 1          # one propagation direction
    np.testing.assert_allclose(chiral.matrix(x, -3.0), k.conj())
    from scipy.special import j0, k1
    r = np.array([[0.0, 0.0], [0.3, 0.4]])
    assert film_2d(2.0).matrix(r, 1.0)[0, 1] == pytest.approx(j0(1.0))
    assert film_2d(decay=2.0).matrix(r, 1.0)[0, 1] == pytest.approx(1.0 * k1(1.0))
    assert exponential(2.0).matrix(r, 1.0)[0, 1] == pytest.approx(np.exp(-0.25))


def test_non_psd_kernel_raises_clear_error():
    box = FunctionKernel(lambda d, w: (np.linalg.norm(d, axis=-1) < 1.0).astype(float), "box")
    pos = [0.0, 0.9, 1.8]
    with pytest.raises(InvalidInputError, match=r"not positive semidefinite for positions"):
        box.matrix(pos, 1.0)
    bath = Bath(0.5, 0.0, Channel(Ohmic(0.1, 3.0), 0, kernel=box, name="x"))
    with pytest.raises(InvalidInputError, match="positive semidefinite"):
        bath["x"].rate_matrix(pos, 1.0)


def test_rate_matrix_is_spectrum_times_kernel_and_kms_partner_is_transposed():
    ker = waveguide_1d(velocity=1.0, chiral="right")
    bath = Bath(0.4, 0.3, Channel(lambda w: 0.2 / (1 + w**2), 1, kernel=ker, statistics="kms",
                                  name="c"))
    ch = bath["c"]
    pos = [0.0, 0.4, 1.1]
    w = 1.3
    down = ch.rate_matrix(pos, w, "down")
    up = ch.rate_matrix(pos, w, "up")
    np.testing.assert_allclose(down, ch.down(w) * ker.matrix(pos, w))
    # Gamma_up_jk = exp(-(w - q mu)/T) Gamma_down_kj
    np.testing.assert_allclose(up, np.exp(-(w - 0.3) / 0.4) * down.T, rtol=1e-12)


def test_kernel_parameter_errors():
    with pytest.raises(InvalidInputError, match="length"):
        exponential(0.0)
    with pytest.raises(InvalidInputError, match="chiral"):
        waveguide_1d(velocity=1.0, chiral="up")
    with pytest.raises(InvalidInputError, match="exactly one"):
        film_2d()
    with pytest.raises(InvalidInputError, match="distance 0"):
        tabulated_kernel([0.0, 1.0], [0.5, 0.2])
