"""AppSettings.from_env: every missing or invalid variable stops start-up with one line naming it."""

from __future__ import annotations

from pathlib import Path

import pytest
from server_support import app_env, rsa_pem

from reviewbot.errors import ConfigError
from reviewbot.settings import DEFAULT_API_URL, AppSettings


def settings(tmp_path: Path, **changes: str | None) -> AppSettings:
    env = app_env(tmp_path)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return AppSettings.from_env(env)


def config_error(tmp_path: Path, **changes: str | None) -> str:
    with pytest.raises(ConfigError) as caught:
        settings(tmp_path, **changes)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_complete_environment_gives_the_embedded_defaults(tmp_path: Path) -> None:
    result = settings(tmp_path)
    assert (result.app_id, result.api_url, result.queue_backend) == (12345, DEFAULT_API_URL, "sqlite")
    assert result.store_url == f"sqlite:///{tmp_path / 'reviewbot.db'}"
    assert result.queue_path == tmp_path / "queue.db"
    assert result.webhook_secret == b"it's a secret to everybody"


def test_secrets_never_appear_in_the_repr(tmp_path: Path) -> None:
    text = repr(settings(tmp_path, OPENAI_API_KEY="sk-secret"))
    assert "PRIVATE KEY" not in text and "secret to everybody" not in text and "sk-secret" not in text


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GITHUB_APP_ID", None),
        ("GITHUB_APP_ID", ""),
        ("GITHUB_APP_ID", "abc"),
        ("GITHUB_APP_ID", "0"),
        ("GITHUB_WEBHOOK_SECRET", None),
        ("GITHUB_API_URL", "ftp://example.com"),
        ("REVIEWBOT_REDIS_URL", "localhost:6379"),
        ("REVIEWBOT_DATABASE_URL", "mysql://u@h/db"),
        ("REVIEWBOT_REVIEW_DRAFTS", "maybe"),
        ("REVIEWBOT_JOB_RETRIES", "many"),
        ("REVIEWBOT_JOB_RETRIES", "99"),
        ("REVIEWBOT_JOB_RETRY_DELAY", "-1"),
        ("REVIEWBOT_MODEL", "   "),
        ("REVIEWBOT_TIMEOUT", "soon"),
    ],
)
def test_a_missing_or_invalid_variable_is_named(tmp_path: Path, name: str, value: str | None) -> None:
    if name == "REVIEWBOT_MODEL":  # blank means unset: no model, no error
        assert settings(tmp_path, REVIEWBOT_MODEL=value).review.model is None
        return
    assert name in config_error(tmp_path, **{name: value})


def test_a_missing_private_key_names_both_ways_to_give_it(tmp_path: Path) -> None:
    message = config_error(tmp_path, GITHUB_APP_PRIVATE_KEY=None)
    assert "GITHUB_APP_PRIVATE_KEY" in message and "GITHUB_APP_PRIVATE_KEY_PATH" in message


def test_a_private_key_that_is_not_pem_is_refused(tmp_path: Path) -> None:
    assert "GITHUB_APP_PRIVATE_KEY" in config_error(tmp_path, GITHUB_APP_PRIVATE_KEY="not a key")


def test_a_non_rsa_private_key_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    assert "RSA" in config_error(tmp_path, GITHUB_APP_PRIVATE_KEY=pem)


def test_a_private_key_with_escaped_newlines_is_accepted(tmp_path: Path) -> None:
    escaped = rsa_pem().strip().replace("\n", "\\n")
    assert settings(tmp_path, GITHUB_APP_PRIVATE_KEY=escaped).private_key == rsa_pem()


def test_the_private_key_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "app.pem"
    key_file.write_text(rsa_pem())
    result = settings(tmp_path, GITHUB_APP_PRIVATE_KEY=None, GITHUB_APP_PRIVATE_KEY_PATH=str(key_file))
    assert result.private_key == rsa_pem()


def test_an_unreadable_key_file_is_named(tmp_path: Path) -> None:
    message = config_error(tmp_path, GITHUB_APP_PRIVATE_KEY=None, GITHUB_APP_PRIVATE_KEY_PATH=str(tmp_path / "nope"))
    assert "GITHUB_APP_PRIVATE_KEY_PATH" in message and "nope" in message


def test_giving_the_key_both_ways_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "app.pem"
    key_file.write_text(rsa_pem())
    assert "only one" in config_error(tmp_path, GITHUB_APP_PRIVATE_KEY_PATH=str(key_file))


def test_a_worker_needs_no_webhook_secret(tmp_path: Path) -> None:
    env = app_env(tmp_path)
    del env["GITHUB_WEBHOOK_SECRET"]
    assert AppSettings.from_env(env, require_webhook_secret=False).webhook_secret == b""


def test_github_enterprise_server_api_url_is_kept_without_trailing_slash(tmp_path: Path) -> None:
    result = settings(tmp_path, GITHUB_API_URL="https://ghe.example.com/api/v3/")
    assert result.api_url == "https://ghe.example.com/api/v3"


def test_scale_mode_uses_redis_and_postgresql_through_psycopg(tmp_path: Path) -> None:
    result = settings(tmp_path, REVIEWBOT_REDIS_URL="redis://q:6379/0", REVIEWBOT_DATABASE_URL="postgres://u:p@db/rb")
    assert (result.queue_backend, result.store_url) == ("redis", "postgresql+psycopg://u:p@db/rb")


def test_the_data_dir_defaults_under_the_users_state_directory(tmp_path: Path) -> None:
    result = settings(tmp_path, REVIEWBOT_DATA_DIR=None, HOME="/home/bot")
    assert result.data_dir == Path("/home/bot/.local/state/reviewbot")
    assert "REVIEWBOT_DATA_DIR" in config_error(tmp_path, REVIEWBOT_DATA_DIR=None, HOME=None)


def test_llm_settings_are_read_like_the_cli_reads_them(tmp_path: Path) -> None:
    result = settings(tmp_path, REVIEWBOT_MODEL="gpt-test", OPENAI_API_KEY="sk-x", REVIEWBOT_REVIEW_DRAFTS="yes")
    assert (result.review.model, result.review.api_key, result.review.llm_configured) == ("gpt-test", "sk-x", True)
    assert result.review_drafts is True


def test_a_public_url_makes_the_explorer_address(tmp_path) -> None:
    from server_support import app_env

    from reviewbot.settings import AppSettings

    settings = AppSettings.from_env(app_env(tmp_path, REVIEWBOT_PUBLIC_URL="https://reviewbot.example.com/"))
    assert settings.explorer_url == "https://reviewbot.example.com/principles"
    assert AppSettings.from_env(app_env(tmp_path)).explorer_url is None


@pytest.mark.parametrize("value", ["reviewbot.example.com", "ftp://x.example", "https://", "https://x.example/?a=1"])
def test_a_public_url_that_is_not_one_is_refused(tmp_path, value: str) -> None:
    from server_support import app_env

    from reviewbot.errors import ConfigError
    from reviewbot.settings import AppSettings

    with pytest.raises(ConfigError, match="REVIEWBOT_PUBLIC_URL must be the http"):
        AppSettings.from_env(app_env(tmp_path, REVIEWBOT_PUBLIC_URL=value))
