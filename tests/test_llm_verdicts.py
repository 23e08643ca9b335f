"""The model's verdicts on analyzer findings: confirm, downgrade, drop; secrets and security errors stay."""

from __future__ import annotations

from reviewbot.llm.parse import RawVerdict
from reviewbot.llm.verdicts import apply_verdicts, finding_id, is_protected
from reviewbot.models import Comment, PrincipleRef, Severity


def finding(source: str, severity: Severity, principle: str = "name-things-well", line: int = 3) -> Comment:
    return Comment("app.py", line, severity, f"title {source}", "body", PrincipleRef(principle, "P", "why"), source)


def test_drop_downgrade_and_confirm_with_a_note_for_each_change() -> None:
    findings = [finding("ruff:B006", Severity.WARNING), finding("ruff:E711", Severity.ERROR),
                finding("ruff:F401", Severity.INFO)]
    judged = apply_verdicts(findings, [RawVerdict("F1", "drop", "the default is never mutated"),
                                       RawVerdict("F2", "downgrade", "only in a test helper"),
                                       RawVerdict("F3", "confirm", "")])
    assert [(c.source, c.severity) for c in judged.comments] == [("ruff:E711", Severity.WARNING),
                                                                 ("ruff:F401", Severity.INFO)]
    assert judged.notes == (
        "dropped ruff:B006 at app.py:3 as a false alarm, by the model's verdict: the default is never mutated",
        "downgraded ruff:E711 at app.py:3 to warning, by the model's verdict: only in a test helper",
    )


def test_secrets_and_security_errors_cannot_be_dropped_or_downgraded() -> None:
    secret = finding("secrets:AWSKeyDetector", Severity.WARNING)
    bandit = finding("ruff:S301", Severity.ERROR)
    by_principle = finding("astgrep:sql-concat", Severity.ERROR, principle="parameterize-queries")
    security = frozenset({"parameterize-queries"})
    judged = apply_verdicts([secret, bandit, by_principle],
                            [RawVerdict(finding_id(i), "drop", "test data") for i in range(3)], security)
    assert judged.comments == (secret, bandit, by_principle)
    assert all("but it is protected" in note for note in judged.notes) and len(judged.notes) == 3
    assert not is_protected(finding("ruff:S301", Severity.WARNING))  # a security warning may be judged


def test_the_mildest_verdict_wins_when_a_finding_was_shown_twice() -> None:
    findings = [finding("ruff:B006", Severity.WARNING)]
    judged = apply_verdicts(findings, [RawVerdict("F1", "drop", "a"), RawVerdict("F1", "confirm", "b"),
                                       RawVerdict("F9", "drop", "no such finding")])
    assert judged.comments == tuple(findings) and judged.notes == ()
