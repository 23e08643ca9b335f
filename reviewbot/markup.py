"""Markdown code spans: what every sanitiser and escaper must leave verbatim. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable

# A run of backticks, then anything, then a run of exactly as many (CommonMark's code span).
CODE_SPAN = re.compile(r"(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)")


def outside_code_spans(text: str, transform: Callable[[str], str]) -> str:
    """`text` with `transform` applied to everything except its code spans."""
    pieces, last = [], 0
    for match in CODE_SPAN.finditer(text):
        pieces += [transform(text[last : match.start()]), match.group(0)]
        last = match.end()
    return "".join([*pieces, transform(text[last:])])
