"""The exact words of the shared error-message helpers (issue #23).

Each helper is called directly and its whole text compared: the did-you-mean cutoff
at its exact ratio (0.6), the "and N more" tails just at and just past
`MAX_ROWS_SHOWN`, and every bracket and operator of `range_text`.
"""

from __future__ import annotations

import difflib

from lendcrm._messages import (
    MAX_ROWS_SHOWN,
    Raw,
    column_problems,
    did_you_mean,
    group_message,
    range_text,
    row_labels,
)


def test_max_rows_shown_is_five():
    assert MAX_ROWS_SHOWN == 5


def test_did_you_mean_at_the_exact_cutoff():
    # ratio = 2 * 3 matching / 10 characters = 0.6 exactly: still a suggestion
    assert difflib.SequenceMatcher(None, "abcxy", "abcde").ratio() == 0.6
    assert did_you_mean("abcde", ["abcxy"]) == " Did you mean 'abcxy'?"
    # 2 * 2 / 10 = 0.4: none
    assert did_you_mean("abcde", ["abxyz"]) == ""
    assert did_you_mean("abcde", []) == ""


def test_did_you_mean_names_the_closest_of_several_from_any_iterable():
    known = iter(["limit", "limits", "client_id"])
    assert did_you_mean("limitz", known) == " Did you mean 'limit'?"
    assert did_you_mean("client", ("x", "client_id")) == " Did you mean 'client_id'?"


def test_row_labels_at_and_past_the_limit():
    assert row_labels([1, 2, 3, 4, 5], 5) == "1, 2, 3, 4, 5"
    assert row_labels([1, 2, 3, 4, 5, 6], 6) == "1, 2, 3, 4, 5 and 1 more"
    assert row_labels(["a", "b"], 7) == "'a', 'b' and 5 more"
    assert row_labels(["a"], 1) == "'a'"
    assert row_labels([], 0) == ""


def test_column_problems_each_only_when_there_are_any():
    assert column_problems([], []) == []
    assert column_problems(("a", "b"), []) == ["missing ['a', 'b']"]
    assert column_problems([], ("c",)) == ["unexpected ['c']"]
    assert column_problems(["a"], ["c"]) == ["missing ['a']", "unexpected ['c']"]


def test_group_message_head_shown_and_tail():
    errs = [ValueError(f"e{i}") for i in range(1, 8)]
    assert group_message([], 3, "rows") == "0 of 3 rows are invalid"
    assert group_message(errs[:1], 3, "rows") == "1 of 3 rows are invalid: e1"
    assert (
        group_message(errs[:5], 9, "clients")
        == "5 of 9 clients are invalid: e1; e2; e3; e4; e5"
    )
    assert (
        group_message(errs[:6], 9, "clients")
        == "6 of 9 clients are invalid: e1; e2; e3; e4; e5; and 1 more"
    )
    assert (
        group_message(errs, 7, "rows")
        == "7 of 7 rows are invalid: e1; e2; e3; e4; e5; and 2 more"
    )


def test_raw_repr_is_itself():
    assert repr(Raw("a number")) == "a number"
    assert f"{Raw('x')!r}" == "x"
    assert str(Raw("x")) == "x"


def test_range_text_every_bracket_and_operator():
    def text(lo, hi, lo_open, hi_open):
        return range_text(lo, hi, lower_open=lo_open, upper_open=hi_open)

    assert text(None, None, True, True) == "a finite number"
    assert text(0, 1, False, False) == "a finite number in [0, 1]"
    assert text(0, 1, True, True) == "a finite number in (0, 1)"
    assert text(0, 1.5, True, False) == "a finite number in (0, 1.5]"
    assert text(0, 1, False, True) == "a finite number in [0, 1)"
    assert text(0.25, None, False, False) == "a finite number >= 0.25"
    assert text(0.25, None, True, False) == "a finite number > 0.25"
    assert text(None, 2, False, False) == "a finite number <= 2"
    assert text(None, 2, False, True) == "a finite number < 2"
    assert text(1e-9, None, False, True) == "a finite number >= 1e-09"
