"""Turn an analyzer's machine fix into a GitHub suggestion, when one fits.

A GitHub suggestion replaces whole lines `line..end_line` of the new file with
new text. An analyzer's fix is a set of edits at (row, column) positions. The
fix fits when all its edits fall inside one short run of whole lines: the
suggestion is then those lines with the edits applied. Pure functions only.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from reviewbot.review.pyfacts import split_lines

MAX_SUGGESTION_LINES = 20  # longer replacements are better left to the tool itself



@dataclass(frozen=True)
class Edit:
    """Replace the text from (row, column) up to (end_row, end_column) with `content`.

    Rows and columns are 1-based; the end is exclusive, as in ruff's output.
    """

    row: int
    column: int
    end_row: int
    end_column: int
    content: str


@dataclass(frozen=True)
class Suggestion:
    line: int
    end_line: int
    text: str  # "" deletes the lines


@lru_cache(maxsize=8)
def _layout(content: str) -> tuple[list[str], list[int]]:
    """The lines of `content` and where each starts, computed once per file rather than once per finding."""
    lines = split_lines(content)
    return lines, line_starts(lines)


def line_starts(lines: Sequence[str]) -> list[int]:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line)
    starts.append(offset)  # the position just past the end of the file
    return starts


def suggestion_for(content: str, edits: Sequence[Edit], line: int, end_line: int) -> Suggestion | None:
    """The suggestion that applies `edits`, if it covers the finding's lines."""
    lines, starts = _layout(content)
    if not edits or not lines:
        return None
    offsets = [(_offset(starts, e.row, e.column), _offset(starts, e.end_row, e.end_column), e) for e in edits]
    spans = [(s, end, e) for s, end, e in offsets if s is not None and end is not None]
    if len(spans) < len(offsets) or any(s > end for s, end, _ in spans) or _overlapping(spans):
        return None
    first, last = _row_range(starts, min(s for s, _, _ in spans), max(end for _, end, _ in spans))
    if not (first <= line and end_line <= last) or last - first + 1 > MAX_SUGGESTION_LINES:
        return None
    return _replacement(content, starts, first, last, spans)


def _offset(starts: list[int], row: int, column: int) -> int | None:
    if not 1 <= row <= len(starts) - 1 and not (row == len(starts) and column == 1):
        return None
    offset = starts[row - 1] + column - 1
    return offset if offset <= starts[-1] else None


def _overlapping(spans: list[tuple[int, int, Edit]]) -> bool:
    ordered = sorted((s, end) for s, end, _ in spans)
    return any(prev_end > start for (_, prev_end), (start, _) in itertools.pairwise(ordered))


def _row_range(starts: list[int], begin: int, end: int) -> tuple[int, int]:
    """The 1-based rows holding [begin, end); an end at a row's start closes the row before."""
    last_row = len(starts) - 1
    first = min(bisect.bisect_right(starts, begin), last_row)
    last = min(bisect.bisect_right(starts, end), last_row)
    if end == starts[last - 1] and last > first:
        last -= 1
    return max(first, 1), max(last, 1)


def _replacement(content: str, starts: list[int], first: int, last: int, spans) -> Suggestion | None:
    region_start, region_end = starts[first - 1], starts[last]
    region = content[region_start:region_end]
    new = region
    for start, end, edit in sorted(spans, key=lambda span: span[0], reverse=True):
        new = new[: start - region_start] + edit.content + new[end - region_start :]
    if new == region:
        return None
    text = _strip_terminator(region, new)
    return None if text is None else Suggestion(first, last, text.replace("\r\n", "\n").replace("\r", "\n"))


def _strip_terminator(region: str, new: str) -> str | None:
    """The suggestion text: the new lines without the final line's terminator.

    If the region ended with a line break and the new text does not (and is
    not empty), applying it would glue the next line on: no suggestion.
    """
    ending = re.search(r"(\r\n|\r|\n)$", region)
    if not ending or not new:
        return new
    if not new.endswith(("\n", "\r")):
        return None
    return new[:-2] if new.endswith("\r\n") else new[:-1]
