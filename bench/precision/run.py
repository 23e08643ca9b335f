"""Precision on real code: review real commits and score the findings against recorded judgements.

    python bench/precision/run.py --mirrors /path/to/mirrors [--baseline-source DIR] [--show]

For every commit in corpus.toml the post-change tree is made from a local bare
clone (`<mirrors>/<owner>+<name>/repo`, or `--mirror owner/name=PATH`; the
benchmark never touches the network), and the installed `reviewbot check
--git <commit>^ --offline --format json` reviews it, as a user would run it.
Each finding is looked up in judgements.csv (a senior's verdict: useful, noise
or wrong, with one line of reason). Printed: findings per 1,000 changed lines,
precision (useful / judged), each error-severity finding with its verdict, the
same figures per analyzer (with how many changed files it examined), the
figures for the first corpus alone (the commits without a `chosen` reason,
which predate the non-Python analyzers), for the added commits alone and for
each held-out set alone (`held_out = true` is the first set, picked after
the rules were tuned and never tuned for; `held_out = 2` the second, picked
after the rules were improved on what the first showed; `held_out = 3` the
third, picked after the rules were improved on what the second showed;
`held_out = 4` to `held_out = 8` the fourth to the eighth, each picked by the
mechanical rule in its header (`pick.py`) and reviewed once by the frozen
reviewer; `--held-out` reviews only the first, `--held-out N` only set N, `--skip-held-out N` leaves set N
out), for the development set alone (`dev = true`: commits picked by a
mechanical rule from projects new to the corpus, judged and tuned on; `--dev`
reviews only it), and findings nobody has judged yet (`--show` lists them, to
judge).

`--present-only` reviews only the commits whose bare clone is present (a machine that holds part of the
corpus) and prints how many it left out.

`--comment-on-all` reviews with every rule commenting (the user setting `comment-on = "all"`), to
judge rules that have not earned line comments yet.

`--baseline-source DIR` also runs the reviewbot package found in DIR (an
older checkout) on the same trees, and lists the useful findings the current
code no longer reports.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
VERDICTS = ("useful", "noise", "wrong")
HELD_OUT_SETS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49)
ORDINAL = {1: "held-out commits", 2: "second held-out set", 3: "third held-out set", 4: "fourth held-out set",
           5: "fifth held-out set", 6: "sixth held-out set",
           7: "seventh held-out set", 8: "eighth held-out set", 9: "ninth held-out set", 10: "tenth held-out set",
           11: "eleventh held-out set", 12: "twelfth held-out set", 13: "thirteenth held-out set",
           14: "fourteenth held-out set", 15: "fifteenth held-out set", 16: "sixteenth held-out set",
           17: "seventeenth held-out set", 18: "eighteenth held-out set",
           19: "nineteenth held-out set", 20: "twentieth held-out set",
           21: "twenty-first held-out set", 22: "twenty-second held-out set",
           23: "twenty-third held-out set", 24: "twenty-fourth held-out set",
           25: "twenty-fifth held-out set", 26: "twenty-sixth held-out set",
           27: "twenty-seventh held-out set", 28: "twenty-eighth held-out set",
           29: "twenty-ninth held-out set", 30: "thirtieth held-out set",
           31: "thirty-first held-out set", 32: "thirty-second held-out set",
           33: "thirty-third held-out set", 34: "thirty-fourth held-out set",
           35: "thirty-fifth held-out set", 36: "thirty-sixth held-out set",
           37: "thirty-seventh held-out set", 38: "thirty-eighth held-out set",
           39: "thirty-ninth held-out set", 40: "fortieth held-out set",
           41: "forty-first held-out set", 42: "forty-second held-out set",
           43: "forty-third held-out set", 44: "forty-fourth held-out set",
           45: "forty-fifth held-out set", 46: "forty-sixth held-out set",
           47: "forty-seventh held-out set", 48: "forty-eighth held-out set",
           49: "forty-ninth held-out set"}


@dataclass(frozen=True)
class Commit:
    repo: str
    sha: str
    kind: str
    what: str
    chosen: str = ""  # why the commit was picked (decided before its findings were seen)
    held_out: int = 0  # the held-out set (`true` is 1, or a later number): picked after the rules were tuned, never tuned for
    dev: bool = False  # the development set: picked by a mechanical rule, judged, and tuned on

    def __post_init__(self) -> None:
        if self.held_out not in (0, *HELD_OUT_SETS):
            sys.exit(f"corpus.toml: {self.repo}@{self.sha}: held_out is {self.held_out!r} (use true or one of {HELD_OUT_SETS[1:]})")


@dataclass(frozen=True)
class Found:
    repo: str
    sha: str
    path: str
    line: int
    source: str
    severity: str
    title: str

    @property
    def key(self) -> tuple[str, str, str, int, str]:
        return (self.repo, self.sha[:8], self.path, self.line, self.source)


def corpus() -> list[Commit]:
    data = tomllib.loads((HERE / "corpus.toml").read_text(encoding="utf-8"))
    return [Commit(**entry) for entry in data["commit"]]


def judgements() -> dict[tuple[str, str, str, int, str], tuple[str, str]]:
    with (HERE / "judgements.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = {}
    for row in rows:
        if row["verdict"] not in VERDICTS:
            sys.exit(f"judgements.csv: unknown verdict {row['verdict']!r} (use {', '.join(VERDICTS)})")
        found[(row["repo"], row["commit"][:8], row["path"], int(row["line"]), row["source"])] = (
            row["verdict"], row["reason"])  # fmt: skip
    return found


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def tree(mirror: Path, sha: str, into: Path, repo: str = "") -> Path:
    """The post-change tree of `sha`, checked out from the local bare clone `mirror`; its `origin` remote
    names the project on GitHub (`repo`), as a contributor's clone does."""
    target = into / sha
    git("clone", "-q", "--shared", "--no-checkout", str(mirror), str(target))
    if repo:
        git("remote", "set-url", "origin", f"https://github.com/{repo}.git", cwd=target)
    absent = stand_in_for_absent_blobs(target, sha)
    git("-c", "advice.detachedHead=false", "checkout", "-q", "--detach", sha, cwd=target)
    if absent:  # the stand-in's content is not the blob's, so git must not re-read these files
        git("update-index", "--skip-worktree", "--", *absent, cwd=target)
    return target


def blobs(repo: Path, rev: str) -> dict[str, str]:
    """Path -> blob id of every file in `rev`'s tree."""
    listing = git("ls-tree", "-r", "-z", rev, cwd=repo).split("\0")
    entries = (line.split("\t", 1) for line in listing if line)
    return {path: meta.split()[2] for meta, path in entries if meta.split()[1] == "blob"}


def stand_in_for_absent_blobs(repo: Path, sha: str) -> list[str]:
    """Give each blob a partial mirror lacks a stand-in in the scratch clone `repo`; return their paths.

    A snapshot may leave out its largest blobs (a wordlist, an image, a test fixture). When neither
    `sha` nor its parent changes such a file, the review reads it only as a source `git diff
    --find-copies-harder` compares added files with, yet git stops on the absent blob. A
    `refs/replace/` entry in the scratch clone makes git read a short stand-in wherever that blob is
    named. A file the commit changes must be there in full, or the review would be of something else.
    """
    before, after = blobs(repo, f"{sha}^"), blobs(repo, sha)
    named = sorted(set(before.values()) | set(after.values()))
    check = subprocess.run(["git", "cat-file", "--batch-check"], cwd=repo, input="\n".join(named) + "\n",
                           check=True, capture_output=True, text=True).stdout  # fmt: skip
    missing = {line.split()[0] for line in check.splitlines() if line.endswith(" missing")}
    changed = [path for path in set(before) | set(after) if before.get(path) != after.get(path)]
    lacking = [path for path in changed if {before.get(path), after.get(path)} & missing]
    if lacking:
        sys.exit(f"{sha[:8]} changes {lacking[0]}, whose content the mirror lacks: use a full clone")
    for oid in missing:
        stand_in = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo, check=True, capture_output=True,
                                  text=True, input=f"blob {oid} is absent from the mirror\n").stdout.strip()  # fmt: skip
        git("update-ref", f"refs/replace/{oid}", stand_in, cwd=repo)
    return sorted(path for path, oid in after.items() if oid in missing)


def changed_lines(repo: Path, sha: str) -> int:
    stat = git("diff", "--numstat", f"{sha}^", sha, cwd=repo)
    return sum(int(a) + int(b) for a, b, _ in (line.split("\t", 2) for line in stat.splitlines()) if a != "-")


def review(repo: Path, sha: str, source: Path | None, home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "REVIEWBOT_", "PYTHONPATH"))}
    env["XDG_CONFIG_HOME"] = str(home)  # no personal configuration
    if source is not None:
        env["PYTHONPATH"] = str(source)
    command = [sys.executable, "-m", "reviewbot", "check", "--git", f"{sha}^", "--offline", "--format", "json",
               "--fail-on", "never", "--max-comments", "1000"]  # fmt: skip
    done = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"reviewbot failed on {repo.name}: {done.stderr.strip()[-500:]}")
    report = json.loads(done.stdout)
    missing = [note for note in report["summary"]["notes"] if " is not installed" in note]
    if missing:  # a figure from a reviewer missing its linters would be a figure about nothing
        sys.exit(f"an analyzer is missing, so {sha[:8]} was not really reviewed: {missing[0]}\n"
                 "install the languages extra (pip install -e '.[languages]') and run again")
    return report


def mirror_for(repo: str, mirrors: Path | None, named: dict[str, Path]) -> Path:
    if repo in named:
        return named[repo]
    if mirrors is None:
        sys.exit(f"no mirror for {repo}: pass --mirrors DIR or --mirror {repo}=PATH")
    return mirrors / repo.replace("/", "+") / "repo"


@dataclass
class Run:
    found: dict[str, list[Found]]  # label -> findings
    lines: dict[str, int]  # sha -> changed lines
    examined: Counter[str]  # analyzer -> changed files it examined (current code)


def run(commits: list[Commit], mirrors: Path | None, named: dict[str, Path], sources: dict[str, Path | None],
        comment_on_all: bool = False) -> Run:
    result = Run({label: [] for label in sources}, {}, Counter())
    with tempfile.TemporaryDirectory(prefix="reviewbot-precision-") as scratch:
        work, home = Path(scratch), Path(scratch) / "home"
        home.mkdir()
        if comment_on_all:  # the user's own file: every rule's findings as comments (`--comment-on all`)
            (home / "reviewbot").mkdir()
            (home / "reviewbot" / "config.toml").write_text('comment-on = "all"\n')
        for commit in commits:
            repo = tree(mirror_for(commit.repo, mirrors, named), commit.sha, work, commit.repo)
            result.lines[commit.sha] = changed_lines(repo, commit.sha)
            for label, source in sources.items():
                report = review(repo, commit.sha, source, home)
                for c in report["comments"]:
                    result.found[label].append(Found(commit.repo, commit.sha, c["path"], c["line"], c["source"],
                                                     c["severity"], c["title"]))  # fmt: skip
                if label == "current":
                    result.examined.update(a for entry in report["summary"].get("coverage", []) for a in entry["analyzers"])
    return result


def analyzer_of(found: Found) -> str:
    return found.source.partition(":")[0]


def per_analyzer(found: list[Found], examined: Counter[str], judged: dict) -> list[dict]:
    """Findings, verdicts and precision per analyzer, with the changed files each examined."""
    rows = []
    for name in sorted(set(examined) | {analyzer_of(f) for f in found}):
        mine = [f for f in found if analyzer_of(f) == name]
        verdicts = Counter(judged[f.key][0] if f.key in judged else "unjudged" for f in mine)
        rated = sum(verdicts[v] for v in VERDICTS)
        rows.append({"analyzer": name, "files_examined": examined[name], "findings": len(mine),
                     **{v: verdicts[v] for v in VERDICTS},
                     "precision": round(verdicts["useful"] / rated, 3) if rated else None})  # fmt: skip
    return rows


def score(label: str, found: list[Found], lines: int, judged: dict) -> dict:
    verdicts = Counter(judged[f.key][0] if f.key in judged else "unjudged" for f in found)
    rated = sum(verdicts[v] for v in VERDICTS)
    errors = [f for f in found if f.severity == "error"]
    error_verdicts = Counter(judged[f.key][0] if f.key in judged else "unjudged" for f in errors)
    return {
        "label": label,
        "findings": len(found),
        "per_1000_lines": round(1000 * len(found) / max(lines, 1), 2),
        **{v: verdicts[v] for v in (*VERDICTS, "unjudged")},
        "precision": round(verdicts["useful"] / rated, 3) if rated else None,
        "errors": len(errors),
        "errors_by_verdict": dict(error_verdicts),
    }


def parts(commits: list[Commit]) -> dict[str, set[str]]:
    """The corpus's parts that are printed alone, when the run covers more than one of them."""
    groups = {
        "first corpus alone": {c.sha for c in commits if not c.chosen and not c.held_out},
        "added commits alone": {c.sha for c in commits if c.chosen and not c.held_out and not c.dev},
        **{f"{ORDINAL[n]} alone": {c.sha for c in commits if c.held_out == n} for n in HELD_OUT_SETS},
        "development set alone": {c.sha for c in commits if c.dev},
    }
    present = {part: shas for part, shas in groups.items() if shas}
    return present if len(present) > 1 else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, help="directory of bare clones: <owner>+<name>/repo")
    parser.add_argument("--mirror", action="append", default=[], help="owner/name=PATH of one bare clone")
    parser.add_argument("--baseline-source", type=Path, help="a checkout whose reviewbot package to compare with")
    parser.add_argument("--show", action="store_true", help="list every finding with its verdict")
    parser.add_argument("--comment-on-all", action="store_true",
                        help="review with `comment-on = \"all\"`: every rule's findings as comments, earned or not")
    parser.add_argument("--only", help="review only commits whose sha starts with this")
    parser.add_argument("--held-out", type=int, nargs="?", const=1, choices=HELD_OUT_SETS,
                        help="review only the first held-out set, or with N only set N")  # fmt: skip
    parser.add_argument("--skip-held-out", type=int, action="append", default=[], choices=HELD_OUT_SETS,
                        help="leave this held-out set out of the run (repeatable)")  # fmt: skip
    parser.add_argument("--dev", action="store_true", help="review only the development set")
    parser.add_argument("--present-only", action="store_true",
                        help="review only the commits whose bare clone is on this machine, and say how many are left out")
    args = parser.parse_args()
    named = {name: Path(path) for name, _, path in (m.partition("=") for m in args.mirror)}
    sources: dict[str, Path | None] = {"current": None}
    if args.baseline_source:
        sources = {"baseline": args.baseline_source.resolve(), **sources}
    wanted = [c for c in corpus() if (args.held_out is None or c.held_out == args.held_out)
              and c.held_out not in args.skip_held_out and (not args.dev or c.dev)]  # fmt: skip
    commits = [c for c in wanted if not args.only or c.sha.startswith(args.only)]
    if args.present_only:
        present = [c for c in commits if mirror_for(c.repo, args.mirrors, named).exists()]
        absent = sorted({c.repo for c in commits} - {c.repo for c in present})
        print(f"left out: {len(commits) - len(present)} commits of {len(absent)} projects without a clone here")
        commits = present
    result = run(commits, args.mirrors, named, sources, args.comment_on_all)
    found, lines = result.found, sum(result.lines.values())
    judged = judgements()
    print(f"{len(commits)} commits, {lines} changed lines")
    for label, items in found.items():
        print(json.dumps(score(label, items, lines, judged)))
    for part, shas in parts(commits).items():
        part_lines = sum(n for sha, n in result.lines.items() if sha in shas)
        print(f"{part}: {len(shas)} commits, {part_lines} changed lines")
        for label, items in found.items():
            print(json.dumps(score(label, [f for f in items if f.sha in shas], part_lines, judged)))
    print("per analyzer (current code):")
    for row in per_analyzer(found["current"], result.examined, judged):
        print("  " + json.dumps(row))
    for f in (f for f in found["current"] if f.severity == "error"):
        verdict, reason = judged.get(f.key, ("UNJUDGED", ""))
        print(f"error: {f.repo}@{f.sha} {f.path}:{f.line} {f.source} -> {verdict}: {reason}")
    if "baseline" in found:
        now = {f.key for f in found["current"]}
        lost = [f for f in found["baseline"] if judged.get(f.key, ("",))[0] == "useful" and f.key not in now]
        print(f"useful findings the baseline reported and the current code does not: {len(lost)}")
        for f in lost:
            print(f"  lost: {f.repo}@{f.sha} {f.path}:{f.line} {f.source}")
    if args.show:
        for label, items in found.items():
            for f in items:
                verdict, reason = judged.get(f.key, ("UNJUDGED", ""))
                print(f"{label}\t{f.repo}\t{f.sha}\t{f.path}\t{f.line}\t{f.source}\t{f.severity}\t{verdict}\t{f.title}\t{reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
