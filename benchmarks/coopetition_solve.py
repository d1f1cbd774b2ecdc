"""Throughput of the vectorised closed-form ``solve`` against the numerical ``solve_numeric``.

Run: ``python benchmarks/coopetition_solve.py [n_vectorised] [n_numeric]``. Prints a table:
parameter sets per second for each scenario, and the speed ratio. Not a unit test.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from cocreation.coopetition import Params, solve, solve_numeric


def draws(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"alpha": rng.uniform(0.1, 5, n), "k_p": rng.uniform(0.1, 3, n), "k_s": rng.uniform(0.1, 3, n),
            "rho_p": rng.uniform(0.1, 3, n), "rho_s": rng.uniform(0.1, 3, n)}


def rate(seconds: float, n: int) -> float:
    return n / seconds if seconds > 0 else float("inf")


def main(n_vec: int = 1_000_000, n_num: int = 40) -> None:
    vec = Params(**draws(n_vec))
    small = draws(n_num, seed=1)
    solve_numeric(Params(), "R")  # warm up: imports scipy, fills caches
    print(f"vectorised solve: {n_vec:,} parameter sets; solve_numeric: {n_num} sets, one at a time\n")
    print(f"{'scenario':>8} | {'solve (sets/s)':>16} | {'solve_numeric (sets/s)':>22} | {'speed ratio':>12} | max rel diff")
    print("-" * 84)
    for sc in ("N", "P", "S", "C", "R"):
        start = time.perf_counter()
        solve(vec, sc, power=0.5)
        t_vec = time.perf_counter() - start
        start = time.perf_counter()
        numeric = [solve_numeric(Params(**{k: float(v[i]) for k, v in small.items()}), sc, power=0.5)
                   for i in range(n_num)]
        t_num = time.perf_counter() - start
        closed = solve(Params(**small), sc, power=0.5)
        diff = max(abs(n.total - c) / abs(c) for n, c in zip(numeric, closed.total))
        r_vec, r_num = rate(t_vec, n_vec), rate(t_num, n_num)
        print(f"{sc:>8} | {r_vec:>16,.0f} | {r_num:>22,.1f} | {r_vec / r_num:>12,.0f} | {diff:.1e}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
