"""The built-in reviewer: real analyzers, each finding tied to its principle.

Pure given its analyzers: diff, post-change contents, configuration and the
principle graph in; a frozen `Review` out. The steps:

1. one `SourceFile` per changed file, minus ignored paths; binary, deleted
   and symbolic-link files are listed in `skipped` (a binary file still
   reaches the analyzers, whose path checks can judge it without content);
2. every enabled analyzer runs once over all files;
3. findings are kept only on lines the diff added (`findings.anchor`);
4. each finding is tied to its principle and severity by the rule table
   (`graph.rule`). A rule missing from the table falls back to the analyzer's
   `default` entry with the analyzer's own severity; if there is none either,
   the finding is left out and a note says so (tests keep every rule mapped);
5. min_severity, dedupe, order by file and line, then the max_comments
   budget keeps the most severe and a note counts the rest.

A suggestion repeats whole lines, so none is made for a line where a secret
was found: the review never repeats a secret.

A finding about a whole file with no added line to anchor on (`FILE_LEVEL`)
becomes a note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from reviewbot.models import Comment, PrincipleRef, Review, Severity, Skipped
from reviewbot.review.analyzer import FILE_LEVEL, AnalyzerResult, Finding, SourceFile
from reviewbot.review.findings import anchor, dedupe, fit_budget, secret_lines, without_suggestions_on
from reviewbot.review.globs import matches_any

if TYPE_CHECKING:
    from reviewbot.config import Config
    from reviewbot.diffmodel import Diff, FileDiff
    from reviewbot.principles import PrincipleGraph
    from reviewbot.review.analyzer import Analyzer

BINARY = "binary file: content not reviewed"
DELETED = "deleted file: nothing to review"
SYMLINK = "symbolic link: not reviewed (its target is reviewed where it changes)"
SYMLINK_MODE = "120000"  # git's file mode for a symbolic link


class Tied(NamedTuple):
    """A finding with the severity and principle the rule table gives it."""

    finding: Finding
    severity: Severity
    principle: PrincipleRef


def review_builtin(
    diff: Diff,
    contents: Mapping[str, str | None],
    config: Config,
    graph: PrincipleGraph,
    analyzers: Sequence[Analyzer],
) -> Review:
    files, skipped = source_files(diff, contents, config.ignore)
    results = [a.analyze(files) for a in analyzers if a.name in config.analyzers]
    by_path = {f.path: f.diff for f in files}
    comments, notes = comments_and_notes(results, by_path, graph, config)
    kept, left_out = fit_budget(comments, config.max_comments)
    if left_out:
        notes.append(f"{left_out} more findings not shown (max_comments={config.max_comments})")
    return Review(
        comments=tuple(kept),
        skipped=merge_skipped(skipped, results, by_path),
        notes=tuple(notes),
        reviewer="builtin",
        files_reviewed=sum(1 for f in files if not f.diff.is_binary),
    )


def comments_and_notes(
    results: Iterable[AnalyzerResult], by_path: Mapping[str, FileDiff], graph: PrincipleGraph, config: Config
) -> tuple[list[Comment], list[str]]:
    """Comments on added lines, at or above min_severity, without duplicates; and the notes."""
    findings = [f for r in results for f in r.findings if f.path in by_path]
    comments: list[Comment] = []
    notes: list[str] = []
    for finding in findings:
        tied = tie(finding, graph, config.level)
        if isinstance(tied, str):
            notes.append(tied)
        elif tied.severity.rank >= config.min_severity.rank:
            _place(tied, by_path[finding.path], comments, notes)
    return dedupe(without_suggestions_on(secret_lines(findings), comments)), notes


def source_files(
    diff: Diff, contents: Mapping[str, str | None], ignore: Sequence[str]
) -> tuple[list[SourceFile], list[Skipped]]:
    """The files the analyzers see, and the ones they cannot (binary, deleted)."""
    files, skipped = [], []
    for file in diff.files:
        if matches_any(file.path, ignore):
            continue
        if _is_deleted(file) or file.new_mode == SYMLINK_MODE:
            skipped.append(Skipped(file.path, DELETED if _is_deleted(file) else SYMLINK))
            continue
        if file.is_binary:
            skipped.append(Skipped(file.path, BINARY))
        files.append(SourceFile(file.path, None if file.is_binary else contents.get(file.path), file))
    return files, skipped


def tie(finding: Finding, graph: PrincipleGraph, level: str) -> Tied | str:
    """The finding with its severity and principle, or a note when the rule table lacks it."""
    mapping = graph.rule(finding.analyzer, finding.rule)
    severity = mapping.severity if mapping is not None else finding.severity
    mapping = mapping or graph.rule(finding.analyzer, "default")
    if mapping is None:
        return (f"{finding.analyzer}:{finding.rule} has no principle in the rule table; "
                f"its finding at {finding.path}:{finding.line} is not shown")  # fmt: skip
    return Tied(finding, severity, graph.get(mapping.principle_id).ref(level))


def to_comment(finding: Finding, severity: Severity, principle: PrincipleRef) -> Comment:
    return Comment(
        path=finding.path,
        line=finding.line,
        severity=severity,
        title=finding.title or _headline(finding.message),
        body=body_of(finding),
        principle=principle,
        source=f"{finding.analyzer}:{finding.rule}",
        end_line=finding.end_line,
        suggestion=finding.suggestion,
    )


def body_of(finding: Finding) -> str:
    """What is wrong, then how to fix it, then where the rule is documented."""
    parts = [_sentence(finding.message)]
    if finding.hint:
        parts.append(f"How to fix: {_sentence(finding.hint)}")
    if finding.url:
        parts.append(f"Rule: {finding.url}")
    return "\n\n".join(parts)


def file_note(finding: Finding, severity: Severity, principle: PrincipleRef) -> str:
    return f"{finding.path}: {to_comment(finding, severity, principle).title}. {body_of(finding)} ({principle.name})"


def merge_skipped(
    own: Iterable[Skipped], results: Iterable[AnalyzerResult], by_path: Mapping[str, FileDiff]
) -> tuple[Skipped, ...]:
    """One entry per (path, reason); analyzers' entries only where there was something to review."""
    own = list(own)
    mine = {s.path for s in own}
    theirs = [
        s for r in results for s in r.skipped
        if s.path not in mine and s.path in by_path and by_path[s.path].added_lines
    ]  # fmt: skip
    return tuple(dict.fromkeys(own + theirs))


def _place(tied: Tied, file: FileDiff, comments: list[Comment], notes: list[str]) -> None:
    """A comment for a finding on an added line; a note for a whole-file finding."""
    finding, severity, principle = tied
    if finding.line == FILE_LEVEL:
        notes.append(file_note(finding, severity, principle))
        return
    placed = anchor(finding, file)
    if placed is not None:
        comments.append(to_comment(placed, severity, principle))


def _is_deleted(file: FileDiff) -> bool:
    return file.status == "deleted"  # FileStatus is a str enum


def _headline(message: str) -> str:
    first = message.strip().split(". ")[0].rstrip(".")
    return first if len(first) <= 72 else first[:71].rstrip() + "…"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."
