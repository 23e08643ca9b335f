"""GitHub Actions workflow commands: one annotation per comment.

    ::error file=app.py,line=12,endLine=14,title=Mutable default argument::message

Errors become `::error`, warnings `::warning`, info `::notice`. Escaping
follows the workflow-command format: in the message `%`, CR and LF are
percent-encoded; in property values also `:` and `,`.
"""

from __future__ import annotations

from reviewbot.models import Comment, Review, Severity
from reviewbot.render import RenderOptions
from reviewbot.render.common import deeper_line, explanations, see_above, summary_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(review: Review, options: RenderOptions) -> str:
    lines = [_annotation(c, first) for c, first in explanations(review.comments)]
    lines += [
        command("warning", f"not reviewed: {s.reason}", file=s.path, title="reviewbot skipped") for s in review.skipped
    ]
    lines += [command("notice", note, title="reviewbot") for note in review.notes]
    lines.append(f"reviewbot: {summary_line(review)}")
    return "\n".join(lines) + "\n"


def _annotation(comment: Comment, first: Comment | None = None) -> str:
    props: dict[str, object] = {"file": comment.path, "line": comment.line}
    if comment.end_line and comment.end_line > comment.line:
        props["endLine"] = comment.end_line
    props["title"] = f"{comment.title} [{comment.source}]"
    return command(COMMANDS[comment.severity], _message(comment, first), **props)


def _message(comment: Comment, first: Comment | None = None) -> str:
    p = comment.principle
    why = see_above(p.name, first) if first is not None else f"Why ({p.name}): {p.why}\n{deeper_line(p.id)}"
    text = f"{comment.body}\n\n{why}"
    if comment.suggestion is not None:
        text += f"\n\nSuggested replacement:\n{comment.suggestion}"
    return text


def command(name: str, message: str, **properties: object) -> str:
    """One workflow command line, `::name key=value,...::message`, escaped."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Percent-encode what the command format needs, then show any other control character as an escape."""
    from reviewbot.visible import visible

    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
