"""The principle map as inline SVG: one focusable link per principle, edges to what it rests on.

Colour marks the category, but never alone: every node also names its category in
text, bedrock nodes have a double border and the word "bedrock", and primary edges
are solid while other edges are dashed. An optional `state` per principle (the
learner map) adds a text badge and a border style, again never colour alone.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

from reviewbot.explorer.layout import NODE_HEIGHT, NODE_WIDTH, Layout, Node

PALETTE = (
    "#1b6ca8", "#b5452c", "#2e7d32", "#7b3fa0", "#a66a00", "#00796b", "#ad1457", "#5d4037",
    "#455a64", "#6a7f00", "#283593", "#8e2430", "#00695c", "#6d4c41", "#4e342e", "#37474f",
)
MAX_LABEL = 27


def category_colours(categories: list[str]) -> dict[str, str]:
    return {category: PALETTE[index % len(PALETTE)] for index, category in enumerate(sorted(categories))}


def render_map(
    layout: Layout,
    colours: Mapping[str, str],
    href: Callable[[str], str],
    states: Mapping[str, str] | None = None,
) -> str:
    """The whole map; `href(id)` is each node's link, `states` (learner map) its badge text."""
    edges = "\n".join(_edge(layout, edge.source, edge.target, edge.primary) for edge in layout.edges)
    nodes = "\n".join(_node(node, colours, href, (states or {}).get(node.principle.id)) for node in layout.nodes)
    return (
        f'<svg id="map" xmlns="http://www.w3.org/2000/svg" width="{layout.width:.0f}" '
        f'height="{layout.height:.0f}" viewBox="0 0 {layout.width:.0f} {layout.height:.0f}" '
        f'role="group" aria-label="Map of principles: bedrock at the bottom">\n'
        f'<g class="edges" aria-hidden="true">\n{edges}\n</g>\n<g class="nodes">\n{nodes}\n</g>\n</svg>'
    )


def _edge(layout: Layout, source_id: str, target_id: str, primary: bool) -> str:
    source, target = layout.node(source_id), layout.node(target_id)
    kind = "primary" if primary else "secondary"
    return (
        f'<line class="edge {kind}" data-from="{source_id}" data-to="{target_id}" '
        f'x1="{source.center_x:.0f}" y1="{source.y + NODE_HEIGHT:.0f}" '
        f'x2="{target.center_x:.0f}" y2="{target.y:.0f}"/>'
    )


def _node(node: Node, colours: Mapping[str, str], href: Callable[[str], str], state: str | None) -> str:
    p = node.principle
    label = p.name if len(p.name) <= MAX_LABEL else p.name[: MAX_LABEL - 1] + "…"
    kind = "bedrock" if p.bedrock else p.category
    state_class = f" state-{state.replace(' ', '-')}" if state else ""
    described = f"{p.name}, {kind}" + (f", {state}" if state else "")
    second = f"{kind} · {state}" if state else kind
    return (
        f'<a class="node{" bedrock" if p.bedrock else ""}{state_class}" href="{html.escape(href(p.id))}" '
        f'data-id="{p.id}" data-layer="{node.layer}" data-primary="{p.because[0] if p.because else ""}" '
        f'aria-label="{html.escape(described)}">'
        f"<title>{html.escape(p.name)} ({html.escape(kind)}): {html.escape(p.statement)}</title>"
        f'<rect x="{node.x:.0f}" y="{node.y:.0f}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6" '
        f'style="--category: {colours[p.category]}"/>'
        f'<text x="{node.x + 8:.0f}" y="{node.y + 19:.0f}" class="name">{html.escape(label)}</text>'
        f'<text x="{node.x + 8:.0f}" y="{node.y + 36:.0f}" class="kind">{html.escape(second)}</text>'
        "</a>"
    )
