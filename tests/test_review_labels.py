"""Built-in findings carry kind, confidence and category, derived from the rule table and the principle."""

from __future__ import annotations

from test_builtin_review import AWS_KEY, FakeAnalyzer, TableWithout, finding, numbered, review

from reviewbot.config import Config
from reviewbot.diffmodel import parse_diff
from reviewbot.models import CATEGORIES, Confidence, Kind, Severity
from reviewbot.principles import load_graph
from reviewbot.review.builtin import review_builtin
from reviewbot.review.labels import (
    CATEGORY_BY_FILE,
    CATEGORY_BY_PRINCIPLE,
    SECURITY_ELSEWHERE,
    category_of,
    confidence_of,
)


def test_every_principle_of_the_graph_has_a_category_the_model_also_uses() -> None:
    graph = load_graph()
    for principle in graph.all():
        assert category_of(principle.id, principle.category) in CATEGORIES, principle.id
    assert set(CATEGORY_BY_FILE) == {p.category for p in graph.all()}  # no data file left to the fallback
    assert set(CATEGORY_BY_PRINCIPLE) <= {p.id for p in graph.all()}  # no override for a principle that is gone
    assert set(CATEGORY_BY_FILE.values()) | set(CATEGORY_BY_PRINCIPLE.values()) <= set(CATEGORIES)


def test_categories_by_file_with_the_exceptions() -> None:
    assert category_of("catch-specific-exceptions", "errors") == "error-handling"
    assert category_of("precise-assertions", "testing") == "tests"
    assert category_of("backward-compatibility", "api-design") == "compatibility"
    assert category_of("pin-and-verify-dependencies", "operations") == "dependencies"
    assert all(category_of(pid, "operations") in ("security", "dependencies") for pid in SECURITY_ELSEWHERE)


def test_confidence_follows_the_evidence_the_rule_table_records() -> None:
    assert confidence_of(True, Severity.ERROR) is Confidence.HIGH
    assert confidence_of(True, Severity.WARNING) is Confidence.MEDIUM
    assert confidence_of(True, Severity.INFO) is Confidence.MEDIUM
    assert confidence_of(False, Severity.ERROR) is Confidence.LOW  # the tool's own opinion only


def test_real_findings_are_labelled(git_diff) -> None:
    after = f"def add(item, items=[]):\n    items.append(item)\n    return items\n\nKEY = '{AWS_KEY}'\n"
    diff, contents = git_diff({"app.py": "x = 1\n"}, {"app.py": after})
    by_source = {c.source: c for c in review(diff, contents).comments}
    mutable, key = by_source["ruff:B006"], by_source["secrets:AWSKeyDetector"]
    assert (mutable.kind, mutable.confidence, mutable.category) == (Kind.ISSUE, Confidence.MEDIUM, "correctness")
    assert (key.kind, key.confidence, key.category) == (Kind.ISSUE, Confidence.HIGH, "security")


def test_a_rule_without_its_own_entry_is_low_confidence(git_diff) -> None:
    diff, contents = git_diff({}, {"a.py": numbered(3)})
    odd = finding("a.py", 1, "NewDetector", analyzer="secrets", severity=Severity.ERROR)
    table = TableWithout(("secrets", "NewDetector"))
    (comment,) = review_builtin(parse_diff(diff), contents, Config(), table, [FakeAnalyzer("secrets", (odd,))]).comments
    assert comment.confidence is Confidence.LOW and comment.category == "security"
