"""Running a third-party linter on hostile code: a private copy, reviewbot's own configuration, limits.

A pull request can add a linter configuration or plugin (`.oxlintrc.json`,
`eslint.config.js`, `.hadolint.yaml`, `.shellcheckrc`, `sgconfig.yml`, `zizmor.yml`)
and a linter that loads it runs the pull request's code or obeys its settings. So
every tool runs in a fresh temporary directory that holds only the files under
review (written from their text, never copied as links), with a configuration file
reviewbot writes, `HOME` and the XDG directories pointing into that directory (no
user or system configuration either), no proxy settings, a time limit and a cap on
the output it may produce. A tool that is missing, times out, crashes or prints
something unreadable becomes a `ToolFailure` with a one-line reason, never a
traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

DEFAULT_TIMEOUT = 30.0  # seconds per tool run
MAX_OUTPUT = 8 * 1024 * 1024  # bytes of stdout a tool may produce before it is stopped
KEPT_VARIABLES = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")


class ToolFailure(Exception):
    """A tool could not give an answer; `str()` is the reason, for the report."""


@dataclass(frozen=True)
class ToolRun:
    stdout: str
    returncode: int


def find_tool(name: str) -> str | None:
    """The tool's executable: the one installed beside this Python (its wheel), else on PATH."""
    here = str(Path(sys.executable).parent)
    return shutil.which(name, path=os.pathsep.join([here, os.environ.get("PATH", "")]))


@contextmanager
def workspace(files: Mapping[str, str], config: Mapping[str, str] = {}) -> Iterator[Path]:
    """A temporary directory holding `files` (relative path -> text) and reviewbot's `config` files."""
    with tempfile.TemporaryDirectory(prefix="reviewbot-tool-") as directory:
        root = Path(directory)
        (root / ".home").mkdir()
        for name, text in {**files, **config}.items():
            target = root / safe_relative(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", errors="surrogateescape")
        yield root


def safe_relative(name: str) -> PurePosixPath:
    """`name` as a path that stays inside the workspace; ValueError otherwise."""
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(part in {"..", ""} for part in path.parts) or "\0" in name:
        raise ValueError(f"refusing to place {name!r} in a tool workspace")
    return path


def run_tool(
    argv: Sequence[str], cwd: Path, timeout: float = DEFAULT_TIMEOUT, ok_codes: Sequence[int] = (0, 1)
) -> ToolRun:
    """Run `argv` in `cwd` with a clean environment; ToolFailure on anything but an answer.

    Output goes to files capped by RLIMIT_FSIZE (a tool that writes more is stopped by
    the kernel), and the tool runs in its own process group, so a timeout stops its
    children too.
    """
    name = Path(argv[0]).name
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            process = subprocess.Popen(
                list(argv), cwd=cwd, env=clean_environment(cwd), stdin=subprocess.DEVNULL, stdout=out,
                stderr=err, start_new_session=True, preexec_fn=_limit_output,
            )
        except OSError as error:
            raise ToolFailure(f"{name} could not start: {error.strerror or error}") from None
        returncode = _wait(process, name, timeout)
        stdout, stderr = _read(out), _read(err)
    if len(stdout) >= MAX_OUTPUT:  # the limit was reached (a tool that ignores SIGXFSZ gets EFBIG instead)
        raise ToolFailure(f"{name} failed: its output passed {MAX_OUTPUT // 1_048_576} MB")
    if returncode < 0 or returncode not in ok_codes:
        raise ToolFailure(f"{name} failed: {_reason(returncode, stderr)}")
    return ToolRun(stdout.decode("utf-8", "replace"), returncode)


def clean_environment(root: Path) -> dict[str, str]:
    env = {name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ}
    home = str(root / ".home")
    env.update(HOME=home, XDG_CONFIG_HOME=home, XDG_CACHE_HOME=home, XDG_DATA_HOME=home, NO_COLOR="1")
    return env


def _limit_output() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT, MAX_OUTPUT))


def _wait(process: subprocess.Popen[bytes], name: str, timeout: float) -> int:
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ToolFailure(f"{name} took longer than {timeout:g} s") from None


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _read(handle: IO[bytes]) -> bytes:
    handle.seek(0)
    return handle.read(MAX_OUTPUT + 1)


def _reason(returncode: int, stderr: bytes) -> str:
    import signal

    if returncode == -signal.SIGXFSZ:
        return f"its output passed {MAX_OUTPUT // 1_048_576} MB"
    if returncode < 0:
        return f"stopped by signal {-returncode}"
    return " ".join(stderr.decode("utf-8", "replace").split())[:200] or f"exit status {returncode}"
