"""Small pieces every format shares: ordering, grouping, counting, wording."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import groupby

from reviewbot.models import PROPOSED_PREFIX, Comment, Review, Severity

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
NO_CHANGES = "no changes to review"


def is_empty(review: Review) -> bool:
    """True for the review of an empty diff: nothing found, reviewed or skipped."""
    extra_notes = set(review.notes) - {NO_CHANGES}
    return not (review.comments or review.skipped or review.files_reviewed or extra_notes)


def ordered(comments: Iterable[Comment]) -> list[Comment]:
    """Comments by path, then line, most severe first on the same line."""
    return sorted(comments, key=lambda c: (c.path, c.line, -c.severity.rank, c.source, c.title))


def by_file(comments: Iterable[Comment]) -> list[tuple[str, list[Comment]]]:
    """(path, comments) pairs in path order."""
    return [(path, list(group)) for path, group in groupby(ordered(comments), key=lambda c: c.path)]


def line_span(comment: Comment) -> str:
    if comment.end_line and comment.end_line != comment.line:
        return f"{comment.line}-{comment.end_line}"
    return str(comment.line)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def counts_phrase(review: Review) -> str:
    """ "2 errors, 1 warning, 0 info"."""
    counts = review.counts()
    return ", ".join(
        f"{counts[s.value]} info" if s is Severity.INFO else plural(counts[s.value], s.value) for s in SEVERITIES
    )


def reviewer_phrase(review: Review) -> str:
    if review.reviewer == "builtin":
        return "built-in reviewer"
    kind, _, model = review.reviewer.partition(":")
    if kind == "llm" and model:
        return f"LLM reviewer ({model}, {review.mode})" if review.mode else f"LLM reviewer ({model})"
    return f"{review.reviewer} reviewer"


def summary_line(review: Review) -> str:
    """One line: counts, files reviewed, files skipped, reviewer."""
    parts = [
        counts_phrase(review),
        f"{plural(review.files_reviewed, 'file')} reviewed",
    ]
    if review.skipped:
        parts.append(f"{len(review.skipped)} skipped")
    parts.append(reviewer_phrase(review))
    return " · ".join(parts)


def principle_ids(review: Review) -> list[str]:
    """The principles the comments follow from, sorted, each once."""
    return sorted({c.principle.id for c in review.comments})


def deeper_line(principle_id: str, command: Callable[[str], str] = str) -> str:
    """The closing line of a finding: how to ask one layer deeper (`command` styles the command)."""
    if principle_id.startswith(PROPOSED_PREFIX):
        return "A principle the reviewer proposed; it is not in the catalog yet, so there is no deeper layer to ask about."
    return f"Ask one layer deeper: {command(f'reviewbot why {principle_id}')}"
