"""A Markdown report for a pull-request comment or a GitHub job summary.

Counts first, then one section per file; each comment shows what is wrong and
how to fix it, with the principle's why folded in a <details> block (GitHub
renders it; other viewers show it as text). Text from analyzers and models is
escaped so it cannot inject HTML, except inside `code spans`.
"""

from __future__ import annotations

import re

from reviewbot.markup import outside_code_spans
from reviewbot.models import Comment, Review, Severity
from reviewbot.render import RenderOptions
from reviewbot.render.common import (
    by_file,
    counts_phrase,
    coverage_phrase,
    deeper_line,
    explanations,
    line_span,
    location,
    plural,
    reviewer_phrase,
)

ICONS = {Severity.ERROR: "🔴", Severity.WARNING: "🟡", Severity.INFO: "🔵"}


def render(review: Review, options: RenderOptions) -> str:
    parts = [_header(review, options)]
    shown = dict((id(c), first) for c, first in explanations(review.comments))
    parts += [_file_section(path, comments, shown) for path, comments in by_file(review.comments)]
    if not review.comments:
        parts.append(f"✅ No problems found in {plural(review.files_reviewed, 'file')}.")
    parts += _skipped_section(review) + _notes_section(review)
    return "\n\n".join(parts) + "\n"


def _header(review: Review, options: RenderOptions) -> str:
    details = [coverage_phrase(review)]
    if review.skipped:
        details.append(f"{len(review.skipped)} skipped")
    details.append(reviewer_phrase(review))
    lines = [f"## reviewbot: {counts_phrase(review)}", "", " · ".join(details)]
    if options.target:
        lines[-1] += f" · {escape(options.target)}"
    return "\n".join(lines)


def _file_section(path: str, comments: list[Comment], shown: dict[int, Comment | None]) -> str:
    return "\n\n".join([f"### {code(path)}", *(_comment(c, shown.get(id(c))) for c in comments)])


def _comment(comment: Comment, first: Comment | None = None) -> str:
    head = (
        f"{ICONS[comment.severity]} **{comment.severity.value}** · line {line_span(comment)} · "
        f"**{escape(comment.title)}** · {code(comment.source)}"
    )
    parts = [head, escape(comment.body)]
    if comment.suggestion is not None:
        parts.append(f"Suggested change:\n\n{fenced(comment.suggestion)}")
    parts.append(_why(comment) if first is None else f"Why ({escape(comment.principle.name)}): see above, at "
                 f"{code(location(first))}.")  # fmt: skip
    return "\n\n".join(parts)


def _why(comment: Comment) -> str:
    p = comment.principle
    return (
        f"<details><summary>Why: {escape(p.name)}</summary>\n\n{escape(p.why)}\n\n"
        f"{deeper_line(p.id, code)}\n\n</details>"
    )


def _skipped_section(review: Review) -> list[str]:
    if not review.skipped:
        return []
    items = "\n".join(f"- {code(s.path)}: {escape(s.reason)}" for s in review.skipped)
    return [f"### Not reviewed\n\n{items}"]


def _notes_section(review: Review) -> list[str]:
    if not review.notes:
        return []
    return ["### Notes\n\n" + "\n".join(f"- {escape(note)}" for note in review.notes)]


def escape(text: str) -> str:
    """HTML-escape `<`, `>` and `&` outside code spans; code spans stay verbatim."""
    return outside_code_spans(text, _html)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code(text: str) -> str:
    """`text` as a code span, with enough backticks to hold any inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fenced(text: str) -> str:
    """A fenced code block that `text` cannot close early."""
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}\n{text.rstrip(chr(10))}\n{fence}"
