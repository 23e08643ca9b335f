"""How many of the model's comments are kept, and which (pure).

Analyzer findings at error severity (a committed secret above all) are never
displaced by model comments: they are kept whatever the budget. The budget
(`max_comments`) applies to everything else, and the model's comments are
capped twice before it: per chunk (a runaway answer cannot flood the review)
and per line (one line does not collect a pile of comments). At equal
severity an analyzer finding goes before a model comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from reviewbot.models import Comment, Severity
from reviewbot.review.findings import position


@dataclass(frozen=True)
class CommentCaps:
    per_chunk: int = 25  # model comments kept from one answer, most severe first
    per_line: int = 2  # model comments kept on one line of one file


class _Ranked(Protocol):
    @property
    def severity(self) -> str: ...


R = TypeVar("R", bound=_Ranked)


def cap_answer(raws: Sequence[R], cap: int) -> tuple[list[R], int]:
    """The `cap` most severe of one answer's comments, in the answer's order, and how many were dropped."""
    if len(raws) <= cap:
        return list(raws), 0
    order = sorted(range(len(raws)), key=lambda i: (-_rank(raws[i].severity), i))
    keep = sorted(order[: max(cap, 0)])
    return [raws[i] for i in keep], len(raws) - len(keep)


def cap_per_line(comments: Sequence[Comment], cap: int) -> tuple[list[Comment], int]:
    """At most `cap` comments on one (path, line), most severe first; and how many were dropped."""
    kept: list[Comment] = []
    count: dict[tuple[str, str, int], int] = {}
    for comment in sorted(comments, key=lambda c: -c.severity.rank):
        where = (comment.path, comment.side.value, comment.line)
        if count.get(where, 0) < cap:
            kept.append(comment)
            count[where] = count.get(where, 0) + 1
    return kept, len(comments) - len(kept)


def fit_review(findings: Sequence[Comment], model: Sequence[Comment], max_comments: int) -> tuple[list[Comment], int]:
    """Analyzer findings at error severity always; the rest within `max_comments`; in file order."""
    protected = [c for c in findings if c.severity is Severity.ERROR]
    others = [(c, 0) for c in findings if c.severity is not Severity.ERROR] + [(c, 1) for c in model]
    room = max(max_comments - len(protected), 0)
    ranked = sorted(others, key=lambda pair: (-pair[0].severity.rank, pair[1], position(pair[0])))
    kept = protected + [c for c, _ in ranked[:room]]
    return sorted(kept, key=position), len(others) - len(ranked[:room])


def _rank(severity: str) -> int:
    try:
        return Severity.parse(severity).rank
    except ValueError:
        return 0
