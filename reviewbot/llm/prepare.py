"""From the diff to what may be sent: skip, redact, add surrounding lines (pure given the redactor).

Files that cannot or must not be reviewed are listed with the reason: binary,
never-sent (.env, keys, ...), generated. A deleted file is sent as its deleted
lines: what was removed, and why it existed, is part of the review. Ignored paths (config
`ignore`) are left out, as the built-in reviewer does. For the rest, the rows
the model will see (hunk lines plus a few surrounding lines of the
post-change file) are redacted as one sequence, in the order they are shown,
so what is scanned is exactly what is sent. Files are prepared lazily: the
reviewer sends the first chunks while later files are still being prepared.
Around each hunk the model sees its enclosing function or class (whole when
short, else its first lines), see `reviewbot.llm.context`: Python's from `ast`,
other languages' from `blocks` when the edge found them with a structural
parser (`reviewbot.adapters.codeblocks`), else by indentation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from reviewbot.llm import redact
from reviewbot.llm.chunking import ChunkPolicy, FilePieces, file_pieces
from reviewbot.llm.context import Block, enclosing, indented_headers, python_blocks
from reviewbot.llm.prompt import SentLine
from reviewbot.llm.redact import Redactor
from reviewbot.llm.tokens import TokenCounter
from reviewbot.models import Skipped
from reviewbot.review.builtin import BINARY
from reviewbot.review.globs import matches_any

if TYPE_CHECKING:
    from reviewbot.diffmodel import Diff, DiffLine, FileDiff, Hunk

Rows = list[tuple[str, list[SentLine]]]  # (hunk header, rows) per hunk
PYTHON_SUFFIXES = (".py", ".pyi")
WHOLE_BLOCK_LINES = 40  # an enclosing function or class shorter than this is shown whole
HEADER_LINES = 3  # of a longer one, the first lines of its header (decorators, signature)
GAP = SentLine(":", None, "…")  # lines left out between the headers and the hunk


def prepared_files(diff: Diff, contents: Mapping[str, str | None], ignore: Sequence[str], redactor: Redactor,
                   counter: TokenCounter, policy: ChunkPolicy,
                   blocks: Mapping[str, Sequence[Block]] | None = None) -> Iterator[FilePieces | Skipped]:
    """Each file's pieces (redacted), or why it is skipped; lazily, in diff order. Ignored files are left out."""
    for file in diff.files:
        if matches_any(file.path, ignore) or (not file.hunks and not file.is_binary):
            continue
        content = contents.get(file.path)
        lines = content.splitlines() if content is not None else None
        reason = skip_reason(file, lines)
        if reason:
            yield Skipped(file.path, reason)
            continue
        found = (blocks or {}).get(file.path)
        rows = redact_rows(file.path, file_rows(file, lines, policy.context_lines, found), redactor)
        yield file_pieces(file.path, file.status.value, file.old_path, rows, counter, policy)


def skip_reason(file: FileDiff, lines: list[str] | None) -> str | None:
    policy = redact.sending_policy()
    if file.is_binary:
        return BINARY
    if redact.never_sent(file.path, policy):
        return policy.never_sent_reason
    head = lines if lines is not None else _texts(file, "+") or _texts(file, "-")  # a deleted file: what it held
    if redact.generated(file.path, head[: policy.marker_lines], policy):
        return policy.generated_reason
    return None


def _texts(file: FileDiff, kind: str) -> list[str]:
    return [row.text for hunk in file.hunks for row in hunk.lines if row.kind == kind]


def file_rows(file: FileDiff, lines: list[str] | None, context: int,
              structural: Sequence[Block] | None = None) -> Rows:
    """Each hunk's rows, with surrounding lines of the new file: `context` lines on each side, the whole
    enclosing function or class when it is short, else the first lines of the blocks around the hunk.
    `structural`: the file's blocks found by a structural parser (for a language `ast` cannot read)."""
    out: Rows = []
    blocks = _blocks(file.path, lines, structural)
    shown_until = 0  # last new-file line already shown
    for index, hunk in enumerate(file.hunks):
        first, last = _new_range(hunk)
        following = _new_range(file.hunks[index + 1])[0] if index + 1 < len(file.hunks) else None
        start, end = _window(blocks, first, last, context)
        start = max(shown_until + 1, start)
        end = end if following is None else min(end, following - 1)
        headers = _headers(lines, blocks, first, start, shown_until)
        before = _surrounding(lines, start, first - 1)
        after = _surrounding(lines, last + 1, end)
        shown_until = max(last, after[-1].number if after and after[-1].number else last)
        out.append((hunk.header, headers + before + [_row(line) for line in hunk.lines] + after))
    return out


def _blocks(path: str, lines: list[str] | None, structural: Sequence[Block] | None) -> list[Block] | None:
    """The file's functions and classes (None: not known, so the enclosing lines are found by indentation)."""
    if lines is None:
        return None
    if path.endswith(PYTHON_SUFFIXES):
        return python_blocks("\n".join(lines) + "\n")
    return list(structural) if structural else None


def _window(blocks: list[Block] | None, first: int, last: int, context: int) -> tuple[int, int]:
    """First and last surrounding line: the short enclosing block, or `context` lines each side."""
    start, end = first - context, last + context
    holders = enclosing(blocks or [], min(first, last), max(first, last))
    if holders and holders[-1].end - holders[-1].start < WHOLE_BLOCK_LINES:
        start, end = min(start, holders[-1].start), max(end, holders[-1].end)
    return start, end


def _headers(lines: list[str] | None, blocks: list[Block] | None, first: int, start: int,
             shown_until: int) -> list[SentLine]:
    """The opening lines of the blocks around the hunk that the window does not show, then a gap row."""
    if lines is None:
        return []
    if blocks is None:
        numbers = indented_headers(lines, first)
    else:
        around = enclosing(blocks, first, first)
        numbers = [n for b in around for n in range(b.start, min(b.header_end, b.start + HEADER_LINES - 1) + 1)]
    wanted = sorted({n for n in numbers if shown_until < n < start and n <= len(lines)})
    if not wanted:
        return []
    rows = [SentLine(":", n, lines[n - 1]) for n in wanted]
    return [*rows, GAP] if wanted[-1] + 1 < start else rows


def _new_range(hunk: Hunk) -> tuple[int, int]:
    """First and last new-file line of a hunk (a deletion-only hunk sits after new_start)."""
    if hunk.new_length == 0:
        return hunk.new_start + 1, hunk.new_start
    return hunk.new_start, hunk.new_start + hunk.new_length - 1


def _surrounding(lines: list[str] | None, start: int, end: int) -> list[SentLine]:
    if lines is None:
        return []
    start, end = max(start, 1), min(end, len(lines))
    return [SentLine(":", number, lines[number - 1]) for number in range(start, end + 1)]


def _row(line: DiffLine) -> SentLine:
    return SentLine(line.kind, None if line.kind == "-" else line.new, line.text, line.old)


def redact_rows(path: str, hunks: Rows, redactor: Redactor) -> Rows:
    """The same rows (and hunk headers) with every line that holds a secret replaced: one scan per file."""
    texts = [text for header, rows in hunks for text in (header, *(row.text for row in rows))]
    clean = iter(redactor.lines(path, texts))
    return [(next(clean), [SentLine(row.kind, row.number, next(clean), row.old) for row in rows])
            for _, rows in hunks]
