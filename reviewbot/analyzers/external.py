"""One shape for every third-party linter: select the files, run the tool safely, read its JSON.

Each tool is described by a `ToolSpec` (which files, what configuration reviewbot
writes, the command line, how to read the output); `ToolAnalyzer` does the rest the
same way for all of them: files written into a private workspace (see `sandbox`),
only the rules of reviewbot's curated table reported, and a tool that is missing or
fails named in a note with the files that got only the diff checks and the secret
scan, never a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from reviewbot.analyzers.sandbox import ToolFailure, find_tool, run_tool, workspace
from reviewbot.models import Severity
from reviewbot.review.analyzer import AnalyzerResult, Finding, SourceFile

MAX_VALUE = 60  # characters of flagged code quoted in a why-here sentence


@dataclass(frozen=True)
class Hit:
    """One finding as a tool reports it, in the workspace's (= the repository's) paths."""

    path: str
    line: int
    rule: str
    message: str
    end_line: int | None = None
    url: str | None = None
    facts: Mapping[str, str] = field(default_factory=dict)
    match_text: str | None = None  # what identifies the finding in the pre-image, when not its line's text


class ToolSpec(Protocol):
    name: str  # the analyzer's name in rule tables and reports, e.g. "oxlint"
    tool: str  # the executable
    language: str  # what a person calls the files it reads, e.g. "JavaScript/TypeScript"
    install: str  # how to get the tool, for the note when it is missing
    ok_codes: tuple[int, ...]  # exit statuses that mean "here is my answer" (findings or none)
    timeout: float  # seconds one run over all the selected files may take before it is stopped

    def selects(self, file: SourceFile) -> bool: ...

    def config(self, rules: Sequence[str], texts: Mapping[str, str]) -> dict[str, str]: ...

    def argv(self, executable: str, paths: Sequence[str], rules: Sequence[str]) -> list[str]: ...

    def parse(self, stdout: str, texts: Mapping[str, str]) -> list[Hit]: ...


class ToolAnalyzer:
    """An `Analyzer` around one ToolSpec and the rules its table curates."""

    def __init__(self, spec: ToolSpec, rules: Sequence[str], timeout: float | None = None) -> None:
        self.spec, self.rules = spec, tuple(rules)
        self.timeout = spec.timeout if timeout is None else timeout
        self.name = spec.name

    def analyze(self, files: Sequence[SourceFile]) -> AnalyzerResult:
        texts = {f.path: f.content for f in files if f.content is not None and self.spec.selects(f)}
        if not texts:
            return AnalyzerResult()
        executable = find_tool(self.spec.tool)
        if executable is None:
            return self._failed(texts, f"{self.spec.tool} is not installed ({self.spec.install})")
        try:
            hits = self._run(executable, texts)
        except (ToolFailure, ValueError) as err:
            return self._failed(texts, str(err))
        wanted = set(self.rules)
        findings = tuple(
            self._finding(hit) for hit in hits if hit.rule in wanted and _relative(hit.path) in texts
        )
        return AnalyzerResult(findings=findings, examined=tuple(texts))

    def _run(self, executable: str, texts: Mapping[str, str]) -> list[Hit]:
        with workspace(texts, self.spec.config(self.rules, texts)) as root:
            # "./" keeps a file the change names "-c.Dockerfile" or "--help.sh" a file, never an option
            argv = self.spec.argv(executable, [f"./{path}" for path in sorted(texts)], self.rules)
            run = run_tool(argv, root, self.timeout, ok_codes=self.spec.ok_codes)
            try:
                return self.spec.parse(run.stdout, {**texts, **{f"./{p}": text for p, text in texts.items()}})
            except (ValueError, KeyError, TypeError, IndexError) as err:
                raise ToolFailure(f"{self.spec.tool} printed output reviewbot could not read ({err})") from None

    def _failed(self, texts: Mapping[str, str], reason: str) -> AnalyzerResult:
        names = ", ".join(sorted(texts)[:5]) + (f" and {len(texts) - 5} more" if len(texts) > 5 else "")
        note = f"{self.spec.language}: {reason}; {names} got the diff checks and the secret scan only."
        return AnalyzerResult(notes=(note,))

    def _finding(self, hit: Hit) -> Finding:
        return Finding(
            path=_relative(hit.path), line=hit.line, end_line=hit.end_line, analyzer=self.name, rule=hit.rule,
            message=hit.message, severity=Severity.WARNING, url=hit.url, facts=dict(hit.facts),
            match_text=hit.match_text,
        )


def _relative(path: str) -> str:
    return path.removeprefix("./")


def shorten(text: str, limit: int = MAX_VALUE) -> str:
    """One line of code, at most `limit` characters, for quoting in a sentence."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def line_of(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""
