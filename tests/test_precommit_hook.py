"""The pre-commit hook (`.pre-commit-hooks.yaml`), driven by the real `pre-commit` package.

A temporary git repository holding this checkout's files is the hook repository;
another temporary repository installs the hook the way a team would (three lines
of `.pre-commit-config.yaml`, `pre-commit install`) and commits. pre-commit builds
the hook's own virtual environment from the hook repository, as it does for users.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[1]

DEFECT = """\
def total(prices):
    return sum(prices) * tax_rate
"""  # tax_rate is never defined: a NameError on the first call (ruff F821, an error)

CLEAN = """\
def total(prices, tax_rate):
    return sum(prices) * tax_rate
"""


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return result.stdout


def _init(path: Path) -> Path:
    path.mkdir()
    _git(path, "init", "-q", "-b", "main")
    _git(path, "config", "user.email", "dev@example.com")
    _git(path, "config", "user.name", "Dev")
    _git(path, "config", "commit.gpgsign", "false")
    return path


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this checkout's files (committed or not), at one commit."""
    repo = _init(tmp_path_factory.mktemp("hook") / "reviewbot")
    listed = _git(PROJECT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = PROJECT / name
        if source.is_file() and not source.is_symlink():
            target = repo / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "reviewbot")
    return repo, _git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def precommit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "REVIEWBOT_", "GITHUB_"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-cache")),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        GIT_CONFIG_NOSYSTEM="1",
        NO_COLOR="1",
    )
    return env


@pytest.fixture(scope="module")
def team_repo(tmp_path_factory, hook_repo, precommit_env) -> Path:
    """A repository whose .pre-commit-config.yaml uses the hook, with `pre-commit install` done."""
    repo_path, rev = hook_repo
    repo = _init(tmp_path_factory.mktemp("team") / "app")
    config = {"repos": [{"repo": str(repo_path), "rev": rev, "hooks": [{"id": "reviewbot"}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    _git(repo, "add", ".pre-commit-config.yaml")
    _git(repo, "commit", "-q", "-m", "use pre-commit")
    _pre_commit(repo, precommit_env, "install")
    _pre_commit(repo, precommit_env, "install-hooks")  # builds the hook's environment once
    return repo


def _pre_commit(repo: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env, check=True,
                   capture_output=True, text=True, timeout=900)


def _commit(repo: Path, env: dict[str, str], name: str, text: str) -> subprocess.CompletedProcess[str]:
    (repo / name).write_text(text)
    _git(repo, "add", name)
    return subprocess.run(["git", "commit", "-m", f"add {name}"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_hook_file_declares_one_offline_staged_review() -> None:
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    (hook,) = hooks
    assert hook["id"] == "reviewbot"
    assert hook["entry"].split() == ["reviewbot", "check", "--staged", "--offline"]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False


def test_a_commit_with_a_planted_bug_is_refused_with_the_finding_and_its_why(team_repo, precommit_env) -> None:
    result = _commit(team_repo, precommit_env, "billing.py", DEFECT)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "billing.py" in output and "tax_rate" in output
    assert "error" in output
    assert "Why (" in output  # the principle's why is printed with the finding
    assert "reviewbot why " in output  # and how to ask one layer deeper
    assert _git(team_repo, "log", "--format=%s").splitlines() == ["use pre-commit"]


def test_a_clean_commit_passes(team_repo, precommit_env) -> None:
    _git(team_repo, "reset", "-q")  # unstage whatever an earlier test left
    result = _commit(team_repo, precommit_env, "pricing.py", CLEAN)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "reviewbot" in output and "0 errors" in output
    assert _git(team_repo, "log", "-1", "--format=%s").strip() == "add pricing.py"
