"""GitHub's side of a GitHub App's user authorization (web application flow), for the fake GitHub.

State and rules only; `fakegithub_http` serves them at GitHub's paths:

- `GET /login/oauth/authorize`: the person signed in at GitHub (`person`) approves,
  or declines (`deny`), and the browser is sent back to the redirect URI with a code
  (or `error=access_denied`) and the state unchanged;
- `POST /login/oauth/access_token`: a code is good once, for ten minutes, for the
  client and redirect URI it was issued to; errors come back as 200 with GitHub's
  `error` / `error_description` / `error_uri` body, as GitHub sends them;
- `GET /user` with `Authorization: Bearer` a user token;
- `DELETE /applications/{client_id}/token` revokes a user token (basic auth with the
  client id and secret).

The token answer's shape is the one GitHub documents for user access tokens that
expire ("Generating a user access token for a GitHub App").
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

TROUBLESHOOTING = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors"
CODE_LIFETIME = 600.0


@dataclass
class FakeOAuth:
    client_id: str = "Iv1.8a61f9b3a7aba766"
    client_secret: str = "fake-client-secret-0123456789abcdef"
    person: str | None = None  # who is signed in at GitHub and approves
    deny: bool = False  # the person clicks "Cancel" on the authorize page
    codes: dict[str, tuple[str, str, float]] = field(default_factory=dict)  # code -> (login, redirect_uri, expires)
    tokens: dict[str, str] = field(default_factory=dict)  # user token -> login
    revoked: list[str] = field(default_factory=list)
    exchanges: int = 0
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _lock: Any = field(default_factory=threading.Lock)

    def authorize(self, query: dict[str, str], now: float) -> str:
        """Where GitHub sends the browser after its authorize page."""
        redirect, state = query.get("redirect_uri", ""), query.get("state", "")
        if query.get("client_id") != self.client_id or not redirect:
            raise ValueError("the fake GitHub was asked to authorize an unknown client or no redirect_uri")
        if self.deny or self.person is None:
            return redirect + "?" + urlencode({
                "error": "access_denied", "error_description": "The user has denied your application access.",
                "error_uri": f"{TROUBLESHOOTING}/#access-denied", "state": state})
        with self._lock:
            code = f"{next(self._ids):020x}"
            self.codes[code] = (self.person, redirect, now + CODE_LIFETIME)
        return redirect + "?" + urlencode({"code": code, "state": state})

    def exchange(self, form: dict[str, str], now: float) -> dict[str, Any]:
        with self._lock:
            self.exchanges += 1
            if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
                return _error("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.")
            issued = self.codes.pop(form.get("code", ""), None)
            if issued is None or issued[2] <= now:
                return _error("bad_verification_code", "The code passed is incorrect or expired.")
            if form.get("redirect_uri") and form["redirect_uri"] != issued[1]:
                return _error("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.")
            token = f"ghu_fake{next(self._ids):030d}"
            self.tokens[token] = issued[0]
        return {"access_token": token, "expires_in": 28800, "refresh_token": f"ghr_fake{next(self._ids):070d}",
                "refresh_token_expires_in": 15811200, "scope": "", "token_type": "bearer"}

    def login_for(self, authorization: str) -> str | None:
        kind, _, token = authorization.partition(" ")
        return self.tokens.get(token) if kind.lower() in ("bearer", "token") else None

    def revoke(self, client_id: str, basic: tuple[str, str] | None, token: str) -> int:
        if basic != (self.client_id, self.client_secret) or client_id != self.client_id:
            return 404
        if self.tokens.pop(token, None) is None:
            return 404
        self.revoked.append(token)
        return 204


def _error(error: str, description: str) -> dict[str, str]:
    return {"error": error, "error_description": description, "error_uri": f"{TROUBLESHOOTING}/#{error.replace('_', '-')}"}
