"""What every built-in analyzer takes and returns.

An analyzer is an edge: it may run a subprocess or a library, but it only
reports what it found. Mapping findings to principles, keeping the ones on
changed lines and budgeting them is the built-in reviewer's job
(`reviewbot.review.builtin`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from reviewbot.models import Severity, Skipped

if TYPE_CHECKING:
    from reviewbot.diffmodel import FileDiff

FILE_LEVEL = 0  # Finding.line for a finding about the whole file (no line to anchor on)


@dataclass(frozen=True)
class SourceFile:
    """One changed file as the analyzers see it."""

    path: str
    content: str | None  # post-change text; None = not available
    diff: FileDiff


@dataclass(frozen=True)
class Finding:
    """One problem an analyzer found, before it is tied to a principle.

    `line` is a line number in the post-change file (`FILE_LEVEL` for the
    whole file). `severity` is the analyzer's own opinion; the principle
    graph's rule table has the last word. `title` and `hint` are optional:
    a short headline and how to fix it, when the analyzer knows.
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


def added_lines(file: SourceFile) -> list[tuple[int, str]]:
    """(new line number, text) of every line the diff adds to `file`, in order."""
    diff = file.diff
    return [(number, diff.added_text(number) or "") for number in sorted(diff.added_lines)]


@dataclass(frozen=True)
class AnalyzerResult:
    findings: tuple[Finding, ...] = ()
    skipped: tuple[Skipped, ...] = ()  # files the analyzer could not analyse, with the reason


@runtime_checkable
class Analyzer(Protocol):
    name: str

    def analyze(self, files: Sequence[SourceFile]) -> AnalyzerResult: ...
