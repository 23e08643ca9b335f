"""The HTTP edge: FastAPI routes around an Intake, readiness checks and metrics.

Routes never block the event loop: reading the body is async, and everything
after it (verify, decide, claim, enqueue) runs in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from reviewbot.server.intake import Answer, Intake
from reviewbot.server.metrics import Metrics
from reviewbot.webhooks import MAX_BODY_BYTES

WEBHOOK_PATH = "/api/github/webhooks"
Check = tuple[str, Callable[[], None]]  # (name, raises when that part is unreachable)
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


INTAKE_THREADS = 8  # deliveries verified and written at once; more threads only add GIL hand-offs


def create_app(
    intake: Intake, checks: Sequence[Check], metrics: Metrics, lifespan: Lifespan | None = None
) -> FastAPI:
    app = FastAPI(title="reviewbot", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    limiter = anyio.CapacityLimiter(INTAKE_THREADS)

    @app.post(WEBHOOK_PATH)
    async def webhook(request: Request) -> Response:
        body = await read_limited(request, MAX_BODY_BYTES)
        if body is None:
            answer = intake.too_large(request.headers, _declared_length(request.headers))
        else:
            answer = await anyio.to_thread.run_sync(intake.receive, request.headers, body, limiter=limiter)
        return Response(answer.json(), status_code=answer.status, media_type="application/json")

    @app.get("/healthz")
    async def healthz() -> Response:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz")
    async def readyz() -> Response:
        failures = await run_in_threadpool(run_checks, checks)
        status = 503 if failures else 200
        return JSONResponse({"status": "unavailable" if failures else "ok", "failures": failures}, status)

    @app.get("/metrics")
    async def metrics_route() -> Response:
        text, content_type = await run_in_threadpool(metrics.render)
        return Response(text, media_type=content_type)

    return app


async def read_limited(request: Request, limit: int) -> bytes | None:
    """The whole body, or None as soon as it is known to exceed `limit` bytes."""
    declared = _declared_length(request.headers)
    if declared is not None and declared > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def run_checks(checks: Sequence[Check]) -> dict[str, str]:
    """{name: reason} for every check that failed."""
    failures = {}
    for name, check in checks:
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"; the reason is reported
            failures[name] = f"{type(exc).__name__}: {exc}"[:300]
    return failures


def _declared_length(headers: Mapping[str, str]) -> int | None:
    value = headers.get("content-length", "")
    return int(value) if value.isdigit() else None


__all__ = ["WEBHOOK_PATH", "Answer", "create_app", "read_limited", "run_checks"]
