"""The JSON report: a documented, stable contract (version 3).

    {"version": 3,
     "comments": [{"path", "line", "end_line", "side", "severity", "title", "body",
                   "principle": {"id", "name", "why"}, "suggestion", "source",
                   "explained_at",                        # 2: null, or "path:line" of the comment
                                                          #    that carries this principle's why
                   "kind",                                # 3: "issue" or "question"
                   "confidence",                          # 3: "high", "medium" or "low"
                   "category"}],                          # 3: e.g. "correctness", "compatibility"; or null
     "summary": {"counts": {"error", "warning", "info"}, "total", "files_reviewed",
                 "reviewer", "mode", "notes", "principles", "usage":
                 {"calls", "prompt_tokens", "completion_tokens", "cached_tokens"},
                 "coverage": [{"path", "analyzers"}],     # 2: per file, which analyzers examined it
                 "coverage_summary",                      # 2: "12 files: 3 reviewed by ruff, ..."
                 "pre_existing"},                         # 2: findings the code had before the change
     "skipped": [{"path", "reason"}]}

Keys are never removed or renamed within a version; new keys may be added
only with a new version number (version 2 added the keys marked 2, version 3
the keys marked 3; every earlier key is unchanged). tests/test_render_json.py
pins the key sets.
"""

from __future__ import annotations

import json
from typing import Any

from reviewbot.models import Comment, Review, Skipped, Usage
from reviewbot.render import RenderOptions
from reviewbot.render.common import coverage_phrase, explanations, location, principle_ids

VERSION = 3


def render(review: Review, options: RenderOptions) -> str:
    return json.dumps(report(review), indent=2, ensure_ascii=False) + "\n"


def report(review: Review) -> dict[str, Any]:
    """The report as plain data (what `render` serialises)."""
    return {
        "version": VERSION,
        "comments": [comment_data(c, first) for c, first in explanations(review.comments)],
        "summary": summary_data(review),
        "skipped": [skipped_data(s) for s in review.skipped],
    }


def comment_data(comment: Comment, first: Comment | None = None) -> dict[str, Any]:
    return {
        "path": comment.path,
        "line": comment.line,
        "end_line": comment.end_line,
        "side": comment.side.value,
        "severity": comment.severity.value,
        "title": comment.title,
        "body": comment.body,
        "principle": {
            "id": comment.principle.id,
            "name": comment.principle.name,
            "why": comment.principle.why,
        },
        "suggestion": comment.suggestion,
        "source": comment.source,
        "explained_at": None if first is None else location(first),
        "kind": comment.kind.value,
        "confidence": comment.confidence.value,
        "category": comment.category,
    }


def summary_data(review: Review) -> dict[str, Any]:
    return {
        "counts": review.counts(),
        "total": len(review.comments),
        "files_reviewed": review.files_reviewed,
        "reviewer": review.reviewer,
        "mode": review.mode,
        "notes": list(review.notes),
        "principles": principle_ids(review),
        "usage": usage_data(review.usage),
        "coverage": [{"path": c.path, "analyzers": list(c.analyzers)} for c in review.coverage],
        "coverage_summary": coverage_phrase(review),
        "pre_existing": review.pre_existing,
    }


def usage_data(usage: Usage) -> dict[str, int]:
    return {
        "calls": usage.calls,
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "cached_tokens": usage.cached_tokens,
    }


def skipped_data(skipped: Skipped) -> dict[str, str]:
    return {"path": skipped.path, "reason": skipped.reason}
