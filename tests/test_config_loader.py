"""Configuration: file discovery, validation of every key, trust and precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbot.config import Config
from reviewbot.config_loader import (
    explicit_path,
    find_config,
    load_config,
    read_config_file,
    read_user_config,
    user_config_path,
)
from reviewbot.errors import ConfigError
from reviewbot.models import Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory that looks like a repository root, used as the working directory."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def load(repo: Path, flags: dict | None = None, env: dict | None = None, start: Path | None = None) -> Config:
    """What `reviewbot check` does outside git: the explicit file, else the nearest one on disk."""
    flags, env = flags or {}, env or {}
    found = explicit_path(flags.get("config"), repo) or find_config(start or repo)
    repository = read_config_file(found) if found is not None else None
    return load_config(flags, env, repository, read_user_config(env))


def user_file(tmp_path: Path, text: str) -> dict[str, str]:
    """An environment whose XDG_CONFIG_HOME holds a reviewbot user file with `text`."""
    write(tmp_path / "xdg" / "reviewbot" / "config.toml", text)
    return {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}


def test_defaults_without_any_file(repo: Path) -> None:
    assert load(repo) == Config()


def test_reviewbot_toml_sets_every_policy_key(repo: Path) -> None:
    write(
        repo / ".reviewbot.toml",
        """
ignore = ["docs/**", "*.min.js"]
severity = "warning"
fail-on = "warning"
max-comments = 7
level = "eli12"
analyzers = ["ruff", "diff"]
instructions = "We use SQLAlchemy; prefer bound parameters."
""",
    )
    config = load(repo)
    assert config.ignore == ("docs/**", "*.min.js")
    assert config.min_severity is Severity.WARNING
    assert config.fail_on == "warning"
    assert config.max_comments == 7
    assert config.level == "eli12"
    assert config.analyzers == ("ruff", "diff")
    assert config.instructions.startswith("We use SQLAlchemy")


def test_user_file_sets_the_llm_settings(repo: Path, tmp_path: Path) -> None:
    env = user_file(
        tmp_path, 'model = "gpt-4o-mini"\nbase-url = "http://localhost:11434/v1"\ntimeout = 30\nconcurrency = 2\n'
    )
    config = load(repo, env=env)
    assert config.model == "gpt-4o-mini"
    assert config.base_url == "http://localhost:11434/v1"
    assert config.timeout == 30.0
    assert config.concurrency == 2
    assert config.llm_configured  # a base URL is enough for a local server


@pytest.mark.parametrize("key", ["model", "base-url", "timeout", "concurrency"])
def test_a_repository_file_may_not_route_code_or_keys(repo: Path, key: str) -> None:
    value = {"model": '"m"', "base-url": '"http://attacker.example/v1"', "timeout": "5", "concurrency": "2"}[key]
    write(repo / ".reviewbot.toml", f"{key} = {value}\n")
    with pytest.raises(ConfigError) as caught:
        load(repo, env={"REVIEWBOT_MODEL": "m", "OPENAI_API_KEY": "sk"})
    assert str(caught.value).startswith(f".reviewbot.toml: key '{key}' is not read from a repository file")
    assert "~/.config/reviewbot/config.toml" in str(caught.value)


def test_user_file_location_follows_xdg_then_home(tmp_path: Path) -> None:
    assert user_config_path({"XDG_CONFIG_HOME": "/x", "HOME": "/h"}) == Path("/x/reviewbot/config.toml")
    assert user_config_path({"XDG_CONFIG_HOME": "relative", "HOME": "/h"}) == Path("/h/.config/reviewbot/config.toml")
    assert user_config_path({"HOME": "/h"}) == Path("/h/.config/reviewbot/config.toml")
    assert user_config_path({}) is None
    assert read_user_config({"HOME": str(tmp_path)}) is None  # no file: nothing to read


def test_user_file_keeps_secrets_out(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="key 'api-key' is not allowed here: keep secrets out of files"):
        load(repo, env=user_file(tmp_path, 'api-key = "sk"\n'))


def test_pyproject_tool_table(repo: Path) -> None:
    write(repo / "pyproject.toml", '[project]\nname = "x"\n\n[tool.reviewbot]\nseverity = "error"\n')
    assert load(repo).min_severity is Severity.ERROR


def test_pyproject_without_table_is_not_a_config(repo: Path) -> None:
    write(repo / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config(repo) is None


def test_reviewbot_toml_wins_over_pyproject_in_the_same_directory(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.reviewbot]\nlevel = "eli12"\n')
    write(repo / ".reviewbot.toml", 'level = "engineer"\n')
    assert find_config(repo) == repo / ".reviewbot.toml"


def test_found_from_a_subdirectory_up_to_the_repository_root(repo: Path) -> None:
    write(repo / ".reviewbot.toml", "max-comments = 3\n")
    sub = repo / "src" / "pkg"
    sub.mkdir(parents=True)
    assert load(repo, start=sub).max_comments == 3


def test_search_stops_at_the_repository_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".reviewbot.toml", "max-comments = 3\n")  # outside the repository
    inner = tmp_path / "project"
    (inner / ".git").mkdir(parents=True)
    monkeypatch.chdir(inner)
    assert find_config(inner) is None


def test_outside_a_repository_only_the_start_directory_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".reviewbot.toml", "max-comments = 3\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(tmp_path)
    assert find_config(sub) is None
    assert find_config(tmp_path) == tmp_path / ".reviewbot.toml"


def test_explicit_config_file(repo: Path) -> None:
    write(repo / ".reviewbot.toml", "max-comments = 3\n")
    write(repo / "ci" / "strict.toml", "max-comments = 9\n")
    assert load(repo, flags={"config": "ci/strict.toml"}).max_comments == 9


def test_explicit_pyproject_reads_its_tool_table(repo: Path) -> None:
    write(repo / "other" / "pyproject.toml", '[tool.reviewbot]\nlevel = "eli12"\n')
    assert load(repo, flags={"config": "other/pyproject.toml"}).level == "eli12"


# --- precedence: flags, then file, then environment, then defaults ---


def test_flags_beat_environment_beats_user_file_beats_repository_file(repo: Path, tmp_path: Path) -> None:
    write(repo / ".reviewbot.toml", 'fail-on = "never"\nlevel = "eli12"\nmax-comments = 3\n')
    env = user_file(tmp_path, 'model = "from-user-file"\ntimeout = 20\nconcurrency = 9\nlevel = "engineer"\n')
    env |= {"REVIEWBOT_MODEL": "from-env", "REVIEWBOT_TIMEOUT": "10"}
    config = load(repo, flags={"model": "from-flag", "fail_on": "warning"}, env=env)
    assert (config.model, config.timeout, config.concurrency) == ("from-flag", 10.0, 9)
    assert (config.fail_on, config.level, config.max_comments) == ("warning", "engineer", 3)


def test_environment_supplies_llm_settings(repo: Path) -> None:
    env = {"REVIEWBOT_MODEL": "gpt-4o", "OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": "https://llm.example/v1"}
    config = load(repo, env=env)
    assert (config.model, config.api_key, config.base_url) == ("gpt-4o", "sk-test", "https://llm.example/v1")
    assert config.llm_configured


def test_reviewbot_variables_win_over_openai_ones(repo: Path) -> None:
    env = {"REVIEWBOT_API_KEY": "mine", "OPENAI_API_KEY": "shared", "OPENAI_BASE_URL": "http://a/v1"}
    assert load(repo, env=env).api_key == "mine"


def test_offline_flag_overrides_a_configured_model(repo: Path) -> None:
    env = {"REVIEWBOT_MODEL": "gpt-4o", "OPENAI_API_KEY": "sk-test"}
    assert not load(repo, flags={"offline": True}, env=env).llm_configured
    assert load(repo, flags={"offline": None}, env=env).llm_configured


def test_unset_flags_do_not_override(repo: Path) -> None:
    write(repo / ".reviewbot.toml", 'fail-on = "never"\n')
    assert load(repo, flags={"fail_on": None, "level": None}).fail_on == "never"


def test_empty_environment_values_are_ignored(repo: Path) -> None:
    assert load(repo, env={"REVIEWBOT_MODEL": "  ", "REVIEWBOT_TIMEOUT": ""}) == Config()


# --- every error names the file (or variable) and the key ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('ignorez = ["x"]\n', "unknown key 'ignorez' (did you mean 'ignore'?)"),
        ("max_comments = 3\n", "unknown key 'max_comments' (did you mean 'max-comments'?)"),
        ("colour = 1\n", "unknown key 'colour' (known keys: ignore, severity"),
        ('severity = "fatal"\n', "severity: unknown severity 'fatal'"),
        ('fail-on = "always"\n', "fail-on: expected one of error, warning, info, never, got 'always'"),
        ("max-comments = 0\n", "max-comments: expected a whole number from 1 to 1000, got 0"),
        ("max-comments = 2.5\n", "max-comments: expected a whole number, got 2.5"),
        ('max-comments = "many"\n', "max-comments: expected a number, got 'many'"),
        ('level = "expert"\n', "level: expected one of engineer, eli12, got 'expert'"),
        ('analyzers = ["ruff", "pylint"]\n', "analyzers: unknown analyzer 'pylint' (choose from: ruff, secrets, diff, oxlint, shellcheck, hadolint, zizmor, actionlint, astgrep)"),
        ("analyzers = 3\n", "analyzers: expected a list of glob patterns"),
        ("ignore = [1, 2]\n", "ignore: expected a list of glob patterns (strings)"),
        ("instructions = 5\n", "instructions: expected a string, got a number"),
        ('api-key = "sk-live"\n', "key 'api-key' is not allowed here: keep secrets out of files"),
        ("offline = true\n", "key 'offline' is not allowed here"),
    ],
)
def test_bad_file_values_are_rejected_naming_file_and_key(repo: Path, text: str, expected: str) -> None:
    write(repo / ".reviewbot.toml", text)
    with pytest.raises(ConfigError) as caught:
        load(repo)
    assert str(caught.value).startswith(".reviewbot.toml: ")
    assert expected in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('model = ""\n', "model: expected a non-empty string"),
        ('base-url = "localhost:8080"\n', "base-url: expected an http:// or https:// URL, got 'localhost:8080'"),
        ("timeout = 0\n", "timeout: expected seconds above 0 and at most 120, got 0"),
        ("timeout = 500\n", "timeout: expected seconds above 0 and at most 120, got 500"),
        ("timeout = true\n", "timeout: expected a number, got a boolean"),
        ("concurrency = 0\n", "concurrency: expected a whole number from 1 to 64, got 0"),
    ],
)
def test_bad_user_file_values_name_the_file_and_key(repo: Path, tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(repo, env=user_file(tmp_path, text))
    assert str(caught.value).startswith("xdg/reviewbot/config.toml: ")  # relative to the working directory
    assert expected in str(caught.value)


def test_invalid_toml_names_file_line_and_column(repo: Path) -> None:
    write(repo / ".reviewbot.toml", 'severity = "error"\nignore = [\n  "a",\n  b\n]\n')
    with pytest.raises(ConfigError, match=r"^\.reviewbot\.toml: invalid TOML: .*line 4, column 3"):
        load(repo)


def test_invalid_pyproject_is_an_error_too(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.reviewbot\n")
    with pytest.raises(ConfigError, match=r"^pyproject\.toml: invalid TOML: .*line 1"):
        load(repo)


def test_tool_reviewbot_must_be_a_table(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool]\nreviewbot = "yes"\n')
    with pytest.raises(ConfigError, match=r"^pyproject\.toml: \[tool\.reviewbot\] must be a table"):
        load(repo)


def test_errors_in_pyproject_name_the_pyproject_file(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.reviewbot]\nignorez = []\n")
    with pytest.raises(ConfigError, match=r"^pyproject\.toml: unknown key 'ignorez' \(did you mean 'ignore'\?\)"):
        load(repo)


def test_missing_explicit_config(repo: Path) -> None:
    with pytest.raises(ConfigError, match=r"^nope\.toml: no such configuration file$"):
        load(repo, flags={"config": "nope.toml"})


def test_directory_as_explicit_config(repo: Path) -> None:
    (repo / "conf").mkdir()
    with pytest.raises(ConfigError, match=r"^conf: is a directory"):
        load(repo, flags={"config": "conf"})


def test_config_that_is_not_utf8(repo: Path) -> None:
    (repo / ".reviewbot.toml").write_bytes(b'instructions = "caf\xe9"\n')
    with pytest.raises(ConfigError, match=r"^\.reviewbot\.toml: not UTF-8 text"):
        load(repo)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"REVIEWBOT_TIMEOUT": "soon"}, "environment variable REVIEWBOT_TIMEOUT: expected a number, got 'soon'"),
        ({"REVIEWBOT_CONCURRENCY": "-1"}, "environment variable REVIEWBOT_CONCURRENCY: expected a whole number"),
        ({"OPENAI_BASE_URL": "ftp://x"}, "environment variable OPENAI_BASE_URL: expected an http:// or https:// URL"),
        ({"REVIEWBOT_OFFLINE": "maybe"}, "environment variable REVIEWBOT_OFFLINE: expected true or false"),
    ],
)
def test_bad_environment_values_name_the_variable(repo: Path, env: dict, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(repo, env=env)
    assert str(caught.value).startswith(expected)


def test_bad_flag_values_name_the_flag(repo: Path) -> None:
    with pytest.raises(ConfigError, match=r"^--max-comments: expected a whole number from 1 to 1000"):
        load(repo, flags={"max_comments": 0})


def test_environment_offline_switch(repo: Path) -> None:
    env = {"REVIEWBOT_MODEL": "m", "OPENAI_API_KEY": "k", "REVIEWBOT_OFFLINE": "1"}
    assert load(repo, env=env).offline is True
