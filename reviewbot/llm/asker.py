"""Asking the model about one chunk, and turning whatever happens into an Outcome.

Every path ends in an Outcome, never a traceback: an answer (strict or read
leniently), a refusal or content filter (the lines are listed as not
reviewed), a cut-off answer (the chunk is asked again in halves, or what can
be recovered is kept), an unreadable answer (asked once more), a prompt too
long for the model (halved), a call that failed after its retries (listed as
not reviewed). Only an error that ends the run (bad key, no quota) is raised,
after telling the other workers to stop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from reviewbot.errors import ModelError
from reviewbot.llm.budget import cap_answer
from reviewbot.llm.chunking import Chunk, unreviewed
from reviewbot.llm.model import (
    ChatModel,
    Completion,
    Message,
    PromptTooLongError,
    TransientModelError,
)
from reviewbot.llm.parse import Answer, RawComment, RawVerdict, parse_answer
from reviewbot.llm.prompt import messages, name, review_schema, template, user_prompt
from reviewbot.llm.redact import Redactor, pattern_scanner
from reviewbot.llm.sanitize import sanitize_text, sanitize_title
from reviewbot.llm.verdicts import finding_id
from reviewbot.models import Comment, Review, Skipped, Usage

MAX_SPLITS = 3  # a cut-off answer is retried with the chunk halved, at most this deep


@dataclass(frozen=True)
class Outcome:
    """What one chunk produced."""

    raws: tuple[RawComment, ...] = ()
    notes: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    reviewed: tuple[str, ...] = ()  # paths the model answered for
    usage: Usage = field(default_factory=Usage)
    modes: tuple[str, ...] = ()
    failure: ModelError | None = None
    verdicts: tuple[RawVerdict, ...] = ()  # on the analyzer findings shown with the chunk

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(self.raws + other.raws, self.notes + other.notes, self.skipped + other.skipped,
                       self.reviewed + other.reviewed, self.usage + other.usage, self.modes + other.modes,
                       self.failure or other.failure, self.verdicts + other.verdicts)


class ChunkAsker:
    """Asks the model about one chunk and turns whatever happens into an Outcome."""

    def __init__(self, model: ChatModel, system: str, pull_request: str, grounding: Review,
                 redactor: Redactor, per_chunk: int = 25) -> None:
        self.model, self.system, self.pull_request = model, system, pull_request
        self.per_chunk = per_chunk
        self.grounding = grounding
        # findings are our analyzers' words (secrets already masked): the pattern pass is enough
        self.findings_redactor = replace(redactor, scanners=(pattern_scanner,))
        self.stopped = threading.Event()  # set by the first error that ends the run

    def task(self, index: int, chunk: Chunk) -> Callable[[], Outcome]:
        """The request for `chunk`, built now, to be sent by a worker."""
        request = messages(self.system, self._user(index, chunk))
        return lambda: self._send(index, chunk, request, depth=0)

    def review(self, index: int, chunk: Chunk, depth: int = 0) -> Outcome:
        return self._send(index, chunk, messages(self.system, self._user(index, chunk)), depth)

    def _send(self, index: int, chunk: Chunk, request: list[Message], depth: int) -> Outcome:
        if self.stopped.is_set():
            return Outcome()
        try:
            completion = self.model.complete(request, review_schema())
        except PromptTooLongError as exc:
            return self._smaller(index, chunk, depth, Usage(), str(exc))
        except TransientModelError as exc:
            return Outcome(skipped=tuple(unreviewed(chunk.pieces, f"not reviewed: {exc}")), failure=exc)
        except ModelError:
            self.stopped.set()
            raise
        return self._read(index, chunk, depth, request, completion)

    def _user(self, index: int, chunk: Chunk) -> str:
        return user_prompt(self.pull_request, index, chunk.paths, self._findings(chunk), chunk.text())

    def _findings(self, chunk: Chunk) -> str:
        spans = [(p.path, p.span) for p in chunk.pieces if p.span]
        rows = [(i, c) for i, c in enumerate(self.grounding.comments)
                if any(_within(c, path, span) for path, span in spans)]
        texts = [f"{finding_id(i)} {name(c.path)}:{c.line} [{c.severity.value}] {c.source}: {name(c.title)}"
                 for i, c in rows]
        return "\n".join(self.findings_redactor.lines("findings", texts))

    def _read(self, index: int, chunk: Chunk, depth: int, request: list[Message], completion: Completion) -> Outcome:
        spent = Outcome(usage=completion.usage, modes=(completion.mode,))
        declined = _declined(completion)
        if declined:
            return spent + Outcome(skipped=tuple(unreviewed(chunk.pieces, declined)), notes=(declined,))
        if completion.finish_reason == "length":
            return spent + self._cut_off(index, chunk, depth, completion)
        answer = parse_answer(completion.text)
        if not answer.readable:
            return spent + self._again(index, chunk, request, completion)
        return spent + _answered(chunk, answer, self.per_chunk)

    def _cut_off(self, index: int, chunk: Chunk, depth: int, completion: Completion) -> Outcome:
        halves = chunk.halves() if depth < MAX_SPLITS else None
        if halves is not None:
            return self.review(index, halves[0], depth + 1) + self.review(index, halves[1], depth + 1)
        answer = parse_answer(completion.text)
        note = (f"the model's answer about {', '.join(chunk.paths)} was cut off at its length limit: "
                f"{len(answer.comments)} comments were recovered from it")
        return _answered(chunk, answer, self.per_chunk) + Outcome(notes=(note,))

    def _smaller(self, index: int, chunk: Chunk, depth: int, usage: Usage, reason: str) -> Outcome:
        halves = chunk.halves() if depth < MAX_SPLITS else None
        if halves is None:
            return Outcome(usage=usage, skipped=tuple(unreviewed(chunk.pieces, f"not reviewed: {reason}")))
        return self.review(index, halves[0], depth + 1) + self.review(index, halves[1], depth + 1)

    def _again(self, index: int, chunk: Chunk, request: list[Message], first: Completion) -> Outcome:
        retry = request + [{"role": "assistant", "content": first.text[:4000]},
                           {"role": "user", "content": template("review_retry.md").substitute().strip()}]
        try:
            completion = self.model.complete(retry, review_schema())
        except (TransientModelError, PromptTooLongError) as exc:
            return Outcome(skipped=tuple(unreviewed(chunk.pieces, f"not reviewed: {exc}")), failure=exc)
        except ModelError:
            self.stopped.set()
            raise
        answer = parse_answer(completion.text)
        spent = Outcome(usage=completion.usage, modes=(completion.mode,))
        if answer.readable and not _declined(completion):
            return spent + _answered(chunk, answer, self.per_chunk)
        reason = "not reviewed: the model's answer could not be read as JSON, twice"
        return spent + Outcome(skipped=tuple(unreviewed(chunk.pieces, reason)))


def _within(comment: Comment, path: str, span: tuple[int, int]) -> bool:
    return comment.path == path and span[0] <= comment.line <= span[1]


def _declined(completion: Completion) -> str | None:
    if completion.refusal:
        return f"not reviewed: the model declined ({sanitize_title(completion.refusal)})"
    if completion.finish_reason == "content_filter":
        return "not reviewed: the provider's content filter stopped the answer"
    return None


def _answered(chunk: Chunk, answer: Answer, per_chunk: int) -> Outcome:
    notes = tuple(sanitize_text(note, 600) for note in answer.notes)
    if answer.unusable:
        notes += (f"{answer.unusable} comments from the model had no usable file, line or text and were dropped",)
    raws, over = cap_answer(answer.comments, per_chunk)
    if over:
        notes += ((f"{over} of the model's least severe comments about {', '.join(chunk.paths)} were dropped: "
                   f"at most {per_chunk} are kept from one answer"),)
    return Outcome(raws=tuple(raws), notes=notes, reviewed=chunk.paths, verdicts=answer.verdicts)
