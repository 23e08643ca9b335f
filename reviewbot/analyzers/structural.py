"""ast-grep with reviewbot's own structural rules: Go, Java, JavaScript/TypeScript, shell, Dockerfile RUN.

The rules (`reviewbot/analyzers/astgrep/*.yml`) match syntax trees, not text: an
ignored Go error, a `defer` in a loop, SQL or a shell command built by
concatenation, strings compared with `==` in Java, a swallowed exception, HTML
written from a value, a downloaded script piped into a shell. reviewbot writes
the `sgconfig.yml` (so one in the change is never read) and only the rules its
table lists. Dockerfile RUN instructions are copied, line for line, into a shell
file beside the Dockerfile, so the shell rules see them with the same line numbers.

Some rules bring an evidence rule whose matches are facts, not findings
(`EVIDENCE`): `go-ignored-error` matches `v, _ := f()` without types, so the
functions the reviewed files declare are read too, and a call of one whose
results hold no `error` (`func (e *Env) Get(key string) (string, bool)`,
`(dokkuRoot, libRoot string)`) discards something else and is dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

from reviewbot.analyzers.external import Hit, shorten
from reviewbot.analyzers.languages import is_dockerfile, is_go, is_java, is_javascript, is_shell
from reviewbot.review.analyzer import SourceFile

CONFIG_DIR = ".reviewbot-sg"
RUN_SUFFIX = ".reviewbot-run.sh"  # the RUN instructions of a Dockerfile, as a shell script
JS_LANGUAGES = ("javascript", "typescript", "tsx")
LANGUAGE_SEPARATOR = "--"  # rule ids run per JS dialect: "js-html-sink--tsx"
EVIDENCE = {"go-ignored-error": "go-results-declared"}  # a rule -> the evidence rule that runs with it
_ERROR_TYPE = re.compile(r"\berror\b")


class AstGrepSpec:
    name = "astgrep"
    tool = "ast-grep"
    language = "Go/Java/JavaScript/shell"
    install = "pip install 'reviewbot[languages]'"
    ok_codes = (0, 1)
    timeout = 30.0  # seconds for one run over all selected files

    def selects(self, file: SourceFile) -> bool:
        path = file.path
        return is_go(path) or is_java(path) or is_javascript(path) or is_dockerfile(path) or is_shell(path, file.content)

    def config(self, rules: Sequence[str], texts: Mapping[str, str]) -> dict[str, str]:
        files = {f"{CONFIG_DIR}/rules/{rule_id}.yml": text for rule_id, text in rule_documents(rules)}
        files[f"{CONFIG_DIR}/sgconfig.yml"] = _sgconfig(texts)
        files.update({path + RUN_SUFFIX: run_script(text) for path, text in texts.items() if is_dockerfile(path)})
        return files

    def argv(self, executable: str, paths: Sequence[str], rules: Sequence[str]) -> list[str]:
        scanned = [p + RUN_SUFFIX if is_dockerfile(p) else p for p in paths]
        return [executable, "scan", "-c", f"{CONFIG_DIR}/sgconfig.yml", "--json=stream", "--", *scanned]

    def parse(self, stdout: str, texts: Mapping[str, str]) -> list[Hit]:
        matches = [json.loads(line) for line in stdout.splitlines() if line.strip()]
        evidence = set(EVIDENCE.values())
        no_error = without_error_results([m for m in matches if m["ruleId"] in evidence])
        return [hit for hit in (_hit(m) for m in matches if m["ruleId"] not in evidence)
                if not (hit.rule == "go-ignored-error" and callee(hit.facts.get("call", "")) in no_error)]


def without_error_results(declarations: Sequence[Mapping[str, Any]]) -> frozenset[str]:
    """Names declared with several results and no `error` among them, and never declared with one."""
    results: dict[str, set[bool]] = {}
    for match in declarations:
        single = match.get("metaVariables", {}).get("single", {})
        name, result = single.get("NAME", {}).get("text", ""), single.get("RESULT", {}).get("text", "")
        results.setdefault(name, set()).add(bool(_ERROR_TYPE.search(result)))
    return frozenset(name for name, kinds in results.items() if name and kinds == {False})


def callee(call: str) -> str:
    """`Get` for `stale.Get`, `setupMigrateEnv` for itself."""
    return call.rsplit(".", 1)[-1]


def rule_documents(rules: Sequence[str]) -> list[tuple[str, str]]:
    """(id, YAML text) of every wanted rule; JavaScript rules once per dialect."""
    wanted, documents = set(rules) | {EVIDENCE[r] for r in rules if r in EVIDENCE}, []
    for entry in resources.files("reviewbot.analyzers").joinpath("astgrep").iterdir():
        if not entry.name.endswith(".yml"):
            continue
        for document in entry.read_text(encoding="utf-8").split("\n---\n"):
            rule_id = _field(document, "id")
            if rule_id in wanted:
                documents += _dialects(rule_id, document)
    return documents


def run_script(dockerfile: str) -> str:
    """The Dockerfile's shell-form RUN instructions, each on its own lines; every other line blank."""
    out, in_run = [], False
    for line in dockerfile.split("\n"):
        stripped = line.lstrip()
        starts = stripped[:4].upper() == "RUN " and not stripped[4:].lstrip().startswith("[")
        if starts:
            indent = len(line) - len(stripped)
            line, in_run = " " * (indent + 4) + stripped[4:], True
        elif not in_run or stripped.startswith("#"):
            line = ""
        out.append(line)
        in_run = (starts or in_run) and line.rstrip().endswith("\\")
    return "\n".join(out)


def _dialects(rule_id: str, document: str) -> list[tuple[str, str]]:
    if _field(document, "language") != "typescript":
        return [(rule_id, document)]
    return [
        (f"{rule_id}{LANGUAGE_SEPARATOR}{language}",
         document.replace(f"id: {rule_id}\n", f"id: {rule_id}{LANGUAGE_SEPARATOR}{language}\n", 1)
                 .replace("language: typescript\n", f"language: {language}\n", 1))
        for language in JS_LANGUAGES
    ]


def _field(document: str, name: str) -> str:
    for line in document.splitlines():
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    return ""


def _sgconfig(texts: Mapping[str, str]) -> str:
    scripts = sorted(p for p, text in texts.items() if is_shell(p, text) and "." not in p.rsplit("/", 1)[-1])
    lines = ["ruleDirs:", "  - rules"]
    if scripts:
        names = sorted({"**/" + p.rsplit("/", 1)[-1] for p in scripts})  # ast-grep matches globs on names
        lines += ["languageGlobs:", "  bash:", *(f"    - {json.dumps(name)}" for name in names)]
    return "\n".join(lines) + "\n"


def _hit(match: Mapping[str, Any]) -> Hit:  # one match of ast-grep's JSON output
    path = str(match["file"]).removesuffix(RUN_SUFFIX)
    start, end = match["range"]["start"]["line"] + 1, match["range"]["end"]["line"] + 1
    facts = {"value": shorten(str(match.get("text", "")))}
    single = (match.get("metaVariables") or {}).get("single", {})
    if "CALL" in single:
        facts["call"] = shorten(single["CALL"]["text"])
    rule = str(match["ruleId"]).split(LANGUAGE_SEPARATOR)[0]
    return Hit(path=path, line=start, end_line=end if end > start else None, rule=rule,
               message=str(match.get("message", "")), facts=facts)
