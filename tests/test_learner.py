"""The learner map, its text and JSON forms, `reviewbot learner`, and tailoring later reviews."""

from __future__ import annotations

import argparse
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from threads_support import tiny_graph

from reviewbot.errors import ConfigError
from reviewbot.learner.args import add_learner_parser
from reviewbot.learner.cli import run_learner
from reviewbot.learner.local import (
    host_key,
    local_login,
    local_profile_path,
    open_learner_store,
)
from reviewbot.learner.profile import (
    ProfileView,
    Progress,
    Status,
    build_map,
    profile_view,
)
from reviewbot.learner.render import render_json, render_text
from reviewbot.learner.tailor import (
    MAX_ONE_LINE,
    one_line,
    shorten_understood,
    tailor_review,
)
from reviewbot.models import Comment, PrincipleRef, Review, Severity

DAY = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
ROWS = (
    Progress("aliasing", times_shown=2, deepest=1, first_shown=DAY, last_shown=DAY, understood_at=DAY),
    Progress("mutable-default", times_shown=3, deepest=2, first_shown=DAY, last_shown=DAY),
)


def test_the_map_groups_every_principle_by_the_bedrock_of_its_primary_chain() -> None:
    learner = build_map(tiny_graph(), "github.com", "octocat", ROWS)
    groups = {g.bedrock: [e.id for e in g.entries] for g in learner.groups}
    assert groups == {
        "definition-time": ["definition-time", "evaluation-time", "mutable-default"],
        "identity": ["identity", "aliasing", "convergent", "shared-state"],
    }
    assert learner.counts() == {"understood": 1, "in-progress": 1, "never-met": 5}
    status = {e.id: e.status for e in learner.entries()}
    assert status["aliasing"] is Status.UNDERSTOOD and status["identity"] is Status.NEVER_MET


def test_the_profile_view_holds_understood_and_depths() -> None:
    view = profile_view(ROWS)
    assert view.understood == frozenset({"aliasing"})
    assert dict(view.deepest) == {"aliasing": 1, "mutable-default": 2}


def test_text_rendering() -> None:
    text = render_text(build_map(tiny_graph(), "github.com", "octocat", ROWS))
    assert text.startswith("octocat (github.com): 1 understood, 1 in progress, 5 never met\n")
    assert "Bedrock: Identity (identity)\n  [ ] identity         Identity\n  [x] aliasing         Aliasing  (understood 2026-03-01)" in text
    assert "  [~] mutable-default  Mutable default  (shown 3x, 2 layer(s) deep, last 2026-03-01)" in text


def test_json_rendering() -> None:
    data = json.loads(render_json(build_map(tiny_graph(), "github.com", "octocat", ROWS)))
    assert (data["host"], data["login"], data["counts"]["understood"]) == ("github.com", "octocat", 1)
    entry = next(e for g in data["groups"] for e in g["principles"] if e["id"] == "mutable-default")
    assert entry == {"id": "mutable-default", "name": "Mutable default", "bedrock": False, "status": "in-progress",
                     "times_shown": 3, "deepest": 2, "first_shown": DAY.isoformat(), "last_shown": DAY.isoformat(),
                     "understood_at": None,
                     "evidence": {"checks": 0, "probes_right": 0, "probes_wrong": 0, "violations": 0,
                                  "violations_since_understood": 0, "self_reported": False, "passed": False}}


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_learner_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["learner", *argv])


def test_learner_command_reads_the_local_profile(tmp_path: Path) -> None:
    env = {"REVIEWBOT_DATA_DIR": str(tmp_path)}
    store = open_learner_store(f"sqlite:///{local_profile_path(env)}")
    store.shown("local", "ada", [("mutable-default", 1)])
    store.understood("local", "ada", ["identity"])
    out = io.StringIO()
    assert run_learner(_args("ada", "--format", "json"), env, out, graph=tiny_graph()) == 0
    data = json.loads(out.getvalue())
    assert (data["host"], data["counts"]) == ("local", {"understood": 1, "in-progress": 1, "never-met": 5})


def test_learner_command_does_not_create_a_missing_profile(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    out = io.StringIO()
    run_learner(_args("ada"), env, out, graph=tiny_graph())
    assert "0 understood, 0 in progress, 7 never met" in out.getvalue()
    assert not (tmp_path / "xdg").exists()


def test_learner_command_reads_the_apps_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    open_learner_store(url).understood("ghe.example.com", "octocat", ["aliasing"])
    env = {"REVIEWBOT_DATABASE_URL": url, "GITHUB_API_URL": "https://ghe.example.com/api/v3"}
    out = io.StringIO()
    run_learner(_args("octocat"), env, out, graph=tiny_graph())
    assert out.getvalue().startswith("octocat (ghe.example.com): 1 understood")


def test_learner_command_explains_an_unmigrated_database(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the learner profile from the database .*no such table"):
        run_learner(_args("octocat", "--database", f"sqlite:///{tmp_path / 'empty.db'}"), {}, io.StringIO(),
                    graph=tiny_graph())


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"REVIEWBOT_DATA_DIR": "/data/rb", "XDG_DATA_HOME": "/x"}, "/data/rb/profile.sqlite3"),
        ({"XDG_DATA_HOME": "/x", "HOME": "/home/ada"}, "/x/reviewbot/profile.sqlite3"),
        ({"HOME": "/home/ada"}, "/home/ada/.local/share/reviewbot/profile.sqlite3"),
    ],
)
def test_local_profile_path(env: dict[str, str], expected: str) -> None:
    assert local_profile_path(env) == Path(expected)


def test_local_login_and_host_key() -> None:
    assert local_login({"REVIEWBOT_LOGIN": "ada", "USER": "root"}) == "ada"
    assert local_login({"USER": "grace"}) == "grace"
    assert host_key("https://api.github.com") == "github.com"
    assert host_key("https://GHE.example.com/api/v3") == "ghe.example.com"


def _comment(pid: str, why: str) -> Comment:
    return Comment("a.py", 1, Severity.WARNING, "t", "b", PrincipleRef(pid, pid, why), "ruff:B006")


def test_understood_principles_get_a_one_line_why() -> None:
    review = Review((_comment("aliasing", "Two names, one object. Changing it through one name shows in the other."),
                     _comment("identity", "Objects have identity.")))
    shortened = shorten_understood(review, frozenset({"aliasing"}))
    assert shortened.comments[0].principle.why == (
        "Two names, one object. (Reply `why?` for the full explanation.)"
    )
    assert shortened.comments[1] == review.comments[1]


def test_one_line_is_bounded() -> None:
    assert len(one_line("word " * 100)) == MAX_ONE_LINE
    assert one_line("First line\nstill first. Second.") == "First line still first."


def test_tailoring_keeps_principles_in_progress_and_expands_new_ones() -> None:
    graph = tiny_graph()
    review = Review((_comment("aliasing", "A."), _comment("shared-state", "S."), _comment("identity", "I.")))
    view = ProfileView(frozenset(), {"aliasing": 0})
    kept, expanded, bedrock = tailor_review(review, graph, view).comments
    assert kept.principle.why == "A."
    assert expanded.principle.why == "S.\n\nThis rests on: Aliasing → Identity (bedrock). Reply `why?` to go through it layer by layer."
    assert bedrock.principle.why == "I."
