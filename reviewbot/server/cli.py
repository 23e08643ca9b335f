"""`reviewbot serve` and `reviewbot worker`: argument definitions and entry functions.

Only argparse is imported here at module level, so `reviewbot --help` stays
fast; the web stack, the queue and the database drivers load when a command runs.
Entry functions follow the CLI's convention: handler(args, env) -> exit status.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from reviewbot.secretfiles import resolve_secret_files
from reviewbot.server.logs import configure_logging

if TYPE_CHECKING:
    from reviewbot.server.limits import HttpLimits
    from reviewbot.settings import AppSettings


def add_server_commands(subparsers: argparse._SubParsersAction) -> None:
    _add_serve(subparsers)
    _add_worker(subparsers)


def _add_serve(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="run the GitHub App's webhook server",
        description="Receive GitHub webhook deliveries on POST /api/github/webhooks, queue them, and "
        "(with the embedded queue) review them in this process. Settings come from the environment.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--workers", type=_count(1, 64), default=1, help="web server processes (default: 1)")
    serve.add_argument(
        "--jobs", type=_count(0, 64), default=None,
        help="job threads per web process (default: 2 with the embedded queue, 0 with REVIEWBOT_REDIS_URL)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every HTTP request")
    serve.add_argument("--header-timeout", type=_seconds, default=10.0,
                       help="seconds a connection has to send a request's headers (default: 10)")
    serve.add_argument("--body-timeout", type=_seconds, default=20.0,
                       help="seconds a request has to send its body, else 408 (default: 20)")
    serve.add_argument("--max-connections", type=_count(1, 100_000), default=512,
                       help="open connections per process; more are closed at once (default: 512)")


def _add_worker(subparsers: argparse._SubParsersAction) -> None:
    worker = subparsers.add_parser(
        "worker", help="run queued reviews (any number, on any machine, with REVIEWBOT_REDIS_URL)",
        description="Take jobs from the queue and review them; stops gracefully on SIGTERM.",
    )
    worker.add_argument("--threads", type=_count(1, 64), default=4, help="jobs run at once (default: 4)")
    worker.add_argument("--metrics-port", type=_port, default=None, help="serve Prometheus /metrics on this port")
    worker.add_argument("--metrics-host", default="127.0.0.1", help="address for --metrics-port (default: 127.0.0.1)")


def serve_main(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    environ = resolve_secret_files(os.environ if env is None else env)
    configure_logging()
    from reviewbot.settings import AppSettings

    settings = AppSettings.from_env(environ)
    jobs = args.jobs if args.jobs is not None else (0 if settings.redis_url else 2)
    limits = http_limits(args)
    if args.workers > 1:
        return _serve_processes(args, settings, jobs, limits)
    from reviewbot.server.heap import freeze_start_up_objects
    from reviewbot.server.wiring import build_app, github_routes, open_services

    app = build_app(open_services(settings), github_routes(), jobs=jobs, limits=limits)
    freeze_start_up_objects()
    _run_uvicorn(app, args, limits)
    return 0


def http_limits(args: argparse.Namespace) -> HttpLimits:
    """The limits from the flags, with the connection cap lowered to what the open-file limit allows."""
    from reviewbot.server.limits import HttpLimits, descriptor_room

    connections = descriptor_room(args.max_connections)
    if connections < args.max_connections:
        logging.getLogger("reviewbot.server").warning(
            "--max-connections lowered to %d: the open-file limit (ulimit -n) leaves no room for more", connections)
    return HttpLimits(args.header_timeout, args.body_timeout, connections)


def worker_main(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    environ = resolve_secret_files(os.environ if env is None else env)
    configure_logging()
    from reviewbot.server.heap import freeze_start_up_objects
    from reviewbot.server.wiring import (
        github_routes,
        lease_keeper,
        open_services,
        prepare_worker,
    )
    from reviewbot.server.worker import run_consumer
    from reviewbot.settings import AppSettings

    services = open_services(AppSettings.from_env(environ, require_webhook_secret=False))
    runner = prepare_worker(services, github_routes())
    freeze_start_up_objects()

    def expose_metrics() -> None:
        if args.metrics_port:
            from prometheus_client import start_http_server

            start_http_server(args.metrics_port, addr=args.metrics_host, registry=services.metrics.exposed())

    run_consumer(services.queue, args.threads, lease_keeper(services, runner), on_started=expose_metrics)
    return 0


def _serve_processes(args: argparse.Namespace, settings: AppSettings, jobs: int, limits: HttpLimits) -> int:
    """Several uvicorn processes; each builds its app from the environment (checked once here first)."""
    import tempfile

    from reviewbot.server.asgi import JOBS_VARIABLE
    from reviewbot.server.limits import LIMITS_VARIABLE
    from reviewbot.server.wiring import open_services

    open_services(settings).close()  # migrate and check reachability once, with a clear error
    os.environ[JOBS_VARIABLE] = str(jobs)
    os.environ[LIMITS_VARIABLE] = limits.to_text()
    with tempfile.TemporaryDirectory(prefix="reviewbot-metrics-") as metrics_dir:
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", metrics_dir)
        _run_uvicorn("reviewbot.server.asgi:app_from_env", args, limits, factory=True, workers=args.workers)
    return 0


def _run_uvicorn(app: Any, args: argparse.Namespace, limits: HttpLimits, **options: Any) -> None:
    import uvicorn

    from reviewbot.server.protocol import GuardedHttpProtocol

    GuardedHttpProtocol.configure(limits.header_timeout, limits.max_connections)
    uvicorn.run(
        app, host=args.host, port=args.port, access_log=args.access_log, http=GuardedHttpProtocol,
        proxy_headers=True, timeout_graceful_shutdown=30, **options,
    )


def _count(low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected {low} to {high}, got {value}")
        return value

    return parse


_port = _count(1, 65535)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not 0.1 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"expected 0.1 to 3600 seconds, got {text}")
    return value
