"""decode_delivery: signature first, then headers, then JSON; every refusal has its status."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from server_support import SECRET, signed
from webhook_examples import all_examples, example

from reviewbot.webhooks import (
    MAX_BODY_BYTES,
    Delivery,
    WebhookError,
    decode_delivery,
    signature_for,
)

KEY = SECRET.encode()


def refusal(headers: dict[str, str], body: bytes, secret: bytes = KEY) -> WebhookError:
    with pytest.raises(WebhookError) as caught:
        decode_delivery(headers, body, secret)
    return caught.value


def test_a_signed_pull_request_decodes_to_its_event_action_and_installation() -> None:
    payload = example("pull_request", "synchronize")
    headers, body = signed(payload, "pull_request", "d-1")
    delivery = decode_delivery(headers, body, KEY)
    assert delivery == Delivery("pull_request", "synchronize", "d-1", payload, payload["installation"]["id"])


def test_signature_matches_githubs_documented_example() -> None:
    # docs.github.com "Validating webhook deliveries": secret and payload with their expected signature
    expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert signature_for(b"Hello, World!", b"It's a Secret to Everybody") == expected


@pytest.mark.parametrize("header", [None, "", "sha256=", "sha1=abc", "sha256=" + "0" * 64])
def test_a_missing_or_wrong_signature_is_401(header: str | None) -> None:
    headers, body = signed({"zen": "hi"}, "ping")
    headers.pop("X-Hub-Signature-256")
    if header is not None:
        headers["X-Hub-Signature-256"] = header
    assert refusal(headers, body).status == 401


def test_a_body_changed_after_signing_is_401() -> None:
    headers, body = signed({"action": "opened"}, "pull_request")
    assert refusal(headers, body.replace(b"opened", b"closed")).status == 401


def test_a_signature_made_with_another_secret_is_401() -> None:
    headers, body = signed({"zen": "hi"}, "ping", secret="another secret")
    assert refusal(headers, body).status == 401


def test_the_signature_is_checked_before_the_body_is_parsed() -> None:
    headers, _ = signed({"zen": "hi"}, "ping")
    err = refusal(headers, b"{not json")
    assert err.status == 401 and "Signature-256" in err.message


def test_header_names_are_case_insensitive() -> None:
    headers, body = signed({"zen": "hi"}, "ping", "d-2")
    lowered = {name.lower(): value for name, value in headers.items()}
    assert decode_delivery(lowered, body, KEY).delivery_id == "d-2"


@pytest.mark.parametrize("missing", ["X-GitHub-Event", "X-GitHub-Delivery"])
def test_a_missing_event_or_delivery_header_is_400_naming_it(missing: str) -> None:
    headers, body = signed({"zen": "hi"}, "ping")
    del headers[missing]
    err = refusal(headers, body)
    assert err.status == 400 and missing in err.message


@pytest.mark.parametrize("body", [b"{not json", b"", b"\xff\xfe", b"[1, 2]", b'"text"'])
def test_a_signed_body_that_is_not_a_json_object_is_400(body: bytes) -> None:
    headers, _ = signed(body, "push")
    assert refusal(headers, body).status == 400


def test_a_body_over_25_mb_is_413_before_anything_else() -> None:
    body = b" " * (MAX_BODY_BYTES + 1)
    assert refusal({}, body).status == 413


def test_a_body_of_exactly_25_mb_is_accepted() -> None:
    payload = b'{"zen": "' + b"x" * (MAX_BODY_BYTES - 11) + b'"}'
    assert len(payload) == MAX_BODY_BYTES
    headers, body = signed(payload, "ping")
    assert decode_delivery(headers, body, KEY).event == "ping"


def test_a_form_encoded_delivery_is_read_from_its_payload_field() -> None:
    body = urlencode({"payload": json.dumps({"action": "created", "zen": "hi"})}).encode()
    headers, _ = signed(body, "issue_comment")
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    assert decode_delivery(headers, body, KEY).action == "created"


@pytest.mark.parametrize("body", [b"zen=hi", b"%%%"])
def test_a_form_body_without_a_payload_field_is_400(body: bytes) -> None:
    headers, _ = signed(body, "ping")
    headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    assert refusal(headers, body).status == 400


def test_a_payload_without_installation_or_action_has_none_for_them() -> None:
    headers, body = signed({"zen": "hi", "installation": {"id": "not a number"}}, "ping")
    delivery = decode_delivery(headers, body, KEY)
    assert (delivery.action, delivery.installation_id) == (None, None)


def test_every_github_example_delivery_decodes_with_its_event() -> None:
    for event, payload in all_examples():
        headers, body = signed(payload, event)
        delivery = decode_delivery(headers, body, KEY)
        assert (delivery.event, delivery.payload) == (event, payload)
        assert delivery.action == payload.get("action")
