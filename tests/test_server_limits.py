"""What a client may cost the real `reviewbot serve`: deadlines, connection cap, Content-Length, memory;
and the start-up and readiness rules: a short webhook secret, /readyz detail, private data files.

Every test drives the real command in its own process over loopback sockets.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from server_support import app_env, signed
from services import free_port, redis_server
from webhook_examples import example

WEBHOOKS = "/api/github/webhooks"


class Serve:
    """`reviewbot serve` with the given flags, on a free port, logging to a file."""

    def __init__(self, tmp: Path, *flags: str, **env: str) -> None:
        self.port, self.log = free_port(), tmp / "serve.log"
        self.env = {**os.environ, **app_env(tmp / "data"), **env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reviewbot.cli.main", "serve", "--port", str(self.port), *flags],
            env=self.env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError("reviewbot serve did not start")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def deliver(self, payload: dict | bytes, event: str = "ping") -> httpx.Response:
        headers, body = signed(payload, event)
        return httpx.post(f"{self.base}{WEBHOOKS}", content=body, headers=headers, timeout=10)

    def rss_kib(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[type[Serve]]:
    started: list[Serve] = []

    def start(*flags: str, **env: str) -> Serve:
        started.append(Serve(tmp_path, *flags, **env))
        return started[-1]

    yield start  # type: ignore[misc]
    for server in started:
        server.stop()


def closed_by_server(sock: socket.socket, within: float) -> bool:
    """True when the server closes (or resets) the connection within `within` seconds."""
    sock.settimeout(within)
    try:
        while sock.recv(4096):
            pass
        return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def read_to_close(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (the answer may come in pieces)."""
    chunks = []
    while chunk := sock.recv(4096):
        chunks.append(chunk)
    return b"".join(chunks)


def head(length: int | None, extra: str = "") -> bytes:
    lines = [f"POST {WEBHOOKS} HTTP/1.1", "Host: 127.0.0.1", "X-GitHub-Event: ping", "X-GitHub-Delivery: slow"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()


# --- issue 13, item 4: deadlines, a connection cap, Content-Length first, bounded memory ---------


def test_slow_and_silent_clients_are_cut_off_and_never_delay_other_deliveries(serve) -> None:
    server = serve("--header-timeout", "1", "--body-timeout", "1")
    trickling = [server.connect() for _ in range(20)]
    silent = [server.connect() for _ in range(20)]
    for sock in trickling:
        sock.sendall(f"POST {WEBHOOKS} HTTP/1.1\r\nHost: x\r\n".encode())
    stop = threading.Event()

    def trickle() -> None:  # one more header line every 0.2 s: never a complete request
        while not stop.wait(0.2):
            for sock in trickling:
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass

    threading.Thread(target=trickle, daemon=True).start()
    try:
        for _ in range(5):
            started = time.monotonic()
            assert server.deliver(example("ping")).status_code == 200
            assert time.monotonic() - started < 0.5
            time.sleep(0.2)
        assert all(closed_by_server(sock, 3) for sock in trickling + silent)
    finally:
        stop.set()
    assert "no complete request headers within 1 s" in server.log.read_text()


def test_a_body_that_does_not_arrive_in_time_is_answered_408(serve) -> None:
    server = serve("--body-timeout", "1")
    with server.connect() as sock:
        sock.sendall(head(1000) + b'{"zen": ')
        started = time.monotonic()
        answer = read_to_close(sock)
    assert answer.startswith(b"HTTP/1.1 408") and b"did not arrive within 1 s" in answer
    assert 0.9 < time.monotonic() - started < 5
    assert server.deliver(example("ping")).status_code == 200


def test_a_declared_length_over_25_mb_is_refused_before_any_body_is_sent(serve) -> None:
    server = serve()
    with server.connect() as sock:
        sock.sendall(head(26 * 1024 * 1024))  # headers only
        answer = read_to_close(sock)
    assert answer.startswith(b"HTTP/1.1 413")


def test_a_body_without_a_content_length_is_refused_411(serve) -> None:
    server = serve()
    with server.connect() as sock:
        sock.sendall(head(None, "Transfer-Encoding: chunked\r\n") + b"5\r\nhello\r\n0\r\n\r\n")
        answer = read_to_close(sock)
    assert answer.startswith(b"HTTP/1.1 411")


def test_connections_over_the_cap_are_closed_at_once(serve) -> None:
    server = serve("--max-connections", "5", "--header-timeout", "60")
    held = [server.connect() for _ in range(5)]
    time.sleep(0.3)
    extra = server.connect()
    assert closed_by_server(extra, 2)
    for sock in held:
        sock.close()
    time.sleep(0.3)
    assert server.deliver(example("ping")).status_code == 200
    assert "refused a connection: 5 are open" in server.log.read_text()


def test_large_uploads_are_read_a_few_at_a_time_so_memory_stays_bounded(serve) -> None:
    server = serve("--body-timeout", "30")
    before = server.rss_kib()
    uploads = [server.connect() for _ in range(8)]
    chunk = b"x" * (1024 * 1024)

    def upload(sock: socket.socket) -> None:  # declares 20 MB, sends 10 MB, then waits
        sock.settimeout(5)
        try:
            sock.sendall(head(20 * 1024 * 1024))
            for _ in range(10):
                sock.sendall(chunk)
        except OSError:
            pass

    senders = [threading.Thread(target=upload, args=(sock,), daemon=True) for sock in uploads]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(10)
    grown_mib = (server.rss_kib() - before) / 1024
    assert grown_mib < 40, f"the server grew by {grown_mib:.0f} MiB holding 8 x 10 MiB of unverified uploads"
    assert server.deliver(example("ping")).status_code == 200  # small deliveries do not wait for the big ones
    for sock in uploads:
        sock.close()


# --- issue 13, item 12: a signed, deeply nested body ----------------------------------------------


def test_a_signed_deeply_nested_body_is_400_with_a_clear_message(serve) -> None:
    server = serve()
    body = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    answer = server.deliver(body, "pull_request")
    assert answer.status_code == 400 and "nested too deeply" in answer.json()["detail"]
    assert server.deliver(example("ping")).status_code == 200


# --- start-up and readiness --------------------------------------------------------------------------


def test_a_webhook_secret_under_16_characters_stops_start_up_with_a_clear_error(tmp_path: Path) -> None:
    env = {**os.environ, **app_env(tmp_path / "data"), "GITHUB_WEBHOOK_SECRET": "x" * 15}
    run = subprocess.run([sys.executable, "-m", "reviewbot.cli.main", "serve", "--port", str(free_port())],
                         env=env, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 2
    assert "GITHUB_WEBHOOK_SECRET is 15 characters long; use at least 16" in run.stderr


def test_readyz_names_only_the_part_that_is_down_and_logs_the_detail(serve, postgres_url: str) -> None:
    with redis_server() as redis:
        server = serve(REVIEWBOT_REDIS_URL=redis.url, REVIEWBOT_DATABASE_URL=postgres_url)
        assert httpx.get(f"{server.base}/readyz").json() == {"status": "ok", "down": []}
    answer = httpx.get(f"{server.base}/readyz", timeout=20)  # the Redis server is gone
    assert (answer.status_code, answer.json()) == (503, {"status": "unavailable", "down": ["queue"]})
    port = redis.url.rsplit(":", 1)[1].split("/")[0]
    assert port not in answer.text and "rror" not in answer.text
    assert "readiness: the queue is down" in server.log.read_text()


def test_the_data_directory_is_0700_and_its_files_0600(serve, tmp_path: Path) -> None:
    server = serve()
    assert server.deliver(example("pull_request", "opened"), "pull_request").status_code in (200, 202)
    data = tmp_path / "data"
    files = [path for path in data.rglob("*") if path.is_file()]
    assert {path.name for path in files} >= {"reviewbot.db", "queue.db"}
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert {path.name: oct(stat.S_IMODE(path.stat().st_mode)) for path in files} == {
        path.name: "0o600" for path in files
    }
