"""scikit-learn's estimator bases, or stand-ins that say how to install it (private).

`lendcrm.risk.scoring.sklearn` imports without scikit-learn (an optional extra); its
estimators are built on these bases, and without scikit-learn creating one raises an
`ImportError` naming the extra. The input checks (`validate_data`, ...) are imported
where they are used, so only a fitted, constructed estimator reaches them.
"""

from __future__ import annotations

from typing import NoReturn

MISSING_SKLEARN = (
    "lendcrm.risk.scoring.sklearn needs scikit-learn 1.6 or later, an optional "
    "extra: pip install 'lendcrm[sklearn]'"
)

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin

    HAVE_SKLEARN = True
except ImportError:  # pragma: no cover - exercised only without the extra
    HAVE_SKLEARN = False

    class _Missing:
        def __new__(cls, *args: object, **kwargs: object) -> NoReturn:  # noqa: ARG004
            raise ImportError(MISSING_SKLEARN)

    class BaseEstimator(_Missing):  # type: ignore[no-redef]
        """Stand-in: scikit-learn is not installed."""

    class ClassifierMixin(_Missing):  # type: ignore[no-redef]
        """Stand-in: scikit-learn is not installed."""

    class TransformerMixin(_Missing):  # type: ignore[no-redef]
        """Stand-in: scikit-learn is not installed."""


__all__ = [
    "HAVE_SKLEARN",
    "MISSING_SKLEARN",
    "BaseEstimator",
    "ClassifierMixin",
    "TransformerMixin",
]
