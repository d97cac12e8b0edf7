"""Draws to DataFrames: the frames of a synthetic book (private to :mod:`lendcrm.synthetic`).

Ids are built once and taken from for every foreign key; codes become categoricals;
dates become ``datetime64[ns]``. No per-row Python work.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import IntArray
from lendcrm.frames import columns as schema
from lendcrm.frames.columns import STAGE
from lendcrm.synthetic import _tables as tables
from lendcrm.synthetic._assemble_history import history_frames
from lendcrm.synthetic._asset_links import Assets
from lendcrm.synthetic._draws import Draws
from lendcrm.synthetic._draws_history import Histories
from lendcrm.synthetic._frame_tools import (
    Ids,
    as_ns,
    categorical,
    currency_column,
    optional_ids,
    reporting_currency,
    str_column,
    take_ids,
)
from lendcrm.synthetic._tables import (
    DSCR_DEFAULT,
    DSCR_LOCK_UP,
    DSCR_THRESHOLD,
    LEVERAGE_DEFAULT,
    LEVERAGE_THRESHOLD,
)


def _name_table(suffixes: tuple[str, ...]) -> npt.NDArray[np.str_]:
    """All ``word1 word2 suffix`` combinations (a few thousand constant strings)."""
    return np.array(
        [
            f"{w1} {w2} {suffix}"
            for w1 in tables.NAME_WORDS_1
            for w2 in tables.NAME_WORDS_2
            for suffix in suffixes
        ]
    )


def frames_of(d: Draws, h: Histories, as_of: np.datetime64) -> dict[str, pd.DataFrame]:
    """Every frame of the book drawn in ``d`` and ``h``, keyed by `SyntheticFrames` field."""
    ids = Ids.of(d)
    return {
        "clients": _clients_frame(d, ids, as_of),
        "facilities": _facilities_frame(d, ids),
        "projects": _projects_frame(d, ids),
        **_facility_children(d, ids),
        **_project_children(d, ids),
        **_client_children(d, ids, h.ratings.notches),
        **history_frames(h, ids),
    }


_SECTORS: Final = tuple(row[0] for row in tables.SECTORS)
_COUNTRIES: Final = tuple(row[0] for row in tables.COUNTRIES)


def _clients_frame(d: Draws, ids: Ids, as_of: np.datetime64) -> pd.DataFrame:
    c, m, n = d.clients, d.measures, d.n
    suffixes = tuple(dict.fromkeys(row[3] for row in tables.COUNTRIES))
    suffix_of_country = np.array([suffixes.index(row[3]) for row in tables.COUNTRIES])
    legal_names = _name_table(suffixes)[
        d.client_names * len(suffixes) + suffix_of_country[c.country]
    ]
    return pd.DataFrame(
        {
            schema.CLIENT_ID: ids.client_col,
            schema.LEGAL_NAME: str_column(legal_names),
            schema.SECTOR: categorical(c.sector, _SECTORS),
            schema.COUNTRY: categorical(c.country, _COUNTRIES),
            schema.PARENT_ID: optional_ids(ids.clients, c.parent),
            schema.ONBOARDED_ON: as_ns(c.onboarded),
            schema.CURRENCY: reporting_currency(n),
            schema.ANNUAL_REVENUE: c.revenue,
            schema.MEASURED_ON: as_ns(np.full(n, as_of)),
            schema.REVENUE_TO_BANK: m.revenue,
            schema.PROFIT_TO_BANK: m.profit,
            schema.PRODUCT_COUNT: m.product_count,
            schema.TRANSACTION_COUNT: m.transaction_count,
            schema.LAST_TRANSACTION_ON: as_ns(m.last_transaction),
            schema.REFERRAL_COUNT: np.bincount(d.referrer, minlength=n).astype(
                np.int64
            ),
            schema.REFERRAL_AMOUNT: np.round(
                np.bincount(d.referrer, weights=d.converted, minlength=n), 2
            ),
            schema.RATING_GRADE: categorical(c.grade - 1, tables.RATING_GRADES),
            schema.DEFAULT_PROBABILITY: c.default_probability,
            schema.ON_WATCHLIST: c.watchlist,
        },
        copy=False,
    )


def _facilities_frame(d: Draws, ids: Ids) -> pd.DataFrame:
    f = d.facilities
    return pd.DataFrame(
        {
            schema.FACILITY_ID: ids.facility_col,
            schema.CLIENT_ID: take_ids(ids.client_col, f.client),
            schema.PROJECT_ID: optional_ids(ids.projects, ids.project_of_facility),
            schema.KIND: categorical(
                f.kind, tuple(k[0] for k in tables.FACILITY_KINDS)
            ),
            schema.CURRENCY: currency_column(f.currency),
            schema.LIMIT: f.limit,
            schema.DRAWN: f.drawn,
            schema.START_ON: as_ns(f.start),
            schema.MATURITY_ON: as_ns(f.maturity),
            schema.SENIORITY: categorical(
                f.seniority, tuple(s[0] for s in tables.SENIORITIES)
            ),
            schema.REFERENCE_RATE: categorical(
                f.currency, tuple(row[2] for row in tables.CURRENCIES)
            ),
            schema.MARGIN_BPS: f.margin_bps,
            schema.ARRANGEMENT_FEE: f.arrangement_fee,
            schema.COMMITMENT_FEE_BPS: f.commitment_fee_bps,
            schema.STATUS: categorical(f.status, tables.FACILITY_STATUSES),
            schema.ALLOWS_OVERDRAW: f.allows_overdraw,
            schema.DEFAULT_PROBABILITY: d.clients.default_probability[f.client],
            schema.LOSS_GIVEN_DEFAULT: f.lgd,
            schema.CREDIT_CONVERSION_FACTOR: f.ccf,
            schema.COLLATERAL_VALUE: np.round(
                f.collateral_value * (1.0 - f.haircut), 2
            ),
            schema.GUARANTEED_AMOUNT: f.covered,
        },
        copy=False,
    )


def _projects_frame(d: Draws, ids: Ids) -> pd.DataFrame:
    c, f, pr = d.clients, d.facilities, d.projects
    return pd.DataFrame(
        {
            schema.PROJECT_ID: ids.project_col,
            schema.NAME: str_column(_name_table(("Project",))[d.project_names]),
            schema.SECTOR: categorical(c.sector[pr.client], _SECTORS),
            schema.COUNTRY: categorical(c.country[pr.client], _COUNTRIES),
            schema.CURRENCY: currency_column(f.currency[pr.facility]),
            schema.TOTAL_COST: pr.total_cost,
            schema.DEBT: pr.debt,
            schema.EQUITY: pr.total_cost - pr.debt,
            schema.PHASE: categorical(c.phase[pr.client], tables.PROJECT_PHASES),
            schema.PERCENT_COMPLETE: f.percent_complete[pr.client],
            schema.CLIENT_ID: take_ids(ids.client_col, pr.client),
        },
        copy=False,
    )


def _asset_columns(assets: Assets, ids: Ids, secured: IntArray) -> dict[str, object]:
    """``asset_id`` and ``claim_rank`` of the collateral rows (missing if unshared).

    A shared asset's id is its first claim's facility id with an ``A`` for the
    ``F`` (``F000123`` -> ``A000123``).
    """
    rank = assets.rank[secured]
    linked = np.flatnonzero(rank > 0)
    first = take_ids(ids.facility_col, assets.source[secured][linked])
    names = np.full(secured.size, None, dtype=object)
    names[linked] = ("A" + first.str.slice(1)).to_numpy(dtype=object)
    return {
        schema.ASSET_ID: pd.Series(names, dtype="str"),
        schema.CLAIM_RANK: pd.arrays.IntegerArray(rank, rank == 0),
    }


def _facility_children(d: Draws, ids: Ids) -> dict[str, pd.DataFrame]:
    f, c = d.facilities, d.clients
    secured = np.flatnonzero(f.collateral_kind >= 0)
    collateral = pd.DataFrame(
        {
            schema.FACILITY_ID: take_ids(ids.facility_col, secured),
            schema.COLLATERAL_KIND: categorical(
                f.collateral_kind[secured],
                tuple(k[0] for k in tables.COLLATERAL_KINDS),
            ),
            schema.CURRENCY: currency_column(f.currency[secured]),
            schema.VALUE: f.collateral_value[secured],
            schema.HAIRCUT: f.haircut[secured],
            **_asset_columns(d.asset_links(), ids, secured),
        },
        copy=False,
    )
    guaranteed = np.flatnonzero(f.covered > 0)
    by_parent = f.guarantor_client[guaranteed]
    named = f.guarantor_named[guaranteed]
    guarantor_names = np.array([g[0] for g in tables.GUARANTORS], dtype=object)
    guarantor_pd = np.array([g[1] for g in tables.GUARANTORS])[named]
    guarantees = pd.DataFrame(
        {
            schema.FACILITY_ID: take_ids(ids.facility_col, guaranteed),
            schema.CURRENCY: currency_column(f.currency[guaranteed]),
            schema.COVERED: f.covered[guaranteed],
            schema.GUARANTOR_ID: optional_ids(ids.clients, by_parent),
            schema.GUARANTOR_NAME: str_column(guarantor_names[named]).mask(
                by_parent >= 0
            ),
            schema.GUARANTOR_DEFAULT_PROBABILITY: np.where(
                by_parent >= 0,
                c.default_probability[np.maximum(by_parent, 0)],
                guarantor_pd,
            ),
        },
        copy=False,
    )
    covenanted = np.flatnonzero(f.covenant > 0)
    floor = f.covenant[covenanted] == 1  # DSCR floor; else a leverage cap
    kind = np.where(floor, 0, 1)
    covenants = pd.DataFrame(
        {
            schema.FACILITY_ID: take_ids(ids.facility_col, covenanted),
            schema.METRIC: categorical(kind, ("dscr", "net_debt_to_ebitda")),
            schema.OPERATOR: categorical(kind, ("at_least", "at_most")),
            schema.THRESHOLD: np.where(floor, DSCR_THRESHOLD, LEVERAGE_THRESHOLD),
            schema.LOCK_UP_LEVEL: np.where(floor, DSCR_LOCK_UP, np.nan),
            schema.DEFAULT_LEVEL: np.where(floor, DSCR_DEFAULT, LEVERAGE_DEFAULT),
            schema.TEST_FREQUENCY: categorical(kind, ("semi_annual", "quarterly")),
        },
        copy=False,
    )
    return {"collateral": collateral, "guarantees": guarantees, "covenants": covenants}


def _project_children(d: Draws, ids: Ids) -> dict[str, pd.DataFrame]:
    f, pr, progress = d.facilities, d.projects, d.progress
    p = pr.client.size
    project_currency = f.currency[pr.facility]
    milestones = pd.DataFrame(
        {
            schema.PROJECT_ID: take_ids(ids.project_col, np.arange(p)),
            schema.MILESTONE: str_column(np.full(p, "construction", dtype=object)),
            schema.PLANNED_ON: as_ns(progress.planned_on),
            schema.ACTUAL_ON: as_ns(progress.actual_on),
            schema.PERCENT_COMPLETE: f.percent_complete[pr.client],
            schema.CERTIFIED_BY: str_column(
                np.full(p, "Lenders' technical adviser", dtype=object)
            ).where(progress.certified),
        },
        copy=False,
    )
    drawdowns = pd.DataFrame(
        {
            schema.PROJECT_ID: take_ids(ids.project_col, progress.drawdown_project),
            schema.DRAWN_ON: as_ns(progress.drawdown_on),
            schema.CURRENCY: currency_column(
                project_currency[progress.drawdown_project]
            ),
            schema.AMOUNT: progress.drawdown_amount,
        },
        copy=False,
    )
    cash_flows = pd.DataFrame(
        {
            schema.PROJECT_ID: take_ids(ids.project_col, d.cash_flow_project),
            schema.PERIOD_END: as_ns(d.period_end),
            schema.CURRENCY: currency_column(project_currency[d.cash_flow_project]),
            schema.CFADS: d.cfads,
            schema.DEBT_SERVICE: d.debt_service,
        },
        copy=False,
    )
    sponsors = pd.DataFrame(
        {
            schema.PROJECT_ID: take_ids(ids.project_col, pr.sponsor_project),
            schema.SPONSOR_ID: take_ids(ids.client_col, pr.sponsor_client),
            schema.EQUITY_SHARE: pr.sponsor_share,
        },
        copy=False,
    )
    return {
        "milestones": milestones,
        "drawdowns": drawdowns,
        "cash_flows": cash_flows,
        "sponsors": sponsors,
    }


def _client_children(d: Draws, ids: Ids, notches: IntArray) -> dict[str, pd.DataFrame]:
    c, s = d.clients, d.signals
    band = np.searchsorted(np.array([6, 8]), d.feedback_score, side="left")
    feedback = pd.DataFrame(
        {
            schema.CLIENT_ID: take_ids(ids.client_col, d.feedback_client),
            schema.FEEDBACK_ON: as_ns(d.feedback_on),
            schema.CHANNEL: categorical(
                d.feedback_channel, tuple(ch[0] for ch in tables.FEEDBACK_CHANNELS)
            ),
            schema.SCORE: d.feedback_score,
            schema.TEXT: categorical(band, tables.FEEDBACK_TEXTS),
        },
        copy=False,
    )
    referrals = pd.DataFrame(
        {
            schema.CLIENT_ID: take_ids(ids.client_col, d.referrer),
            schema.REFEREE_ID: take_ids(ids.client_col, d.referee),
            schema.REFERRED_ON: as_ns(d.referred_on),
            schema.CURRENCY: reporting_currency(d.referrer.size),
            schema.CONVERTED_AMOUNT: d.converted,
        },
        copy=False,
    )
    # each frame gets its own copy of the id column: on pandas 2.x without
    # copy-on-write a shared column let a write to one frame change the others
    signals = pd.DataFrame(
        {
            schema.CLIENT_ID: ids.client_col.copy(),
            schema.SIG_HAS_FACILITY: s.has_facility,
            schema.SIG_HAS_DRAWN: s.has_drawn,
            schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: s.months_since_first_drawdown,
            schema.SIG_TENURE_MONTHS: s.tenure_months,
            schema.SIG_EXPOSURE_GROWTH_YOY: s.exposure_growth,
            schema.SIG_REVENUE_GROWTH_YOY: s.revenue_growth,
            schema.SIG_PRODUCT_COUNT_CHANGE: s.product_count_change,
            schema.SIG_UTILISATION_CHANGE: s.utilisation_change,
            schema.SIG_RATING_NOTCHES_MOVED: notches,
            schema.SIG_ON_WATCHLIST: c.watchlist.copy(),
            schema.SIG_DAYS_PAST_DUE: c.dpd,
            schema.SIG_COVENANT_BREACHES: s.covenant_breaches,
            schema.SIG_HAS_DSCR: s.has_dscr,
            schema.SIG_DSCR_HEADROOM: s.dscr_headroom,
        },
        copy=False,
    )
    stages = pd.DataFrame(
        {
            schema.CLIENT_ID: ids.client_col.copy(),
            STAGE: categorical(c.stage, tuple(st[0] for st in tables.STAGES)),
        },
        copy=False,
    )
    return {
        "feedback": feedback,
        "referrals": referrals,
        "signals": signals,
        "stages": stages,
    }
