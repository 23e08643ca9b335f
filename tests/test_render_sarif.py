"""SARIF 2.1.0: valid against the official schema, with the why in every rule's help."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import jsonschema
import pytest

from reviewbot.models import Comment, PrincipleRef, Review, Severity
from reviewbot.render import RenderOptions, render
from reviewbot.render.sarif import artifact_uri, rule_id

SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def sarif(review: Review) -> dict:
    return json.loads(render(review, "sarif", RenderOptions(version="0.1.0")))


@functools.cache
def validator() -> jsonschema.protocols.Validator:
    validator_class = jsonschema.validators.validator_for(SCHEMA)
    validator_class.check_schema(SCHEMA)
    return validator_class(SCHEMA, format_checker=validator_class.FORMAT_CHECKER)


def validate(log: dict) -> None:
    """Assert `log` is valid SARIF 2.1.0, listing every violation."""
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_schema_is_the_sarif_2_1_0_schema() -> None:
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]


def test_valid_against_the_official_schema(sample_review: Review) -> None:
    validate(sarif(sample_review))


def test_empty_review_is_valid() -> None:
    validate(sarif(Review(comments=(), notes=("no changes to review",))))


def test_validation_would_catch_a_broken_log(sample_review: Review) -> None:
    log = sarif(sample_review)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        validate(log)


def test_driver_and_rules(sample_review: Review) -> None:
    run = sarif(sample_review)["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "reviewbot" and driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert set(rules) == {"diff/todo-comment", "ruff/B006", "ruff/S608"}
    rule = rules["ruff/S608"]
    assert "Keep code and data apart" in rule["help"]["text"]
    assert "Text that becomes code lets input run as code." in rule["help"]["text"]
    assert "**Why:** Text that becomes code" in rule["help"]["markdown"]
    assert "reviewbot why code-data-separation" in rule["help"]["markdown"]
    assert rule["defaultConfiguration"]["level"] == "error"
    assert "principle/code-data-separation" in rule["properties"]["tags"]


def test_results(sample_review: Review) -> None:
    run = sarif(sample_review)["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    first, second, third = run["results"]
    assert first["ruleId"] == "ruff/S608" and rules[first["ruleIndex"]] == "ruff/S608"
    assert first["level"] == "error" and second["level"] == "warning" and third["level"] == "note"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app/db.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 12, "endLine": 14}
    assert "Why (Keep code and data apart)" in first["message"]["text"]
    assert "Suggested replacement:\ndef add(item, items=None):" in second["message"]["text"]
    assert len(first["partialFingerprints"]["reviewbot/v1"]) == 32
    assert first["properties"] == {"severity": "error", "principle": "code-data-separation", "kind": "issue",
                                   "confidence": "high", "category": "security"}


def test_fingerprint_survives_a_line_move(sample_review: Review) -> None:
    from dataclasses import replace

    moved = replace(sample_review.comments[0], line=40, end_line=None)
    before = sarif(Review(comments=sample_review.comments[:1]))["runs"][0]["results"][0]
    after = sarif(Review(comments=(moved,)))["runs"][0]["results"][0]
    assert before["partialFingerprints"] == after["partialFingerprints"]


def test_skipped_files_and_notes_are_notifications(sample_review: Review) -> None:
    invocation = sarif(sample_review)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert texts == [
        "skipped assets/logo.png: binary file",
        "skipped old.py: deleted",
        "Reviewed with the built-in analyzers only.",
        "coverage: 4 files: 2 reviewed by ruff, 1 with diff checks only, 1 not examined",
    ]


def test_llm_comments_get_one_rule_per_principle() -> None:
    ref_a, ref_b = PrincipleRef("a", "A", "why a"), PrincipleRef("b", "B", "why b")
    comments = (
        Comment("x.py", 1, Severity.WARNING, "t1", "b1", ref_a, "llm"),
        Comment("x.py", 2, Severity.WARNING, "t2", "b2", ref_b, "llm"),
    )
    log = sarif(Review(comments=comments, reviewer="llm:m"))
    validate(log)
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == ["llm/a", "llm/b"]
    assert rule_id(comments[0]) == "llm/a"


def test_paths_become_uri_references() -> None:
    assert artifact_uri("src/my file%.py") == "src/my%20file%25.py"
    assert artifact_uri("données/é.py") == "donn%C3%A9es/%C3%A9.py"
    comment = Comment("src/my file.py", 1, Severity.INFO, "t", "b", PrincipleRef("p", "P", "w"), "diff:x")
    validate(sarif(Review(comments=(comment,))))
