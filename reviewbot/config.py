"""Settings for one run, built once at the edge and passed in frozen.

Precedence: command-line flags, then the environment, then the user's own
file, then the repository's policy file (`.reviewbot.toml` or
`[tool.reviewbot]` in pyproject.toml, which may not set the LLM fields), then
these defaults. Nothing here reads the environment at import time:
`reviewbot.config_loader` (an edge module) does the reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewbot.models import LEVELS, Severity
from reviewbot.ruffpolicy import RuffPolicy

__all__ = ["ANALYZERS", "COMMENT_ON", "FAIL_ON", "LEVELS", "MAX_TIMEOUT", "Config"]

FAIL_ON = ("error", "warning", "info", "never")
COMMENT_ON = ("proven", "all")  # proven: rules certain or with an earned record comment, the rest are listed
ANALYZERS = ("ruff", "secrets", "diff", "oxlint", "shellcheck", "hadolint", "zizmor", "actionlint", "astgrep")
MAX_TIMEOUT = 120.0  # seconds: the longest an LLM call may be allowed to take


@dataclass(frozen=True)
class Config:
    # what is reviewed
    ignore: tuple[str, ...] = ()  # glob patterns (gitignore-style) of paths never reviewed
    analyzers: tuple[str, ...] = ANALYZERS  # enabled built-in analyzers
    tests: tuple[str, ...] | None = None  # globs of test code (None: reviewbot.review.testpaths defaults)
    # the repository's Python target, ruff per-file-ignores, per-file targets and excluded files, from
    # its trusted configuration (reviewbot.ruffpolicy); never settable in the policy file itself
    ruff: RuffPolicy = RuffPolicy()
    # "owner/name" of the repository under review, from the edge that knows it (the webhook, GitHub's
    # GITHUB_REPOSITORY, the checkout's `origin` remote); no settings layer can set it
    repository: str = ""
    # what is reported
    min_severity: Severity = Severity.INFO  # findings below this are dropped
    max_comments: int = 50  # budget: the most severe are kept
    comment_on: str = "proven"  # proven | all: which rules comment on lines (reviewbot.principles.ruletable)
    level: str = "engineer"  # engineer | eli12: which form of the why is shown
    fail_on: str = "error"  # error | warning | info | never (CLI / Action exit code)
    instructions: str = ""  # extra reviewer instructions (used by the LLM reviewer)
    # the LLM (any OpenAI-compatible server); no model configured = built-in reviewer
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 60.0  # seconds per LLM call, at most MAX_TIMEOUT
    concurrency: int = 4  # LLM calls in flight at once
    offline: bool = False  # force the built-in reviewer even when an LLM is configured
    # the GitHub App and Action only (ignored by `reviewbot check`)
    request_changes: bool = False  # post REQUEST_CHANGES when a finding is an error (default COMMENT)
    review_drafts: bool | None = None  # review draft pull requests; None: the server's setting decides

    @property
    def llm_configured(self) -> bool:
        return bool(self.model and (self.api_key or self.base_url)) and not self.offline
