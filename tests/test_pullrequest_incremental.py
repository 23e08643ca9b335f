"""Incremental review on a push: only lines changed since the last reviewed head."""

from __future__ import annotations

from reviewbot.adapters.github.host import ChangedFile, Comparison
from reviewbot.models import Comment, PrincipleRef, Severity, Side
from reviewbot.pullrequest.incremental import (
    FULL,
    MAX_COMPARED_FILES,
    in_scope,
    restrict,
    scope_for,
)
from reviewbot.pullrequest.patches import build_diff

SINCE = "1111111aaaaaaa"
REF = PrincipleRef("p", "P", "why")


def _c(path, line, end=None, side=Side.RIGHT):
    return Comment(path, line, Severity.INFO, "t", "b", REF, "diff:x", end, side)


def _ahead(*files):
    return Comparison("ahead", tuple(files))


def test_an_ahead_push_scopes_the_review_to_lines_added_since():
    scope = scope_for(SINCE, _ahead(ChangedFile("a.py", "modified", "@@ -5,2 +5,3 @@\n x\n+new\n y")))
    assert not scope.full and scope.since == SINCE and dict(scope.changed) == {"a.py": frozenset({6})}
    assert in_scope(_c("a.py", 6), scope)
    assert not in_scope(_c("a.py", 5), scope)
    assert not in_scope(_c("b.py", 6), scope)
    assert in_scope(_c("a.py", 4, 7), scope)  # a range touching a new line
    assert not in_scope(_c("a.py", 6, side=Side.LEFT), scope)


def test_a_force_push_reviews_everything_again():
    for status in ("diverged", "behind"):
        scope = scope_for(SINCE, Comparison(status, ()))
        assert scope.full and "force-push" in scope.reason
    assert scope_for(SINCE, None).full  # the old head is gone


def test_a_comparison_too_large_to_trust_reviews_everything():
    files = tuple(ChangedFile(f"f{i}", "added", "@@ -0,0 +1 @@\n+x") for i in range(MAX_COMPARED_FILES))
    assert scope_for(SINCE, _ahead(*files)).full


def test_nothing_new_gives_an_empty_scope():
    assert scope_for(SINCE, Comparison("identical", ())).empty
    assert scope_for(SINCE, _ahead(ChangedFile("a.py", "modified", "@@ -1,2 +1 @@\n x\n-y"))).empty


def test_restrict_keeps_only_files_changed_since():
    diff, _ = build_diff(
        [ChangedFile("a.py", "added", "@@ -0,0 +1 @@\n+a"), ChangedFile("b.py", "added", "@@ -0,0 +1 @@\n+b")]
    )
    scope = scope_for(SINCE, _ahead(ChangedFile("b.py", "modified", "@@ -0,0 +1 @@\n+b")))
    assert [f.path for f in restrict(diff, scope)] == ["b.py"]
    assert restrict(diff, FULL) is diff and in_scope(_c("zzz", 1), FULL)
