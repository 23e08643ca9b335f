"""Syntax the change itself makes valid: a newer Python's syntax where the same change raises the project's
Python version.

The project's Python target is read from the trusted revision (reviewbot.ruffpolicy), so ruff checks the
change against the version the project supported before it. A change that both raises `requires-python`
(or ruff's `target-version`) and starts using the newer syntax is consistent: prompt-toolkit's "Python
upgrade to >=3.10" moved to parenthesized context managers in the same commit. Ruff says which version
such syntax needs ("... (syntax was added in Python 3.9)"); where the change's own configuration reaches
that version, the finding is listed, not raised as an error. The target ruff runs with is not taken from
the change: only this one kind of finding is weighed against it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from reviewbot.diffmodel import Diff
from reviewbot.ruffpolicy import FILES, ruff_policy

NEWER_SYNTAX = re.compile(r"\(syntax was added in Python 3\.(\d{1,2})\)")
RAISED_BY_CHANGE = "where this change also raises the project's Python to that version"


def raised_minor(diff: Diff, contents: Mapping[str, str | None], target: str | None) -> int | None:
    """The Python 3 minor version the change's own configuration files declare, when above `target`."""
    changed = {f.path: contents.get(f.path) for f in diff.files if f.path in FILES}
    after = ruff_policy(changed).target if changed else None
    if after is None:
        return None
    minor = _minor(after)
    return minor if target is None or minor > _minor(target) else None


def allowed_by_change(message: str, raised: int | None) -> bool:
    """Whether a syntax error only says the syntax needs a Python the change now requires."""
    found = NEWER_SYNTAX.search(message)
    return raised is not None and found is not None and int(found.group(1)) <= raised


def _minor(target: str) -> int:
    return int(target.removeprefix("py3"))
