"""The shape of the package: no import cycle between its packages, and a core that imports no edge.

Imports are read from the source with `ast`, function-level and TYPE_CHECKING
ones included: a cycle hidden inside a function is still a cycle in the design.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "reviewbot"
CORE = (
    "reviewbot.models", "reviewbot.accounts", "reviewbot.payload", "reviewbot.diffmodel", "reviewbot.diffparse",
    "reviewbot.diffnames", "reviewbot.principles", "reviewbot.review", "reviewbot.render", "reviewbot.threads",
    "reviewbot.pullrequest",
)
EDGE_LIBRARIES = {"github", "openai", "fastapi", "uvicorn", "huey", "sqlalchemy", "redis", "requests", "httpx"}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def package_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        for target in imports(path):
            if target in known and package_of(target) != package_of(name):
                graph.setdefault(package_of(name), set()).add(package_of(target))
    return graph


def cycle_from(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A path start -> ... -> start, or None."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_no_two_packages_import_each_other_even_indirectly() -> None:
    graph = package_graph()
    cycles = [cycle for name in sorted(graph) if (cycle := cycle_from(graph, name))]
    assert not cycles, "import cycles between packages: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_core_imports_no_edge_library() -> None:
    reached = {
        (name, target.split(".")[0])
        for name, path in modules().items()
        if name.startswith(CORE)
        for target in imports(path)
        if target.split(".")[0] in EDGE_LIBRARIES
    }
    assert not reached, f"core modules importing edge libraries: {sorted(reached)}"


def test_the_checks_see_a_cycle_when_there_is_one() -> None:
    assert cycle_from({"a": {"b"}, "b": {"c"}, "c": {"a"}}, "a") == ["a", "b", "c", "a"]
    assert cycle_from({"a": {"b"}, "b": {"c"}}, "a") is None
