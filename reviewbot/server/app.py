"""The HTTP edge: FastAPI routes around an Intake, readiness checks and metrics.

Routes never block the event loop: reading the body is async, verifying and
deciding run in a worker thread, and recording is awaited from the intake's
group writer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from reviewbot.server.intake import Answer, Intake, log
from reviewbot.server.metrics import Metrics
from reviewbot.webhooks import MAX_BODY_BYTES

WEBHOOK_PATH = "/api/github/webhooks"
Check = tuple[str, Callable[[], None]]  # (name, raises when that part is unreachable)
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


INTAKE_THREADS = 8  # large deliveries verified at once; more threads only add GIL hand-offs
INLINE_BYTES = 256 * 1024  # bodies up to this size are verified on the event loop (no thread hand-off)


def create_app(
    intake: Intake, checks: Sequence[Check], metrics: Metrics, lifespan: Lifespan | None = None
) -> FastAPI:
    app = FastAPI(title="reviewbot", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    limiter = anyio.CapacityLimiter(INTAKE_THREADS)

    async def webhook(request: Request) -> Response:
        body = await read_limited(request, MAX_BODY_BYTES)
        if body is None:
            answer = intake.too_large(request.headers, _declared_length(request.headers))
        else:
            answer = await _answer(intake, request.headers, body, limiter)
        return Response(answer.json(), status_code=answer.status, media_type="application/json")

    # A plain Starlette route: the handler reads the request itself, so FastAPI has nothing to resolve.
    app.router.add_route(WEBHOOK_PATH, webhook, methods=["POST"])

    @app.get("/healthz")
    async def healthz() -> Response:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz")
    async def readyz() -> Response:
        down = await run_in_threadpool(run_checks, checks)
        return JSONResponse({"status": "unavailable" if down else "ok", "down": down}, 503 if down else 200)

    @app.get("/metrics")
    async def metrics_route() -> Response:
        text, content_type = await run_in_threadpool(metrics.render)
        return Response(text, media_type=content_type)

    return app


async def _answer(intake: Intake, headers: Mapping[str, str], body: bytes, limiter: anyio.CapacityLimiter) -> Answer:
    """Verify and decide (inline for a typical body: well under a millisecond), then await the group writer."""
    if len(body) <= INLINE_BYTES:
        decided = intake.decide(headers, body)
    else:
        decided = await anyio.to_thread.run_sync(intake.decide, headers, body, limiter=limiter)
    return decided if isinstance(decided, Answer) else await asyncio.wrap_future(intake.record(decided))


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


def run_checks(checks: Sequence[Check]) -> list[str]:
    """The names of the parts that are down. Why is logged, never answered: driver errors name hosts,
    users and databases, and /readyz is often reachable from outside."""
    down = []
    for name, check in checks:
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"; the reason goes to the log
            log.warning("readiness: the %s is down: %s: %s", name, type(exc).__name__, exc)
            down.append(name)
    return down


def _declared_length(headers: Mapping[str, str]) -> int | None:
    value = headers.get("content-length", "")
    return int(value) if value.isdigit() else None


__all__ = ["WEBHOOK_PATH", "Answer", "create_app", "read_limited", "run_checks"]
