"""Recall of `reviewbot check` on real bugs: commits of public repositories that a later commit fixed.

    python bench/eval_review.py --mirrors DIR --model NAME [--base-url URL] [--judge-model NAME]
                                [--corpus bench/eval/corpus.toml] [--only ID ...] [--json FILE]

The corpus (`bench/eval/corpus.toml`) is data: for each case the repository,
the commit under review, and either the ground truth (the file and lines the
later fix changed, what was wrong, the fix commit or revert, and words a
comment naming the issue would use) or `clean = true` for a commit nobody
had to fix. Nothing is downloaded here: DIR holds bare clones, one per
repository, as `DIR/owner+name/repo` (the layout of a mirror directory) or
`DIR/owner+name`. For each case the eval makes a local clone of the mirror
(shared objects, no network), checks the commit out and runs the real
command, `reviewbot check --git COMMIT^ --format json --stats` (so the model
also reads the commit's own message, as a pull request's commits), against the
OpenAI-compatible endpoint given by `--base-url` (or REVIEWBOT_BASE_URL) with
the key in REVIEWBOT_API_KEY / OPENAI_API_KEY.

Rubric. A ground-truth issue is found when one comment is on the same file,
within NEAR lines of the fixed lines (on either side of the diff), and names
the issue: its title, body or why contains one of the case's cue words, or,
with `--judge-model`, a judge model answers that the comment describes the
issue. Reported per case and in total: recall (issues found / issues), recall
counting only comments the reviewer marked high confidence, comments per buggy
commit and per clean commit, how many comments were questions, prompt and
completion tokens, the estimated cost (reviewbot's price table) and the wall
time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviewbot.llm.prices import estimate_cost  # noqa: E402
from reviewbot.models import Usage  # noqa: E402

CORPUS = ROOT / "bench" / "eval" / "corpus.toml"
NEAR = 3  # lines either side of the ground truth that still count as "on the lines"
CHECK_TIMEOUT = 900.0
JUDGE_PROMPT = (
    "You grade a code review. The known issue in this commit is:\n{issue}\n\n"
    "A review comment on {path}:{line} says:\n<<<COMMENT\n{comment}\nCOMMENT>>>\n\n"
    "Does the comment identify this issue (not merely something nearby)? Answer with one word: yes or no."
)


@dataclass(frozen=True)
class Truth:
    path: str
    lines: tuple[tuple[int, int], ...]  # ranges of the commit's new file (comments on the RIGHT side)
    old_lines: tuple[tuple[int, int], ...]  # ranges of the old file (comments on deleted lines, LEFT)
    issue: str
    cues: tuple[str, ...]
    fix: str


@dataclass(frozen=True)
class Case:
    id: str
    repo: str
    commit: str
    truths: tuple[Truth, ...]  # empty for a clean commit

    @property
    def clean(self) -> bool:
        return not self.truths


@dataclass
class Result:
    case: Case
    comments: list[dict[str, Any]] = field(default_factory=list)
    found: list[bool] = field(default_factory=list)
    found_sure: list[bool] = field(default_factory=list)  # found by a comment of high confidence
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0
    error: str = ""


def load_corpus(path: Path) -> list[Case]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cases = []
    for entry in data["case"]:
        truths = tuple(Truth(t["path"], _ranges(t.get("lines", [])), _ranges(t.get("old_lines", [])), t["issue"],
                             tuple(c.lower() for c in t["cues"]), t["fix"]) for t in entry.get("truth", []))
        if not truths and not entry.get("clean"):
            raise SystemExit(f"{path}: case {entry['id']} has no truth and is not marked clean = true")
        cases.append(Case(entry["id"], entry["repo"], entry["commit"], truths))
    return cases


def _ranges(value: list[list[int]]) -> tuple[tuple[int, int], ...]:
    return tuple((r[0], r[-1]) for r in value)


def mirror_for(mirrors: Path, repo: str) -> Path:
    slug = repo.replace("/", "+")
    for candidate in (mirrors / slug / "repo", mirrors / slug, mirrors / f"{repo.split('/')[-1]}.git"):
        if (candidate / "HEAD").exists() or (candidate / ".git").exists():
            return candidate
    raise SystemExit(f"no bare clone of {repo} under {mirrors} (expected {mirrors / slug / 'repo'})")


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", "-c", "protocol.file.allow=always", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def checkout(mirror: Path, commit: str, into: Path) -> Path:
    work = into / "work"
    git(into, "clone", "-q", "--shared", "--no-checkout", str(mirror), str(work))
    git(work, "checkout", "-q", "--detach", commit)
    return work


def run_check(work: Path, commit: str, args: argparse.Namespace) -> tuple[dict[str, Any], float]:
    env = {**os.environ, "REVIEWBOT_MODEL": args.model}
    if args.base_url:
        env["REVIEWBOT_BASE_URL"] = args.base_url
    # -P: the checkout is the working directory, and nothing in it may be imported in place of an
    # installed package (a repository's own `requests/` would shadow the one detect-secrets imports)
    command = [sys.executable, "-P", "-m", "reviewbot", "check", "--git", f"{commit}^", "--format", "json",
               "--stats", "--model", args.model]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=CHECK_TIMEOUT,
                          check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"reviewbot check exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout), seconds


def near(comment: dict[str, Any], truth: Truth) -> bool:
    """On the file, within NEAR lines of a changed range on the comment's side."""
    ranges = truth.old_lines if comment.get("side") == "LEFT" else truth.lines
    line = int(comment.get("line") or 0)
    return comment.get("path") == truth.path and any(a - NEAR <= line <= b + NEAR for a, b in ranges)


def comment_text(comment: dict[str, Any]) -> str:
    principle = comment.get("principle") or {}
    return "\n".join(str(comment.get(k) or "") for k in ("title", "body")) + "\n" + str(principle.get("why") or "")


def names_issue(comment: dict[str, Any], truth: Truth, args: argparse.Namespace) -> bool:
    text = comment_text(comment)
    if args.judge_model:
        return judge(text, comment, truth, args)
    lowered = text.lower()
    return any(cue in lowered for cue in truth.cues)


def judge(text: str, comment: dict[str, Any], truth: Truth, args: argparse.Namespace) -> bool:
    prompt = JUDGE_PROMPT.format(issue=truth.issue, path=comment.get("path"), line=comment.get("line"), comment=text)
    body = json.dumps({"model": args.judge_model, "messages": [{"role": "user", "content": prompt}],
                       "temperature": 0}).encode()
    base = (args.base_url or os.environ.get("REVIEWBOT_BASE_URL") or "https://api.openai.com/v1").rstrip("/")
    key = os.environ.get("REVIEWBOT_API_KEY") or os.environ.get("OPENAI_API_KEY") or ""
    request = urllib.request.Request(f"{base}/chat/completions", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=120) as response:  # the endpoint the user configured
        answer = json.loads(response.read())["choices"][0]["message"]["content"]
    return answer.strip().lower().startswith("yes")


def evaluate(case: Case, mirrors: Path, args: argparse.Namespace) -> Result:
    result = Result(case)
    with tempfile.TemporaryDirectory(prefix="reviewbot-eval-") as tmp:
        try:
            work = checkout(mirror_for(mirrors, case.repo), case.commit, Path(tmp))
            report, result.seconds = run_check(work, case.commit, args)
        except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
            result.error = str(exc)
            return result
    result.comments = list(report.get("comments", []))
    usage = report.get("summary", {}).get("usage", {})
    result.usage = Usage(usage.get("calls", 0), usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0),
                         usage.get("cached_tokens", 0))
    hits = [[c for c in result.comments if near(c, t) and names_issue(c, t, args)] for t in case.truths]
    result.found = [bool(found) for found in hits]
    result.found_sure = [any(c.get("confidence") == "high" for c in found) for found in hits]
    return result


def summary(results: Sequence[Result], model: str) -> dict[str, Any]:
    bugs = [r for r in results if not r.case.clean and not r.error]
    clean = [r for r in results if r.case.clean and not r.error]
    issues = sum(len(r.found) for r in bugs)
    usage = sum((r.usage for r in results), Usage())
    cost = estimate_cost(model, usage)
    return {
        "cases": len(results), "errors": sum(1 for r in results if r.error),
        "issues": issues, "found": sum(sum(r.found) for r in bugs),
        "recall": round(sum(sum(r.found) for r in bugs) / issues, 3) if issues else None,
        "recall_high_confidence": round(sum(sum(r.found_sure) for r in bugs) / issues, 3) if issues else None,
        "questions": sum(1 for r in results for c in r.comments if c.get("kind") == "question"),
        "comments_per_buggy_commit": round(sum(len(r.comments) for r in bugs) / len(bugs), 2) if bugs else None,
        "comments_per_clean_commit": round(sum(len(r.comments) for r in clean) / len(clean), 2) if clean else None,
        "calls": usage.calls, "prompt_tokens": usage.prompt_tokens, "completion_tokens": usage.completion_tokens,
        "cached_tokens": usage.cached_tokens, "cost_usd": None if cost is None else round(cost, 4),
        "wall_seconds": round(sum(r.seconds for r in results), 1),
    }


def case_row(result: Result) -> dict[str, Any]:
    return {"id": result.case.id, "repo": result.case.repo, "commit": result.case.commit,
            "clean": result.case.clean, "found": result.found, "comments": len(result.comments),
            "prompt_tokens": result.usage.prompt_tokens, "completion_tokens": result.usage.completion_tokens,
            "seconds": round(result.seconds, 1), "error": result.error}


def print_table(results: Sequence[Result], totals: dict[str, Any]) -> None:
    for r in results:
        verdict = "error: " + r.error[:80] if r.error else (
            "clean" if r.case.clean else f"found {sum(r.found)}/{len(r.found)}")
        print(f"{r.case.id:<32} {verdict:<24} comments {len(r.comments):>3}  "
              f"tokens {r.usage.prompt_tokens:>7}+{r.usage.completion_tokens:<6} {r.seconds:6.1f} s")
    print(json.dumps(totals, indent=2))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", required=True, type=Path, help="directory of bare clones (owner+name/repo)")
    parser.add_argument("--model", default=os.environ.get("REVIEWBOT_MODEL"), help="model to review with")
    parser.add_argument("--base-url", help="OpenAI-compatible endpoint (default: REVIEWBOT_BASE_URL)")
    parser.add_argument("--judge-model", help="grade with this model instead of the cue-word rubric")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--only", nargs="*", default=[], help="case ids to run (default: all)")
    parser.add_argument("--json", type=Path, help="write per-case rows and totals to this file")
    args = parser.parse_args(argv)
    if not args.model:
        parser.error("give --model or set REVIEWBOT_MODEL")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cases = [c for c in load_corpus(args.corpus) if not args.only or c.id in args.only]
    results = [evaluate(case, args.mirrors, args) for case in cases]
    totals = summary(results, args.model)
    print_table(results, totals)
    if args.json:
        args.json.write_text(json.dumps({"cases": [case_row(r) for r in results], "totals": totals}, indent=2))
    return 1 if totals["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
