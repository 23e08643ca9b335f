"""`reviewbot learner LOGIN [--format text|json] [--host HOST] [--database URL]`.

Prints a person's map: understood, in progress, never met, grouped by bedrock.
Where the profile is read from: --database, else REVIEWBOT_DATABASE_URL (the
App's database, never migrated by this read-only command), else the local
profile file (see `reviewbot.learner.local`), which is not created by reading.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from reviewbot.accounts import DEFAULT_API_URL
from reviewbot.errors import ConfigError
from reviewbot.learner.local import LOCAL_HOST, host_key, local_profile_path
from reviewbot.learner.profile import LearnerMap, build_map
from reviewbot.learner.render import render_json, render_text

if TYPE_CHECKING:
    from reviewbot.principles.graph import PrincipleGraph


def run_learner(args: argparse.Namespace, env: Mapping[str, str], out: TextIO | None = None, graph: PrincipleGraph | None = None) -> int:
    if graph is None:
        from reviewbot.principles import load_graph

        graph = load_graph()
    learner = read_map(graph, args.login, args.host, args.database, env)
    if getattr(args, "html", None):
        return _write_html(graph, learner, args.html)
    text = render_json(learner) if args.format == "json" else render_text(learner)
    (out or sys.stdout).write(text)
    return 0


def _write_html(graph: PrincipleGraph, learner: LearnerMap, target: str) -> int:
    from pathlib import Path

    from reviewbot.errors import UsageError
    from reviewbot.explorer.site import write_file
    from reviewbot.learner.render import render_html

    path = Path(target)
    if path.is_dir():
        raise UsageError(f"--html {target}: is a directory; give a file name such as {learner.login}.html")
    try:
        write_file(path, render_html(graph, learner), mode=0o600)  # one person's learning: theirs alone
    except OSError as err:
        raise UsageError(f"--html {target}: cannot write: {err.strerror or err}") from None
    print(f"reviewbot: wrote {learner.login}'s learner map to {path}", file=sys.stderr)
    return 0


def read_map(graph: PrincipleGraph, login: str, host: str | None, database: str | None, env: Mapping[str, str]) -> LearnerMap:
    url = database or env.get("REVIEWBOT_DATABASE_URL", "").strip() or None
    if url is None:
        return _local_map(graph, login, host or LOCAL_HOST, env)
    who = host or host_key(env.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL)
    return _database_map(graph, login, who, url)


def _local_map(graph: PrincipleGraph, login: str, host: str, env: Mapping[str, str]) -> LearnerMap:
    from reviewbot.learner.local import open_learner_store

    path = local_profile_path(env)
    if not path.exists():
        return build_map(graph, host, login, ())
    return open_learner_store(f"sqlite:///{path}").learner_map(graph, host, login)


def _database_map(graph: PrincipleGraph, login: str, host: str, url: str) -> LearnerMap:
    from sqlalchemy.exc import SQLAlchemyError

    from reviewbot.learner.local import open_learner_store

    try:
        return open_learner_store(url, migrate=False).learner_map(graph, host, login)
    except SQLAlchemyError as exc:
        detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:200]
        raise ConfigError(
            f"cannot read the learner profile from the database ({detail}): check --database / "
            "REVIEWBOT_DATABASE_URL, and start `reviewbot serve` or `reviewbot worker` once to migrate it"
        ) from None
