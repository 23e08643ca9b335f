"""Ambient declarations in TypeScript: `declare namespace`, `declare module`, `declare global`.

Inside an ambient block nothing runs: every declaration describes something
that exists elsewhere, and unless the block has an `export { ... }` or
`export =` of its own, every member is exported (TypeScript's "export
context"). `declare namespace marked { let use: ... }` beside `function
marked` types and documents `marked.use` for callers, so "declared but never
used" does not apply to it. This module finds those blocks with a small
scanner that skips comments, strings, template literals and regular
expressions; an ambient block holds only declarations, so its braces are
the structure.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z_$][\w$]*")
_AMBIENT = re.compile(r"\s+(?:namespace|module|global)\b")
_OWN_EXPORTS = re.compile(r"\bexport\s*(?:\{|=)")  # `export { a }` / `export = x`: only those are exported
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {""}
_REGEX_AFTER_WORDS = frozenset({"return", "typeof", "case", "in", "of", "void", "delete", "throw", "new", "else",
                                "do", "yield", "await"})  # fmt: skip


def exported_ambient_blocks(text: str) -> list[tuple[int, int]]:
    """(opening brace, closing brace) character offsets of the ambient blocks whose members are all exported."""
    return [(start, end) for start, end in _ambient_blocks(text) if not _OWN_EXPORTS.search(text, start, end)]


def in_exported_ambient_block(text: str, byte_offset: int) -> bool:
    """Whether the UTF-8 byte offset (as linters report it) lies inside such a block."""
    if "declare" not in text:
        return False
    offset = len(text.encode("utf-8")[:byte_offset].decode("utf-8", "ignore"))
    return any(start < offset < end for start, end in exported_ambient_blocks(text))


def _ambient_blocks(text: str) -> list[tuple[int, int]]:
    blocks: list[tuple[int, int]] = []
    stack: list[tuple[bool, int]] = []
    i, pending, previous = 0, False, ""
    while i < len(text):
        char = text[i]
        skipped = _skip(text, i, previous)
        if skipped is not None:
            i, previous = skipped, "a"
            continue
        word = _WORD.match(text, i) if char.isalpha() or char in "_$" else None
        if word is not None:
            pending = pending or (word.group() == "declare" and _AMBIENT.match(text, word.end()) is not None)
            i, previous = word.end(), "(" if word.group() in _REGEX_AFTER_WORDS else "a"
            continue
        if char == "{":
            stack.append((pending, i))
            pending = False
        elif char == "}" and stack:
            ambient, start = stack.pop()
            if ambient:
                blocks.append((start, i))
        elif char == ";":
            pending = False  # `declare module "x";` has no body
        previous = char if not char.isspace() else previous
        i += 1
    return blocks


def _skip(text: str, i: int, previous: str) -> int | None:
    """The offset after a comment, string, template literal or regular expression starting at i; else None."""
    if text.startswith("//", i):
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if text.startswith("/*", i):
        end = text.find("*/", i + 2)
        return len(text) if end < 0 else end + 2
    char = text[i]
    if char in "'\"":
        return _skip_quoted(text, i, char)
    if char == "`":
        return _skip_template(text, i)
    if char == "/" and previous in _REGEX_AFTER:
        return _skip_regex(text, i)
    return None


def _skip_quoted(text: str, i: int, quote: str) -> int:
    j = i + 1
    while j < len(text) and text[j] not in (quote, "\n"):
        j += 2 if text[j] == "\\" else 1
    return j + 1


def _skip_template(text: str, i: int) -> int:
    j = i + 1
    while j < len(text) and text[j] != "`":
        if text[j] == "\\":
            j += 2
        elif text.startswith("${", j):
            j = _skip_expression(text, j + 2)
        else:
            j += 1
    return j + 1


def _skip_expression(text: str, j: int) -> int:
    """From inside `${`, the offset after its closing `}`."""
    depth, previous = 1, "("
    while j < len(text) and depth:
        skipped = _skip(text, j, previous)
        if skipped is not None:
            j, previous = skipped, "a"
            continue
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        previous = text[j] if not text[j].isspace() else previous
        j += 1
    return j


def _skip_regex(text: str, i: int) -> int:
    j, in_class = i + 1, False
    while j < len(text) and text[j] != "\n":
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == "/" and not in_class:
            break
        in_class = (in_class or text[j] == "[") and text[j] != "]"
        j += 1
    return j + 1
