"""`reviewbot check` in-process: inputs, formats, exit codes and every input error."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from reviewbot.cli import check
from reviewbot.cli.main import main
from reviewbot.config import Config
from reviewbot.models import Comment, PrincipleRef, Review, Severity

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIFF = ROOT / "examples" / "demo.diff"
DEMO_ROOT = ROOT / "examples" / "demo"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

SIMPLE_DIFF = b"""\
diff --git a/app.py b/app.py
index 1111111..2222222 100644
--- a/app.py
+++ b/app.py
@@ -1,2 +1,3 @@
 def f():
-    return 1
+    x = 2
+    return x
"""
SIMPLE_AFTER = "def f():\n    x = 2\n    return x\n"


class FakeReviewer:
    """Stands in for the reviewer at the `run_review` seam; remembers what it was given."""

    def __init__(self, review: Review) -> None:
        self.review = review
        self.calls: list[tuple] = []

    def __call__(self, diff, contents, config, graph, progress=None, base=None, words=None) -> Review:
        self.calls.append((diff, dict(contents), config))
        return self.review


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a diff file and its post-change file."""
    (tmp_path / "change.diff").write_bytes(SIMPLE_DIFF)
    (tmp_path / "app.py").write_text(SIMPLE_AFTER)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fake(monkeypatch: pytest.MonkeyPatch, review: Review) -> FakeReviewer:
    reviewer = FakeReviewer(review)
    monkeypatch.setattr(check, "run_review", reviewer)
    monkeypatch.setattr("reviewbot.principles.load_graph", lambda: None)
    return reviewer


def comment(severity: Severity, line: int = 2) -> Comment:
    return Comment("app.py", line, severity, f"{severity.value} title", "body", PrincipleRef("p", "P", "why"), "diff:x")


def stdin_bytes(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


# --- the README quick start, for real (built-in reviewer, real analyzers) ---


def test_quick_start_example_review(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    code = main(["check", "examples/demo.diff", "--root", "examples/demo", "--format", "json"], env={})
    data = json.loads(capsys.readouterr().out)
    found = {(c["path"], c["line"], c["source"]) for c in data["comments"]}
    # Comments from rules that are certain (the access key) or have earned it on real code (bare except,
    # mutable default).
    assert found == {("bookshelf/backup.py", 7, "secrets:AWSKeyDetector"), ("bookshelf/catalog.py", 27, "ruff:E722"),
                     ("bookshelf/catalog.py", 15, "ruff:B006")}  # fmt: skip
    listed = " ".join(data["summary"]["notes"])
    for place in ("catalog.py:17", "loans.py:15", "backup.py:13", "loans.py:18"):
        assert place in listed  # S608, DTZ005, S602, breakpoint(): rules still on probation
    assert all(c["principle"]["why"] for c in data["comments"])
    assert data["summary"]["files_reviewed"] == 3 and data["skipped"] == []
    assert code == 1  # the example has errors, and --fail-on defaults to error


def test_quick_start_example_with_every_rule_commenting(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    main(["check", "examples/demo.diff", "--root", "examples/demo", "--format", "json", "--comment-on", "all"], env={})
    found = {(c["path"], c["line"], c["source"]) for c in json.loads(capsys.readouterr().out)["comments"]}
    expected = {
        ("bookshelf/catalog.py", 15, "ruff:B006"),  # mutable default argument
        ("bookshelf/catalog.py", 17, "ruff:S608"),  # SQL built with an f-string
        ("bookshelf/catalog.py", 27, "ruff:E722"),  # bare except
        ("bookshelf/loans.py", 15, "ruff:DTZ005"),  # naive datetime.now()
        ("bookshelf/backup.py", 13, "ruff:S602"),  # subprocess with shell=True
        ("bookshelf/loans.py", 18, "ruff:T100"),  # breakpoint()
    }
    assert expected <= found, sorted(found)


def test_quick_start_example_text(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check", "examples/demo.diff", "--root", "examples/demo"], env={}) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out  # not a terminal: no colour
    for text in ("bookshelf/catalog.py", "bookshelf/loans.py", "bookshelf/backup.py", "Why (", "reviewbot why "):
        assert text in out
    assert out.splitlines()[-1].startswith("reviewbot: ")


# --- formats through the command line ---


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown", "github"])
def test_every_format(project: Path, monkeypatch: pytest.MonkeyPatch, capsys, sample_review: Review, fmt: str) -> None:
    fake(monkeypatch, sample_review)
    assert main(["check", "change.diff", "--format", fmt], env={}) == 1
    out = capsys.readouterr().out
    assert "SQL built from an f-string" in out
    if fmt in ("json", "sarif"):
        json.loads(out)


def test_output_file(project: Path, monkeypatch: pytest.MonkeyPatch, capsys, sample_review: Review) -> None:
    fake(monkeypatch, sample_review)
    assert main(["check", "change.diff", "-f", "sarif", "-o", "out/report.sarif"], env={}) == 2
    assert "--output out/report.sarif: directory out does not exist" in capsys.readouterr().err
    (project / "out").mkdir()
    assert main(["check", "change.diff", "-f", "sarif", "-o", "out/report.sarif"], env={}) == 1
    assert capsys.readouterr().out == ""
    assert json.loads((project / "out" / "report.sarif").read_text())["version"] == "2.1.0"


def test_output_to_a_directory_is_an_error(project: Path, monkeypatch, capsys, sample_review: Review) -> None:
    fake(monkeypatch, sample_review)
    assert main(["check", "change.diff", "-o", "."], env={}) == 2
    assert capsys.readouterr().err == "reviewbot: error: --output .: is a directory\n"


def test_colour_follows_force_color_and_no_color(project: Path, monkeypatch, capsys, sample_review: Review) -> None:
    fake(monkeypatch, sample_review)
    main(["check", "change.diff"], env={"FORCE_COLOR": "1"})
    assert ANSI.search(capsys.readouterr().out)
    main(["check", "change.diff"], env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b" not in capsys.readouterr().out


def test_target_is_shown_for_git_inputs_only(project: Path, monkeypatch, capsys, sample_review: Review) -> None:
    fake(monkeypatch, sample_review)
    main(["check", "change.diff"], env={})
    assert not capsys.readouterr().out.startswith("Reviewed ")


# --- exit codes ---


@pytest.mark.parametrize(
    ("severities", "fail_on", "expected"),
    [
        ((Severity.ERROR,), None, 1),
        ((Severity.WARNING,), None, 0),
        ((Severity.WARNING,), "warning", 1),
        ((Severity.INFO,), "warning", 0),
        ((Severity.INFO,), "info", 1),
        ((Severity.ERROR,), "never", 0),
        ((), "info", 0),
    ],
)
def test_fail_on_thresholds(project: Path, monkeypatch, capsys, severities, fail_on, expected) -> None:
    fake(monkeypatch, Review(comments=tuple(comment(s) for s in severities), files_reviewed=1))
    args = ["check", "change.diff"] + (["--fail-on", fail_on] if fail_on else [])
    assert main(args, env={}) == expected


def test_fail_on_from_the_config_file(project: Path, monkeypatch, capsys) -> None:
    fake(monkeypatch, Review(comments=(comment(Severity.WARNING),), files_reviewed=1))
    (project / ".reviewbot.toml").write_text('fail-on = "warning"\n')
    assert main(["check", "change.diff"], env={}) == 1
    assert main(["check", "change.diff", "--fail-on", "error"], env={}) == 0


def test_flags_and_config_reach_the_reviewer(project: Path, monkeypatch, capsys) -> None:
    reviewer = fake(monkeypatch, Review(comments=()))
    (project / ".reviewbot.toml").write_text('ignore = ["docs/**"]\nlevel = "eli12"\n')
    main(["check", "change.diff", "--severity", "warning", "--max-comments", "5", "--offline"], env={})
    config: Config = reviewer.calls[0][2]
    assert (config.min_severity, config.max_comments, config.offline) == (Severity.WARNING, 5, True)
    assert (config.ignore, config.level) == (("docs/**",), "eli12")


def test_bad_config_is_one_line_exit_2(project: Path, capsys) -> None:
    (project / ".reviewbot.toml").write_text("ignorez = []\n")
    assert main(["check", "change.diff"], env={}) == 2
    assert (
        capsys.readouterr().err == "reviewbot: error: .reviewbot.toml: unknown key 'ignorez' (did you mean 'ignore'?)\n"
    )


# --- post-change contents from --root ---


def test_matching_file_is_read_from_root(project: Path, monkeypatch, capsys) -> None:
    reviewer = fake(monkeypatch, Review(comments=()))
    main(["check", "change.diff"], env={})
    assert reviewer.calls[0][1] == {"app.py": SIMPLE_AFTER}


def test_root_option(project: Path, monkeypatch, capsys, tmp_path: Path) -> None:
    reviewer = fake(monkeypatch, Review(comments=()))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "app.py").write_text(SIMPLE_AFTER)
    (project / "app.py").unlink()
    main(["check", "change.diff", "--root", str(elsewhere)], env={})
    assert reviewer.calls[0][1] == {"app.py": SIMPLE_AFTER}


def test_file_that_does_not_match_the_diff_is_not_analysed(project: Path, capsys) -> None:
    (project / "app.py").write_text("def f():\n    x = 3\n    return x\n")
    main(["check", "change.diff", "--format", "json"], env={})
    skipped = json.loads(capsys.readouterr().out)["skipped"]
    assert [s["path"] for s in skipped] == ["app.py"]
    assert "does not match the diff at line 2" in skipped[0]["reason"]


def test_missing_post_change_file_is_reported(project: Path, capsys) -> None:
    (project / "app.py").unlink()
    main(["check", "change.diff", "--format", "json"], env={})
    skipped = json.loads(capsys.readouterr().out)["skipped"]
    assert [s["path"] for s in skipped] == ["app.py"]
    assert "app.py is not in the current directory" in skipped[0]["reason"]


def test_root_must_be_a_directory(project: Path, capsys) -> None:
    assert main(["check", "change.diff", "--root", "app.py"], env={}) == 2
    assert capsys.readouterr().err == "reviewbot: error: --root app.py: not a directory\n"


# --- stdin and empty input ---


def test_diff_from_stdin(project: Path, monkeypatch, capsys) -> None:
    reviewer = fake(monkeypatch, Review(comments=()))
    stdin_bytes(monkeypatch, SIMPLE_DIFF)
    assert main(["check", "-"], env={}) == 0
    assert reviewer.calls[0][1] == {"app.py": SIMPLE_AFTER}


@pytest.mark.parametrize("data", [b"", b"\n\n"])
def test_empty_stdin_is_no_changes(project: Path, monkeypatch, capsys, data: bytes) -> None:
    stdin_bytes(monkeypatch, data)
    assert main(["check", "-"], env={}) == 0
    assert capsys.readouterr().out == "reviewbot: no changes to review\n"


def test_empty_diff_file_in_json(project: Path, capsys) -> None:
    (project / "empty.diff").write_bytes(b"")
    assert main(["check", "empty.diff", "-f", "json"], env={}) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["notes"] == ["no changes to review"]


# --- every kind of bad input: one line, exit 2 ---


def test_no_input_given(project: Path, capsys) -> None:
    assert main(["check"], env={}) == 2
    assert capsys.readouterr().err == (
        "reviewbot: error: nothing to review: give a diff file, '-' for stdin, --git [BASE] or --staged\n"
    )


@pytest.mark.parametrize(
    ("setup", "arg", "message"),
    [
        (lambda p: None, "missing.diff", "missing.diff: no such file"),
        (lambda p: (p / "dir.diff").mkdir(), "dir.diff", "dir.diff: is a directory, not a diff file"),
        (
            lambda p: (p / "bin.diff").write_bytes(b"\x7fELF\x00\x01\x02" * 50),
            "bin.diff",
            "bin.diff: binary data, not a diff",
        ),
        (
            lambda p: (p / "notes.txt").write_text("just some notes\nno diff here\n"),
            "notes.txt",
            "notes.txt: malformed diff at line 1: not a unified diff",
        ),
    ],
)
def test_bad_input_files(project: Path, capsys, setup, arg: str, message: str) -> None:
    setup(project)
    assert main(["check", arg], env={}) == 2
    assert capsys.readouterr().err == f"reviewbot: error: {message}\n"


def test_unreadable_file(project: Path, monkeypatch, capsys) -> None:
    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert main(["check", "change.diff"], env={}) == 2
    assert capsys.readouterr().err == "reviewbot: error: change.diff: permission denied\n"


def test_malformed_diff_names_the_line(project: Path, capsys) -> None:
    broken = SIMPLE_DIFF.replace(b"@@ -1,2 +1,3 @@", b"@@ -1,2 +1,9 @@")
    (project / "broken.diff").write_bytes(broken)
    assert main(["check", "broken.diff"], env={}) == 2
    err = capsys.readouterr().err
    assert err.startswith("reviewbot: error: broken.diff: malformed diff at line ")
    assert len(err.splitlines()) == 1


# --- the reviewer seam ---


def test_exit_status() -> None:
    review = Review(comments=(comment(Severity.WARNING),))
    assert check.exit_status(review, "error") == 0
    assert check.exit_status(review, "warning") == 1
    assert check.exit_status(review, "never") == 0


def test_quick_start_example_sarif_is_valid(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from test_render_sarif import validate

    monkeypatch.chdir(ROOT)
    main(["check", "examples/demo.diff", "--root", "examples/demo", "--format", "sarif"], env={})
    log = json.loads(capsys.readouterr().out)
    validate(log)
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert "Why:" in rules["ruff/E722"]["help"]["text"]


def test_broken_pipe_exits_quietly(project: Path, monkeypatch: pytest.MonkeyPatch, capsys, sample_review) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    fake(monkeypatch, sample_review)
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["check", "change.diff"], env={}) == 141
    assert capsys.readouterr().err == ""
