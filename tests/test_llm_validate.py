"""Placing the model's comments on the diff, resolving principles, merging duplicates."""

from __future__ import annotations

import pytest
from test_llm_reviewer import GRAPH

from reviewbot.diffmodel import parse_diff
from reviewbot.llm.parse import RawComment
from reviewbot.llm.validate import (
    Placement,
    merge,
    nearest_line,
    place,
    principle_ref,
    resolve_path,
)
from reviewbot.models import Comment, PrincipleRef, Severity

BEFORE = "".join(f"v{i} = {i}\n" for i in range(1, 41))


def raw(line: int, end_line: int | None = None, **fields) -> RawComment:
    base = {"path": "v.py", "line": line, "end_line": end_line, "severity": "warning", "category": "correctness",
            "title": "T", "body": "B", "suggestion": None, "principle_id": None, "new_principle_name": None, "why": "W"}
    return RawComment(**{**base, **fields})


@pytest.fixture
def file(git_diff):
    after = BEFORE.replace("v5 = 5\n", "v5 = 50\nv5b = 51\n").replace("v30 = 30\n", "")
    diff_text, _ = git_diff({"v.py": BEFORE}, {"v.py": after})
    return parse_diff(diff_text).file("v.py")


def test_added_lines_and_ranges_inside_one_hunk_are_kept(file) -> None:
    assert place(raw(5), file, 5) == Placement(5, None, moved=False)
    assert place(raw(5, end_line=6), file, 5) == Placement(5, 6, moved=False)
    assert place(raw(5, end_line=29), file, 5) == Placement(5, None, moved=False)  # crosses hunks: no range


def test_other_lines_move_to_the_one_nearest_added_line_of_their_hunk(file) -> None:
    assert place(raw(3), file, 5) == Placement(5, None, moved=True)  # context line in the hunk
    assert place(raw(9), file, 5) == Placement(6, None, moved=True)  # context line after the additions
    assert place(raw(12), file, 5) == Placement(6, None, moved=True)  # just outside the hunk, within the window


def test_lines_far_from_any_hunk_cannot_be_placed(file) -> None:
    assert place(raw(19), file, 5) == "line 19 is outside the diff"
    assert place(raw(15), file, 10) == Placement(6, None, moved=True)


def test_a_deletion_only_hunk_accepts_its_context_lines_only(file) -> None:
    hunk = file.hunk_at(29)
    assert hunk is not None and not hunk.added_lines
    assert place(raw(29), file, 5) == Placement(29, None, moved=False)
    assert place(raw(34), file, 5) == "line 34 is outside the diff"


def test_ties_are_ambiguous() -> None:
    assert nearest_line([10, 12], 11) is None
    assert nearest_line([10, 12], 13) == 12


def test_paths_must_be_files_the_model_was_shown(file, git_diff) -> None:
    diff = parse_diff(git_diff({"a.py": "x = 1\n"}, {"a.py": "x = 2\n"})[0])
    assert resolve_path("b/a.py", diff, {"a.py"}) == "a.py"
    assert resolve_path("a.py", diff, set()) is None
    assert resolve_path("z.py", diff, {"z.py"}) is None


def test_principles_known_corrected_or_proposed() -> None:
    assert principle_ref(raw(1, principle_id="fail-loudly"), GRAPH) == (
        PrincipleRef("fail-loudly", "Fail loudly", "W"), False)
    assert principle_ref(raw(1, principle_id="fail-loudy"), GRAPH)[0].id == "fail-loudly"
    proposed, is_new = principle_ref(raw(1, principle_id="x", new_principle_name="Keep <b>it</b> simple"), GRAPH)
    assert is_new and proposed.id == "new:keep-it-simple" and proposed.name == "Keep it simple"


def _comment(line: int, title: str, principle: str, severity: Severity = Severity.WARNING,
             source: str = "llm") -> Comment:
    return Comment("a.py", line, severity, title, "b", PrincipleRef(principle, principle, "w"), source)


def test_merge_keeps_the_analyzers_comment_and_drops_what_repeats_it() -> None:
    ruff = _comment(3, "Mutable default", "p1", source="ruff:B006")
    found = [_comment(3, "Default list is shared", "p1"), _comment(3, "mutable default!", "p2"),
             _comment(3, "Other", "p3", Severity.INFO), _comment(3, "Other", "p4", Severity.ERROR)]
    merged = merge([ruff], found)
    assert [(c.title, c.principle.id) for c in merged] == [("Mutable default", "p1"), ("Other", "p4")]


def _checked(file, git_diff, **fields):
    from reviewbot.llm.validate import check_comments

    after = BEFORE.replace("v5 = 5\n", "v5 = 50\nv5b = 51\n").replace("v30 = 30\n", "")
    diff = parse_diff(git_diff({"v.py": BEFORE}, {"v.py": after})[0])
    return check_comments([raw(5, **fields)], diff, GRAPH, {"v.py"}, 5)


CONCRETE = "`v5 = 50` makes `total()` return 150 instead of 105."


def test_kind_confidence_and_category_stay_on_the_comment(file, git_diff) -> None:
    from reviewbot.models import Confidence, Kind

    checked = _checked(file, git_diff, kind="question", confidence="low", category="compatibility",
                       title="Is 50 intended?", why=CONCRETE)
    [comment] = checked.comments
    assert (comment.kind, comment.confidence, comment.category) == (Kind.QUESTION, Confidence.LOW, "compatibility")
    assert comment.title == "Question: Is 50 intended?" and "Confidence: low" in comment.body


def test_a_question_is_never_an_error(file, git_diff) -> None:
    asked = _checked(file, git_diff, kind="question", severity="error", confidence="high", why=CONCRETE)
    told = _checked(file, git_diff, kind="issue", severity="error", confidence="high", why=CONCRETE)
    assert asked.comments[0].severity is Severity.WARNING and told.comments[0].severity is Severity.ERROR


@pytest.mark.parametrize("why", ["Magic numbers hurt readability.", "Names matter for the next reader.", ""])
def test_a_why_without_a_concrete_failure_lowers_the_confidence(file, git_diff, why) -> None:
    from reviewbot.models import Confidence

    checked = _checked(file, git_diff, severity="error", confidence="high", why=why, body="Prefer a constant.")
    [comment] = checked.comments
    assert checked.vague == 1 and comment.confidence is Confidence.MEDIUM and comment.severity is Severity.WARNING


def test_a_concrete_why_keeps_high_confidence(file, git_diff) -> None:
    checked = _checked(file, git_diff, severity="error", confidence="high", why=CONCRETE)
    assert checked.vague == 0 and checked.comments[0].severity is Severity.ERROR
