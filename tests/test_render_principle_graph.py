"""Drawing the principle graph: DOT checked by a real parser (pydot), Mermaid by its structure."""

from __future__ import annotations

import json
import re

import pydot
import pytest
from threads_support import tiny_graph

from reviewbot.principles import Principle, PrincipleGraph, load_graph
from reviewbot.render.principle_graph import render, to_dot, to_mermaid

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pydot on newer pyparsing

MERMAID_NODE = re.compile(r'  (p_[a-z0-9_]+)\["([^"\n]*)"\]\Z')
MERMAID_EDGE = re.compile(r"  (p_[a-z0-9_]+) (==>|-\.->) (p_[a-z0-9_]+)\Z")
MERMAID_STYLE = re.compile(r"  (classDef [a-z]+ [^\n]+|class p_[a-z0-9_]+(,p_[a-z0-9_]+)* [a-z]+)\Z")


def _dot_edges(text: str) -> dict[tuple[str, str], dict[str, str]]:
    (graph,) = pydot.graph_from_dot_data(text)
    return {
        (edge.get_source().strip('"'), edge.get_destination().strip('"')): edge.get_attributes()
        for edge in graph.get_edges()
    }


def _mermaid(text: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    lines = text.splitlines()
    assert lines[0] == "flowchart TB"
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    for line in lines[1:]:
        if node := MERMAID_NODE.match(line):
            assert node.group(1) not in nodes, line
            nodes[node.group(1)] = node.group(2)
        elif edge := MERMAID_EDGE.match(line):
            edges.append(edge.groups())
        else:
            assert MERMAID_STYLE.match(line), f"not a Mermaid node, edge or style line: {line!r}"
    assert all(a in nodes and b in nodes for a, _, b in edges), "every edge joins declared nodes"
    return nodes, edges


def test_the_whole_graph_is_valid_dot_with_every_link_and_primary_ones_bold() -> None:
    graph = load_graph()
    text = to_dot(graph.all(), graph.links())
    (parsed,) = pydot.graph_from_dot_data(text)
    assert {n.get_name().strip('"') for n in parsed.get_nodes()} >= {p.id for p in graph.all()}
    edges = _dot_edges(text)
    assert len(edges) == sum(len(p.because) for p in graph.all())
    for p in graph.all():
        for index, target in enumerate(p.because):
            attrs = edges[(p.id, target)]
            assert (attrs.get("style") != '"dashed"') == (index == 0), (p.id, target, attrs)


def test_dot_labels_survive_quotes_backslashes_and_newlines() -> None:
    odd = Principle(
        id="odd", name='Say "hi" \\ bye', statement="Two\nlines.", why="w", eli12="e",
        because=(), references=(), bedrock=True, category="bedrock",
    )
    (parsed,) = pydot.graph_from_dot_data(to_dot([odd], []))
    (node,) = [n for n in parsed.get_nodes() if n.get_name() == '"odd"']
    assert node.get("label") == '"Say \\"hi\\" \\\\ bye\\nodd"'


def test_the_whole_graph_as_mermaid_declares_every_node_once_and_marks_primary_links() -> None:
    graph = load_graph()
    nodes, edges = _mermaid(to_mermaid(graph.all(), graph.links()))
    assert len(nodes) == len(graph)
    primary = {(a, b) for a, arrow, b in edges if arrow == "==>"}
    assert len(edges) == sum(len(p.because) for p in graph.all())
    assert primary == {
        (f"p_{p.id.replace('-', '_')}", f"p_{p.because[0].replace('-', '_')}") for p in graph.all() if p.because
    }


def test_mermaid_labels_cannot_break_out_of_their_quotes() -> None:
    odd = Principle(
        id="odd", name='A "quote"; <b>#1</b>', statement="s.", why="w", eli12="e",
        because=(), references=(), bedrock=True, category="bedrock",
    )
    nodes, _ = _mermaid(to_mermaid([odd], [], focus="odd"))
    assert nodes == {"p_odd": "A #quot;quote#quot;#59; #lt;b#gt;#35;1#lt;/b#gt;<br/>odd"}


def test_a_neighbourhood_is_the_primary_chain_the_other_parents_and_the_dependents() -> None:
    graph = tiny_graph()  # mutable-default -> (evaluation-time, shared-state); convergent -> (shared-state, aliasing)
    nodes, links = graph.neighbourhood("shared-state")
    assert [p.id for p in nodes] == ["shared-state", "aliasing", "identity", "convergent", "mutable-default"]
    assert {(link.source, link.target, link.primary) for link in links} == {
        ("shared-state", "aliasing", True),
        ("aliasing", "identity", True),
        ("convergent", "shared-state", True),
        ("mutable-default", "shared-state", False),
    }


def test_a_neighbourhood_includes_secondary_parents_of_the_principle_itself() -> None:
    graph = tiny_graph()
    nodes, links = graph.neighbourhood("mutable-default")
    assert [p.id for p in nodes] == ["mutable-default", "evaluation-time", "definition-time", "shared-state"]
    edges = _dot_edges(to_dot(nodes, links, focus="mutable-default"))
    assert set(edges) == {
        ("mutable-default", "evaluation-time"), ("mutable-default", "shared-state"),
        ("evaluation-time", "definition-time"),
    }
    assert edges[("mutable-default", "shared-state")]["style"] == '"dashed"'


def test_the_focused_principle_and_bedrock_are_marked() -> None:
    graph: PrincipleGraph = tiny_graph()
    nodes, links = graph.neighbourhood("evaluation-time")
    text = to_mermaid(nodes, links, focus="evaluation-time")
    assert "  class p_evaluation_time focus" in text
    assert "  class p_definition_time bedrock" in text
    (parsed,) = pydot.graph_from_dot_data(to_dot(nodes, links, focus="evaluation-time"))
    styles = {n.get_name().strip('"'): n.get("style") for n in parsed.get_nodes()}
    assert styles["definition-time"] == '"rounded,filled"'


def test_json_lists_nodes_and_links() -> None:
    graph = tiny_graph()
    nodes, links = graph.neighbourhood("aliasing")
    data = json.loads(render("json", nodes, links, focus="aliasing"))
    assert data["focus"] == "aliasing"
    assert [n["id"] for n in data["nodes"]] == ["aliasing", "identity", "convergent", "shared-state"]
    assert {"from": "convergent", "to": "aliasing", "primary": False} in data["links"]


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown graph format 'svg'"):
        render("svg", [], [])
