"""The repository's reviewbot settings, read from its default branch only.

A pull request's head is written by whoever opened it, so its configuration
could switch checks off or raise the App's budget; the default branch is
what the maintainers accepted. `.reviewbot.toml` wins over the
`[tool.reviewbot]` table of `pyproject.toml`, as in `reviewbot check`.

Keys are validated by `reviewbot.config_loader`. A repository may not choose
the model, its server, timeout or concurrency: those belong to whoever runs
the App (and its API key). Two keys concern only the App:

    request-changes = true   # post REQUEST_CHANGES when a finding is an error (default: COMMENT)
    review-drafts = true     # review draft pull requests too (default: the server's setting)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reviewbot.adapters.github.host import Host
from reviewbot.config import Config
from reviewbot.config_loader import (
    CONFIG_FILE,
    PYPROJECT,
    ROUTING_KEYS,
    ConfigFile,
    parse_table,
)
from reviewbot.errors import ConfigError


@dataclass(frozen=True)
class RepoConfig:
    """The review Config for one repository, and the App's own switches."""

    config: Config
    source: str | None = None  # the file it came from, None when the repository has none

    @property
    def request_changes(self) -> bool:
        return self.config.request_changes

    @property
    def review_drafts(self) -> bool | None:
        """None: the server's REVIEWBOT_REVIEW_DRAFTS decides."""
        return self.config.review_drafts


def settings_table(text: str, name: str) -> dict[str, Any] | None:
    """The reviewbot table of a config file's text; None when a pyproject.toml has none."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{name}: invalid TOML: {err}") from None
    if Path(name).name != PYPROJECT:
        return data
    table = data.get("tool", {}).get("reviewbot") if isinstance(data.get("tool"), dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{name}: [tool.reviewbot] must be a table")
    return table


def parse_repo_config(text: str, name: str, base: Config) -> RepoConfig:
    """`base` (the operator's settings) with the repository's file layered over it."""
    table = settings_table(text, name)
    if table is None:
        return RepoConfig(base)
    for key in ROUTING_KEYS:
        if key in table:
            raise ConfigError(f"{name}: key '{key}' is set by whoever runs the App, not by the repository")
    return RepoConfig(replace(base, **_validated(table, name)), source=name)


def _validated(table: dict[str, Any], name: str) -> dict[str, Any]:
    return parse_table(ConfigFile(Path(name), table))


def read_repo_config(host: Host, repo: str, base: Config, names: tuple[str, ...] | None = None) -> RepoConfig:
    """Read and parse the repository's settings from its default branch (the first of `names` found),
    with its Python target and ruff per-file-ignores from the same branch."""
    found = RepoConfig(base)
    for name in names or (CONFIG_FILE, PYPROJECT):
        text = host.default_branch_file(repo, name)
        if text is None:
            continue
        parsed = parse_repo_config(text, name, base)
        if parsed.source is not None:
            found = parsed
            break
    return replace(found, config=replace(with_python_policy(host, repo, found.config), repository=repo))


def with_python_policy(host: Host, repo: str, config: Config) -> Config:
    """`config` with the default branch's Python target and ruff per-file-ignores (reviewbot.ruffpolicy)."""
    from reviewbot.ruffpolicy import FILES, ruff_policy

    python = ruff_policy({name: host.default_branch_file(repo, name) for name in FILES})
    return replace(config, ruff=python)
