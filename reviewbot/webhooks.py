"""Pure webhook decoding: headers + raw body + secret -> a verified delivery.

No I/O happens here. The signature is checked before any byte of the body is
parsed, so an unsigned request can never reach the JSON decoder. Every refusal
is a `WebhookError` carrying the HTTP status the server answers with.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from reviewbot.errors import ReviewbotError
from reviewbot.payload import installation_id

MAX_BODY_BYTES = 25 * 1024 * 1024  # GitHub caps payloads at 25 MB
SIGNATURE_HEADER = "x-hub-signature-256"
EVENT_HEADER = "x-github-event"
DELIVERY_HEADER = "x-github-delivery"
FORM_TYPE = "application/x-www-form-urlencoded"


class WebhookError(ReviewbotError):
    """A delivery was refused; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Delivery:
    event: str
    action: str | None
    delivery_id: str
    payload: dict[str, Any]
    installation_id: int | None
    payload_json: str | None = field(default=None, compare=False, repr=False)  # the JSON text of `payload`
    body_digest: str | None = field(default=None, compare=False, repr=False)  # SHA-256 of the signed body


def decode_delivery(headers: Mapping[str, str], body: bytes, secret: bytes) -> Delivery:
    """Verify and decode one delivery; raises WebhookError (401, 400 or 413)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    check_size(len(body))
    verify_signature(body, secret, lowered.get(SIGNATURE_HEADER))
    event = _required_header(lowered, EVENT_HEADER)
    delivery_id = _required_header(lowered, DELIVERY_HEADER)
    text = payload_text(body, lowered.get("content-type", ""))
    payload = parse_payload_text(text)
    return Delivery(
        event=event,
        action=_text_or_none(payload.get("action")),
        delivery_id=delivery_id,
        payload=payload,
        installation_id=installation_id(payload),
        payload_json=text,
        body_digest=hashlib.sha256(body).hexdigest(),
    )


def check_size(length: int) -> None:
    if length > MAX_BODY_BYTES:
        raise WebhookError(413, f"payload is {length} bytes; the limit is {MAX_BODY_BYTES}")


def signature_for(body: bytes, secret: bytes) -> str:
    """The X-Hub-Signature-256 value GitHub sends for `body`."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, secret: bytes, header: str | None) -> None:
    if not header:
        raise WebhookError(401, "missing X-Hub-Signature-256 header")
    expected = signature_for(body, secret).encode("ascii")
    if not hmac.compare_digest(expected, header.strip().lower().encode("utf-8", "replace")):
        raise WebhookError(401, "X-Hub-Signature-256 does not match the body and webhook secret")


def parse_payload(body: bytes, content_type: str) -> dict[str, Any]:
    """JSON object from the body (raw JSON, or the `payload` field of a form post)."""
    return parse_payload_text(payload_text(body, content_type))


def payload_text(body: bytes, content_type: str) -> str:
    """The JSON text of a delivery: the body, or the `payload` field of a form post."""
    raw = _form_payload(body) if content_type.split(";")[0].strip() == FORM_TYPE else body
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebhookError(400, f"body is not valid JSON: {exc}") from None


def parse_payload_text(text: str) -> dict[str, Any]:
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise WebhookError(400, f"body is not valid JSON: {exc}") from None
    except RecursionError:
        raise WebhookError(400, "body is JSON nested too deeply to read (no webhook payload nests that far)") from None
    if not isinstance(payload, dict):
        raise WebhookError(400, "body is JSON but not an object")
    return payload


def _form_payload(body: bytes) -> bytes:
    try:
        fields = parse_qs(body.decode("utf-8"), strict_parsing=True)
    except (ValueError, UnicodeDecodeError):
        raise WebhookError(400, "form body is malformed") from None
    if "payload" not in fields:
        raise WebhookError(400, "form body has no 'payload' field")
    return fields["payload"][0].encode("utf-8")


def _required_header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name, "").strip()
    if not value:
        canonical = "-".join(part.capitalize() for part in name.split("-"))
        raise WebhookError(400, f"missing {canonical.replace('Github', 'GitHub')} header")
    return value


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
