"""One huge added line: the line checks skip it with a note, and the real command stays small."""

from __future__ import annotations

import json
import subprocess
import sys

MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)  # peak of the review process, MiB
sys.stdout.buffer.write(done.stdout)
"""
MAX_MIB = 300


def test_a_20_mb_single_line_change_is_reviewed_in_bounded_memory(git_repo) -> None:
    git_repo.write("app.py", "x = 1\n")
    git_repo.commit("initial")
    blob = "A" * 7 + "".join(chr(97 + (i * 7919) % 26) for i in range(20_000_000 // 1000)) * 1000
    git_repo.write("data.py", f'BLOB = "{blob}"\n')
    git_repo.git("add", "-A")
    command = [sys.executable, "-c", MEASURE, sys.executable, "-m", "reviewbot", "check", "--staged", "--offline",
               "--format", "json"]  # fmt: skip
    done = subprocess.run(command, cwd=git_repo.path, capture_output=True, text=True, check=True, timeout=120)
    peak, _, report = done.stdout.partition("\n")
    assert int(peak) < MAX_MIB, f"peak memory {peak} MiB"
    data = json.loads(report)
    assert "data.py: line 1 longer than 5,000 characters not checked by the secrets scan" in data["summary"]["notes"]
    assert data["comments"] == []
