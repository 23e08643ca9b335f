"""The terminal report (rich): grouped by file, each comment with its why.

Colour is decided by the caller (a TTY, NO_COLOR, FORCE_COLOR); this module
never looks at the environment: rich is handed an empty one.
"""

from __future__ import annotations

import re
from io import StringIO

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from reviewbot.models import Comment, Review, Severity
from reviewbot.render import RenderOptions
from reviewbot.render.common import (
    NO_CHANGES,
    by_file,
    deeper_line,
    explanations,
    is_empty,
    line_span,
    see_above,
    summary_line,
)

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold cyan"}
LABEL_WIDTH = max(len(s.value) for s in Severity)
_TRAILING_SPACE = re.compile(r" +((?:\x1b\[[0-9;]*m)*)(?=\n?$)")  # padding rich adds to block lines


def render(review: Review, options: RenderOptions) -> str:
    buffer = StringIO()
    console = Console(
        file=buffer,
        width=options.width,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        highlight=False,
        emoji=False,
        _environ={},
    )
    for block in blocks(review, options):
        console.print(block)
    return "".join(_TRAILING_SPACE.sub(r"\1", line) for line in buffer.getvalue().splitlines(keepends=True))


def blocks(review: Review, options: RenderOptions) -> list[RenderableType]:
    """Everything to print, top to bottom."""
    if is_empty(review):
        return [Text(f"reviewbot: {NO_CHANGES}", style="bold")]
    parts: list[RenderableType] = []
    if options.target:
        parts += [Text(f"Reviewed {options.target}", style="dim"), Text()]
    shown = {id(c): first for c, first in explanations(review.comments)}
    for path, comments in by_file(review.comments):
        parts += [_file_block(path, comments, shown), Text()]
    parts += _list_block("Not reviewed", [f"{s.path}: {s.reason}" for s in review.skipped])
    parts += _list_block("Notes", list(review.notes))
    parts.append(_summary(review))
    return parts


def _file_block(path: str, comments: list[Comment], shown: dict[int, Comment | None]) -> RenderableType:
    return Group(Text(path, style="bold underline"), *(_comment(c, shown.get(id(c))) for c in comments))


def _comment(comment: Comment, first: Comment | None = None) -> RenderableType:
    head = Text("  ")
    head.append(comment.severity.value.ljust(LABEL_WIDTH), style=STYLES[comment.severity])
    head.append(f"  line {line_span(comment)}  ", style="dim")
    head.append(comment.title, style="bold")
    head.append(f"  [{comment.source}]", style="dim")
    return Group(head, Padding(Group(*_details(comment, first)), (0, 0, 0, LABEL_WIDTH + 4), expand=False))


def _details(comment: Comment, first: Comment | None = None) -> list[RenderableType]:
    p = comment.principle
    parts: list[RenderableType] = [Text(comment.body)]
    if comment.suggestion is not None:
        parts += [
            Text("Suggested change:", style="green"),
            Padding(Text(comment.suggestion), (0, 0, 0, 2), expand=False),
        ]
    if first is not None:
        return [*parts, Text(see_above(p.name, first), style="magenta")]
    why = Text()
    why.append("Why", style="bold magenta")
    why.append(f" ({p.name}): ", style="magenta")
    why.append(p.why)
    parts += [why, Text(deeper_line(p.id), style="dim")]
    return parts


def _list_block(title: str, items: list[str]) -> list[RenderableType]:
    if not items:
        return []
    lines: list[RenderableType] = [Text(title, style="bold")]
    lines += [Padding(Text(f"- {item}"), (0, 0, 0, 2), expand=False) for item in items]
    return [Group(*lines), Text()]


def _summary(review: Review) -> RenderableType:
    worst = review.worst()
    style = STYLES[worst] if worst is not None else "bold green"
    text = Text("reviewbot: ", style="bold")
    text.append(summary_line(review), style=style)
    return text
