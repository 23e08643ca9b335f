"""Private files: the data directory is 0700 and every file reviewbot creates in it 0600.

The store holds delivery payloads (private repositories' code and names) and
the learner profile; the queue holds job ids. Nobody else on the machine needs
to read either. SQLite gives its -wal and -shm files the mode of the database
file, so creating the database 0600 covers them too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


def private_directory(path: Path) -> Path:
    """Create `path` (and parents) 0700; tighten it if it exists, is ours, and others can read it."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    _tighten(path, DIRECTORY_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` 0600 (in a private directory) if missing; tighten it if it exists and is ours."""
    private_directory(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), FILE_MODE))
    _tighten(path, FILE_MODE)
    return path


def _tighten(path: Path, mode: int) -> None:
    info = path.stat()
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & ~mode:
        path.chmod(mode)
