"""Routing: which recorded deliveries become jobs, and the routing table itself."""

from __future__ import annotations

import pytest
from github_support import comment_event, pr_event
from webhook_examples import all_examples, example

from reviewbot.app.handlers import (
    ROUTES,
    failure_text,
    handle,
    is_handled,
    pull_number,
    table,
)
from reviewbot.app.routes import Route
from reviewbot.jobs import Job

HANDLED = {("pull_request", a) for a in ("opened", "reopened", "ready_for_review", "synchronize")}


@pytest.mark.parametrize("action", ["opened", "reopened", "ready_for_review", "synchronize"])
def test_pull_request_actions_that_start_a_review(action):
    assert is_handled("pull_request", pr_event(action))


def test_no_other_recorded_delivery_becomes_a_review_job():
    for event, payload in all_examples():
        payload.setdefault("installation", {"id": 1})
        if (event, payload.get("action")) not in HANDLED and event != "issue_comment":
            assert not is_handled(event, payload), (event, payload.get("action"))


def test_deliveries_without_an_installation_are_ignored():
    payload = example("pull_request", "opened")
    assert "installation" not in payload and not is_handled("pull_request", payload)


def test_pull_requests_opened_by_bots_are_ignored():
    payload = pr_event("opened")
    payload["pull_request"]["user"].update(login="dependabot[bot]", type="Bot")
    assert not is_handled("pull_request", payload)


def test_closed_pull_requests_are_ignored():
    payload = pr_event("synchronize")
    payload["pull_request"]["state"] = "closed"
    assert not is_handled("pull_request", payload)


def test_commands_in_pull_request_comments_become_jobs():
    assert is_handled("issue_comment", comment_event("@reviewbot review"))
    assert is_handled("issue_comment", comment_event("@reviewbot help"))


@pytest.mark.parametrize(
    "payload",
    [
        comment_event("Looks good to me"),
        comment_event("@reviewbot review", login="reviewbot[bot]", kind="Bot"),
        comment_event("@reviewbot review", login="other-app[bot]", kind="Bot"),
        comment_event("> @reviewbot review\n\nquoting"),
    ],
)
def test_other_comments_are_ignored(payload):
    assert not is_handled("issue_comment", payload)


def test_comments_on_issues_and_edits_are_ignored():
    payload = comment_event("@reviewbot review")
    del payload["issue"]["pull_request"]
    assert not is_handled("issue_comment", payload)
    edited = comment_event("@reviewbot review")
    edited["action"] = "edited"
    assert not is_handled("issue_comment", edited)


def test_comments_made_through_an_app_are_ignored():
    payload = comment_event("@reviewbot review")
    payload["comment"]["performed_via_github_app"] = {"id": 1, "slug": "reviewbot"}
    assert not is_handled("issue_comment", payload)


def test_the_routing_table_is_data_and_refuses_double_claims():
    assert set(ROUTES) == HANDLED | {("issue_comment", "created"), ("pull_request_review_comment", "created")}
    route = Route("pull_request", ("opened",), lambda p, s: True, lambda j, d: None)
    with pytest.raises(ValueError, match="two routes for pull_request.opened"):
        table([route, route])


def test_a_job_without_a_route_is_skipped():
    outcome = handle(Job("d", "push", None, {}), deps=None)
    assert outcome.action == "skipped"


def test_pull_number_finds_the_pull_request_of_either_event():
    assert pull_number(pr_event("opened", number=7)) == 7
    assert pull_number(comment_event("x", number=8)) == 8
    assert pull_number(example("push")) is None


def test_failure_text_is_short_and_says_how_to_retry():
    text = failure_text("x" * 1000, "reviewbot")
    assert len(text) < 500 and "`@reviewbot review` to try again" in text
