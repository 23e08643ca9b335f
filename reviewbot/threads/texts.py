"""The parts of a thread reply that come straight from the principle graph.

These are what reviewbot says with no model configured, and the frame (where
we are, what is below, what to reply next) around a model-written answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from reviewbot.learner.profile import ProfileView

if TYPE_CHECKING:
    from reviewbot.principles.graph import PrincipleGraph
    from reviewbot.threads.code import CodeFacts

_LANGUAGES = {
    ".py": "Python", ".pyi": "Python", ".js": "JavaScript", ".mjs": "JavaScript", ".cjs": "JavaScript",
    ".jsx": "JavaScript", ".ts": "TypeScript", ".tsx": "TypeScript", ".go": "Go", ".rs": "Rust",
    ".java": "Java", ".kt": "Kotlin", ".rb": "Ruby", ".php": "PHP", ".cs": "C#", ".c": "C", ".h": "C",
    ".cc": "C++", ".cpp": "C++", ".hpp": "C++", ".swift": "Swift", ".scala": "Scala", ".sh": "shell",
    ".bash": "shell", ".sql": "SQL", ".yml": "YAML", ".yaml": "YAML", ".tf": "Terraform",
}


def language_of(path: str | None) -> str | None:
    """The programming language a path's extension suggests, if any."""
    return _LANGUAGES.get(PurePosixPath(path or "").suffix.lower())


def names(graph: PrincipleGraph, ids: Sequence[str]) -> list[str]:
    return [graph.get(pid).name for pid in ids]


def brief(graph: PrincipleGraph, pid: str, index: int | None, profile: ProfileView, followed: bool) -> str:
    """One principle of a layer on one bullet: the followed one with its why, the others by statement."""
    p = graph.get(pid)
    lead = f"{index}. " if index is not None else "- "
    known = " _(you marked this one as understood before)_" if profile.knows(pid) else ""
    why = f" {p.why}" if followed else ""
    return f"{lead}**{p.name}** (`{p.id}`): {p.statement}{why}{known}"


def position(graph: PrincipleGraph, path: Sequence[str]) -> str:
    """Where the thread stands in the chain and what lies below it."""
    here = graph.get(path[-1])
    trail = " → ".join([*names(graph, path[:-1]), f"**{here.name}**"])
    below = list(graph.path_to_bedrock(here.id))[1:]
    layer = f"layer {len(path) - 1} below the review comment" if len(path) > 1 else "the review comment's own principle"
    if here.bedrock or not below:
        return f"**Where we are:** {trail} ({layer}; bedrock, nothing lies below it)."
    rest = " → ".join(p.name for p in below)
    more = "one more layer" if len(below) == 1 else f"{len(below)} more layers"
    return f"**Where we are:** {trail} ({layer}). Below it: {rest} (bedrock), {more}."


def options(graph: PrincipleGraph, layer: Sequence[str], at_bedrock: bool) -> str:
    """What the author can reply next."""
    choices = [] if at_bedrock else [f"`why` to go one layer deeper into **{graph.get(layer[0]).name}**"]
    choices += [f"`why {i}` to follow **{graph.get(pid).name}** instead" for i, pid in enumerate(layer[1:], 2)]
    choices += ["`simpler`", "`example in my code`", "`I think <your understanding>`", "`got it` when it clicks"]
    return "Reply " + ", ".join(choices) + "."


def simpler(graph: PrincipleGraph, pid: str) -> str:
    p = graph.get(pid)
    return f"**{p.name}, simply put:** {p.eli12}"


def example(graph: PrincipleGraph, pid: str, language: str | None) -> str:
    p = graph.get(pid)
    if p.example:
        return f"**An example of {p.name}:**\n\n{fenced(p.example)}"
    where = f" in {language}" if language else ""
    return (
        f"The principle graph has no stored example for **{p.name}**, and writing one{where} "
        f"for this code needs a model. The idea in one line: {p.statement}"
    )


def fenced(code: str) -> str:
    """`code` in a Markdown code block whose fence is longer than any run of backticks inside."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{code.rstrip()}\n{fence}"


def key_points(graph: PrincipleGraph, pid: str) -> str:
    """What a statement of understanding is compared against when no model can grade it."""
    p = graph.get(pid)
    lines = [f"- **What it says:** {p.statement}", f"- **Why it holds:** {p.why}"]
    if p.because:
        lines.append("- **It rests on:** " + ", ".join(names(graph, p.because)))
    return "\n".join(lines)


INVITE = (
    "In your own words: why does it matter for the code here? Reply `check: <your understanding>` "
    "and I'll compare it with the key points, or `got it` if it clicked."
)


def bedrock(graph: PrincipleGraph, pid: str) -> str:
    p = graph.get(pid)
    return (
        f"**{p.name}** is bedrock: the graph does not derive it from anything deeper. "
        f"{p.statement} {p.why}\n\nThis is the bottom of the chain. {INVITE}"
    )


def reached_bedrock(graph: PrincipleGraph, pid: str) -> str:
    return f"**{graph.get(pid).name}** is bedrock: this is the bottom of the chain. {INVITE}"


def converged(graph: PrincipleGraph, via: Sequence[str]) -> str:
    covered = ", ".join(f"**{n}**" for n in names(graph, via))
    return (
        f"Below this the chain only runs through what we already covered above ({covered}), "
        "so there is no new layer to add. In your own words: how does it all connect for the code here? "
        "Reply `check: <your understanding>`, or `got it` if it clicked."
    )


def max_depth(steps: int) -> str:
    return (
        f"We are {steps} layers below the review comment, as deep as one thread goes. "
        "Reply `check: <your understanding>` to test the whole chain, or `got it` if it clicked."
    )


def bad_option(graph: PrincipleGraph, option: int, layer: Sequence[str]) -> str:
    if len(layer) < 2:
        return f"There is only one way down from here, not {option}: reply `why` to follow it."
    listed = "; ".join(f"{i}. **{n}**" for i, n in enumerate(names(graph, layer), 1))
    return f"There is no option {option} here. The last layer offered: {listed}. Reply `why N` to follow one."


def no_model(what: str) -> str:
    return f"_(This {what} comes straight from the principle graph: no model is configured.)_"


def probe_still_open(graph: PrincipleGraph, pid: str) -> str:
    """The quick check asked above still waits for its answer (said briefly, not asked again)."""
    return (f"The quick check on **{graph.get(pid).name}** above is still open: reply with your answer "
            "(a guess is fine), or `skip` to see it.")


def probe_question(graph: PrincipleGraph, pid: str) -> str:
    """The tutor asks back: the principle's probe, answered in the thread."""
    p = graph.get(pid)
    question = p.probe.question if p.probe else ""
    from reviewbot.learner.tailor import code_aware

    return (f"**Quick check ({p.name}):** {code_aware(question)}\n\n"
            "Reply with your answer (a guess is fine), or `skip` to see it.")


def probe_answer(graph: PrincipleGraph, pid: str) -> str:
    p = graph.get(pid)
    return f"**The answer:** {p.probe.answer}" if p.probe else ""


def summary(graph: PrincipleGraph, path: Sequence[str], where: str, here: str | None) -> str:
    """Three lines from the learner's line of code down to bedrock."""
    root, bottom = graph.get(path[0]), graph.get(path[-1])
    chain = " → ".join(names(graph, path))
    return "\n".join([
        f"1. **Your code** ({where}): {here or root.statement}",
        f"2. **Why it matters:** {chain}.",
        f"3. **Bedrock, {bottom.name}:** {bottom.statement}",
    ])


def still_bedrock(graph: PrincipleGraph, pid: str) -> str:
    """A further why at bedrock, after the summary: no new layer, and no repeat of the summary."""
    return (f"Still bedrock: nothing lies below **{graph.get(pid).name}**, and the chain above is the whole of it. "
            "The best next step is yours: say how it connects for this code (`check: ...`), or take a branch.")


def untaken(graph: PrincipleGraph, branches: Sequence[str]) -> str:
    if not branches:
        return "Every branch below this chain has been covered in this thread."
    listed = "; ".join(f"`why {i}` **{graph.get(pid).name}**" for i, pid in enumerate(branches, 2))
    return f"Branches not taken yet: {listed}."


def option_intro(graph: PrincipleGraph, pid: str, option: int) -> str:
    p = graph.get(pid)
    return f"**Option {option}: {p.name}** (`{p.id}`): {p.statement} {p.why}"


def example_here(graph: PrincipleGraph, pid: str, facts: CodeFacts, where: str, language: str | None) -> str:
    """An example built from the finding: the flagged line, what goes wrong, the fix."""
    p = graph.get(pid)
    parts = [f"**In your code** ({where}):"]
    if facts.line:
        parts.append(fenced(facts.line))
    parts.append(facts.here or f"This line is a case of **{p.name}**: {p.statement}")
    if facts.fix:
        parts.append(f"**The fix here:** {facts.fix}")
    stored = p.example_for((language or "python").lower())
    if stored:
        parts.append(f"**The same idea in a small example:**\n\n{fenced(stored)}")
    return "\n\n".join(parts)
