"""The explorer's HTML pages: the map with search, and one page per principle.

Every page works from disk (file://) and loads nothing from the network: the style
sheet and script sit beside it, the search index is inline JSON.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reviewbot.explorer.layout import Layout
from reviewbot.explorer.prose import block, code_block, inline
from reviewbot.explorer.svg import render_map
from reviewbot.principles import Principle, PrincipleGraph

LANGUAGE_NAMES = {
    "python": "Python", "javascript": "JavaScript", "typescript": "TypeScript", "go": "Go",
    "java": "Java", "sql": "SQL", "shell": "Shell", "dockerfile": "Dockerfile", "yaml": "YAML",
    "html": "HTML", "rust": "Rust", "ruby": "Ruby", "csharp": "C#", "php": "PHP", "text": "Text",
}
PRIMARY_BADGE = ' <span class="badge">primary: where “why?” goes next</span>'


@dataclass(frozen=True)
class Rule:
    """A rule that cites a principle, as the explorer lists it."""

    analyzer: str
    rule: str
    severity: str

    @property
    def label(self) -> str:
        return f"{self.analyzer}:{self.rule}"


def rules_by_principle(graph: PrincipleGraph) -> dict[str, list[Rule]]:
    cited: dict[str, list[Rule]] = {}
    for analyzer in graph.analyzers():
        for rule, mapping in sorted(graph.rules(analyzer).items()):
            cited.setdefault(mapping.principle_id, []).append(Rule(analyzer, rule, mapping.severity.value))
    return cited


def dependents(graph: PrincipleGraph) -> dict[str, list[Principle]]:
    resting: dict[str, list[Principle]] = {}
    for principle in graph.all():
        for target in principle.because:
            resting.setdefault(target, []).append(principle)
    return resting


def document(title: str, body: str, *, root: str, script: bool = False) -> str:
    """A complete page; `root` is the relative path to the site's top ("" or "../")."""
    js = f'\n<script src="{root}explorer.js" defer></script>' if script else ""
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(title)} · reviewbot principles</title>\n"
        f'<link rel="stylesheet" href="{root}style.css">{js}\n</head>\n<body>\n'
        '<a class="skip" href="#main">Skip to content</a>\n'
        f'<header><nav aria-label="Site"><a href="{root}index.html">reviewbot principles</a></nav></header>\n'
        f'<main id="main">\n{body}\n</main>\n</body>\n</html>\n'
    )


def search_index(graph: PrincipleGraph, rules: Mapping[str, Sequence[Rule]]) -> str:
    entries = [
        {
            "id": p.id, "name": p.name, "category": p.category, "statement": p.statement,
            "rules": [r.label for r in rules.get(p.id, ())], "href": f"p/{p.id}.html",
        }
        for p in graph.all()
    ]
    return json.dumps(entries, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def index_page(graph: PrincipleGraph, layout: Layout, colours: Mapping[str, str], intro: str = "") -> str:
    rules = rules_by_principle(graph)
    body = "\n".join([
        "<h1>The principle map</h1>",
        intro or (
            f"<p>{len(graph)} principles. Each rests on deeper ones, down to bedrock at the bottom; "
            "solid lines are the primary branch a “why?” follows, dashed lines the others. "
            "Select a principle to open its page; use the arrow keys to move along the map.</p>"
        ),
        _search_form(),
        _legend(graph, colours),
        f'<figure class="map-frame" tabindex="-1">{render_map(layout, colours, lambda pid: f"p/{pid}.html")}'
        "<figcaption>Bedrock at the bottom; each row above rests on the rows below.</figcaption></figure>",
        _layer_list(graph),
        f'<script type="application/json" id="search-index">{search_index(graph, rules)}</script>',
    ])
    return document("Map", body, root="", script=True)


def _search_form() -> str:
    return (
        '<section class="search" aria-labelledby="search-title">'
        '<h2 id="search-title">Search</h2>'
        '<label for="search">Principle name, id, or rule (e.g. <code>B006</code>, <code>ruff:S608</code>)</label>'
        '<input id="search" type="search" autocomplete="off" spellcheck="false">'
        '<p id="search-status" role="status" aria-live="polite"></p>'
        '<ul id="search-results"></ul></section>'
    )


def _legend(graph: PrincipleGraph, colours: Mapping[str, str]) -> str:
    counts = {c: sum(p.category == c for p in graph.all()) for c in graph.categories()}
    items = "".join(
        f'<li><span class="swatch" style="--category: {colours[c]}" aria-hidden="true"></span>'
        f"{html.escape(c)} ({counts[c]})</li>"
        for c in graph.categories()
    )
    return f'<section aria-labelledby="legend-title"><h2 id="legend-title">Categories</h2><ul class="legend">{items}</ul></section>'


def _layer_list(graph: PrincipleGraph) -> str:
    by_layer: dict[int, list[Principle]] = {}
    for p in graph.all():
        by_layer.setdefault(graph.distance_to_bedrock(p.id), []).append(p)
    sections = []
    for depth in sorted(by_layer, reverse=True):
        title = "Bedrock" if depth == 0 else f"{depth} step{'s' if depth > 1 else ''} above bedrock"
        items = "".join(
            f'<li><a href="p/{p.id}.html">{html.escape(p.name)}</a> <span class="muted">({html.escape(p.category)})</span></li>'
            for p in by_layer[depth]
        )
        sections.append(f"<h3>{title}</h3><ul>{items}</ul>")
    return '<section aria-labelledby="list-title"><h2 id="list-title">All principles, by layer</h2>' + "".join(sections) + "</section>"


def principle_page(graph: PrincipleGraph, principle: Principle, rules: Sequence[Rule], resting: Sequence[Principle]) -> str:
    parts = [
        _heading(principle),
        _section("Why", block(principle.why)),
        _section("Explained simply", block(principle.eli12)),
        _examples(principle),
        _misconceptions(principle),
        _probe(principle),
        _section("Trade-offs: when not to apply it", block(principle.tradeoffs)) if principle.tradeoffs else "",
        _chain(graph, principle),
        _rests_on(graph, principle),
        _links("Principles resting on this one", resting),
        _rules(rules),
        _references(principle),
    ]
    return document(principle.name, "\n".join(part for part in parts if part), root="../")


def _heading(p: Principle) -> str:
    kind = "bedrock" if p.bedrock else p.category
    return (
        f"<h1>{html.escape(p.name)}</h1>\n"
        f'<p class="meta"><span class="badge">{html.escape(kind)}</span> <code>{p.id}</code></p>\n'
        f'<p class="statement">{inline(p.statement)}</p>'
    )


def _section(title: str, content: str) -> str:
    slug = title.lower().split(":")[0].replace(" ", "-")
    return f'<section aria-labelledby="{slug}"><h2 id="{slug}">{html.escape(title)}</h2>\n{content}\n</section>'


def _examples(p: Principle) -> str:
    if not p.examples:
        return ""
    blocks = "".join(
        f"<h3>{html.escape(LANGUAGE_NAMES.get(language, language))}</h3>{code_block(code, language)}"
        for language, code in p.examples
    )
    return _section("Examples: bad, then good", blocks)


def _misconceptions(p: Principle) -> str:
    if not p.misconceptions:
        return ""
    items = "".join(
        f"<dt>“{inline(m.belief)}”</dt><dd>{inline(m.correction)}</dd>" for m in p.misconceptions
    )
    return _section("Common misconceptions", f'<dl class="misconceptions">{items}</dl>')


def _probe(p: Principle) -> str:
    if p.probe is None:
        return ""
    return _section(
        "Check yourself",
        f"{block(p.probe.question)}<details><summary>Show the answer</summary>{block(p.probe.answer)}</details>",
    )


def _chain(graph: PrincipleGraph, p: Principle) -> str:
    chain = graph.path_to_bedrock(p.id)
    if len(chain) == 1:
        return _section("The chain to bedrock", "<p>This is bedrock: it rests on no deeper principle.</p>")
    items = "".join(
        f'<li>{_link(step)}</li>' if step is not p else f"<li>{html.escape(step.name)} (this page)</li>"
        for step in chain
    )
    return _section("The chain to bedrock", f'<ol class="chain">{items}</ol>')


def _rests_on(graph: PrincipleGraph, p: Principle) -> str:
    if not p.because:
        return ""
    items = "".join(
        f"<li>{_link(graph.get(target))}{PRIMARY_BADGE if index == 0 else ''}</li>"
        for index, target in enumerate(p.because)
    )
    return _section("Rests on", f"<ol>{items}</ol>")


def _links(title: str, principles: Sequence[Principle]) -> str:
    if not principles:
        return ""
    return _section(title, "<ul>" + "".join(f"<li>{_link(q)}</li>" for q in principles) + "</ul>")


def _rules(rules: Sequence[Rule]) -> str:
    if not rules:
        return ""
    items = "".join(f"<li><code>{html.escape(r.label)}</code> ({r.severity})</li>" for r in rules)
    return _section("Rules that cite it", f'<ul class="rules">{items}</ul>')


def _references(p: Principle) -> str:
    items = "".join(
        f'<li><a href="{html.escape(url)}" rel="noreferrer">{html.escape(url)}</a></li>' for url in p.references
    )
    return _section("References", f"<ul>{items}</ul>") if items else ""


def _link(p: Principle) -> str:
    return f'<a href="{p.id}.html">{html.escape(p.name)}</a>'
