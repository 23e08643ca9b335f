"""The ruff analyzer runs the real ruff once over post-change contents."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

import pytest

from reviewbot.analyzers.ruff import NO_CONTENT, UNSAFE_PATH, RuffAnalyzer, parse_report, ruff_command, selectable
from reviewbot.diffmodel import parse_diff
from reviewbot.errors import AnalyzerError
from reviewbot.models import Severity, Skipped
from reviewbot.review.analyzer import AnalyzerResult, SourceFile

SELECT = ("B006", "E711", "E722", "F401", "invalid-syntax")

BUGGY = """\
import os


def collect(item, into=[]):
    into.append(item)
    if item == None:
        return into
    try:
        return into
    except:
        pass
"""


def _file(path: str, content: str | None, added: bool = True) -> SourceFile:
    """A file as a diff adds it (or, with added=False, renames it without edits)."""
    lines = (content or "x\n").splitlines()
    if added:
        body = "".join(f"+{line}\n" for line in lines)
        text = f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n" \
               f"@@ -0,0 +1,{len(lines)} @@\n{body}"  # fmt: skip
    else:
        text = f"diff --git a/old.py b/{path}\nsimilarity index 100%\nrename from old.py\nrename to {path}\n"
    (file,) = parse_diff(text).files
    return SourceFile(path, content, file)


def _analyze(*files: SourceFile, select=SELECT) -> AnalyzerResult:
    return RuffAnalyzer(select).analyze(files)


def test_reports_real_ruff_findings_with_rule_url_title_and_hint() -> None:
    result = _analyze(_file("pkg/collect.py", BUGGY))
    by_rule = {f.rule: f for f in result.findings}
    assert sorted(by_rule) == ["B006", "E711", "E722", "F401"]
    b006 = by_rule["B006"]
    assert (b006.path, b006.line, b006.analyzer) == ("pkg/collect.py", 4, "ruff")
    assert b006.title == "Mutable argument default"
    assert "mutable data structures" in b006.message
    assert b006.url == "https://docs.astral.sh/ruff/rules/mutable-argument-default"
    assert b006.hint and "None" in b006.hint
    assert result.skipped == ()


def test_whole_line_fixes_become_suggestions() -> None:
    by_rule = {f.rule: f for f in _analyze(_file("a.py", BUGGY)).findings}
    assert by_rule["E711"].suggestion == "    if item is None:"
    assert by_rule["F401"].suggestion == ""  # delete the line
    assert by_rule["B006"].suggestion == (
        "def collect(item, into=None):\n    if into is None:\n        into = []"
    )
    assert by_rule["E722"].suggestion is None  # ruff has no fix for a bare except


def test_lints_the_given_content_not_the_working_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "clean.py").write_text("import os\nprint(os.sep)\n")
    monkeypatch.chdir(tmp_path)
    result = _analyze(_file("clean.py", "import os\n"))
    assert [f.rule for f in result.findings] == ["F401"]


def test_only_python_files_and_one_run_for_all(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real_run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append(cmd) or real_run(cmd, **kw))
    files = [_file(f"m{i}.py", "import os\n") for i in range(5)] + [_file("stub.pyi", "import os\n")]
    result = _analyze(*files, _file("README.md", "import os\n"), _file("build/gen.py", "import sys\n"))
    assert len(calls) == 1
    assert sorted(f.path for f in result.findings) == ["build/gen.py", "m0.py", "m1.py", "m2.py", "m3.py", "m4.py",
                                                       "stub.pyi"]  # fmt: skip


def test_files_without_added_lines_are_not_linted() -> None:
    result = RuffAnalyzer(SELECT, ruff_bin="/nonexistent/ruff").analyze([_file("moved.py", None, added=False)])
    assert result == AnalyzerResult()


def test_missing_content_is_skipped_per_file_with_the_reason() -> None:
    result = _analyze(_file("a.py", None), _file("b.py", "import os\n"), _file("c.md", None))
    assert result.skipped == (Skipped("a.py", NO_CONTENT),)
    assert [f.path for f in result.findings] == ["b.py"]
    assert "post-change content not available" in NO_CONTENT


def test_paths_leaving_the_repository_are_skipped_not_written() -> None:
    result = _analyze(_file("../evil.py", "import os\n"), _file("/abs.py", "import os\n"))
    assert result.skipped == (Skipped("../evil.py", UNSAFE_PATH), Skipped("/abs.py", UNSAFE_PATH))
    assert result.findings == ()


BROKEN = "import os\n\ndef f(:\n    pass\n\nx = (\n"


def test_syntax_error_is_one_error_finding_per_file_when_the_rule_table_maps_it() -> None:
    result = _analyze(_file("broken.py", BROKEN))
    syntax = [f for f in result.findings if f.rule == "invalid-syntax"]
    assert len(syntax) == 1
    assert (syntax[0].severity, syntax[0].line, syntax[0].title) == (Severity.ERROR, 3, "Syntax error")
    assert "cannot parse" in syntax[0].hint


VIEWS = """\
class UsersView:
    def post():
        db.session.add(user)
        db.session.commit()
        return user, 201

    def put(self, user_id):
        return user


def get_user(id):
    users = [u for u in users if u.id == id]
    return users
"""


def test_an_undefined_name_is_one_finding_per_function() -> None:
    """miguelgrinberg/APIFairy b864bd2d4b: `post()` uses `user`, which it never receives, three times
    (two of the three judged repeats of the first); another function's use is its own mistake."""
    result = _analyze(_file("examples/app.py", VIEWS), select=("F821", "F823"))
    assert [(f.line, f.message) for f in result.findings] == [
        (3, "Undefined name `db`"), (3, "Undefined name `user`"), (8, "Undefined name `user`"),
        (12, "Undefined name `users`")]  # fmt: skip


def test_syntax_error_is_a_skipped_reason_when_the_rule_table_does_not_map_it() -> None:
    result = _analyze(_file("broken.py", BROKEN), _file("ok.py", "import os\n"), select=("F401",))
    assert [(f.path, f.rule) for f in result.findings] == [("ok.py", "F401")]
    (skipped,) = result.skipped
    assert skipped.path == "broken.py"
    assert skipped.reason.startswith("Python syntax error at line 3 (")
    assert skipped.reason.endswith("ruff cannot check a file Python cannot parse")


def test_newer_syntax_is_not_an_error() -> None:
    source = "type Pair = tuple[int, int]\n\nmatch 1:\n    case 1:\n        pass\n"
    assert _analyze(_file("new.py", source)).findings == ()


def test_no_python_files_or_no_rules_means_no_run() -> None:
    assert RuffAnalyzer(SELECT, ruff_bin="/nonexistent/ruff").analyze([_file("a.md", "x")]) == AnalyzerResult()
    assert RuffAnalyzer(["invalid-syntax"], ruff_bin="/nonexistent/ruff").analyze([_file("a.py", "x")]).findings == ()


def test_missing_binary_is_an_analyzer_error() -> None:
    with pytest.raises(AnalyzerError, match="could not run ruff.*pip install ruff"):
        RuffAnalyzer(SELECT, ruff_bin="/nonexistent/ruff").analyze([_file("a.py", "import os\n")])


def test_ruff_not_found_by_its_locator_is_an_analyzer_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import ruff.__main__

    def not_found() -> str:
        raise FileNotFoundError("no ruff")

    monkeypatch.setattr(ruff.__main__, "find_ruff_bin", not_found)
    with pytest.raises(AnalyzerError, match="ruff binary was not found"):
        RuffAnalyzer(SELECT).analyze([_file("a.py", "import os\n")])


def test_ruff_refusing_its_arguments_is_an_analyzer_error_with_ruffs_words() -> None:
    with pytest.raises(AnalyzerError, match=r"ruff failed \(exit status 2\): .*ZZZ999"):
        RuffAnalyzer(["ZZZ999"]).analyze([_file("a.py", "import os\n")])


def _fake_ruff(tmp_path: Path, script: str) -> str:
    path = tmp_path / "ruff"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_a_hanging_ruff_is_stopped_with_an_analyzer_error(tmp_path: Path) -> None:
    analyzer = RuffAnalyzer(SELECT, ruff_bin=_fake_ruff(tmp_path, "exec sleep 5"), timeout=0.2)
    with pytest.raises(AnalyzerError, match="did not finish within 0.2 s"):
        analyzer.analyze([_file("a.py", "x = 1\n")])


def test_a_report_that_is_not_json_is_an_analyzer_error(tmp_path: Path) -> None:
    analyzer = RuffAnalyzer(SELECT, ruff_bin=_fake_ruff(tmp_path, "echo 'not json'"))
    with pytest.raises(AnalyzerError, match="not JSON"):
        analyzer.analyze([_file("a.py", "x = 1\n")])


def test_report_entries_for_unknown_files_are_ignored(tmp_path: Path) -> None:
    report = json.dumps([{"filename": str(tmp_path / "other.py"), "code": "F401", "message": "m",
                          "location": {"row": 1, "column": 1}, "end_location": {"row": 1, "column": 2}}])  # fmt: skip
    assert parse_report(report, {"a.py": "x\n"}, str(tmp_path)) == ()


def test_command_is_reproducible_and_ignores_the_users_configuration() -> None:
    command = ruff_command("ruff", ("B006", "E711"), ["a.py"])
    assert command[:2] == ["ruff", "check"]
    for flag in ("--isolated", "--no-cache", "--exit-zero"):
        assert flag in command
    assert command[command.index("--output-format") + 1] == "json"
    assert command[command.index("--select") + 1] == "B006,E711"
    assert command[-2:] == ["--", "a.py"]
    assert "--target-version" not in command


def test_only_rule_codes_are_selected() -> None:
    assert selectable(["invalid-syntax", "E711", "B006", "default"]) == ("B006", "E711")


def test_every_ruff_rule_in_the_rule_table_is_a_stable_ruff_rule() -> None:
    from ruff.__main__ import find_ruff_bin

    from reviewbot.principles import load_graph

    listing = subprocess.run([find_ruff_bin(), "rule", "--all", "--output-format", "json"], capture_output=True,
                             text=True, check=True).stdout  # fmt: skip
    rules = {r["code"]: r for r in json.loads(listing)}
    codes = selectable(load_graph().rules("ruff"))
    assert codes, "the [ruff] table selects no rules"
    for code in codes:
        assert code in rules, f"{code} is not a ruff rule"
        assert not rules[code]["preview"], f"{code} needs --preview"
        assert "Stable" in rules[code]["status"], f"{code} is {rules[code]['status']}"


def test_the_curated_selection_runs_cleanly() -> None:
    from reviewbot.principles import load_graph

    result = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([_file("a.py", BUGGY)])
    assert result.findings
