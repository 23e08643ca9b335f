"""`reviewbot why PRINCIPLE --check/--probe/--answer` through main(), on the shipped graph."""

from __future__ import annotations

import json

import pytest

from reviewbot.cli.main import main


@pytest.fixture(autouse=True)
def _own_profile(tmp_path, monkeypatch) -> None:
    """Verdicts are noted in the local profile: here, a profile of the test's own."""
    monkeypatch.setenv("REVIEWBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REVIEWBOT_LOGIN", "alice")
    monkeypatch.delenv("CI", raising=False)


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


def _evidence(tmp_path) -> list[tuple[str, str, str]]:
    from reviewbot.learner.local import open_learner_store

    path = tmp_path / "data" / "profile.sqlite3"
    if not path.exists():
        return []
    rows = open_learner_store(f"sqlite:///{path}").evidence("local", "alice")
    return [(row.principle, row.kind, row.outcome) for row in rows]


def test_a_check_and_an_answer_are_noted_in_the_local_profile(capsys, tmp_path) -> None:
    assert main(["why", "ruff:B006", "--check", "python copies the default on each call"]) == 0
    assert "noted in alice's local learner profile" in capsys.readouterr().err
    _json(capsys, "names-are-references", "--answer", "[1, 2, 3, 4] [1, 2, 3]: b is the same list, += in place")
    assert _evidence(tmp_path) == [("no-shared-mutable-defaults", "check", "misconception"),
                                   ("names-are-references", "probe", "correct")]


def test_the_noted_verdicts_fade_and_show_like_a_threads(capsys, tmp_path) -> None:
    from reviewbot.learner.local import open_learner_store

    _json(capsys, "names-are-references", "--answer", "[1, 2, 3, 4] [1, 2, 3]: b is the same list, += in place")
    store = open_learner_store(f"sqlite:///{tmp_path / 'data' / 'profile.sqlite3'}")
    assert store.view("local", "alice").standing("names-are-references").passed  # a later review: one line
    assert main(["learner", "alice"]) == 0
    assert "quick checks answered: 1 right, 0 wrong" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "env"), [
    (["--no-record"], {}),
    ([], {"CI": "true"}),
])
def test_no_record_and_ci_leave_the_profile_alone(capsys, tmp_path, monkeypatch, argv, env) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["why", "ruff:B006", "--check", "python copies the default", *argv]) == 0
    assert "noted in" not in capsys.readouterr().err
    assert _evidence(tmp_path) == []


def test_the_probe_question_alone_notes_nothing(capsys, tmp_path) -> None:
    assert main(["why", "names-are-references", "--probe"]) == 0
    assert _evidence(tmp_path) == []


def test_help_says_where_verdicts_go_and_how_to_keep_them_out(capsys) -> None:
    assert main(["why", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--no-record" in text and "local profile" in text and "CI=true" in text
