"""Enumerations of the lendcrm domain model (``StrEnum``: stable values, safe to persist).

Exported by the top-level ``lendcrm`` package, their one import path.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CollateralKind",
    "CovenantMetric",
    "CovenantOperator",
    "EquatorCategory",
    "FacilityKind",
    "FacilityStatus",
    "FeedbackChannel",
    "ProjectPhase",
    "Sector",
    "Seniority",
    "TestFrequency",
    "ValuationMethod",
]


class Sector(StrEnum):
    """Economic activity: the 21 sections of NACE Rev. 2 (Eurostat, 2008).

    The value is the section letter, as published by Eurostat; the member name is the
    section title, shortened. ISIC Rev. 4 sections carry the same letters and titles.

    Examples:
        >>> Sector("D"), Sector.ELECTRICITY_GAS_STEAM.value
        (<Sector.ELECTRICITY_GAS_STEAM: 'D'>, 'D')
    """

    #: A - Agriculture, forestry and fishing.
    AGRICULTURE_FORESTRY_FISHING = "A"
    #: B - Mining and quarrying.
    MINING_QUARRYING = "B"
    #: C - Manufacturing.
    MANUFACTURING = "C"
    #: D - Electricity, gas, steam and air conditioning supply.
    ELECTRICITY_GAS_STEAM = "D"
    #: E - Water supply; sewerage, waste management and remediation activities.
    WATER_SUPPLY_WASTE = "E"
    #: F - Construction.
    CONSTRUCTION = "F"
    #: G - Wholesale and retail trade; repair of motor vehicles and motorcycles.
    WHOLESALE_RETAIL_TRADE = "G"
    #: H - Transportation and storage.
    TRANSPORTATION_STORAGE = "H"
    #: I - Accommodation and food service activities.
    ACCOMMODATION_FOOD_SERVICE = "I"
    #: J - Information and communication.
    INFORMATION_COMMUNICATION = "J"
    #: K - Financial and insurance activities.
    FINANCIAL_INSURANCE = "K"
    #: L - Real estate activities.
    REAL_ESTATE = "L"
    #: M - Professional, scientific and technical activities.
    PROFESSIONAL_SCIENTIFIC_TECHNICAL = "M"
    #: N - Administrative and support service activities.
    ADMINISTRATIVE_SUPPORT = "N"
    #: O - Public administration and defence; compulsory social security.
    PUBLIC_ADMINISTRATION_DEFENCE = "O"
    #: P - Education.
    EDUCATION = "P"
    #: Q - Human health and social work activities.
    HUMAN_HEALTH_SOCIAL_WORK = "Q"
    #: R - Arts, entertainment and recreation.
    ARTS_ENTERTAINMENT_RECREATION = "R"
    #: S - Other service activities.
    OTHER_SERVICES = "S"
    #: T - Activities of households as employers; own-use production.
    HOUSEHOLDS_AS_EMPLOYERS = "T"
    #: U - Activities of extraterritorial organisations and bodies.
    EXTRATERRITORIAL_ORGANISATIONS = "U"


class FacilityKind(StrEnum):
    """What kind of credit a facility is.

    Examples:
        >>> FacilityKind("revolving_credit")
        <FacilityKind.REVOLVING_CREDIT: 'revolving_credit'>
    """

    TERM_LOAN = "term_loan"
    REVOLVING_CREDIT = "revolving_credit"
    CONSTRUCTION_LOAN = "construction_loan"
    BRIDGE = "bridge"
    GUARANTEE = "guarantee"
    LETTER_OF_CREDIT = "letter_of_credit"
    RECEIVABLES_FINANCE = "receivables_finance"


class Seniority(StrEnum):
    """Rank of a claim in the borrower's capital structure, most senior first.

    Examples:
        >>> Seniority.SENIOR_SECURED.value
        'senior_secured'
    """

    SENIOR_SECURED = "senior_secured"
    SENIOR_UNSECURED = "senior_unsecured"
    MEZZANINE = "mezzanine"
    SUBORDINATED = "subordinated"


class FacilityStatus(StrEnum):
    """Status of a facility; the states of the lifecycle's facility machine.

    Examples:
        >>> FacilityStatus("non_performing").is_terminal
        False
        >>> FacilityStatus.REPAID.is_terminal
        True
    """

    APPLICATION = "application"
    APPROVED = "approved"
    ACTIVE = "active"
    WATCHLIST = "watchlist"
    NON_PERFORMING = "non_performing"
    RESTRUCTURED = "restructured"
    REPAID = "repaid"
    WRITTEN_OFF = "written_off"
    CANCELLED = "cancelled"

    @property
    def is_terminal(self) -> bool:
        """Whether the facility is closed (repaid, written off or cancelled)."""
        return self in {
            FacilityStatus.REPAID,
            FacilityStatus.WRITTEN_OFF,
            FacilityStatus.CANCELLED,
        }


class EquatorCategory(StrEnum):
    """Equator Principles (EP4, 2020) environmental and social risk category of a project.

    ``A``: potential significant adverse impacts that are diverse, irreversible or
    unprecedented; ``B``: limited adverse impacts, few, site-specific, largely reversible
    and readily addressed by mitigation; ``C``: minimal or no adverse impacts.

    Examples:
        >>> EquatorCategory("A").is_high_risk, EquatorCategory.C.is_high_risk
        (True, False)
    """

    A = "A"
    B = "B"
    C = "C"

    @property
    def is_high_risk(self) -> bool:
        """Whether the category is A (significant adverse impacts)."""
        return self is EquatorCategory.A


class ProjectPhase(StrEnum):
    """Phase of a project-finance vehicle, in the order a project passes through them.

    ``repaid`` is the normal end; ``defaulted`` is the default path (a defaulted project
    may still be restructured or refinanced), ``written_off`` and ``abandoned`` (a
    project stopped before operations) are terminal. The lifecycle's
    ``PROJECT_PHASE`` machine moves a project between these phases.

    Examples:
        >>> [p.value for p in ProjectPhase][:3]
        ['development', 'financial_close', 'construction']
    """

    DEVELOPMENT = "development"
    FINANCIAL_CLOSE = "financial_close"
    CONSTRUCTION = "construction"
    COMMISSIONING = "commissioning"
    OPERATIONS = "operations"
    REPAID = "repaid"
    DEFAULTED = "defaulted"
    WRITTEN_OFF = "written_off"
    ABANDONED = "abandoned"


class CollateralKind(StrEnum):
    """What secures a facility.

    Examples:
        >>> CollateralKind("real_estate")
        <CollateralKind.REAL_ESTATE: 'real_estate'>
    """

    CASH = "cash"
    SECURITIES = "securities"
    REAL_ESTATE = "real_estate"
    EQUIPMENT = "equipment"
    RECEIVABLES = "receivables"
    INVENTORY = "inventory"
    #: Project assets and contracts assigned to the lenders (project finance).
    PROJECT_ASSETS = "project_assets"
    #: A pledge over the shares of the borrower or the project company.
    SHARE_PLEDGE = "share_pledge"


class FeedbackChannel(StrEnum):
    """How a client's feedback was collected.

    Examples:
        >>> FeedbackChannel.FOCUS_GROUP.value
        'focus_group'
    """

    SURVEY = "survey"
    FOCUS_GROUP = "focus_group"
    COMPLAINT = "complaint"
    MEETING = "meeting"


class CovenantOperator(StrEnum):
    """Direction of a financial covenant: a floor (``at_least``) or a cap (``at_most``).

    Examples:
        >>> CovenantOperator.AT_LEAST.holds(1.25, 1.20)
        True
        >>> CovenantOperator.AT_MOST.holds(4.5, 4.0)
        False
    """

    #: The metric must be >= the level (DSCR, interest cover).
    AT_LEAST = "at_least"
    #: The metric must be <= the level (leverage, loan to value).
    AT_MOST = "at_most"

    def holds(self, value: float, level: float) -> bool:
        """Whether ``value`` satisfies the covenant at ``level``."""
        return value >= level if self is CovenantOperator.AT_LEAST else value <= level


class TestFrequency(StrEnum):
    """How often a covenant is tested.

    Examples:
        >>> TestFrequency.SEMI_ANNUAL.months
        6
    """

    __test__ = False  # not a pytest test class, despite the name

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi_annual"
    ANNUAL = "annual"

    @property
    def months(self) -> int:
        """Months between two tests."""
        return {"monthly": 1, "quarterly": 3, "semi_annual": 6, "annual": 12}[
            self.value
        ]


class CovenantMetric(StrEnum):
    """The ratio a financial covenant tests (all dimensionless, in x or a fraction).

    Examples:
        >>> CovenantMetric.DSCR.value
        'dscr'
    """

    #: Debt service cover ratio: CFADS / debt service of the period (x).
    DSCR = "dscr"
    #: Loan life cover ratio: NPV of CFADS over the loan life / debt outstanding (x).
    LLCR = "llcr"
    #: Project life cover ratio: NPV of CFADS over the project life / debt (x).
    PLCR = "plcr"
    #: Net debt / EBITDA (x).
    NET_DEBT_TO_EBITDA = "net_debt_to_ebitda"
    #: EBITDA / interest expense (x).
    INTEREST_COVER = "interest_cover"
    #: Debt / equity (x).
    DEBT_TO_EQUITY = "debt_to_equity"
    #: Loan / collateral value (a fraction).
    LOAN_TO_VALUE = "loan_to_value"
    #: Current assets / current liabilities (x).
    CURRENT_RATIO = "current_ratio"


class ValuationMethod(StrEnum):
    """How a collateral value was established.

    Examples:
        >>> ValuationMethod("indexed").name
        'INDEXED'
    """

    #: Full appraisal by an independent valuer (inspection included).
    FULL_APPRAISAL = "full_appraisal"
    #: Desktop valuation (no inspection).
    DESKTOP = "desktop"
    #: Earlier value rolled forward with a market index.
    INDEXED = "indexed"
    #: Quoted market price (listed securities, commodities).
    MARKET_PRICE = "market_price"
    #: Book value from the owner's accounts.
    BOOK_VALUE = "book_value"
