"""The one way to review a diff, shared by `reviewbot check`, the App and the Action.

The built-in reviewer always runs: alone it is the offline review, and with a
model its findings ground the LLM reviewer and are merged into its comments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewbot.config import Config
    from reviewbot.diffmodel import Diff
    from reviewbot.llm.model import ChatModel
    from reviewbot.models import PullRequestText, Review
    from reviewbot.principles import PrincipleGraph
    from reviewbot.review.analyzer import Analyzer


def review(
    diff: Diff,
    contents: Mapping[str, str | None],
    config: Config,
    graph: PrincipleGraph,
    model: ChatModel | None = None,
    progress: Callable[[str], None] | None = None,
    analyzers: Sequence[Analyzer] | None = None,
    pull_request: PullRequestText | None = None,
    base_contents: Mapping[str, str | None] | None = None,
) -> Review:
    """Review `diff`; `contents` maps paths to post-change text (None: not available).

    `base_contents` maps pre-change paths to pre-change text (None or absent: rebuilt
    from the diff where possible); only findings the change introduced are reported.
    It may be a lazy mapping: it is read only for files that still have findings.
    `pull_request` (title and description) reaches the LLM as delimited untrusted data.
    """
    from reviewbot.analyzers import default_analyzers
    from reviewbot.review.builtin import review_builtin

    chosen = default_analyzers(config, graph) if analyzers is None else analyzers
    grounding = review_builtin(diff, contents, config, graph, chosen, base_contents)
    if model is None or config.offline:
        return grounding
    from reviewbot.adapters.codeblocks import find_blocks
    from reviewbot.llm.reviewer import review_llm

    blocks = find_blocks({file.path: contents.get(file.path) for file in diff.files})  # enclosing functions
    return review_llm(diff, contents, config, graph, model, grounding, progress=progress, pull_request=pull_request,
                      base_contents=base_contents, blocks=blocks)
