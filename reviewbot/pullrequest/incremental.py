"""On a push to a reviewed pull request, review only what changed since then.

The last reviewed head and the new head are compared (GET /compare/A...B).
When the new head descends from the old one (`ahead`), only lines added since
the last review are in scope, and only files touched since. When it does not
(a force-push rewrote history: `diverged` or `behind`, or the old head is
gone), or the comparison is too large to trust, the whole pull request is
reviewed again; de-duplication by fingerprint keeps earlier comments from
being repeated either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from reviewbot.adapters.github.host import Comparison
from reviewbot.diffmodel import Diff
from reviewbot.models import Comment, Side
from reviewbot.pullrequest.comments import span
from reviewbot.pullrequest.patches import build_diff

MAX_COMPARED_FILES = 300  # the compare endpoint lists at most this many files


@dataclass(frozen=True)
class Scope:
    """What part of the pull request a review covers."""

    full: bool = True
    since: str | None = None  # the last reviewed head, for an incremental review
    changed: Mapping[str, frozenset[int]] = field(default_factory=lambda: MappingProxyType({}))
    reason: str = "first review"

    @property
    def empty(self) -> bool:
        return not self.full and not self.changed


FULL = Scope()


def scope_for(since: str, comparison: Comparison | None) -> Scope:
    """The scope of a review of the new head, given how it compares to `since`."""
    if comparison is None:
        return Scope(reason=f"the last reviewed commit {since[:7]} is gone (force-push)")
    if comparison.status in ("diverged", "behind"):
        return Scope(reason=f"history was rewritten since {since[:7]} (force-push)")
    if len(comparison.files) >= MAX_COMPARED_FILES:
        return Scope(reason=f"too many files changed since {since[:7]} to compare")
    diff, _ = build_diff(comparison.files)
    changed = {f.path: f.added_lines for f in diff if f.added_lines}
    return Scope(False, since, MappingProxyType(changed), f"changes since {since[:7]}")


def restrict(diff: Diff, scope: Scope) -> Diff:
    """The pull request's diff cut down to the files changed in scope."""
    if scope.full:
        return diff
    return Diff(files=tuple(f for f in diff if f.path in scope.changed))


def in_scope(comment: Comment, scope: Scope) -> bool:
    """True when the comment touches a line added within the scope."""
    if scope.full:
        return True
    if comment.side is not Side.RIGHT:
        return False
    first, last = span(comment)
    lines = scope.changed.get(comment.path, frozenset())
    return any(n in lines for n in range(first, last + 1))
