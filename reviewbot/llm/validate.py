"""Checking the model's comments against the diff and the principle graph (pure).

Nothing the model says is trusted blindly:
- a comment must name a file the model was shown and a line the diff added
  (or, on the LEFT side, a line it deleted, by its old-file number); a
  right-side line elsewhere in (or just around) a hunk moves to the nearest
  added line of that hunk when exactly one is nearest, otherwise it becomes
  a general note: it is never posted on a line it was not written for;
- severity follows evidence: an "error" the model is not highly confident
  of is posted as a warning, and so is a question (it is never blocking); a
  question says so in its title, and a comment of less than high confidence
  says so in its body; kind, confidence and category are kept on the comment;
- a "why" that does not open with a concrete failure (`scenario`) lowers the
  comment's confidence to medium, and the review counts such comments;
- a range or a suggestion survives only when its anchor did not move and the
  range lies inside one hunk (a suggestion replaces exactly those lines);
- a principle id must be in the catalog (a near-miss spelling is corrected);
  anything else becomes a proposed principle under the name the model gave;
- titles, bodies, whys and suggestions are sanitised.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reviewbot.llm.parse import RawComment
from reviewbot.llm.prompt import name
from reviewbot.llm.sanitize import sanitize_suggestion, sanitize_text, sanitize_title
from reviewbot.llm.scenario import names_a_failure
from reviewbot.models import (
    PROPOSED_PREFIX,
    QUESTION_PREFIX,
    Comment,
    Confidence,
    Kind,
    PrincipleRef,
    Severity,
    Side,
)

if TYPE_CHECKING:
    from reviewbot.diffmodel import Diff, FileDiff, Hunk
    from reviewbot.principles import PrincipleGraph

CLOSE_ID_CUTOFF = 0.85
NOTE_LIMIT = 600
CONFIDENCE_NOTES = {  # added to the body of a comment the model is not sure of
    "medium": "\n\n*Confidence: medium (it depends on code the review did not see).*",
    "low": "\n\n*Confidence: low (a suspicion worth checking).*",
}


@dataclass(frozen=True)
class Placement:
    line: int
    end_line: int | None
    moved: bool


@dataclass(frozen=True)
class Checked:
    """Comments that passed, notes for what could not be placed, and principles the model proposed."""

    comments: tuple[Comment, ...]
    notes: tuple[str, ...]
    proposed: tuple[str, ...]
    unseen: int  # comments about files the model was not shown (dropped)
    vague: int = 0  # comments whose why named no concrete failure (confidence lowered to medium)


def check_comments(raws: Iterable[RawComment], diff: Diff, graph: PrincipleGraph, shown: Collection[str],
                   window: int) -> Checked:
    comments, notes, proposed, unseen, vague = [], [], [], 0, 0
    for raw in raws:
        if raw.confidence == "high" and not names_a_failure(raw.why or raw.body):
            raw, vague = replace(raw, confidence="medium"), vague + 1
        path = resolve_path(raw.path, diff, shown)
        file = diff.file(path) if path is not None else None
        if path is None or file is None:
            unseen += 1
            continue
        placed = place(raw, file, window)
        if isinstance(placed, str):
            notes.append(note_for(raw, path, placed))
            continue
        principle, is_new = principle_ref(raw, graph)
        comments.append(to_comment(raw, path, placed, principle))
        if is_new:
            proposed.append(principle.name)
    return Checked(tuple(comments), tuple(notes), tuple(dict.fromkeys(proposed)), unseen, vague)


def resolve_path(path: str, diff: Diff, shown: Collection[str]) -> str | None:
    """The diff's path for what the model wrote (tolerating git's a/ and b/ prefixes)."""
    candidates = [path, path.removeprefix("/")] + [path[2:] for p in ("a/", "b/") if path.startswith(p)]
    found = next((c for c in candidates if c in shown and diff.file(c) is not None), None)
    if found is None:  # a name with control characters was shown escaped; the model repeats it so
        found = next((p for p in shown if name(p) in candidates and diff.file(p) is not None), None)
    return found


def place(raw: RawComment, file: FileDiff, window: int) -> Placement | str:
    """Where the comment may be posted, or why it may not be posted on any line."""
    if raw.side == "LEFT":
        return _place_left(raw, file)
    if raw.line in file.added_lines:
        return Placement(raw.line, _end_line(raw, file), moved=False)
    hunk = nearest_hunk(file, raw.line, window)
    if hunk is None:
        return f"line {raw.line} is outside the diff"
    added = sorted(hunk.added_lines)
    if not added:
        inside = file.contains(raw.line, Side.RIGHT)
        return Placement(raw.line, None, moved=False) if inside else f"line {raw.line} is outside the diff"
    target = nearest_line(added, raw.line)
    if target is None:
        return f"line {raw.line} is not a changed line and is as close to two changed lines"
    return Placement(target, None, moved=True)


def _place_left(raw: RawComment, file: FileDiff) -> Placement | str:
    """A comment on a deleted line stays exactly there (old-file numbers), or becomes a note."""
    if raw.line not in file.deleted_lines:
        return f"old line {raw.line} is not a deleted line"
    end = raw.end_line
    hunk = file.hunk_at(raw.line, Side.LEFT)
    if end is None or end <= raw.line or not file.contains(end, Side.LEFT) or file.hunk_at(end, Side.LEFT) is not hunk:
        end = None
    return Placement(raw.line, end, moved=False)


def nearest_hunk(file: FileDiff, line: int, window: int) -> Hunk | None:
    """The hunk holding `line` (new side), or the only one within `window` lines of it."""
    inside = file.hunk_at(line, Side.RIGHT)
    if inside is not None:
        return inside
    distances = sorted((_distance(h, line), i) for i, h in enumerate(file.hunks) if h.new_length)
    close = [(d, i) for d, i in distances if d <= window]
    if not close or (len(close) > 1 and close[0][0] == close[1][0]):
        return None
    return file.hunks[close[0][1]]


def _distance(hunk: Hunk, line: int) -> int:
    last = hunk.new_start + hunk.new_length - 1
    return hunk.new_start - line if line < hunk.new_start else max(line - last, 0)


def nearest_line(lines: Sequence[int], line: int) -> int | None:
    """The one line of `lines` closest to `line`, or None on a tie."""
    ranked = sorted(lines, key=lambda n: abs(n - line))
    if len(ranked) > 1 and abs(ranked[0] - line) == abs(ranked[1] - line):
        return None
    return ranked[0]


def _end_line(raw: RawComment, file: FileDiff) -> int | None:
    end = raw.end_line
    if end is None or end <= raw.line or not file.contains(end, Side.RIGHT):
        return None
    return end if file.hunk_at(end, Side.RIGHT) is file.hunk_at(raw.line, Side.RIGHT) else None


def principle_ref(raw: RawComment, graph: PrincipleGraph) -> tuple[PrincipleRef, bool]:
    """The catalog principle the comment names, or a proposed one; True when proposed."""
    why = sanitize_text(raw.why or raw.body)
    known = _known_id(raw.principle_id, graph)
    if known is not None:
        return PrincipleRef(known, graph.get(known).name, why), False
    name = sanitize_title(raw.new_principle_name or _humanise(raw.principle_id or raw.category))
    return PrincipleRef(PROPOSED_PREFIX + _slug(name), name, why), True


def _known_id(principle_id: str | None, graph: PrincipleGraph) -> str | None:
    if not principle_id:
        return None
    if principle_id in graph:
        return principle_id
    ids = [p.id for p in graph.all()]
    close = difflib.get_close_matches(principle_id, ids, n=1, cutoff=CLOSE_ID_CUTOFF)
    return close[0] if close else None


def to_comment(raw: RawComment, path: str, placed: Placement, principle: PrincipleRef) -> Comment:
    side = Side.LEFT if raw.side == "LEFT" else Side.RIGHT
    keeps_range = not placed.moved and placed.end_line == raw.end_line and side is Side.RIGHT
    return Comment(
        path=path,
        line=placed.line,
        severity=severity_by_evidence(raw),
        title=sanitize_title(QUESTION_PREFIX + raw.title if raw.kind == "question" else raw.title),
        body=sanitize_text(raw.body) + CONFIDENCE_NOTES.get(raw.confidence, ""),
        principle=principle,
        source=f"llm:{raw.category}",
        end_line=placed.end_line,
        side=side,
        suggestion=sanitize_suggestion(raw.suggestion) if keeps_range else None,
        kind=Kind(raw.kind),
        confidence=Confidence(raw.confidence),
        category=raw.category,
    )


def severity_by_evidence(raw: RawComment) -> Severity:
    """The model's severity, except that an error needs high confidence and an issue, not a question
    (else it is a warning)."""
    severity = Severity.parse(raw.severity)
    certain = raw.confidence == "high" and raw.kind == "issue"
    return Severity.WARNING if severity is Severity.ERROR and not certain else severity


def note_for(raw: RawComment, path: str, reason: str) -> str:
    where = f"{path}:{raw.line}" if raw.side != "LEFT" else f"{path}:old {raw.line}"
    text = f"{where} ({reason}): {sanitize_title(raw.title)}: {sanitize_text(raw.body)}"
    return text if len(text) <= NOTE_LIMIT else text[: NOTE_LIMIT - 1] + "…"


def merge(grounding: Sequence[Comment], found: Sequence[Comment]) -> list[Comment]:
    """The analyzers' comments, then the model's that say something new (the most severe first)."""
    merged, seen = list(grounding), set()
    for comment in grounding:
        seen.update(_keys(comment))
    for comment in sorted(found, key=lambda c: -c.severity.rank):
        keys = _keys(comment)
        if not keys & seen:
            merged.append(comment)
            seen.update(keys)
    return merged


def _keys(comment: Comment) -> set[tuple[str, int, str]]:
    """Two comments on the same line are duplicates when they share a principle or a title."""
    title = " ".join(re.findall(r"\w+", comment.title.lower()))
    path = comment.path if comment.side is Side.RIGHT else f"{comment.path}\x00old"
    return {(path, comment.line, "p:" + comment.principle.id), (path, comment.line, "t:" + title)}


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:60] or "unnamed"


def _humanise(text: str) -> str:
    return text.replace("-", " ").replace("_", " ").strip().capitalize() or "Unnamed principle"
