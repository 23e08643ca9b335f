"""Report files are written through a temporary file and a rename, never through a planted link.

The attack: a pull request commits `reviewbot.sarif -> ~/.bashrc` (or any file
outside the workspace) and the SARIF write overwrote the link's target.
These tests run the real `reviewbot check -o` and `reviewbot action` processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reviewbot.errors import InputError
from reviewbot.outfile import append_file, write_file

DIFF = b"diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n"
PRECIOUS = "export PATH=/usr/bin\n"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A checkout holding a diff, its file, and a link the change planted pointing outside it."""
    root = tmp_path / "workspace"
    root.mkdir()
    (root / "change.diff").write_bytes(DIFF)
    (root / "app.py").write_text("x = 2\n")
    (tmp_path / "bashrc").write_text(PRECIOUS)
    (root / "reviewbot.sarif").symlink_to(tmp_path / "bashrc")
    return root


def reviewbot(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewbot", *args],
        cwd=cwd, env={"PATH": os.environ["PATH"], "HOME": str(cwd), **env},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_check_refuses_to_write_through_a_planted_link(workspace: Path, tmp_path: Path) -> None:
    done = reviewbot(workspace, "check", "change.diff", "--format", "sarif", "-o", "reviewbot.sarif")
    assert done.returncode == 2
    assert done.stderr == (
        "reviewbot: error: --output reviewbot.sarif: is a symbolic link; refusing to write through it "
        "(remove the link first)\n"
    )
    assert (tmp_path / "bashrc").read_text() == PRECIOUS


def test_check_writes_a_real_file_whole(workspace: Path) -> None:
    done = reviewbot(workspace, "check", "change.diff", "--format", "sarif", "-o", "out.sarif")
    assert done.returncode == 0, done.stderr
    assert json.loads((workspace / "out.sarif").read_text())["version"] == "2.1.0"
    assert not [p for p in workspace.iterdir() if p.name.endswith(".tmp")]  # no temporary file left


def action_env(workspace: Path, sarif: str) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(workspace / "event.json"), "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_REPOSITORY": "o/r", "REVIEWBOT_SARIF_FILE": sarif,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("sarif", "message"),
    [
        ("reviewbot.sarif", "is a symbolic link; refusing to write through it"),
        ("../elsewhere.sarif", "is outside the workspace"),
        ("/tmp/anywhere.sarif", "is outside the workspace"),
    ],
)
def test_action_refuses_a_sarif_file_through_a_link_or_outside_the_workspace(
    workspace: Path, tmp_path: Path, sarif: str, message: str
) -> None:
    runner_temp = tmp_path / "runner-temp"  # action.yml runs reviewbot from $RUNNER_TEMP
    runner_temp.mkdir()
    done = reviewbot(runner_temp, "action", **action_env(workspace, sarif))
    assert done.returncode == 2
    assert done.stdout.startswith("::error title=reviewbot::sarif-file ") and message in done.stdout
    assert (tmp_path / "bashrc").read_text() == PRECIOUS
    assert not (tmp_path / "elsewhere.sarif").exists()


def test_a_relative_sarif_file_lands_in_the_workspace_not_the_working_directory(tmp_path: Path) -> None:
    from reviewbot.action.environment import ActionEnv

    env = action_env(tmp_path / "ws", "out/reviewbot.sarif")
    assert ActionEnv.from_env(env, tmp_path / "runner-temp").sarif_file == tmp_path / "ws" / "out" / "reviewbot.sarif"


def test_a_rename_replaces_the_file_instead_of_writing_into_it(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    other_name = tmp_path / "hard-link.md"
    os.link(target, other_name)  # writing in place would change this name too
    write_file(target, "new\n", "--output")
    assert target.read_text() == "new\n" and other_name.read_text() == "old\n"
    assert target.stat().st_mode & 0o777 == 0o640  # the old file's permissions are kept


def test_appending_to_a_runner_file_never_follows_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").write_text("")
    (tmp_path / "summary.md").symlink_to(tmp_path / "real")
    with pytest.raises(OSError):
        append_file(tmp_path / "summary.md", "x")
    assert (tmp_path / "real").read_text() == ""
    append_file(tmp_path / "plain.md", "a")
    append_file(tmp_path / "plain.md", "b")
    assert (tmp_path / "plain.md").read_text() == "ab"


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        write_file(tmp_path, "x", "--output")
