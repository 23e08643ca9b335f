"""Speed and cost of the LLM reviewer against a local OpenAI-compatible stub.

    /work/venv/bin/python bench/bench_llm.py [--latency 1.0] [--concurrency 4] [--files 60] [--lines 3000]

The benchmark starts a stub Chat Completions server on 127.0.0.1 (in its own
process, like a real server) that answers every request after a fixed latency L (one comment on the first added line it
was shown), builds a real `git diff` of F files with N changed lines, and
reviews it end to end the way `reviewbot check` does (with a title, a
description and three commit messages, as a pull request has): the built-in analyzers
first (their findings ground the model), then `review_llm`
with the real `OpenAIChatModel` (the openai package's default HTTP client,
over the loopback network).

It checks, and exits 1 if any check fails:
- end-to-end wall time (model client, built-in grounding and the LLM review)
  less the built-in review's own time <= 1.2 x ceil(calls / concurrency) x L;
  the default L of 1 s is at the fast end of real completions;
- every changed line of the diff appears in some request (100% coverage);
- prompt tokens per changed line <= 120;
- the stable prefix (the system message, byte-identical across calls) is
  at least 40% of the prompt tokens, the share a provider can serve from
  its prompt cache.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from reviewbot.adapters.openai_model import OpenAIChatModel
from reviewbot.analyzers import default_analyzers
from reviewbot.config import Config
from reviewbot.diffmodel import parse_diff
from reviewbot.llm.chunking import ChunkPolicy
from reviewbot.llm.reviewer import review_llm
from reviewbot.llm.tokens import EstimateCounter
from reviewbot.models import CommitMessage, PullRequestText
from reviewbot.principles import load_graph
from reviewbot.review.builtin import review_builtin

PULL_REQUEST = PullRequestText(  # what a real pull request brings along: title, description, commit messages
    "Use compute_faster in every module and add the combined values",
    "compute() was the hot spot in profiles of the nightly job. This switches the modules to\n"
    "compute_faster (same results, half the time) and adds the combined values the report needs.\n\n"
    "Tested with the nightly job's data: identical output, 48% less wall time.",
    tuple(CommitMessage(f"{n:040x}", subject, body) for n, (subject, body) in enumerate((
        ("Switch even modules to compute_faster", "Same results on the nightly data; the scale doubles because\n"
         "compute_faster takes half-steps."),
        ("Add combined values to odd modules", "The report reads extra_* next to value_*."),
        ("Fix the scale in module 4", ""),
    ), 1)),
)
MAX_TOKENS_PER_LINE = 120  # the budget: prompt tokens per changed line
MIN_PREFIX_SHARE = 0.40  # the budget: share of prompt tokens in the byte-identical system message
ADDED_MARK = "+ "  # rendered rows look like "   12 + text"


# --- the stub server ------------------------------------------------------------------------------


def completion(body: dict) -> dict:
    system, user = (m["content"] for m in body["messages"][:2])
    comments = [_comment(user)] if _comment(user) else []
    prompt = math.ceil((len(system) + len(user)) / 4)
    return {
        "id": "chatcmpl-bench", "object": "chat.completion", "created": 0, "model": body["model"],
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": json.dumps({"comments": comments, "notes": []}),
                                 "refusal": None}}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": 60, "total_tokens": prompt + 60,
                  "prompt_tokens_details": {"cached_tokens": math.ceil(len(system) / 4)}},
    }


def _comment(user: str) -> dict | None:
    path = None
    for row in user.splitlines():
        if row.startswith("=== FILE "):
            path = row.removeprefix("=== FILE ").rsplit(" (", 1)[0]
        elif path and row[6:8] == ADDED_MARK and row[:5].strip().isdigit():
            return {"path": path, "line": int(row[:5]), "end_line": None, "severity": "warning",
                    "category": "readability", "title": "Name the magic number",
                    "body": "Give the constant a name.", "suggestion": None, "principle_id": None,
                    "new_principle_name": "Named constants", "why": "A name says what the number means."}
    return None


def run_stub(latency: float, log: str, ready: multiprocessing.Queue[int]) -> None:
    """The stub server, in its own process like a real one: answers after `latency`, logs each request."""
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep connections open, as real servers do
        disable_nagle_algorithm = True  # headers and body go out at once, no delayed-ACK stall

        def do_POST(self) -> None:
            arrived = time.time()
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            time.sleep(max(latency - (time.time() - arrived), 0))
            data = json.dumps(completion(body)).encode()
            with lock, open(log, "a", encoding="utf-8") as out:
                out.write(json.dumps({"arrived": arrived, "left": time.time(), "body": body}) + "\n")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    ready.put(server.server_port)
    server.serve_forever()


def max_in_flight(entries: list[dict]) -> int:
    events = sorted([(e["arrived"], 1) for e in entries] + [(e["left"], -1) for e in entries])
    current = peak = 0
    for _, step in events:
        current += step
        peak = max(peak, current)
    return peak


# --- the diff -------------------------------------------------------------------------------------


def make_change(root: Path, files: int, changed: int) -> tuple[str, dict[str, str]]:
    """A real git diff of `files` Python files with `changed` changed lines in all.

    Even files have lines replaced (half the changed lines deleted, half added),
    odd files have blocks of new lines inserted. Every line is unique.
    """
    per_file = changed // files
    before, after = {}, {}
    for f in range(files):
        path = f"src/pkg{f % 6}/module_{f:02d}.py"
        old = [f"value_{f}_{i} = compute({i}, scale={f})  # line {i} of module {f}" for i in range(120)]
        new = _replaced(old, f, per_file // 2) if f % 2 == 0 else _inserted(old, f, per_file)
        before[path], after[path] = "\n".join(old) + "\n", "\n".join(new) + "\n"
    return git_diff(root, before, after), after


def _replaced(old: list[str], f: int, count: int) -> list[str]:
    new = list(old)
    for j in range(count):
        i = 2 + j * 4
        new[i] = f"value_{f}_{i} = compute_faster({i}, scale={f} * 2)  # replaced {j} in module {f}"
    return new


def _inserted(old: list[str], f: int, count: int) -> list[str]:
    new, blocks = list(old), 5
    for b in reversed(range(blocks)):
        at = 10 + b * 22
        rows = [f"extra_{f}_{b}_{k} = combine(value_{f}_{at}, {k})  # added {k} of block {b}"
                for k in range(count // blocks)]
        new[at:at] = rows
    return new


def git_diff(root: Path, before: dict[str, str], after: dict[str, str]) -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout

    git("init", "-q")
    git("config", "user.email", "bench@example.com")
    git("config", "user.name", "Bench")
    for files, message in ((before, "before"), (after, "after")):
        for path, text in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text)
        git("add", "-A")
        if message == "before":
            git("commit", "-qm", message)
    return git("diff", "--cached", "--no-color")


# --- measuring ------------------------------------------------------------------------------------


def coverage(diff_text: str, requests: list[dict]) -> tuple[int, int]:
    """(changed lines found in some request, changed lines) — each line looked up by its text and file."""
    diff = parse_diff(diff_text)
    sent = {}
    for body in requests:
        user = body["messages"][1]["content"]
        for path in {f.path for f in diff.files if f"=== FILE {f.path} " in user}:
            sent.setdefault(path, []).append(user)
    found = total = 0
    for file in diff.files:
        texts = "\n".join(sent.get(file.path, []))
        for hunk in file.hunks:
            for line in hunk.lines:
                if line.kind in "+-":
                    total += 1
                    found += f" {line.kind} {line.text}" in texts
    return found, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per call (L)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--lines", type=int, default=3000, help="changed lines (added + deleted)")
    parser.add_argument("--chunk-tokens", type=int, default=ChunkPolicy().chunk_tokens,
                        help="pull-request tokens per request (default: the reviewer's default)")
    args = parser.parse_args(argv)

    log = Path(tempfile.mkdtemp()) / "requests.jsonl"
    ready: multiprocessing.Queue[int] = multiprocessing.Queue()
    stub = multiprocessing.Process(target=run_stub, args=(args.latency, str(log), ready), daemon=True)
    stub.start()
    port = ready.get(timeout=30)
    with tempfile.TemporaryDirectory() as tmp:
        diff_text, contents = make_change(Path(tmp), args.files, args.lines)
    diff = parse_diff(diff_text)
    graph = load_graph()
    graph.catalog_lines()
    config = Config(model="bench-model", base_url=f"http://127.0.0.1:{port}/v1", api_key="bench-key",
                    concurrency=args.concurrency)
    started = time.perf_counter()
    model = OpenAIChatModel.from_config(config)
    built = time.perf_counter()
    grounding = review_builtin(diff, contents, config, graph, default_analyzers(config, graph))
    grounded, grounded_at = time.perf_counter(), time.time()
    review = review_llm(diff, contents, config, graph, model, grounding, policy=ChunkPolicy(args.chunk_tokens),
                        pull_request=PULL_REQUEST)
    finished, finished_at = time.perf_counter(), time.time()
    wall = finished - grounded
    whole = finished - started
    stub.terminate()
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    requests = [entry["body"] for entry in entries]
    in_flight = max_in_flight(entries)

    calls = len(requests)
    bound = 1.2 * math.ceil(calls / args.concurrency) * args.latency
    found, total = coverage(diff_text, requests)
    counter = EstimateCounter()
    prompt_tokens = sum(counter.count(m["content"]) for body in requests for m in body["messages"])
    stable_tokens = sum(counter.count(body["messages"][0]["content"]) for body in requests)
    systems = {body["messages"][0]["content"] for body in requests}

    print(f"diff: {len(diff.files)} files, {diff.changed_line_count} changed lines; "
          f"chunk budget {args.chunk_tokens:,} tokens")
    print(f"calls: {calls} (concurrency {args.concurrency}, at most {in_flight} in flight), "
          f"latency L={args.latency:g} s")
    print(f"end-to-end wall time: {whole:.3f} s (LLM review alone {wall:.3f} s); "
          f"bound 1.2 x ceil({calls}/{args.concurrency}) x L = {bound:.3f} s")
    first, last = min(e["arrived"] for e in entries), max(e["left"] for e in entries)
    print(f"first request arrived {first - grounded_at:.3f} s after the start; the review ended "
          f"{finished_at - last:.3f} s after the last answer left the server")
    print(f"before it: model client {built - started:.3f} s, built-in review (grounding: ruff, secrets, diff "
          f"checks) {grounded - built:.3f} s")
    print(f"changed lines present in some prompt: {found}/{total} ({100 * found / max(total, 1):.1f}%)")
    print(f"prompt tokens ({counter.name}): {prompt_tokens:,}; "
          f"per changed line: {prompt_tokens / max(total, 1):.1f}")
    print(f"stable prefix: {stable_tokens:,} tokens = {100 * stable_tokens / max(prompt_tokens, 1):.1f}% of "
          f"prompt tokens; distinct system messages: {len(systems)}")
    print(f"review: {len(review.comments)} comments ({len(grounding.comments)} from the analyzers), "
          f"{len(review.skipped)} skipped, mode {review.mode}, usage {review.usage}")
    per_line, share = prompt_tokens / max(total, 1), stable_tokens / max(prompt_tokens, 1)
    own = whole - (grounded - built)  # the wall time less the built-in review's own time
    checks = {
        f"wall time less the built-in review {own:.3f} s <= bound {bound:.3f} s": own <= bound,
        f"changed lines in some prompt {found}/{total} = 100%": found == total,
        f"prompt tokens per changed line {per_line:.1f} <= {MAX_TOKENS_PER_LINE}": per_line <= MAX_TOKENS_PER_LINE,
        f"cached-prefix share {100 * share:.1f}% >= {100 * MIN_PREFIX_SHARE:.0f}%": share >= MIN_PREFIX_SHARE,
        "one distinct system message": len(systems) == 1,
        f"at most {args.concurrency} requests in flight": in_flight <= args.concurrency,
    }
    for label, passed in checks.items():
        print(f"{'ok  ' if passed else 'FAIL'} {label}")
    ok = all(checks.values())
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
