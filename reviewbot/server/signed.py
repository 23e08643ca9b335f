"""Signed, expiring values for cookies and the OAuth state (pure; the clock is handed in).

A value is `base64url(json claims) . base64url(HMAC-SHA256(key, purpose . claims))`.
The purpose is part of what is signed, so a state can never pass as a session and a
session never as a state. `unsign` answers None for anything not signed with this key
for this purpose, malformed, or past its `exp`: the caller says why in its own words.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

MAX_TOKEN = 4096  # a cookie's size limit; anything longer was not made here


def sign(key: bytes, purpose: str, claims: Mapping[str, Any]) -> str:
    body = _encode(json.dumps(dict(claims), separators=(",", ":"), sort_keys=True).encode("utf-8"))
    return f"{body}.{_mac(key, purpose, body)}"


def unsign(key: bytes, purpose: str, token: str | None, now: float) -> dict[str, Any] | None:
    """The claims of a value this key signed for this purpose that has not expired; else None."""
    if not token or len(token) > MAX_TOKEN or token.count(".") != 1:
        return None
    body, mac = token.split(".")
    if not hmac.compare_digest(mac.encode(), _mac(key, purpose, body).encode()):
        return None
    try:
        claims = json.loads(_decode(body))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), (int, float)) or claims["exp"] <= now:
        return None
    return claims


def _mac(key: bytes, purpose: str, body: str) -> str:
    return _encode(hmac.new(key, f"{purpose}.{body}".encode(), hashlib.sha256).digest())


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
