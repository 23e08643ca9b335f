"""The App manifest: the minimal permissions, and every event the App routes."""

from __future__ import annotations

import json
from pathlib import Path

from reviewbot.app.handlers import ROUTES

MANIFEST = json.loads((Path(__file__).parent.parent / "github-app-manifest.json").read_text("utf-8"))


def test_permissions_are_exactly_the_minimal_set():
    assert MANIFEST["default_permissions"] == {
        "contents": "read",
        "issues": "write",
        "metadata": "read",
        "pull_requests": "write",
    }


def test_every_routed_event_is_subscribed():
    assert {event for event, _ in ROUTES} <= set(MANIFEST["default_events"])


def test_the_webhook_goes_to_the_servers_endpoint():
    from reviewbot.server.app import WEBHOOK_PATH

    assert MANIFEST["hook_attributes"]["url"].endswith(WEBHOOK_PATH) and MANIFEST["hook_attributes"]["active"]


def test_the_app_is_private_by_default():
    assert MANIFEST["public"] is False
