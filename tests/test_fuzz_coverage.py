"""Every public callable is fuzzed, or excluded here with a reason (#17, item 6).

The fuzz tables (`BASE_CALLS` of each `tests/test_fuzz_*.py`) are gathered and
compared with every callable in every front door's ``__all__``: a new public function
or class that is neither in a table nor in `EXCLUDED` (with the reason it is not
fuzzed) fails here, and so does an exclusion that has become stale.
"""

from __future__ import annotations

import enum
import importlib
import importlib.util
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tests import (
    test_fuzz_config_objects,
    test_fuzz_last_classes,
    test_fuzz_mapping,
    test_fuzz_new_surface,
    test_fuzz_new_surface_more,
    test_fuzz_public_api,
    test_fuzz_public_api_more,
    test_fuzz_public_api_wide,
    test_fuzz_remaining_relationship,
    test_fuzz_remaining_risk,
)
from tests.risk.impairment import test_fuzz_impairment
from tests.test_public_api import FRONT_DOORS

FUZZ_TABLES: tuple[Mapping[str, tuple[Callable[..., object], Any]], ...] = (
    test_fuzz_public_api.BASE_CALLS,
    test_fuzz_public_api_more.BASE_CALLS,
    test_fuzz_public_api_wide.BASE_CALLS,
    test_fuzz_new_surface.BASE_CALLS,
    test_fuzz_new_surface_more.BASE_CALLS,
    test_fuzz_remaining_risk.BASE_CALLS,
    test_fuzz_remaining_relationship.BASE_CALLS,
    test_fuzz_impairment.CALLS,
    test_fuzz_mapping.BASE_CALLS,
    test_fuzz_config_objects.BASE_CALLS,
    test_fuzz_last_classes.BASE_CALLS,
)
if importlib.util.find_spec("matplotlib") is not None:  # lendcrm.plot is optional
    FUZZ_TABLES = (
        *FUZZ_TABLES,
        importlib.import_module("tests.test_fuzz_plot").BASE_CALLS,
    )

_SKLEARN = (
    "a scikit-learn estimator: its __init__ only stores parameters (sklearn's "
    "convention); fit refuses bad input, and scikit-learn's own check suite "
    "(tests/risk/scoring/test_sklearn_checks.py) feeds it NaN, inf, empty, 1-d, "
    "complex and wrong-length data"
)
_PLOT = "matplotlib optional and not installed: tests/test_fuzz_plot.py is skipped"
_VARARGS = "takes *keys: fuzzed by tests/relationship (no keyword base call)"

# "<front door>.<name>" -> why it is not called with bad values by a fuzz table; a
# class "returned by" a fuzzed function is built by it (the return annotation names it)
EXCLUDED: dict[str, str] = {
    "lendcrm.frames.BookFrames": "returned by frames.book_frames",
    "lendcrm.frames.mapping.CheckedFrames": "returned by frames.mapping.check_book_frames",
    "lendcrm.frames.mapping.LoadedBook": "returned by frames.mapping.load_book",
    "lendcrm.lifecycle.CostOutlook": "returned by lifecycle.cost_outlook",
    "lendcrm.lifecycle.DrawdownCheck": "returned by lifecycle.drawdown_check",
    "lendcrm.lifecycle.LifecycleState": "returned by lifecycle.advance",
    "lendcrm.lifecycle.MilestoneProgress": "returned by lifecycle.milestone_progress",
    "lendcrm.lifecycle.Playbook": "returned by lifecycle.playbook_for",
    "lendcrm.lifecycle.ProjectReview": "returned by lifecycle.project_review",
    "lendcrm.lifecycle.StageAssessment": "returned by lifecycle.assess_stage",
    "lendcrm.lifecycle.StageAssessments": "returned by lifecycle.assess_signals",
    "lendcrm.lifecycle.StageSignals": "returned by lifecycle.frames.signals_from_frame",
    "lendcrm.relationship.ClientFacts": "returned by relationship.client_facts",
    "lendcrm.relationship.ClientView": "returned by relationship.client_view",
    "lendcrm.relationship.EarlyWarnings": "returned by relationship.early_warnings",
    "lendcrm.relationship.NextBestActions": "returned by relationship.next_best_actions",
    "lendcrm.relationship.NpsTable": "returned by relationship.nps_by_group",
    "lendcrm.relationship.RelationshipPrices": "returned by relationship.price_relationships",
    "lendcrm.relationship.SatisfactionTrend": "returned by relationship.satisfaction_trend",
    "lendcrm.relationship.commercial.AttritionModel": "returned by commercial.fit_attrition",
    "lendcrm.relationship.commercial.AttritionRisk": "returned by commercial.attrition_risk",
    "lendcrm.relationship.commercial.AttritionScores": "returned by commercial.attrition_scores",
    "lendcrm.relationship.commercial.ClientProductGap": "returned by commercial.product_gap",
    "lendcrm.relationship.commercial.ConversionModel": "returned by commercial.fit_conversion",
    "lendcrm.relationship.commercial.ForecastLine": "returned by commercial.pipeline_forecast",
    "lendcrm.relationship.commercial.IndicativeOffer": "returned by commercial.indicative_offer",
    "lendcrm.relationship.commercial.Pipeline": "returned by commercial.frames.pipeline_from_frames",
    "lendcrm.relationship.commercial.ProductGaps": "returned by commercial.product_gaps",
    "lendcrm.relationship.commercial.StageChain": "returned by commercial.chain_from_paths",
    "lendcrm.relationship.commercial.StageProbabilities": "returned by commercial.estimate_stage_probabilities",
    "lendcrm.relationship.commercial.WalletShare": "returned by commercial.share_of_wallet",
    "lendcrm.relationship.commercial.peer_groups": _VARARGS,
    "lendcrm.relationship.scaleout.BookPartition": "returned by relationship.scaleout.partition_book",
    "lendcrm.relationship.workflows.CalendarItem": "returned by workflows.review_calendar",
    "lendcrm.relationship.workflows.Completion": "returned by workflows.completion_by",
    "lendcrm.relationship.workflows.CompletionRow": "returned by workflows.completion_of",
    "lendcrm.relationship.workflows.ContactCompliance": "returned by workflows.contact_standard",
    "lendcrm.relationship.workflows.Coverage": "returned by workflows.coverage",
    "lendcrm.relationship.workflows.PlanTemplate": "returned by workflows.templates_from_playbooks",
    "lendcrm.relationship.workflows.ProposedTasks": "returned by workflows.tasks_from_actions",
    "lendcrm.relationship.workflows.RebalanceProposal": "returned by workflows.propose_rebalance",
    "lendcrm.relationship.workflows.RmLoad": "returned by workflows.rm_load",
    "lendcrm.risk.capital.CollateralAllocation": "returned by capital.allocate_collateral",
    "lendcrm.risk.capital.IRBCapital": "returned by capital.irb_capital",
    "lendcrm.risk.capital.frames.CollateralAllocationFrames": "returned by capital.frames.collateral_allocation_frame",
    "lendcrm.risk.impairment.EclMovement": "returned by impairment.ecl_movement",
    "lendcrm.risk.impairment.ExpectedCreditLoss": "returned by impairment.expected_credit_loss",
    "lendcrm.risk.impairment.FacilityEcl": "returned by impairment.facility_ecl",
    "lendcrm.risk.impairment.StageTransfers": "returned by impairment.stage_transfers",
    "lendcrm.risk.impairment.Staging": "returned by impairment.stage_book",
    "lendcrm.risk.portfolio.CounterpartyExposures": "returned by portfolio.counterparty_exposures",
    "lendcrm.risk.portfolio.LargeExposures": "returned by portfolio.large_exposures",
    "lendcrm.risk.portfolio.LossSimulation": "returned by portfolio.simulate_losses",
    "lendcrm.risk.portfolio.TransitionEstimate": "returned by portfolio.duration_matrix",
    "lendcrm.risk.pricing.BookPricing": "returned by pricing.price_book",
    "lendcrm.risk.pricing.LifetimeRaroc": "returned by pricing.lifetime_raroc",
    "lendcrm.risk.pricing.LimitProposal": "returned by pricing.propose_limit",
    "lendcrm.risk.pricing.LimitProposals": "returned by pricing.propose_limits",
    "lendcrm.risk.pricing.PriceBreakdown": "returned by pricing.facility_price",
    "lendcrm.risk.pricing.RelationshipRaroc": "returned by pricing.relationship_raroc",
    "lendcrm.risk.project_finance.CovenantTest": "returned by project_finance.project_covenant_test",
    "lendcrm.risk.project_finance.CovenantTests": "returned by project_finance.covenant_tests",
    "lendcrm.risk.project_finance.SculptedDebt": "returned by project_finance.sculpt",
    "lendcrm.risk.project_finance.frames.CovenantCompliance": "returned by project_finance.frames.covenant_compliance",
    "lendcrm.risk.schedules.EadProfile": "returned by schedules.ead_profile",
    "lendcrm.risk.schedules.Schedule": "returned by schedules.repayment_schedules",
    "lendcrm.risk.scoring.Binning": "returned by scoring.fit_binning",
    "lendcrm.risk.scoring.BinningSet": "returned by scoring.fit_binning_set",
    "lendcrm.risk.scoring.BinningSummaryRow": "returned by scoring.binning_summary",
    "lendcrm.risk.scoring.CharacteristicShift": "returned by scoring.characteristic_analysis",
    "lendcrm.risk.scoring.CollinearityReport": "returned by scoring.collinearity_filter",
    "lendcrm.risk.scoring.GainsRow": "returned by scoring.gains_table",
    "lendcrm.risk.scoring.GradeCalibration": "returned by scoring.calibration_by_grade",
    "lendcrm.risk.scoring.HosmerLemeshow": "returned by scoring.hosmer_lemeshow",
    "lendcrm.risk.scoring.LogisticModel": "returned by scoring.fit_logistic",
    "lendcrm.risk.scoring.Scorecard": "returned by scoring.build_scorecard",
    "lendcrm.risk.scoring.Selection": "returned by scoring.stepwise",
    "lendcrm.risk.scoring.sklearn.ScorecardClassifier": _SKLEARN,
    "lendcrm.risk.scoring.sklearn.WoETransformer": _SKLEARN,
    "lendcrm.segmentation.ClientFeatures": "returned by segmentation.frames.features_from_book",
    "lendcrm.segmentation.LorenzCurve": "returned by segmentation.lorenz_curve",
    "lendcrm.segmentation.MigrationMatrix": "returned by relationship.frames.tier_migration",
    "lendcrm.segmentation.Segmentation": "returned by segmentation.resegment",
    "lendcrm.segmentation.ServiceStrategy": "returned by segmentation.service_strategy",
    "lendcrm.segmentation.ThresholdTiers": "returned by relationship.frames.fit_tiering",
    "lendcrm.segmentation.WhaleCurve": "returned by segmentation.whale_curve",
    "lendcrm.synthetic.SyntheticFrames": "returned by synthetic.generate_frames",
    "lendcrm.synthetic.SyntheticPipeline": "returned by synthetic.generate_pipeline",
}


#: Callables whose fuzz entries need an optional extra this venv lacks (the floors job
#: has none): excluded here, and still counted on the errors page, which states the
#: counts of a venv with every extra.
WITHOUT_EXTRA: dict[str, str] = {}
if importlib.util.find_spec("dask") is None:
    WITHOUT_EXTRA.update(
        {
            f"lendcrm.relationship.scaleout.{name}": (
                "dask optional and not installed: its fuzz entry is left out"
            )
            for name in (
                "pricing_dask",
                "relationship_dask",
                "scores_dask",
                "stages_dask",
            )
        }
    )
if importlib.util.find_spec("matplotlib") is None:
    WITHOUT_EXTRA.update(
        {
            f"lendcrm.plot.{name}": _PLOT
            for name in importlib.import_module("lendcrm.plot").__all__
        }
    )
EXCLUDED.update(WITHOUT_EXTRA)


def _kind_reason(value: object) -> str | None:
    """The reason a whole kind of public name is not fuzzed, or None."""
    if isinstance(value, type) and issubclass(value, BaseException | Warning):
        return "an error class: pickling and messages are tested in test_errors*.py"
    if isinstance(value, type) and issubclass(value, enum.Enum):
        return "an enum: parameters taking it refuse unknown values (enum_member)"
    if getattr(value, "_is_protocol", False):
        return (
            "a typing.Protocol: it cannot be called; parameters taking one check "
            "isinstance (runtime_checkable) and refuse other objects by name"
        )
    if hasattr(value, "__supertype__"):
        return "a typing.NewType: the identity at run time; entity fields check ids"
    return None


def _public_callables() -> dict[str, Callable[..., object]]:
    found: dict[str, Callable[..., object]] = {}
    for door in FRONT_DOORS:
        module = importlib.import_module(door)
        for name in module.__all__:
            value = getattr(module, name)
            if callable(value) and _kind_reason(value) is None:
                found[f"{door}.{name}"] = value
    return found


def _fuzzed() -> set[int]:
    return {id(function) for table in FUZZ_TABLES for function, _ in table.values()}


def test_every_public_callable_is_fuzzed_or_excluded_with_a_reason() -> None:
    fuzzed = _fuzzed()
    missing = sorted(
        name
        for name, value in _public_callables().items()
        if id(value) not in fuzzed and name not in EXCLUDED
    )
    assert missing == [], f"public callables neither fuzzed nor excluded: {missing}"


def test_no_exclusion_is_stale() -> None:
    fuzzed = _fuzzed()
    public = _public_callables()
    stale = sorted(
        name for name in EXCLUDED if name not in public or id(public[name]) in fuzzed
    )
    assert stale == [], f"excluded but fuzzed or gone: {stale}"


def test_each_exclusion_gives_a_reason() -> None:
    assert all(reason.strip() for reason in EXCLUDED.values())


def test_the_errors_page_lists_every_fuzzed_area_with_its_count() -> None:
    fuzzed = _fuzzed()
    counts = Counter(
        name.rsplit(".", 1)[0]
        for name, value in _public_callables().items()
        if id(value) in fuzzed or name in WITHOUT_EXTRA
    )
    page = Path(__file__).parents[1] / "docs" / "explanation" / "errors.md"
    text = page.read_text(encoding="utf-8")
    missing = [
        f"| `{door}` | {count} |"
        for door, count in sorted(counts.items())
        if f"| `{door}` | {count} |" not in text
    ]
    assert missing == [], f"rows to add or update in errors.md: {missing}"
