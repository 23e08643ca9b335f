"""The built-in reviewer: real analyzers, each finding tied to its principle.

Pure given its analyzers: diff, contents (post-change, and pre-change when the
edge has them), configuration and the principle graph in; a frozen `Review`
out. The steps:

1. one `SourceFile` per changed file, minus ignored paths, marked when it is
   test code (`testpaths`); binary, deleted and symbolic-link files are listed
   in `skipped` (a binary file still reaches the analyzers, whose path checks
   can judge it without content);
2. every enabled analyzer runs once over all files; the code linters skip
   test data (`testpaths.is_test_data`: inputs a test reads, never run),
   which only the secret scan and the diff checks read;
3. each finding is tied to its rule-table entry (`graph.rule`): principle,
   severity, title, fix, why-here template and test-code policy. A rule missing
   from the table falls back to the analyzer's `default` entry; if there is
   none either, the finding is left out and a note says so;
4. findings are kept only on lines the diff added (`findings.anchor`), minus
   those a suppression silences: one the file already had, or, for style
   findings (`info`) only, one the change adds (`suppressions`); a warning or
   error under a `# noqa` the change adds naming its rule is listed, unless it
   is about security;
5. only what the change introduced: the analyzers that still have findings run
   on the pre-image, and findings the code already had are dropped
   (`introduced`); the review says how many;
6. findings the rule table lists rather than comments on (`listed`: a TODO
   the change adds; in test code, a throwaway key), and those below error of
   rules that have not earned line comments (`earned`, see
   `reviewbot.principles.ruletable`), become one note per rule naming their
   places;
7. min_severity, dedupe, order by file and line, then the max_comments
   budget keeps the most severe and a note counts the rest.

A suggestion repeats whole lines, so none is made for a line where a secret
was found: the review never repeats a secret. A finding about a whole file
with no added line to anchor on (`FILE_LEVEL`) becomes a note.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from reviewbot.models import Comment, Coverage, PrincipleRef, Review, Severity, Skipped
from reviewbot.principles.ruletable import LISTED, SKIP, why_here_sentence
from reviewbot.review.analyzer import FILE_LEVEL, AnalyzerResult, Finding, SourceFile
from reviewbot.review.findings import anchor, dedupe, fit_budget, secret_lines, without_suggestions_on
from reviewbot.review.generated import is_generated
from reviewbot.review.globs import matches_any
from reviewbot.review.introduced import Keys, PreImage, drop_preexisting, edited_lines, pre_images, scope_left
from reviewbot.review.labels import DEFAULT_CATEGORY, KIND, SECURITY, category_of, confidence_of
from reviewbot.review.pythonversion import RAISED_BY_CHANGE, allowed_by_change, raised_minor
from reviewbot.review.suppressions import Suppressions, expected_by_test, suppressions
from reviewbot.review.testpaths import is_test_data, is_test_path

if TYPE_CHECKING:
    from reviewbot.config import Config
    from reviewbot.diffmodel import Diff, FileDiff
    from reviewbot.principles import PrincipleGraph, RuleMapping
    from reviewbot.review.analyzer import Analyzer

BINARY = "binary file: content not reviewed"
DELETED = "deleted file: nothing to review"
SYMLINK = "symbolic link: not reviewed (its target is reviewed where it changes)"
SYMLINK_MODE = "120000"  # git's file mode for a symbolic link
NAMED_BY_CHANGE = "under a `# noqa` this change adds for it"
EXPECTED_BY_TEST = "on lines a test marks as expected to be reported"
GENERATED = "in files a tool generated (the fix belongs in the generator)"
READ_TEST_DATA = frozenset({"secrets", "diff"})  # the analyzers that read test data (the rest lint code)


@dataclass(frozen=True)
class Tied:
    """A finding (placed on an added line) with its rule-table entry and the severity it gets here."""

    finding: Finding
    original: Finding  # as the analyzer reported it: what the pre-image is matched on
    severity: Severity
    principle: PrincipleRef
    mapping: RuleMapping | None
    category: str = DEFAULT_CATEGORY  # what the finding is about (reviewbot.review.labels)
    listed: str | None = None  # listed in a note, not commented on: "" by the rule, "in test code" by test policy


def review_builtin(
    diff: Diff,
    contents: Mapping[str, str | None],
    config: Config,
    graph: PrincipleGraph,
    analyzers: Sequence[Analyzer],
    base: Mapping[str, str | None] | None = None,
) -> Review:
    """Review `diff`; `base` maps pre-change paths to pre-change text (None or absent: rebuilt from the diff)."""
    is_test = partial(is_test_path, patterns=config.tests)
    files, skipped = source_files(diff, contents, config.ignore, is_test)
    chosen = [a for a in analyzers if a.name in config.analyzers]
    results = analyze_all(chosen, files)
    by_path = {f.path: f.diff for f in files}
    tied, notes = tie_all(results.values(), by_path, graph, config, {f.path: f.is_test for f in files})
    pre = pre_images([f for f in diff.files if not matches_any(f.path, config.ignore)], contents, base, is_test)
    tied, suppression_note = _without_suppressed(tied, files, pre, by_path)
    tied, pre_existing, before = _introduced_only(tied, files, pre, chosen, by_path, results.values())
    tied = file_conventions(tied, before, _old_paths(by_path))
    tied = syntax_the_change_allows(tied, raised_minor(diff, contents, config.ruff.target))
    tied = expected_findings(tied, files)
    tied = in_generated_files(tied, files)
    comments = place(first_of_a_kind(tied), by_path, notes)
    comments = dedupe(without_suggestions_on(secret_lines(t.finding for t in tied), comments))
    kept, left_out = fit_budget(comments, config.max_comments)
    notes += [n for r in results.values() for n in r.notes]
    notes += _introduced_notes(pre_existing, pre, tied) + ([suppression_note] if suppression_note else [])
    if left_out:
        notes.append(f"{left_out} more findings not shown (max_comments={config.max_comments})")
    coverage = coverage_of(diff, files, results, config.ignore)
    return Review(
        comments=tuple(kept),
        skipped=merge_skipped(skipped, results.values(), by_path),
        notes=tuple(dict.fromkeys(notes)),
        reviewer="builtin",
        files_reviewed=sum(1 for c in coverage if c.analyzers),
        coverage=coverage,
        pre_existing=pre_existing,
    )


def analyze_all(analyzers: Sequence[Analyzer], files: Sequence[SourceFile]) -> dict[str, AnalyzerResult]:
    """Every analyzer's result, in analyzer order; they run at once (most wait on a subprocess)."""
    code = [f for f in files if not is_test_data(f.path, f.content, f.is_test)]  # decided once, not per analyzer
    if len(analyzers) <= 1:
        return {a.name: a.analyze(files_for(a.name, files, code)) for a in analyzers}
    with ThreadPoolExecutor(max_workers=len(analyzers), thread_name_prefix="analyzer") as pool:
        futures = {a.name: pool.submit(a.analyze, files_for(a.name, files, code)) for a in analyzers}
        return {name: future.result() for name, future in futures.items()}


def files_for(analyzer: str, files: Sequence[SourceFile], code: Sequence[SourceFile]) -> list[SourceFile]:
    """The files `analyzer` reviews: all of them for the analyzers that read test data, else `code` (the
    files that are not test data)."""
    return list(files if analyzer in READ_TEST_DATA else code)


def source_files(
    diff: Diff, contents: Mapping[str, str | None], ignore: Sequence[str], is_test: Callable[[str], bool] = is_test_path
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
        content = None if file.is_binary else contents.get(file.path)
        files.append(SourceFile(file.path, content, file, is_test(file.path)))
    return files, skipped


def tie_all(
    results: Iterable[AnalyzerResult],
    by_path: Mapping[str, FileDiff],
    graph: PrincipleGraph,
    config: Config,
    tests: Mapping[str, bool],
) -> tuple[list[Tied], list[str]]:
    """Findings in reviewed files, tied to the rule table, on added lines, at or above min_severity; and notes."""
    tied, notes = [], []
    for finding in (f for r in results for f in r.findings if f.path in by_path):
        one = tie(finding, graph, config.level, tests.get(finding.path, False), config.comment_on)
        if isinstance(one, str):
            notes.append(one)
            continue
        if one is None or one.severity.rank < config.min_severity.rank:
            continue
        placed = finding if finding.line == FILE_LEVEL else anchor(finding, by_path[finding.path])
        if placed is not None:
            tied.append(replace(one, finding=placed))
    return tied, notes


def tie(finding: Finding, graph: PrincipleGraph, level: str, in_test: bool = False,
        comment_on: str = "proven") -> Tied | str | None:
    """The finding with its rule-table entry; None when test-code policy skips it; a note when the table lacks it.

    With `comment_on="proven"` a finding below error whose rule has not earned line comments
    (`reviewbot.principles.ruletable`) is listed, and so is one its analyzer found deliberate
    (`Finding.listed_as`)."""
    mapping = graph.rule(finding.analyzer, finding.rule)
    severity = mapping.severity if mapping is not None else finding.severity
    mapping = mapping or graph.rule(finding.analyzer, "default")
    if mapping is None:
        return (f"{finding.analyzer}:{finding.rule} has no principle in the rule table; "
                f"its finding at {finding.path}:{finding.line} is not shown")  # fmt: skip
    if (in_test and mapping.in_tests == SKIP) or (mapping.only_in_tests and not in_test) or applies_not(mapping, finding.path):
        return None
    listed = "in test code" if in_test and mapping.in_tests == LISTED else "" if mapping.listed else None
    if in_test and mapping.in_tests not in (None, LISTED):
        cap = Severity(mapping.in_tests)
        severity = cap if cap.rank < severity.rank else severity
    if listed is None and comment_on == "proven" and finding.listed_as:
        listed = finding.listed_as
    if listed is None and comment_on == "proven" and severity is not Severity.ERROR and not mapping.earned:
        listed = ""
    principle = graph.get(mapping.principle_id)
    category = category_of(principle.id, principle.category)
    return Tied(finding, finding, severity, principle.ref(level), mapping, category, listed)


def applies_not(mapping: RuleMapping, path: str) -> bool:
    """Whether the rule table says the rule does not apply to this file (`not_in` globs)."""
    return matches_any(path, mapping.not_in)


def to_comment(tied: Tied) -> Comment:
    finding = tied.finding
    return Comment(
        path=finding.path,
        line=finding.line,
        severity=tied.severity,
        title=title_of(tied),
        body=body_of(finding, tied.mapping),
        principle=tied.principle,
        source=f"{finding.analyzer}:{finding.rule}",
        end_line=finding.end_line,
        suggestion=finding.suggestion,
        kind=KIND,
        confidence=confidence_of(*_evidence(tied)),
        category=tied.category,
    )


def _evidence(tied: Tied) -> tuple[bool, Severity]:
    """Whether the rule has its own table entry, and that entry's severity (the analyzer's without one)."""
    mapping = tied.mapping
    own = mapping is not None and mapping.rule == tied.finding.rule
    return own, mapping.severity if mapping is not None and own else tied.finding.severity


def title_of(tied: Tied) -> str:
    mapping = tied.mapping
    if mapping is not None and mapping.title and mapping.rule == tied.finding.rule:
        return mapping.title
    return tied.finding.title or _headline(tied.finding.message)


def body_of(finding: Finding, mapping: RuleMapping | None = None) -> str:
    """What goes wrong in this code, how to fix it, this rule's own mechanism, where the rule is documented.

    With no why-here template (an unmapped rule) the analyzer's own message and hint are used.
    """
    exact = mapping if mapping is not None and mapping.rule == finding.rule and mapping.why_here else None
    facts = {"path": finding.path, "line": str(finding.line), **finding.facts}
    parts = [_sentence(why_here_sentence(exact, facts) if exact else finding.message)]
    fix = exact.fix if exact else finding.hint
    if fix:
        parts.append(f"How to fix: {_sentence(fix)}")
    if exact and exact.note:
        parts.append(_sentence(exact.note))
    if finding.url:
        parts.append(f"Rule: {finding.url}")
    return "\n\n".join(parts)


def file_note(tied: Tied) -> str:
    comment = to_comment(tied)
    return f"{tied.finding.path}: {comment.title}. {comment.body} ({tied.principle.name})"


def place(tied: Iterable[Tied], by_path: Mapping[str, FileDiff], notes: list[str]) -> list[Comment]:
    """Comments for findings on added lines; notes for whole-file findings and for listed ones."""
    comments = []
    listed: dict[tuple[str, str], list[Tied]] = {}
    for one in tied:
        if one.listed is not None:
            listed.setdefault((title_of(one), one.listed), []).append(one)
        elif one.finding.line == FILE_LEVEL:
            notes.append(file_note(one))
        else:
            comments.append(to_comment(one))
    notes += [listed_note(title, where, group) for (title, where), group in listed.items()]
    return comments


MAX_PER_FILE = 3  # line comments of one rule in one file; the rest are listed
MORE_OF_THE_SAME = f"after the first {MAX_PER_FILE} in the same file"


def first_of_a_kind(tied: Sequence[Tied]) -> list[Tied]:
    """`tied` with each rule's line comments in one file cut to the first `MAX_PER_FILE`; the others are
    listed. A senior who finds the same thing twenty times in a file says it once or twice and points
    at the rest, which also keeps one file's pattern from burying the review's other comments."""
    seen: dict[tuple[str, str, str], int] = {}
    out = []
    for one in sorted(tied, key=lambda t: (t.finding.path, t.finding.line)):
        if one.listed is None and one.finding.line != FILE_LEVEL:
            key = (one.finding.path, one.finding.analyzer, one.finding.rule)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > MAX_PER_FILE:
                one = replace(one, listed=MORE_OF_THE_SAME)
        out.append(one)
    return out


MAX_LISTED = 10  # places named in one listed note


def listed_note(title: str, where: str, group: Sequence[Tied]) -> str:
    """ "New TODO (3), listed here rather than commented on: a.py:4, b.py:9, c.py:1"."""
    places = sorted({f"{t.finding.path}:{t.finding.line}" if t.finding.line != FILE_LEVEL else t.finding.path
                     for t in group})  # fmt: skip
    shown = ", ".join(places[:MAX_LISTED]) + (f" and {len(places) - MAX_LISTED} more" if len(places) > MAX_LISTED else "")
    return f"{title}{f' {where}' if where else ''} ({len(places)}), listed here rather than commented on: {shown}"


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


def coverage_of(
    diff: Diff, files: Sequence[SourceFile], results: Mapping[str, AnalyzerResult], ignore: Sequence[str]
) -> tuple[Coverage, ...]:
    """Per file of the diff (ignored paths left out), the analyzers that examined it, in analyzer order."""
    examined = {name: set(result.examined) for name, result in results.items()}
    return tuple(
        Coverage(file.path, tuple(name for name in results if file.path in examined[name]))
        for file in diff.files
        if not matches_any(file.path, ignore)
    )


# --- suppressions and pre-existing findings ---


def _without_suppressed(
    tied: list[Tied], files: Sequence[SourceFile], pre: PreImage, by_path: Mapping[str, FileDiff]
) -> tuple[list[Tied], str | None]:
    before = {f.path: f.content if f.content is not None else "\n".join(_lines(f)) for f in pre.files}
    found = suppressions(files, before, _old_paths(by_path))
    kept = [t for t in tied if not found.drops(t.original, t.severity)]
    return [replace(t, listed=NAMED_BY_CHANGE) if _answered(t, found) else t for t in kept], found.note()


def _answered(tied: Tied, found: Suppressions) -> bool:
    """A commented finding the change answers with a `# noqa` naming its rule; not a security one: an
    `eval` is looked at however it is annotated."""
    return tied.listed is None and tied.category != SECURITY and found.named_by_change(tied.original)


def _introduced_only(
    tied: list[Tied],
    files: Sequence[SourceFile],
    pre: PreImage,
    analyzers: Sequence[Analyzer],
    by_path: Mapping[str, FileDiff],
    results: Iterable[AnalyzerResult],
) -> tuple[list[Tied], int, list[Finding]]:
    """Drop the findings the pre-image already had (see reviewbot.review.introduced); also the pre-image's
    findings."""
    wanted = {t.finding.analyzer for t in tied}
    if not tied or not pre.files:
        return tied, 0, []
    rerun = [a for a in analyzers if a.name in wanted]
    before = [f for result in analyze_all(rerun, pre.files).values() for f in result.findings]
    if not before:
        return tied, 0, before
    originals = [t.original for t in tied]
    candidates = {id(f) for f in originals}
    untouched = [f for r in results for f in r.findings
                 if f.analyzer in wanted and f.path in by_path and id(f) not in candidates]  # fmt: skip
    post_keys, pre_keys, old_paths = Keys(files), Keys(pre.files), _old_paths(by_path)
    new_paths = {old: new for new, old in old_paths.items()}

    def moved_away(finding: Finding) -> bool:
        return pre.moved_away(finding) or scope_left(finding, pre_keys, post_keys, new_paths)

    edited = {(path, new): (old_paths.get(path, path), old)
              for path, diff in by_path.items() for new, old in edited_lines(diff).items()}  # fmt: skip
    kept, dropped = drop_preexisting(originals, post_keys, before, pre_keys, old_paths, untouched, moved_away,
                                     edited)
    keep = {id(f) for f in kept}
    return [t for t in tied if id(t.original) in keep], dropped, before


def syntax_the_change_allows(tied: Sequence[Tied], raised: int | None) -> list[Tied]:
    """`tied` with a newer Python's syntax listed where the change raises the project's Python to it
    (reviewbot.review.pythonversion)."""
    return [replace(t, listed=RAISED_BY_CHANGE)
            if t.listed is None and t.finding.analyzer == "ruff" and allowed_by_change(t.finding.message, raised)
            else t for t in tied]  # fmt: skip


def expected_findings(tied: Sequence[Tied], files: Sequence[SourceFile]) -> list[Tied]:
    """`tied` with the findings on lines a test marks as expected (pylint's `# [undefined-variable]`)
    listed: the line is a linter's test input, written to be reported (reviewbot.review.suppressions).
    Not security findings: a change must not be able to quiet one with a comment."""
    by_path = {f.path: f for f in files}
    return [replace(t, listed=EXPECTED_BY_TEST)
            if t.listed is None and t.category != SECURITY and t.finding.path in by_path
            and expected_by_test(by_path[t.finding.path], t.finding.line)
            else t for t in tied]  # fmt: skip


def in_generated_files(tied: Sequence[Tied], files: Sequence[SourceFile]) -> list[Tied]:
    """`tied` with the findings in files a tool wrote listed (reviewbot.review.generated); not security
    findings: a key a generator copied into its output is still committed."""
    generated = {f.path for f in files if is_generated(f.content, f.path)}
    return [replace(t, listed=GENERATED) if t.listed is None and t.finding.path in generated and t.category != SECURITY
            else t for t in tied]  # fmt: skip


FILE_CONVENTION = "in files that did the same before the change"


def file_conventions(tied: Sequence[Tied], before: Iterable[Finding], old_paths: Mapping[str, str]) -> list[Tied]:
    """`tied` with the findings of a `convention` rule listed where the file had one of that rule before the
    change: a module that already prints prints by design (reviewbot.principles.ruletable). Only a finding
    of the same kind counts: a module that printed a message for a person (`Finding.listed_as`) has not
    made debugging prints its way (Flask-SocketIO's `print(f'{real_msg=} ...')` below a warning)."""
    had = {(f.path, f.analyzer, f.rule) for f in before if f.listed_as is None}
    return [replace(t, listed=FILE_CONVENTION)
            if t.listed is None and t.mapping is not None and t.mapping.convention
            and (old_paths.get(t.finding.path, t.finding.path), t.finding.analyzer, t.finding.rule) in had
            else t for t in tied]  # fmt: skip


def _introduced_notes(pre_existing: int, pre: PreImage, tied: Sequence[Tied]) -> list[str]:
    notes = []
    if pre_existing:
        notes.append(f"{pre_existing} finding{'s' * (pre_existing != 1)} on code this change only moved or "
                     "kept were not reported: the code had them before the change")  # fmt: skip
    unknown = [path for path in pre.unknown if any(t.finding.path == path for t in tied)]
    if unknown:
        notes.append(f"pre-change content unknown for {', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}: "
                     "findings there may include ones the code already had")  # fmt: skip
    return notes


def _old_paths(by_path: Mapping[str, FileDiff]) -> dict[str, str]:
    return {path: file.old_path or path for path, file in by_path.items()}


def _lines(file: SourceFile) -> list[str]:
    return [file.diff.added_text(n) or "" for n in sorted(file.diff.added_lines)]


def _is_deleted(file: FileDiff) -> bool:
    return file.status == "deleted"  # FileStatus is a str enum


def _headline(message: str) -> str:
    first = message.strip().split(". ")[0].rstrip(".")
    return first if len(first) <= 72 else first[:71].rstrip() + "…"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."
