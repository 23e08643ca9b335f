"""The JSON report is a stable contract: these tests pin its exact shape."""

from __future__ import annotations

import json

from reviewbot.models import Review
from reviewbot.render import render

TOP_KEYS = {"version", "comments", "summary", "skipped"}
COMMENT_KEYS = {"path", "line", "end_line", "side", "severity", "title", "body", "principle", "suggestion", "source",
                "explained_at", "kind", "confidence", "category"}  # fmt: skip
PRINCIPLE_KEYS = {"id", "name", "why"}
SUMMARY_KEYS = {"counts", "total", "files_reviewed", "reviewer", "mode", "notes", "principles", "usage",
                "coverage", "coverage_summary", "pre_existing"}  # fmt: skip
VERSION_1_KEYS = {"path", "line", "end_line", "side", "severity", "title", "body", "principle", "suggestion", "source"}
VERSION_2_KEYS = VERSION_1_KEYS | {"explained_at"}
USAGE_KEYS = {"calls", "prompt_tokens", "completion_tokens", "cached_tokens"}


def report(review: Review) -> dict:
    text = render(review, "json")
    assert text.endswith("\n")
    return json.loads(text)


def test_exact_key_sets(sample_review: Review) -> None:
    data = report(sample_review)
    assert set(data) == TOP_KEYS
    assert data["version"] == 3
    assert VERSION_1_KEYS <= VERSION_2_KEYS <= COMMENT_KEYS  # each version only added keys
    assert {"kind", "confidence", "category"} == COMMENT_KEYS - VERSION_2_KEYS
    for comment in data["comments"]:
        assert set(comment) == COMMENT_KEYS
        assert set(comment["principle"]) == PRINCIPLE_KEYS
    assert set(data["summary"]) == SUMMARY_KEYS
    assert set(data["summary"]["counts"]) == {"error", "warning", "info"}
    assert set(data["summary"]["usage"]) == USAGE_KEYS
    assert all(set(s) == {"path", "reason"} for s in data["skipped"])


def test_values(sample_review: Review) -> None:
    data = report(sample_review)
    first = data["comments"][0]
    assert first == {
        "path": "app/db.py",
        "line": 12,
        "end_line": 14,
        "side": "RIGHT",
        "severity": "error",
        "title": "SQL built from an f-string",
        "body": sample_review.comments[0].body,
        "principle": {
            "id": "code-data-separation",
            "name": "Keep code and data apart",
            "why": "Text that becomes code lets input run as code.",
        },
        "suggestion": None,
        "source": "ruff:S608",
        "explained_at": None,
        "kind": "issue",
        "confidence": "high",
        "category": "security",
    }
    assert data["comments"][1]["suggestion"].startswith("def add(item, items=None):")
    assert data["summary"] == {
        "counts": {"error": 1, "warning": 1, "info": 1},
        "total": 3,
        "files_reviewed": 3,
        "reviewer": "builtin",
        "mode": None,
        "notes": ["Reviewed with the built-in analyzers only."],
        "principles": ["code-data-separation", "shared-state", "visible-work"],
        "usage": {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "cached_tokens": 0},
        "coverage": [
            {"path": "app/db.py", "analyzers": ["ruff", "secrets", "diff"]},
            {"path": "app/models.py", "analyzers": ["ruff", "secrets", "diff"]},
            {"path": "assets/logo.png", "analyzers": ["diff"]},
            {"path": "old.py", "analyzers": []},
        ],
        "coverage_summary": "4 files: 2 reviewed by ruff, 1 with diff checks only, 1 not examined",
        "pre_existing": 2,
    }
    assert data["skipped"] == [
        {"path": "assets/logo.png", "reason": "binary file"},
        {"path": "old.py", "reason": "deleted"},
    ]


def test_comments_are_ordered_by_path_then_line(sample_review: Review) -> None:
    reversed_review = Review(comments=tuple(reversed(sample_review.comments)))
    data = report(reversed_review)
    assert [(c["path"], c["line"]) for c in data["comments"]] == [
        ("app/db.py", 12),
        ("app/models.py", 3),
        ("app/models.py", 9),
    ]


def test_empty_review_is_a_valid_report() -> None:
    data = report(Review(comments=(), notes=("no changes to review",)))
    assert data["comments"] == [] and data["skipped"] == []
    assert data["summary"]["counts"] == {"error": 0, "warning": 0, "info": 0}
    assert data["summary"]["notes"] == ["no changes to review"]


def test_non_ascii_is_kept_readable() -> None:
    from reviewbot.models import Comment, PrincipleRef, Severity

    comment = Comment("données/é.py", 1, Severity.INFO, "Café", "naïve", PrincipleRef("p", "P", "why"), "diff:x")
    text = render(Review(comments=(comment,)), "json")
    assert "données/é.py" in text and "Café" in text


def test_later_comments_on_a_principle_point_at_the_one_that_explains_it(sample_review: Review) -> None:
    from dataclasses import replace

    second = replace(sample_review.comments[1], line=30)
    data = report(replace(sample_review, comments=(*sample_review.comments, second)))
    located = [(c["line"], c["explained_at"]) for c in data["comments"] if c["path"] == "app/models.py"]
    assert located == [(3, None), (9, None), (30, "app/models.py:3")]


def test_a_models_question_keeps_its_kind_confidence_and_category() -> None:
    from reviewbot.models import Comment, Confidence, Kind, PrincipleRef, Severity

    asked = Comment("api.py", 7, Severity.WARNING, "Question: is dropping `strict` intended?", "b",
                    PrincipleRef("backward-compatibility", "Keep compatibility", "why"), "llm:compatibility",
                    kind=Kind.QUESTION, confidence=Confidence.MEDIUM, category="compatibility")
    [comment] = report(Review(comments=(asked,)))["comments"]
    assert (comment["kind"], comment["confidence"], comment["category"]) == ("question", "medium", "compatibility")
