"""The local git adapter against real repositories in temporary directories."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbot.adapters import localgit
from reviewbot.errors import GitError


@pytest.fixture
def repo(git_repo):
    """The shared isolated repository (conftest.GitRepo) with one commit on main."""
    git_repo.write("app.py", "def f():\n    return 1\n")
    git_repo.commit("initial")
    return git_repo


def test_repository_root_from_a_subdirectory(repo) -> None:
    sub = repo.path / "pkg" / "inner"
    sub.mkdir(parents=True)
    assert localgit.repository_root(sub).resolve() == repo.path.resolve()


def test_not_a_repository_carries_gits_words(tmp_path: Path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    with pytest.raises(GitError, match=r"^git rev-parse failed: fatal: not a git repository"):
        localgit.repository_root(outside)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="not a directory"):
        localgit.repository_root(tmp_path / "nope")


def test_diff_against_head_includes_worktree_and_index(repo) -> None:
    repo.write("app.py", "def f():\n    return 2\n")
    repo.write("new.py", "x = 1\n")
    repo.git("add", "new.py")
    text = localgit.diff_against(repo.path, "HEAD").decode()
    assert "diff --git a/app.py b/app.py" in text and "+    return 2" in text
    assert "diff --git a/new.py b/new.py" in text


def test_diff_ignores_user_prefix_and_colour_settings(repo) -> None:
    repo.git("config", "diff.noprefix", "true")
    repo.git("config", "color.diff", "always")
    repo.write("app.py", "def f():\n    return 3\n")
    text = localgit.diff_against(repo.path, "HEAD").decode()
    assert "--- a/app.py\n+++ b/app.py" in text
    assert "\x1b[" not in text


def test_staged_diff_is_the_index_only(repo) -> None:
    repo.write("app.py", "def f():\n    return 2\n")
    repo.git("add", "app.py")
    repo.write("app.py", "def f():\n    return 3\n")
    text = localgit.staged_diff(repo.path).decode()
    assert "+    return 2" in text and "return 3" not in text
    assert localgit.read_index(repo.path, "app.py") == b"def f():\n    return 2\n"
    assert localgit.read_worktree(repo.path, "app.py") == b"def f():\n    return 3\n"


def test_read_missing_files(repo) -> None:
    assert localgit.read_index(repo.path, "nope.py") is None
    assert localgit.read_worktree(repo.path, "nope.py") is None
    assert localgit.read_worktree(repo.path, "../outside.py") is None


def test_verify_revision(repo) -> None:
    head = repo.git("rev-parse", "HEAD").strip()
    assert localgit.verify_revision(repo.path, "main") == head
    with pytest.raises(GitError, match=r"^unknown revision 'nope': git knows no commit by that name$"):
        localgit.verify_revision(repo.path, "nope")
    with pytest.raises(GitError, match=r"^unknown revision '--output=x'"):
        localgit.verify_revision(repo.path, "--output=x")


def test_default_base_is_the_merge_base_with_main(repo) -> None:
    fork = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", "def f():\n    return 2\n")
    repo.commit("feature work")
    base = localgit.default_base(repo.path)
    assert base.revision == fork
    assert base.description.startswith("merge-base with main (")


def test_default_base_prefers_the_upstream(repo, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    repo.git("clone", "-q", "--bare", str(repo.path), str(remote))
    repo.git("remote", "add", "origin", str(remote))
    repo.git("fetch", "-q", "origin")
    repo.git("checkout", "-q", "-b", "topic", "--track", "origin/main")
    repo.write("app.py", "def f():\n    return 2\n")
    repo.commit("topic work")
    assert localgit.default_base(repo.path).description.startswith("merge-base with origin/main (")


def test_default_base_without_a_default_branch_is_head(git_repo, tmp_path: Path) -> None:
    other = type(git_repo).init(tmp_path / "trunk-only")
    other.git("checkout", "-q", "-b", "trunk")
    other.write("a.py", "a = 1\n")
    other.commit("one")
    assert localgit.default_base(other.path) == localgit.Base("HEAD", "HEAD")


def test_default_base_in_a_repository_without_commits(git_repo) -> None:
    git_repo.write("a.py", "a = 1\n")
    git_repo.git("add", "a.py")
    base = localgit.default_base(git_repo.path)
    assert base.revision == localgit.empty_tree(git_repo.path)
    assert "+a = 1" in localgit.diff_against(git_repo.path, base.revision).decode()


def test_git_missing_from_path(repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo.path / "no-bin-here"))
    with pytest.raises(GitError, match="^git is not installed or not on PATH$"):
        localgit.repository_root(repo.path)


# --- commit messages (base..HEAD) ---


def test_commit_log_lists_the_branchs_messages_oldest_first_without_merges(repo) -> None:
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app.py", "def f():\n    return 2\n")
    first = repo.commit("Return two\n\nThe caller expects 2 now.\nSecond line.")
    repo.git("checkout", "-q", "main")
    repo.write("other.py", "x = 1\n")
    repo.commit("Unrelated work on main")
    repo.git("checkout", "-q", "feature")
    repo.git("merge", "-q", "--no-edit", "main")
    repo.write("app.py", "def f():\n    return 3\n")
    second = repo.commit("Return three")
    merge_base = repo.git("merge-base", "HEAD", "main").strip()  # what `reviewbot check --git` compares with
    found, earlier = localgit.commit_log(repo.path, merge_base, 20)
    assert found == [(first, "Return two\n\nThe caller expects 2 now.\nSecond line.\n"), (second, "Return three\n")]
    assert earlier == 0
    found, earlier = localgit.commit_log(repo.path, base, 20)  # main's own commit came in with the merge
    ids = [sha for sha, _ in found]
    assert len(ids) == 3 and ids.index(first) < ids.index(second) and earlier == 0
    assert "Unrelated work on main\n" in [message for _, message in found]


def test_commit_log_keeps_the_newest_and_counts_the_rest(repo) -> None:
    base = repo.git("rev-parse", "HEAD").strip()
    for n in range(5):
        repo.write("app.py", f"x = {n}\n")
        repo.commit(f"Step {n}")
    found, earlier = localgit.commit_log(repo.path, base, 2)
    assert [message for _, message in found] == ["Step 3\n", "Step 4\n"] and earlier == 3


def test_commit_log_of_a_repository_without_commits_is_empty(git_repo) -> None:
    assert localgit.commit_log(git_repo.path, localgit.empty_tree(git_repo.path), 20) == ([], 0)


def test_commit_log_never_runs_the_repositorys_signature_program(repo, tmp_path: Path) -> None:
    ran = tmp_path / "gpg-ran"
    program = repo.write("fake-gpg.sh", f"#!/bin/sh\ntouch {ran}\nexit 1\n", executable=True)
    base = repo.git("rev-parse", "HEAD").strip()
    repo.commit("Signed, supposedly")
    repo.git("config", "log.showSignature", "true")
    repo.git("config", "gpg.program", str(program))
    signed = repo.git("cat-file", "commit", "HEAD").replace(
        "\n\nSigned", "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n -----END PGP SIGNATURE-----\n\nSigned")
    sha = repo.git("hash-object", "-t", "commit", "-w", "--stdin", input=signed.encode()).strip()
    repo.git("update-ref", "HEAD", sha)
    found, _ = localgit.commit_log(repo.path, base, 20)
    assert found == [(sha, "Signed, supposedly\n")] and not ran.exists()


def test_commit_log_refuses_a_base_that_looks_like_an_option(repo) -> None:
    with pytest.raises(GitError):
        localgit.commit_log(repo.path, "--output=/tmp/x", 20)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://github.com/hashicorp/go-uuid.git", "hashicorp/go-uuid"),
    ("git@github.com:hashicorp/go-uuid.git", "hashicorp/go-uuid"),
    ("ssh://git@github.example.com/org/tool", "org/tool"),
    ("/srv/mirrors/go-uuid.git", ""),  # a local path names no owner
    ("https://gitlab.example.com/group/sub/project.git", ""),  # not owner/name
])  # fmt: skip
def test_the_origin_remote_names_the_repository(repo, url: str, expected: str) -> None:
    assert localgit.origin_repository(repo.path) == ""  # no remote yet
    repo.git("remote", "add", "origin", url)
    assert localgit.origin_repository(repo.path) == expected
