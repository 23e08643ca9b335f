"""`reviewbot why PRINCIPLE --check/--probe/--answer` through main(), on the shipped graph."""

from __future__ import annotations

import json

import pytest

from reviewbot.cli.main import main


def _json(capsys, *argv: str) -> dict:
    assert main(["why", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_check_names_the_misconception(capsys) -> None:
    out = _json(capsys, "no-shared-mutable-defaults", "--check", "so python copies the default on each call?")
    assert out["principle"] == "no-shared-mutable-defaults"
    assert out["verdict"] == "misconception"
    assert out["matched"] == ["default-rebuilt-per-call"]
    assert "once" in out["correction"]


@pytest.mark.parametrize(("statement", "verdict"), [
    ("it's evaluated once when def runs, so every call gets the same list", "correct"),
    ("the same list is reused", "partly"),
    ("pineapples", "unknown"),
])
def test_check_verdicts(capsys, statement: str, verdict: str) -> None:
    out = _json(capsys, "ruff:B006", "--check", statement)
    assert out["verdict"] == verdict
    assert (out["gap"] is None) == (verdict in ("correct", "unknown"))


def test_probe_and_answer(capsys) -> None:
    assert main(["why", "names-are-references", "--probe"]) == 0
    assert "print(a, b)" in capsys.readouterr().out
    out = _json(capsys, "names-are-references", "--answer", "[1, 2, 3, 4] [1, 2, 3]: b is the same list, += in place")
    assert out["verdict"] == "correct"
    wrong = _json(capsys, "names-are-references", "--answer", "[1, 2, 4] [1, 2, 3] because b is a copy of a")
    assert wrong["verdict"] == "misconception"


def test_text_output_shows_gap_and_correction(capsys) -> None:
    assert main(["why", "sql-null-is-unknown", "--check", "where x = null finds the empty ones"]) == 0
    out = capsys.readouterr().out
    assert "misconception" in out and "What is true:" in out


def test_empty_statement_is_a_usage_error(capsys) -> None:
    assert main(["why", "sql-null-is-unknown", "--check", "  "]) == 2
    assert "give the statement" in capsys.readouterr().err


def test_check_and_probe_exclude_each_other(capsys) -> None:
    assert main(["why", "sql-null-is-unknown", "--check", "x", "--probe"]) == 2
    assert "not allowed with argument --check" in capsys.readouterr().err
