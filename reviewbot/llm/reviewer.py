"""Reviewing a diff with a model: prepare, chunk, ask concurrently, check, merge.

`review_llm` is pure given its model: the only I/O is what the `ChatModel`
does. Chunks run on a thread pool bounded by `config.concurrency` (the model
interface is synchronous; the requests wait on the network, so threads
overlap them). A failure that ends the run (bad key, no quota) cancels the
chunks not yet started and raises one `ModelError`; a chunk that fails after
its retries is listed in `skipped` and the run goes on, unless every chunk
failed, which raises the first failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import replace
from typing import TYPE_CHECKING

from reviewbot.llm.asker import ChunkAsker, Outcome
from reviewbot.llm.budget import CommentCaps, cap_per_line, fit_review
from reviewbot.llm.chunking import Chunk, ChunkPolicy, ChunkStream
from reviewbot.llm.commits import bounded
from reviewbot.llm.context import Block, file_list, read_from, runtime_versions
from reviewbot.llm.model import MODES, ChatModel
from reviewbot.llm.prepare import prepared_files
from reviewbot.llm.prompt import pull_request_block, system_prompt
from reviewbot.llm.redact import Redactor
from reviewbot.llm.tokens import EstimateCounter, TokenCounter
from reviewbot.llm.validate import check_comments, merge
from reviewbot.llm.verdicts import apply_verdicts, security_principles
from reviewbot.models import CommitMessage, PullRequestText, Review, Skipped
from reviewbot.review.globs import matches_any

if TYPE_CHECKING:
    from reviewbot.config import Config
    from reviewbot.diffmodel import Diff
    from reviewbot.principles import PrincipleGraph

DEFAULT_POLICY = ChunkPolicy()
DEFAULT_CAPS = CommentCaps()
MODE_NOTES = {
    "json_object": "the model server does not accept json_schema structured outputs: "
    "answers were requested in json_object mode",
    "text": "the model server accepts no JSON response format: answers were requested as plain text "
    "and read leniently",
}


def review_llm(
    diff: Diff,
    contents: Mapping[str, str | None],
    config: Config,
    graph: PrincipleGraph,
    model: ChatModel,
    grounding: Review,
    *,
    progress: Callable[[str], None] | None = None,
    pull_request: PullRequestText | None = None,
    policy: ChunkPolicy = DEFAULT_POLICY,
    redactor: Redactor | None = None,
    counter: TokenCounter | None = None,
    caps: CommentCaps = DEFAULT_CAPS,
    base_contents: Mapping[str, str | None] | None = None,
    blocks: Mapping[str, Sequence[Block]] | None = None,
) -> Review:
    """Review `diff` with `model`; `grounding` (the built-in review) is shown to it and merged in.

    `base_contents` (pre-change text by path, may be lazy) is read for the repository's declared
    runtime versions when the change does not touch the files that declare them. `blocks` are the
    functions and classes a structural parser found in non-Python files (path -> blocks).
    """
    redactor = redactor or Redactor(known_values=(config.api_key or "",))
    counting: TokenCounter = counter or getattr(model, "counter", None) or EstimateCounter()
    files = prepared_files(diff, contents, config.ignore, redactor, counting, policy, blocks)
    chunks = ChunkStream(files, policy)
    asker = ChunkAsker(model, system_prompt(graph.catalog_lines(), config.instructions, config.level),
                       _pull_request(pull_request, redactor, diff, config, read_from(contents, base_contents)),
                       grounding, redactor, caps.per_chunk)
    outcomes = run_chunks(chunks, asker.task, config.concurrency, progress)
    _raise_if_all_failed(outcomes)
    return assemble(diff, config, graph, model, grounding, outcomes, chunks.skipped, policy, caps)


def _pull_request(pr: PullRequestText | None, redactor: Redactor, diff: Diff, config: Config,
                  read: Callable[[str], str | None]) -> str:
    files = file_list(diff, lambda path: matches_any(path, config.ignore))
    versions = redactor.text("versions", runtime_versions(read))
    if pr is not None:
        pr = redacted(bounded(pr), redactor)
    return pull_request_block(pr, redactor.text("files", files), versions)


def redacted(pr: PullRequestText, redactor: Redactor) -> PullRequestText:
    """The pull request's words with every line that holds a secret replaced, commit messages included.

    One scan for all of them; each text is scanned as its own file, so line numbers cannot mix.
    """
    texts = [pr.title, pr.description, *(part for c in pr.commits for part in (c.subject, c.body))]
    scanned = redactor.many([(f"pull-request-{i}", text.splitlines()) for i, text in enumerate(texts)])
    title, description, *parts = ["\n".join(lines) for lines in scanned]
    commits = tuple(CommitMessage(c.id, parts[2 * i], parts[2 * i + 1]) for i, c in enumerate(pr.commits))
    return PullRequestText(title, description, commits, pr.earlier)


def run_chunks(chunks: Iterable[Chunk], task: Callable[[int, Chunk], Callable[[], Outcome]], concurrency: int,
               progress: Callable[[str], None] | None) -> list[Outcome]:
    """Outcomes in chunk order, with at most `concurrency` chunks in flight.

    Chunks are submitted as they are produced, so the first requests are on
    their way while later files are still being prepared; `task` builds each
    request here, so a worker that frees up sends the next one at once.
    Progress is reported from this thread. The first error that ends the run
    stops new requests and is raised here.
    """
    results: dict[int, Outcome] = {}
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures: dict[Future[Outcome], tuple[int, Chunk]] = {}
        try:
            for index, chunk in enumerate(chunks, 1):
                if _failed(futures):
                    break
                futures[pool.submit(task(index, chunk))] = (index, chunk)
            if progress is not None and futures:
                progress(f"asking the model about {len(futures)} part(s) of the diff")
            for future in as_completed(futures):
                index, chunk = futures[future]
                results[index] = future.result()
                _report(progress, len(results), len(futures), chunk)
        except BaseException:
            _cancel(futures)
            raise
    return [results[index] for index in sorted(results)]


def _failed(futures: Mapping[Future[Outcome], object]) -> bool:
    return any(future.done() and future.exception() is not None for future in futures)


def _cancel(futures: Mapping[Future[Outcome], object]) -> None:
    for future in futures:
        future.cancel()


def _report(progress: Callable[[str], None] | None, done: int, total: int, chunk: Chunk) -> None:
    if progress is not None:
        paths = chunk.paths
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        progress(f"reviewed part {done}/{total}: {shown}")


def _raise_if_all_failed(outcomes: Sequence[Outcome]) -> None:
    if outcomes and all(o.failure is not None and not o.reviewed for o in outcomes):
        raise outcomes[0].failure  # type: ignore[misc]


def assemble(diff: Diff, config: Config, graph: PrincipleGraph, model: ChatModel, grounding: Review,
             outcomes: Sequence[Outcome], skipped: Sequence[Skipped], policy: ChunkPolicy,
             caps: CommentCaps = DEFAULT_CAPS) -> Review:
    total = sum(outcomes, Outcome())
    reviewed = set(total.reviewed)
    checked = check_comments(total.raws, diff, graph, reviewed, policy.context_lines)
    wanted = [c for c in checked.comments if c.severity.rank >= config.min_severity.rank]
    judged = apply_verdicts(grounding.comments, total.verdicts, security_principles(graph))
    fresh = merge(judged.comments, wanted)[len(judged.comments):]
    fresh, crowded = cap_per_line(fresh, caps.per_line)
    kept, left_out = fit_review(judged.comments, fresh, config.max_comments)
    mode = _worst_mode(total.modes, model)
    notes = [*grounding.notes, *([MODE_NOTES[mode]] if mode in MODE_NOTES else []), *total.notes, *checked.notes,
             *judged.notes]
    if checked.unseen:
        notes.append(f"{checked.unseen} comments about files the model was not shown were dropped")
    if checked.vague:
        notes.append(f"{checked.vague} model comments named no concrete failure in their why: "
                     "posted at medium confidence (an error as a warning)")
    if checked.proposed:
        notes.append("principles the model proposed for the catalog: " + "; ".join(checked.proposed))
    if crowded:
        notes.append(f"{crowded} model comments dropped: at most {caps.per_line} on one line")
    if left_out:
        notes.append(f"{left_out} more comments not shown (max_comments={config.max_comments}; "
                     "analyzer findings at error severity are always shown)")
    own = [*skipped, *total.skipped]
    handled = reviewed | {s.path for s in own}
    return Review(
        comments=tuple(kept),
        skipped=tuple(own) + tuple(s for s in grounding.skipped if s.path not in handled),
        notes=tuple(dict.fromkeys(notes)),
        reviewer=f"llm:{model.name}",
        mode=mode,
        files_reviewed=len(reviewed | {c.path for c in grounding.coverage if c.analyzers}),
        usage=grounding.usage + total.usage,
        coverage=tuple(replace(c, analyzers=(*c.analyzers, "llm")) if c.path in reviewed else c
                       for c in grounding.coverage),
        pre_existing=grounding.pre_existing,
    )


def _worst_mode(modes: Sequence[str], model: ChatModel) -> str:
    used = set(modes) or {getattr(model, "mode", MODES[0])}
    return max(used, key=MODES.index)
