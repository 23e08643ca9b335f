"""Reading the model's answer: strict JSON, JSON inside prose, recovered pieces of a broken answer."""

from __future__ import annotations

import json

from reviewbot.llm.parse import parse_answer


def _comment(**fields) -> dict:
    base = {"path": "app.py", "line": 3, "end_line": None, "severity": "error", "category": "security",
            "title": "T", "body": "B", "suggestion": None, "principle_id": "p", "new_principle_name": None,
            "why": "W"}
    return {**base, **fields}


def test_strict_json_answer() -> None:
    answer = parse_answer(json.dumps({"comments": [_comment()], "notes": ["general"]}))
    assert answer.readable and not answer.recovered
    assert answer.comments[0].path == "app.py" and answer.comments[0].severity == "error"
    assert answer.notes == ("general",)


def test_json_inside_prose_and_a_code_fence() -> None:
    text = "Here is my review:\n```json\n" + json.dumps({"comments": [_comment()], "notes": []}) + "\n```\nBye"
    answer = parse_answer(text)
    assert answer.readable and len(answer.comments) == 1


def test_other_field_names_and_severities_are_understood() -> None:
    obj = {"file": "./app.py", "line_number": "7", "severity": "critical", "message": "Bad. Fix it.",
           "principle": "p"}
    comment = parse_answer(json.dumps({"comments": [obj]})).comments[0]
    assert (comment.path, comment.line, comment.severity, comment.body) == ("app.py", 7, "error", "Bad. Fix it.")
    assert comment.title == "Bad" and comment.principle_id == "p" and comment.category == "correctness"


def test_truncated_answer_yields_the_complete_comments() -> None:
    full = json.dumps({"comments": [_comment(line=3), _comment(line=4), _comment(line=5)], "notes": []})
    answer = parse_answer(full[: full.index('"line": 5') + 4])
    assert answer.readable and answer.recovered
    assert [c.line for c in answer.comments] == [3, 4]


def test_unusable_comment_objects_are_counted() -> None:
    answer = parse_answer(json.dumps({"comments": [_comment(), {"path": "a.py"}, {"line": 2, "body": "x"}, "x"]}))
    assert len(answer.comments) == 1 and answer.unusable == 3


def test_prose_without_json_is_unreadable() -> None:
    assert not parse_answer("I'm sorry, I can't review this.").readable
    assert not parse_answer("{}").readable
    assert parse_answer('{"comments": [], "notes": []}').readable
