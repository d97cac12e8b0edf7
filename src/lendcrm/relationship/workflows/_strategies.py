"""`ServiceStrategies`: the bank's own service-strategy table and the calendar's risk rules.

`lendcrm.segmentation.ServiceStrategy` is the service model of one tier. This table is
the bank's whole set: one strategy per tier (required), optional overrides per tier and
lifecycle stage (a declining gold client may get the review cadence of a diamond one),
the tier that serves untiered clients, and the rules that bring reviews and KYC
refreshes forward for risk: the watchlist, a high probability of default and the
Equator Principles category of a financed project.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm import EquatorCategory, InteractionChannel
from lendcrm._validators import enum_member, refuse_object
from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import ClientStage
from lendcrm.segmentation import (
    SERVICE_STRATEGIES,
    ServiceStrategy,
    Tier,
    check_strategy_table,
)

__all__ = ["CHANNELS", "STAGES", "FrozenMap", "ServiceStrategies", "StrategyArrays"]

#: The client stages in code order (a stage code is a position here; -1: unknown).
STAGES: Final[tuple[ClientStage, ...]] = tuple(ClientStage)
#: The channels in code order (a channel code is a position here).
CHANNELS: Final[tuple[InteractionChannel, ...]] = tuple(InteractionChannel)


def _whole(name: str, value: object, *, low: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise InvalidValueError(
            field=name,
            value=value,
            expected=f"an integer >= {low} (months, in the service strategies)",
        )


class FrozenMap(Mapping[Any, Any]):
    """An immutable, hashable, picklable mapping (the tables of `ServiceStrategies`)."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[Any, Any]) -> None:
        self._items = dict(items)

    def __getitem__(self, key: object) -> Any:  # noqa: ANN401 - a mapping's value
        return self._items[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[Any, Any]]]:
        return (FrozenMap, (self._items,))


def _frozen_map(value: Mapping[Any, Any], *, name: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        refuse_object(value, name=name, what="a mapping")
    return FrozenMap(value)


def _by_tier(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return _frozen_map(value, name="by_tier")


def _by_stage(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    table = _frozen_map(value, name="by_stage")
    for key in table:
        if not isinstance(key, tuple) or len(key) != 2:  # noqa: PLR2004
            raise InvalidValueError(
                field="by_stage",
                value=key,
                expected="a mapping keyed by (tier, stage) pairs",
            )
        enum_member(Tier, key[0], name=f"by_stage[{key!r}][0]")
        enum_member(ClientStage, key[1], name=f"by_stage[{key!r}][1]")
    return table


def _equator_months(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    table = _frozen_map(value, name="equator_kyc_months")
    for key in table:
        enum_member(EquatorCategory, key, name="equator_kyc_months")
    return table


def _untiered(value: Tier | str) -> Tier:
    return enum_member(Tier, value, name="untiered")


@attrs.frozen(kw_only=True, eq=False)
class StrategyArrays:
    """The table as arrays indexed ``[tier rank, stage code]``, for the columnar face.

    The last stage column serves clients whose stage is not known.

    Attributes:
        review_months: Months between credit reviews.
        kyc_months: Months between KYC refreshes.
        contact_interactions: Meaningful interactions required per window.
        contact_window_months: The window of the contact standard.
        meaningful: ``[tier, stage, channel]``: whether the channel counts.
    """

    review_months: npt.NDArray[np.int64]
    kyc_months: npt.NDArray[np.int64]
    contact_interactions: npt.NDArray[np.int64]
    contact_window_months: npt.NDArray[np.int64]
    meaningful: npt.NDArray[np.bool_]


@attrs.frozen(kw_only=True)
class ServiceStrategies:
    """The bank's service strategies: one per tier, optional per-stage overrides.

    Attributes:
        by_tier: A `ServiceStrategy` for every `Tier`, filed under its own tier
            (default: `lendcrm.segmentation.SERVICE_STRATEGIES`).
        by_stage: Overrides for a (tier, `ClientStage`) pair; a client in that stage
            gets that strategy instead of its tier's.
        untiered: The tier whose strategy serves a client without a tier.
        annual_review_months: Months between two annual relationship reviews.
        watchlist_review_months: A client on the watchlist has its credit reviewed at
            least this often.
        high_risk_pd: A client whose one-year PD is at least this is high risk.
        high_risk_review_months: A high-risk client has its credit reviewed at least
            this often.
        high_risk_kyc_months: A high-risk or watchlist client has its KYC refreshed at
            least this often.
        equator_kyc_months: A client financing a project of this Equator category has
            its KYC (and the project's environmental and social due diligence)
            refreshed at least this often (default: A 12, B 24; C has no rule).

    Raises:
        InvalidValueError: a tier without a strategy, a strategy filed under another
            tier or stage, a month count that is not a whole number >= 1, or a PD
            threshold outside (0, 1]; the message names the field (and the tier).

    Examples:
        >>> from lendcrm.lifecycle import ClientStage
        >>> s = ServiceStrategies()
        >>> s.strategy("gold").review_frequency_months
        6
        >>> s.strategy(None).tier.value
        'basic'
        >>> s.strategy("gold", ClientStage.DECLINE).contact_window_months
        6
        >>> ServiceStrategies(by_tier={Tier.GOLD: s.strategy("gold")})
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `by_tier['diamond']` must be a ServiceStrategy for tier 'diamond' (the table must cover every tier: diamond, gold, silver, basic); got None.
    """

    by_tier: Mapping[Tier, ServiceStrategy] = attrs.field(
        default=SERVICE_STRATEGIES, converter=_by_tier
    )
    by_stage: Mapping[tuple[Tier, ClientStage], ServiceStrategy] = attrs.field(
        factory=dict, converter=_by_stage
    )
    untiered: Tier = attrs.field(default=Tier.BASIC, converter=_untiered)
    annual_review_months: int = 12
    watchlist_review_months: int = 3
    high_risk_pd: float = 0.05
    high_risk_review_months: int = 6
    high_risk_kyc_months: int = 12
    equator_kyc_months: Mapping[EquatorCategory, int] = attrs.field(
        default=FrozenMap({EquatorCategory.A: 12, EquatorCategory.B: 24}),
        converter=_equator_months,
    )

    def __attrs_post_init__(self) -> None:
        """Every tier covered, overrides filed under their tier, months >= 1."""
        check_strategy_table(self.by_tier, field="by_tier")
        for (tier, stage), strategy in self.by_stage.items():
            key = f"by_stage[({Tier(tier).value!r}, {ClientStage(stage).value!r})]"
            if strategy.tier is not Tier(tier):
                raise InvalidValueError(
                    field=key,
                    value=strategy.tier.value,
                    expected=f"a ServiceStrategy whose tier is {Tier(tier).value!r}",
                )
        for name in (
            "annual_review_months",
            "watchlist_review_months",
            "high_risk_review_months",
            "high_risk_kyc_months",
        ):
            _whole(name, getattr(self, name))
        for category, months in self.equator_kyc_months.items():
            _whole(f"equator_kyc_months[{EquatorCategory(category).value!r}]", months)
        pd_ok = not isinstance(self.high_risk_pd, bool) and isinstance(
            self.high_risk_pd, int | float
        )
        if not pd_ok or not 0 < self.high_risk_pd <= 1 or math.isnan(self.high_risk_pd):
            raise InvalidValueError(
                field="high_risk_pd",
                value=self.high_risk_pd,
                expected="a probability in (0, 1]",
            )

    def strategy(
        self, tier: Tier | str | None, stage: ClientStage | str | None = None
    ) -> ServiceStrategy:
        """The strategy of a client of ``tier`` (``None`` or ``""``: untiered) in ``stage``.

        Raises:
            InvalidValueError: ``tier`` is not a tier or ``stage`` not a client stage.
        """
        if tier is not None and not isinstance(tier, str | Tier):
            refuse_object(tier, name="tier", what="a Tier, its value, or None")
        key = self.untiered if tier is None or tier == "" else _tier(tier)
        if stage is not None and stage != "":
            found = self.by_stage.get((key, _stage(stage)))
            if found is not None:
                return found
        return self.by_tier[key]

    def arrays(self) -> StrategyArrays:
        """The table as `StrategyArrays` (built once per call: cheap, 4 x 7 cells)."""
        shape = (len(Tier), len(STAGES) + 1)
        review = np.zeros(shape, dtype=np.int64)
        kyc = np.zeros(shape, dtype=np.int64)
        need = np.zeros(shape, dtype=np.int64)
        window = np.zeros(shape, dtype=np.int64)
        meaningful = np.zeros((*shape, len(CHANNELS)), dtype=np.bool_)
        for tier in Tier:
            for s, stage in enumerate((*STAGES, None)):
                strategy = self.strategy(tier, stage)
                review[tier.rank, s] = strategy.review_frequency_months
                kyc[tier.rank, s] = strategy.kyc_refresh_months
                need[tier.rank, s] = strategy.contact_interactions
                window[tier.rank, s] = strategy.contact_window_months
                meaningful[tier.rank, s] = [
                    c in strategy.meaningful_channels for c in CHANNELS
                ]
        return StrategyArrays(
            review_months=review,
            kyc_months=kyc,
            contact_interactions=need,
            contact_window_months=window,
            meaningful=meaningful,
        )


def _tier(tier: str) -> Tier:
    try:
        return Tier(tier)
    except ValueError:
        raise InvalidValueError(
            field="tier",
            value=tier,
            expected="one of diamond, gold, silver, basic (or None: untiered)",
        ) from None


def _stage(stage: str) -> ClientStage:
    try:
        return ClientStage(stage)
    except ValueError:
        raise InvalidValueError(
            field="stage",
            value=stage,
            expected=f"a client stage ({', '.join(s.value for s in STAGES)}) or None",
        ) from None
