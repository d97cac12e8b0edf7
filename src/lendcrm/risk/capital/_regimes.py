"""The capital regime: the parameters that distinguish one set of IRB rules from another.

The regime is never a global default: pass `BASEL_II`, `BASEL_III` or your own
`CapitalRegime` (an `attrs.evolve` of one of them).

Maturity policy: the framework reads effective maturity as ``min(5, max(1, M))``
(§320; CRE32.46). `CapitalRegime.maturity_policy` chooses what happens above the
cap: `MaturityPolicy.CAP` (the framework's reading, the default of both built-in
regimes) or `MaturityPolicy.REFUSE` (raise, for callers who want to be told). Maturities
below the floor are always floored; a maturity <= 0 is always refused.

Advanced-approach restrictions: Basel III does not allow own LGD estimates for
exposures to banks and other financial institutions, nor to corporates in a group with
consolidated annual revenue above EUR 500 m (CRE30.34-30.35). Where an own-estimate LGD
is passed for such an exposure (``apply_lgd_floor=True``),
`CapitalRegime.advanced_lgd_policy` chooses: `AdvancedLGDPolicy.FOUNDATION` (the
default of both built-in regimes) replaces it with the foundation LGD, as the framework
requires such exposures to use the foundation approach (CRE32.15); `REFUSE` raises an
`InvalidValueError` naming the rule. Basel II has no such restriction.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

import attrs

from lendcrm._arrays import FrozenMap
from lendcrm._validators import (
    enum_member,
    fraction_in,
    instance_of,
    non_empty_str,
    number_in,
    optional,
)
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital._haircuts import SupervisoryCollateral

__all__ = [
    "BASEL_II",
    "BASEL_III",
    "FINANCIAL_INSTITUTION_CLASSES",
    "RETAIL_CLASSES",
    "SECURED_FLOOR_CLASSES",
    "AdvancedLGDPolicy",
    "AssetClass",
    "CapitalRegime",
    "MaturityPolicy",
]


class AssetClass(StrEnum):
    """IRB asset classes that have their own correlation (Basel II §§272-273, 328-330).

    `CORPORATE` also covers SMEs: pass `sales` and the firm-size adjustment applies where
    sales are below EUR 50 m. `LARGE_FINANCIAL` is a large regulated (assets >= USD
    100 bn) or unregulated financial institution: its correlation is multiplied by the
    regime's `large_financial_multiplier` (1.25 under Basel III, CRE31.7).
    `OTHER_FINANCIAL` is any other financial institution in the corporate class (a
    securities firm or insurer below that size): the corporate formula, but the
    financial institutions' foundation LGD (45 %, CRE32.6).
    `QUALIFYING_REVOLVING` is a QRRE revolver and `QRRE_TRANSACTOR` a QRRE transactor
    (CRE30.25: every QRRE exposure that is not a transactor is a revolver): the same
    formula, but revolvers take a 0.10 % PD floor under Basel III (CRE32.58).

    Examples:
        >>> AssetClass("qualifying_revolving")
        <AssetClass.QUALIFYING_REVOLVING: 'qualifying_revolving'>
    """

    CORPORATE = "corporate"
    SOVEREIGN = "sovereign"
    BANK = "bank"
    LARGE_FINANCIAL = "large_financial"
    OTHER_FINANCIAL = "other_financial"
    RESIDENTIAL_MORTGAGE = "residential_mortgage"
    QUALIFYING_REVOLVING = "qualifying_revolving"
    QRRE_TRANSACTOR = "qrre_transactor"
    OTHER_RETAIL = "other_retail"


#: The retail asset classes: own PD floor, no maturity adjustment (§§328-330).
RETAIL_CLASSES: Final = frozenset(
    {
        AssetClass.RESIDENTIAL_MORTGAGE,
        AssetClass.QUALIFYING_REVOLVING,
        AssetClass.QRRE_TRANSACTOR,
        AssetClass.OTHER_RETAIL,
    }
)

#: Classes whose A-IRB LGD floor depends on the collateral (CRE32.16-32.17, CRE32.59);
#: the others take one floor whatever secures them (QRRE 50 %, mortgages 5 %).
SECURED_FLOOR_CLASSES: Final = frozenset(
    {
        AssetClass.CORPORATE,
        AssetClass.BANK,
        AssetClass.LARGE_FINANCIAL,
        AssetClass.OTHER_FINANCIAL,
        AssetClass.OTHER_RETAIL,
    }
)


#: Banks and other financial institutions: 45 % foundation LGD (CRE32.6) and no own
#: LGD estimates under Basel III (CRE30.34(2)).
FINANCIAL_INSTITUTION_CLASSES: Final = frozenset(
    {AssetClass.BANK, AssetClass.LARGE_FINANCIAL, AssetClass.OTHER_FINANCIAL}
)


class AdvancedLGDPolicy(StrEnum):
    """What to do with an own-estimate LGD where the regime allows only the foundation.

    Examples:
        >>> AdvancedLGDPolicy("refuse")
        <AdvancedLGDPolicy.REFUSE: 'refuse'>
    """

    FOUNDATION = "foundation"
    REFUSE = "refuse"


class MaturityPolicy(StrEnum):
    """What to do with an effective maturity above the regime's cap.

    Examples:
        >>> MaturityPolicy.CAP.value
        'cap'
    """

    CAP = "cap"
    REFUSE = "refuse"


def _floor_of(value: object, *, name: str) -> float:
    """A floor as a float in [0, 1]; text such as ``"0.1"`` is read as a number."""
    number = value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = None
    if (
        isinstance(number, bool)
        or not isinstance(number, int | float)
        or not 0.0 <= number <= 1.0
    ):
        raise InvalidValueError(
            field=name, value=value, expected="a fraction in [0, 1]"
        )
    return float(number)


def _require_mapping(values: object, *, name: str) -> Mapping[object, object]:
    if not isinstance(values, Mapping):
        shown = None if values is None else type(values).__name__
        raise InvalidValueError(
            field=name, value=shown, expected="a mapping of LGD floors"
        )
    return values


def _lgd_floors(
    values: Mapping[AssetClass, float],
) -> Mapping[AssetClass, float]:
    floors = _require_mapping(values, name="lgd_floors")
    for k, v in floors.items():
        enum_member(AssetClass, k, name="lgd_floors")
        _floor_of(v, name=f"lgd_floors[{k!r}]")
    return FrozenMap(values)


def _secured_floors(
    values: Mapping[SupervisoryCollateral, float] | Mapping[str, float],
) -> Mapping[SupervisoryCollateral, float]:
    floors = _require_mapping(values, name="secured_lgd_floors")
    return FrozenMap(
        {
            enum_member(SupervisoryCollateral, k, name="secured_lgd_floors"): _floor_of(
                v, name=f"secured_lgd_floors[{k!r}]"
            )
            for k, v in floors.items()
        }
    )


def _advanced_lgd_policy(value: AdvancedLGDPolicy | str) -> AdvancedLGDPolicy:
    return enum_member(AdvancedLGDPolicy, value, name="advanced_lgd_policy")


def _maturity_policy(value: MaturityPolicy | str) -> MaturityPolicy:
    return enum_member(MaturityPolicy, value, name="maturity_policy")


def _retail_floor(regime: CapitalRegime) -> float:
    return regime.default_probability_floor_retail


@attrs.frozen(kw_only=True)
class CapitalRegime:
    """The parameters that distinguish one set of IRB rules from another.

    Attributes:
        name: Label used in reports (``"Basel II"``).
        default_probability_floor: Smallest PD used for non-defaulted corporate,
            bank and large financial exposures, a fraction (0.0003 = 0.03 %).
        default_probability_floor_retail: Smallest PD for retail exposures.
        default_probability_floor_qrre_revolver: Smallest PD for QRRE revolvers
            (`QUALIFYING_REVOLVING`; 0.10 % under Basel III, CRE32.58); defaults to
            the retail floor.
        default_probability_floor_sovereign: Smallest PD for sovereign exposures (0
            under Basel III).
        scaling_factor: Multiplier on IRB risk-weighted assets (1.06 under Basel II
            §44, 1.0 under Basel III).
        large_financial_multiplier: Correlation multiplier for large or unregulated
            financial institutions (1.25 under Basel III, CRE31.7).
        foundation_lgd_senior: F-IRB LGD of senior claims on non-financial
            corporates not secured by recognised collateral (40 % under Basel III,
            CRE32.6; 45 % under Basel II §287).
        foundation_lgd_senior_financial: F-IRB LGD of senior unsecured claims on
            sovereigns, banks and other financial institutions (45 %, CRE32.6).
        foundation_lgd_subordinated: F-IRB LGD of subordinated claims (75 %,
            CRE32.7; Basel II §288).
        advanced_lgd_revenue_limit: Consolidated annual revenue in EUR m above which
            a corporate may not use own LGD estimates (500 under Basel III,
            CRE30.34(1)); `None`: no limit. Checked against `sales`.
        advanced_lgd_for_financials: Whether banks and other financial institutions
            may use own LGD estimates (False under Basel III, CRE30.34(2)).
        advanced_lgd_policy: `AdvancedLGDPolicy.FOUNDATION` to replace a forbidden
            own-estimate LGD with the foundation LGD, `REFUSE` to raise.
        lgd_floors: A-IRB LGD floors for unsecured exposures by asset class, applied
            only when a function is called with ``apply_lgd_floor=True`` (own-estimate
            LGDs). Classes not listed have no floor.
        secured_lgd_floors: A-IRB LGD floors of the secured part of corporate and
            other retail exposures by collateral kind (CRE32.16-32.17, CRE32.58-32.59;
            see `airb_lgd_floor`). Kinds not listed take the unsecured floor.
        maturity_floor: Smallest effective maturity in years (1).
        maturity_cap: Largest effective maturity in years (5).
        maturity_policy: `MaturityPolicy.CAP` to cap longer maturities, `REFUSE` to
            raise.
        confidence: Confidence level of the Vasicek quantile (0.999).

    Examples:
        >>> BASEL_III.default_probability_floor, BASEL_II.scaling_factor
        (0.0005, 1.06)
        >>> mine = attrs.evolve(BASEL_III, name="Basel III (refuse)",
        ...                     maturity_policy=MaturityPolicy.REFUSE)
        >>> mine.maturity_cap
        5.0
    """

    name: str = attrs.field(validator=non_empty_str)
    default_probability_floor: float = attrs.field(validator=fraction_in(0.0, 1.0))
    default_probability_floor_retail: float = attrs.field(
        validator=fraction_in(0.0, 1.0)
    )
    default_probability_floor_sovereign: float = attrs.field(
        validator=fraction_in(0.0, 1.0)
    )
    default_probability_floor_qrre_revolver: float = attrs.field(
        default=attrs.Factory(_retail_floor, takes_self=True),
        validator=fraction_in(0.0, 1.0),
    )
    scaling_factor: float = attrs.field(validator=number_in(0.0, lower_open=True))
    large_financial_multiplier: float = attrs.field(validator=number_in(1.0))
    foundation_lgd_senior: float = attrs.field(
        default=0.45, validator=fraction_in(0.0, 1.0)
    )
    foundation_lgd_senior_financial: float = attrs.field(
        default=0.45, validator=fraction_in(0.0, 1.0)
    )
    foundation_lgd_subordinated: float = attrs.field(
        default=0.75, validator=fraction_in(0.0, 1.0)
    )
    advanced_lgd_revenue_limit: float | None = attrs.field(
        default=None, validator=optional(number_in(0.0))
    )
    advanced_lgd_for_financials: bool = attrs.field(
        default=True, validator=instance_of(bool, what="a boolean")
    )
    advanced_lgd_policy: AdvancedLGDPolicy = attrs.field(
        default=AdvancedLGDPolicy.FOUNDATION,
        converter=_advanced_lgd_policy,
    )
    lgd_floors: Mapping[AssetClass, float] = attrs.field(
        converter=_lgd_floors, factory=dict
    )
    secured_lgd_floors: Mapping[SupervisoryCollateral, float] = attrs.field(
        converter=_secured_floors, factory=dict
    )
    maturity_floor: float = attrs.field(default=1.0, validator=number_in(0.0))
    maturity_cap: float = attrs.field(default=5.0, validator=number_in(0.0))
    maturity_policy: MaturityPolicy = attrs.field(
        default=MaturityPolicy.CAP,
        converter=_maturity_policy,
    )
    confidence: float = attrs.field(
        default=0.999, validator=number_in(0.5, 1.0, upper_open=True)
    )

    def senior_foundation_lgd(self, asset_class: AssetClass) -> float:
        """Foundation LGD of a senior unsecured claim on `asset_class` (CRE32.6).

        Examples:
            >>> BASEL_III.senior_foundation_lgd(AssetClass.CORPORATE)
            0.4
            >>> BASEL_III.senior_foundation_lgd(AssetClass.SOVEREIGN)
            0.45
        """
        if (
            asset_class in FINANCIAL_INSTITUTION_CLASSES
            or asset_class is AssetClass.SOVEREIGN
        ):
            return self.foundation_lgd_senior_financial
        return self.foundation_lgd_senior

    def __attrs_post_init__(self) -> None:
        """Check that the maturity floor lies below the cap."""
        if self.maturity_floor > self.maturity_cap:
            raise InvalidValueError(
                field="maturity_floor",
                value=self.maturity_floor,
                expected=f"at most maturity_cap ({self.maturity_cap:g})",
            )


#: Basel II (June 2006): PD floor 0.03 % for corporate, bank (§285) and retail (§331)
#: exposures, none for sovereigns; the 1.06 scaling factor of §44; foundation LGD 45 %
#: for every senior unsecured claim (§287) and 75 % subordinated (§288); no LGD floors for
#: corporates (the 10 % retail mortgage LGD floor of §266 is kept). The 1.25 large
#: financial correlation multiplier came with Basel III (December 2010, §102), so it is
#: 1.0 here; evolve the regime to study Basel II plus that amendment.
BASEL_II: Final = CapitalRegime(
    name="Basel II",
    default_probability_floor=0.0003,
    default_probability_floor_retail=0.0003,
    default_probability_floor_sovereign=0.0,
    scaling_factor=1.06,
    large_financial_multiplier=1.0,
    lgd_floors={AssetClass.RESIDENTIAL_MORTGAGE: 0.10},
)

#: Basel III (December 2017, Basel Framework CRE): PD floor 0.05 % for corporate, bank
#: (CRE32.4) and retail exposures, 0.10 % for QRRE revolvers (CRE32.58), none for
#: sovereigns; no scaling factor; correlation multiplier
#: 1.25 for large and unregulated financial institutions (CRE31.7); foundation LGD 40 %
#: for senior claims on non-financial corporates, 45 % on sovereigns, banks and other
#: financial institutions, 75 % subordinated (CRE32.6-32.7); no own LGD estimates for
#: banks, other financial institutions and corporates with revenue above EUR 500 m
#: (CRE30.34); A-IRB LGD floors for unsecured exposures: 25 % corporate (CRE32.16),
#: 5 % residential mortgages, 50 % QRRE and 30 % other retail (CRE32.58), and for the
#: secured part of corporate and other retail exposures 0 % financial collateral, 10 %
#: receivables and real estate, 15 % other physical (CRE32.16, CRE32.58).
BASEL_III: Final = CapitalRegime(
    name="Basel III",
    default_probability_floor=0.0005,
    default_probability_floor_retail=0.0005,
    default_probability_floor_sovereign=0.0,
    default_probability_floor_qrre_revolver=0.001,
    scaling_factor=1.0,
    large_financial_multiplier=1.25,
    foundation_lgd_senior=0.40,
    advanced_lgd_revenue_limit=500.0,
    advanced_lgd_for_financials=False,
    lgd_floors={
        AssetClass.CORPORATE: 0.25,
        AssetClass.BANK: 0.25,
        AssetClass.LARGE_FINANCIAL: 0.25,
        AssetClass.OTHER_FINANCIAL: 0.25,
        AssetClass.RESIDENTIAL_MORTGAGE: 0.05,
        AssetClass.QUALIFYING_REVOLVING: 0.50,
        AssetClass.QRRE_TRANSACTOR: 0.50,
        AssetClass.OTHER_RETAIL: 0.30,
    },
    secured_lgd_floors={
        SupervisoryCollateral.CASH: 0.0,
        SupervisoryCollateral.SOVEREIGN_SHORT: 0.0,
        SupervisoryCollateral.SOVEREIGN_MEDIUM: 0.0,
        SupervisoryCollateral.SOVEREIGN_LONG: 0.0,
        SupervisoryCollateral.MAIN_INDEX_EQUITY: 0.0,
        SupervisoryCollateral.OTHER_LISTED_EQUITY: 0.0,
        SupervisoryCollateral.GOLD: 0.0,
        SupervisoryCollateral.RECEIVABLES: 0.10,
        SupervisoryCollateral.REAL_ESTATE: 0.10,
        SupervisoryCollateral.OTHER_PHYSICAL: 0.15,
    },
)
