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

Whether a zizmor finding matters can depend on the rest of its job, which
reviewbot reads from the same file (`workflowshape`):

- `artipacked` (checkout leaves the token in `.git/config`) is commented on
  when the job can leak or misuse it: a later step uploads the workspace with
  its hidden files, or the job's token has a write scope. Otherwise it is
  `persisted-checkout-token`, listed: the token is read-only or the workflow's
  default, which `excessive-permissions` is about, and nothing publishes it.
- `cache-poisoning` is reported only in a workflow with a step that publishes
  (`npm publish`, `twine upload`, a release or image-push action): zizmor
  goes by the trigger, and a test workflow that also runs on tag pushes
  publishes nothing a cache could poison.
- `cache-poisoning` on an action that caches only when asked (`setup-node`,
  `setup-python`, `setup-java`, `setup-dotnet` with `cache:`, `setup-ruby`
  with `bundler-cache:`) is commented on only when the step asks; without
  the input it is `cache-not-requested`, listed (setup-node from v5 also
  caches on its own when package.json names npm as its package manager,
  which the workflow alone does not show).
- `dangerous-triggers` (`pull_request_target`, `workflow_run`) is listed unless
  a job checks out the pull request's code (`ref:` of its head, `refs/pull/`)
  and holds a secret or a token that may write: that is `untrusted-checkout`,
  commented on.

`unpinned-uses` is commented on for any action referenced by a branch
(`owner/workflow@main`: a branch moves with every push) and for a third-party
action at a release tag in a workflow that
pins other actions by SHA (the project pins; this line breaks its rule). A
third-party action at a release tag, or on a release line its owner documents
(`pypa/gh-action-pypi-publish@release/v1`), in a workflow that pins nothing is
`unpinned-tag`, listed (acme.sh's `vmactions/*-vm@v1` in every job: the
project refers to actions by tag, and pinning is a decision for all its
workflows). The SLSA generator's reusable workflows at a release tag are
`unpinned-tag-required`, listed: the generator refuses to run from a commit
SHA (pallets-eco/flask-debugtoolbar's release workflow says so beside the
line). One of GitHub's own (`actions/checkout@v5`,
`github/codeql-action/init@v3`) at a release tag is `unpinned-first-party`,
listed: its tags are moved only by GitHub, which runs the job anyway; so is
one of GitHub's own by branch (`actions/checkout@main`) in a step handed no
secret, `unpinned-first-party-branch` (feross/buffer's test workflow). A
branch in a job whose token is declared read-only (`permissions: contents:
read`) and that hands the step no secret is `unpinned-read-only`, listed
(cookiecutter's `taiki-e/install-action@just` in a lint job): what the branch
runs next has no write access and no secret to take.

Severity by evidence: zizmor's `template-injection` stays an error only for
expressions an outsider writes (a pull request's title, body or branch name, a
comment, a commit message: `github.event.*.title`, `github.head_ref`, …). Any
other expression pasted into a script (`inputs.image`, `matrix.os`,
`steps.x.outputs.y`) is reported as `template-expansion`, a warning: whether
it carries hostile text depends on who sets it, which the workflow alone does
not say.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from reviewbot.analyzers.external import Hit, line_of, shorten
from reviewbot.analyzers.languages import is_workflow
from reviewbot.analyzers.sandbox import find_tool
from reviewbot.analyzers.workflowshape import Step, Workflow, shape_of
from reviewbot.review.analyzer import SourceFile

if TYPE_CHECKING:
    from reviewbot.config import Config

ACTIONLINT_CONFIG = ".reviewbot-actionlint.yaml"
_EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")
_USES = re.compile(r"uses:\s*['\"]?([^\s#'\"]+)")  # `uses: 'actions/checkout@v6'` is the same action
_BROKEN_TRIGGER = re.compile(r"^unknown (?:webhook event|activity type|event)|invalid cron|cannot be used together", re.I)
_UNQUOTED = re.compile(r"\bSC20(?:86|46)\b")  # "double quote to prevent globbing and word splitting"
# An input the action does not declare is ignored with a warning nobody reads (mattn/go-isatty's
# `go-versions:` for setup-go's `go-version`: the whole Go matrix ran the runner's own Go).
_UNKNOWN_INPUT = re.compile(r'input "([^"]+)" is not defined in action')
# `tags:` with no value under a trigger: GitHub runs the workflow (the Pylons template has for years), so
# it is no syntax error, only a filter that names nothing.
_EMPTY_FILTER = re.compile(r"\s*(?P<key>(?:branches|tags|paths)(?:-ignore)?):\s*(?:#.*)?\Z")
_DISABLED_COMMAND = re.compile(r'workflow command "(?:set-env|add-path)"')  # disabled since 2020; the others warn
_STYLE = re.compile(r"\bSC\d{4}:style:")  # shellcheck's own level for suggestions on code that works
_UNUSED_DEFAULT = re.compile(
    r'input "(?P<name>[^"]+)" of \w+ event has the default value "(?P<value>[^"]*)", but it is also required')
_UNTRUSTED = re.compile(r'"([\w.\-\[\]*]+)" is potentially untrusted')
# Event fields an outsider writes: GitHub's list of untrusted input (titles, bodies, messages,
# names and e-mails of commit authors, branch names and labels, wiki page names).
_OUTSIDER_FIELDS = frozenset({"title", "body", "message", "name", "email", "ref", "label", "default_branch",
                              "head_branch", "page_name"})  # fmt: skip
# Contexts the workflow or its caller sets, not the event's author.
_OWN_CONTEXTS = ("inputs.", "matrix.", "env.", "vars.", "steps.", "needs.", "secrets.", "github.", "runner.", "job.",
                 "strategy.")  # fmt: skip
_PATH = re.compile(r"([A-Za-z_][\w-]*(?:\.[\w*-]+|\[[^\]]*\])*)(\s*\()?")  # a context path; group 2: a call


class ZizmorSpec:
    name = "zizmor"
    tool = "zizmor"
    language = "GitHub Actions"
    install = "pip install 'reviewbot[languages]'"
    ok_codes = (0, 10, 11, 12, 13, 14)  # 10-14: findings, by their highest severity
    timeout = 30.0  # seconds for one run over all selected files

    def __init__(self, owner: str = "") -> None:
        self.owner = owner.lower()  # the owner of the repository under review: its own actions are listed

    @classmethod
    def for_config(cls, config: Config) -> ZizmorSpec:
        return cls(config.repository.partition("/")[0])

    def selects(self, file: SourceFile) -> bool:
        return is_workflow(file.path)

    def config(self, rules: Sequence[str], texts: Mapping[str, str]) -> dict[str, str]:
        return {}

    def argv(self, executable: str, paths: Sequence[str], rules: Sequence[str]) -> list[str]:
        return [executable, "--offline", "--no-config", "--no-progress", "--persona", "regular", "--format", "json",
                "--", *paths]

    def parse(self, stdout: str, texts: Mapping[str, str]) -> list[Hit]:
        hits = [hit for finding in json.loads(stdout or "[]") for hit in _zizmor_hits(finding, texts)]
        shapes = {path: shape_of(texts.get(path, "")) for path in {hit.path for hit in hits if hit.rule in IN_CONTEXT}}
        pinning = {path for path in {hit.path for hit in hits} if pins_by_sha(texts.get(path, ""))}
        hits = [own_action(by_owner(in_context(hit, shapes.get(hit.path)), hit.path in pinning), self.owner)
                for hit in hits if hit.rule != "cache-poisoning" or publishes(texts.get(hit.path, ""))]  # fmt: skip
        return one_per_workflow(hits, PER_WORKFLOW)


# GitHub's own actions: their release tags are moved only by GitHub, the party whose runner already runs the job.
FIRST_PARTY = ("actions/", "github/")
# Reusable workflows that must be called by release tag: the SLSA generator checks its own ref and refuses a
# commit SHA (its provenance names the builder by tag), so a pinned call fails the release.
TAG_REQUIRED = ("slsa-framework/slsa-github-generator/",)
# `v4`, `1.2.3`, and a pre-release's tag (`v4.0.0rc1`, `v2.0.0-beta.1`: Instagram/LibCST 5ba3cf561a's cibuildwheel)
# A release line named `release/v1` or `releases/v2` (the ref `re-actors/alls-green` and
# `pypa/gh-action-pypi-publish` document) moves with each release like a major tag, and is read as one.
_RELEASE_TAG = re.compile(r"(?:releases?/)?v?\d+(?:\.\d+)*(?:[-.]?(?:rc|a|b|alpha|beta|pre|preview)(?:[-.]?\d+)?)?\Z")
_FULL_SHA = re.compile(r"[0-9a-f]{40}\Z")
_SHA_PIN = re.compile(r"^\s*(?:-\s*)?uses:\s*['\"]?[\w.-]+/[^@\s'\"]+@[0-9a-f]{40}\b", re.MULTILINE)


def pins_by_sha(text: str) -> bool:
    """Whether the workflow pins any action to a full commit SHA: the project's convention is to pin."""
    return bool(_SHA_PIN.search(text))


def by_owner(hit: Hit, project_pins: bool = False) -> Hit:
    """`unpinned-uses` on one of GitHub's own actions at a release tag is `unpinned-first-party`, listed.
    A third-party action at a release tag, in a workflow that pins no action by SHA, is `unpinned-tag`,
    listed: the project refers to actions by tag, and pinning is a decision for all its workflows, not
    one line of a change; a release line (`@release/v1`) counts as a tag. A branch (`@main`), which moves
    with every push, or a tag in a
    workflow that pins the others, keeps its comment."""
    call = hit.facts.get("call", "")
    name, _, ref = call.partition("@")
    if hit.rule != "unpinned-uses" or not _RELEASE_TAG.match(ref):
        return hit
    if name.lower().startswith(FIRST_PARTY):
        return replace(hit, rule="unpinned-first-party")
    if name.lower().startswith(TAG_REQUIRED):
        return replace(hit, rule="unpinned-tag-required")
    return hit if project_pins else replace(hit, rule="unpinned-tag")


def own_action(hit: Hit, owner: str) -> Hit:
    """`unpinned-uses` on an action or reusable workflow of the repository's own owner (hashicorp/go-uuid's
    `hashicorp/setup-golang@v1`, sdkman-cli's `sdkman/.github/...@main`) is `unpinned-own-action`, listed:
    whoever can move that ref works for the same owner as this repository, and an organisation that pins
    third-party actions often keeps its own on a tag on purpose."""
    action = hit.facts.get("call", "").partition("@")[0].lower()
    if hit.rule != "unpinned-uses" or not owner or action.partition("/")[0] != owner:
        return hit
    return replace(hit, rule="unpinned-own-action")


def in_context(hit: Hit, shape: Workflow | None) -> Hit:
    """The hit as its job shows it: a leak path or write scope for `artipacked`, a requested cache for
    `cache-poisoning`; without them the listed rule (see the module's docstring)."""
    judge = IN_CONTEXT.get(hit.rule)
    return judge(hit, shape) if judge is not None and shape is not None else hit


def _artipacked(hit: Hit, shape: Workflow) -> Hit:
    job = shape.job_at(hit.line)
    if job is None:
        return hit
    facts = {k: v for k, v in hit.facts.items() if k == "value"}
    uploader = next((s for s in job.steps if s.first > hit.line and uploads_git_dir(s)), None)
    if uploader is not None:
        return replace(hit, facts={**facts, "call": uploader.uses})
    if job.writes:
        return replace(hit, facts={**facts, "name": job.writes[0]})
    return replace(hit, rule="persisted-checkout-token")


_WORKSPACE = frozenset({".", "./", "*", "**", "${{ github.workspace }}", "${{github.workspace}}"})
_VERSION = re.compile(r"v(\d+)(?:\.(\d+))?(?:\.\d+)*\Z")


def uploads_git_dir(step: Step) -> bool:
    """Whether the step uploads an artifact that holds `.git/config`: the workspace root (or `.git`) with
    hidden files, which upload-artifact includes before v4.4 and from then on only when asked."""
    if step.action != "actions/upload-artifact":
        return False
    paths = [p.strip().rstrip("/") or "." for p in step.inputs.get("path", "").splitlines() if p.strip()]
    covers = any(p in _WORKSPACE or p.rstrip("/") in _WORKSPACE or ".git" in p.split("/") for p in paths)
    asked = step.inputs.get("include-hidden-files", "").strip().lower() == "true"
    return covers and (asked or _hidden_by_default(step.ref))


def _hidden_by_default(ref: str) -> bool:
    """Whether upload-artifact at `ref` includes hidden files unasked: before v4.4 (`v4` is the newest v4.x);
    for a commit SHA or a branch the version is unknown, so it may."""
    version = _VERSION.match(ref)
    if version is None:
        return True
    major, minor = int(version[1]), version[2]
    return major < 4 or (major == 4 and minor is not None and int(minor) < 4)


# Actions that restore a cache only when a `with:` input asks for one.
CACHE_INPUTS = {"actions/setup-node": "cache", "actions/setup-python": "cache", "actions/setup-java": "cache",
                "actions/setup-dotnet": "cache", "ruby/setup-ruby": "bundler-cache"}  # fmt: skip


# A step that publishes what the workflow built: a package registry, a release, an image, a site.
_PUBLISHING = re.compile(
    r"\b(?:npm|yarn|pnpm|poetry|hatch|flit|uv|cargo|vsce|ovsx)\s+(?:-\S+\s+)*publish\b|\btwine\s+upload\b"
    r"|\bgem\s+push\b|\bdocker\s+(?:image\s+)?push\b|\bdocker\s+buildx\s+build\b[^\n]*--push\b"
    r"|\bgh\s+release\s+(?:create|upload)\b|\bmvn\b[^\n]*\bdeploy\b|\bgradlew?\b[^\n]*\bpublish"
    r"|\bsemantic-release\b|\bgoreleaser\b|\bchangeset\s+publish\b"
    r"|uses:\s*['\"]?(?:pypa/gh-action-pypi-publish|softprops/action-gh-release|actions/create-release"
    r"|actions/upload-release-asset|ncipollo/release-action|docker/build-push-action|goreleaser/goreleaser-action"
    r"|JS-DevTools/npm-publish|changesets/action|peaceiris/actions-gh-pages|actions/deploy-pages"
    r"|svenstaro/upload-release-action|cycjimmy/semantic-release-action)@", re.IGNORECASE)


def publishes(text: str) -> bool:
    """Whether a step of the workflow publishes (a registry upload, a release, an image push, a site
    deploy). zizmor calls a workflow a release build by its trigger (a tag push, a release event); a
    test workflow that also runs on tags builds nothing anyone installs, so a cache there poisons
    nothing published (pyramid's and cookiecutter's CI)."""
    return bool(_PUBLISHING.search(text))


# Actions that cache unasked from a major version on: before it, the cache is off unless the input asks.
CACHE_ON_BY_DEFAULT_FROM = {"actions/setup-go": ("cache", 4)}  # setup-go v4 turned `cache` on; v1 and v2 have none


def _cache_poisoning(hit: Hit, shape: Workflow) -> Hit:
    step = shape.step_at(hit.line)
    if step is not None and step.action in CACHE_ON_BY_DEFAULT_FROM:
        return _cache_before_default(hit, step)
    if step is None or step.action not in CACHE_INPUTS:
        return hit
    asked = step.inputs.get(CACHE_INPUTS[step.action], "").strip().lower() not in ("", "false")
    return replace(hit, facts={**hit.facts, "call": step.uses}, rule=hit.rule if asked else "cache-not-requested")


def _cache_before_default(hit: Hit, step: Step) -> Hit:
    """goreman's `actions/setup-go@v1` in a release job: setup-go caches unasked only from v4, so at v1 to
    v3 nothing is restored unless `cache:` asks for it; a branch or SHA says nothing of the version."""
    name, since = CACHE_ON_BY_DEFAULT_FROM[step.action]
    version = _VERSION.match(step.ref)
    if version is None or int(version.group(1)) >= since:
        return hit
    asked = step.inputs.get(name, "").strip().lower() not in ("", "false")
    return replace(hit, facts={**hit.facts, "call": step.uses}, rule=hit.rule if asked else "cache-not-requested")


def _unpinned(hit: Hit, shape: Workflow) -> Hit:
    """A branch-referenced action in a job whose token is declared read-only and that hands the step no
    secret is `unpinned-read-only`, listed: whoever moves the branch gets a runner with nothing to take.
    One of GitHub's own by branch, handed no secret but the job's own token, is `unpinned-first-party-branch`,
    listed: only GitHub can move the branch, and GitHub runs the job and issues that token anyway; what the
    branch risks is unreleased code, not a stranger's (goreman's `actions/create-release@master` with
    `GITHUB_TOKEN`)."""
    ref = hit.facts.get("call", "").partition("@")[2]
    if _RELEASE_TAG.match(ref) or _FULL_SHA.match(ref):
        return hit  # tags: `by_owner`; a commit cannot move
    job, step = shape.job_at(hit.line), shape.step_at(hit.line)
    if job is None or step is None or job.secret_env or step.other_secrets:
        return hit
    if step.action.startswith(FIRST_PARTY):  # feross/buffer's `actions/checkout@main`: only GitHub moves it
        return replace(hit, rule="unpinned-first-party-branch")
    return replace(hit, rule="unpinned-read-only") if job.read_only and not step.secrets else hit


# A checkout `ref:` that names the pull request's own code rather than the base branch's.
_PR_CODE = re.compile(r"pull_request\.head\.|refs/pull/|github\.head_ref|merge_commit_sha|workflow_run\.head_")


def _dangerous_trigger(hit: Hit, shape: Workflow) -> Hit:
    """`pull_request_target` (or `workflow_run`) is a problem where a job checks out the pull request's
    code and holds something to take: a secret handed to a step or in its env, or a token that may write
    (declared, or not narrowed at all). That is `untrusted-checkout` (dbcli/pgcli's Codex review ran an
    agent over `refs/pull/N/merge` with the OpenAI key); every judged use without such a checkout (labelling,
    auto-merge, coverage comments) was noise, and keeps the listed rule."""
    for job in shape.jobs:
        checkout = next((s for s in job.steps if s.action == "actions/checkout"
                         and _PR_CODE.search(s.inputs.get("ref", ""))), None)  # fmt: skip
        exposed = job.secret_env or bool(job.writes) or not job.read_only or any(s.secrets for s in job.steps)
        if checkout is not None and exposed:
            return replace(hit, rule="untrusted-checkout", facts={**hit.facts, "value": shorten(checkout.inputs["ref"])})
    return hit


IN_CONTEXT = {"artipacked": _artipacked, "cache-poisoning": _cache_poisoning, "unpinned-uses": _unpinned,
              "dangerous-triggers": _dangerous_trigger}


# A workflow without a `permissions:` block is one decision, however many jobs inherit the default
# token: zizmor reports the workflow and each job; the review keeps one finding per file, the widest,
# identified by the rule alone, so a workflow that never narrowed its token is not "new" again
# because a job was added or edited.
PER_WORKFLOW = frozenset({"excessive-permissions"})


def one_per_workflow(hits: Sequence[Hit], rules: frozenset[str]) -> list[Hit]:
    """`hits` with each of `rules` kept once per file: its widest hit, matched with the pre-image by rule."""
    widest: dict[tuple[str, str], Hit] = {}
    for hit in hits:
        if hit.rule in rules:
            key, span = (hit.path, hit.rule), (hit.end_line or hit.line) - hit.line
            kept = widest.get(key)
            if kept is None or span > (kept.end_line or kept.line) - kept.line:
                widest[key] = hit
    once = [replace(hit, match_text=f"per-workflow:{hit.rule}") for hit in widest.values()]
    return [hit for hit in hits if hit.rule not in rules] + once


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
        rule, facts = str(finding["ident"]), _workflow_facts(source)
        if rule == "template-injection":
            rule, facts = _injection(source, concrete, facts)
        hits.append(Hit(
            path=str(path), line=line, end_line=end if end > line else None, rule=rule,
            message=str(finding["desc"]), url=str(finding.get("url") or "") or None,
            facts=facts, match_text=action_identity(source) or " ".join(source.split()),
        ))
    return hits


def _injection(source: str, concrete: Mapping[str, Mapping[str, int]], facts: dict[str, str]) -> tuple[str, dict[str, str]]:
    """template-injection when an outsider writes the expression, else template-expansion."""
    start, stop = concrete["start_point"], concrete["end_point"]
    span = source[start["column"] : stop["column"]].strip() if start["row"] == stop["row"] else ""
    expression = span.removeprefix("${{").removesuffix("}}").strip() if span else facts.get("name", "")
    if expression:
        facts = {**facts, "name": expression}
    return ("template-injection" if outsider_written(expression) else "template-expansion"), facts


def outsider_written(expression: str) -> bool:
    """Whether a workflow expression may hold text an outsider writes (`github.event.pull_request.title`).

    Every context path in the expression is checked (`inputs.x || github.head_ref` is outsider text);
    an expression with no path, or a path of an unknown kind, counts as outsider-written: the error stays.
    """
    paths = [m.group(1) for m in _PATH.finditer(re.sub(r"'[^']*'", "", expression)) if not m.group(2)]
    return not paths or any(_outsider_path(path) for path in paths)


def _outsider_path(path: str) -> bool:
    if path.startswith("github.head_ref") or path in ("github.event", "github"):
        return True
    if path.startswith(("github.event.", "github.event[")):
        if ".base." in path:  # the base repository's own: its branch (`pull_request.base.ref`), its name
            return False  # pytest-dev/pytest-rerunfailures 81141e0905: only maintainers create its branches
        return path.rsplit(".", 1)[-1] in _OUTSIDER_FIELDS
    whole_own_context = path in {context.rstrip(".") for context in _OWN_CONTEXTS} - {"github"}  # toJSON(inputs)
    return not (path.startswith(_OWN_CONTEXTS) or whole_own_context) and path not in ("true", "false", "null")


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
        hits = (_actionlint_hit(item, texts) for item in json.loads(stdout or "[]"))
        return [hit for hit in hits if not placeholder_artifact(hit, texts)]


# shellcheck on a `run:` script sees each `${{ ... }}` as the placeholder actionlint puts there
# (`"____"`), so a test of it reads as constant: "This expression is constant", "can never be equal".
_CONSTANT_TEST = re.compile(r"\bSC(?:2050|2193|2194|2157|2158)\b")


def placeholder_artifact(hit: Hit, texts: Mapping[str, str]) -> bool:
    """A shellcheck finding about a constant test on a line whose operand is a `${{ }}` expression, which
    GitHub fills in before the shell runs (jshttp/accepts 2b434da822: `[[ "${{ matrix.node-version }}" ==
    0.6* ]]`)."""
    return (hit.rule.startswith("shellcheck") and _CONSTANT_TEST.search(hit.message) is not None
            and "${{" in line_of(texts.get(hit.path, ""), hit.line))  # fmt: skip


def _actionlint_hit(item: Mapping[str, object], texts: Mapping[str, str]) -> Hit:
    path, line = str(item["filepath"]), int(item["line"])  # type: ignore[call-overload]
    message = str(item["message"])
    source = line_of(texts.get(path, ""), line)
    facts = _workflow_facts(source)
    rule = trigger_rule(message) if item["kind"] == "events" else str(item["kind"])
    identity = action_identity(source)
    unused = _UNUSED_DEFAULT.search(message) if rule == "trigger-config" else None
    if unused:  # about the input's declaration: the same input, whatever its default now says
        facts.update(name=unused["name"], value=shorten(unused["value"]))
        identity = f"required input with a default:{unused['name']}"
    if rule == "syntax-check" and (empty := _EMPTY_FILTER.match(source)) and "should not be empty" in message:
        facts["name"], rule = empty["key"], "empty-filter"
    if rule == "deprecated-commands" and _DISABLED_COMMAND.search(message):
        rule = "disabled-commands"
    if rule == "action" and (named := _UNKNOWN_INPUT.search(message)):
        facts["name"], rule = named.group(1), "action-input"
    if rule == "expression" and (undefined := with_fallback(message, source)):
        facts["name"], rule = undefined, "expression-fallback"
    elif rule == "expression" and (unread := unread_output(texts.get(path, ""), line)):
        facts["name"], rule = unread, "unread-output"
    elif rule == "expression" and (cast := _CAST_TO_STRING.search(message)):
        facts.update(name=cast["function"], value=cast["type"])
        rule = "expression-cast"
    if rule == "shellcheck" and _UNQUOTED.search(message):
        rule = "shellcheck-quoting"
    elif rule == "shellcheck" and _STYLE.search(message):
        rule = "shellcheck-style"
    untrusted = _UNTRUSTED.search(message)
    if untrusted:  # zizmor's template-injection reports these, with more context
        facts["name"], rule = untrusted.group(1), "untrusted-expression"
    return Hit(path=path, line=line, rule=rule, message=message,
               url="https://github.com/rhysd/actionlint/blob/main/docs/checks.md", facts=facts,
               match_text=identity)


_UNDEFINED_PROPERTY = re.compile(r'property "([\w-]+)" is not defined in object type')
# A null, boolean or number where a function takes a string: GitHub casts it ('', 'true', '3') before the
# call, as its expressions reference documents; actionlint's types are stricter than the runner
# (aiosignal's `fromJSON(matrix.xfail)` on a boolean matrix value; actionlint issue 181).
_CAST_TO_STRING = re.compile(r'argument of function call is not assignable\. "(?P<type>bool|number|null)" cannot be '
                             r'assigned to "string"\. called function type is "(?P<function>\w+)\(')


def with_fallback(message: str, source: str) -> str | None:
    """`matrix.os` in `${{ matrix.os || 'ubuntu-latest' }}` when no matrix entry sets `os`: the property
    is null and the default after `||` applies, as GitHub documents (pallets' template keeps the hook
    for an `os` entry). The property's path, or None when the message or the line is another kind."""
    undefined = _UNDEFINED_PROPERTY.search(message)
    if undefined is None:
        return None
    used = re.search(rf"((?:[\w-]+\.)+{re.escape(undefined.group(1))})\s*\|\|", source)
    return used.group(1) if used else None


_OUTPUT_ENTRY = re.compile(r"^(\s+)([\w-]+)\s*:\s*\S")
_KEY = re.compile(r"^(\s*)([\w-]+)\s*:")


def unread_output(text: str, number: int) -> str | None:
    """The name of the job output that line `number` declares (`version: ${{ steps.version.outputs.version }}`
    under a job's `outputs:`) when nothing in the workflow reads it (`outputs.version`): a broken expression
    there changes nothing anyone sees (aiozipkin 5712878b21). One another job reads keeps its finding
    (markupsafe's `hash`, which its provenance job needs)."""
    lines = text.splitlines()
    entry = _OUTPUT_ENTRY.match(lines[number - 1]) if 0 < number <= len(lines) else None
    if entry is None:
        return None
    indent, name = len(entry.group(1)), entry.group(2)
    parent = next((m for m in (_KEY.match(line) for line in reversed(lines[: number - 1]))
                   if m and len(m.group(1)) < indent), None)  # fmt: skip
    if parent is None or parent.group(2) != "outputs":
        return None
    read = re.compile(rf"\boutputs\.{re.escape(name)}\b|\boutputs\[['\"]{re.escape(name)}['\"]\]")
    others = (line for index, line in enumerate(lines, start=1) if index != number)
    return None if any(read.search(line) for line in others) else name


def trigger_rule(message: str) -> str:
    """actionlint's `events` kind covers certain mistakes (an event or activity type GitHub does not know,
    a cron line that cannot parse) and advice (a required input's default that is never used): only the
    first are `events`, an error; the rest are `trigger-config`."""
    return "events" if _BROKEN_TRIGGER.search(message) else "trigger-config"


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
