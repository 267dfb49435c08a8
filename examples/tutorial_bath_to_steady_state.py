"""Tutorial: from a bath to a steady state (docs/tutorial_bath_to_steady_state.md).

Every number and figure on the tutorial page is printed or written by this script::

    python examples/tutorial_bath_to_steady_state.py            # full run, ~10 s
    python examples/tutorial_bath_to_steady_state.py --quick    # coarse mu grid, ~2 s

Conventions: hbar = k_B = 1 (every energy, temperature and chemical potential is an angular
frequency); QuTiP basis and tensor order, so for each qubit index 0 is the excited state |e>
(sigma_z = +1) and index 1 the ground state |g>; the two-qubit basis is |ee>, |eg>, |ge>, |gg>.

The sections mirror the page: (1) describing a bath, (2) two qubits coupled to it and three
master-equation builders, (3) equilibrium checks (Gibbs and generalised Gibbs states), (4) local
versus global master equations for a two-bath heat current, (5) steady-state concurrence versus
the bath chemical potential for charge-conserving and charge-mixing couplings.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from scipy.linalg import expm

from qness import Space, measures, steadystate
from qness import operators as op
from qness.baths import (
    Bath,
    Channel,
    Kernel,
    Ohmic,
    bose,
    couple,
    couple_anisotropic,
    exponential,
)
from qness.master import (
    Generator,
    RegimeWarning,
    bloch_redfield,
    davies,
    local_lindblad,
    partial_secular,
)

#: Where the full run writes its figure (relative to the repository root).
FIGURE_DIR = Path(__file__).resolve().parents[1] / "docs" / "figures"
FIGURE_NAME = "tutorial_concurrence_vs_mu.png"

DELTA = 1.0            # qubit splitting (rad/s); the unit of frequency throughout
SEPARATION = 0.5       # distance between the two qubits (any length unit)
LONG_RANGE = 20.0      # correlation length of the co-rotating channel (>> SEPARATION)
SHORT_RANGE = 0.05     # correlation length of the counter-rotating channel (<< SEPARATION)
RATE_SCALE = 1e-3      # overall size of the reduced densities (weak coupling: rates ~ 5e-3)

SPACE = Space.qubits(2)
SM = [SPACE.embed(op.sigmam(), j).toarray() for j in range(2)]    # sigma^- = |g><e| on qubit j
SP = [s.conj().T for s in SM]
SX = [SPACE.embed(op.sigmax(), j).toarray() for j in range(2)]
SZ = [SPACE.embed(op.sigmaz(), j).toarray() for j in range(2)]
Q_SYSTEM = 0.5 * (SZ[0] + SZ[1])    # system charge: a sigma^- jump hands q = +1 to the bath


# ----------------------------------------------------------------------------- the bath
def co_density(w: np.ndarray) -> np.ndarray:
    """Reduced density ``A~(w)`` of the co-rotating channel (peak at +1.2, dimensionless)."""
    return RATE_SCALE * np.exp(-(((np.asarray(w) - 1.2) / 2.0) ** 2))


def counter_density(w: np.ndarray) -> np.ndarray:
    """Reduced density of the counter-rotating channel (its mirror image, peak at -1.2)."""
    return co_density(-np.asarray(w))


def magnet_bath(T: float, mu: float, kernel_co: Kernel, kernel_counter: Kernel) -> Bath:
    """A magnet-like bath at ``(T, mu)`` with two channels of opposite charge.

    ``'co'`` (``q = +1``): a qubit decay creates a quantum, so the channel acts on the qubit as
    a bath at chemical potential ``+mu``.  ``'counter'`` (``q = -1``): a qubit decay destroys
    one, chemical potential ``-mu``.  Both use ``statistics='kms'``: the density is the
    reduced spectrum ``A~ = S_down / (2 pi f_plus(w - q mu))`` on the whole real axis, which
    allows any ``mu`` (a gapless bosonic ``J`` would need ``q mu`` below its support).
    """
    return Bath(T, mu, (
        Channel(co_density, charge=+1, kernel=kernel_co, statistics="kms", name="co"),
        Channel(counter_density, charge=-1, kernel=kernel_counter, statistics="kms",
                name="counter"),
    ), name="magnet")


def section_bath(T: float = 0.3, mu: float = 0.4) -> dict[str, Any]:
    """Section 1: spectra, the S vs J convention, detailed balance and kernels."""
    print("== 1. Describing a bath ==")
    omegas = np.array([0.5, 1.0, 2.0])
    # a neutral (q = 0) bosonic channel with an ohmic J: S(w) = 2 pi J(w) [1 + n(w)]
    phonons = Bath(T, 0.0, Channel(Ohmic(alpha=1e-3, cutoff=5.0), charge=0, name="x"),
                   name="phonons")
    ohm = phonons["x"]
    s_pos, s_neg = ohm.down(omegas), ohm.down(-omegas)
    s_from_j = 2 * np.pi * Ohmic(1e-3, 5.0)(omegas) * (1 + bose(omegas, T))
    print(f"{phonons!r}")
    print("omega                       ", omegas)
    print("S(omega)                    ", s_pos)
    print("2 pi J (1 + n)              ", s_from_j)
    print("S(-omega) / S(omega)        ", s_neg / s_pos)
    print("exp(-omega/T)               ", np.exp(-omegas / T))
    # a charged bath: each channel is a bath at q mu (shifted KMS)
    magnet = magnet_bath(T, mu, exponential(LONG_RANGE), exponential(SHORT_RANGE))
    print(f"{magnet!r}")
    ratios = {}
    for ch in magnet:
        ratio = ch.up(omegas) / ch.down(omegas)
        ratios[ch.channel.name] = (ratio, np.exp(-(omegas - ch.effective_mu) / T))
        print(f"{ch.channel.name:8s} q mu = {ch.effective_mu:+.1f}  S_up/S_down =", ratio)
        print(f"{'':8s} exp(-(omega - q mu)/T)    =", ratios[ch.channel.name][1])
    positions = [0.0, SEPARATION]
    rates = {}
    for ch in magnet:
        rates[ch.channel.name] = ch.rate_matrix(positions, DELTA).real
        print(f"Gamma_down ({ch.channel.name}, omega = Delta, r = {SEPARATION}):\n",
              np.array2string(rates[ch.channel.name], precision=6))
    return {"ohmic": (s_pos, s_neg, s_from_j, np.exp(-omegas / T)), "kms": ratios,
            "rates": rates}


# ----------------------------------------------------------------------------- two qubits
def qubit_hamiltonian(delta1: float = DELTA, delta2: float = DELTA,
                      g: float = 0.0) -> np.ndarray:
    """``H = (D1/2) sz_1 + (D2/2) sz_2 + g (s+_1 s-_2 + h.c.)`` (rad/s)."""
    return 0.5 * delta1 * SZ[0] + 0.5 * delta2 * SZ[1] + g * (SP[0] @ SM[1] + SP[1] @ SM[0])


def magnet_couplings(bath: Bath, eta: float) -> list:
    """Both qubits, at ``0`` and ``SEPARATION``: ``sigma^- (x) (X_co + eta X_counter) + h.c.``.

    ``eta = 0`` conserves ``N + Q_S`` (N the bath charge); ``eta != 0`` mixes the charges.
    """
    couplings = []
    for j, r in enumerate((0.0, SEPARATION)):
        couplings += couple_anisotropic(SM[j], bath["co"], bath["counter"], position=r,
                                        strength=1.0, eta=eta)
    return couplings


def build_all(h: np.ndarray, couplings: list) -> dict[str, Generator]:
    """Local, Davies and partial-secular generators (warnings are printed, not raised)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RegimeWarning)
        gens = {
            "local": local_lindblad(h, couplings, dims=[2, 2]),
            "davies": davies(h, couplings),
            "partial": partial_secular(h, couplings),
        }
    for w in caught:
        print(f"  RegimeWarning: {w.message}")
    return gens


def section_two_qubits(T: float = 0.02, mu: float = 1.3, eta: float = 0.2,
                       detuning: float = 1e-4) -> dict[str, Any]:
    """Section 2: couple two qubits, build three generators, solve, print diagnostics."""
    print("\n== 2. Two qubits, three master equations ==")
    bath = magnet_bath(T, mu, exponential(LONG_RANGE), exponential(SHORT_RANGE))
    couplings = magnet_couplings(bath, eta)
    out: dict[str, Any] = {}
    for label, d2 in (("identical", DELTA), ("detuned", DELTA + detuning)):
        h = qubit_hamiltonian(DELTA, d2)
        print(f"-- {label} qubits: Delta_2 - Delta_1 = {d2 - DELTA:g}")
        gens = build_all(h, couplings)
        gens["redfield"] = bloch_redfield(h, couplings, warn=False)   # non-secular reference
        conc = {}
        for name, gen in gens.items():
            ss = steadystate(gen)
            conc[name] = float(measures.concurrence(ss.rho))
            if label == "identical" and name == "partial":
                print(ss.summary())
        print("  concurrence:", {k: round(v, 5) for k, v in conc.items()})
        print("  rate / level spacing (davies):", f"{gens['davies'].info['rate_to_spacing']:.3g}")
        out[label] = conc
    return out


# ----------------------------------------------------------------------------- equilibrium
def gge(h: np.ndarray, charge: np.ndarray, mu: float, T: float) -> np.ndarray:
    """Generalised Gibbs state ``exp[-(H - mu Q)/T] / Z``."""
    g = expm(-(h - mu * charge) / T)
    return g / np.trace(g)


def section_equilibrium(T: float = 0.3) -> dict[str, Any]:
    """Section 3: mu = 0 gives Gibbs; a conserving coupling at mu != 0 gives a GGE product."""
    print("\n== 3. Equilibrium checks ==")
    h = qubit_hamiltonian()
    out: dict[str, Any] = {"gibbs": {}, "gge": {}}
    bath0 = magnet_bath(T, 0.0, exponential(LONG_RANGE), exponential(SHORT_RANGE))
    gibbs = gge(h, Q_SYSTEM, 0.0, T)
    for name, gen in build_all(h, magnet_couplings(bath0, eta=0.5)).items():
        rho = steadystate(gen).rho
        out["gibbs"][name] = float(measures.trace_distance(rho, gibbs))
    print("mu = 0, charge-mixing coupling (eta = 0.5): ||rho - Gibbs||_tr =",
          {k: f"{v:.1e}" for k, v in out["gibbs"].items()})
    for mu in (-0.7, 1.6):
        bath = magnet_bath(T, mu, exponential(LONG_RANGE), exponential(SHORT_RANGE))
        target = gge(h, Q_SYSTEM, mu, T)
        res = {}
        for name, gen in build_all(h, magnet_couplings(bath, eta=0.0)).items():
            rho = steadystate(gen).rho
            res[name] = (float(measures.trace_distance(rho, target)),
                         float(measures.concurrence(rho)))
        out["gge"][mu] = {"results": res, "p_ee": float(target[0, 0].real),
                          "p_gg": float(target[3, 3].real)}
        print(f"mu = {mu:+.1f}, conserving coupling (eta = 0): (||rho - GGE||_tr, C) =",
              {k: (f"{d:.1e}", f"{c:.1e}") for k, (d, c) in res.items()},
              f" p_ee = {target[0, 0].real:.4f}, p_gg = {target[3, 3].real:.4f}")
    return out


# ----------------------------------------------------------------------------- two baths
def heat_flow(g: float, builder: str, t_hot: float = 0.5, t_cold: float = 0.1
              ) -> tuple[float, float, float]:
    """Heat currents (hot, cold) and entropy production for qubit 1 on a hot and qubit 2 on a
    cold ohmic bath, exchange coupling ``g`` (all rad/s)."""
    h = qubit_hamiltonian(g=g)
    hot = Bath(t_hot, 0.0, Channel(Ohmic(1e-3, 3.0), 0, name="x"), name="hot")
    cold = Bath(t_cold, 0.0, Channel(Ohmic(1e-3, 3.0), 0, name="x"), name="cold")
    couplings = [couple(SX[0], hot), couple(SX[1], cold)]
    gen = {
        "local": lambda: local_lindblad(h, couplings, dims=[2, 2], warn=False),
        "davies": lambda: davies(h, couplings, warn=False),
        "partial": lambda: partial_secular(h, couplings, warn=False),
        "redfield": lambda: bloch_redfield(h, couplings, warn=False),
    }[builder]()
    rho = steadystate(gen).rho
    q = measures.heat_currents(gen, rho)
    return q["hot:x"], q["cold:x"], float(measures.entropy_production(gen, rho))


def section_local_vs_global(couplings_g: tuple[float, ...] = (1e-4, 0.02, 0.4)
                            ) -> dict[float, dict[str, tuple[float, float, float]]]:
    """Section 4: heat currents of the four forms for weak and strong internal coupling."""
    print("\n== 4. Local vs global: hot (T = 0.5) and cold (T = 0.1) bath ==")
    out: dict[float, dict[str, tuple[float, float, float]]] = {}
    print(f"{'g':>7s} {'form':9s} {'Q_hot':>11s} {'Q_hot+Q_cold':>13s} {'sigma':>10s}"
          f" {'Q_hot/Q_redfield':>16s}")
    for g in couplings_g:
        out[g] = {b: heat_flow(g, b) for b in ("local", "davies", "partial", "redfield")}
        ref = out[g]["redfield"][0]
        for b, (qh, qc, sigma) in out[g].items():
            print(f"{g:7.0e} {b:9s} {qh:11.4e} {qh + qc:13.1e} {sigma:10.3e} {qh / ref:16.4f}")
    return out


# ----------------------------------------------------------------------------- entanglement
def concurrence_vs_mu(mus: np.ndarray, eta: float, kernel_co: Kernel, kernel_counter: Kernel,
                      T: float = 0.02) -> np.ndarray:
    """Steady-state concurrence (partial-secular generator) for each bath chemical potential."""
    h = qubit_hamiltonian()
    out = np.empty(len(mus))
    for i, mu in enumerate(mus):
        bath = magnet_bath(T, float(mu), kernel_co, kernel_counter)
        gen = partial_secular(h, magnet_couplings(bath, eta), warn=False)
        out[i] = float(measures.concurrence(steadystate(gen).rho))
    return out


def section_concurrence(out_dir: Path, quick: bool) -> dict[str, Any]:
    """Section 5: C(mu) for conserving and charge-mixing couplings; writes the figure."""
    print("\n== 5. Concurrence vs mu ==")
    mus = np.linspace(-2.5, 2.5, 11 if quick else 101)
    long_, short = exponential(LONG_RANGE), exponential(SHORT_RANGE)
    curves = {
        "conserving (eta = 0)": concurrence_vs_mu(mus, 0.0, long_, short),
        "charge-mixing (eta = 0.2), long/short kernels": concurrence_vs_mu(mus, 0.2, long_,
                                                                            short),
        "charge-mixing (eta = 0.5), long/short kernels": concurrence_vs_mu(mus, 0.5, long_,
                                                                            short),
        "charge-mixing (eta = 0.2), same long kernel": concurrence_vs_mu(mus, 0.2, long_, long_),
    }
    for label, c in curves.items():
        k = int(np.argmax(c))
        where = f" at mu = {mus[k]:+.2f}" if c[k] > 1e-12 else " (all mu)"
        print(f"{label:46s} max C = {c[k]:.4f}{where}")
    path = plot_concurrence(mus, curves, Path(out_dir) / FIGURE_NAME)
    print(f"figure written to {path}")
    return {"mus": mus, "curves": curves, "figure": path}


def plot_concurrence(mus: np.ndarray, curves: dict[str, np.ndarray], path: Path) -> Path:
    """Plot ``C(mu)`` curves with the thresholds ``mu = +-Delta`` marked; returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    styles = ["k-", "C0-", "C1-", "C2--"]
    for (label, c), style in zip(curves.items(), styles, strict=False):
        ax.plot(mus, c, style, label=label.replace("eta", r"$\eta$"), lw=1.8)
    for x in (-DELTA, DELTA):
        ax.axvline(x, color="0.6", lw=0.8, ls=":")
    ax.axhline(0.5, color="0.8", lw=0.8)
    ax.set_xlabel(r"bath chemical potential $\mu$ (units of $\Delta$)")
    ax.set_ylabel("steady-state concurrence $C$")
    ax.set_title(rf"two qubits, $r = {SEPARATION}$, $T = 0.02$; co: $\xi = {LONG_RANGE:g}$, "
                 rf"counter: $\xi = {SHORT_RANGE:g}$", fontsize=9)
    ax.set_ylim(-0.01, 0.52)
    ax.legend(fontsize=8, loc="upper center")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


# ----------------------------------------------------------------------------- driver
def main(out_dir: Path | str = FIGURE_DIR, quick: bool = False) -> dict[str, Any]:
    """Run every section, print its numbers and write the figure into ``out_dir``.

    Returns a dict with each section's results (used by tests/test_tutorial_example.py).
    """
    np.set_printoptions(precision=6, linewidth=100)
    return {
        "bath": section_bath(),
        "two_qubits": section_two_qubits(),
        "equilibrium": section_equilibrium(),
        "local_vs_global": section_local_vs_global(),
        "concurrence": section_concurrence(Path(out_dir), quick),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="coarse mu grid")
    parser.add_argument("--out-dir", type=Path, default=FIGURE_DIR, help="figure directory")
    args = parser.parse_args()
    main(args.out_dir, args.quick)
