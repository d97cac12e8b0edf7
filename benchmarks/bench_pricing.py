"""EAD + EL + IRB RWA + minimum rate for 10k, 100k and 1M facilities (#6, #20).

lendcrm's validated, fused pass (`price_book`) is timed through the shared harness at
each size against its floor, the same formulas written as plain numpy with
`scipy.special` (`numpy_floor`, no checks), and against the plain per-facility
Python loop a pricing service would write with `math` and `statistics.NormalDist`
(up to 100k facilities: at 1M it would take a minute per run). All three, and the
four separate public calls, are checked to agree before anything is timed. Peak
memory is taken with `tracemalloc` in separate runs (it slows Python loops, so never
while timing).
"""

from __future__ import annotations

import math
import tracemalloc
from collections.abc import Callable
from statistics import NormalDist

import _harness
import numpy as np
from scipy import special

from lendcrm.risk.capital import (
    BASEL_III,
    expected_loss,
    exposure_at_default,
    risk_weight,
)
from lendcrm.risk.pricing import minimum_rate, price_book

N = 1_000_000
SAMPLE = 10_000
LOOP_MAX = 100_000
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


def numpy_floor(book: Book) -> tuple[np.ndarray, ...]:
    """The floor: the loop's formulas as plain numpy (`scipy.special`), no checks."""
    drawn, undrawn, ccf = book["drawn"], book["undrawn"], book["ccf"]
    pd_, lgd = book["default_probability"], book["lgd"]
    ead = drawn + ccf * undrawn
    el = pd_ * lgd * ead
    p = np.maximum(pd_, 0.0005)
    w = -np.expm1(-50 * p) / -math.expm1(-50)
    s = np.clip(book["sales"], 5.0, 50.0)
    r = 0.12 * w + 0.24 * (1 - w) - 0.04 * (1 - (s - 5) / 45)
    mm = np.clip(book["maturity"], 1.0, 5.0)
    b = (0.11852 - 0.05478 * np.log(p)) ** 2
    cond = special.ndtr(
        (special.ndtri(p) + np.sqrt(r) * special.ndtri(0.999)) / np.sqrt(1 - r)
    )
    rw = 12.5 * (lgd * cond - p * lgd) * (1 + (mm - 2.5) * b) / (1 - 1.5 * b)
    rate = FUNDING + pd_ * lgd + OPEX + rw * CAPITAL_RATIO * (HURDLE - RF)
    return ead, el, rw * ead, rate


def _agree(a: tuple[object, ...], b: tuple[object, ...], rtol: float) -> None:
    for name, x, y in zip(("ead", "el", "rwa", "rate"), a, b, strict=True):
        np.testing.assert_allclose(x, y, rtol=rtol, err_msg=name)


def setup(n: int) -> _harness.Contest:
    """The book of `n` facilities; lendcrm, the numpy floor and the loop agree."""
    book = make_book(n)
    fast = vectorised(book)
    _agree(fast, numpy_floor(book), 1e-9)
    _agree(fast, separate_calls(book), 1e-12)
    if n <= SAMPLE:
        _agree(fast, loop(book), 1e-9)
    return _harness.Contest(
        ours=lambda: vectorised(book),
        floor=lambda: numpy_floor(book),
        peer=(lambda: loop(book)) if n <= LOOP_MAX else None,
        peer_name="python loop",
    )


def _peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    print(
        "agreement at every size: lendcrm, the numpy floor, the four separate calls"
        f" and (at {SAMPLE:,}) the python loop, EAD, EL, RWA, minimum rate"
    )
    _harness.scale("price_book (EAD, EL, RWA, minimum rate)", setup)
    book = make_book(N)
    sample = {k: v[:SAMPLE] for k, v in book.items()}
    vec_peak = _peak_mib(lambda: vectorised(book))
    loop_peak = _peak_mib(lambda: loop(sample))
    book_mib = sum(v.nbytes for v in book.values()) / 2**20
    print(
        f"peak traced memory: vectorised 1M {vec_peak:.0f} MiB (input book {book_mib:.0f} MiB); "
        f"loop 10k {loop_peak:.1f} MiB (~{loop_peak * N / SAMPLE:.0f} MiB scaled to 1M)"
    )


if __name__ == "__main__":
    main()
