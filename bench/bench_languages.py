"""`reviewbot check --offline` on a 300-line change over Python, TypeScript, shell, a Dockerfile and a workflow.

    python bench/bench_languages.py [--runs 5]

The change is a real `git diff` in a temporary repository. Figures: the median wall
time of fresh `reviewbot check` processes (interpreter start-up, imports and every
analyzer, as a user pays them) and the peak resident memory of reviewbot plus the
tools it starts; beside them, in the same run, the bare baseline: each tool run
once, directly, on the same files, one after another (what the user would wait for
running the linters by hand). Budgets: ≤ 1.5 s wall, ≤ 300 MB peak. Exits 1 when a
budget is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WALL_BUDGET = 1.5
MEMORY_BUDGET_MB = 300
BIN = Path(sys.executable).parent


def python_file(count: int) -> str:
    return "".join(
        f"def handler_{i}(request, tags=None):\n    values = [v for v in request if v > {i}]\n"
        f"    return {{'kind': {i}, 'total': sum(values), 'tags': tags or []}}\n\n\n"
        for i in range(count)
    )


def typescript_file(count: int) -> str:
    return "".join(
        f"export function render{i}(el: HTMLElement, items: string[]): number {{\n"
        f"  const shown = items.filter((item) => item.length > {i});\n"
        f"  el.textContent = shown.join(', ');\n  return shown.length;\n}}\n\n"
        for i in range(count)
    )


def shell_file(count: int) -> str:
    return "#!/bin/bash\nset -euo pipefail\n" + "".join(
        f'step_{i}() {{\n  local dir="$1"\n  mkdir -p "$dir/out{i}"\n  cp "$dir"/*.txt "$dir/out{i}/"\n}}\n\n'
        for i in range(count)
    )


DOCKERFILE = (
    "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
    "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nUSER 10001\n"
    'CMD ["python", "-m", "app"]\n'
)
WORKFLOW = (
    "name: ci\non: [pull_request]\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n"
    "      - run: python -m pytest\n"
)


def make_change(root: Path) -> tuple[Path, dict[str, str]]:
    files = {
        "app/handlers.py": python_file(20),
        "web/render.ts": typescript_file(18),
        "scripts/build.sh": shell_file(12),
        "Dockerfile": DOCKERFILE,
        ".github/workflows/ci.yml": WORKFLOW,
    }
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
    root.mkdir(parents=True)
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=root, check=True)
    (root / "README.md").write_text("# bench\n")
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "start"], cwd=root, check=True)
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    diff = root.parent / "change.diff"
    diff.write_bytes(subprocess.run([*git, "diff", "--cached"], cwd=root, check=True, capture_output=True).stdout)
    return diff, files


def bare_commands(files: dict[str, str]) -> list[list[str]]:
    return [
        [str(BIN / "ruff"), "check", "--isolated", "--output-format", "json", "app/handlers.py"],
        [str(BIN / "oxlint"), "-f", "json", "web/render.ts"],
        [str(BIN / "shellcheck"), "-f", "json1", "scripts/build.sh"],
        [str(BIN / "hadolint"), "-f", "json", "--no-fail", "Dockerfile"],
        [str(BIN / "zizmor"), "--offline", "--no-config", "--format", "json", ".github/workflows/ci.yml"],
        [str(BIN / "actionlint"), "-format", "{{json .}}", ".github/workflows/ci.yml"],
    ]


def run_timed(commands: list[list[str]], cwd: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "REVIEWBOT_"))}
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def tree_rss_mb(root_pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += children.get(pid, [])
    return total / 1_048_576


def peak_memory_mb(command: list[str], cwd: Path) -> float:
    """The highest sum of resident memory over reviewbot and the tools it runs, sampled every 5 ms."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(0.005)
    return peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="reviewbot-bench-") as tmp:
        root = Path(tmp) / "project"
        diff, files = make_change(root)
        lines = sum(1 for line in diff.read_text().splitlines() if line.startswith("+") and not line.startswith("+++"))
        check = [str(BIN / "reviewbot"), "check", "--offline", str(diff), "--root", str(root), "--fail-on", "never"]
        walls = [run_timed([check], root) for _ in range(runs)]
        peak_mb = max(peak_memory_mb(check, root) for _ in range(3))
        bare = [run_timed(bare_commands(files), root) for _ in range(runs)]
        output = subprocess.run(check, cwd=root, capture_output=True, text=True).stdout
    wall, baseline = statistics.median(walls), statistics.median(bare)
    print(f"change: {lines} added lines in {len(files)} files (Python, TypeScript, shell, Dockerfile, workflow)")
    print(f"reviewbot check --offline   median of {runs}: {wall:.3f} s  (budget {WALL_BUDGET} s)")
    print(f"bare tools one after another median of {runs}: {baseline:.3f} s  (ratio {wall / baseline:.2f}x)")
    print(f"peak resident memory, reviewbot and its tools together: {peak_mb:.0f} MB  (budget {MEMORY_BUDGET_MB} MB)")
    print(output.strip().splitlines()[-1] if output.strip() else "(no output)")
    return 0 if wall <= WALL_BUDGET and peak_mb <= MEMORY_BUDGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
