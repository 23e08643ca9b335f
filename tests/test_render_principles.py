"""Rendering principles for `reviewbot why` and `reviewbot principles`."""

from __future__ import annotations

import json

from threads_support import tiny_graph as threads_tiny_graph

from reviewbot.render.principles import (
    catalog_json,
    catalog_text,
    principle_data,
    why_json,
    why_text,
)


def layers_below(graph, pid: str, depth: int | None = None) -> list:
    """The primary chain below `pid` (what `reviewbot why --depth` walks)."""
    below = list(graph.path_to_bedrock(pid))[1:]
    return below if depth is None else below[:depth]


def test_why_one_layer(tiny_graph) -> None:
    principle = tiny_graph.get("no-shared-mutable-defaults")
    text = why_text(principle, layers_below(tiny_graph, principle.id, 1), "engineer", complete=False)
    lines = text.splitlines()
    assert lines[0] == "no-shared-mutable-defaults — No shared mutable defaults"
    assert "  Why: Python builds the default once; every call that mutates it changes it for the" in lines
    assert "  next call." in lines  # wrapped, with the same indent
    assert "Because (no-shared-mutable-defaults rests on):" in lines
    assert "  local-reasoning — Local reasoning" in lines
    assert "    Code should be understandable from what is in front of you." in lines
    assert "limited-working-memory" not in text
    assert lines[-1] == "Deeper still: reviewbot why no-shared-mutable-defaults --depth 2 (or --depth all)"


def test_why_down_to_bedrock(tiny_graph) -> None:
    principle = tiny_graph.get("no-shared-mutable-defaults")
    text = why_text(principle, layers_below(tiny_graph, principle.id), "engineer", complete=True)
    assert "Layer 2 (what local-reasoning rests on):" in text
    assert "  limited-working-memory — Limited working memory (bedrock)" in text
    assert "Deeper still" not in text


def test_why_eli12(tiny_graph) -> None:
    principle = tiny_graph.get("local-reasoning")
    text = why_text(principle, layers_below(tiny_graph, principle.id), "eli12", complete=True)
    assert "Why: You should not need to read the whole book to understand one page." in text
    assert "Why: Your brain can juggle only a few balls at a time." in text
    assert "Short-term memory" not in text


def test_why_of_bedrock(tiny_graph) -> None:
    principle = tiny_graph.get("limited-working-memory")
    text = why_text(principle, [], "engineer", complete=True)
    assert "This is bedrock: it rests on no deeper principle." in text


def test_long_text_is_wrapped_with_indent(tiny_graph) -> None:
    text = why_text(tiny_graph.get("no-shared-mutable-defaults"), [], "engineer", complete=True)
    assert all(len(line) <= 88 for line in text.splitlines())


def test_why_json(tiny_graph) -> None:
    principle = tiny_graph.get("no-shared-mutable-defaults")
    data = json.loads(why_json(principle, layers_below(tiny_graph, principle.id), "eli12", complete=True))
    assert data["principle"]["id"] == "no-shared-mutable-defaults"
    assert data["principle"]["why"].startswith("If everyone shares one lunchbox")
    assert [p["id"] for p in data["chain"]] == ["local-reasoning", "limited-working-memory"]
    assert data["complete"] is True
    assert data["chain"][0]["because"] == ["limited-working-memory"]
    assert set(data["principle"]) == {"id", "name", "category", "statement", "why", "because", "bedrock", "references"}


def test_catalog_text_aligns_ids(tiny_graph) -> None:
    lines = catalog_text(tiny_graph.all()).splitlines()
    assert lines[0].startswith("limited-working-memory      Limited working memory: People hold")
    column = len("no-shared-mutable-defaults  ")
    assert [line[column:].split(":")[0] for line in lines] == [p.name for p in tiny_graph.all()]


def test_catalog_json(tiny_graph) -> None:
    data = json.loads(catalog_json(tiny_graph.all()))
    assert [p["id"] for p in data] == ["limited-working-memory", "local-reasoning", "no-shared-mutable-defaults"]
    assert principle_data(tiny_graph.get("limited-working-memory"))["bedrock"] is True


def test_why_follows_the_primary_branch_and_names_the_others() -> None:
    graph = threads_tiny_graph()  # mutable-default -> (evaluation-time, shared-state)
    principle = graph.get("mutable-default")
    text = why_text(principle, layers_below(graph, principle.id), "engineer", complete=True)
    assert "  evaluation-time — Evaluation time" in text
    assert "Layer 2 (what evaluation-time rests on):" in text
    assert "  definition-time — Definition time (bedrock)" in text
    assert "mutable-default also rests on: shared-state (reviewbot why ID to follow one)." in text
    assert "shared-state —" not in text and "aliasing" not in text  # a secondary branch is named, not walked
