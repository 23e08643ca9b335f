"""Shared fixtures and fakes for the whole suite.

Each section below is owned by the module family it serves; add new shared
fakes here rather than re-inventing them per test file.
"""

from __future__ import annotations

import os
from typing import ClassVar

import pytest


@pytest.fixture(autouse=True)
def _no_ambient_llm_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never inherit a developer's LLM or GitHub credentials.

    The CLI reads the environment at its edge; a real OPENAI_API_KEY in the
    shell must not turn an offline test into a network call.
    """
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "REVIEWBOT_", "GITHUB_", "AZURE_OPENAI")):
            monkeypatch.delenv(name, raising=False)


# --- rendering (CLI engineer): one review exercising every field a renderer shows ---


@pytest.fixture
def sample_review():
    """A Review with every severity, a multi-line range, a suggestion, skipped files and notes.

    Texts carry characters each format must escape: `%`, `,`, `:`, newlines and HTML.
    """
    from reviewbot.models import Comment, Coverage, PrincipleRef, Review, Severity, Skipped, Usage

    mutable = PrincipleRef("shared-state", "Shared mutable state surprises", "A default is built once; every call shares it.")
    injection = PrincipleRef("code-data-separation", "Keep code and data apart", "Text that becomes code lets input run as code.")
    comments = (
        Comment(
            "app/db.py", 12, Severity.ERROR, "SQL built from an f-string",
            "The query mixes user input into SQL text: 100% injectable, e.g. name = \"x' OR 1=1\".\n"
            "Pass parameters to `cursor.execute(sql, params)` instead of <formatting>.",
            injection, "ruff:S608", end_line=14, category="security",
        ),
        Comment(
            "app/models.py", 3, Severity.WARNING, "Mutable default argument",
            "`items=[]` is created once, at definition time.", mutable, "ruff:B006",
            suggestion="def add(item, items=None):\n    items = [] if items is None else items",
        ),
        Comment("app/models.py", 9, Severity.INFO, "Leftover TODO", "Track it in an issue instead.",
                PrincipleRef("visible-work", "Make work visible", "Notes in code are not a plan."), "diff:todo-comment"),
    )
    return Review(
        comments=comments,
        skipped=(Skipped("assets/logo.png", "binary file"), Skipped("old.py", "deleted")),
        notes=("Reviewed with the built-in analyzers only.",),
        reviewer="builtin",
        files_reviewed=3,
        usage=Usage(),
        coverage=(
            Coverage("app/db.py", ("ruff", "secrets", "diff")),
            Coverage("app/models.py", ("ruff", "secrets", "diff")),
            Coverage("assets/logo.png", ("diff",)),
            Coverage("old.py", ()),
        ),
        pre_existing=2,
    )


# --- server: real redis-server and PostgreSQL (tests/services.py) -------------
# Started once per test process on free loopback ports; a missing binary is an
# error naming the Debian package, never a skip.


@pytest.fixture(scope="session")
def redis_server():
    from services import redis_server as start

    with start() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_server():
    from services import postgres_server as start

    with start() as server:
        yield server


@pytest.fixture
def redis_url(redis_server) -> str:
    """A Redis URL whose database is emptied before the test."""
    import redis

    redis.Redis.from_url(redis_server.url).flushdb()
    return redis_server.url


@pytest.fixture
def postgres_url(postgres_server, request: pytest.FixtureRequest) -> str:
    """The URL of a new, empty PostgreSQL database for this test."""
    import re
    import uuid

    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:8]
    return postgres_server.create_database(name)


# --- LLM reviewer (reviewbot/llm): a model that answers from a queue, and real git diffs ---


class FakeChatModel:
    """A `ChatModel` that answers from a queue of canned replies and records every request.

    A reply is a string (the answer text), a `Completion`, an exception to
    raise, or a callable `messages -> reply` for answers that depend on the
    request (useful when chunks run concurrently and arrive in any order).
    With an empty queue it answers `{"comments": [], "notes": []}`.
    """

    def __init__(self, *replies: object, name: str = "fake-model", mode: str = "json_schema") -> None:
        import threading
        from collections import deque

        self.name, self.mode = name, mode
        self.replies = deque(replies)
        self.requests: list[tuple[list[dict], dict | None]] = []
        self._lock = threading.Lock()

    def complete(self, messages: list[dict], schema: dict | None):
        from reviewbot.llm.model import Completion
        from reviewbot.models import Usage

        with self._lock:
            self.requests.append((messages, schema))
            reply = self.replies.popleft() if self.replies else '{"comments": [], "notes": []}'
        if callable(reply) and not isinstance(reply, type):
            reply = reply(messages)
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, str):
            return Completion(text=reply, mode=self.mode, usage=Usage(1, 1000, 100, 800))
        return reply


@pytest.fixture
def fake_model() -> FakeChatModel:
    return FakeChatModel()


@pytest.fixture
def git_diff(tmp_path):
    """`make(before, after) -> (diff text, post-change contents)` from a real git repository.

    `before`/`after` map paths to text (or bytes); None in `after` deletes the file.
    """
    import subprocess

    def git(repo, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout

    def write(repo, files) -> None:
        for path, text in files.items():
            target = repo / path
            if text is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text if isinstance(text, bytes) else text.encode())

    def make(before: dict, after: dict) -> tuple[str, dict[str, str]]:
        repo = tmp_path / f"repo{len(list(tmp_path.glob('repo*')))}"
        repo.mkdir()
        for args in (("init", "-q"), ("config", "user.email", "dev@example.com"), ("config", "user.name", "Dev")):
            git(repo, *args)
        write(repo, before)
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "before", "--allow-empty")
        write(repo, after)
        git(repo, "add", "-A")
        diff = git(repo, "diff", "--cached", "-M", "--no-color")
        return diff, {path: text for path, text in after.items() if isinstance(text, str)}

    return make


# --- principles for CLI and renderer tests (CLI engineer): a tiny graph, three layers deep ---

TINY_PRINCIPLES = {
    "bedrock.toml": """
[limited-working-memory]
name = "Limited working memory"
statement = "People hold only a few things in mind at once."
why = "Short-term memory holds about four chunks; everything else must be looked up."
eli12 = "Your brain can juggle only a few balls at a time."
references = ["https://example.org/memory"]
""",
    "design.toml": """
[local-reasoning]
name = "Local reasoning"
statement = "Code should be understandable from what is in front of you."
why = "When behaviour depends on distant state, readers must hold more than they can."
eli12 = "You should not need to read the whole book to understand one page."
because = ["limited-working-memory"]
references = ["https://example.org/local"]

[no-shared-mutable-defaults]
name = "No shared mutable defaults"
statement = "A default value must not be a mutable object shared across calls."
why = "Python builds the default once; every call that mutates it changes it for the next call."
eli12 = "If everyone shares one lunchbox, what you put in is there for the next kid."
because = ["local-reasoning"]
references = ["https://example.org/defaults"]
""",
}
TINY_RULES = {
    "ruff.rules.toml": '[B006]\nprinciple = "no-shared-mutable-defaults"\nseverity = "warning"\n'
    'title = "Mutable default argument"\nfix = "Default to `None`."\nwhy_here = "The default is shared."\n'
}


@pytest.fixture
def tiny_graph():
    from reviewbot.principles import build_graph

    return build_graph(TINY_PRINCIPLES, TINY_RULES)


# --- diff model: real git repositories to produce diffs from ---


class GitRepo:
    """A throwaway git repository for producing real `git diff` (and other git) output.

    Isolated from the machine's git configuration (no system or global config,
    fixed identity, dates and branch name), so its output is the same everywhere.

        repo = git_repo                                  # the fixture: an empty repository
        repo.write("src/app.py", "print(1)\\n")           # str is written as UTF-8, byte for byte
        repo.commit("initial")                           # `git add -A` + `git commit`; returns the sha
        repo.write("src/app.py", "print(2)\\n")
        text = repo.diff("HEAD")                         # `git diff --no-color HEAD` as str
        raw = repo.diff("--cached", "-M", raw=True)      # any `git diff` options; bytes with raw=True
        repo.move("a.py", "pkg/b.py")                    # `git mv`, creating directories
        repo.git("log", "--oneline")                     # any git command; returns stdout
        other = GitRepo.init(tmp_path / "second")        # more repositories: type(git_repo).init(path)

    Text output is decoded as UTF-8 with surrogateescape, so non-UTF-8 bytes survive.
    A failing git command raises AssertionError carrying git's stderr.
    """

    ENV: ClassVar[dict[str, str]] = {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.com",
        "GIT_AUTHOR_DATE": "2024-01-02T03:04:05+00:00",
        "GIT_COMMITTER_DATE": "2024-01-02T03:04:05+00:00",
        "GIT_TERMINAL_PROMPT": "0",
        "LC_ALL": "C",
        "TZ": "UTC",
    }

    def __init__(self, path) -> None:
        self.path = path

    @classmethod
    def init(cls, path) -> GitRepo:
        path.mkdir(parents=True, exist_ok=True)
        repo = cls(path)
        repo.git("init", "-q", "-b", "main")
        return repo

    def git_bytes(self, *args: str, input: bytes | None = None) -> bytes:
        import subprocess

        env = {**os.environ, **self.ENV, "HOME": str(self.path)}
        done = subprocess.run(["git", *args], check=False, cwd=self.path, env=env, input=input, capture_output=True)
        if done.returncode != 0:
            stderr = done.stderr.decode("utf-8", "replace").strip()
            raise AssertionError(f"git {' '.join(args)} failed ({done.returncode}): {stderr}")
        return done.stdout

    def git(self, *args: str, input: bytes | None = None) -> str:
        return self.git_bytes(*args, input=input).decode("utf-8", "surrogateescape")

    def write(self, path: str | bytes, content: str | bytes, executable: bool = False):
        """Write a file (creating directories); bytes paths allow non-UTF-8 file names."""
        target = self._file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8", "surrogateescape") if isinstance(content, str) else content)
        self.chmod(path, executable)
        return target

    def chmod(self, path: str | bytes, executable: bool) -> None:
        os.chmod(self._file(path), 0o755 if executable else 0o644)

    def delete(self, path: str | bytes) -> None:
        self._file(path).unlink()

    def move(self, source: str, target: str) -> None:
        """`git mv` (the target's directory is created first)."""
        self._file(target).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", source, target)

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def diff(self, *args: str, raw: bool = False) -> str | bytes:
        out = self.git_bytes("diff", "--no-color", "--no-ext-diff", *args)
        return out if raw else out.decode("utf-8", "surrogateescape")

    def _file(self, path: str | bytes):
        from pathlib import Path

        return self.path / (Path(os.fsdecode(path)) if isinstance(path, bytes) else Path(path))


@pytest.fixture
def git_repo(tmp_path) -> GitRepo:
    """An empty, isolated git repository in tmp_path/"repo" (see GitRepo)."""
    return GitRepo.init(tmp_path / "repo")
