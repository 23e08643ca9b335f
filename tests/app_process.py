"""The real `reviewbot serve` / `reviewbot worker` processes against the fake GitHub over HTTP.

    with app_on_fake_github(tmp_path, mode) as app:
        app.serve(); app.deliver(payload, "pull_request")
        ...

`HeldGitHub` is the fake GitHub with holds: a call matching a held pattern
waits (in the fake's request thread) until the test releases it, so a test can
kill a worker while its review is in flight.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fakegithub import FakeGitHub
from fakegithub_http import FakeGitHubServer
from github_support import GitPull, git_pull, install
from server_support import app_env, signed
from services import free_port

REPO, NUMBER = "Codertocat/Hello-World", 2  # as in GitHub's example deliveries
BASE_FILES = {"app.py": "import os\n\n\ndef size(path):\n    return os.path.getsize(path)\n"}
HEAD_FILES = {"app.py": BASE_FILES["app.py"] + "\n\ndef collect(item, into=[]):\n    into.append(item)\n    return into\n"}


@dataclass
class Hold:
    method: str
    pattern: re.Pattern[str]
    reached: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)


class HeldGitHub(FakeGitHub):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.holds: list[Hold] = []

    def hold(self, method: str, pattern: str) -> Hold:
        """Hold the next matching call until `.released` is set."""
        held = Hold(method, re.compile(pattern))
        self.holds.append(held)
        return held

    def record(self, method: str, path: str) -> tuple[int, dict] | None:
        for held in self.holds:
            if held.method == method and held.pattern.search(path) and not held.reached.is_set():
                held.reached.set()
                held.released.wait(60)
        return super().record(method, path)


@dataclass
class App:
    """A data directory (or Redis + PostgreSQL), the fake GitHub, and the reviewbot processes started on them."""

    tmp: Path
    github: HeldGitHub
    env: dict[str, str]
    pull: GitPull
    processes: list[subprocess.Popen] = field(default_factory=list)
    port: int = 0

    def serve(self, *args: str) -> subprocess.Popen:
        self.port = free_port()
        process = self.start("serve", "--port", str(self.port), *args)
        wait_for(lambda: httpx.get(f"{self.base}/readyz", timeout=1).status_code == 200, process)
        return process

    def worker(self) -> subprocess.Popen:
        return self.start("worker", "--threads", "2")

    def start(self, *argv: str) -> subprocess.Popen:
        log = (self.tmp / f"process-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen([sys.executable, "-m", "reviewbot.cli.main", *argv], env=self.env,
                                   stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def deliver(self, payload: dict | bytes, event: str = "pull_request", delivery_id: str | None = None,
                client: httpx.Client | None = None) -> httpx.Response:
        headers, body = signed(payload, event, delivery_id)
        poster = client or httpx
        return poster.post(f"{self.base}/api/github/webhooks", content=body, headers=headers, timeout=30)

    def reviews(self) -> list[dict[str, Any]]:
        return self.github.pull(REPO, NUMBER).reviews

    def posts(self) -> list[tuple[str, str, float]]:
        return self.github.calls("POST", r"/pulls/\d+/reviews$")

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.tmp.glob("process-*.log")))

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def opened(head: str) -> dict[str, Any]:
    return pull_request_event("opened", head)


def synchronize(head: str) -> dict[str, Any]:
    return pull_request_event("synchronize", head)


def pull_request_event(action: str, head: str) -> dict[str, Any]:
    """GitHub's example delivery, for the App's installation 1 and the given head."""
    from webhook_examples import example

    payload = example("pull_request", action)
    payload["installation"] = {"id": 1, "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ=="}
    payload["pull_request"]["head"]["sha"] = head
    return payload


@contextlib.contextmanager
def app_on_fake_github(tmp: Path, backing: dict[str, str] | None = None, **extra: str) -> Iterator[App]:
    github = HeldGitHub()
    pull = git_pull(tmp / "repo", BASE_FILES, HEAD_FILES)
    install(github, REPO, pull, number=NUMBER, author="Codertocat")
    with FakeGitHubServer(github) as server:
        env = {**os.environ, **app_env(tmp / "data", **(backing or {})), "GITHUB_API_URL": server.url,
               "REVIEWBOT_JOB_LEASE": "2", **extra}
        app = App(tmp, github, env, pull)
        try:
            yield app
        finally:
            for held in github.holds:
                held.released.set()
            app.stop_all()


def wait_for(condition: Callable[[], object], process: subprocess.Popen | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the process exited with {process.returncode}")
        try:
            if condition():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise AssertionError("timed out")
