"""The terminal edge: colour decisions, the delayed spinner, writing reports."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from reviewbot.cli import terminal
from reviewbot.errors import InputError


@pytest.mark.parametrize(
    ("is_tty", "env", "expected"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, True),  # NO_COLOR counts only when non-empty
        (False, {"FORCE_COLOR": "1"}, True),
        (False, {"FORCE_COLOR": ""}, True),
        (True, {"FORCE_COLOR": "0"}, True),  # "0" does not force; the TTY still decides
        (False, {"FORCE_COLOR": "0"}, False),
        (False, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_wants_color(is_tty: bool, env: dict, expected: bool) -> None:
    assert terminal.wants_color(is_tty, env) is expected


def test_isatty_tolerates_odd_streams() -> None:
    assert terminal.isatty(io.StringIO()) is False
    assert terminal.isatty(object()) is False


def test_write_report_to_stream_replaces_unencodable_text() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    terminal.write_report("café \udcff\n", None, stream)
    assert raw.getvalue() == b"caf? ?\n"


def test_write_report_to_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    terminal.write_report("# ok\n", target, io.StringIO())
    assert target.read_text() == "# ok\n"


def test_write_failure_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing does not exist"):
        terminal.write_report("x", tmp_path / "missing" / "report.md", io.StringIO())


def test_spinner_disabled_does_nothing() -> None:
    with terminal.Spinner(False) as spinner:
        spinner.update("step")
    assert spinner._status is None


def test_spinner_stays_hidden_for_quick_runs() -> None:
    with terminal.Spinner(True, delay=5) as spinner:
        spinner.update("quick")
    assert spinner._status is None and spinner._timer is not None and not spinner._timer.is_alive()


def test_spinner_shows_after_the_delay_and_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with terminal.Spinner(True, "reviewing", delay=0.01) as spinner:
        deadline = time.monotonic() + 5
        while spinner._status is None and time.monotonic() < deadline:
            time.sleep(0.01)
        spinner.update("calling the model")
        assert spinner._status is not None
    assert spinner._stopped
