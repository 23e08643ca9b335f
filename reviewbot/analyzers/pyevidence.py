"""Evidence checks: ruff findings the code around them shows to be no problem.

A rule fires on a pattern; whether the pattern is a problem depends on what
the code does with it. Each check reads the syntax tree at the finding and
says why the finding does not apply here, or None:

- S324 (MD5/SHA-1): a weak hash is a problem only where collision resistance
  matters. Inside HMAC it does not (HMAC-SHA1 and HMAC-MD5 are not broken by
  collisions), nor for checksums, ETags, cache keys or fingerprints.
- T201 (`print`): printing is the job of command-line entry points, `__main__`
  blocks, scripts and examples, and of the classes a command-line program is
  built from (a `cmd.Cmd` shell, an `invoke.Program`); the rule is about
  library code.
  Elsewhere a `print` that writes a message for a person (`print("Rebuilding
  the docs…")`) or to a stream it names (`file=sys.stderr`) is output someone
  chose, so it is listed (`WEAKER`); a print of bare values
  (`print(config["SERVER_NAME"], subdomain)`, `print(f"{msg=}")`) is what a
  debugging session leaves behind, and keeps its comment.
- PT017 (`assert` in `except`): listed where the `try`'s `else:` or the last
  statement of its body fails the test (`raise AssertionError`, `pytest.fail`,
  `assert False`), so a call that raises nothing fails the test.
- B018 (expression that does nothing): a name, attribute or item read alone in a
  `try:` body or `with suppress(...)` is asked whether it raises.
- SLF001 (private member): a package's modules share their own internals; the
  rule teaches something where code reaches into another module's private
  names (`requests._internal`, `sys._getframe`), so only a private attribute of
  an imported module is reported.
- F821 (undefined name): a built-in of a newer Python (`ExceptionGroup`) used
  under `if sys.version_info >= (3, 11):` is defined wherever that branch runs,
  also when it is newer than the Python the reviewer runs on (`frozendict`
  under `>= (3, 15)`); and a name the module probes for (`try: frozendict`,
  `except NameError:`, then skip) is one the code knows may be missing; so
  is one a module-level `exec("...")` of literal code defines (a function
  written that way to keep newer syntax from older parsers).
- F811 (redefinition): a test function, or a class of test methods, defined
  twice is reported as `hidden-test`: the second definition replaces the
  first, so the first test never runs.
- S104 (binding to all interfaces): not on `"0.0.0.0"` compared with a setting.
- B006 (mutable default): listed where the function only reads the default
  (iterates, copies, spreads or looks into it): one shared object that
  nothing changes or hands out does no harm.
- E722 (bare `except:`): not where the handler ends by raising again; it
  lets everything through, as `finally` would.
- F401 (unused import): a PEP 484 type comment (`# type: (Optional[str]) -> None`)
  that names the import uses it; mypy reads those comments, ruff does not.
- B905 (`zip` without `strict=`): in a branch that runs only before Python
  3.10 (the `else:` of `if sys.version_info >= (3, 10):`), `zip` has no
  `strict=`, and passing it raises `TypeError` (Suor/funcy's `lzip`).
- BLE001 (catching `Exception`): deliberate where the handler keeps the
  exception (stores, logs or re-raises it), where the `try` holds one
  statement (a capability probe such as `file.fileno()`), or where a comment
  in the handler says why.
- S110 (`except: pass`): deliberate where a comment in the handler says why,
  or in best-effort cleanup: a function named for closing, cleaning up,
  tearing down or releasing (`close`, `_try_close`, `teardown`, `__del__`,
  `__exit__`), or whose docstring says it is best-effort or ignores errors,
  catching `Exception` or narrower. A failing `close()` there must not
  replace the error the caller is already handling. The name is read by its
  words (`disclose` is not `close`). A bare `except:` is still reported: it
  also swallows `KeyboardInterrupt`.
- ISC004 (implicit concatenation in a collection): reported only where it
  looks like a missing comma (reviewbot.analyzers.pystrings).
- S608 (SQL built from strings): not where every value formatted into the
  text is a constant (reviewbot.analyzers.pyconstants).
- S105 (hard-coded password): a one- to three-character literal compared with
  a password is a sentinel (`"-"` for "prompt me"), not a credential; nor is a
  literal compared with, or assigned to, a name that describes a secret
  instead of holding one (`secret_type == "actions"`, `password_mode ==
  "prompt"`, `_TOKEN_EXCHANGE_FAILED_MESSAGE = "..."`).
- RUF001 (look-alike character): typographic punctuation in prose (curly quotes, dashes)
  is intended; look-alike letters and digits are what deceive.
- PLR0913 (too many parameters): a command-line function's parameters are its
  options (`@click.option`), declared one by one where they are documented.
- PT011 (`pytest.raises` too broad): around a single statement the expected
  exception can only come from that one call, which is as precise as a test
  of a failure usually needs to be.
- A001/A002 (shadowed built-in): only built-ins code calls every day (`list`,
  `len`, `open`, …); `id`, `type`, `format`, `input` as names are idiomatic.
- DTZ001/DTZ002/DTZ005/DTZ006 (naive local datetime): what breaks is mixing
  naive and aware values (comparing or subtracting them raises `TypeError`).
  A module that uses no time zone anywhere works in local time throughout, a
  choice that fits local schedules and same-machine timestamps; the rules
  report where the module also handles aware datetimes. (`utcnow()` and
  `utcfromtimestamp()`, DTZ003/DTZ004, are always reported: their naive value
  claims to be UTC, and Python reads it as local time.)
- B904 (`raise` in `except` without `from`): a command-line usage error
  (`click.BadParameter`, `argparse.ArgumentTypeError`, …) is shown to the user
  as one line of text, never as a traceback, so the cause would never be seen.
- SIM102 (nested `if`): when either condition is an `or`, the single `if`
  needs parentheses (`a and (b or c)`), which reads no better than the nesting.
- RUF012 (mutable class attribute): in a class whose base class of the same
  module declares the attribute a `ClassVar` (arrow's locales fill in the
  `timeframes` their `Locale` base declares); in a class with its own metaclass
  (`class Schema(metaclass=SchemaMeta)`) class attributes are declarations the
  metaclass reads, and often replaces, when it builds the class (marshmallow's
  `_hooks`, ORM fields); whether instances share them is the metaclass's
  design, not a slip. `ABCMeta` only records abstract methods, so it counts as
  no metaclass here. A metaclass is also inherited: from a base class of the
  same module that has one, or that was rebuilt by calling a metaclass
  (`Setting = SettingMeta("Setting", (Setting,), {})`).
"""

from __future__ import annotations

import ast
import builtins
import itertools
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import PurePosixPath

from reviewbot.analyzers.pyconstants import only_constants
from reviewbot.analyzers.pystrings import split_item_not_a_missing_comma
from reviewbot.analyzers.secretnames import describes_a_secret
from reviewbot.review.entrypoints import is_command_line_path
from reviewbot.review.pyfacts import PySource, dotted, parameter_with_default

# Names that say a digest identifies content rather than protects it.
NON_SECURITY_NAMES = re.compile(r"checksum|etag|cache|fingerprint|dedup|digest_key|content_hash|file_hash|hash_key|"
                                r"shard|bucket|partition|short_id|slug", re.IGNORECASE)  # fmt: skip
HMAC_CALLS = ("hmac.new", "hmac.digest", "hmac.HMAC", "new_hmac", "HMAC")
CLI_IMPORTS = frozenset({"argparse", "docopt", "optparse", "getopt"})  # parsing a command line; click is also imported by libraries
CLI_FILES = frozenset({"setup.py", "noxfile.py", "fabfile.py", "manage.py", "conf.py"})  # run, never imported
ENTRY_FUNCTIONS = frozenset({"main", "cli", "run_cli", "command", "entry_point", "console_main"})
# Base classes of command-line programs, whose methods write the program's output: `cmd.Cmd` (an
# interactive shell), `invoke.Program` (fabric's `fab`), `cleo`'s `Command`, `cliff`'s `Command`.
CLI_BASES = frozenset({"Cmd", "Program", "Command", "BaseCommand"})

Check = Callable[[str, PySource, ast.AST], str | None]


def not_applicable(
    rule: str, path: str, source: PySource, line: int, column: int, end: tuple[int, int], message: str = ""
) -> str | None:
    """Why the finding does not apply to this code, or None when it stands."""
    if rule == "RUF001":
        return typographic(message)
    check = CHECKS.get(rule)
    if check is None or source.tree is None:
        return None
    node = source.node_at(line, column, end)
    return None if node is None else check(path, source, node)


def weaker_here(rule: str, source: PySource, line: int, column: int, end: tuple[int, int]) -> str | None:
    """Why the code shows this finding to be deliberate, so it is listed rather than commented on, or None."""
    check = WEAKER.get(rule)
    node = None if check is None or source.tree is None else source.node_at(line, column, end)
    return None if check is None or node is None else check(source, node)


def printed_on_purpose(source: PySource, node: ast.AST) -> str | None:
    call = next((n for n in (node, *source.ancestors(node)) if isinstance(n, ast.Call)), None)
    if call is None:
        return None
    if any(k.arg == "file" for k in call.keywords):
        return "writing to a stream it names"
    if any(len(MESSAGE_WORD.findall(_literal_text(arg))) >= 2 for arg in call.args):
        return "writing a message for a person"
    return None


MESSAGE_WORD = re.compile(r"[A-Za-z]{2,}")


def _literal_text(node: ast.expr) -> str:
    """The words a string argument spells out: a literal, an f-string's text (less `{name=}` labels), the
    template of `"..." % args` or `"...".format(...)`; "" for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = node.values
        return " ".join(p.value for i, p in enumerate(parts) if isinstance(p, ast.Constant) and isinstance(p.value, str)
                        and not (p.value.endswith("=") and i + 1 < len(parts)))  # fmt: skip
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _literal_text(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _literal_text(node.func.value)
    return ""


def fails_when_nothing_is_raised(source: PySource, node: ast.AST) -> str | None:
    """PT017 warns that an `assert` in an `except` never runs when nothing is raised; a `try` whose
    `else:` fails the test (`raise AssertionError(...)`, `pytest.fail(...)`) has covered that case
    (keleshev/schema 15158c5391)."""
    handler = next((a for a in source.ancestors(node) if isinstance(a, ast.ExceptHandler)), None)
    statement = next((a for a in source.ancestors(handler) if isinstance(a, ast.Try)), None) if handler else None
    if statement is None:
        return None
    if any(_fails(s) for s in statement.orelse):
        return "its `try` fails the test in `else:` when nothing is raised"
    if statement.body and _fails(statement.body[-1]):  # httplib2: `LimitDecoder(...)`, then `assert False, "..."`
        return "its `try` ends by failing the test, so nothing raised fails it"
    return None


def _fails(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Raise):
        return True
    if isinstance(statement, ast.Assert):
        return isinstance(statement.test, ast.Constant) and not statement.test.value
    call = statement.value if isinstance(statement, ast.Expr) else None
    return isinstance(call, ast.Call) and dotted(call.func).rsplit(".", 1)[-1] == "fail"


READ_METHODS = frozenset({"get", "keys", "items", "values", "copy", "count", "index", "startswith", "endswith",
                          "format", "issubset", "issuperset", "isdisjoint", "union", "intersection", "difference"})
READING_CALLS = frozenset({"len", "list", "dict", "set", "tuple", "frozenset", "sorted", "any", "all", "sum", "min",
                           "max", "iter", "enumerate", "bool", "str", "repr", "isinstance", "deepcopy", "copy"})


def default_only_read(source: PySource, node: ast.AST) -> str | None:
    """B006 warns that a mutable default is one object shared by every call. That bites where the function
    changes it or hands it out (stores, returns or passes it on); a default the body only reads, iterates,
    copies or spreads (`for x in items`, `{**extra}`) is never changed, so the sharing is harmless
    (bottle's test helper, django-push-notifications' `extra: dict = {}`)."""
    function = next((a for a in source.ancestors(node) if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef)), None)
    if function is None or not any(node is d for d in (*function.args.defaults, *function.args.kw_defaults)):
        return None
    name = parameter_with_default(function.args, node)
    uses = [n for statement in function.body for n in ast.walk(statement) if isinstance(n, ast.Name) and n.id == name]
    if not uses or not all(_only_read(source, use) for use in uses):
        return None
    return f"the default of `{name}` is only read, never changed, stored or passed on"


def _only_read(source: PySource, use: ast.Name) -> bool:
    parent = source.parents.get(use)
    if not isinstance(use.ctx, ast.Load) or parent is None:
        return False
    if isinstance(parent, ast.For | ast.comprehension):
        return parent.iter is use
    if isinstance(parent, ast.Starred | ast.Compare | ast.BoolOp | ast.FormattedValue):
        return True
    if isinstance(parent, ast.keyword):
        return parent.arg is None  # `f(**extra)` passes a copy
    if isinstance(parent, ast.Dict):
        return any(key is None and value is use for key, value in zip(parent.keys, parent.values, strict=True))
    if isinstance(parent, ast.Subscript):
        return parent.value is use and isinstance(parent.ctx, ast.Load)
    if isinstance(parent, ast.Attribute):
        call = source.parents.get(parent)
        return parent.attr in READ_METHODS and isinstance(call, ast.Call) and call.func is parent
    if isinstance(parent, ast.Call):
        return use in parent.args and dotted(parent.func).rsplit(".", 1)[-1] in READING_CALLS
    if isinstance(parent, ast.UnaryOp):
        return True
    if isinstance(parent, ast.If | ast.IfExp | ast.While):
        return parent.test is use  # `x if items else y`: the branch taken may hand `items` out
    return False


WEAKER: dict[str, Callable[[PySource, ast.AST], str | None]] = {
    "T201": printed_on_purpose,
    "PT017": fails_when_nothing_is_raised,
    "B006": default_only_read,
}


def hidden_test(source: PySource, node: ast.AST) -> str | None:
    """F811 on a test defined twice (`def test_x` twice, or a second class of test methods by the same
    name): the second replaces the first, so the runner never collects the first. That is a test lost
    without a trace, not a tidy-up (django-defender, django-sortedm2m), so it gets its own rule."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
        return "hidden-test"
    if isinstance(node, ast.ClassDef) and any(
            isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name.startswith("test") for item in node.body):
        return "hidden-test"
    return None


# Findings the code shows to be a sharper case of their rule, reported under reviewbot's own id.
SHARPER: dict[str, Callable[[PySource, ast.AST], str | None]] = {
    "F811": hidden_test,
}


def sharper_rule(rule: str, source: PySource, line: int, column: int, end: tuple[int, int]) -> str | None:
    """The reviewbot rule id this finding is a sharper case of (`hidden-test` for a test defined twice), or None."""
    check = SHARPER.get(rule)
    node = None if check is None or source.tree is None else source.node_at(line, column, end)
    return None if check is None or node is None else check(source, node)


def weak_hash_without_attacker(path: str, source: PySource, node: ast.AST) -> str | None:
    for ancestor in source.ancestors(node):
        if isinstance(ancestor, ast.Call) and dotted(ancestor.func).endswith(HMAC_CALLS):
            return "the hash is the digest of an HMAC"
        if isinstance(ancestor, ast.keyword) and ancestor.arg == "digestmod":
            return "the hash is the digest of an HMAC"
        if isinstance(ancestor, ast.stmt):
            names = _names_in(ancestor) | {_enclosing_function(source, node)}
            if any(NON_SECURITY_NAMES.search(name) for name in names if name):
                return "the digest identifies content (a checksum, ETag or cache key)"
            break
    return None


def print_in_entry_point(path: str, source: PySource, node: ast.AST) -> str | None:
    pure = PurePosixPath(path)
    if pure.name in CLI_FILES or pure.name.endswith("_script.py") or is_command_line_path(path):
        return "the file is a command-line entry point, script or example"
    if _imports(source) & CLI_IMPORTS:
        return "the module parses a command line"
    if "argv" in source.spelled:  # amoffat/sh's `dev_scripts/changelog_extract.py`: `version = sys.argv[1]`
        return "the module reads its command line (`sys.argv`)"
    if source.text.startswith("#!"):  # simplejson's `tsan_stress_simplejson.py`: `#!/usr/bin/env python3`
        return "the file starts with a `#!` line: it is run as a program"
    for ancestor in source.ancestors(node):
        if isinstance(ancestor, ast.If) and _is_main_guard(ancestor.test):
            return "it runs under `if __name__ == \"__main__\"`"
        if isinstance(ancestor, ast.FunctionDef | ast.AsyncFunctionDef) and (
            ancestor.name in ENTRY_FUNCTIONS or any(_is_command(d) for d in ancestor.decorator_list)
        ):
            return "it is in a command-line entry point"
        if isinstance(ancestor, ast.ClassDef) and {_last_name(base) for base in ancestor.bases} & CLI_BASES:
            return "it is in a command-line program's class"
    return None


def _last_name(node: ast.expr) -> str:
    """`Program` for `Program` and for `invoke.Program`; "" for anything else."""
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


# Built-ins whose shadowing breaks code that calls them nearby.
CALLED_BUILTINS = frozenset({"list", "dict", "set", "tuple", "str", "int", "float", "bool", "bytes", "len", "sum",
                             "min", "max", "any", "all", "sorted", "open", "print", "range", "iter", "next", "map",
                             "zip", "enumerate", "isinstance", "getattr", "setattr", "super", "round", "abs"})  # fmt: skip


def private_member_of_own_code(path: str, source: PySource, node: ast.AST) -> str | None:
    target = node if isinstance(node, ast.Attribute) else None
    if target is None:
        return None
    base = target.value
    while isinstance(base, ast.Attribute):
        base = base.value
    if isinstance(base, ast.Name) and base.id in _imported_names(source):
        return None
    return "the object is this code's own, not an imported module"


def idiomatic_shadowing(path: str, source: PySource, node: ast.AST) -> str | None:
    name = node.arg if isinstance(node, ast.arg) else node.id if isinstance(node, ast.Name) else ""
    return None if name in CALLED_BUILTINS else f"`{name}` is rarely called as a built-in"


def name_the_code_guards(path: str, source: PySource, node: ast.AST) -> str | None:
    """F821 on a name the code shows it knows may be missing: a built-in under a version check, or a name
    the module probes for with `try: name` / `except NameError:`."""
    name = node.id if isinstance(node, ast.Name) else ""
    if not name:
        return None
    for ancestor in source.ancestors(node):
        if isinstance(ancestor, ast.If) and (name in dir(builtins) or _newer_than_this_python(ancestor.test)) \
                and "version_info" in ast.unparse(ancestor.test):
            return f"`{name}` is a built-in of the Python version this branch is guarded for"
    if name in source.probed_names:
        return f"the module checks whether `{name}` exists (`except NameError`) before it relies on it"
    if name in source.exec_defined:
        return f"the module defines `{name}` by running literal code with `exec(...)`"
    return None


def _newer_than_this_python(test: ast.expr) -> bool:
    """`sys.version_info >= (3, 15)` on a Python older than 3.15: the branch may use built-ins this
    interpreter, and so the reviewer, has never heard of (simplejson's `frozendict`, PEP 814)."""
    bound = _version_bound(test)
    return bound is not None and bound[0] in (ast.GtE, ast.Gt) and bound[1] > tuple(sys.version_info[:2])


ZIP_STRICT = (3, 10)  # the version whose zip() takes strict= (PEP 618)


def zip_strict_not_there(path: str, source: PySource, node: ast.AST) -> str | None:
    child = node
    for ancestor in source.ancestors(node):
        if isinstance(ancestor, ast.If) and (bound := _version_bound(ancestor.test)) is not None:
            op, version = bound
            in_body = any(child is statement for statement in ancestor.body)
            below = op in (ast.Lt, ast.LtE) if in_body else op in (ast.GtE, ast.Gt)
            if below and (version <= ZIP_STRICT if op in (ast.Lt, ast.GtE) else version < ZIP_STRICT):
                return "this branch runs only on Pythons whose `zip` has no `strict=`"
        child = ancestor
    return None


def _version_bound(test: ast.expr) -> tuple[type[ast.cmpop], tuple[int, ...]] | None:
    """(`>=`, (3, 10)) for `sys.version_info >= (3, 10)`; None for any other test."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and "version_info" in ast.unparse(test.left)):
        return None
    right = test.comparators[0]
    if not (isinstance(right, ast.Tuple) and all(isinstance(e, ast.Constant) and type(e.value) is int
                                                 for e in right.elts)):
        return None
    op = type(test.ops[0])
    return (op, tuple(e.value for e in right.elts)) if op in (ast.Lt, ast.LtE, ast.Gt, ast.GtE) else None  # type: ignore[attr-defined]


def deliberate_broad_except(path: str, source: PySource, node: ast.AST) -> str | None:
    handler = next((a for a in (node, *source.ancestors(node)) if isinstance(a, ast.ExceptHandler)), None)
    if handler is None:
        return None
    if handler.name and any(isinstance(n, ast.Name) and n.id == handler.name for b in handler.body for n in ast.walk(b)):
        return "the handler keeps the exception"
    statement = source.parents.get(handler)
    if isinstance(statement, ast.Try) and len(statement.body) == 1:
        return "the try block is a single statement: a deliberate probe"
    return explained_pass(path, source, node)


def reraised(path: str, source: PySource, node: ast.AST) -> str | None:
    """E722 on a bare `except:` whose handler ends by raising again (`raise`, or `raise exc` of the exception
    being handled): it cleans up and lets everything through, Ctrl-C included, as `finally` would
    (jazzband/contextlib2's copy of CPython's tests restores `__context__` and re-raises)."""
    handler = next((a for a in (node, *source.ancestors(node)) if isinstance(a, ast.ExceptHandler)), None)
    last = handler.body[-1] if handler is not None and handler.body else None
    if isinstance(last, ast.Raise) and (last.exc is None or isinstance(last.exc, ast.Name)) and last.cause is None:
        return "the handler raises the exception again"
    return None


def explained_pass(path: str, source: PySource, node: ast.AST) -> str | None:
    handler = next((a for a in (node, *source.ancestors(node)) if isinstance(a, ast.ExceptHandler)), None)
    if handler is None or handler.end_lineno is None:
        return None
    lines = source.lines[handler.lineno - 1 : handler.end_lineno]
    return "a comment in the handler says why" if any("#" in line for line in lines[1:]) else None


def sql_of_constants(path: str, source: PySource, node: ast.AST) -> str | None:
    return only_constants(source, node)


def password_sentinel(path: str, source: PySource, node: ast.AST) -> str | None:
    value = node.value if isinstance(node, ast.Constant) else None
    compare = source.parents.get(node)
    if isinstance(value, str) and isinstance(compare, ast.Assign | ast.AnnAssign):
        targets = compare.targets if isinstance(compare, ast.Assign) else [compare.target]
        if all(describes_a_secret(_last_name(target)) for target in targets):
            return "the name describes a secret (its message, its kind), it does not hold one"
        return None
    if not isinstance(value, str) or not isinstance(compare, ast.Compare):
        return None
    if len(value) < 4:
        return "a short literal compared with the password is a sentinel"
    named = [_last_name(side) for side in (compare.left, *compare.comparators) if side is not node]
    if any(describes_a_secret(name) for name in named):
        return "the name is about a password's or secret's kind, not its value"
    return None


def typographic(message: str) -> str | None:
    """RUF001's message names the character, e.g. "ambiguous `\u2019` (RIGHT SINGLE QUOTATION MARK)"."""
    quoted = re.search(r"ambiguous `(.)`", message)
    if quoted and unicodedata.category(quoted.group(1)).startswith(("P", "Z")):
        return "typographic punctuation in prose is intended"
    return None


def command_line_options(path: str, source: PySource, node: ast.AST) -> str | None:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
        dotted(d).endswith((".option", ".argument", ".command")) or _is_command(d) for d in node.decorator_list
    ):
        return "the parameters are the command's options"
    return None


def raises_around_one_statement(path: str, source: PySource, node: ast.AST) -> str | None:
    block = next((a for a in source.ancestors(node) if isinstance(a, ast.With | ast.AsyncWith)), None)
    if block is not None and len(block.body) == 1 and not isinstance(block.body[0], ast.For | ast.While | ast.If):
        return "the block holds one statement, so the exception can only come from it"
    return None


# Names and keywords that show a module handles time zones (aware datetimes).
AWARE_NAMES = frozenset({"timezone", "tzinfo", "astimezone", "ZoneInfo", "zoneinfo", "utc", "UTC", "pytz", "gettz",
                         "tzutc", "tzlocal", "pendulum", "arrow"})  # fmt: skip
AWARE_KEYWORDS = frozenset({"tz", "tzinfo"})
# Command-line parsers, and the exceptions they turn into a one-line usage message.
CLI_PARSERS = frozenset({"click", "argparse", "typer"})
USAGE_ERRORS = ("BadParameter", "UsageError", "BadOptionUsage", "BadArgumentUsage", "ClickException",
                "ArgumentTypeError", "ArgumentError", "FileError", "NoSuchOption", "MissingParameter")  # fmt: skip


def naive_time_throughout(path: str, source: PySource, node: ast.AST) -> str | None:
    if source.keyword_args & AWARE_KEYWORDS or source.spelled & AWARE_NAMES:
        return None
    if any(_aware_import(found) for found in source.imports):
        return None
    return "the module uses no time zone anywhere: nothing mixes naive and aware datetimes"


def _aware_import(node: ast.Import | ast.ImportFrom) -> bool:
    modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
    names = modules + [alias.name for alias in node.names]
    return any(part in AWARE_NAMES for name in names for part in name.split("."))


def usage_error_without_cause(path: str, source: PySource, node: ast.AST) -> str | None:
    statement = next((a for a in (node, *source.ancestors(node)) if isinstance(a, ast.Raise)), None)
    raised = statement.exc if statement is not None else None
    called = dotted(raised) if raised is not None else ""
    module, _, name = called.rpartition(".")
    if name not in USAGE_ERRORS:
        return None
    parser = module.split(".")[0] in CLI_PARSERS if module else bool(_imported_from(source, name) & CLI_PARSERS)
    return "a usage error is shown as one line of text, never with its cause" if parser else None


def _imported_from(source: PySource, name: str) -> set[str]:
    """The top-level modules `name` is imported from (`from click import BadParameter` -> {"click"})."""
    return {node.module.split(".")[0] for node in source.imports
            if isinstance(node, ast.ImportFrom) and node.module and any((a.asname or a.name) == name for a in node.names)}  # fmt: skip


def nested_if_with_or(path: str, source: PySource, node: ast.AST) -> str | None:
    outer = next((a for a in (node, *source.ancestors(node)) if isinstance(a, ast.If)), None)
    inner = outer.body[0] if outer is not None and outer.body else None
    if outer is None or not isinstance(inner, ast.If):
        return None
    if any(isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) for test in (outer.test, inner.test)):
        return "one of the conditions is an `or`: combined, it needs parentheses and reads no better"
    return None


PLAIN_METACLASSES = frozenset({"ABCMeta", "abc.ABCMeta", "type"})  # they do not rewrite class attributes


def declared_for_a_metaclass(path: str, source: PySource, node: ast.AST) -> str | None:
    owner = next((a for a in (node, *source.ancestors(node)) if isinstance(a, ast.ClassDef)), None)
    if owner is None:
        return None
    meta, builder = metaclass_of(source, owner, set())
    if meta is None:
        return None
    if builder is owner:
        return f"`class {owner.name}` is built by its metaclass `{meta}`, which reads its class attributes as declarations"
    return (f"`class {owner.name}` inherits the metaclass `{meta}` from `{builder.name}`, "
            "which reads its class attributes as declarations")


def metaclass_of(source: PySource, owner: ast.ClassDef, seen: set[str]) -> tuple[str | None, ast.ClassDef]:
    """The metaclass (other than a plain one) that builds `owner`, and the class of this module it comes from:
    `owner` itself (`metaclass=`), or a base class defined in this module, followed through its bases. A base
    rebound by calling a metaclass (`Setting = SettingMeta("Setting", (Setting,), {})`) counts as built by it."""
    meta = next((dotted(k.value) for k in owner.keywords if k.arg == "metaclass"), None)
    if meta is not None:
        return (None if meta in PLAIN_METACLASSES else meta), owner
    seen.add(owner.name)
    for base in (b.id for b in owner.bases if isinstance(b, ast.Name) and b.id not in seen):
        binding = _binding_before(source, base, owner.lineno)
        if isinstance(binding, ast.ClassDef):
            found, builder = metaclass_of(source, binding, seen)
            if found is not None:
                return found, builder
        elif isinstance(binding, ast.Call) and _is_metaclass(source, dotted(binding.func)):
            built = _binding_before(source, base, binding.lineno, classes_only=True)
            return dotted(binding.func), built if isinstance(built, ast.ClassDef) else owner
    return None, owner


def _binding_before(source: PySource, name: str, line: int, classes_only: bool = False) -> ast.AST | None:
    """What `name` is bound to at module level by the last statement before `line`: a class, or an assigned value."""
    found: ast.AST | None = None
    for statement in source.tree.body if source.tree else []:
        if statement.lineno >= line:
            break
        if isinstance(statement, ast.ClassDef) and statement.name == name:
            found = statement
        elif (not classes_only and isinstance(statement, ast.Assign)
              and any(isinstance(t, ast.Name) and t.id == name for t in statement.targets)):  # fmt: skip
            found = statement.value
    return found


def _is_metaclass(source: PySource, name: str) -> bool:
    """`name` is a class of this module derived from `type` (directly or through another such class)."""
    classes = {n.name: n for n in (source.tree.body if source.tree else []) if isinstance(n, ast.ClassDef)}
    seen: set[str] = set()
    while name in classes and name not in seen and name not in PLAIN_METACLASSES:
        seen.add(name)
        bases = [dotted(b) for b in classes[name].bases]
        if "type" in bases:
            return True
        name = bases[0] if bases else ""
    return False


def declared_in_a_base(path: str, source: PySource, node: ast.AST) -> str | None:
    """RUF012 on `timeframes = {...}` in `class ThaiLocale(Locale)` where `Locale`, a class of this module,
    declares `timeframes: ClassVar[...]`: the subclass fills in what its base declared."""
    assign = next((a for a in (node, *source.ancestors(node)) if isinstance(a, ast.Assign | ast.AnnAssign)), None)
    owner = source.parents.get(assign) if assign is not None else None
    if assign is None or not isinstance(owner, ast.ClassDef):
        return None
    targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
    names = {t.id for t in targets if isinstance(t, ast.Name)}
    base = _class_var_base(source, owner, names, set())
    return f"`{base}`, its base class, declares it a `ClassVar`; `{owner.name}` sets its value" if base else None


def _class_var_base(source: PySource, owner: ast.ClassDef, names: set[str], seen: set[str]) -> str | None:
    """The nearest base class of this module (followed through its own bases) that annotates one of
    `names` with `ClassVar`."""
    seen.add(owner.name)
    for base in (b.id for b in owner.bases if isinstance(b, ast.Name) and b.id not in seen):
        binding = _binding_before(source, base, owner.lineno, classes_only=True)
        if not isinstance(binding, ast.ClassDef):
            continue
        if any(isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name) and item.target.id in names
               and _is_class_var(item.annotation) for item in binding.body):  # fmt: skip
            return binding.name
        if (found := _class_var_base(source, binding, names, seen)) is not None:
            return found
    return None


def _is_class_var(annotation: ast.expr) -> bool:
    head = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    return dotted(head).rsplit(".", 1)[-1] == "ClassVar"


def mutable_class_attribute(path: str, source: PySource, node: ast.AST) -> str | None:
    return declared_for_a_metaclass(path, source, node) or declared_in_a_base(path, source, node)


CLEANUP_WORDS = frozenset({"close", "cleanup", "teardown", "dispose", "release", "shutdown", "unlink", "quietly"})
CLEANUP_PAIRS = frozenset({("clean", "up"), ("tear", "down"), ("shut", "down")})
CLEANUP_METHODS = frozenset({"__del__", "__exit__", "__aexit__"})
BEST_EFFORT_DOC = re.compile(r"best[- ]effort|ignor(?:e|es|ing) (?:any )?(?:exceptions|errors)", re.IGNORECASE)


def silenced_pass(path: str, source: PySource, node: ast.AST) -> str | None:
    return explained_pass(path, source, node) or best_effort_cleanup(path, source, node)


def _names_cleanup(name: str) -> bool:
    """`_try_close`, `closeQuietly`, `tear_down`, `__exit__`: by its words, the name says cleanup."""
    words = [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name)]
    pairs = set(itertools.pairwise(words))
    return name in CLEANUP_METHODS or words[:1] == ["try"] or bool(CLEANUP_WORDS & set(words) or CLEANUP_PAIRS & pairs)


def best_effort_cleanup(path: str, source: PySource, node: ast.AST) -> str | None:
    """S110 in a cleanup function: a failing close must not replace the error the caller is handling."""
    handler = next((a for a in (node, *source.ancestors(node)) if isinstance(a, ast.ExceptHandler)), None)
    if handler is None or handler.type is None or dotted(handler.type) == "BaseException":
        return None  # a bare except also swallows KeyboardInterrupt and SystemExit
    function = next((a for a in source.ancestors(handler) if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef)), None)
    if function is None:
        return None
    doc = ast.get_docstring(function) or ""
    if _names_cleanup(function.name) or BEST_EFFORT_DOC.search(doc):
        return f"`{function.name}` is best-effort cleanup: a failure there must not replace the error being handled"
    return None


def access_for_its_exception(path: str, source: PySource, node: ast.AST) -> str | None:
    """B018 on `dist.metadata` alone in `with suppress(MetadataNotFound):` or a `try:` body: reading the
    attribute is how the code asks whether it raises (python/importlib_metadata ede3fcca52); so is a bare
    name (`try: anext` / `except NameError:`, jazzband/contextlib2's fallbacks for older Pythons)."""
    statement = next((a for a in (node, *source.ancestors(node)) if isinstance(a, ast.Expr)), None)
    if statement is None or not isinstance(statement.value, ast.Attribute | ast.Subscript | ast.Name):
        return None
    what = "name" if isinstance(statement.value, ast.Name) else "attribute"
    for ancestor in source.ancestors(statement):
        if isinstance(ancestor, ast.Try) and statement in ancestor.body:
            return f"the {what} is read to see whether it raises, inside a `try`"
        if isinstance(ancestor, ast.With | ast.AsyncWith) and any(
            dotted(item.context_expr).rsplit(".", 1)[-1] == "suppress" for item in ancestor.items
        ):
            return f"the {what} is read to see whether it raises, inside `suppress(...)`"
        if isinstance(ancestor, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            break
    return None


def compared_not_bound(path: str, source: PySource, node: ast.AST) -> str | None:
    """S104 on `"0.0.0.0"` that is compared with (`if bind_address == "0.0.0.0":`), not bound to: the code
    asks whether a setting listens everywhere (aiohttp-devtools, whose commit moved the default off it)."""
    return "the address is compared with, not bound to" if isinstance(source.parents.get(node), ast.Compare) else None


def used_in_type_comments(path: str, source: PySource, node: ast.AST) -> str | None:
    """F401 on an import a PEP 484 type comment uses (`# type: (Optional[str]) -> None`): ruff does not read
    type comments, but mypy does, so the import is needed (pytransitions' typing commits)."""
    alias = next((a for a in (node, *source.ancestors(node)) if isinstance(a, ast.alias)), None)
    if alias is None:
        return None
    name = alias.asname or alias.name.split(".")[0]
    used = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
    return "a `# type:` comment uses it" if used.search(source.type_comments) else None


CHECKS: dict[str, Check] = {
    "F401": used_in_type_comments,
    "S104": compared_not_bound,
    "B018": access_for_its_exception,
    "RUF012": mutable_class_attribute,
    "DTZ001": naive_time_throughout,
    "DTZ002": naive_time_throughout,
    "DTZ005": naive_time_throughout,
    "DTZ006": naive_time_throughout,
    "B904": usage_error_without_cause,
    "SIM102": nested_if_with_or,
    "BLE001": deliberate_broad_except,
    "E722": reraised,
    "S110": silenced_pass,
    "ISC004": split_item_not_a_missing_comma,
    "S608": sql_of_constants,
    "S105": password_sentinel,
    "PLR0913": command_line_options,
    "F821": name_the_code_guards,
    "B905": zip_strict_not_there,
    "PT011": raises_around_one_statement,
    "S324": weak_hash_without_attacker,
    "T201": print_in_entry_point,
    "SLF001": private_member_of_own_code,
    "A001": idiomatic_shadowing,
    "A002": idiomatic_shadowing,
}


def _imported_names(source: PySource) -> set[str]:
    """Names bound by `import x` / `import x as y` (modules, whose private names are someone else's)."""
    names = set()
    for node in source.imports:
        if isinstance(node, ast.Import):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def _names_in(statement: ast.stmt) -> set[str]:
    names = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.keyword) and node.arg:
            names.add(node.arg)
    return names


def _enclosing_function(source: PySource, node: ast.AST) -> str:
    return next((a.name for a in source.ancestors(node) if isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef)), "")


def _imports(source: PySource) -> set[str]:
    found = set()
    for node in source.imports:
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


def _is_main_guard(test: ast.expr) -> bool:
    if not isinstance(test, ast.Compare) or len(test.comparators) != 1:
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides
    )


def _is_command(decorator: ast.expr) -> bool:
    name = dotted(decorator)
    return name.endswith((".command", ".group", ".callback")) or name in ("command", "group")
