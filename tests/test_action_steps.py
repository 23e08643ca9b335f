"""action.yml's shell steps, run for real: a workspace holding planted Python packages runs none of them.

The attack: a pull request commits `pip/__init__.py` (or `venv/`, `hashlib.py`,
`reviewbot/`) and the workflow checks it out; action.yml ran `python -m pip`
from the workspace, so the planted package ran with GITHUB_TOKEN and the API
key in reach. Here every `run:` step of action.yml is executed by bash, in
order, the way the runner does: in its `working-directory` (the workspace
when none is given), with its `env:` expressions filled in. The action's own
checkout is a tiny stand-in package, so the install is quick and offline.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PLANTED = {  # module name -> file planted in the workspace
    "pip": "pip/__init__.py",
    "venv": "venv/__init__.py",
    "hashlib": "hashlib.py",
    "reviewbot": "reviewbot/__main__.py",
    "sitecustomize": "sitecustomize.py",
}
STAND_IN = {
    "pyproject.toml": (
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "reviewbot"\nversion = "0"\n\n[project.optional-dependencies]\naction = []\n\n'
        '[tool.setuptools]\npackages = ["reviewbot"]\n'
    ),
    "reviewbot/__init__.py": "",
    "reviewbot/__main__.py": (
        "import os, pathlib, sys\n"
        "pathlib.Path(os.environ['MARKERS'], 'real-reviewbot').write_text(' '.join(sys.argv[1:]) or 'ran')\n"
    ),
}
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def plant(workspace: Path, markers: Path) -> None:
    for name, relative in PLANTED.items():
        target = workspace / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        (target.parent / "__init__.py").touch() if relative.endswith("__main__.py") else None
        target.write_text(f"open({str(markers / ('planted-' + name))!r}, 'w').write('ran')\n")


def write_tree(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)


def evaluate(text: str, context: dict[str, str]) -> str:
    """`${{ ... }}` filled from `context` (inputs not given are empty, as with their defaults unset)."""
    return EXPRESSION.sub(lambda m: context.get(m.group(1), ""), str(text))


def read_outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


@pytest.fixture
def job(tmp_path: Path) -> dict[str, Path]:
    paths = {name: tmp_path / name for name in ("workspace", "runner-temp", "action", "markers")}
    for path in paths.values():
        path.mkdir()
    plant(paths["workspace"], paths["markers"])
    write_tree(paths["action"], STAND_IN)
    (paths["action"] / "action.yml").write_text((ROOT / "action.yml").read_text())
    return paths


def run_steps(job: dict[str, Path]) -> list[str]:
    """Run every `run:` step of action.yml like the runner; returns the step ids that ran."""
    steps = yaml.safe_load((job["action"] / "action.yml").read_text())["runs"]["steps"]
    context = {
        "runner.temp": str(job["runner-temp"]),
        "github.workspace": str(job["workspace"]),
        "steps.python.outputs.python-path": sys.executable,  # setup-python's interpreter
    }
    ran = []
    for step in steps:
        if "run" not in step:
            continue  # setup-python and the cache are actions, not shell
        output = job["runner-temp"] / f"output-{step['id']}"
        output.touch()
        env = {
            "PATH": os.environ["PATH"], "HOME": str(job["runner-temp"]),
            "RUNNER_TEMP": str(job["runner-temp"]), "GITHUB_WORKSPACE": str(job["workspace"]),
            "GITHUB_ACTION_PATH": str(job["action"]), "GITHUB_OUTPUT": str(output),
            "MARKERS": str(job["markers"]),
            **{name: evaluate(value, context) for name, value in step.get("env", {}).items()},
        }  # fmt: skip
        cwd = Path(evaluate(step.get("working-directory", "${{ github.workspace }}"), context))
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=300, check=False)  # fmt: skip
        assert done.returncode == 0, f"step {step['id']}: {done.stderr}"
        context |= {f"steps.{step['id']}.outputs.{k}": v for k, v in read_outputs(output).items()}
        ran.append(step["id"])
    return ran


def test_no_planted_package_in_the_workspace_runs(job: dict[str, Path]) -> None:
    ran = run_steps(job)
    assert ran == ["pip-cache", "install", "review"]
    markers = sorted(p.name for p in job["markers"].iterdir())
    assert markers == ["real-reviewbot"], markers
    assert (job["markers"] / "real-reviewbot").read_text() == "action"


def test_every_python_in_action_yml_runs_isolated_from_runner_temp() -> None:
    steps = yaml.safe_load((ROOT / "action.yml").read_text())["runs"]["steps"]
    for step in (s for s in steps if "run" in s):
        assert step["working-directory"] == "${{ runner.temp }}", step["id"]
        calls = re.findall(r'"\$(\w*PYTHON|bin/python)"\s+(\S+)', step["run"])
        assert calls and all(flag == "-I" for _, flag in calls), (step["id"], calls)
