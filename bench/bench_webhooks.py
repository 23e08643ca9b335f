"""Webhook intake under load, as operators run it: `reviewbot serve` with its job threads busy.

    python bench/bench_webhooks.py [--rate 500] [--duration 30] [--modes sqlite,redis] [--web-workers 1]

For each mode, in one run on 127.0.0.1:

1. a slow fake GitHub (every answer held back 60 s, longer than the App's 30 s
   request timeout), so every review the workers start sits on GitHub;
2. the real `reviewbot serve` command in its default configuration:
   - `sqlite`: the embedded mode (SQLite store and queue, 2 job threads);
   - `redis`: `reviewbot serve` (Redis queue, PostgreSQL store, both real
     servers started here; one web process, its default, or `--web-workers N`)
     plus one `reviewbot worker`;
   a few deliveries are sent first so that every job thread is busy;
3. a bare FastAPI receiver (HMAC check, JSON parse, 202) under the same uvicorn.

Both servers get the same load, after the same 3 s warm-up at the full rate: signed
`pull_request.synchronize` deliveries at `--rate` per second for `--duration` seconds from two
generator processes, in ten turns each, taken alternately (bare, reviewbot, bare, ...), so that
whatever else the machine does meanwhile falls on both alike; on
an open-loop schedule (request i leaves at start + i/rate whether or not
earlier ones were answered; latency counts from that planned moment). Every
delivery is for a different pull request, so coalescing cannot shrink the
work. Afterwards every delivery answered 202 must be a job recorded in the
store. Prints one JSON line per mode; exits 1 if p99 > 50 ms, p99 > 3x the
bare receiver's, any answer is not 202, or an accepted delivery has no job.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import hashlib
import hmac
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # services.py (real servers), webhook_examples.py, server_support.py

P99_LIMIT_MS = 50.0
RATIO_LIMIT = 3.0
REQUEST_TIMEOUT = 10.0
GITHUB_HOLD = 60.0  # seconds the fake GitHub holds every answer
GENERATORS = 2
BUSY_DELIVERIES = 8  # sent before measuring, so every job thread is on a slow review
WARMUP_SECONDS = 3.0  # load at the full rate before each measured run (connections, caches, pools)
ROUNDS = 10  # the two servers take turns: ten turns each of a tenth of --duration


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=500, help="deliveries per second (default 500)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load per server (default 30)")
    parser.add_argument("--modes", default="sqlite,redis", help="comma-separated: sqlite, redis")
    parser.add_argument("--web-workers", type=int, default=1,
                        help="web processes of `reviewbot serve` in the redis mode (default 1, as `serve` has)")
    parser.add_argument("--bare", type=int, help=argparse.SUPPRESS)  # internal: the bare receiver on this port
    parser.add_argument("--slow-github", type=int, help=argparse.SUPPRESS)  # internal: the slow fake GitHub
    args = parser.parse_args(argv)
    if args.bare:
        return bare_receiver(args.bare)
    if args.slow_github:
        return slow_github(args.slow_github)
    results = [run_mode(mode, args.rate, args.duration, args.web_workers) for mode in args.modes.split(",")]
    return 0 if all(results) else 1


# --- the servers ---------------------------------------------------------------------------


def bare_receiver(port: int) -> int:
    """The least a webhook receiver can do: check the HMAC, parse the JSON, answer 202."""
    import uvicorn
    from fastapi import FastAPI, Response

    secret = os.environ["GITHUB_WEBHOOK_SECRET"].encode()
    app = FastAPI()

    async def receive(request) -> Response:  # a plain Starlette endpoint: no parameter decoding
        body = await request.body()
        expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("x-hub-signature-256", "")):
            return Response(status_code=401)
        json.loads(body)
        return Response(b'{"outcome":"queued","detail":""}', status_code=202, media_type="application/json")

    async def ready(request) -> Response:
        return Response(b"{}", media_type="application/json")

    app.router.add_route("/api/github/webhooks", receive, methods=["POST"])
    app.router.add_route("/readyz", ready, methods=["GET"])

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    return 0


def slow_github(port: int) -> int:
    """Accepts every request and answers 503 after GITHUB_HOLD seconds."""

    class Slow(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _hold(self) -> None:
            time.sleep(GITHUB_HOLD)
            self.send_response(503)
            self.send_header("content-length", "0")
            self.end_headers()

        do_GET = do_POST = do_PATCH = do_PUT = _hold

    server = ThreadingHTTPServer(("127.0.0.1", port), Slow)
    server.daemon_threads = True
    server.serve_forever()
    return 0


def reviewbot_command() -> list[str]:
    script = Path(sys.executable).with_name("reviewbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reviewbot.cli.main"]


def run_mode(mode: str, rate: int, duration: float, web_workers: int = 1) -> bool:
    from server_support import app_env
    from services import free_port

    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reviewbot-bench-")))
        github_port, bare_port, app_port = free_port(), free_port(), free_port()
        env = {**os.environ, **app_env(data_dir, **backing_services(mode, stack)),
               "GITHUB_API_URL": f"http://127.0.0.1:{github_port}", "REVIEWBOT_JOB_RETRY_DELAY": "30"}
        logs = data_dir / "logs"
        logs.mkdir()

        def start(name: str, argv: list[str]) -> subprocess.Popen:
            process = spawn(argv, env, logs / f"{name}.log")
            stack.callback(stop, process)
            return process

        start("github", [sys.executable, __file__, "--slow-github", str(github_port)])
        bare_process = start("bare", [sys.executable, __file__, "--bare", str(bare_port)])
        serve = [*reviewbot_command(), "serve", "--port", str(app_port)]
        if mode == "redis":
            serve += ["--workers", str(web_workers)]
            start("worker", [*reviewbot_command(), "worker", "--threads", "2"])
        serve_process = start("serve", serve)
        for port in (bare_port, app_port):
            wait_until_up(port)
        secret = env["GITHUB_WEBHOOK_SECRET"]
        load_before = os.getloadavg()[0]
        asyncio.run(load_part(app_port, secret, BUSY_DELIVERIES, 10, "busy", 0, 1))  # occupy the job threads
        time.sleep(2)
        measure(bare_port, secret, rate, WARMUP_SECONDS, "bare-warm")  # both warmed alike, not counted
        measure(app_port, secret, rate, WARMUP_SECONDS, "warm")
        bare, served = Measured(), Measured()
        batches_before = group_commits(app_port)
        for turn in range(ROUNDS):  # taking turns, so that whatever else the machine does falls on both alike
            seconds = duration / ROUNDS
            bare.add(*measure_cpu(bare_process, partial(measure, bare_port, secret, rate, seconds, f"bare{turn}")))
            served.add(*measure_cpu(serve_process, partial(measure, app_port, secret, rate, seconds, f"run{turn}")))
        batches = {name: group_commits(app_port)[name] - batches_before[name] for name in batches_before}
        recorded = recorded_delivery_ids(env)
        label = mode if mode == "sqlite" else f"redis, serve --workers {web_workers}"
        return report(label, rate, duration, bare.both(), served.both(), recorded, load_before, batches)


def backing_services(mode: str, stack: ExitStack) -> dict[str, str]:
    if mode == "sqlite":
        return {}
    if mode != "redis":
        raise SystemExit(f"unknown mode {mode!r}: use sqlite or redis")
    from services import postgres_server, redis_server

    redis = stack.enter_context(redis_server(durable=True))
    postgres = stack.enter_context(postgres_server(durable=True))
    return {"REVIEWBOT_REDIS_URL": redis.url, "REVIEWBOT_DATABASE_URL": postgres.create_database("bench")}


def spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(argv, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def wait_until_up(port: int) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"the server on port {port} did not start within 60 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(40)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


class Measured:
    """Results and CPU seconds gathered over a server's turns."""

    def __init__(self) -> None:
        self.results: list = []
        self.cpu: dict[str, float] = {}

    def add(self, results: list, cpu: dict[str, float]) -> None:
        self.results += results
        for part, seconds in cpu.items():
            self.cpu[part] = self.cpu.get(part, 0.0) + seconds

    def both(self) -> tuple[list, dict[str, float]]:
        return self.results, self.cpu


def measure_cpu(process: subprocess.Popen, run: Callable[[], list]) -> tuple[list, dict[str, float]]:
    """The results of `run()` and the CPU seconds the server (with its child processes) spent meanwhile:
    in all, and on the event loops (each process's main thread; the rest is the writer and job threads)."""
    before = cpu_seconds(process.pid)
    results = run()
    after = cpu_seconds(process.pid)
    return results, {part: after[part] - before.get(part, 0.0) for part in after}


def cpu_seconds(pid: int) -> dict[str, float]:
    """User + system CPU of a process and its living descendants (from /proc): "all" and "loops"."""
    total = {"all": 0.0, "loops": 0.0}
    try:
        children = [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                    for child in (task / "children").read_text().split()]
        total["all"] = _stat_cpu(Path(f"/proc/{pid}/stat"))
        total["loops"] = _stat_cpu(Path(f"/proc/{pid}/task/{pid}/stat"))
    except (OSError, IndexError):
        return total
    for child in children:
        below = cpu_seconds(child)
        total["all"] += below["all"]
        total["loops"] += below["loops"]
    return total


def _stat_cpu(stat: Path) -> float:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def group_commits(port: int) -> dict[str, float]:
    """The intake's group-commit counters from the server's /metrics (all its processes together)."""
    import httpx

    wanted = {f"reviewbot_intake_batch_{name}" for name in ("size_sum", "size_count", "seconds_sum")}
    found = dict.fromkeys(wanted, 0.0)
    for line in httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text.splitlines():
        name, _, value = line.partition(" ")
        if name in wanted:
            found[name] = float(value)
    return found


def recorded_delivery_ids(env: dict[str, str]) -> set[str]:
    """Delivery ids of the jobs recorded in the store (waiting, running or waiting for a retry)."""
    from reviewbot.settings import AppSettings
    from reviewbot.store import open_store
    from reviewbot.store.jobs import JobStore

    store = open_store(AppSettings.from_env(env).store_url)
    try:
        return {job.delivery_id for job in JobStore(store.engine).waiting()}
    finally:
        store.close()


# --- the open-loop load generators ----------------------------------------------------------


class Deliveries:
    """Signed synchronize deliveries, each for its own pull request, built when sent (not held in memory)."""

    def __init__(self, secret: str, port: int, first_number: int) -> None:
        from webhook_examples import example

        payload = example("pull_request", "synchronize")
        payload["number"] = payload["pull_request"]["number"] = 999_999_999
        payload["pull_request"]["head"]["sha"] = "f" * 40
        self.parts = re.split("(999999999|" + "f" * 40 + ")", json.dumps(payload))
        self.secret, self.port, self.first_number = secret.encode(), port, first_number

    def request(self, n: int, delivery_id: str) -> bytes:
        values = {"999999999": str(self.first_number + n), "f" * 40: hashlib.sha1(delivery_id.encode()).hexdigest()}
        body = "".join(values.get(part, part) for part in self.parts).encode()
        signature = "sha256=" + hmac.new(self.secret, body, hashlib.sha256).hexdigest()
        head = (
            f"POST /api/github/webhooks HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nContent-Type: application/json\r\n"
            f"X-GitHub-Event: pull_request\r\nX-GitHub-Delivery: {delivery_id}\r\n"
            f"X-Hub-Signature-256: {signature}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body


class Pool:
    """Keep-alive connections; a new one is opened whenever none is free (idle ones over 2 s are closed)."""

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


async def exchange(pool: Pool, payload: bytes) -> int:
    reader, writer = connection = await pool.take()
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    await reader.readexactly(length)
    pool.give(connection)
    return status


async def one(pool: Pool, deliveries: Deliveries, n: int, delivery_id: str, planned: float, results: list) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, planned - loop.time()))
    try:
        status = await asyncio.wait_for(exchange(pool, deliveries.request(n, delivery_id)), REQUEST_TIMEOUT)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
        status = type(exc).__name__
    results.append((status, loop.time() - planned, delivery_id))


async def load_part(port: int, secret: str, count: int, rate: float, tag: str, part: int, parts: int,
                    start_at: float | None = None) -> list:
    """Every `parts`-th delivery starting at `part`; the schedule is shared by all parts (wall clock)."""
    first_number = 1_000_000 * (1 + sum(tag.encode()) % 1000)  # pull request numbers differ between runs
    deliveries, pool, results = Deliveries(secret, port, first_number), Pool(port), []
    loop = asyncio.get_running_loop()
    offset = loop.time() - time.time()
    start = (start_at if start_at is not None else time.time() + 0.2) + offset
    tasks = [asyncio.create_task(one(pool, deliveries, n, f"{tag}-{n}", start + n / rate, results))
             for n in range(part, count, parts)]
    await asyncio.gather(*tasks)
    pool.close()
    return results


def _generate(arguments: tuple) -> list:
    return asyncio.run(load_part(*arguments))


def measure(port: int, secret: str, rate: int, duration: float, tag: str) -> list:
    count, start_at = int(rate * duration), time.time() + 1.0
    jobs = [(port, secret, count, rate, tag, part, GENERATORS, start_at) for part in range(GENERATORS)]
    with multiprocessing.get_context("spawn").Pool(GENERATORS) as pool:
        return [result for part in pool.map(_generate, jobs) for result in part]


# --- figures -------------------------------------------------------------------------------


def summary(measured: tuple[list, dict[str, float]]) -> dict:
    results, cpu = measured
    latencies = sorted(seconds * 1000 for _, seconds, _ in results)
    per_delivery = {part: round(seconds * 1000 / max(1, len(results)), 3) for part, seconds in cpu.items()}
    return {
        "cpu_ms_per_delivery": per_delivery["all"], "event_loop_cpu_ms_per_delivery": per_delivery["loops"],
        "sent": len(results), "answered_202": sum(1 for status, _, _ in results if status == 202),
        "statuses": dict(collections.Counter(str(status) for status, _, _ in results)),
        **{f"p{q}_ms": round(percentile(latencies, q), 2) for q in (50, 95, 99)},
        "max_ms": round(latencies[-1], 2) if latencies else None,
    }


def report(mode: str, rate: int, duration: float, bare: tuple[list, dict[str, float]],
           served: tuple[list, dict[str, float]], recorded: set[str], load_before: float,
           batches: dict[str, float]) -> bool:
    ours, baseline = summary(served), summary(bare)
    accepted = {delivery for status, _, delivery in served[0] if status == 202}
    missing = len(accepted - recorded)
    ratio = ours["p99_ms"] / baseline["p99_ms"] if baseline["p99_ms"] else float("inf")
    ok = (ours["p99_ms"] <= P99_LIMIT_MS and ratio <= RATIO_LIMIT and ours["answered_202"] == ours["sent"]
          and missing == 0)
    print(json.dumps({
        "mode": mode, "rate_per_s": rate, "duration_s": duration, "load_average_1m": {"start": round(load_before, 2), "end": round(os.getloadavg()[0], 2)},
        "reviewbot_serve": ours, "bare_fastapi": baseline, "p99_ratio": round(ratio, 2),
        "accepted": len(accepted), "accepted_without_a_job": missing, "group_commits": commit_summary(batches),
        "limits": {"p99_ms": P99_LIMIT_MS, "ratio": RATIO_LIMIT}, "result": "PASS" if ok else "FAIL",
    }), flush=True)
    return ok


def commit_summary(batches: dict[str, float]) -> dict:
    """How many group commits the measured run took, their mean size and mean time."""
    count = batches["reviewbot_intake_batch_size_count"]
    return {
        "count": int(count),
        "mean_deliveries": round(batches["reviewbot_intake_batch_size_sum"] / count, 2) if count else None,
        "mean_ms": round(batches["reviewbot_intake_batch_seconds_sum"] * 1000 / count, 2) if count else None,
    }


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("inf")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


if __name__ == "__main__":
    raise SystemExit(main())
