"""The built-in reviewer: real analyzers on real `git diff` output, every finding tied to a principle."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from reviewbot.analyzers import default_analyzers
from reviewbot.analyzers.ruff import NO_CONTENT
from reviewbot.config import Config
from reviewbot.diffmodel import parse_diff
from reviewbot.errors import ConfigError
from reviewbot.models import Review, Severity, Skipped
from reviewbot.principles import load_graph
from reviewbot.review.analyzer import FILE_LEVEL, AnalyzerResult, Finding
from reviewbot.review.builtin import BINARY, DELETED, SYMLINK, review_builtin
from reviewbot.review.globs import matches_any

AWS_KEY = "AKIAZ3MXQ7RW5TBN4KVD"  # shaped like a real key, valid for nothing
PEM_BODY = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0"


# --- reviewing a real diff (the `git_diff` fixture of conftest.py makes one with real git) ----------


def review(diff: str, contents, config: Config | None = None, analyzers=None) -> Review:
    """Every finding as a comment unless `config` says otherwise: these tests are about what is found and
    where; which rules comment and which are listed is tests/test_comment_policy.py's subject."""
    config = config or Config(comment_on="all")
    chosen = default_analyzers(config, load_graph()) if analyzers is None else analyzers
    return review_builtin(parse_diff(diff), contents, config, load_graph(), chosen)


# --- fakes at the analyzer interface ----------------------------------------------------------------


@dataclass
class FakeAnalyzer:
    name: str
    findings: tuple[Finding, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    calls: int = 0

    def analyze(self, files):
        self.calls += 1
        return AnalyzerResult(self.findings, self.skipped)


def finding(path: str, line: int, rule: str = "skipped-test", analyzer: str = "diff", **kw) -> Finding:
    fields = {"end_line": None, "message": f"{rule} here", "severity": Severity.INFO, "title": rule}
    return Finding(path=path, line=line, analyzer=analyzer, rule=rule, **{**fields, **kw})


def numbered(count: int, start: int = 0) -> str:
    return "".join(f"value_{i} = {i}\n" for i in range(start, start + count))


# --- the changed-lines filter -------------------------------------------------------------------------

OLD_PROBLEM = "def old(items=[]):\n    return items\n"
NEW_PROBLEM = "\n\ndef new(items=[]):\n    return items\n"


def test_problem_on_added_line_is_reported_and_the_same_problem_on_an_old_line_is_not(git_diff) -> None:
    diff, contents = git_diff({"app.py": OLD_PROBLEM}, {"app.py": OLD_PROBLEM + NEW_PROBLEM})
    result = review(diff, contents)
    b006 = [c for c in result.comments if c.source == "ruff:B006"]
    assert [(c.path, c.line) for c in b006] == [("app.py", 5)]
    assert result.files_reviewed == 1
    assert result.reviewer == "builtin"
    assert result.skipped == ()


def test_every_comment_carries_its_principle_severity_and_teaching_body(git_diff) -> None:
    diff, contents = git_diff({"app.py": OLD_PROBLEM}, {"app.py": OLD_PROBLEM + NEW_PROBLEM})
    (comment,) = [c for c in review(diff, contents).comments if c.source == "ruff:B006"]
    graph = load_graph()
    mapping = graph.rule("ruff", "B006")
    principle = graph.get(mapping.principle_id)
    assert comment.severity == mapping.severity
    assert (comment.principle.id, comment.principle.name, comment.principle.why) == (
        principle.id, principle.name, principle.why)  # fmt: skip
    assert comment.title == mapping.title == "Mutable default argument"
    assert comment.body.startswith("`items=[]` is built once, when `def new` runs; every call that omits `items`")
    assert f"How to fix: {mapping.fix}" in comment.body
    assert "https://docs.astral.sh/ruff/rules/mutable-argument-default" in comment.body
    assert comment.suggestion == "def new(items=None):\n    if items is None:\n        items = []"


def test_eli12_level_uses_the_simple_why(git_diff) -> None:
    diff, contents = git_diff({"app.py": OLD_PROBLEM}, {"app.py": OLD_PROBLEM + NEW_PROBLEM})
    (comment,) = [c for c in review(diff, contents, Config(level="eli12", comment_on="all")).comments if c.source == "ruff:B006"]
    principle = load_graph().for_rule("ruff", "B006")
    assert comment.principle.why == principle.eli12
    assert comment.principle.why != principle.why


def test_multi_line_finding_moves_to_its_first_added_line(git_diff) -> None:
    diff, contents = git_diff({"a.py": numbered(10)}, {"a.py": numbered(5) + "x = 1\n" + numbered(5, 5)})
    late = finding("a.py", 4, end_line=8)
    (comment,) = review(diff, contents, analyzers=[FakeAnalyzer("diff", (late,))]).comments
    assert (comment.line, comment.end_line) == (6, 8)
    untouched = finding("a.py", 1, end_line=3)
    assert review(diff, contents, analyzers=[FakeAnalyzer("diff", (untouched,))]).comments == ()


def test_a_suggestion_keeps_its_exact_range_even_from_a_context_line(git_diff) -> None:
    diff, contents = git_diff({"a.py": numbered(10)}, {"a.py": numbered(5) + "x = 1\n" + numbered(5, 5)})
    fix = finding("a.py", 5, end_line=6, suggestion="value_4 = 4\nx = 2")
    (comment,) = review(diff, contents, analyzers=[FakeAnalyzer("diff", (fix,))]).comments
    assert (comment.line, comment.end_line, comment.suggestion) == (5, 6, "value_4 = 4\nx = 2")


def test_suggestion_keeps_its_range_inside_one_hunk_and_is_dropped_across_hunks(git_diff) -> None:
    after = "x = 1\n" + numbered(20) + "y = 2\n"
    diff, contents = git_diff({"a.py": numbered(20)}, {"a.py": after})
    inside = finding("a.py", 1, end_line=2, suggestion="x = 1\nvalue_0 = 0")
    across = finding("a.py", 1, end_line=22, rule="console-log", suggestion="long")
    comments = review(diff, contents, analyzers=[FakeAnalyzer("diff", (inside, across))]).comments
    by_rule = {c.rule: c for c in comments}
    assert (by_rule["skipped-test"].line, by_rule["skipped-test"].end_line) == (1, 2)
    assert by_rule["skipped-test"].suggestion == "x = 1\nvalue_0 = 0"
    assert (by_rule["console-log"].line, by_rule["console-log"].end_line, by_rule["console-log"].suggestion) == (
        1, None, None)  # fmt: skip


# --- what cannot be reviewed --------------------------------------------------------------------------


def test_missing_post_change_content_is_said_per_file_and_other_checks_still_run(git_diff) -> None:
    diff, _ = git_diff({"a.py": "x = 1\n"}, {"a.py": "x = 1\nbreakpoint()\n", "b.py": "import os\n"})
    result = review(diff, {})
    assert set(result.skipped) == {Skipped("a.py", NO_CONTENT), Skipped("b.py", NO_CONTENT)}
    assert [(c.path, c.line, c.source) for c in result.comments] == [("a.py", 2, "diff:debugger-statement")]


def test_binary_and_deleted_files_are_skipped_with_the_reason(git_diff) -> None:
    before = {"logo.png": b"\x89PNG\r\n\x1a\n\x00\x00", "old.py": "x = 1\n", "name.py": "y = 2\n"}
    after = {"logo.png": b"\x89PNG\r\n\x1a\n\x00\x01", "old.py": None, "name.py": None, "renamed.py": "y = 2\n"}
    diff, contents = git_diff(before, after)
    result = review(diff, contents)
    assert set(result.skipped) == {Skipped("logo.png", BINARY), Skipped("old.py", DELETED)}
    assert result.comments == ()
    assert result.files_reviewed == 2  # the rename and the binary file's name: diff checks only
    assert [(c.path, c.analyzers) for c in result.coverage] == [
        ("logo.png", ("diff",)), ("old.py", ()), ("renamed.py", ("diff",))]  # fmt: skip


def test_symbolic_links_are_skipped_not_linted_as_python(git_repo) -> None:
    git_repo.write("real.py", "x = 1\n")
    git_repo.commit("initial")
    os.symlink("real.py", git_repo.path / "alias.py")
    git_repo.commit("link")
    diff = git_repo.diff("HEAD~1", "HEAD")
    result = review(diff, {"alias.py": "real.py"})
    assert result.skipped == (Skipped("alias.py", SYMLINK),)
    assert result.comments == ()


def test_a_binary_key_store_is_still_named_in_a_note(git_diff) -> None:
    diff, contents = git_diff({}, {"keys/app.p12": b"\x30\x82\x00\x00\xff"})
    result = review(diff, contents)
    assert result.skipped == (Skipped("keys/app.p12", BINARY),)
    (note,) = result.notes
    assert note.startswith("keys/app.p12: Credentials file committed.")
    assert "PKCS#12" in note


def test_analyzer_skips_count_only_where_the_diff_added_lines(git_diff) -> None:
    diff, _ = git_diff({"a.py": "x = 1\ny = 2\n"}, {"a.py": "x = 1\n"})
    assert review(diff, {}).skipped == ()


# --- secrets ------------------------------------------------------------------------------------------


def test_leaked_secrets_are_errors_and_never_echoed_in_the_review(git_diff) -> None:
    key_file = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n-----END RSA PRIVATE KEY-----\n"
    after = {"settings.py": f'import os\n\nAWS_ACCESS_KEY_ID = "{AWS_KEY}"\n', "deploy/key.txt": key_file}
    diff, contents = git_diff({}, after)
    result = review(diff, contents)
    secrets = {c.path: c for c in result.comments if c.source.startswith("secrets:")}
    assert secrets["settings.py"].source == "secrets:AWSKeyDetector"
    assert secrets["settings.py"].line == 3
    assert secrets["deploy/key.txt"].source == "secrets:PrivateKeyDetector"
    assert {c.severity for c in secrets.values()} == {Severity.ERROR}
    text = repr(result)
    for secret in (AWS_KEY, AWS_KEY[4:], PEM_BODY, PEM_BODY[:10]):
        assert secret not in text


def test_no_suggestion_repeats_a_line_that_holds_a_secret(git_diff) -> None:
    source = f'token = None\nif token == None: AWS_KEY = "{AWS_KEY}"\nif token == None: pass\n'
    diff, contents = git_diff({}, {"app.py": source})
    result = review(diff, contents)
    by_line = {(c.line, c.source): c for c in result.comments}
    assert by_line[(2, "ruff:E711")].suggestion is None
    assert by_line[(3, "ruff:E711")].suggestion == "if token is None: pass"
    assert AWS_KEY not in repr(result)


# --- test data ----------------------------------------------------------------------------------------


SAMPLE = "async def afn():\n    async with give_me_context(): print('a')  # fmt: skip\n"


def test_test_data_is_not_linted_as_code_but_still_scanned_for_secrets(git_diff) -> None:
    key_file = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n-----END RSA PRIVATE KEY-----\n"
    after = {"tests/data/cases/fmtskip.py": SAMPLE, "tests/test_fmt.py": "import asyncio\n\n\n" + SAMPLE,
             "tests/data/key.pem": key_file,
             "pkg/testdata/broken.sh": "#!/bin/sh\nrm -rf $DIR/*\n"}
    diff, contents = git_diff({}, after)
    result = review(diff, contents)
    undefined = [(c.path, c.line) for c in result.comments if c.source == "ruff:F821"]
    assert undefined == [("tests/test_fmt.py", 5)]  # a real test that names nothing defined fails: reported
    assert any(n.startswith("Private key committed in test code (1)") and "tests/data/key.pem" in n for n in result.notes)
    assert not [c for c in result.comments if c.source.startswith("shellcheck:")]
    examined = {c.path: c.analyzers for c in result.coverage}
    assert "ruff" not in examined["tests/data/cases/fmtskip.py"]
    assert "shellcheck" not in examined["pkg/testdata/broken.sh"]
    assert "secrets" in examined["tests/data/cases/fmtskip.py"]


# --- configuration ------------------------------------------------------------------------------------


def test_ignored_paths_are_not_reviewed_at_all(git_diff) -> None:
    after = {"vendor/lib/x.py": "breakpoint()\n", "src/gen_api.py": "breakpoint()\n", "src/app.py": "breakpoint()\n"}
    diff, contents = git_diff({}, after)
    result = review(diff, contents, Config(comment_on="all", ignore=("vendor/", "src/**/gen_*.py")))
    assert {c.path for c in result.comments} == {"src/app.py"}
    assert result.files_reviewed == 1


def test_min_severity_drops_lesser_findings(git_diff) -> None:
    diff, contents = git_diff({}, {"a.js": "console.log(state);\ndebugger;\n"})
    assert {c.source for c in review(diff, contents).comments} >= {"diff:console-log", "diff:debugger-statement"}
    kept = review(diff, contents, Config(comment_on="all", min_severity=Severity.WARNING)).comments
    assert "diff:console-log" not in {c.source for c in kept}
    assert all(c.severity.rank >= Severity.WARNING.rank for c in kept)


def test_only_enabled_analyzers_run(git_diff) -> None:
    diff, contents = git_diff({}, {"a.py": "x = 1\n"})
    ruff, diff_checks = FakeAnalyzer("ruff"), FakeAnalyzer("diff")
    review(diff, contents, Config(analyzers=("diff",)), analyzers=[ruff, diff_checks])
    assert (ruff.calls, diff_checks.calls) == (0, 1)


def test_budget_keeps_the_most_severe_in_file_order_and_counts_the_rest(git_diff) -> None:
    diff, contents = git_diff({}, {"a.py": numbered(6), "b.py": numbered(6)})
    findings = (
        finding("b.py", 5, "console-log"),  # info
        finding("b.py", 2, "conflict-marker"),  # error
        finding("a.py", 4, "console-log"),  # info
        finding("a.py", 6, "conflict-marker"),  # error
        finding("a.py", 1, "console-log"),  # warning
    )
    result = review(diff, contents, Config(max_comments=3, comment_on="all"), analyzers=[FakeAnalyzer("diff", findings)])
    assert [(c.path, c.line) for c in result.comments] == [("a.py", 1), ("a.py", 6), ("b.py", 2)]
    assert result.notes == ("2 more findings not shown (max_comments=3)",)


def test_duplicates_on_the_same_line_and_rule_are_dropped(git_diff) -> None:
    diff, contents = git_diff({}, {"a.py": numbered(3)})
    same = finding("a.py", 2)
    result = review(diff, contents, analyzers=[FakeAnalyzer("diff", (same, same, finding("a.py", 2, "console-log")))])
    assert sorted(c.source for c in result.comments) == ["diff:console-log", "diff:skipped-test"]


def test_two_analyzers_teaching_the_same_principle_on_a_line_make_one_comment(git_diff) -> None:
    diff, contents = git_diff({}, {"a.py": "import os\nbreakpoint()\n", "b.py": 'password = "hunter22"\n'})
    sources = {(c.path, c.line): c.source for c in review(diff, contents).comments}
    graph = load_graph()
    assert graph.rule("ruff", "T100").principle_id == graph.rule("diff", "debugger-statement").principle_id
    assert sources[("a.py", 2)] in {"ruff:T100", "diff:debugger-statement"}
    assert sources[("b.py", 1)] in {"ruff:S105", "secrets:KeywordDetector"}  # both heuristics: one comment
    comments = review(diff, contents).comments
    assert len([c for c in comments if (c.path, c.line) == ("a.py", 2)]) == 1
    assert len([c for c in comments if (c.path, c.line) == ("b.py", 1)]) == 1


# --- the rule table -----------------------------------------------------------------------------------


class TableWithout:
    """The real graph, minus some rules: what a finding with no mapping meets."""

    def __init__(self, *missing: tuple[str, str]) -> None:
        self.graph, self.missing = load_graph(), set(missing)

    def rule(self, analyzer: str, rule: str):
        return None if (analyzer, rule) in self.missing else self.graph.rule(analyzer, rule)

    def get(self, principle_id: str):
        return self.graph.get(principle_id)


def test_unmapped_rule_falls_back_to_the_analyzers_default_with_its_own_severity(git_diff) -> None:
    diff, contents = git_diff({}, {"a.py": numbered(3)})
    graph = load_graph()
    default = graph.rule("secrets", "default")
    odd = finding("a.py", 1, "NewDetector", analyzer="secrets", severity=Severity.WARNING)
    table = TableWithout(("secrets", "NewDetector"))
    (comment,) = review_builtin(parse_diff(diff), contents, Config(comment_on="all"), table, [FakeAnalyzer("secrets", (odd,))]).comments
    assert comment.principle.id == default.principle_id
    assert comment.severity is Severity.WARNING


def test_rule_without_any_mapping_is_left_out_with_a_note(git_diff) -> None:
    diff, contents = git_diff({}, {"a.py": numbered(3)})
    table = TableWithout(("ruff", "ZZZ1"), ("ruff", "default"))
    odd = finding("a.py", 2, "ZZZ1", analyzer="ruff")
    result = review_builtin(parse_diff(diff), contents, Config(comment_on="all"), table, [FakeAnalyzer("ruff", (odd,))])
    assert result.comments == ()
    assert result.notes == ("ruff:ZZZ1 has no principle in the rule table; its finding at a.py:2 is not shown",)


def test_every_rule_the_analyzers_can_report_is_mapped() -> None:
    from reviewbot.analyzers.diffchecks import CHECKS
    from reviewbot.analyzers.ruff import SYNTAX_RULE

    graph = load_graph()
    for check in CHECKS:
        assert graph.rule("diff", check) is not None, check
    if SYNTAX_RULE in graph.rules("ruff"):  # otherwise ruff reports syntax errors as skipped reasons
        assert graph.rule("ruff", SYNTAX_RULE).severity is Severity.ERROR
    assert graph.rule("secrets", "AWSKeyDetector") is not None
    assert graph.rule("secrets", "SomeFutureDetector") is not None  # the "default" entry


def test_whole_file_findings_become_notes(git_diff) -> None:
    diff, contents = git_diff({}, {"a.py": numbered(3)})
    whole = finding("a.py", FILE_LEVEL, "sensitive-file", title="Sensitive file committed", message="Keys.")
    result = review(diff, contents, analyzers=[FakeAnalyzer("diff", (whole,))])
    assert result.comments == ()
    assert result.notes[0].startswith("a.py: Credentials file committed. This file's name says it usually holds")


# --- analyzers and globs ------------------------------------------------------------------------------


def test_default_analyzers_follow_the_configuration() -> None:
    assert [a.name for a in default_analyzers(Config(), load_graph())] == [
        "ruff", "secrets", "diff", "oxlint", "shellcheck", "hadolint", "zizmor", "actionlint", "astgrep"]
    assert [a.name for a in default_analyzers(Config(analyzers=("diff", "ruff")), load_graph())] == ["diff", "ruff"]
    ruff = default_analyzers(Config(analyzers=("ruff",)), load_graph())[0]
    assert "B006" in ruff.select


def test_unknown_analyzer_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown analyzer 'pylint'.*ruff, secrets, diff"):
        default_analyzers(Config(analyzers=("pylint",)), load_graph())


def test_building_the_analyzers_imports_no_heavy_library() -> None:
    code = (
        "import sys\nfrom reviewbot.analyzers import default_analyzers\nfrom reviewbot.config import Config\n"
        "from reviewbot.principles import load_graph\ndefault_analyzers(Config(), load_graph())\n"
        "assert 'detect_secrets' not in sys.modules and 'unidiff' not in sys.modules, sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.lock", "poetry.lock", True),
        ("*.lock", "sub/dir/yarn.lock", True),
        ("vendor", "vendor/a.py", True),
        ("vendor", "src/vendor/a.py", True),
        ("vendor/", "vendor/x/y.py", True),
        ("/build", "build/a.py", True),
        ("/build", "src/build/a.py", False),
        ("docs/*.md", "docs/a.md", True),
        ("docs/*.md", "docs/sub/a.md", False),
        ("src/**/gen_*.py", "src/gen_a.py", True),
        ("src/**/gen_*.py", "src/a/b/gen_a.py", True),
        ("src/**/gen_*.py", "lib/gen_a.py", False),
        ("**/migrations/**", "app/migrations/0001.py", True),
        ("test_?.py", "tests/test_a.py", True),
        ("test_[!a].py", "test_a.py", False),
        ("*.py", "a.pyc", False),
    ],
)
def test_ignore_globs(pattern: str, path: str, expected: bool) -> None:
    assert matches_any(path, [pattern]) is expected


def test_review_is_pure_given_its_analyzers(git_diff) -> None:
    diff, contents = git_diff({"app.py": OLD_PROBLEM}, {"app.py": OLD_PROBLEM + NEW_PROBLEM})
    assert review(diff, contents) == review(diff, contents)


def test_diff_check_severities_come_from_the_rule_table(git_diff) -> None:
    diff, contents = git_diff({}, {"a.py": "<<<<<<< ours\nx = 1\n=======\nx = 2\n>>>>>>> theirs\nbreakpoint()\n"})
    graph = load_graph()
    for comment in review(diff, contents).comments:
        analyzer, _, rule = comment.source.partition(":")
        if analyzer == "diff":
            assert comment.severity is graph.rule("diff", rule).severity, comment.source
    assert {c.source for c in review(diff, contents).comments} >= {"diff:conflict-marker", "diff:debugger-statement"}
