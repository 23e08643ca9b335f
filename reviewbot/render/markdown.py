"""A Markdown report for a pull-request comment or a GitHub job summary.

Counts first, then one section per file; each comment shows what is wrong and
how to fix it, with the principle's why folded in a <details> block (GitHub
renders it; other viewers show it as text). Text from analyzers and models
passes through the one sanitiser (`reviewbot.markup`): no images, HTML, pings
or links out.
"""

from __future__ import annotations

from reviewbot.markup import code_span, one_line, sanitize
from reviewbot.markup import fenced as markup_fenced
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
    shown = {id(c): first for c, first in explanations(review.comments)}
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
        lines[-1] += f" · {one_line(options.target)}"
    return "\n".join(lines)


def _file_section(path: str, comments: list[Comment], shown: dict[int, Comment | None]) -> str:
    return "\n\n".join([f"### {code(path)}", *(_comment(c, shown.get(id(c))) for c in comments)])


def _comment(comment: Comment, first: Comment | None = None) -> str:
    head = (
        f"{ICONS[comment.severity]} **{comment.severity.value}** · line {line_span(comment)} · "
        f"**{one_line(comment.title)}** · {code(comment.source)}"
    )
    parts = [head, sanitize(comment.body)]
    if comment.suggestion is not None:
        parts.append(f"Suggested change:\n\n{fenced(comment.suggestion)}")
    parts.append(_why(comment) if first is None else f"Why ({one_line(comment.principle.name)}): see above, at "
                 f"{code(location(first))}.")  # fmt: skip
    return "\n\n".join(parts)


def _why(comment: Comment) -> str:
    p = comment.principle
    return (
        f"<details><summary>Why: {one_line(p.name)}</summary>\n\n{sanitize(p.why)}\n\n"
        f"{deeper_line(p.id, code)}\n\n</details>"
    )


def _skipped_section(review: Review) -> list[str]:
    if not review.skipped:
        return []
    items = "\n".join(f"- {code(s.path)}: {one_line(s.reason)}" for s in review.skipped)
    return [f"### Not reviewed\n\n{items}"]


def _notes_section(review: Review) -> list[str]:
    if not review.notes:
        return []
    return ["### Notes\n\n" + "\n".join(f"- {one_line(note)}" for note in review.notes)]


def code(text: str) -> str:
    """`text` as a code span, with enough backticks to hold any inside it."""
    return code_span(text)


def fenced(text: str) -> str:
    """A fenced code block that `text` cannot close early."""
    return markup_fenced(text.rstrip("\n"))
