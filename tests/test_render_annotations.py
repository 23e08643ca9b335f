"""GitHub Actions workflow commands: one annotation per comment, escaped per the format."""

from __future__ import annotations

from reviewbot.models import Review
from reviewbot.render import render
from reviewbot.render.annotations import command, escape_data, escape_property


def test_escape_data_encodes_percent_cr_lf_only() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"


def test_escape_property_also_encodes_colon_and_comma() -> None:
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_percent_is_escaped_first_so_escapes_are_not_doubled() -> None:
    assert escape_data("%0A") == "%250A"


def test_command_shape() -> None:
    assert command("error", "msg", file="a.py", line=3) == "::error file=a.py,line=3::msg"
    assert command("notice", "hello") == "::notice::hello"


def test_annotations(sample_review: Review) -> None:
    lines = render(sample_review, "github").splitlines()
    error, warning, notice = lines[:3]
    assert error.startswith(
        "::error file=app/db.py,line=12,endLine=14,title=SQL built from an f-string [ruff%3AS608]::"
    )
    message = error.split("::", 2)[2]
    assert "\n" not in message and "%0A" in message
    assert "100%25 injectable" in message
    assert "Why (Keep code and data apart): Text that becomes code" in message
    assert "reviewbot why code-data-separation" in message
    assert warning.startswith("::warning file=app/models.py,line=3,title=Mutable default argument [ruff%3AB006]::")
    assert "Suggested replacement:%0Adef add(item, items=None):" in warning
    assert notice.startswith("::notice file=app/models.py,line=9,title=Leftover TODO [diff%3Atodo-comment]::")


def test_skipped_notes_and_summary(sample_review: Review) -> None:
    lines = render(sample_review, "github").splitlines()
    assert "::warning file=assets/logo.png,title=reviewbot skipped::not reviewed: binary file" in lines
    assert "::notice title=reviewbot::Reviewed with the built-in analyzers only." in lines
    assert lines[-1] == "reviewbot: 1 error, 1 warning, 1 info · 4 files: 2 reviewed by ruff, 1 with diff checks only, 1 not examined · 2 skipped · built-in reviewer"


def test_every_line_is_one_command_or_the_summary(sample_review: Review) -> None:
    lines = render(sample_review, "github").splitlines()
    assert all(line.startswith("::") for line in lines[:-1])
    assert not lines[-1].startswith("::")


def test_paths_with_commas_and_colons_are_escaped() -> None:
    from reviewbot.models import Comment, PrincipleRef, Severity

    comment = Comment("a,b:c.py", 1, Severity.ERROR, "t", "b", PrincipleRef("p", "P", "w"), "diff:x")
    assert render(Review(comments=(comment,)), "github").startswith("::error file=a%2Cb%3Ac.py,line=1,")
