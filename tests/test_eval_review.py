"""bench/eval_review.py end to end: a bare clone made with real git, the real `reviewbot check`, a fake model."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from llm_http import RecordingLLM

ROOT = Path(__file__).resolve().parent.parent
BUGGY = "def total(prices):\n    result = 0\n    for price in prices[1:]:\n        result += price\n    return result\n"
CLEAN = BUGGY.replace("def total", "def total_price")


def load_eval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_review", ROOT / "bench" / "eval_review.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_review"] = module
    spec.loader.exec_module(module)
    return module


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def commit(repo: Path, files: dict[str, str], message: str) -> str:
    for path, text in files.items():
        (repo / path).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def mirrors(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    work = tmp_path / "work"
    work.mkdir()
    for args in (("init", "-q"), ("config", "user.email", "dev@example.com"), ("config", "user.name", "Dev")):
        git(work, *args)
    (work / "requests").mkdir()  # a package of the repository under review must never shadow an installed one
    commit(work, {"shop.py": "def total(prices):\n    return sum(prices)\n",
                  "requests/__init__.py": "raise SystemExit('imported from the checkout under review')\n"}, "start")
    shas = {"bug": commit(work, {"shop.py": BUGGY}, "Loop over prices")}
    shas["clean"] = commit(work, {"shop.py": CLEAN}, "Rename total")
    root = tmp_path / "mirrors"
    git(tmp_path, "clone", "-q", "--bare", str(work), str(root / "acme+shop" / "repo"))
    return root, shas


def corpus(path: Path, shas: dict[str, str]) -> Path:
    path.write_text(f'''
[[case]]
id = "shop-skips-first-price"
repo = "acme/shop"
commit = "{shas['bug']}"

[[case.truth]]
path = "shop.py"
lines = [[3, 4]]
old_lines = [[2, 2]]
issue = "prices[1:] skips the first price, so the total is short by it."
cues = ["first price", "skips", "off-by-one"]
fix = "{shas['clean']}"

[[case]]
id = "shop-rename"
repo = "acme/shop"
commit = "{shas['clean']}"
clean = true
''')
    return path


def answer_on_the_loop(body: dict[str, Any]) -> list[dict[str, Any]]:
    user = body["messages"][1]["content"]
    if "prices[1:]" not in user or "+     for price in prices[1:]:" not in user:
        return []
    return [{"path": "shop.py", "side": "RIGHT", "line": 3, "end_line": None, "kind": "issue", "confidence": "high",
             "severity": "error", "category": "correctness", "title": "The loop skips the first price",
             "body": "`prices[1:]` starts at the second element.", "suggestion": "    for price in prices:",
             "principle_id": None, "new_principle_name": "Off-by-one", "why": "total([5]) returns 0."}]


def test_the_eval_runs_reviewbot_check_and_scores_recall(mirrors, tmp_path, monkeypatch, capsys) -> None:
    root, shas = mirrors
    monkeypatch.setenv("REVIEWBOT_API_KEY", "sk-eval-test-0123456789")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    eval_review = load_eval()
    report = tmp_path / "report.json"
    with RecordingLLM(answer_on_the_loop) as llm:
        status = eval_review.main(["--mirrors", str(root), "--model", "gpt-4.1-mini", "--base-url", llm.base_url,
                                   "--corpus", str(corpus(tmp_path / "corpus.toml", shas)), "--json", str(report)])
    assert status == 0
    data = json.loads(report.read_text())
    totals = data["totals"]
    assert (totals["cases"], totals["errors"], totals["issues"], totals["found"], totals["recall"]) == (2, 0, 1, 1, 1.0)
    assert (totals["recall_high_confidence"], totals["questions"]) == (1.0, 0)
    assert totals["comments_per_buggy_commit"] >= 1 and totals["comments_per_clean_commit"] == 0
    assert totals["calls"] == 2 and totals["prompt_tokens"] == 20 and totals["completion_tokens"] == 10
    assert totals["cost_usd"] is not None and totals["wall_seconds"] > 0
    assert [row["found"] for row in data["cases"]] == [[True], []]
    assert len(llm.requests) == 2 and "shop-skips-first-price" in capsys.readouterr().out
    users = [r.body["messages"][1]["content"] for r in llm.requests]
    assert "<<<COMMIT\nLoop over prices\nCOMMIT>>>" in users[0]  # the corpus commit's own message, as data
    assert "<<<COMMIT\nRename total\nCOMMIT>>>" in users[1] and "Loop over prices" not in users[1]


def test_a_comment_on_the_lines_that_names_another_issue_is_not_a_find(mirrors, tmp_path, monkeypatch) -> None:
    root, shas = mirrors
    monkeypatch.setenv("REVIEWBOT_API_KEY", "sk-eval-test-0123456789")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    eval_review = load_eval()

    def vague(body: dict[str, Any]) -> list[dict[str, Any]]:
        found = answer_on_the_loop(body)
        return [{**c, "title": "Consider a clearer name", "body": "`result` could say more.", "why": "Names."}
                for c in found]

    report = tmp_path / "report.json"
    with RecordingLLM(vague):
        eval_review.main(["--mirrors", str(root), "--model", "m", "--base-url", "http://127.0.0.1:1/v1",
                          "--corpus", str(corpus(tmp_path / "c.toml", shas)), "--json", str(report), "--only",
                          "nothing-matches"])
    assert json.loads(report.read_text())["totals"]["cases"] == 0
    case = eval_review.load_corpus(corpus(tmp_path / "c2.toml", shas))[0]
    truth = case.truths[0]
    vague_comment = {"path": "shop.py", "line": 3, "side": "RIGHT", "title": "Consider a clearer name", "body": "",
                     "principle": {"why": "Names."}}
    args = eval_review.parse_args(["--mirrors", str(root), "--model", "m"])
    assert eval_review.near(vague_comment, truth) and not eval_review.names_issue(vague_comment, truth, args)
    far = {**vague_comment, "line": 40, "title": "skips the first price"}
    assert not eval_review.near(far, truth)
    left = {**vague_comment, "side": "LEFT", "line": 2}
    assert eval_review.near(left, truth)


def test_a_missing_mirror_is_a_clear_error(tmp_path) -> None:
    eval_review = load_eval()
    with pytest.raises(SystemExit, match="no bare clone of acme/shop under"):
        eval_review.mirror_for(tmp_path, "acme/shop")


def test_the_real_corpus_has_twenty_fixed_commits_and_clean_ones() -> None:
    eval_review = load_eval()
    cases = eval_review.load_corpus(eval_review.CORPUS)
    bugs = [c for c in cases if not c.clean]
    assert len(bugs) >= 20 and any(c.clean for c in cases)
    for case in bugs:
        for truth in case.truths:
            assert truth.lines or truth.old_lines, case.id
            assert truth.issue and truth.cues and len(truth.fix) == 40 and len(case.commit) == 40


def test_recall_at_high_confidence_and_questions_are_reported() -> None:
    eval_review = load_eval()
    truth = eval_review.Truth("shop.py", ((3, 4),), (), "skips the first price", ("skips",), "f" * 40)
    case = eval_review.Case("c", "acme/shop", "0" * 40, (truth,))
    asked = {"path": "shop.py", "line": 3, "side": "RIGHT", "title": "Question: does this skip the first price?",
             "body": "", "kind": "question", "confidence": "medium"}
    result = eval_review.Result(case, comments=[asked], found=[True], found_sure=[False])
    totals = eval_review.summary([result], "m")
    assert (totals["recall"], totals["recall_high_confidence"], totals["questions"]) == (1.0, 0.0, 1)
