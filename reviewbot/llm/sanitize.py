"""Make model-written Markdown safe to show and to post (pure).

Nothing the model writes reaches a reader unchanged: images and raw HTML are
removed, @-mentions are put in code spans so they notify no one, and lines
that a bot would read as a slash command (`/approve`, `/merge`, ...) are
defused. Fenced code keeps its text (GitHub renders it literally) except
that slash-command lines are indented so they no longer start a line.
"""

from __future__ import annotations

import re

from reviewbot.markup import outside_code_spans

MAX_TITLE = 120
MAX_TEXT = 4000

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_IMAGE = re.compile(r"!\[([^\]]*)\]\s*(\([^)]*\)|\[[^\]]*\])")
_HTML = re.compile(r"<!--.*?(-->|$)|</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>", re.DOTALL)
_MENTION = re.compile(r"(?<![\w`/.@-])@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9_.-]+)?)")
_COMMAND = re.compile(r"^(\s*(?:>\s*)*)(/[A-Za-z][\w-]*)(?=\s|$)")


def sanitize_text(text: str, limit: int = MAX_TEXT) -> str:
    """Sanitise a Markdown body (comment body, why, note)."""
    lines, inside_fence = [], False
    for line in _clip(text, limit).splitlines():
        if _FENCE.match(line):
            inside_fence = not inside_fence
            lines.append(_defuse_command(line, fenced=True))
        elif inside_fence:
            lines.append(_defuse_command(line, fenced=True))
        else:
            lines.append(_sanitize_prose(line))
    return _clip("\n".join(lines).strip(), limit)


def sanitize_title(text: str) -> str:
    """One short line of plain text."""
    return sanitize_text(" ".join(text.split()), MAX_TITLE).replace("\n", " ")


def sanitize_suggestion(text: str | None) -> str | None:
    """Replacement code for a GitHub suggestion, or None when it cannot be made safe.

    A suggestion is shown inside a fenced block, so only a fence inside it
    could break out; such suggestions are dropped rather than altered.
    """
    if text is None or "```" in text or "~~~" in text:
        return None
    return "\n".join(_defuse_command(line, fenced=True) for line in text.splitlines())


def _sanitize_prose(line: str) -> str:
    return _defuse_command(outside_code_spans(line, _clean_prose_piece), fenced=False)


def _clean_prose_piece(text: str) -> str:
    text = _IMAGE.sub(lambda m: m.group(1) or "image", text)
    text = _HTML.sub("", text)
    return _MENTION.sub(lambda m: f"`@{m.group(1)}`", text)


def _defuse_command(line: str, fenced: bool) -> str:
    match = _COMMAND.match(line)
    if not match:
        return line
    lead, command = match.group(1), match.group(2)
    rest = line[match.end():]
    return f" {line}" if fenced else f"{lead}`{command}`{rest}"


def _clip(text: str, limit: int) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
