"""The values a why-thread is made of: comments in, state rebuilt, reply out."""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewbot.accounts import is_bot
from reviewbot.models import Usage


@dataclass(frozen=True)
class ThreadComment:
    """One comment of a review thread, as the host reports it."""

    id: int
    author: str  # login, e.g. "octocat" or "reviewbot[bot]"
    author_type: str  # "User" or "Bot" (GitHub's user.type)
    body: str

    @property
    def is_bot(self) -> bool:
        return is_bot(self.author, self.author_type)


@dataclass(frozen=True)
class ThreadData:
    """A review thread: the root comment first, replies in the order posted.

    `app_login` names the reviewbot account: only its comments are trusted
    to carry state markers. `path`, `line` and `diff_hunk` anchor the thread
    to the code it discusses.
    """

    comments: tuple[ThreadComment, ...]
    app_login: str
    path: str | None = None
    line: int | None = None
    diff_hunk: str | None = None

    @property
    def root(self) -> ThreadComment | None:
        return self.comments[0] if self.comments else None

    def by_app(self) -> tuple[ThreadComment, ...]:
        return tuple(c for c in self.comments if c.author == self.app_login)


@dataclass(frozen=True)
class ThreadState:
    """Where a thread stands, rebuilt from the markers of the app's own comments.

    `path` runs from the root principle to the current one (`principle`);
    `layer` is the set of principles the last "why?" explained (option 1 is
    the one followed); `visited` is every principle explained in the thread.
    """

    root: str
    principle: str
    depth: int
    root_depth: int
    path: tuple[str, ...]
    layer: tuple[str, ...]
    visited: frozenset[str]
    probed: frozenset[str] = frozenset()  # principles whose probe the thread has asked
    pending_probe: str | None = None  # the probe the newest reviewbot comment asked, awaiting an answer
    about: str | None = None  # what the newest reply judged (a check or a quick check); None: the current layer
    summarised: bool = False  # the newest reply gave the bedrock summary already

    @property
    def discussed(self) -> str:
        """The principle under discussion: what was just judged, else the layer the walk is at."""
        return self.about or self.principle

    @property
    def steps(self) -> int:
        """How many layers below the root comment the thread has gone."""
        return self.depth - self.root_depth


@dataclass(frozen=True)
class ThreadLimits:
    """Guard rails for one thread."""

    max_depth: int = 8  # layers below the root comment


@dataclass(frozen=True)
class Evidence:
    """One thing a turn showed about a person's understanding of one principle."""

    principle: str
    kind: str  # "check" | "probe"
    outcome: str  # a verdict: correct | partly | misconception | unknown


@dataclass(frozen=True)
class Reply:
    """What to do in answer to one message of a thread.

    `body` is the text to post (None: post nothing); `reaction` is a reaction
    to leave on the author's comment instead or as well. `understood` and
    `shown` are the profile updates the edge applies: (principle, depth
    reached below it) pairs for `shown`; `evidence` the verdicts on checks and
    probe answers, recorded per person and principle.
    """

    intent: str
    body: str | None = None
    reaction: str | None = None
    understood: tuple[str, ...] = ()
    shown: tuple[tuple[str, int], ...] = ()
    evidence: tuple[Evidence, ...] = ()
    used_model: bool = False
    usage: Usage = field(default_factory=Usage)
