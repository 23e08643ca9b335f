"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One rule per source ("ruff/B006", "secrets/AWSKeyDetector", "llm/<principle>"),
whose help text carries the principle and its why, so code scanning shows the
reason next to every alert. Skipped files and notes become tool execution
notifications. Validated against the official schema in
tests/test_render_sarif.py.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

from reviewbot.models import Comment, Review, Severity
from reviewbot.render import RenderOptions
from reviewbot.render.common import coverage_phrase, deeper_line, explanations, ordered, see_above

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/reviewbot/"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "reviewbot/v1"


def render(review: Review, options: RenderOptions) -> str:
    return json.dumps(sarif_log(review, options.version), indent=2, ensure_ascii=False) + "\n"


def sarif_log(review: Review, version: str = "") -> dict[str, Any]:
    comments = ordered(review.comments)
    rules = _rules(comments)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    run = {
        "tool": {"driver": _driver(rules, version)},
        "invocations": [_invocation(review)],
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
        "results": [_result(c, index[rule_id(c)], first) for c, first in explanations(comments)],
        "columnKind": "unicodeCodePoints",
        "properties": {
            "coverage": {c.path: list(c.analyzers) for c in review.coverage},
            "preExisting": review.pre_existing,
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def rule_id(comment: Comment) -> str:
    """ "ruff/B006" for source "ruff:B006"; sources without a rule get the principle id."""
    analyzer, _, rule = comment.source.partition(":")
    return f"{analyzer}/{rule or comment.principle.id}"


def _driver(rules: list[dict[str, Any]], version: str) -> dict[str, Any]:
    driver: dict[str, Any] = {"name": "reviewbot", "informationUri": INFORMATION_URI, "rules": rules}
    if version:
        driver["version"] = version
        driver["semanticVersion"] = version
    return driver


def _rules(comments: list[Comment]) -> list[dict[str, Any]]:
    first: dict[str, Comment] = {}
    for comment in comments:
        first.setdefault(rule_id(comment), comment)
    return [_rule(rid, comment) for rid, comment in sorted(first.items())]


def _rule(rid: str, comment: Comment) -> dict[str, Any]:
    principle = comment.principle
    return {
        "id": rid,
        "name": _pascal(rid),
        "shortDescription": {"text": comment.title},
        "fullDescription": {"text": f"{principle.name}: {principle.why}"},
        "help": {"text": _help_text(comment), "markdown": _help_markdown(comment)},
        "defaultConfiguration": {"level": LEVELS[comment.severity]},
        "properties": {
            "tags": ["reviewbot", f"principle/{principle.id}", rid.partition("/")[0]],
            "principle": {"id": principle.id, "name": principle.name},
        },
    }


def _pascal(rid: str) -> str:
    words = "".join(ch if ch.isalnum() else " " for ch in rid).split()
    return "".join(word[:1].upper() + word[1:] for word in words) or "Rule"


def _help_text(comment: Comment) -> str:
    p = comment.principle
    return f"Principle: {p.name} ({p.id})\n\nWhy: {p.why}\n\n{deeper_line(p.id)}"


def _help_markdown(comment: Comment) -> str:
    p = comment.principle
    return f"**Principle: {p.name}** (`{p.id}`)\n\n**Why:** {p.why}\n\n{deeper_line(p.id, lambda c: f'`{c}`')}"


def _result(comment: Comment, rule_index: int, first: Comment | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": rule_id(comment),
        "ruleIndex": rule_index,
        "level": LEVELS[comment.severity],
        "message": {"text": _message(comment, first)},
        "locations": [_location(comment)],
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(comment)},
        "properties": {"severity": comment.severity.value, "principle": comment.principle.id,
                       "kind": comment.kind.value, "confidence": comment.confidence.value,
                       "category": comment.category},
    }
    return result


def _message(comment: Comment, first: Comment | None = None) -> str:
    p = comment.principle
    why = see_above(p.name, first) if first is not None else f"Why ({p.name}): {p.why}"
    text = f"{comment.title}\n\n{comment.body}\n\n{why}"
    if comment.suggestion is not None:
        text += f"\n\nSuggested replacement:\n{comment.suggestion}"
    return text


def _location(comment: Comment) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(comment.line, 1)}
    if comment.end_line and comment.end_line > comment.line:
        region["endLine"] = comment.end_line
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(comment.path), "uriBaseId": "%SRCROOT%"},
            "region": region,
        }
    }


def artifact_uri(path: str) -> str:
    """A relative URI reference for a repository path (spaces and '%' escaped)."""
    return quote(path, safe="/-._~!$&'()*+,;=@")


def _fingerprint(comment: Comment) -> str:
    """Stable across runs and line moves: path, rule and title, not the line number."""
    key = "\0".join((comment.path, rule_id(comment), comment.title))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _invocation(review: Review) -> dict[str, Any]:
    notifications = [_notification(f"skipped {s.path}: {s.reason}", "warning", s.path) for s in review.skipped]
    notifications += [_notification(note, "note") for note in review.notes]
    notifications.append(_notification(f"coverage: {coverage_phrase(review)}", "note"))
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _notification(text: str, level: str, path: str | None = None) -> dict[str, Any]:
    notification: dict[str, Any] = {"message": {"text": text}, "level": level}
    if path is not None:
        notification["locations"] = [
            {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path), "uriBaseId": "%SRCROOT%"}}}
        ]
    return notification
