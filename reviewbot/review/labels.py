"""How a built-in finding is labelled in the review's data: kind, confidence, category (pure tables).

A model says for each of its comments whether it is an issue or a question,
how sure it is and what it is about. An analyzer's finding gets the same
three labels from what the built-in reviewer knows about it:

- kind: always "issue". An analyzer reports a pattern it matched; it never asks.
- confidence: from the evidence the rule table records for the rule
  (`CONFIDENCE_BY_EVIDENCE`). The tables put a rule at "error" only where the
  match is certain evidence of a problem (a vendor-format key, a conflict
  marker, a name that does not resolve), so:

  | evidence                                                        | confidence |
  |-----------------------------------------------------------------|------------|
  | the rule's own table entry is at "error"                         | high       |
  | the rule's own entry is at "warning" or "info": the pattern is   | medium     |
  | there, whether it costs something depends on code not examined  |            |
  | no entry of its own (the analyzer's "default" entry stands in)   | low        |

  The table's own severity counts, not the one after a test-code cap: a
  real key in a test file is still certainly a key.
- category: the category of the principle the finding teaches, from the data
  file it is defined in (`CATEGORY_BY_FILE`), except where a principle is
  filed under a broader topic than what it is about (`CATEGORY_BY_PRINCIPLE`).
"""

from __future__ import annotations

from reviewbot.models import Confidence, Kind, Severity

KIND = Kind.ISSUE
CONFIDENCE_BY_EVIDENCE = {  # the severity of the rule's own table entry -> confidence
    Severity.ERROR: Confidence.HIGH,
    Severity.WARNING: Confidence.MEDIUM,
    Severity.INFO: Confidence.MEDIUM,
}
NO_OWN_ENTRY = Confidence.LOW

# Security principles defined in other files (the security file's own are security by their file). The
# model's verdicts cannot drop an error-severity finding of any of them (reviewbot.llm.verdicts).
SECURITY_ELSEWHERE = frozenset({
    "no-secrets-in-logs", "prevent-ssrf", "security-values-must-be-unguessable", "constant-time-secret-comparison",
    "authorize-every-object-access", "csrf-and-cookie-flags", "untrusted-input-in-ci-workflows",
    "pin-and-verify-dependencies", "quote-shell-expansions", "no-internals-in-error-responses",
})

CATEGORY_BY_FILE = {  # principles/data/<file>.toml -> the category of a finding that teaches one of its principles
    "accessibility": "accessibility", "api-design": "api-design", "bedrock": "correctness",
    "concurrency": "concurrency", "correctness": "correctness", "data": "correctness", "design": "correctness",
    "distributed": "concurrency", "errors": "error-handling", "hygiene": "readability", "javascript": "correctness",
    "mechanisms": "correctness", "operations": "correctness", "performance": "performance", "python": "correctness",
    "readability": "readability", "reliability": "error-handling", "security": "security", "testing": "tests",
    "time": "correctness", "web": "security",
}
CATEGORY_BY_PRINCIPLE = {
    **dict.fromkeys(SECURITY_ELSEWHERE, "security"),
    "attacks-improve-over-time": "security", "trust-boundary": "security",
    "pin-and-verify-dependencies": "dependencies",
    "backward-compatibility": "compatibility", "backward-compatible-migrations": "compatibility",
    "reversible-changes": "compatibility",
    "single-source-of-truth": "duplication", "comments-explain-why": "docs",
    "resolve-merge-conflicts": "correctness", "remove-debugging-leftovers": "correctness",
    "cooperative-scheduling": "concurrency", "read-modify-write-is-not-atomic": "concurrency",
    "waiting-holds-resources": "concurrency",
    "bugs-are-not-recoverable-errors": "error-handling", "ambiguous-outcomes": "error-handling",
    "http-semantics": "api-design", "information-hiding": "api-design", "push-io-to-the-edges": "api-design",
    "bound-and-paginate-lists": "performance", "latency-is-a-distribution": "performance",
    "cache-keys-ttl-stampede": "performance", "bound-everything": "performance",
    "small-focused-units": "readability", "locality-of-reasoning": "readability",
    "limited-working-memory": "readability", "read-more-than-written": "readability",
    "release-resources": "correctness",
}
DEFAULT_CATEGORY = "correctness"
SECURITY = "security"


def confidence_of(own_entry: bool, table_severity: Severity) -> Confidence:
    """How sure a built-in finding is, from the rule table's evidence (see the table above)."""
    return CONFIDENCE_BY_EVIDENCE[table_severity] if own_entry else NO_OWN_ENTRY


def category_of(principle_id: str, data_file: str) -> str:
    """The category of a finding that teaches `principle_id`, defined in principles/data/`data_file`.toml."""
    return CATEGORY_BY_PRINCIPLE.get(principle_id) or CATEGORY_BY_FILE.get(data_file, DEFAULT_CATEGORY)
