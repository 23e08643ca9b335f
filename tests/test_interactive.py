"""`reviewbot check --interactive`: the why-chain in a terminal, driven by scripted input."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from threads_support import tiny_graph

from reviewbot.interactive import (
    Session,
    as_thread_text,
    read_snippets,
    root_thread,
    run,
)
from reviewbot.learner.local import open_learner_store
from reviewbot.models import Comment, PrincipleRef, Review, Severity
from reviewbot.threads.state import rebuild_state


def _comment(pid: str, line: int = 2) -> Comment:
    p = tiny_graph().get(pid)
    return Comment("app.py", line, Severity.WARNING, "Mutable default argument", "Use None as the default.",
                   PrincipleRef(p.id, p.name, p.why), "ruff:B006")


REVIEW = Review((_comment("mutable-default"), _comment("convergent", 5)))


class Script:
    """Answers prompts from a list of lines; EOFError when they run out, like a closed stdin."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines, self.prompts = list(lines), []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)


def _session(lines, store=None, model=None, review=REVIEW) -> tuple[Session, list[str]]:
    out: list[str] = []
    session = Session(review, tiny_graph(), Script(lines), out.append, "ada", store=store, model=model)
    return session, out


def test_walks_the_why_chain_of_a_finding_down_to_bedrock(tmp_path: Path) -> None:
    store = open_learner_store(f"sqlite:///{tmp_path / 'profile.sqlite3'}")
    session, out = _session(["1", "why", "why", "why", "got it", "q"], store)
    assert run(session) == 0
    text = "\n".join(out)
    assert "1. app.py:2 [warning] Mutable default argument (Mutable default)" in text
    assert "Why does Mutable default hold?" in text and "Why does Evaluation time hold?" in text
    assert "here is the whole chain in three lines" in text  # no repetition at bedrock
    assert "<!--" not in text  # markers stay hidden in the terminal
    assert "Noted: Definition time marked as understood" in text
    view = store.view("local", "ada")
    assert view.understood == frozenset({"definition-time"})
    assert dict(view.deepest)["mutable-default"] == 2


def test_simpler_example_and_check_in_the_terminal() -> None:
    session, out = _session(["1", "simpler", "example", "check the list is made once", "quit"])
    run(session)
    text = "\n".join(out)
    assert "Mutable default like a toy box." in text
    assert "def f(x=[]): ..." in text
    assert "**I can't tell**" in text


def test_check_uses_the_model_when_there_is_one(fake_model) -> None:
    fake_model.replies.append(json.dumps({"principle": "mutable-default", "verdict": "misconception",
                                          "gap": "It is made once.", "correction": "No.", "matched": []}))
    session, out = _session(["1", "check a new list is made per call", "q"], model=fake_model)
    run(session)
    assert "**The gap:** It is made once." in "\n".join(out)
    assert "a new list is made per call" in fake_model.requests[0][0][1]["content"]


def test_back_returns_to_the_list_and_each_finding_has_its_own_thread() -> None:
    session, out = _session(["1", "why", "back", "2", "why", "q"])
    run(session)
    text = "\n".join(out)
    assert "Why does Mutable default hold?" in text and "Why does Convergent hold?" in text
    assert session.read.prompts.count("Pick a finding by number (q to quit): ") == 2


def test_bad_choices_and_end_of_input_are_handled() -> None:
    session, out = _session(["7", "x", ""])
    assert run(session) == 0
    assert out.count("Type a number from 1 to 2, or q.") == 3


def test_end_of_input_inside_a_thread_quits() -> None:
    session, _ = _session(["1", "why"])
    assert run(session) == 0


def test_no_findings() -> None:
    session, out = _session([], review=Review(()))
    assert run(session) == 0 and out == ["No findings to explore."]


@pytest.mark.parametrize(
    ("typed", "sent"),
    [("check it is shared", "check: it is shared"), ("check: it is shared", "check: it is shared"),
     ("check", "check"), ("why", "why")],
)
def test_terminal_shorthand(typed: str, sent: str) -> None:
    assert as_thread_text(typed) == sent


def test_the_root_thread_is_a_reviewbot_comment_on_the_finding(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import os\ndef f(x=[]):\n    x.append(1)\n    return x\n")
    snippets = read_snippets(REVIEW, lambda path: (tmp_path / path).read_bytes())
    thread = root_thread(REVIEW.comments[0], snippets)
    assert rebuild_state(thread, tiny_graph()).principle == "mutable-default"
    assert "    2 def f(x=[]):" in thread.diff_hunk
    assert read_snippets(REVIEW, lambda path: (tmp_path / "missing" / path).read_text()) == {}
    assert read_snippets(REVIEW, lambda path: None) == {}


def test_the_terminal_edge_keeps_the_profile_in_the_data_dir(tmp_path: Path, monkeypatch, capsys) -> None:
    from reviewbot.interactive import run_terminal
    from reviewbot.principles import load_graph

    principle = load_graph().all()[0]
    review = Review((Comment("app.py", 1, Severity.INFO, "t", "b", principle.ref(), "diff:x"),))
    answers = iter(["1", "got it", "q"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    env = {"REVIEWBOT_DATA_DIR": str(tmp_path), "REVIEWBOT_LOGIN": "ada"}
    assert run_terminal(review, env, lambda path: None) == 0
    assert f"Noted: {principle.name} marked as understood" in capsys.readouterr().out
    store = open_learner_store(f"sqlite:///{tmp_path / 'profile.sqlite3'}")
    assert store.view("local", "ada").understood == frozenset({principle.id})


def test_the_terminal_tutor_checks_asks_back_and_records_evidence(tmp_path: Path) -> None:
    from reviewbot.models import Comment, PrincipleRef, Review, Severity
    from reviewbot.principles import load_graph

    graph = load_graph()
    p = graph.get("no-shared-mutable-defaults")
    finding = Comment("app.py", 2, Severity.WARNING, "Mutable default argument",
                      "`tags=[]` is built once, when `def search` runs.\n\nHow to fix: Default to `None`.",
                      PrincipleRef(p.id, p.name, p.why), "ruff:B006")
    store = open_learner_store(f"sqlite:///{tmp_path / 'profile.sqlite3'}")
    lines = ["1", "I think python copies the default on each call", "why", "more",
             "[1], [1, 2], [3], [1, 2, 4]: the same list, created once", "example in my code", "q"]
    out: list[str] = []
    session = Session(Review((finding,)), graph, Script(lines), out.append, "ada", store)
    assert run(session) == 0
    text = "\n".join(out)
    assert "**Not quite: that is a common misconception** about Don't share mutable defaults." in text
    assert "**Quick check (Don't share mutable defaults):**" in text
    assert "**Correct** about Don't share mutable defaults." in text
    assert "`tags=[]` is built once, when `def search` runs." in text  # answers about this code
    kinds = [(e.kind, e.outcome) for e in store.evidence("local", "ada")]
    assert kinds == [("check", "misconception"), ("probe", "correct")]
