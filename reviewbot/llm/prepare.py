"""From the diff to what may be sent: skip, redact, add surrounding lines (pure given the redactor).

Files that cannot or must not be reviewed are listed with the reason: binary,
deleted, never-sent (.env, keys, ...), generated. Ignored paths (config
`ignore`) are left out, as the built-in reviewer does. For the rest, the rows
the model will see (hunk lines plus a few surrounding lines of the
post-change file) are redacted as one sequence, in the order they are shown,
so what is scanned is exactly what is sent. Files are prepared lazily: the
reviewer sends the first chunks while later files are still being prepared.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from reviewbot.llm import redact
from reviewbot.llm.chunking import ChunkPolicy, FilePieces, file_pieces
from reviewbot.llm.prompt import SentLine
from reviewbot.llm.redact import Redactor
from reviewbot.llm.tokens import TokenCounter
from reviewbot.models import Skipped
from reviewbot.review.builtin import BINARY, DELETED
from reviewbot.review.globs import matches_any

if TYPE_CHECKING:
    from reviewbot.diffmodel import Diff, FileDiff, Hunk

Rows = list[tuple[str, list[SentLine]]]  # (hunk header, rows) per hunk


def prepared_files(diff: Diff, contents: Mapping[str, str | None], ignore: Sequence[str], redactor: Redactor,
                   counter: TokenCounter, policy: ChunkPolicy) -> Iterator[FilePieces | Skipped]:
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
        rows = redact_rows(file.path, file_rows(file, lines, policy.context_lines), redactor)
        yield file_pieces(file.path, file.status.value, file.old_path, rows, counter, policy)


def skip_reason(file: FileDiff, lines: list[str] | None) -> str | None:
    policy = redact.sending_policy()
    if file.is_binary:
        return BINARY
    if file.status.value == "deleted":
        return DELETED
    if redact.never_sent(file.path, policy):
        return policy.never_sent_reason
    head = lines if lines is not None else [row.text for h in file.hunks for row in h.lines if row.kind == "+"]
    if redact.generated(file.path, head[: policy.marker_lines], policy):
        return policy.generated_reason
    return None


def file_rows(file: FileDiff, lines: list[str] | None, context: int) -> Rows:
    """Each hunk's rows, with up to `context` surrounding lines of the new file on each side."""
    out: Rows = []
    shown_until = 0  # last new-file line already shown as a surrounding line
    for index, hunk in enumerate(file.hunks):
        first, last = _new_range(hunk)
        following = _new_range(file.hunks[index + 1])[0] if index + 1 < len(file.hunks) else None
        before = _surrounding(lines, max(shown_until + 1, first - context), first - 1)
        end = last + context if following is None else min(last + context, following - 1)
        after = _surrounding(lines, last + 1, end)
        shown_until = max(last, (after[-1].number or last) if after else last)
        out.append((hunk.header, before + [_row(line) for line in hunk.lines] + after))
    return out


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


def _row(line) -> SentLine:
    return SentLine(line.kind, None if line.kind == "-" else line.new, line.text)


def redact_rows(path: str, hunks: Rows, redactor: Redactor) -> Rows:
    """The same rows (and hunk headers) with every line that holds a secret replaced: one scan per file."""
    texts = [text for header, rows in hunks for text in (header, *(row.text for row in rows))]
    clean = iter(redactor.lines(path, texts))
    return [(next(clean), [SentLine(row.kind, row.number, next(clean)) for row in rows]) for _, rows in hunks]
