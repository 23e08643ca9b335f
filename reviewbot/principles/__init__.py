"""The principle graph: why each review comment matters, down to bedrock.

Principles live in `data/*.toml` (one file per category); the analyzer rules
that point at them live in `rules.toml`. `load_graph()` reads both once and
returns a `PrincipleGraph`. Importing this package reads nothing.
"""

from reviewbot.principles.graph import PrincipleGraph
from reviewbot.principles.loader import build_graph, load_graph
from reviewbot.principles.model import Link, Principle, PrincipleDataError, RuleMapping

__all__ = [
    "Link",
    "Principle",
    "PrincipleDataError",
    "PrincipleGraph",
    "RuleMapping",
    "build_graph",
    "load_graph",
]
