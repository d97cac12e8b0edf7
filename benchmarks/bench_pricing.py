"""EAD + EL + IRB RWA + minimum rate for 1,000,000 facilities (#6).

lendcrm's vectorised pass is timed on the whole book; the peer is the plain
per-facility Python loop a pricing service would write with `math` and
`statistics.NormalDist`, timed on a 10,000-facility sample and scaled up to 1M. The
two are checked to agree on the sample before anything is timed. Peak memory is taken
with `tracemalloc` in separate runs (it slows Python loops, so never while timing).
"""

from __future__ import annotations

import math
import statistics
import time
import tracemalloc
from collections.abc import Callable
from statistics import NormalDist

import numpy as np

from lendcrm.risk.capital import (
    BASEL_III,
    expected_loss,
    exposure_at_default,
    risk_weight,
)
from lendcrm.risk.pricing import minimum_rate, price_book

N = 1_000_000
SAMPLE = 10_000
REPEATS = 5
FUNDING, OPEX, HURDLE, RF, CAPITAL_RATIO = 0.03, 0.004, 0.12, 0.03, 0.10

Book = dict[str, np.ndarray]


def make_book(n: int, seed: int = 6) -> Book:
    rng = np.random.default_rng(seed)
    return {
        "drawn": rng.uniform(0, 10e6, n),
        "undrawn": rng.uniform(0, 5e6, n),
        "ccf": rng.choice([0.2, 0.5, 0.75, 1.0], n),
        "default_probability": np.exp(rng.uniform(np.log(0.0003), np.log(0.3), n)),
        "lgd": rng.uniform(0.1, 0.7, n),
        "maturity": rng.uniform(0.5, 7.0, n),
        "sales": rng.uniform(1.0, 120.0, n),
    }


def vectorised(book: Book) -> tuple[np.ndarray, ...]:
    """One validated, fused pass: `price_book`."""
    out = price_book(
        drawn=book["drawn"],
        undrawn=book["undrawn"],
        ccf=book["ccf"],
        default_probability=book["default_probability"],
        lgd=book["lgd"],
        maturity=book["maturity"],
        sales=book["sales"],
        funding_rate=FUNDING,
        operating_cost_rate=OPEX,
        hurdle_rate=HURDLE,
        risk_free_rate=RF,
        capital_ratio=CAPITAL_RATIO,
        regime=BASEL_III,
    )
    return out.ead, out.expected_loss, out.risk_weighted_assets, out.minimum_rate


def separate_calls(book: Book) -> tuple[np.ndarray, ...]:
    """The same four results from the four separate public functions."""
    ead = exposure_at_default(book["drawn"], book["undrawn"], book["ccf"])
    el = expected_loss(book["default_probability"], book["lgd"], ead)
    rw = risk_weight(
        book["default_probability"],
        book["lgd"],
        maturity=book["maturity"],
        sales=book["sales"],
        regime=BASEL_III,
    )
    rate = minimum_rate(
        book["default_probability"],
        book["lgd"],
        maturity=book["maturity"],
        funding_rate=FUNDING,
        operating_cost_rate=OPEX,
        hurdle_rate=HURDLE,
        risk_free_rate=RF,
        capital_ratio=CAPITAL_RATIO,
        regime=BASEL_III,
        risk_weight_override=rw,
    )
    return ead, el, rw * ead, rate


def loop(book: Book) -> tuple[list[float], ...]:
    """The per-facility loop: same formulas, `math` and `NormalDist`, no numpy."""
    nd = NormalDist()
    g999 = nd.inv_cdf(0.999)
    eads, els, rwas, rates = [], [], [], []
    cols = [
        book[k].tolist()
        for k in (
            "drawn",
            "undrawn",
            "ccf",
            "default_probability",
            "lgd",
            "maturity",
            "sales",
        )
    ]
    for drawn, undrawn, ccf, pd_, lgd, m, sales in zip(*cols, strict=True):
        ead = drawn + ccf * undrawn
        el = pd_ * lgd * ead
        p = max(pd_, 0.0005)
        w = (1 - math.exp(-50 * p)) / (1 - math.exp(-50))
        s = min(max(sales, 5.0), 50.0)
        r = 0.12 * w + 0.24 * (1 - w) - 0.04 * (1 - (s - 5) / 45)
        mm = min(max(m, 1.0), 5.0)
        b = (0.11852 - 0.05478 * math.log(p)) ** 2
        cond = nd.cdf((nd.inv_cdf(p) + math.sqrt(r) * g999) / math.sqrt(1 - r))
        k = (lgd * cond - p * lgd) * (1 + (mm - 2.5) * b) / (1 - 1.5 * b)
        rw = 12.5 * k
        eads.append(ead)
        els.append(el)
        rwas.append(rw * ead)
        rates.append(FUNDING + pd_ * lgd + OPEX + rw * CAPITAL_RATIO * (HURDLE - RF))
    return eads, els, rwas, rates


def _median_seconds(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    book = make_book(N)
    sample = {k: v[:SAMPLE] for k, v in book.items()}

    # Agreement first: the loop and the vectorised pass give the same numbers.
    fast = vectorised(sample)
    slow = loop(sample)
    for name, a, b in zip(("ead", "el", "rwa", "rate"), fast, slow, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, err_msg=name)
    print(
        f"agreement on {SAMPLE:,} facilities: EAD, EL, RWA, minimum rate to rtol 1e-9"
    )

    for name, a, b in zip(
        ("ead", "el", "rwa", "rate"), fast, separate_calls(sample), strict=True
    ):
        np.testing.assert_allclose(a, b, rtol=1e-12, err_msg=name)

    vec_1m = _median_seconds(lambda: vectorised(book), REPEATS)
    sep_1m = _median_seconds(lambda: separate_calls(book), REPEATS)
    loop_10k = _median_seconds(lambda: loop(sample), 3)
    loop_1m = loop_10k * (N / SAMPLE)
    per_vec = vec_1m / N * 1e9
    per_loop = loop_10k / SAMPLE * 1e9
    print(
        f"lendcrm vectorised, {N:,} facilities: median {vec_1m:.3f} s "
        f"({per_vec:.0f} ns/facility; target <= 0.5 s)"
    )
    print(
        f"python loop (math + NormalDist), {SAMPLE:,} sample: median {loop_10k:.3f} s "
        f"-> {loop_1m:.1f} s scaled to {N:,} ({per_loop:.0f} ns/facility)"
    )
    print(f"lendcrm four separate calls, {N:,} facilities: median {sep_1m:.3f} s")
    print(f"speed-up per facility: {per_loop / per_vec:.0f}x (target >= 100x)")

    vec_peak = _peak_mib(lambda: vectorised(book))
    loop_peak = _peak_mib(lambda: loop(sample))
    book_mib = sum(v.nbytes for v in book.values()) / 2**20
    print(
        f"peak traced memory: vectorised 1M {vec_peak:.0f} MiB (input book {book_mib:.0f} MiB); "
        f"loop 10k {loop_peak:.1f} MiB (~{loop_peak * N / SAMPLE:.0f} MiB scaled to 1M)"
    )


if __name__ == "__main__":
    main()
