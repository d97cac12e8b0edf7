"""The service strategy per tier (#13): the caller's table, validated."""

from __future__ import annotations

import attrs
import pytest

from lendcrm import InteractionChannel
from lendcrm.errors import InvalidValueError
from lendcrm.segmentation import (
    MEANINGFUL_CHANNELS,
    SERVICE_STRATEGIES,
    ServiceStrategy,
    Tier,
    service_strategy,
)

GOLD = SERVICE_STRATEGIES[Tier.GOLD]


def test_default_contact_standards_tighten_with_the_tier():
    per_month = [
        SERVICE_STRATEGIES[t].contact_interactions
        / SERVICE_STRATEGIES[t].contact_window_months
        for t in Tier
    ]
    assert per_month == sorted(per_month, reverse=True)
    assert GOLD.meaningful_channels == MEANINGFUL_CHANNELS
    assert InteractionChannel.EMAIL not in MEANINGFUL_CHANNELS


def test_the_callers_table_is_read():
    mine = dict(SERVICE_STRATEGIES)
    mine[Tier.GOLD] = attrs.evolve(GOLD, review_frequency_months=4)
    assert service_strategy("gold", mine).review_frequency_months == 4


def test_a_table_missing_a_tier_names_it():
    mine: dict[Tier, ServiceStrategy] = {
        t: s for t, s in SERVICE_STRATEGIES.items() if t is not Tier.SILVER
    }
    with pytest.raises(InvalidValueError) as err:
        service_strategy(Tier.GOLD, mine)
    assert err.value.field == "table['silver']"
    assert "a ServiceStrategy for tier 'silver'" in str(err.value)


def test_a_strategy_filed_under_another_tier_is_refused():
    mine = dict(SERVICE_STRATEGIES)
    mine[Tier.BASIC] = GOLD
    with pytest.raises(InvalidValueError) as err:
        service_strategy(Tier.GOLD, mine)
    assert err.value.field == "table['basic']"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("review_frequency_months", -1),
        ("review_frequency_months", 0),
        ("contact_window_months", 0),
        ("kyc_refresh_months", 2.5),
        ("contact_interactions", -1),
    ],
)
def test_bad_month_counts_name_field_and_tier(field, value):
    with pytest.raises(InvalidValueError) as err:
        attrs.evolve(GOLD, **{field: value})
    assert err.value.field == field
    assert "(service strategy of tier 'gold')" in str(err.value)


def test_negative_review_frequency_message():
    with pytest.raises(InvalidValueError) as err:
        attrs.evolve(GOLD, review_frequency_months=-3)
    assert str(err.value) == (
        "`review_frequency_months` must be an integer >= 1 (service strategy of tier "
        "'gold'); got -3."
    )


def test_unknown_channel_is_refused():
    with pytest.raises(InvalidValueError) as err:
        attrs.evolve(GOLD, meaningful_channels={"fax"})
    assert err.value.field == "meaningful_channels"


def test_tier_given_as_text_is_converted():
    s = ServiceStrategy(
        tier="silver",
        coverage="pool",
        review_frequency_months=12,
        pricing_latitude_bps=5,
        approval_authority="branch",
        channel="phone",
    )
    assert s.tier is Tier.SILVER
