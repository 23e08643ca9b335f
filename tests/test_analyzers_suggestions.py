"""Machine fixes become GitHub suggestions only when they replace whole lines cleanly."""

from __future__ import annotations

from reviewbot.analyzers.suggestions import Edit, Suggestion, split_lines, suggestion_for

SOURCE = "import os\n\ndef f(x=[]):\n    if x == None:\n        return 1\n"


def test_replacement_inside_one_line_becomes_that_whole_line() -> None:
    edit = Edit(4, 8, 4, 17, "x is None")
    assert suggestion_for(SOURCE, [edit], 4, 4) == Suggestion(4, 4, "    if x is None:")


def test_deleting_a_whole_line_is_an_empty_suggestion() -> None:
    edit = Edit(1, 1, 2, 1, "")
    assert suggestion_for(SOURCE, [edit], 1, 1) == Suggestion(1, 1, "")


def test_insertion_at_the_start_of_the_next_line_extends_the_line_before() -> None:
    edits = [Edit(3, 9, 3, 11, "None"), Edit(4, 1, 4, 1, "    if x is None:\n        x = []\n")]
    assert suggestion_for(SOURCE, edits, 3, 3) == Suggestion(3, 3, "def f(x=None):\n    if x is None:\n        x = []")


def test_fix_that_does_not_cover_the_finding_gives_no_suggestion() -> None:
    assert suggestion_for(SOURCE, [Edit(4, 8, 4, 17, "x is None")], 3, 3) is None


def test_fix_that_glues_two_lines_together_gives_no_suggestion() -> None:
    assert suggestion_for(SOURCE, [Edit(1, 10, 2, 1, "")], 1, 1) is None


def test_no_op_overlapping_or_out_of_range_edits_give_no_suggestion() -> None:
    assert suggestion_for(SOURCE, [Edit(1, 1, 1, 1, "")], 1, 1) is None
    assert suggestion_for(SOURCE, [Edit(1, 1, 1, 5, "a"), Edit(1, 3, 1, 7, "b")], 1, 1) is None
    assert suggestion_for(SOURCE, [Edit(40, 1, 40, 2, "a")], 40, 40) is None
    assert suggestion_for(SOURCE, [], 1, 1) is None
    assert suggestion_for("", [Edit(1, 1, 1, 1, "x")], 1, 1) is None


def test_long_replacements_are_left_to_the_tool() -> None:
    source = "".join(f"x{i} = {i}\n" for i in range(30))
    assert suggestion_for(source, [Edit(1, 1, 26, 1, "")], 1, 1) is None


def test_crlf_files_get_plain_newlines_in_the_suggestion() -> None:
    source = "a = 1\r\nif a == None:\r\n    pass\r\n"
    edits = [Edit(2, 4, 2, 13, "a is None"), Edit(3, 1, 3, 1, "    # checked\r\n")]
    assert suggestion_for(source, edits, 2, 2) == Suggestion(2, 2, "if a is None:\n    # checked")


def test_last_line_without_newline() -> None:
    assert suggestion_for("x == None", [Edit(1, 1, 1, 10, "x is None")], 1, 1) == Suggestion(1, 1, "x is None")


def test_lines_split_like_python_does() -> None:
    assert split_lines("a\r\nb\rc\nd\x0ce") == ["a\r\n", "b\r", "c\n", "d\x0ce"]
