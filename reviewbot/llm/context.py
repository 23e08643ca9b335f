"""What the model needs beyond the hunks, as data for the prompt (pure).

- the pull request's files with their status and line counts, so each part
  of the diff is read knowing the whole change;
- the runtime versions the repository declares (`requires-python`, the
  `engines` of package.json, the `go` directive, the Java release...), so
  syntax and library calls newer than the floor can be caught;
- for each hunk, the enclosing function or class: Python through `ast`,
  other languages by indentation (the nearest less-indented line that opens
  a block).

Everything here comes from the change or the repository and is shown as
fenced data; nothing here decides how the review is done.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewbot.llm.prompt import name

if TYPE_CHECKING:
    from reviewbot.diffmodel import Diff

MAX_VERSION_TEXT = 80


@dataclass(frozen=True)
class Block:
    """A function or class of the new file: its first line, the last line of its header, its last line."""

    start: int
    header_end: int
    end: int


def file_list(diff: Diff, ignored: Callable[[str], bool]) -> str:
    """One line per file of the pull request: path (status, +added -deleted)."""
    rows = []
    for file in diff.files:
        if ignored(file.path):
            continue
        renamed = f" from {name(file.old_path)}" if file.old_path and file.old_path != file.path else ""
        counts = "binary" if file.is_binary else f"+{len(file.added_lines)} -{len(file.deleted_lines)}"
        rows.append(f"{name(file.path)} ({file.status.value}{renamed}, {counts})")
    return "\n".join(rows)


# --- declared runtime versions ------------------------------------------------------------------------


def _pyproject(text: str) -> list[str]:
    data = tomllib.loads(text)
    found = [f"Python {data['project']['requires-python']}"] if _has(data, "project", "requires-python") else []
    if _has(data, "tool", "poetry", "dependencies", "python"):
        found.append(f"Python {data['tool']['poetry']['dependencies']['python']}")
    return found


def _package_json(text: str) -> list[str]:
    engines = json.loads(text).get("engines")
    return [f"{engine} {spec}" for engine, spec in engines.items()] if isinstance(engines, dict) else []


def _pattern(label: str, regex: str) -> Callable[[str], list[str]]:
    compiled = re.compile(regex, re.MULTILINE)
    return lambda text: [f"{label} {m.group(1).strip()}" for m in compiled.finditer(text)][:2]


VERSION_FILES: dict[str, Callable[[str], list[str]]] = {  # repository-root file -> what it declares
    "pyproject.toml": _pyproject,
    "setup.cfg": _pattern("Python", r"^\s*python_requires\s*=\s*(.+)$"),
    "setup.py": _pattern("Python", r"python_requires\s*=\s*['\"]([^'\"]+)['\"]"),
    ".python-version": _pattern("Python", r"^\s*(\d[\w.]*)\s*$"),
    "package.json": _package_json,
    ".nvmrc": _pattern("node", r"^\s*v?(\d[\w.]*)\s*$"),
    "go.mod": _pattern("Go", r"^go\s+(\S+)\s*$"),
    "pom.xml": _pattern("Java", r"<(?:maven\.compiler\.release|maven\.compiler\.source|java\.version)>"
                                r"\s*([^<\s]+)\s*<"),
    "build.gradle": _pattern("Java", r"sourceCompatibility\s*=\s*['\"]?(?:JavaVersion\.VERSION_)?([\w.]+)"),
    "build.gradle.kts": _pattern("Java", r"JvmTarget\.JVM_(\w+)|jvmToolchain\((\d+)\)"),
    "Cargo.toml": _pattern("Rust", r"^rust-version\s*=\s*\"([^\"]+)\""),
}


def runtime_versions(read: Callable[[str], str | None]) -> str:
    """The declared runtime versions, one per line as "Python >=3.9 (pyproject.toml)"; "" when none."""
    rows: list[str] = []
    for path, extract in VERSION_FILES.items():
        text = read(path)
        if not text:
            continue
        try:
            found = extract(text)
        except (ValueError, TypeError, AttributeError, KeyError):  # a malformed manifest declares nothing
            continue
        rows += [f"{name(item)[:MAX_VERSION_TEXT]} ({path})" for item in found if item.split(" ", 1)[-1]]
    return "\n".join(dict.fromkeys(rows))


def _has(data: Any, *keys: str) -> bool:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return False
        data = data[key]
    return isinstance(data, str)


# --- enclosing functions and classes ---------------------------------------------------------------------

_OPENS_BLOCK = re.compile(
    r"^\s*(?:export\s+|public\s+|private\s+|protected\s+|static\s+|async\s+|default\s+|abstract\s+|final\s+)*"
    r"(?:def|class|function|func|fn|interface|struct|impl|enum|trait|module|describe|it|test)\b"
    r"|^(?!\s*(?:if|for|while|switch|catch|else|return|do|try|synchronized)\b)\s*[\w.$<>\[\], ]+\([^;]*\)\s*(?:\{|=>)\s*$"
    r"|^[\w$]+\s*[:=]\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*=>)"
)


def python_blocks(source: str) -> list[Block] | None:
    """Every function and class of a Python file (decorators included), or None when it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return None
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    blocks = []
    for node in ast.walk(tree):
        if isinstance(node, kinds) and node.end_lineno is not None:
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            header_end = max(node.body[0].lineno - 1, node.lineno)
            blocks.append(Block(start, header_end, node.end_lineno))
    return blocks


def indented_headers(lines: Sequence[str], line: int, limit: int = 3) -> list[int]:
    """Lines that open the blocks around `line` (1-based), innermost last, found by indentation."""
    found: list[int] = []
    width = _indent(lines[line - 1]) if 0 < line <= len(lines) and lines[line - 1].strip() else None
    for number in range(min(line, len(lines)) - 1, 0, -1):
        text = lines[number - 1]
        if not text.strip():
            continue
        depth = _indent(text)
        if (width is None or depth < width) and _OPENS_BLOCK.match(text):
            found.append(number)
            width = depth
            if depth == 0 or len(found) >= limit:
                break
    return sorted(found)


def enclosing(blocks: Sequence[Block], first: int, last: int) -> list[Block]:
    """The blocks holding lines first..last, outermost first."""
    holding = [b for b in blocks if b.start <= first and last <= b.end]
    return sorted(holding, key=lambda b: b.start)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \t"))


def read_from(*sources: Mapping[str, str | None] | None) -> Callable[[str], str | None]:
    """A reader that tries each mapping in turn (the change's own files first, then the base revision)."""
    def read(path: str) -> str | None:
        for source in sources:
            text = source.get(path) if source is not None else None
            if text is not None:
                return text
        return None
    return read
