"""Evidence checks: a weak hash or a print is reported only where it is a problem (real ruff)."""

from __future__ import annotations

from reviewbot.analyzers.ruff import RuffAnalyzer
from reviewbot.diffmodel import parse_diff
from reviewbot.principles import load_graph
from reviewbot.review.analyzer import SourceFile
from reviewbot.ruffpolicy import RuffPolicy


def added(path: str, text: str) -> SourceFile:
    lines = text.splitlines()
    diff = f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n" + "".join(f"+{x}\n" for x in lines)
    (file,) = parse_diff(diff).files
    return SourceFile(path, text, file)


def rules(path: str, text: str) -> list[tuple[int, str]]:
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added(path, text)]).findings
    return [(f.line, f.rule) for f in found if f.rule in ("S324", "T201")]


HASHES = '''import hashlib
import hmac


def sign(key, body):
    return hmac.new(key, body, hashlib.new("sha1")).hexdigest()


def etag(body):
    return hashlib.md5(body).hexdigest()


def cache_key(url):
    return hashlib.sha1(url.encode()).hexdigest()


def password_hash(password):
    return hashlib.md5(password.encode()).hexdigest()
'''


def test_weak_hashes_are_reported_only_where_collisions_matter() -> None:
    assert rules("pkg/crypto.py", HASHES) == [(18, "S324")]


PRINTS = '''import sys


def save(record):
    print(record)
    return record


def main():
    print("done")


if __name__ == "__main__":
    print("starting", file=sys.stderr)
    main()
'''


def test_print_is_reported_in_library_code_only() -> None:
    assert rules("pkg/store.py", PRINTS) == [(5, "T201")]
    assert rules("pkg/__main__.py", PRINTS) == []
    assert rules("scripts/migrate.py", PRINTS) == []
    assert rules("pkg/tool.py", "import argparse\n\n\ndef show(x):\n    print(x)\n") == []


def test_a_script_no_import_can_reach_and_a_dev_folder_print_their_output() -> None:
    """pypa/gh-action-pypi-publish's `oidc-exchange.py` and wbond/asn1crypto's `dev/ci-driver.py`."""
    assert rules("oidc-exchange.py", PRINTS) == []
    assert rules("dev/ci_driver.py", PRINTS) == []
    assert rules("pkg/bench_pipelining.py", PRINTS) == []  # brianc/node-postgres's `bench-pipelining.js` prints qps
    assert rules("pkg/exchange.py", PRINTS) == [(5, "T201")]


def test_a_scripts_folder_by_any_name_and_a_module_reading_argv_print_their_output() -> None:
    """amoffat/sh 604b4fc82b: `dev_scripts/changelog_extract.py` reads `sys.argv[1]` and prints the changelog."""
    assert rules("dev_scripts/changelog_extract.py", PRINTS) == []
    assert rules("release-tools/notes.py", PRINTS) == []
    reads_argv = "import sys\n\nversion = sys.argv[1]\n\nprint(version)\n"
    assert rules("pkg/changelog.py", reads_argv) == []
    assert rules("pkg/toolkit/x.py", PRINTS) == [(5, "T201")]  # words, not parts of words: `toolkit` is no `tools`
    assert rules("pkg/developer/x.py", PRINTS) == [(5, "T201")]


LEFT_AND_MEANT = """import sys


def handler(msg, ns, sid):
    print(f"{msg=} {ns=} {sid=}")
    print(config["SERVER_NAME"], sid)
    print("here")
    print(f"Sphinx exited with exit code: {sid}")
    print("Running CI inside docker container: %s" % sid)
    print("Working directory: {}".format(msg))
    print(f"::debug::{msg}", file=sys.stderr)
"""


def test_a_print_of_values_is_a_leftover_and_a_message_or_a_chosen_stream_is_meant() -> None:
    """Flask-SocketIO 45990f6721 (`print(f'{real_msg=} ...')`) and flask 0ec7f713 (`print(self.config[...],
    subdomain)`) were judged debugging leftovers; sphinx-autobuild's "Sphinx exited with exit code" and
    asn1crypto's "Running CI inside docker container" were judged the program's output."""
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added("pkg/events.py", LEFT_AND_MEANT)]).findings
    assert [(f.line, f.listed_as) for f in found if f.rule == "T201"] == [
        (5, None), (6, None), (7, None), (8, "writing a message for a person"),
        (9, "writing a message for a person"), (10, "writing a message for a person"),
        (11, "writing to a stream it names")]  # fmt: skip


def test_print_in_library_code_is_a_warning() -> None:
    assert load_graph().rule("ruff", "T201").severity.value == "warning"


def test_private_members_count_only_on_imported_modules() -> None:
    code = "import sys\n\n\ndef frame(ctx):\n    ctx._session = None\n    return sys._getframe(1)\n"
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added("pkg/a.py", code)]).findings
    assert [(f.line, f.rule) for f in found if f.rule == "SLF001"] == [(6, "SLF001")]


def test_shadowing_counts_only_for_builtins_code_calls() -> None:
    code = "def lookup(id, list):\n    return id, list\n"
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added("pkg/a.py", code)]).findings
    assert [(f.rule, f.facts.get("name")) for f in found if f.rule == "A002"] == [("A002", "list")]


def test_a_broad_raises_matters_only_around_several_statements() -> None:
    code = ("import pytest\n\n\ndef test_a():\n    with pytest.raises(ValueError):\n        int('x')\n\n\n"
            "def test_b():\n    with pytest.raises(ValueError):\n        text = 'x'\n        int(text)\n")  # fmt: skip
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added("tests/test_a.py", code)]).findings
    assert [(f.line, f.rule) for f in found if f.rule == "PT011"] == [(10, "PT011")]


def test_a_newer_builtin_under_a_version_check_is_defined() -> None:
    code = ("import sys\n\n\ndef fail(errors):\n    if sys.version_info >= (3, 11):\n"
            "        raise ExceptionGroup('many', errors)\n    raise ExceptionGroupp('typo', errors)\n")  # fmt: skip
    analyzer = RuffAnalyzer(tuple(load_graph().rules("ruff")), policy=RuffPolicy("py310"))
    found = analyzer.analyze([added("pkg/errors.py", code)]).findings
    assert [(f.line, f.rule) for f in found if f.rule == "F821"] == [(7, "F821")]



FROZENDICT = '''import sys
import unittest
from json import dumps

if sys.version_info >= (3, 99):
    _dict_types = (dict, frozendict)
else:
    _dict_types = dict


class TestFrozen(unittest.TestCase):
    def setUp(self):
        try:
            frozendict  # noqa: F821
        except NameError:
            self.skipTest("frozendict not available")

    def test_dumps(self):
        self.assertEqual(dumps(frozendict(x=1)), "{}")
        return frozendictt(x=1)
'''


def test_a_builtin_of_a_python_newer_than_the_reviewers_and_a_name_probed_for_are_defined() -> None:
    """simplejson 825100a7fc: `frozendict` (a built-in from Python 3.15, PEP 814) under `sys.version_info >=
    (3, 15)`, and tests that skip when `frozendict` raises `NameError`; a misspelt name is still undefined."""
    analyzer = RuffAnalyzer(tuple(load_graph().rules("ruff")), policy=RuffPolicy("py310"))
    found = analyzer.analyze([added("pkg/tests/test_frozen.py", FROZENDICT)]).findings
    assert [(f.line, f.rule) for f in found if f.rule == "F821"] == [(20, "F821")]


EXECUTED = '''import pytest

nativeasyncgenerators = True
try:
    exec(
        """
@asynccontextmanager
async def manager_issue29692_2():
    yield
"""
    )
except SyntaxError:
    nativeasyncgenerators = False


def helper():
    exec("def local_only(): pass")


async def test_native_contextmanager():
    async with manager_issue29692_2():
        pass
    local_only()
'''


def test_a_name_module_level_exec_of_literal_code_defines_is_defined() -> None:
    """python-trio/async_generator acd4562156: a test module defines `manager_issue29692_2` with a
    module-level `exec("...")` so that older Pythons can still import it; the name exists. A function's
    own `exec` binds nothing in the module, so `local_only` stays undefined."""
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added("async_generator/_tests/test_util.py", EXECUTED)])
    assert [(f.line, f.rule) for f in found.findings if f.rule == "F821"] == [(23, "F821")]


def test_a_file_with_a_shebang_is_a_program_that_prints() -> None:
    """simplejson 3bba17935f: `tsan_stress_simplejson.py` starts `#!/usr/bin/env python3` and prints its
    progress; the same prints in a module without the line are reported."""
    assert rules("stress_run.py", "#!/usr/bin/env python3\n" + PRINTS) == []
    assert rules("pkg/stress_run.py", PRINTS) == [(5, "T201")]

FAB = (  # fabric/main.py: the `fab` command's --list-agent-keys prints the keys, as `ssh-add -l` does
    "from invoke import Exit, Program\n\n\nclass Fab(Program):\n    def parse_core(self, *args):\n"
    "        for key in self.keys:\n            print(key.fingerprint)\n        raise Exit\n"
    "\n\nclass Store:\n    def save(self, key):\n        print(key)\n"
)


def test_a_command_line_programs_class_prints_its_output() -> None:
    assert rules("fabric/main.py", FAB) == [(13, "T201")]  # the Store class is still library code
    shell = "import cmd\n\n\nclass Shell(cmd.Cmd):\n    def do_list(self, arg):\n        print(arg)\n"
    assert rules("pkg/shell.py", shell) == []


def test_a_library_module_importing_click_is_still_library_code() -> None:
    assert rules("pkg/app.py", "import click\n\n\ndef run(app):\n    print(app)\n") == [(5, "T201")]


def all_rules(path: str, text: str) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added(path, text)]).findings]


def test_deliberate_broad_excepts_and_explained_passes_are_not_reported() -> None:
    code = '''import json


def probe(file):
    try:
        return file.fileno()
    except Exception:
        return None


def load(text, state):
    try:
        text = text.strip()
        return json.loads(text)
    except Exception as error:
        state.error = error


def parse(text):
    try:
        text = text.strip()
        return json.loads(text)
    except Exception:
        # keep the raw text when it is not JSON
        pass


def blind(text):
    try:
        text = text.strip()
        return json.loads(text)
    except Exception:
        return None
'''
    found = [f for f in all_rules("pkg/a.py", code) if f[1] in ("BLE001", "S110")]
    assert found == [(32, "BLE001")]


def test_a_password_sentinel_and_typographic_quotes_are_not_reported() -> None:
    code = "def ask(password, prompt):\n    if password == '-':\n        return prompt()\n    return password\n\n\nHELP = 'don\u2019t send it'\nNAME = 'W\u043erld'\n"
    assert [f for f in all_rules("pkg/a.py", code) if f[1] in ("S105", "RUF001")] == [(8, "RUF001")]


def test_a_command_line_function_may_take_one_parameter_per_option() -> None:
    params = ", ".join(f"p{i}" for i in range(9))
    code = f"import click\n\n\n@click.command()\n@click.option('--p0')\ndef main({params}):\n    return p0\n\n\ndef build({params}):\n    return p0\n"
    assert [f for f in all_rules("pkg/cli_tool.py", code) if f[1] == "PLR0913"] == [(10, "PLR0913")]


def found(path: str, text: str, wanted: tuple[str, ...]) -> list[tuple[int, str]]:
    result = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added(path, text)]).findings
    return [(f.line, f.rule) for f in result if f.rule in wanted]


NAIVE_ONLY = '''import json
from datetime import datetime, timedelta


def due(state):
    last = datetime.fromisoformat(state["last"])
    return datetime.now() - last > timedelta(days=7)
'''

MIXED = '''from datetime import datetime, timezone


def expired(token):
    issued = datetime.fromtimestamp(token["iat"], tz=timezone.utc)
    return datetime.now() - issued
'''


def test_naive_now_is_reported_only_where_the_module_also_handles_time_zones() -> None:
    assert found("pkg/check.py", NAIVE_ONLY, ("DTZ005",)) == []
    assert found("pkg/token.py", MIXED, ("DTZ005",)) == [(6, "DTZ005")]
    utc = "from datetime import datetime\n\n\ndef stamp():\n    return datetime.utcnow()\n"
    assert found("pkg/stamp.py", utc, ("DTZ003",)) == [(5, "DTZ003")]  # a naive value that claims to be UTC


CHAINS = '''import json

import click


def parse_json(value):
    try:
        return json.loads(value)
    except ValueError:
        raise click.BadParameter("not valid JSON")


def load(path):
    try:
        return json.loads(open(path).read())
    except ValueError:
        raise RuntimeError(f"{path} is not JSON")
'''


OWN_ERRORS = '''from argparse import ArgumentTypeError


class ArgumentError(Exception):
    pass


def port(text):
    try:
        return int(text)
    except ValueError:
        raise ArgumentTypeError(f"{text} is not a port")


def check(value):
    try:
        return int(value)
    except ValueError:
        raise ArgumentError(value)
'''


def test_a_usage_error_needs_no_cause_but_a_library_error_does() -> None:
    assert found("pkg/options.py", CHAINS, ("B904",)) == [(17, "B904")]
    assert found("pkg/ports.py", OWN_ERRORS, ("B904",)) == [(19, "B904")]  # the library's own ArgumentError


NESTED = '''def save(session, args):
    if session:
        if session.is_new() or not args.read_only:
            session.save()


def flush(session, args):
    if session:
        if args.flush:
            session.flush()
'''


def test_a_nested_if_is_reported_only_where_combining_needs_no_parentheses() -> None:
    assert found("pkg/store.py", NESTED, ("SIM102",)) == [(8, "SIM102")]


METACLASSES = '''import abc


class SchemaMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._hooks = cls.resolve_hooks()


class Schema(metaclass=SchemaMeta):
    _hooks = {}


class Base(metaclass=abc.ABCMeta):
    registry = {}


class Plain:
    cache = []
'''


def test_a_mutable_class_attribute_is_reported_unless_a_metaclass_builds_the_class() -> None:
    assert found("pkg/schema.py", METACLASSES, ("RUF012",)) == [(15, "RUF012"), (19, "RUF012")]


LOCALES = '''from typing import ClassVar, Dict, List


class Locale:
    names: ClassVar[List[str]] = []
    timeframes: ClassVar[Dict[str, str]] = {}


class EnglishLocale(Locale):
    names = ["en", "en-us"]


class ThaiLocale(EnglishLocale):
    timeframes = {"now": "now", "week": "a week"}
    ordinals = {"1": "first"}
'''


def test_a_mutable_class_attribute_a_base_class_declares_a_classvar_is_not_reported() -> None:
    """arrow-py/arrow d8bf13d: `ThaiLocale.timeframes` fills in what `Locale` declares `ClassVar`."""
    assert found("arrow/locales.py", LOCALES, ("RUF012",)) == [(15, "RUF012")]


STRINGS = '''FACTS = [
    "Lobsters have blue blood.",
    "The liver can regenerate itself."
    "Clarinets are made of mpingo wood.",
    "Shepard played golf on the moon.",
]

MESSAGES = (
    # older Pythons
    "pkg:missing cannot be resolved "
    "within [section]: No module named missing",

    # newer Pythons
    "pkg:missing cannot be resolved "
    "within [section]: No module named 'missing'",
)

SPLIT_MID_TEXT = [
    "short item",
    "a long item that runs on "
    "over the next line",
]

ONLY_ONE = (
    "one message "
    "split over two lines",
)

DEDENTED = [
    "first",
    "second item, "
  "written with an odd indent",
]
'''


def test_joined_strings_in_a_collection_are_reported_only_where_a_comma_looks_missing() -> None:
    assert found("pkg/facts.py", STRINGS, ("ISC004",)) == [(3, "ISC004")]


SQL = '''import sqlite3

TABLE = "users"
COLUMNS = "id, name"


def count(db):
    return db.execute(f"SELECT COUNT(*) FROM {TABLE}").fetchone()


def names(db):
    return db.execute("SELECT %s FROM %s" % (COLUMNS, "users")).fetchall()


def find(db, name):
    return db.execute("SELECT * FROM users WHERE name = '%s'" % name).fetchall()


class Probe:
    def _has_function(self, name):
        return self.ask("SELECT COUNT(*) FROM functions WHERE name='%s'" % name)

    def _lookup(self, name):
        return self.ask("SELECT * FROM users WHERE name = '" + name + "'")

    def read(self, user):
        if self._has_function("readfile"):
            return self._lookup(user)
        return self._has_function(name="unhex")
'''


def test_sql_built_only_from_constants_is_not_reported() -> None:
    assert found("pkg/queries.py", SQL, ("S608",)) == [(16, "S608"), (24, "S608")]


INHERITED = '''class SettingMeta(type):
    def __new__(cls, name, bases, attrs):
        return super().__new__(cls, name, bases, attrs)


class Setting:
    cli = []


Setting = SettingMeta("Setting", (Setting,), {})


class Bind(Setting):
    cli = ["--bind"]


class Field(metaclass=SettingMeta):
    pass


class Text(Field):
    choices = []


class Plain:
    pass


class Options(Plain):
    flags = []
'''


def test_a_metaclass_inherited_from_a_base_class_of_the_module_counts() -> None:
    assert found("pkg/config.py", INHERITED, ("RUF012",)) == [(7, "RUF012"), (30, "RUF012")]


CLEANUP = '''def _try_close(obj):
    try:
        obj.close()
    except Exception:
        pass


def shutdown_quietly(server):
    """Stop the server, best effort."""
    try:
        server.stop()
    except OSError:
        pass


def release(lock):
    try:
        lock.release()
    except:
        pass


def load(text, state):
    try:
        state.value = int(text)
    except Exception:
        pass


def disclose(report, state):
    try:
        state.sent = report.send()
    except Exception:
        pass
'''


def test_a_silenced_exception_in_best_effort_cleanup_is_not_reported() -> None:
    assert found("pkg/cleanup.py", CLEANUP, ("S110",)) == [(19, "S110"), (26, "S110"), (33, "S110")]


def test_a_literal_compared_with_a_name_for_a_secrets_kind_is_not_a_password() -> None:
    # PyGithub's OrganizationSecret (commit 4f8674b724): which API the secret belongs to
    code = ('def url(secret_type, password):\n    if secret_type == "actions":\n        return "/actions"\n'
            '    if password == "hunter22":\n        return "/admin"\n')  # fmt: skip
    assert [f for f in all_rules("github/OrganizationSecret.py", code) if f[1] == "S105"] == [(4, "S105")]


def test_a_message_named_for_a_token_is_not_a_password() -> None:
    """pypa/gh-action-pypi-publish 2b46bad8cb: Markdown error messages named `_..._TOKEN_..._MESSAGE`."""
    code = ('_SERVER_TOKEN_RESPONSE_MALFORMED_MESSAGE = "Token request failed: the server said {reason}"\n'
            'token_error: str = "the token expired, sign in again"\nAPI_TOKEN = "hunter2hunter2"\n')  # fmt: skip
    assert [f for f in all_rules("oidc_exchange.py", code) if f[1] == "S105"] == [(3, "S105")]


def test_zip_without_strict_where_zip_has_no_strict_is_not_reported() -> None:
    """Suor/funcy 1de0e19865: `lzip` for Pythons before 3.10 emulates `strict=`; passing it there raises."""
    code = ("import sys\n\nif sys.version_info >= (3, 10):\n    def lzip(*seqs):\n        return list(zip(*seqs))\n"
            "else:\n    def lzip(*seqs):\n        return list(zip(*seqs))\n\n"
            "if sys.version_info < (3, 10):\n    def pairs(a, b):\n        return zip(a, b)\n\n"
            "if sys.version_info < (3, 12):\n    def triples(a, b, c):\n        return zip(a, b, c)\n")  # fmt: skip
    analyzer = RuffAnalyzer(tuple(load_graph().rules("ruff")), policy=RuffPolicy("py310"))
    found = analyzer.analyze([added("pkg/seqs.py", code)]).findings
    assert [(f.line, f.rule) for f in found if f.rule == "B905"] == [(5, "B905"), (16, "B905")]


CAUGHT = '''import pytest


def test_wrong_key():
    try:
        validate({"bar": {}})
    except WrongKeyError as e:
        assert e.code == "Invalid profile name"
    else:
        raise AssertionError("WrongKeyError not raised")
    try:
        validate({"baz": {}})
    except WrongKeyError as e:
        assert e.code == "Wrong key"
    else:
        pytest.fail("not raised")
    try:
        validate({})
    except WrongKeyError as e:
        assert e.code == "Missing key"
    try:
        validate({"qux": {}})
        assert False, "WrongKeyError expected"
    except WrongKeyError as e:
        assert e.code == "qux"
'''


def test_an_assert_in_except_is_listed_where_the_else_fails_the_test() -> None:
    """keleshev/schema 15158c5391: each `try` fails in `else:` when nothing is raised, so the assert in
    its `except` cannot be skipped silently; the third `try` has no `else:` and keeps its comment. httplib2
    87581ad6cf: a `try` whose body ends `assert False, "... expected"` fails the test just as well."""
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added("tests/test_keys.py", CAUGHT)]).findings
    assert [(f.line, f.listed_as) for f in found if f.rule == "PT017"] == [
        (8, "its `try` fails the test in `else:` when nothing is raised"),
        (14, "its `try` fails the test in `else:` when nothing is raised"), (20, None),
        (25, "its `try` ends by failing the test, so nothing raised fails it")]  # fmt: skip


PROBES = '''from contextlib import suppress


def has_metadata(dist):
    with suppress(MetadataNotFound):
        dist.metadata
        return True
    return False


def has_key(mapping):
    try:
        mapping["key"]
    except KeyError:
        return False
    return True


def slip(dist):
    dist.metadata
    return dist


try:
    anext
except NameError:
    def anext(obj, /):
        return obj.__anext__()


def forgot(obj):
    obj
    return obj
'''


def test_an_attribute_read_to_see_whether_it_raises_does_something() -> None:
    """python/importlib_metadata ede3fcca52: `dist.metadata` alone in `with suppress(MetadataNotFound):`
    asks whether reading it raises; jazzband/contextlib2 f64cf04df8 asks the same of `anext` alone in a
    `try:` that catches `NameError`. The same reads outside a `try` or `suppress` are thrown away."""
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added("pkg/probe.py", PROBES)]).findings
    assert [f.line for f in found if f.rule == "B018"] == [20, 32]


TYPE_COMMENTS = '''from typing import Any, List, Optional


def trigger(name, *args):
    # type: (Optional[str], *Any) -> bool
    return bool(name)
'''


def test_an_import_a_type_comment_uses_is_not_unused() -> None:
    """pytransitions/transitions: PEP 484 `# type:` comments, which mypy reads and ruff does not, use the
    imports; the import no comment names is still unused."""
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added("transitions/core.py", TYPE_COMMENTS)]).findings
    assert [(f.line, f.rule, f.message.split("`")[1]) for f in found if f.rule == "F401"] == [(1, "F401", "typing.List")]


TWICE = '''import unittest


class LockoutTests(unittest.TestCase):
    def test_lockout(self):
        self.assertTrue(True)

    def test_lockout(self):
        self.assertFalse(False)


class LockoutTests(unittest.TestCase):
    def test_other(self):
        pass


def helper():
    return 1


def helper():
    return 2
'''


def test_a_test_defined_twice_is_a_hidden_test_not_a_tidy_up() -> None:
    """jazzband/django-defender b9b067472c (a test method defined twice) and django-sortedm2m ab50230481 (a
    class of tests defined twice): the first is never run. A helper defined twice stays F811."""
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added("tests/test_lockout.py", TWICE)]).findings
    assert [(f.line, f.rule) for f in found if f.rule in ("F811", "hidden-test")] == [
        (8, "hidden-test"), (12, "hidden-test"), (21, "F811")]


def test_an_address_compared_with_is_not_a_bind() -> None:
    """aio-libs/aiohttp-devtools: `if bind_address == "0.0.0.0":` asks about a setting; the literal assigned
    as the host to listen on is still reported."""
    code = 'def run(bind_address):\n    if bind_address == "0.0.0.0":\n        return None\n    host = "0.0.0.0"\n    return host\n'
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added("pkg/config.py", code)]).findings
    assert [(f.line, f.rule) for f in found if f.rule == "S104"] == [(4, "S104")]


DEFAULTS = '''def build_message(registration_id, alert, extra: dict = {}):
    return {"registration_id": registration_id, "alert": alert, **extra}


class CloseableBody:
    def __init__(self, body=[]):
        self.closed = False
        self.chunks = [chunk for chunk in body]


def parse(url, engine=None, test_options={}):
    config = {"URL": url}
    if test_options:
        config["TEST"] = test_options
    return config


def config(env="DATABASE_URL", test_options={}):
    return parse(env, test_options=test_options)


def remember(key, seen=set()):
    seen.add(key)
    return len(seen)
'''


def test_a_mutable_default_only_read_is_listed() -> None:
    """django-push-notifications dd7ba2722b spreads `extra: dict = {}` into a new dict and bottle's
    CloseableBody only iterates `body=[]` (both judged noise): one shared object nothing changes. dj-database-url
    d2e4719a8d stores `test_options={}` in the settings it returns and passes it on (both judged useful),
    and a default the function adds to is the bug the rule is for: those keep their comments."""
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added("push/apns.py", DEFAULTS)]).findings
    assert [(f.line, f.listed_as) for f in found if f.rule == "B006"] == [
        (1, "the default of `extra` is only read, never changed, stored or passed on"),
        (6, "the default of `body` is only read, never changed, stored or passed on"),
        (11, None), (18, None), (22, None)]  # fmt: skip


BARE_EXCEPTS = '''def restore(exc, context):
    try:
        raise exc
    except:
        exc.__context__ = context
        raise exc


def cleanup(path):
    try:
        work(path)
    except:
        remove(path)
        raise


def wrapped(path):
    try:
        work(path)
    except:
        raise RuntimeError("failed")


def swallow(path):
    try:
        work(path)
    except:
        return None
'''


def test_a_bare_except_that_raises_again_lets_everything_through() -> None:
    """jazzband/contextlib2 4b39470cbb (a copy of CPython's tests): the handler restores `__context__` and
    re-raises, so nothing is swallowed, Ctrl-C included. One that raises something else turns Ctrl-C into
    a `RuntimeError`, and one that returns swallows it: both keep their finding."""
    found = RuffAnalyzer(tuple(load_graph().rules("ruff"))).analyze([added("pkg/retry.py", BARE_EXCEPTS)]).findings
    assert [f.line for f in found if f.rule == "E722"] == [20, 27]
