"""The commercial columns of the view and the frame: next product and attrition (#14).

The caller may pass the output of `lendcrm.relationship.commercial.value_frames`:
``cross_sell_frame`` (``next_product``, ``next_product_propensity``) and/or
``attrition_frame`` (``attrition_probability``, ``reason_1``), merged on
``client_id`` — a frame for `relationship_frame`, the client's row as a mapping for
`client_view`, as with the ``signals``. Then

- the cross-sell action names the product: its reason ends with the next best
  product, `Action.product` holds it and the ``cross_sell_product`` column shows it
  where the action fired (a client without a product gap gets the action unnamed);
- the attrition probability becomes the fact ``attrition_probability`` that
  `RetentionCall` reads, and the view and frame carry it with its top reason.

Without the input nothing changes. The commercial package never imports this layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import BoolArray, FloatArray, as_float_array
from lendcrm._validators import non_empty_str, number_in, require_labels
from lendcrm.errors import InvalidValueError
from lendcrm.frames.columns import CLIENT_ID
from lendcrm.relationship import columns as col
from lendcrm.relationship._actions import Action, ActionRules, NextBestActions
from lendcrm.relationship._builtin_rules import CrossSell
from lendcrm.relationship._facts import (
    ClientFacts,
    client_facts,  # noqa: F401 - doctests
)
from lendcrm.relationship.commercial import ATTRITION_FACTORS, PRODUCTS
from lendcrm.relationship.commercial.value_frames import (
    ATTRITION_PROBABILITY,
    NEXT_PRODUCT,
    NEXT_PRODUCT_PROPENSITY,
)

__all__ = ["CommercialColumns", "RetentionCall", "commercial_of", "commercial_rows"]

StrArray = npt.NDArray[np.str_]
#: The top attrition reason column of ``attrition_frame``.
TOP_REASON: Final = "reason_1"
_WANTED: Final = (
    f"`{NEXT_PRODUCT}` and `{NEXT_PRODUCT_PROPENSITY}` (cross_sell_frame) and/or "
    f"`{ATTRITION_PROBABILITY}` and `{TOP_REASON}` (attrition_frame)"
)


def _tiers(values: Iterable[str]) -> tuple[str, ...]:
    return require_labels(values, name="tiers", what="tier names")


@attrs.frozen(kw_only=True)
class RetentionCall:
    """A valuable client at high risk of leaving: call before a competitor does.

    Reads the fact ``attrition_probability`` (NaN, never firing, unless the caller
    passes the attrition input to the view or the frame). Not in the default set:
    add it with ``ActionRules.builtin().with_rule(RetentionCall())``.

    Attributes:
        tiers: Tiers worth a retention call.
        min_probability: Probability of leaving within 12 months from which to call
            (0.2: about two warning signs under `DEFAULT_ATTRITION`).
        name: Action code.
        priority: Rank among a client's actions.

    Examples:
        >>> f = client_facts(client_ids=["A", "B", "C"], tier=["gold", "gold", "basic"],
        ...                  attrition_probability=[0.35, 0.05, 0.5])
        >>> RetentionCall().evaluate(f).tolist()
        [True, False, False]
        >>> RetentionCall().reason
        'diamond/gold client with a probability of leaving within 12 months of 20% or more'
    """

    tiers: tuple[str, ...] = attrs.field(default=("diamond", "gold"), converter=_tiers)
    min_probability: float = attrs.field(default=0.2, validator=number_in(0, 1))
    name: str = attrs.field(default="retention_call", validator=non_empty_str)
    priority: float = attrs.field(default=75.0, validator=number_in(0, 100))

    @property
    def reason(self) -> str:
        """Why the action is proposed."""
        return (
            f"{'/'.join(self.tiers)} client with a probability of leaving within 12 "
            f"months of {self.min_probability:.0%} or more"
        )

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Fire for clients of the tiers whose attrition probability is high."""
        with np.errstate(invalid="ignore"):
            high = facts.attrition_probability >= self.min_probability
        out: BoolArray = np.isin(facts.tier, np.asarray(self.tiers, dtype=str)) & high
        return out


def named_reason(reason: str, product: str) -> str:
    """A cross-sell reason that names the product."""
    return f"{reason}; next best product: {product}"


@attrs.frozen(kw_only=True, eq=False)
class CommercialColumns:
    """The caller's commercial input per client, aligned with the clients.

    Attributes:
        next_product: Next best product (``""``: no gap); None without cross-sell input.
        propensity: Its cross-sell propensity (NaN: no gap); None likewise.
        attrition: Probability of leaving within 12 months; None without attrition
            input.
        attrition_reason: The factor with the most points (``""``: none).
    """

    next_product: StrArray | None = None
    propensity: FloatArray | None = None
    attrition: FloatArray | None = None
    attrition_reason: StrArray | None = None

    def onto(self, facts: ClientFacts) -> ClientFacts:
        """The facts with ``attrition_probability`` filled in (unchanged without)."""
        if self.attrition is None:
            return facts
        return attrs.evolve(facts, attrition_probability=self.attrition)

    def named(self, actions: NextBestActions, rules: ActionRules) -> StrArray:
        """The product each client's cross-sell action names (``""``: not fired)."""
        n = len(actions)
        where = [i for i, r in enumerate(rules.rules) if isinstance(r, CrossSell)]
        if self.next_product is None or not where:
            return np.full(n, "", dtype=str)
        fired = actions.fired[:, where].any(axis=1)
        return np.where(fired, self.next_product, "").astype(str)

    def columns(self, named: StrArray) -> dict[str, npt.NDArray[np.generic]]:
        """The columns the view and the frame add, in order (none without input)."""
        out: dict[str, npt.NDArray[np.generic]] = {}
        if self.next_product is not None and self.propensity is not None:
            out[NEXT_PRODUCT] = self.next_product
            out[NEXT_PRODUCT_PROPENSITY] = self.propensity
            out[col.CROSS_SELL_PRODUCT] = named
        if self.attrition is not None and self.attrition_reason is not None:
            out[ATTRITION_PROBABILITY] = self.attrition
            out[col.ATTRITION_REASON] = self.attrition_reason
        return out

    def finish_frame(
        self, frame: pd.DataFrame, actions: NextBestActions, rules: ActionRules
    ) -> pd.DataFrame:
        """The relationship frame with the product named and the columns added."""
        named = self.named(actions, rules)
        best = actions.best()
        cross = np.array([isinstance(r, CrossSell) for r in rules.rules] + [False])
        first = cross[best] & (named != "")  # -1 (no action) reads the False
        if first.any():
            reason = frame[col.NEXT_ACTION_REASON].to_numpy(dtype=object, copy=True)
            reason[first] = [
                named_reason(str(r), str(p))
                for r, p in zip(reason[first], named[first], strict=True)
            ]
            frame[col.NEXT_ACTION_REASON] = pd.Categorical(reason)
        for name, values in self.columns(named).items():
            frame[name] = values
        return frame

    def view_parts(
        self, actions: NextBestActions, rules: ActionRules
    ) -> tuple[tuple[Action, ...], dict[str, object]]:
        """One client's ranked actions (cross-sell naming its product), its columns."""
        named = self.named(actions, rules)
        product = str(named[0])
        cross = {r.name for r in rules.rules if isinstance(r, CrossSell)}
        ranked = tuple(
            attrs.evolve(a, reason=named_reason(a.reason, product), product=product)
            if product and a.name in cross
            else a
            for a in actions.actions(0)
        )
        values = {
            k: v[0].item() if isinstance(v[0], np.generic) else v[0]
            for k, v in self.columns(named).items()
        }
        return ranked, values


def _text(values: pd.Series, name: str, allowed: tuple[str, ...]) -> StrArray:
    text = values.astype(object).where(values.notna(), "").astype(str).to_numpy()
    bad = ~np.isin(text, np.asarray([*allowed, ""], dtype=str))
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"{name}[{i}]",
            value=text[i],
            expected="one of " + ", ".join(repr(a) for a in allowed) + " or missing",
        )
    return text.astype(str)


def _parse(frame: pd.DataFrame, name: str) -> CommercialColumns:
    """Read and check the commercial columns of ``frame`` (rows as given)."""
    has_cs, has_at = NEXT_PRODUCT in frame.columns, ATTRITION_PROBABILITY in frame
    missing = [
        c
        for c, need in (
            (NEXT_PRODUCT_PROPENSITY, has_cs),
            (TOP_REASON, has_at),
        )
        if need and c not in frame.columns
    ]
    if not (has_cs or has_at) or missing:
        raise InvalidValueError(
            field=f"{name}.columns",
            value=sorted(str(c) for c in frame.columns),
            expected=_WANTED,
        )
    out = CommercialColumns()
    if has_cs:
        out = attrs.evolve(
            out,
            next_product=_text(frame[NEXT_PRODUCT], f"{name}.{NEXT_PRODUCT}", PRODUCTS),
            propensity=as_float_array(
                frame[NEXT_PRODUCT_PROPENSITY].to_numpy(dtype=np.float64),
                name=f"{name}.{NEXT_PRODUCT_PROPENSITY}",
                lower=0.0,
                upper=1.0,
                allow_nan=True,
            ),
        )
    if has_at:
        out = attrs.evolve(
            out,
            attrition=as_float_array(
                frame[ATTRITION_PROBABILITY].to_numpy(dtype=np.float64),
                name=f"{name}.{ATTRITION_PROBABILITY}",
                lower=0.0,
                upper=1.0,
            ),
            attrition_reason=_text(
                frame[TOP_REASON], f"{name}.{TOP_REASON}", ATTRITION_FACTORS
            ),
        )
    return out


def commercial_rows(
    commercial: pd.DataFrame | None, index: pd.Index[str]
) -> CommercialColumns:
    """The frame face: one row per client of ``index`` from the caller's frame.

    Raises:
        InvalidValueError: not a DataFrame, no ``client_id`` column, a client
            without a row, or as `_parse`.
    """
    if commercial is None:
        return CommercialColumns()
    given: object = commercial
    if not isinstance(given, pd.DataFrame) or CLIENT_ID not in given:
        raise InvalidValueError(
            field="commercial",
            value=type(commercial).__name__,
            expected=f"a DataFrame with a `{CLIENT_ID}` column and {_WANTED}",
        )
    pos = pd.Index(commercial[CLIENT_ID].astype(object)).get_indexer(index)
    if (pos < 0).any():
        i = int(np.argmax(pos < 0))
        raise InvalidValueError(
            field="commercial",
            value=f"no row for {index[i]!r}",
            expected="a row for every client",
        )
    return _parse(commercial.iloc[pos].reset_index(drop=True), "commercial")


def commercial_of(commercial: Mapping[str, object] | None) -> CommercialColumns:
    """The view face: the client's row of the same frame, as a mapping."""
    if commercial is None:
        return CommercialColumns()
    given: object = commercial
    if not isinstance(given, Mapping):
        raise InvalidValueError(
            field="commercial",
            value=type(commercial).__name__,
            expected=f"a mapping with {_WANTED}",
        )
    return _parse(pd.DataFrame([dict(commercial)]), "commercial")
