"""`reviewbot why PRINCIPLE --check "..." | --probe | --answer "..." [--format json]`.

The offline tutor on the command line: a verdict on a statement of understanding,
the principle's probe question, and a verdict on an answer to it. The same verdicts
the why-threads give (reviewbot.threads.verdict), so a script or an editor can use them.
"""

from __future__ import annotations

import argparse
import json
import sys

from reviewbot.errors import UsageError
from reviewbot.principles.model import Principle
from reviewbot.threads.verdict import Verdict, judge, judge_answer, renders


def run_tutoring(principle: Principle, args: argparse.Namespace) -> int:
    """Print the verdict or the probe; exit 0 (the verdict is in the output, not the status)."""
    as_json = args.format == "json"
    if args.probe:
        sys.stdout.write(_probe(principle, as_json))
        return 0
    statement = args.check if args.check is not None else args.answer
    if not statement or not statement.strip():
        raise UsageError("give the statement to check, e.g. --check \"the default list is shared\"")
    verdict = judge(principle, statement) if args.check is not None else _answered(principle, statement)
    sys.stdout.write(json.dumps(verdict.as_dict(), indent=2) + "\n" if as_json else _text(verdict, principle))
    return 0


def _answered(principle: Principle, answer: str) -> Verdict:
    if principle.probe is None:
        raise UsageError(f"{principle.id} has no probe question to answer")
    return judge_answer(principle.probe, principle, answer)


def _probe(principle: Principle, as_json: bool) -> str:
    if principle.probe is None:
        raise UsageError(f"{principle.id} has no probe question yet")
    if as_json:
        return json.dumps({"principle": principle.id, "question": principle.probe.question}, indent=2) + "\n"
    return (f"{principle.id} — {principle.name}\n\n{principle.probe.question}\n\n"
            f"Answer with: reviewbot why {principle.id} --answer \"...\"\n")


def _text(verdict: Verdict, principle: Principle) -> str:
    return f"{principle.id} — {principle.name}\n\n{renders(verdict, principle.name)}\n"
