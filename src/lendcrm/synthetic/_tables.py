"""Constant tables behind :mod:`lendcrm.synthetic` (data only, no logic).

Every number here is an *illustrative* calibration for a European corporate and
project-finance book, not market data; the "Synthetic books" explanation page explains
where each one comes from. Tables are tuples of rows so they can be read (and cited)
at a glance; :mod:`lendcrm.synthetic` turns them into numpy arrays when it runs.
"""

from __future__ import annotations

from typing import Final

#: Client lifecycle stages the generator draws signals from, with their shares.
#: (stage, share of clients)
STAGES: Final[tuple[tuple[str, float], ...]] = (
    ("acquisition", 0.06),
    ("activation", 0.10),
    ("growth", 0.28),
    ("maturity", 0.41),
    ("decline", 0.15),
)

#: Tenure (days since onboarding) by stage: uniform on [low, high].
STAGE_TENURE_DAYS: Final[tuple[tuple[int, int], ...]] = (
    (0, 180),
    (30, 730),
    (610, 2920),
    (1095, 10950),
    (730, 10950),
)

#: NACE Rev. 2 sections (T and U, households and extraterritorial bodies, are left out:
#: they do not borrow from a corporate bank). Columns: section, share of clients,
#: median one-year PD of the section, probability that a client of the section is a
#: project-finance vehicle (an SPV).
SECTORS: Final[tuple[tuple[str, float, float, float], ...]] = (
    ("A", 0.030, 0.014, 0.01),  # agriculture, forestry, fishing
    ("B", 0.020, 0.016, 0.02),  # mining and quarrying
    ("C", 0.180, 0.010, 0.002),  # manufacturing
    ("D", 0.050, 0.006, 0.30),  # electricity, gas, steam (renewables, grids)
    ("E", 0.020, 0.007, 0.15),  # water supply, sewerage, waste
    ("F", 0.090, 0.020, 0.04),  # construction
    ("G", 0.160, 0.012, 0.0),  # wholesale and retail trade
    ("H", 0.070, 0.011, 0.08),  # transportation and storage (ports, toll roads)
    ("I", 0.040, 0.024, 0.01),  # accommodation and food service
    ("J", 0.050, 0.010, 0.03),  # information and communication (fibre, data centres)
    ("K", 0.030, 0.005, 0.0),  # financial and insurance
    ("L", 0.110, 0.013, 0.05),  # real estate
    ("M", 0.050, 0.009, 0.0),  # professional, scientific, technical
    ("N", 0.030, 0.013, 0.0),  # administrative and support services
    ("O", 0.005, 0.002, 0.05),  # public administration (PPP)
    ("P", 0.010, 0.008, 0.05),  # education (PPP schools)
    ("Q", 0.025, 0.008, 0.06),  # health and social work (PPP hospitals)
    ("R", 0.010, 0.020, 0.01),  # arts, entertainment, recreation
    ("S", 0.020, 0.016, 0.0),  # other services
)

#: Country mix of a European corporate bank. Columns: ISO 3166-1 alpha-2 code, share
#: of clients, local currency (ISO 4217), legal-form suffix used in synthetic names.
COUNTRIES: Final[tuple[tuple[str, float, str, str], ...]] = (
    ("DE", 0.20, "EUR", "GmbH"),
    ("FR", 0.14, "EUR", "SAS"),
    ("GB", 0.10, "GBP", "Ltd"),
    ("NL", 0.07, "EUR", "B.V."),
    ("ES", 0.08, "EUR", "S.L."),
    ("IT", 0.08, "EUR", "S.p.A."),
    ("BE", 0.04, "EUR", "SA"),
    ("AT", 0.03, "EUR", "GmbH"),
    ("IE", 0.02, "EUR", "Ltd"),
    ("PL", 0.03, "PLN", "sp. z o.o."),
    ("SE", 0.03, "SEK", "AB"),
    ("DK", 0.02, "DKK", "A/S"),
    ("NO", 0.02, "NOK", "AS"),
    ("CH", 0.03, "CHF", "AG"),
    ("US", 0.07, "USD", "Inc."),
    ("LU", 0.01, "EUR", "S.a r.l."),
    ("PT", 0.02, "EUR", "Lda"),
    ("FI", 0.01, "EUR", "Oy"),
)

#: The book's reporting currency: client measures (revenue, profit) are in it.
REPORTING_CURRENCY: Final = "EUR"

#: Facility currencies: value of one unit in EUR (fixed, illustrative), the floating
#: reference rate a facility in that currency pays over, and that rate's level (an
#: annual fraction, illustrative; used only for the projects' debt service).
CURRENCIES: Final[tuple[tuple[str, float, str, float], ...]] = (
    ("EUR", 1.0, "EURIBOR_3M", 0.0200),
    ("GBP", 1.17, "SONIA", 0.0400),
    ("USD", 0.92, "SOFR", 0.0430),
    ("PLN", 0.23, "WIBOR_3M", 0.0500),
    ("SEK", 0.088, "STIBOR_3M", 0.0200),
    ("DKK", 0.134, "CIBOR_3M", 0.0195),
    ("NOK", 0.086, "NIBOR_3M", 0.0430),
    ("CHF", 1.05, "SARON", 0.0000),
)

#: Facility kinds. Columns: kind, share of (non-project) facilities, tenor in years
#: (uniform on [low, high]), utilisation Beta(a, b), credit conversion factor of the
#: undrawn part (CRR F-IRB style: 75 % committed lines, 50 % performance guarantees,
#: 10 % unconditionally cancellable), margin adjustment in bps, committed (pays a
#: commitment fee on the undrawn part), arrangement fee range in bps of the limit.
FACILITY_KINDS: Final[
    tuple[
        tuple[
            str,
            float,
            tuple[float, float],
            tuple[float, float],
            float,
            float,
            bool,
            tuple[float, float],
        ],
        ...,
    ]
] = (
    ("term_loan", 0.36, (3.0, 10.0), (6.0, 1.5), 0.75, 0.0, True, (50.0, 150.0)),
    ("revolving_credit", 0.30, (1.0, 5.0), (2.0, 3.0), 0.75, -10.0, True, (25.0, 75.0)),
    (
        "construction_loan",
        0.04,
        (2.0, 5.0),
        (3.0, 3.0),
        0.75,
        60.0,
        True,
        (75.0, 200.0),
    ),
    ("bridge", 0.05, (0.5, 2.0), (8.0, 1.0), 0.75, 80.0, True, (50.0, 150.0)),
    ("guarantee", 0.12, (1.0, 5.0), (3.0, 2.0), 0.50, -40.0, False, (0.0, 0.0)),
    (
        "receivables_finance",
        0.13,
        (1.0, 3.0),
        (3.0, 2.0),
        0.10,
        -30.0,
        False,
        (0.0, 0.0),
    ),
)

#: Seniority mix and the Beta(a, b) of loss given default for each.
SENIORITIES: Final[tuple[tuple[str, float, tuple[float, float]], ...]] = (
    ("senior_secured", 0.55, (2.5, 7.5)),  # mean 25 %
    ("senior_unsecured", 0.38, (4.5, 5.5)),  # mean 45 %
    ("subordinated", 0.07, (7.0, 3.0)),  # mean 70 %
)

#: The 10-grade master scale, grade "1" best. A PD in ``[GRADE_UPPER_BOUNDS[g-1],
#: GRADE_UPPER_BOUNDS[g])`` gets grade ``g`` and the grade's PD ``MASTER_SCALE_PD[g-1]``.
#: The bands are those of ``lendcrm.risk``'s default master scale; the grade PDs run
#: from the 0.03 % corporate PD floor (CRR Art. 160(1)) to 20 %, roughly doubling per
#: grade, and each lies inside its band.
RATING_GRADES: Final[tuple[str, ...]] = (
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
    "10",
)
GRADE_UPPER_BOUNDS: Final[tuple[float, ...]] = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.10, 0.20,
)  # fmt: skip
MASTER_SCALE_PD: Final[tuple[float, ...]] = (
    0.0003, 0.0007, 0.0015, 0.0035, 0.0070, 0.0140, 0.0320, 0.0700, 0.1400, 0.2000,
)  # fmt: skip

#: Share of the clients with two or more eligible secured facilities in one currency
#: whose two oldest share one asset (first and second claim); see ``_draws_assets``.
SHARED_ASSET_SHARE: Final = 0.25

#: Collateral kinds of secured facilities: (kind, share, haircut). Receivables-finance
#: facilities are secured by the receivables and project facilities by the project's
#: assets whatever the draw; haircuts are supervisory-style (cash 0 %, listed
#: securities 15 %, real estate 30 %, ...), illustrative.
COLLATERAL_KINDS: Final[tuple[tuple[str, float, float], ...]] = (
    ("real_estate", 0.40, 0.30),
    ("equipment", 0.25, 0.40),
    ("inventory", 0.12, 0.50),
    ("securities", 0.10, 0.15),
    ("cash", 0.05, 0.0),
    ("share_pledge", 0.08, 0.50),
    ("receivables", 0.0, 0.20),
    ("project_assets", 0.0, 0.40),
)

#: Third-party guarantors used when a guaranteed client has no parent in the book:
#: (name, one-year PD). Synthetic names.
GUARANTORS: Final[tuple[tuple[str, float], ...]] = (
    ("National Export Credit Agency", 0.0003),
    ("Regional Development Bank", 0.0003),
    ("SME Guarantee Fund", 0.0007),
    ("Credit Insurance Mutual", 0.0015),
)

#: Project phases, in order.
PROJECT_PHASES: Final[tuple[str, ...]] = (
    "development",
    "financial_close",
    "construction",
    "commissioning",
    "operations",
)

#: Phase mix of project vehicles by client stage (rows follow ``STAGES``; columns
#: follow ``PROJECT_PHASES``). Only acquisition clients that have signed carry a
#: project (in development or at financial close: nothing drawn yet); a first
#: drawdown (activation) means construction has started.
PHASE_BY_STAGE: Final[tuple[tuple[float, ...], ...]] = (
    (0.60, 0.40, 0.0, 0.0, 0.0),
    (0.0, 0.0, 1.0, 0.0, 0.0),
    (0.0, 0.0, 0.60, 0.15, 0.25),
    (0.0, 0.0, 0.0, 0.0, 1.0),
    (0.0, 0.0, 0.30, 0.0, 0.70),
)

#: Facility statuses the generator writes.
FACILITY_STATUSES: Final[tuple[str, ...]] = (
    "approved",
    "active",
    "watchlist",
    "restructured",
    "non_performing",
)

#: Feedback channels and their shares of feedback records.
FEEDBACK_CHANNELS: Final[tuple[tuple[str, float], ...]] = (
    ("survey", 0.55),
    ("meeting", 0.25),
    ("focus_group", 0.08),
    ("complaint", 0.12),
)

#: Canned feedback text by score band (detractor 0-6, passive 7-8, promoter 9-10).
FEEDBACK_TEXTS: Final[tuple[str, ...]] = (
    "Slow credit decisions and too many document requests.",
    "Solid service; pricing could be sharper.",
    "Our relationship manager knows the business; would recommend.",
)

#: Words for synthetic legal names (no real company is meant).
NAME_WORDS_1: Final[tuple[str, ...]] = (
    "Alpine", "Baltic", "Cedar", "Delta", "Eastern", "Falcon", "Granite", "Harbour",
    "Iron", "Juniper", "Kestrel", "Lumen", "Meridian", "Northern", "Orion", "Pioneer",
    "Quarry", "Riverside", "Summit", "Tidal", "Union", "Vertex", "Western", "Zenith",
)  # fmt: skip
NAME_WORDS_2: Final[tuple[str, ...]] = (
    "Energy", "Logistics", "Holdings", "Industries", "Foods", "Systems", "Properties",
    "Partners", "Infrastructure", "Materials", "Networks", "Services", "Trading",
    "Works", "Capital", "Solar", "Wind", "Health", "Retail", "Engineering",
)  # fmt: skip

# --- scalar parameters of the draws ---------------------------------------------------
MEDIAN_REVENUE: Final = 15e6
REVENUE_SIGMA: Final = 0.9
TAIL_SHARE: Final = 0.02
TAIL_SCALE: Final = 300e6
TAIL_ALPHA: Final = 1.8
REVENUE_CAP: Final = 200e9
LEVERAGE_MEDIAN: Final = 0.30
LEVERAGE_SIGMA: Final = 0.3
SPV_LEVERAGE_MEDIAN: Final = 3.0
MIN_ENVELOPE: Final = 100_000.0
PD_SIGMA: Final = 0.9
PD_SIZE_ELASTICITY: Final = -0.25
DECLINE_PD_SHIFT: Final = 0.75
SUBSIDIARY_SHARE: Final = 0.20
SECOND_LEVEL_SHARE: Final = 0.04
REFERRED_SHARE: Final = 0.08
FEEDBACK_RATE: Final = 1.2
GUARANTEED_SHARE: Final = 0.12
FEE_PER_TRANSACTION: Final = 12.0
COST_TO_SERVE_FIXED: Final = 4_000.0
COST_TO_SERVE_PER_PRODUCT: Final = 1_500.0
CAPITAL_RATIO: Final = 0.08
EXCESS_COST_OF_EQUITY: Final = 0.08
DSCR_THRESHOLD: Final = 1.20
DSCR_LOCK_UP: Final = 1.15
DSCR_DEFAULT: Final = 1.05
CFADS_PERIODS: Final = 10
LEVERAGE_THRESHOLD: Final = 3.5
LEVERAGE_DEFAULT: Final = 4.5
WATCHLIST_DPD: Final = 30
SIGNED_SHARE: Final = 0.4
SURGE_SHARE: Final = 0.25
MONTHS_PER_YEAR: Final = 12
LOOKUP: Final = 1000
NON_PERFORMING_DPD: Final = 90
# Stage codes (rows of ``STAGES``) and phase codes (``PROJECT_PHASES``).
ACQUISITION: Final = 0
ACTIVATION: Final = 1
GROWTH: Final = 2
MATURITY: Final = 3
DECLINE: Final = 4
CONSTRUCTION: Final = 2
GUARANTEE: Final = 4  # facility kind codes (rows of FACILITY_KINDS)
RECEIVABLES_FINANCE: Final = 5
LEVERAGE_COVENANT_SHARE: Final = 0.4
OPERATIONS: Final = 4

# --- histories (drawn after everything above; see the "Histories" section of the
# *Synthetic books* page) ------------------------------------------------------------
#: Monthly period ends drawn by default: the current one and twelve before it, so every
#: year-on-year signal has its base.
DEFAULT_PERIODS: Final = 13
#: Most monthly period ends: 30 years (the oldest relationship) and the current one.
MAX_PERIODS: Final = 361
#: Month of the fiscal year end of every statement (December).
FISCAL_YEAR_END_MONTH: Final = 12
#: A utilisation a year ago below this (the utilisation-change signal is rounded to
#: 4 decimals) counts as none.
UTILISATION_FLOOR: Final = 1e-4
#: Sd of the lognormal month-to-month noise on a facility's drawn-amount path.
UTILISATION_NOISE: Final = 0.05
#: A facility opened inside the window starts at this share of today's utilisation.
NEW_FACILITY_UTILISATION: Final = 0.5
#: A restructured facility has been forborne for 0 to this many months.
FORBORNE_MONTHS: Final = 11
#: The rating model and the committee that overrides it, and the override reasons.
RATING_MODEL: Final = "corporate-model"
RATING_COMMITTEE: Final = "credit-committee"
OVERRIDE_SHARE: Final = 0.04
OVERRIDE_REASONS: Final[tuple[str, ...]] = (
    "Parent support not captured by the model",
    "Sector outlook",
    "Financials after the model date",
)

#: The published one-year rating transitions the synthetic rating paths are calibrated
#: to: Moody's Investors Service, global corporates, average one-year letter-rating
#: transition rates 1970-2022 (%), from Moody's annual default study data report, as
#: reproduced on Fidelity's "US Municipal and Corporate Transition Rates" page
#: (https://www.fidelity.com/fixed-income-bonds/us-municipal-bond-transition-rates),
#: table "Global Corporates". Rows: from Aaa, Aa, A, Baa, Ba, B, Caa-C; columns: to
#: the same letters, then withdrawn (WR), then default.
MOODYS_LETTERS: Final[tuple[str, ...]] = ("Aaa", "Aa", "A", "Baa", "Ba", "B", "Caa-C")
MOODYS_ONE_YEAR: Final[tuple[tuple[float, ...], ...]] = (
    (87.97, 7.58, 0.57, 0.07, 0.02, 0.00, 0.00, 3.80, 0.00),
    (0.75, 85.61, 8.26, 0.40, 0.06, 0.03, 0.02, 4.84, 0.02),
    (0.05, 2.38, 87.50, 4.95, 0.42, 0.09, 0.04, 4.53, 0.05),
    (0.03, 0.12, 3.70, 86.77, 3.33, 0.60, 0.14, 5.15, 0.16),
    (0.01, 0.03, 0.37, 5.89, 76.83, 6.80, 0.80, 8.43, 0.85),
    (0.01, 0.02, 0.12, 0.40, 4.76, 73.81, 7.17, 10.70, 3.02),
    (0.00, 0.01, 0.02, 0.06, 0.25, 5.51, 71.05, 14.67, 8.44),
)  # fmt: skip
#: The letter (row of ``MOODYS_ONE_YEAR``) of each master-scale grade: Aa and A for
#: grades 1 and 2, then two grades a letter from Baa down; the letters' default rates
#: (withdrawals removed: 0.02, 0.05, 0.17, 0.93, 3.4, 9.9 %) bracket the grades' PDs.
GRADE_LETTER: Final[tuple[int, ...]] = (1, 2, 3, 3, 4, 4, 5, 5, 6, 6)
#: A move of k + 1 grades is this many times as likely as one of k grades (the table
#: has letters only; its two-letter moves are 5-20 % of its one-letter ones).
MIGRATION_DISTANCE_DECAY: Final = 0.2
#: Per stage (rows follow ``STAGES``): factors on the one-year upgrade and downgrade
#: rates (declining clients are downgraded more often, growing ones upgraded); the
#: book-wide mix of the stages stays near the published matrix.
STAGE_MIGRATION_TILT: Final[tuple[tuple[float, float], ...]] = (
    (1.0, 1.0),
    (1.0, 1.0),
    (1.6, 0.45),
    (0.9, 0.7),
    (0.3, 3.0),
)

#: Per stage (rows follow ``STAGES``): the client's own revenue growth a year,
#: uniform on [low, high]; the change of the EBITDA margin from the year before to
#: this one, uniform on [low, high]; this year's total debt over last year's, uniform
#: on [low, high] (growth clients also borrow in step with their revenue).
STATEMENT_TRENDS: Final[
    tuple[tuple[tuple[float, float], tuple[float, float], tuple[float, float]], ...]
] = (
    ((-0.05, 0.15), (-0.01, 0.01), (0.90, 1.25)),
    ((0.00, 0.25), (-0.01, 0.01), (1.00, 1.60)),
    ((0.05, 0.35), (0.00, 0.02), (0.90, 1.10)),
    ((-0.04, 0.06), (-0.01, 0.01), (0.90, 1.10)),
    ((-0.30, -0.03), (-0.05, -0.01), (0.95, 1.18)),
)
#: EBITDA margin of the latest year: normal (mean, sd), clipped to [low, high]; the
#: declining clients' mean is lower by ``DECLINE_MARGIN_GAP``.
EBITDA_MARGIN: Final = (0.12, 0.05, -0.10, 0.45)
DECLINE_MARGIN_GAP: Final = 0.04
#: Total debt over the client's limits with the bank (the bank lends part of it),
#: uniform on [low, high]; a client without limits borrows revenue x this range
#: x the median leverage elsewhere.
DEBT_TO_LIMITS: Final = (0.8, 1.5)
OUTSIDE_DEBT: Final = (0.2, 1.0)
#: Balance-sheet and cash-flow items as fractions of revenue (uniform on [low, high])
#: unless said otherwise.
STATEMENT_ITEMS: Final[dict[str, tuple[float, float]]] = {
    "depreciation": (0.02, 0.06),
    "cash": (0.02, 0.12),
    "working_assets": (0.15, 0.35),
    "fixed_assets": (0.30, 1.20),
    "fixed_assets_to_debt": (1.10, 1.50),  # fixed assets >= debt x this
    "payables": (0.08, 0.20),
    "provisions": (0.00, 0.10),
    "short_term_debt": (0.05, 0.30),  # share of total debt due within a year
    "interest_rate": (0.03, 0.07),  # of total debt
    "capex": (0.02, 0.06),
    "cash_conversion": (0.60, 0.90),  # operating cash flow / EBITDA
    "amortisation": (0.08, 0.20),  # scheduled principal, share of total debt
}

#: Collateral value paths by kind (rows follow ``COLLATERAL_KINDS``): yearly log drift
#: and volatility of the value, the valuation method at origination and at the annual
#: reviews, and every how many years a review is a full re-appraisal (0: never).
COLLATERAL_PATHS: Final[tuple[tuple[float, float, str, str, int], ...]] = (
    (0.02, 0.05, "full_appraisal", "indexed", 3),  # real estate
    (-0.10, 0.03, "full_appraisal", "book_value", 0),  # equipment
    (0.00, 0.08, "book_value", "book_value", 0),  # inventory
    (0.05, 0.15, "market_price", "market_price", 0),  # securities
    (0.00, 0.00, "book_value", "book_value", 0),  # cash
    (0.00, 0.20, "desktop", "desktop", 0),  # share pledge
    (0.00, 0.08, "book_value", "book_value", 0),  # receivables
    (-0.02, 0.03, "full_appraisal", "desktop", 0),  # project assets
)
#: Extra yearly log drift of a declining client's collateral (values fell to today's).
DECLINE_COLLATERAL_DRIFT: Final = -0.05
