"""The HTTP edge: the webhook endpoint, FastAPI routes for the rest, readiness checks and metrics.

The webhook path is the one every delivery takes, so it is answered by a small
ASGI endpoint (`WebhookEndpoint`) before FastAPI's middleware stack: reading
the body is async with a deadline, verifying and deciding run on the event loop
for a typical body (a thread for a large one), and recording is awaited from
the intake's group writer. Every other route (health, metrics, the explorer)
is an ordinary FastAPI route.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

import anyio
import anyio.to_thread
from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send

from reviewbot.server.intake import Answer, Intake, log
from reviewbot.server.limits import HttpLimits
from reviewbot.server.metrics import Metrics
from reviewbot.webhooks import MAX_BODY_BYTES, Delivery

WEBHOOK_PATH = "/api/github/webhooks"
Check = tuple[str, Callable[[], None]]  # (name, raises when that part is unreachable)
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[Any]]


INTAKE_THREADS = 8  # large deliveries verified at once; more threads only add GIL hand-offs
INLINE_BYTES = 256 * 1024  # bodies up to this size are verified on the event loop (no thread hand-off)
CLOSING = frozenset({408, 411, 413})  # answers after which the connection is closed (the body may be unread)


class ReviewbotApp(FastAPI):
    """FastAPI, except that the webhook path goes straight to its endpoint (no middleware on the hot path)."""

    webhook: WebhookEndpoint | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.webhook is not None and scope["type"] == "http" and scope["path"] == WEBHOOK_PATH:
            await self.webhook(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(
    intake: Intake, checks: Sequence[Check], metrics: Metrics, lifespan: Lifespan | None = None,
    limits: HttpLimits | None = None,
) -> ReviewbotApp:
    app = ReviewbotApp(title="reviewbot", docs_url=None, redoc_url=None, openapi_url=None,
                       lifespan=_settling(intake, lifespan))
    app.webhook = WebhookEndpoint(intake, limits or HttpLimits())

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


def _settling(intake: Intake, inner: Lifespan | None) -> Lifespan:
    """`inner`, and on shutdown first let the intake finish what it was handed: the last deliveries'
    jobs are sent to the queue before the server (and its job threads) stop."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with AsyncExitStack() as stack:
            state = await stack.enter_async_context(inner(app)) if inner is not None else None
            stack.push_async_callback(_settled, intake)
            yield state

    return lifespan


async def _settled(intake: Intake) -> None:
    if not await anyio.to_thread.run_sync(intake.settle):
        log.warning("stopping with deliveries the intake had not finished within 10 s")
    await intake.aclose()


class WebhookEndpoint:
    """POST /api/github/webhooks as a plain ASGI app: read the body within the limits, answer from the intake."""

    def __init__(self, intake: Intake, limits: HttpLimits) -> None:
        self.intake = intake
        self.reader = BodyReader(limits)
        self.limiter: anyio.CapacityLimiter | None = None  # made on the event loop, when first needed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST":
            await _send(send, 405, b'{"detail":"Method Not Allowed"}', [(b"allow", b"POST")])
            return
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        body = await self.reader.read(headers, receive, self.intake)
        if body is None:
            return  # the client went away: nobody to answer
        answer = body if isinstance(body, Answer) else await self.answer(headers, body)
        await _send(send, answer.status, answer.json(), [(b"connection", b"close")] if answer.status in CLOSING else [])

    async def answer(self, headers: Mapping[str, str], body: bytes) -> Answer:
        """Verify and decide (inline for a typical body: well under a millisecond), then await the group writer."""
        decided = self.intake.decide(headers, body) if len(body) <= INLINE_BYTES else await self._decide(headers, body)
        return decided if isinstance(decided, Answer) else await self.intake.recorded(decided)

    async def _decide(self, headers: Mapping[str, str], body: bytes) -> Answer | Delivery:
        if self.limiter is None:
            self.limiter = anyio.CapacityLimiter(INTAKE_THREADS)
        return await anyio.to_thread.run_sync(self.intake.decide, headers, body, limiter=self.limiter)


class BodyReader:
    """Reads a delivery's body within the limits (see `reviewbot.server.limits`), or answers why not;
    None when the client disconnected first."""

    def __init__(self, limits: HttpLimits) -> None:
        self.limits = limits
        self.large: asyncio.Semaphore | None = None  # made on the event loop, when first needed

    async def read(self, headers: Mapping[str, str], receive: Receive, intake: Intake) -> bytes | Answer | None:
        declared = _declared_length(headers)
        if declared is None:
            return intake.refuse(headers, 411, "a Content-Length header is required")
        if declared > MAX_BODY_BYTES:
            return intake.too_large(headers, declared)
        try:
            async with asyncio.timeout(self.limits.body_timeout):
                return await self._read(receive, declared)
        except TimeoutError:
            seconds = f"{self.limits.body_timeout:g}"
            return intake.refuse(headers, 408, f"the body did not arrive within {seconds} s")

    async def _read(self, receive: Receive, declared: int) -> bytes | None:
        if declared <= self.limits.large_body:
            return await receive_body(receive)
        if self.large is None:
            self.large = asyncio.Semaphore(self.limits.large_at_once)
        async with self.large:
            return await receive_body(receive)


async def receive_body(receive: Receive) -> bytes | None:
    """The request's body from its ASGI messages; None if the client disconnected."""
    chunks = []
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def _send(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]]) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


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


__all__ = ["WEBHOOK_PATH", "Answer", "BodyReader", "ReviewbotApp", "WebhookEndpoint", "create_app", "run_checks"]
