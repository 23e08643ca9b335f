"""The repository's Python target, per-file targets and ruff per-file-ignores, as explicit ruff flags.

Version-dependent rules need the Python version the project supports, and a
project's `per-file-ignores` say which rules do not apply where (`__init__.py`
re-exports, generated code). Both are read from the repository's own
configuration at the trusted revision (the same one the review policy comes
from; never the change under review) and passed to ruff as
`--target-version` and `--per-file-ignores`, and its `per-file-target-version`
(test files written for a newer Python, `"*_695.py" = "py312"`) as one inline
`--config` table. Rules its `ignore` or `extend-ignore` names (logfire's
`C901`, nox's `SLF001`) are the maintainers' decision and are not run. Files its `exclude`, `extend-exclude` or `lint.exclude` name
(fixtures written to fail, generated code) are not handed to ruff at all, and
the review says so per file (`RuffPolicy.excluding`). No configuration file is ever handed to ruff: only these
values, each checked against a strict shape (a glob without quotes or
backslashes, a `py3NN` version), so nothing in a repository can make ruff load
code, plugins or other settings.

Precedence follows ruff's: `.ruff.toml`, then `ruff.toml`, then
`[tool.ruff]` in `pyproject.toml`; without a `target-version`, the lower
bound of `requires-python`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

FILES = (".ruff.toml", "ruff.toml", "pyproject.toml")  # ruff's own order of precedence
MAX_PATTERNS = 200

_TARGET = re.compile(r"py3(\d{1,2})\Z")
RUFF_MINORS = (7, 15)  # the Python 3 minor versions ruff 0.17 accepts as a target: py37 to py315
_CODE = re.compile(r"(?:[A-Z]{1,10}\d{0,4}|ALL)\Z")
_PATTERN = re.compile(r"[\w./*?\[\]!{}\-+@ ]{1,200}\Z")  # a glob: no ':' (the flag's separator), no control characters
PYLINT_LINTERS = frozenset({"PLC", "PLE", "PLR", "PLW"})
_LOWER_BOUND = re.compile(r">=\s*3\.(\d{1,2})")


@dataclass(frozen=True)
class RuffPolicy:
    target: str | None = None  # e.g. "py311"
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    per_file_targets: tuple[tuple[str, str], ...] = ()  # (glob, "py312")
    excluded: tuple[str, ...] = ()  # globs of files the project does not lint
    ignored: tuple[str, ...] = ()  # rule selectors the project turns off everywhere: "C901", "PT", "E7"

    def ignores(self, code: str) -> bool:
        """Whether one of the project's `ignore` selectors covers rule `code`, as ruff reads a selector: its
        linter's letters exactly (`PT` is not `PTH`; `PL` covers `PLC`, `PLE`, `PLR` and `PLW`) and a prefix
        of the number (`E7` covers `E722`)."""
        letters, digits = _split(code)
        for selector in self.ignored:
            want, prefix = _split(selector)
            same = want == letters or (want == "PL" and letters in PYLINT_LINTERS)
            if same and digits.startswith(prefix):
                return True
        return False

    def excluding(self, path: str) -> str | None:
        """The `exclude` glob that takes `path` out of linting, as ruff matches it: against the path
        of the file and of each directory above it, relative to the repository, and against each
        of their names (so `"fixtures"` excludes every file under a `fixtures` directory)."""
        parts = PurePosixPath(path).parts
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        for pattern in self.excluded:
            matcher = _glob(pattern)
            if any(matcher.fullmatch(p) or matcher.fullmatch(PurePosixPath(p).name) for p in prefixes):
                return pattern
        return None

    def flags(self) -> list[str]:
        flags = ["--target-version", self.target] if self.target else []
        for pattern, codes in self.per_file_ignores:
            for code in codes:  # ruff splits the flag's value at commas: one code per flag
                flags += ["--per-file-ignores", f"{pattern}:{code}"]
        if self.per_file_targets:  # no flag of its own: an inline TOML table (patterns hold no quote or backslash)
            table = ", ".join(f'"{pattern}" = "{target}"' for pattern, target in self.per_file_targets)
            flags += ["--config", f"per-file-target-version = {{{table}}}"]
        return flags


def ruff_policy(files: Mapping[str, str | None]) -> RuffPolicy:
    """The policy from the texts of `.ruff.toml`, `ruff.toml` and `pyproject.toml` (missing: None)."""
    tables = {name: _table(name, files.get(name)) for name in FILES}
    pyproject = tables["pyproject.toml"] or {}
    found = [table for name in FILES[:2] if (table := tables[name]) is not None]
    tool = pyproject.get("tool")
    nested = tool.get("ruff") if isinstance(tool, dict) else None
    ruff: dict[str, Any] = found[0] if found else nested if isinstance(nested, dict) else {}
    return RuffPolicy(_target(ruff, pyproject), _ignores(ruff), _per_file_targets(ruff), _excluded(ruff), _ignored(ruff))


def _table(name: str, text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None  # a broken file gives no policy; ruff itself is not configured from it


def _target(ruff: Mapping[str, Any], pyproject: Mapping[str, Any]) -> str | None:
    target = ruff.get("target-version")
    if isinstance(target, str) and (found := _TARGET.match(target)):
        return _supported(int(found.group(1)))
    project = pyproject.get("project")
    requires = project.get("requires-python") if isinstance(project, dict) else None
    bound = _LOWER_BOUND.search(requires) if isinstance(requires, str) else None
    return _supported(int(bound.group(1))) if bound else None


def _supported(minor: int) -> str:
    """`py3<minor>` within what ruff accepts: a project still on 3.6 is linted as 3.7, the oldest ruff
    knows (ruff refuses `py36` outright), and one ahead of ruff as the newest."""
    oldest, newest = RUFF_MINORS
    return f"py3{min(max(minor, oldest), newest)}"


def _ignores(ruff: Mapping[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    nested = ruff.get("lint")
    lint: Mapping[str, Any] = nested if isinstance(nested, dict) else {}
    found: dict[str, tuple[str, ...]] = {}
    for table in (ruff, lint):
        for key in ("per-file-ignores", "extend-per-file-ignores"):
            entries = table.get(key)
            if isinstance(entries, dict):
                for pattern, codes in entries.items():
                    valid = _codes(codes)
                    if valid and isinstance(pattern, str) and _PATTERN.match(pattern):
                        found[pattern] = tuple(dict.fromkeys((*found.get(pattern, ()), *valid)))
    return tuple(list(found.items())[:MAX_PATTERNS])


def _ignored(ruff: Mapping[str, Any]) -> tuple[str, ...]:
    nested = ruff.get("lint")
    lint: Mapping[str, Any] = nested if isinstance(nested, dict) else {}
    found = [code for table in (ruff, lint) for key in ("ignore", "extend-ignore") for code in _codes(table.get(key))]
    return tuple(code for code in dict.fromkeys(found) if code != "ALL")[:MAX_PATTERNS]


def _split(code: str) -> tuple[str, str]:
    """`("PLR", "0913")` for `PLR0913`, `("E", "7")` for the selector `E7`."""
    letters = code.rstrip("0123456789")
    return letters, code[len(letters):]


def _per_file_targets(ruff: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    entries = ruff.get("per-file-target-version")
    if not isinstance(entries, dict):
        return ()
    found = [(pattern, _supported(int(version.group(1)))) for pattern, target in entries.items()
             if isinstance(pattern, str) and _PATTERN.match(pattern) and isinstance(target, str)
             and (version := _TARGET.match(target))]  # fmt: skip
    return tuple(found[:MAX_PATTERNS])


def _excluded(ruff: Mapping[str, Any]) -> tuple[str, ...]:
    nested = ruff.get("lint")
    lint: Mapping[str, Any] = nested if isinstance(nested, dict) else {}
    found = [pattern.removeprefix("./").rstrip("/")
             for entries in (ruff.get("exclude"), ruff.get("extend-exclude"), lint.get("exclude"))
             if isinstance(entries, list) for pattern in entries if isinstance(pattern, str) and _PATTERN.match(pattern)]  # fmt: skip
    return tuple(pattern for pattern in dict.fromkeys(found) if pattern)[:MAX_PATTERNS]


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    """A glob as ruff's matcher reads it: `*` and `**` cross `/`, `?` one character, `[!...]` a
    negated class, `{a,b}` alternatives."""
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append(".*")
            while i + 1 < len(pattern) and pattern[i + 1] == "*":
                i += 1
        elif char == "?":
            out.append(".")
        elif char == "[" and (end := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1 : end]
            negated, body = body.startswith("!"), body.removeprefix("!")
            out.append("[" + "^" * negated + "".join("\\" + c if c in "^[]" else c for c in body) + "]")
            i = end
        elif char == "{" and (end := pattern.find("}", i)) != -1:
            out.append("(?:" + "|".join(_glob(a).pattern for a in pattern[i + 1 : end].split(",")) + ")")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out))


def _codes(codes: object) -> tuple[str, ...]:
    if not isinstance(codes, list):
        return ()
    return tuple(code for code in codes if isinstance(code, str) and _CODE.match(code))
