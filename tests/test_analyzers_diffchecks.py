"""Language-agnostic checks on added lines: each with its true and false positives."""

from __future__ import annotations

import dataclasses

import pytest

from reviewbot.analyzers.diffchecks import CHECKS, DiffChecksAnalyzer, language_of, split_code_comment
from reviewbot.diffmodel import parse_diff
from reviewbot.review.analyzer import FILE_LEVEL, SourceFile


def new_file(path: str, lines: list[str]) -> SourceFile:
    """A SourceFile for a file the diff adds, as `git diff` prints it."""
    body = "".join(f"+{line}\n" for line in lines)
    hunk = f"@@ -0,0 +1,{len(lines)} @@\n{body}" if lines else ""
    text = (f"diff --git a/{path} b/{path}\nnew file mode 100644\nindex 0000000..1111111\n"
            f"--- /dev/null\n+++ b/{path}\n{hunk}")  # fmt: skip
    if not lines:
        text = f"diff --git a/{path} b/{path}\nnew file mode 100644\nindex 0000000..e69de29\n"
    (file,) = parse_diff(text).files
    return SourceFile(path, None, file)


def found(path: str, *lines: str) -> list[tuple[str, int]]:
    result = DiffChecksAnalyzer().analyze([new_file(path, list(lines))])
    assert result.skipped == ()
    return [(f.rule, f.line) for f in result.findings]


def test_checks_are_the_rule_tables_diff_entries() -> None:
    from reviewbot.principles import load_graph

    assert set(CHECKS) == set(load_graph().rules("diff"))


def test_every_check_says_what_is_wrong_and_how_to_fix_it() -> None:
    for check in CHECKS.values():
        assert check.title and check.message and check.hint


# --- conflict markers ---------------------------------------------------------------------------


def test_a_conflict_block_is_one_finding_spanning_it() -> None:
    lines = ["a", "<<<<<<< HEAD", "x = 1", "=======", "x = 2", ">>>>>>> feature", "b"]
    result = DiffChecksAnalyzer().analyze([new_file("app.py", lines)])
    (finding,) = result.findings
    assert (finding.rule, finding.line, finding.end_line) == ("conflict-marker", 2, 6)


def test_diff3_markers_and_stray_markers() -> None:
    diff3 = ["<<<<<<< ours", "a", "||||||| base", "b", "=======", "c", ">>>>>>> theirs"]
    assert found("x.txt", *diff3) == [("conflict-marker", 1)]
    assert found("x.txt", "ok", ">>>>>>> main") == [("conflict-marker", 2)]
    assert found("x.txt", "<<<<<<< HEAD", "unfinished") == [("conflict-marker", 1)]
    assert found("x.txt", "||||||| base") == [("conflict-marker", 1)]


def test_heading_underlines_and_lookalikes_are_not_conflicts() -> None:
    assert found("README.rst", "Title", "=======", "", "Text") == []
    assert found("README.md", "Heading", "=======") == []
    assert found("a.py", "x = '<<<<<<< HEAD'", "  <<<<<<< indented", "<<<<<<<<< eight", "#>>>>>>> x") == []


# --- debugging leftovers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("a.py", "    breakpoint()"),
        ("a.py", "import pdb; pdb.set_trace()"),
        ("a.py", "    import ipdb"),
        ("a.py", "from pudb import set_trace"),
        ("a.py", "x = 1; breakpoint()"),
        ("app.js", "  debugger;"),
        ("app.ts", "if (x) { debugger }"),
        ("app.rb", "    binding.pry"),
        ("app.rb", "  byebug"),
    ],
)
def test_debugger_statements(path: str, line: str) -> None:
    assert found(path, line) == [("debugger-statement", 1)]


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("a.py", 'message = "call breakpoint() to stop"'),
        ("a.py", "# breakpoint() helps while debugging"),
        ("a.py", "def set_breakpoint(): pass"),
        ("a.py", "self.breakpoint_count = 0"),
        ("a.py", 'print("import pdb")'),
        ("a.py", "print(value)"),
        ("app.js", "const debuggerEnabled = true;"),
        ("app.js", "// debugger;"),
        ("notes.md", "breakpoint()"),
        ("app.rb", "# binding.pry"),
    ],
)
def test_not_debugger_statements(path: str, line: str) -> None:
    assert found(path, line) == []


def test_console_log_in_javascript_and_typescript() -> None:
    assert found("src/app.tsx", "  console.log('state', state);") == [("console-log", 1)]
    assert found("src/app.js", "console.debug(x)") == [("console-log", 1)]
    assert found("src/app.js", "console.error('failed', err)") == []
    assert found("src/app.js", "myconsole.log(x)") == []
    assert found("src/app.js", "const s = 'console.log(x)';") == []
    assert found("src/app.py", "console.log(x)") == []


@pytest.mark.parametrize("path", ["lib/cli/cli.js", "bin/mocha.js", "scripts/build.mjs", "packages/x/src/cli.ts",
                                  "src/eslint-cli.js", "examples/basic/server.js",
                                  "example.js"])  # fmt: skip  (sindresorhus/boxen's demo of every box)
def test_console_output_is_the_point_of_a_command_line_program_a_script_or_an_example(path: str) -> None:
    # mocha's lib/cli/cli.js (commit 21a3902286) prints its version and usage this way
    assert found(path, "  console.log(packageJson.version);") == []


def test_a_file_run_as_a_program_may_print_and_one_imported_may_not() -> None:
    program = ["#!/usr/bin/env node", "console.log(require('./package.json').version);"]
    run = dataclasses.replace(new_file("lib/print-version.js", program), content="\n".join(program) + "\n")
    imported = dataclasses.replace(new_file("lib/print-version.js", program[1:]), content=program[1] + "\n")
    assert DiffChecksAnalyzer().analyze([run]).findings == ()
    assert [f.rule for f in DiffChecksAnalyzer().analyze([imported]).findings] == ["console-log"]
    assert found("lib/clinic.js", "console.log(x)") == [("console-log", 1)]  # `cli` as a word, not a prefix
    assert found("src/main.js", "console.log(x)") == [("console-log", 1)]  # a web app's entry runs in browsers


def test_console_log_in_a_doc_comment_is_documentation() -> None:
    """sindresorhus/find-up 8f80ac7f03 `index.d.ts`: the JSDoc `@example` of `findUpMultiple` is written
    without leading `*`, and its `console.log(await findUpMultiple(...))` lines are documentation. Code
    after the comment closes, or after a string holding `/*`, is still code."""
    lines = ["/**", "Find files.", "@example", "console.log(await findUpMultiple('unicorn.png'));", "*/",
             "export function f() {}", "const s = '/*'; console.log(s);", "/* short */", "console.log(x);",
             "/*", " note */ console.debug(y);", "/*", "TODO: document the matcher", "*/"]  # fmt: skip
    file = dataclasses.replace(new_file("index.d.ts", lines), content="\n".join(lines) + "\n")
    assert [(f.rule, f.line) for f in DiffChecksAnalyzer().analyze([file]).findings] == [
        ("console-log", 7), ("console-log", 9), ("console-log", 11), ("todo-comment", 13)]


# --- tests switched on and off ------------------------------------------------------------------


def test_focused_tests_in_javascript_test_files() -> None:
    assert found("src/app.test.ts", "describe.only('app', () => {") == [("focused-test", 1)]
    assert found("tests/app.js", "  it.only('works', () => {})") == [("focused-test", 1)]
    assert found("src/__tests__/a.jsx", "fit('works', () => {})") == [("focused-test", 1)]
    assert found("src/app.spec.js", "fdescribe('x', () => {})") == [("focused-test", 1)]


def test_focus_lookalikes_are_not_focused_tests() -> None:
    assert found("src/model.js", "fit(data)") == []  # not a test file
    assert found("src/app.test.js", "model.fit(data)") == []
    assert found("src/app.test.js", "const only = it.skipIfNot") == []
    assert found("tests/test_x.py", "def test_only(): pass") == []


def test_skipped_tests() -> None:
    assert found("tests/test_a.py", "@pytest.mark.skip(reason='flaky')") == [("skipped-test", 1)]
    assert found("tests/test_a.py", "    @pytest.mark.skip") == [("skipped-test", 1)]
    assert found("tests/test_a.py", "@unittest.skip('later')") == [("skipped-test", 1)]
    assert found("src/app.test.ts", "it.skip('works', () => {})") == [("skipped-test", 1)]
    assert found("src/app.test.ts", "xit('works', () => {})") == [("skipped-test", 1)]


def test_conditional_skips_are_not_switched_off_tests() -> None:
    assert found("tests/test_a.py", "@pytest.mark.skipif(sys.platform == 'win32', reason='posix')") == []
    assert found("tests/test_a.py", "@unittest.skipIf(True, 'x')") == []
    assert found("tests/test_a.py", "@unittest.skipUnless(HAS_X, 'x')") == []
    assert found("src/app.js", "items.skip(3)") == []


# --- TODO comments ------------------------------------------------------------------------------


def test_todo_in_a_comment() -> None:
    assert found("a.py", "x = 1  # TODO: handle None") == [("todo-comment", 1)]
    assert found("a.ts", "// FIXME later") == [("todo-comment", 1)]
    assert found("a.go", "/* HACK around the bug */") == [("todo-comment", 1)]
    assert found("a.go", " * XXX: ugly") == [("todo-comment", 1)]
    assert found("q.sql", "-- TODO index") == [("todo-comment", 1)]
    assert found("Dockerfile", "# TODO pin the version") == [("todo-comment", 1)]


def test_todo_outside_comments_is_not_a_todo_comment() -> None:
    assert found("a.py", 'status = "TODO"') == []
    assert found("a.py", "TODO_LIST = []") == []
    assert found("a.py", "# todo is lowercase prose") == []
    assert found("a.py", "# see TODOS.md") == []
    assert found("notes.md", "TODO: write docs") == []
    assert found("a.js", "const url = 'http://x/#TODO';") == []


# --- sensitive files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [".env", "config/.env.production", "certs/server.pem", "server.key", "home/.ssh/id_rsa",
             "id_ed25519", "keystore.p12", "credentials.json", "client_secret_123.json", "infra/terraform.tfstate"],
)  # fmt: skip
def test_sensitive_files(path: str) -> None:
    assert found(path, "X=1") == [("sensitive-file", 1)]


@pytest.mark.parametrize("path", [".env.example", ".env.sample", "id_rsa.pub", "keys.py", "environment.py", "env"])
def test_not_sensitive_files(path: str) -> None:
    assert ("sensitive-file", 1) not in found(path, "X=1")


def test_sensitive_file_names_what_it_is_and_anchors_on_its_first_added_line() -> None:
    (finding,) = DiffChecksAnalyzer().analyze([new_file("deploy/id_rsa", ["a", "b"])]).findings
    assert finding.line == 1
    assert "an SSH private key" in finding.message


def test_empty_sensitive_file_is_a_whole_file_finding() -> None:
    assert found(".env") == [("sensitive-file", FILE_LEVEL)]


# --- helpers ------------------------------------------------------------------------------------


def test_language_by_suffix_or_name() -> None:
    assert language_of("a/b.PY") == "python"
    assert language_of("web/x.tsx") == "javascript"
    assert language_of("Dockerfile") == "hash"
    assert language_of("README") is None


def test_strings_are_blanked_and_comments_cut() -> None:
    code, comment = split_code_comment("x = 'a # b'  # note", "python")
    assert code == "x = '     '  "
    assert comment == "# note"

