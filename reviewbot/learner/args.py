"""The `reviewbot learner` arguments: argparse only, so `reviewbot --help` stays fast."""

from __future__ import annotations

import argparse
from typing import Any

FORMATS = ("text", "json")


def add_learner_parser(commands: argparse._SubParsersAction[Any]) -> None:
    """Add `learner LOGIN [--format text|json] [--host HOST] [--database URL]` to the CLI."""
    learner = commands.add_parser(
        "learner",
        help="show what a person has understood, is learning and has never met",
        description="Print LOGIN's learner map (understood, in progress, never met), grouped by bedrock.",
    )
    learner.add_argument("login", metavar="LOGIN", help="the person's login (GitHub login, or local user name)")
    learner.add_argument("-f", "--format", choices=FORMATS, default="text", help="output format (default: text)")
    learner.add_argument("--host", metavar="HOST", help="github.com, a GitHub Enterprise host, or 'local' "
                         "(default: 'local' for the local profile, else GITHUB_API_URL's host)")
    learner.add_argument("--html", metavar="FILE", help="write the map as one self-contained HTML page to FILE "
                         "(private: share it with that person only)")
    learner.add_argument("--database", metavar="URL", help="the App's database (default: REVIEWBOT_DATABASE_URL, "
                         "else the local profile in the user data directory)")
