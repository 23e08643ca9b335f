"""Suppression comments: a change cannot silence its own review.

The analyzers run with their inline suppressions ignored (ruff `--ignore-noqa`,
detect-secrets without its allowlist filter). The review then honours a
suppression fully when the same directive was already in the file before the
change (a maintainer's decision the change merely kept). A directive the
change adds silences style findings (`info`: an intentional `import x  # noqa:
F401`) but never a warning or an error: a bare `# noqa` or a secrets allowlist
pragma leaves them line comments. A `# noqa` that names the rule (`# noqa:
F821` on a PEP 649 forward reference) is the author's explicit, visible answer
to that finding, so its warnings and errors are listed in the summary instead
of commented on, as a senior reviewer reading the diff would leave them; not
security findings, which are looked at however they are annotated. The
review lists every directive the change adds ("this change adds suppression
comments …"). Comments are not syntax, so directives are read with patterns on
the comment text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reviewbot.models import Severity
from reviewbot.review.analyzer import Finding, SourceFile, added_lines

MAX_LISTED = 10


@dataclass(frozen=True)
class Directive:
    analyzer: str
    pattern: re.Pattern[str]
    whole_file: bool = False  # applies to every line of the file
    next_line: bool = False  # applies to the line after the comment


_CODES = r"(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?"
DIRECTIVES: tuple[Directive, ...] = (
    Directive("ruff", re.compile(rf"#\s*(?:ruff|flake8)\s*:\s*noqa\b{_CODES}", re.IGNORECASE), whole_file=True),
    Directive("ruff", re.compile(rf"#\s*noqa\b{_CODES}", re.IGNORECASE)),
    Directive("secrets", re.compile(r"pragma:\s*allowlist\s+nextline\s+secret", re.IGNORECASE), next_line=True),
    Directive("secrets", re.compile(r"pragma:\s*allowlist\s+secret", re.IGNORECASE)),
)


@dataclass(frozen=True)
class Found:
    path: str
    line: int
    text: str  # the directive as written, e.g. "# noqa: S307"
    directive: Directive

    def covers(self, finding: Finding) -> bool:
        if finding.analyzer != self.directive.analyzer:
            return False
        if not (self.directive.whole_file or finding.line == self.line + (1 if self.directive.next_line else 0)):
            return False
        codes = self.codes()
        return not codes or finding.rule in codes

    def names(self, finding: Finding) -> bool:
        """Whether the directive covers the finding by naming its rule (`# noqa: F821`), not wholesale."""
        return finding.rule in self.codes() and self.covers(finding)

    def codes(self) -> tuple[str, ...]:
        match = self.directive.pattern.match(self.text)
        listed = match.groupdict().get("codes") if match else None
        return tuple(re.split(r"[\s,]+", listed)) if listed else ()


def directives_in(path: str, lines: Iterable[tuple[int, str]]) -> list[Found]:
    found = []
    for number, text in lines:
        if "#" not in text and "pragma" not in text:
            continue
        taken: list[tuple[int, int]] = []
        for directive in DIRECTIVES:
            match = directive.pattern.search(text)
            if match and not any(start <= match.start() < end for start, end in taken):
                if directive.whole_file and text[: match.start()].strip():
                    continue  # a file-level directive stands on its own line
                taken.append((match.start(), match.end()))
                found.append(Found(path, number, match.group(0).strip(), directive))
    return found


@dataclass(frozen=True)
class Suppressions:
    honoured: tuple[Found, ...]  # already in the file before the change
    added: tuple[Found, ...]  # on lines the change added, and new to the file

    def drops(self, finding: Finding, severity: Severity = Severity.ERROR) -> bool:
        """True when a suppression the file already had covers the finding, or one the change
        added covers a style finding (`info`)."""
        added = self.added if severity is Severity.INFO else ()
        return any(s.path == finding.path and s.covers(finding) for s in (*self.honoured, *added))

    def named_by_change(self, finding: Finding) -> bool:
        """True when a directive the change adds names the finding's rule on its line (or for its file)."""
        return any(s.path == finding.path and s.names(finding) for s in self.added)

    def note(self) -> str | None:
        if not self.added:
            return None
        listed = ", ".join(f"{s.path}:{s.line} `{s.text}`" for s in self.added[:MAX_LISTED])
        more = f" and {len(self.added) - MAX_LISTED} more" if len(self.added) > MAX_LISTED else ""
        return (f"This change adds suppression comments: {listed}{more}. One that names a rule moves its warnings "
                "and errors, except security ones, from line comments to the list above; the others silence style "
                "findings only")  # fmt: skip


def suppressions(
    files: Sequence[SourceFile], before: Mapping[str, str], old_path: Mapping[str, str]
) -> Suppressions:
    """The directives in the changed files: honoured when `before` (old text by old path) had them already."""
    honoured: list[Found] = []
    added: list[Found] = []
    for file in files:
        new_lines = set(file.diff.added_lines)
        lines = enumerate(file.content.split("\n"), start=1) if file.content is not None else added_lines(file)
        previous = before.get(old_path.get(file.path, file.path), "")
        had = Counter(d.text for d in directives_in(file.path, enumerate(previous.split("\n"), start=1)))
        found = directives_in(file.path, lines)
        kept = [d for d in found if d.line not in new_lines]  # untouched lines keep their directives
        for directive in kept:
            had[directive.text] -= 1
        for directive in (d for d in found if d.line in new_lines):
            if had[directive.text] > 0:  # a line the change rewrote kept a directive it already had
                had[directive.text] -= 1
                kept.append(directive)
            else:
                added.append(directive)
        honoured += kept
    return Suppressions(tuple(honoured), tuple(added))


# A test that feeds code to a linter or type checker marks the lines it expects reported: pylint's
# functional tests (`BAD = [*missing for x in NESTED]  # [undefined-variable]`), mypy-style data
# (`x = f()  # E: ...`), `# error` in a checker's samples. In test code such a line is the test's input.
EXPECTED_MARKER = re.compile(  # at the end of the line, so a `#` inside a string is not taken for one
    r"#\s*(?:\[[a-z][a-z0-9-]*(?:\s*,\s*[a-z][a-z0-9-]*)*\]\s*$|(?:[EWN]:\s|errors?\b)[^'\"]*$)", re.IGNORECASE
)


def expected_by_test(file: SourceFile, line: int) -> bool:
    """Whether `line` of test `file` carries a marker saying the test expects a finding there."""
    if not file.is_test or file.content is None:
        return False
    lines = file.content.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return "#" in text and EXPECTED_MARKER.search(text) is not None
