"""The principle explorer served read-only by the real `reviewbot serve` at /principles/."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from server_support import app_env, running_serve


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_serve(["--jobs", "0"], app_env(tmp_path_factory.mktemp("data")), ready="/healthz") as url:
        yield url


def test_the_map_and_each_principle_page_are_served(base: str) -> None:
    index = httpx.get(f"{base}/principles/")
    assert index.status_code == 200 and index.headers["content-type"].startswith("text/html")
    assert 'id="map"' in index.text and 'href="p/no-shared-mutable-defaults.html"' in index.text
    page = httpx.get(f"{base}/principles/p/no-shared-mutable-defaults.html")
    assert page.status_code == 200 and "The chain to bedrock" in page.text
    assert httpx.get(f"{base}/principles/style.css").headers["content-type"].startswith("text/css")
    assert httpx.get(f"{base}/principles/explorer.js").headers["content-type"].startswith("text/javascript")


def test_the_bare_prefix_redirects_to_the_map(base: str) -> None:
    answer = httpx.get(f"{base}/principles")
    assert answer.status_code == 308 and answer.headers["location"] == "/principles/"


@pytest.mark.parametrize("path", ["p/nope.html", "../settings.py", "..%2f..%2fetc%2fpasswd", "p/../../etc/passwd", "index.html/"])
def test_anything_else_is_not_found(base: str, path: str) -> None:
    answer = httpx.get(f"{base}/principles/{path}")
    assert answer.status_code == 404
    assert "root:" not in answer.text


def test_pages_carry_a_strict_content_security_policy(base: str) -> None:
    headers = httpx.get(f"{base}/principles/").headers
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "connect-src 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"


def test_the_served_map_works_in_a_browser_under_its_policy(base: str) -> None:
    from browser import browser_page

    with browser_page() as watched:
        page = watched.page
        page.goto(f"{base}/principles/")
        page.get_by_label("Principle name, id, or rule").fill("S608")
        page.locator("#search-results a").first.wait_for()
        assert watched.errors == []  # a Content-Security-Policy violation would be a console error
        assert all(url.startswith(base) for url in watched.requests)
