"""Helpers shared by the server tests: App settings, signed deliveries, fake routes.

    from server_support import app_env, signed, FakeRoutes
"""

from __future__ import annotations

import contextlib
import functools
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewbot.jobs import Job
from reviewbot.webhooks import signature_for

SECRET = "it's a secret to everybody"


@functools.cache
def rsa_pem() -> str:
    """A real RSA private key in PEM (made once per test process)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def app_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """A complete, valid environment for AppSettings.from_env (embedded mode)."""
    return {
        "GITHUB_APP_ID": "12345",
        "GITHUB_APP_PRIVATE_KEY": rsa_pem(),
        "GITHUB_WEBHOOK_SECRET": SECRET,
        "REVIEWBOT_DATA_DIR": str(data_dir),
        "REVIEWBOT_JOB_RETRY_DELAY": "0",
        "REVIEWBOT_COMMENT_ON": "all",  # posting is under test here; which rules comment: test_comment_policy.py
        **extra,
    }


def signed(
    payload: dict[str, Any] | bytes, event: str, delivery_id: str | None = None, secret: str = SECRET
) -> tuple[dict[str, str], bytes]:
    """(headers, body) of a delivery exactly as GitHub would send it."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/test",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
        "X-Hub-Signature-256": signature_for(body, secret.encode()),
    }
    return headers, body


@dataclass
class FakeRoutes:
    """Routes whose handler records jobs and can be told to fail."""

    handled_events: frozenset[str] | None = frozenset({"pull_request"})  # None: every event
    failures: list[BaseException] = field(default_factory=list)  # raised by handle, first to last
    handled: list[Job] = field(default_factory=list)
    reported: list[tuple[Job, str]] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def is_handled(self, event: str, payload: dict[str, Any]) -> bool:
        return self.handled_events is None or event in self.handled_events

    def handle(self, job: Job, deps: Any) -> None:
        self.handled.append(job)
        if self.failures:
            raise self.failures.pop(0)
        self.done.set()

    def report_failure(self, job: Job, error: str, deps: Any) -> None:
        self.reported.append((job, error))
        self.done.set()

    def routes(self):
        from reviewbot.server.wiring import Routes

        return Routes(self.is_handled, self.handle, self.report_failure)


@contextlib.contextmanager
def running_serve(args: list[str], env: dict[str, str], ready: str = "/readyz") -> Iterator[str]:
    """`reviewbot serve ARGS` with the App's own routes in its own process; yields its base URL once `ready` answers 200."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import httpx
    from services import free_port

    here = Path(__file__).parent
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(here / "server_process.py"), "real", "serve", "--port", str(port), *args],
        env={**os.environ, **env, "PYTHONPATH": str(here)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else "exited"
            try:
                if httpx.get(base + ready, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "reviewbot serve did not become ready"
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
        if process.stderr:
            process.stderr.close()


def settled(client: Any) -> None:
    """Wait until the app's intake has sent the jobs of every answered delivery to the queue (it answers
    first and sends right after)."""
    assert client.app.webhook.intake.settle(10), "the intake did not settle within 10 s"
