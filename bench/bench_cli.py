"""Command-line speed: `reviewbot --help`, an offline check of a 300-line Python diff, and of a 40-line
change to a 12,000-line module that already has 1,200 findings.

    python bench/bench_cli.py [--runs 5]

Each figure is the median wall time of fresh processes of the installed
console script (every run pays interpreter start-up and imports, as a user
does). Budgets: --help <= 0.3 s, check --offline <= 1.0 s, the large module
<= 2.0 s; the bare `ruff check` of the module's two versions is printed beside
it, from the same run (pyparsing's `core.py` and `tests/test_unit.py` are that
size; before the syntax-tree lookups were indexed once per file, a 70-line
change to them took 110 s).
Exits 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELP_BUDGET = 0.3
CHECK_BUDGET = 1.0
DIFF_LINES = 300
LARGE_MODULES = 1200  # ten-line functions in the large module, each with a `print` (a finding ruff reports)
LARGE_BUDGET = 2.0


def reviewbot_command() -> list[str]:
    script = Path(sys.executable).parent / "reviewbot"
    return [str(script)] if script.exists() else [shutil.which("reviewbot") or "reviewbot"]


def python_module(index: int) -> str:
    """Ten lines of ordinary Python, with a finding now and then."""
    default = "tags=[]" if index % 7 == 0 else "tags=None"
    return (
        f"def handler_{index}(request, {default}):\n"
        f'    """Handle request kind {index}."""\n'
        f"    values = [v for v in request.values if v > {index}]\n"
        "    total = sum(values)\n"
        "    if not values:\n"
        "        return None\n"
        f"    result = {{'kind': {index}, 'total': total, 'tags': tags}}\n"
        "    result['mean'] = total / len(values)\n"
        "    return result\n"
        "\n"
    )


def make_diff(workdir: Path) -> tuple[Path, Path]:
    """A real `git diff` adding a 300-line module; returns (diff file, post-change root)."""
    root = workdir / "project"
    (root / "app").mkdir(parents=True)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=root, check=True)
    (root / "app" / "__init__.py").write_text('"""app."""\n')
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "start"], cwd=root, check=True)
    body = "".join(python_module(i) for i in range(DIFF_LINES // 10))
    (root / "app" / "handlers.py").write_text(body)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    diff = workdir / "change.diff"
    diff.write_bytes(subprocess.run([*git, "diff", "--cached"], cwd=root, check=True, capture_output=True).stdout)
    return diff, root


def make_large_change(workdir: Path) -> tuple[Path, Path, list[Path]]:
    """A real `git diff` adding 40 lines to a 12,000-line module; returns (diff file, post-change root, the
    module's two versions as files for the bare ruff runs)."""
    root = workdir / "large"
    (root / "app").mkdir(parents=True)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=root, check=True)
    before = "".join(python_module(i).replace("    return result\n", "    print(result)\n    return result\n")
                     for i in range(LARGE_MODULES))  # fmt: skip
    after = before + "".join(python_module(LARGE_MODULES + i) for i in range(4))
    (root / "app" / "core.py").write_text(before)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "start"], cwd=root, check=True)
    (root / "app" / "core.py").write_text(after)
    diff = workdir / "large.diff"
    diff.write_bytes(subprocess.run([*git, "diff"], cwd=root, check=True, capture_output=True).stdout)
    versions = [workdir / "before_core.py", workdir / "after_core.py"]
    versions[0].write_text(before)
    versions[1].write_text(after)
    return diff, root, versions


def median_seconds(command: list[str], runs: int, ok_codes: tuple[int, ...]) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "REVIEWBOT_"))}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, check=False, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
        if done.returncode not in ok_codes:
            sys.exit(f"bench: {' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    reviewbot = reviewbot_command()
    with tempfile.TemporaryDirectory(prefix="reviewbot-bench-") as tmp:
        diff, root = make_diff(Path(tmp))
        lines = len(diff.read_text().splitlines())
        help_time = median_seconds([*reviewbot, "--help"], runs, (0,))
        check_cmd = [*reviewbot, "check", "--offline", str(diff), "--root", str(root)]
        check_time = median_seconds(check_cmd, runs, (0, 1))
        large_diff, large_root, versions = make_large_change(Path(tmp))
        large_time = median_seconds([*reviewbot, "check", "--offline", str(large_diff), "--root", str(large_root)],
                                    runs, (0, 1))
        ruff = [str(Path(sys.executable).parent / "ruff"), "check", "--isolated", "--no-cache", "--exit-zero",
                "--select", "ALL", "--output-format", "json"]  # fmt: skip
        bare_time = median_seconds([*ruff, str(versions[0])], runs, (0,)) + median_seconds([*ruff, str(versions[1])], runs, (0,))
    print(f"{'bare ruff check, both versions of the module':<40} median of {runs}: {bare_time:.3f} s")
    results = [
        ("reviewbot --help", help_time, HELP_BUDGET),
        (f"check --offline ({lines}-line diff)", check_time, CHECK_BUDGET),
        ("check --offline (12,000-line module)", large_time, LARGE_BUDGET),
    ]
    for name, seconds, budget in results:
        verdict = "ok" if seconds <= budget else "OVER BUDGET"
        print(f"{name:<40} median of {runs}: {seconds:.3f} s  (budget {budget:.1f} s)  {verdict}")
    return 0 if all(seconds <= budget for _, seconds, budget in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
