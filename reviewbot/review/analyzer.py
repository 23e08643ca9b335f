"""What every built-in analyzer takes and returns.

An analyzer is an edge: it may run a subprocess or a library, but it only
reports what it found. Mapping findings to principles, keeping the ones on
changed lines and budgeting them is the built-in reviewer's job
(`reviewbot.review.builtin`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from reviewbot.models import Severity, Skipped

if TYPE_CHECKING:
    from reviewbot.diffmodel import FileDiff

FILE_LEVEL = 0  # Finding.line for a finding about the whole file (no line to anchor on)


@dataclass(frozen=True)
class SourceFile:
    """One changed file as the analyzers see it."""

    path: str
    content: str | None  # post-change text (pre-change text for a pre-image); None = not available
    diff: FileDiff
    is_test: bool = False  # under the test profile's paths (reviewbot.review.testpaths)


@dataclass(frozen=True)
class Finding:
    """One problem an analyzer found, before it is tied to a principle.

    `line` is a line number in the post-change file (`FILE_LEVEL` for the
    whole file). `severity` is the analyzer's own opinion; the principle
    graph's rule table has the last word, and its title, fix and why-here
    template; `title` and `hint` are the analyzer's own words, used only for a
    rule the table lacks. `facts` fill the why-here template (names in
    `reviewbot.principles.ruletable.FACTS`). `match_text`, when set, replaces
    the finding's line text when a pre-existing finding is recognised (for
    findings about a whole file). `listed_as`, when set, is the analyzer's
    reason the code around it shows this one to be deliberate ("writing a
    message for a person"): true, so it is listed, but not worth a comment.
    """

    path: str
    line: int
    end_line: int | None
    analyzer: str
    rule: str
    message: str
    severity: Severity
    suggestion: str | None = None  # replacement for lines line..end_line; "" deletes them
    url: str | None = None
    title: str | None = None
    hint: str | None = None
    facts: Mapping[str, str] = field(default_factory=dict)
    match_text: str | None = None
    listed_as: str | None = None  # why the code shows this one is deliberate: listed, not commented on


MAX_LINE_LENGTH = 5000  # per-line analyzers skip longer lines (minified code, data blobs)


def added_lines(file: SourceFile) -> list[tuple[int, str]]:
    """(new line number, text) of every line the diff adds to `file`, in order."""
    diff = file.diff
    return [(number, diff.added_text(number) or "") for number in sorted(diff.added_lines)]


def scannable_lines(file: SourceFile) -> tuple[list[tuple[int, str]], list[int]]:
    """The added lines a per-line analyzer reads, and the numbers of those too long to read."""
    kept: list[tuple[int, str]] = []
    long: list[int] = []
    for number, text in added_lines(file):
        if len(text) > MAX_LINE_LENGTH:
            long.append(number)
        else:
            kept.append((number, text))
    return kept, long


def long_lines_note(analyzer: str, path: str, numbers: Sequence[int]) -> str:
    """What the review says about lines a per-line analyzer skipped."""
    where = f"line {numbers[0]}" if len(numbers) == 1 else f"{len(numbers)} lines (first: {numbers[0]})"
    return f"{path}: {where} longer than {MAX_LINE_LENGTH:,} characters not checked by {analyzer}"


@dataclass(frozen=True)
class AnalyzerResult:
    findings: tuple[Finding, ...] = ()
    skipped: tuple[Skipped, ...] = ()  # files the analyzer could not analyse, with the reason
    examined: tuple[str, ...] = ()  # paths the analyzer actually looked at
    notes: tuple[str, ...] = ()  # what the review should say about this run (e.g. lines skipped)


@runtime_checkable
class Analyzer(Protocol):
    name: str

    def analyze(self, files: Sequence[SourceFile]) -> AnalyzerResult: ...
