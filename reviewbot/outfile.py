"""Writing report files without following links a change may have planted (the file edge).

A pull request can commit `reviewbot.sarif -> /home/runner/.bashrc`. Every
report file reviewbot writes (`check --output`, the Action's `sarif-file`)
goes through `write_file`: a target that is a symbolic link is refused, the
text goes to a new temporary file in the same directory and is renamed over
the target (a rename replaces a link itself, never what it points to), so a
reader sees the old file or the new one, never half of it. With `within`,
a target whose real directory is outside that directory is refused too.

Files the runner hands over for appending (the job summary, the step
outputs) are opened with `O_NOFOLLOW` by `append_file`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reviewbot.errors import InputError

NEW_FILE_MODE = 0o644


def check_target(path: Path, what: str, within: Path | None = None) -> Path:
    """The real path `path` names once its directory is resolved; InputError when it may not be written."""
    if path.is_symlink():
        raise InputError(f"{what} {path}: is a symbolic link; refusing to write through it (remove the link first)")
    if path.is_dir():
        raise InputError(f"{what} {path}: is a directory")
    directory = path.parent.resolve()
    if not directory.is_dir():
        raise InputError(f"{what} {path}: directory {path.parent} does not exist")
    if within is not None and not directory.is_relative_to(within.resolve()):
        raise InputError(f"{what} {path}: is outside the workspace {within}; give a path inside it")
    return directory / path.name


def write_file(path: Path, text: str, what: str, within: Path | None = None) -> None:
    """Write `text` (UTF-8) to `path` through a temporary file and a rename; see the module docstring."""
    target = check_target(path, what, within)
    mode = _mode_of(target)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="") as file:
            file.write(text)
            file.flush()
            os.fchmod(file.fileno(), mode)
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"{what} {path}: cannot write: {err.strerror or err}") from None


def _mode_of(target: Path) -> int:
    """Keep an existing file's permissions; a new file is readable by all, writable by its owner."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return NEW_FILE_MODE


def append_file(path: Path, text: str) -> None:
    """Append `text` to a file that must not be a symbolic link (OSError otherwise)."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, NEW_FILE_MODE)
    with os.fdopen(fd, "a", encoding="utf-8") as file:
        file.write(text)
