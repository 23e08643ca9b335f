"""`reviewbot why PRINCIPLE` and `reviewbot principles [QUERY]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from reviewbot.errors import UnknownPrincipleError

if TYPE_CHECKING:
    from reviewbot.principles import Principle, PrincipleGraph


def run_why(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from reviewbot.principles import load_graph
    from reviewbot.render import principle_graph
    from reviewbot.render import principles as show

    graph = load_graph()
    principle = lookup(graph, args.principle)
    if getattr(args, "check", None) is not None or getattr(args, "probe", False) or getattr(args, "answer", None):
        from reviewbot.cli.tutoring import run_tutoring

        return run_tutoring(principle, args, env)
    diagram = graph_format(args)
    if diagram is not None:
        nodes, links = graph.neighbourhood(principle.id)
        sys.stdout.write(principle_graph.render(diagram, nodes, links, focus=principle.id))
        return 0
    below = graph.path_to_bedrock(principle.id)[1:]
    chain = below if args.depth is None else below[: args.depth]
    complete = len(chain) == len(below)
    if args.format == "json":
        sys.stdout.write(show.why_json(principle, chain, args.level, complete))
    else:
        sys.stdout.write(show.why_text(principle, chain, args.level, complete))
    return 0


def run_principles(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from reviewbot.principles import load_graph
    from reviewbot.render import principles as show

    graph = load_graph()
    if getattr(args, "html", None):
        return _write_explorer(graph, args)
    diagram = graph_format(args)
    if diagram is not None:
        return _print_graph(graph, args, diagram)
    found = graph.search(args.query) if args.query else graph.all()
    if not found:
        print(f"reviewbot: no principles match {args.query!r}", file=sys.stderr)
        return 1
    sys.stdout.write(show.catalog_json(found) if args.format == "json" else show.catalog_text(found))
    return 0


def graph_format(args: argparse.Namespace) -> str | None:
    """The diagram format asked for: --format dot|mermaid, or --graph (dot unless --format json)."""
    if args.format in ("dot", "mermaid"):
        return str(args.format)
    if getattr(args, "graph", False):
        return "json" if args.format == "json" else "dot"
    return None


def _print_graph(graph: PrincipleGraph, args: argparse.Namespace, diagram: str) -> int:
    from reviewbot.errors import UsageError
    from reviewbot.render import principle_graph

    if args.query:
        raise UsageError(
            "--graph prints the whole graph; it takes no QUERY (for one principle: reviewbot why ID --graph)"
        )
    sys.stdout.write(principle_graph.render(diagram, graph.all(), graph.links()))
    return 0


def _write_explorer(graph: PrincipleGraph, args: argparse.Namespace) -> int:
    from pathlib import Path

    from reviewbot.errors import UsageError
    from reviewbot.explorer import build_site, write_site

    if args.query:
        raise UsageError("--html writes every principle; it takes no QUERY (search inside the site instead)")
    directory = Path(args.html)
    count = write_site(build_site(graph), directory)
    print(f"reviewbot: wrote {count} files to {directory}; open {directory / 'index.html'} in a browser", file=sys.stderr)
    return 0


def lookup(graph: PrincipleGraph, name: str) -> Principle:
    """A principle by id, or by the rule mapped to it ("ruff:B006", "ruff/B006")."""
    analyzer, sep, rule = name.replace("/", ":").partition(":")
    if not sep:
        return graph.get(name.strip())
    principle = graph.for_rule(analyzer.strip(), rule.strip())
    if principle is None:
        raise UnknownPrincipleError(f"no principle is mapped to rule '{name}' (see `reviewbot principles`)")
    return principle
