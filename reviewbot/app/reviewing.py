"""Reviewing a pull request: opened, reopened, ready for review, pushed to, or asked for.

Three steps, each usable on its own:

- `prepare` reads the pull request's files and the repository's settings
  (from the default branch) and, when a model reviews, its commit messages;
  it reviews the diff with the shared engine and
  drafts one review carrying every inline comment; it only reads from GitHub
  and returns `Prepared`, or `Skip` saying why there is nothing to post.
- `publish` posts the prepared review, falling back to a review with every
  comment in its body when GitHub answers 422.
- the App's job (`review_pull_request`) then records the reviewed head and
  what the author was shown. The Action (`reviewbot.action.review`) runs
  `prepare`, publishes only when its token may write, and reports the
  prepared review in every case.

On a push only the lines changed since the last reviewed head are in scope;
comments already on the pull request are never posted again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from reviewbot.accounts import bot_login
from reviewbot.adapters.github.host import (
    Host,
    NotFound,
    PullInfo,
    ReviewDraft,
    ReviewRejected,
)
from reviewbot.app.deps import Deps
from reviewbot.app.learner import record_shown, tailored_for_author
from reviewbot.app.repoconfig import RepoConfig, read_repo_config
from reviewbot.app.routes import Outcome, Route
from reviewbot.diffmodel import Diff, FileStatus
from reviewbot.errors import ConfigError
from reviewbot.jobs import Job
from reviewbot.markup import code_span
from reviewbot.models import Review, Skipped
from reviewbot.payload import Payload, dig, installation_id, is_bot_user, require_installation_id
from reviewbot.pullrequest.drafts import Plan, draft, plan_review
from reviewbot.pullrequest.incremental import FULL, Scope, in_scope, restrict, scope_for
from reviewbot.pullrequest.markers import known_fingerprints
from reviewbot.pullrequest.patches import build_diff
from reviewbot.pullrequest.summary import Summary
from reviewbot.render.common import coverage_phrase
from reviewbot.review.lazytext import LazyText

log = logging.getLogger(__name__)

ACTIONS = ("opened", "reopened", "ready_for_review", "synchronize")
MAX_CONTENT_FILES = (
    150  # post-change files read for context; larger pull requests review the rest from the diff
)
COMMAND = "command"


@dataclass(frozen=True)
class Request:
    repo: str
    number: int
    installation_id: int
    trigger: str  # an ACTIONS entry, or "command" for `@app review`
    expected_head: str | None = None  # the head the delivery named; a newer push makes this job stale
    pushes: int = 1  # pushes folded into this job since the one before it (coalesced deliveries)


@dataclass(frozen=True)
class Prepared:
    """A review ready to post, and everything it was made from."""

    request: Request
    pr: PullInfo
    review: Review  # what the engine found in scope's files, each why sized to the author
    scope: Scope
    plan: Plan  # the findings within scope: inline, moved to the body, already posted
    summary: Summary
    slug: str  # the App's slug: its login is `<slug>[bot]`
    request_changes: bool

    def draft(self, rejected: bool = False) -> ReviewDraft:
        """The review to post; `rejected`: the fallback after GitHub refused it (422)."""
        return draft(self.plan, self.summary, self.pr.head_sha, self.slug, self.request_changes, rejected,
                     self.pr.html_url)


@dataclass(frozen=True)
class Skip:
    """No review to post, and why."""

    reason: str
    head: str | None = None  # a head that counts as reviewed (the next push is compared with it)
    repeated: int = 0
    review: Review | None = None  # the review that was made, when one was (no new findings)
    comment: str | None = None  # what to tell the pull request's author (a broken settings file)


class Poster(Protocol):
    def post_review(self, repo: str, number: int, draft: ReviewDraft) -> int: ...


def accepts(payload: Payload) -> bool:
    """Pure filter: a pull request event worth a job."""
    return (
        installation_id(payload) is not None
        and isinstance(dig(payload, "pull_request", "number"), int)
        and bool(dig(payload, "repository", "full_name"))
        and dig(payload, "pull_request", "state") == "open"
        and not is_bot_user(dig(payload, "pull_request", "user"))
    )


def run(job: Job, deps: Deps) -> Outcome:
    payload = job.payload
    request = Request(
        repo=dig(payload, "repository", "full_name"),
        number=dig(payload, "pull_request", "number"),
        installation_id=require_installation_id(payload),
        trigger=job.action or "",
        # A job that coalesced several pushes stands for "the latest push": deliveries can arrive out
        # of order, so it reviews whatever head the pull request has now instead of the last one named.
        expected_head=dig(payload, "pull_request", "head", "sha") if job.pushes == 1 else None,
        pushes=job.pushes,
    )
    return review_pull_request(request, deps)


ROUTES = (Route("pull_request", ACTIONS, accepts, run),)


def review_pull_request(request: Request, deps: Deps) -> Outcome:
    """Review one pull request and post the result: prepare, publish, record."""
    host = deps.host_for(request.installation_id)
    prepared = prepare(request, deps, host)
    if isinstance(prepared, Skip):
        return _skipped(deps, host, request, prepared)
    outcome = publish(host, prepared)
    record_shown(deps, prepared.pr.author, prepared.plan.comments, f"{request.repo}#{request.number}")
    deps.history.set_last_reviewed_head(request.repo, request.number, prepared.pr.head_sha)
    return outcome


def _skipped(deps: Deps, host: Host, request: Request, skip: Skip) -> Outcome:
    """No review to post: leave the author's comment when there is one, remember a reviewed head."""
    if skip.comment is not None:
        host.comment(request.repo, request.number, skip.comment)
        return Outcome("commented", skip.reason)
    if skip.head is not None:
        deps.history.set_last_reviewed_head(request.repo, request.number, skip.head)
    return Outcome("skipped", skip.reason, repeated=skip.repeated)


def prepare(request: Request, deps: Deps, host: Host) -> Prepared | Skip:
    """Read the pull request, review it and draft the review to post; only reads from GitHub."""
    pr = host.pull_request(request.repo, request.number)
    reason = skip_reason(pr, request)
    if reason:
        return Skip(reason)
    try:
        repo_config = read_repo_config(host, request.repo, deps.review_config, deps.config_files)
    except ConfigError as err:
        return _config_error(host, request, err)
    if pr.draft and not drafts_reviewed(repo_config, deps.review_drafts):
        return Skip("draft pull request")
    return _prepare_review(deps, host, request, pr, repo_config)


def skip_reason(pr: PullInfo, request: Request) -> str | None:
    """Why a review should not run; `@app review` gets the same answers (it cannot open a skipped pull request)."""
    if request.expected_head and pr.head_sha != request.expected_head:
        return "stale: the pull request has moved on to a newer push"
    if pr.state != "open":
        return "pull request is not open"
    if pr.by_bot:
        return "pull request opened by a bot"
    return None


def drafts_reviewed(repo_config: RepoConfig, server_default: bool) -> bool:
    return server_default if repo_config.review_drafts is None else repo_config.review_drafts


def _prepare_review(deps: Deps, host: Host, request: Request, pr: PullInfo, repo_config: RepoConfig) -> Prepared | Skip:
    scope = choose_scope(deps, host, request, pr.head_sha)
    if scope is None or scope.empty:
        return Skip("nothing changed since the last review", head=pr.head_sha)
    diff, skipped = build_diff(host.pull_request_files(request.repo, request.number))
    contents, unread = read_contents(host, request.repo, restrict(diff, scope), pr.head_sha)
    base = LazyText(lambda path: host.file_at(request.repo, path, pr.base_sha))  # read only where findings remain
    with_model = deps.model is not None and not repo_config.config.offline  # only the model reads commit messages
    commits = host.pull_request_commits(request.repo, request.number) if with_model else ()
    reviewed = deps.review(restrict(diff, scope), contents, repo_config.config, pr, base, commits)
    review = tailored_for_author(reviewed, deps, pr.author)
    slug = host.app_slug()
    comments = [c for c in review.comments if in_scope(c, scope)]
    plan = plan_review(comments, diff, contents, existing_fingerprints(host, request, slug))
    if not plan.fresh and request.trigger in ("synchronize", COMMAND):
        return Skip("no new findings", head=pr.head_sha, repeated=plan.repeated, review=review,
                    comment=nothing_new(pr.head_sha, plan.repeated) if request.trigger == COMMAND else None)
    summary = summary_for(review, skipped + unread, scope, deps, pr.author, pushes_note(request, scope))
    return Prepared(request, pr, review, scope, plan, summary, slug, repo_config.request_changes)


def choose_scope(deps: Deps, host: Host, request: Request, head: str) -> Scope | None:
    """FULL, the changes since the last reviewed head, or None when this head was reviewed
    (whatever the event: a reopened pull request, or a delivery replayed long after, reviews nothing)."""
    last = deps.history.last_reviewed_head(request.repo, request.number)
    if request.trigger == COMMAND or last is None:
        return FULL
    if last == head:
        return None
    if request.trigger != "synchronize":
        return FULL
    try:
        comparison = host.compare(request.repo, last, head)
    except NotFound:
        comparison = None
    return scope_for(last, comparison)


def read_contents(
    host: Host, repo: str, diff: Diff, ref: str
) -> tuple[dict[str, str | None], tuple[Skipped, ...]]:
    """Post-change text of the files the review can use, at the reviewed head."""
    wanted = [f.path for f in diff if f.status is not FileStatus.DELETED and not f.is_binary]
    contents = {path: host.file_at(repo, path, ref) for path in wanted[:MAX_CONTENT_FILES]}
    unread = tuple(
        Skipped(p, "not read for context: too many files in this pull request")
        for p in wanted[MAX_CONTENT_FILES:]
    )
    return {**contents, **dict.fromkeys(wanted[MAX_CONTENT_FILES:])}, unread


def existing_fingerprints(host: Host, request: Request, slug: str) -> frozenset[str]:
    posted = host.review_comments(request.repo, request.number) + host.reviews(request.repo, request.number)
    return known_fingerprints(posted, bot_login(slug))


def nothing_new(head: str, repeated: int) -> str:
    """The answer to `@app review` when a review would only repeat what is on the pull request."""
    if not repeated:
        return f"Nothing new to review at {head[:7]}: the review found nothing to add."
    found = "its finding is" if repeated == 1 else f"its {repeated} findings are"
    return f"Nothing new to review at {head[:7]}: {found} already on this pull request."


def pushes_note(request: Request, scope: Scope) -> tuple[str, ...]:
    """Say that one review stands for several pushes (coalesced while they waited)."""
    if request.pushes < 2:
        return ()
    since = f"since the last review ({scope.since[:7]})" if scope.since else "since the last review"
    return (f"This review covers the {request.pushes} pushes {since}: only the latest head was reviewed.",)


def summary_for(
    review: Review, skipped: tuple[Skipped, ...], scope: Scope, deps: Deps, author: str | None = None,
    notes: tuple[str, ...] = (),
) -> Summary:
    graph = deps.principles()
    ids = {c.principle.id for c in review.comments}
    return Summary(
        comments=(),
        skipped=skipped + review.skipped,
        notes=(*notes, *review.notes, *((f"Coverage: {coverage_phrase(review)}",) if review.coverage else ())),
        statements={pid: graph.get(pid).statement for pid in ids if pid in graph},
        to_learn=new_to_author(review, deps, author),
        scope=scope,
        files_reviewed=review.files_reviewed,
        reviewer=review.reviewer,
        commands=deps.commands,
        explorer_url=deps.explorer_url,
    )


def new_to_author(review: Review, deps: Deps, author: str | None) -> tuple[tuple[str, str], ...]:
    """The principles of this change the author has never met, foundations first (a neutral list)."""
    from reviewbot.app.learner import person_host
    from reviewbot.learner.profile import teaching_order

    if deps.learner is None or author is None:
        return ()
    view = deps.learner.view(person_host(deps), author)
    graph = deps.principles()
    ids = [pid for pid in dict.fromkeys(c.principle.id for c in review.comments) if pid in graph]
    fresh = [pid for pid in ids if pid not in view.deepest and not view.standing(pid).streak]
    return tuple((pid, graph.get(pid).name) for pid in teaching_order(graph, fresh))


def publish(poster: Poster, prepared: Prepared) -> Outcome:
    """Post the prepared review; on 422, post it again with every comment in the body."""
    request, plan = prepared.request, prepared.plan
    try:
        review_id = poster.post_review(request.repo, request.number, prepared.draft())
    except ReviewRejected as rejected:
        log.warning("review of %s#%s refused (%s); posting comments in the body", request.repo, request.number, rejected)
        review_id = poster.post_review(request.repo, request.number, prepared.draft(rejected=True))
        return Outcome("posted", "422 fallback", review_id, 0, len(plan.fresh), plan.repeated, fallback=True)
    return Outcome("posted", "", review_id, len(plan.inline), len(plan.moved), plan.repeated)


def _config_error(host: Host, request: Request, err: ConfigError) -> Skip:
    """Tell the author once (not on every push) why the review cannot run."""
    reason = f"configuration error: {err}"
    if request.trigger == "synchronize":
        return Skip(reason)
    slug = host.app_slug()
    body = (
        f"reviewbot could not read this repository's settings: {code_span(' '.join(str(err).split()))}\n\n"
        f"Fix the file on the default branch, then comment `@{slug} review` to review this pull request."
    )
    return Skip(reason, comment=body)
