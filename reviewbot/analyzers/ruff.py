"""Python findings from ruff, run once over the post-change files of a diff.

ruff lints files on disk, so the post-change contents are written to a
temporary directory under their repository paths and ruff runs once over all
of them: one process start is the whole cost (about 15 ms), however many files
the diff touches. The working tree is never read: the review is of the diff's
result, not of whatever is checked out.

Choices that keep results reproducible:
- `--isolated`: the repository's own ruff configuration is ignored; the rule
  selection is exactly the curated `[ruff]` table of the principle graph.
- `--target-version` and `--per-file-ignores` only as the repository's trusted
  configuration says (reviewbot.ruffpolicy), as explicit flags: no
  configuration file is ever passed. Without a known target none is given, so
  newer syntax is not reported as an error for a project on a newer Python.
- Files the repository's ruff `exclude` names are not linted (its fixtures may be
  written to fail); the review lists them with the pattern.
- `--no-cache`: nothing is written next to the files or reused between runs.
- `--ignore-noqa`: `# noqa` comments are judged by the review, which honours
  only those the change did not add itself (reviewbot.review.suppressions).
- `--exit-zero`: findings are not failures; any other exit status is.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath

from reviewbot.analyzers.pyevidence import not_applicable, sharper_rule, weaker_here
from reviewbot.analyzers.suggestions import Edit, suggestion_for
from reviewbot.errors import AnalyzerError
from reviewbot.models import Severity, Skipped
from reviewbot.review.analyzer import AnalyzerResult, Finding, SourceFile
from reviewbot.review.pyfacts import PySource
from reviewbot.ruffpolicy import RuffPolicy

NAME = "ruff"
PYTHON_SUFFIXES = (".py", ".pyi")
SYNTAX_RULE = "invalid-syntax"  # what ruff reports for code Python cannot parse
NO_CONTENT = "post-change content not available: ruff needs the whole file"
EXCLUDED = "not linted by ruff: the repository's ruff configuration excludes it"
UNSAFE_PATH = "path leaves the repository: not analysed by ruff"
TIMEOUT = 60.0  # seconds for one ruff run over the whole diff

_CODE = re.compile(r"^[A-Z]+[0-9]+$")  # a selectable rule code, e.g. B006
_MEASURE = re.compile(r"\((\d+) > \d+\)$")
_FIXABLE = frozenset({"safe", "unsafe"})  # a person reviews the suggestion, so unsafe fixes are fine


def is_python(path: str) -> bool:
    return path.endswith(PYTHON_SUFFIXES)


def selectable(rules: Iterable[str]) -> tuple[str, ...]:
    """The rule codes ruff accepts in `--select` (table keys like "invalid-syntax" are not)."""
    return tuple(sorted(code for code in rules if _CODE.match(code)))


class RuffAnalyzer:
    """Runs ruff with the rule table's codes; see the module docstring for the flags.

    `rules` are the keys of the `[ruff]` rule table. The rule codes among them
    are selected; if the table also maps "invalid-syntax", a syntax error is a
    finding, otherwise it is the reason the file was not checked (ruff runs no
    other rule on a file it cannot parse).
    """

    name = NAME

    def __init__(
        self, rules: Sequence[str], ruff_bin: str | None = None, timeout: float = TIMEOUT, policy: RuffPolicy | None = None
    ) -> None:
        self.policy = policy or RuffPolicy()
        self.select = tuple(code for code in selectable(rules) if not self.policy.ignores(code))
        self.syntax_findings = SYNTAX_RULE in rules  # else a syntax error is a skipped reason
        self._ruff_bin = ruff_bin
        self.timeout = timeout

    def analyze(self, files: Sequence[SourceFile]) -> AnalyzerResult:
        ready, skipped = lintable(files, self.policy)
        if not ready or not self.select:
            return AnalyzerResult((), tuple(skipped))
        with tempfile.TemporaryDirectory(prefix="reviewbot-ruff-") as root:
            _write_tree(Path(root), ready)
            findings = parse_report(self._run(root, sorted(ready)), ready, root)
        if not self.syntax_findings:
            skipped += [Skipped(f.path, syntax_reason(f)) for f in findings if f.rule == SYNTAX_RULE]
            findings = tuple(f for f in findings if f.rule != SYNTAX_RULE)
        return AnalyzerResult(findings, tuple(skipped), examined=tuple(sorted(ready)))

    def _run(self, root: str, paths: list[str]) -> str:
        command = ruff_command(self.ruff_bin(), self.select, paths, self.policy.flags())
        try:
            done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:
            raise AnalyzerError(
                f"ruff did not finish within {self.timeout:g} s; disable it with analyzers = [...] "
                "in .reviewbot.toml or review a smaller diff"
            ) from None
        except OSError as err:
            raise AnalyzerError(f"could not run ruff ({err.strerror or err}); reinstall it: pip install ruff") from None
        if done.returncode != 0:
            raise AnalyzerError(f"ruff failed (exit status {done.returncode}): {_one_line(done.stderr)}")
        return done.stdout

    def ruff_bin(self) -> str:
        if self._ruff_bin is None:
            from ruff.__main__ import find_ruff_bin

            try:
                self._ruff_bin = find_ruff_bin()
            except FileNotFoundError:
                raise AnalyzerError("the ruff binary was not found; reinstall it: pip install ruff") from None
        return self._ruff_bin


def lintable(files: Sequence[SourceFile], policy: RuffPolicy | None = None) -> tuple[dict[str, str], list[Skipped]]:
    """The Python files ruff can lint (path -> content), and the ones it cannot, with the reason.

    Files the diff adds no line to are left out: no finding there could be kept.
    """
    ready, skipped = {}, []
    for file in (f for f in files if is_python(f.path) and f.diff.added_lines):
        if policy is not None and (pattern := policy.excluding(file.path)) is not None:
            skipped.append(Skipped(file.path, f"{EXCLUDED} (`{pattern}`)"))
        elif file.content is None:
            skipped.append(Skipped(file.path, NO_CONTENT))
        elif not _safe(file.path):
            skipped.append(Skipped(file.path, UNSAFE_PATH))
        else:
            ready[file.path] = file.content
    return ready, skipped


def syntax_reason(finding: Finding) -> str:
    return (f"Python syntax error at line {finding.line} ({finding.message}): "
            "ruff cannot check a file Python cannot parse")  # fmt: skip


# Thresholds a reviewer would comment at (ruff's defaults, 10 and 5, flag most real code).
THRESHOLDS = ("lint.mccabe.max-complexity = 15", "lint.pylint.max-args = 7")


def ruff_command(ruff_bin: str, select: Sequence[str], paths: Sequence[str], policy: Sequence[str] = ()) -> list[str]:
    thresholds = [arg for setting in THRESHOLDS for arg in ("--config", setting)]
    return [
        ruff_bin, "check", "--isolated", "--no-cache", "--exit-zero", "--ignore-noqa", "--output-format", "json",
        "--select", ",".join(select), *thresholds, *policy, "--", *paths,
    ]  # fmt: skip


def parse_report(report: str, contents: Mapping[str, str], root: str) -> tuple[Finding, ...]:
    """Findings from ruff's JSON report of files written under `root` (`contents`: path -> text)."""
    try:
        items = json.loads(report or "[]")
    except json.JSONDecodeError as err:
        raise AnalyzerError(f"ruff printed a report that is not JSON ({err.msg} at line {err.lineno})") from None
    findings: list[Finding] = []
    syntax_seen: set[str] = set()
    echoed: set[tuple[str, str, str]] = set()
    sources: dict[str, PySource] = {}
    for item in items:
        path = _repo_path(item.get("filename", ""), root, contents)
        if path is None or (_is_syntax(item) and path in syntax_seen):
            continue  # one syntax error per file: the rest are usually echoes of the first
        syntax_seen.update([path] if _is_syntax(item) else [])
        source = sources.setdefault(path, PySource(contents[path]))
        if not _is_syntax(item) and _refuted(item, path, source):
            continue
        if item.get("code") in ONCE_PER_SCOPE:  # `user` undefined three times in one function: one mistake
            echo = (path, source.scope_at(item["location"]["row"]), item.get("message") or "")
            if echo in echoed:
                continue
            echoed.add(echo)
        findings.append(_finding(item, path, contents[path], source))
    return tuple(findings)


def _refuted(item: dict, path: str, source: PySource) -> bool:
    """True when the code around the finding shows it does not apply (reviewbot.analyzers.pyevidence)."""
    start, end = item["location"], item["end_location"]
    reason = not_applicable(item.get("code") or "", path, source, start["row"], start["column"],
                            (end["row"], end["column"]), item.get("message") or "")  # fmt: skip
    return reason is not None


# Rules whose later findings on the same name in the same function repeat the first (APIFairy's `post()`
# using `user` three times without the parameter: one comment, not three).
ONCE_PER_SCOPE = frozenset({"F821", "F823"})

# Rules whose flagged literal may be a real credential: its text is never taken as a fact.
NO_VALUE = frozenset({"S105", "S106", "S107"})


def facts_for(item: dict, source: PySource) -> dict[str, str]:
    """The why-here facts of one ruff item, read from the syntax tree at its range."""
    if _is_syntax(item):
        return {}
    start, end = item["location"], item["end_location"]
    facts = source.facts_at(start["row"], start["column"], (end["row"], end["column"]))
    if item.get("code") in NO_VALUE:
        facts.pop("value", None)
    measured = _MEASURE.search(item.get("message") or "")  # ruff's own words, e.g. "(12 > 10)"
    if measured:
        facts["count"] = measured.group(1)
    return facts


def _finding(item: dict, path: str, content: str, source: PySource) -> Finding:
    line, end = item["location"]["row"], item["end_location"]["row"]
    facts = facts_for(item, source)
    suggestion = _suggestion(item.get("fix"), content, line, end)
    if suggestion is not None:
        line, end = suggestion.line, suggestion.end_line
    syntax = _is_syntax(item)
    start, stop = item["location"], item["end_location"]
    sharper = None if syntax else sharper_rule(item["code"], source, start["row"], start["column"],
                                               (stop["row"], stop["column"]))  # fmt: skip
    return Finding(
        path=path,
        line=line,
        end_line=end if end != line else None,
        analyzer=NAME,
        rule=SYNTAX_RULE if syntax else sharper or item["code"],
        message=item["message"],
        severity=Severity.ERROR if syntax else Severity.WARNING,
        suggestion=None if suggestion is None else suggestion.text,
        url=item.get("url"),
        title="Syntax error" if syntax else _title(item.get("name") or item["code"]),
        hint=_hint(item.get("fix"), syntax),
        facts=facts,
        match_text=None if syntax else source.identity_at(
            item["location"]["row"], item["location"]["column"], (item["end_location"]["row"], item["end_location"]["column"])),
        listed_as=None if syntax else weaker_here(item["code"], source, item["location"]["row"], item["location"]["column"],
                                                  (item["end_location"]["row"], item["end_location"]["column"])),
    )


def _suggestion(fix: dict | None, content: str, line: int, end_line: int):
    if not fix or fix.get("applicability") not in _FIXABLE:
        return None
    edits = [
        Edit(e["location"]["row"], e["location"]["column"], e["end_location"]["row"], e["end_location"]["column"],
             e.get("content") or "")
        for e in fix.get("edits", ())
    ]  # fmt: skip
    return suggestion_for(content, edits, line, end_line)


def _hint(fix: dict | None, syntax: bool) -> str | None:
    if syntax:
        return "Python cannot parse this file, so it cannot run or be imported; fix the syntax first."
    return (fix or {}).get("message") or None


def _title(name: str) -> str:
    """ruff's rule name as a headline: "mutable-argument-default" -> "Mutable argument default"."""
    words = name.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _is_syntax(item: dict) -> bool:
    return item.get("code") in (None, SYNTAX_RULE)


def _repo_path(filename: str, root: str, contents: Mapping[str, str]) -> str | None:
    """Map ruff's filename back to the repository path it was written under."""
    real = os.path.join(os.path.realpath(root), filename)  # joining keeps an absolute filename as it is
    relative = Path(os.path.relpath(os.path.realpath(real), os.path.realpath(root))).as_posix()
    return relative if relative in contents else None


def _safe(path: str) -> bool:
    pure = PurePosixPath(path)
    return bool(path) and not pure.is_absolute() and ".." not in pure.parts


def _write_tree(root: Path, contents: Mapping[str, str]) -> None:
    for path, text in contents.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8", errors="surrogateescape"))


def _one_line(text: str, limit: int = 300) -> str:
    """ruff's error output on one line ("ruff failed  Cause: Unknown rule selector ...")."""
    words = " ".join(line.strip() for line in text.splitlines() if line.strip()) or "no error message"
    return words if len(words) <= limit else words[: limit - 1] + "…"
