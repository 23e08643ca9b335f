"""The diff model: a unified diff as files, hunks and exact line maps.

Pure: diff text in, frozen values out. `parse_diff` accepts `git diff` output
(renames, copies, new/deleted, binary, mode-only, quoted paths, `--no-prefix`)
and plain `diff -u` output, and answers GitHub's question "may a review comment
sit on (path, line, side)?" exactly: RIGHT lines are the new-file numbers of
added and context lines inside a hunk, LEFT lines the old-file numbers of
deleted and context lines.

Parsing lives in `reviewbot.diffparse` (and file names in `reviewbot.diffnames`).
It makes no per-line objects: a parsed Hunk refers to its body in the input text
and builds its `lines` on first access, so parsing stays cheaper than unidiff's own full
parse (see bench/bench_diff.py).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from itertools import chain

from reviewbot.diffparse import (
    RawFile,
    RawHunk,
    Span,
    parse_files,
    span_lines,
    unpack_numbers,
)
from reviewbot.models import Side

__all__ = ["Diff", "DiffLine", "FileDiff", "FileStatus", "Hunk", "parse_diff"]


class FileStatus(str, Enum):
    ADDED = "added"
    DELETED = "deleted"
    MODIFIED = "modified"
    RENAMED = "renamed"
    COPIED = "copied"


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of a hunk: kind "+", "-" or " "; old/new numbers (None on the side it is absent from)."""

    kind: str
    old: int | None
    new: int | None
    text: str  # without the marker and without the line ending (a trailing \r is dropped too)


@dataclass(frozen=True, slots=True)
class Hunk:
    """One `@@ -old_start,old_length +new_start,new_length @@ section` block.

    Parsed hunks leave `lines` unset and refer privately to their body in the
    input text (and to their added/deleted numbers); `lines` is built on first
    access. Hunks built by hand pass `lines` like any dataclass.
    """

    old_start: int
    old_length: int
    new_start: int
    new_length: int
    section: str
    lines: tuple[DiffLine, ...]
    # set by the parser only (never copied by dataclasses.replace, so never stale):
    _body: Span | None = field(default=None, init=False, repr=False, compare=False)
    _added: bytes | None = field(default=None, init=False, repr=False, compare=False)  # packed numbers
    _deleted: bytes | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def _from_raw(cls, raw: RawHunk) -> Hunk:
        hunk = object.__new__(cls)
        for name, value in (("old_start", raw.old_start), ("old_length", raw.old_length),
                            ("new_start", raw.new_start), ("new_length", raw.new_length), ("section", raw.section),
                            ("_body", raw.body), ("_added", raw.added), ("_deleted", raw.deleted)):
            object.__setattr__(hunk, name, value)
        return hunk

    def __getattr__(self, name: str) -> tuple[DiffLine, ...]:  # only called for attributes that are not set
        body = getattr(self, "_body", None) if name == "lines" else None
        if body is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        lines = _diff_lines(span_lines(body), self.old_start, self.new_start)
        object.__setattr__(self, "lines", lines)
        return lines

    @property
    def header(self) -> str:
        section = f" {self.section}" if self.section else ""
        return f"@@ -{self.old_start},{self.old_length} +{self.new_start},{self.new_length} @@{section}"

    @property
    def old_range(self) -> range:
        """Old-file numbers of the deleted and context lines (the LEFT side)."""
        return range(self.old_start, self.old_start + self.old_length)

    @property
    def new_range(self) -> range:
        """New-file numbers of the added and context lines (the RIGHT side)."""
        return range(self.new_start, self.new_start + self.new_length)

    def contains(self, line: int, side: Side | str = Side.RIGHT) -> bool:
        return line in (self.new_range if _is_right(side) else self.old_range)

    @property
    def added_lines(self) -> frozenset[int]:
        return frozenset(self._numbers("+"))

    @property
    def deleted_lines(self) -> frozenset[int]:
        return frozenset(self._numbers("-"))

    def _numbers(self, kind: str) -> Sequence[int]:
        packed = self._added if kind == "+" else self._deleted
        if packed is None:
            numbers = ((line.new if kind == "+" else line.old) for line in self.lines if line.kind == kind)
            return [number for number in numbers if number is not None]
        return unpack_numbers(packed)

    def _added_texts(self) -> Iterator[tuple[int, str]]:
        body = self._body
        if body is None:
            return ((line.new, line.text) for line in self.lines if line.kind == "+" and line.new is not None)
        return _body_added_texts(span_lines(body), self.new_start)


@dataclass(frozen=True)
class FileDiff:
    """One file's change. `path` is the new path (the old one for deleted files)."""

    path: str
    old_path: str | None = None  # set for renamed and copied files only
    status: FileStatus = FileStatus.MODIFIED
    is_binary: bool = False
    old_mode: str | None = None  # git modes such as "100644"; None when the diff does not say
    new_mode: str | None = None
    hunks: tuple[Hunk, ...] = ()
    _added_lines: frozenset[int] | None = field(default=None, init=False, repr=False, compare=False)  # by the parser

    @property
    def added_lines(self) -> frozenset[int]:
        """New numbers of the added lines."""
        known = self._added_lines
        return known if known is not None else self._added_from_hunks

    @cached_property
    def _added_from_hunks(self) -> frozenset[int]:
        return frozenset(chain.from_iterable(hunk._numbers("+") for hunk in self.hunks))

    @cached_property
    def deleted_lines(self) -> frozenset[int]:
        """Old-file numbers of the deleted lines."""
        return frozenset(chain.from_iterable(hunk._numbers("-") for hunk in self.hunks))

    @property
    def changed_line_count(self) -> int:
        return len(self.added_lines) + len(self.deleted_lines)

    @property
    def mode_changed(self) -> bool:
        return None not in (self.old_mode, self.new_mode) and self.old_mode != self.new_mode

    def contains(self, line: int, side: Side | str = Side.RIGHT) -> bool:
        """GitHub's rule: RIGHT = an added or context line's new number, LEFT = a deleted or context line's old number."""
        return self.hunk_at(line, side) is not None

    def hunk_at(self, line: int, side: Side | str = Side.RIGHT) -> Hunk | None:
        """The hunk whose RIGHT (new) or LEFT (old) line range holds `line`."""
        starts, stops, hunks = self._side_index[_is_right(side)]
        i = bisect_right(starts, line) - 1
        return hunks[i] if i >= 0 and line < stops[i] else None

    def added_text(self, line: int) -> str | None:
        """The text of the added line with new number `line`, or None if that line was not added."""
        return self._added_text_map.get(line)

    @cached_property
    def _added_text_map(self) -> dict[int, str]:
        return dict(chain.from_iterable(hunk._added_texts() for hunk in self.hunks))

    @cached_property
    def _side_index(self) -> tuple[tuple[tuple[int, ...], tuple[int, ...], tuple[Hunk, ...]], ...]:
        """For LEFT (index 0) and RIGHT (index 1): starts, stops and hunks of the non-empty ranges, sorted."""
        index = []
        for side in (Side.LEFT, Side.RIGHT):
            spans = sorted(((_side_range(hunk, side), n) for n, hunk in enumerate(self.hunks)
                            if _side_range(hunk, side)), key=lambda pair: pair[0].start)
            index.append((tuple(span.start for span, _ in spans), tuple(span.stop for span, _ in spans),
                          tuple(self.hunks[n] for _, n in spans)))
        return tuple(index)


@dataclass(frozen=True)
class Diff:
    """All files of a diff, in input order; iterable and sized."""

    files: tuple[FileDiff, ...] = ()

    def __iter__(self) -> Iterator[FileDiff]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(file.path for file in self.files)

    def file(self, path: str) -> FileDiff | None:
        return self._by_path.get(path)

    def contains(self, path: str, line: int, side: Side | str = Side.RIGHT) -> bool:
        file = self.file(path)
        return file is not None and file.contains(line, side)

    @property
    def changed_line_count(self) -> int:
        return sum(file.changed_line_count for file in self.files)

    @cached_property
    def _by_path(self) -> dict[str, FileDiff]:
        by_path: dict[str, FileDiff] = {}
        for file in self.files:
            by_path.setdefault(file.path, file)
        return by_path


def _is_right(side: Side | str) -> bool:
    if side == "RIGHT":
        return True
    if side == "LEFT":
        return False
    raise ValueError(f"side must be RIGHT or LEFT, not {side!r}")


def _side_range(hunk: Hunk, side: Side) -> range:
    return hunk.new_range if side is Side.RIGHT else hunk.old_range


# --- hunk bodies: raw text ("+x\n-y\n z\n\\ No newline...") -> numbers and text


def _text(raw: str) -> str:
    return raw[1:].removesuffix("\r")


def _diff_lines(body: list[str], old: int, new: int) -> tuple[DiffLine, ...]:
    lines = []
    for raw in body:
        kind = raw[:1]
        if kind == "+":
            lines.append(DiffLine("+", None, new, _text(raw)))
            new += 1
        elif kind == "-":
            lines.append(DiffLine("-", old, None, _text(raw)))
            old += 1
        elif kind != "\\":  # " ", or an empty line some tools leave for an empty context line
            lines.append(DiffLine(" ", old, new, _text(raw)))
            old += 1
            new += 1
    return tuple(lines)


def _body_added_texts(body: list[str], number: int) -> Iterator[tuple[int, str]]:
    for raw in body:
        marker = raw[:1]
        if marker == "+":
            yield number, _text(raw)
            number += 1
        elif marker != "-" and marker != "\\":
            number += 1


# --- parsing: see reviewbot.diffparse


def parse_diff(data: str | bytes) -> Diff:
    """Parse `git diff` or `diff -u` output; raise DiffParseError(line, detail) if it is malformed.

    Accepts str or bytes (bytes that are not UTF-8 survive as lone surrogates:
    `text.encode("utf-8", "surrogateescape")` gives them back). Empty input is an empty Diff.
    """
    return Diff(tuple(_file_diff(raw) for raw in parse_files(data)))


def _file_diff(raw: RawFile) -> FileDiff:
    meta = {**raw.meta, "status": FileStatus(raw.meta["status"])}
    file = FileDiff(hunks=tuple(Hunk._from_raw(hunk) for hunk in raw.hunks), **meta)
    object.__setattr__(file, "_added_lines", raw.added)
    return file
