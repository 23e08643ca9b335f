"""The Action's learner profile: rebuilt from the pull request's own why-threads, held in memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reviewbot.action.history import learner_from_threads
from reviewbot.adapters.github.host import PostedComment
from reviewbot.learner.local import open_learner_store
from reviewbot.learner.memory import MemoryLearner
from reviewbot.principles import load_graph
from reviewbot.threads.markers import format_marker

BOT, HOST, PR = "github-actions[bot]", "github.com", "octo/hello#2"
RIGHT = "check: the default list is evaluated once when def runs, so every call that leaves out tags gets the same list"


@pytest.fixture(scope="module")
def graph():
    return load_graph()


def _root(comment_id: int, principle: str = "no-shared-mutable-defaults", author: str = BOT) -> PostedComment:
    body = f"{format_marker({'principle': principle, 'depth': 0})}\n**Mutable default argument**"
    return PostedComment(comment_id, author, body, "app.py", 5, None, "Bot" if author == BOT else "User")


def _reply(comment_id: int, root: int, body: str, author: str = "alice") -> PostedComment:
    return PostedComment(comment_id, author, body, "app.py", 5, root, "Bot" if author == BOT else "User")


def test_a_right_check_and_a_got_it_are_rebuilt_for_the_person_who_wrote_them(graph) -> None:
    comments = [_root(1), _reply(2, 1, RIGHT), _root(3, "parameterize-queries"), _reply(4, 3, "got it")]
    learner = learner_from_threads(comments, BOT, graph, HOST, PR)
    view = learner.view(HOST, "alice")
    assert view.standing("no-shared-mutable-defaults").passed
    assert view.standing("parameterize-queries").reported and view.knows("parameterize-queries")
    assert not view.knows("no-shared-mutable-defaults")  # a check is evidence, not a "got it"
    assert learner.view(HOST, "bob").standings == {}
    assert {row.pull_request for row in learner.evidence(HOST, "alice") if row.kind == "check"} == {PR}


def test_the_reply_being_answered_now_is_left_out(graph) -> None:
    learner = learner_from_threads([_root(1), _reply(2, 1, "got it")], BOT, graph, HOST, PR, skip=2)
    assert learner.view(HOST, "alice").standings == {}


def test_only_threads_reviewbot_started_count_and_never_its_own_words(graph) -> None:
    comments = [
        _root(1, author="mallory"), _reply(2, 1, "got it"),  # a thread a person started
        _root(3), _reply(4, 3, "got it", author=BOT),  # reviewbot's own reply
        _reply(5, 99, "got it"),  # a reply to a comment that is not on the pull request
    ]
    learner = learner_from_threads(comments, BOT, graph, HOST, PR)
    assert learner.view(HOST, "alice").standings == {} and learner.view(HOST, BOT).standings == {}


def test_a_misconception_after_a_got_it_resets_the_streak(graph) -> None:
    comments = [_root(1), _reply(2, 1, "got it"), _reply(3, 1, "check: python copies the default on each call")]
    standing = learner_from_threads(comments, BOT, graph, HOST, PR).view(HOST, "alice").standing(
        "no-shared-mutable-defaults")
    assert standing.streak == 0 and standing.checks == 1


def test_the_memory_profile_answers_like_the_database_one(tmp_path: Path) -> None:
    moments = iter(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=n) for n in range(100))
    times = list(moments)
    clock_a, clock_b = iter(times), iter(times)
    memory = MemoryLearner(lambda: next(clock_a))
    database = open_learner_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", clock=lambda: next(clock_b))
    for learner in (memory, database):
        learner.shown(HOST, "alice", [("names-are-references", 0), ("no-shared-mutable-defaults", 2)])
        learner.shown(HOST, "alice", [("names-are-references", 1)])
        learner.understood(HOST, "alice", ["names-are-references"])
        learner.record(HOST, "alice", [("no-shared-mutable-defaults", "probe", "correct")], PR)
        learner.record(HOST, "alice", [("names-are-references", "violation", "")], PR)
        learner.record_model_reply(HOST, "alice", "octo/hello", 2)
    assert memory.view(HOST, "alice") == database.view(HOST, "alice")
    assert memory.view(HOST, "bob") == database.view(HOST, "bob")
    assert len(memory.model_replies(HOST, "alice", "octo/hello", 2)) == 1
    with pytest.raises(ValueError, match="unknown evidence kind"):
        memory.record(HOST, "alice", [("x", "bogus", "")])
