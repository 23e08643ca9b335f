"""One huge line: `reviewbot check --staged --offline` on a change adding a 20 MB single-line file.

    python bench/bench_long_line.py [--mb 20]

The real console script runs in a fresh process on a real git repository; the
figures are its wall time and its peak resident memory (the child's
ru_maxrss). Budgets: under 10 s and under 300 MB. Exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIME_BUDGET = 10.0
MEMORY_BUDGET_MB = 300


def make_repo(root: Path, megabytes: int) -> None:
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=root, check=True)
    (root / "app.py").write_text("x = 1\n")
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "start"], cwd=root, check=True)
    chunk = "".join(chr(97 + (i * 7919) % 26) for i in range(1000))
    (root / "data.py").write_text('BLOB = "' + chunk * (megabytes * 1000) + '"\n')
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=20)
    args = parser.parse_args()
    script = Path(sys.executable).parent / "reviewbot"
    command = [str(script) if script.exists() else shutil.which("reviewbot") or "reviewbot",
               "check", "--staged", "--offline"]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="reviewbot-bench-") as scratch:
        make_repo(Path(scratch), args.mb)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=scratch, capture_output=True, check=False)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ok = done.returncode == 0 and seconds < TIME_BUDGET and peak < MEMORY_BUDGET_MB
    print(f"check --offline, one {args.mb} MB line   {seconds:.2f} s (budget {TIME_BUDGET:g} s)  "
          f"peak {peak:.0f} MB (budget {MEMORY_BUDGET_MB} MB)  {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
