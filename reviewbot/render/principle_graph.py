"""The principle graph as a diagram: Graphviz DOT, Mermaid or JSON (pure, no I/O).

An arrow points from a principle to one it rests on. The primary link (`because[0]`,
the branch every walk follows) is drawn bold and solid; other links are dashed (DOT)
or dotted (Mermaid). Bedrock principles are filled; a focused principle is outlined.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewbot.principles import Principle
    from reviewbot.principles.model import Link

FORMATS = ("dot", "mermaid", "json")
BEDROCK_FILL = "#f2e6c9"
FOCUS_COLOUR = "#1f5fa8"
SECONDARY_COLOUR = "#8c8c8c"


def render(fmt: str, nodes: Sequence[Principle], links: Sequence[Link], focus: str | None = None) -> str:
    """The diagram in `fmt` ("dot", "mermaid" or "json")."""
    if fmt == "dot":
        return to_dot(nodes, links, focus)
    if fmt == "mermaid":
        return to_mermaid(nodes, links, focus)
    if fmt == "json":
        return to_json(nodes, links, focus)
    raise ValueError(f"unknown graph format {fmt!r} (choose one of: {', '.join(FORMATS)})")


# -- Graphviz DOT -------------------------------------------------------------


def to_dot(nodes: Sequence[Principle], links: Sequence[Link], focus: str | None = None) -> str:
    lines = [
        "digraph principles {",
        "  // An arrow points from a principle to one it rests on: solid = primary branch, dashed = other.",
        "  rankdir=TB;",
        '  node [shape=box, style="rounded", fontname="Helvetica"];',
    ]
    lines += [f"  {_dot_node(p, p.id == focus)};" for p in nodes]
    lines += [f"  {_dot_edge(link)};" for link in links]
    return "\n".join([*lines, "}"]) + "\n"


def _dot_node(principle: Principle, focused: bool) -> str:
    attrs = {"label": f"{principle.name}\n{principle.id}", "tooltip": principle.statement}
    if principle.bedrock:
        attrs |= {"style": "rounded,filled", "fillcolor": BEDROCK_FILL}
    if focused:
        attrs |= {"color": FOCUS_COLOUR, "penwidth": "2.5"}
    return f"{_dot_id(principle.id)} [{_dot_attrs(attrs)}]"


def _dot_edge(link: Link) -> str:
    attrs = {"penwidth": "2"} if link.primary else {"style": "dashed", "color": SECONDARY_COLOUR}
    return f"{_dot_id(link.source)} -> {_dot_id(link.target)} [{_dot_attrs(attrs)}]"


def _dot_attrs(attrs: dict[str, str]) -> str:
    return ", ".join(f"{key}={_dot_id(value)}" for key, value in attrs.items())


def _dot_id(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, newlines as \\n."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


# -- Mermaid --------------------------------------------------------------------


def to_mermaid(nodes: Sequence[Principle], links: Sequence[Link], focus: str | None = None) -> str:
    lines = ["flowchart TB"]
    lines += [f'  {_mermaid_id(p.id)}["{_mermaid_text(p.name)}<br/>{p.id}"]' for p in nodes]
    lines += [f"  {_mermaid_edge(link)}" for link in links]
    lines.append(f"  classDef bedrock fill:{BEDROCK_FILL},stroke:#8a6d3b")
    bedrock = [_mermaid_id(p.id) for p in nodes if p.bedrock]
    if bedrock:
        lines.append(f"  class {','.join(bedrock)} bedrock")
    if focus is not None:
        lines.append(f"  classDef focus stroke:{FOCUS_COLOUR},stroke-width:3px")
        lines.append(f"  class {_mermaid_id(focus)} focus")
    return "\n".join(lines) + "\n"


def _mermaid_edge(link: Link) -> str:
    arrow = "==>" if link.primary else "-.->"
    return f"{_mermaid_id(link.source)} {arrow} {_mermaid_id(link.target)}"


def _mermaid_id(principle_id: str) -> str:
    """Ids are slugs; underscores never occur in them, so the mapping is one-to-one."""
    return "p_" + principle_id.replace("-", "_")


def _mermaid_text(text: str) -> str:
    """Label text as Mermaid entity codes where its syntax would read a character."""
    codes = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", ";": "#59;"}
    return "".join(codes.get(char, char) for char in text)


# -- JSON ---------------------------------------------------------------------------


def to_json(nodes: Sequence[Principle], links: Sequence[Link], focus: str | None = None) -> str:
    data = {
        "focus": focus,
        "nodes": [
            {"id": p.id, "name": p.name, "category": p.category, "bedrock": p.bedrock} for p in nodes
        ],
        "links": [{"from": link.source, "to": link.target, "primary": link.primary} for link in links],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
