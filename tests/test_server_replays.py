"""Replays and commands against the real `reviewbot serve` and the fake GitHub over HTTP (issue 13, items 2 and 8).

- a captured delivery replayed under a new delivery id posts nothing and starts no job (so no model call);
- an event for a head that was already reviewed reviews nothing;
- `@<slug> review` from someone who neither opened the pull request nor has write access does nothing.
"""

from __future__ import annotations

from pathlib import Path

from app_process import (
    NUMBER,
    REPO,
    app_on_fake_github,
    opened,
    pull_request_event,
    wait_for,
)
from github_support import comment_event
from server_support import signed
from test_server_leases import job_rows


def test_a_delivery_replayed_under_a_new_id_posts_nothing_and_starts_no_job(tmp_path: Path) -> None:
    with app_on_fake_github(tmp_path) as app:
        app.serve()
        _, body = signed(opened(app.pull.head), "pull_request", "captured")
        assert app.deliver(body, delivery_id="captured").status_code == 202
        wait_for(lambda: len(app.posts()) == 1 and job_rows(app) == 0)
        calls = len(app.github.requests)
        for n in range(3):
            again = app.deliver(body, delivery_id=f"replayed-{n}")
            assert (again.status_code, again.json()["outcome"]) == (200, "duplicate")
        assert job_rows(app) == 0 and len(app.github.requests) == calls and len(app.posts()) == 1


def test_an_event_for_a_head_already_reviewed_reviews_nothing(tmp_path: Path) -> None:
    with app_on_fake_github(tmp_path) as app:
        app.serve()
        assert app.deliver(opened(app.pull.head)).status_code == 202
        wait_for(lambda: len(app.posts()) == 1 and job_rows(app) == 0)
        files_read = len(app.github.calls("GET", r"/pulls/2/files"))
        assert app.deliver(pull_request_event("reopened", app.pull.head)).status_code == 202
        wait_for(lambda: job_rows(app) == 0)
        assert len(app.posts()) == 1 and len(app.github.calls("GET", r"/pulls/2/files")) == files_read


def test_a_review_command_from_a_passerby_does_nothing(tmp_path: Path) -> None:
    with app_on_fake_github(tmp_path) as app:
        app.serve()
        app.github.roles["passerby"] = "read"
        payload = comment_event("@reviewbot review", repo=REPO, number=NUMBER, login="passerby")
        assert app.deliver(payload, "issue_comment").status_code == 202
        wait_for(lambda: job_rows(app) == 0)
        assert app.github.mutations() == [] and app.github.calls("GET", r"/pulls/2/files") == []
        author = comment_event("@reviewbot review", repo=REPO, number=NUMBER, login="Codertocat")
        assert app.deliver(author, "issue_comment").status_code == 202
        wait_for(lambda: len(app.posts()) == 1 and job_rows(app) == 0)
