"""Repayment schedules of a book: lendcrm against a well-written plain-numpy baseline.

The book: ``N`` fixed-rate facilities (1,000,000 by default), **quarterly** payments,
ACT/360, start dates spread over 2020-2025, a typical corporate tenor mix (30 % one to
three years, 50 % four to seven, 20 % eight to ten: at most 40 periods) and
amortisation kinds annuity 40 %, linear 30 %, bullet 20 %, balloon (20 % residual)
10 %.

Contestants, both producing the ``(facilities, periods)`` balance, interest and
accrual arrays:

- lendcrm: `lendcrm.risk.schedules.repayment_schedules` (input checks included);
- numpy: closed forms over the whole ``(n, T)`` grid at once (`numpy_schedules`
  below): month arithmetic for the dates, the annuity balance
  $B_k = F + (P - F)((1+\\rho)^n - (1+\\rho)^k)/((1+\\rho)^n - 1)$, the linear one
  $P(1 - k/n)$; it holds for fixed rates only (lendcrm's period recursion also
  takes floating rates, grace periods, sculpted and revolving profiles).

No peer library builds loan schedules for a book (numpy-financial's ``ppmt``/``ipmt``
price one level annuity at a time, without dates or day counts). The two results are
asserted equal (1e-9 relative) at 10k and 100k, each contestant is timed three
times (median and range) at 10k, 100k and 1M facilities through the shared harness,
and its peak resident memory at ``N`` is measured in a child process of its own (one
call).

Run: ``python benchmarks/bench_schedules.py [n_facilities]``.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import sys
from collections.abc import Callable

import _harness
import numpy as np

from lendcrm.risk.schedules import Schedule, repayment_schedules

RUNS = 3
KINDS = np.array(["annuity", "linear", "bullet", "balloon"])
RATE = 0.055


def build_book(n: int, seed: int = 11) -> dict[str, np.ndarray]:
    """The book's terms, built with numpy."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2020-01-01", "D") + rng.integers(0, 6 * 365, n)
    band = rng.choice(3, n, p=[0.3, 0.5, 0.2])
    years = np.choose(
        band, [rng.integers(1, 4, n), rng.integers(4, 8, n), rng.integers(8, 11, n)]
    )
    months = start.astype("datetime64[M]")
    day = (start - months.astype("datetime64[D]")).astype(np.int64)
    end_month = months + 12 * years
    length = (end_month + 1).astype("datetime64[D]") - end_month.astype("datetime64[D]")
    maturity = end_month.astype("datetime64[D]") + np.minimum(
        day, length.astype(np.int64) - 1
    )
    kind = KINDS[rng.choice(4, n, p=[0.4, 0.3, 0.2, 0.1])]
    return {
        "principal": rng.uniform(1e5, 5e7, n).round(2),
        "start": start,
        "maturity": maturity,
        "amortisation": kind,
        "balloon_fraction": np.where(kind == "balloon", 0.2, 0.0),
    }


def run_lendcrm(book: dict[str, np.ndarray]) -> Schedule:
    """lendcrm: the vectorised period recursion."""
    return repayment_schedules(
        rate=RATE, payments_per_year=4, day_count="ACT/360", **book
    )


def numpy_schedules(book: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Plain numpy: closed forms over the whole (n, T) grid (fixed rates only)."""
    start, maturity = book["start"], book["maturity"]
    p, kind = book["principal"], book["amortisation"]
    m0 = start.astype("datetime64[M]")
    day = (start - m0.astype("datetime64[D]")).astype(np.int64)
    months = (maturity.astype("datetime64[M]") - m0).astype(np.int64)
    n = -(-months // 3)  # tenors in whole months here: periods = ceil(months / 3)
    t = int(n.max())
    k = np.arange(1, t + 1)
    grid = m0[:, None] + 3 * k[None, :]
    first = grid.astype("datetime64[D]")
    length = ((grid + 1).astype("datetime64[D]") - first).astype(np.int64)
    ends = first + np.minimum(day[:, None], length - 1)
    ends = np.where(k[None, :] == n[:, None], maturity[:, None], ends)
    prev = np.concatenate([start[:, None], ends[:, :-1]], axis=1)
    live = k[None, :] <= n[:, None]
    accrual = np.where(live, (ends - prev).astype(np.int64) / 360.0, 0.0)
    rho = RATE / 4
    growth_n = (1 + rho) ** n[:, None]
    done = (1 + rho) ** (k[None, :] - 1)  # balance during period k: k - 1 paid
    residual = book["balloon_fraction"][:, None] * p[:, None]
    level = residual + (p[:, None] - residual) * (growth_n - done) / (growth_n - 1)
    linear = p[:, None] * (1 - (k[None, :] - 1) / n[:, None])
    balance = np.where(
        (kind == "bullet")[:, None],
        p[:, None],
        np.where((kind == "linear")[:, None], linear, level),
    )
    balance = np.where(live, balance, 0.0)
    return {
        "balance": balance,
        "interest": balance * RATE * accrual,
        "accrual": accrual,
    }


def _check(book: dict[str, np.ndarray]) -> None:
    s = run_lendcrm(book)
    base = numpy_schedules(book)
    for name in ("balance", "interest", "accrual"):
        np.testing.assert_allclose(getattr(s, name), base[name], rtol=1e-9, atol=1e-6)


def _peak(fn: Callable[[dict[str, np.ndarray]], object], n: int, out: mp.Queue) -> None:
    book = build_book(n)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    fn(book)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.put((before / 1e6, peak / 1e6))


def peak_rss(
    fn: Callable[[dict[str, np.ndarray]], object], n: int
) -> tuple[float, float]:
    """Resident size with the book loaded and peak after one call (GB), in a child."""
    ctx = mp.get_context("fork")
    q: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=_peak, args=(fn, n, q))
    proc.start()
    result = q.get()
    proc.join()
    return result


def setup(n: int) -> _harness.Contest:
    """The book of `n` facilities (results checked equal up to 100k)."""
    book = build_book(n)
    if n <= 100_000:
        _check(book)
    return _harness.Contest(
        ours=lambda: run_lendcrm(book), floor=lambda: numpy_schedules(book)
    )


def main() -> None:
    """Check equality, time both contestants at each size, then peak memory at N."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
    _check(build_book(20_000))
    print("results equal (balance, interest, accrual; 1e-9 relative)")
    _harness.scale("repayment_schedules (quarterly, <= 40 periods)", setup)
    for name, fn in (("lendcrm", run_lendcrm), ("numpy", numpy_schedules)):
        loaded, peak = peak_rss(fn, n)
        print(f"{n:>9,} {name:8s} peak RSS {peak:.2f} GB (book loaded {loaded:.2f} GB)")


if __name__ == "__main__":
    main()
