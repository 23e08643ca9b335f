"""Build the run's frozen `Config` at the edge, deciding by trust where each setting may come from.

Sources, strongest first: command-line flags, the environment, the user's own
file (`$XDG_CONFIG_HOME/reviewbot/config.toml`, default
`~/.config/reviewbot/config.toml`), then the repository's policy file
(`.reviewbot.toml` or the `[tool.reviewbot]` table of `pyproject.toml`).

A repository file is written by whoever can commit, so it sets review policy
only (what is reviewed and reported). The settings that decide where code and
the API key go (`ROUTING_KEYS`: model, server, timeout, concurrency) are
rejected there with an error that says where they belong. The caller decides
which revision the repository file is read from (`reviewbot.cli.policy`).

Every key and value is checked; a mistake raises `ConfigError` naming the file
and the key, with a suggestion for typos. Nothing here reads the process
environment by itself: the caller hands in `env`.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewbot.config import ANALYZERS, COMMENT_ON, FAIL_ON, LEVELS, MAX_TIMEOUT, Config
from reviewbot.errors import ConfigError
from reviewbot.models import Severity

CONFIG_FILE = ".reviewbot.toml"
PYPROJECT = "pyproject.toml"
MAX_CONCURRENCY = 64


# --- value parsers: each returns the Config value or raises ValueError(reason) ---


def _severity(value: Any) -> Severity:
    return Severity.parse(_string(value))


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _string(value).strip().lower()
        if text not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {value!r}")
        return text

    return parse


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {_type_name(value)}")
    return value


def _nonempty(value: Any) -> str:
    text = _string(value).strip()
    if not text:
        raise ValueError("expected a non-empty string")
    return text


def _url(value: Any) -> str:
    text = _nonempty(value)
    if not text.startswith(("http://", "https://")):
        raise ValueError(f"expected an http:// or https:// URL, got {value!r}")
    return text


def _globs(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError("expected a list of glob patterns (strings)")
    return tuple(v.strip() for v in value)


def _analyzers(value: Any) -> tuple[str, ...]:
    names = _globs(value)
    unknown = [name for name in names if name not in ANALYZERS]
    if unknown:
        raise ValueError(f"unknown analyzer {unknown[0]!r} (choose from: {', '.join(ANALYZERS)})")
    return tuple(dict.fromkeys(names))


def _int_between(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        number = _number(value, int)
        if not low <= number <= high:
            raise ValueError(f"expected a whole number from {low} to {high}, got {value!r}")
        return int(number)

    return parse


def _timeout(value: Any) -> float:
    seconds = _number(value, float)
    if not 0 < seconds <= MAX_TIMEOUT:
        raise ValueError(f"expected seconds above 0 and at most {MAX_TIMEOUT:g}, got {value!r}")
    return float(seconds)


def _number(value: Any, kind: type) -> float:
    """A TOML number, or a string holding one (flags and the environment are text)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {_type_name(value)}")
    if isinstance(value, str):
        try:
            value = kind(value.strip())
        except ValueError:
            raise ValueError(f"expected a number, got {value!r}") from None
    if kind is int and isinstance(value, float) and not value.is_integer():
        raise ValueError(f"expected a whole number, got {value!r}")
    if not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {_type_name(value)}")
    return value


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def _strict_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a table"}.get(
        type(value), type(value).__name__
    )


@dataclass(frozen=True)
class Setting:
    """One setting: its Config field, how to parse it, and its environment variables."""

    field: str
    parse: Callable[[Any], Any]
    env: tuple[str, ...] = ()


# File keys (kebab-case, as in the documentation) -> setting.
SETTINGS: dict[str, Setting] = {
    "ignore": Setting("ignore", _globs),
    "severity": Setting("min_severity", _severity),
    "fail-on": Setting("fail_on", _choice(FAIL_ON)),
    "comment-on": Setting("comment_on", _choice(COMMENT_ON), ("REVIEWBOT_COMMENT_ON",)),
    "max-comments": Setting("max_comments", _int_between(1, 1000)),
    "level": Setting("level", _choice(LEVELS)),
    "analyzers": Setting("analyzers", _analyzers),
    "tests": Setting("tests", _globs),  # the test profile: globs of test code (reviewbot.review.testpaths)
    "instructions": Setting("instructions", _string),
    "model": Setting("model", _nonempty, ("REVIEWBOT_MODEL",)),
    "base-url": Setting("base_url", _url, ("REVIEWBOT_BASE_URL", "OPENAI_BASE_URL")),
    "timeout": Setting("timeout", _timeout, ("REVIEWBOT_TIMEOUT",)),
    "concurrency": Setting("concurrency", _int_between(1, MAX_CONCURRENCY), ("REVIEWBOT_CONCURRENCY",)),
    "request-changes": Setting("request_changes", _strict_bool),
    "review-drafts": Setting("review_drafts", _strict_bool),
}

# Settings that only come from flags or the environment, never from a file.
ENV_ONLY: dict[str, Setting] = {
    "api_key": Setting("api_key", _nonempty, ("REVIEWBOT_API_KEY", "OPENAI_API_KEY")),
    "offline": Setting("offline", _flag, ("REVIEWBOT_OFFLINE",)),
}

_NOT_IN_FILES = {
    "api-key": "keep secrets out of files; set OPENAI_API_KEY (or REVIEWBOT_API_KEY) instead",
    "offline": "use the --offline flag or REVIEWBOT_OFFLINE=1 instead",
}

# Settings that decide where code and the API key go: never from a repository file.
ROUTING_KEYS = ("model", "base-url", "timeout", "concurrency")
USER_FILE = "config.toml"


# --- finding and reading the file ---


@dataclass(frozen=True)
class ConfigFile:
    """The settings table of one configuration file, as written (kebab-case keys).

    `trusted` is True only for the user's own file: a repository file may not
    hold the `ROUTING_KEYS`.
    """

    path: Path
    table: Mapping[str, Any]
    trusted: bool = False


def user_config_path(env: Mapping[str, str]) -> Path | None:
    """`$XDG_CONFIG_HOME/reviewbot/config.toml`, else `$HOME/.config/...`; None without either."""
    base = env.get("XDG_CONFIG_HOME", "").strip()
    if not base or not Path(base).is_absolute():  # the XDG spec ignores relative values
        home = env.get("HOME", "").strip()
        if not home:
            return None
        base = str(Path(home) / ".config")
    return Path(base) / "reviewbot" / USER_FILE


def read_user_config(env: Mapping[str, str]) -> ConfigFile | None:
    """The user's own settings file, when it exists (it may hold every setting but the key)."""
    path = user_config_path(env)
    if path is None or not path.exists():
        return None
    return ConfigFile(path, _read_toml(path), trusted=True)


def find_config(start: Path) -> Path | None:
    """The nearest `.reviewbot.toml`, or `pyproject.toml` with `[tool.reviewbot]`.

    Looks in `start` and its parents up to the repository root (the first
    directory holding `.git`); outside a repository only `start` is searched.
    """
    for directory in _search_dirs(start.resolve()):
        if (directory / CONFIG_FILE).is_file():
            return directory / CONFIG_FILE
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _search_dirs(start: Path) -> list[Path]:
    chain = [start, *start.parents]
    for index, directory in enumerate(chain):
        if (directory / ".git").exists():
            return chain[: index + 1]
    return [start]


def _has_tool_table(pyproject: Path) -> bool:
    data = _read_toml(pyproject)
    return isinstance(data.get("tool"), dict) and "reviewbot" in data["tool"]


def read_config_file(path: Path) -> ConfigFile:
    """Read one repository policy file; `pyproject.toml` contributes its `[tool.reviewbot]`."""
    return config_from_data(path.name, _read_toml(path), path)


def config_from_bytes(name: str, data: bytes, shown: Path) -> ConfigFile:
    """A repository policy file named `name` from its bytes (e.g. read from a git revision).

    `shown` is how messages name it, e.g. `pyproject.toml (at main)`.
    """
    return config_from_data(name, _toml_from_bytes(shown, data), shown)


def config_from_data(name: str, data: Mapping[str, Any], shown: Path) -> ConfigFile:
    if name != PYPROJECT:
        return ConfigFile(shown, data)
    table = data.get("tool", {}).get("reviewbot", {}) if isinstance(data.get("tool"), dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{_shown(shown)}: [tool.reviewbot] must be a table")
    return ConfigFile(shown, table)


def has_tool_table(data: bytes) -> bool:
    """Whether `pyproject.toml` bytes hold a `[tool.reviewbot]` table (invalid TOML counts: it is reported)."""
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True
    return isinstance(parsed.get("tool"), dict) and "reviewbot" in parsed["tool"]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{_shown(path)}: no such configuration file") from None
    except IsADirectoryError:
        raise ConfigError(f"{_shown(path)}: is a directory, not a configuration file") from None
    except OSError as err:
        raise ConfigError(f"{_shown(path)}: cannot read: {err.strerror or err}") from None
    return _toml_from_bytes(path, data)


def _toml_from_bytes(path: Path, data: bytes) -> dict[str, Any]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{_shown(path)}: not UTF-8 text (byte {err.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{_shown(path)}: invalid TOML: {err}") from None


def _shown(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


# --- validating and layering ---


def parse_table(config_file: ConfigFile) -> dict[str, Any]:
    """Validate a file's table into Config field values; errors name the file and key."""
    values: dict[str, Any] = {}
    for key, raw in config_file.table.items():
        setting = _setting_for(key, config_file.path)
        if key in ROUTING_KEYS and not config_file.trusted:
            raise ConfigError(_routing_message(key, config_file.path))
        values[setting.field] = _parse(setting, raw, f"{_shown(config_file.path)}: {key}")
    return values


def _routing_message(key: str, path: Path) -> str:
    env = SETTINGS[key].env
    where = f"--{key}, " if key in ("model", "concurrency") else ""
    return (
        f"{_shown(path)}: key '{key}' is not read from a repository file: it decides where your code "
        f"and API key go, so a change could send them elsewhere; set it with {where}{env[0]} "
        f"or in your own ~/.config/reviewbot/{USER_FILE}"
    )


def _setting_for(key: str, path: Path) -> Setting:
    if key in SETTINGS:
        return SETTINGS[key]
    if key in _NOT_IN_FILES:
        raise ConfigError(f"{_shown(path)}: key '{key}' is not allowed here: {_NOT_IN_FILES[key]}")
    close = difflib.get_close_matches(key, list(SETTINGS), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(SETTINGS)})"
    raise ConfigError(f"{_shown(path)}: unknown key '{key}'{hint}")


def _parse(setting: Setting, raw: Any, where: str) -> Any:
    try:
        return setting.parse(raw)
    except ValueError as err:
        raise ConfigError(f"{where}: {err}") from None


def parse_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Config field values from environment variables (the first variable set wins)."""
    values: dict[str, Any] = {}
    for setting in (*SETTINGS.values(), *ENV_ONLY.values()):
        name = next((n for n in setting.env if env.get(n, "").strip()), None)
        if name is not None:
            values[setting.field] = _parse(setting, env[name], f"environment variable {name}")
    return values


def parse_flags(flags: Mapping[str, Any]) -> dict[str, Any]:
    """Config field values from command-line flags (None = not given; other keys are ignored)."""
    by_field = {s.field: (key, s) for key, s in SETTINGS.items()} | {s.field: (key, s) for key, s in ENV_ONLY.items()}
    values: dict[str, Any] = {}
    for field, raw in flags.items():
        if raw is None or field not in by_field:
            continue
        key, setting = by_field[field]
        values[field] = _parse(setting, raw, f"--{key.replace('_', '-')}")
    return values


def load_config(
    flags: Mapping[str, Any],
    env: Mapping[str, str],
    repository: ConfigFile | None = None,
    user: ConfigFile | None = None,
) -> Config:
    """The run's Config: flags, then `env`, then the user's file, then the repository's, then defaults."""
    layers = (
        parse_table(repository) if repository is not None else {},
        parse_table(user) if user is not None else {},
        parse_env(env),
        parse_flags(flags),
    )
    return Config(**{field: value for layer in layers for field, value in layer.items()})


def explicit_path(value: Any, cwd: Path) -> Path | None:
    """The `--config FILE` path (relative to `cwd`), or None when not given."""
    if value is None:
        return None
    path = Path(value)
    return path if path.is_absolute() else cwd / path
