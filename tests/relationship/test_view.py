"""client_view and relationship_frame: hand-computed values, row equality, bad input."""

import datetime as dt
import math

import attrs
import numpy as np
import pandas as pd
import pytest

from lendcrm import (
    Book,
    ClientId,
    Covenant,
    CovenantMetric,
    CovenantOperator,
    Drawdown,
    FacilityStatus,
    Milestone,
    Money,
    ProjectId,
)
from lendcrm.errors import (
    BatchValidationError,
    InvalidValueError,
    ModelMismatchError,
    RuleError,
    SchemaError,
    UnknownReferenceError,
)
from lendcrm.frames import book_frames
from lendcrm.frames import columns as schema
from lendcrm.relationship import (
    ActionRules,
    RelationshipModels,
    RelationshipPricing,
    client_view,
)
from lendcrm.relationship import columns as col
from lendcrm.relationship.frames import fit_tiering, relationship_frame
from tests import factories as fx

AS_OF = dt.date(2026, 1, 31)
MODELS = RelationshipModels(fx_rates={"USD": 0.9})


def _book() -> Book:
    c1 = fx.rich_client("C-1")
    c2 = fx.client("C-2", onboarded_on=dt.date(2016, 2, 29))
    c3 = fx.client("C-3")
    f1 = fx.rich_facility("F-1", "C-1", "P-1")
    f2 = fx.facility(
        "F-2",
        "C-1",
        currency="USD",
        limit=Money.of("2000000", "USD"),
        drawn=Money.of("1000000", "USD"),
        pricing=fx.pricing("USD"),
        maturity_on=dt.date(2026, 9, 30),
    )
    f3 = fx.facility("F-3", "C-1", status=FacilityStatus.REPAID)
    # C-3: a project whose drawdowns run ahead of the works and whose DSCR breaches
    p2 = fx.project(
        "P-2",
        milestones=(
            Milestone(
                name="civil works",
                planned_on=dt.date(2026, 6, 30),
                percent_complete=20.0,
            ),
        ),
        drawdowns=(Drawdown(on=dt.date(2025, 10, 1), amount=fx.eur("150000000")),),
        cash_flows=(
            fx.rich_project()
            .cash_flows[1]
            .__class__(
                period_end=dt.date(2026, 6, 30),
                cfads=fx.eur("10500000"),
                debt_service=fx.eur("10000000"),
            ),
            fx.rich_project()
            .cash_flows[1]
            .__class__(
                period_end=dt.date(2026, 12, 31),
                cfads=fx.eur("9000000"),
                debt_service=fx.eur("10000000"),
            ),
        ),
    )
    f4 = fx.facility(
        "F-4",
        "C-3",
        project_id=ProjectId("P-2"),
        covenants=(
            Covenant(
                metric=CovenantMetric.DSCR,
                operator=CovenantOperator.AT_LEAST,
                threshold=1.2,
                lock_up_level=1.1,
            ),
        ),
    )
    return Book(
        clients=(c1, c2, c3),
        facilities=(f1, f2, f3, f4),
        projects=(fx.rich_project("P-1"), p2),
    )


def test_client_view_hand_computed():
    v = client_view(_book(), "C-1", as_of=AS_OF, models=MODELS)
    # live: F-1 (EUR 7.5m of 10m) and F-2 (USD 1m of 2m at 0.9); F-3 is repaid
    assert v.exposure == 7_500_000 + 900_000
    assert v.limit == 10_000_000 + 1_800_000
    assert v.utilisation == pytest.approx(8.4 / 11.8)
    assert (v.facility_count, v.project_count) == (2, 1)
    # F-2 matures 2026-09-30: 242 days / (365.25 / 12)
    assert v.months_to_maturity == pytest.approx(242 / 30.4375)
    # onboarded 2020-01-01, on the watchlist: credit reviews every 3 months (#13),
    # the next on 2026-04-01, 60 days after 2026-01-31
    assert v.days_to_review == 60
    # P-1: next DSCR 26m / 20m = 1.3, lock-up 1.1: headroom 0.2, no breach
    assert v.dscr == pytest.approx(1.3)
    assert v.dscr_headroom == pytest.approx(0.2)
    assert v.dscr_change == 0.0
    assert v.covenant_breaches == 0
    # drawn 125,000,000.25 of 300m debt, progress (100 + 35.5) / 2 = 67.75 %
    assert v.drawdown_gap == pytest.approx(125_000_000.25 / 300e6 - 0.6775)
    # feedback 9 then 3, 92 days apart: NPS 0, slope -6 / (92 / 365.25)
    assert v.nps == 0.0
    assert v.last_feedback_score == 3.0
    assert v.feedback_trend == pytest.approx(-6 / (92 / 365.25))
    assert (v.referrals_made, v.referrals_converted, v.referral_count) == (1, 1, 1)
    assert (v.revenue_to_bank, v.profit_to_bank) == (120000.5, -3000.25)
    assert (v.rating_grade, v.default_probability) == ("BB+", 0.0125)
    # only falling feedback fires (weight 0.05 of 1.0)
    assert v.warning_reasons == ("falling_feedback",)
    assert v.early_warning_score == pytest.approx(5.0)
    assert not v.watchlist
    assert [a.name for a in v.actions] == ["feedback_follow_up", "tailored_refinancing"]


def test_client_view_of_a_distressed_project():
    v = client_view(_book(), "C-3", as_of=AS_OF, models=MODELS)
    # next DSCR 1.05 < 1.2: a breach, headroom 1.05 - 1.1; forecast falls to 0.9
    assert v.covenant_breaches == 1
    assert v.dscr_headroom == pytest.approx(-0.05)
    assert v.dscr_change == pytest.approx(0.9 - 1.05)
    assert v.drawdown_gap == pytest.approx(0.5 - 0.2)
    assert v.warning_reasons == (
        "covenant_breach",
        "thin_headroom",
        "dscr_deterioration",
        "drawdown_ahead",
    )
    assert v.early_warning_score == pytest.approx(45.0)
    assert v.watchlist
    assert v.next_action == "waiver_review"


def test_client_without_facilities_and_leap_day_review():
    v = client_view(_book(), "C-2", as_of=AS_OF, models=MODELS)
    assert (v.exposure, v.utilisation, v.facility_count) == (0.0, 0.0, 0)
    assert math.isnan(v.months_to_maturity)
    assert math.isnan(v.nps)
    # onboarded 2016-02-29: the 2026 anniversary is 1 March, 29 days after 31 Jan
    assert v.days_to_review == 29
    assert v.actions == ()


def _assert_rows_equal(
    frame: pd.DataFrame, book: Book, models: RelationshipModels = MODELS
) -> None:
    for cid in frame.index:
        row = client_view(book, cid, as_of=AS_OF, models=models).to_row()
        assert list(row) == list(frame.columns)
        for name, value in row.items():
            got = frame.loc[cid, name]
            if isinstance(value, float):
                np.testing.assert_allclose(
                    got, value, rtol=1e-12, err_msg=f"{cid}.{name}"
                )
            else:
                assert got == value, f"{cid}.{name}: {got!r} != {value!r}"


def test_frame_rows_equal_client_views():
    book = _book()
    frame = relationship_frame(book_frames(book), as_of=AS_OF, models=MODELS)
    assert frame.index.tolist() == ["C-1", "C-2", "C-3"]
    _assert_rows_equal(frame, book)


def _signals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_id": ["C-3", "C-1", "C-2"],
            "has_drawn": [True, True, False],
            "months_since_first_drawdown": [2.0, 30.0, 0.0],
            "rating_notches_moved": [3.0, 0.0, -1.0],
            "utilisation_change": [0.3, 0.0, 0.0],
            "days_past_due": [95.0, 0.0, 0.0],
            "covenant_breaches": [0.0, 2.0, 0.0],
        }
    )


def test_frame_rows_equal_client_views_with_signals():
    book = _book()
    signals = _signals()
    frame = relationship_frame(
        book_frames(book), as_of=AS_OF, models=MODELS, signals=signals
    )
    assert frame.loc["C-1", col.COVENANT_BREACHES] == 2.0  # the warehouse's count
    assert frame.loc["C-3", col.NEXT_ACTION] == "repricing"  # 3 notches down
    for cid in frame.index:
        one = signals.set_index("client_id").loc[cid].to_dict()
        row = client_view(book, cid, as_of=AS_OF, models=MODELS, signals=one).to_row()
        for name, value in row.items():
            if isinstance(value, float):
                np.testing.assert_allclose(frame.loc[cid, name], value, rtol=1e-12)
            else:
                assert frame.loc[cid, name] == value, name


def test_unknown_client_id():
    with pytest.raises(UnknownReferenceError, match="No client with id 'C-9'"):
        client_view(_book(), "C-9", as_of=AS_OF, models=MODELS)


def test_frame_from_an_older_schema_names_missing_columns():
    frames = book_frames(_book())
    old = attrs.evolve(frames, clients=frames.clients.drop(columns=["referral_count"]))
    with pytest.raises(
        SchemaError, match=r"`clients.columns` .* missing \['referral_count'\]"
    ):
        relationship_frame(old, as_of=AS_OF, models=MODELS)


def test_as_of_before_the_data():
    with pytest.raises(
        InvalidValueError, match=r"`as_of` must be a date on or after .*2025-12-31"
    ):
        client_view(_book(), "C-1", as_of=dt.date(2025, 7, 1), models=MODELS)
    with pytest.raises(
        InvalidValueError, match=r"`as_of` must be a date on or after .*2025-12-31"
    ):
        relationship_frame(
            book_frames(_book()), as_of=dt.date(2025, 7, 1), models=MODELS
        )


def test_missing_fx_rate():
    with pytest.raises(
        InvalidValueError, match=r"`fx_rates\['USD'\]` must be the number"
    ):
        client_view(_book(), "C-1", as_of=AS_OF, models=RelationshipModels())
    with pytest.raises(InvalidValueError, match=r"`fx_rates\['USD'\]`"):
        relationship_frame(
            book_frames(_book()), as_of=AS_OF, models=RelationshipModels()
        )


@attrs.frozen
class Exploding:
    name: str = "exploding"
    priority: float = 1.0
    reason: str = "never"

    def evaluate(self, facts):
        return facts.utilisation > 1 // 0


def test_raising_rule_is_named_in_both_faces():
    models = attrs.evolve(MODELS, actions=ActionRules.builtin().with_rule(Exploding()))
    with pytest.raises(RuleError, match="rule 'exploding' failed"):
        client_view(_book(), "C-1", as_of=AS_OF, models=models)
    with pytest.raises(RuleError, match="rule 'exploding' failed"):
        relationship_frame(book_frames(_book()), as_of=AS_OF, models=models)


def test_signals_must_cover_every_client():
    with pytest.raises(
        InvalidValueError, match="`signals` must be a row for every client"
    ):
        relationship_frame(
            book_frames(_book()),
            as_of=AS_OF,
            models=MODELS,
            signals=_signals().iloc[:2],
        )
    with pytest.raises(InvalidValueError, match=r"`signals\['covenant_breaches'\]`"):
        client_view(_book(), "C-1", as_of=AS_OF, models=MODELS, signals={})


def test_models_validate_rates():
    with pytest.raises(
        InvalidValueError, match=r"`fx_rates\['USD'\]` must be a positive"
    ):
        RelationshipModels(fx_rates={"USD": 0.0})


def test_models_pickle():
    import pickle

    assert pickle.loads(pickle.dumps(MODELS)) == MODELS


def test_input_frames_are_not_mutated():
    frames = book_frames(_book())
    before = frames.clients.copy()
    relationship_frame(frames, as_of=AS_OF, models=MODELS)
    pd.testing.assert_frame_equal(frames.clients, before)
    assert ClientId("C-1") in frames.clients["client_id"].tolist()


PRICED = attrs.evolve(MODELS, pricing=RelationshipPricing())


def test_priced_rows_equal_client_views():
    book = _book()
    frame = relationship_frame(book_frames(book), as_of=AS_OF, models=PRICED)
    _assert_rows_equal(frame, book, models=PRICED)
    # C-2 has no facility and C-3 no PD (neither facility nor client): unpriced
    assert frame[col.RAROC].isna().tolist() == [False, True, True]
    assert frame[schema.CAPITAL].tolist()[1:] == [0.0, 0.0]


def test_relationship_raroc_agrees_with_risk_pricing():
    # the composed RAROC is lendcrm.risk.pricing.relationship_raroc's formula
    from lendcrm.risk.pricing import price_book, relationship_raroc

    p = RelationshipPricing()
    f1 = fx.rich_facility("F-1", "C-1", "P-1")  # PD 2 %, LGD 35 %, CCF 75 %
    drawn, limit = 7_500_000.0, 10_000_000.0
    tenor = f1.tenor_days / 365.25
    b = price_book(
        drawn=[drawn],
        undrawn=[limit - drawn],
        ccf=[0.75],
        default_probability=[0.02],
        lgd=[0.35],
        maturity=[tenor],
        funding_rate=p.funding_spread,
        operating_cost_rate=p.operating_cost_rate,
        hurdle_rate=p.hurdle_rate,
        risk_free_rate=p.risk_free_rate,
        capital_ratio=p.capital_ratio,
        regime=p.regime,
        upfront_fee=[50_000 / limit],
    )
    revenue = 0.0225 * drawn + 0.006 * (limit - drawn) + 50_000 / tenor
    want = relationship_raroc(
        facility_client=["C-1"],
        revenue=[revenue],
        funding_cost=[p.funding_spread * drawn],
        expected_loss=b.expected_loss,
        operating_cost=p.operating_cost_rate * b.ead,
        capital=b.capital,
        risk_free_rate=p.risk_free_rate,
        hurdle_rate=p.hurdle_rate,
    )
    only_f1 = Book(
        clients=(fx.rich_client("C-1"),),
        facilities=(f1,),
        projects=(fx.rich_project("P-1"),),
    )
    v = client_view(only_f1, "C-1", as_of=AS_OF, models=PRICED)
    assert v.raroc == pytest.approx(float(want.raroc[0]), rel=1e-12)
    assert v.eva == pytest.approx(float(want.eva[0]), rel=1e-12)
    assert v.rate_gap == pytest.approx(0.0225 - float(b.minimum_rate[0]), rel=1e-12)


FX_ALL = {
    "GBP": 1.17,
    "USD": 0.92,
    "PLN": 0.23,
    "SEK": 0.088,
    "DKK": 0.134,
    "NOK": 0.086,
    "CHF": 1.05,
}


def _scorecard(clients: pd.DataFrame):
    """A small scorecard fitted on a synthetic book (defaults drawn from its PDs)."""
    from lendcrm.risk.scoring import BinningConfig, build_scorecard, fit_logistic
    from lendcrm.risk.scoring.frames import fit_binning_frame, woe_frame

    rng = np.random.default_rng(0)
    apps = clients[["annual_revenue", "sector", "product_count"]].copy()
    apps["bad"] = (rng.random(len(apps)) < clients["default_probability"]).astype(int)
    bins = fit_binning_frame(apps, target="bad", config=BinningConfig(max_bins=4))
    woe = woe_frame(bins, apps.drop(columns="bad"))
    model = fit_logistic(woe.to_numpy(), apps["bad"], names=list(bins.names))
    return build_scorecard(bins, model)


def test_synthetic_book_rows_equal_client_views():
    # the entity face of a synthetic book (generate_book) against its frames, with
    # every composed model: pricing, scorecard, master scale, stage rules, tiers
    from lendcrm.lifecycle import StageRules
    from lendcrm.risk.scoring import DEFAULT_MASTER_SCALE
    from lendcrm.segmentation import RiskOverlay
    from lendcrm.synthetic import generate_book, generate_frames

    as_of = dt.date(2025, 12, 31)
    training = generate_frames(3000, seed=4, as_of=as_of)
    models = RelationshipModels(
        fx_rates=FX_ALL,
        pricing=RelationshipPricing(),
        scorecard=_scorecard(training.clients),
        master_scale=DEFAULT_MASTER_SCALE,
        stage_rules=StageRules.builtin(),
        overlay=RiskOverlay(),
    )
    models = attrs.evolve(
        models,
        tiering=fit_tiering(training.book_frames(), as_of=as_of, models=models),
    )
    frames = generate_frames(150, seed=5, as_of=as_of)
    book = generate_book(150, seed=5, as_of=as_of)
    rf = relationship_frame(
        frames.book_frames(), as_of=as_of, models=models, signals=frames.signals
    )
    signals = frames.signals.set_index("client_id")
    for cid in rf.index:
        row = client_view(
            book, cid, as_of=as_of, models=models, signals=signals.loc[cid].to_dict()
        ).to_row()
        for name, value in row.items():
            got = rf.loc[cid, name]
            if isinstance(value, float):
                np.testing.assert_allclose(
                    got, value, rtol=1e-9, err_msg=f"{cid}.{name}"
                )
            else:
                assert got == value, f"{cid}.{name}"
    assert rf["score"].notna().all()
    assert set(rf["grade"]) <= set(DEFAULT_MASTER_SCALE.grades)
    stages = {"acquisition", "activation", "growth", "maturity", "decline"}
    assert set(rf["stage"]) <= stages
    assert set(rf["tier"]) == {"diamond", "gold", "silver", "basic"}
    # the early warnings feed the lifecycle: every watchlisted client declines
    assert (rf.loc[rf["watchlist"], "stage"] == "decline").all()


def test_scorecard_fitted_on_other_columns():
    from lendcrm.synthetic import generate_frames

    training = generate_frames(3000, seed=4, as_of=dt.date(2025, 12, 31))
    models = attrs.evolve(MODELS, scorecard=_scorecard(training.clients))
    frames = book_frames(_book())
    old = attrs.evolve(frames, clients=frames.clients.drop(columns=["annual_revenue"]))
    with pytest.raises(
        ModelMismatchError,
        match=r"Model 'scorecard' was fitted on other columns: "
        r"missing \['annual_revenue'\]",
    ):
        relationship_frame(old, as_of=AS_OF, models=models)
    # the full schema has the characteristics: both faces score, and agree
    frame = relationship_frame(frames, as_of=AS_OF, models=models)
    assert frame["score"].notna().all()
    _assert_rows_equal(frame, _book(), models=models)


def test_stage_rules_need_signals():
    from lendcrm.lifecycle import StageRules

    models = attrs.evolve(MODELS, stage_rules=StageRules.builtin())
    with pytest.raises(InvalidValueError, match="`signals` must be a signals frame"):
        relationship_frame(book_frames(_book()), as_of=AS_OF, models=models)
    with pytest.raises(InvalidValueError, match="`signals` must be the client's"):
        client_view(_book(), "C-1", as_of=AS_OF, models=models)


def test_tiering_fitted_on_a_column_the_book_lacks():
    from lendcrm.segmentation import ThresholdTiers

    models = attrs.evolve(
        MODELS,
        tiering=ThresholdTiers(cutoffs=(3.0, 2.0, 1.0), measure="referral_amount"),
    )
    with pytest.raises(
        ModelMismatchError,
        match=r"Model 'tiering' was fitted on other columns: "
        r"missing \['referral_amount'\]",
    ):
        relationship_frame(book_frames(_book()), as_of=AS_OF, models=models)


def test_only_measured_clients_are_tiered():
    from lendcrm.segmentation import ThresholdTiers

    # C-1 earned 120,000.50 revenue: gold between 100,000 and 1,000,000
    models = attrs.evolve(MODELS, tiering=ThresholdTiers(cutoffs=(1e6, 1e5, 1e4)))
    frame = relationship_frame(book_frames(_book()), as_of=AS_OF, models=models)
    assert frame["tier"].tolist() == ["gold", "", ""]
    assert frame.loc["C-1", "value_score"] == 120000.5
    _assert_rows_equal(frame, _book(), models=models)


def _full_signals(**changes: object) -> dict[str, object]:
    """Every SIG_* signal of one client, neutral unless changed."""
    row: dict[str, object] = {
        "has_facility": True,
        "has_drawn": True,
        "months_since_first_drawdown": 20.0,
        "tenure_months": 40.0,
        "exposure_growth_yoy": 0.0,
        "revenue_growth_yoy": 0.0,
        "product_count_change": 0.0,
        "utilisation_change": 0.0,
        "rating_notches_moved": 0.0,
        "on_watchlist": False,
        "days_past_due": 0.0,
        "covenant_breaches": 0.0,
        "has_dscr": False,
        "dscr_headroom": 0.0,
    }
    row.update(changes)
    return row


def test_stored_history_against_the_assessed_stage():
    from lendcrm.lifecycle import CLIENT_LIFECYCLE, StageRules, advance, start

    models = attrs.evolve(MODELS, stage_rules=StageRules.builtin())
    state = start(CLIENT_LIFECYCLE, entity_id="C-3")
    state = advance(state, "first_drawdown", on=dt.date(2024, 2, 1))
    state = advance(state, "expand", on=dt.date(2025, 3, 1))
    # 95 days past due and 3 notches down: assessed in decline
    distressed = _full_signals(days_past_due=95.0, rating_notches_moved=3.0)
    view = client_view(
        _book(),
        "C-3",
        as_of=AS_OF,
        models=models,
        signals=distressed,
        history=state.history,
    )
    assert (view.stage, view.stored_stage) == ("decline", "growth")
    assert view.proposed_events == ("deteriorate",)
    assert not view.stage_review
    # stored in growth, assessed in acquisition (never drawn): not reachable
    prospect = _full_signals(
        has_facility=False, has_drawn=False, months_since_first_drawdown=0.0
    )
    view = client_view(
        _book(),
        "C-3",
        as_of=AS_OF,
        models=models,
        signals=prospect,
        history=state.history,
    )
    assert view.stage == "acquisition"
    assert view.stage_review
    assert view.proposed_events == ()
    with pytest.raises(InvalidValueError, match=r"`history.entity_id` must be"):
        client_view(
            _book(),
            "C-1",
            as_of=AS_OF,
            models=models,
            signals=distressed,
            history=state.history,
        )


def test_frame_input_errors_are_named():
    frames = book_frames(_book())
    with pytest.raises(InvalidValueError, match="`book_frames` must be a BookFrames"):
        relationship_frame(frames.clients, as_of=AS_OF, models=MODELS)  # type: ignore[arg-type]
    doubled = attrs.evolve(
        frames,
        clients=pd.concat([frames.clients, frames.clients.iloc[:1]], ignore_index=True),
    )
    with pytest.raises(InvalidValueError, match=r"`clients\[3\].client_id` must be"):
        relationship_frame(doubled, as_of=AS_OF, models=MODELS)
    # the same row appended with its label: the repeated label is named (#17)
    relabelled = attrs.evolve(
        frames, clients=pd.concat([frames.clients, frames.clients.iloc[:1]])
    )
    with pytest.raises(
        BatchValidationError,
        match=r"`clients\[0\].index` must be a row label no earlier row has "
        r"\(row labels are unique; first repeat at position 3\)",
    ):
        relationship_frame(relabelled, as_of=AS_OF, models=MODELS)
    orphan = frames.facilities.copy()
    orphan.loc[0, "client_id"] = "C-404"
    with pytest.raises(UnknownReferenceError, match="No client with id 'C-404'"):
        relationship_frame(
            attrs.evolve(frames, facilities=orphan), as_of=AS_OF, models=MODELS
        )
    with pytest.raises(SchemaError, match=r"`signals.columns` .* missing"):
        relationship_frame(
            frames,
            as_of=AS_OF,
            models=MODELS,
            signals=_signals().drop(columns=["days_past_due"]),
        )
    with pytest.raises(InvalidValueError, match=r"`as_of` must be a datetime\.date"):
        relationship_frame(frames, as_of="2026-01-31", models=MODELS)  # type: ignore[arg-type]


def test_models_refuse_wrong_objects():
    with pytest.raises(InvalidValueError, match="`early_warning` must be an Early"):
        RelationshipModels(early_warning="strict")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="`tiering` must be ThresholdTiers"):
        RelationshipModels(tiering="quantiles")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="`hurdle_rate` must be at least"):
        RelationshipPricing(hurdle_rate=0.01, risk_free_rate=0.03)
