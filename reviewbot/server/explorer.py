"""`reviewbot serve` serves the principle explorer read-only at /principles/.

The site is built from the principle graph once, on the first request, and served
from memory: no file system path is ever formed from a request, so there is nothing
to traverse. There is no personal data on these pages (learner maps are files a
person makes for themself with `reviewbot learner --html`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from fastapi import FastAPI
from fastapi.responses import RedirectResponse, Response

PREFIX = "/principles"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
HEADERS = {
    "Cache-Control": "public, max-age=300",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
}


def default_site() -> Mapping[str, str]:
    from reviewbot.explorer import build_site
    from reviewbot.principles import load_graph

    return build_site(load_graph())


def add_explorer_routes(app: FastAPI, site: Callable[[], Mapping[str, str]] = default_site) -> None:
    files = functools.cache(site)

    @app.get(PREFIX, include_in_schema=False)
    async def explorer_root() -> Response:
        return RedirectResponse(f"{PREFIX}/", status_code=308)

    @app.get(PREFIX + "/{path:path}", include_in_schema=False)
    def explorer_file(path: str) -> Response:  # sync: building the site once is CPU work, off the event loop
        name = path or "index.html"
        text = files().get(name)
        if text is None:
            return Response("no such page\n", status_code=404, media_type="text/plain")
        suffix = name[name.rfind("."):]
        return Response(text, media_type=TYPES.get(suffix, "application/octet-stream"), headers=HEADERS)
