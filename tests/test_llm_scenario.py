"""A why must open with a concrete failure: the screen for its first sentence."""

from __future__ import annotations

import pytest

from reviewbot.llm.scenario import first_sentence, names_a_failure


@pytest.mark.parametrize("why", [
    "`load([])` raises IndexError before the guard. Check inputs at the boundary.",
    "two workers read 5 and both write 6, so one increment is lost.",
    "When the list is empty the loop never runs and the function returns None.",
    "If the request times out, the retry sends the payment twice.",
    'A title of "x" * 300 overflows the column.',
    "parse_date(value) is called before value is checked.",
    "An attacker who controls the filename can read any file the server can.",
    "Callers that relied on the old default now get an empty list.",
])
def test_concrete_failures_pass(why: str) -> None:
    assert names_a_failure(why)


@pytest.mark.parametrize("why", [
    "Readable code is easier to maintain.",
    "Names matter. `x` says nothing about what it holds.",  # the concrete part is not where the why starts
    "Untrusted data must be validated at the boundary.",
    "When in doubt, prefer clarity.",  # a condition, but no outcome
    "Users like clear names.",  # an actor, but nothing happens
    "",
])
def test_general_truths_do_not(why: str) -> None:
    assert not names_a_failure(why)


def test_the_first_sentence_ends_at_a_full_stop_or_a_line_break() -> None:
    assert first_sentence("One thing. Two things.") == "One thing."
    assert first_sentence("Line one\nline two") == "Line one"
    assert first_sentence("`os.path.join(a, b)` drops a.") == "`os.path.join(a, b)` drops a."
