"""The offline verdict (reviewbot.threads.verdict) on learner statements, against the real graph."""

from __future__ import annotations

import re
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
HELD_OUT = Path(__file__).parent / "fixtures" / "learner_statements_heldout.toml"
# Measured on tests/fixtures/learner_statements.toml (78 statements, 24 principles): 75 right (96%),
# 1 "can't tell". On the held-out set (53 statements, 24 principles, written before the paraphrase
# matching and never used to tune it): 35 right (66%), 15 "can't tell" (before: 16 right, 29 "can't tell").
ACCURACY_FLOOR = 0.93
HELD_OUT_FLOOR = 0.64
LABELS = (CORRECT, PARTLY, MISCONCEPTION)


@pytest.fixture(scope="module")
def graph():
    return load_graph()


def _statements(path: Path = STATEMENTS) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["statement"]


@pytest.mark.parametrize(("path", "least"), [(STATEMENTS, 60), (HELD_OUT, 40)])
def test_evaluation_sets_are_large_and_broad(path: Path, least: int) -> None:
    rows = _statements(path)
    assert len(rows) >= least
    assert len({row["principle"] for row in rows}) >= 20
    assert {row["label"] for row in rows} == set(LABELS)


def test_the_held_out_set_shares_no_statement_with_the_first() -> None:
    first = {row["text"] for row in _statements()}
    assert not first & {row["text"] for row in _statements(HELD_OUT)}


@pytest.mark.parametrize(("path", "floor"), [(STATEMENTS, ACCURACY_FLOOR), (HELD_OUT, HELD_OUT_FLOOR)])
def test_accuracy_on_the_hand_labelled_statements(graph, path: Path, floor: float) -> None:
    rows = _statements(path)
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
    print(f"\noffline verdict on {path.name}: n={len(rows)} accuracy={right / len(rows):.2f} per label {per_label} "
          f"can't tell={unknown}")
    assert right / len(rows) >= floor
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


# --- the learner's own words (reviewbot.threads.paraphrase) ---------------------------------


def test_a_key_point_in_other_words_counts(graph) -> None:
    p = graph.get("names-are-references")
    said = judge(p, "assignment binds the name to the same object, it never copies it")
    assert said.verdict in (PARTLY, CORRECT) and p.key_points[0].point in said.points


def test_a_key_point_turned_around_does_not_count(graph) -> None:
    p = graph.get("set-timeouts")
    point = judge(p, "a call with no timeout can hang for ever, and the stuck calls pile up into an outage")
    assert p.key_points[0].point in point.points
    turned = judge(p, "a call without a timeout cannot hold a thread or a connection for ever")
    assert p.key_points[0].point not in turned.points


def test_the_rule_without_its_reason_is_partly_correct_and_the_reason_is_the_gap(graph) -> None:
    p = graph.get("no-shared-mutable-defaults")
    said = judge(p, "we should not use a mutable default argument")
    assert said.verdict == PARTLY
    assert said.correction == p.key_points[0].point and "why" in (said.gap or "")


def test_the_rule_waved_off_is_not_partly_correct(graph) -> None:
    assert judge(graph.get("no-shared-mutable-defaults"), "mutable defaults are fine here honestly").verdict == UNKNOWN


def test_a_belief_in_other_words_is_a_misconception(graph) -> None:
    p = graph.get("floats-are-approximations")
    said = judge(p, "putting the float into a Decimal makes it exact")
    assert said.verdict == MISCONCEPTION and said.matched == ("decimal-from-float",)


def test_a_belief_said_with_a_negation_is_rejected_not_held(graph) -> None:
    p = graph.get("parameterize-queries")
    assert judge(p, "escaping the quotes makes the string-built sql safe").verdict == MISCONCEPTION
    denied = judge(p, "escaping the quotes does not make string-built sql safe")
    assert denied.verdict != MISCONCEPTION and denied.matched == ()


def test_waving_something_off_is_not_a_denial(graph) -> None:
    p = graph.get("csrf-and-cookie-flags")
    said = judge(p, "browsers default cookies to samesite lax now, so we don't need csrf tokens")
    assert said.verdict == MISCONCEPTION


def test_the_exact_output_of_a_predict_the_output_question_is_correct(graph) -> None:
    p = graph.get("no-shared-mutable-defaults")
    assert judge_answer(p.probe, p, "[1], [1, 2], [3], [1, 2, 4]").verdict == CORRECT
    assert judge_answer(p.probe, p, "[1] [2] [3] [4]").verdict != CORRECT
    q = graph.get("assert-is-not-validation")
    assert judge_answer(q.probe, q, "-40 i guess").verdict == CORRECT
    assert judge_answer(q.probe, q, "60").verdict != CORRECT
    checked = 0
    for principle in graph.all():
        probe = principle.probe
        if probe is None or "print" not in probe.question.lower():
            continue
        first = re.split(r"(?<=[.:])\s", probe.answer.strip(), maxsplit=1)[0]
        printed = re.findall(r"`([^`]+)`", first)
        if printed and re.search(r"\d", " ".join(printed)):  # answered with exactly what it prints
            assert judge_answer(probe, principle, "it prints " + " ".join(printed)).verdict == CORRECT, principle.id
            checked += 1
    assert checked >= 10
