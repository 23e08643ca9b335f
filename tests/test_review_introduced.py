"""Only what the change introduced, at a severity matching its evidence (real git, real analyzers)."""

from __future__ import annotations

import pytest

from reviewbot.analyzers import default_analyzers
from reviewbot.config import Config
from reviewbot.diffmodel import parse_diff
from reviewbot.models import Review, Severity
from reviewbot.principles import load_graph
from reviewbot.review.builtin import review_builtin
from reviewbot.review.introduced import edited_lines, rebuild_old, without_comment
from reviewbot.ruffpolicy import RuffPolicy

AWS_KEY = "AKIAZ3MXQ7RW5TBN4KVD"  # shaped like a real key, valid for nothing
CERT = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUSn3b4QXxJ2Vw0fT8qv5L0Gm1xJ4wCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n"
KEY_PEM = ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7\n"
           "-----END RSA PRIVATE KEY-----\n")  # fmt: skip

LOADER = '''def load(path, seen=[]):
    seen.append(path)
    print(path)
    return seen
'''


def review(diff: str, contents, base=None, config: Config | None = None) -> Review:
    config = config or Config(comment_on="all")  # what is new, not which rules comment (test_comment_policy.py)
    return review_builtin(parse_diff(diff), contents, config, load_graph(), default_analyzers(config, load_graph()), base)


def sources(result: Review) -> list[tuple[str, int, str]]:
    return [(c.path, c.line, c.source) for c in result.comments]


@pytest.mark.parametrize("with_base", [True, False], ids=["base read", "base rebuilt from the diff"])
def test_a_moved_function_keeps_no_old_finding(git_diff, with_base: bool) -> None:
    before = {"pkg/util.py": "import os\n\n\n" + LOADER, "pkg/other.py": "X = 1\n"}
    after = {"pkg/util.py": "import os\n", "pkg/other.py": "X = 1\n\n\n" + LOADER}
    diff, contents = git_diff(before, after)
    result = review(diff, contents, before if with_base else None)
    assert [s for s in sources(result) if s[0] == "pkg/other.py"] == []
    assert result.pre_existing == 2  # B006 and T201 moved along with the function
    assert any("2 findings on code this change only moved or kept were not reported" in n for n in result.notes)


def test_a_renamed_file_with_one_new_bug_gets_exactly_that_finding(git_diff) -> None:
    old = LOADER + "\n\ndef save(path, data):\n    return (path, data)\n"
    new = LOADER + "\n\ndef save(path, data):\n    return (path, data, undefined_name)\n"
    diff, contents = git_diff({"pkg/a.py": old}, {"pkg/a.py": None, "pkg/b.py": new})
    assert "rename from pkg/a.py" in diff
    result = review(diff, contents, {"pkg/a.py": old})
    assert sources(result) == [("pkg/b.py", 8, "ruff:F821")]


def test_a_changed_line_with_a_new_problem_is_reported(git_diff) -> None:
    before = {"app.py": "def load(path):\n    return open(path).read()\n"}
    after = {"app.py": "def load(path, cache={}):\n    return open(path).read()\n"}
    diff, contents = git_diff(before, after)
    assert ("app.py", 1, "ruff:B006") in sources(review(diff, contents, before))


def test_the_same_finding_twice_where_the_code_had_it_once_reports_one(git_diff) -> None:
    before = {"app.py": "def f(code):\n    eval(code)\n"}
    after = {"app.py": "def f(code):\n    eval(code)\n    eval(code)\n"}
    diff, contents = git_diff(before, after)
    assert [s[2] for s in sources(review(diff, contents, before))] == ["ruff:S307"]


def test_test_code_with_asserts_fake_passwords_and_a_test_certificate_gets_no_error(git_diff) -> None:
    test = ('PASSWORD = "dummy-password"\napp_secret_key = "new test key"\n\n\n'
            "def test_login(client):\n    assert client.login('admin', PASSWORD)\n    print(client)\n")  # fmt: skip
    diff, contents = git_diff({}, {"tests/test_login.py": test, "tests/certs/server.pem": CERT})
    result = review(diff, contents)
    assert result.worst() is not Severity.ERROR
    assert result.comments == ()


def test_test_private_keys_are_listed_in_one_note_not_commented_on(git_diff) -> None:
    diff, contents = git_diff({}, {"tests/keys/client.pem": KEY_PEM, "tests/keys/server.pem": KEY_PEM})
    result = review(diff, contents)
    assert result.comments == ()
    assert ("Private key committed in test code (2), listed here rather than commented on: "
            "tests/keys/client.pem:1, tests/keys/server.pem:1") in result.notes  # fmt: skip


def test_style_and_test_helper_defaults_are_listed_and_library_defaults_commented_on(git_diff) -> None:
    lib = "def add(item, items=[]):\n    items.append(item)\n    return items\n\n\ndef pick(xs):\n    key = lambda x: -x\n    return sorted(xs, key=key)\n"
    helper = "def body(parts=[]):\n    return iter(parts)\n\n\ndef test_body():\n    assert list(body()) == []\n"
    diff, contents = git_diff({}, {"pkg/lib.py": lib, "tests/test_body.py": helper})
    result = review(diff, contents)
    assert sorted(s[2] for s in sources(result)) == ["ruff:B006"]  # the library's shared list only
    assert "`lambda` assigned to a name (1), listed here rather than commented on: pkg/lib.py:7" in result.notes
    assert ("Mutable default argument in test code (1), listed here rather than commented on: "
            "tests/test_body.py:1") in result.notes  # fmt: skip


def test_new_todos_are_listed_in_one_note_and_old_ones_not_at_all(git_diff) -> None:
    before = {"pkg/a.py": "X = 1  # TODO: old\n"}
    after = {"pkg/a.py": "X = 1  # TODO: old\nY = 2  # TODO: make this configurable\n", "pkg/b.js": "// FIXME later\n"}
    diff, contents = git_diff(before, after)
    result = review(diff, contents, before)
    assert [c for c in result.comments if c.source == "diff:todo-comment"] == []
    assert "New TODO (2), listed here rather than commented on: pkg/a.py:2, pkg/b.js:1" in result.notes


def test_a_real_aws_key_in_library_code_is_an_error(git_diff) -> None:
    diff, contents = git_diff({}, {"pkg/settings.py": f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"\n'})
    (comment,) = [c for c in review(diff, contents).comments if c.source == "secrets:AWSKeyDetector"]
    assert comment.severity is Severity.ERROR
    assert comment.title == "AWS access key committed"
    assert "(`AKIA…`)" in comment.body and AWS_KEY not in comment.body


def test_a_certificate_only_pem_is_not_a_secret(git_diff) -> None:
    diff, contents = git_diff({}, {"deploy/ca.pem": CERT, "deploy/key.pem": KEY_PEM})
    result = review(diff, contents)
    assert [s for s in sources(result) if s[0] == "deploy/ca.pem"] == []
    assert ("deploy/key.pem", 1, "secrets:PrivateKeyDetector") in sources(result)
    assert all(c.severity is not Severity.ERROR or c.path == "deploy/key.pem" for c in result.comments)


def test_a_key_file_by_name_alone_is_at_most_a_warning(git_diff) -> None:
    diff, contents = git_diff({}, {".env": "DEBUG=1\n"})
    (comment,) = review(diff, contents).comments
    assert (comment.source, comment.severity) == ("diff:sensitive-file", Severity.WARNING)
    assert comment.principle.id == "commit-only-source"


def test_suppressions_the_change_adds_do_not_silence_its_own_review(git_diff) -> None:
    sneaky = (f'# ruff: noqa\nimport os\nAWS = "{AWS_KEY}"  # pragma: allowlist secret\n\n\n'
              "def run(code):\n    return eval(code)  # noqa: S307\n")  # fmt: skip
    diff, contents = git_diff({}, {"pkg/sneaky.py": sneaky})
    result = review(diff, contents)
    assert {("pkg/sneaky.py", 3, "secrets:AWSKeyDetector"), ("pkg/sneaky.py", 7, "ruff:S307")} <= set(sources(result))
    assert ("pkg/sneaky.py", 2, "ruff:F401") not in sources(result)  # an added suppression may silence style
    (note,) = [n for n in result.notes if "suppression" in n]
    assert "pkg/sneaky.py:1 `# ruff: noqa`" in note and "pkg/sneaky.py:3 `pragma: allowlist secret`" in note
    assert "pkg/sneaky.py:7 `# noqa: S307`" in note


def test_a_noqa_the_change_adds_naming_the_rule_lists_the_finding_instead_of_commenting(git_diff) -> None:
    """python-attrs/cattrs e1ad8cd952: PEP 649 self-references in a 3.14-only test, each with the
    `# noqa: F821` the change added. The author answered the finding on the line; a bare `# noqa`
    or one naming another rule answers nothing, and a security finding is looked at regardless."""
    tree = ("class Node:\n    children: list[Node]  # noqa: F821\n\n\n"
            "class Leaf:\n    parent: Leaf | None  # noqa\n\n\n"
            "class Edge:\n    ends: tuple[Edge, Edge]  # noqa: E501\n\n\n"
            "def run(code):\n    return eval(code)  # noqa: S307\n")  # fmt: skip
    diff, contents = git_diff({}, {"pkg/tree.py": tree})
    result = review(diff, contents)
    assert sources(result) == [("pkg/tree.py", 6, "ruff:F821"), ("pkg/tree.py", 10, "ruff:F821"),
                               ("pkg/tree.py", 14, "ruff:S307")]  # fmt: skip
    (listed,) = [n for n in result.notes if "under a `# noqa` this change adds for it" in n]
    assert listed.endswith("(1), listed here rather than commented on: pkg/tree.py:2")
    (note,) = [n for n in result.notes if n.startswith("This change adds suppression comments")]
    assert "pkg/tree.py:2 `# noqa: F821`" in note and "except security ones" in note


def test_a_syntax_error_in_test_code_is_listed_and_in_library_code_an_error(git_diff) -> None:
    """hhatto/autopep8 2f2b821: `test/suite/E90.py` cannot parse on purpose (the fixture for E901); it
    imports nothing and defines no test, so it is a sample and not linted at all. A test module that
    cannot parse is listed; library code that cannot parse is an error."""
    broken = "#: E901\n= [x\n"
    test = "import pytest\n\n\ndef test_x(:\n    pass\n"
    diff, contents = git_diff({}, {"test/suite/E90.py": broken, "tests/test_x.py": test, "pkg/broken.py": broken})
    result = review(diff, contents, config=Config())
    assert [(c.path, c.source, c.severity) for c in result.comments] == [
        ("pkg/broken.py", "ruff:invalid-syntax", Severity.ERROR)]  # fmt: skip
    (note,) = [n for n in result.notes if n.startswith("Syntax error in test code (1)")]
    assert note.endswith("tests/test_x.py:4")


def test_one_rule_comments_at_most_three_times_in_a_file_and_lists_the_rest(git_diff) -> None:
    """pypa/wheel 0ce509e02d: a new module with 24 `print` calls would have been 24 comments."""
    report = "".join(f"    print(row[{i}])\n" for i in range(5))
    diff, contents = git_diff({}, {"pkg/report.py": f"def show(row):\n{report}",
                                   "src/wheel/_commands/info.py": f"def info(row):\n{report}"})  # fmt: skip
    result = review(diff, contents)
    assert [(c.path, c.line) for c in result.comments if c.source == "ruff:T201"] == [
        ("pkg/report.py", 2), ("pkg/report.py", 3), ("pkg/report.py", 4)]  # a command's module prints its output
    (note,) = [n for n in result.notes if "after the first 3 in the same file (2)" in n]
    assert note.endswith("pkg/report.py:5, pkg/report.py:6")


def test_a_print_in_a_module_that_already_printed_is_listed_as_the_files_own_way(git_diff) -> None:
    """sphinx-doc/sphinx-autobuild cc58cc115f: the build module reported failed commands with `print`
    before the change; the change moved that into a new helper, with new text. A module that printed
    before prints by design; a new module, or one that never printed, still gets the comment. An
    undefined name is never the file's way, however many the file had. A module whose only earlier
    print was a message (miguelgrinberg/Flask-SocketIO 45990f6721) has not made value prints its way."""
    before = {"pkg/build.py": "def build(code):\n    if code:\n        print(code)\n",
              "pkg/quiet.py": "def build(code):\n    return code\n",
              "pkg/names.py": "def run():\n    return missing_one\n"}
    after = {"pkg/build.py": "def build(code):\n    return report(code, 'build')\n\n\n"
                             "def report(code, what):\n    if code:\n        print(what.title(), code)\n"
                             "        print(what)\n",
             "pkg/quiet.py": "def build(code):\n    print(code)\n    return code\n",
             "pkg/names.py": "def run():\n    return missing_one, missing_two\n"}  # fmt: skip
    diff, contents = git_diff(before, after)
    result = review(diff, contents, before, config=Config())
    assert sources(result) == [("pkg/names.py", 2, "ruff:F821"), ("pkg/quiet.py", 2, "ruff:T201")]
    (note,) = [n for n in result.notes if "in files that did the same before the change" in n]
    assert "listed here rather than commented on: pkg/build.py:7" in note  # line 8 is line 3, edited in place
    warned = {"pkg/events.py": "print('This version is incompatible with gevent-socketio')\n\n\ndef on(msg):\n    return msg\n"}
    diff, contents = git_diff(warned, {"pkg/events.py": warned["pkg/events.py"].replace("    return msg", "    print(f'{msg=}')\n    return msg")})
    assert sources(review(diff, contents, warned, config=Config())) == [("pkg/events.py", 5, "ruff:T201")]


SAFE_FAIL = "def temps(sensors):\n    try:\n        return sensors()\n    except:\n        return None\n"


def test_a_bare_except_in_a_file_written_that_way_is_listed(git_diff) -> None:
    """aristocratos/bashtop 67e358c43e: `src/bashtop.psutil.py` had seven bare `except:` before the change
    added three more, its helper's way of failing safe. encode/httpx 15d09a3b's first bare `except` in
    `_utils.py` keeps its comment."""
    before = {"src/helper.py": SAFE_FAIL, "pkg/utils.py": "def ip(text):\n    return text\n"}
    added = "\n\ndef fans(read):\n    try:\n        return read()\n    except:\n        return None\n"
    after = {"src/helper.py": SAFE_FAIL + added, "pkg/utils.py": "def ip(text):\n    return text\n" + added}
    diff, contents = git_diff(before, after)
    result = review(diff, contents, before, config=Config())
    assert [(p, line) for p, line, source in sources(result) if source == "ruff:E722"] == [("pkg/utils.py", 8)]
    assert any("Bare `except` in files that did the same before the change (1)" in n and n.endswith("src/helper.py:11")
               for n in result.notes)  # fmt: skip


def test_a_print_the_analyzer_finds_deliberate_is_listed_with_its_reason(git_diff) -> None:
    events = "def handler(msg, sid):\n    print(f'{msg=} {sid=}')\n    print('Sphinx exited with code', sid)\n"
    diff, contents = git_diff({}, {"pkg/events.py": events})
    assert sources(review(diff, contents, config=Config())) == [("pkg/events.py", 2, "ruff:T201")]
    assert sources(review(diff, contents)) == [("pkg/events.py", 2, "ruff:T201"), ("pkg/events.py", 3, "ruff:T201")]
    result = review(diff, contents, config=Config())
    assert ("`print` in library code writing a message for a person (1), listed here rather than commented on: "
            "pkg/events.py:3") in result.notes


def test_an_import_in_a_packages_init_is_a_re_export_not_an_unused_import(git_diff) -> None:
    """tartley/colorama 5f1794d1aa: `from .ansitowin32 import just_fix_windows_console` in `__init__.py`."""
    diff, contents = git_diff({}, {"colorama/__init__.py": "from .initialise import just_fix_windows_console\n",
                                   "colorama/tools.py": "import os\n"})  # fmt: skip
    assert [s for s in sources(review(diff, contents)) if s[2] == "ruff:F401"] == [("colorama/tools.py", 1, "ruff:F401")]


def test_a_suppression_the_code_already_had_is_honoured(git_diff) -> None:
    before = {"app.py": "def calc(text):\n    return eval(text)  # noqa: S307\n"}
    after = {"app.py": "def calc(expression):\n    return eval(expression)  # noqa: S307\n"}
    diff, contents = git_diff(before, after)
    result = review(diff, contents, before)
    assert result.comments == ()
    assert not any("suppression" in n for n in result.notes)


def test_a_suppression_added_next_to_an_old_one_is_not_honoured(git_diff) -> None:
    before = {"app.py": "def calc(text):\n    return eval(text)  # noqa: S307\n"}
    after = {"app.py": before["app.py"] + "\n\ndef run(code):\n    return eval(code)  # noqa: S307\n"}
    diff, contents = git_diff(before, after)
    assert sources(review(diff, contents, before)) == [("app.py", 6, "ruff:S307")]


def test_rebuilt_pre_image_equals_the_old_file(git_diff) -> None:
    old = "".join(f"line {i}\n" for i in range(30))
    new = old.replace("line 3\n", "").replace("line 20\n", "line twenty\nextra\n") + "tail\n"
    diff, _ = git_diff({"a.txt": old}, {"a.txt": new})
    (file,) = parse_diff(diff).files
    assert rebuild_old(file, new) == old
    assert rebuild_old(file, new.replace("line 5\n", "changed\n")) is None  # a context line does not match


def test_without_post_change_content_the_pre_image_is_said_to_be_unknown(git_diff) -> None:
    before = {"app.py": "x = 1\n"}
    diff, _ = git_diff(before, {"app.py": "x = 1\nbreakpoint()\n"})
    result = review(diff, {})
    assert any(n.startswith("pre-change content unknown for app.py") for n in result.notes)


def test_annotating_a_signature_does_not_make_its_old_findings_new(git_diff) -> None:
    before = {"app.py": "def add(item, items=[]):\n    items.append(item)\n    return items\n"}
    after = {"app.py": "def add(item: str, items: list = []) -> list:\n    items.append(item)\n    return items\n"}
    diff, contents = git_diff(before, after)
    result = review(diff, contents, before)
    assert result.comments == () and result.pre_existing == 1


CORE = "class {name}:\n    def __init__(self, items=[]):\n        self.items = items\n"
SUBCLASS = ("from pkg.core import App\n\n\nclass Flask(App):\n    def __init__(self, items=[]):\n"
            "        super().__init__(items)\n")  # fmt: skip


def test_a_class_renamed_in_place_keeps_its_old_findings_under_the_old_name_elsewhere(git_diff) -> None:
    before = {"pkg/core.py": CORE.format(name="Flask")}
    after = {"pkg/core.py": CORE.format(name="App"), "pkg/app.py": SUBCLASS}
    diff, contents = git_diff(before, after)
    result = review(diff, contents, before)
    assert [s for s in sources(result) if s[2] == "ruff:B006"] == []
    assert result.pre_existing == 1


def test_a_copy_of_a_definition_that_still_exists_is_new(git_diff) -> None:
    before = {"pkg/core.py": CORE.format(name="Flask")}
    after = {"pkg/core.py": CORE.format(name="Flask"), "pkg/app.py": SUBCLASS}
    diff, contents = git_diff(before, after)
    assert ("pkg/app.py", 5, "ruff:B006") in sources(review(diff, contents, before))


def test_a_function_moved_and_renamed_keeps_its_old_finding_out(git_diff) -> None:
    """The code moved within the file and its function got a new name: the finding is on moved text."""
    old_fn = "def decode_args(args):\n    return [a.decode() if type(a) == bytes else a for a in args]\n"
    new_fn = old_fn.replace("decode_args", "decode_raw_args")
    before = {"pkg/core.py": old_fn + "\n\ndef main():\n    return 0\n"}
    after = {"pkg/core.py": "def main():\n    return 0\n\n\n" + new_fn}
    diff, contents = git_diff(before, after)
    result = review(diff, contents, before)
    assert [s for s in sources(result) if s[2] == "ruff:E721"] == []
    assert result.pre_existing == 1


def test_a_renamed_function_with_a_second_copy_of_its_problem_reports_the_copy(git_diff) -> None:
    old_fn = "def decode_args(args):\n    return [a for a in args if type(a) == bytes]\n"
    new_fn = old_fn.replace("decode_args", "decode_raw_args")
    extra = "\n\ndef decode_more(args):\n    return [a for a in args if type(a) == bytes]\n"
    diff, contents = git_diff({"pkg/core.py": old_fn}, {"pkg/core.py": new_fn + extra})
    assert [s[2] for s in sources(review(diff, contents, {"pkg/core.py": old_fn}))].count("ruff:E721") == 1


def test_a_line_whose_only_change_is_its_comment_keeps_its_old_finding_out(git_diff) -> None:
    before = {"app.py": "class Schema:\n    hooks = {}  # type: dict\n"}
    after = {"app.py": "class Schema:\n    hooks = {}  # type: dict[str, list[str]]\n"}
    diff, contents = git_diff(before, after)
    result = review(diff, contents, before)
    assert result.comments == () and result.pre_existing == 1


def test_a_hash_inside_a_string_is_code_not_a_comment() -> None:
    assert without_comment("def f(items=['#a']):  # cached") == "def f(items=['#a']):  "
    assert without_comment('x = "a \\"#" + y') == 'x = "a \\"#" + y'  # an escaped quote does not end it


def test_blocking_io_in_an_async_test_is_not_reported_but_in_a_handler_it_is(git_diff) -> None:
    code = "async def {name}(path):\n    with open(path) as f:\n        return f.read()\n"
    after = {"tests/test_files.py": code.format(name="test_read"), "app/handlers.py": code.format(name="read")}
    diff, contents = git_diff({}, after)
    assert [(s[0], s[2]) for s in sources(review(diff, contents, {}))] == [("app/handlers.py", "ruff:ASYNC230")]


def test_a_test_that_holds_its_event_loop_with_time_sleep_is_not_reported_but_a_handler_is(git_diff) -> None:
    """django/asgiref 95d2430a34: a regression test blocks its loop with `time.sleep` on purpose, to
    reproduce a race; in a handler the same call stalls every request."""
    code = "import time\n\n\nasync def {name}():\n    time.sleep(0.1)  # hold the loop\n"
    after = {"tests/test_sync.py": code.format(name="test_race"), "app/handlers.py": code.format(name="poll")}
    diff, contents = git_diff({}, after)
    assert [(s[0], s[2]) for s in sources(review(diff, contents, {}))] == [("app/handlers.py", "ruff:ASYNC251")]


OTHER_KEY_PEM = ("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAzN3bX0pQe7sVc2KfT9mHw4LrJ1yUaB6dE8oGqPZ5tWnC3vYxR\n"
                 "-----END RSA PRIVATE KEY-----\n")  # fmt: skip


def test_a_new_private_key_is_new_though_a_deleted_one_began_with_the_same_line(git_diff) -> None:
    """paramiko e534b1ab deleted its DSS test keys and added an unrelated key file at the root: every key
    block starts with the same BEGIN line, so the line alone made the new key look like an old one."""
    before = {"tests/keys/dss.pem": KEY_PEM}
    diff, contents = git_diff(before, {"tests/keys/dss.pem": None, "deploy_key": OTHER_KEY_PEM})
    found = [(c.path, c.severity) for c in review(diff, contents, before).comments if c.source.startswith("secrets:")]
    assert found == [("deploy_key", Severity.ERROR)]


def test_a_private_key_moved_unchanged_is_not_new(git_diff) -> None:
    before = {"deploy/keys/server.pem": KEY_PEM}
    diff, contents = git_diff(before, {"deploy/keys/server.pem": None, "deploy/server.pem": KEY_PEM})
    assert [c for c in review(diff, contents, before).comments if c.source.startswith("secrets:")] == []


NESTED_WITH = '''import pytest


def test_invalid(tmpdir):
    with pytest.raises(Exception):
        with open(tmpdir) as handle:
            handle.read()
'''


def test_nested_withs_merged_into_one_keep_their_old_finding_out(git_diff) -> None:
    """setuptools d3c5189760: a lint clean-up merged `with a:` / `with b:` into `with a, b:`; the
    `pytest.raises(Exception)` (B017) was there before, on another line's text."""
    merged = NESTED_WITH.replace("    with pytest.raises(Exception):\n        with open(tmpdir) as handle:\n            handle",
                                 "    with pytest.raises(Exception), open(tmpdir) as handle:  # deliberate\n        handle")
    diff, contents = git_diff({"tests/test_x.py": NESTED_WITH}, {"tests/test_x.py": merged})
    result = review(diff, contents, {"tests/test_x.py": NESTED_WITH})
    assert "ruff:B017" not in {source for _, _, source in sources(result)}
    assert result.pre_existing >= 1
    another = merged + "\n\ndef test_other():\n    with pytest.raises( Exception ):\n        int('x')\n"  # new code
    diff, contents = git_diff({"tests/test_x.py": NESTED_WITH}, {"tests/test_x.py": another})
    assert "ruff:B017" in {s for _, _, s in sources(review(diff, contents, {"tests/test_x.py": NESTED_WITH}))}



ATTACHED = '''import requests


def test_request_object_attached_to_exception():
    try:
        requests.get("https://example.test/delay", timeout=1)
    except requests.ReadTimeout as exc:
        assert type(exc.request) == requests.models.PreparedRequest
'''


def test_a_line_edited_in_place_keeps_the_old_lines_finding_of_the_same_rule_out(git_diff) -> None:
    """getsentry/responses 1be3a737b7: `type(x) ==` became `isinstance` on a line that was already an
    `assert` inside an `except` (PT017); the edit did not put the assert there."""
    edited = ATTACHED.replace("assert type(exc.request) == requests.models.PreparedRequest",
                              "assert isinstance(exc.request, requests.models.PreparedRequest)")
    before = {"tests/test_attach.py": ATTACHED}
    diff, contents = git_diff(before, {"tests/test_attach.py": edited})
    result = review(diff, contents, before)
    assert "ruff:PT017" not in {source for _, _, source in sources(result)} and result.pre_existing >= 1
    moved_in = ATTACHED.replace("        assert type(exc.request) == requests.models.PreparedRequest\n",
                                "        pass\n")  # the assert is new in the except on the edited line
    diff, contents = git_diff({"tests/test_attach.py": moved_in}, {"tests/test_attach.py": edited})
    assert ("tests/test_attach.py", 8, "ruff:PT017") in sources(review(diff, contents, {"tests/test_attach.py": moved_in}))


def test_lines_pair_with_the_lines_they_replaced(git_diff) -> None:
    before = {"m.py": "a = 1\nb = 2\nc = 3\nd = 4\n"}
    after = {"m.py": "a = 1\nb = 20\nnew_thing()\nc = 30\nd = 4\n"}
    diff, _ = git_diff(before, after)
    (file,) = parse_diff(diff).files
    assert edited_lines(file) == {2: 2, 4: 3}  # `new_thing()` is like neither old line: new code


PARENTHESIZED_WITH = "def run(a, b):\n    with (\n        open(a) as x,\n        open(b) as y,\n    ):\n        return x.read() + y.read()\n"


def test_newer_syntax_is_listed_where_the_change_raises_the_projects_python_to_it(git_diff) -> None:
    """prompt-toolkit/python-prompt-toolkit 2c1cbda70e: "Python upgrade to >=3.10" raises `requires-python`
    and adopts parenthesized context managers in one commit. The same code in a change that leaves the
    project on 3.8 is an error: the project still promises 3.8."""
    old = '[project]\nname = "app"\nrequires-python = ">=3.8"\n'
    before = {"pyproject.toml": old, "app/io.py": "X = 1\n"}
    raised = {"pyproject.toml": old.replace("3.8", "3.10"), "app/io.py": PARENTHESIZED_WITH}
    config = Config(ruff=RuffPolicy("py38"))
    diff, contents = git_diff(before, raised)
    result = review(diff, contents, before, config=config)
    assert [c for c in result.comments if c.source == "ruff:invalid-syntax"] == []
    assert any(n.startswith("Syntax error where this change also raises the project's Python to that version (1)")
               for n in result.notes)
    diff, contents = git_diff(before, {**raised, "pyproject.toml": old})
    assert [(c.path, c.severity) for c in review(diff, contents, before, config=config).comments
            if c.source == "ruff:invalid-syntax"] == [("app/io.py", Severity.ERROR)]


PYLINT_FUNCTIONAL = '''"""Tests for undefined-variable in starred comprehension elements."""
import itertools

NESTED = [[1, 2], [3, 4]]
FLAT = [x for xs in NESTED for x in xs]
BAD = [missing for x in NESTED]  # [undefined-variable]
'''


def test_a_finding_on_a_line_a_test_expects_reported_is_listed(git_diff) -> None:
    """pylint-dev/pylint 54eab618d1: a functional test's input marks `# [undefined-variable]` where pylint
    must report one. The same undefined name in a test without the marker, or in library code with it,
    is still commented on."""
    before = {"README.md": "x\n"}
    marked = "tests/functional/u/undefined/undefined_variable_comprehension.py"
    after = {**before, marked: PYLINT_FUNCTIONAL,
             "tests/test_flat.py": PYLINT_FUNCTIONAL.replace("  # [undefined-variable]", ""),
             "pkg/flat.py": PYLINT_FUNCTIONAL}  # fmt: skip
    diff, contents = git_diff(before, after)
    result = review(diff, contents, before)
    assert sorted((path, line) for path, line, source in sources(result) if source == "ruff:F821") == [
        ("pkg/flat.py", 6), ("tests/test_flat.py", 6)]  # fmt: skip
    assert any(n.startswith("Undefined name on lines a test marks as expected to be reported (1)")
               and n.endswith(f"{marked}:6") for n in result.notes)  # fmt: skip


NARROWING = '''async def handle(ws):
    try:
        await ws.run()
    except ConnectionClosed as cc:
        assert isinstance(cc.reason, CloseReason)
        return cc.reason.code
'''


def test_a_pytest_style_rule_looks_at_test_code_only(git_diff) -> None:
    """python-trio/trio-websocket 49b93c1b5a: in `examples/client.py` the `assert` in an `except` narrows a
    type for the checker; PT017 is about tests that pass without checking, so it is not run there."""
    before = {"README.md": "x\n"}
    test = "import pytest\n\n\n" + NARROWING
    diff, contents = git_diff(before, {**before, "examples/client.py": NARROWING, "tests/test_client.py": test})
    found = [(path, source) for path, _, source in sources(review(diff, contents, before)) if source == "ruff:PT017"]
    assert found == [("tests/test_client.py", "ruff:PT017")]


def test_an_expected_marker_does_not_quiet_a_security_finding(git_diff) -> None:
    """A change cannot quiet a security finding by writing a linter's expectation marker after it: a
    Trojan Source bidi control in test code stays an error comment."""
    code = "import os\n\n\ndef test_name():\n    assert os.sep != 'x\u202ey'  # [bidirectional-unicode]\n"
    diff, contents = git_diff({}, {"tests/test_name.py": code})
    assert ("tests/test_name.py", 5, "ruff:PLE2502") in sources(review(diff, contents, config=Config()))
