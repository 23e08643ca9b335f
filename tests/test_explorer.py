"""The principle explorer's pure parts: layout, pages and the files written (the browser test drives them)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from threads_support import tiny_graph

from reviewbot.errors import UsageError
from reviewbot.explorer import build_site, write_site
from reviewbot.explorer.layout import layout
from reviewbot.principles import PrincipleGraph, load_graph
from reviewbot.principles.model import Principle, Probe


def _hostile_graph() -> PrincipleGraph:
    rock = Principle(id="rock", name="Rock <b>", statement="Solid & <script>alert(1)</script>.", why="It `<is>` there.",
                     eli12="Like a <i>rock</i>.", because=(), references=("https://example.org/?a=1&b=<2>",),
                     bedrock=True, category="bedrock")
    leaf = Principle(id="leaf", name="Leaf", statement="A leaf.", why="Falls.\n\n```python\nx = '<tag>'\n```",
                     eli12="Green.", because=("rock",), references=(), bedrock=False, category="design",
                     probe=Probe(question="What is `<x>`?", answer="A tag </details>.", cues=("tag",)))
    return PrincipleGraph([rock, leaf])


def test_bedrock_is_the_bottom_row_and_every_principle_sits_above_its_primary_parent() -> None:
    graph = load_graph()
    placed = layout(graph)
    assert len(placed.nodes) == len(graph)
    bedrock_top = min(n.y for n in placed.nodes if n.principle.bedrock)
    assert all(n.y < bedrock_top for n in placed.nodes if not n.principle.bedrock)  # SVG y grows downwards
    for node in placed.nodes:
        if node.principle.because:
            assert node.y < placed.node(node.principle.because[0]).y, node.principle.id
            assert node.layer == graph.distance_to_bedrock(node.principle.id)


def test_the_edges_are_every_because_link_with_the_first_marked_primary() -> None:
    graph = tiny_graph()
    edges = {(e.source, e.target): e.primary for e in layout(graph).edges}
    assert edges[("mutable-default", "evaluation-time")] is True
    assert edges[("mutable-default", "shared-state")] is False
    assert len(edges) == sum(len(p.because) for p in graph.all())


def test_a_page_per_principle_plus_the_map_and_its_assets() -> None:
    graph = load_graph()
    files = build_site(graph)
    assert set(files) == {"index.html", "style.css", "explorer.js"} | {f"p/{p.id}.html" for p in graph.all()}
    for name, text in files.items():
        if name.endswith(".html"):
            assert all(not url.startswith(("http:", "https:", "//")) for url in _loaded(text)), name


def _loaded(page: str) -> list[str]:
    """Every URL a page loads by itself (scripts, style sheets, images, frames), not the links one may click."""
    from html.parser import HTMLParser

    class Collector(HTMLParser):
        urls: ClassVar[list[str]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            if tag in {"script", "img", "iframe", "source", "video", "audio", "embed"} and values.get("src"):
                self.urls.append(values["src"] or "")
            if tag == "link" and values.get("href"):
                self.urls.append(values["href"] or "")

    collector = Collector()
    collector.urls = []
    collector.feed(page)
    return collector.urls


def test_every_text_is_escaped_and_code_stays_code() -> None:
    files = build_site(_hostile_graph())
    rock, leaf = files["p/rock.html"], files["p/leaf.html"]
    assert "<script>alert" not in rock and "&lt;script&gt;alert(1)&lt;/script&gt;" in rock
    assert "<code>&lt;is&gt;</code>" in rock
    assert "href=\"https://example.org/?a=1&amp;b=&lt;2&gt;\"" in rock
    assert "<pre data-language=\"python\"><code>x = &#x27;&lt;tag&gt;&#x27;</code></pre>" in leaf
    assert "A tag &lt;/details&gt;." in leaf
    assert "Rock &lt;b&gt;" in files["index.html"]


def test_the_search_index_cannot_close_its_script_element() -> None:
    graph = _hostile_graph()
    index = build_site(graph)["index.html"]
    data = index.split('id="search-index">', 1)[1].split("</script>", 1)[0]
    assert "</" not in data


def test_write_site_replaces_a_planted_symlink_instead_of_following_it(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").symlink_to(outside)
    write_site({"index.html": "<p>map</p>", "p/a.html": "<p>a</p>"}, site)
    assert outside.read_text() == "keep me"
    assert not (site / "index.html").is_symlink() and (site / "index.html").read_text() == "<p>map</p>"
    assert (site / "p" / "a.html").read_text() == "<p>a</p>"


def test_write_site_says_what_is_wrong_with_the_directory(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("")
    with pytest.raises(UsageError, match="exists and is not a directory"):
        write_site({"index.html": ""}, target)
