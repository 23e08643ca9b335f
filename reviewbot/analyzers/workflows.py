"""GitHub Actions workflows and action metadata: zizmor (security audits) and actionlint (correctness).

Both run offline on reviewbot's copy of the files with configuration reviewbot
chose: zizmor with `--offline --no-config` (no `zizmor.yml` from the change, no
network look-ups), actionlint with an empty configuration file reviewbot wrote (no
`.github/actionlint.yaml` from the change), shellcheck for `run:` scripts and no
pyflakes. Only the rules of their tables are reported.

A finding on a `uses:` line is about the action, not its version: it is matched
with the pre-image by the action's name alone, so a change that only bumps
`actions/checkout@v3` to `@v4` does not make the old findings on that line new.
A zizmor finding about a whole job or workflow (its range covers the block) is
matched by its first line (the job's key), not by the steps inside it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from reviewbot.analyzers.external import Hit, line_of, shorten
from reviewbot.analyzers.languages import is_workflow
from reviewbot.analyzers.sandbox import find_tool
from reviewbot.review.analyzer import SourceFile

ACTIONLINT_CONFIG = ".reviewbot-actionlint.yaml"
_EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")
_USES = re.compile(r"uses:\s*([^\s#]+)")
_UNTRUSTED = re.compile(r'"([\w.\-\[\]*]+)" is potentially untrusted')


class ZizmorSpec:
    name = "zizmor"
    tool = "zizmor"
    language = "GitHub Actions"
    install = "pip install 'reviewbot[languages]'"
    ok_codes = (0, 10, 11, 12, 13, 14)  # 10-14: findings, by their highest severity
    timeout = 30.0  # seconds for one run over all selected files

    def selects(self, file: SourceFile) -> bool:
        return is_workflow(file.path)

    def config(self, rules: Sequence[str], texts: Mapping[str, str]) -> dict[str, str]:
        return {}

    def argv(self, executable: str, paths: Sequence[str], rules: Sequence[str]) -> list[str]:
        return [executable, "--offline", "--no-config", "--no-progress", "--persona", "regular", "--format", "json",
                "--", *paths]

    def parse(self, stdout: str, texts: Mapping[str, str]) -> list[Hit]:
        return [hit for finding in json.loads(stdout or "[]") for hit in _zizmor_hits(finding, texts)]


def _zizmor_hits(finding: Mapping[str, object], texts: Mapping[str, str]) -> list[Hit]:
    hits = []
    for location in finding["locations"]:  # type: ignore[attr-defined]
        if location["symbolic"].get("kind") != "Primary":
            continue
        path = location["symbolic"]["key"]["Local"]["verbatim_path"]
        concrete = location["concrete"]["location"]
        line = int(concrete["start_point"]["row"]) + 1
        end = int(concrete["end_point"]["row"]) + 1
        source = line_of(texts.get(str(path), ""), line)
        hits.append(Hit(
            path=str(path), line=line, end_line=end if end > line else None, rule=str(finding["ident"]),
            message=str(finding["desc"]), url=str(finding.get("url") or "") or None,
            facts=_workflow_facts(source), match_text=action_identity(source) or " ".join(source.split()),
        ))
    return hits


class ActionlintSpec:
    name = "actionlint"
    tool = "actionlint"
    language = "GitHub Actions workflows"
    install = "pip install 'reviewbot[languages]'"
    ok_codes = (0, 1)
    timeout = 30.0  # seconds for one run over all selected files

    def selects(self, file: SourceFile) -> bool:
        return is_workflow(file.path) and "/workflows/" in f"/{file.path}"

    def config(self, rules: Sequence[str], texts: Mapping[str, str]) -> dict[str, str]:
        return {ACTIONLINT_CONFIG: "# written by reviewbot: no repository configuration is read\n"}

    def argv(self, executable: str, paths: Sequence[str], rules: Sequence[str]) -> list[str]:
        shellcheck = find_tool("shellcheck") or ""
        return [executable, "-config-file", ACTIONLINT_CONFIG, "-format", "{{json .}}", "-no-color",
                f"-shellcheck={shellcheck}", "-pyflakes=", *paths]

    def parse(self, stdout: str, texts: Mapping[str, str]) -> list[Hit]:
        return [_actionlint_hit(item, texts) for item in json.loads(stdout or "[]")]


def _actionlint_hit(item: Mapping[str, object], texts: Mapping[str, str]) -> Hit:
    path, line = str(item["filepath"]), int(item["line"])  # type: ignore[call-overload]
    message = str(item["message"])
    source = line_of(texts.get(path, ""), line)
    facts = _workflow_facts(source)
    rule = str(item["kind"])
    untrusted = _UNTRUSTED.search(message)
    if untrusted:  # zizmor's template-injection reports these, with more context
        facts["name"], rule = untrusted.group(1), "untrusted-expression"
    return Hit(path=path, line=line, rule=rule, message=message,
               url="https://github.com/rhysd/actionlint/blob/main/docs/checks.md", facts=facts,
               match_text=action_identity(source))


def action_identity(source: str) -> str | None:
    """ "uses:actions/checkout" for a `uses: actions/checkout@v4` line (any version); None for other lines."""
    uses = _USES.search(source)
    return f"uses:{uses.group(1).split('@', 1)[0]}" if uses else None


def _workflow_facts(source: str) -> dict[str, str]:
    facts = {"value": shorten(source.strip())} if source.strip() else {}
    expression = _EXPRESSION.search(source)
    if expression:
        facts["name"] = expression.group(1)
    uses = _USES.search(source)
    if uses:
        facts["call"] = uses.group(1)
    return facts
