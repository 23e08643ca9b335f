"""The entry point: help, dispatch, and the one-line error guarantee with its exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reviewbot.cli import main as cli_main
from reviewbot.cli.main import main
from reviewbot.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
REVIEWBOT = Path(sys.executable).parent / "reviewbot"


def run_console(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The installed console script, as a user runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "REVIEWBOT_"))}
    return subprocess.run(
        [str(REVIEWBOT), *args], check=False, input=stdin, capture_output=True, cwd=cwd, env=env, timeout=60
    )


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "check" in out and "why" in out and "principles" in out


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert "usage: reviewbot" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from reviewbot import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"reviewbot {__version__}"


def test_check_help_documents_inputs_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--help"]) == 0
    out = capsys.readouterr().out
    for text in (
        "--git [BASE]",
        "--staged",
        "--format",
        "--fail-on",
        "--offline",
        "--level",
        "--max-comments",
        "exit status",
    ):
        assert text in out


def test_usage_errors_exit_2_in_reviewbot_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "x.diff", "--format", "xml"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("reviewbot: error: argument -f/--format: invalid choice: 'xml'")


def test_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chek"]) == 2
    assert "reviewbot: error: argument COMMAND: invalid choice: 'chek'" in capsys.readouterr().err


def test_conflicting_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "x.diff", "--staged"]) == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_reviewbot_errors_become_one_line_and_their_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object, env: object) -> int:
        raise ConfigError(".reviewbot.toml: unknown key 'ignorez' (did you mean 'ignore'?)")

    monkeypatch.setitem(cli_main.HANDLERS, "check", "tests_cli_fake:broken")
    monkeypatch.setitem(sys.modules, "tests_cli_fake", type(sys)("tests_cli_fake"))
    sys.modules["tests_cli_fake"].broken = broken  # type: ignore[attr-defined]
    assert main(["check", "-"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "reviewbot: error: .reviewbot.toml: unknown key 'ignorez' (did you mean 'ignore'?)\n"
    assert captured.out == ""


@pytest.mark.parametrize(
    ("exc", "code", "message"),
    [
        (KeyboardInterrupt(), 130, "reviewbot: interrupted\n"),
        (
            RuntimeError("boom\nsecond line"),
            3,
            "reviewbot: internal error: RuntimeError: boom (please report it; REVIEWBOT_DEBUG=1 shows the traceback)\n",
        ),
    ],
)
def test_interrupts_and_bugs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], exc: BaseException, code: int, message: str
) -> None:
    fake = type(sys)("tests_cli_fake")

    def raising(args: object, env: object) -> int:
        raise exc

    fake.raising = raising  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests_cli_fake", fake)
    monkeypatch.setitem(cli_main.HANDLERS, "check", "tests_cli_fake:raising")
    assert main(["check", "-"], env={}) == code
    assert capsys.readouterr().err == message


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = type(sys)("tests_cli_fake")

    def raising(args: object, env: object) -> int:
        raise RuntimeError("boom")

    fake.raising = raising  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests_cli_fake", fake)
    monkeypatch.setitem(cli_main.HANDLERS, "check", "tests_cli_fake:raising")
    with pytest.raises(RuntimeError, match="boom"):
        main(["check", "-"], env={"REVIEWBOT_DEBUG": "1"})


# --- the installed console script ---


def test_console_script_help_and_exit_codes() -> None:
    done = run_console("--help")
    assert done.returncode == 0 and b"usage: reviewbot" in done.stdout
    done = run_console("check", "does-not-exist.diff")
    assert done.returncode == 2
    assert done.stderr == b"reviewbot: error: does-not-exist.diff: no such file\n"


def test_console_script_never_prints_a_traceback_for_bad_input(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 4)
    for args in (["check", str(garbage)], ["check", str(tmp_path)], ["check", "--git", "--root", str(tmp_path)]):
        done = run_console(*args)
        assert done.returncode == 2, args
        assert b"Traceback" not in done.stderr
        assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith(b"reviewbot: error: ")


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reviewbot", "--version"], check=False, capture_output=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0 and done.stdout.startswith(b"reviewbot ")


def test_console_script_colours_a_terminal_only() -> None:
    import pty

    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
    args = [str(REVIEWBOT), "check", "examples/demo.diff", "--root", "examples/demo", "--offline"]
    with subprocess.Popen(args, stdout=secondary, stderr=subprocess.DEVNULL, cwd=ROOT, env=env) as process:
        os.close(secondary)
        output = _read_all(primary)
        assert process.wait(timeout=60) == 1
    assert b"\x1b[" in output  # a terminal gets colour
    piped = run_console("check", "examples/demo.diff", "--root", "examples/demo", "--offline")
    assert piped.returncode == 1 and b"\x1b[" not in piped.stdout  # a pipe does not


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)
