"""The review body: what was found, which principles, what was skipped, how to ask why.

Everything untrusted is sanitized (see `reviewbot.markup`); the only
HTML in the body is the hidden markers of comments that had to be moved into
it, each starting its own section so `read_markers` finds them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reviewbot.markup import code_span, one_line
from reviewbot.models import Comment, Kind, Severity, Skipped
from reviewbot.pullrequest.comments import SEVERITY_LABEL, comment_body, principle_name
from reviewbot.pullrequest.incremental import FULL, Scope
from reviewbot.pullrequest.markers import Marker

MAX_BODY = 60_000  # GitHub refuses bodies over 65,536 characters
HEADING = "### reviewbot"  # every review body starts with it
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
MOVED_NOTE = {
    "off-diff": "These findings are on lines GitHub cannot comment on (outside the diff's hunks), so they are listed here.",
    "rejected": (
        "GitHub refused to place these comments on the diff (the pull request probably changed while it was "
        "being reviewed), so they are listed here instead."
    ),
}


@dataclass(frozen=True)
class Moved:
    """A finding shown in the review body instead of on the diff."""

    comment: Comment
    marker: Marker


@dataclass(frozen=True)
class Summary:
    """Everything the review body reports."""

    comments: tuple[Comment, ...]  # every finding of this review, inline or moved
    moved: tuple[Moved, ...] = ()
    moved_reason: str = "off-diff"
    repeated: int = 0  # findings already on the pull request, not posted again
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = ()
    statements: Mapping[str, str] | None = None  # principle id -> one-line statement
    to_learn: tuple[tuple[str, str], ...] = ()  # (id, name) new to the author, in teaching order
    scope: Scope = FULL
    files_reviewed: int = 0
    reviewer: str = "builtin"
    commands: bool = True  # whether `@<slug> review` and `@<slug> help` are answered (the App, not the Action)
    explorer_url: str | None = None  # principle names link to their explorer pages under this address


def render_body(summary: Summary, slug: str) -> str:
    """The markdown body of the review."""
    sections = [
        _counts(summary),
        _principles(summary),
        _bullets("What you can learn from this change",
                 [f"{principle_name(pid, name, summary.explorer_url)} ({code_span(pid)})" for pid, name in summary.to_learn]),
        _bullets("Not reviewed", [f"{code_span(s.path)}: {one_line(s.reason)}" for s in summary.skipped]),
        _bullets("Notes", [one_line(note) for note in summary.notes]),
        _ask_why(slug, summary.commands),
    ]
    body = "\n\n".join(s for s in sections if s)
    return body + _moved(summary, MAX_BODY - len(body))


def _counts(summary: Summary) -> str:
    total = len(summary.comments)
    counts = {s: sum(c.severity is s for c in summary.comments) for s in SEVERITIES}
    found = " · ".join(f"{SEVERITY_LABEL[s]}: {counts[s]}" for s in SEVERITIES)
    questions = sum(c.kind is Kind.QUESTION for c in summary.comments)
    asked = f" · {questions} of them {'are questions' if questions != 1 else 'is a question'}" if questions else ""
    head = (
        f"**{total} finding{'s' * (total != 1)}** — {found}{asked}"
        if total
        else "**No findings** in the reviewed changes."
    )
    lines = [HEADING, head, _scope_line(summary)]
    if summary.repeated:
        lines.append(
            f"{summary.repeated} finding{'s' * (summary.repeated != 1)} already commented on are not repeated."
        )
    return "\n\n".join(line for line in lines if line)


def _scope_line(summary: Summary) -> str:
    reviewer = "the built-in reviewer" if summary.reviewer == "builtin" else code_span(summary.reviewer)
    files = f"{summary.files_reviewed} file{'s' * (summary.files_reviewed != 1)}"
    if summary.scope.full:
        return f"Reviewed {files} with {reviewer}."
    return f"Reviewed only the {one_line(summary.scope.reason)} ({files}) with {reviewer}."


def _principles(summary: Summary) -> str:
    statements = summary.statements or {}
    seen: dict[str, str] = {}
    for comment in summary.comments:
        seen.setdefault(comment.principle.id, comment.principle.name)
    items = [
        f"{principle_name(pid, name, summary.explorer_url)} ({code_span(pid)}): {one_line(statements.get(pid, ''))}".rstrip(": ")
        for pid, name in sorted(seen.items())
    ]
    return _bullets("Principles this pull request touches", items)


def _bullets(title: str, items: list[str]) -> str:
    return f"#### {title}\n\n" + "\n".join(f"- {item}" for item in items) if items else ""


def _ask_why(slug: str, commands: bool = True) -> str:
    text = (
        "#### Ask why\n\nEvery comment names the principle it follows from. Reply **why?** in a comment's "
        "thread to go one layer deeper, toward first principles (**simpler** and **example** work too)."
    )
    if not commands:
        return text
    return text + f" Comment `@{slug} review` to review again, `@{slug} help` for all commands."


def _moved(summary: Summary, room: int) -> str:
    if not summary.moved:
        return ""
    text = f"\n\n#### Comments not on the diff\n\n{MOVED_NOTE[summary.moved_reason]}\n"
    firsts = first_explained(m.comment for m in summary.moved)
    for index, moved in enumerate(summary.moved):
        body = comment_body(moved.comment, moved.marker, located=True, explorer_url=summary.explorer_url,
                            first=firsts.get(id(moved.comment)))  # fmt: skip
        entry = "\n" + body + "\n"
        if len(text) + len(entry) > room:
            return text + f"\n…and {len(summary.moved) - index} more not shown (the body is full).\n"
        text += entry
    return text


def first_explained(comments: Iterable[Comment]) -> dict[int, Comment]:
    """Explain once: for each comment (by id) after the first on its principle, in the order
    given (the order a reader meets them), that first comment."""
    first: dict[str, Comment] = {}
    later = {}
    for comment in comments:
        if comment.principle.id in first:
            later[id(comment)] = first[comment.principle.id]
        first.setdefault(comment.principle.id, comment)
    return later
