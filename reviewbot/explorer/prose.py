"""The small part of Markdown the principle texts use, as HTML: paragraphs, `code`, fenced blocks.

Principle data is reviewbot's own curated text, but it is escaped like any other
text: nothing in it becomes markup except code spans and fenced code blocks.
"""

from __future__ import annotations

import html
import re

_FENCE = re.compile(r"^```([\w+#-]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def inline(text: str) -> str:
    """One line of prose: escaped, with `code spans` as <code>."""
    parts = _CODE_SPAN.split(text)
    return "".join(
        f"<code>{html.escape(part)}</code>" if index % 2 else html.escape(part)
        for index, part in enumerate(parts)
    )


def block(text: str) -> str:
    """Several paragraphs and fenced code blocks."""
    out, position = [], 0
    for match in _FENCE.finditer(text):
        out += _paragraphs(text[position:match.start()])
        out.append(code_block(match.group(2), match.group(1) or None))
        position = match.end()
    out += _paragraphs(text[position:])
    return "\n".join(out)


def code_block(code: str, language: str | None = None) -> str:
    label = f' data-language="{html.escape(language)}"' if language else ""
    return f"<pre{label}><code>{html.escape(code.rstrip())}</code></pre>"


def _paragraphs(text: str) -> list[str]:
    chunks = [" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", text)]
    return [f"<p>{inline(chunk)}</p>" for chunk in chunks if chunk]
