"""The inputs of a book's schedules, validated once, each error naming the facility.

`schedule_inputs` turns what `repayment_schedules` receives into aligned arrays:
days since 1970-01-01 for the dates, codes for the amortisation kind and the day
count, the fixed rate or margin, the reference curve code (-1 for fixed), the
profiles. A failure names the facility (its id when given, else its row) and the
field.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import (
    FloatArray,
    IntArray,
    align,
    align_to,
    as_float_array,
    enum_codes,
)
from lendcrm._loan_terms import PROFILE_TOLERANCE, Amortisation, DayCount
from lendcrm._validators import refuse_object
from lendcrm.errors import InvalidValueError
from lendcrm.risk.schedules._calendar import DAY_COUNTS, period_counts
from lendcrm.risk.schedules._curves import ForwardCurve

__all__ = [
    "FIXED",
    "KINDS",
    "ScheduleInputs",
    "days_of",
    "facility_field",
    "schedule_inputs",
]

#: Amortisation kinds in code order (the code is the index).
KINDS = tuple(Amortisation)
#: The reference name of a fixed-rate facility (its margin is its rate).
FIXED = "FIXED"
_AMORTISING = (
    KINDS.index(Amortisation.ANNUITY),
    KINDS.index(Amortisation.LINEAR),
    KINDS.index(Amortisation.BALLOON),
)


@attrs.frozen(kw_only=True, eq=False)
class ScheduleInputs:
    """Aligned, validated inputs of a book's schedules, shape ``(n,)`` unless noted."""

    ids: npt.NDArray[np.object_] | None
    principal: FloatArray
    start: IntArray
    maturity: IntArray
    periods: IntArray
    kind: IntArray
    step: IntArray
    day_count: IntArray
    rate: FloatArray
    curve: IntArray
    curves: tuple[ForwardCurve, ...]
    grace: IntArray
    balloon: FloatArray
    profile: FloatArray  # (n, T) fractions of principal or of the limit; 0 padded
    commitment_fee: FloatArray
    upfront_fee: FloatArray
    zero_floor: npt.NDArray[np.bool_]


def facility_field(ids: npt.NDArray[np.object_] | None, i: int, name: str) -> str:
    """The field of row ``i`` in an error: ``facility 'F-1' rate`` or ``rate[3]``."""
    if ids is None:
        return f"{name}[{i}]"
    return f"facility {ids[i]!r} {name}"


def _day_numbers(values: npt.ArrayLike) -> IntArray | None:
    """Days since 1970-01-01 of ``values``, or None where they are not dates."""
    try:
        arr = np.asarray(values)
        if arr.dtype.kind in "bfc":  # numbers are not dates
            return None
        if arr.dtype.kind != "M":
            with np.errstate(all="ignore"):
                arr = arr.astype("datetime64[D]")
        out: IntArray = arr.astype("datetime64[D]").astype(np.int64).ravel()
    except (TypeError, ValueError, OverflowError):
        return None
    return out


def days_of(values: npt.ArrayLike, name: str, n: int) -> IntArray:
    """``values`` as days since 1970-01-01, one or ``n``, broadcast to ``(n,)``.

    Raises:
        InvalidValueError: a value that is not a date, or neither one nor ``n`` dates.
    """
    flat = _day_numbers(values)
    if flat is None:
        raise InvalidValueError(
            field=name,
            value=values,
            expected="dates (datetime.date, numpy.datetime64 or ISO text 'YYYY-MM-DD')",
        )
    (days,) = align_to(n, "facility", **{name: flat})
    if np.isnat(days.view("datetime64[D]")).any():
        i = int(np.argmax(np.isnat(days.view("datetime64[D]"))))
        raise InvalidValueError(field=f"{name}[{i}]", value="NaT", expected="a date")
    return days


def _length(**sizes: int) -> int:
    """The book's length: every input has one value or one per facility."""
    n = max(sizes.values())
    for name, size in sizes.items():
        if size not in (1, n):
            raise InvalidValueError(
                field=name,
                value=f"length {size}",
                expected=f"length 1 or one per facility ({n})",
            )
    return n


def _first(bad: npt.NDArray[np.bool_]) -> int | None:
    return int(np.argmax(bad)) if bad.any() else None


def _curve_codes(
    reference: npt.ArrayLike | None,
    curves: Mapping[str, ForwardCurve] | None,
    ids: npt.NDArray[np.object_] | None,
    n: int,
) -> tuple[IntArray, tuple[ForwardCurve, ...]]:
    given: object = curves  # a caller may pass anything
    if given is not None and not (
        isinstance(given, Mapping)
        and all(
            isinstance(k, str) and isinstance(v, ForwardCurve) for k, v in given.items()
        )
    ):
        refuse_object(
            curves,
            name="curves",
            what="a mapping of reference-rate names to ForwardCurve",
        )
    if reference is None:
        return np.full(n, -1, dtype=np.int64), ()
    ref = np.broadcast_to(np.asarray(reference, dtype=object).ravel(), (n,))
    names = sorted(curves or {})
    uniq, inverse = np.unique(ref.astype(str), return_inverse=True)
    lookup = np.empty(len(uniq), dtype=np.int64)
    for j, name in enumerate(uniq.tolist()):
        if name == FIXED:
            lookup[j] = -1
        elif name in names:
            lookup[j] = names.index(name)
        else:
            i = int(np.argmax(inverse == j))
            raise InvalidValueError(
                field=facility_field(ids, i, "reference"),
                value=name,
                expected=f"{FIXED!r} or a curve in `curves` ({', '.join(names)})",
                hint="Pass the reference rate's ForwardCurve in `curves`.",
            )
    return lookup[inverse.reshape(-1)], tuple((curves or {})[k] for k in names)


def _check_rows(inp: ScheduleInputs) -> None:
    """Row rules: maturity after start, no negative fixed rate, grace, balloon."""
    ids = inp.ids
    i = _first(inp.maturity <= inp.start)
    if i is not None:
        raise InvalidValueError(
            field=facility_field(ids, i, "maturity"),
            value=str(inp.maturity[i].astype("datetime64[D]")),
            expected=f"a date after the start ({inp.start[i].astype('datetime64[D]')})",
        )
    i = _first((inp.curve < 0) & (inp.rate < 0))
    if i is not None:
        raise InvalidValueError(
            field=facility_field(ids, i, "rate"),
            value=float(inp.rate[i]),
            expected="a fixed rate >= 0 (a fixed-rate loan's convention forbids a "
            "negative rate; a floating reference may be negative)",
        )
    amortising = np.isin(inp.kind, _AMORTISING)
    i = _first(amortising & (inp.grace >= inp.periods))
    if i is not None:
        raise InvalidValueError(
            field=facility_field(ids, i, "grace_periods"),
            value=int(inp.grace[i]),
            expected=f"fewer than the {int(inp.periods[i])} payment periods (a "
            "schedule that repays the principal)",
        )
    balloon = inp.kind == KINDS.index(Amortisation.BALLOON)
    i = _first(balloon != (inp.balloon > 0))
    if i is not None:
        raise InvalidValueError(
            field=facility_field(ids, i, "balloon_fraction"),
            value=float(inp.balloon[i]),
            expected="in (0, 1) for a balloon and 0 for any other kind",
        )


def _check_profiles(inp: ScheduleInputs) -> None:
    """A sculpted profile repays the principal; utilisation is within the limit."""
    ids = inp.ids
    t = inp.profile.shape[1]
    sculpted = inp.kind == KINDS.index(Amortisation.SCULPTED)
    revolver = inp.kind == KINDS.index(Amortisation.REVOLVER)
    needs = sculpted | revolver
    i = _first(needs & (inp.periods > t))
    if i is not None:
        raise InvalidValueError(
            field=facility_field(ids, i, "profile"),
            value=f"{t} periods",
            expected=f"one entry per payment period ({int(inp.periods[i])})",
        )
    if sculpted.any():
        total = inp.profile[sculpted].sum(axis=1)
        bad = np.abs(total - 1.0) > PROFILE_TOLERANCE * max(t, 1)
        if bad.any():
            i = int(np.flatnonzero(sculpted)[np.argmax(bad)])
            raise InvalidValueError(
                field=facility_field(ids, i, "profile"),
                value=f"sums to {float(total[np.argmax(bad)]):g}",
                expected="fractions of the principal summing to 1 (a schedule "
                "that repays the principal)",
            )
    if revolver.any():
        u = inp.profile[revolver]
        bad = ((u < 0) | (u > 1)).any(axis=1)
        if bad.any():
            i = int(np.flatnonzero(revolver)[np.argmax(bad)])
            raise InvalidValueError(
                field=facility_field(ids, i, "profile"),
                value="a drawn fraction outside [0, 1]",
                expected="a utilisation in [0, 1] of the limit in every period",
            )


def _profile(profile: npt.ArrayLike | None, n: int) -> FloatArray:
    if profile is None:
        return np.zeros((n, 1))
    as_float_array(  # refuse text, objects and ragged rows by name
        np.asarray(profile, dtype=object).ravel(), name="profile", allow_nan=True
    )
    p = np.asarray(profile, dtype=np.float64)
    if p.ndim == 1:  # one profile for every facility
        p = p.reshape(1, -1)
    if p.ndim != 2 or p.shape[0] not in (1, n):  # noqa: PLR2004 - a matrix
        raise InvalidValueError(
            field="profile",
            value=f"array of shape {p.shape}",
            expected=f"one row per facility ({n}) by periods",
        )
    out: FloatArray = np.nan_to_num(np.broadcast_to(p, (n, p.shape[1])), nan=0.0)
    return out


def schedule_inputs(
    *,
    principal: npt.ArrayLike,
    start: npt.ArrayLike,
    maturity: npt.ArrayLike,
    amortisation: object,
    rate: npt.ArrayLike,
    reference: npt.ArrayLike | None,
    curves: Mapping[str, ForwardCurve] | None,
    payments_per_year: npt.ArrayLike,
    day_count: object,
    grace_periods: npt.ArrayLike,
    balloon_fraction: npt.ArrayLike,
    profile: npt.ArrayLike | None,
    commitment_fee: npt.ArrayLike,
    upfront_fee: npt.ArrayLike,
    zero_floor: npt.ArrayLike,
    facility_ids: npt.ArrayLike | None,
) -> ScheduleInputs:
    """Validate and align the inputs of `repayment_schedules`."""
    pr, r, bf, cf, uf, ppy, gr = align(
        principal=as_float_array(principal, name="principal", lower=0.0),
        rate=as_float_array(rate, name="rate", lower=-1.0, upper=1.0),
        balloon_fraction=as_float_array(
            balloon_fraction,
            name="balloon_fraction",
            lower=0.0,
            upper=1.0,
            upper_open=True,
        ),
        commitment_fee=as_float_array(
            commitment_fee, name="commitment_fee", lower=0.0, upper=1.0
        ),
        upfront_fee=as_float_array(upfront_fee, name="upfront_fee", lower=0.0),
        payments_per_year=as_float_array(payments_per_year, name="payments_per_year"),
        grace_periods=as_float_array(grace_periods, name="grace_periods", lower=0.0),
    )
    kinds = enum_codes(amortisation, Amortisation, name="amortisation")
    counts = enum_codes(day_count, DayCount, name="day_count")
    n = _length(
        principal=pr.shape[0],
        amortisation=kinds[1].shape[0],
        day_count=counts[1].shape[0],
        start=np.asarray(start).size,
        maturity=np.asarray(maturity).size,
        reference=1 if reference is None else np.asarray(reference, dtype=object).size,
        facility_ids=1 if facility_ids is None else np.asarray(facility_ids).size,
        profile=1 if profile is None else np.atleast_2d(np.asarray(profile)).shape[0],
    )
    pr, r, bf, cf, uf, ppy, gr = (
        np.broadcast_to(a, (n,)) for a in (pr, r, bf, cf, uf, ppy, gr)
    )
    bad = ~np.isin(ppy, (1, 2, 4, 12))
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"payments_per_year[{i}]",
            value=float(ppy[i]),
            expected="1, 2, 4 or 12",
        )
    ids = None
    if facility_ids is not None:
        ids = np.broadcast_to(np.asarray(facility_ids, dtype=object).ravel(), (n,))
    kind_code = np.broadcast_to(
        np.array([KINDS.index(m) for m in kinds[0]])[kinds[1]], (n,)
    )
    dc_code = np.broadcast_to(
        np.array([DAY_COUNTS.index(m) for m in counts[0]])[counts[1]], (n,)
    )
    start_d, mat_d = days_of(start, "start", n), days_of(maturity, "maturity", n)
    step = (12 // ppy).astype(np.int64)
    curve, curve_list = _curve_codes(reference, curves, ids, n)
    inp = ScheduleInputs(
        ids=ids,
        principal=pr,
        start=start_d,
        maturity=mat_d,
        periods=np.where(mat_d > start_d, period_counts(start_d, mat_d, step), 1),
        kind=kind_code,
        step=step,
        day_count=dc_code,
        rate=r,
        curve=curve,
        curves=curve_list,
        grace=gr.astype(np.int64),
        balloon=bf,
        profile=_profile(profile, n),
        commitment_fee=cf,
        upfront_fee=uf,
        zero_floor=np.broadcast_to(np.asarray(zero_floor, dtype=bool).ravel(), (n,)),
    )
    _check_rows(inp)
    _check_profiles(inp)
    return inp
