"""Sign in with GitHub: a person sees their own learner map at /me, and nobody else's.

The GitHub App's user authorization flow (web application flow):

1. `GET /login` sets a short-lived signed state cookie and sends the browser to
   GitHub's authorize page with the App's client id, the callback URL and a signed
   state carrying the same random nonce as the cookie.
2. GitHub sends the browser back to `GET /login/callback?code=...&state=...`. The
   state must be signed here, unexpired, match the cookie's nonce and be unused; then
   the code is exchanged for a user token, `GET /user` names the person, the token is
   revoked at once, and a signed session cookie holding only the login is set.
3. `GET /me` shows the map of the login in the session cookie. There is no way to name
   another person: the page has no parameters.
4. `/logout` clears the session cookie.

Nothing but the login is kept, and only in the person's own signed cookie. When
sign-in is not configured every route answers 503 saying what to set.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reviewbot.errors import ReviewbotError
from reviewbot.server.signed import sign, unsign
from reviewbot.signin_settings import CALLBACK_PATH, NOT_SET_UP, SigninSettings

if TYPE_CHECKING:
    from reviewbot.server.wiring import Services

log = logging.getLogger("reviewbot.signin")
STATE_TTL = 600.0  # seconds between /login and the callback
SESSION_TTL = 8 * 3600.0
HTTP_TIMEOUT = 10.0
LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$|^[A-Za-z0-9-]+\[bot\]$")
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}
PAGE_POLICY = ("style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; "
               "base-uri 'none'")


class SigninError(ReviewbotError):
    """GitHub did not complete the sign-in; the message says what it answered."""


@dataclass(frozen=True)
class GitHubUser:
    login: str
    id: int


class OAuthClient:
    """The three calls to GitHub the flow makes, with the settings' base URLs."""

    def __init__(self, settings: SigninSettings, timeout: float = HTTP_TIMEOUT) -> None:
        self.settings, self.timeout = settings, timeout

    async def exchange(self, code: str) -> str:
        """The user access token for an authorization code."""
        s = self.settings
        form = {"client_id": s.client_id, "client_secret": s.client_secret, "code": code, "redirect_uri": s.callback_url}
        data = await self._call("POST", f"{s.web_url}/login/oauth/access_token", data=form)
        token = data.get("access_token")
        if isinstance(token, str) and token:
            return token
        error, detail = str(data.get("error") or "no access token"), str(data.get("error_description") or "")
        raise SigninError(f"GitHub did not accept the sign-in code ({error}{': ' + detail if detail else ''})")

    async def user(self, token: str) -> GitHubUser:
        data = await self._call("GET", f"{self.settings.api_url}/user", headers={"Authorization": f"Bearer {token}"})
        login, number = data.get("login"), data.get("id")
        if not isinstance(login, str) or not LOGIN.match(login) or not isinstance(number, int):
            raise SigninError("GitHub's answer to GET /user did not name a user")
        return GitHubUser(login, number)

    async def revoke(self, token: str) -> None:
        """Revoke the user token: it was needed for one call. A failure is logged, never shown."""
        import httpx

        s = self.settings
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                answer = await client.request(
                    "DELETE", f"{s.api_url}/applications/{s.client_id}/token", json={"access_token": token},
                    auth=(s.client_id, s.client_secret), headers={"Accept": "application/vnd.github+json"})
            if answer.status_code != 204:
                log.warning("sign-in: revoking the user token answered %s", answer.status_code)
        except httpx.HTTPError as exc:
            log.warning("sign-in: revoking the user token failed: %s", type(exc).__name__)

    async def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        import httpx

        headers = {"Accept": "application/json", **kwargs.pop("headers", {})}
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                answer = await client.request(method, url, headers=headers, **kwargs)
            data = answer.json()
        except httpx.HTTPError as exc:
            raise SigninError(f"GitHub could not be reached ({type(exc).__name__})") from None
        except ValueError:
            raise SigninError(f"GitHub answered {method} {url.split('?')[0]} with something that is not JSON") from None
        if answer.status_code >= 400 or not isinstance(data, dict):
            message = data.get("message") if isinstance(data, dict) else None
            raise SigninError(f"GitHub answered {answer.status_code}" + (f": {message}" if message else ""))
        return data


class UsedStates:
    """State nonces already used in this process, kept until they would have expired anyway."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    def first_use(self, nonce: str, until: float, now: float) -> bool:
        self._until = {n: t for n, t in self._until.items() if t > now}
        if nonce in self._until:
            return False
        self._until[nonce] = until
        return True


@dataclass(frozen=True)
class Cookies:
    state: str
    session: str

    @classmethod
    def for_settings(cls, settings: SigninSettings) -> Cookies:
        # "__Host-": the browser keeps it only when Secure, for this host and path "/", never for a sub-domain
        prefix = "__Host-" if settings.secure_cookies else ""
        return cls(f"{prefix}reviewbot-signin-state", f"{prefix}reviewbot-session")


def add_signin_routes(app: FastAPI, services: Services, clock: Callable[[], float] = time.time) -> None:
    """/login, /login/callback, /logout and /me on `app`, with the settings and store of `services`."""
    settings = services.settings.signin
    if settings is None:
        _add_not_set_up(app)
        return
    flow = Flow(settings, OAuthClient(settings), map_page_for(services), clock)
    app.add_api_route("/login", flow.login, methods=["GET"], include_in_schema=False)
    app.add_api_route(CALLBACK_PATH, flow.callback, methods=["GET"], include_in_schema=False)
    app.add_api_route("/logout", flow.logout, methods=["GET", "POST"], include_in_schema=False)
    app.add_api_route("/me", flow.me, methods=["GET"], include_in_schema=False)


def _add_not_set_up(app: FastAPI) -> None:
    async def not_set_up() -> Response:
        return Response(NOT_SET_UP + "\n", status_code=503, media_type="text/plain", headers=NO_STORE)

    for path in ("/login", CALLBACK_PATH, "/logout", "/me"):
        app.add_api_route(path, not_set_up, methods=["GET", "POST"] if path == "/logout" else ["GET"],
                          include_in_schema=False)


def map_page_for(services: Services) -> Callable[[str, str], str]:
    """login, "Sign out" form -> that person's learner map page, from the App's own database."""
    import functools

    from reviewbot.learner.local import host_key
    from reviewbot.learner.render import render_html
    from reviewbot.learner.store import LearnerStore
    from reviewbot.principles import load_graph

    graph, store = functools.cache(load_graph), LearnerStore(services.store.engine)
    host = host_key(services.settings.api_url)
    intro = "Private to you: only you, signed in with GitHub, can see this page."
    return lambda login, actions: render_html(graph(), store.learner_map(graph(), host, login), intro, actions)


class Flow:
    """The routes' behaviour, with the settings, GitHub client, map and clock handed in."""

    def __init__(self, settings: SigninSettings, github: OAuthClient, page_for: Callable[[str, str], str],
                 clock: Callable[[], float]) -> None:
        self.settings, self.github, self.page_for, self.clock = settings, github, page_for, clock
        self.cookies, self.used = Cookies.for_settings(settings), UsedStates()

    async def login(self) -> Response:
        now, nonce = self.clock(), secrets.token_urlsafe(32)
        claims = {"n": nonce, "exp": now + STATE_TTL}
        query = urlencode({"client_id": self.settings.client_id, "redirect_uri": self.settings.callback_url,
                           "state": sign(self.settings.session_key, "state", claims), "allow_signup": "false"})
        answer = RedirectResponse(f"{self.settings.web_url}/login/oauth/authorize?{query}", 302, headers=NO_STORE)
        self._set(answer, self.cookies.state, sign(self.settings.session_key, "state-cookie", claims), STATE_TTL)
        return answer

    async def callback(self, request: Request) -> Response:
        params = request.query_params
        answer = await self._callback(params.get("code"), params.get("state"), params.get("error"),
                                      request.cookies.get(self.cookies.state))
        answer.delete_cookie(self.cookies.state, path="/", secure=self.settings.secure_cookies, httponly=True,
                             samesite="lax")
        return answer

    async def _callback(self, code: str | None, state: str | None, error: str | None, cookie: str | None) -> Response:
        if error:
            denied = error == "access_denied"
            text = ("You did not authorize reviewbot on GitHub, so you are not signed in and nothing was stored."
                    if denied else f"GitHub ended the sign-in with the error {error!r}; you are not signed in.")
            return _page("Not signed in", text, 403 if denied else 400)
        problem = self._state_problem(state, cookie)
        if problem:
            return _page("Not signed in", problem, 400)
        if not code:
            return _page("Not signed in", "GitHub's answer carried no authorization code.", 400)
        try:
            token = await self.github.exchange(code)
            user = await self.github.user(token)
            await self.github.revoke(token)
        except SigninError as err:
            log.warning("sign-in failed: %s", err)
            return _page("Not signed in", f"{err}. Nothing was stored; please sign in again.", 502)
        answer = RedirectResponse("/me", 303, headers=NO_STORE)
        claims = {"login": user.login, "id": user.id, "exp": self.clock() + SESSION_TTL}
        self._set(answer, self.cookies.session, sign(self.settings.session_key, "session", claims), SESSION_TTL)
        return answer

    def _state_problem(self, state: str | None, cookie: str | None) -> str | None:
        """Why this callback may not complete a sign-in (forged, expired, another browser's, replayed), or None."""
        now, key = self.clock(), self.settings.session_key
        if not state:
            return "The link back from GitHub carried no state, so it cannot be trusted."
        claims = unsign(key, "state", state, now)
        if claims is None:
            return "The link back from GitHub is not one this server made, or it is more than 10 minutes old."
        bound = unsign(key, "state-cookie", cookie, now)
        if bound is None or not secrets.compare_digest(str(bound.get("n")), str(claims.get("n"))):
            return "This sign-in was not started in this browser (its sign-in cookie is missing or different)."
        if not self.used.first_use(str(claims["n"]), float(claims["exp"]), now):
            return "This link back from GitHub was already used."
        return None

    async def me(self, request: Request) -> Response:
        cookie = request.cookies.get(self.cookies.session)
        if cookie is None:
            return RedirectResponse("/login", 303, headers=NO_STORE)
        claims = unsign(self.settings.session_key, "session", cookie, self.clock())
        login = claims.get("login") if claims else None
        if not isinstance(login, str) or not LOGIN.match(login):
            answer = _page("Signed out", "Your session has expired or is not valid.", 401)
            answer.delete_cookie(self.cookies.session, path="/", secure=self.settings.secure_cookies, httponly=True,
                                 samesite="lax")
            return answer
        actions = ('<form method="post" action="/logout"><p>Signed in as '
                   f'<strong>{html.escape(login)}</strong> <button type="submit">Sign out</button></p></form>')
        page = await run_in_threadpool(self.page_for, login, actions)
        return HTMLResponse(page, headers={**NO_STORE, "Content-Security-Policy": _policy_for(page)})

    async def logout(self) -> Response:
        answer = _page("Signed out", "You are signed out of reviewbot.", 200)
        answer.delete_cookie(self.cookies.session, path="/", secure=self.settings.secure_cookies, httponly=True,
                             samesite="lax")
        return answer

    def _set(self, answer: Response, name: str, value: str, seconds: float) -> None:
        answer.set_cookie(name, value, max_age=int(seconds), path="/", secure=self.settings.secure_cookies,
                          httponly=True, samesite="lax")


def _page(title: str, text: str, status: int) -> HTMLResponse:
    body = (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)} · "
            f"reviewbot</title></head><body><main><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>"
            '<p><a href="/login">Sign in with GitHub</a></p></main></body></html>\n')
    return HTMLResponse(body, status, headers={**NO_STORE, "Content-Security-Policy": _policy_for(body)})


_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def _policy_for(page: str) -> str:
    """The map page's policy: its own inline script by hash, nothing loaded from anywhere."""
    digests = [base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() for body in _SCRIPT.findall(page)]
    scripts = " ".join(f"'sha256-{digest}'" for digest in digests) or "'none'"
    return f"default-src 'none'; script-src {scripts}; {PAGE_POLICY}"
