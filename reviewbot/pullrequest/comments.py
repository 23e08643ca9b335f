"""One finding as a GitHub review comment: its body, its marker, its anchor.

A comment is anchored the way the reviews endpoint expects: `line` and
`side`, plus `start_line`/`start_side` for a range. Before anything is
posted, every anchor is checked against the pull request's diff (GitHub only
accepts lines inside a hunk, and a range inside one hunk); comments that fail
go into the review body instead of being dropped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from reviewbot.adapters.github.host import InlineComment
from reviewbot.diffmodel import Diff
from reviewbot.markup import code_span, fenced, one_line, sanitize
from reviewbot.models import QUESTION_PREFIX, Comment, Kind, Severity, Side
from reviewbot.pullrequest.markers import Marker, fingerprint

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
SEVERITY_LABEL = {Severity.ERROR: "🛑 Error", Severity.WARNING: "⚠️ Warning", Severity.INFO: "💡 Info"}
QUESTION_LABEL = "❓ Question"  # shown instead of the severity: a question asks the author, it does not judge
WHY_HINT = "Reply **why?** to go one layer deeper (or **simpler**, **example**)."


def span(comment: Comment) -> tuple[int, int]:
    """(first, last) line of the comment; GitHub anchors on the last."""
    last = comment.end_line if comment.end_line and comment.end_line > comment.line else comment.line
    return comment.line, last


def line_text(diff: Diff, contents: Mapping[str, str | None], path: str, line: int, side: Side) -> str:
    """The text of the commented line: from the post-change file, else from the hunk."""
    lines = (contents.get(path) or "").splitlines() if side is Side.RIGHT else []
    if 0 < line <= len(lines):
        return lines[line - 1]
    file = diff.file(path)
    hunk = file.hunk_at(line, side) if file else None
    for diff_line in hunk.lines if hunk else ():
        if (diff_line.new if side is Side.RIGHT else diff_line.old) == line:
            return diff_line.text
    return ""


def marker_for(comment: Comment, diff: Diff, contents: Mapping[str, str | None]) -> Marker:
    text = line_text(diff, contents, comment.path, comment.line, comment.side)
    return Marker(
        comment.principle.id, 0, fingerprint(comment.path, comment.principle.id, comment.rule, text)
    )


def comment_body(
    comment: Comment,
    marker: Marker,
    located: bool = False,
    explorer_url: str | None = None,
    first: Comment | None = None,
    pr_url: str = "",
) -> str:
    """The markdown of one review comment, its marker first.

    `located` names the file and line first, for a comment shown in the
    review body instead of on the diff; with `explorer_url` the principle's
    name links to its page in the served explorer. `first` is the earlier
    comment of this review that carries the principle's why: this one names
    it (linked to its line in the diff view of `pr_url`) instead of repeating it.
    """
    p = comment.principle
    where = f"{code_span(comment.path)} line {_lines(comment)} — " if located else ""
    parts = [
        f"{where}**{label(comment)}** · **{one_line(headline(comment))}** · {code_span(comment.source)}",
        sanitize(comment.body).strip(),
    ]
    if comment.suggestion is not None:
        parts.append(_suggestion(comment, applicable=not located))
    name = principle_name(p.id, p.name, explorer_url, bold=False)
    if first is None:
        parts.append(f"**Why — {name}** ({code_span(p.id)}): {sanitize(p.why).strip()}")
    else:
        parts.append(f"**Why — {name}** ({code_span(p.id)}): explained in this review's comment on {_place(first, pr_url)}.")
    parts.append(f"*{WHY_HINT}*")
    return marker.render() + "\n" + "\n\n".join(part for part in parts if part)


def diff_line_url(pr_url: str, comment: Comment) -> str:
    """The comment's line in the pull request's "Files changed" view: GitHub names each file's
    diff `diff-<SHA-256 of its path>`, and a line in it R<new line> or L<old line>."""
    anchor = hashlib.sha256(comment.path.encode("utf-8")).hexdigest()
    side = "R" if comment.side is Side.RIGHT else "L"
    return f"{pr_url.rstrip('/')}/files#diff-{anchor}{side}{span(comment)[1]}"


_PR_URL = re.compile(r"https?://[^\s()<>\[\]]+/pull/[0-9]+/?\Z")


def _place(first: Comment, pr_url: str) -> str:
    """ "`a.py` line 3", linked to that line of the diff when the pull request's address is known."""
    place = f"{code_span(first.path)} line {_lines(first)}"
    return f"[{place}]({diff_line_url(pr_url, first)})" if _PR_URL.match(pr_url) else place


def label(comment: Comment) -> str:
    return QUESTION_LABEL if comment.kind is Kind.QUESTION else SEVERITY_LABEL[comment.severity]


def headline(comment: Comment) -> str:
    """The title; a question's without its "Question: " prefix, which the label already says."""
    return comment.title.removeprefix(QUESTION_PREFIX) if comment.kind is Kind.QUESTION else comment.title


def principle_name(principle_id: str, name: str, explorer_url: str | None, bold: bool = True) -> str:
    """The principle's name, as a link to its explorer page when the operator serves one.

    The address is the operator's own setting and the id is a catalog slug, so this
    link is reviewbot's text, not model output; the name is sanitised as always.
    """
    shown = one_line(name).replace("[", "(").replace("]", ")")
    if explorer_url and _SLUG.match(principle_id):
        shown = f"[{shown}]({explorer_url}/p/{principle_id}.html)"
    return f"**{shown}**" if bold else shown


def _lines(comment: Comment) -> str:
    first, last = span(comment)
    return f"{first}" if first == last else f"{first}-{last}"


def _suggestion(comment: Comment, applicable: bool) -> str:
    """A ```suggestion block GitHub can apply, or plain code where it cannot."""
    text = (comment.suggestion or "").rstrip("\n")
    if applicable and comment.side is Side.RIGHT:
        return fenced(text, "suggestion")
    return "Suggested instead:\n\n" + fenced(text)


def anchorable(comment: Comment, diff: Diff) -> bool:
    """True when GitHub will accept this comment's path/line/side on `diff`."""
    first, last = span(comment)
    file = diff.file(comment.path)
    if file is None or not file.contains(last, comment.side):
        return False
    return first == last or (
        file.contains(first, comment.side)
        and file.hunk_at(first, comment.side) is file.hunk_at(last, comment.side)
    )


def inline_comment(comment: Comment, body: str) -> InlineComment:
    first, last = span(comment)
    if first == last:
        return InlineComment(comment.path, last, body, comment.side)
    return InlineComment(comment.path, last, body, comment.side, start_line=first, start_side=comment.side)
