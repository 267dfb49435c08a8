import numpy as np
import pytest
import qutip as qt
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import qness
from qness.errors import DimensionError, InvalidInputError
from qness.master import dissipator, spost, spre, sprepost, unvec, vec
from tests.conftest import random_density_matrix, random_model, random_operator


def test_vectorisation_is_column_stacking(rng):
    rho = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    assert np.allclose(vec(rho), qt.operator_to_vector(qt.Qobj(rho)).full().ravel())
    assert np.allclose(unvec(vec(rho)), rho)


def test_primitives_match_qutip(rng):
    a, b = random_operator(rng, 3), random_operator(rng, 3)
    assert np.allclose(spre(a), qt.spre(qt.Qobj(a)).full())
    assert np.allclose(spost(b), qt.spost(qt.Qobj(b)).full())
    assert np.allclose(sprepost(a, b), qt.sprepost(qt.Qobj(a), qt.Qobj(b)).full())
    assert np.allclose(dissipator(a), qt.lindblad_dissipator(qt.Qobj(a)).full())
    # sparse inputs give the same (sparse) superoperators
    assert np.allclose(dissipator(sp.csr_array(a)).toarray(), dissipator(a))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), d=st.integers(2, 5), n_ops=st.integers(1, 3))
def test_liouvillian_matches_qutip_dense_and_sparse(seed, d, n_ops):
    H, c = random_model(seed, d, n_ops)
    ref = qt.liouvillian(qt.Qobj(H), [qt.Qobj(x) for x in c]).full()
    gen = qness.liouvillian(H, c)
    assert np.allclose(gen.dense(), ref, atol=1e-12)
    assert np.allclose(gen.sparse().toarray(), ref, atol=1e-12)
    rho = random_density_matrix(np.random.default_rng(seed), d)
    assert np.allclose(gen.apply(rho), unvec(ref @ vec(rho)), atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), d=st.integers(2, 4))
def test_trace_preserving_and_completely_positive(seed, d):
    H, c = random_model(seed, d, 2)
    rng = np.random.default_rng(seed)
    g = rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2))
    gamma = g @ g.conj().T
    A = [random_operator(rng, d), random_operator(rng, d)]
    L = qness.liouvillian(H, c, correlated=[(gamma, A)]).dense()
    # trace preservation: the trace functional is a left null vector
    w = np.eye(d).reshape(-1)  # vec(I) (symmetric, so order does not matter)
    assert np.allclose(w @ L, 0, atol=1e-10)
    # conditional complete positivity: Choi(L) is PSD on the complement of |Omega>
    choi = np.zeros((d * d, d * d), complex)
    for i in range(d):
        for j in range(d):
            e = np.zeros((d, d))
            e[i, j] = 1
            choi += np.kron(e, unvec(L @ vec(e)))
    omega = np.eye(d).reshape(-1) / np.sqrt(d)
    q = np.eye(d * d) - np.outer(omega, omega)
    assert np.linalg.eigvalsh(q @ choi @ q).min() > -1e-9
    # and the propagator exp(Lt) is CPTP: its Choi matrix is PSD
    from scipy.linalg import expm

    prop = expm(0.3 * L)
    choi_t = sum(np.kron(np.outer(np.eye(d)[i], np.eye(d)[j]),
                         unvec(prop @ vec(np.outer(np.eye(d)[i], np.eye(d)[j]))))
                 for i in range(d) for j in range(d))
    assert np.linalg.eigvalsh(choi_t).min() > -1e-9


def test_correlated_form_equals_explicit_double_sum(rng):
    d = 4
    A = [random_operator(rng, d) for _ in range(3)]
    g = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    gamma = g @ g.conj().T
    L = qness.liouvillian(None, correlated=[(gamma, A)]).dense()
    ref = sum(gamma[a, b] * dissipator(A[b], A[a]) for a in range(3) for b in range(3))
    assert np.allclose(L, ref, atol=1e-12)


def test_batched_generator_equals_loop(rng):
    H = np.stack([rng.normal() * np.diag([1, -1, 0.5]).astype(complex) for _ in range(4)])
    c = [random_operator(rng, 3), np.stack([random_operator(rng, 3) for _ in range(4)])]
    gen = qness.liouvillian(H, c)
    assert gen.batch_shape == (4,)
    for b in range(4):
        assert np.allclose(gen.dense()[b], qness.liouvillian(H[b], [c[0], c[1][b]]).dense())


def test_qobj_inputs_accepted():
    H = qt.sigmaz() & qt.qeye(2)
    c = [qt.sigmam() & qt.qeye(2)]
    gen = qness.liouvillian(H, c)
    assert gen.dims == (2, 2)
    assert np.allclose(gen.dense(), qt.liouvillian(H, c).full())


@pytest.mark.parametrize("call, exc, match", [
    (lambda: qness.liouvillian(np.ones((2, 3))), DimensionError, "square"),
    (lambda: qness.liouvillian(np.array([[0, 1], [0, 0]])), InvalidInputError, "Hermitian"),
    (lambda: qness.liouvillian(np.eye(2), [np.eye(3)]), DimensionError, "dimension"),
    (lambda: qness.liouvillian(np.diag([np.nan, 1])), InvalidInputError, "NaN"),
    (lambda: qness.liouvillian(None, correlated=[(np.array([[1, 2], [2, 1]]),
                                                  [np.eye(2), np.eye(2)])]),
     InvalidInputError, "positive semidefinite"),
    (lambda: qness.liouvillian(None, correlated=[(np.array([[1, 1j], [1j, 1]]),
                                                  [np.eye(2), np.eye(2)])]),
     InvalidInputError, "Hermitian"),
    (lambda: qness.liouvillian(None, correlated=[(np.eye(3), [np.eye(2), np.eye(2)])]),
     DimensionError, "operators"),
    (lambda: qness.liouvillian(np.eye(4), dims=[2, 3]), DimensionError, "dims"),
    (lambda: qness.liouvillian(), InvalidInputError, "at least one"),
])
def test_bad_generator_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
