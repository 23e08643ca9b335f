"""Rebuild a thread's state from the markers of the app's own comments.

Nothing is stored between turns: the root comment's marker names the
principle, each reply's marker names where the thread went. Markers in
comments by anyone else are ignored, so a person cannot steer the state by
pasting one. Principle ids the graph no longer knows are dropped.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from reviewbot.learner.evidence import RETRIEVAL_LEAD
from reviewbot.threads.data import ThreadData, ThreadState
from reviewbot.threads.markers import parse_marker, split_ids

if TYPE_CHECKING:
    from reviewbot.principles.graph import PrincipleGraph

PATH_SEP = "/"
LAYER_SEP = ","


def rebuild_state(thread: ThreadData, graph: PrincipleGraph) -> ThreadState | None:
    """The thread's state, or None when its root is not a reviewbot comment."""
    root = thread.root
    if root is None or root.author != thread.app_login:
        return None
    fields = parse_marker(root.body)
    if not fields or fields.get("principle") not in graph:
        return None
    state = _root_state(fields, RETRIEVAL_LEAD in root.body)
    for comment in thread.by_app()[1:]:
        state = _advance(state, parse_marker(comment.body), graph)
    return state


def root_depth(fields: dict[str, str]) -> int:
    try:
        return max(0, int(fields.get("depth", "0")))
    except ValueError:
        return 0


def _root_state(fields: dict[str, str], asks_probe: bool = False) -> ThreadState:
    principle = fields["principle"]
    depth = root_depth(fields)
    probe = principle if asks_probe or fields.get("probe") == principle else None  # a review asking back
    return ThreadState(
        root=principle,
        principle=principle,
        depth=depth,
        root_depth=depth,
        path=(principle,),
        layer=(principle,),
        visited=frozenset({principle}),
        probed=frozenset({probe}) if probe else frozenset(),
        pending_probe=probe,
    )


def _advance(state: ThreadState, fields: dict[str, str] | None, graph: PrincipleGraph) -> ThreadState:
    """Apply one reply's marker; replies without a thread marker change nothing."""
    if not fields or "path" not in fields:
        return replace(state, pending_probe=None)
    path = tuple(i for i in split_ids(fields["path"], PATH_SEP) if i in graph)
    layer = tuple(i for i in split_ids(fields.get("layer"), LAYER_SEP) if i in graph)
    if not path or path[0] != state.root:
        return state
    probe = fields.get("probe") if fields.get("probe") in graph else None
    about = fields.get("about") if fields.get("about") in graph else None
    return ThreadState(
        root=state.root,
        principle=path[-1],
        depth=state.root_depth + len(path) - 1,
        root_depth=state.root_depth,
        path=path,
        layer=layer or (path[-1],),
        visited=state.visited | set(path) | set(layer),
        probed=state.probed | ({probe} if probe else set()),
        pending_probe=probe,
        about=about,
        summarised=fields.get("summary") == "1",
    )
