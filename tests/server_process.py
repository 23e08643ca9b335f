"""A real server or worker process with recording routes, for tests that kill or scale processes.

    python tests/server_process.py serve PORT      # uvicorn on 127.0.0.1:PORT, queues pull_request
    python tests/server_process.py worker FILE     # runs jobs, appending each delivery id to FILE
    python tests/server_process.py cli FILE ARGS   # `reviewbot serve ARGS` itself, recording to FILE
    python tests/server_process.py real ARGS       # `reviewbot serve|worker ARGS` with the App's own routes

Settings come from the environment, exactly as for `reviewbot serve` / `reviewbot worker`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from reviewbot.jobs import Job
from reviewbot.server.wiring import Routes, build_app, open_services, prepare_worker
from reviewbot.settings import AppSettings


def is_handled(event: str, payload: dict[str, Any]) -> bool:
    return event == "pull_request"


def recording_routes(record: Path) -> Routes:
    def handle(job: Job, deps: Any) -> None:
        with record.open("a") as out:
            out.write(job.delivery_id + "\n")

    return Routes(is_handled, handle, lambda job, error, deps: None)


def serve(port: int) -> None:
    import uvicorn

    services = open_services(AppSettings.from_env(os.environ))
    app = build_app(services, Routes(is_handled, lambda job, deps: None, lambda job, error, deps: None))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def work(record: Path) -> None:
    from reviewbot.server.wiring import lease_keeper
    from reviewbot.server.worker import run_consumer

    services = open_services(AppSettings.from_env(os.environ, require_webhook_secret=False))
    runner = prepare_worker(services, recording_routes(record), deps="deps")
    run_consumer(services.queue, 2, lease_keeper(services, runner))


def cli(record: Path, argv: list[str]) -> int:
    """The real `serve` command, with recording routes in place of the GitHub ones."""
    from reviewbot.server import wiring

    wiring.github_routes = lambda: recording_routes(record)
    wiring.build_deps = lambda services: "deps"
    return real(argv)


def real(argv: list[str]) -> int:
    """`reviewbot serve|worker` exactly as the command line runs them."""
    import argparse

    from reviewbot.server import cli as server_cli

    parser = argparse.ArgumentParser(prog="reviewbot")
    server_cli.add_server_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return (server_cli.serve_main if args.command == "serve" else server_cli.worker_main)(args)


if __name__ == "__main__":
    mode, argument = sys.argv[1], sys.argv[2]
    if mode == "cli":
        sys.exit(cli(Path(argument), sys.argv[3:]))
    if mode == "real":
        sys.exit(real(sys.argv[2:]))
    serve(int(argument)) if mode == "serve" else work(Path(argument))
