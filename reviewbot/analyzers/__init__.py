"""The built-in analyzers: ruff (Python), detect-secrets (all files), diff checks.

Each analyzer module is imported only when it is used: importing this package
costs nothing, and `default_analyzers` builds only the enabled ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewbot.errors import ConfigError

if TYPE_CHECKING:
    from reviewbot.review.analyzer import Analyzer
    from reviewbot.config import Config
    from reviewbot.principles import PrincipleGraph


def _ruff(graph: PrincipleGraph, config: Config) -> Analyzer:
    from reviewbot.analyzers.ruff import RuffAnalyzer
    from reviewbot.analyzers.ruffpolicy import RuffPolicy

    return RuffAnalyzer(tuple(graph.rules("ruff")), policy=RuffPolicy(config.python_target, config.ruff_ignores))


def _secrets(graph: PrincipleGraph, config: Config) -> Analyzer:
    from reviewbot.analyzers.secrets import SecretsAnalyzer

    return SecretsAnalyzer()


def _diff(graph: PrincipleGraph, config: Config) -> Analyzer:
    from reviewbot.analyzers.diffchecks import DiffChecksAnalyzer

    return DiffChecksAnalyzer()


FACTORIES = {"ruff": _ruff, "secrets": _secrets, "diff": _diff}


def default_analyzers(config: Config, graph: PrincipleGraph) -> list[Analyzer]:
    """The analyzers `config.analyzers` enables, in that order; `graph` holds their rule tables."""
    unknown = [name for name in config.analyzers if name not in FACTORIES]
    if unknown:
        choices = ", ".join(FACTORIES)
        raise ConfigError(f"unknown analyzer {unknown[0]!r} in analyzers (choose from: {choices})")
    return [FACTORIES[name](graph, config) for name in dict.fromkeys(config.analyzers)]
