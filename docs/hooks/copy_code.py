"""mkdocs hook: the copy button of a ``>>>`` example copies only the code.

Material for MkDocs copies a code block's text, or, when an ancestor of the code carries
a ``data-copy`` attribute, that attribute's value (``extract`` in the theme's
``integrations/clipboard``). This hook gives every highlighted block that holds a
doctest-style session a ``data-copy`` with its input lines only: the ``>>>`` and ``...``
prompts are removed and the output lines are dropped, so a pasted example runs as it
is. Continuation lines follow doctest's rule: a ``...`` line is input only right after
an input line (an output line that starts with ``...`` is an elided output).
"""

from __future__ import annotations

import html
import re
from typing import Any

BLOCK = re.compile(
    r'(<div class="(?:[^"]*\s)?highlight")>(\s*<pre\b.*?</pre>)', re.DOTALL
)
TAG = re.compile(r"<[^>]+>")
PROMPT, CONTINUATION = ">>>", "..."


def _strip(line: str, prompt: str) -> str:
    return line[len(prompt) :].removeprefix(" ")


def input_lines(text: str) -> str | None:
    """The code of a ``>>>`` session without prompts and output; None if no session."""
    lines = text.splitlines()
    if not any(line.startswith(PROMPT) for line in lines):
        return None
    code: list[str] = []
    in_source = False
    for line in lines:
        if line.startswith(PROMPT):
            code.append(_strip(line, PROMPT))
            in_source = True
        elif in_source and line.startswith(CONTINUATION):
            code.append(_strip(line, CONTINUATION))
        else:
            in_source = False
    return "\n".join(code)


def with_copy_text(page_html: str) -> str:
    """Add ``data-copy`` (the input lines) to each block that shows a ``>>>`` session."""

    def replace(match: re.Match[str]) -> str:
        code = input_lines(html.unescape(TAG.sub("", match.group(2))))
        if code is None:
            return match.group(0)
        attribute = html.escape(code, quote=True).replace("\n", "&#10;")
        return f'{match.group(1)} data-copy="{attribute}">{match.group(2)}'

    return BLOCK.sub(replace, page_html)


def on_page_content(html_text: str, **_: Any) -> str:  # noqa: ANN401 - mkdocs hook API
    """Give the page's ``>>>`` examples a prompt-free copy text."""
    return with_copy_text(html_text)
