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
from reviewbot.server.limits import HttpLimits
from reviewbot.server.metrics import Metrics
from reviewbot.webhooks import MAX_BODY_BYTES

WEBHOOK_PATH = "/api/github/webhooks"
Check = tuple[str, Callable[[], None]]  # (name, raises when that part is unreachable)
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


INTAKE_THREADS = 8  # large deliveries verified at once; more threads only add GIL hand-offs
INLINE_BYTES = 256 * 1024  # bodies up to this size are verified on the event loop (no thread hand-off)
CLOSING = frozenset({408, 411, 413})  # answers after which the connection is closed (the body may be unread)


def create_app(
    intake: Intake, checks: Sequence[Check], metrics: Metrics, lifespan: Lifespan | None = None,
    limits: HttpLimits | None = None,
) -> FastAPI:
    app = FastAPI(title="reviewbot", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    limiter = anyio.CapacityLimiter(INTAKE_THREADS)
    limits = limits or HttpLimits()
    reader = BodyReader(limits, anyio.Semaphore(limits.large_at_once))

    async def webhook(request: Request) -> Response:
        body = await reader.read(request, intake)
        answer = body if isinstance(body, Answer) else await _answer(intake, request.headers, body, limiter)
        headers = {"connection": "close"} if answer.status in CLOSING else None
        return Response(answer.json(), status_code=answer.status, media_type="application/json", headers=headers)

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


class BodyReader:
    """Reads a delivery's body within the limits (see `reviewbot.server.limits`), or answers why not."""

    def __init__(self, limits: HttpLimits, large: anyio.Semaphore) -> None:
        self.limits, self.large = limits, large

    async def read(self, request: Request, intake: Intake) -> bytes | Answer:
        declared = _declared_length(request.headers)
        if declared is None:
            return intake.refuse(request.headers, 411, "a Content-Length header is required")
        if declared > MAX_BODY_BYTES:
            return intake.too_large(request.headers, declared)
        try:
            with anyio.fail_after(self.limits.body_timeout):
                return await self._read(request, declared)
        except TimeoutError:
            seconds = f"{self.limits.body_timeout:g}"
            return intake.refuse(request.headers, 408, f"the body did not arrive within {seconds} s")

    async def _read(self, request: Request, declared: int) -> bytes:
        if declared <= self.limits.large_body:
            return await request.body()
        async with self.large:
            return await request.body()


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


__all__ = ["WEBHOOK_PATH", "Answer", "BodyReader", "create_app", "run_checks"]
