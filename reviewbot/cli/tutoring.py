"""`reviewbot why PRINCIPLE --check "..." | --probe | --answer "..." [--format json]`.

The offline tutor on the command line: a verdict on a statement of understanding,
the principle's probe question, and a verdict on an answer to it. The same verdicts
the why-threads give (reviewbot.threads.verdict), so a script or an editor can use them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping

from reviewbot.errors import UsageError
from reviewbot.learner.evidence import CHECK, PROBE
from reviewbot.principles.model import Principle
from reviewbot.threads.verdict import Verdict, judge, judge_answer, renders

CI_TRUE = frozenset({"1", "true", "yes"})


def run_tutoring(principle: Principle, args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
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
    if env is not None and records(args, env):
        where = record(principle.id, CHECK if args.check is not None else PROBE, verdict.verdict, env)
        print(f"reviewbot: noted in {where} (--no-record leaves it out)", file=sys.stderr)
    return 0


def records(args: argparse.Namespace, env: Mapping[str, str]) -> bool:
    """Whether this run adds to the local profile: the person's own, so not with --no-record nor on CI."""
    return not getattr(args, "no_record", False) and env.get("CI", "").strip().lower() not in CI_TRUE


def record(principle_id: str, kind: str, outcome: str, env: Mapping[str, str]) -> str:
    """Add the verdict as evidence to the local profile; says where, for the person to see."""
    from reviewbot.learner.local import LOCAL_HOST, local_login, local_profile_path, open_local_profile

    login = local_login(env)
    open_local_profile(env).record(LOCAL_HOST, login, [(principle_id, kind, outcome)])
    return f"{login}'s local learner profile ({local_profile_path(env)})"


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
