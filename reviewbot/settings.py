"""Settings of the GitHub App server and its workers, read once from the environment.

`AppSettings.from_env(os.environ)` is called at the edge (serve / worker start-up);
nothing here reads the environment by itself. A missing or invalid variable
raises ConfigError with one line naming it and saying how to fix it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from reviewbot.accounts import DEFAULT_API_URL
from reviewbot.config import Config
from reviewbot.errors import ConfigError
from reviewbot.signin_settings import SigninSettings
from reviewbot.threads.settings import ThreadSettings

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})
POSTGRES_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://")
REDIS_PREFIXES = ("redis://", "rediss://", "unix://")


@dataclass(frozen=True)
class AppSettings:
    app_id: int
    private_key: str = field(repr=False)
    webhook_secret: bytes = field(repr=False)  # b"" for a worker, which never sees deliveries
    api_url: str = DEFAULT_API_URL  # GitHub Enterprise Server: https://HOST/api/v3
    redis_url: str | None = None
    database_url: str | None = None
    data_dir: Path = Path("reviewbot-data")
    review: Config = field(default_factory=Config)  # LLM and review defaults, from the same variables `reviewbot check` reads
    review_drafts: bool = False
    job_retries: int = 4
    job_retry_delay: float = 30.0
    job_lease: float = 60.0  # seconds a killed worker's job waits before another worker runs it
    threads: ThreadSettings = ThreadSettings()  # why-thread guard rails (REVIEWBOT_THREAD_*)
    public_url: str | None = None  # where people reach this server (REVIEWBOT_PUBLIC_URL): principle links
    signin: SigninSettings | None = None  # "Sign in with GitHub" for the learner map (reviewbot.server.signin)

    @property
    def explorer_url(self) -> str | None:
        """The principle explorer's address as people see it, when the operator gave a public URL."""
        return f"{self.public_url}/principles" if self.public_url else None

    @property
    def queue_backend(self) -> str:
        return "redis" if self.redis_url else "sqlite"

    @property
    def queue_path(self) -> Path:
        return self.data_dir / "queue.db"

    @property
    def store_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'reviewbot.db'}"

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str],
        *,
        require_webhook_secret: bool = True,
        read_text: Callable[[Path], str] = Path.read_text,
    ) -> AppSettings:
        return cls(
            app_id=_app_id(env),
            private_key=_private_key(env, read_text),
            webhook_secret=_webhook_secret(env, require_webhook_secret),
            api_url=_api_url(env),
            redis_url=_redis_url(env),
            database_url=_database_url(env),
            data_dir=_data_dir(env),
            review=_review_config(env),
            review_drafts=_flag(env, "REVIEWBOT_REVIEW_DRAFTS"),
            job_retries=int(_number(env, "REVIEWBOT_JOB_RETRIES", 4, 0, 20)),
            job_retry_delay=_number(env, "REVIEWBOT_JOB_RETRY_DELAY", 30.0, 0.0, 3600.0),
            job_lease=_number(env, "REVIEWBOT_JOB_LEASE", 60.0, 1.0, 3600.0),
            threads=ThreadSettings.from_env(env),
            public_url=_public_url(env),
            signin=SigninSettings.from_env(env, _api_url(env), _public_url(env)),
        )


def _text(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _review_config(env: Mapping[str, str]) -> Config:
    from reviewbot.config_loader import parse_env

    return Config(**parse_env(env))


def _app_id(env: Mapping[str, str]) -> int:
    value = _text(env, "GITHUB_APP_ID")
    if value is None:
        raise ConfigError("GITHUB_APP_ID is not set: give the App ID shown on the GitHub App's settings page")
    if not value.isdigit() or int(value) <= 0:
        raise ConfigError(f"GITHUB_APP_ID must be the App's numeric id, got {value!r}")
    return int(value)


def _private_key(env: Mapping[str, str], read_text: Callable[[Path], str]) -> str:
    inline, path = env.get("GITHUB_APP_PRIVATE_KEY", "").strip(), _text(env, "GITHUB_APP_PRIVATE_KEY_PATH")
    if inline and path:
        raise ConfigError("set only one of GITHUB_APP_PRIVATE_KEY and GITHUB_APP_PRIVATE_KEY_PATH")
    if inline:
        return _checked_pem("GITHUB_APP_PRIVATE_KEY", inline if "\n" in inline else inline.replace("\\n", "\n"))
    if path:
        return _checked_pem("GITHUB_APP_PRIVATE_KEY_PATH", _read_key(path, read_text))
    raise ConfigError(
        "GITHUB_APP_PRIVATE_KEY is not set: give the App's private key (PEM text), "
        "or its file in GITHUB_APP_PRIVATE_KEY_PATH"
    )


def _read_key(path: str, read_text: Callable[[Path], str]) -> str:
    try:
        return read_text(Path(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"GITHUB_APP_PRIVATE_KEY_PATH: cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _checked_pem(name: str, pem: str) -> str:
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(pem.encode("utf-8"), password=None)
    except (ValueError, TypeError):
        raise ConfigError(
            f"{name} is not a usable PEM private key: use the unencrypted .pem file GitHub generated for the App"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConfigError(f"{name} must be an RSA private key (GitHub Apps sign their tokens with RS256)")
    return pem.strip() + "\n"


MIN_SECRET_LENGTH = 16


def _webhook_secret(env: Mapping[str, str], required: bool) -> bytes:
    value = env.get("GITHUB_WEBHOOK_SECRET", "")
    if not value and required:
        raise ConfigError("GITHUB_WEBHOOK_SECRET is not set: give the webhook secret set on the GitHub App's page")
    if value and len(value) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"GITHUB_WEBHOOK_SECRET is {len(value)} characters long; use at least {MIN_SECRET_LENGTH} "
            "(make one with: python3 -c 'import secrets; print(secrets.token_hex(32))', and set it on the App's page too)"
        )
    return value.encode("utf-8")


def _api_url(env: Mapping[str, str]) -> str:
    value = _text(env, "GITHUB_API_URL") or DEFAULT_API_URL
    if not value.startswith(("https://", "http://")) or len(value) <= len("https://"):
        raise ConfigError(f"GITHUB_API_URL must be an http(s) URL such as {DEFAULT_API_URL}, got {value!r}")
    return value.rstrip("/")


def _public_url(env: Mapping[str, str]) -> str | None:
    value = _text(env, "REVIEWBOT_PUBLIC_URL")
    if value is None:
        return None
    parsed = urlsplit(value)
    if parsed.scheme not in {"https", "http"} or not parsed.netloc or parsed.query or parsed.fragment:
        raise ConfigError(
            f"REVIEWBOT_PUBLIC_URL must be the http(s) address people reach this server at, such as "
            f"https://reviewbot.example.com, got {value!r}"
        )
    return value.rstrip("/")


def _redis_url(env: Mapping[str, str]) -> str | None:
    value = _text(env, "REVIEWBOT_REDIS_URL")
    if value is not None and not value.startswith(REDIS_PREFIXES):
        raise ConfigError(f"REVIEWBOT_REDIS_URL must start with redis://, rediss:// or unix://, got {value!r}")
    return value


def _database_url(env: Mapping[str, str]) -> str | None:
    value = _text(env, "REVIEWBOT_DATABASE_URL")
    if value is None or value.startswith("sqlite:///"):
        return value
    if not value.startswith(POSTGRES_PREFIXES):
        raise ConfigError(
            "REVIEWBOT_DATABASE_URL must be a PostgreSQL URL (postgresql://user:pass@host/db) "
            f"or sqlite:///path, got {value.split('://')[0]!r}://..."
        )
    return "postgresql+psycopg://" + value.split("://", 1)[1]


def _data_dir(env: Mapping[str, str]) -> Path:
    explicit = _text(env, "REVIEWBOT_DATA_DIR")
    if explicit:
        return Path(explicit)
    state = _text(env, "XDG_STATE_HOME") or (env.get("HOME") and f"{env['HOME']}/.local/state")
    if not state:
        raise ConfigError("REVIEWBOT_DATA_DIR is not set and there is no HOME: give a directory for the queue files")
    return Path(state) / "reviewbot"


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value not in TRUE_WORDS | FALSE_WORDS:
        raise ConfigError(f"{name} must be true or false, got {value!r}")
    return value in TRUE_WORDS


def _number(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    value = _text(env, name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {value!r}") from None
    if not low <= number <= high:
        raise ConfigError(f"{name} must be between {low:g} and {high:g}, got {value}")
    return number
