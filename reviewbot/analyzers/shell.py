"""shellcheck for shell scripts (`.sh`, `.bash`, `.ksh`, `.bats`, or a sh/bash shebang).

`--norc` keeps shellcheck from reading a `.shellcheckrc` from the change or from any
home directory, and `--external-sources` stays off, so a `source` line never makes it
open a file outside the script. Only the codes in `rules/shellcheck.rules.toml` are
enabled (`--include`).

A finding about one expansion (`$FILES` unquoted) is matched with the pre-image by
its command word and the expansion, not by the whole line: a change that edits
`ruff --fix $FILES` into `ruff check --fix $FILES` did not add the unquoted `$FILES`.

An unquoted command substitution (SC2046) is how a script passes a command's
output as a list of arguments (`git log -- $(list-sources)`), so it is
commented on only where the output is meant as one value: a command that
prints one path (`$(dirname "$0")`, `$(pwd)`), or a substitution the script
quotes elsewhere. Any other is `unquoted-substitution`, listed.

A variable the script sets only to a literal list of words (`SOURCE_FILES="src tests"`) is
split into those words on purpose, so its unquoted use (SC2086) is not reported: quoting it
would pass one path that does not exist.

A file without a shebang is sourced into another shell (tpm's
`scripts/variables.sh`, a zsh plugin): the variables it sets are for that
shell, so "assigned but never used" (SC2034) is not reported there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from reviewbot.analyzers.external import Hit, line_of, shorten
from reviewbot.analyzers.languages import is_shell
from reviewbot.review.analyzer import SourceFile

_CODE = re.compile(r"SC\d+\Z")
SET_FOR_CALLER = 2034  # "assigned but never used": in a sourced file, set for the shell that sources it
# Commands whose output is one path: splitting it is never what the script means.
ONE_PATH_COMMANDS = frozenset({"dirname", "basename", "pwd", "realpath", "readlink", "mktemp"})
UNQUOTED_VARIABLE = "SC2086"
_LITERAL_VALUE = r"""(?:"[^"$`\\*?\[]*"|'[^'*?\[]*'|[^\s"'$`*?\[;&|]+)"""
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?])")


class ShellcheckSpec:
    name = "shellcheck"
    tool = "shellcheck"
    language = "Shell"
    install = "pip install 'reviewbot[languages]'"
    ok_codes = (0, 1)
    timeout = 120.0  # seconds; shellcheck needs ~15 s alone for one 4,900-line script (nvm.sh), more on a busy machine

    def selects(self, file: SourceFile) -> bool:
        return is_shell(file.path, file.content)

    def config(self, rules: Sequence[str], texts: Mapping[str, str]) -> dict[str, str]:
        return {}

    def argv(self, executable: str, paths: Sequence[str], rules: Sequence[str]) -> list[str]:
        include = ",".join(rule.removeprefix("SC") for rule in rules if _CODE.match(rule))
        return [executable, "--norc", "--format=json1", "--severity=style", f"--include={include}", "--", *paths]

    def parse(self, stdout: str, texts: Mapping[str, str]) -> list[Hit]:
        hits = [_hit(comment, texts) for comment in json.loads(stdout)["comments"]
                if not (comment["code"] == SET_FOR_CALLER and is_sourced(texts.get(str(comment["file"]), "")))]  # fmt: skip
        lists = {path: word_lists(texts.get(path, "")) for path in {h.path for h in hits if h.rule == UNQUOTED_VARIABLE}}
        return [hit for hit in hits
                if not (hit.rule == UNQUOTED_VARIABLE and hit.facts.get("name", "") in lists[hit.path])]  # fmt: skip


def _hit(comment: Mapping[str, object], texts: Mapping[str, str]) -> Hit:
    path, line = str(comment["file"]), int(comment["line"])  # type: ignore[call-overload]
    end = int(comment.get("endLine", line))  # type: ignore[call-overload]
    source = line_of(texts.get(path, ""), line)
    start, stop = int(comment.get("column", 1)) - 1, int(comment.get("endColumn", 1)) - 1  # type: ignore[call-overload]
    value = shorten(source[start:stop]) if end == line and stop > start else ""
    facts = {"value": value} if value else {}
    variable = _VARIABLE.search(value)
    if variable:
        facts["name"] = variable.group(1)
    code = f"SC{comment['code']}"
    words = source.split()
    match_text = f"{words[0]} {value}" if value and words else None
    return Hit(path=path, line=line, end_line=end if end > line else None,
               rule=reviewed_rule(code, facts, texts.get(path, "")), message=str(comment["message"]),
               url=f"https://www.shellcheck.net/wiki/{code}", facts=facts, match_text=match_text)  # fmt: skip


def is_sourced(script: str) -> bool:
    """A script without a shebang: sourced by another shell, not run."""
    return not script.startswith("#!")


def reviewed_rule(code: str, facts: Mapping[str, str], script: str) -> str:
    """shellcheck's code, or reviewbot's listed `unquoted-substitution` where the output is used as a list."""
    if code == "SC2046" and not meant_as_one_value(facts.get("value", ""), script):
        return "unquoted-substitution"
    return code


_ASSIGNMENT = re.compile(r"^\s*(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=(\S.*)$", re.MULTILINE)
_LITERAL_LIST = re.compile(rf"{_LITERAL_VALUE}\s*(?:#.*)?")


def word_lists(script: str) -> frozenset[str]:
    """The variables the script sets only to literal lists of words (`SOURCE_FILES="typesystem tests"`),
    read once per script: `$SOURCE_FILES` unquoted is split into those words on purpose, and quoting it,
    as SC2086 advises, would hand the command one path that does not exist (encode/typesystem and
    Kludex/mangum's `scripts/check`)."""
    verdicts: dict[str, bool] = {}
    for name, value in _ASSIGNMENT.findall(script):
        text = value.strip()
        is_list = _LITERAL_LIST.fullmatch(text) is not None and len(text.strip("\"'").split()) > 1
        verdicts[name] = verdicts.get(name, True) and is_list
    return frozenset(name for name, is_list in verdicts.items() if is_list)


def meant_as_one_value(substitution: str, script: str) -> bool:
    """Whether an unquoted `$(cmd)` is meant as one value: `cmd` prints one path, or the script quotes
    the same substitution elsewhere. An empty `substitution` (it spans lines) is a list."""
    inner = substitution.removeprefix("$(").removesuffix(")") if substitution.startswith("$(") else substitution.strip("`")
    words = inner.split()
    return bool(words) and (words[0] in ONE_PATH_COMMANDS or f'"{substitution}"' in script)
