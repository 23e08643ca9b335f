"""Language-agnostic checks on the lines a diff adds.

They need no post-change content: each check reads added lines (or only the
path) straight from the diff. The checks are data: `CHECKS` says what each
one means, `LINE_PATTERNS` where and how it is recognised, `SENSITIVE_FILES`
which file names usually hold credentials. Check ids equal the `[diff]` keys
of the principle graph's rule table.

Patterns run on the *code* part of a line (string literals blanked out,
comment cut off) or on its *comment* part, so `"breakpoint()"` in a string is
not a debugging leftover and `TODO` counts only in a comment.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from reviewbot.models import Severity
from reviewbot.review.analyzer import (
    FILE_LEVEL,
    AnalyzerResult,
    Finding,
    SourceFile,
    long_lines_note,
    scannable_lines,
)
from reviewbot.review.entrypoints import is_command_line_path, starts_with_shebang
from reviewbot.review.pyfacts import short

NAME = "diff"


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    message: str
    hint: str


@dataclass(frozen=True)
class LinePattern:
    check: str
    languages: frozenset[str]
    scope: str  # "code" (strings blanked, comment cut) or "comment"
    regex: re.Pattern[str]
    tests_only: bool = False  # only in test files (JS test runners' focus/skip helpers)
    not_in_programs: bool = False  # not in command-line programs, scripts and examples, where output is the point


# Each check's severity lives in principles/rules.toml [diff], with its principle; the
# review applies it. A finding carries this placeholder until then.
UNRATED = Severity.WARNING


def _check(id: str, title: str, message: str, hint: str) -> tuple[str, Check]:
    return id, Check(id, title, message, hint)


CHECKS: dict[str, Check] = dict([
    _check("conflict-marker", "Unresolved merge conflict",
           "A merge-conflict marker was committed: the file still holds both sides of a conflict.",
           "Decide which side (or which mix) is right, keep that, and delete every <<<<<<<, ||||||| , "
           "======= and >>>>>>> line."),
    _check("debugger-statement", "Debugger left in",
           "A debugger breakpoint was added: the program stops here and waits for someone at a console.",
           "Remove the breakpoint before merging; use a test or a log line to keep the insight."),
    _check("console-log", "Debug logging left in",
           "console output for debugging was added; it ends up in every user's console.",
           "Remove it, or use the project's logger at a level that can be switched off."),
    _check("focused-test", "Focused test",
           "This test is focused (.only / fit / fdescribe): the runner now skips every other test.",
           "Remove the focus so the whole suite runs again."),
    _check("skipped-test", "Test switched off",
           "A test was marked as skipped: whatever it checked is no longer checked.",
           "Fix the test or the code instead; if it must stay skipped, give the reason and a tracking issue."),
    _check("todo-comment", "New TODO",
           "A TODO/FIXME/XXX/HACK comment was added: it records work this change leaves undone.",
           "Finish it in this change, or link it to an issue so it is not forgotten."),
    _check("sensitive-file", "Sensitive file committed",
           "This file's name says it usually holds credentials or private keys ({what}).",
           "If it holds real values, remove it from the repository, rotate what it contained and add the "
           "name to .gitignore; commit a template with placeholders (such as .env.example) instead."),
])  # fmt: skip

# Which language a file is, by suffix, and how a comment starts in it.
LANGUAGES: dict[str, str] = {
    **dict.fromkeys((".py", ".pyi", ".pyw"), "python"),
    **dict.fromkeys((".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".vue", ".svelte"), "javascript"),
    **dict.fromkeys((".rb", ".rake"), "ruby"),
    **dict.fromkeys((".sh", ".bash", ".zsh", ".yml", ".yaml", ".toml", ".cfg", ".ini", ".r", ".pl"), "hash"),
    **dict.fromkeys((".go", ".rs", ".java", ".kt", ".kts", ".c", ".h", ".cc", ".cpp", ".hpp", ".cs", ".swift",
                     ".scala", ".dart", ".php"), "slash"),
    **dict.fromkeys((".sql", ".lua", ".hs"), "dash"),
}  # fmt: skip
LANGUAGES_BY_NAME = {"Dockerfile": "hash", "Makefile": "hash", "Gemfile": "ruby", "Rakefile": "ruby"}
_SLASH = r"//|/\*|^\s*\*(?!/)"
COMMENT_START: dict[str, re.Pattern[str]] = {
    language: re.compile(pattern)
    for language, pattern in {
        "python": r"#", "ruby": r"#", "hash": r"#", "javascript": _SLASH, "slash": _SLASH, "dash": r"--",
    }.items()
}  # fmt: skip

_PY, _JS, _RB = frozenset({"python"}), frozenset({"javascript"}), frozenset({"ruby"})
_ANY_COMMENTED = frozenset(COMMENT_START)
_PY_DEBUGGERS = r"(?:i?pdb|pudb|pdbpp|remote_pdb|web_pdb)"
LINE_PATTERNS: tuple[LinePattern, ...] = (
    LinePattern("debugger-statement", _PY, "code", re.compile(
        rf"(?:^|;)\s*(?:breakpoint\(|{_PY_DEBUGGERS}\.(?:set_trace|post_mortem|pm)\(|"
        rf"import\s+{_PY_DEBUGGERS}\b|from\s+{_PY_DEBUGGERS}\s+import\b)")),
    LinePattern("debugger-statement", _JS, "code", re.compile(r"(?:^|[;{}])\s*debugger\s*(?:;|}|$)")),
    LinePattern("debugger-statement", _RB, "code", re.compile(r"\bbinding\.(?:pry|irb)\b|(?:^|;)\s*byebug\b")),
    LinePattern("console-log", _JS, "code", re.compile(r"(?<![\w.$])console\.(?:log|debug|trace|dir)\s*\("),
                not_in_programs=True),
    LinePattern("focused-test", _JS, "code", re.compile(
        r"(?<![\w.$])(?:describe|it|test|context|suite)\.only\s*\(|(?<![\w.$])(?:fit|fdescribe|fcontext)\s*\("),
        tests_only=True),
    LinePattern("skipped-test", _JS, "code", re.compile(
        r"(?<![\w.$])(?:describe|it|test|context|suite)\.skip\s*\(|(?<![\w.$])(?:xit|xdescribe|xtest|xcontext)\s*\("),
        tests_only=True),
    LinePattern("skipped-test", _PY, "code", re.compile(r"^\s*@(?:pytest\.mark\.skip|unittest\.skip)\b(?!\w)")),
    LinePattern("todo-comment", _ANY_COMMENTED, "comment", re.compile(r"\b(?:TODO|FIXME|XXX|HACK)\b")),
)  # fmt: skip

_JS_TEST_FILE = re.compile(r"(?:^|/)(?:__tests__|tests?|specs?|e2e|cypress)/|\.(?:test|spec|cy)\.[cm]?[jt]sx?$")

# File names that usually hold credentials: (glob on the file name, what it usually is).
SENSITIVE_FILES: tuple[tuple[str, str], ...] = (
    (".env", "an environment file"), (".env.*", "an environment file"),
    ("*.pem", "a PEM key or certificate"), ("*.key", "a private key"), ("*.p8", "a private key"),
    ("*.p12", "a PKCS#12 key store"), ("*.pfx", "a PKCS#12 key store"), ("*.jks", "a Java key store"),
    ("*.keystore", "a key store"), ("*.ppk", "a PuTTY private key"),
    ("id_rsa", "an SSH private key"), ("id_dsa", "an SSH private key"), ("id_ecdsa", "an SSH private key"),
    ("id_ed25519", "an SSH private key"), ("credentials.json", "a credentials file"),
    ("client_secret*.json", "an OAuth client secret"), (".git-credentials", "stored git credentials"),
    (".netrc", "stored login credentials"), (".pypirc", "package-index credentials"),
    (".htpasswd", "password hashes"), ("*.tfstate", "Terraform state, which stores secrets in plain text"),
)  # fmt: skip
NOT_SENSITIVE = (".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults", "*.pub")

# Merge-conflict markers as git writes them: seven characters at the start of the line.
_MARKER = re.compile(r"^(<{7}|\|{7}|={7}|>{7})(?: |$)")
_STRING = re.compile(r""""(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`(?:\\.|[^`\\])*`""")


class DiffChecksAnalyzer:
    name = NAME

    def analyze(self, files: Sequence[SourceFile]) -> AnalyzerResult:
        notes = []
        for file in files:
            long = scannable_lines(file)[1]
            if long:
                notes.append(long_lines_note("the diff checks", file.path, long))
        return AnalyzerResult(
            tuple(finding for file in files for finding in check_file(file)),
            examined=tuple(f.path for f in files),
            notes=tuple(notes),
        )


def check_file(file: SourceFile) -> Iterator[Finding]:
    added = scannable_lines(file)[0]
    yield from _sensitive_file(file.path, added)
    yield from _conflict_markers(file.path, added)
    program = is_command_line_path(file.path) or starts_with_shebang(file.content)
    # a line inside `/* ... */` is prose, however it reads: no code pattern applies to it
    prose = in_block_comments(file.content or "") if language_of(file.path) in BLOCK_COMMENTED else set()
    yield from _line_patterns(file.path, added, file.is_test, program, prose)


def language_of(path: str) -> str | None:
    name = PurePosixPath(path).name
    return LANGUAGES_BY_NAME.get(name) or LANGUAGES.get(PurePosixPath(name.lower()).suffix)


BLOCK_COMMENTED = frozenset({"javascript", "slash"})
_BLOCK_EDGE = re.compile(r"/\*|\*/")


def in_block_comments(content: str) -> set[int]:
    """The 1-based numbers of lines inside a `/* ... */` comment that opened on an earlier line: a JSDoc
    `@example` written without leading `*` (sindresorhus/find-up's `index.d.ts`) is documentation, and
    `console.log(...)` in it is no debugging left in. A closing line with code after `*/` is code. String
    literals are blanked first, and a `//` comment ends the line, so `"/*"` in a string opens nothing."""
    inside, numbers = False, set()
    for number, line in enumerate(content.split("\n"), start=1):
        opened_before = inside
        blanked = line if inside else _STRING.sub(lambda m: " " * len(m.group(0)), line)
        tail = blanked
        for edge in _BLOCK_EDGE.finditer(blanked):
            if not inside and "//" in blanked[: edge.start()]:
                break
            inside = edge.group(0) == "/*"
            tail = blanked[edge.end():]
        if opened_before and (inside or not tail.strip()):
            numbers.add(number)
    return numbers


def split_code_comment(text: str, language: str) -> tuple[str, str]:
    """(code with string literals blanked, comment text) of one line."""
    blanked = _STRING.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], text)
    start = COMMENT_START[language].search(blanked)
    if start is None:
        return blanked, ""
    return blanked[: start.start()], text[start.start() :]


def _line_patterns(path: str, added: list[tuple[int, str]], is_test: bool = False, program: bool = False,
                   prose: set[int] | frozenset[int] = frozenset()) -> Iterator[Finding]:
    language = language_of(path)
    test = is_test or _is_test(path)
    patterns = [p for p in LINE_PATTERNS if language in p.languages and (not p.tests_only or test)
                and not (p.not_in_programs and program)]
    if not patterns or language is None:
        return
    for number, text in added:
        code, comment = ("", text) if number in prose else split_code_comment(text, language)
        for pattern in patterns:
            match = pattern.regex.search(code if pattern.scope == "code" else comment)
            if match:
                yield _finding(pattern.check, path, number, facts={"value": _matched(text, match)})


def _matched(text: str, match: re.Match[str]) -> str:
    """The matched text as written (the pattern ran on a copy with strings blanked), trimmed to one call."""
    found = text[match.start() : match.end()].strip().lstrip(";{}").strip()
    return short(found)


def _conflict_markers(path: str, added: list[tuple[int, str]]) -> Iterator[Finding]:
    """One finding per conflict block (<<<<<<< to >>>>>>>), and one per stray opening or closing marker.

    A lone ======= is a heading underline in reStructuredText and Markdown, so it
    counts only inside a block.
    """
    start = None
    for number, text in added:
        marker = _MARKER.match(text)
        kind = marker.group(1)[0] if marker else None
        if kind == "<":
            yield from ([_finding("conflict-marker", path, start)] if start is not None else [])
            start = number
        elif kind == ">":
            yield _finding("conflict-marker", path, start or number, end_line=number if start else None)
            start = None
        elif kind == "|" and start is None:
            yield _finding("conflict-marker", path, number)
    if start is not None:
        yield _finding("conflict-marker", path, start)


def _sensitive_file(path: str, added: list[tuple[int, str]]) -> Iterator[Finding]:
    name = PurePosixPath(path).name
    if any(fnmatch.fnmatchcase(name, pattern) for pattern in NOT_SENSITIVE) or not _may_be_secret(added):
        return
    what = next((what for pattern, what in SENSITIVE_FILES if fnmatch.fnmatchcase(name, pattern)), None)
    if what is not None:
        line = added[0][0] if added else FILE_LEVEL
        yield _finding("sensitive-file", path, line, message=CHECKS["sensitive-file"].message.format(what=what),
                       facts={"kind": what}, match_text="")  # fmt: skip


_PEM_BEGIN = re.compile(r"^-----BEGIN ([A-Z0-9 ]+)-----\s*$")
PUBLIC_PEM = ("CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CRL", "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST",
              "PUBLIC KEY", "RSA PUBLIC KEY", "DH PARAMETERS", "EC PARAMETERS", "PKCS7")  # fmt: skip


def _may_be_secret(added: list[tuple[int, str]]) -> bool:
    """False when the added content is PEM blocks that are all public (certificates, public keys).

    A PEM block holding a private key is left to the secrets scan, which reports it as what it is.
    """
    labels = [m.group(1) for _, text in added if (m := _PEM_BEGIN.match(text.strip()))]
    if not labels:
        return True
    return not any("PRIVATE KEY" in label for label in labels) and not all(label in PUBLIC_PEM for label in labels)


def _is_test(path: str) -> bool:
    return bool(_JS_TEST_FILE.search(path))


def _finding(
    check_id: str,
    path: str,
    line: int,
    end_line: int | None = None,
    message: str | None = None,
    facts: dict[str, str] | None = None,
    match_text: str | None = None,
) -> Finding:
    check = CHECKS[check_id]
    return Finding(
        path=path,
        line=line,
        end_line=end_line,
        analyzer=NAME,
        rule=check.id,
        message=message or check.message,
        severity=UNRATED,
        title=check.title,
        hint=check.hint,
        facts=facts or {},
        match_text=match_text,
    )
