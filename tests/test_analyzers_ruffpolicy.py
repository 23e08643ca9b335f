"""The repository's Python target and ruff per-file-ignores, read from the trusted revision only."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from reviewbot.cli.main import main
from reviewbot.ruffpolicy import RUFF_MINORS, RuffPolicy, ruff_policy

PYPROJECT = """
[project]
requires-python = ">=3.8"

[tool.ruff]
exclude = ["tests/exceptions/source/*", "./build/", 3]

[tool.ruff.lint.per-file-ignores]
"pkg/__init__.py" = ["F401"]
"bad:pattern" = ["F401"]
"scripts/*" = ["T201", "not a code", "E402"]

[tool.ruff.per-file-target-version]
"tests/*_695.py" = "py312"
"it's.py" = "py312"
"odd.py" = "python3"
"""


def test_the_policy_comes_from_the_configuration_ruff_itself_would_use() -> None:
    policy = ruff_policy({"pyproject.toml": PYPROJECT})
    assert policy == RuffPolicy("py38", (("pkg/__init__.py", ("F401",)), ("scripts/*", ("T201", "E402"))),
                                (("tests/*_695.py", "py312"),),  # a quote in a glob or a bad version: left out
                                ("tests/exceptions/source/*", "build"))
    assert policy.flags() == ["--target-version", "py38", "--per-file-ignores", "pkg/__init__.py:F401",
                              "--per-file-ignores", "scripts/*:T201", "--per-file-ignores", "scripts/*:E402",
                              "--config", 'per-file-target-version = {"tests/*_695.py" = "py312"}']  # fmt: skip
    ruff_toml = 'target-version = "py312"\n[lint.per-file-ignores]\n"gen/*" = ["ALL"]\n'
    assert ruff_policy({"ruff.toml": ruff_toml, "pyproject.toml": PYPROJECT}) == RuffPolicy("py312", (("gen/*", ("ALL",)),))


@pytest.mark.parametrize(("text", "target"), [
    ('[project]\nrequires-python = ">=3.6"\n', "py37"),  # giampaolo/psutil: ruff refuses py36
    ('[tool.ruff]\ntarget-version = "py35"\n', "py37"),
    ('[tool.ruff]\ntarget-version = "py399"\n', "py315"),
])  # fmt: skip
def test_a_target_outside_what_ruff_accepts_becomes_the_nearest_it_accepts(text: str, target: str) -> None:
    assert ruff_policy({"pyproject.toml": text}).target == target


def test_the_targets_ruff_accepts_are_the_ones_the_policy_knows() -> None:
    from ruff.__main__ import find_ruff_bin

    refused = subprocess.run([find_ruff_bin(), "check", "--isolated", "--target-version", "py30", "-"],
                             input="", capture_output=True, text=True, check=False).stderr  # fmt: skip
    accepted = re.search(r"possible values: ([\w, ]+)\]", refused)
    assert accepted is not None, refused
    oldest, newest = RUFF_MINORS
    assert accepted.group(1).split(", ") == [f"py3{minor}" for minor in range(oldest, newest + 1)]


@pytest.mark.parametrize("text", ["[tool.ruff\n", 'target-version = "python3"\n', "[tool.ruff]\ntarget-version = 3\n"])
def test_anything_malformed_gives_no_flag(text: str) -> None:
    assert ruff_policy({"pyproject.toml": text, "ruff.toml": None}).flags() == []


@pytest.mark.parametrize(("path", "pattern"), [
    ("tests/exceptions/source/modern/t_string.py", "tests/exceptions/source/*"),  # `*` crosses `/`, as in ruff
    ("pkg/fixtures/broken.py", "fixtures"),  # a bare name matches a directory anywhere
    ("pkg/api_pb2.py", "*_pb2.py"),
    ("src/ax/stubs.pyi", "src/[a-c]x/{gen,*.pyi}"),
    ("src/dx/stubs.pyi", None),
    ("tests/test_source.py", None),
])  # fmt: skip
def test_excluded_files_are_matched_as_ruff_matches_them(path: str, pattern: str | None) -> None:
    policy = RuffPolicy(excluded=("tests/exceptions/source/*", "fixtures", "*_pb2.py", "src/[a-c]x/{gen,*.pyi}"))
    assert policy.excluding(path) == pattern


@pytest.fixture
def repo(git_repo, monkeypatch: pytest.MonkeyPatch):
    git_repo.write("pyproject.toml", PYPROJECT)
    git_repo.write("pkg/__init__.py", "")
    git_repo.commit("initial")
    monkeypatch.chdir(git_repo.path)
    return git_repo


def review(capsys) -> list[tuple[str, str]]:
    main(["check", "--git", "HEAD", "--format", "json"], env={"REVIEWBOT_COMMENT_ON": "all"})  # which rules comment: test_comment_policy.py
    return [(c["path"], c["source"]) for c in json.loads(capsys.readouterr().out)["comments"]]


def test_the_repository_target_and_ignores_reach_ruff(repo, capsys) -> None:
    repo.write("pkg/__init__.py", "import os\n")
    repo.write("scripts/run.py", "import os\n")  # E402 is not selected: the flag must still be accepted
    repo.write("pkg/shapes.py", "def area(shape):\n    match shape:\n        case _:\n            return 0\n")
    repo.git("add", "-A")
    found = review(capsys)
    assert ("pkg/__init__.py", "ruff:F401") not in found  # per-file-ignores
    assert ("pkg/shapes.py", "ruff:invalid-syntax") in found  # `match` needs 3.10; the project supports 3.8


def test_a_test_file_for_a_newer_python_is_parsed_as_that_python(repo, capsys) -> None:
    """python-attrs/cattrs f693a0b35c: `tests/strategies/test_union_passthrough_695.py` uses PEP 695's
    `type` statement; the project's `per-file-target-version` says such files are Python 3.12."""
    code = "def test_alias():\n    type NewScalar = str\n    assert NewScalar\n"
    repo.write("tests/test_union_695.py", code)
    repo.write("tests/test_union.py", code)  # not covered by the pattern: still 3.8, still a syntax error
    repo.git("add", "-A")
    main(["check", "--git", "HEAD", "--format", "json"], env={"REVIEWBOT_COMMENT_ON": "all"})
    notes = " ".join(json.loads(capsys.readouterr().out)["summary"]["notes"])
    assert "Syntax error in test code (1)" in notes  # listed in test code (test_review_introduced.py)
    assert "tests/test_union.py:2" in notes and "test_union_695" not in notes


def test_a_file_the_repository_excludes_from_ruff_is_not_linted_and_says_so(repo, capsys) -> None:
    """Delgan/loguru 3fb23a4f4a: a fixture written in Python 3.14's t-string syntax, under a path the
    project's `exclude` takes out of ruff; the project supports 3.5, so ruff would call it a syntax error."""
    repo.write("tests/exceptions/source/modern/t_string.py", 'import sys\nname = "x"\ntemplate = t"{name}"\n')
    repo.git("add", "-A")
    main(["check", "--git", "HEAD", "--format", "json"], env={"REVIEWBOT_COMMENT_ON": "all"})
    report = json.loads(capsys.readouterr().out)
    assert report["comments"] == []
    (skipped,) = [s for s in report["skipped"] if s["path"] == "tests/exceptions/source/modern/t_string.py"]
    assert "ruff configuration excludes it (`tests/exceptions/source/*`)" in skipped["reason"]


def test_a_project_on_python_3_6_is_reviewed_as_3_7(repo, capsys) -> None:
    """giampaolo/psutil says `requires-python = ">=3.6"`; ruff refuses `--target-version py36`."""
    repo.write("pyproject.toml", PYPROJECT.replace(">=3.8", ">=3.6"))
    repo.git("commit", "-qam", "3.6")
    repo.write("pkg/util.py", "def add(item, items=[]):\n    return items\n")
    repo.git("add", "-A")
    assert ("pkg/util.py", "ruff:B006") in review(capsys)


def test_a_change_cannot_relax_the_ruff_configuration_it_is_reviewed_with(repo, capsys) -> None:
    repo.write("pyproject.toml", PYPROJECT + '"pkg/*.py" = ["B006"]\n')
    repo.write("pkg/util.py", "def add(item, items=[]):\n    return items\n")
    repo.write("ruff.toml", 'exclude = ["pkg/*"]\n')
    repo.git("add", "-A")
    assert ("pkg/util.py", "ruff:B006") in review(capsys)


def test_the_rules_a_project_ignores_everywhere_are_read_and_matched_as_ruff_reads_selectors() -> None:
    """pydantic/logfire ignores `C901` in its `pyproject.toml`; wntrblm/nox `SLF001`."""
    text = '[tool.ruff]\nextend-ignore = ["SLF001"]\n[tool.ruff.lint]\nignore = ["C901", "PT", "E7", "PL", "ALL", 3]\n'
    policy = ruff_policy({"pyproject.toml": text})
    assert policy.ignored == ("SLF001", "C901", "PT", "E7", "PL")  # `ALL` and a non-code: left out
    assert [code for code in ("C901", "PT018", "PTH123", "E722", "E501", "PLR0913", "SLF001", "T201")
            if policy.ignores(code)] == ["C901", "PT018", "E722", "PLR0913", "SLF001"]  # fmt: skip


def test_a_rule_the_project_ignores_is_not_run(repo, capsys) -> None:
    repo.write("pkg/io.py", "def read(path):\n    try:\n        return open(path).read()\n    except:\n        return None\n")
    repo.git("add", "-A")
    assert ("pkg/io.py", "ruff:E722") in review(capsys)
    repo.git("reset", "-q")
    repo.write("pyproject.toml", PYPROJECT + '\n[tool.ruff.lint]\nignore = ["E722"]\n')
    repo.git("commit", "-qm", "the project turns E722 off", "--", "pyproject.toml")
    repo.git("add", "-A")
    assert ("pkg/io.py", "ruff:E722") not in review(capsys)
