"""Build the run's frozen `Config` at the edge: flags, then file, then environment.

The repository's settings live in `.reviewbot.toml` or in the `[tool.reviewbot]`
table of `pyproject.toml`, found by looking in the start directory and its
parents up to the repository root. Every key and value is checked; a mistake
raises `ConfigError` naming the file and the key, with a suggestion for typos.

Nothing here reads the process environment by itself: the caller hands in
`env`, so tests and the other entry points choose what the loader sees.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewbot.config import ANALYZERS, FAIL_ON, LEVELS, Config
from reviewbot.errors import ConfigError
from reviewbot.models import Severity

CONFIG_FILE = ".reviewbot.toml"
PYPROJECT = "pyproject.toml"
MAX_TIMEOUT = 120.0
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
    "max-comments": Setting("max_comments", _int_between(1, 1000)),
    "level": Setting("level", _choice(LEVELS)),
    "analyzers": Setting("analyzers", _analyzers),
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
    "api-key": "secrets do not belong in the repository; set OPENAI_API_KEY (or REVIEWBOT_API_KEY) instead",
    "offline": "use the --offline flag or REVIEWBOT_OFFLINE=1 instead",
}


# --- finding and reading the file ---


@dataclass(frozen=True)
class ConfigFile:
    """The settings table of one configuration file, as written (kebab-case keys)."""

    path: Path
    table: Mapping[str, Any]


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
    """Read one configuration file; `pyproject.toml` contributes its `[tool.reviewbot]`."""
    data = _read_toml(path)
    if path.name != PYPROJECT:
        return ConfigFile(path, data)
    table = data.get("tool", {}).get("reviewbot", {}) if isinstance(data.get("tool"), dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{_shown(path)}: [tool.reviewbot] must be a table")
    return ConfigFile(path, table)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{_shown(path)}: no such configuration file") from None
    except IsADirectoryError:
        raise ConfigError(f"{_shown(path)}: is a directory, not a configuration file") from None
    except OSError as err:
        raise ConfigError(f"{_shown(path)}: cannot read: {err.strerror or err}") from None
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
        values[setting.field] = _parse(setting, raw, f"{_shown(config_file.path)}: {key}")
    return values


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


def load_config(flags: Mapping[str, Any], env: Mapping[str, str], cwd: Path, start: Path | None = None) -> Config:
    """The run's Config: flags, then the configuration file, then `env`, then defaults.

    `flags` maps Config field names to values (None = not given); the special
    key "config" names an explicit configuration file (relative to `cwd`),
    otherwise one is searched for from `start` (default: `cwd`).
    """
    found = config_source(flags, cwd, start)
    from_file = parse_table(read_config_file(found)) if found is not None else {}
    layered = {**parse_env(env), **from_file, **parse_flags(flags)}
    return Config(**layered)


def _explicit_path(value: Any, cwd: Path) -> Path | None:
    if value is None:
        return None
    path = Path(value)
    return path if path.is_absolute() else cwd / path


def config_source(flags: Mapping[str, Any], cwd: Path, start: Path | None = None) -> Path | None:
    """Which configuration file `load_config` reads: the explicit one, else the nearest."""
    return _explicit_path(flags.get("config"), cwd) or find_config(start or cwd)
