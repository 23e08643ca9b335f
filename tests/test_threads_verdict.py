"""The offline verdict (reviewbot.threads.verdict) on learner statements, against the real graph."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from reviewbot.principles import load_graph
from reviewbot.threads.verdict import (
    CORRECT,
    MISCONCEPTION,
    PARTLY,
    UNKNOWN,
    clauses_of,
    judge,
    judge_about,
    judge_answer,
    renders,
)

STATEMENTS = Path(__file__).parent / "fixtures" / "learner_statements.toml"
# Measured on tests/fixtures/learner_statements.toml (78 statements, 24 principles):
# 69 right (88%), every wrong one an honest "unknown" or one partly called correct.
ACCURACY_FLOOR = 0.85
LABELS = (CORRECT, PARTLY, MISCONCEPTION)


@pytest.fixture(scope="module")
def graph():
    return load_graph()


def _statements() -> list[dict]:
    return tomllib.loads(STATEMENTS.read_text(encoding="utf-8"))["statement"]


def test_evaluation_set_is_large_and_broad() -> None:
    rows = _statements()
    assert len(rows) >= 60
    assert len({row["principle"] for row in rows}) >= 20
    assert {row["label"] for row in rows} == set(LABELS)


def test_accuracy_on_the_hand_labelled_statements(graph) -> None:
    rows = _statements()
    outcome = Counter()
    for row in rows:
        verdict = judge(graph.get(row["principle"]), row["text"])
        outcome[(row["label"], verdict.verdict)] += 1
        if row["label"] == MISCONCEPTION:
            assert verdict.verdict != CORRECT, row["text"]
        if verdict.verdict == MISCONCEPTION and row.get("misconception"):
            assert row["misconception"] in verdict.matched, row["text"]
    right = sum(outcome[(label, label)] for label in LABELS)
    per_label = {label: f"{outcome[(label, label)]}/{sum(n for (l, _), n in outcome.items() if l == label)}"
                 for label in LABELS}
    unknown = sum(n for (_, got), n in outcome.items() if got == UNKNOWN)
    print(f"\noffline verdict: n={len(rows)} accuracy={right / len(rows):.2f} per label {per_label} "
          f"can't tell={unknown}")
    assert right / len(rows) >= ACCURACY_FLOOR
    assert outcome[(CORRECT, MISCONCEPTION)] == 0  # never tell a right learner they are wrong


def test_every_listed_misconception_is_recognised(graph) -> None:
    principles = [p for p in graph.all() if p.misconceptions]
    assert len(principles) >= 20
    for p in principles:
        for m in p.misconceptions:
            verdict = judge(p, f"hmm, I think {m.cues[0]}")
            assert verdict.verdict == MISCONCEPTION, (p.id, m.cues[0])
            assert m.id in verdict.matched
            assert verdict.correction == m.correction


def test_one_key_point_is_partly_correct_and_names_what_is_missing(graph) -> None:
    checked = 0
    for p in graph.all():
        if len(p.key_points) < 2:
            continue
        cue = p.key_points[0].cues[0]
        others = [c for k in p.key_points for c in k.cues if c != cue]
        if any(c in cue for c in others):
            continue  # this phrasing also says another phrase of the data ("four chunks" holds "chunks")
        verdict = judge(p, f"well, {cue}")
        assert verdict.verdict == PARTLY, (p.id, cue)
        assert verdict.correction == p.key_points[1].point
        checked += 1
    assert checked >= 20


def test_two_key_points_are_correct(graph) -> None:
    checked = 0
    for p in graph.all():
        if len(p.key_points) >= 2:
            first, second = p.key_points[0].cues[0], p.key_points[1].cues[0]
            assert judge(p, f"{first}; and {second}").verdict == CORRECT, p.id
            checked += 1
    assert checked >= 20


def test_nothing_recognisable_is_cant_tell_not_a_guess(graph) -> None:
    for p in graph.all():
        verdict = judge(p, "no idea honestly, I like turtles")
        assert verdict.verdict == UNKNOWN, p.id
        assert verdict.matched == ()


def test_negated_misconception_counts_for_the_learner(graph) -> None:
    p = graph.get("no-shared-mutable-defaults")
    assert judge(p, "python copies the default").verdict == MISCONCEPTION
    assert judge(p, "python doesn't copy the default").verdict != MISCONCEPTION
    said = judge(p, "the default isnt created every time, its the same list")
    assert said.verdict == CORRECT


def test_typos_are_forgiven(graph) -> None:
    p = graph.get("no-shared-mutable-defaults")
    assert judge(p, "it's evaluted once, so the same lsit is shared betwen calls").verdict == CORRECT


def test_code_stays_one_clause() -> None:
    assert "|" not in clauses_of("json.loads(0.1 + 0.2)")[:-1]


def test_about_picks_the_principle_the_learner_talks_about(graph) -> None:
    layer, root = graph.get("names-are-references"), graph.get("no-shared-mutable-defaults")
    verdict = judge_about([layer, root], "check: the list is shared because we always pass a list anyway")
    assert verdict.principle == root.id
    assert verdict.matched == ("passing-argument-fixes-it",)


def test_probe_answers(graph) -> None:
    p = graph.get("no-shared-mutable-defaults")
    assert judge_answer(p.probe, p, "[1], [1, 2], [3] and [1, 2, 4] since the list is created once").verdict == CORRECT
    assert judge_answer(p.probe, p, "python copies the default so [1] [2] [3] [4]").verdict == MISCONCEPTION
    unknown = judge_answer(p.probe, p, "an error?")
    assert unknown.verdict == UNKNOWN and unknown.correction == p.probe.answer


def test_rendered_verdicts_name_gap_and_correction(graph) -> None:
    p = graph.get("no-shared-mutable-defaults")
    text = renders(judge(p, "python copies the default"), p.name)
    assert "misconception" in text and "**What is true:**" in text
    assert "I can't tell" in renders(judge(p, "bananas"), p.name)


def test_negation_words_survive_the_ending_rules() -> None:
    from reviewbot.threads.verdict import tokens

    assert "nothing" in tokens("nothing in the else branch covers it")
    assert "not" not in tokens("the form keeps email, phone, notes")
