"""Which language a changed file is written in, by its path and, for scripts, its shebang."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

JS_SUFFIXES = frozenset({".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".vue", ".svelte"})
SHELL_SUFFIXES = frozenset({".sh", ".bash", ".ksh", ".bats"})
GO_SUFFIXES = frozenset({".go"})
JAVA_SUFFIXES = frozenset({".java"})
_SHEBANG = re.compile(r"#!\s*(?:/usr/bin/env\s+(?:-S\s+)?)?(?:\S*/)?(sh|bash|dash|ksh|zsh)\b")
_DOCKERFILE = re.compile(r"(?:.*\.)?(?:dockerfile|containerfile)\Z", re.IGNORECASE)


def is_javascript(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in JS_SUFFIXES


def is_shell(path: str, content: str | None) -> bool:
    """A shell script by suffix, or an extension-less file with a sh/bash shebang."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in SHELL_SUFFIXES:
        return True
    first = (content or "").split("\n", 1)[0]
    return suffix == "" and _SHEBANG.match(first) is not None and "zsh" not in first


def is_dockerfile(path: str) -> bool:
    name = PurePosixPath(path).name
    return _DOCKERFILE.match(name) is not None or name.lower().startswith("dockerfile.")


def is_workflow(path: str) -> bool:
    """A GitHub Actions workflow or an action's metadata file."""
    pure = PurePosixPath(path)
    if pure.suffix.lower() not in {".yml", ".yaml"}:
        return False
    parent = pure.parts[-3:-1]
    return parent == (".github", "workflows") or pure.name in {"action.yml", "action.yaml"}


def is_go(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in GO_SUFFIXES


def is_java(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in JAVA_SUFFIXES
