"""The GitHub Actions environment of one `reviewbot action` run, read once at the edge.

GitHub sets the GITHUB_* variables in every job; action.yml turns the
Action's inputs into the REVIEWBOT_* ones (and OPENAI_API_KEY,
OPENAI_BASE_URL, REVIEWBOT_MODEL, which `reviewbot.config_loader` reads).
A missing or invalid value raises ConfigError with one line naming it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewbot.accounts import DEFAULT_API_URL
from reviewbot.config import FAIL_ON
from reviewbot.errors import ConfigError, InputError
from reviewbot.settings import FALSE_WORDS, TRUE_WORDS

DEFAULT_SERVER_URL = "https://github.com"
OUTSIDE_ACTIONS = "`reviewbot action` runs inside a GitHub Actions job (use `reviewbot check` elsewhere)"


@dataclass(frozen=True)
class ActionEnv:
    event_name: str
    event_path: Path
    token: str | None  # GITHUB_TOKEN (the github-token input); checked when the event needs it
    api_url: str = DEFAULT_API_URL
    server_url: str = DEFAULT_SERVER_URL  # GITHUB_SERVER_URL, for links to the posted review
    repository: str | None = None  # GITHUB_REPOSITORY, "owner/name"
    step_summary: Path | None = None  # GITHUB_STEP_SUMMARY: markdown shown on the run's page
    output: Path | None = None  # GITHUB_OUTPUT: the step's outputs
    sarif_file: Path | None = None  # the sarif-file input, resolved against the workspace
    workspace: Path | None = None  # GITHUB_WORKSPACE: the only place the sarif-file may be written
    config_file: str | None = None  # the config input: a path in the repository
    fail_on: str | None = None  # the fail-on input; None: the configuration decides
    review_drafts: bool = False  # REVIEWBOT_REVIEW_DRAFTS, as for the App

    @classmethod
    def from_env(cls, env: Mapping[str, str], cwd: Path) -> ActionEnv:
        """The run's settings; relative paths are taken from GITHUB_WORKSPACE (else `cwd`).

        action.yml runs reviewbot from $RUNNER_TEMP, so `cwd` is not the checkout.
        """
        workspace = _path(_text(env, "GITHUB_WORKSPACE") or str(cwd), cwd)
        return cls(
            event_name=_required(env, "GITHUB_EVENT_NAME"),
            event_path=_path(_required(env, "GITHUB_EVENT_PATH"), cwd),
            token=_text(env, "GITHUB_TOKEN"),
            api_url=_url(env, "GITHUB_API_URL", DEFAULT_API_URL),
            server_url=_url(env, "GITHUB_SERVER_URL", DEFAULT_SERVER_URL),
            repository=_text(env, "GITHUB_REPOSITORY"),
            step_summary=_optional_path(env, "GITHUB_STEP_SUMMARY", cwd),
            output=_optional_path(env, "GITHUB_OUTPUT", cwd),
            sarif_file=_optional_path(env, "REVIEWBOT_SARIF_FILE", workspace),
            workspace=workspace,
            config_file=_config_file(env),
            fail_on=_fail_on(env),
            review_drafts=_flag(env, "REVIEWBOT_REVIEW_DRAFTS"),
        )

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError(
                "GITHUB_TOKEN is not set: pass the github-token input (its default is the workflow's token)"
            )
        return self.token


def read_event(path: Path) -> dict[str, Any]:
    """The webhook payload GitHub saved for this run (GITHUB_EVENT_PATH)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"GITHUB_EVENT_PATH {path}: cannot read the event: {getattr(err, 'strerror', None) or err}") from None
    try:
        payload = json.loads(text)
    except ValueError as err:
        raise InputError(f"GITHUB_EVENT_PATH {path}: the event is not JSON: {err}") from None
    if not isinstance(payload, dict):
        raise InputError(f"GITHUB_EVENT_PATH {path}: the event is not a JSON object")
    return payload


def _text(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _required(env: Mapping[str, str], name: str) -> str:
    value = _text(env, name)
    if value is None:
        raise ConfigError(f"{name} is not set: {OUTSIDE_ACTIONS}")
    return value


def _path(text: str, cwd: Path) -> Path:
    path = Path(text).expanduser()
    return path if path.is_absolute() else cwd / path


def _optional_path(env: Mapping[str, str], name: str, cwd: Path) -> Path | None:
    value = _text(env, name)
    return None if value is None else _path(value, cwd)


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    value = _text(env, name) or default
    if not value.startswith(("https://", "http://")) or not value.split("://", 1)[1]:
        raise ConfigError(f"{name} must be an http(s) URL such as {default}, got {value!r}")
    return value.rstrip("/")


def _config_file(env: Mapping[str, str]) -> str | None:
    value = _text(env, "REVIEWBOT_CONFIG")
    if value is None:
        return None
    path = value.removeprefix("./")
    if path.startswith("/") or ".." in Path(path).parts or not path:
        raise ConfigError(f"config: give a path inside the repository, such as .github/reviewbot.toml, got {value!r}")
    return path


def _fail_on(env: Mapping[str, str]) -> str | None:
    value = (_text(env, "REVIEWBOT_FAIL_ON") or "").lower()
    if value and value not in FAIL_ON:
        raise ConfigError(f"fail-on must be one of {', '.join(FAIL_ON)}, got {value!r}")
    return value or None


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value not in TRUE_WORDS | FALSE_WORDS:
        raise ConfigError(f"{name} must be true or false, got {value!r}")
    return value in TRUE_WORDS
