"""`next_reply`: one turn of a why-thread, decided from the thread alone.

Every reply body ends with a marker holding the new state (principle, depth,
path, layer), so the next turn is rebuilt from the thread on any replica.
The model (optional) only writes the explanation; where we are in the chain,
what is below and what to reply next always come from the graph.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from reviewbot.errors import ModelError
from reviewbot.learner.profile import ProfileView
from reviewbot.models import Usage
from reviewbot.threads import texts, tutor, verdict
from reviewbot.threads.code import code_facts
from reviewbot.threads.data import (
    Evidence,
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
SKIP = frozenset({"skip", "pass", "no idea", "dunno", "i don't know", "i dont know", "tell me", "show me"})
PROBE_FROM_STEP = 2  # after a why this many layers below the review comment, the tutor asks back
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
    explicit = text.lstrip().lower().startswith("check")
    if state.pending_probe and intent in (Intent.QUESTION, Intent.CHECK) and not _a_statement(turn, intent, arg, explicit):
        return _answer(turn, arg or text)
    return _HANDLERS[intent](turn, arg)


def _a_statement(turn: _Turn, intent: Intent, text: str, explicit: bool) -> bool:
    """A check sent while a quick check waits that is a statement about the principles rather than an answer:
    "check: ..." unless it answers the question better, "I think ..." only when it says more than it answers."""
    pid = turn.state.pending_probe
    if intent is not Intent.CHECK or pid is None or not text:
        return False
    principle = turn.graph.get(pid)
    if principle.probe is None:
        return False
    as_answer = verdict.judge_answer(principle.probe, principle, text)
    if explicit:
        return as_answer.verdict != verdict.CORRECT
    as_statement = verdict.judge_about([turn.graph.get(p) for p in candidates(turn)], text)
    return as_statement.verdict != verdict.UNKNOWN and as_statement.evidence > as_answer.evidence


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

    def compose(self, intent: Intent, parts: list[str], path: Sequence[str], layer: Sequence[str],
                probe: str | None = None, *, about: str | None = None, summary: bool = False,
                **extra: Any) -> Reply:
        """The reply's body: `parts`, where the walk is, what to do next, and the marker of the new state."""
        at_bedrock = _is_bedrock(self, path[-1])
        footer = [texts.position(self.graph, path)]
        if probe and probe == self.state.pending_probe:
            footer.append(texts.probe_still_open(self.graph, probe))
        elif probe:
            footer.append(texts.probe_question(self.graph, probe))
        else:
            footer.append(texts.options(self.graph, layer, at_bedrock))
        body = "\n\n".join([*parts, *footer, self.marker(path, layer, probe, about, summary)])
        return Reply(intent.value, body=body, **extra)

    def marker(self, path: Sequence[str], layer: Sequence[str], probe: str | None = None,
               about: str | None = None, summary: bool = False) -> str:
        fields: dict[str, str | int] = {
            "principle": path[-1],
            "depth": self.state.root_depth + len(path) - 1,
            "path": join_ids(path, PATH_SEP),
            "layer": join_ids(layer, LAYER_SEP),
        }
        if probe:
            fields["probe"] = probe
        if about and about != path[-1]:
            fields["about"] = about
        if summary:
            fields["summary"] = 1
        return format_marker(fields)

    def probe_for(self, path: Sequence[str]) -> str | None:
        """Which probe to ask back after a why reaching `path`: the review comment's own first."""
        deep = len(path) - 1 >= PROBE_FROM_STEP or _is_bedrock(self, path[-1])
        if not deep:
            return None
        for pid in (self.state.root, path[-1]):
            if self.graph.get(pid).probe is not None and pid not in self.state.probed:
                return pid
        return None

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
    Intent.EXAMPLE_HERE: "example",
    Intent.QUESTION: "answer",
    Intent.CHECK: "comparison",
}


def _model_failed(exc: ModelError) -> str:
    return f"_(The model could not answer ({exc}), so this comes straight from the principle graph.)_"


def _why(turn: _Turn, arg: str) -> Reply:
    option = int(arg) if arg else None
    if option is not None and option >= 2 and option <= len(turn.state.layer):
        return _option_why(turn, option)
    step = descend(turn.graph, turn.state, option, turn.limits)
    if step.kind is not StepKind.LAYER:
        return _no_new_layer(turn, step, option)
    fallback = _layer_text(turn, step)
    body, usage, used = turn.written(Intent.WHY, fallback, layer=step.layer, parent=step.parent, via=step.via,
                                     here=_here_context(turn))
    parts = [body] + ([texts.reached_bedrock(turn.graph, step.layer[0])] if _is_bedrock(turn, step.layer[0]) else [])
    shown = _shown(step.path) + tuple((pid, 0) for pid in step.layer[1:])
    return turn.compose(Intent.WHY, parts, step.path, step.layer, probe=turn.probe_for(step.path), shown=shown,
                        used_model=used, usage=usage)


def _option_why(turn: _Turn, option: int) -> Reply:
    """`why N`: option N's own why (its statement and why), then the walk continues below it."""
    pid = turn.state.layer[option - 1]
    path = _path_to(turn, pid)
    parts = [texts.option_intro(turn.graph, pid, option), _applied(turn)]
    return turn.compose(Intent.WHY, parts, path, (pid,), probe=turn.probe_for(path), shown=((pid, 0),))


def _path_to(turn: _Turn, pid: str) -> tuple[str, ...]:
    """The thread's path cut at the deepest principle that rests on `pid`, then `pid`."""
    path = turn.state.path
    for index in range(len(path) - 1, -1, -1):
        if pid in turn.graph.get(path[index]).because:
            return path[: index + 1] + (pid,)
    return path[:-1] + (pid,) if len(path) > 1 else path + (pid,)


def _is_bedrock(turn: _Turn, pid: str) -> bool:
    p = turn.graph.get(pid)
    return p.bedrock or not p.because


def _no_new_layer(turn: _Turn, step: Step, option: int | None) -> Reply:
    graph, state = turn.graph, turn.state
    if step.kind is StepKind.BAD_OPTION:
        return turn.compose(Intent.WHY, [texts.bad_option(graph, option or 0, state.layer)], state.path, state.layer)
    if step.kind is StepKind.MAX_DEPTH:
        return turn.compose(Intent.WHY, [texts.max_depth(state.steps)], state.path, state.layer)
    if step.kind is StepKind.CONVERGED:
        text = texts.converged(graph, step.via)
    elif step.path == state.path and state.steps > 0:
        return _at_bedrock_again(turn)
    else:
        text = texts.bedrock(graph, step.path[-1])
    layer = state.layer if step.path == state.path else (step.path[-1],)  # "why 2" stays possible
    return turn.compose(Intent.WHY, [text], step.path, layer, probe=turn.probe_for(step.path),
                        shown=_shown(step.path))


def _at_bedrock_again(turn: _Turn) -> Reply:
    """A why at bedrock: no repetition, a three-line summary (once) and the branches not taken yet."""
    state, graph = turn.state, turn.graph
    facts = code_facts(turn.thread)
    branches = _untaken(turn)
    if state.summarised:  # the summary is right above: point on instead of saying it again
        parts = [texts.still_bedrock(graph, state.principle), texts.untaken(graph, branches)]
    else:
        parts = ["We are at bedrock; here is the whole chain in three lines:",
                 texts.summary(graph, state.path, facts.where(turn.thread), facts.here),
                 texts.untaken(graph, branches)]
    layer = (state.principle, *branches)
    return turn.compose(Intent.WHY, parts, state.path, layer, probe=turn.probe_for(state.path), summary=True)


def _untaken(turn: _Turn, limit: int = 4) -> tuple[str, ...]:
    """Principles offered below the path that the walk has not followed, nearest the code first."""
    seen = set(turn.state.path)
    found = [pid for step in turn.state.path for pid in turn.graph.get(step).because if pid not in seen]
    return tuple(dict.fromkeys(found))[:limit]


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
    """This layer tied to the learner's code: what goes wrong there, in its own identifiers."""
    facts = code_facts(turn.thread)
    root = _name(turn.graph, turn.state.root)
    where = facts.where(turn.thread)
    if facts.here:
        return f"**Applied here** ({where}): {facts.here} That is **{root}**, and this layer is why it holds."
    return f"**Applied here:** the review comment on {where} is a case of **{root}**, which rests on this layer."


def _here_context(turn: _Turn) -> str:
    facts = code_facts(turn.thread)
    return " ".join(part for part in (facts.here, f"Fix: {facts.fix}" if facts.fix else None) if part)


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


def _example_here(turn: _Turn, arg: str) -> Reply:
    """An example built from the finding itself: the flagged line, what goes wrong, the fix."""
    language = texts.language_of(turn.thread.path)
    facts = code_facts(turn.thread)
    fallback = texts.example_here(turn.graph, turn.state.principle, facts, facts.where(turn.thread), language)
    body, usage, used = turn.written(Intent.EXAMPLE, fallback, language=language, here=_here_context(turn),
                                     in_code=True)
    return _same_layer(turn, Intent.EXAMPLE_HERE, body, used, usage)


def candidates(turn: _Turn) -> tuple[str, ...]:
    """What a statement may be about: the review comment's principle first, then down the path walked."""
    return tuple(dict.fromkeys((*turn.state.path, turn.state.principle)))


def _check(turn: _Turn, statement: str) -> Reply:
    """A verdict about the principle the learner is talking about: the gap and the correction."""
    ids = candidates(turn)
    offline = verdict.judge_about([turn.graph.get(pid) for pid in ids], statement)
    found, usage, used, note = offline, Usage(), False, turn.no_model(Intent.CHECK)
    if turn.model is not None:
        try:
            found, usage = tutor.assess(turn.model, turn.graph, turn.thread, turn.state, statement, ids)
            used, note = True, ""
        except ModelError as exc:
            note = _model_failed(exc)
    about = found.principle or turn.state.principle
    parts = [verdict.renders(found, _name(turn.graph, about))]
    if found.verdict == verdict.UNKNOWN:
        parts.append("Compare it with the key points:\n\n" + texts.key_points(turn.graph, about))
    parts += [note] if note else []
    evidence = (Evidence(about, "check", found.verdict),)
    return turn.compose(Intent.CHECK, parts, turn.state.path, turn.state.layer, turn.state.pending_probe,
                        about=about, evidence=evidence, used_model=used, usage=usage)


def _answer(turn: _Turn, text: str) -> Reply:
    """The learner's answer to the probe the tutor asked: a verdict, then the answer itself."""
    pid = turn.state.pending_probe or turn.state.principle
    p = turn.graph.get(pid)
    if p.probe is None:
        return _question(turn, text)
    if " ".join(text.lower().split()).strip(" .!?") in SKIP:
        parts = [texts.probe_answer(turn.graph, pid)]
        return turn.compose(Intent.ANSWER, parts, turn.state.path, turn.state.layer)
    found, usage, used, note = verdict.judge_answer(p.probe, p, text), Usage(), False, ""
    if turn.model is not None:
        try:
            found, usage = tutor.assess(turn.model, turn.graph, turn.thread, turn.state, text, (pid,), probe=pid)
            used = True
        except ModelError as exc:
            note = _model_failed(exc)
    said = replace(found, correction=None) if found.correction == p.probe.answer else found  # the answer follows
    parts = [verdict.renders(said, p.name), texts.probe_answer(turn.graph, pid)] + ([note] if note else [])
    evidence = (Evidence(pid, "probe", found.verdict),)
    return turn.compose(Intent.ANSWER, parts, turn.state.path, turn.state.layer, about=pid, evidence=evidence,
                        used_model=used, usage=usage)


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
    """The principle under discussion clicked (the one just judged, else the current layer): record only it."""
    return Reply(Intent.GOT_IT.value, reaction=GOT_IT_REACTION, understood=(turn.state.discussed,))


def _ack(turn: _Turn, arg: str) -> Reply:
    return Reply(Intent.ACK.value)


_HANDLERS = {
    Intent.WHY: _why,
    Intent.SIMPLER: _simpler,
    Intent.EXAMPLE: _example,
    Intent.EXAMPLE_HERE: _example_here,
    Intent.CHECK: _check,
    Intent.GOT_IT: _got_it,
    Intent.ACK: _ack,
    Intent.QUESTION: _question,
}
