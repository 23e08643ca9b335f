"""Which findings comment on their line and which are listed: a rule comments once it is certain or has
earned it on real code (reviewbot/principles/ruletable.py); every `earned` entry is a judged finding."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from reviewbot.analyzers import default_analyzers
from reviewbot.config import Config
from reviewbot.config_loader import load_config, read_config_file
from reviewbot.diffmodel import parse_diff
from reviewbot.errors import ConfigError
from reviewbot.principles import load_graph
from reviewbot.principles.model import PrincipleDataError
from reviewbot.principles.ruletable import parse_rule
from reviewbot.review.builtin import review_builtin

JUDGEMENTS = Path(__file__).resolve().parent.parent / "bench" / "precision" / "judgements.csv"

LIBRARY = "app.py"
BEFORE = "def load(path):\n    return open(path).read()\n"
# A bare except (E722: earned on real code), a nested `if` (SIM102: a warning judged noise more often than
# not) and an undefined name (F821: certain, an error).
AFTER = BEFORE + (
    "\n\ndef first(items, strict):\n"
    "    if items:\n"
    "        if strict:\n"
    "            return items\n"
    "    try:\n"
    "        return items[0]\n"
    "    except:\n"
    "        return undefined_fallback\n"
)


def review(git_diff, config: Config):
    diff, contents = git_diff({LIBRARY: BEFORE}, {LIBRARY: AFTER})
    graph = load_graph()
    return review_builtin(parse_diff(diff), contents, config, graph, default_analyzers(config, graph))


def test_by_default_only_certain_or_earned_rules_comment_and_the_rest_are_listed(git_diff) -> None:
    result = review(git_diff, Config())
    assert sorted(c.source for c in result.comments) == ["ruff:E722", "ruff:F821"]
    listed = [note for note in result.notes if "listed here rather than commented on" in note]
    assert len(listed) == 1 and listed[0].endswith("(1), listed here rather than commented on: app.py:6")


def test_comment_on_all_makes_every_finding_a_comment(git_diff) -> None:
    result = review(git_diff, Config(comment_on="all"))
    assert sorted(c.source for c in result.comments) == ["ruff:E722", "ruff:F821", "ruff:SIM102"]
    assert not [note for note in result.notes if "listed here" in note]


def test_comment_on_is_read_from_the_configuration_and_a_bad_value_is_named(tmp_path: Path) -> None:
    policy = tmp_path / ".reviewbot.toml"
    policy.write_text('comment-on = "all"\n')
    assert load_config({}, {}, read_config_file(policy)).comment_on == "all"
    assert load_config({"comment_on": "proven"}, {}, read_config_file(policy)).comment_on == "proven"
    assert load_config({}, {}).comment_on == "proven"
    policy.write_text('comment-on = "everything"\n')
    with pytest.raises(ConfigError, match="comment-on: expected one of proven, all, got 'everything'"):
        load_config({}, {}, read_config_file(policy))


def test_an_earned_entry_must_name_a_judged_finding() -> None:
    entry = {"principle": "p", "severity": "warning", "title": "t", "fix": "f", "why_here": "w"}
    assert parse_rule("x", "ruff", "E722", entry | {"earned": ["encode/httpx@15d09a3b httpx/_utils.py:467"]}).earned
    for bad in ("httpx 15d09a3b", ["encode/httpx"], ["encode/httpx@15d09a3b"], [3]):
        with pytest.raises(PrincipleDataError, match="earned"):
            parse_rule("x", "ruff", "E722", entry | {"earned": bad})


def judged() -> dict[tuple[str, str, str, int, str], str]:
    with JUDGEMENTS.open(newline="") as handle:
        return {(r["repo"], r["commit"][:8], r["path"], int(r["line"]), r["source"]): r["verdict"]
                for r in csv.DictReader(handle)}  # fmt: skip


def earned_rules() -> list[tuple[str, str, tuple[str, ...]]]:
    graph = load_graph()
    mappings = (m for analyzer in graph.analyzers() for m in graph.rules(analyzer).values())
    return [(m.analyzer, m.rule, m.earned) for m in mappings if m.earned]


def test_some_rules_have_earned_line_comments() -> None:
    assert len(earned_rules()) >= 5


@pytest.mark.parametrize(("analyzer", "rule", "earned"), earned_rules(), ids=lambda v: str(v))
def test_every_earned_entry_is_a_finding_judged_useful(analyzer: str, rule: str, earned: tuple[str, ...]) -> None:
    verdicts = judged()
    for ref in earned:
        repo_sha, place = ref.split(" ")
        repo, sha = repo_sha.split("@")
        path, line = place.rsplit(":", 1)
        assert verdicts.get((repo, sha[:8], path, int(line), f"{analyzer}:{rule}")) == "useful", ref
