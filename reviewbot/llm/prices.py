"""Estimated cost of a run, from the price table in prices.toml (data, not code)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from reviewbot.models import Usage


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens."""

    input: float
    cached: float
    output: float


@cache
def price_table() -> dict[str, Price]:
    text = resources.files("reviewbot.llm").joinpath("prices.toml").read_text(encoding="utf-8")
    return {name: Price(**row) for name, row in tomllib.loads(text)["models"].items()}


def price_for(model: str | None, table: dict[str, Price] | None = None) -> Price | None:
    """The price of the longest listed prefix of `model` (provider prefixes like 'openai/' ignored)."""
    table = price_table() if table is None else table
    name = (model or "").rpartition("/")[2].lower()
    matches = [prefix for prefix in table if name.startswith(prefix)]
    return table[max(matches, key=len)] if matches else None


def estimate_cost(model: str | None, usage: Usage, table: dict[str, Price] | None = None) -> float | None:
    """Dollars for `usage`, or None when the model's price is unknown."""
    price = price_for(model, table)
    if price is None:
        return None
    uncached = max(usage.prompt_tokens - usage.cached_tokens, 0)
    total = uncached * price.input + usage.cached_tokens * price.cached + usage.completion_tokens * price.output
    return total / 1_000_000


def format_stats(model: str | None, usage: Usage) -> str:
    """One line for --stats: calls, tokens (cached among prompt tokens) and estimated cost."""
    cost = estimate_cost(model, usage)
    shown = "unknown" if cost is None else f"~${cost:.4f}"
    return (
        f"model {model or '-'}: {usage.calls} calls, {usage.prompt_tokens:,} prompt tokens "
        f"({usage.cached_tokens:,} cached), {usage.completion_tokens:,} completion tokens, "
        f"estimated cost {shown}"
    )
