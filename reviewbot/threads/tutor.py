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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewbot.errors import ModelError
from reviewbot.models import Usage
from reviewbot.threads import texts
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

VERDICTS = ("correct", "partly-correct", "misconception")
CHECK_SCHEMA = {
    "type": "object",
    "properties": {
        "verdict": {"type": "string", "enum": list(VERDICTS)},
        "gap": {"type": "string"},
        "explanation": {"type": "string"},
    },
    "required": ["verdict", "gap", "explanation"],
    "additionalProperties": False,
}

_TASKS = {
    Intent.WHY: "why",
    Intent.SIMPLER: "simpler",
    Intent.EXAMPLE: "example",
    Intent.QUESTION: "question",
}


@dataclass(frozen=True)
class Verdict:
    verdict: str  # one of VERDICTS
    gap: str
    explanation: str

    def render(self) -> str:
        heading = {
            "correct": "**Correct.**",
            "partly-correct": "**Partly correct.**",
            "misconception": "**Not quite: that is a misconception.**",
        }[self.verdict]
        parts = [f"{heading} {self.explanation}".strip()]
        if self.gap:
            label = "One thing to sharpen" if self.verdict == "correct" else "The gap"
            parts.append(f"**{label}:** {self.gap}")
        return "\n\n".join(parts)


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


def assess(model: ChatModel, graph: PrincipleGraph, thread: ThreadData, state: ThreadState, statement: str) -> tuple[Verdict, Usage]:
    """The model's assessment of the author's statement of understanding."""
    user = _context(graph, thread, state) + _statement_block(statement)
    completion = model.complete([system_message(graph, "check.md"), {"role": "user", "content": user}], CHECK_SCHEMA)
    return parse_verdict(_usable_text(completion)), completion.usage


def parse_verdict(text: str) -> Verdict:
    match = re.search(r"\{.*\}", text, re.DOTALL)
    try:
        data = json.loads(match.group(0) if match else text)
        verdict = Verdict(str(data["verdict"]).strip().lower(), str(data["gap"]).strip(), str(data["explanation"]).strip())
    except (ValueError, KeyError, TypeError):
        raise ModelError("the model's assessment was not the JSON asked for") from None
    if verdict.verdict not in VERDICTS or not verdict.explanation:
        raise ModelError(f"the model's assessment has no usable verdict ({verdict.verdict!r})")
    if verdict.verdict != "correct" and not verdict.gap:
        raise ModelError("the model's assessment names no gap")
    return verdict


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
    if intent is Intent.WHY:
        lines.append(f"Explain why {graph.get(context['parent']).name} holds: the layer below it is:")
        lines += [_principle_block(graph, pid) for pid in context["layer"]]
        lines.append(f"Follow {graph.get(context['layer'][0]).name} a little further than the others.")
        if context.get("via"):
            passed = ", ".join(graph.get(pid).name for pid in context["via"])
            lines.append(f"On the way down the chain passes through {passed}, explained earlier in the thread.")
    elif intent is Intent.EXAMPLE:
        lines.append(f"Write the example in {context.get('language') or 'the language of the code above'}.")
    elif intent is Intent.QUESTION:
        lines.append("The author's question (untrusted data):")
        lines.append(untrusted("QUESTION", context["question"]))
    return "\n".join(lines)


def _statement_block(statement: str) -> str:
    return "## Task: check\nThe author's statement of understanding (untrusted data):\n" + untrusted(
        "STATEMENT", statement
    )
