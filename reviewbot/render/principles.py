"""Rendering principles for `reviewbot why` and `reviewbot principles` (text and JSON)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reviewbot.principles import Principle

Chain = Sequence["Principle"]
WIDTH = 88


def why_text(principle: Principle, chain: Chain, level: str, complete: bool) -> str:
    """The principle, then each step of its primary chain with statement and why.

    `chain` is the walk along `because[0]` below the principle (it excluded). Where a
    principle also rests on others, they are named so the reader can follow them.
    `complete` says whether `chain` reaches bedrock (so the end is named).
    """
    lines = [f"{principle.id} — {principle.name}", *_block(principle, level, "  ")]
    if principle.bedrock:
        lines += ["", "This is bedrock: it rests on no deeper principle."]
    above = principle
    for depth, step in enumerate(chain, start=1):
        lines += ["", _step_title(depth, above)]
        lines += ["", f"  {step.id} — {step.name}{' (bedrock)' if step.bedrock else ''}"]
        lines += _block(step, level, "    ")
        lines += _other_branches(above)
        above = step
    if chain and not complete:
        lines += ["", f"Deeper still: reviewbot why {principle.id} --depth {len(chain) + 1} (or --depth all)"]
    return "\n".join(lines) + "\n"


def _step_title(depth: int, above: Principle) -> str:
    if depth == 1:
        return f"Because ({above.id} rests on):"
    return f"Layer {depth} (what {above.id} rests on):"


def _other_branches(principle: Principle) -> list[str]:
    others = principle.because[1:]
    if not others:
        return []
    text = f"{principle.id} also rests on: {', '.join(others)} (reviewbot why ID to follow one)."
    return ["", *_wrapped(text, "  ")]


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


def why_json(principle: Principle, chain: Chain, level: str, complete: bool) -> str:
    """The principle and the steps of its primary chain below it, each with its `because`."""
    data = {
        "principle": principle_data(principle, level),
        "chain": [principle_data(p, level) for p in chain],
        "complete": complete,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def catalog_json(principles: Sequence[Principle]) -> str:
    return json.dumps([principle_data(p) for p in principles], indent=2, ensure_ascii=False) + "\n"
