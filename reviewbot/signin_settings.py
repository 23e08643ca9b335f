"""Settings of "Sign in with GitHub" (reviewbot.server.signin), read once at the edge with AppSettings.

All four of GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, REVIEWBOT_SESSION_KEY and
REVIEWBOT_PUBLIC_URL set: sign-in is on. None of the first three set: it is off and
its routes say what to set. Some but not all: a ConfigError naming what is missing,
so a half-done setup fails at start-up rather than at someone's first sign-in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from reviewbot.errors import ConfigError

MIN_SESSION_KEY = 32
SIGNIN_VARIABLES = ("GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET", "REVIEWBOT_SESSION_KEY")
CALLBACK_PATH = "/login/callback"
NOT_SET_UP = (
    "Sign in with GitHub is not set up on this server. The operator sets GITHUB_CLIENT_ID and "
    "GITHUB_CLIENT_SECRET (the GitHub App's client ID and a client secret, from the App's settings page), "
    f"REVIEWBOT_SESSION_KEY (at least {MIN_SESSION_KEY} random characters) and REVIEWBOT_PUBLIC_URL, "
    f"and adds REVIEWBOT_PUBLIC_URL{CALLBACK_PATH} as a callback URL in the App's settings."
)


@dataclass(frozen=True)
class SigninSettings:
    client_id: str
    client_secret: str = field(repr=False)
    session_key: bytes = field(repr=False)  # the HMAC key of cookies and state (derived from the variable)
    public_url: str  # where people reach this server; the callback is public_url + CALLBACK_PATH
    web_url: str  # GitHub's web address (authorize, token exchange): https://github.com or the Enterprise host
    api_url: str  # GitHub's REST API: GET /user

    @property
    def callback_url(self) -> str:
        return self.public_url + CALLBACK_PATH

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @classmethod
    def from_env(cls, env: Mapping[str, str], api_url: str, public_url: str | None) -> SigninSettings | None:
        """The settings, or None when sign-in is not configured at all."""
        values = {name: env.get(name, "").strip() for name in SIGNIN_VARIABLES}
        if not any(values.values()):
            return None
        missing = [name for name, value in values.items() if not value]
        if public_url is None:
            missing.append("REVIEWBOT_PUBLIC_URL")
        if missing:
            raise ConfigError(f"Sign in with GitHub needs {', '.join(missing)} as well: {NOT_SET_UP}")
        key = values["REVIEWBOT_SESSION_KEY"]
        if len(key) < MIN_SESSION_KEY:
            raise ConfigError(
                f"REVIEWBOT_SESSION_KEY is {len(key)} characters long; use at least {MIN_SESSION_KEY} "
                "(make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        return cls(values["GITHUB_CLIENT_ID"], values["GITHUB_CLIENT_SECRET"],
                   hashlib.sha256(b"reviewbot-session\0" + key.encode("utf-8")).digest(),
                   str(public_url), web_url(env, api_url), api_url.rstrip("/"))


def web_url(env: Mapping[str, str], api_url: str) -> str:
    """GITHUB_WEB_URL, else GitHub's web address derived from its API address.

    https://api.github.com -> https://github.com; https://HOST/api/v3 (Enterprise Server)
    -> https://HOST; https://api.NAME.ghe.com -> https://NAME.ghe.com.
    """
    explicit = env.get("GITHUB_WEB_URL", "").strip()
    if explicit:
        parsed = urlsplit(explicit)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.query or parsed.fragment:
            raise ConfigError(f"GITHUB_WEB_URL must be GitHub's web address such as https://github.com, got {explicit!r}")
        return explicit.rstrip("/")
    parsed = urlsplit(api_url.rstrip("/"))
    path = parsed.path.removesuffix("/api/v3")
    host = parsed.netloc
    if path == parsed.path and host.lower().startswith("api."):
        host = host[len("api."):]
    return f"{parsed.scheme}://{host}{path}"
