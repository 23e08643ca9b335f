"""Implicitly joined strings in a collection: a missing comma, or one item split over lines?

ruff's ISC004 reports every implicit concatenation inside a list, tuple or set
literal. A missing comma has a shape: the collection's items are one-line
strings, and one line of such an item ends without its comma, so the next
line's string, starting at the same column as the item, is joined to it. A
long message split over lines on purpose looks different: its pieces break
mid-text (one ends or the next begins with a space), or every item of the
collection is split the same way. The pieces are read with `tokenize`: `ast`
keeps only the joined value.
"""

from __future__ import annotations

import ast
import io
import itertools
import tokenize
from dataclasses import dataclass

from reviewbot.review.pyfacts import PySource

_COLLECTIONS = (ast.List, ast.Tuple, ast.Set)
_STRINGS = (ast.Constant, ast.JoinedStr)
_OPENERS = {tokenize.STRING, *(getattr(tokenize, name) for name in ("FSTRING_START", "TSTRING_START")
                               if hasattr(tokenize, name))}  # fmt: skip
_CLOSERS = {tokenize.STRING, *(getattr(tokenize, name) for name in ("FSTRING_END", "TSTRING_END")
                               if hasattr(tokenize, name))}  # fmt: skip


@dataclass(frozen=True)
class Piece:
    line: int  # 1-based, in the file
    column: int  # 0-based character column of the opening quote or prefix
    end_line: int
    text: str  # the piece as written, prefix and quotes included


def pieces(source: PySource, node: ast.expr) -> list[Piece]:
    """The string literals that make up `node` as written (one for a plain string)."""
    segment = ast.get_source_segment(source.text, node, padded=True)
    if segment is None:
        return []
    found: list[Piece] = []
    depth, start = 0, None
    try:
        # inside brackets a line break is not a statement's end, so any indentation of the pieces reads
        tokens = list(tokenize.generate_tokens(io.StringIO(f"(\n{segment}\n)").readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    for token in tokens:
        if token.type in _OPENERS and depth == 0:
            start = token
        if token.type in _OPENERS and token.type != tokenize.STRING:
            depth += 1
        if token.type in _CLOSERS and token.type != tokenize.STRING:
            depth -= 1
        if token.type in _CLOSERS and depth == 0 and start is not None:
            found.append(_piece(node.lineno, start, token, segment))
            start = None
    return found


def _piece(first_line: int, start: tokenize.TokenInfo, end: tokenize.TokenInfo, segment: str) -> Piece:
    """The piece from `start` to `end`, tokens of the segment wrapped as "(\n" + segment + "\n)"."""
    first, last = start.start[0] - 1, end.end[0] - 1  # 1-based rows in the wrapped text: minus the "(" line
    lines = segment.splitlines()[first - 1 : last]
    lines[-1] = lines[-1][: end.end[1]]
    lines[0] = lines[0][start.start[1] :]
    return Piece(first_line + first - 1, start.start[1], first_line + last - 1, "\n".join(lines))


def split_item_not_a_missing_comma(path: str, source: PySource, node: ast.AST) -> str | None:
    """ISC004: None when the joined string looks like two items; else why it is one item split over lines."""
    element = next((a for a in (node, *source.ancestors(node)) if isinstance(a, _STRINGS)
                    and isinstance(source.parents.get(a), _COLLECTIONS)), None)  # fmt: skip
    if element is None or not isinstance(element, ast.expr):
        return None
    collection = source.parents[element]
    assert isinstance(collection, _COLLECTIONS)
    parts = pieces(source, element)
    others = [item for item in collection.elts if item is not element]
    one_line_items = bool(others) and all(isinstance(i, _STRINGS) and i.lineno == i.end_lineno for i in others)
    if len(parts) < 2:
        return None  # the pieces cannot be read: reported as ruff says
    if not others:
        return "the collection holds this one string, split over lines"
    if not one_line_items:
        return "the other items are not one-line strings, so nothing shows that a comma is missing"
    for before, after in itertools.pairwise(parts):
        if after.line > before.end_line and after.column == parts[0].column and not _continues(before, after):
            return None
    return "the string is one item split over lines mid-text, not two items"


def _continues(before: Piece, after: Piece) -> bool:
    """The text runs on across the break: a space ends the first piece or begins the next."""
    closing = before.text.rstrip("'\"")
    opening = after.text.lstrip("rRbBuUfFtT").lstrip("'\"")
    return closing.endswith(" ") or opening.startswith(" ")
