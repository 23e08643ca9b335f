"""oxlint for JavaScript and TypeScript (.js .jsx .mjs .cjs .ts .tsx .mts .cts, and .vue/.svelte scripts).

reviewbot writes the whole oxlint configuration: every category off, then exactly
the rules of `rules/oxlint.rules.toml` on (with the options written here), and
`--disable-nested-config` so no `.oxlintrc.json` the change adds is read. No
JavaScript configuration file is ever executed (oxlint reads JSON only).

`no-unused-vars` is not reported on the members of an ambient TypeScript
block (`declare namespace`, `declare module`, `declare global`): they are
exported declarations (reviewbot.analyzers.tsambient).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from reviewbot.analyzers.external import Hit, shorten
from reviewbot.analyzers.languages import is_javascript
from reviewbot.analyzers.tsambient import in_exported_ambient_block
from reviewbot.review.analyzer import SourceFile

CONFIG_NAME = ".reviewbot-oxlintrc.json"
CATEGORIES = ("correctness", "suspicious", "pedantic", "perf", "style", "restriction", "nursery")
PLUGINS = ("typescript", "unicorn", "oxc", "promise", "react", "jsx-a11y")
OPTIONS: dict[str, list[object]] = {
    "eqeqeq": ["always", {"null": "ignore"}],  # `x == null` is the accepted idiom for null-or-undefined
    "no-unused-vars": [{"args": "after-used", "ignoreRestSiblings": True, "caughtErrors": "none"}],
    # `.then(onReady, onError)` handles the rejection in its second argument (redis/ioredis's cluster code)
    "promise/catch-or-return": [{"allowThen": True}],
}
_CODE = re.compile(r"(?P<plugin>[\w-]+)\((?P<rule>[\w/-]+)\)\Z")


class OxlintSpec:
    name = "oxlint"
    tool = "oxlint"
    language = "JavaScript/TypeScript"
    install = "pip install 'reviewbot[languages]'"
    ok_codes = (0, 1)
    timeout = 30.0  # seconds for one run over all selected files

    def selects(self, file: SourceFile) -> bool:
        return is_javascript(file.path)

    def config(self, rules: Sequence[str], texts: Mapping[str, str]) -> dict[str, str]:
        enabled: dict[str, object] = {rule: ["error", *OPTIONS.get(rule, [])] for rule in rules}
        document = {
            "plugins": list(PLUGINS),
            "categories": dict.fromkeys(CATEGORIES, "off"),
            "rules": enabled,
        }
        return {CONFIG_NAME: json.dumps(document, indent=1)}

    def argv(self, executable: str, paths: Sequence[str], rules: Sequence[str]) -> list[str]:
        return [executable, "-c", CONFIG_NAME, "--disable-nested-config", "--no-ignore", "--threads", "2",
                "-f", "json", "--", *paths]

    def parse(self, stdout: str, texts: Mapping[str, str]) -> list[Hit]:
        diagnostics = json.loads(stdout)["diagnostics"]
        return [_hit(d, texts) for d in diagnostics
                if not _declared_for_callers(d, texts) and not _names_a_type(d, texts)]  # fmt: skip


# `export type NaN = number & Brand<...>` (sindresorhus/is 13febb6b01): a TypeScript type lives in the type
# namespace, apart from the global value `NaN`, so it shadows nothing.
_TYPE_DECLARATION = re.compile(r"^\s*(?:export\s+)?(?:declare\s+)?(?:type|interface)\s+[\w$]+\b")


def _names_a_type(diagnostic: Mapping[str, object], texts: Mapping[str, str]) -> bool:
    """`no-shadow-restricted-names` on a line that declares a type or an interface."""
    if rule_name(str(diagnostic["code"])) != "no-shadow-restricted-names":
        return False
    labels = diagnostic.get("labels") or [{}]
    span = labels[0].get("span", {}) if isinstance(labels, list) and labels else {}
    lines = texts.get(str(diagnostic["filename"]), "").split("\n")
    number = int(span.get("line", 0))
    return 0 < number <= len(lines) and _TYPE_DECLARATION.match(lines[number - 1]) is not None


def _declared_for_callers(diagnostic: Mapping[str, object], texts: Mapping[str, str]) -> bool:
    """An "unused" member of an ambient `declare namespace`/`module`/`global` block is exported to callers."""
    if rule_name(str(diagnostic["code"])) != "no-unused-vars":
        return False
    labels = diagnostic.get("labels") or [{}]
    span = labels[0].get("span", {}) if isinstance(labels, list) and labels else {}
    text = texts.get(str(diagnostic["filename"]), "")
    return in_exported_ambient_block(text, int(span.get("offset", 0)))


def rule_name(code: str) -> str:
    """oxlint's `eslint(no-eval)` → `no-eval`; `promise(catch-or-return)` → `promise/catch-or-return`."""
    match = _CODE.match(code)
    if match is None:
        return code
    plugin, rule = match["plugin"], match["rule"]
    return rule if plugin == "eslint" else f"{plugin.replace('_', '-')}/{rule}"


def _hit(diagnostic: Mapping[str, object], texts: Mapping[str, str]) -> Hit:
    path = str(diagnostic["filename"])
    labels = diagnostic.get("labels") or [{}]
    span = labels[0].get("span", {}) if isinstance(labels, list) and labels else {}
    line = int(span.get("line", 1))
    text = texts.get(path, "")
    offset, length = int(span.get("offset", 0)), int(span.get("length", 0))
    raw = text.encode("utf-8")[offset: offset + length].decode("utf-8", "replace") if length else ""
    value, end = shorten(raw), line + raw.count("\n")
    return Hit(
        path=path, line=line, end_line=end if end > line else None, rule=rule_name(str(diagnostic["code"])),
        message=str(diagnostic["message"]), url=str(diagnostic.get("url") or "") or None,
        facts={"value": value} if value else {},
    )
