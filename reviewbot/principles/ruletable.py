"""The analyzer rule tables: one TOML file per analyzer in `rules/<analyzer>.rules.toml`.

(Not `<analyzer>.toml`: ruff reads any file named `ruff.toml` as its configuration.)

Each rule is one table, keyed by the analyzer's own rule id:

    [B006]
    principle = "no-shared-mutable-defaults"   # the principle this rule teaches
    severity = "warning"                        # by evidence: "error" only when certain
    title = "Mutable default argument"         # a human headline, never the tool's slug
    fix = "Default to `None` and build the list inside the function."
    why_here = [                                # what goes wrong in *this* code, most specific first
      "`{arg}={value}` is built once, when `def {function}` runs; every call that omits `{arg}` shares it.",
      "The default is built once, when the `def` runs; every call that omits the argument shares it.",
    ]
    in_tests = "skip"                           # optional: "skip", "listed", or the highest severity
                                                # in test code
    note = "..."                                # optional: this rule's own mechanism, when the principle
                                                # it cites is design-level
    listed = true                               # optional: never a comment, one summary line per rule
    not_in = ["*.ts", "*.tsx"]                  # optional: path globs where the rule does not apply
    earned = ["encode/httpx@15d09a3b httpx/_utils.py:467"]  # optional: judged useful findings on real
                                                # code that earned the rule line comments (see below)
    only_in_tests = true                        # optional: a rule about test code (pytest style), not
                                                # run on other files
    convention = true                           # optional: in a file that had this finding before the
                                                # change, a new one is the file's own way: listed

A "listed" finding (`listed = true`, or `in_tests = "listed"` in test code) is
true but not worth a comment of its own: a TODO the change adds, a throwaway
key of a test server. The review lists such findings by place in one note per
rule instead of commenting on each.

Line comments are earned. A finding comments on its line when its rule is
certain (severity "error": the code cannot run as written, or a secret in a
verified format) or has earned it: its findings on real code nobody here
wrote were judged useful, at least as often as not, and none wrong (a rule
whose later findings are judged noise more often goes back on probation;
`earned` names the useful ones;
bench/precision/judgements.csv holds every verdict). Every other finding is
listed in its rule's summary line until its rule earns more, as a rule on
probation. A senior with a reputation for signal over noise comments on what
they are sure of and mentions the rest in passing; each new kind of comment
that misfires spends the trust the teaching needs. `comment-on = "all"` in
the configuration turns every rule's findings into comments.

Some patterns are a choice a file makes, not a slip (`convention = true`): a
module that printed before the change prints by design, and a senior does not
ask the author to be the first to change that in a pull request about
something else. Where the file's pre-change text already had a finding of
such a rule, the change's new ones are listed, not commented on: a `print`,
a bare `except:` in a helper that catches everything that way. Rules about
code that cannot work as written never take the key: the tenth undefined
name is as broken as the first.

`why_here` is one template or a list of them; each is a `str.format` template
whose fields are facts the analyzer extracted from the finding (`FACTS`).
`why_here_sentence` uses the first template whose facts are all known; the last
template must need no fact, so a sentence with holes is never shown. The same
function serves review comments and thread answers: finding facts in, one
sentence out, nothing else.

Every problem raises PrincipleDataError naming the file and the rule.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping

from reviewbot.models import Severity
from reviewbot.principles.model import PrincipleDataError, RuleMapping

RULES_DIR = "rules"
SUFFIX = ".rules.toml"
SKIP = "skip"
LISTED = "listed"

# The facts a why_here template may use. Python facts come from `ast`
# (reviewbot.review.pyfacts); other analyzers fill them from their tool's
# structured output. Every fact is a short, single-line string.
FACTS: dict[str, str] = {
    "function": "the enclosing function (or the function the finding is about), e.g. load_config",
    "class": "the enclosing class",
    "name": "the identifier the finding is about",
    "call": "the called function as written, e.g. hashlib.md5",
    "arg": "the parameter or keyword argument the finding is about",
    "value": "the flagged expression or literal as written (shortened)",
    "count": "a number the rule measures (arguments, branches)",
    "exception": "the exception class named in the handler or raise",
    "kind": "what a secret looks like (secrets analyzer), or what a file usually holds (diff checks)",
    "shown": "the first characters of a long secret (never the whole value)",
    "path": "the file's path in the repository",
    "line": "the line number",
}

_REQUIRED = ("principle", "severity", "title", "fix", "why_here")
_OPTIONAL = ("in_tests", "note", "listed", "not_in", "earned", "convention", "only_in_tests")
_KEYS = frozenset(_REQUIRED + _OPTIONAL)


def parse_rule_files(sources: Mapping[str, str]) -> dict[str, dict[str, RuleMapping]]:
    """{analyzer: {rule: RuleMapping}} from {"ruff.rules.toml": text, ...}; the analyzer names the file."""
    return {
        filename.removesuffix(SUFFIX): parse_rule_file(filename, text)
        for filename, text in sorted(sources.items())
    }


def parse_rule_file(filename: str, text: str) -> dict[str, RuleMapping]:
    if not filename.endswith(SUFFIX):
        raise PrincipleDataError(f"{RULES_DIR}/{filename}: a rule table is named <analyzer>{SUFFIX}")
    analyzer = filename.removesuffix(SUFFIX)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise PrincipleDataError(f"{RULES_DIR}/{filename}: invalid TOML: {err}") from err
    return {rule: parse_rule(f"{RULES_DIR}/{filename}: [{rule}]", analyzer, rule, entry)
            for rule, entry in document.items()}  # fmt: skip


def parse_rule(where: str, analyzer: str, rule: str, entry: object) -> RuleMapping:
    if not isinstance(entry, dict):
        raise PrincipleDataError(f"{where}: must be a table with keys {', '.join(_REQUIRED)}")
    missing = [key for key in _REQUIRED if key not in entry]
    unknown = sorted(set(entry) - _KEYS)
    if missing or unknown:
        problem = f"missing key '{missing[0]}'" if missing else f"unknown key '{unknown[0]}'"
        raise PrincipleDataError(f"{where}: {problem} (keys: {', '.join(_REQUIRED + _OPTIONAL)})")
    return RuleMapping(
        analyzer=analyzer,
        rule=rule,
        principle_id=_text(where, "principle", entry["principle"]),
        severity=_severity(where, "severity", entry["severity"]),
        title=_text(where, "title", entry["title"]),
        fix=_text(where, "fix", entry["fix"]),
        why_here=_templates(where, entry["why_here"]),
        in_tests=_in_tests(where, entry.get("in_tests")),
        note=None if entry.get("note") is None else _text(where, "note", entry["note"]),
        listed=_flag(where, "listed", entry.get("listed", False)),
        not_in=_globs(where, "not_in", entry.get("not_in", [])),
        earned=_earned(where, entry.get("earned", [])),
        convention=_flag(where, "convention", entry.get("convention", False)),
        only_in_tests=_flag(where, "only_in_tests", entry.get("only_in_tests", False)),
    )


def _text(where: str, key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PrincipleDataError(f"{where}: key '{key}' must be a non-empty string")
    return " ".join(value.split())


def _severity(where: str, key: str, value: object) -> Severity:
    try:
        return Severity.parse(_text(where, key, value))
    except ValueError as err:
        raise PrincipleDataError(f"{where}: {key}: {err}") from None


def _globs(where: str, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(g, str) and g.strip() for g in value):
        raise PrincipleDataError(f"{where}: key '{key}' must be a list of path globs such as \"*.ts\"")
    return tuple(value)


EARNED_REF = re.compile(r"[\w.-]+/[\w.-]+@[0-9a-f]{7,40} \S+:\d+")


def _earned(where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(ref, str) and EARNED_REF.fullmatch(ref) for ref in value):
        raise PrincipleDataError(
            f"{where}: key 'earned' must be a list of judged findings such as \"owner/repo@1a2b3c4d path/to/file.py:12\""
        )
    return tuple(value)


def _flag(where: str, key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise PrincipleDataError(f"{where}: key '{key}' must be true or false")
    return value


def _in_tests(where: str, value: object) -> str | None:
    if value is None:
        return None
    if value in (SKIP, LISTED):
        return str(value)
    return _severity(where, "in_tests", value).value


def _templates(where: str, value: object) -> tuple[str, ...]:
    templates = (value,) if isinstance(value, str) else value
    if not isinstance(templates, list | tuple) or not templates:
        raise PrincipleDataError(f"{where}: key 'why_here' must be a template or a list of templates")
    texts = tuple(_text(where, "why_here", t) for t in templates)
    for text in texts:
        unknown = sorted(template_fields(text) - set(FACTS))
        if unknown:
            raise PrincipleDataError(f"{where}: why_here uses unknown fact '{unknown[0]}' (known: {', '.join(FACTS)})")
    if template_fields(texts[-1]):
        raise PrincipleDataError(f"{where}: the last why_here template must use no fact (it is the generic sentence)")
    return texts


def template_fields(template: str) -> frozenset[str]:
    """The fact names a template uses."""
    return frozenset(field for _, field, _, _ in string.Formatter().parse(template) if field)


def why_here_sentence(mapping: RuleMapping, facts: Mapping[str, str]) -> str:
    """What goes wrong in this code: the first of the rule's templates whose facts are all known."""
    for template in mapping.why_here:
        if template_fields(template) <= {name for name, value in facts.items() if value}:
            return template.format_map(dict(facts))
    return mapping.why_here[-1]  # unreachable with validated data: the last template needs no fact

