"""Which repository policy file `reviewbot check` reads, and from which revision.

A change must not relax its own review, so the repository's `.reviewbot.toml`
(or `[tool.reviewbot]` in `pyproject.toml`) is read from a trusted revision:

- `--git BASE`: from BASE (the default base when none is given), never from
  the working tree under review;
- `--staged` and diff files: from HEAD of the repository holding `--root`;
- outside a git repository (or before its first commit with a diff file):
  from the directory itself, as there is nothing else to trust;
- `--config FILE`: that file, as named.

Whatever file is chosen sets review policy only (`reviewbot.config_loader`).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from reviewbot.config_loader import (
    CONFIG_FILE,
    PYPROJECT,
    ConfigFile,
    config_from_bytes,
    explicit_path,
    find_config,
    has_tool_table,
    read_config_file,
)
from reviewbot.errors import GitError

if TYPE_CHECKING:
    from reviewbot.cli.inputs import Source


def repository_file(explicit: str | None, cwd: Path, start: Path, source: Source) -> ConfigFile | None:
    """The repository policy file for this run, read from the source's trusted revision."""
    named = explicit_path(explicit, cwd)
    if named is not None:
        return read_config_file(named)
    revision = source.policy_revision or _head(start)
    if revision is None:
        found = find_config(start)
        return read_config_file(found) if found is not None else None
    return file_at(start, revision, source.policy_label)


def python_files(start: Path, source: Source) -> dict[str, str | None]:
    """The repository's `.ruff.toml`, `ruff.toml` and `pyproject.toml` at the same trusted revision
    as the policy file (at the repository root; from the directory itself outside git)."""
    from reviewbot.adapters import localgit
    from reviewbot.ruffpolicy import FILES

    revision = source.policy_revision or _head(start)
    if revision is None:
        return {name: _text((start / name).read_bytes()) if (start / name).is_file() else None for name in FILES}
    root = localgit.repository_root(start)
    blobs = localgit.regular_files_at(root, revision, list(FILES))
    return {name: _text(localgit.read_blob(root, blobs[name])) if name in blobs else None for name in FILES}


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _head(start: Path) -> str | None:
    """HEAD's commit when `start` is inside a repository with commits, else None."""
    from reviewbot.adapters import localgit

    try:
        root = localgit.repository_root(start)
        return localgit.verify_revision(root, "HEAD")
    except GitError:
        return None


def file_at(start: Path, revision: str, label: str | None = None) -> ConfigFile | None:
    """The nearest policy file in `revision`, looking from `start` up to the repository root."""
    from reviewbot.adapters import localgit

    root = localgit.repository_root(start)
    candidates = _candidates(_relative(start, root))
    blobs = localgit.regular_files_at(root, revision, candidates)
    for path in candidates:
        if path not in blobs:
            continue
        data, name = localgit.read_blob(root, blobs[path]), PurePosixPath(path).name
        if name == CONFIG_FILE or has_tool_table(data):
            return config_from_bytes(name, data, Path(f"{path} (at {label or revision[:12]})"))
    return None


def _relative(start: Path, root: Path) -> PurePosixPath:
    try:
        return PurePosixPath(start.resolve().relative_to(root.resolve()).as_posix())
    except ValueError:
        return PurePosixPath(".")


def _candidates(directory: PurePosixPath) -> list[str]:
    """`.reviewbot.toml` then `pyproject.toml` in `directory` and each parent, nearest first."""
    chain = [directory, *directory.parents] if str(directory) != "." else [directory]
    return [str(folder / name) for folder in chain for name in (CONFIG_FILE, PYPROJECT)]
