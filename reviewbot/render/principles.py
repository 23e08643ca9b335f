"""Rendering principles for `reviewbot why` and `reviewbot principles` (text and JSON)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reviewbot.principles import Principle

Layers = Sequence[Sequence["Principle"]]
WIDTH = 88


def why_text(principle: Principle, layers: Layers, level: str, complete: bool) -> str:
    """The principle, then each deeper layer with statement and why.

    `complete` says whether `layers` reach bedrock (so the end is named).
    """
    lines = [f"{principle.id} — {principle.name}", *_block(principle, level, "  ")]
    if principle.bedrock:
        lines += ["", "This is bedrock: it rests on no deeper principle."]
    for depth, layer in enumerate(layers, start=1):
        lines += ["", _layer_title(depth, principle, layers)]
        for deeper in layer:
            lines += ["", f"  {deeper.id} — {deeper.name}{' (bedrock)' if deeper.bedrock else ''}"]
            lines += _block(deeper, level, "    ")
    if layers and not complete:
        lines += ["", f"Deeper still: reviewbot why {principle.id} --depth {len(layers) + 1} (or --depth all)"]
    return "\n".join(lines) + "\n"


def _layer_title(depth: int, principle: Principle, layers: Layers) -> str:
    if depth == 1:
        return f"Because ({principle.id} rests on):"
    previous = ", ".join(p.id for p in layers[depth - 2])
    return f"Layer {depth} (what {previous} rest{'s' if len(layers[depth - 2]) == 1 else ''} on):"


def _block(principle: Principle, level: str, indent: str) -> list[str]:
    return [
        *_wrapped(principle.statement, indent),
        *_wrapped(f"Why: {principle.explain(level)}", indent),
    ]


def _wrapped(text: str, indent: str) -> list[str]:
    lines: list[str] = []
    for paragraph in text.strip().split("\n"):
        lines += textwrap.wrap(paragraph, WIDTH, initial_indent=indent, subsequent_indent=indent) or [""]
    return lines


def catalog_text(principles: Sequence[Principle]) -> str:
    """One line per principle: "id — name: statement"."""
    width = max((len(p.id) for p in principles), default=0)
    return "".join(f"{p.id.ljust(width)}  {p.name}: {_one_line(p.statement)}\n" for p in principles)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def principle_data(principle: Principle, level: str = "engineer") -> dict[str, Any]:
    return {
        "id": principle.id,
        "name": principle.name,
        "category": principle.category,
        "statement": principle.statement,
        "why": principle.explain(level),
        "because": list(principle.because),
        "bedrock": principle.bedrock,
        "references": list(principle.references),
    }


def why_json(principle: Principle, layers: Layers, level: str) -> str:
    data = {
        "principle": principle_data(principle, level),
        "layers": [[principle_data(p, level) for p in layer] for layer in layers],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def catalog_json(principles: Sequence[Principle]) -> str:
    return json.dumps([principle_data(p) for p in principles], indent=2, ensure_ascii=False) + "\n"
