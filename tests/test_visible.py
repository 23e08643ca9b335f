"""Terminal escape injection: control characters in untrusted text are shown, never obeyed.

The attack: a file whose name holds `ESC [2K ESC [1G` (erase the line, go to
column 1) and a secret; the escape sequence printed by `reviewbot check`
wiped the secret finding off the screen. These tests run the real command on
a real git diff of such a file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import GitRepo

from reviewbot.models import Comment, PrincipleRef, Review, Severity, Skipped
from reviewbot.visible import visible, visible_review

ERASE = "\x1b[2K\x1b[1G"
NAME = f"ok{ERASE}hidden\x07\u202etxt.py"
AWS_LINE = 'AWS_ACCESS_KEY_ID = "AKIAZZZZZZZZZZZZZZZQ"\n'
OUR_COLOURS = re.compile(r"\x1b\[[0-9;]*m")  # SGR colour codes the text report itself writes


def test_every_control_character_is_escaped() -> None:
    assert visible("a\x1b[31mb") == "a\\x1b[31mb"
    assert visible("osc\x1b]0;title\x07") == "osc\\x1b]0;title\\x07"
    assert visible("csi\x9b2J del\x7f nul\x00") == "csi\\x9b2J del\\x7f nul\\x00"
    assert visible("over\rwrite\b") == "over\\rwrite\\b"
    assert visible("bidi \u202egnp.exe\u202c \u2066x\u2069 \u200f") == "bidi \\u202egnp.exe\\u202c \\u2066x\\u2069 \\u200f"
    assert visible("two\nlines\ttab") == "two\nlines\ttab"
    assert visible("two\nlines\ttab", one_line=True) == "two\\nlines\\ttab"
    assert visible("café ✓ 日本") == "café ✓ 日本"


def test_a_review_is_made_visible_field_by_field() -> None:
    principle = PrincipleRef("p\x1b", "N\x1b", "why\x1b")
    comment = Comment("a\x1b.py", 1, Severity.ERROR, "t\x1b", "b\x1b", principle, "s\x1b", suggestion="x\x1b")
    review = Review(comments=(comment,), skipped=(Skipped("s\x1b", "r\x1b"),), notes=("n\x1b",))
    shown = visible_review(review)
    texts = [shown.comments[0].path, shown.comments[0].title, shown.comments[0].body, shown.comments[0].source,
             shown.comments[0].suggestion, shown.comments[0].principle.name, shown.comments[0].principle.why,
             shown.skipped[0].path, shown.skipped[0].reason, shown.notes[0]]  # fmt: skip
    assert all("\x1b" not in text and "\\x1b" in text for text in texts)


@pytest.fixture
def hostile_repo(git_repo: GitRepo) -> GitRepo:
    git_repo.write("app.py", "x = 1\n")
    git_repo.commit("initial")
    git_repo.write(NAME, AWS_LINE)
    git_repo.git("add", "-A")
    return git_repo


def run(repo: GitRepo, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ["PATH"], **GitRepo.ENV, "HOME": str(repo.path.parent), **extra}
    return subprocess.run(
        [sys.executable, "-m", "reviewbot", "check", *args],
        cwd=repo.path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_an_escape_sequence_in_a_file_name_is_shown_not_obeyed(hostile_repo: GitRepo, fmt: str) -> None:
    done = run(hostile_repo, "--staged", "--format", fmt, "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "\u202e" not in done.stdout
    assert "ok\\x1b[2K\\x1b[1Ghidden\\x07\\u202etxt.py" in done.stdout
    assert "AWS" in done.stdout or "secret" in done.stdout.lower()  # the finding is there to see


def test_with_colour_only_the_reports_own_colour_codes_reach_the_terminal(hostile_repo: GitRepo) -> None:
    done = run(hostile_repo, "--staged", FORCE_COLOR="1")
    assert OUR_COLOURS.search(done.stdout)
    assert "\x1b" not in OUR_COLOURS.sub("", done.stdout)


def test_error_messages_on_stderr_are_made_visible(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "reviewbot", "check", f"missing{ERASE}.diff"],
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == "reviewbot: error: missing\\x1b[2K\\x1b[1G.diff: no such file\n"


def test_workflow_commands_in_an_actions_log_show_control_characters() -> None:
    from reviewbot.render.annotations import command

    line = command("notice", f"note {ERASE}\r\nnext", file=f"a{ERASE}.py")
    assert "\x1b" not in line
    assert line == "::notice file=a\\x1b[2K\\x1b[1G.py::note \\x1b[2K\\x1b[1G%0D%0Anext"
