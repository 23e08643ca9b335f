"""Pure steps from analyzer findings to the comments a review keeps.

Each step is a small function over frozen values: anchor a finding on a line
the diff added, drop duplicates, order, and fit the budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from reviewbot.models import Comment, Side
from reviewbot.review.analyzer import Finding

if TYPE_CHECKING:
    from reviewbot.diffmodel import FileDiff


def anchor(finding: Finding, file: FileDiff) -> Finding | None:
    """The finding placed on a line this diff added, or None when none of its lines was added.

    Like reviewdog's "added" filter: problems the change did not touch are not
    the change's to fix. A multi-line finding moves to the first added line of
    its range; a range (and its suggestion) survives only when GitHub can show
    it, i.e. when it lies inside one hunk.
    """
    end = finding.end_line or finding.line
    added = file.added_lines
    first = next((n for n in range(finding.line, end + 1) if n in added), None)
    if first is None:
        return None
    if (first == finding.line or finding.suggestion is not None) and _one_hunk(file, finding.line, end):
        return finding  # a suggestion may start on a context line: it replaces exactly its range
    keep_range = end > first and _one_hunk(file, first, end)
    return replace(finding, line=first, end_line=end if keep_range else None, suggestion=None)


def _one_hunk(file: FileDiff, line: int, end: int) -> bool:
    if end == line:
        return True
    hunk = file.hunk_at(line, Side.RIGHT)
    return hunk is not None and hunk is file.hunk_at(end, Side.RIGHT)


SECRET_ANALYZERS = frozenset({"secrets"})


def secret_lines(findings: Iterable[Finding]) -> frozenset[tuple[str, int]]:
    """(path, line) of every line where a secret was found."""
    return frozenset((f.path, f.line) for f in findings if f.analyzer in SECRET_ANALYZERS)


def without_suggestions_on(lines: frozenset[tuple[str, int]], comments: Iterable[Comment]) -> list[Comment]:
    """The comments, minus any suggestion that would repeat one of `lines` (a suggestion copies whole lines)."""
    return [replace(c, suggestion=None) if c.suggestion is not None and _covers(c, lines) else c for c in comments]


def _covers(comment: Comment, lines: frozenset[tuple[str, int]]) -> bool:
    return any((comment.path, n) in lines for n in range(comment.line, (comment.end_line or comment.line) + 1))


def dedupe(comments: Iterable[Comment]) -> list[Comment]:
    """One comment per line and lesson: the most severe (then the first) wins.

    The same rule twice on a line is a duplicate; so are two analyzers teaching
    the same principle on the same line (ruff's T100 and the diff check both
    see a `breakpoint()`; ruff's S105 and detect-secrets both see a password).
    """
    kept: dict[tuple[str, int, str], Comment] = {}
    for comment in sorted(comments, key=lambda c: -c.severity.rank):  # stable: equals keep their order
        kept.setdefault((comment.path, comment.line, comment.principle.id), comment)
    return list(kept.values())


def position(comment: Comment) -> tuple[str, int, int, str]:
    return (comment.path, comment.line, -comment.severity.rank, comment.source)


def fit_budget(comments: Sequence[Comment], max_comments: int) -> tuple[list[Comment], int]:
    """The most severe `max_comments` comments in file order, and how many were left out."""
    if len(comments) <= max_comments:
        return sorted(comments, key=position), 0
    ranked = sorted(comments, key=lambda c: (-c.severity.rank, position(c)))
    kept = ranked[: max(max_comments, 0)]
    return sorted(kept, key=position), len(comments) - len(kept)
