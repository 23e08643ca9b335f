"""Pick a held-out set by the mechanical rule in corpus.toml (the set-4 rule), from `git` alone.

    python bench/precision/pick.py --mirrors DIR --set 5 owner/name [owner/name ...] >> corpus.toml

For each repository, walk `git log --no-merges --before=<date> HEAD` of its bare clone
(`<mirrors>/<owner>+<name>/repo`), newest first, and take the first `--per-repo` commits that
(a) have a parent and a diff git can read from the clone (a snapshot may leave its largest
blobs out), (b) change `--min-lines` to `--max-lines` lines (`git diff --numstat`, binary
files not counted) and (c) add or modify at least one code file outside vendored paths. Nothing
here runs reviewbot or any linter, so the choice cannot depend on what the reviewer would say.
Prints one `[[commit]]` table per pick; `kind` is left for a person to fill in from the message.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath

CODE_SUFFIXES = frozenset([".py", ".pyi", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".sh", ".bash", ".bats", ".ksh", ".go"])  # .go from the 15th set on
VENDORED_DIRS = frozenset(["vendor", "vendored", "third_party", "thirdparty", "node_modules", "dist"])
SHELL_SHEBANG = re.compile(rb"^#!\s*(?:/usr)?/bin/(?:env\s+)?(?:sh|bash|dash|ksh)\b")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, errors="replace").stdout


def is_vendored(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return any(part in VENDORED_DIRS for part in parts[:-1]) or path.endswith(".min.js")


def is_dockerfile(name: str) -> bool:
    return name in ("Dockerfile", "Containerfile") or name.startswith("Dockerfile.") or name.endswith(".Dockerfile")


def is_code(repo: Path, sha: str, path: str) -> bool:
    if is_vendored(path):
        return False
    pure = PurePosixPath(path)
    if pure.suffix in CODE_SUFFIXES or is_dockerfile(pure.name):
        return True
    if path.startswith(".github/workflows/") and pure.suffix in (".yml", ".yaml"):
        return True
    if pure.suffix:
        return False
    head = subprocess.run(["git", "-C", str(repo), "cat-file", "blob", f"{sha}:{path}"],
                          capture_output=True).stdout[:200]
    return bool(SHELL_SHEBANG.match(head))


def changed(repo: Path, sha: str) -> tuple[int, list[str]]:
    """(changed lines without binary files, paths added or modified)."""
    lines = 0
    for row in git(repo, "diff", "--numstat", f"{sha}^", sha).splitlines():
        added, deleted, _ = row.split("\t", 2)
        if added != "-":
            lines += int(added) + int(deleted)
    kept = git(repo, "diff", "--name-only", "--diff-filter=AM", f"{sha}^", sha).splitlines()
    return lines, kept


def picks(repo: Path, before: str, per_repo: int, low: int, high: int, after: str = "") -> list[tuple[str, int, str]]:
    chosen: list[tuple[str, int, str]] = []
    since = [f"--after={after}"] if after else []
    for row in git(repo, "log", "--no-merges", f"--before={before}", *since, "--format=%H %P%x09%s", "HEAD").splitlines():
        ids, subject = row.split("\t", 1)
        sha, *parents = ids.split()
        if not parents:
            continue
        try:
            lines, paths = changed(repo, sha)
        except subprocess.CalledProcessError:  # a blob the snapshot left out (its largest files may be absent)
            print(f"{repo.parent.name} {sha[:10]}: skipped, git cannot read its diff from the clone", file=sys.stderr)
            continue
        if low <= lines <= high and any(is_code(repo, sha, path) for path in paths):
            chosen.append((sha, lines, subject))
            if len(chosen) == per_repo:
                break
    return chosen


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, required=True)
    parser.add_argument("--set", type=int, required=True, help="the held_out number to write")
    parser.add_argument("--before", default="2026-09-01")
    parser.add_argument("--after", default="", help="only commits after this date (fresh commits of projects already in the corpus)")
    parser.add_argument("--per-repo", type=int, default=6)
    parser.add_argument("--min-lines", type=int, default=40)
    parser.add_argument("--max-lines", type=int, default=3000)
    parser.add_argument("repos", nargs="+")
    args = parser.parse_args(argv)
    for name in args.repos:
        repo = args.mirrors / name.replace("/", "+") / "repo"
        if not repo.is_dir():
            sys.exit(f"no bare clone of {name} at {repo}")
        found = picks(repo, args.before, args.per_repo, args.min_lines, args.max_lines, args.after)
        for at, (sha, lines, subject) in enumerate(found):
            print(f'\n[[commit]]\nrepo = "{name}"\nsha = "{sha[:10]}"\nkind = ""\n'
                  f'what = {json_string(subject)}\n'
                  f'chosen = "the set-4 rule: the {ORDINALS[at]} of {name}\'s {len(found)} ({lines} changed lines)"\n'
                  f"held_out = {args.set}")
    return 0


def json_string(text: str) -> str:
    """A TOML basic string (TOML's escapes are JSON's)."""
    return json.dumps(text, ensure_ascii=False)


if __name__ == "__main__":
    raise SystemExit(main())
