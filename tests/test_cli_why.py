"""`reviewbot why` and `reviewbot principles` through main()."""

from __future__ import annotations

import json

import pytest

from reviewbot.cli.main import main


@pytest.fixture
def graph(tiny_graph, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("reviewbot.principles.load_graph", lambda: tiny_graph)
    return tiny_graph


def test_why_prints_one_layer_deeper(graph, capsys) -> None:
    assert main(["why", "no-shared-mutable-defaults"]) == 0
    out = capsys.readouterr().out
    assert "Because (no-shared-mutable-defaults rests on):" in out
    assert "local-reasoning — Local reasoning" in out
    assert "limited-working-memory" not in out


@pytest.mark.parametrize("depth", ["all", "2", "9"])
def test_why_depth_reaches_bedrock(graph, capsys, depth: str) -> None:
    assert main(["why", "no-shared-mutable-defaults", "--depth", depth]) == 0
    out = capsys.readouterr().out
    assert "limited-working-memory — Limited working memory (bedrock)" in out
    assert "Deeper still" not in out


def test_why_eli12(graph, capsys) -> None:
    assert main(["why", "no-shared-mutable-defaults", "--level", "eli12"]) == 0
    assert "If everyone shares one lunchbox" in capsys.readouterr().out


def test_why_by_rule(graph, capsys) -> None:
    assert main(["why", "ruff:B006"]) == 0
    assert capsys.readouterr().out.startswith("no-shared-mutable-defaults — ")
    assert main(["why", "ruff/B006", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["principle"]["id"] == "no-shared-mutable-defaults"


def test_why_unknown_principle_suggests(graph, capsys) -> None:
    assert main(["why", "local-reasonin"]) == 2
    err = capsys.readouterr().err
    assert err == "reviewbot: error: unknown principle 'local-reasonin' (did you mean 'local-reasoning'?)\n"


def test_why_unmapped_rule(graph, capsys) -> None:
    assert main(["why", "ruff:E999"]) == 2
    assert capsys.readouterr().err == (
        "reviewbot: error: no principle is mapped to rule 'ruff:E999' (see `reviewbot principles`)\n"
    )


def test_why_bad_depth(graph, capsys) -> None:
    assert main(["why", "local-reasoning", "--depth", "0"]) == 2
    assert "argument --depth: expected a number of at least 1, got '0'" in capsys.readouterr().err


def test_principles_lists_the_catalog(graph, capsys) -> None:
    assert main(["principles"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_principles_search(graph, capsys) -> None:
    assert main(["principles", "memory"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("limited-working-memory") and "no-shared" not in out


def test_principles_json(graph, capsys) -> None:
    assert main(["principles", "default", "--format", "json"]) == 0
    assert [p["id"] for p in json.loads(capsys.readouterr().out)] == ["no-shared-mutable-defaults"]


def test_principles_no_match(graph, capsys) -> None:
    assert main(["principles", "quantum"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "reviewbot: no principles match 'quantum'\n"


def test_why_graph_draws_the_neighbourhood_as_dot(graph, capsys) -> None:
    assert main(["why", "local-reasoning", "--graph"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph principles {")
    assert '"local-reasoning" -> "limited-working-memory" [penwidth="2"];' in out
    assert '"no-shared-mutable-defaults" -> "local-reasoning" [penwidth="2"];' in out  # what rests on it


def test_why_format_mermaid_implies_the_graph(graph, capsys) -> None:
    assert main(["why", "ruff:B006", "--format", "mermaid"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart TB\n")
    assert "  p_no_shared_mutable_defaults ==> p_local_reasoning" in out


def test_principles_graph_prints_every_principle(graph, capsys) -> None:
    assert main(["principles", "--graph"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("digraph principles {") and out.count(" -> ") == 2
    assert main(["principles", "--graph", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["nodes"]) == 3


def test_principles_graph_takes_no_query(graph, capsys) -> None:
    assert main(["principles", "memory", "--format", "dot"]) == 2
    assert "--graph prints the whole graph; it takes no QUERY" in capsys.readouterr().err
