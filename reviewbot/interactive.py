"""`reviewbot check --interactive`: the why-chain in the terminal.

The person picks a finding by number, then walks down the same chain a
GitHub thread would (why / simpler / example / check <text> / got it),
answered by the same `next_reply` core. The conversation is kept as a thread
of comments in memory, so state is rebuilt exactly as on GitHub, and the
learner profile is the local one. Input and output are injected, so tests
drive the loop with scripted lines.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reviewbot.accounts import BOT, USER
from reviewbot.learner.profile import LOCAL_HOST, ProfileView
from reviewbot.threads.data import (
    ThreadComment,
    ThreadData,
    ThreadLimits,
)
from reviewbot.threads.markers import format_marker, strip_hidden
from reviewbot.threads.reply import DEFAULT_LIMITS, next_reply

if TYPE_CHECKING:
    from reviewbot.learner.store import LearnerStore
    from reviewbot.llm.model import ChatModel
    from reviewbot.models import Comment, Review
    from reviewbot.principles.graph import PrincipleGraph

APP = "reviewbot"
QUIT = frozenset({"q", "quit", "exit"})
BACK = frozenset({"b", "back"})
HELP = ("why · why 2 · more · simpler · example · example in my code · check <your understanding> "
        "(or: I think ...) · got it · back · quit (or ask anything)")
SNIPPET_CONTEXT = 3  # lines shown around a finding when the file can be read


@dataclass
class Session:
    """One terminal session: where input comes from, where output goes, whose profile."""

    review: Review
    graph: PrincipleGraph
    read: Callable[[str], str]
    write: Callable[[str], None]
    login: str
    store: LearnerStore | None = None
    model: ChatModel | None = None
    limits: ThreadLimits = DEFAULT_LIMITS
    snippets: Mapping[tuple[str, int], str] | None = None
    show: Callable[[str], None] | None = None  # how a reply (Markdown) is shown; default: write

    def profile(self) -> ProfileView:
        return self.store.view(LOCAL_HOST, self.login) if self.store else ProfileView()


def run(session: Session) -> int:
    """The finding picker; returns 0 when the person quits (or input ends)."""
    comments = session.review.comments
    if not comments:
        session.write("No findings to explore.")
        return 0
    while True:
        _list_findings(session, comments)
        choice = _ask(session, "Pick a finding by number (q to quit): ")
        if choice is None or choice.lower() in QUIT:
            return 0
        if choice.isdigit() and 1 <= int(choice) <= len(comments):
            if not _explore(session, comments[int(choice) - 1]):
                return 0
        else:
            session.write(f"Type a number from 1 to {len(comments)}, or q.")


def _ask(session: Session, prompt: str) -> str | None:
    try:
        return session.read(prompt).strip()
    except EOFError:
        return None


def _list_findings(session: Session, comments: Sequence[Comment]) -> None:
    session.write("")
    for index, c in enumerate(comments, 1):
        session.write(f"{index}. {c.path}:{c.line} [{c.severity.value}] {c.title} ({c.principle.name})")


def _explore(session: Session, comment: Comment) -> bool:
    """The why-chain of one finding; False when the person wants to quit altogether."""
    thread = root_thread(comment, session.snippets)
    session.write("\n" + _root_text(comment))
    _record(session, shown=((comment.principle.id, 0),))
    session.write(HELP)
    while True:
        text = _ask(session, f"{comment.principle.id}> ")
        if text is None or text.lower() in QUIT:
            return False
        if text.lower() in BACK:
            return True
        if text:
            thread = _turn(session, thread, text)


def _turn(session: Session, thread: ThreadData, text: str) -> ThreadData:
    message = as_thread_text(text)
    asked = ThreadComment(len(thread.comments) + 1, session.login, USER, message)
    thread = replace(thread, comments=(*thread.comments, asked))
    reply = next_reply(thread, message, session.graph, session.profile(), session.model, limits=session.limits)
    _record(session, shown=reply.shown, understood=reply.understood,
            evidence=[(e.principle, e.kind, e.outcome) for e in reply.evidence])
    if reply.understood:
        names = ", ".join(session.graph.get(pid).name for pid in reply.understood)
        session.write(f"Noted: {names} marked as understood in your local profile.")
    if reply.body:
        (session.show or session.write)("\n" + strip_hidden(reply.body) + "\n")
        answer = ThreadComment(len(thread.comments) + 1, APP, BOT, reply.body)
        thread = replace(thread, comments=(*thread.comments, answer))
    return thread


def as_thread_text(text: str) -> str:
    """Terminal shorthand to thread words: `check <text>` means `check: <text>`."""
    head, _, rest = text.partition(" ")
    if head.lower() == "check" and rest.strip() and not rest.lstrip().startswith(":"):
        return f"check: {rest.strip()}"
    return text


def root_thread(comment: Comment, snippets: Mapping[tuple[str, int], str] | None = None) -> ThreadData:
    """A thread whose root is this finding, as reviewbot would have posted it."""
    marker = format_marker({"principle": comment.principle.id, "depth": 0})
    root = ThreadComment(1, APP, BOT, f"{marker}\n{_root_text(comment)}")
    hunk = (snippets or {}).get((comment.path, comment.line))
    return ThreadData((root,), APP, path=comment.path, line=comment.line, diff_hunk=hunk)


def _root_text(comment: Comment) -> str:
    p = comment.principle
    return f"{comment.path}:{comment.line} {comment.title}\n\n{comment.body}\n\nWhy ({p.name}): {p.why}"


def _record(session: Session, shown=(), understood=(), evidence=()) -> None:
    if session.store is None:
        return
    if evidence:
        session.store.record(LOCAL_HOST, session.login, evidence)
    if shown:
        session.store.shown(LOCAL_HOST, session.login, shown)
    if understood:
        session.store.understood(LOCAL_HOST, session.login, understood)


def read_snippets(review: Review, read: Callable[[str], bytes | str | None]) -> dict[tuple[str, int], str]:
    """The numbered lines around each finding, from the post-change files `read` returns."""
    snippets: dict[tuple[str, int], str] = {}
    for c in review.comments:
        try:
            data = read(c.path)
        except OSError:
            data = None
        if data is None:
            continue
        lines = (data.decode("utf-8", "replace") if isinstance(data, bytes) else data).splitlines()
        start = max(0, c.line - 1 - SNIPPET_CONTEXT)
        block = lines[start: c.line + SNIPPET_CONTEXT]
        snippets[(c.path, c.line)] = "\n".join(f"{start + i + 1:>5} {text}" for i, text in enumerate(block))
    return snippets


def run_terminal(
    review: Review,
    env: Mapping[str, str],
    read: Callable[[str], bytes | str | None],
    model: ChatModel | None = None,
) -> int:
    """The edge `reviewbot check --interactive` calls after its review (`read`: the post-change files)."""
    from reviewbot.learner.local import local_login, open_local_profile
    from reviewbot.principles import load_graph
    from reviewbot.visible import visible

    session = Session(
        review=review,
        graph=load_graph(),
        read=input,
        write=lambda text: print(visible(text)),
        login=local_login(env),
        store=open_local_profile(env),
        model=model,
        snippets=read_snippets(review, read),
        show=_markdown_printer(env) if sys.stdout.isatty() else None,
    )
    return run(session)


def _markdown_printer(env: Mapping[str, str]) -> Callable[[str], None]:
    """Replies rendered as Markdown on a terminal (rich is imported only here)."""
    from rich.console import Console
    from rich.markdown import Markdown

    from reviewbot.visible import visible

    console = Console(no_color=bool(env.get("NO_COLOR")))
    return lambda text: console.print(Markdown(visible(text)))
