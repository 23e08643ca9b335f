"""Shared helpers for the why-thread, learner and interactive tests.

`tiny_graph()` is a small, real `PrincipleGraph` with shapes the curated one
need not have (a diamond, a principle reached twice, two bedrocks at
different distances), so the layer choice is tested on known ground.
Models are conftest's `FakeChatModel` (the `fake_model` fixture).
"""

from __future__ import annotations

from fakegithub import FakeGitHub, FakeHost
from webhook_examples import examples

from reviewbot.accounts import BOT, USER
from reviewbot.principles import Principle, PrincipleGraph
from reviewbot.threads.data import ThreadComment, ThreadData
from reviewbot.threads.markers import format_marker

APP = "reviewbot-test[bot]"


def _p(pid: str, because: tuple[str, ...] = (), example: str | None = None) -> Principle:
    name = pid.replace("-", " ").capitalize()
    return Principle(
        id=pid, name=name, statement=f"{name} statement.", why=f"{name} why. More detail.",
        eli12=f"{name} like a toy box.", because=because, references=(),
        examples=(("python", example),) if example else (),
        bedrock=not because, category="bedrock" if not because else "test",
    )


def tiny_graph() -> PrincipleGraph:
    """mutable-default -> (evaluation-time, shared-state); shared-state -> aliasing -> identity;
    evaluation-time -> definition-time (bedrock); convergent -> (shared-state, aliasing).

    `because` is ordered (the first entry is the primary branch): convergent's primary
    branch, shared-state, is the longer way to bedrock."""
    return PrincipleGraph([
        _p("mutable-default", ("evaluation-time", "shared-state"), example="def f(x=[]): ..."),
        _p("shared-state", ("aliasing",)),
        _p("evaluation-time", ("definition-time",)),
        _p("definition-time"),
        _p("aliasing", ("identity",)),
        _p("identity"),
        _p("convergent", ("shared-state", "aliasing")),
    ])


def root_comment(principle: str, comment_id: int = 100, depth: int = 0, author: str = APP) -> ThreadComment:
    marker = format_marker({"principle": principle, "depth": depth, "fp": "0123456789abcdef"})
    return ThreadComment(comment_id, author, BOT, f"{marker}\n**Mutable default argument**\n\nUse None.")


def thread_of(*comments: ThreadComment, path: str = "app.py") -> ThreadData:
    return ThreadData(tuple(comments), APP, path=path, line=3, diff_hunk="@@ -1,2 +1,3 @@\n+def f(x=[]):\n+    x.append(1)")


def user_says(comment_id: int, body: str, login: str = "octocat") -> ThreadComment:
    return ThreadComment(comment_id, login, USER, body)


def bot_says(comment_id: int, body: str) -> ThreadComment:
    return ThreadComment(comment_id, APP, BOT, body)


# --- the GitHub side: a FakeHost with the two calls threads add, and real example payloads ---


class ThreadsFakeHost(FakeHost):
    """tests/fakegithub.FakeHost plus `add_reaction` and `permission`, the two calls threads add."""

    def __init__(self, github: FakeGitHub, permissions: dict[str, str] | None = None) -> None:
        super().__init__(github)
        self.reactions: list[tuple[int, str]] = []
        self.permissions = dict(permissions or {})

    def add_reaction(self, repo: str, number: int, comment_id: int, content: str) -> None:
        self._answer("POST", f"/repos/{repo}/pulls/comments/{comment_id}/reactions")
        self.reactions.append((comment_id, content))

    def permission(self, repo: str, login: str) -> str:
        self._answer("GET", f"/repos/{repo}/collaborators/{login}/permission")
        return self.permissions.get(login, "none")


def review_comment_payload(comment: dict, *, root_id: int, comment_id: int, body: str,
                           login: str = "Codertocat", user_type: str = "User") -> dict:
    """GitHub's example `pull_request_review_comment.created` delivery, made a reply in a thread."""
    payload = next(p for p in examples("pull_request_review_comment") if p["action"] == "created" and p.get("installation"))
    user = {**payload["comment"]["user"], "login": login, "type": user_type}
    payload["comment"].update(id=comment_id, in_reply_to_id=root_id, body=body, user=user,
                              path=comment["path"], line=comment["line"])
    payload["sender"] = user
    return payload
