"""Webhook intake under load: signed pull_request deliveries at a fixed rate over loopback.

    python bench/bench_webhooks.py [--rate 500] [--duration 30] [--modes sqlite,redis]

For each mode it starts `uvicorn` on 127.0.0.1 in its own process (the App's
real app, no job threads so nothing leaves the queue), sends deliveries on an
open-loop schedule (request i leaves at start + i/rate whether or not earlier
ones were answered; latency counts from that planned moment), then counts the
jobs in the queue. Modes: `sqlite` (the embedded default: SQLite store and
queue) and `redis` (Redis queue + PostgreSQL store, both real servers started
here). Exits 1 if p99 > 50 ms, any answer is not 202, or a job is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # services.py (real servers), webhook_examples.py, server_support.py

P99_LIMIT_MS = 50.0
REQUEST_TIMEOUT = 10.0
WARMUP = 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=500, help="deliveries per second (default 500)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (default 30)")
    parser.add_argument("--modes", default="sqlite,redis", help="comma-separated: sqlite, redis")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # internal: run the server on this port
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve)
    results = [run_mode(mode, args.rate, args.duration) for mode in args.modes.split(",")]
    return 0 if all(results) else 1


# --- the server process ---------------------------------------------------------------


def serve(port: int) -> int:
    import uvicorn

    from reviewbot.server.cli import configure_logging
    from reviewbot.server.wiring import Routes, build_app, open_services
    from reviewbot.settings import AppSettings

    configure_logging()
    services = open_services(AppSettings.from_env(os.environ))
    routes = Routes(intake_rule(), lambda job, deps: None, lambda job, error, deps: None)
    uvicorn.run(build_app(services, routes, jobs=0), host="127.0.0.1", port=port,
                log_level="warning", access_log=False)
    return 0


def intake_rule():
    """The App's own routing rule when it is installed; else a stand-in with the same cost."""
    try:
        from reviewbot.app.handlers import is_handled
    except ImportError:
        def is_handled(event: str, payload: dict) -> bool:
            return event == "pull_request" and payload.get("action") in {"opened", "reopened", "synchronize"}
    return is_handled


# --- one mode ---------------------------------------------------------------------------


def run_mode(mode: str, rate: int, duration: float) -> bool:
    from server_support import app_env
    from services import free_port

    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reviewbot-bench-")))
        env = app_env(data_dir, **backing_services(mode, stack))
        port = free_port()
        server = start_server(port, env, data_dir / "server.log")
        stack.callback(stop, server)
        wait_until_up(port, server)
        body, headers = signed_template(env["GITHUB_WEBHOOK_SECRET"])
        warm = asyncio.run(load(port, body, headers, WARMUP, 100, "warm"))
        measured = asyncio.run(load(port, body, headers, int(rate * duration), rate, "run"))
        queued = queued_delivery_ids(env)
        return report(mode, rate, duration, warm, measured, queued)


def backing_services(mode: str, stack: ExitStack) -> dict[str, str]:
    if mode == "sqlite":
        return {}
    if mode != "redis":
        raise SystemExit(f"unknown mode {mode!r}: use sqlite or redis")
    from services import postgres_server, redis_server

    redis = stack.enter_context(redis_server())
    postgres = stack.enter_context(postgres_server())
    return {"REVIEWBOT_REDIS_URL": redis.url, "REVIEWBOT_DATABASE_URL": postgres.create_database("bench")}


def start_server(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    out = log.open("wb")
    return subprocess.Popen([sys.executable, __file__, "--serve", str(port)], env={**os.environ, **env},
                            stdout=out, stderr=subprocess.STDOUT)


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited at start")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not start within 30 s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(5)


def signed_template(secret: str) -> tuple[bytes, dict[str, str]]:
    """GitHub's first example pull_request delivery that the App turns into a job."""
    from server_support import signed
    from webhook_examples import examples

    rule = intake_rule()
    payload = next(p for p in examples("pull_request") if rule("pull_request", p))
    headers, body = signed(payload, "pull_request", "-", secret)
    return body, headers


def queued_delivery_ids(env: dict[str, str]) -> list[str]:
    from reviewbot.settings import AppSettings
    from reviewbot.taskqueue import open_queue

    return [job.delivery_id for job in open_queue(AppSettings.from_env(env)).pending_jobs()]


# --- the open-loop load generator -----------------------------------------------------------


class Pool:
    """Keep-alive connections to the server; a new one is opened whenever none is free.

    Connections idle for longer than IDLE_LIMIT are closed rather than reused: the
    server (uvicorn) closes keep-alive connections after 5 s of silence.
    """

    IDLE_LIMIT = 2.0

    def __init__(self, port: int) -> None:
        self.port, self.idle = port, []

    async def take(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        now = asyncio.get_running_loop().time()
        while self.idle:
            reader, writer, since = self.idle.pop()
            if now - since < self.IDLE_LIMIT:
                return reader, writer
            writer.close()
        return await asyncio.open_connection("127.0.0.1", self.port)

    def give(self, connection: tuple[asyncio.StreamReader, asyncio.StreamWriter]) -> None:
        self.idle.append((*connection, asyncio.get_running_loop().time()))

    def close(self) -> None:
        for _, writer, _ in self.idle:
            writer.close()


def request_bytes(port: int, body: bytes, headers: dict[str, str], delivery_id: str) -> bytes:
    lines = ["POST /api/github/webhooks HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {delivery_id if name == 'X-GitHub-Delivery' else value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def exchange(pool: Pool, payload: bytes) -> int:
    reader, writer = connection = await pool.take()
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    await reader.readexactly(length)
    pool.give(connection)
    return status


async def one(pool: Pool, payload: bytes, planned: float, results: list, delivery_id: str) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, planned - loop.time()))
    try:
        status = await asyncio.wait_for(exchange(pool, payload), REQUEST_TIMEOUT)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
        status = f"{type(exc).__name__}"
    results.append((status, loop.time() - planned, delivery_id))


async def load(port: int, body: bytes, headers: dict[str, str], count: int, rate: int, tag: str) -> dict:
    pool, results = Pool(port), []
    payloads = [request_bytes(port, body, headers, f"{tag}-{n}") for n in range(count)]
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2
    started = time.monotonic()
    tasks = [asyncio.create_task(one(pool, payloads[n], start + n / rate, results, f"{tag}-{n}")) for n in range(count)]
    await asyncio.gather(*tasks)
    pool.close()
    return {"results": results, "elapsed": time.monotonic() - started}


# --- figures -------------------------------------------------------------------------------


def report(mode: str, rate: int, duration: float, warm: dict, run: dict, queued: list[str]) -> bool:
    latencies = sorted(seconds * 1000 for _, seconds, _ in run["results"])
    statuses = collections.Counter(str(status) for status, _, _ in run["results"])
    accepted = {delivery for status, _, delivery in warm["results"] + run["results"] if status == 202}
    missing = len(accepted - set(queued))
    p50, p95, p99 = (percentile(latencies, q) for q in (50, 95, 99))
    answered_202 = sum(1 for status, _, _ in run["results"] if status == 202)
    ok = p99 <= P99_LIMIT_MS and answered_202 == len(latencies) and missing == 0
    print(json.dumps({
        "mode": mode, "rate_per_s": rate, "duration_s": duration, "sent": len(latencies), "answered_202": answered_202,
        "elapsed_s": round(run["elapsed"], 1),
        "statuses": dict(statuses), "load_average_1m": round(os.getloadavg()[0], 2),
        "p50_ms": round(p50, 2), "p95_ms": round(p95, 2), "p99_ms": round(p99, 2), "max_ms": round(latencies[-1], 2),
        "jobs_in_queue": len(queued), "accepted_incl_warmup": len(accepted), "accepted_missing_from_queue": missing,
        "p99_limit_ms": P99_LIMIT_MS, "result": "PASS" if ok else "FAIL",
    }))
    return ok


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("inf")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


if __name__ == "__main__":
    raise SystemExit(main())
