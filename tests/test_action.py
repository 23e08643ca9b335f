"""`reviewbot action` in a simulated GitHub Actions job.

The job's environment is the one GitHub sets: GITHUB_EVENT_PATH holds one of
GitHub's example deliveries (@octokit/webhooks-examples), pointed at a pull
request made with real git; GITHUB_API_URL is the fake GitHub served over
real HTTP (tests/fakegithub_http.py), which the real PyGithub host talks to
with the workflow token; GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and the SARIF
file are files in a temporary directory. Nothing inside reviewbot is mocked:
the built-in reviewer runs ruff and detect-secrets for real.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fakegithub import FakeGitHub
from fakegithub_http import FakeGitHubServer
from github_support import GitPull, commit, files_between, git_pull, install
from threads_support import review_comment_payload
from webhook_examples import example

from reviewbot.cli.main import main
from reviewbot.threads.markers import parse_marker

REPO, NUMBER, AUTHOR = "Codertocat/Hello-World", 2, "Codertocat"  # as in GitHub's example deliveries
BOT = "github-actions[bot]"
TOKEN = "ghs_workflowtoken000000000001"
BASE_FILES = {"app.py": "import os\n\n\ndef size(path):\n    return os.path.getsize(path)\n"}
HEAD_FILES = {
    "app.py": BASE_FILES["app.py"] + (
        "\n\ndef collect(item, into=[]):\n"  # ruff B006: warning
        "    into.append(item)\n"
        "    return into\n"
        "\n\ndef total(items):\n"
        "    items = items if items != None else []\n"  # ruff E711: info
        "    return sum(item.price for item in itms)\n"  # ruff F821: error
    ),
}
WARNING_ONLY = {"app.py": BASE_FILES["app.py"] + "\n\ndef collect(item, into=[]):\n    into.append(item)\n    return into\n"}
SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    summary: str
    outputs: dict[str, str]
    sarif: dict | None

    def commands(self, name: str) -> list[str]:
        """The workflow-command lines `::name ...` printed on stdout."""
        return [line for line in self.stdout.splitlines() if line.startswith(f"::{name} ")]


class Job:
    """One simulated Actions job: the fake GitHub, a pull request on it, and the job's files."""

    def __init__(self, tmp_path: Path, github: FakeGitHub, server: FakeGitHubServer, pull: GitPull) -> None:
        self.tmp, self.github, self.server, self.pull = tmp_path, github, server, pull
        self.runs = 0

    @property
    def fake_pull(self):
        return self.github.pull(REPO, NUMBER)

    def env(self, event: str, payload: dict, **extra: str) -> dict[str, str]:
        self.runs += 1
        folder = self.tmp / f"run{self.runs}"
        folder.mkdir()
        (folder / "event.json").write_text(json.dumps(payload), encoding="utf-8")
        env = {
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.tmp),  # GitHub sets it in every job; the sarif-file must be inside
            "GITHUB_EVENT_NAME": event,
            "GITHUB_EVENT_PATH": str(folder / "event.json"),
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_API_URL": self.server.url,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_TOKEN": TOKEN,
            "GITHUB_STEP_SUMMARY": str(folder / "summary.md"),
            "GITHUB_OUTPUT": str(folder / "output"),
            "REVIEWBOT_SARIF_FILE": str(folder / "reviewbot.sarif"),
            "REVIEWBOT_MODEL": "gpt-5-mini",  # action.yml's default input
            "REVIEWBOT_COMMENT_ON": "all",  # these tests are about posting, not which rules comment
        }
        return {**env, **extra}

    def run(self, capsys: pytest.CaptureFixture, event: str, payload: dict, **extra: str) -> Run:
        env = self.env(event, payload, **extra)
        capsys.readouterr()
        code = main(["action"], env)
        captured = capsys.readouterr()
        return self.collect(env, code, captured.out, captured.err)

    def collect(self, env: dict[str, str], code: int, stdout: str, stderr: str) -> Run:
        read = lambda name: Path(env[name]).read_text(encoding="utf-8") if Path(env[name]).exists() else ""
        outputs = dict(line.split("=", 1) for line in read("GITHUB_OUTPUT").splitlines())
        sarif = json.loads(read("REVIEWBOT_SARIF_FILE")) if read("REVIEWBOT_SARIF_FILE") else None
        return Run(code, stdout, stderr, read("GITHUB_STEP_SUMMARY"), outputs, sarif)

    def push(self, files: dict[str, str | None]) -> str:
        """A new commit on the pull request's branch, as GitHub would then show it."""
        old = self.pull.head
        head = commit(self.pull.cwd, files, "more")
        self.pull = GitPull(self.pull.cwd, self.pull.base, head, files_between(self.pull.cwd, self.pull.base, head))
        for path, text in self.pull.contents(head).items():
            self.github.set_file(REPO, head, path, text)
        self.github.push(REPO, NUMBER, head, self.pull.files)
        self.github.set_comparison(REPO, old, head, "ahead", files_between(self.pull.cwd, old, head))
        return head

    def reviews(self) -> list[dict]:
        return self.fake_pull.reviews

    def posts(self) -> list[tuple[str, str, float]]:
        return self.github.calls("POST")


def pr_event(action: str, head: str, fork: str | None = None, draft: bool = False) -> dict:
    """GitHub's example `pull_request` delivery for our pull request (as Actions saves it)."""
    payload = example("pull_request", action)
    payload.pop("installation", None)  # a workflow's event carries no App installation
    payload["pull_request"]["head"]["sha"] = head
    payload["pull_request"]["draft"] = draft
    if fork:
        payload["pull_request"]["head"]["repo"]["full_name"] = fork
    return payload


def reply_event(job: Job, root_id: int, text: str, fork: str | None = None) -> dict:
    """A person's reply in a review thread: stored on the fake, and GitHub's example delivery for it."""
    _, comment = job.github.reply(job.github.repos[REPO], job.fake_pull, root_id, text, "https://api.github.com")
    comment["user"] = job.github.user(AUTHOR)
    payload = review_comment_payload(comment, root_id=root_id, comment_id=comment["id"], body=text, login=AUTHOR)
    payload.pop("installation", None)
    if fork:
        payload["pull_request"]["head"]["repo"]["full_name"] = fork
    return payload


@pytest.fixture
def make_job(tmp_path: Path) -> Iterator[Any]:
    servers: list[FakeGitHubServer] = []

    def make(head_files: dict[str, str] = HEAD_FILES, default_branch: dict[str, str] | None = None, **pull: Any) -> Job:
        github = FakeGitHub(slug="github-actions")  # the workflow token's comments are by github-actions[bot]
        github.tokens[TOKEN] = (0, float("inf"))
        made = git_pull(tmp_path / "repo", BASE_FILES, head_files)
        install(github, REPO, made, number=NUMBER, author=AUTHOR, **pull)
        for path, text in (default_branch or {}).items():
            github.set_file(REPO, "main", path, text)
        server = FakeGitHubServer(github).__enter__()
        servers.append(server)
        return Job(tmp_path, github, server, made)

    yield make
    for server in servers:
        server.__exit__(None, None, None)


@functools.cache
def sarif_validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(SCHEMA)
    return cls(SCHEMA, format_checker=cls.FORMAT_CHECKER)


def assert_valid_sarif(log: dict) -> None:
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


# --- pull_request: one review, like the App's --------------------------------------------------


def test_opened_posts_one_review_with_inline_comments_and_reports_it(make_job, capsys) -> None:
    job = make_job()
    run = job.run(capsys, "pull_request", pr_event("opened", job.pull.head))

    [review] = job.reviews()
    assert review["user"]["login"] == BOT and review["commit_id"] == job.pull.head and review["event"] == "COMMENT"
    assert review["body"].startswith("### reviewbot") and "**3 findings**" in review["body"]
    assert "Reply **why?**" in review["body"] and "@github-actions" not in review["body"]  # no App commands
    inline = job.fake_pull.review_comments
    assert sorted(c["line"] for c in inline) == [8, 14, 15]
    assert all(parse_marker(c["body"])["fp"] for c in inline)  # the hidden marker the App puts on each comment
    assert len(job.posts()) == 1

    error = next(line for line in run.commands("error"))
    assert error.startswith("::error file=app.py,line=15,title=Undefined name") and "Why (" in error
    assert [c.split(",")[1] for c in run.commands("warning")] == ["line=8"]
    assert [c.split(",")[1] for c in run.commands("notice") if "file=" in c] == ["line=14"]
    assert any("No OpenAI API key: reviewing with the built-in reviewer" in c for c in run.commands("notice"))
    assert "reviewbot: posted a review with 3 inline comments" in run.stdout

    link = f"https://github.com/{REPO}/pull/{NUMBER}#pullrequestreview-{review['id']}"
    assert f"posted a review with 3 inline comments ([review]({link}))" in run.summary
    assert "## reviewbot: 1 error, 1 warning, 1 info" in run.summary and "No OpenAI API key" in run.summary
    assert run.outputs == {"findings": "3", "errors": "1", "warnings": "1", "posted": "true"}
    assert_valid_sarif(run.sarif)
    assert sorted(r["ruleId"] for r in run.sarif["runs"][0]["results"]) == ["ruff/B006", "ruff/E711", "ruff/F821"]
    assert run.code == 1  # an error, and fail-on defaults to error


@pytest.mark.parametrize(
    ("files", "fail_on", "expected"),
    [
        (HEAD_FILES, "", 1),
        (HEAD_FILES, "never", 0),
        (WARNING_ONLY, "", 0),
        (WARNING_ONLY, "error", 0),
        (WARNING_ONLY, "warning", 1),
        (WARNING_ONLY, "info", 1),
        (BASE_FILES | {"README.md": "Hello\n"}, "info", 0),
    ],
)
def test_the_exit_code_follows_fail_on(make_job, capsys, files, fail_on, expected) -> None:
    job = make_job(files)
    run = job.run(capsys, "pull_request", pr_event("opened", job.pull.head), REVIEWBOT_FAIL_ON=fail_on)
    assert run.code == expected
    assert len(job.reviews()) == 1  # posted whatever the exit code


def test_fail_on_comes_from_the_settings_file_unless_the_input_sets_it(make_job, capsys) -> None:
    job = make_job(default_branch={".reviewbot.toml": 'fail-on = "never"\n'})
    assert job.run(capsys, "pull_request", pr_event("opened", job.pull.head)).code == 0
    assert job.run(capsys, "pull_request", pr_event("reopened", job.pull.head), REVIEWBOT_FAIL_ON="error").code == 1


def test_the_config_input_names_the_settings_file_on_the_default_branch(make_job, capsys) -> None:
    settings = 'ignore = ["app.py"]\n'
    job = make_job(default_branch={".github/reviewbot.toml": settings, ".reviewbot.toml": 'fail-on = "info"\n'})
    run = job.run(capsys, "pull_request", pr_event("opened", job.pull.head), REVIEWBOT_CONFIG=".github/reviewbot.toml")
    assert run.code == 0 and run.outputs["findings"] == "0"
    assert "**No findings**" in job.reviews()[0]["body"]
    assert not job.github.calls("GET", r"/contents/\.reviewbot\.toml")  # only the named file is read


def test_synchronize_reviews_only_the_new_changes_and_a_rerun_posts_nothing_twice(make_job, capsys) -> None:
    job = make_job(WARNING_ONLY)
    first = job.pull.head
    assert job.run(capsys, "pull_request", pr_event("opened", first)).code == 0
    head = job.push({"util.py": "def ratio(a, b):\n    return a / bb\n"})  # F821: error

    run = job.run(capsys, "pull_request", pr_event("synchronize", head))
    assert run.code == 1
    second = job.reviews()[-1]
    assert len(job.reviews()) == 2 and second["commit_id"] == head
    assert f"Reviewed only the changes since {first[:7]}" in second["body"]
    assert [c["path"] for c in job.fake_pull.review_comments][-1:] == ["util.py"]
    assert job.github.calls("GET", rf"/compare/{first}\.\.\.{head}")

    rerun = job.run(capsys, "pull_request", pr_event("synchronize", head))
    assert len(job.reviews()) == 2 and len(job.fake_pull.review_comments) == 2  # nothing posted twice
    assert "no review posted: no new findings" in rerun.stdout
    assert rerun.code == run.code == 1 and rerun.outputs["errors"] == "1"  # the same verdict as the first run


def test_a_stale_run_and_a_draft_post_nothing(make_job, capsys) -> None:
    job = make_job(draft=True)
    draft = job.run(capsys, "pull_request", pr_event("opened", job.pull.head, draft=True))
    assert draft.code == 0 and "no review posted: draft pull request" in draft.stdout and not job.posts()
    stale = job.run(capsys, "pull_request", pr_event("synchronize", "0" * 40))
    assert stale.code == 0 and "newer push" in stale.stdout and not job.posts()
    assert stale.outputs["posted"] == "false"
    assert_valid_sarif(stale.sarif)  # an upload step after it still finds a valid file


# --- when the token may not write -----------------------------------------------------------


def test_a_fork_is_reviewed_and_reported_without_posting(make_job, capsys) -> None:
    job = make_job()
    run = job.run(capsys, "pull_request", pr_event("opened", job.pull.head, fork="mallory/Hello-World"))

    assert not job.posts() and not job.reviews()  # not even tried
    [warning] = [c for c in run.commands("warning") if "did not post" in c]
    assert warning.startswith("::warning title=reviewbot did not post a review::This pull request comes from "
                              "mallory/Hello-World")
    assert "read-only token and no secrets" in warning
    assert "gives its workflows no secrets, so there is no OpenAI API key" in run.stdout
    assert len(run.commands("error")) == 1 and "file=app.py,line=15" in run.commands("error")[0]
    assert "> **No review was posted.** This pull request comes from mallory/Hello-World" in run.summary
    assert "as annotations on the changed lines and in this job's summary, and in reviewbot.sarif" in run.summary
    assert "## reviewbot: 1 error, 1 warning, 1 info" in run.summary
    assert run.outputs["posted"] == "false" and run.outputs["findings"] == "3"
    assert_valid_sarif(run.sarif) and len(run.sarif["runs"][0]["results"]) == 3
    assert run.code == 1


def test_a_403_on_posting_falls_back_to_the_report_and_says_why(make_job, capsys) -> None:
    job = make_job()
    job.github.fail("POST", rf"/repos/{REPO}/pulls/{NUMBER}/reviews$", 403, {
        "message": "Resource not accessible by integration",
        "documentation_url": "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request",
        "status": "403",
    })
    run = job.run(capsys, "pull_request", pr_event("opened", job.pull.head))

    assert len(job.posts()) == 1 and not job.reviews()  # tried once, refused, not retried
    [warning] = [c for c in run.commands("warning") if "did not post" in c]
    assert "Resource not accessible by integration" in warning and "pull-requests: write" in warning
    assert "> **No review was posted.** GitHub refused it" in run.summary
    assert run.commands("error") and run.outputs["posted"] == "false"
    assert_valid_sarif(run.sarif)
    assert run.code == 1  # fail-on still decides


# --- a model, when the workflow has a key ----------------------------------------------------


class FakeOpenAI:
    """An OpenAI-compatible chat endpoint on 127.0.0.1 answering one canned review."""

    def __init__(self, answer: dict) -> None:
        body = json.dumps({
            "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-5-mini",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": json.dumps(answer)}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        }).encode()
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                outer.requests.append(json.loads(self.rfile.read(int(self.headers["content-length"]))))
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def test_with_an_api_key_the_model_reviews(make_job, capsys) -> None:
    job = make_job(WARNING_ONLY)
    llm = FakeOpenAI({"comments": [], "notes": []})
    try:
        run = job.run(capsys, "pull_request", pr_event("opened", job.pull.head),
                      OPENAI_API_KEY="sk-test-0123456789abcdef", OPENAI_BASE_URL=llm.url)
    finally:
        llm.close()
    assert llm.requests and llm.requests[0]["model"] == "gpt-5-mini"
    assert "No OpenAI API key" not in run.stdout + run.summary
    assert "with `llm:gpt-5-mini`" in job.reviews()[0]["body"]
    assert "sk-test-0123456789abcdef" not in run.stdout + run.summary


# --- pull_request_review_comment: why-threads -------------------------------------------------


def test_a_why_in_a_thread_is_answered_one_layer_deeper(make_job, capsys) -> None:
    job = make_job(WARNING_ONLY)
    job.run(capsys, "pull_request", pr_event("opened", job.pull.head))
    root = job.fake_pull.review_comments[0]
    before = parse_marker(root["body"])["principle"]

    run = job.run(capsys, "pull_request_review_comment", reply_event(job, root["id"], "why?"))

    replies = [c for c in job.fake_pull.review_comments if c.get("in_reply_to_id") == root["id"]]
    assert [c["user"]["login"] for c in replies] == [AUTHOR, BOT]
    marker = parse_marker(replies[-1]["body"])
    assert marker["principle"] != before and marker["depth"] == "1"
    assert run.code == 0 and "reviewbot: replied in the thread (why)" in run.stdout
    assert "answering from the principle graph" in run.stdout  # no key: said so
    assert run.outputs["posted"] == "true" and run.sarif is None  # SARIF belongs to reviews


def test_a_statement_in_a_thread_gets_a_verdict_in_the_action(make_job, capsys) -> None:
    job = make_job(WARNING_ONLY)
    job.run(capsys, "pull_request", pr_event("opened", job.pull.head))
    root = job.fake_pull.review_comments[0]
    principle = parse_marker(root["body"])["principle"]

    run = job.run(capsys, "pull_request_review_comment", reply_event(job, root["id"], "I think bananas are yellow"))

    replies = [c for c in job.fake_pull.review_comments if c.get("in_reply_to_id") == root["id"]]
    assert replies[-1]["body"].startswith("**I can't tell**")  # honest, and about the code's principle
    assert parse_marker(replies[-1]["body"])["principle"] == principle
    assert run.code == 0 and "reviewbot: replied in the thread (check)" in run.stdout


def test_a_right_check_in_a_thread_fades_later_comments_in_the_same_pull_request(make_job, capsys) -> None:
    job = make_job(WARNING_ONLY)
    job.run(capsys, "pull_request", pr_event("opened", job.pull.head))
    root = job.fake_pull.review_comments[0]
    assert parse_marker(root["body"])["principle"] == "no-shared-mutable-defaults"
    assert "Reply `why?` for the full explanation" not in root["body"]
    statement = "check: the default list is evaluated once when def runs, so every call that leaves out into gets the same list"
    job.run(capsys, "pull_request_review_comment", reply_event(job, root["id"], statement))
    assert job.fake_pull.review_comments[-1]["body"].startswith("**Correct**")

    head = job.push({"util.py": "def gather(item, bag=[]):\n    bag.append(item)\n    return bag\n"})
    job.run(capsys, "pull_request", pr_event("synchronize", head))

    later = [c for c in job.fake_pull.review_comments if c["path"] == "util.py" and not c.get("in_reply_to_id")]
    assert len(later) == 1 and parse_marker(later[0]["body"])["principle"] == "no-shared-mutable-defaults"
    assert "Reply `why?` for the full explanation" in later[0]["body"]  # cut to one line: the check showed it
    assert len(later[0]["body"]) < len(root["body"])


def test_a_got_it_from_someone_else_fades_nothing_for_the_author(make_job, capsys) -> None:
    job = make_job(WARNING_ONLY)
    job.run(capsys, "pull_request", pr_event("opened", job.pull.head))
    root = job.fake_pull.review_comments[0]
    _, comment = job.github.reply(job.github.repos[REPO], job.fake_pull, root["id"], "got it", "https://api.github.com")
    comment["user"] = job.github.user("someone-else")

    head = job.push({"util.py": "def gather(item, bag=[]):\n    bag.append(item)\n    return bag\n"})
    job.run(capsys, "pull_request", pr_event("synchronize", head))

    later = [c for c in job.fake_pull.review_comments if c["path"] == "util.py" and not c.get("in_reply_to_id")]
    assert len(later) == 1 and "Reply `why?` for the full explanation" not in later[0]["body"]


def test_no_reply_is_posted_on_a_fork_and_the_reason_is_given(make_job, capsys) -> None:
    job = make_job(WARNING_ONLY)
    job.run(capsys, "pull_request", pr_event("opened", job.pull.head))
    root = job.fake_pull.review_comments[0]
    posts = len(job.posts())
    run = job.run(capsys, "pull_request_review_comment",
                  reply_event(job, root["id"], "why?", fork="mallory/Hello-World"))
    assert len(job.posts()) == posts and run.code == 0
    assert "cannot reply in its threads" in run.stdout and "reviewbot why PRINCIPLE" in run.summary
    assert run.outputs["posted"] == "false"


def test_a_comment_that_is_not_a_thread_reply_needs_nothing(make_job, capsys) -> None:
    job = make_job()
    payload = example("pull_request_review_comment", "created")  # a new comment, not a reply
    run = job.run(capsys, "pull_request_review_comment", payload, GITHUB_TOKEN="")
    assert run.code == 0 and "not a person's reply in a review thread" in run.stdout
    assert not job.github.requests


# --- a workflow set up wrongly: one line, exit 2 ----------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"GITHUB_EVENT_PATH": ""}, "GITHUB_EVENT_PATH is not set: `reviewbot action` runs inside a GitHub Actions job"),
        ({"GITHUB_EVENT_NAME": ""}, "GITHUB_EVENT_NAME is not set"),
        ({"GITHUB_EVENT_PATH": "/nonexistent/event.json"}, "GITHUB_EVENT_PATH /nonexistent/event.json: cannot read"),
        ({"GITHUB_TOKEN": ""}, "GITHUB_TOKEN is not set: pass the github-token input"),
        ({"REVIEWBOT_FAIL_ON": "sometimes"}, "fail-on must be one of error, warning, info, never"),
        ({"GITHUB_API_URL": "api.github.com"}, "GITHUB_API_URL must be an http(s) URL"),
        ({"GITHUB_EVENT_NAME": "pull_request_target"}, "reviewbot does not run on pull_request_target"),
        ({"REVIEWBOT_CONFIG": ".github/missing.toml"}, "config: .github/missing.toml is not on the default branch"),
        ({"REVIEWBOT_CONFIG": "../outside.toml"}, "config: give a path inside the repository"),
        ({"GITHUB_TOKEN": "ghs_revoked"}, "GitHub answered 401 to file .reviewbot.toml in Codertocat/Hello-World: Bad"),
    ],
)
def test_a_bad_environment_is_one_error_line_and_exit_2(make_job, capsys, change, message) -> None:
    job = make_job()
    run = job.run(capsys, "pull_request", pr_event("opened", job.pull.head), **change)
    assert run.code == 2
    assert run.stdout.splitlines() == [run.stdout.rstrip("\n")], run.stdout  # exactly one line
    assert run.stdout.startswith("::error title=reviewbot::") and message in run.stdout
    assert "Traceback" not in run.stderr and not job.posts()
    assert run.summary.startswith("**reviewbot could not run:**")


def test_an_unreadable_event_is_one_error_line(make_job, capsys, tmp_path: Path) -> None:
    job = make_job()
    env = job.env("pull_request", {})
    Path(env["GITHUB_EVENT_PATH"]).write_text("{not json", encoding="utf-8")
    code = main(["action"], env)
    out = capsys.readouterr().out
    assert code == 2 and out.startswith("::error title=reviewbot::GITHUB_EVENT_PATH") and "is not JSON" in out
    assert len(out.splitlines()) == 1


def test_a_bug_is_annotated_and_exits_3_without_a_traceback(make_job, capsys, monkeypatch) -> None:
    from reviewbot.app import reviewing

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(reviewing, "prepare", broken)
    job = make_job()
    run = job.run(capsys, "pull_request", pr_event("opened", job.pull.head))
    assert run.code == 3
    assert run.stdout.startswith("::error title=reviewbot::internal error: RuntimeError; please report it")
    assert run.stderr.startswith("reviewbot: internal error: RuntimeError: boom") and "Traceback" not in run.stderr


@pytest.mark.parametrize(("event", "action"), [("push", None), ("pull_request", "closed"), ("pull_request", "labeled"),
                                               ("pull_request_review_comment", "edited")])
def test_other_events_are_nothing_to_do(make_job, capsys, event: str, action: str | None) -> None:
    job = make_job()
    payload = example(event, action) if event != "push" else example("push")
    run = job.run(capsys, event, payload)
    assert run.code == 0 and run.stdout.startswith("reviewbot: nothing to do for")
    assert not job.github.requests


# --- the real command in a real process ---------------------------------------------------------


def test_reviewbot_action_in_a_subprocess(make_job) -> None:
    job = make_job()
    env = job.env("pull_request", pr_event("synchronize", job.pull.head))
    command = shutil.which("reviewbot", path=str(Path(sys.executable).parent))  # what action.yml runs
    assert command, "the reviewbot console script is not installed next to this Python"
    done = subprocess.run(
        [command, "action"], env={**os.environ, **env}, check=False, capture_output=True, text=True, timeout=120, cwd=job.tmp,
    )
    run = job.collect(env, done.returncode, done.stdout, done.stderr)
    assert run.code == 1, done.stdout + done.stderr
    assert len(job.reviews()) == 1 and len(job.fake_pull.review_comments) == 3
    assert re.search(r"^::error file=app\.py,line=15,", run.stdout, re.MULTILINE)
    assert "posted a review with 3 inline comments" in run.summary and run.outputs["posted"] == "true"
    assert_valid_sarif(run.sarif)
