"""The gathering steps of `relationship_frame` over the book's records.

Each step reads one part of the `BookFrames` and returns its per-client columns in
the reporting currency, aligned with the clients frame: the facilities (exposure,
limits, maturity), the projects they finance (DSCR, drawdown gap), the DSCR
covenants, and feedback and referrals. The steps over the client's own row are in
`lendcrm.relationship._gather_client`; `relationship_frame` runs all of them in a
fixed order (which is also the order in which errors are found) and assembles the
frame.
"""

from __future__ import annotations

import attrs
import numpy as np
import pandas as pd

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm.errors import UnknownReferenceError
from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.relationship._assess import (
    DAYS_PER_MONTH,
    LIVE_STATUSES,
)
from lendcrm.relationship._client_keys import ClientKeys
from lendcrm.relationship._feedback import grouped_trend
from lendcrm.relationship._gather import (
    codes_of,
    day_values,
    float_values,
    fx_rates,
    group_max,
    group_min,
    group_sum,
    is_in,
)
from lendcrm.relationship._models import RelationshipModels


@attrs.frozen(kw_only=True, eq=False)
class Facilities:
    """The facilities frame with each row's client, and the per-client sums.

    Attributes:
        frame: The facilities frame.
        codes: Client position of each facility row.
        live: Whether each facility row counts as live exposure.
        rate: Rate to the reporting currency of each facility row.
        exposure: Drawn amount of the client's live facilities.
        limit: Limits of the client's live facilities.
        count: Live facilities of the client.
        months_to_maturity: Months to the nearest maturity still ahead (NaN: none).
    """

    frame: pd.DataFrame
    codes: IntArray
    live: BoolArray
    rate: FloatArray
    exposure: FloatArray
    limit: FloatArray
    count: IntArray
    months_to_maturity: FloatArray


def gather_facilities(
    frames: BookFrames,
    keys: ClientKeys,
    *,
    day: np.datetime64,
    models: RelationshipModels,
) -> Facilities:
    """Exposure, limits, count and months to maturity of each client's live facilities.

    Raises:
        UnknownReferenceError: a facility of a client the clients frame lacks.
        InvalidValueError: a currency without a rate.
    """
    n = len(keys.index)
    fac = frames.facilities
    fac_codes = keys.codes(frames, "facilities", field="facilities")
    live = is_in(fac[schema.STATUS], LIVE_STATUSES)
    rate = fx_rates(fac[schema.CURRENCY], models)
    drawn = float_values(fac[schema.DRAWN]) * rate
    lim = float_values(fac[schema.LIMIT]) * rate
    lc = fac_codes[live]
    exposure = group_sum(lc, weights=drawn[live], minlength=n)
    limit = group_sum(lc, weights=lim[live], minlength=n)
    facility_count = np.bincount(lc, minlength=n)
    days_left = (day_values(fac[schema.MATURITY_ON]) - day).astype(np.int64)
    soon = live & (days_left > 0)
    months_to_maturity = group_min(fac_codes[soon], days_left[soon] / DAYS_PER_MONTH, n)
    return Facilities(
        frame=fac,
        codes=fac_codes,
        live=live,
        rate=rate,
        exposure=exposure,
        limit=limit,
        count=facility_count,
        months_to_maturity=months_to_maturity,
    )


def project_ratios(
    frames: BookFrames, day: np.datetime64
) -> tuple[pd.Index[str], FloatArray, FloatArray, FloatArray]:
    """Per project: next-period DSCR, weakest forecast DSCR, drawdown gap."""
    projects = frames.projects
    index = pd.Index(projects[schema.PROJECT_ID])
    k = len(index)
    cf = frames.cash_flows
    ds = float_values(cf[schema.DEBT_SERVICE])
    ahead = (day_values(cf[schema.PERIOD_END]) > day) & (ds > 0)
    cf = cf[ahead]
    codes = codes_of(cf[schema.PROJECT_ID], index, kind="project", field="cash_flows")
    ratio = float_values(cf[schema.CFADS]) / ds[ahead]
    order = np.lexsort((day_values(cf[schema.PERIOD_END]), codes))
    first = np.full(k, np.nan)
    if order.size:
        c_sorted = codes[order]
        starts = np.flatnonzero(np.r_[True, c_sorted[1:] != c_sorted[:-1]])
        first[c_sorted[starts]] = ratio[order][starts]
    weakest = group_min(codes, ratio, k)
    dd = frames.drawdowns
    dd_codes = codes_of(dd[schema.PROJECT_ID], index, kind="project", field="drawdowns")
    drawn = group_sum(dd_codes, weights=float_values(dd[schema.AMOUNT]), minlength=k)
    ms = frames.milestones
    ms_codes = codes_of(
        ms[schema.PROJECT_ID], index, kind="project", field="milestones"
    )
    count = np.bincount(ms_codes, minlength=k)
    progress = group_sum(
        ms_codes, weights=float_values(ms[schema.PERCENT_COMPLETE]), minlength=k
    ) / np.maximum(count, 1)
    debt = float_values(projects[schema.DEBT])
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(
            (count > 0) & (debt > 0),
            drawn / np.where(debt > 0, debt, 1.0) - progress / 100.0,
            np.nan,
        )
    return index, first, weakest, gap


@attrs.frozen(kw_only=True, eq=False)
class Projects:
    """What the projects of the clients' live facilities say, per client.

    Attributes:
        count: Distinct projects the client's live facilities finance.
        dscr: Weakest next-period DSCR of those projects.
        dscr_change: Weakest forecast DSCR minus the next-period one (worst project).
        drawdown_gap: Largest drawn share minus completion share.
        facilities: The live project facilities (rows of the facilities frame).
        clients: Client position of each of those facilities.
        projects: Project position of each of those facilities.
        next_dscr: Next-period DSCR of each project (by project position).
    """

    count: IntArray
    dscr: FloatArray
    dscr_change: FloatArray
    drawdown_gap: FloatArray
    facilities: pd.DataFrame
    clients: IntArray
    projects: IntArray
    next_dscr: FloatArray


def gather_projects(
    frames: BookFrames, facilities: Facilities, *, day: np.datetime64
) -> Projects:
    """DSCR, its forecast change and drawdown gap over the distinct projects financed.

    Raises:
        UnknownReferenceError: a record of a project the projects frame lacks.
    """
    n = len(facilities.exposure)
    fac, fac_codes = facilities.frame, facilities.codes
    p_index, p_next, p_weakest, p_gap = project_ratios(frames, day)
    has_project = facilities.live & fac[schema.PROJECT_ID].notna().to_numpy()
    pf = fac[has_project]
    pf_codes = fac_codes[has_project]
    pf_proj = codes_of(
        pf[schema.PROJECT_ID], p_index, kind="project", field="facilities"
    )
    pairs = np.unique(np.column_stack([pf_codes, pf_proj]), axis=0).reshape(-1, 2)
    pc, pp = pairs[:, 0], pairs[:, 1]
    return Projects(
        count=np.bincount(pc, minlength=n),
        dscr=group_min(pc, p_next[pp], n),
        dscr_change=group_min(pc, p_weakest[pp] - p_next[pp], n),
        drawdown_gap=group_max(pc, p_gap[pp], n),
        facilities=pf,
        clients=pf_codes,
        projects=pf_proj,
        next_dscr=p_next,
    )


def gather_covenants(
    frames: BookFrames, facilities: Facilities, projects: Projects
) -> tuple[FloatArray, FloatArray]:
    """Breaches and headroom of the DSCR covenants, tested on the next period.

    Only live project facilities can carry a tested DSCR covenant.

    Returns:
        Per client: the DSCR covenants breached, and the smallest headroom of the
        next-period DSCR over the lock-up level (or the threshold without one).

    Raises:
        UnknownReferenceError: a covenant of a facility the facilities frame lacks.
    """
    n = len(facilities.exposure)
    fac, pf = facilities.frame, projects.facilities
    cov = frames.covenants
    is_dscr = is_in(cov[schema.METRIC], frozenset({"dscr"})) & is_in(
        cov[schema.OPERATOR], frozenset({"at_least"})
    )
    # only project facilities can carry a tested DSCR: index those alone
    f_index = pd.Index(pf[schema.FACILITY_ID])
    dscr_cov = cov[is_dscr]
    known = np.asarray(
        f_index.get_indexer(pd.Index(dscr_cov[schema.FACILITY_ID])),
        dtype=np.int64,
    )
    tested_fac = known >= 0
    unknown = (
        ~tested_fac
        & ~is_in(
            dscr_cov[schema.FACILITY_ID], frozenset(fac[schema.FACILITY_ID].astype(str))
        )
        if (~tested_fac).any()
        else np.zeros(len(known), dtype=bool)
    )
    if unknown.any():
        i = int(np.argmax(unknown))
        raise UnknownReferenceError(
            kind="facility",
            key=dscr_cov[schema.FACILITY_ID].iloc[i],
            field=f"covenants[{i}]",
            known=(),
        )
    keep = np.flatnonzero(is_dscr)[tested_fac]
    is_dscr = np.zeros(len(cov), dtype=bool)
    is_dscr[keep] = True
    pf_at = known[tested_fac]
    cov_next = projects.next_dscr[projects.projects[pf_at]]
    cov_client = projects.clients[pf_at]
    threshold = float_values(cov[schema.THRESHOLD])[is_dscr]
    lock = float_values(cov[schema.LOCK_UP_LEVEL])[is_dscr]
    tested = ~np.isnan(cov_next)
    breaches = group_sum(
        cov_client[tested],
        weights=(cov_next[tested] < threshold[tested]).astype(np.float64),
        minlength=n,
    )
    level = np.where(np.isnan(lock), threshold, lock)
    headroom = group_min(cov_client, cov_next - level, n)
    return breaches, headroom


@attrs.frozen(kw_only=True, eq=False)
class Feedback:
    """Feedback and referral figures per client.

    Attributes:
        count: Feedback records.
        trend: Slope of the scores over time.
        last_score: The latest score.
        nps: Net promoter score of the client's records.
        referrals_made: Referrals the client made.
        referrals_converted: Those that converted into business.
    """

    count: IntArray
    trend: FloatArray
    last_score: FloatArray
    nps: FloatArray
    referrals_made: IntArray
    referrals_converted: IntArray


def gather_feedback(frames: BookFrames, keys: ClientKeys) -> Feedback:
    """Feedback trend and NPS, and referrals made and converted, per client.

    Raises:
        UnknownReferenceError: a record of a client the clients frame lacks.
    """
    n = len(keys.index)
    fb = frames.feedback
    fb_codes = keys.codes(frames, "feedback", field="feedback")
    feedback_count = np.bincount(fb_codes, minlength=n)
    _, slope, last, nps = grouped_trend(
        fb_codes,
        n,
        day_values(fb[schema.FEEDBACK_ON]).astype(np.int64),
        float_values(fb[schema.SCORE]),
    )
    ref = frames.referrals
    ref_codes = keys.codes(frames, "referrals", field="referrals")
    converted = np.nan_to_num(float_values(ref[schema.CONVERTED_AMOUNT])) > 0
    return Feedback(
        count=feedback_count,
        trend=slope,
        last_score=last,
        nps=nps,
        referrals_made=np.bincount(ref_codes, minlength=n),
        referrals_converted=np.bincount(ref_codes[converted], minlength=n),
    )
