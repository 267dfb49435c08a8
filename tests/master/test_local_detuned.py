"""The local master equation takes each qubit's rates at its own bare frequency."""

import numpy as np
import pytest

import qness
from qness import Space
from qness import operators as ops
from qness.baths import Bath, Channel, Ohmic, couple
from qness.master import RegimeWarning, local_lindblad


@pytest.mark.parametrize("w2, g", [(1.1, 0.1), (1.7, 0.3), (1.0, 0.05)])
def test_local_rates_at_bare_frequencies_for_detuned_qubits(w2, g):
    s = Space.qubits(2)
    w1 = 1.0
    ex = s.embed_two(ops.sigmap(), 0, ops.sigmam(), 1)
    H = (w1 / 2 * s.embed(ops.sigmaz(), 0) + w2 / 2 * s.embed(ops.sigmaz(), 1)
         + g * (ex + ex.conj().T)).toarray()
    hot = Bath(T=0.5, channels=(Channel(Ohmic(0.01, 10.0), charge=1, name="c"),))
    cold = Bath(T=0.2, channels=(Channel(Ohmic(0.01, 10.0), charge=1, name="c"),))
    sm = [s.embed(ops.sigmam(), j).toarray() for j in range(2)]
    with pytest.warns(RegimeWarning) if g > 0.2 else _no_warning():
        gen = local_lindblad(H, [couple(sm[0], hot["c"]), couple(sm[1], cold["c"])],
                             dims=[2, 2], tol=0.0)
    c_ops = [np.sqrt(hot["c"].down(w1)) * sm[0], np.sqrt(hot["c"].up(w1)) * sm[0].conj().T,
             np.sqrt(cold["c"].down(w2)) * sm[1], np.sqrt(cold["c"].up(w2)) * sm[1].conj().T]
    assert np.abs(gen.dense() - qness.liouvillian(H, c_ops).dense()).max() < 1e-14


def test_nearly_degenerate_qubits_keep_collective_terms_in_local_form():
    """Qubits detuned far below the rates share one collective (Lehmberg) dissipator: the local
    form must then agree with the partial-secular one (it used to drop the cross terms)."""
    from qness.baths import Flat, common
    from qness.master import partial_secular

    s = Space.qubits(2)
    sm = [s.embed(ops.sigmam(), j).toarray() for j in range(2)]
    bath = Bath(0.0, 0.0, (Channel(Flat(0.05), 1, common()),))
    for det in (0.0, 1e-4):
        h = (0.5 * s.embed(ops.sigmaz(), 0) + 0.5 * (1 + det) * s.embed(ops.sigmaz(), 1)).toarray()
        cps = [couple(sm[j], bath, 0.0) for j in range(2)]
        loc = local_lindblad(h, cps, dims=[2, 2]).dense()
        par = partial_secular(h, cps, warn=False).dense()
        assert np.abs(loc - par).max() < 1e-12


class _no_warning:
    def __enter__(self):
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", RegimeWarning)

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)
