"""Splitting the diff into requests: budgets, slices of large hunks, caps — no changed line lost."""

from __future__ import annotations

from reviewbot.llm.chunking import (
    ChunkPolicy,
    FilePieces,
    Piece,
    file_pieces,
    plan_chunks,
    unreviewed,
)
from reviewbot.llm.prompt import SentLine
from reviewbot.llm.tokens import EstimateCounter

COUNTER = EstimateCounter()


def rows(count: int, start: int = 1) -> list[SentLine]:
    return [SentLine("+", n, f"line_{n} = compute({n})") for n in range(start, start + count)]


def pieces_of(path: str, *hunks: list[SentLine], budget: int = 6000) -> FilePieces:
    return file_pieces(path, "modified", None, [(f"@@ hunk {i} @@", h) for i, h in enumerate(hunks)], COUNTER,
                       ChunkPolicy(chunk_tokens=budget))


def test_a_large_hunk_is_cut_into_consecutive_slices_covering_every_line() -> None:
    file = pieces_of("big.py", rows(200), budget=300)
    assert len(file.pieces) > 3
    assert all(p.tokens <= 300 for p in file.pieces)
    assert [line for p in file.pieces for line in p.lines] == rows(200)
    assert file.pieces[0].header.endswith(f"(part 1 of {len(file.pieces)})")


def test_files_are_kept_together_when_they_fit() -> None:
    a, b, c = pieces_of("a.py", rows(10)), pieces_of("b.py", rows(10)), pieces_of("c.py", rows(10))
    budget = a.tokens + b.tokens + 5
    chunks, skipped = plan_chunks([a, b, c], ChunkPolicy(chunk_tokens=budget))
    assert [ch.paths for ch in chunks] == [("a.py", "b.py"), ("c.py",)] and skipped == []
    assert chunks[0].text().startswith("=== FILE a.py (modified) ===\n@@ hunk 0 @@")


def test_a_file_larger_than_the_budget_spans_chunks_with_its_header_in_each() -> None:
    big = pieces_of("big.py", rows(30), rows(30, 100), rows(30, 200), budget=250)
    chunks, _ = plan_chunks([big], ChunkPolicy(chunk_tokens=250))
    assert len(chunks) == 3 and all(ch.text().startswith("=== FILE big.py") for ch in chunks)


def test_hard_caps_become_skipped_entries() -> None:
    small, big = pieces_of("s.py", rows(5)), pieces_of("b.py", rows(400))
    chunks, skipped = plan_chunks([small, big], ChunkPolicy(max_file_tokens=1000))
    assert [ch.paths for ch in chunks] == [("s.py",)]
    assert skipped[0].path == "b.py" and skipped[0].reason.startswith("diff too large to review: about ")
    files = [pieces_of(f"f{i}.py", rows(40)) for i in range(4)]
    chunks, skipped = plan_chunks(files, ChunkPolicy(chunk_tokens=files[0].tokens, max_chunks=2))
    assert len(chunks) == 2 and [s.path for s in skipped] == ["f2.py", "f3.py"]
    assert skipped[0].reason == "lines 1-40 not reviewed: the diff needs more than 2 model calls (the cap)"


def test_halves_split_between_pieces() -> None:
    file = pieces_of("a.py", rows(3), rows(3, 10), rows(3, 20))
    chunks, _ = plan_chunks([file], ChunkPolicy())
    first, second = chunks[0].halves()
    assert len(first.pieces) == 1 and len(second.pieces) == 2 and first.paths == second.paths == ("a.py",)
    assert first.halves() is None


def test_unreviewed_names_the_lines_per_file() -> None:
    deleted = Piece("d.py", "@@", (SentLine("-", None, "x"),), 1)
    pieces = [Piece("a.py", "@@", tuple(rows(3)), 1), Piece("a.py", "@@", tuple(rows(1, 9)), 1), deleted]
    assert [(s.path, s.reason) for s in unreviewed(pieces, "why")] == [
        ("a.py", "lines 1-3, 9 why"), ("d.py", "deleted lines why")]
