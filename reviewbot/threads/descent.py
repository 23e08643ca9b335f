"""Choosing the next layer of a "why?" chain, the way a patient teacher would.

A principle may follow from several others. One "why?" explains that whole
layer briefly and then follows one path: the primary branch, the first entry
of `because`, because the curated order is the teaching order (it usually
runs through the mechanism, which is rarely the shortest way to bedrock).
Options are offered in that curated order, so "why 2" means the same thing
on every replica. The author can follow another option with "why N". A principle already explained
in the thread is never explained again: when a layer holds only such
principles, the chain passes through them (saying so) to the first new layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from reviewbot.threads.data import ThreadLimits, ThreadState

if TYPE_CHECKING:

    from reviewbot.principles.graph import PrincipleGraph


class StepKind(str, Enum):
    LAYER = "layer"  # a new layer to explain
    BEDROCK = "bedrock"  # nothing below: the current principle is bedrock
    CONVERGED = "converged"  # everything below was already explained in this thread
    MAX_DEPTH = "max-depth"  # the thread reached its depth limit
    BAD_OPTION = "bad-option"  # "why N" named an option the last layer did not offer


@dataclass(frozen=True)
class Step:
    kind: StepKind
    path: tuple[str, ...]  # root .. the principle the thread now stands on
    layer: tuple[str, ...] = ()  # newly explained principles; layer[0] is followed
    via: tuple[str, ...] = ()  # already-explained principles the chain passed through
    parent: str = ""  # the principle this layer explains the "because" of


def descend(graph: PrincipleGraph, state: ThreadState, option: int | None, limits: ThreadLimits) -> Step:
    """The next step below the thread's current principle (or option N of its layer)."""
    start = _chosen(state, option)
    if start is None:
        return Step(StepKind.BAD_OPTION, state.path)
    if state.steps >= limits.max_depth:
        return Step(StepKind.MAX_DEPTH, state.path, parent=state.principle)
    return _walk(graph, state.path[:-1] + (start,), state.visited)


def ordered(graph: PrincipleGraph, principle_id: str) -> tuple[str, ...]:
    """The principles `principle_id` rests on, in the curated order: the primary branch first."""
    return tuple(p.id for p in graph.deeper(principle_id))


def distance_to_bedrock(graph: PrincipleGraph, principle_id: str) -> int:
    """Steps down the primary chain to bedrock."""
    return max(0, len(graph.path_to_bedrock(principle_id)) - 1)


def _chosen(state: ThreadState, option: int | None) -> str | None:
    if option is None or option == 1:
        return state.principle
    if 1 <= option <= len(state.layer):
        return state.layer[option - 1]
    return None


def _walk(graph: PrincipleGraph, path: tuple[str, ...], visited: frozenset[str]) -> Step:
    """Go below path[-1] along the primary branch, passing through principles already explained.

    The layer offers every principle below that is new to the thread, the primary one
    first; when the primary one was already explained, the walk passes through it
    (never sideways onto a secondary branch) and offers the layer below it instead.
    """
    via: tuple[str, ...] = ()
    current = path[-1]
    while True:
        below = ordered(graph, current)
        if below and below[0] not in visited:
            new = tuple(pid for pid in below if pid not in visited)
            return Step(StepKind.LAYER, path + via + (below[0],), new, via, current)
        if not below:
            kind = StepKind.CONVERGED if via else StepKind.BEDROCK
            return Step(kind, path + via, via=via, parent=current)
        current = below[0]
        if current in via:  # a cycle in the graph: stop rather than loop
            return Step(StepKind.CONVERGED, path + via, via=via, parent=current)
        via += (current,)
