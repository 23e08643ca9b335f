"""Reading the model's answer (pure): strict JSON first, then leniently.

In json_schema mode the answer is valid JSON; in json_object and text mode it
may come wrapped in prose or a code fence, and a truncated answer (finish
reason "length") is cut mid-object. We take, in order: the whole text as
JSON, the first JSON object inside it, and finally every complete comment
object that can be recovered. Field names and severities that models often
use instead of ours are accepted (tables below).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from reviewbot.models import CATEGORIES, Confidence

FIELD_ALIASES = {
    "file": "path", "filename": "path", "file_path": "path",
    "start_line": "line", "line_number": "line", "lineno": "line",
    "last_line": "end_line", "endLine": "end_line", "line_end": "end_line",
    "message": "body", "description": "body", "comment": "body", "explanation": "body",
    "principle": "principle_id", "principleId": "principle_id",
    "new_principle": "new_principle_name", "proposed_principle": "new_principle_name",
    "rationale": "why", "reason": "why",
    "type": "kind", "certainty": "confidence",
}
SEVERITY_ALIASES = {
    "critical": "error", "blocker": "error", "high": "error", "major": "error", "bug": "error",
    "medium": "warning", "moderate": "warning", "warn": "warning",
    "low": "info", "minor": "info", "nit": "info", "suggestion": "info", "note": "info", "style": "info",
}
CATEGORY_ALIASES = {
    "documentation": "docs", "backward-compatibility": "compatibility", "breaking-change": "compatibility",
    "dependency": "dependencies", "duplicate": "duplication", "duplicated-code": "duplication", "testing": "tests",
    "error": "error-handling", "errors": "error-handling", "api": "api-design", "style": "readability",
    "a11y": "accessibility",
}
CONFIDENCES = tuple(c.value for c in Confidence)
VERDICTS = ("confirm", "downgrade", "drop")


@dataclass(frozen=True)
class RawComment:
    """A comment as the model wrote it, before it is checked against the diff."""

    path: str
    line: int
    end_line: int | None
    severity: str  # error | warning | info
    category: str
    title: str
    body: str
    suggestion: str | None
    principle_id: str | None
    new_principle_name: str | None
    why: str
    side: str = "RIGHT"  # RIGHT: `line` is in the new file; LEFT: in the old file (a deleted line)
    kind: str = "issue"  # issue | question
    confidence: str = "high"  # high | medium | low


@dataclass(frozen=True)
class RawVerdict:
    """The model's verdict on one analyzer finding it was shown ("F3")."""

    finding: str
    verdict: str  # confirm | downgrade | drop
    reason: str


@dataclass(frozen=True)
class Answer:
    comments: tuple[RawComment, ...]
    notes: tuple[str, ...]
    unusable: int  # comment objects that could not be used (no path, line or text)
    readable: bool  # False: nothing in the text could be read as the answer
    recovered: bool = False  # True: comments were recovered from a broken or cut-off answer
    verdicts: tuple[RawVerdict, ...] = ()


def parse_answer(text: str) -> Answer:
    data = _whole(text)
    if isinstance(data, dict) and ("comments" in data or "notes" in data):
        answer = _from_objects(_list(data.get("comments")), _notes(data.get("notes")), recovered=False)
        return replace(answer, verdicts=_verdicts(data.get("verdicts")))
    tops = [data] if isinstance(data, (dict, list)) else list(_objects(text))
    objects = [found for top in tops for found in _comment_objects(top)]
    if objects:
        return _from_objects(objects, (), recovered=True)
    return Answer((), (), 0, readable=False)


def _whole(text: str) -> Any:
    stripped = _strip_fence(text.strip())
    try:
        return json.loads(stripped)
    except ValueError:
        return next((obj for obj in _objects(stripped) if "comments" in obj), None)


def _strip_fence(text: str) -> str:
    if text.startswith("```") and text.endswith("```"):
        return text.split("\n", 1)[-1].rsplit("```", 1)[0]
    return text


def _objects(text: str) -> Iterator[dict[str, Any]]:
    """Every complete JSON object in `text`, outermost first, skipping what they contain."""
    decoder, position = json.JSONDecoder(), 0
    while (start := text.find("{", position)) != -1:
        try:
            obj, end = decoder.raw_decode(text, start)
        except ValueError:
            position = start + 1
            continue
        if isinstance(obj, dict):
            yield obj
        position = end


def _comment_objects(value: Any) -> Iterator[dict[str, Any]]:
    """Comment-shaped objects in `value`, however deeply the model nested them."""
    if isinstance(value, dict) and _looks_like_comment(value):
        yield value
    elif isinstance(value, (dict, list)):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _comment_objects(item)


def _looks_like_comment(obj: Mapping[str, Any]) -> bool:
    keys = {FIELD_ALIASES.get(key, key) for key in obj}
    return {"path", "line"} <= keys


def _from_objects(objects: list[Any], notes: tuple[str, ...], recovered: bool) -> Answer:
    comments = [_comment(obj) for obj in objects]
    usable = tuple(c for c in comments if c is not None)
    return Answer(usable, notes, len(comments) - len(usable), readable=True, recovered=recovered)


def _comment(obj: Any) -> RawComment | None:
    if not isinstance(obj, dict):
        return None
    fields = {FIELD_ALIASES.get(key, key): value for key, value in obj.items()}
    path, line = _text(fields.get("path")), _int(fields.get("line"))
    body, title = _text(fields.get("body")), _text(fields.get("title"))
    if not path or line is None or line < 1 or not (body or title):
        return None
    return RawComment(
        path=path.removeprefix("./"),
        line=line,
        end_line=_int(fields.get("end_line")),
        severity=_severity(fields.get("severity")),
        category=_category(fields.get("category")),
        title=title or _first_sentence(body),
        body=body or title,
        suggestion=fields.get("suggestion") if isinstance(fields.get("suggestion"), str) else None,
        principle_id=_text(fields.get("principle_id")) or None,
        new_principle_name=_text(fields.get("new_principle_name")) or None,
        why=_text(fields.get("why")),
        side="LEFT" if _text(fields.get("side")).upper() in ("LEFT", "OLD") else "RIGHT",
        kind="question" if _text(fields.get("kind")).lower() == "question" else "issue",
        confidence=_choice(fields.get("confidence"), CONFIDENCES, "high"),
    )


def _verdicts(value: Any) -> tuple[RawVerdict, ...]:
    found = []
    for item in _list(value):
        if isinstance(item, dict) and _text(item.get("finding")):
            verdict = _choice(item.get("verdict"), VERDICTS, "confirm")
            found.append(RawVerdict(_text(item.get("finding")).upper(), verdict, _text(item.get("reason"))))
    return tuple(found)


def _choice(value: Any, choices: tuple[str, ...], default: str) -> str:
    word = _text(value).lower()
    return word if word in choices else default


def _severity(value: Any) -> str:
    word = _text(value).lower()
    word = SEVERITY_ALIASES.get(word, word)
    return word if word in ("error", "warning", "info") else "warning"


def _category(value: Any) -> str:
    word = _text(value).lower().replace("_", "-").replace(" ", "-")
    word = CATEGORY_ALIASES.get(word, word)
    return word if word in CATEGORIES else "correctness"


def _first_sentence(text: str) -> str:
    return text.split("\n", 1)[0].split(". ", 1)[0][:120]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _notes(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    return tuple(v.strip() for v in _list(value) if isinstance(v, str) and v.strip())
