"""Weighted pipeline forecast: lendcrm against a well-written pandas groupby baseline.

The pipeline: ``N`` opportunities (10,000, 100,000 and 1,000,000 by default), built with numpy: seven in
ten open (spread over the five open stages), the rest won or lost; seven product kinds,
nineteen sectors, 200 owners, expected close dates over two years. Categorical columns
are pandas categoricals (the house's "codes, not strings" rule); both contestants read
the same frame. The win probabilities are fitted once, by product kind, on a synthetic
pipeline (`lendcrm.synthetic.generate_pipeline`, 200,000 deals).

Contestants, each producing the open amount, the probability-weighted amount and the
deal count per close month, owner, product kind and sector (four groupings):

- lendcrm: `lendcrm.relationship.commercial.frames.forecasts`, the four groupings in
  one call (column checks included; `forecast_by` is the same for one grouping);
- pandas: open rows selected with ``isin``, the probability of each (kind, stage)
  joined with ``merge``, ``amount * p`` computed once, then one
  ``groupby(observed=True).agg`` per grouping (close month as a ``Period``).

The results are asserted equal (1e-9 relative), then each contestant is timed three
times (median and range) per size through the shared harness; pandas is the floor.

Run: ``python benchmarks/bench_pipeline.py`` (``BENCH_SIZES`` picks other sizes).
"""

from __future__ import annotations

import _harness
import numpy as np
import pandas as pd

from lendcrm.frames import columns as schema
from lendcrm.frames.columns import OWNER
from lendcrm.relationship.commercial import OPEN_STAGES, StageProbabilities
from lendcrm.relationship.commercial import columns as col
from lendcrm.relationship.commercial.frames import (
    fit_stage_probabilities_frame,
    forecasts,
)
from lendcrm.synthetic import generate_pipeline

GROUPINGS = ("close_month", "owner", "kind", "sector")
STAGES = [s.value for s in OPEN_STAGES] + ["won", "lost"]
KINDS = ["term_loan", "revolving_credit", "construction_loan", "bridge", "guarantee",
         "letter_of_credit", "receivables_finance"]  # fmt: skip
SECTORS = list("ABCDEFGHIJKLMNOPQRS")


def build_frame(n: int, seed: int = 7) -> pd.DataFrame:
    """An opportunities frame with the columns a forecast reads."""
    rng = np.random.default_rng(seed)
    stage = rng.choice(7, n, p=[0.25, 0.17, 0.12, 0.09, 0.07, 0.1, 0.2])
    close = np.datetime64("2026-07-01", "D") + rng.integers(0, 730, n)
    return pd.DataFrame(
        {
            schema.STAGE: pd.Categorical.from_codes(stage, categories=STAGES),
            schema.AMOUNT: np.round(np.exp(np.log(8e6) + rng.standard_normal(n)), -5),
            schema.CURRENCY: pd.Categorical.from_codes(np.zeros(n, np.int8), ["EUR"]),
            col.EXPECTED_CLOSE_ON: close.astype("datetime64[ns]"),
            OWNER: pd.Categorical.from_codes(
                rng.integers(0, 200, n), [f"rm-{i:03d}" for i in range(200)]
            ),
            schema.KIND: pd.Categorical.from_codes(rng.integers(0, 7, n), KINDS),
            schema.SECTOR: pd.Categorical.from_codes(rng.integers(0, 19, n), SECTORS),
        }
    )


def lendcrm_forecast(
    frame: pd.DataFrame, sp: StageProbabilities
) -> dict[str, pd.DataFrame]:
    return forecasts(frame, sp, by=GROUPINGS, segment_by="kind")


def pandas_forecast(
    frame: pd.DataFrame, sp: StageProbabilities
) -> dict[str, pd.DataFrame]:
    lookup = pd.DataFrame(
        [(k, s.value, sp.probability_of(s, k)) for k in KINDS for s in OPEN_STAGES],
        columns=[schema.KIND, schema.STAGE, "p"],
    )
    open_ = frame[frame[schema.STAGE].isin(STAGES[:5])]
    keys = pd.DataFrame(
        {
            schema.KIND: open_[schema.KIND].astype(str),
            schema.STAGE: open_[schema.STAGE].astype(str),
        }
    )
    p = keys.merge(lookup, how="left", on=[schema.KIND, schema.STAGE])["p"].to_numpy()
    work = pd.DataFrame(
        {
            "close_month": open_[col.EXPECTED_CLOSE_ON].dt.to_period("M").astype(str),
            "owner": open_[OWNER],
            "kind": open_[schema.KIND],
            "sector": open_[schema.SECTOR],
            col.PIPELINE_AMOUNT: open_[schema.AMOUNT].to_numpy(),
            col.WEIGHTED_AMOUNT: open_[schema.AMOUNT].to_numpy() * p,
        }
    )
    out = {}
    for by in GROUPINGS:
        g = work.groupby(by, observed=True, sort=True)
        out[by] = g.agg(
            **{
                col.PIPELINE_AMOUNT: (col.PIPELINE_AMOUNT, "sum"),
                col.WEIGHTED_AMOUNT: (col.WEIGHTED_AMOUNT, "sum"),
                col.DEALS: (col.PIPELINE_AMOUNT, "size"),
            }
        )
    return out


def _assert_equal(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for by in GROUPINGS:
        left, right = a[by], b[by]
        right.index = right.index.astype(str)
        right = right.sort_index()
        assert list(left.index) == list(right.index), by
        for column in (col.PIPELINE_AMOUNT, col.WEIGHTED_AMOUNT):
            np.testing.assert_allclose(left[column], right[column], rtol=1e-9)
        assert left[col.DEALS].tolist() == right[col.DEALS].tolist()


def setup(sp: StageProbabilities) -> _harness.Setup:
    """The pipeline of `n` opportunities; lendcrm and pandas agree."""

    def at(n: int) -> _harness.Contest:
        frame = build_frame(n)
        _assert_equal(lendcrm_forecast(frame, sp), pandas_forecast(frame, sp))
        return _harness.Contest(
            ours=lambda: lendcrm_forecast(frame, sp),
            floor=lambda: pandas_forecast(frame, sp),
            floor_name="pandas groupby",
        )

    return at


def main() -> None:
    """Check equality, time both contestants at 10k, 100k and 1M."""
    sp = fit_stage_probabilities_frame(
        generate_pipeline(200_000, seed=1).opportunities, by="kind"
    )
    _harness.scale("weighted forecast, 4 groupings", setup(sp))


if __name__ == "__main__":
    main()
