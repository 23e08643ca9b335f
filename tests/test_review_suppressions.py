"""Lines a test marks as expected to be reported (reviewbot.review.suppressions.expected_by_test)."""

from __future__ import annotations

import pytest

from reviewbot.diffmodel import parse_diff
from reviewbot.review.analyzer import SourceFile
from reviewbot.review.suppressions import expected_by_test


def _file(path: str, line: str, is_test: bool = True) -> SourceFile:
    diff = f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,1 @@\n+{line}\n"
    (file,) = parse_diff(diff).files
    return SourceFile(path, line + "\n", file, is_test=is_test)


@pytest.mark.parametrize(("line", "expected"), [
    ("BAD = [*missing for x in NESTED]  # [undefined-variable]", True),  # pylint's functional tests
    ("import os, sys  # [multiple-imports, unused-import]", True),
    ("x: int = 'a'  # E: Incompatible types in assignment", True),  # mypy-style test data
    ("eval(src)  # error", True),
    ("total = undefined  # the total so far", False),
    ("items[0]  # [0] is the first", False),  # an index in a comment is no marker
    ("url = 'https://example.com/#[anchor]'", False),  # no comment at all
])  # fmt: skip
def test_a_marker_in_a_comment_says_the_test_expects_a_finding(line: str, expected: bool) -> None:
    assert expected_by_test(_file("tests/functional/sample.py", line), 1) is expected


def test_a_marker_outside_test_code_says_nothing() -> None:
    assert not expected_by_test(_file("pkg/sample.py", "x = missing  # [undefined-variable]", is_test=False), 1)
