"""Reading and validating the principle data files.

Each `data/<category>.toml` holds one table per principle, keyed by its id:

    [limited-working-memory]
    name = "..."            # short title
    statement = "..."       # one sentence
    why = "..."             # the first-principles explanation, 2-5 sentences
    eli12 = "..."           # the same idea for a 12-year-old
    example = '''...'''     # optional, bad -> good
    because = ["..."]       # ids of deeper principles; empty only in bedrock.toml
    references = ["https://..."]

Prose fields may be wrapped freely: runs of whitespace collapse to one space.
`rules.toml` maps analyzer rules to principles:

    [ruff]
    B006 = { principle = "no-shared-mutable-defaults", severity = "warning" }

Every problem raises PrincipleDataError naming the file and the key.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from reviewbot.models import Severity
from reviewbot.principles.graph import PrincipleGraph
from reviewbot.principles.model import Principle, PrincipleDataError, RuleMapping

BEDROCK_CATEGORY = "bedrock"
RULES_FILE = "rules.toml"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_PROSE = ("name", "statement", "why", "eli12")
_LISTS = ("because", "references")
_KEYS = frozenset(_PROSE + _LISTS + ("example",))
_RULE_KEYS = frozenset({"principle", "severity"})


@functools.cache
def load_graph() -> PrincipleGraph:
    """The graph shipped with reviewbot (read once per process)."""
    package = resources.files("reviewbot.principles")
    data = package / "data"
    sources = {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in data.iterdir()
        if entry.name.endswith(".toml")
    }
    return build_graph(sources, (package / RULES_FILE).read_text(encoding="utf-8"))


def build_graph(sources: Mapping[str, str], rules_text: str) -> PrincipleGraph:
    """A validated graph from data-file texts ({"security.toml": text}) and rules.toml text."""
    principles: dict[str, Principle] = {}
    for filename in sorted(sources):
        for principle in parse_principles(filename, sources[filename]):
            _add_unique(principles, principle, filename)
    return PrincipleGraph(principles.values(), parse_rules(RULES_FILE, rules_text))


def parse_principles(filename: str, text: str) -> tuple[Principle, ...]:
    """The principles one data file defines; its category is the file's stem."""
    category = filename.removesuffix(".toml")
    document = _load_toml(filename, text)
    return tuple(
        _principle(filename, category, pid, entry) for pid, entry in document.items()
    )


def parse_rules(filename: str, text: str) -> dict[str, dict[str, RuleMapping]]:
    """The rule tables of rules.toml: {analyzer: {rule: RuleMapping}}."""
    document = _load_toml(filename, text)
    return {
        analyzer: _rule_table(filename, analyzer, table)
        for analyzer, table in document.items()
    }


def _load_toml(filename: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise PrincipleDataError(f"{filename}: invalid TOML: {err}") from err


def _add_unique(
    principles: dict[str, Principle], principle: Principle, filename: str
) -> None:
    if principle.id in principles:
        first = f"{principles[principle.id].category}.toml"
        raise PrincipleDataError(
            f"{filename}: principle id '{principle.id}' is already defined in {first}"
        )
    principles[principle.id] = principle


def _principle(filename: str, category: str, pid: str, entry: object) -> Principle:
    where = f"{filename}: [{pid}]"
    if not _SLUG.match(pid):
        raise PrincipleDataError(
            f"{where}: id must be a lowercase slug like 'least-privilege'"
        )
    if not isinstance(entry, dict):
        raise PrincipleDataError(f"{where}: must be a table of keys")
    _check_keys(where, entry)
    return Principle(
        id=pid,
        **{key: _prose(where, key, entry.get(key)) for key in _PROSE},
        example=_example(where, entry.get("example")),
        because=_string_list(where, "because", entry.get("because", [])),
        references=_references(where, entry.get("references", [])),
        bedrock=category == BEDROCK_CATEGORY,
        category=category,
    )


def _check_keys(where: str, entry: dict[str, Any]) -> None:
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        allowed = ", ".join(sorted(_KEYS))
        raise PrincipleDataError(
            f"{where}: unknown key '{unknown[0]}' (allowed: {allowed})"
        )


def _prose(where: str, key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PrincipleDataError(f"{where}: key '{key}' must be a non-empty string")
    return " ".join(value.split())


def _example(where: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise PrincipleDataError(
            f"{where}: key 'example' must be a non-empty string when present"
        )
    return value.strip("\n")


def _string_list(where: str, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item for item in value
    ):
        raise PrincipleDataError(
            f"{where}: key '{key}' must be a list of non-empty strings"
        )
    if len(set(value)) != len(value):
        raise PrincipleDataError(f"{where}: key '{key}' lists an entry twice")
    return tuple(value)


def _references(where: str, value: object) -> tuple[str, ...]:
    references = _string_list(where, "references", value)
    if not references:
        raise PrincipleDataError(
            f"{where}: key 'references' must list at least one URL"
        )
    for url in references:
        if not url.startswith("https://") or any(char.isspace() for char in url):
            raise PrincipleDataError(
                f"{where}: key 'references' has a non-https URL: {url!r}"
            )
    return references


def _rule_table(filename: str, analyzer: str, table: object) -> dict[str, RuleMapping]:
    if not isinstance(table, dict):
        raise PrincipleDataError(f"{filename}: [{analyzer}] must be a table of rules")
    return {
        rule: _rule(filename, analyzer, rule, entry) for rule, entry in table.items()
    }


def _rule(filename: str, analyzer: str, rule: str, entry: object) -> RuleMapping:
    where = f"{filename}: [{analyzer}] {rule}"
    if not isinstance(entry, dict) or set(entry) != _RULE_KEYS:
        raise PrincipleDataError(
            f'{where}: must be {{ principle = "id", severity = "error|warning|info" }}'
        )
    if not isinstance(entry["principle"], str) or not isinstance(
        entry["severity"], str
    ):
        raise PrincipleDataError(f"{where}: principle and severity must be strings")
    try:
        severity = Severity.parse(entry["severity"])
    except ValueError as err:
        raise PrincipleDataError(f"{where}: {err}") from err
    return RuleMapping(analyzer, rule, entry["principle"], severity)
