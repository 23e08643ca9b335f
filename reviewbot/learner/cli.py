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
from typing import TextIO

from reviewbot.accounts import DEFAULT_API_URL
from reviewbot.errors import ConfigError
from reviewbot.learner.local import LOCAL_HOST, host_key, local_profile_path
from reviewbot.learner.profile import LearnerMap, build_map
from reviewbot.learner.render import render_json, render_text


def run_learner(args: argparse.Namespace, env: Mapping[str, str], out: TextIO | None = None, graph=None) -> int:
    if graph is None:
        from reviewbot.principles import load_graph

        graph = load_graph()
    learner = read_map(graph, args.login, args.host, args.database, env)
    text = render_json(learner) if args.format == "json" else render_text(learner)
    (out or sys.stdout).write(text)
    return 0


def read_map(graph, login: str, host: str | None, database: str | None, env: Mapping[str, str]) -> LearnerMap:
    url = database or env.get("REVIEWBOT_DATABASE_URL", "").strip() or None
    if url is None:
        return _local_map(graph, login, host or LOCAL_HOST, env)
    who = host or host_key(env.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL)
    return _database_map(graph, login, who, url)


def _local_map(graph, login: str, host: str, env: Mapping[str, str]) -> LearnerMap:
    from reviewbot.learner.local import open_learner_store

    path = local_profile_path(env)
    if not path.exists():
        return build_map(graph, host, login, ())
    return open_learner_store(f"sqlite:///{path}").learner_map(graph, host, login)


def _database_map(graph, login: str, host: str, url: str) -> LearnerMap:
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
