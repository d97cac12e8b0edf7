"""scikit-learn's own estimator checks on the adapters (#16, deliverable 6).

Every check runs; the few expected to fail are listed below with the reason, and
``xfail_strict`` turns a listed check that starts passing into a failure, so the list
stays honest.
"""

from __future__ import annotations

import pytest

pytest.importorskip("sklearn")

from sklearn.utils.estimator_checks import parametrize_with_checks

from lendcrm.risk.scoring.sklearn import ScorecardClassifier, WoETransformer

ONE_FEATURE = (
    "the check fits 10 rows; the default binning asks for at least 5 goods and 5 "
    "bads per bin (Siddiqi's minimums), so the binning refuses with "
    "InvalidValueError naming `min_bin_bads`, not the feature count the check "
    "looks for"
)
SEPARATED = (
    "the check's samples are perfectly separated; an unpenalised logistic "
    "regression has no maximum-likelihood estimate there and lendcrm raises "
    "ConvergenceError rather than return a diverging fit (l2 > 0 fits them: see "
    "the ScorecardClassifier(l2=1.0) case, which passes these checks)"
)
TRAIN_SCORE = (
    "the check's two blobs are split so cleanly on x1 that no binning with at "
    "least 5 goods and 5 bads per bin splits x1: it gets a single bin (IV 0) and "
    "the scorecard scores on x0 alone, 0.71 accuracy against the check's 0.83"
)


def expected_failures(estimator: object) -> dict[str, str]:
    failures = {"check_fit2d_1feature": ONE_FEATURE}
    if isinstance(estimator, ScorecardClassifier):
        failures["check_classifiers_train"] = TRAIN_SCORE
        if estimator.l2 == 0.0:
            failures["check_positive_only_tag_during_fit"] = SEPARATED
            failures["check_estimators_pickle"] = SEPARATED
    return failures


@parametrize_with_checks(
    [WoETransformer(), ScorecardClassifier(), ScorecardClassifier(l2=1.0)],
    expected_failed_checks=expected_failures,
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
