"""The wheel ships every package and its data: nothing works only from a checkout."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _declared_packages() -> set[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return set(pyproject["tool"]["setuptools"]["packages"])


def _package_dirs() -> set[str]:
    found = {"reviewbot.prompts"}
    for init in (ROOT / "reviewbot").rglob("__init__.py"):
        found.add(".".join(init.parent.relative_to(ROOT).parts))
    return found


def test_every_package_directory_is_declared() -> None:
    missing = _package_dirs() - _declared_packages()
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_declared_packages_exist() -> None:
    stale = _declared_packages() - _package_dirs()
    assert not stale, f"declared in pyproject.toml but missing on disk: {sorted(stale)}"


def test_prompts_are_importable_package_data() -> None:
    names = {p.name for p in resources.files("reviewbot.prompts").iterdir()}
    assert any(name.endswith(".md") for name in names)


def test_every_tool_the_test_command_runs_is_installed_by_the_project() -> None:
    """tests/run.sh runs tools from .venv/bin; a fresh clone gets them only from pyproject.toml."""
    import re
    import tomllib

    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    names = {re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0].lower() for spec in declared}
    tools = set(re.findall(r"\.venv/bin/([\w-]+)", (root / "tests" / "run.sh").read_text())) - {"python", "pip"}
    assert tools and tools <= names, sorted(tools - names)
