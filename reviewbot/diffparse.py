"""How diff text becomes files and hunks: the parsing half of `reviewbot.diffmodel`.

The text is cut into one chunk per `diff --git` section (unidiff starts afresh
at each, so the files found are the same, and the working set stays small). unidiff,
in its metadata mode, validates each chunk and finds its files and hunk headers;
one pass over the chunk's lines then finds each hunk's body and its added and
deleted line numbers. A body is kept as a span of the input text (no copy) and
the numbers as packed bytes: parsing makes no per-line objects (`diffmodel.Hunk.lines`
builds them on demand) and few objects the garbage collector has to visit.

Every problem is a DiffParseError naming the 1-based line of the whole input.
unidiff skips some broken input silently; those cases are checked here: hunk
headers that do not parse, added/deleted lines right after a complete hunk,
overlapping hunks, combined (merge) diffs, and text that holds no diff at all.
"""

from __future__ import annotations

import io
import re
from array import array
from collections.abc import Iterator, Sequence
from itertools import chain, islice, pairwise
from operator import length_hint
from typing import Any, Final, NamedTuple

from reviewbot.diffnames import git_meta, plain_meta
from reviewbot.errors import DiffParseError

Span = tuple[str, int, int]  # (text, start, end): a stretch of the input text, kept by reference


def span_lines(span: Span) -> list[str]:
    """The lines of a stretch of text, without their line endings."""
    text, start, end = span
    lines = text[start:end].split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def unpack_numbers(packed: bytes) -> memoryview[int]:
    """The line numbers packed by `_pack`, as a sequence of ints."""
    return memoryview(packed).cast(_NUMBER)


_NUMBER: Final = "q"  # line numbers are packed as native 64-bit ints
_MAX_LINE = 2**31  # no file has this many lines
_TOO_LARGE = "a number in the hunk header is too large"


class RawHunk(NamedTuple):
    old_start: int
    old_length: int
    new_start: int
    new_length: int
    section: str
    body: Span  # the hunk's lines as they stand in the input, "\\ No newline" markers included
    added: bytes  # new numbers of the "+" lines, packed (see unpack_numbers)
    deleted: bytes  # old numbers of the "-" lines, packed


class RawFile(NamedTuple):
    meta: dict[str, Any]  # FileDiff fields; "status" is a FileStatus value
    hunks: tuple[RawHunk, ...]
    added: frozenset[int]  # new numbers of all added lines (made here, while they are at hand)


def parse_files(data: str | bytes) -> Iterator[RawFile]:
    """The files of a unified diff, one by one; none for empty input; DiffParseError if it is malformed."""
    text = _normalize(_decode(data))
    if not text or text.isspace():
        return
    found = False
    for first_line, start, end in _chunks(text):
        for file in _parse_chunk(text, start, end, first_line):
            found = True
            yield file
    if not found:
        raise DiffParseError(1, "not a unified diff")


def _decode(data: str | bytes) -> str:
    if isinstance(data, str):
        return data
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"parse_diff() takes str or bytes, not {type(data).__name__}")
    data = bytes(data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DiffParseError(1, "the input starts with a UTF-16 byte-order mark but is not UTF-16") from None
    return data.decode("utf-8", "surrogateescape")  # lossless: undecodable bytes become lone surrogates


def _normalize(text: str) -> str:
    """Drop a byte-order mark; undo a whole-diff CRLF conversion (its first line ends in \\r\\n)."""
    text = text.removeprefix("\ufeff")
    first_end = text.find("\n")
    if first_end > 0 and text[first_end - 1] == "\r":
        text = text.replace("\r\n", "\n")
    return text


def _line_starts(text: str, prefix: str) -> Iterator[int]:
    """Offsets of the lines of `text` that start with `prefix`."""
    if text.startswith(prefix):
        yield 0
    needle = "\n" + prefix
    offset = text.find(needle)
    while offset >= 0:
        yield offset + 1
        offset = text.find(needle, offset + 1)


def _chunks(text: str) -> Iterator[tuple[int, int, int]]:
    """(number of the chunk's first line, its start, its end): one chunk per `diff --git` section.

    unidiff starts afresh at every `diff --git` line, so parsing the chunks one by
    one gives the same files as parsing the whole text, with a far smaller working set.
    """
    starts = [0, *(offset for offset in _line_starts(text, "diff --git ") if offset), len(text)]
    first_line = 1
    for start, end in pairwise(starts):
        yield first_line, start, end
        first_line += text.count("\n", start, end)


def _parse_chunk(text: str, start: int, end: int, first_line: int) -> list[RawFile]:
    chunk = text[start:end]
    lines = io.StringIO(chunk).readlines()
    try:
        patch = _patch_set(lines, _bad_marker(chunk))
        offsets = _Offsets(text, lines, start)
        return [_file(patched, lines, offsets) for patched in patch]
    except DiffParseError as err:
        raise DiffParseError(first_line + err.line - 1, err.detail) from None


class _Offsets:
    """Where the lines of one chunk start in the whole text; cheapest when asked front to back."""

    def __init__(self, text: str, lines: list[str], start: int) -> None:
        self.text, self.lines, self.base = text, lines, start
        self.index, self.offset = 0, start

    def span(self, first: int, stop: int) -> Span:
        """The text of lines[first:stop]."""
        start = self._at(first)
        return self.text, start, self._at(stop)

    def _at(self, index: int) -> int:
        if index < self.index:
            self.index, self.offset = 0, self.base
        self.offset += sum(map(len, islice(self.lines, self.index, index)))
        self.index = index
        return self.offset


_HUNK_HEADER = re.compile(r"@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@")


def _bad_marker(chunk: str) -> DiffParseError | None:
    """The first line that unidiff would skip silently although it must not: a hunk header
    that does not parse (its hunk would be lost) or a combined (merge) diff."""
    for offset in chain(_line_starts(chunk, "diff --cc "), _line_starts(chunk, "diff --combined ")):
        return _error_at(chunk, offset, _COMBINED)
    for offset in _line_starts(chunk, "@@"):
        if not _HUNK_HEADER.match(chunk, offset):
            combined = chunk.startswith("@@@", offset)
            return _error_at(chunk, offset, _COMBINED if combined else "hunk header does not parse")
    return None


_COMBINED = "combined (merge) diffs are not supported: diff against one parent"


def _error_at(text: str, offset: int, detail: str) -> DiffParseError:
    return DiffParseError(text.count("\n", 0, offset) + 1, detail)


def _patch_set(lines: list[str], bad: DiffParseError | None) -> Any:
    """unidiff's parse of `lines`; the earliest problem (unidiff's or `bad`) as a DiffParseError."""
    patch, failed, message = _unidiff(lines)
    if patch is None and message.startswith("Target without source"):
        aligned = _align_git_targets(lines)  # maybe unidiff split a `diff --git` line wrongly
        if aligned is not None:
            patch, failed, message = _unidiff(aligned)
    if patch is not None:
        if bad is None:
            return patch
        raise bad
    error = _explain(lines, failed, message)
    raise bad if bad is not None and bad.line <= error.line else error


def _unidiff(lines: list[str]) -> tuple[Any, int, str]:
    """(PatchSet, 0, "") or (None, 1-based line where unidiff failed, its message)."""
    from unidiff import PatchSet, UnidiffParseError

    stream = iter(lines)
    try:
        return PatchSet(stream, metadata_only=True), 0, ""
    except UnidiffParseError as err:
        return None, len(lines) - length_hint(stream), str(err)
    except ValueError:  # int() of a hunk header number with thousands of digits
        return None, len(lines) - length_hint(stream), "Number too large"


def _align_git_targets(lines: list[str]) -> list[str] | None:
    """A copy of `lines` whose `+++` lines name the target unidiff reads from the `diff --git`
    line before them, or None if none differs.

    unidiff insists that they match, but splits `diff --git a b` at the wrong space
    when the paths hold spaces and have no a/ b/ prefixes (`git diff --no-prefix`).
    The copy is only given to unidiff; file names are read from the original lines.
    """
    from unidiff.constants import (
        RE_DIFF_GIT_HEADER,
        RE_DIFF_GIT_HEADER_NO_PREFIX,
        RE_DIFF_GIT_HEADER_URI_LIKE,
        RE_TARGET_FILENAME,
    )

    aligned, target = list(lines), None
    for i, line in enumerate(lines):
        if line.startswith("diff --git "):
            match = (RE_DIFF_GIT_HEADER.match(line) or RE_DIFF_GIT_HEADER_URI_LIKE.match(line)
                     or RE_DIFF_GIT_HEADER_NO_PREFIX.match(line))
            target = match and match.group("target")
        elif line.startswith("@@"):
            target = None
        elif target and line.startswith("+++ "):
            found = RE_TARGET_FILENAME.match(line)
            name = found.group("filename") if found else None
            if name not in (target, "/dev/null"):
                aligned[i] = f"+++ {target}\n"
            target = None
    return aligned if aligned != lines else None


# unidiff message prefix -> (report the line of the hunk's header?, detail)
_UNIDIFF_ERRORS = {
    "Hunk is shorter": (True, "the hunk has fewer lines than its header says ({hunk})"),
    "Hunk is longer": (False, "the hunk at line {start} has more lines than its header says ({hunk})"),
    "Hunk diff line expected": (False, ("expected a hunk line (' ', '+', '-' or '\\'), got {got}; "
                                        "is the hunk at line {start} shorter than its header says?")),
    "Unexpected hunk": (False, "hunk header without a file header ('diff --git' or '---'/'+++') before it"),
    "Target without source": (False, "'+++' line without a matching '---' line or 'diff --git' header"),
    "Unexpected new file": (False, "{got} outside a 'diff --git' header"),
    "Unexpected deleted file": (False, "{got} outside a 'diff --git' header"),
    "Unexpected marker": (False, "'\\ No newline at end of file' outside a hunk"),
    "Unexpected binary patch": (False, "'GIT binary patch' outside a 'diff --git' header"),
    "Number too large": (False, _TOO_LARGE),
}


def _explain(lines: list[str], failed: int, message: str) -> DiffParseError:
    """Turn unidiff's message about 1-based line `failed` into a DiffParseError."""
    start = _header_before(lines, failed - 1)
    for prefix, (at_header, detail) in _UNIDIFF_ERRORS.items():
        if message.startswith(prefix):
            hunk = lines[start - 1].rstrip("\r\n")[:60] if start else "?"
            got = repr(lines[failed - 1].rstrip("\r\n")[:60]) if failed else "''"
            where = start if at_header and start else max(failed, 1)
            return DiffParseError(where, detail.format(hunk=hunk, start=start or "?", got=got))
    return DiffParseError(max(failed, 1), message[:120])


def _header_before(lines: list[str], index: int) -> int | None:
    """1-based number of the nearest hunk header at or before `index`."""
    for i in range(min(index, len(lines) - 1), -1, -1):
        if lines[i].startswith("@@"):
            return i + 1
    return None


# --- one file: names and status from the header lines, hunks from the body


def _file(patched: Any, lines: list[str], offsets: _Offsets) -> RawFile:
    start = patched.diff_line_no - 1
    hunks, added = _hunks(patched, lines, start, offsets)
    if lines[start].startswith("diff --git "):
        return RawFile(git_meta(lines, start), hunks, added)
    spans = [hunk[:4] for hunk in hunks]
    meta = plain_meta(patched.source_file, patched.target_file, bool(patched.is_binary_file), spans)
    return RawFile(meta, hunks, added)


def _hunks(patched: Any, lines: list[str], index: int, offsets: _Offsets) -> tuple[tuple[RawHunk, ...], frozenset[int]]:
    hunks: list[RawHunk] = []
    headers: list[int] = []
    all_added: list[int] = []
    for parsed in patched:
        index = _next_header(lines, index)
        if max(parsed.source_start + parsed.source_length, parsed.target_start + parsed.target_length) > _MAX_LINE:
            raise DiffParseError(index + 1, _TOO_LARGE)
        end, added, deleted = _walk_body(lines, index + 1, parsed)
        _check_no_excess(lines, end, index)
        all_added += added
        hunks.append(RawHunk(parsed.source_start, parsed.source_length, parsed.target_start, parsed.target_length,
                             parsed.section_header.rstrip("\r\n"), offsets.span(index + 1, end),
                             _pack(added), _pack(deleted)))
        headers.append(index)
        index = end
    _check_order(hunks, headers)
    return tuple(hunks), frozenset(all_added)


def _next_header(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].startswith("@@"):
        index += 1
    if index == len(lines):  # unidiff found a hunk here, so this cannot happen
        raise DiffParseError(index, "hunk header not found")
    return index


def _walk_body(lines: list[str], index: int, hunk: Any) -> tuple[int, list[int], list[int]]:
    """Read the hunk body starting at lines[index] the way unidiff reads it: the index just
    past it, the new numbers of its added lines and the old numbers of its deleted lines."""
    old, new = hunk.source_start, hunk.target_start
    old_end, new_end = old + hunk.source_length, new + hunk.target_length
    added: list[int] = []
    deleted: list[int] = []
    while index < len(lines):
        marker = lines[index][:1]
        index += 1
        if marker == "+":
            added.append(new)
            new += 1
        elif marker == "-":
            deleted.append(old)
            old += 1
        elif marker != "\\":  # " ", or an empty line some tools leave for an empty context line
            old += 1
            new += 1
        if old == old_end and new == new_end:
            break
    return index, added, deleted


def _pack(numbers: list[int]) -> bytes:
    return array(_NUMBER, numbers).tobytes()


def _check_no_excess(lines: list[str], end: int, header: int) -> None:
    """An added or deleted line right after a complete hunk means its header undercounts:
    unidiff would skip that line silently."""
    while end < len(lines) and lines[end].startswith("\\"):
        end += 1
    line = lines[end] if end < len(lines) else ""
    if line[:1] in ("+", "-") and not line.startswith(("+++ ", "--- ")) and line.rstrip() != "--":
        raise DiffParseError(end + 1, f"the hunk at line {header + 1} has more lines than its header says")


def _check_order(hunks: Sequence[RawHunk], headers: list[int]) -> None:
    for side in (_old_side, _new_side):
        previous_end: int | None = None
        for hunk, header in zip(hunks, headers, strict=True):
            start, length = side(hunk)
            if not length:
                continue
            if previous_end is not None and start < previous_end:
                raise DiffParseError(header + 1, "hunk overlaps the previous hunk or comes before it")
            previous_end = start + length


def _old_side(hunk: RawHunk) -> tuple[int, int]:
    return hunk.old_start, hunk.old_length


def _new_side(hunk: RawHunk) -> tuple[int, int]:
    return hunk.new_start, hunk.new_length
