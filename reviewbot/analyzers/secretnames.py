"""Names that describe a secret instead of holding one: `secret_type`, `tokenUrl`, `password_field`,
`TOKEN_EXCHANGE_FAILED_MESSAGE`.

A name with a secret's word in it (`secret`, `token`, `password`) is what the
password and keyword rules look for; when its last word says it is about the
secret (its kind, where it comes from, how long it is), the value beside it is
that description (`secret_type == "actions"`), not a credential.
"""

from __future__ import annotations

import re

# Last words of such names.
DESCRIBING_WORDS = frozenset({"type", "kind", "name", "mode", "format", "id", "field", "prefix", "header", "url",
                              "path", "file", "source", "provider", "backend", "scheme", "length", "len", "policy",
                              "version", "status", "state", "label", "method", "algorithm", "algo", "alg",
                              "sigalgo", "cipher", "message", "msg", "template", "error", "prompt", "hint", "help",
                              "description"})  # fmt: skip
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def describes_a_secret(name: str) -> bool:
    """`secret_type`, `secretType`, `TOKEN_URL`: a name of two or more words whose last one describes."""
    words = _WORDS.findall(name)
    return len(words) > 1 and words[-1].lower() in DESCRIBING_WORDS


def named_beside(line: str, value: str) -> str | None:
    """The name the quoted `value` is assigned to, compared with or keyed by on `line`
    (`secret_type == "actions"`, `tokenType: 'Bearer'`), or None."""
    found = re.search(rf"([A-Za-z_][\w.]*)[\"']?\s*(?:[=!]==?|:=?|=>?)\s*[\"']{re.escape(value)}[\"']", line)
    return found.group(1).rsplit(".", 1)[-1] if found else None
