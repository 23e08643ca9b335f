"""`next_reply`: one turn of a why-thread, decided from the thread alone.

Every reply body ends with a marker holding the new state (principle, depth,
path, layer), so the next turn is rebuilt from the thread on any replica.
The model (optional) only writes the explanation; where we are in the chain,
what is below and what to reply next always come from the graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewbot.errors import ModelError
from reviewbot.learner.profile import ProfileView
from reviewbot.models import Usage
from reviewbot.threads import texts, tutor
from reviewbot.threads.data import (
    Reply,
    ThreadData,
    ThreadLimits,
    ThreadState,
)
from reviewbot.threads.descent import Step, StepKind, descend
from reviewbot.threads.intents import Intent, classify
from reviewbot.threads.markers import format_marker, join_ids
from reviewbot.threads.state import LAYER_SEP, PATH_SEP, rebuild_state

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reviewbot.llm.model import ChatModel
    from reviewbot.principles.graph import PrincipleGraph

GOT_IT_REACTION = "+1"
NO_PROFILE = ProfileView()
DEFAULT_LIMITS = ThreadLimits()


def next_reply(
    thread: ThreadData,
    text: str,
    graph: PrincipleGraph,
    profile: ProfileView = NO_PROFILE,
    model: ChatModel | None = None,
    *,
    limits: ThreadLimits = DEFAULT_LIMITS,
    no_model_note: str | None = None,
) -> Reply:
    """The answer to `text`, the newest message in `thread`.

    `model` is a ChatModel or None (answers come from the graph). With no
    model, `no_model_note` (e.g. the quota message) replaces the default note
    saying the answer comes straight from the principle graph.
    """
    intent, arg = classify(text)
    state = rebuild_state(thread, graph)
    if state is None:
        return Reply(intent.value)
    turn = _Turn(thread, state, graph, profile, model, limits, no_model_note)
    return _HANDLERS[intent](turn, arg)


@dataclass(frozen=True)
class _Turn:
    """Everything one turn needs, so each intent handler stays small."""

    thread: ThreadData
    state: ThreadState
    graph: PrincipleGraph
    profile: ProfileView
    model: ChatModel | None
    limits: ThreadLimits
    note: str | None  # replaces the default "no model" note

    def compose(
        self, intent: Intent, parts: list[str], path: Sequence[str], layer: Sequence[str], **extra: Any
    ) -> Reply:
        at_bedrock = _is_bedrock(self, path[-1])
        footer = [texts.position(self.graph, path), texts.options(self.graph, layer, at_bedrock)]
        body = "\n\n".join([*parts, *footer, self.marker(path, layer)])
        return Reply(intent.value, body=body, **extra)

    def marker(self, path: Sequence[str], layer: Sequence[str]) -> str:
        return format_marker({
            "principle": path[-1],
            "depth": self.state.root_depth + len(path) - 1,
            "path": join_ids(path, PATH_SEP),
            "layer": join_ids(layer, LAYER_SEP),
        })

    def written(self, intent: Intent, fallback: str, **context: Any) -> tuple[str, Usage, bool]:
        """The model's answer, or the graph's `fallback` with a note why."""
        if self.model is None:
            return fallback + "\n\n" + self.no_model(intent), Usage(), False
        try:
            answer, usage = tutor.explain(self.model, self.graph, self.thread, self.state, intent, **context)
        except ModelError as exc:
            return fallback + "\n\n" + _model_failed(exc), Usage(), False
        return answer, usage, True

    def no_model(self, intent: Intent) -> str:
        return self.note or texts.no_model(_WHAT[intent])


_WHAT = {
    Intent.WHY: "explanation",
    Intent.SIMPLER: "explanation",
    Intent.EXAMPLE: "example",
    Intent.QUESTION: "answer",
    Intent.CHECK: "comparison",
}


def _model_failed(exc: ModelError) -> str:
    return f"_(The model could not answer ({exc}), so this comes straight from the principle graph.)_"


def _why(turn: _Turn, arg: str) -> Reply:
    step = descend(turn.graph, turn.state, int(arg) if arg else None, turn.limits)
    if step.kind is not StepKind.LAYER:
        return _no_new_layer(turn, step, int(arg) if arg else None)
    fallback = _layer_text(turn, step)
    body, usage, used = turn.written(Intent.WHY, fallback, layer=step.layer, parent=step.parent, via=step.via)
    parts = [body] + ([texts.reached_bedrock(turn.graph, step.layer[0])] if _is_bedrock(turn, step.layer[0]) else [])
    shown = _shown(step.path) + tuple((pid, 0) for pid in step.layer[1:])
    return turn.compose(Intent.WHY, parts, step.path, step.layer, shown=shown, used_model=used, usage=usage)


def _is_bedrock(turn: _Turn, pid: str) -> bool:
    p = turn.graph.get(pid)
    return p.bedrock or not p.because


def _no_new_layer(turn: _Turn, step: Step, option: int | None) -> Reply:
    graph, state = turn.graph, turn.state
    if step.kind is StepKind.BAD_OPTION:
        return turn.compose(Intent.WHY, [texts.bad_option(graph, option or 0, state.layer)], state.path, state.layer)
    if step.kind is StepKind.MAX_DEPTH:
        return turn.compose(Intent.WHY, [texts.max_depth(state.steps)], state.path, state.layer)
    converged = step.kind is StepKind.CONVERGED
    text = texts.converged(graph, step.via) if converged else texts.bedrock(graph, step.path[-1])
    layer = state.layer if step.path == state.path else (step.path[-1],)  # "why 2" stays possible
    return turn.compose(Intent.WHY, [text], step.path, layer, shown=_shown(step.path))


def _layer_text(turn: _Turn, step: Step) -> str:
    graph, parent = turn.graph, _name(turn.graph, step.parent)
    count = "one principle" if len(step.layer) == 1 else f"{len(step.layer)} principles"
    lines = [f"**Why does {parent} hold?** It follows from {count} one layer deeper:", ""]
    numbered = len(step.layer) > 1
    lines += [texts.brief(graph, pid, i if numbered else None, turn.profile, followed=i == 1)
              for i, pid in enumerate(step.layer, 1)]
    if step.via:
        lines += ["", f"(On the way down it passes through {', '.join(texts.names(graph, step.via))}, covered above.)"]
    if numbered:
        lines += ["", f"Following **{_name(graph, step.layer[0])}**, the primary branch."]
    lines += ["", _applied(turn)]
    return "\n".join(lines)


def _name(graph: PrincipleGraph, pid: str) -> str:
    return graph.get(pid).name


def _applied(turn: _Turn) -> str:
    where = f"`{turn.thread.path}`" + (f" line {turn.thread.line}" if turn.thread.line else "")
    root = _name(turn.graph, turn.state.root)
    return f"Applied here: the review comment on {where} is a case of **{root}**, which rests on this layer."


def _shown(path: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """Each principle on the path, with how many layers below it the author has now seen."""
    return tuple((pid, len(path) - 1 - index) for index, pid in enumerate(path))


def _simpler(turn: _Turn, arg: str) -> Reply:
    fallback = texts.simpler(turn.graph, turn.state.principle)
    body, usage, used = turn.written(Intent.SIMPLER, fallback)
    return _same_layer(turn, Intent.SIMPLER, body, used, usage)


def _example(turn: _Turn, arg: str) -> Reply:
    language = texts.language_of(turn.thread.path)
    fallback = texts.example(turn.graph, turn.state.principle, language)
    body, usage, used = turn.written(Intent.EXAMPLE, fallback, language=language)
    return _same_layer(turn, Intent.EXAMPLE, body, used, usage)


def _check(turn: _Turn, statement: str) -> Reply:
    fallback = "Here are the key points to compare your statement with:\n\n" + texts.key_points(
        turn.graph, turn.state.principle
    )
    if turn.model is None:
        body, usage, used = fallback + "\n\n" + turn.no_model(Intent.CHECK), Usage(), False
    else:
        body, usage, used = _assessed(turn, turn.model, statement, fallback)
    return _same_layer(turn, Intent.CHECK, body, used, usage)


def _assessed(turn: _Turn, model: ChatModel, statement: str, fallback: str) -> tuple[str, Usage, bool]:
    try:
        verdict, usage = tutor.assess(model, turn.graph, turn.thread, turn.state, statement)
    except ModelError as exc:
        return fallback + "\n\n" + _model_failed(exc), Usage(), False
    return verdict.render(), usage, True


def _question(turn: _Turn, question: str) -> Reply:
    if not question:
        return Reply(Intent.QUESTION.value)
    p = turn.graph.get(turn.state.principle)
    fallback = f"We are at **{p.name}**: {p.statement} {p.why}"
    body, usage, used = turn.written(Intent.QUESTION, fallback, question=question)
    return _same_layer(turn, Intent.QUESTION, body, used, usage)


def _same_layer(turn: _Turn, intent: Intent, body: str, used: bool, usage: Usage) -> Reply:
    return turn.compose(intent, [body], turn.state.path, turn.state.layer, used_model=used, usage=usage)


def _got_it(turn: _Turn, arg: str) -> Reply:
    """The chain from the root to here clicked: record it; a reaction says enough."""
    return Reply(Intent.GOT_IT.value, reaction=GOT_IT_REACTION, understood=turn.state.path)


def _ack(turn: _Turn, arg: str) -> Reply:
    return Reply(Intent.ACK.value)


_HANDLERS = {
    Intent.WHY: _why,
    Intent.SIMPLER: _simpler,
    Intent.EXAMPLE: _example,
    Intent.CHECK: _check,
    Intent.GOT_IT: _got_it,
    Intent.ACK: _ack,
    Intent.QUESTION: _question,
}
