"""PrincipleGraph: look-ups over validated principles and analyzer rules (pure, no I/O)."""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable, Mapping

from reviewbot.errors import UnknownPrincipleError
from reviewbot.principles.model import Link, Principle, PrincipleDataError, RuleMapping

SECRETS_ANALYZER = "secrets"
SECRETS_FALLBACK = "default"


class PrincipleGraph:
    """Principles linked by `because` (deeper principles), plus the analyzer rule table.

    Construction validates the links: every `because` id exists, bedrock principles
    have no `because` and all others have one, there are no cycles, and every rule
    names an existing principle. So every principle reaches bedrock.
    """

    def __init__(
        self,
        principles: Iterable[Principle],
        rules: Mapping[str, Mapping[str, RuleMapping]] | None = None,
    ) -> None:
        self._by_id = {principle.id: principle for principle in principles}
        self._all = tuple(sorted(self._by_id.values(), key=lambda p: p.id))
        self._rules = {name: dict(table) for name, table in (rules or {}).items()}
        _check_links(self._all, self._by_id)
        _check_acyclic(self._all, self._by_id)
        _check_rules(self._rules, self._by_id)

    # -- principles ---------------------------------------------------------

    def get(self, principle_id: str) -> Principle:
        """The principle with this id; UnknownPrincipleError (with suggestions) otherwise."""
        try:
            return self._by_id[principle_id]
        except KeyError:
            raise UnknownPrincipleError(self._unknown_message(principle_id)) from None

    def __contains__(self, principle_id: object) -> bool:
        return isinstance(principle_id, str) and principle_id in self._by_id

    def __len__(self) -> int:
        return len(self._all)

    def all(self) -> tuple[Principle, ...]:
        """Every principle, sorted by id."""
        return self._all

    def categories(self) -> tuple[str, ...]:
        """The category names, bedrock first, then alphabetical."""
        return tuple(sorted({p.category for p in self._all}, key=_category_key))

    def deeper(self, principle_id: str) -> tuple[Principle, ...]:
        """The principles this one directly follows from, in the order the data lists them."""
        return tuple(self._by_id[pid] for pid in self.get(principle_id).because)

    def chain(self, principle_id: str) -> tuple[tuple[Principle, ...], ...]:
        """Layers from the principle down to bedrock, breadth-first; each principle appears once.

        Within a layer, principles keep the curated order: the primary branch of the
        layer above comes first.
        """
        layer: tuple[Principle, ...] = (self.get(principle_id),)
        seen = {principle_id}
        layers: list[tuple[Principle, ...]] = []
        while layer:
            layers.append(layer)
            layer = self._next_layer(layer, seen)
        return tuple(layers)

    def path_to_bedrock(self, principle_id: str) -> tuple[Principle, ...]:
        """The primary chain: from the principle down to bedrock, always along `because[0]`.

        The curated order is the teaching order; no path is preferred for being shorter.
        """
        path = [self.get(principle_id)]
        while not path[-1].bedrock:
            path.append(self._by_id[path[-1].because[0]])
        return tuple(path)

    def distance_to_bedrock(self, principle_id: str) -> int:
        """The number of steps on the primary chain down to bedrock (0 for bedrock)."""
        return len(self.path_to_bedrock(principle_id)) - 1

    def dependents(self, principle_id: str) -> tuple[Principle, ...]:
        """The principles that name this one in their `because`, sorted by id."""
        self.get(principle_id)
        return tuple(p for p in self._all if principle_id in p.because)

    def links(self) -> tuple[Link, ...]:
        """Every `because` link, principles by id, each principle's links in curated order."""
        return tuple(link for p in self._all for link in _links(p))

    def neighbourhood(self, principle_id: str) -> tuple[tuple[Principle, ...], tuple[Link, ...]]:
        """One principle in context: its primary chain, its other parents, the principles resting on it.

        The links are those a reader needs: the primary link at each step of the chain,
        every link of the principle itself, and each dependent's link to it.
        """
        chain = self.path_to_bedrock(principle_id)
        dependents = self.dependents(principle_id)
        nodes = _unique((*chain, *self.deeper(principle_id), *dependents))
        own = _links(chain[0])
        primary = tuple(Link(a.id, b.id, True) for a, b in itertools.pairwise(chain[1:]))
        resting = tuple(Link(p.id, principle_id, p.because[0] == principle_id) for p in dependents)
        return nodes, (*own, *primary, *resting)

    def bedrock_of(self, principle_id: str) -> tuple[Principle, ...]:
        """Every bedrock principle this one ultimately rests on, sorted by id."""
        reached = (p for layer in self.chain(principle_id) for p in layer if p.bedrock)
        return tuple(sorted(reached, key=lambda p: p.id))

    def search(self, query: str) -> tuple[Principle, ...]:
        """Principles whose id, name, statement or category contain every word of the query.

        Best matches first: exact id, then words found in the id, then in the name.
        """
        words = query.lower().split()
        if not words:
            return ()
        hits = [p for p in self._all if _matches(_haystack(p), words)]
        return tuple(
            sorted(hits, key=lambda p: (_rank(p, query.strip().lower(), words), p.id))
        )

    def catalog_lines(self) -> str:
        """One "id — name: statement" line per principle, grouped by category (bedrock first)."""
        ordered = sorted(self._all, key=lambda p: (_category_key(p.category), p.id))
        return "\n".join(f"{p.id} — {p.name}: {p.statement}" for p in ordered)

    # -- analyzer rules -----------------------------------------------------

    def rule(self, analyzer: str, rule: str) -> RuleMapping | None:
        """The mapping for an analyzer's rule; unknown secrets plugins fall back to "default"."""
        table = self._rules.get(analyzer, {})
        found = table.get(rule)
        if found is None and analyzer == SECRETS_ANALYZER:
            return table.get(SECRETS_FALLBACK)
        return found

    def for_rule(self, analyzer: str, rule: str) -> Principle | None:
        """The principle an analyzer's rule teaches, or None for an unmapped rule."""
        mapping = self.rule(analyzer, rule)
        return None if mapping is None else self._by_id[mapping.principle_id]

    def rules(self, analyzer: str) -> dict[str, RuleMapping]:
        """All rules of one analyzer ({} for an analyzer with none), as a fresh dict."""
        return dict(self._rules.get(analyzer, {}))

    def analyzers(self) -> tuple[str, ...]:
        """The analyzers that have rule tables, sorted."""
        return tuple(sorted(self._rules))

    # -- helpers ------------------------------------------------------------

    def _next_layer(
        self, layer: tuple[Principle, ...], seen: set[str]
    ) -> tuple[Principle, ...]:
        fresh: list[str] = []
        for pid in (pid for p in layer for pid in p.because):
            if pid not in seen:
                seen.add(pid)
                fresh.append(pid)
        return tuple(self._by_id[pid] for pid in fresh)

    def _unknown_message(self, principle_id: str) -> str:
        suggestions = _suggest(str(principle_id), [p.id for p in self._all])
        if not suggestions:
            return f"unknown principle '{principle_id}' (run `reviewbot principles` to list them)"
        quoted = ", ".join(f"'{s}'" for s in suggestions)
        return f"unknown principle '{principle_id}' (did you mean {quoted}?)"


def _links(principle: Principle) -> tuple[Link, ...]:
    return tuple(
        Link(principle.id, target, index == 0) for index, target in enumerate(principle.because)
    )


def _unique(principles: Iterable[Principle]) -> tuple[Principle, ...]:
    return tuple({p.id: p for p in principles}.values())


def _category_key(category: str) -> tuple[bool, str]:
    return (category != "bedrock", category)


def _haystack(principle: Principle) -> str:
    parts = (
        principle.id,
        principle.id.replace("-", " "),
        principle.name,
        principle.statement,
    )
    return " ".join((*parts, principle.category)).lower()


def _matches(haystack: str, words: list[str]) -> bool:
    return all(word in haystack for word in words)


def _rank(principle: Principle, query: str, words: list[str]) -> int:
    if principle.id == query:
        return 0
    if all(w in principle.id for w in words):
        return 1
    return 2 if all(w in principle.name.lower() for w in words) else 3


def _suggest(wanted: str, ids: list[str]) -> list[str]:
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6)
    containing = [i for i in ids if wanted and wanted in i and i not in close]
    return (close + containing)[:3]


def _where(principle: Principle) -> str:
    return f"{principle.category}.toml: [{principle.id}]"


def _check_links(
    principles: tuple[Principle, ...], by_id: Mapping[str, Principle]
) -> None:
    for p in principles:
        if p.bedrock and p.because:
            raise PrincipleDataError(
                f"{_where(p)}: bedrock principles must have an empty 'because'"
            )
        if not p.bedrock and not p.because:
            raise PrincipleDataError(
                f"{_where(p)}: key 'because' must name a deeper principle"
            )
        for pid in p.because:
            if pid not in by_id:
                hint = _suggest(pid, sorted(by_id))
                maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
                raise PrincipleDataError(
                    f"{_where(p)}: 'because' names unknown principle '{pid}'{maybe}"
                )


def _check_acyclic(
    principles: tuple[Principle, ...], by_id: Mapping[str, Principle]
) -> None:
    done: set[str] = set()
    for p in principles:
        _visit(p.id, by_id, done, [])


def _visit(
    pid: str, by_id: Mapping[str, Principle], done: set[str], stack: list[str]
) -> None:
    if pid in done:
        return
    if pid in stack:
        cycle = " -> ".join([*stack[stack.index(pid) :], pid])
        raise PrincipleDataError(
            f"{_where(by_id[pid])}: 'because' forms a cycle: {cycle}"
        )
    stack.append(pid)
    for deeper in by_id[pid].because:
        _visit(deeper, by_id, done, stack)
    stack.pop()
    done.add(pid)


def _check_rules(
    rules: Mapping[str, Mapping[str, RuleMapping]], by_id: Mapping[str, Principle]
) -> None:
    for analyzer, table in rules.items():
        for rule, mapping in table.items():
            if mapping.principle_id not in by_id:
                raise PrincipleDataError(
                    f"rules/{analyzer}.rules.toml: [{rule}]: unknown principle '{mapping.principle_id}'"
                )
