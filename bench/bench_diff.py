"""Benchmark: the diff model's cost on top of unidiff, and how it scales.

Generates a realistic `git diff` (many files and hunks; context, added and
deleted lines; new, deleted and renamed files) of N lines and of 10*N lines,
then measures, best of several interleaved repetitions:

  unidiff   a bare `unidiff.PatchSet(text)` of the N-line diff
  model     `parse_diff(text)` plus the line-map work a review does with it:
            for every file its added lines, and `contains()` for each of them

Targets: model(N) / unidiff(N) <= 1.5, and model(10N) / model(N) <= 11.
Prints a table; exits 1 if a target is missed.

    /work/venv/bin/python bench/bench_diff.py [--lines 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time

import unidiff

from reviewbot.diffmodel import parse_diff
from reviewbot.models import Side

MAX_RATIO = 1.5
MAX_SCALING = 11.0
WORDS = ("value", "result", "items", "config", "request", "user", "count", "path", "data", "error")


def make_diff(total_lines: int, seed: int = 7) -> str:
    """A `git diff` of about `total_lines` lines, the same for the same arguments."""
    rnd = random.Random(seed)
    out: list[str] = []
    number = 0
    while len(out) < total_lines:
        number += 1
        out += _file(rnd, number)
    return "\n".join(out) + "\n"


def _file(rnd: random.Random, number: int) -> list[str]:
    path = f"src/pkg{number % 23}/module_{number}.py"
    roll = rnd.random()
    if roll < 0.05:
        return _new_file(rnd, path)
    if roll < 0.08:
        return _deleted_file(rnd, path)
    old_path = path.replace("module_", "old_module_") if roll < 0.11 else path
    lines = [f"diff --git a/{old_path} b/{path}"]
    if old_path != path:
        lines += ["similarity index 91%", f"rename from {old_path}", f"rename to {path}"]
    lines += [f"index {number:07x}..{number + 1:07x} 100644", f"--- a/{old_path}", f"+++ b/{path}"]
    old = new = 1
    for _ in range(rnd.randint(1, 9)):
        gap = rnd.randint(5, 60)  # unchanged lines between hunks
        old, new = old + gap, new + gap
        header_at = len(lines)
        lines.append("")
        old_len, new_len = _hunk_body(rnd, lines)
        lines[header_at] = f"@@ -{old},{old_len} +{new},{new_len} @@ def handler_{old}(self, request):"
        old, new = old + old_len, new + new_len
    return lines


def _hunk_body(rnd: random.Random, lines: list[str]) -> tuple[int, int]:
    old_len = new_len = 0
    for block in range(rnd.randint(1, 4)):
        for _ in range(3 if block == 0 else rnd.randint(1, 6)):
            lines.append(f"     {_code(rnd)}")
            old_len, new_len = old_len + 1, new_len + 1
        for _ in range(rnd.randint(0, 5)):
            lines.append(f"-    {_code(rnd)}")
            old_len += 1
        for _ in range(rnd.randint(0, 8)):
            lines.append(f"+    {_code(rnd)}")
            new_len += 1
    for _ in range(3):
        lines.append(f"     {_code(rnd)}")
        old_len, new_len = old_len + 1, new_len + 1
    return old_len, new_len


def _code(rnd: random.Random) -> str:
    a, b = rnd.sample(WORDS, 2)
    return f"{a} = compute_{b}({a}, {rnd.randint(0, 999)})  # {b}"


def _new_file(rnd: random.Random, path: str) -> list[str]:
    body = [f"+{_code(rnd)}" for _ in range(rnd.randint(5, 80))]
    return [f"diff --git a/{path} b/{path}", "new file mode 100644", "index 0000000..1234567",
            "--- /dev/null", f"+++ b/{path}", f"@@ -0,0 +1,{len(body)} @@", *body]


def _deleted_file(rnd: random.Random, path: str) -> list[str]:
    body = [f"-{_code(rnd)}" for _ in range(rnd.randint(5, 80))]
    return [f"diff --git a/{path} b/{path}", "deleted file mode 100644", "index 1234567..0000000",
            f"--- a/{path}", "+++ /dev/null", f"@@ -1,{len(body)} +0,0 @@", *body]


def review_work(text: str) -> int:
    """parse_diff plus the line-map work of a review: every file's added lines, each checked
    with contains() (as a reviewer keeps only findings on added lines). Returns their number."""
    return sum(sum(file.contains(line, Side.RIGHT) for line in file.added_lines) for file in parse_diff(text))


def bare_unidiff(text: str) -> unidiff.PatchSet:
    return unidiff.PatchSet(text)


def best_times(jobs: dict[str, tuple], repeat: int) -> dict[str, float]:
    """Best wall time of each job over `repeat` interleaved rounds (so load spikes hit all alike)."""
    best = {name: float("inf") for name in jobs}
    for _ in range(repeat):
        for name, (function, text) in jobs.items():
            gc.collect()
            start = time.perf_counter()
            function(text)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000, help="size of the smaller diff (default 100000)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions; the best is kept (default 5)")
    parser.add_argument("--reference", action="store_true",
                        help="also time unidiff on the 10x diff, to show how this machine scales by itself")
    args = parser.parse_args(argv)
    small, large = make_diff(args.lines), make_diff(10 * args.lines)
    if review_work(small) != bare_unidiff(small).added:
        print("bench_diff: parse_diff and unidiff disagree on the added lines", file=sys.stderr)
        return 1
    jobs = {"unidiff": (bare_unidiff, small), "parse": (parse_diff, small), "model": (review_work, small),
            "model10": (review_work, large)}
    if args.reference:
        jobs["unidiff10"] = (bare_unidiff, large)
    times = best_times(jobs, args.repeat)
    ratio, scaling = times["model"] / times["unidiff"], times["model10"] / times["model"]
    print(_table(_rows(small.count("\n"), large.count("\n"), times, ratio, scaling)))
    return 0 if ratio <= MAX_RATIO and scaling <= MAX_SCALING else 1


def _rows(small: int, large: int, times: dict[str, float], ratio: float, scaling: float) -> list[tuple[str, ...]]:
    rows = [
        (f"unidiff.PatchSet, {small:,} lines", _ms(times["unidiff"]), ""),
        (f"parse_diff alone, {small:,} lines", _ms(times["parse"]), ""),
        (f"parse_diff + line maps, {small:,} lines", _ms(times["model"]), ""),
        (f"parse_diff + line maps, {large:,} lines", _ms(times["model10"]), ""),
        ("model / unidiff", f"{ratio:8.2f} x", _verdict(ratio, MAX_RATIO)),
        ("model at 10x the lines / model", f"{scaling:8.2f} x", _verdict(scaling, MAX_SCALING)),
    ]
    if "unidiff10" in times:
        rows.append(("(reference) unidiff at 10x / unidiff", f"{times['unidiff10'] / times['unidiff']:8.2f} x", ""))
    return rows


def _table(rows: list[tuple[str, ...]]) -> str:
    width = max(len(name) for name, _, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}  {verdict}".rstrip() for name, value, verdict in rows)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def _verdict(value: float, limit: float) -> str:
    return f"{'ok' if value <= limit else 'MISSED'} (target <= {limit})"


if __name__ == "__main__":
    sys.exit(main())
