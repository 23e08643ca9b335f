"""Real redis-server and PostgreSQL for the tests, started on free loopback ports in temporary directories.

A missing binary is an error naming the Debian package to install, never a
skip: the Redis + PostgreSQL mode is always tested. PostgreSQL refuses to run
as root, so under root its processes run as the `postgres` user (or `nobody`).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT = 30.0


class ServiceUnavailable(RuntimeError):
    """A server binary is missing or the server did not start."""


@dataclass
class RedisServer:
    url: str
    process: subprocess.Popen


@dataclass
class PostgresServer:
    host: str
    port: int
    user: str
    process: subprocess.Popen

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(self._dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}"')
            conn.execute(f'create database "{name}"')
        return self.url(name)

    def _dsn(self, database: str) -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname={database}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def redis_server(*, durable: bool = False) -> Iterator[RedisServer]:
    """A private redis-server; `durable` as operators run it (`compose.yaml`: append-only file, fsync
    every second), otherwise nothing on disk (tests)."""
    binary = _binary("redis-server", package="redis-server")
    port, workdir = free_port(), tempfile.mkdtemp(prefix="reviewbot-redis-")
    persistence = ["--appendonly", "yes", "--appendfsync", "everysec"] if durable else ["--appendonly", "no"]
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", workdir,
            "--save", "", *persistence, "--protected-mode", "yes", "--loglevel", "warning"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        server = RedisServer(f"redis://127.0.0.1:{port}/0", process)
        _wait(lambda: _redis_ping(server.url), process, "redis-server")
        yield server
    finally:
        _stop(process, signal.SIGTERM)
        shutil.rmtree(workdir, ignore_errors=True)


_NO_SYNC = ("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")


@contextlib.contextmanager
def postgres_server(*, durable: bool = False) -> Iterator[PostgresServer]:
    """A private PostgreSQL; `durable` with its default durability (a commit is on disk when it
    returns, as operators run it), otherwise without fsync (tests)."""
    initdb = _postgres_binary("initdb")
    postgres = _postgres_binary("postgres")
    account = _unprivileged_account()
    workdir = Path(tempfile.mkdtemp(prefix="reviewbot-pg-"))
    data, port = workdir / "data", free_port()
    try:
        _hand_over(workdir, account)
        _run_as([initdb, "-D", str(data), "-U", "reviewbot", "-A", "trust", "-E", "UTF8", "--no-sync"], account)
        process = _start_as([postgres, "-D", str(data), "-p", str(port), "-k", str(workdir),
                             "-c", "listen_addresses=127.0.0.1", *([] if durable else _NO_SYNC)], account)
        try:
            server = PostgresServer("127.0.0.1", port, "reviewbot", process)
            _wait(lambda: _postgres_ping(server), process, "postgres")
            yield server
        finally:
            _stop(process, signal.SIGINT)  # "fast" shutdown
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _binary(name: str, package: str, extra: tuple[str, ...] = ()) -> str:
    found = shutil.which(name) or next((p for p in extra if os.access(p, os.X_OK)), None)
    if not found:
        raise ServiceUnavailable(
            f"{name} is not installed: the Redis + PostgreSQL tests need it "
            f"(Debian: apt-get install {package})"
        )
    return found


def _postgres_binary(name: str) -> str:
    candidates = tuple(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True))
    return _binary(name, package="postgresql", extra=candidates)


def _unprivileged_account() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise ServiceUnavailable("running as root and there is no 'postgres' or 'nobody' user to run PostgreSQL as")


def _hand_over(directory: Path, account: pwd.struct_passwd | None) -> None:
    if account is not None:
        os.chown(directory, account.pw_uid, account.pw_gid)


def _as_user(account: pwd.struct_passwd | None) -> dict:
    if account is None:
        return {}
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": [],
            "env": {**os.environ, "HOME": str(tempfile.gettempdir())}}


def _run_as(args: list[str], account: pwd.struct_passwd | None) -> None:
    done = subprocess.run(args, capture_output=True, text=True, cwd="/", check=False, **_as_user(account))
    if done.returncode != 0:
        raise ServiceUnavailable(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")


def _start_as(args: list[str], account: pwd.struct_passwd | None) -> subprocess.Popen:
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd="/", **_as_user(account))


def _wait(ready, process: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceUnavailable(f"{name} exited at start: {process.stderr.read().decode(errors='replace')[-800:]}")
        if ready():
            return
        time.sleep(0.05)
    raise ServiceUnavailable(f"{name} did not answer within {START_TIMEOUT:.0f} s")


def _redis_ping(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _postgres_ping(server: PostgresServer) -> bool:
    import psycopg

    try:
        with psycopg.connect(server._dsn("postgres"), connect_timeout=1):
            return True
    except psycopg.OperationalError:
        return False


def _stop(process: subprocess.Popen, first_signal: int) -> None:
    if process.poll() is None:
        process.send_signal(first_signal)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    if process.stderr is not None:
        process.stderr.close()
