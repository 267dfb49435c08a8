"""Steady states solved within the lattice-symmetric subspace.

Oracles: the full sparse-LU solve of ``qness.steadystate`` on the same generator, Burnside's
count of orbits, and analytic statements (dark states make the symmetric sector degenerate; a
pure ground state is not faithful, so only the symmetric sector is certified).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

import qness
from qness import Space
from qness import operators as ops
from qness.errors import InvalidInputError, MemoryEstimateError, NonUniqueSteadyStateError
from qness.master import Generator, liouvillian
from qness.steady.symmetry import (
    check_symmetry,
    orbit_basis,
    reflection,
    site_permutation,
    steadystate_symmetric,
    translation,
)


# ----------------------------------------------------------------------------- models
def circulant_rates(rng: np.random.Generator, n: int, scale: float) -> np.ndarray:
    """A real symmetric circulant PSD rate matrix (eigenvalues lam_k = lam_{-k} >= 0)."""
    lam = rng.uniform(0.0, 1.0, n)
    lam = 0.5 * (lam + np.roll(lam[::-1], 1))
    f = np.exp(2j * np.pi * np.outer(np.arange(n), np.arange(n)) / n) / np.sqrt(n)
    return scale * (f @ np.diag(lam) @ f.conj().T).real


def ring_model(rng: np.random.Generator, n: int, *, drive: float = 0.0, correlated: bool = True,
               dephasing: float = 0.0, detune: float = 0.0, temperature: float | None = None
               ) -> Generator:
    """Identical qubits on a ring: XX hopping, local baths at (T, mu), optional circulant
    correlated decay, uniform drive and dephasing.  ``detune`` shifts qubit 0 (breaks the
    symmetry)."""
    s = Space.qubits(n)
    sm = [s.embed(ops.sigmam(), i) for i in range(n)]
    sp_ = [s.embed(ops.sigmap(), i) for i in range(n)]
    omega, hop = 1.0, rng.uniform(0.2, 0.8)
    h = sum(0.5 * (omega + (detune if i == 0 else 0.0)) * s.embed(ops.sigmaz(), i)
            for i in range(n))
    h = h + hop * sum(sp_[i] @ sm[(i + 1) % n] + sm[i] @ sp_[(i + 1) % n] for i in range(n))
    if drive:
        h = h + drive * sum(s.embed(ops.sigmax(), i) for i in range(n))
    temp = rng.uniform(0.3, 2.0) if temperature is None else temperature
    mu = rng.uniform(-0.5, 0.5)
    nbar = 1.0 / np.expm1((omega - mu) / temp) if temp > 0 else 0.0
    gamma = rng.uniform(0.05, 0.2)
    c_ops = [np.sqrt(gamma * (nbar + 1)) * x for x in sm]
    if nbar > 0:
        c_ops += [np.sqrt(gamma * nbar) * x for x in sp_]
    if dephasing:
        c_ops += [np.sqrt(dephasing) * s.embed(ops.sigmaz(), i) for i in range(n)]
    corr = [(circulant_rates(rng, n, 0.2), sm)] if correlated else []
    return liouvillian(h, c_ops, correlated=corr, dims=[2] * n)


def reference(gen: Generator) -> np.ndarray:
    """The full solve (dense LU for d <= 16, preconditioned GMRES beyond: sparse LU of the full
    d^2 x d^2 generator takes seconds at n = 6 because of fill-in)."""
    return qness.steadystate(gen).rho


# ----------------------------------------------------------------------------- permutations
def test_permutation_helpers_and_index_map():
    assert translation(4) == (1, 2, 3, 0)
    assert translation(4, -1) == (3, 0, 1, 2)
    assert reflection(5) == (4, 3, 2, 1, 0)
    # P |a0 a1 a2> = |b> with b[perm[i]] = a[i]: translating |e g g> (index 3 = 011) by one site
    # moves the excitation to site 1: |g e g> = 101 = 5
    p = site_permutation(translation(3), [2, 2, 2])
    assert p[0b011] == 0b101
    s = Space.qubits(3)
    mat = sp.csr_array((np.ones(8), (p, np.arange(8))), shape=(8, 8))
    for i in range(3):  # P sigma_i P^T = sigma_{perm[i]}
        moved = mat @ s.embed(ops.sigmam(), i) @ mat.T
        assert abs(moved - s.embed(ops.sigmam(), (i + 1) % 3)).max() == 0
    with pytest.raises(InvalidInputError, match="permutation"):
        site_permutation([0, 0, 1], [2, 2, 2])
    with pytest.raises(InvalidInputError, match="equal local dimensions"):
        site_permutation([1, 0], [2, 3])


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_orbit_count_matches_burnside(n):
    """Z_n on the 4^n matrix units of n qubits: (1/n) sum_s 4^gcd(s, n) orbits, an isometry."""
    basis = orbit_basis([translation(n)], [2] * n)
    expected = sum(4 ** math.gcd(s, n) for s in range(n)) // n
    assert basis.dim == expected
    v = basis.isometry()
    np.testing.assert_allclose((v.T @ v).toarray(), np.eye(basis.dim), atol=1e-14)
    # dihedral group: adding the reflection merges orbits
    assert orbit_basis([translation(n), reflection(n)], [2] * n).dim < expected


# ----------------------------------------------------------------------------- solves
@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_translation_invariant_rings_match_the_full_solve(rng, n):
    variants = [dict(), dict(drive=0.3), dict(correlated=False, dephasing=0.05, drive=0.2)]
    for kw in variants:
        gen = ring_model(rng, n, **kw)
        ss = steadystate_symmetric(gen, [translation(n)])
        np.testing.assert_allclose(ss.rho, reference(gen), atol=1e-9)
        assert ss.ok and ss.method == "symmetric-lu"
        info = ss.info
        assert info["charges"] == (not kw.get("drive"))  # a drive breaks excitation number
        # the group has n elements: the symmetric sector is ~ n times smaller than its charge
        # sector (exactly n for large n; Burnside's fixed points add to it for small n)
        assert 0.6 * n < info["symmetry_reduction"] <= n
        assert info["reduction"] == pytest.approx(info["full_dim"] / info["reduced_dim"])
        assert "full space" in info["uniqueness"]  # faithful state, trivial commutant


def test_reflection_and_translation_together(rng):
    n = 5
    gen = ring_model(rng, n, drive=0.25)
    both = steadystate_symmetric(gen, [translation(n), reflection(n)])
    one = steadystate_symmetric(gen, [translation(n)])
    np.testing.assert_allclose(both.rho, reference(gen), atol=1e-9)
    assert both.info["reduced_dim"] < one.info["reduced_dim"]
    assert both.info["symmetry_reduction"] > 1.5 * n  # dihedral group of order 2n


def test_reflection_only_symmetric_open_chain(rng):
    """An open chain with mirror-symmetric couplings and end baths has reflection symmetry
    only; a different hopping on one bond breaks it and is refused."""
    n = 4
    s = Space.qubits(n)
    sm = [s.embed(ops.sigmam(), i) for i in range(n)]
    hops = [0.4, 0.7, 0.4]

    def chain(hops):
        h = sum(0.5 * s.embed(ops.sigmaz(), i) for i in range(n))
        h = h + sum(t * (sm[i].T @ sm[i + 1] + sm[i + 1].T @ sm[i]) for i, t in enumerate(hops))
        c = [0.3 * sm[0], 0.3 * sm[-1], 0.2 * sm[0].T, 0.2 * sm[-1].T, 0.1 * sm[1], 0.1 * sm[2]]
        return liouvillian(h, c, dims=[2] * n)

    gen = chain(hops)
    ss = steadystate_symmetric(gen, reflection(n))
    np.testing.assert_allclose(ss.rho, reference(gen), atol=1e-9)
    with pytest.raises(InvalidInputError, match="not a symmetry"):
        steadystate_symmetric(gen, translation(n))
    with pytest.raises(InvalidInputError, match="not a symmetry"):
        steadystate_symmetric(chain([0.4, 0.7, 0.45]), reflection(n))


def test_non_symmetric_model_is_refused_with_its_defect(rng):
    gen = ring_model(rng, 4, detune=0.05)
    with pytest.raises(InvalidInputError, match=r"perms\[0\].*not a symmetry.*\|\|P L P\^-1"):
        steadystate_symmetric(gen, [translation(4)])
    with pytest.raises(InvalidInputError, match="not a symmetry"):
        check_symmetry(gen, translation(4))
    defects = check_symmetry(ring_model(rng, 4), [translation(4), reflection(4)])
    assert max(defects) < 1e-13


def test_explicit_matrix_with_and_without_a_given_charge(rng):
    n = 4
    gen = ring_model(rng, n)
    mat = gen.sparse()
    plain = steadystate_symmetric(mat, [translation(n)], dims=[2] * n)
    assert not plain.info["charges"]  # a bare matrix has no parts to detect a charge from
    excitations = np.array([n - bin(i).count("1") for i in range(2**n)], dtype=float)
    charged = steadystate_symmetric(mat, [translation(n)], dims=[2] * n, charges=excitations)
    assert charged.info["charges"] and charged.info["reduced_dim"] < plain.info["reduced_dim"]
    for ss in (plain, charged):
        np.testing.assert_allclose(ss.rho, reference(gen), atol=1e-9)
    wrong = excitations.copy()
    wrong[1] += 1.0
    with pytest.raises(InvalidInputError, match="not conserved"):
        steadystate_symmetric(mat, [translation(n)], dims=[2] * n, charges=wrong)
    with pytest.raises(InvalidInputError, match="single site"):
        steadystate_symmetric(mat, [translation(n)])


def test_dark_states_make_the_symmetric_sector_degenerate():
    """Perfectly correlated decay of a 3-ring: the momentum-1 and -2 single excitations are
    dark, and their projectors are translation invariant: several symmetric steady states."""
    n = 3
    s = Space.qubits(n)
    collective = sum(s.embed(ops.sigmam(), i) for i in range(n))
    gen = liouvillian(None, [0.3 * collective], dims=[2] * n)
    with pytest.raises(NonUniqueSteadyStateError, match="symmetric sector") as err:
        steadystate_symmetric(gen, translation(n))
    assert err.value.kernel_dim >= 3  # |ggg>, |k=1><k=1|, |k=2><k=2| at least


def test_pure_steady_state_certified_in_the_symmetric_sector_only(rng):
    """Zero temperature, decay only: the steady state |g...g> is pure (not faithful), so the
    commutant certificate does not apply and the report says what was shown."""
    n = 4
    gen = ring_model(rng, n, correlated=False, temperature=0.0)
    ss = steadystate_symmetric(gen, [translation(n)])
    ground = np.zeros(2**n)
    ground[-1] = 1.0
    np.testing.assert_allclose(ss.rho, np.outer(ground, ground), atol=1e-12)
    assert "symmetric sector" in ss.info["uniqueness"]


def test_memory_guard_names_the_reduced_size(rng):
    gen = ring_model(rng, 3, drive=0.2)
    with pytest.raises(MemoryEstimateError, match="orbits"):
        steadystate_symmetric(gen, [translation(3)], memory_limit=100.0)
