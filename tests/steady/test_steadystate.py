"""Steady-state solvers: agreement with QuTiP, batching, symmetry, uniqueness, validation."""

import numpy as np
import pytest
import qutip as qt
from hypothesis import given, settings
from hypothesis import strategies as st

import qness
from qness import NonUniqueSteadyStateError, SolverError, Space
from qness import operators as ops
from qness.errors import InvalidInputError
from tests.conftest import random_density_matrix, random_model


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31), d=st.integers(2, 6), n_ops=st.integers(1, 3),
       method=st.sampled_from(["dense", "sparse"]))
def test_matches_qutip_steadystate(seed, d, n_ops, method):
    H, c = random_model(seed, d, n_ops)
    ss = qness.steadystate(H, c, method=method)
    ref = qt.steadystate(qt.Qobj(H), [qt.Qobj(x) for x in c]).full()
    assert np.abs(ss.rho - ref).max() < 1e-8
    assert ss.ok and ss.kernel_dim == 1
    assert ss.residual < 1e-12 and ss.trace_error < 1e-12
    assert np.isclose(np.trace(ss.rho), 1)


def test_batched_equals_looped(rng):
    B, d = 50, 4
    H = np.stack([random_model(s, d)[0] for s in range(B)])
    c_shared = random_model(1000, d)[1]
    c_batched = np.stack([random_model(2000 + s, d, 1)[1][0] for s in range(B)])
    ss = qness.steadystate(H, [*c_shared, c_batched])
    assert ss.rho.shape == (B, d, d) and ss.residual.shape == (B,)
    for b in range(B):
        one = qness.steadystate(H[b], [*c_shared, c_batched[b]])
        assert np.abs(ss.rho[b] - one.rho).max() < 1e-10


def test_multiple_batch_axes():
    H, c = random_model(3, 4)
    scale = np.linspace(0.5, 2, 6).reshape(2, 3)
    ss = qness.steadystate(scale[..., None, None] * H, c)
    assert ss.rho.shape == (2, 3, 4, 4)
    assert np.abs(ss.rho[1, 2] - qness.steadystate(2 * H, c).rho).max() < 1e-10


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31))
def test_permuting_identical_qubits_commutes_with_solve(seed):
    rng = np.random.default_rng(seed)
    s = Space.qubits(3)
    w = rng.uniform(0.5, 1.5, 3)
    H = sum(w[j] * s.embed(ops.sigmaz(), j) for j in range(3))
    H = H + 0.3 * (s.embed_two(ops.sigmap(), 0, ops.sigmam(), 1)
                   + s.embed_two(ops.sigmap(), 1, ops.sigmam(), 2))
    H = (H + H.conj().T).toarray() / 2
    c = [rng.uniform(0.1, 1) * s.embed(ops.sigmam(), j).toarray() for j in range(3)]
    c += [rng.uniform(0.1, 1) * s.embed(ops.sigmap(), j).toarray() for j in range(3)]
    c += [0.4 * sum(s.embed(ops.sigmam(), j) for j in range(3)).toarray()]
    order = list(rng.permutation(3))
    p = s.permutation(order)
    perm = lambda m: m[np.ix_(p, p)]  # noqa: E731
    rho = qness.steadystate(H, c).rho
    rho_p = qness.steadystate(perm(H), [perm(x) for x in c]).rho
    assert np.abs(perm(rho) - rho_p).max() < 1e-10


def test_dense_and_sparse_agree_on_larger_space():
    s = Space.qubits(4)
    H = sum((1 + 0.1 * j) * s.embed(ops.sigmaz(), j) for j in range(4))
    H = H + sum(0.3 * (s.embed_two(ops.sigmap(), j, ops.sigmam(), j + 1)
                       + s.embed_two(ops.sigmam(), j, ops.sigmap(), j + 1)) for j in range(3))
    c = [0.3 * s.embed(ops.sigmam(), j) for j in range(4)] + [0.2 * s.embed(ops.sigmap(), 0)]
    c += [0.2 * sum(s.embed(ops.sigmax(), j) for j in range(4))]
    a = qness.steadystate(H, c, method="dense")
    b = qness.steadystate(H, c, method="sparse")
    assert np.abs(a.rho - b.rho).max() < 1e-10
    ref = qt.steadystate(qt.Qobj(H.toarray()), [qt.Qobj(x.toarray()) for x in c]).full()
    assert np.abs(a.rho - ref).max() < 1e-8


# ----------------------------------------------------------------------------- dark states
def _collective_decay():
    s = Space.qubits(2)
    J = s.embed(ops.sigmam(), 0) + s.embed(ops.sigmam(), 1)
    return s, J.toarray()


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_dark_state_non_uniqueness_detected(method):
    _, J = _collective_decay()
    with pytest.raises(NonUniqueSteadyStateError, match="dimension 4") as info:
        qness.steadystate(np.zeros((4, 4)), [J], method=method)
    assert info.value.kernel_dim == 4


@pytest.mark.parametrize("method", ["dense", "sparse"])
def test_dark_state_initial_state_projection(method):
    """Collective decay: from |eg> = (T0 + S)/sqrt2 the state reached is (|S><S| + |gg><gg|)/2;
    from |ee> the cascade runs through T0 only and ends in |gg>."""
    _, J = _collective_decay()
    eg = np.zeros((4, 4))
    eg[1, 1] = 1  # |e g>: qubit 0 excited (index 0), qubit 1 ground
    ss = qness.steadystate(np.zeros((4, 4)), [J], method=method, rho0=eg)
    S = ops.ket2dm(ops.bell_state("psi-"))
    gg = np.zeros((4, 4))
    gg[3, 3] = 1
    assert np.abs(ss.rho - 0.5 * S - 0.5 * gg).max() < 1e-10
    assert ss.kernel_dim == 4 and ss.ok
    ee = np.zeros((4, 4))
    ee[0, 0] = 1
    assert np.abs(qness.steadystate(np.zeros((4, 4)), [J], rho0=ee).rho - gg).max() < 1e-10
    # from the singlet the state stays the singlet; from a superposition coherences survive
    assert np.abs(qness.steadystate(np.zeros((4, 4)), [J], rho0=S).rho - S).max() < 1e-10
    psi = (ops.bell_state("psi-") + np.array([0, 0, 0, 1])) / np.sqrt(2)
    out = qness.steadystate(np.zeros((4, 4)), [J], rho0=ops.ket2dm(psi)).rho
    assert np.abs(out - ops.ket2dm(psi)).max() < 1e-10


def test_projection_agrees_with_long_time_evolution():
    _, J = _collective_decay()
    s = Space.qubits(2)
    c = [J, 0.4 * (s.embed(ops.sigmap(), 0) + s.embed(ops.sigmap(), 1)).toarray()]
    H = 0.7 * (s.embed(ops.sigmaz(), 0) + s.embed(ops.sigmaz(), 1)).toarray()
    rho0 = random_density_matrix(np.random.default_rng(5), 4)
    ss = qness.steadystate(H, c, rho0=rho0)
    assert ss.kernel_dim == 2
    from scipy.linalg import expm

    from qness.master import unvec, vec

    L = qness.liouvillian(H, c).dense()
    late = unvec(expm(400 * L) @ vec(rho0))
    assert np.abs(ss.rho - late).max() < 1e-8


def test_kernel_basis_on_request():
    _, J = _collective_decay()
    ss = qness.steadystate(np.zeros((4, 4)), [J], return_kernel=True)
    assert ss.kernel.shape == (4, 4, 4)
    L = qness.liouvillian(np.zeros((4, 4)), [J])
    for k in ss.kernel:
        assert np.allclose(k, k.conj().T)
        assert np.abs(L.apply(k)).max() < 1e-12
    gram = np.einsum("aij,bij->ab", ss.kernel.conj(), ss.kernel).real
    assert np.allclose(gram, np.eye(4), atol=1e-10)
    assert ss.info["rho0"] == "identity/d"


def test_batched_non_uniqueness_names_indices():
    _, J = _collective_decay()
    s = Space.qubits(2)
    local = s.embed(ops.sigmam(), 0).toarray()
    amp = np.array([0.5, 0.0, 0.3])[:, None, None]
    with pytest.raises(NonUniqueSteadyStateError, match=r"batch indices \[\[1\]\]"):
        qness.steadystate(np.zeros((3, 4, 4)), [J, amp * local])


def test_unique_but_ill_conditioned_is_not_mistaken():
    """A slow but unique process (rate 1e-7 of the fast one) is still a unique steady state."""
    s = Space.qubits(2)
    c = [s.embed(ops.sigmam(), 0).toarray(), np.sqrt(1e-7) * s.embed(ops.sigmam(), 1).toarray()]
    ss = qness.steadystate(np.zeros((4, 4)), c)
    assert ss.kernel_dim == 1
    assert abs(ss.rho[3, 3] - 1) < 1e-8
    # ... while a rate 1e-14 of the fast one is below the kernel tolerance: reported, not hidden
    c_tiny = [c[0], 1e-7 * s.embed(ops.sigmam(), 1).toarray()]
    with pytest.raises(NonUniqueSteadyStateError):
        qness.steadystate(np.zeros((4, 4)), c_tiny)
    assert qness.steadystate(np.zeros((4, 4)), c_tiny, tolerances={"kernel": 1e-15}).kernel_dim == 1


# ----------------------------------------------------------------------------- validation
def test_diagnostics_are_reported():
    H, c = random_model(11, 3)
    ss = qness.steadystate(H, c)
    for name in ("residual", "trace_error", "hermiticity_error", "min_eigenvalue", "kernel_dim",
                 "method", "wall_time", "ok"):
        assert getattr(ss, name) is not None
    assert ss.min_eigenvalue > 0
    assert "residual" in ss.summary()


def test_non_positive_result_is_caught():
    """A non-CP generator with a non-positive fixed point fails validation unless flagged."""
    # rho -> rho_fixed - rho with a non-positive 'fixed point' (a trace-1 Hermitian, not PSD)
    sigma = np.diag([1.5, -0.5]).astype(complex)
    from qness.master import vec

    n = 4
    w = np.eye(2).reshape(-1)
    M = np.outer(vec(sigma), w) - np.eye(n)
    gen = qness.Generator.from_matrix(M)
    with pytest.raises(SolverError, match="min eigenvalue"):
        qness.steadystate(gen)
    flagged = qness.steadystate(gen, on_fail="flag")
    assert not flagged.ok and flagged.min_eigenvalue < -0.4


def test_bad_arguments():
    H, c = random_model(1, 3)
    with pytest.raises(InvalidInputError, match="method"):
        qness.steadystate(H, c, method="magic")
    with pytest.raises(InvalidInputError, match="on_fail"):
        qness.steadystate(H, c, on_fail="ignore")
    with pytest.raises(InvalidInputError, match="rho0"):
        qness.steadystate(H, c, rho0=np.eye(2) / 2)


def test_qobj_in_and_out():
    H = qt.sigmaz() & qt.qeye(2)
    c = [qt.sigmam() & qt.qeye(2), 0.5 * (qt.qeye(2) & qt.sigmam()),
         0.2 * (qt.qeye(2) & qt.sigmap())]
    ss = qness.steadystate(H, c)
    q = ss.to_qobj()
    assert q.dims == [[2, 2], [2, 2]]
    assert (q - qt.steadystate(H, c)).norm() < 1e-8
    L = qt.liouvillian(H, c)
    assert np.allclose(qness.steadystate(L).rho, ss.rho, atol=1e-10)


def test_an_unconverged_krylov_solve_is_never_validated():
    """finalize honours a solver's own 'converged' verdict even when the residual looks fine."""
    import time

    from qness.errors import SolverError
    from qness.steady.validate import finalize

    rho = np.diag([0.25, 0.75]).astype(complex)
    common = dict(method="test", t_start=time.perf_counter(), dims=(2,))
    flagged = finalize(rho, lambda r: 0 * r, 1.0, info={"converged": False,
                                                        "gmres_residual": 1e-6},
                       on_fail="flag", **common)
    assert not flagged.ok
    with pytest.raises(SolverError, match="did not reach its tolerance"):
        finalize(rho, lambda r: 0 * r, 1.0, info={"converged": False}, **common)
    assert finalize(rho, lambda r: 0 * r, 1.0, info={"converged": True}, **common).ok
