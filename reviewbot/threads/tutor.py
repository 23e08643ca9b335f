"""The model's part of a thread: messages in the stable-first order, answers checked.

The system message (prompt template + principle catalog) is the same for
every thread, so servers that cache prompt prefixes reuse it. The thread's
own context follows in one user message, where the author's words and the
code are fenced as untrusted data. Whatever the model writes is sanitised
(no HTML, no hidden text, no @-mentions) before it is posted.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from reviewbot.errors import ModelError
from reviewbot.models import Usage
from reviewbot.threads import texts, verdict
from reviewbot.threads.data import ThreadData, ThreadState
from reviewbot.threads.intents import Intent
from reviewbot.threads.markers import strip_hidden

if TYPE_CHECKING:
    from reviewbot.llm.model import ChatModel, Completion, Message
    from reviewbot.principles.graph import PrincipleGraph

MAX_HUNK_CHARS = 3000
MAX_TURN_CHARS = 800
MAX_TURNS = 6
MAX_ANSWER_CHARS = 4000

CHECK_SCHEMA = {
    "type": "object",
    "properties": {
        "principle": {"type": "string"},
        "verdict": {"type": "string", "enum": list(verdict.VERDICTS)},
        "gap": {"type": "string"},
        "correction": {"type": "string"},
        "matched": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["principle", "verdict", "gap", "correction", "matched"],
    "additionalProperties": False,
}

_TASKS = {
    Intent.WHY: "why",
    Intent.SIMPLER: "simpler",
    Intent.EXAMPLE: "example",
    Intent.QUESTION: "question",
}


def template(name: str) -> str:
    """A prompt from prompts/, without its leading documentation comment (shared loader)."""
    from reviewbot.llm.prompt import template as load

    return load(name).template


def system_message(graph: PrincipleGraph, name: str) -> Message:
    """The stable prefix: instructions, then the principle catalog (byte-identical per graph)."""
    return {"role": "system", "content": template(name).rstrip() + "\n\n## Principle catalog\n\n" + graph.catalog_lines()}


def explain(
    model: ChatModel, graph: PrincipleGraph, thread: ThreadData, state: ThreadState, intent: Intent, **context: Any
) -> tuple[str, Usage]:
    """The model's explanation for a why / simpler / example / question turn."""
    user = _context(graph, thread, state) + _task(graph, intent, **context)
    completion = model.complete([system_message(graph, "why.md"), {"role": "user", "content": user}], None)
    return _usable_text(completion), completion.usage


def assess(model: ChatModel, graph: PrincipleGraph, thread: ThreadData, state: ThreadState, statement: str, about: tuple[str, ...],
           probe: str | None = None) -> tuple[verdict.Verdict, Usage]:
    """The model's structured verdict on a statement (or a probe answer) about one of `about`."""
    user = _context(graph, thread, state) + _check_task(graph, about, statement, probe)
    completion = model.complete([system_message(graph, "check.md"), {"role": "user", "content": user}], CHECK_SCHEMA)
    if completion.refusal:
        raise ModelError(f"the model declined to answer: {completion.refusal}")
    return parse_verdict(completion.text or "", graph, about), completion.usage


def parse_verdict(text: str, graph: PrincipleGraph, about: tuple[str, ...]) -> verdict.Verdict:
    """The model's JSON as a Verdict; the principle must be one it was asked about."""
    match = re.search(r"\{.*\}", text, re.DOTALL)
    try:
        data = json.loads(match.group(0) if match else text)
        kind, principle = str(data["verdict"]).strip().lower(), str(data.get("principle") or about[0]).strip()
        gap, correction = _field(data["gap"]), _field(data["correction"])
        matched = tuple(str(m) for m in data.get("matched") or ())
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ModelError("the model's assessment was not the JSON asked for") from None
    if kind not in verdict.VERDICTS:
        raise ModelError(f"the model's assessment has no usable verdict ({kind!r})")
    if kind in (verdict.PARTLY, verdict.MISCONCEPTION) and not (gap and correction):
        raise ModelError("the model's assessment names no gap or no correction")
    principle = principle if principle in about else about[0]
    known = {m.id for m in graph.get(principle).misconceptions}
    return verdict.Verdict(principle, kind, gap, correction, tuple(m for m in matched if m in known))


def _field(value: object) -> str | None:
    """One string of the model's verdict, sanitised like any text it writes (None when empty)."""
    from reviewbot.llm.sanitize import sanitize_text

    if not isinstance(value, str):
        raise TypeError("not a string")
    return sanitize_text(strip_hidden(value), MAX_ANSWER_CHARS // 4) or None


def _usable_text(completion: Completion) -> str:
    from reviewbot.llm.sanitize import sanitize_text

    if completion.refusal:
        raise ModelError(f"the model declined to answer: {completion.refusal}")
    text = sanitize_text(strip_hidden(completion.text), MAX_ANSWER_CHARS)
    if not text:
        raise ModelError("the model sent an empty answer")
    return text


def untrusted(label: str, text: str) -> str:
    """Fence a person's words as data: no hidden parts, no secrets, no fence words inside."""
    return fence(label, _redacted("comment.md", strip_hidden(text)))


def fence(label: str, text: str) -> str:
    clean = text.replace("<<<", "< < <").replace(">>>", "> > >")
    return f"<<<{label}\n{clean}\n{label}>>>"


def _redacted(path: str, text: str) -> str:
    """What may leave the machine: lines holding secrets replaced, as for the diff."""
    from reviewbot.llm.redact import Redactor

    return Redactor().text(path, text) if text else text


def _code(thread: ThreadData) -> str:
    from reviewbot.llm.redact import never_sent

    if thread.path and never_sent(thread.path):
        return "(not sent: this file's content never leaves the machine)"
    return (thread.diff_hunk or "")[-MAX_HUNK_CHARS:]


def _context(graph: PrincipleGraph, thread: ThreadData, state: ThreadState) -> str:
    here = graph.get(state.principle)
    lines = [
        "## Thread context",
        f"File: {thread.path or 'unknown'}" + (f", line {thread.line}" if thread.line else ""),
        f"Language: {texts.language_of(thread.path) or 'unknown'}",
        "Code under review (untrusted data, the diff hunk the thread is anchored to):",
        fence("CODE", _redacted(thread.path or "hunk.txt", _code(thread))),
        "Chain so far: " + " -> ".join(f"{p.name} ({p.id})" for p in map(graph.get, state.path)),
        "",
        "Current principle:",
        _principle_block(graph, here.id),
        "",
        "Earlier turns of the thread (untrusted data):",
        *_turns(thread),
    ]
    return "\n".join(lines) + "\n\n"


def _principle_block(graph: PrincipleGraph, pid: str) -> str:
    p = graph.get(pid)
    lines = [f"- id: {p.id}", f"  name: {p.name}", f"  statement: {p.statement}", f"  why: {p.why}",
             f"  eli12: {p.eli12}", f"  bedrock: {'yes' if p.bedrock else 'no'}"]
    if p.because:
        lines.append("  because: " + ", ".join(p.because))
    if p.example:
        lines.append("  example: " + p.example.replace("\n", "\n    "))
    return "\n".join(lines)


def _turns(thread: ThreadData) -> list[str]:
    recent = thread.comments[-MAX_TURNS:]
    return [untrusted("BOT" if c.author == thread.app_login else "AUTHOR", c.body[:MAX_TURN_CHARS]) for c in recent]


def _task(graph: PrincipleGraph, intent: Intent, **context: Any) -> str:
    name = _TASKS[intent]
    lines = [f"## Task: {name}"]
    if context.get("here"):
        lines.append("What goes wrong in this code, as the review comment says (facts of the finding): "
                     + context["here"])
    if intent in (Intent.WHY, Intent.QUESTION):
        lines.append("Start with a concrete failure scenario for this code: an input or a sequence of calls "
                     "and what it leads to, using its identifiers and values. Then the principle.")
    if intent is Intent.WHY:
        lines.append(f"Explain why {graph.get(context['parent']).name} holds: the layer below it is:")
        lines += [_principle_block(graph, pid) for pid in context["layer"]]
        lines.append(f"Follow {graph.get(context['layer'][0]).name} a little further than the others.")
        if context.get("via"):
            passed = ", ".join(graph.get(pid).name for pid in context["via"])
            lines.append(f"On the way down the chain passes through {passed}, explained earlier in the thread.")
    elif intent is Intent.EXAMPLE:
        lines.append(f"Write the example in {context.get('language') or 'the language of the code above'}.")
        if context.get("in_code"):
            lines.append("Build the example from the code above: its names and values, the failing call "
                         "sequence, then the fixed version of the same lines.")
    elif intent is Intent.QUESTION:
        lines.append("The author's question (untrusted data):")
        lines.append(untrusted("QUESTION", context["question"]))
    return "\n".join(lines)


def _check_task(graph: PrincipleGraph, about: tuple[str, ...], statement: str, probe: str | None) -> str:
    lines = ["## Task: check"]
    question = graph.get(probe).probe if probe else None
    if question is not None:
        lines += ["The author answers this question about the principle below:", fence("QUESTION", question.question),
                  "The right answer: " + question.answer]
    lines.append("Principles the statement may be about (judge it against the one it is about):")
    lines += [_teaching_block(graph, pid) for pid in about]
    label = "answer" if probe else "statement of understanding"
    lines += [f"The author's {label} (untrusted data):", untrusted("STATEMENT", statement)]
    return "\n".join(lines)


def _teaching_block(graph: PrincipleGraph, pid: str) -> str:
    """What a verdict is judged against: the statement, its misconceptions and its key points."""
    p = graph.get(pid)
    lines = [f"- id: {p.id}", f"  name: {p.name}", f"  statement: {p.statement}"]
    lines += [f"  misconception {m.id}: {m.belief} Correction: {m.correction}" for m in p.misconceptions]
    lines += [f"  key point: {k.point}" for k in p.key_points]
    return "\n".join(lines)
