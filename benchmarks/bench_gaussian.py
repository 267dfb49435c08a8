"""Gaussian steady states: qness Lyapunov solve vs a QuTiP truncated-Fock steady state.

Two modes (the krauter2011 model at its defaults): QuTiP builds the Liouvillian on N x N Fock
levels and solves for rho, then the covariance is read off; qness solves the 4 x 4 Lyapunov
equation.  Then qness alone on chains of 10, 50, 200 modes (beam-splitter + pairing couplings,
local thermal damping).  BLAS threading matters a lot on small machines: compare runs with
OMP_NUM_THREADS=1.

Run:  python benchmarks/bench_gaussian.py [--cutoffs 4 6 8 10] [--modes 10 50 200]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from qness.measures.gaussian import covariance_from_density_matrix
from qness.models.gaussian_models import KRAUTER
from qness.steady.gaussian import GaussianSystem, annihilation, solve_gaussian


def _best(f, repeat: int = 3) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def two_mode(cutoffs: list[int]) -> None:
    import qutip

    p = KRAUTER.resolve()
    t_q, ss = _best(lambda: solve_gaussian(KRAUTER.build(p)), repeat=20)
    mu, nu = KRAUTER.build(p).info["mu"], KRAUTER.build(p).info["nu"]
    print(f"two modes (krauter2011 defaults): qness Gaussian {t_q * 1e3:.3f} ms")
    print(f"{'N':>4} {'dim':>6} {'qutip [s]':>10} {'ratio':>10} {'max|dV|':>10}")
    for N in cutoffs:
        a1 = qutip.tensor(qutip.destroy(N), qutip.qeye(N))
        a2 = qutip.tensor(qutip.qeye(N), qutip.destroy(N))
        c_ops = [mu * a1 + nu * a2.dag(), mu * a2 + nu * a1.dag()]
        for a in (a1, a2):
            c_ops += [np.sqrt(p["gamma"] * (p["n"] + 1)) * a,
                      np.sqrt(p["gamma"] * p["n"]) * a.dag()]
        H = 0 * a1.dag() * a1
        t, rho = _best(lambda H=H, c_ops=c_ops: qutip.steadystate(H, c_ops), repeat=1)
        V, _ = covariance_from_density_matrix(rho.full(), [N, N])
        err = np.max(np.abs(V - ss.covariance))
        print(f"{N:>4} {N * N:>6} {t:>10.3f} {t / t_q:>10.0f} {err:>10.2e}")


def chain(n: int) -> GaussianSystem:
    rng = np.random.default_rng(0)
    omega = np.eye(n) + 0.3 * (np.eye(n, k=1) + np.eye(n, k=-1))
    pair = 0.1 * (np.eye(n, k=1) + np.eye(n, k=-1))
    thermal = [(0.5, rng.uniform(0, 1), annihilation(n, j)) for j in range(n)]
    return GaussianSystem.from_modes(omega, pair, thermal=thermal)


def many_modes(sizes: list[int]) -> None:
    print(f"\n{'modes':>6} {'build [s]':>10} {'solve [s]':>10} {'method':>24} {'residual':>10}")
    for n in sizes:
        t_b, sys_ = _best(lambda n=n: chain(n), repeat=1)
        t_s, ss = _best(lambda sys_=sys_: solve_gaussian(sys_), repeat=3)
        print(f"{n:>6} {t_b:>10.3f} {t_s:>10.3f} {ss.method:>24} {ss.residual:>10.1e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cutoffs", type=int, nargs="+", default=[4, 6, 8, 10])
    ap.add_argument("--modes", type=int, nargs="+", default=[10, 50, 200])
    args = ap.parse_args()
    two_mode(args.cutoffs)
    many_modes(args.modes)


if __name__ == "__main__":
    main()
