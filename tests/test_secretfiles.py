"""Secrets handed over as files (`NAME_FILE`), the way containers mount them."""

from __future__ import annotations

import pytest

from reviewbot.errors import ConfigError
from reviewbot.secretfiles import resolve_secret_files


def test_a_file_variable_becomes_the_secret_without_its_trailing_newline(tmp_path) -> None:
    secret = tmp_path / "github_webhook_secret"
    secret.write_text("s3cret-value-of-some-length\n")
    env = resolve_secret_files({"GITHUB_WEBHOOK_SECRET_FILE": str(secret), "HOME": "/home/x"})
    assert env == {"GITHUB_WEBHOOK_SECRET": "s3cret-value-of-some-length", "HOME": "/home/x"}


def test_an_empty_file_means_not_set(tmp_path) -> None:
    empty = tmp_path / "openai_api_key"
    empty.write_text("")
    assert resolve_secret_files({"OPENAI_API_KEY_FILE": str(empty)}) == {}


def test_a_pem_keeps_its_inner_newlines(tmp_path) -> None:
    pem = tmp_path / "key.pem"
    pem.write_text("-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n")
    env = resolve_secret_files({"GITHUB_APP_PRIVATE_KEY_FILE": str(pem)})
    assert env["GITHUB_APP_PRIVATE_KEY"].count("\n") == 2


def test_other_variables_ending_in_file_are_left_alone() -> None:
    env = {"REVIEWBOT_CONFIG_FILE": "x", "GITHUB_STEP_SUMMARY": "y"}
    assert resolve_secret_files(env) == env


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: {"OPENAI_API_KEY": "sk-x", "OPENAI_API_KEY_FILE": str(p)},
         "both OPENAI_API_KEY and OPENAI_API_KEY_FILE are set: keep one"),
        (lambda p: {"REVIEWBOT_DATABASE_URL_FILE": str(p / "missing")},
         "REVIEWBOT_DATABASE_URL_FILE: cannot read .*missing: No such file or directory"),
        (lambda p: {"GITHUB_WEBHOOK_SECRET_FILE": str(p)},
         "GITHUB_WEBHOOK_SECRET_FILE: cannot read .*: Is a directory"),
    ],
)
def test_mistakes_name_the_variable(tmp_path, setup, message) -> None:
    with pytest.raises(ConfigError, match=message):
        resolve_secret_files(setup(tmp_path))


def test_a_huge_file_is_refused(tmp_path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * 70_000)
    with pytest.raises(ConfigError, match="larger than 64 KiB"):
        resolve_secret_files({"REVIEWBOT_REDIS_URL_FILE": str(big)})


def test_binary_content_is_refused(tmp_path) -> None:
    binary = tmp_path / "bin"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        resolve_secret_files({"OPENAI_API_KEY_FILE": str(binary)})


def test_reviewbot_serve_reads_its_secrets_from_files_in_every_process(tmp_path) -> None:
    """`serve --workers 2` checks settings once, then each uvicorn process builds them again."""
    import httpx
    from server_support import app_env, running_serve, signed
    from webhook_examples import example

    env = app_env(tmp_path / "data")
    (tmp_path / "webhook_secret").write_text(env.pop("GITHUB_WEBHOOK_SECRET") + "\n")
    (tmp_path / "key.pem").write_text(env.pop("GITHUB_APP_PRIVATE_KEY"))
    env.update(GITHUB_WEBHOOK_SECRET_FILE=str(tmp_path / "webhook_secret"),
               GITHUB_APP_PRIVATE_KEY_FILE=str(tmp_path / "key.pem"))
    with running_serve(["--workers", "2", "--jobs", "0"], env) as base:
        statuses = set()
        for n in range(4):  # reaches both processes
            payload = {**example("pull_request", "synchronize"), "number": n + 1}  # a body per delivery
            headers, body = signed(payload, "pull_request", f"file-{n}")
            statuses.add(httpx.post(f"{base}/api/github/webhooks", content=body, headers=headers).status_code)
    assert statuses == {202}
