"""One person's learner map as a single self-contained HTML file, on the explorer's map.

Each principle carries a state (understood, in progress, met again after "got it",
never met) shown as a text badge, a fill and a border style, never colour alone, and
the evidence behind it. Private by construction: one file, for that person, with
everything inline and nothing loaded from anywhere.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reviewbot.explorer.layout import layout
from reviewbot.explorer.pages import document
from reviewbot.explorer.site import asset
from reviewbot.explorer.svg import category_colours, render_map
from reviewbot.principles import PrincipleGraph

STATES = ("understood", "in progress", "met again", "never met")
FILE_INTRO = "Private to you: this file was made for you alone and loads nothing from anywhere."


@dataclass(frozen=True)
class NodeState:
    """Where a person stands on one principle, and why reviewbot thinks so."""

    state: str  # one of STATES
    evidence: tuple[str, ...] = ()  # short lines, e.g. "probe answered right on 2026-11-03"


def learner_page(
    graph: PrincipleGraph,
    login: str,
    states: Mapping[str, NodeState],
    next_to_learn: Sequence[str] = (),
    intro: str = FILE_INTRO,
    actions: str = "",
) -> str:
    """The whole map for `login`: a principle missing from `states` is never met.

    `intro` is the privacy sentence under the heading; `actions` is trusted HTML placed
    before it (the served page's "Sign out" form).
    """
    state_of = {p.id: states.get(p.id, NodeState("never met")).state for p in graph.all()}
    colours = category_colours(list(graph.categories()))
    body = "\n".join([
        f"<h1>{html.escape(login)}: learner map</h1>",
        actions,
        f"<p>{html.escape(intro)}</p>",
        _counts(state_of),
        _next(graph, next_to_learn),
        f'<figure class="map-frame">{render_map(layout(graph), colours, _anchor, state_of)}'
        "<figcaption>Bedrock at the bottom. Each principle is marked understood, in progress, "
        "met again (seen again after you said you got it) or never met.</figcaption></figure>",
        _evidence(graph, states),
    ])
    page = document(f"{login}: learner map", body, root="")
    inline_css = f"<style>\n{asset('style.css')}\n</style>"
    inline_js = f"<script>\n{asset('explorer.js')}\n</script>"
    page = page.replace('<link rel="stylesheet" href="style.css">', inline_css)
    page = page.replace('<a href="index.html">reviewbot principles</a>', "reviewbot principles")
    return page.replace("</body>", inline_js + "\n</body>")


def _anchor(principle_id: str) -> str:
    return f"#evidence-{principle_id}"


def _counts(state_of: Mapping[str, str]) -> str:
    items = "".join(
        f"<li>{state}: {sum(value == state for value in state_of.values())}</li>" for state in STATES
    )
    return f'<ul class="legend">{items}</ul>'


def _next(graph: PrincipleGraph, ids: Sequence[str]) -> str:
    if not ids:
        return ""
    items = "".join(f'<li><a href="{_anchor(pid)}">{html.escape(graph.get(pid).name)}</a></li>' for pid in ids)
    return f'<section aria-labelledby="next"><h2 id="next">Next principles to learn</h2><ol>{items}</ol></section>'


def _evidence(graph: PrincipleGraph, states: Mapping[str, NodeState]) -> str:
    rows = []
    for principle in graph.all():
        state = states.get(principle.id, NodeState("never met"))
        lines = "".join(f"<li>{html.escape(line)}</li>" for line in state.evidence)
        rows.append(
            f'<li id="evidence-{principle.id}"><strong>{html.escape(principle.name)}</strong> '
            f'<span class="badge">{state.state}</span>'
            + (f'<ul class="evidence">{lines}</ul>' if lines else "")
            + "</li>"
        )
    return '<section aria-labelledby="all"><h2 id="all">Every principle, with the evidence</h2><ul>' + "".join(rows) + "</ul></section>"
