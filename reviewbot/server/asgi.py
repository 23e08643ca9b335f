"""Factory uvicorn calls in each worker process of `reviewbot serve --workers N`."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

JOBS_VARIABLE = "REVIEWBOT_SERVE_JOBS"  # set by `reviewbot serve` for its worker processes


def app_from_env() -> FastAPI:
    from reviewbot.secretfiles import resolve_secret_files
    from reviewbot.server.heap import freeze_start_up_objects
    from reviewbot.server.limits import LIMITS_VARIABLE, HttpLimits
    from reviewbot.server.logs import configure_logging
    from reviewbot.server.protocol import GuardedHttpProtocol
    from reviewbot.server.wiring import build_app, github_routes, open_services
    from reviewbot.settings import AppSettings

    configure_logging()
    settings = AppSettings.from_env(resolve_secret_files(os.environ))
    limits = HttpLimits.from_text(os.environ[LIMITS_VARIABLE]) if LIMITS_VARIABLE in os.environ else HttpLimits()
    GuardedHttpProtocol.configure(limits.header_timeout, limits.max_connections)
    services = open_services(settings, os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
    app = build_app(services, github_routes(), jobs=int(os.environ.get(JOBS_VARIABLE, "0")), limits=limits)
    freeze_start_up_objects()
    return app
