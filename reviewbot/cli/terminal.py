"""The terminal edge: colour decisions, a delayed spinner, writing the report."""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self, TextIO

PLAIN_WIDTH = 100  # wrap width when the report does not go to a terminal
SPINNER_DELAY = 0.4  # seconds before the spinner shows: quick runs print nothing extra


def wants_color(is_tty: bool, env: Mapping[str, str]) -> bool:
    """Colour on a TTY; NO_COLOR (any value) turns it off, FORCE_COLOR turns it on."""
    if env.get("NO_COLOR", ""):
        return False
    force = env.get("FORCE_COLOR")
    if force is not None and force.strip().lower() not in ("0", "false", "no"):
        return True
    return is_tty


def isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def width(is_tty: bool) -> int:
    return shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns if is_tty else PLAIN_WIDTH


def check_writable(path: Path) -> None:
    """Fail before a long review when --output cannot be written (a directory, a link, no directory)."""
    from reviewbot.outfile import check_target

    check_target(path, "--output")


def write_report(text: str, path: Path | None, stream: TextIO) -> None:
    if path is None:
        stream.write(_encodable(text, getattr(stream, "encoding", None) or "utf-8"))
        stream.flush()
        return
    from reviewbot.outfile import write_file

    write_file(path, text, "--output")


def _encodable(text: str, encoding: str) -> str:
    """`text` with characters the stream cannot encode replaced, never an exception."""
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        return text.encode(encoding, "replace").decode(encoding, "replace")


class Spinner:
    """A rich status line on stderr that appears only when a run takes a while.

    Use as a context manager; `update(message)` changes the text. When
    disabled (stderr is not a terminal) it does nothing and imports nothing.
    """

    def __init__(self, enabled: bool, message: str = "reviewing", delay: float = SPINNER_DELAY) -> None:
        self.enabled = enabled
        self.message = message
        self.delay = delay
        self._lock = threading.Lock()
        self._status: Any = None
        self._stopped = False
        self._timer: threading.Timer | None = None

    def __enter__(self) -> Self:
        if self.enabled:
            self._timer = threading.Timer(self.delay, self._start)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._stopped = True
            if self._timer is not None:
                self._timer.cancel()
            if self._status is not None:
                self._status.stop()
        if self._timer is not None:
            self._timer.join()

    def update(self, message: str) -> None:
        from reviewbot.visible import visible

        with self._lock:
            self.message = message = visible(message, one_line=True)
            if self._status is not None:
                self._status.update(message)

    def _start(self) -> None:
        from rich.console import Console

        with self._lock:
            if self._stopped:
                return
            self._status = Console(file=sys.stderr).status(self.message)
            self._status.start()
