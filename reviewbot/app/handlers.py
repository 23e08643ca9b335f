"""Deliveries to jobs, and jobs to work: the App's routing table.

Each feature declares its routes next to its code (`ROUTES` in
`reviewbot.app.reviewing` and `reviewbot.app.commands`); this module
only merges them, keyed by (event, action). A new feature adds its module to
`FEATURES`.

- `is_handled(event, payload)` is pure and cheap: the server calls it before
  enqueueing, so unhandled deliveries never become jobs.
- `handle(job, deps)` runs a job in a worker.
- `report_failure(job, error, deps)` leaves a short comment on the pull
  request when a job has finally failed, saying what went wrong and how to
  retry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from reviewbot.app import commands, reviewing, threads
from reviewbot.app.deps import Deps
from reviewbot.app.routes import Outcome, Route
from reviewbot.errors import ReviewbotError, shortened
from reviewbot.jobs import Job
from reviewbot.markup import code_span
from reviewbot.payload import dig, installation_id

log = logging.getLogger(__name__)

FEATURES = (reviewing, commands, threads)


def table(routes: Iterable[Route]) -> dict[tuple[str, str], Route]:
    """(event, action) -> route; a pair claimed twice is a programming error."""
    merged: dict[tuple[str, str], Route] = {}
    for route in routes:
        for action in route.actions:
            if (route.event, action) in merged:
                raise ValueError(f"two routes for {route.event}.{action}")
            merged[(route.event, action)] = route
    return merged


ROUTES = table(route for feature in FEATURES for route in feature.ROUTES)


def route_for(event: str, action: str | None) -> Route | None:
    return ROUTES.get((event, action or ""))


def is_handled(event: str, payload: Mapping[str, Any]) -> bool:
    """Whether this delivery becomes a job."""
    route = route_for(event, payload.get("action") if isinstance(payload, Mapping) else None)
    return route is not None and route.accepts(payload)


def handle(job: Job, deps: Deps) -> Outcome:
    """Run one job; errors propagate so the queue can retry."""
    route = route_for(job.event, job.action)
    if route is None:
        return Outcome("skipped", f"no route for {job.event}.{job.action}")
    outcome = route.run(job, deps)
    log.info("%s: %s %s", job.describe(), outcome.action, outcome.reason)
    return outcome


def pull_number(payload: Mapping[str, Any]) -> int | None:
    """The pull request a delivery is about, if any."""
    number = dig(payload, "pull_request", "number")
    if dig(payload, "issue", "pull_request") is not None:
        number = dig(payload, "issue", "number")
    return number if isinstance(number, int) and not isinstance(number, bool) else None


def failure_text(error: str, slug: str) -> str:
    return (
        f"reviewbot could not review this pull request: {code_span(shortened(error))}\n\n"
        f"Comment `@{slug} review` to try again. If it keeps failing, tell whoever runs the App."
    )


def report_failure(job: Job, error: str, deps: Deps) -> bool:
    """Comment on the pull request that the job failed; True when the comment was posted."""
    number, installation = pull_number(job.payload), installation_id(job.payload)
    repo = dig(job.payload, "repository", "full_name")
    if number is None or installation is None or not repo:
        return False
    try:
        host = deps.host_for(installation)
        host.comment(repo, number, failure_text(error, host.app_slug()))
    except ReviewbotError as err:
        log.warning("%s: could not report the failure on the pull request: %s", job.describe(), err)
        return False
    return True
