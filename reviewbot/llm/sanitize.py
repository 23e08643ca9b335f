"""Model-written Markdown, clipped and made safe as soon as it is read (pure).

The rules are those of the one sanitiser, `reviewbot.markup.sanitize`; this
module adds the LLM reviewer's length limits and its rule for suggestions.
"""

from __future__ import annotations

from reviewbot.markup import has_command_line, one_line, sanitize

MAX_TITLE = 120
MAX_TEXT = 4000


def sanitize_text(text: str, limit: int = MAX_TEXT) -> str:
    """Sanitise a Markdown body (comment body, why, note) and clip it to `limit` characters."""
    return _clip(sanitize(_clip(text, limit * 2)), limit)


def sanitize_title(text: str) -> str:
    """One short line."""
    return _clip(one_line(text), MAX_TITLE)


def sanitize_suggestion(text: str | None) -> str | None:
    """Replacement code for a GitHub suggestion, or None when it cannot be posted byte for byte.

    A suggestion is applied as written, so it is never altered: one holding a
    fence (it could close its block) or a line starting with a slash command
    (a bot could obey it) is dropped instead.
    """
    if text is None or "```" in text or "~~~" in text or has_command_line(text):
        return None
    return text


def _clip(text: str, limit: int) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
