import numpy as np
import pytest
import qutip as qt

from qness import Space
from qness import operators as ops
from qness.errors import DimensionError, InvalidInputError


def test_embedding_matches_qutip_tensor_order():
    s = Space.from_dims([2, 3, 2], labels=["a", "b", "c"])
    a = qt.destroy(3).full()
    got = s.embed(a, "b").toarray()
    ref = qt.tensor(qt.qeye(2), qt.destroy(3), qt.qeye(2)).full()
    assert np.allclose(got, ref)
    two = s.embed_two(ops.sigmam(), 0, ops.sigmaz(), "c").toarray()
    ref2 = qt.tensor(qt.sigmam(), qt.qeye(3), qt.sigmaz()).full()
    assert np.allclose(two, ref2)


def test_qubit_operators_match_qutip():
    assert np.allclose(ops.sigmam(), qt.sigmam().full())
    assert np.allclose(ops.sigmap(), qt.sigmap().full())
    assert np.allclose(ops.sigmaz(), qt.sigmaz().full())
    # basis(2, 0) is the sigma_z = +1 eigenstate
    assert np.allclose(ops.sigmaz() @ ops.ket(2, 0), ops.ket(2, 0))
    for w in "xyz+-":
        assert np.allclose(ops.jmat(1.5, w), qt.jmat(1.5, w).full())
    assert np.allclose(ops.destroy(5), qt.destroy(5).full())


def test_bell_singlet_is_antisymmetric_eg_minus_ge():
    s = ops.bell_state("psi-")
    e, g = ops.ket(2, 0), ops.ket(2, 1)
    assert np.allclose(s, (np.kron(e, g) - np.kron(g, e)) / np.sqrt(2))


def test_permutation_reorders_sites(rng):
    s = Space.from_dims([2, 3])
    a, b = rng.normal(size=(2, 2)), rng.normal(size=(3, 3))
    p = s.permutation([1, 0])
    full = np.kron(a, b)
    assert np.allclose(full[np.ix_(p, p)], np.kron(b, a))


@pytest.mark.parametrize("bad, match", [
    (lambda s: s.embed(np.eye(3), 0), "shape"),
    (lambda s: s.embed(ops.sigmaz(), 5), "out of range"),
    (lambda s: s.embed(ops.sigmaz(), "nope"), "unknown site label"),
    (lambda s: s.embed_two(ops.sigmaz(), 0, ops.sigmaz(), 0), "distinct"),
    (lambda s: s.embed(np.full((2, 2), np.nan), 0), "NaN"),
])
def test_bad_embeddings_raise(bad, match):
    with pytest.raises((DimensionError, InvalidInputError), match=match):
        bad(Space.qubits(2))


def test_bad_spaces_raise():
    with pytest.raises(InvalidInputError, match="unique"):
        Space.from_dims([2, 2], labels=["a", "a"])
    with pytest.raises(InvalidInputError, match=">= 1"):
        Space.qubits(0)


def test_mixed_sites_and_kinds():
    from qness import Site

    s = Space.of(Site.qubit("a"), Site.spin(1, "nv"), Site.boson(4, "cav"))
    assert s.dims == [2, 3, 4] and s.dim == 24
    assert [x.kind for x in s.sites] == ["qubit", "spin", "boson"]
    n = s.embed(ops.num(4), "cav").toarray()
    assert np.allclose(np.diag(n).real, np.tile(np.arange(4), 6))
    with pytest.raises(InvalidInputError, match="half-integer"):
        Site.spin(0.3, "x")
