"""The built-in analyzers: ruff (Python), detect-secrets (all files), diff checks, and the other languages' linters
(oxlint, shellcheck, hadolint, zizmor, actionlint, ast-grep; see reviewbot.analyzers.external).

Each analyzer module is imported only when it is used: importing this package
costs nothing, and `default_analyzers` builds only the enabled ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reviewbot.errors import ConfigError

if TYPE_CHECKING:
    from reviewbot.config import Config
    from reviewbot.principles import PrincipleGraph
    from reviewbot.review.analyzer import Analyzer


def _ruff(graph: PrincipleGraph, config: Config) -> Analyzer:
    from reviewbot.analyzers.ruff import RuffAnalyzer

    return RuffAnalyzer(tuple(graph.rules("ruff")), policy=config.ruff)


def _secrets(graph: PrincipleGraph, config: Config) -> Analyzer:
    from reviewbot.analyzers.secrets import SecretsAnalyzer

    return SecretsAnalyzer()


def _diff(graph: PrincipleGraph, config: Config) -> Analyzer:
    from reviewbot.analyzers.diffchecks import DiffChecksAnalyzer

    return DiffChecksAnalyzer()


def _tool(spec_name: str) -> Callable[[PrincipleGraph, Config], Analyzer]:
    """A factory for the third-party linter whose ToolSpec is `module:Class` (reviewbot.analyzers.external)."""

    def build(graph: PrincipleGraph, config: Config) -> Analyzer:
        from importlib import import_module

        from reviewbot.analyzers.external import ToolAnalyzer

        module, name = spec_name.split(":")
        kind = getattr(import_module(f"reviewbot.analyzers.{module}"), name)
        spec = kind.for_config(config) if hasattr(kind, "for_config") else kind()  # the few that read a setting
        return ToolAnalyzer(spec, tuple(graph.rules(spec.name)))

    return build


FACTORIES: dict[str, Callable[[PrincipleGraph, Config], Analyzer]] = {
    "ruff": _ruff,
    "secrets": _secrets,
    "diff": _diff,
    "oxlint": _tool("javascript:OxlintSpec"),
    "shellcheck": _tool("shell:ShellcheckSpec"),
    "hadolint": _tool("docker:HadolintSpec"),
    "zizmor": _tool("workflows:ZizmorSpec"),
    "actionlint": _tool("workflows:ActionlintSpec"),
    "astgrep": _tool("structural:AstGrepSpec"),
}


def default_analyzers(config: Config, graph: PrincipleGraph) -> list[Analyzer]:
    """The analyzers `config.analyzers` enables, in that order; `graph` holds their rule tables."""
    unknown = [name for name in config.analyzers if name not in FACTORIES]
    if unknown:
        choices = ", ".join(FACTORIES)
        raise ConfigError(f"unknown analyzer {unknown[0]!r} in analyzers (choose from: {choices})")
    return [FACTORIES[name](graph, config) for name in dict.fromkeys(config.analyzers)]
