"""Rendering a Review as text, JSON, SARIF, Markdown or GitHub workflow commands.

Renderers are pure: a Review and options in, a string out. Each format lives
in its own module and is imported only when asked for, so the command line
pays for `rich` only when it prints text.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewbot.models import Review

FORMATS = ("text", "json", "sarif", "markdown", "github")
SHOWN_AS_TEXT = frozenset({"text", "markdown", "github"})  # raw text that can reach a terminal or a log
_MODULES = {
    "text": "reviewbot.render.text",
    "json": "reviewbot.render.json_report",
    "sarif": "reviewbot.render.sarif",
    "markdown": "reviewbot.render.markdown",
    "github": "reviewbot.render.annotations",
}


@dataclass(frozen=True)
class RenderOptions:
    color: bool = False  # text only: ANSI colours
    width: int = 100  # text only: wrap width
    target: str | None = None  # what was reviewed, e.g. "working tree against main (merge-base 1a2b3c)"
    version: str = ""  # the reviewbot version for tool metadata


def render(review: Review, fmt: str, options: RenderOptions | None = None) -> str:
    """`review` in format `fmt` (one of FORMATS), ending with a newline."""
    if fmt not in _MODULES:
        raise ValueError(f"unknown format {fmt!r} (choose from: {', '.join(FORMATS)})")
    module = import_module(_MODULES[fmt])
    options = options or RenderOptions()
    if fmt in SHOWN_AS_TEXT:
        review, options = _visible(review, options)
    text: str = module.render(review, options)
    return text


def _visible(review: Review, options: RenderOptions) -> tuple[Review, RenderOptions]:
    """Control characters in every text field made visible (JSON and SARIF escape them already)."""
    from dataclasses import replace

    from reviewbot.visible import visible, visible_review

    target = None if options.target is None else visible(options.target, one_line=True)
    return visible_review(review), replace(options, target=target)
