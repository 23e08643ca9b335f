"""Reading and validating the principle data files.

Each `data/<category>.toml` holds one table per principle, keyed by its id:

    [limited-working-memory]
    name = "..."            # short title
    statement = "..."       # one sentence
    why = "..."             # the first-principles explanation, 2-5 sentences
    eli12 = "..."           # the same idea for a 12-year-old
    because = ["..."]       # ids of deeper principles, primary branch first; empty only in bedrock.toml
    references = ["https://..."]
    tradeoffs = "..."       # optional: when experts would not apply it

    [limited-working-memory.examples]   # bad -> good code, keyed by language
    python = '''...'''                  # (python, javascript, typescript, go, java, sql, shell, ...)

    [[limited-working-memory.misconceptions]]
    id = "slug"
    belief = "the wrong belief, as a learner would hold it"
    cues = ["phrase a learner holding it writes", "..."]   # lowercase
    correction = "what is true instead"

    [[limited-working-memory.key_points]]
    point = "a claim a learner must get right"
    cues = ["phrase that shows it", "..."]                  # lowercase

    [limited-working-memory.probe]
    question = "a question, best predict-the-output on a few lines of code"
    answer = "the answer, with the reason"
    cues = ["phrase a right answer contains", "..."]        # lowercase

Prose fields may be wrapped freely: runs of whitespace collapse to one space.
`rules/<analyzer>.rules.toml` maps analyzer rules to principles (format and parsing:
`reviewbot.principles.ruletable`).

Every problem raises PrincipleDataError naming the file and the key.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from reviewbot.principles.graph import PrincipleGraph
from reviewbot.principles.model import (
    KeyPoint,
    Misconception,
    Principle,
    PrincipleDataError,
    Probe,
)
from reviewbot.principles.ruletable import RULES_DIR, parse_rule_files

BEDROCK_CATEGORY = "bedrock"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_PROSE = ("name", "statement", "why", "eli12")
_LISTS = ("because", "references")
_TEACHING = ("examples", "misconceptions", "key_points", "probe", "tradeoffs")
_KEYS = frozenset(_PROSE + _LISTS + _TEACHING)
_LANGUAGE = re.compile(r"[a-z][a-z0-9+#-]*\Z")


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
    rules = {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in (package / RULES_DIR).iterdir()
        if entry.name.endswith(".toml")
    }
    return build_graph(sources, rules)


def build_graph(sources: Mapping[str, str], rules: Mapping[str, str]) -> PrincipleGraph:
    """A validated graph from data-file texts ({"security.toml": text}) and rule-table texts ({"ruff.toml": text})."""
    principles: dict[str, Principle] = {}
    for filename in sorted(sources):
        for principle in parse_principles(filename, sources[filename]):
            _add_unique(principles, principle, filename)
    return PrincipleGraph(principles.values(), parse_rule_files(rules))


def parse_principles(filename: str, text: str) -> tuple[Principle, ...]:
    """The principles one data file defines; its category is the file's stem."""
    category = filename.removesuffix(".toml")
    document = _load_toml(filename, text)
    return tuple(
        _principle(filename, category, pid, entry) for pid, entry in document.items()
    )


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
        because=_string_list(where, "because", entry.get("because", [])),
        references=_references(where, entry.get("references", [])),
        bedrock=category == BEDROCK_CATEGORY,
        category=category,
        examples=_examples(where, entry.get("examples", {})),
        misconceptions=_misconceptions(where, entry.get("misconceptions", [])),
        key_points=_key_points(where, entry.get("key_points", [])),
        probe=_probe(where, entry.get("probe")),
        tradeoffs=_optional_prose(where, "tradeoffs", entry.get("tradeoffs")),
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


def _optional_prose(where: str, key: str, value: object) -> str | None:
    return None if value is None else _prose(where, key, value)


def _examples(where: str, value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise PrincipleDataError(
            f"{where}: [examples] must be a table of language = code"
        )
    for language, code in value.items():
        if not _LANGUAGE.match(language):
            raise PrincipleDataError(
                f"{where}: examples key '{language}' must be a lowercase language name"
            )
        if not isinstance(code, str) or not code.strip():
            raise PrincipleDataError(
                f"{where}: examples.{language} must be non-empty code"
            )
    return tuple((language, code.strip("\n")) for language, code in value.items())


def _tables(where: str, key: str, value: object, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise PrincipleDataError(f"{where}: [[{key}]] must be an array of tables")
    for index, item in enumerate(value):
        if set(item) != set(fields):
            raise PrincipleDataError(
                f"{where}: {key}[{index}] must have exactly the keys {', '.join(fields)}"
            )
    return value


def _cues(where: str, value: object) -> tuple[str, ...]:
    cues = _string_list(where, "cues", value)
    if not cues or any(cue != cue.lower() or not cue.strip() for cue in cues):
        raise PrincipleDataError(f"{where}: 'cues' must list lowercase phrases")
    return cues


def _misconceptions(where: str, value: object) -> tuple[Misconception, ...]:
    items = _tables(where, "misconceptions", value, ("id", "belief", "cues", "correction"))
    found = tuple(
        Misconception(
            id=str(item["id"]),
            belief=_prose(f"{where} misconception", "belief", item["belief"]),
            cues=_cues(f"{where} misconception {item['id']}", item["cues"]),
            correction=_prose(f"{where} misconception", "correction", item["correction"]),
        )
        for item in items
    )
    ids = [m.id for m in found]
    if len(set(ids)) != len(ids) or not all(_SLUG.match(i) for i in ids):
        raise PrincipleDataError(f"{where}: misconception ids must be unique slugs")
    return found


def _key_points(where: str, value: object) -> tuple[KeyPoint, ...]:
    items = _tables(where, "key_points", value, ("point", "cues"))
    return tuple(
        KeyPoint(
            point=_prose(f"{where} key point", "point", item["point"]),
            cues=_cues(f"{where} key point", item["cues"]),
        )
        for item in items
    )


def _probe(where: str, value: object) -> Probe | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"question", "answer", "cues"}:
        raise PrincipleDataError(
            f"{where}: [probe] must have exactly the keys question, answer, cues"
        )
    return Probe(
        question=str(value["question"]).strip("\n"),
        answer=_prose(f"{where} probe", "answer", value["answer"]),
        cues=_cues(f"{where} probe", value["cues"]),
    )


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
