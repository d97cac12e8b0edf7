"""The lendcrm tour: what the library does, end to end, on a small book and a big one.

Run with `make demo` (or `python examples/tour.py --out DIR` to also write pictures
drawn by `lendcrm.plot` when matplotlib, the `plot` extra, is installed: the library
returns figures, this script saves them). Later capabilities extend this
script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import runpy
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

import attrs
import numpy as np
import pandas as pd

from lendcrm import (
    Book,
    Client,
    ClientId,
    Covenant,
    CovenantMetric,
    CovenantOperator,
    Facility,
    FacilityId,
    FacilityKind,
    FacilityStatus,
    Milestone,
    Money,
    Pricing,
    Project,
    ProjectId,
    ProjectPhase,
    Sector,
    Seniority,
    Sponsor,
    TestFrequency,
)
from lendcrm.frames import book_frames, book_from_frames, validate_facilities_frame
from lendcrm.frames import columns as schema
from lendcrm.lifecycle import CLIENT_LIFECYCLE, StageRules
from lendcrm.plot import (
    actions_by_stage_chart,
    lifecycle_chart,
    lorenz_chart,
    migration_heatmap,
    score_distribution_chart,
    whale_chart,
)
from lendcrm.relationship import RelationshipModels, RelationshipPricing, client_view
from lendcrm.relationship import columns as col
from lendcrm.relationship.frames import (
    feedback_by,
    fit_tiering,
    rating_migration_counts,
    relationship_frame,
)
from lendcrm.risk.portfolio import DOWNTURN, scenario_pd
from lendcrm.risk.scoring import (
    DEFAULT_MASTER_SCALE,
    BinningConfig,
    build_scorecard,
    fit_logistic,
)
from lendcrm.risk.scoring.frames import fit_binning_frame, woe_frame
from lendcrm.segmentation import (
    TIERS_BEST_FIRST,
    MigrationMatrix,
    RiskOverlay,
    Segmentation,
    gini,
    migration_matrix,
    pareto_point,
    top_share,
)
from lendcrm.serialization import from_dict, to_dict
from lendcrm.synthetic import (
    RATING_GRADES,
    SyntheticFrames,
    generate_book,
    generate_frames,
)

#: The synthetic book's date and size.
AS_OF = dt.date(2025, 12, 31)
N_CLIENTS = 10_000
#: Illustrative rates (EUR per unit) of the synthetic book's facility currencies.
FX_RATES = {
    "GBP": 1.17,
    "USD": 0.92,
    "PLN": 0.23,
    "SEK": 0.088,
    "DKK": 0.134,
    "NOK": 0.086,
    "CHF": 1.05,
}


def _client(
    cid: str,
    name: str,
    sector: Sector,
    country: str,
    revenue: str,
    *,
    parent: str | None = None,
) -> Client:
    return Client(
        id=ClientId(cid),
        legal_name=name,
        sector=sector,
        country=country,
        onboarded_on=dt.date(2018, 1, 1),
        annual_revenue=Money.of(revenue, "EUR"),
        parent_id=None if parent is None else ClientId(parent),
    )


def _facility(
    fid: str,
    cid: str,
    kind: FacilityKind,
    limit: str,
    drawn: str,
    *,
    currency: str = "EUR",
    project: str | None = None,
) -> Facility:
    return Facility(
        id=FacilityId(fid),
        client_id=ClientId(cid),
        project_id=None if project is None else ProjectId(project),
        kind=kind,
        currency=currency,
        limit=Money.of(limit, currency),
        drawn=Money.of(drawn, currency),
        start_on=dt.date(2024, 1, 31),
        maturity_on=dt.date(2031, 1, 31),
        seniority=Seniority.SENIOR_SECURED,
        pricing=Pricing(
            reference_rate="EURIBOR_3M" if currency == "EUR" else "SOFR",
            margin_bps=200,
            arrangement_fee=Money.of("0", currency),
            commitment_fee_bps=50,
        ),
        covenants=(
            Covenant(
                metric=CovenantMetric.DSCR,
                operator=CovenantOperator.AT_LEAST,
                threshold=1.2,
                lock_up_level=1.1,
                default_level=1.05,
                test_frequency=TestFrequency.SEMI_ANNUAL,
            ),
        )
        if project
        else (),
        status=FacilityStatus.ACTIVE,
    )


def build_book() -> Book:
    """A small book by hand: two groups, a project vehicle, EUR and USD facilities."""
    clients = (
        _client(
            "C-1",
            "Nordlicht Energie AG",
            Sector.ELECTRICITY_GAS_STEAM,
            "DE",
            "1200000000",
        ),
        _client(
            "C-2",
            "Ostsee Wind 3 GmbH",
            Sector.ELECTRICITY_GAS_STEAM,
            "DE",
            "0",
            parent="C-1",
        ),
        _client(
            "C-3",
            "Vistula Logistics S.A.",
            Sector.TRANSPORTATION_STORAGE,
            "PL",
            "85000000",
        ),
        _client(
            "C-4",
            "Vistula Cold Chain Sp. z o.o.",
            Sector.TRANSPORTATION_STORAGE,
            "PL",
            "12000000",
            parent="C-3",
        ),
        _client("C-5", "Atlantic Foods Inc.", Sector.MANUFACTURING, "US", "310000000"),
    )
    project = Project(
        id=ProjectId("P-1"),
        name="Ostsee Wind 3",
        sponsors=(
            Sponsor(sponsor_id=ClientId("C-1"), equity_share=0.8),
            Sponsor(sponsor_id=ClientId("X-9"), equity_share=0.2),
        ),
        sector=Sector.ELECTRICITY_GAS_STEAM,
        country="DE",
        total_cost=Money.of("500000000", "EUR"),
        debt=Money.of("375000000", "EUR"),
        equity=Money.of("125000000", "EUR"),
        phase=ProjectPhase.CONSTRUCTION,
        milestones=(
            Milestone(
                name="monopiles", planned_on=dt.date(2026, 5, 31), percent_complete=60.0
            ),
        ),
    )
    facilities = (
        _facility(
            "F-1",
            "C-2",
            FacilityKind.CONSTRUCTION_LOAN,
            "375000000",
            "140000000",
            project="P-1",
        ),
        _facility("F-2", "C-1", FacilityKind.REVOLVING_CREDIT, "50000000", "12500000"),
        _facility("F-3", "C-3", FacilityKind.TERM_LOAN, "20000000", "18000000"),
        _facility(
            "F-4", "C-4", FacilityKind.RECEIVABLES_FINANCE, "5000000", "3200000.50"
        ),
        _facility(
            "F-5", "C-5", FacilityKind.TERM_LOAN, "30000000", "30000000", currency="USD"
        ),
    )
    return Book(clients=clients, facilities=facilities, projects=(project,))


def small_book_tour() -> None:
    """Parts 1-4: a hand-built book, its exposures, frames and JSON."""
    print("lendcrm tour")
    fee = Money.of("12500.005", "EUR")
    print(f"An arrangement fee: {fee}; rounded half-even: {fee.rounded()}")

    book = build_book()
    print("\n1. A book built by hand")
    print(
        f"  {len(book.clients)} clients, {len(book.facilities)} facilities, "
        f"{len(book.projects)} project(s)"
    )
    kinds = Counter(f.kind.value for f in book.facilities)
    print(
        "  facilities by kind: "
        + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    )
    print(f"  group of C-4: {', '.join(book.group_members(ClientId('C-4')))}")

    print("\n2. Exposures (drawn), reported in EUR with an explicit USD rate")
    rates = {"USD": "0.92"}
    for root, money in book.exposure_by_group(currency="EUR", fx_rates=rates).items():
        print(f"  group {root:<4} {money.rounded()}")
    for sector, money in book.exposure_by_sector(
        currency="EUR", fx_rates=rates
    ).items():
        print(f"  sector {sector.value} ({sector.name.lower()}) {money.rounded()}")
    total = book.total_exposure(currency="EUR", fx_rates=rates)
    print(f"  total {total.rounded() if total else '-'}")
    try:
        book.exposure_by_client()
    except ValueError as exc:
        print(f"  without rates: {exc}")

    print("\n3. To pandas frames and back")
    frames = book_frames(book)
    validate_facilities_frame(frames.facilities)
    print(
        frames.facilities[
            ["facility_id", "client_id", "currency", "limit", "drawn"]
        ].to_string(index=False)
    )
    print(f"  lossless round trip: {book_from_frames(frames) == book}")

    print("\n4. To JSON-ready dicts and back")
    payload = json.dumps(to_dict(book))
    print(
        f"  {len(payload):,} bytes of JSON; F-4 drawn = {to_dict(book.facilities[3])['drawn']}"
    )
    print(f"  round trip: {from_dict(json.loads(payload), Book) == book}")

    synthetic_tour()


def synthetic_tour() -> None:
    """The same steps on a synthetic book of 300 clients."""
    book = generate_book(300, seed=42, as_of=dt.date(2026, 1, 1))
    print("\n5. A synthetic book (lendcrm.synthetic.generate_book, seed 42)")
    print(
        f"  {len(book.clients)} clients, {len(book.facilities)} facilities, "
        f"{len(book.projects)} projects; currencies "
        + ", ".join(sorted({f.currency for f in book.facilities}))
    )
    sectors = Counter(c.sector.value for c in book.clients).most_common(3)
    print("  top sectors by clients: " + ", ".join(f"{s} {n}" for s, n in sectors))
    currencies = sorted({f.currency for f in book.facilities} - {"EUR"})
    # Illustrative rates (units of EUR per unit), passed explicitly: lendcrm never guesses FX.
    illustrative = {
        "GBP": "1.17", "USD": "0.92", "PLN": "0.23", "SEK": "0.087",
        "DKK": "0.134", "NOK": "0.085", "CHF": "1.05",
    }  # fmt: skip
    rates = {c: illustrative[c] for c in currencies if c in illustrative}
    groups = book.exposure_by_group(currency="EUR", fx_rates=rates)
    top = sorted(groups.items(), key=lambda kv: kv[1].amount, reverse=True)[:3]
    total = sum((m.amount for m in groups.values()), Money.zero("EUR").amount)
    share = sum(m.amount for _, m in top) / total if total else 0
    print(f"  drawn exposure {Money(total, 'EUR').rounded()} in {len(groups)} groups")
    print(f"  top 3 groups hold {float(share):.1%}: " + ", ".join(g for g, _ in top))
    frames = book_frames(book)
    print(
        f"  frames: {len(frames.clients)} client rows, {len(frames.facilities)} facility "
        f"rows, {len(frames.covenants)} covenant rows, {len(frames.milestones)} milestones"
    )
    print(f"  lossless through frames: {book_from_frames(frames) == book}")
    print(f"  lossless through dicts:  {from_dict(to_dict(book), Book) == book}")


def _table(frame: pd.DataFrame) -> str:
    return "\n".join("  " + line for line in frame.to_string().splitlines())


def fit_models(as_of: dt.date) -> RelationshipModels:
    """Fit the models on a training book: a scorecard, the tier cut-offs.

    The training book is another synthetic book whose defaults are drawn from its
    clients' PDs, as a bank would use last year's book and its observed defaults.
    """
    training = generate_frames(20_000, seed=7, as_of=as_of)
    rng = np.random.default_rng(7)
    apps = training.clients[["annual_revenue", "sector", "product_count"]].copy()
    apps["bad"] = (
        rng.random(len(apps)) < training.clients["default_probability"]
    ).astype(int)
    bins = fit_binning_frame(apps, target="bad", config=BinningConfig(max_bins=5))
    woe = woe_frame(bins, apps.drop(columns="bad"))
    logistic = fit_logistic(woe.to_numpy(), apps["bad"], names=list(bins.names))
    models = RelationshipModels(
        fx_rates=FX_RATES,
        pricing=RelationshipPricing(),
        scorecard=build_scorecard(bins, logistic),
        master_scale=DEFAULT_MASTER_SCALE,
        stage_rules=StageRules.builtin(),
        overlay=RiskOverlay(),
    )
    tiers = fit_tiering(training.book_frames(), as_of=as_of, models=models)
    return attrs.evolve(models, tiering=tiers)


def big_book_tour(out: Path | None) -> None:
    """Parts 6-17: a synthetic book of 10,000 clients, composed end to end."""
    started = time.perf_counter()
    syn = generate_frames(N_CLIENTS, seed=2025, as_of=AS_OF)
    frames = syn.book_frames()
    print(f"\n6. A synthetic book as of {AS_OF}")
    print(
        f"  {len(syn.clients):,} clients, {len(syn.facilities):,} facilities, "
        f"{len(syn.projects):,} project vehicles, {len(syn.feedback):,} feedback "
        f"records"
    )
    models = fit_models(AS_OF)
    names = models.scorecard.names if models.scorecard else ()
    print(
        "  models fitted on a 20,000-client training book: a scorecard on "
        + ", ".join(names)
        + "; tier cut-offs on profit (EUR) "
        + ", ".join(
            f"{c:,.0f}" for c in (models.tiering.cutoffs if models.tiering else ())
        )
    )
    t0 = time.perf_counter()
    rf = relationship_frame(frames, as_of=AS_OF, models=models, signals=syn.signals)
    print(
        f"  the relationship view of every client: {rf.shape[1]} columns, "
        f"{time.perf_counter() - t0:.2f} s for {len(rf):,} clients"
    )

    print("\n7. Scored and graded on the master scale")
    graded = rf.assign(grade=rf[col.GRADE].astype(int))
    by_grade = graded.groupby("grade").agg(
        clients=(schema.SCORE, "size"),
        score=(schema.SCORE, "mean"),
        scored_pd_pct=(col.SCORED_PD, lambda s: 100 * s.mean()),
        book_pd_pct=(schema.DEFAULT_PROBABILITY, lambda s: 100 * s.mean()),
    )
    print(_table(by_grade.round(2)))

    print("\n8. Priced: capital and relationship RAROC by book rating grade")
    by_rating = (
        rf.assign(rating=rf[schema.RATING_GRADE].astype(int))
        .groupby("rating")
        .agg(
            clients=(col.EXPOSURE, "size"),
            exposure_m=(col.EXPOSURE, lambda s: s.sum() / 1e6),
            expected_loss_m=(schema.EXPECTED_LOSS, lambda s: s.sum() / 1e6),
            capital_m=(schema.CAPITAL, lambda s: s.sum() / 1e6),
            raroc_pct=(col.RAROC, lambda s: 100 * s.median()),
            below_hurdle_pct=(col.RATE_GAP, lambda s: 100 * (s < 0).mean()),
        )
        .round(1)
    )
    print(_table(by_rating))

    print("\n9. Segmented: the Pareto share and the tiers")
    revenue = syn.clients["revenue_to_bank"].to_numpy()
    print(
        f"  the top 20 % of clients bring {100 * top_share(revenue, 0.2):.1f} % of "
        f"the revenue; {100 * pareto_point(revenue, 0.8):.1f} % of clients bring "
        f"80 %; Gini {gini(revenue):.3f}"
    )
    total_rev = rf[schema.REVENUE_TO_BANK].sum()
    total_profit = rf[schema.PROFIT_TO_BANK].sum()
    tiers = (
        rf.groupby(col.TIER, sort=False)
        .agg(
            clients=(col.EXPOSURE, "size"),
            revenue_pct=(schema.REVENUE_TO_BANK, lambda s: 100 * s.sum() / total_rev),
            profit_pct=(schema.PROFIT_TO_BANK, lambda s: 100 * s.sum() / total_profit),
            raroc_pct=(col.RAROC, lambda s: 100 * s.median()),
            nps=(col.NPS, "mean"),
        )
        .reindex(["diamond", "gold", "silver", "basic"])
        .round(1)
    )
    print(_table(tiers))

    print("\n10. Lifecycle stages (tiers across)")
    stages = pd.crosstab(rf[schema.STAGE], rf[col.TIER]).reindex(
        index=["acquisition", "activation", "growth", "maturity", "decline"],
        columns=["diamond", "gold", "silver", "basic"],
        fill_value=0,
    )
    print(_table(stages))

    book, shown = warnings_and_actions(syn, rf, models)
    migration = downturn(syn, rf, models)
    client_history(book, shown)
    ratings = rating_migration(syn.ratings)
    print(f"\n  tour of the big book: {time.perf_counter() - started:.1f} s")
    if out is not None:
        _pictures(rf, revenue, migration, ratings, out)


def warnings_and_actions(
    syn: SyntheticFrames, rf: pd.DataFrame, models: RelationshipModels
) -> tuple[Book, ClientId]:
    """Parts 11-14: early warnings, next best actions, feedback, three clients.

    Returns the 2,000-client book of part 14 and the first client it shows.
    """
    print("\n11. Early warnings")
    watch = rf[rf[col.WATCHLIST]]
    print(
        f"  {len(watch):,} clients recommended for the watchlist "
        f"({100 * len(watch) / len(rf):.1f} %), EUR "
        f"{watch[col.EXPOSURE].sum() / 1e6:,.0f} m of exposure; all of them assessed "
        f"in decline: {bool((watch[schema.STAGE] == 'decline').all())}"
    )
    reasons = (
        rf[col.WARNING_REASONS]
        .astype(str)
        .str.split(col.SEPARATOR)
        .explode()
        .loc[lambda s: s != ""]
        .value_counts()
        .rename("clients")
        .to_frame()
    )
    print(_table(reasons))

    print("\n12. Next best actions across the book")
    actions = rf[col.NEXT_ACTION].astype(str).replace("", "(none)").value_counts()
    print(_table(actions.rename("clients").to_frame()))

    print("\n13. Feedback: Net Promoter Score by tier and stage")
    for by in (col.TIER, schema.STAGE):
        table = feedback_by(syn.feedback, rf[by])[["scores", "nps", "mean_score"]]
        print(_table(table.round(2).T))

    print("\n14. A morning of a relationship manager: three clients, one view each")
    book = generate_book(2_000, seed=2025, as_of=AS_OF)
    small = generate_frames(2_000, seed=2025, as_of=AS_OF)
    signals = small.signals.set_index("client_id")
    small_rf = relationship_frame(
        small.book_frames(), as_of=AS_OF, models=models, signals=small.signals
    )
    picks = [
        small_rf[small_rf[col.NEXT_ACTION] == action].index[0]
        for action in ("exit_plan", "limit_increase", "cross_sell")
        if (small_rf[col.NEXT_ACTION] == action).any()
    ]
    for cid in picks:
        view = client_view(
            book, cid, as_of=AS_OF, models=models, signals=signals.loc[cid].to_dict()
        )
        print(
            f"  {cid}  {view.tier:<7} {view.stage:<11} grade {view.grade:>2}  "
            f"exposure EUR {view.exposure / 1e6:,.1f} m of {view.limit / 1e6:,.1f} m  "
            f"RAROC {100 * view.raroc:.1f} %  EW {view.early_warning_score:.0f}"
            f"{' (watchlist)' if view.watchlist else ''}"
        )
        for action in view.actions[:3]:
            print(f"      {action.rank}. {action.name}: {action.reason}")
    return book, ClientId(picks[0])


def _tiers(rf: pd.DataFrame) -> Segmentation:
    levels = tuple(t.value for t in TIERS_BEST_FIRST)
    codes = pd.Index(levels).get_indexer(pd.Index(rf[col.TIER].astype(str)))
    return Segmentation(
        strategy="relationship tiers",
        client_ids=rf.index.to_numpy(dtype=str),
        codes=codes.astype(np.int64),
        levels=levels,
    )


def downturn(
    syn: SyntheticFrames, rf: pd.DataFrame, models: RelationshipModels
) -> MigrationMatrix:
    """Part 15: the same book in a downturn; how the tiers migrate."""
    print("\n15. A downturn: point-in-time PDs, re-graded, re-tiered")
    stressed_pd = scenario_pd(syn.clients["default_probability"], DOWNTURN, rho=0.12)
    clients = syn.clients.assign(
        default_probability=stressed_pd,
        rating_grade=DEFAULT_MASTER_SCALE.grade_of(stressed_pd),
    )
    frames = attrs.evolve(syn.book_frames(), clients=clients)
    stressed = relationship_frame(
        frames, as_of=AS_OF, models=models, signals=syn.signals
    )
    matrix = migration_matrix(_tiers(rf), _tiers(stressed))
    table = pd.DataFrame(matrix.counts, index=matrix.levels, columns=matrix.levels)
    table.index.name = "base \\ downturn"
    print(
        f"  {DOWNTURN.name} scenario (systematic factor {DOWNTURN.systematic_factor:g}): "
        f"mean PD {100 * syn.clients['default_probability'].mean():.2f} % -> "
        f"{100 * stressed_pd.mean():.2f} %; {matrix.downgraded:,} clients lose a "
        f"tier through the risk overlay, {matrix.upgraded:,} gain one"
    )
    print(_table(table))
    return matrix


def client_history(book: Book, client_id: ClientId) -> None:
    """Part 16: the history behind one client of part 14, from its entities."""
    client = book.client(client_id)
    print(f"\n16. The history behind {client_id}, {client.legal_name}")
    print("  rating reviews (latest = the book's grade today):")
    for r in client.ratings:
        pd_text = (
            "" if r.default_probability is None else f"{r.default_probability:.2%}"
        )
        override = f", override: {r.override_reason}" if r.override else ""
        print(
            f"    {r.rated_on}  grade {r.grade:>2}  PD {pd_text:>6}  {r.rater}{override}"
        )
    print("  revenue and profit to the bank by period:")
    for m in client.measures_history:
        print(
            f"    {m.period_end}  revenue {m.revenue_to_bank.rounded()}  profit "
            f"{m.profit_to_bank.rounded()}  {m.product_count} product(s)"
        )
    facilities = [f for f in book.facilities if f.client_id == client_id]
    columns: dict[str, pd.Series] = {}
    for f in facilities:
        ends = [o.period_end for o in f.observations]
        drawn = [float(o.drawn.amount) / 1e3 for o in f.observations]
        columns[f"{f.id} drawn ({f.currency} k)"] = pd.Series(drawn, index=ends)
        dpd = [o.days_past_due for o in f.observations]
        columns[f"{f.id} dpd"] = pd.Series(dpd, index=ends)
    table = pd.DataFrame(columns).sort_index()
    table.index.name = "month end"
    print("  its facilities at each month end (drawn; days past due):")
    print(_table(table.round(0).astype("Int64")))


def rating_migration(ratings: pd.DataFrame) -> pd.DataFrame:
    """Part 17: the book's rating migration over the last 12 months, from its reviews.

    A client's grade at a date is its latest rating on or before that date; clients
    rated at both ends (as_of - 12 months and as_of) are counted. Returns the row shares.
    """
    end = pd.Timestamp(AS_OF)
    start = end - pd.DateOffset(months=12)

    def grade_at(date: pd.Timestamp) -> pd.Series:
        known = ratings[ratings[schema.RATED_ON] <= date].sort_values(schema.RATED_ON)
        last = known.drop_duplicates(schema.CLIENT_ID, keep="last")
        return last.set_index(schema.CLIENT_ID)[schema.RATING_GRADE].astype(str)

    both = pd.concat({"start": grade_at(start), "end": grade_at(end)}, axis=1).dropna()
    counts = rating_migration_counts(
        ratings, start=start.date(), end=end.date(), grades=list(RATING_GRADES)
    )
    counts.index.name, counts.columns.name = f"{start.date()} \\ {end.date()}", None
    shares = counts.div(counts.sum(axis=1), axis=0).fillna(0.0)
    moved = both["end"].astype(int) - both["start"].astype(int)
    print(
        f"\n17. Rating migration over the last 12 months ({start.date()} to {end.date()})"
    )
    print(
        f"  {len(both):,} clients rated at both dates (latest review on or before "
        f"each); {(moved < 0).sum():,} upgraded, {(moved > 0).sum():,} downgraded, "
        f"{(moved == 0).mean():.1%} kept their grade; "
        f"{len(grade_at(end)) - len(both):,} first rated since"
    )
    print("  clients, from the grade a year ago (rows) to today's (columns):")
    print(_table(counts))
    print("  row shares (%):")
    print(_table((100 * shares).round(1)))
    return shares


def _pictures(
    rf: pd.DataFrame,
    revenue: np.ndarray,
    migration: MigrationMatrix,
    ratings: pd.DataFrame,
    out: Path,
) -> None:
    """Draw the big book's charts with `lendcrm.plot` and save them into ``out``.

    The library returns figures and writes nothing; saving them is the caller's job.
    """
    if importlib.util.find_spec("matplotlib") is None:
        print("\n  (no pictures: install the plot extra, pip install 'lendcrm[plot]')")
        return
    # Outcomes for the score chart: one default draw per client from its book PD, as
    # the training book is drawn in `fit_models` (a synthetic book has no defaults).
    defaulted = np.random.default_rng(2025).random(len(rf)) < rf[
        schema.DEFAULT_PROBABILITY
    ].to_numpy(dtype=float)
    figures = {
        "lorenz-curve.png": lorenz_chart(revenue),
        "whale-curve.png": whale_chart(rf[schema.PROFIT_TO_BANK]),
        "score-distribution.png": score_distribution_chart(
            defaulted, rf[schema.SCORE], what="scorecard points"
        ),
        "actions-by-stage.png": actions_by_stage_chart(
            rf[schema.STAGE].astype(str).tolist(),
            rf[col.NEXT_ACTION].astype(str).tolist(),
        ),
        "tier-migration.png": migration_heatmap(
            migration.shares, migration.levels, what="tier"
        ),
        "rating-migration.png": migration_heatmap(
            ratings.to_numpy(), [str(g) for g in ratings.index], what="rating"
        ),
        "client-lifecycle.svg": lifecycle_chart(CLIENT_LIFECYCLE),
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, figure in figures.items():
        figure.savefig(out / name, dpi=120)
    print(f"\n  {len(figures)} pictures written to {out}: " + ", ".join(figures))


def _tour_part(name: str) -> ModuleType:
    """A tour part beside this file (``examples/tour_<name>.py``), loaded by path."""
    spec = importlib.util.spec_from_file_location(
        f"tour_{name}", Path(__file__).with_name(f"tour_{name}.py")
    )
    if spec is None or spec.loader is None:
        raise ImportError(name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    """Print the tour."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=None, help="directory for pictures (optional)"
    )
    args = parser.parse_args()
    small_book_tour()
    big_book_tour(args.out)
    runpy.run_path(str(Path(__file__).with_name("tour_ecl.py")))["ecl_tour"](
        AS_OF, FX_RATES
    )
    runpy.run_path(str(Path(__file__).with_name("tour_com_a.py")))["pipeline_tour"]()
    runpy.run_path(str(Path(__file__).with_name("tour_com_b.py")))[
        "commercial_value_tour"
    ](AS_OF, FX_RATES)
    runpy.run_path(str(Path(__file__).with_name("tour_wf_a.py")))["rm_morning"]()
    _tour_part("sched").sched_tour()


if __name__ == "__main__":
    main()
