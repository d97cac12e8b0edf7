"""The tour's IFRS 9 part (`examples/tour_ecl.py`): what it prints is what it computes.

The part runs on the tour's synthetic book (seeded, no clock), so the printed stage
and tier table and the downturn's transfers and movement are checked against the
library's own numbers, and the derived inputs are checked by hand on single rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import io
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from lendcrm.frames import book_from_frames
from lendcrm.risk.impairment import stage_facility
from lendcrm.risk.schedules import (
    annual_effective_rate,
    balance_at,
    effective_interest_rate,
    facility_schedule,
)
from lendcrm.risk.schedules.frames import bank_shares
from lendcrm.synthetic import generate_frames

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2025, 12, 31)
FX = {
    "GBP": 1.17,
    "USD": 0.92,
    "PLN": 0.23,
    "SEK": 0.088,
    "DKK": 0.134,
    "NOK": 0.086,
    "CHF": 1.05,
}


@pytest.fixture(scope="module")
def part() -> ModuleType:
    """``examples/tour_ecl.py`` loaded as a module."""
    spec = importlib.util.spec_from_file_location(
        "lendcrm_tour_ecl", ROOT / "examples" / "tour_ecl.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def printed(part: ModuleType) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        part.ecl_tour(AS_OF, FX, n_clients=1_500)
    return out.getvalue()


def test_the_tour_calls_the_part_from_main():
    assert '"tour_ecl.py"' in (ROOT / "examples" / "tour.py").read_text()
    assert '["ecl_tour"]' in (ROOT / "examples" / "tour.py").read_text()


def test_the_table_covers_every_facility_once(printed):
    n = len(generate_frames(1_500, seed=2025, as_of=AS_OF).facilities)
    assert f"{n:,} facilities;" in printed
    table = printed.split("(EUR m, 3 scenarios)\n", 1)[1].split("  reasons:", 1)[0]
    rows = [line.split() for line in table.splitlines()[4:]]
    counts = [int(r[-4]) for r in rows]
    assert sum(counts) == n
    reasons = printed.split("  reasons: ", 1)[1].splitlines()[0]
    assert sum(int(x.split()[-1].replace(",", "")) for x in reasons.split(", ")) == n


def test_the_allowance_at_the_bank_share_is_below_the_whole_loans(printed):
    line = printed.split("total allowance at the bank's share ", 1)[1].splitlines()[0]
    share = float(line.split(" m", 1)[0].replace(",", ""))
    whole = float(line.split("(", 1)[1].split(" m", 1)[0].replace(",", ""))
    assert 0 < share <= whole
    table = printed.split("(EUR m, 3 scenarios)\n", 1)[1].split("  reasons:", 1)[0]
    rows = [line.split() for line in table.splitlines()[4:]]
    assert abs(sum(float(r[-2]) for r in rows) - share) < 0.01 * len(rows)


def test_the_movement_adds_up_and_the_downturn_only_moves_stages_up(printed):
    rows = printed.split("allowance movement (EUR m):\n", 1)[1].splitlines()[:6]
    amounts = [float(r.split()[-1].replace(",", "")) for r in rows]
    assert abs(sum(amounts[:5]) - amounts[5]) < 0.05
    assert amounts[1] == amounts[2] == 0.0  # same facilities at both dates
    transfers = printed.split("stage transfers\n", 1)[1].splitlines()[2:5]
    matrix = np.array([[int(x) for x in line.split()[2:]] for line in transfers])
    assert np.tril(matrix, -1).sum() == 0  # a downturn upgrades nobody


def test_inputs_by_hand(part):
    syn = generate_frames(300, seed=2025, as_of=AS_OF)
    inputs = part.book_inputs(syn, AS_OF)
    f = syn.facilities
    i = int(np.flatnonzero(f["kind"].astype(str) == "term_loan")[0])
    years = inputs["years"][i]
    life = (f["maturity_on"].iloc[i] - pd.Timestamp(AS_OF)).days / 365.25
    assert years == max(1, int(np.ceil(life)))
    # the year-1 exposure of a term loan is its schedule's balance on the book date
    schedule = inputs["schedule"]
    assert inputs["exposure"][i] == pytest.approx(balance_at(schedule, str(AS_OF))[i])
    # its discount rate: the schedule's EIR as an annual effective rate (B5.5.44)
    ppy = int(schedule.payments_per_year[i])
    alone = facility_schedule(
        book_from_frames(syn.book_frames()).facilities[i],
        curves=part.reference_curves(syn, AS_OF),
    )
    eir = annual_effective_rate(effective_interest_rate(alone), ppy)[0]
    assert inputs["eir"][i] == pytest.approx(eir, rel=1e-9)
    # a revolver undrawn at its start: its contractual all-in rate (B5.5.48)
    undrawn = schedule.balance[:, 0] - schedule.upfront_fee <= 0
    j = int(np.flatnonzero(undrawn)[0])
    assert inputs["eir"][j] == pytest.approx(0.03 + f["margin_bps"].iloc[j] / 1e4)
    assert np.array_equal(inputs["bank_share"], bank_shares(syn.book_frames()))
    reasons = part.base_reasons(inputs)
    for k in range(0, len(f), 37):
        one = stage_facility(
            1 - (1 - inputs["origination_pd"][k]) ** inputs["years"][k],
            1 - (1 - inputs["current_pd"][k]) ** inputs["years"][k],
            days_past_due=inputs["days_past_due"][k],
            in_default=bool(inputs["in_default"][k]),
            on_watchlist=bool(inputs["on_watchlist"][k]),
            forborne=bool(inputs["forborne"][k]),
        )
        assert reasons[k] == int(one)


def test_origination_pd_is_the_rating_on_or_before_the_start(part):
    syn = generate_frames(300, seed=2025, as_of=AS_OF)
    got = part.book_inputs(syn, AS_OF)["origination_pd"]
    r = syn.ratings.sort_values("rated_on")
    for k, row in syn.facilities.iloc[::23].iterrows():
        mine = r[r["client_id"] == row["client_id"]]
        before = mine[mine["rated_on"] <= row["start_on"]]
        want = (before if len(before) else mine.iloc[:1])["default_probability"].iloc[
            -1
        ]
        assert got[k] == want
