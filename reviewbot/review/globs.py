"""Path patterns as people write them in .gitignore.

- `*.lock`, `vendor` (no slash): matches that name in any directory, and everything under
  a directory of that name;
- `docs/*.md`, `/build` (a slash): relative to the repository root;
- `**` crosses directories (`src/**/gen_*.py`), `*` and `?` do not;
- a trailing slash (`dist/`) matches everything under that directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    return any(compile_glob(pattern).fullmatch(path) for pattern in patterns)


@lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern[str]:
    body = pattern.strip().removeprefix("./")
    anchored = "/" in body.rstrip("/")
    body = body.strip("/")
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(prefix + _translate(body) + "(?:/.*)?", re.DOTALL)


def _translate(glob: str) -> str:
    out, i = [], 0
    while i < len(glob):
        token, i = _token(glob, i)
        out.append(token)
    return "".join(out)


def _token(glob: str, i: int) -> tuple[str, int]:
    if glob.startswith("**/", i):
        return "(?:.*/)?", i + 3
    if glob.startswith("**", i):
        return ".*", i + 2
    char = glob[i]
    if char == "*":
        return "[^/]*", i + 1
    if char == "?":
        return "[^/]", i + 1
    if char == "[":
        end = glob.find("]", i + 2)
        if end != -1:
            inner = glob[i + 1 : end]
            inner = "^" + inner[1:] if inner.startswith("!") else inner
            return "[" + inner.replace("\\", "\\\\") + "]", end + 1
    return re.escape(char), i + 1
