"""The JSON report: a documented, stable contract (version 1).

    {"version": 1,
     "comments": [{"path", "line", "end_line", "side", "severity", "title", "body",
                   "principle": {"id", "name", "why"}, "suggestion", "source"}],
     "summary": {"counts": {"error", "warning", "info"}, "total", "files_reviewed",
                 "reviewer", "mode", "notes", "principles", "usage":
                 {"calls", "prompt_tokens", "completion_tokens", "cached_tokens"}},
     "skipped": [{"path", "reason"}]}

Keys are never removed or renamed within a version; new keys may be added
only with a new version number. tests/test_render_json.py pins the key sets.
"""

from __future__ import annotations

import json
from typing import Any

from reviewbot.models import Comment, Review, Skipped, Usage
from reviewbot.render import RenderOptions
from reviewbot.render.common import ordered, principle_ids

VERSION = 1


def render(review: Review, options: RenderOptions) -> str:
    return json.dumps(report(review), indent=2, ensure_ascii=False) + "\n"


def report(review: Review) -> dict[str, Any]:
    """The report as plain data (what `render` serialises)."""
    return {
        "version": VERSION,
        "comments": [comment_data(c) for c in ordered(review.comments)],
        "summary": summary_data(review),
        "skipped": [skipped_data(s) for s in review.skipped],
    }


def comment_data(comment: Comment) -> dict[str, Any]:
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
