"""Secrets from files: `NAME_FILE=/run/secrets/name` stands for `NAME=<the file's text>`.

Containers and orchestrators hand secrets over as mounted files (Docker and
Compose secrets, Kubernetes secret volumes), so a secret never sits in an image,
a compose file or `docker inspect` output. The edges (`reviewbot serve`,
`reviewbot worker`, the ASGI factory) resolve these once, before settings are
built; nothing else reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from reviewbot.errors import ConfigError

SECRET_VARIABLES = (
    "GITHUB_WEBHOOK_SECRET",
    "GITHUB_APP_PRIVATE_KEY",
    "GITHUB_CLIENT_SECRET",
    "OPENAI_API_KEY",
    "REVIEWBOT_DATABASE_URL",
    "REVIEWBOT_REDIS_URL",
    "REVIEWBOT_SESSION_KEY",
)
SUFFIX = "_FILE"
MAX_BYTES = 64 * 1024  # a secret, a key or a URL; anything larger is a wrong path


def resolve_secret_files(env: Mapping[str, str]) -> dict[str, str]:
    """`env` with each `NAME_FILE` in SECRET_VARIABLES replaced by `NAME` = the file's text.

    An empty file means "not set". Setting both `NAME` and `NAME_FILE` is an error,
    as is a file that cannot be read; each message names the variable.
    """
    resolved = dict(env)
    for name in SECRET_VARIABLES:
        path = resolved.pop(name + SUFFIX, "").strip()
        if not path:
            continue
        if resolved.get(name, "").strip():
            raise ConfigError(f"both {name} and {name}{SUFFIX} are set: keep one")
        text = _read(name + SUFFIX, Path(path))
        if text:
            resolved[name] = text
    return resolved


def _read(variable: str, path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise ConfigError(f"{variable}: cannot read {path}: {err.strerror or err}") from None
    if len(data) > MAX_BYTES:
        raise ConfigError(f"{variable}: {path} is larger than {MAX_BYTES // 1024} KiB; is it the right file?")
    try:
        return data.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise ConfigError(f"{variable}: {path} is not UTF-8 text") from None
