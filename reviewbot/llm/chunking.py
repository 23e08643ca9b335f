"""Splitting a diff into parts that fit a token budget (pure).

A file's hunks become pieces; a piece carries a few surrounding lines of the
post-change file on each side when the file's content is available. A hunk
too large for one request is cut into consecutive slices. Pieces are packed
into chunks in diff order, keeping a file's pieces together when they fit.
Every changed line lands in exactly one piece; a file over the hard cap, or
beyond the last chunk the run allows, is reported as skipped, never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from reviewbot.llm.prompt import SentLine, file_header, render_line, render_lines
from reviewbot.llm.tokens import TokenCounter
from reviewbot.models import Skipped


@dataclass(frozen=True)
class ChunkPolicy:
    chunk_tokens: int = 12_000  # pull-request text per request (the stable prefix, ~10k tokens, comes on top)
    context_lines: int = 5  # surrounding lines of the new file shown on each side of a hunk
    max_file_tokens: int = 40_000  # hard cap: a larger file diff is skipped, not reviewed
    max_chunks: int = 60  # hard cap on requests per run


@dataclass(frozen=True)
class Piece:
    """A hunk (or a slice of one) with its surrounding lines, rendered."""

    path: str
    header: str  # the "@@ ... @@" line
    lines: tuple[SentLine, ...]
    tokens: int

    @property
    def text(self) -> str:
        return self.header + "\n" + render_lines(self.lines)

    @property
    def changed(self) -> int:
        return sum(1 for line in self.lines if line.kind in "+-")

    @property
    def span(self) -> tuple[int, int] | None:
        """First and last new-file line shown (surrounding lines included)."""
        numbers = [line.number for line in self.lines if line.number is not None]
        return (min(numbers), max(numbers)) if numbers else None


@dataclass(frozen=True)
class FilePieces:
    path: str
    header: str  # "=== FILE ... ===" line
    pieces: tuple[Piece, ...]

    @property
    def tokens(self) -> int:
        return sum(piece.tokens for piece in self.pieces)


@dataclass(frozen=True)
class Chunk:
    """One request's worth of the diff: pieces of one or more files."""

    pieces: tuple[Piece, ...]
    headers: tuple[tuple[str, str], ...]  # (path, file header), in order

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(path for path, _ in self.headers)

    @property
    def tokens(self) -> int:
        return sum(piece.tokens for piece in self.pieces)

    def text(self) -> str:
        header = dict(self.headers)
        blocks, current = [], None
        for piece in self.pieces:
            if piece.path != current:
                blocks.append(header[piece.path])
                current = piece.path
            blocks.append(piece.text)
        return "\n".join(blocks)

    def halves(self) -> tuple[Chunk, Chunk] | None:
        """The chunk cut in two, for a retry with smaller requests (None: one piece, cannot cut)."""
        if len(self.pieces) < 2:
            return None
        middle = len(self.pieces) // 2
        return _chunk(self.pieces[:middle], self.headers), _chunk(self.pieces[middle:], self.headers)


def _chunk(pieces: Sequence[Piece], headers: Sequence[tuple[str, str]]) -> Chunk:
    paths = {piece.path for piece in pieces}
    return Chunk(tuple(pieces), tuple((p, h) for p, h in headers if p in paths))


def file_pieces(path: str, status: str, old_path: str | None, hunks: Sequence[tuple[str, Sequence[SentLine]]],
                counter: TokenCounter, policy: ChunkPolicy) -> FilePieces:
    """Pieces for one file; `hunks` are (header, lines with surrounding lines already added)."""
    pieces: list[Piece] = []
    for header, lines in hunks:
        pieces.extend(_pieces_of_hunk(path, header, tuple(lines), counter, policy.chunk_tokens))
    return FilePieces(path, file_header(path, status, old_path), tuple(pieces))


def _pieces_of_hunk(path: str, header: str, lines: tuple[SentLine, ...], counter: TokenCounter,
                    budget: int) -> list[Piece]:
    whole = Piece(path, header, lines, 0)
    tokens = counter.count(whole.text)
    if tokens <= budget:
        return [Piece(path, header, lines, tokens)]
    slices = _slices(lines, [counter.count(render_line(line)) + 1 for line in lines], budget)
    total = len(slices)
    return [_slice_piece(path, header, part, index, total, counter) for index, part in enumerate(slices, 1)]


def _slices(lines: tuple[SentLine, ...], costs: list[int], budget: int) -> list[tuple[SentLine, ...]]:
    out: list[tuple[SentLine, ...]] = []
    current: list[SentLine] = []
    used = 0
    for line, cost in zip(lines, costs, strict=True):
        if current and used + cost > budget:
            out.append(tuple(current))
            current, used = [], 0
        current.append(line)
        used += cost
    out.append(tuple(current))
    return out


def _slice_piece(path: str, header: str, lines: tuple[SentLine, ...], index: int, total: int,
                 counter: TokenCounter) -> Piece:
    titled = f"{header} (part {index} of {total})"
    return Piece(path, titled, lines, counter.count(titled + "\n" + render_lines(lines)))


def plan_chunks(files: Iterable[FilePieces], policy: ChunkPolicy) -> tuple[list[Chunk], list[Skipped]]:
    """Pack files into chunks within the budget; what is over the hard caps becomes skipped."""
    stream = ChunkStream(files, policy)
    return list(stream), stream.skipped


class ChunkStream:
    """Chunks in diff order, each yielded as soon as it is complete.

    Files may be prepared lazily (the reviewer prepares the next file while
    the first chunks are already with the model). After iteration, `skipped`
    lists files over `max_file_tokens` and the lines of chunks beyond
    `max_chunks`.
    """

    def __init__(self, files: Iterable[FilePieces | Skipped], policy: ChunkPolicy) -> None:
        self.files, self.policy = files, policy
        self.skipped: list[Skipped] = []
        self._over: list[Piece] = []

    def __iter__(self) -> Iterator[Chunk]:
        packer, count = _Packer(self.policy.chunk_tokens), 0
        for file in self.files:
            for chunk in self._pack(packer, file):
                count += 1
                yield from self._within_cap(chunk, count)
        for chunk in packer.done():
            count += 1
            yield from self._within_cap(chunk, count)
        self.skipped += _over_cap(self._over, self.policy.max_chunks)

    def _pack(self, packer: _Packer, file: FilePieces | Skipped) -> list[Chunk]:
        if isinstance(file, Skipped):
            self.skipped.append(file)
            return []
        if file.tokens > self.policy.max_file_tokens:
            self.skipped.append(Skipped(file.path, _too_large(file.tokens, self.policy.max_file_tokens)))
            return []
        return packer.add(file)

    def _within_cap(self, chunk: Chunk, count: int) -> Iterator[Chunk]:
        if count <= self.policy.max_chunks:
            yield chunk
        else:
            self._over.extend(chunk.pieces)


class _Packer:
    def __init__(self, budget: int) -> None:
        self.budget, self.used = budget, 0
        self.pieces: list[Piece] = []
        self.headers: dict[str, str] = {}

    def add(self, file: FilePieces) -> list[Chunk]:
        """Add a file's pieces; returns the chunks this completed."""
        done = []
        if self.used + file.tokens > self.budget and file.tokens <= self.budget:
            done += self._flush()
        for piece in file.pieces:
            if self.pieces and self.used + piece.tokens > self.budget:
                done += self._flush()
            self.pieces.append(piece)
            self.used += piece.tokens
            self.headers.setdefault(file.path, file.header)
        return done

    def done(self) -> list[Chunk]:
        return self._flush()

    def _flush(self) -> list[Chunk]:
        chunks = [_chunk(self.pieces, list(self.headers.items()))] if self.pieces else []
        self.pieces, self.headers, self.used = [], {}, 0
        return chunks


def _too_large(tokens: int, cap: int) -> str:
    return f"diff too large to review: about {tokens:,} tokens, over the cap of {cap:,}"


def _over_cap(pieces: Sequence[Piece], cap: int) -> list[Skipped]:
    return unreviewed(pieces, f"not reviewed: the diff needs more than {cap} model calls (the cap)")


def unreviewed(pieces: Sequence[Piece], reason: str) -> list[Skipped]:
    """One skipped entry per file, naming the lines of `pieces` that were not reviewed, and why."""
    spans: dict[str, list[str]] = {}
    for piece in pieces:
        span = piece.span
        where = "deleted lines" if span is None else str(span[0]) if span[0] == span[1] else f"{span[0]}-{span[1]}"
        spans.setdefault(piece.path, []).append(where)
    return [Skipped(path, f"{_lines(found)} {reason}") for path, found in spans.items()]


def _lines(found: list[str]) -> str:
    numbered = [where for where in dict.fromkeys(found) if where != "deleted lines"]
    text = f"lines {', '.join(numbered)}" if numbered else ""
    if "deleted lines" in found:
        text = f"{text} and deleted lines" if text else "deleted lines"
    return text
