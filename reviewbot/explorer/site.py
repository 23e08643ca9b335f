"""Assembling the explorer's files, and writing them to a directory."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from reviewbot.errors import UsageError
from reviewbot.explorer.layout import layout
from reviewbot.explorer.pages import dependents, index_page, principle_page, rules_by_principle
from reviewbot.explorer.svg import category_colours
from reviewbot.principles import PrincipleGraph

ASSETS = ("style.css", "explorer.js")


def asset(name: str) -> str:
    return (resources.files("reviewbot.explorer") / "assets" / name).read_text(encoding="utf-8")


def build_site(graph: PrincipleGraph) -> dict[str, str]:
    """{relative path: text} of the whole site, `index.html` first."""
    colours = category_colours(list(graph.categories()))
    rules, resting = rules_by_principle(graph), dependents(graph)
    files = {"index.html": index_page(graph, layout(graph), colours)}
    for principle in graph.all():
        files[f"p/{principle.id}.html"] = principle_page(
            graph, principle, rules.get(principle.id, []), resting.get(principle.id, [])
        )
    files.update({name: asset(name) for name in ASSETS})
    return files


def write_site(files: Mapping[str, str], directory: Path) -> int:
    """Write `files` under `directory` (created if missing); returns how many were written.

    Each file is written to a temporary name and renamed, so a reader never sees half a
    page, and a symlink planted at a target is replaced, never followed.
    """
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"--html {directory}: exists and is not a directory")
    try:
        for name, text in files.items():
            write_file(directory / name, text)
    except OSError as err:
        raise UsageError(f"--html {directory}: cannot write the site: {err.strerror or err}") from None
    return len(files)


def write_file(path: Path, text: str, mode: int = 0o644) -> None:
    """Write `text` to `path` through a temporary file and a rename (a planted symlink is replaced)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
