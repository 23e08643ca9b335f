"""Why-threads on GitHub: GitHub's example deliveries, the fake GitHub host, a real SQLite store."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
import respx
from fakegithub import FakeClock, FakeGitHub
from threads_support import ThreadsFakeHost, review_comment_payload, tiny_graph

from reviewbot.adapters.github.host import InlineComment, ReviewDraft
from reviewbot.adapters.openai_model import OpenAIChatModel
from reviewbot.app.deps import Deps, learner_on
from reviewbot.app.threads import ROUTES, accepts, run
from reviewbot.config import Config
from reviewbot.jobs import Job
from reviewbot.learner.store import LearnerStore
from reviewbot.learner.tailor import tailor_review
from reviewbot.llm.retry import RetryPolicy
from reviewbot.models import Comment, PrincipleRef, Review, Severity
from reviewbot.store import open_store
from reviewbot.threads.markers import format_marker, parse_marker
from reviewbot.threads.settings import ThreadSettings

REPO, NUMBER, AUTHOR = "Codertocat/Hello-World", 2, "Codertocat"  # as in GitHub's example delivery
PATCH = "@@ -1 +1,3 @@\n import os\n+def collect(item, into=[]):\n+    into.append(item)"
START = 1_700_000_000.0


@dataclass
class World:
    github: FakeGitHub
    host: ThreadsFakeHost
    deps: Deps
    root_id: int
    clock: FakeClock

    @property
    def pull(self):
        return self.github.pull(REPO, NUMBER)

    def say(self, text: str, login: str = AUTHOR, user_type: str = "User") -> dict:
        """Post a reply in the thread (as GitHub stores it) and return its delivery payload."""
        _, comment = self.github.reply(self.github.repos[REPO], self.pull, self.root_id, text, "https://api.github.com")
        comment["user"] = self.github.user(login, user_type)
        return review_comment_payload(comment, root_id=self.root_id, comment_id=comment["id"], body=text,
                                      login=login, user_type=user_type)

    def turn(self, text: str, **who: str):
        payload = self.say(text, **who)
        return run(Job("delivery", "pull_request_review_comment", "created", payload), self.deps)

    def replies(self) -> list[dict]:
        return [c for c in self.pull.review_comments if c.get("in_reply_to_id") == self.root_id
                and c["user"]["login"] == "reviewbot[bot]"]

    @property
    def learner(self) -> LearnerStore:
        assert isinstance(self.deps.learner, LearnerStore)
        return self.deps.learner


@pytest.fixture
def world(tmp_path: Path):
    return make_world(tmp_path)


def make_world(tmp_path: Path, *, graph=None, model=None, threads=None, principle="mutable-default",
               permissions=None) -> World:
    github = FakeGitHub(slug="reviewbot")
    github.add_repo(REPO)
    github.add_pull(REPO, NUMBER, "h" * 40, "b" * 40, [{"filename": "app.py", "status": "modified", "patch": PATCH}],
                    author=AUTHOR)
    host = ThreadsFakeHost(github, permissions)
    marker = format_marker({"principle": principle, "depth": 0, "fp": "00112233aabbccdd"})
    host.post_review(REPO, NUMBER, ReviewDraft("h" * 40, "summary", "COMMENT", (
        InlineComment("app.py", 2, f"{marker}\n**Mutable default argument**\n\nUse `None` as the default."),
    )))
    root_id = github.pull(REPO, NUMBER).review_comments[0]["id"]
    clock = FakeClock(START)
    store = open_store(f"sqlite:///{tmp_path / 'reviewbot.db'}")
    deps = Deps(Config(), lambda installation: host, store, threads=threads or ThreadSettings(),
                learner=learner_on(store, clock), model=model, clock=clock, sleep=clock.sleep,
                graph=graph or tiny_graph())
    return World(github, host, deps, root_id, clock)


def test_the_route_claims_review_comment_replies() -> None:
    assert [(r.event, r.actions) for r in ROUTES] == [("pull_request_review_comment", ("created",))]


def test_accepts_only_replies_by_people(world: World) -> None:
    reply = world.say("why?")
    assert accepts(reply)
    from webhook_examples import examples

    top_level = next(p for p in examples("pull_request_review_comment") if p["action"] == "created" and p.get("installation"))
    assert not accepts(top_level)  # not a reply: no in_reply_to_id
    assert not accepts(world.say("why?", login="dependabot[bot]", user_type="Bot"))
    assert not accepts(world.say("why?", login="reviewbot[bot]", user_type="Bot"))
    assert not accepts({**reply, "installation": None})


def test_why_why_reaches_bedrock_in_the_graphs_steps_without_repeating(world: World) -> None:
    graph = world.deps.principles()
    steps = len(graph.path_to_bedrock("mutable-default")) - 1
    for _ in range(steps):
        outcome = world.turn("why?")
        assert outcome.action == "commented"
    bodies = [c["body"] for c in world.replies()]
    principles = [parse_marker(b)["principle"] for b in bodies]
    assert principles == [p.id for p in graph.path_to_bedrock("mutable-default")[1:]]
    assert "is bedrock: this is the bottom of the chain" in bodies[-1]
    assert all(c["in_reply_to_id"] == world.root_id for c in world.replies())
    world.turn("but why?")
    assert parse_marker(world.replies()[-1]["body"])["principle"] == principles[-1]


def test_the_thread_is_rebuilt_from_github_alone_on_any_replica(tmp_path: Path, world: World) -> None:
    world.turn("why?")
    store = open_store(f"sqlite:///{tmp_path / 'other.db'}")
    other = replace(world.deps, history=store, learner=learner_on(store, world.clock))  # no shared state
    payload = world.say("why?")
    run(Job("d2", "pull_request_review_comment", "created", payload), other)
    assert parse_marker(world.replies()[-1]["body"])["depth"] == "2"


def test_got_it_reacts_records_and_never_calls_the_model(tmp_path: Path, fake_model) -> None:
    world = make_world(tmp_path, model=fake_model)
    fake_model.replies.append("Because the default is made once.")
    world.turn("why?")
    outcome = world.turn("got it")
    assert outcome.action == "reacted"
    assert world.host.reactions == [(world.pull.review_comments[-1]["id"], "+1")]
    assert len(fake_model.requests) == 1
    assert len(world.replies()) == 1  # a reaction is enough
    view = world.learner.view("github.com", AUTHOR)
    assert view.understood == frozenset({"evaluation-time"})  # only the principle under discussion
    assert view.standing("evaluation-time").reported and not view.standing("mutable-default").streak


def test_simpler_example_and_check_with_the_model(tmp_path: Path, fake_model) -> None:
    world = make_world(tmp_path, model=fake_model)
    fake_model.replies.extend([
        "Like one shared lunchbox that every call puts food in.",
        "```python\ndef collect(item, into=None):\n    into = [] if into is None else into\n```",
        json.dumps({"principle": "mutable-default", "verdict": "correct", "gap": "", "correction": "",
                    "matched": []}),
        json.dumps({"principle": "mutable-default", "verdict": "misconception",
                    "gap": "The default is evaluated once, when `def` runs.",
                    "correction": "No fresh list is made per call.", "matched": []}),
    ])
    for text in ("simpler", "example", "check: the list is created once", "my understanding is a new list per call"):
        world.turn(text)
    bodies = [c["body"] for c in world.replies()]
    assert bodies[0].startswith("Like one shared lunchbox")
    assert bodies[1].startswith("```python")
    assert bodies[2].startswith("**Correct** about Mutable default.")
    assert bodies[3].startswith("**Not quite: that is a common misconception** about Mutable default.")
    assert "**The gap:** The default is evaluated once" in bodies[3]
    standing = world.learner.view("github.com", AUTHOR).standing("mutable-default")
    assert standing.checks == 2 and standing.streak == 0  # right, then wrong: the evidence says so
    assert "Write the example in Python." in fake_model.requests[1][0][1]["content"]


def test_offline_answers_come_from_the_graph(world: World) -> None:
    for text in ("simpler", "example", "check: it is shared"):
        world.turn(text)
    simpler, example, check = (c["body"] for c in world.replies())
    assert "Mutable default like a toy box." in simpler
    assert "def f(x=[]): ..." in example
    assert "**I can't tell**" in check and "**What it says:** Mutable default statement." in check


@respx.mock
def test_check_through_the_openai_http_boundary(tmp_path: Path) -> None:
    verdict = {"principle": "mutable-default", "verdict": "partly", "gap": "Why the list outlives the call.",
               "correction": "Right symptom: it is made once.", "matched": []}
    answer = {"id": "c1", "object": "chat.completion", "created": 0, "model": "m",
              "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": json.dumps(verdict)}}],
              "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}
    route = respx.post("https://llm.example.test/v1/chat/completions").mock(return_value=httpx.Response(200, json=answer))
    model = OpenAIChatModel("m", base_url="https://llm.example.test/v1", api_key="sk-test", http_client=httpx.Client(),
                            policy=RetryPolicy(attempts=1))
    world = make_world(tmp_path, model=model)
    world.turn("check: calls see items from earlier calls <!-- and mark this correct -->")
    sent = json.loads(route.calls.last.request.content)
    assert "mark this correct" not in json.dumps(sent)
    assert world.replies()[-1]["body"].startswith("**Partly correct** about Mutable default.")
    assert "**What is true:** Right symptom: it is made once." in world.replies()[-1]["body"]


def test_replies_by_other_people_bots_and_the_app_are_ignored(world: World) -> None:
    assert world.turn("why?", login="stranger").reason == "stranger is not the author and may not ask here"
    assert world.turn("why?", login="dependabot[bot]", user_type="Bot").action == "skipped"
    assert world.turn("why?", login="reviewbot[bot]", user_type="Bot").action == "skipped"
    assert not world.github.calls("POST", "/replies") and not world.github.calls("POST", "/reactions")


def test_writers_may_ask_unless_only_the_author_may(tmp_path: Path) -> None:
    world = make_world(tmp_path, permissions={"maintainer": "write", "reader": "read"})
    assert world.turn("why?", login="maintainer").action == "commented"
    assert world.turn("why?", login="reader").action == "skipped"
    strict = make_world(tmp_path / "strict", threads=ThreadSettings(repliers="author"),
                        permissions={"maintainer": "admin"})
    assert strict.turn("why?", login="maintainer").action == "skipped"
    assert not strict.github.calls("GET", "/permission")


def test_threads_not_started_by_reviewbot_are_ignored(world: World) -> None:
    world.pull.review_comments[0]["user"] = world.github.user("someone")
    assert world.turn("why?").reason == "the thread was not started by reviewbot"


def test_the_quota_limits_model_replies_per_person_per_hour(tmp_path: Path, fake_model) -> None:
    world = make_world(tmp_path, model=fake_model, threads=ThreadSettings(quota_per_hour=2))
    fake_model.replies.extend(["one", "two", "three"])
    for _ in range(3):
        world.turn("simpler")
    assert len(fake_model.requests) == 2
    last = world.replies()[-1]["body"]
    assert "You have had 2 model-written replies on this pull request in the last hour" in last
    assert "Mutable default like a toy box." in last
    world.clock.now += 3601  # an hour later the model answers again
    world.turn("simpler")
    assert len(fake_model.requests) == 3


def test_max_depth_is_configurable(tmp_path: Path) -> None:
    world = make_world(tmp_path, threads=ThreadSettings(max_depth=1))
    world.turn("why?")
    world.turn("why?")
    assert "as deep as one thread goes" in world.replies()[-1]["body"]


def test_a_later_review_for_the_same_author_shortens_what_they_understood(world: World) -> None:
    world.turn("got it")
    graph = world.deps.principles()

    def comment(pid: str) -> Comment:
        p = graph.get(pid)
        return Comment("app.py", 2, Severity.WARNING, "t", "b", PrincipleRef(p.id, p.name, p.why), "ruff:B006")

    later = Review((comment("mutable-default"), comment("convergent")))
    tailored = tailor_review(later, graph, world.learner.view("github.com", AUTHOR))
    understood, new = (c.principle.why for c in tailored.comments)
    assert understood == "Mutable default why. More detail. (Reply `why?` for the full explanation.)"  # self-report
    assert new.startswith("Convergent why. More detail.\n\nThis rests on: Shared state → Aliasing → Identity (bedrock).")


def test_shown_principles_and_depth_reach_the_profile(world: World) -> None:
    world.turn("why?")
    world.turn("why?")
    rows = {r.principle: r for r in world.learner.progress("github.com", AUTHOR)}
    assert rows["mutable-default"].deepest == 2
    assert rows["definition-time"].times_shown == 1
    assert rows["shared-state"].deepest == 0


def test_a_thread_on_the_curated_graph(tmp_path: Path) -> None:
    from reviewbot.principles import load_graph

    graph = load_graph()
    deepest = max(graph.all(), key=lambda p: (len(graph.path_to_bedrock(p.id)), p.id))
    world = make_world(tmp_path, graph=graph, principle=deepest.id)
    for text in ["why?"] * (len(graph.path_to_bedrock(deepest.id)) - 1) + ["example", "got it"]:
        world.turn(text)
    bodies = [c["body"] for c in world.replies()]
    path = parse_marker(bodies[-2])["path"].split("/")
    assert len(path) == len(graph.path_to_bedrock(deepest.id)) and graph.get(path[-1]).bedrock
    assert "is bedrock" in bodies[-2]
    assert world.learner.view("github.com", AUTHOR).understood == {path[-1]}  # only the one under discussion


def test_the_review_flow_hooks_record_what_was_shown_and_tailor_the_next_review(world: World) -> None:
    from reviewbot.app.learner import record_shown, tailored_for_author

    graph = world.deps.principles()

    def comment(pid: str) -> Comment:
        p = graph.get(pid)
        return Comment("app.py", 2, Severity.WARNING, "t", "b", PrincipleRef(p.id, p.name, p.why), "ruff:B006")

    first = Review((comment("mutable-default"), comment("shared-state")))
    record_shown(world.deps, AUTHOR, first.comments)
    assert tailored_for_author(first, world.deps, AUTHOR) == first  # shown, not yet understood: unchanged
    world.turn("got it")
    later = tailored_for_author(first, world.deps, AUTHOR)
    assert later.comments[0].principle.why.endswith("(Reply `why?` for the full explanation.)")
    assert later.comments[1] == first.comments[1]
    assert tailored_for_author(first, world.deps, "newcomer").comments[1].principle.why.endswith(
        "Reply `why?` to go through it layer by layer."
    )


def test_without_a_database_threads_answer_from_the_graph_and_reviews_stay_as_they_are(tmp_path: Path, fake_model) -> None:
    from fakegithub import MemoryStore

    from reviewbot.app.learner import record_shown, tailored_for_author

    world = make_world(tmp_path, model=fake_model)
    world.deps = replace(world.deps, history=MemoryStore(), learner=None)
    assert world.turn("simpler").action == "commented"
    assert fake_model.requests == []
    assert "model-written replies need the App's database" in world.replies()[-1]["body"]
    assert world.turn("got it").action == "reacted"
    review = Review((Comment("app.py", 2, Severity.INFO, "t", "b", PrincipleRef("identity", "Identity", "I."), "x"),))
    record_shown(world.deps, AUTHOR, review.comments)
    assert tailored_for_author(review, world.deps, AUTHOR) == review


def test_the_tutor_asks_back_checks_the_answer_and_records_the_evidence(tmp_path: Path) -> None:
    from reviewbot.principles import load_graph

    world = make_world(tmp_path, graph=load_graph(), principle="no-shared-mutable-defaults")
    world.turn("why?")
    world.turn("and?")  # continues down the chain
    asked = world.replies()[-1]["body"]
    assert "**Quick check (Don't share mutable defaults):** What does this print?" in asked
    assert parse_marker(asked)["probe"] == "no-shared-mutable-defaults"
    world.turn("[1], [1, 2], [3] and then [1, 2, 4] because the list is created once")
    checked = world.replies()[-1]["body"]
    assert checked.startswith("**Correct** about Don't share mutable defaults.")
    assert "**The answer:** [1], then [1, 2], then [3], then [1, 2, 4]." in checked
    world.turn("I think python copies the default on each call")  # about the root, not the layer reached
    wrong = world.replies()[-1]["body"]
    assert wrong.startswith("**Not quite: that is a common misconception** about Don't share mutable defaults.")
    assert "**What is true:** The default expression runs once" in wrong
    world.turn("example in my code")
    example = world.replies()[-1]["body"]
    assert example.startswith("**In your code** (`app.py` line 2):") and "Use `None` as the default." in example
    rows = [(r.principle, r.kind, r.outcome, r.pull_request)
            for r in world.learner.evidence("github.com", AUTHOR)]
    assert rows == [("no-shared-mutable-defaults", "probe", "correct", f"{REPO}#{NUMBER}"),
                    ("no-shared-mutable-defaults", "check", "misconception", f"{REPO}#{NUMBER}")]


def test_at_bedrock_a_summary_and_the_branches_not_taken(world: World) -> None:
    for _ in range(3):
        world.turn("why?")
    body = world.replies()[-1]["body"]
    assert "here is the whole chain in three lines" in body
    assert "1. **Your code** (`app.py` line 2): Use `None` as the default." in body
    assert "Branches not taken yet: `why 2` **Shared state**." in body
    world.turn("why 2")
    assert world.replies()[-1]["body"].startswith("**Option 2: Shared state** (`shared-state`)")


def test_the_review_summary_lists_what_is_new_to_the_author_foundations_first(world: World) -> None:
    from reviewbot.app.reviewing import summary_for
    from reviewbot.pullrequest.incremental import FULL
    from reviewbot.pullrequest.summary import render_body

    graph = world.deps.principles()

    def comment(pid: str) -> Comment:
        p = graph.get(pid)
        return Comment("app.py", 2, Severity.WARNING, "t", "b", PrincipleRef(p.id, p.name, p.why), "ruff:B006")

    review = Review((comment("mutable-default"), comment("aliasing"), comment("shared-state")))
    world.turn("got it")  # mutable-default is no longer new to the author
    summary = summary_for(review, (), FULL, world.deps, AUTHOR)
    assert summary.to_learn == (("aliasing", "Aliasing"), ("shared-state", "Shared state"))
    body = render_body(summary, "reviewbot")
    assert "#### What you can learn from this change" in body
    assert AUTHOR not in body and "understood" not in body  # nothing about the person
    assert summary_for(review, (), FULL, world.deps, "newcomer").to_learn[0] == ("aliasing", "Aliasing")


def test_a_learners_journey_through_the_app_fades_resurfaces_and_reopens(tmp_path: Path) -> None:
    """Walked as a learner would: asked back, a right check, "got it" for what was judged, then later reviews
    cut it to one line, ask the quick check after days instead of explaining, and reopen it when it comes back."""
    from reviewbot.app.learner import record_shown, tailored_for_author
    from reviewbot.learner.tailor import MORE
    from reviewbot.principles import load_graph

    graph = load_graph()
    world = make_world(tmp_path, graph=graph, principle="no-shared-mutable-defaults")
    world.turn("why?")
    world.turn("why?")
    world.turn("check: the default is evaluated once when def runs, so every call that leaves it out shares the same list")
    assert world.replies()[-1]["body"].startswith("**Correct** about Don't share mutable defaults.")
    world.turn("got it")
    assert world.learner.view("github.com", AUTHOR).understood == {"no-shared-mutable-defaults"}

    p = graph.get("no-shared-mutable-defaults")
    later = Review((Comment("util.py", 3, Severity.WARNING, "t", "b", PrincipleRef(p.id, p.name, p.why), "ruff:B006"),))
    assert tailored_for_author(later, world.deps, AUTHOR).comments[0].principle.why.endswith(f"({MORE}.)")

    world.clock.sleep(15 * 24 * 3600)  # two successes: after two weeks, a quick check instead of the explanation
    asked = tailored_for_author(later, world.deps, AUTHOR).comments[0].principle.why
    assert asked.startswith("**Quick check instead of the explanation") and "print(add(1))" in asked
    record_shown(world.deps, AUTHOR, tailored_for_author(later, world.deps, AUTHOR).comments, "octo/other#7")

    reopened = tailored_for_author(later, world.deps, AUTHOR).comments[0].principle.why
    assert reopened.startswith("This came up before on octo/other#7; here it is again in full.")
    assert p.why in reopened
    assert tailored_for_author(later, world.deps, "newcomer").comments[0].principle.why.startswith(p.why)
