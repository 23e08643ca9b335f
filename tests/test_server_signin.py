"""Sign in with GitHub (reviewbot.server.signin), over real HTTP: the real `reviewbot serve` against
the fake GitHub's user authorization flow (tests/fakegithub_oauth.py) and REST API.

Cookies are handled by hand, as a browser would: each test says exactly which cookies it sends.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fakegithub import FakeGitHub
from fakegithub_http import FakeGitHubServer
from server_support import app_env, running_serve

from reviewbot.errors import ConfigError
from reviewbot.learner.local import host_key, open_learner_store
from reviewbot.server.signed import sign, unsign
from reviewbot.settings import AppSettings
from reviewbot.signin_settings import SigninSettings, web_url

SESSION_KEY = "k" * 40
PUBLIC = "https://reviewbot.example.com"
STATE, SESSION = "__Host-reviewbot-signin-state", "__Host-reviewbot-session"


@dataclass
class Site:
    base: str
    github: FakeGitHub
    data: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    github = FakeGitHub()
    data = tmp_path_factory.mktemp("data")
    with FakeGitHubServer(github) as fake:
        env = app_env(data, GITHUB_API_URL=fake.url, GITHUB_CLIENT_ID=github.oauth.client_id,
                      GITHUB_CLIENT_SECRET=github.oauth.client_secret, REVIEWBOT_SESSION_KEY=SESSION_KEY,
                      REVIEWBOT_PUBLIC_URL=PUBLIC)
        with running_serve(["--jobs", "0"], env) as base:
            _seed(data, host_key(fake.url))
            yield Site(base, github, data)


def _seed(data: Path, host: str) -> None:
    store = open_learner_store(f"sqlite:///{data / 'reviewbot.db'}", migrate=False)
    store.shown(host, "alice", [("no-shared-mutable-defaults", 2)])
    store.record(host, "alice", [("no-shared-mutable-defaults", "probe", "correct")], "octo/hello#3")
    store.shown(host, "bob", [("parameterize-queries", 0)])
    store.record(host, "bob", [("parameterize-queries", "check", "misconception")])


def _cookies(answer: httpx.Response) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in answer.headers.get_list("set-cookie"):
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def _set_cookie(answer: httpx.Response, name: str) -> str:
    return next(h for h in answer.headers.get_list("set-cookie") if h.startswith(name + "="))


def _start(site: Site) -> tuple[dict[str, str], str]:
    """GET /login: (the browser's cookies, the authorize URL on GitHub)."""
    answer = httpx.get(f"{site.base}/login")
    assert answer.status_code == 302
    return _cookies(answer), answer.headers["location"]


def _at_github(site: Site, authorize: str) -> dict[str, str]:
    """The browser at GitHub's authorize page: GitHub's redirect back, as query parameters."""
    answer = httpx.get(authorize)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == f"{PUBLIC}/login/callback"
    return {k: v[-1] for k, v in parse_qs(back.query).items()}


def _callback(site: Site, query: dict[str, str], cookies: dict[str, str]) -> httpx.Response:
    return httpx.get(f"{site.base}/login/callback", params=query, cookies=cookies)


def _signed_in(site: Site, login: str) -> dict[str, str]:
    site.github.oauth.person, site.github.oauth.deny = login, False
    cookies, authorize = _start(site)
    answer = _callback(site, _at_github(site, authorize), cookies)
    assert answer.status_code == 303 and answer.headers["location"] == "/me", answer.text
    return {SESSION: _cookies(answer)[SESSION]}


def test_login_sends_the_browser_to_github_with_a_signed_state_bound_to_a_cookie(site: Site) -> None:
    cookies, authorize = _start(site)
    url = urlsplit(authorize)
    query = {k: v[-1] for k, v in parse_qs(url.query).items()}
    assert url.path == "/login/oauth/authorize" and url.hostname == "127.0.0.1"  # the fake GitHub, from GITHUB_API_URL
    assert query["client_id"] == site.github.oauth.client_id
    assert query["redirect_uri"] == f"{PUBLIC}/login/callback"
    state = unsign(_key(), "state", query["state"], 0.0)
    bound = unsign(_key(), "state-cookie", cookies[STATE], 0.0)
    assert state is not None and bound is not None and state["n"] == bound["n"]


def test_a_full_sign_in_shows_the_signed_in_persons_own_map(site: Site) -> None:
    cookies = _signed_in(site, "alice")
    page = httpx.get(f"{site.base}/me", cookies=cookies)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "alice: learner map" in page.text and "Signed in as <strong>alice</strong>" in page.text
    assert "quick checks answered: 1 right, 0 wrong" in page.text
    assert "<li>understood: 1</li>" in page.text and 'id="next"' not in page.text  # not "next to learn" as well
    assert "bob" not in page.text
    assert page.headers["cache-control"] == "no-store"
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'sha256-" in policy and "connect-src" not in policy


def test_the_user_token_is_revoked_and_only_the_login_is_kept(site: Site) -> None:
    cookies = _signed_in(site, "alice")
    assert site.github.oauth.tokens == {}  # every user token handed out was revoked at once
    assert site.github.oauth.revoked
    body = cookies[SESSION].split(".")[0]
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert set(claims) == {"login", "id", "exp"} and claims["login"] == "alice"


def test_cookies_are_httponly_lax_and_secure_on_an_https_public_url(site: Site) -> None:
    start = httpx.get(f"{site.base}/login")
    site.github.oauth.person = "alice"
    back = _callback(site, _at_github(site, start.headers["location"]), _cookies(start))
    for header in (_set_cookie(start, STATE), _set_cookie(back, SESSION)):
        lowered = header.lower()
        assert "httponly" in lowered and "samesite=lax" in lowered and "secure" in lowered and "path=/" in lowered
        assert "domain=" not in lowered


def test_user_a_cannot_see_user_bs_map(site: Site) -> None:
    alice, bob = _signed_in(site, "alice"), _signed_in(site, "bob")
    assert "bob: learner map" in httpx.get(f"{site.base}/me", cookies=bob).text
    as_alice = httpx.get(f"{site.base}/me", params={"login": "bob"}, cookies=alice)
    assert "alice: learner map" in as_alice.text and "bob: learner map" not in as_alice.text
    assert httpx.get(f"{site.base}/me/bob", cookies=alice).status_code == 404


def test_a_tampered_session_cookie_is_refused(site: Site) -> None:
    alice = _signed_in(site, "alice")[SESSION]
    body, mac = alice.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps({**claims, "login": "bob"}).encode()).rstrip(b"=").decode()
    for cookie in (f"{forged}.{mac}", sign(b"another key" * 3, "session", {**claims, "login": "bob"}), "garbage"):
        answer = httpx.get(f"{site.base}/me", cookies={SESSION: cookie})
        assert answer.status_code == 401 and "learner map" not in answer.text
        assert "not valid" in answer.text
        assert _set_cookie(answer, SESSION).startswith(f'{SESSION}=""')  # cleared


def test_a_state_cannot_pass_as_a_session(site: Site) -> None:
    cookies, _ = _start(site)
    answer = httpx.get(f"{site.base}/me", cookies={SESSION: cookies[STATE]})
    assert answer.status_code == 401


def test_without_a_session_me_sends_the_browser_to_sign_in(site: Site) -> None:
    answer = httpx.get(f"{site.base}/me")
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


@pytest.mark.parametrize(("change", "says"), [
    ({"state": None}, "carried no state"),
    ({"state": "forged.state"}, "not one this server made"),
    ({"cookie": None}, "not started in this browser"),
])
def test_a_bad_or_missing_state_or_cookie_signs_nobody_in(site: Site, change: dict, says: str) -> None:
    site.github.oauth.person = "alice"
    cookies, authorize = _start(site)
    query = _at_github(site, authorize)
    if "state" in change:
        query = {k: v for k, v in query.items() if k != "state"} if change["state"] is None else {**query, "state": change["state"]}
    if "cookie" in change:
        cookies = {}
    exchanges = site.github.oauth.exchanges
    answer = _callback(site, query, cookies)
    assert answer.status_code == 400 and says in answer.text
    assert SESSION not in _cookies(answer)
    assert site.github.oauth.exchanges == exchanges  # the code was never sent to GitHub


def test_another_browsers_state_is_refused(site: Site) -> None:
    site.github.oauth.person = "mallory"
    _, authorize = _start(site)  # the attacker's own sign-in
    victim_cookies, _ = _start(site)  # the victim started one too; the attacker's link reaches them
    answer = _callback(site, _at_github(site, authorize), victim_cookies)
    assert answer.status_code == 400 and "not started in this browser" in answer.text


def test_a_replayed_callback_is_refused(site: Site) -> None:
    site.github.oauth.person = "alice"
    cookies, authorize = _start(site)
    query = _at_github(site, authorize)
    assert _callback(site, query, cookies).status_code == 303
    again = _callback(site, query, cookies)
    assert again.status_code == 400 and "already used" in again.text
    assert SESSION not in _cookies(again)


def test_a_denied_authorization_signs_nobody_in(site: Site) -> None:
    site.github.oauth.person, site.github.oauth.deny = "alice", True
    try:
        cookies, authorize = _start(site)
        query = _at_github(site, authorize)
        assert query["error"] == "access_denied"
        answer = _callback(site, query, cookies)
    finally:
        site.github.oauth.deny = False
    assert answer.status_code == 403 and "did not authorize" in answer.text
    assert SESSION not in _cookies(answer)
    assert _set_cookie(answer, STATE).startswith(f'{STATE}=""')  # the state cookie is cleared


def test_a_token_exchange_error_signs_nobody_in(site: Site) -> None:
    site.github.oauth.person = "alice"
    cookies, authorize = _start(site)
    query = {**_at_github(site, authorize), "code": "0" * 20}  # a code GitHub never issued
    answer = _callback(site, query, cookies)
    assert answer.status_code == 502
    assert "bad_verification_code" in answer.text and "The code passed is incorrect or expired." in answer.text
    assert SESSION not in _cookies(answer)


def test_logout_clears_the_session(site: Site) -> None:
    alice = _signed_in(site, "alice")
    answer = httpx.post(f"{site.base}/logout", cookies=alice)
    assert answer.status_code == 200 and "signed out" in answer.text
    assert _set_cookie(answer, SESSION).startswith(f'{SESSION}=""')


def _key() -> bytes:
    env = {"GITHUB_CLIENT_ID": "x", "GITHUB_CLIENT_SECRET": "y", "REVIEWBOT_SESSION_KEY": SESSION_KEY}
    settings = SigninSettings.from_env(env, "https://api.github.com", PUBLIC)
    assert settings is not None
    return settings.session_key


# --- without a configuration, and the settings ------------------------------------------------


def test_without_settings_the_routes_say_what_to_set(tmp_path: Path) -> None:
    with running_serve(["--jobs", "0"], app_env(tmp_path), ready="/healthz") as base:
        for path in ("/login", "/login/callback", "/me"):
            answer = httpx.get(base + path)
            assert answer.status_code == 503
            assert "GITHUB_CLIENT_ID" in answer.text and "REVIEWBOT_SESSION_KEY" in answer.text


def test_a_half_done_setup_fails_at_start_up_naming_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="GITHUB_CLIENT_SECRET, REVIEWBOT_SESSION_KEY, REVIEWBOT_PUBLIC_URL"):
        AppSettings.from_env(app_env(tmp_path, GITHUB_CLIENT_ID="Iv1.abc"))
    with pytest.raises(ConfigError, match="REVIEWBOT_SESSION_KEY is 5 characters long"):
        AppSettings.from_env(app_env(tmp_path, GITHUB_CLIENT_ID="Iv1.abc", GITHUB_CLIENT_SECRET="s",
                                     REVIEWBOT_SESSION_KEY="short", REVIEWBOT_PUBLIC_URL=PUBLIC))


def test_secrets_can_come_from_files(tmp_path: Path) -> None:
    from reviewbot.secretfiles import resolve_secret_files

    (tmp_path / "secret").write_text("client-secret\n")
    (tmp_path / "key").write_text(SESSION_KEY + "\n")
    env = app_env(tmp_path, GITHUB_CLIENT_ID="Iv1.abc", GITHUB_CLIENT_SECRET_FILE=str(tmp_path / "secret"),
                  REVIEWBOT_SESSION_KEY_FILE=str(tmp_path / "key"), REVIEWBOT_PUBLIC_URL=PUBLIC)
    signin = AppSettings.from_env(resolve_secret_files(env)).signin
    assert signin is not None and signin.client_secret == "client-secret"
    assert signin.session_key == _key()
    assert "client-secret" not in repr(signin) and SESSION_KEY not in repr(signin)


@pytest.mark.parametrize(("api", "web"), [
    ("https://api.github.com", "https://github.com"),
    ("https://github.example.com/api/v3", "https://github.example.com"),
    ("https://api.octocorp.ghe.com", "https://octocorp.ghe.com"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
])
def test_githubs_web_address_follows_its_api_address(api: str, web: str) -> None:
    assert web_url({}, api) == web


def test_githubs_web_address_can_be_set() -> None:
    assert web_url({"GITHUB_WEB_URL": "https://git.corp.example/"}, "https://api.github.com") == "https://git.corp.example"
    with pytest.raises(ConfigError, match="GITHUB_WEB_URL"):
        web_url({"GITHUB_WEB_URL": "git.corp.example"}, "https://api.github.com")


def test_signed_values_expire_and_keep_to_their_purpose() -> None:
    key = b"0" * 32
    token = sign(key, "session", {"login": "alice", "exp": 100.0})
    assert unsign(key, "session", token, 99.0) == {"login": "alice", "exp": 100.0}
    assert unsign(key, "session", token, 100.0) is None  # expired
    assert unsign(key, "state", token, 99.0) is None  # another purpose
    assert unsign(b"1" * 32, "session", token, 99.0) is None  # another key
    assert unsign(key, "session", token + "x", 99.0) is None
    assert unsign(key, "session", "é.é", 99.0) is None  # non-ASCII is refused, not an error


def test_the_map_page_works_in_a_browser_under_its_policy(site: Site) -> None:
    from browser import browser_page

    alice = _signed_in(site, "alice")
    with browser_page() as watched:
        page = watched.page
        page.set_extra_http_headers({"cookie": f"{SESSION}={alice[SESSION]}"})
        page.goto(f"{site.base}/me")
        page.get_by_role("button", name="Sign out").wait_for()
        assert "alice: learner map" in page.content()
        page.keyboard.press("Tab")
        assert watched.errors == []  # a blocked inline script or style would be a console error
        assert all(url.startswith(site.base) for url in watched.requests)
