"""`reviewbot serve` / `reviewbot worker`: arguments, start-up errors, and a real serve process."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from server_support import app_env, signed
from services import free_port
from webhook_examples import example

from reviewbot.errors import ConfigError
from reviewbot.server.cli import add_server_commands, serve_main, worker_main

HERE = Path(__file__).parent


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="reviewbot")
    add_server_commands(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_serve_and_worker_have_their_defaults() -> None:
    serve = parse("serve")
    assert (serve.host, serve.port, serve.workers, serve.jobs, serve.access_log) == ("127.0.0.1", 8000, 1, None, False)
    worker = parse("worker")
    assert (worker.threads, worker.metrics_port) == (4, None)


def test_serve_takes_host_port_workers_and_jobs() -> None:
    args = parse("serve", "--host", "0.0.0.0", "--port", "9000", "--workers", "3", "--jobs", "0")
    assert (args.host, args.port, args.workers, args.jobs) == ("0.0.0.0", 9000, 3, 0)


@pytest.mark.parametrize("argv", [["serve", "--port", "0"], ["serve", "--workers", "x"], ["worker", "--threads", "0"]])
def test_out_of_range_numbers_are_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        parse(*argv)
    assert done.value.code == 2 and "expected" in capsys.readouterr().err


@pytest.mark.parametrize("main", [serve_main, worker_main])
def test_a_missing_setting_stops_start_up_naming_it(main, tmp_path: Path) -> None:
    env = app_env(tmp_path)
    del env["GITHUB_APP_ID"]
    command = "serve" if main is serve_main else "worker"
    with pytest.raises(ConfigError, match="^GITHUB_APP_ID is not set"):
        main(parse(command), env)


def test_serve_without_a_webhook_secret_stops_but_a_worker_does_not_need_it(tmp_path: Path) -> None:
    env = app_env(tmp_path)
    del env["GITHUB_WEBHOOK_SECRET"]
    with pytest.raises(ConfigError, match="GITHUB_WEBHOOK_SECRET"):
        serve_main(parse("serve"), env)


def test_reviewbot_serve_receives_reviews_and_reports(tmp_path: Path) -> None:
    """The real command in its own process: embedded queue, two job threads, uvicorn."""
    port, record = free_port(), tmp_path / "reviewed.txt"
    process = subprocess.Popen(
        [sys.executable, str(HERE / "server_process.py"), "cli", str(record), "serve", "--port", str(port)],
        env={**os.environ, **app_env(tmp_path / "data"), "PYTHONPATH": str(HERE)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: httpx.get(f"{base}/readyz", timeout=1).status_code == 200, process)
        headers, body = signed(example("pull_request", "opened"), "pull_request", "cli-1")
        assert httpx.post(f"{base}/api/github/webhooks", content=body, headers=headers).status_code == 202
        _wait_for(lambda: record.exists() and record.read_text() == "cli-1\n", process)
        metrics = httpx.get(f"{base}/metrics").text
        assert 'reviewbot_jobs_total{outcome="done"} 1.0' in metrics
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)
        process.stderr.close()
    assert process.returncode == 0


def start(argv: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(HERE / "server_process.py"), *argv],
        env={**os.environ, **env, "PYTHONPATH": str(HERE)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def stop(process: subprocess.Popen, signum: int) -> int:
    process.send_signal(signum)
    process.wait(30)
    process.stderr.close()
    return process.returncode


def test_serve_with_several_processes_shares_one_queue_and_one_metrics_view(tmp_path: Path) -> None:
    """`--workers 2`: uvicorn processes with the App's own routing; metrics add up across them."""
    from reviewbot.settings import AppSettings
    from reviewbot.taskqueue import open_queue

    port, env = free_port(), app_env(tmp_path)
    process = start(["real", "serve", "--port", str(port), "--workers", "2", "--jobs", "0"], env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: httpx.get(f"{base}/readyz", timeout=1).status_code == 200, process)
        payload = example("pull_request", "synchronize")
        for n in range(8):  # eight pull requests
            headers, body = signed({**payload, "number": n + 1}, "pull_request", f"mp-{n}")
            assert httpx.post(f"{base}/api/github/webhooks", content=body, headers=headers).status_code == 202
        text = httpx.get(f"{base}/metrics").text
    finally:
        assert stop(process, signal.SIGINT) == 0
    assert 'reviewbot_webhook_deliveries_total{event="pull_request",outcome="queued"} 8.0' in text
    assert open_queue(AppSettings.from_env(env)).pending_count() == 8


def test_reviewbot_worker_serves_metrics_and_stops_gracefully_on_sigterm(tmp_path: Path) -> None:
    port, env = free_port(), app_env(tmp_path)
    del env["GITHUB_WEBHOOK_SECRET"]
    process = start(["real", "worker", "--threads", "1", "--metrics-port", str(port)], env)
    try:
        _wait_for(lambda: "reviewbot_queue_depth" in httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=1).text,
                  process)
    finally:
        assert stop(process, signal.SIGTERM) == 0


@pytest.mark.parametrize("main", [serve_main, worker_main])
def test_an_unreachable_redis_stops_start_up_naming_its_variable(main, tmp_path: Path) -> None:
    from reviewbot.server.wiring import StartupError

    env = app_env(tmp_path, REVIEWBOT_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(StartupError, match="REVIEWBOT_REDIS_URL") as caught:
        main(parse("serve" if main is serve_main else "worker"), env)
    assert "\n" not in str(caught.value)


def _wait_for(condition, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        try:
            if condition():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise AssertionError("timed out")
