"""Running third-party tools on hostile code: the workspace, the limits, and what a failure looks like."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from reviewbot.analyzers.external import Hit, ToolAnalyzer
from reviewbot.analyzers.sandbox import ToolFailure, run_tool, safe_relative, workspace
from reviewbot.diffmodel import parse_diff
from reviewbot.review.analyzer import SourceFile


def _file(path: str, text: str) -> SourceFile:
    lines = "".join(f"+{line}\n" for line in text.splitlines())
    diff = parse_diff(f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(text.splitlines())} @@\n{lines}")
    return SourceFile(path, text, diff.files[0])


class ScriptSpec:
    """A 'linter' that is a Python one-liner, to drive every path of ToolAnalyzer."""

    name = "fake"
    language = "Fake"
    install = "nothing to install"
    ok_codes = (0, 1)
    timeout = 30.0  # seconds for one run over all selected files

    def __init__(self, script: str, tool: str = sys.executable) -> None:
        self.script, self.tool = script, tool

    def selects(self, file: SourceFile) -> bool:
        return file.path.endswith(".fake")

    def config(self, rules: Sequence[str], texts: Mapping[str, str]) -> dict[str, str]:
        return {".fake-config": "rules=" + ",".join(rules)}

    def argv(self, executable: str, paths: Sequence[str], rules: Sequence[str]) -> list[str]:
        return [executable, "-c", self.script, *paths]

    def parse(self, stdout: str, texts: Mapping[str, str]) -> list[Hit]:
        return [Hit(path=line.split(":")[0], line=int(line.split(":")[1]), rule=line.split(":")[2], message="m")
                for line in stdout.splitlines()]


def test_only_the_curated_rules_of_selected_files_are_reported() -> None:
    script = "import sys; print('a.fake:1:wanted'); print('a.fake:2:other'); print('elsewhere.fake:1:wanted')"
    result = ToolAnalyzer(ScriptSpec(script), ["wanted"]).analyze([_file("a.fake", "x\ny\n"), _file("b.py", "x\n")])
    assert [(f.path, f.line, f.rule, f.analyzer) for f in result.findings] == [("a.fake", 1, "wanted", "fake")]
    assert result.examined == ("a.fake",) and result.notes == ()


def test_the_tool_sees_only_the_files_under_review_and_reviewbots_config() -> None:
    script = "import os; print(sorted(f for f in os.listdir('.') if not f.startswith('.home')))"
    spec = ScriptSpec(script)
    spec.parse = lambda stdout, texts: [Hit("a.fake", 1, stdout.strip(), "m")]  # type: ignore[method-assign]
    result = ToolAnalyzer(spec, ["['.fake-config', 'a.fake']"]).analyze([_file("a.fake", "x\n")])
    assert len(result.findings) == 1


def test_a_missing_tool_is_a_note_naming_the_files_never_a_traceback() -> None:
    result = ToolAnalyzer(ScriptSpec("", tool="no-such-linter-here"), ["r"]).analyze([_file("a.fake", "x\n")])
    assert result.findings == ()
    assert result.notes == ("Fake: no-such-linter-here is not installed (nothing to install); "
                            "a.fake got the diff checks and the secret scan only.",)


def test_a_crashing_tool_is_a_note_with_its_reason() -> None:
    result = ToolAnalyzer(ScriptSpec("import sys; sys.stderr.write('boom: bad input'); sys.exit(3)"), ["r"]).analyze(
        [_file("a.fake", "x\n")])
    assert result.findings == () and "failed: boom: bad input" in result.notes[0]


def test_unreadable_output_is_a_note() -> None:
    result = ToolAnalyzer(ScriptSpec("print('garbage')"), ["r"]).analyze([_file("a.fake", "x\n")])
    assert "could not read" in result.notes[0]


def test_a_slow_tool_is_stopped_at_its_time_limit() -> None:
    result = ToolAnalyzer(ScriptSpec("import time; time.sleep(30)"), ["r"], timeout=0.5).analyze(
        [_file("a.fake", "x\n")])
    assert "took longer than 0.5 s" in result.notes[0]


def test_each_tool_has_its_own_time_limit() -> None:
    """shellcheck gets longer than the others: one large script (nvm.sh, 4,900 lines) alone takes ~15 s."""
    from reviewbot.analyzers.javascript import OxlintSpec
    from reviewbot.analyzers.shell import ShellcheckSpec

    slow = ScriptSpec("import time; time.sleep(30)")
    slow.timeout = 0.5
    assert "took longer than 0.5 s" in ToolAnalyzer(slow, ["r"]).analyze([_file("a.fake", "x\n")]).notes[0]
    assert ToolAnalyzer(ShellcheckSpec(), []).timeout > ToolAnalyzer(OxlintSpec(), []).timeout >= 30


def test_a_tool_that_floods_its_output_is_stopped(tmp_path: Path) -> None:
    with pytest.raises(ToolFailure, match="output passed 8 MB"):
        run_tool([sys.executable, "-c", "import sys\nwhile True: sys.stdout.write('x' * 65536)"], tmp_path)


def test_the_tool_gets_a_clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid")
    run = run_tool([sys.executable, "-c", "import os, json; print(json.dumps(dict(os.environ)))"], tmp_path)
    env = json.loads(run.stdout)
    assert "OPENAI_API_KEY" not in env and "HTTPS_PROXY" not in env
    assert env["HOME"].startswith(str(tmp_path))


@pytest.mark.parametrize("name", ["../escape", "/etc/passwd", "a/../../b", "a\0b", ""])
def test_paths_that_would_leave_the_workspace_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="refusing to place"):
        safe_relative(name)


def test_workspace_files_are_written_not_linked(tmp_path: Path) -> None:
    with workspace({"dir/a.txt": "hello"}, {".cfg": "x"}) as root:
        assert (root / "dir" / "a.txt").read_text() == "hello" and not (root / "dir" / "a.txt").is_symlink()
        assert (root / ".cfg").read_text() == "x"
    assert not root.exists()


def test_a_file_named_like_an_option_is_still_a_file() -> None:
    """A change cannot switch a linter off (or feed it options) by naming a file `-c.Dockerfile`."""
    from reviewbot.analyzers.docker import HadolintSpec

    files = [_file("-c.Dockerfile", "FROM ubuntu\nRUN echo hi\n"), _file(".Dockerfile", "ignored: [DL3006]\n")]
    result = ToolAnalyzer(HadolintSpec(), ["DL3006"]).analyze(files)
    assert result.notes == ()
    assert [(f.path, f.rule) for f in result.findings] == [("-c.Dockerfile", "DL3006")]
