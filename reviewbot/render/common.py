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


def location(comment: Comment) -> str:
    """ "path:12" or "path:12-14"."""
    return f"{comment.path}:{line_span(comment)}"


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


# Analyzers that only check the diff's lines (no parsing of the language): a file only they
# examined has had "diff checks only".
LINE_CHECKS = frozenset({"secrets", "diff"})


def coverage_phrase(review: Review) -> str:
    """ "12 files: 3 reviewed by ruff, 9 with diff checks only" (from the review's per-file coverage)."""
    if not review.coverage:
        return f"{plural(review.files_reviewed, 'file')} reviewed"
    by_analyzer: dict[str, int] = {}
    line_only = unexamined = 0
    for entry in review.coverage:
        deep = [a for a in entry.analyzers if a not in LINE_CHECKS]
        for name in deep:
            by_analyzer[name] = by_analyzer.get(name, 0) + 1
        line_only += bool(entry.analyzers) and not deep
        unexamined += not entry.analyzers
    parts = [f"{count} reviewed by {name}" for name, count in sorted(by_analyzer.items(), key=lambda kv: -kv[1])]
    parts += [f"{line_only} with diff checks only"] if line_only else []
    parts += [f"{unexamined} not examined"] if unexamined else []
    return f"{plural(len(review.coverage), 'file')}: {', '.join(parts)}"


def explanations(comments: Iterable[Comment]) -> list[tuple[Comment, Comment | None]]:
    """Explain once per review: each comment in report order, with the earlier comment that
    already carries its principle's why (None for the first comment on a principle)."""
    first: dict[str, Comment] = {}
    out = []
    for comment in ordered(comments):
        out.append((comment, first.get(comment.principle.id)))
        first.setdefault(comment.principle.id, comment)
    return out


def see_above(principle_name: str, first: Comment) -> str:
    """The one line a later comment on the same principle carries instead of the why."""
    return f"Why ({principle_name}): see above, at {location(first)}."


def summary_line(review: Review) -> str:
    """One line: counts, files reviewed (and by what), files skipped, reviewer."""
    parts = [
        counts_phrase(review),
        coverage_phrase(review),
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
