"""Benchmark: EAP θ with posterior SD for N persons × 40 2PL items (default N = 1,000,000).

Compares, in the same run and on the same data:
  * pathfit  — assessment.irt.eap (log-space matrix products over mirt's 61-point grid, blocked);
  * numpy    — a plain numpy reference: probabilities broadcast over persons × nodes × items,
               product of the likelihood terms, then posterior moments (blocked to bound memory);
  * mirt     — the `mirt` PyPI package (mirt==1.2.*), fscores(method="EAP", n_quadpts=61).
Prints seconds, persons per second and ratios; checks that the three agree.

    python bench/bench_eap.py [--n 1000000] [--items 40] [--skip-mirt]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from assessment.irt import ItemBank, eap, normal_quadrature


def numpy_reference(x: np.ndarray, a: np.ndarray, b: np.ndarray, block: int = 4096
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Textbook EAP: L(θ_q) = Π_j P_j(θ_q)^x (1 − P_j(θ_q))^(1−x), posterior mean and SD on the grid."""
    quad = normal_quadrature()
    p = 1.0 / (1.0 + np.exp(-a[None, :] * (quad.points[:, None] - b[None, :])))  # (Q, J)
    theta = np.empty(x.shape[0])
    sd = np.empty(x.shape[0])
    for s in range(0, x.shape[0], block):
        xb = x[s:s + block].astype(np.float64)[:, None, :]  # (n, 1, J)
        like = np.prod(np.where(xb == 1.0, p[None], 1.0 - p[None]), axis=2) * quad.weights  # (n, Q)
        norm = like.sum(axis=1)
        mean = like @ quad.points / norm
        theta[s:s + block] = mean
        sd[s:s + block] = np.sqrt(like @ quad.points ** 2 / norm - mean ** 2)
    return theta, sd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-mirt", action="store_true")
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    a = rng.lognormal(0.0, 0.3, args.items)
    b = rng.normal(0.0, 1.0, args.items)
    bank = ItemBank.dichotomous(a, b)
    x = np.empty((args.n, args.items), dtype=np.int8)
    for s in range(0, args.n, 100_000):
        th = rng.standard_normal(min(100_000, args.n - s))
        p = 1.0 / (1.0 + np.exp(-a * (th[:, None] - b)))
        x[s:s + th.size] = rng.random(p.shape) < p
    print(f"EAP with posterior SD: {args.n:,} persons x {args.items} items, 2PL, 61 nodes on [-6, 6]")

    t0 = time.perf_counter()
    ours = eap(x, bank)
    t_ours = time.perf_counter() - t0
    print(f"  pathfit eap           {t_ours:8.2f} s   {args.n / t_ours:12,.0f} persons/s")

    t0 = time.perf_counter()
    ref_theta, ref_sd = numpy_reference(x, a, b)
    t_ref = time.perf_counter() - t0
    print(f"  plain numpy reference {t_ref:8.2f} s   {args.n / t_ref:12,.0f} persons/s")
    print(f"    max |Δθ| vs reference = {np.max(np.abs(ours.theta - ref_theta)):.2e}, "
          f"max |ΔSD| = {np.max(np.abs(ours.se - ref_sd)):.2e}")

    t_mirt = None
    if not args.skip_mirt:
        try:
            import mirt
            from mirt.models.dichotomous import TwoParameterLogistic
        except ImportError:
            print("  mirt package not installed (pip install 'mirt==1.2.*'); skipped")
        else:
            model = TwoParameterLogistic(n_items=args.items)
            model.set_parameters(discrimination=a, difficulty=b)
            model._is_fitted = True  # parameters are given, not estimated
            t0 = time.perf_counter()
            res = mirt.fscores(model, x, method="EAP", n_quadpts=61)
            t_mirt = time.perf_counter() - t0
            print(f"  mirt {mirt.__version__:<16} {t_mirt:8.2f} s   {args.n / t_mirt:12,.0f} persons/s")
            print(f"    max |Δθ| vs mirt = {np.max(np.abs(ours.theta - res.theta.ravel())):.2e} "
                  "(mirt integrates with 61 Gauss–Hermite nodes, pathfit with mirt-R's rectangular grid)")

    print("ratios (higher = pathfit faster):")
    print(f"  plain numpy reference / pathfit = {t_ref / t_ours:6.2f}x  (goal >= 1)")
    if t_mirt is not None:
        print(f"  mirt / pathfit                  = {t_mirt / t_ours:6.2f}x  (goal >= 2)")


if __name__ == "__main__":
    main()
