"""The shape of a GitHub Actions workflow: its jobs, their steps and their token's write scopes, by line.

zizmor reports a line; whether its finding matters often depends on the rest of
the job (does a later step upload the workspace, does the job's token write,
does a setup action really restore a cache). This reads the same file with
PyYAML's composer, which builds nodes with their line numbers and never
constructs Python objects from tags, so a hostile workflow cannot run code or
expand aliases here. A file that does not parse has no shape: the caller keeps
zizmor's finding as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml


@dataclass(frozen=True)
class Step:
    first: int  # 1-based lines of the step's mapping
    last: int
    uses: str = ""  # "actions/checkout@v4"; "" for a `run:` step
    inputs: Mapping[str, str] = field(default_factory=dict)  # its `with:` scalars, as written
    secrets: bool = False  # its `with:` or `env:` hands it a secret or the job's token
    other_secrets: bool = False  # ... a secret other than the job's own token (`secrets.GITHUB_TOKEN`)

    @property
    def action(self) -> str:
        """ "actions/checkout" for `actions/checkout@v4` (lower case: GitHub's names are case-insensitive)."""
        return self.uses.split("@", 1)[0].lower()

    @property
    def ref(self) -> str:
        return self.uses.split("@", 1)[1] if "@" in self.uses else ""


@dataclass(frozen=True)
class Job:
    first: int
    last: int
    steps: tuple[Step, ...] = ()
    writes: tuple[str, ...] = ()  # the token's write scopes: ("contents: write",), ("write-all",); () unknown or none
    read_only: bool = False  # a `permissions:` block (the job's or the workflow's) grants no write scope
    secret_env: bool = False  # the job's or the workflow's `env:` holds a secret, which every step sees


@dataclass(frozen=True)
class Workflow:
    jobs: tuple[Job, ...] = ()

    def job_at(self, line: int) -> Job | None:
        return next((job for job in self.jobs if job.first <= line <= job.last), None)

    def step_at(self, line: int) -> Step | None:
        job = self.job_at(line)
        return next((s for s in job.steps if s.first <= line <= s.last), None) if job else None


def shape_of(text: str) -> Workflow:
    """The jobs of a workflow file; an empty shape when the text is not a workflow PyYAML can read."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):  # not YAML, or nested deeper than the composer goes
        return Workflow()
    if not isinstance(root, yaml.MappingNode):
        return Workflow()
    top = _entries(root)
    jobs = top.get("jobs")
    if not isinstance(jobs, yaml.MappingNode):
        return Workflow()
    default = top.get("permissions")
    secret_env = _hands_secret(top.get("env"))
    return Workflow(tuple(_job(key, node, default, secret_env) for key, node in jobs.value
                          if isinstance(node, yaml.MappingNode)))  # fmt: skip


def _job(key: yaml.Node, node: yaml.MappingNode, default: yaml.Node | None, secret_env: bool) -> Job:
    entries = _entries(node)
    steps = entries.get("steps")
    found = tuple(_step(s) for s in steps.value if isinstance(s, yaml.MappingNode)) if isinstance(
        steps, yaml.SequenceNode) else ()  # fmt: skip
    called = entries.get("uses")
    if isinstance(called, yaml.ScalarNode):  # `uses: org/repo/.github/workflows/x.yml@ref`: the job is one call
        found = (_called_workflow(node, entries),)
    permissions = entries.get("permissions", default)
    writes = _writes(permissions)
    return Job(key.start_mark.line + 1, _last_line(node), found, writes,
               read_only=permissions is not None and not writes and not _unparsed(permissions),
               secret_env=secret_env or _hands_secret(entries.get("env")))  # fmt: skip


def _step(node: yaml.MappingNode) -> Step:
    entries = _entries(node)
    uses = entries.get("uses")
    given = entries.get("with")
    return Step(node.start_mark.line + 1, _last_line(node),
                str(uses.value).strip() if isinstance(uses, yaml.ScalarNode) else "",
                _inputs(given), _hands_secret(given) or _hands_secret(entries.get("env")),
                _hands_secret(given, own_token=False) or _hands_secret(entries.get("env"), own_token=False))  # fmt: skip


def _called_workflow(node: yaml.MappingNode, entries: Mapping[str, yaml.Node]) -> Step:
    """A job that calls a reusable workflow, read as its one step: its `with:` are the inputs, and any
    `secrets:` (a map, or `inherit`) hands it secrets. The called workflow's token can have no more
    scopes than the caller's job grants."""
    given = entries.get("with")
    handed = "secrets" in entries or _hands_secret(given)
    return Step(node.start_mark.line + 1, _last_line(node), str(entries["uses"].value).strip(), _inputs(given),
                handed, handed)


def _inputs(given: yaml.Node | None) -> dict[str, str]:
    """A step's `with:` scalars, as written."""
    if not isinstance(given, yaml.MappingNode):
        return {}
    return {k: str(v.value) for k, v in _entries(given).items() if isinstance(v, yaml.ScalarNode)}


_SECRET = re.compile(r"\$\{\{[^}]*\b(?:secrets\.|secrets\[|github\.token\b)")


_OWN_TOKEN = re.compile(r"\$\{\{\s*(?:secrets\.GITHUB_TOKEN|github\.token)\s*\}\}")


def _hands_secret(node: yaml.Node | None, own_token: bool = True) -> bool:
    """Whether a `with:` or `env:` value holds a secret or the job's token (`${{ secrets.X }}`, `${{ github.token }}`);
    an expression over the whole map (`env: ${{ fromJSON(...) }}`) may, too. With `own_token=False`, a value
    that is only the job's own token (`${{ secrets.GITHUB_TOKEN }}`) does not count."""
    if node is None:
        return False
    if isinstance(node, yaml.ScalarNode):
        return "${{" in str(node.value)
    if isinstance(node, yaml.MappingNode):
        return any(isinstance(v, yaml.ScalarNode) and _SECRET.search(str(v.value))
                   and (own_token or not _OWN_TOKEN.fullmatch(str(v.value).strip())) for _, v in node.value) or any(
            not isinstance(v, yaml.ScalarNode) for _, v in node.value)  # fmt: skip
    return True


def _unparsed(node: yaml.Node) -> bool:
    """A `permissions:` value whose grant this reader does not know (an expression, a list): not read-only."""
    if isinstance(node, yaml.ScalarNode):
        return str(node.value).strip() not in ("read-all", "write-all")
    return not isinstance(node, yaml.MappingNode)


# `id-token: write` lets a step ask for an OIDC token; the GITHUB_TOKEN itself writes nothing more.
NOT_TOKEN_SCOPES = frozenset({"id-token"})


def _writes(node: yaml.Node | None) -> tuple[str, ...]:
    """The write scopes a `permissions:` value grants; none for an absent block (the default is unknown)."""
    if isinstance(node, yaml.ScalarNode):
        return ("write-all",) if str(node.value).strip() == "write-all" else ()
    if isinstance(node, yaml.MappingNode):
        return tuple(f"{scope}: write" for scope, level in _entries(node).items()
                     if scope not in NOT_TOKEN_SCOPES and isinstance(level, yaml.ScalarNode)
                     and str(level.value).strip() == "write")  # fmt: skip
    return ()


def _entries(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _last_line(node: yaml.Node) -> int:
    """The last line holding the node's text: that of its last value (a block's own end mark sits where
    the next item starts); a scalar that ends at column 0 ended on the line before."""
    if isinstance(node, yaml.MappingNode) and node.value:
        return _last_line(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value:
        return _last_line(node.value[-1])
    end = node.end_mark
    return end.line + 1 if end.column > 0 or end.line == node.start_mark.line else end.line
