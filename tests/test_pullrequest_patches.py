"""The pull request's diff rebuilt from the files endpoint, checked against real git output."""

from __future__ import annotations

import pytest
from fakegithub import hunks
from github_support import git, git_pull

from reviewbot.adapters.github.host import ChangedFile
from reviewbot.diffmodel import FileStatus, parse_diff
from reviewbot.models import Side
from reviewbot.pullrequest.patches import (
    MAX_LISTED_FILES,
    NO_PATCH,
    NO_TEXT_CHANGE,
    TOO_MANY,
    UNREADABLE,
    build_diff,
    file_diff_text,
    quote_path,
    unified_diff,
)

BASE = {
    "app.py": "import os\n\n\ndef main():\n    return 1\n" + "".join(f"x{i} = {i}\n" for i in range(30)),
    "old_name.py": "".join(f"line {i}\n" for i in range(20)),
    "moved.py": "".join(f"keep {i}\n" for i in range(20)),
    "gone.py": "a = 1\nb = 2\n",
    "logo.png": b"\x89PNG\r\n\x1a\n\x00\x00binary",
    "notes.txt": "no newline",
}
HEAD = {
    "app.py": "import os\nimport sys\n\n\ndef main():\n    return 2\n"
    + "".join(f"x{i} = {i}\n" for i in range(29))
    + "x29 = 'changed'\n",
    "old_name.py": None,
    "new_name.py": "".join(f"line {i}\n" for i in range(19)) + "line 19 edited\n",
    "moved.py": None,
    "there.py": "".join(f"keep {i}\n" for i in range(20)),
    "gone.py": None,
    "added.py": "def f():\n    pass\n",
    "logo.png": b"\x89PNG\r\n\x1a\n\x00\x00other binary",
    "notes.txt": "no newline, still",
    "dir with space/ünïcode name.py": "x = 1\n",
}


def _entries(pull):
    return [
        ChangedFile(
            e["filename"],
            e["status"],
            e.get("patch"),
            e.get("previous_filename"),
            e["additions"],
            e["deletions"],
        )
        for e in pull.files
    ]


@pytest.fixture(scope="module")
def pull(tmp_path_factory):
    return git_pull(tmp_path_factory.mktemp("repo"), BASE, HEAD)


def test_every_kind_of_change_is_rebuilt(pull):
    diff, skipped = build_diff(_entries(pull))
    status = {f.path: f.status for f in diff}
    assert status == {
        "added.py": FileStatus.ADDED,
        "app.py": FileStatus.MODIFIED,
        "dir with space/ünïcode name.py": FileStatus.ADDED,
        "gone.py": FileStatus.DELETED,
        "new_name.py": FileStatus.RENAMED,
        "notes.txt": FileStatus.MODIFIED,
        "there.py": FileStatus.RENAMED,
    }
    assert diff.file("new_name.py").old_path == "old_name.py"
    assert skipped and {s.path: s.reason for s in skipped} == {"logo.png": NO_PATCH}


def test_added_lines_match_what_git_itself_reports(pull):
    diff, _ = build_diff(_entries(pull))
    real = parse_diff(git(pull.cwd, "diff", "-M", pull.base, pull.head))
    for file in diff:
        assert file.added_lines == real.file(file.path).added_lines, file.path
        assert file.deleted_lines == real.file(file.path).deleted_lines, file.path


def test_commentable_lines_follow_githubs_rule(pull):
    """Every line the fake GitHub accepts is one the diff model says the diff contains, and back."""
    diff, _ = build_diff(_entries(pull))
    for entry in pull.files:
        if not entry.get("patch"):
            continue
        for hunk in hunks(entry["patch"]):
            for side in ("LEFT", "RIGHT"):
                for line in hunk[side]:
                    assert diff.contains(entry["filename"], line, Side(side))
        file = diff.file(entry["filename"])
        right = set().union(*(h["RIGHT"] for h in hunks(entry["patch"])))
        assert not any(file.contains(n, Side.RIGHT) for n in range(1, 200) if n not in right)


def test_a_pure_rename_is_kept_without_hunks(pull):
    diff, _ = build_diff(_entries(pull))
    there = diff.file("there.py")
    assert there.old_path == "moved.py" and there.hunks == ()


def test_the_whole_diff_text_parses_too(pull):
    text = unified_diff(_entries(pull))
    assert {f.path for f in parse_diff(text)} == {f.path for f in build_diff(_entries(pull))[0]}


def test_headers_mirror_git_for_each_status():
    added = file_diff_text(ChangedFile("a.py", "added", "@@ -0,0 +1 @@\n+x"))
    assert added.splitlines()[:4] == [
        "diff --git a/a.py b/a.py",
        "new file mode 100644",
        "--- /dev/null",
        "+++ b/a.py",
    ]
    removed = file_diff_text(ChangedFile("a.py", "removed", "@@ -1 +0,0 @@\n-x"))
    assert removed.splitlines()[1:4] == ["deleted file mode 100644", "--- a/a.py", "+++ /dev/null"]
    renamed = file_diff_text(ChangedFile("b.py", "renamed", "@@ -1 +1 @@\n-x\n+y", "a.py", 1, 1))
    assert renamed.splitlines()[:3] == ["diff --git a/a.py b/b.py", "rename from a.py", "rename to b.py"]
    copied = file_diff_text(ChangedFile("b.py", "copied", None, "a.py"))
    assert "copy from a.py" in copied and "---" not in copied


def test_paths_are_quoted_like_git_when_needed():
    assert quote_path("plain/path.py") == "plain/path.py"
    assert quote_path("tab\there") == '"tab\\there"'
    assert quote_path('q"uote') == '"q\\"uote"'
    assert quote_path("é") == '"\\303\\251"'


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (ChangedFile("big.sql", "modified", None, None, 9000, 100), NO_PATCH),
        (ChangedFile("run.sh", "changed", None), NO_TEXT_CHANGE),
        (ChangedFile("bad.py", "modified", "@@ -1,2 +1,2 @@\n+only one line"), UNREADABLE),
    ],
)
def test_files_that_cannot_be_rebuilt_are_skipped_with_the_reason(entry, reason):
    good = ChangedFile("ok.py", "added", "@@ -0,0 +1 @@\n+x = 1")
    diff, skipped = build_diff([entry, good])
    assert [f.path for f in diff] == ["ok.py"]
    assert [(s.path, s.reason) for s in skipped] == [(entry.path, reason)]


def test_a_pull_request_at_githubs_file_limit_says_files_are_missing():
    entries = [ChangedFile(f"f{i}.py", "added", "@@ -0,0 +1 @@\n+x") for i in range(MAX_LISTED_FILES)]
    diff, skipped = build_diff(entries)
    assert len(diff) == MAX_LISTED_FILES and skipped[-1].reason == TOO_MANY
