"""Evidence checks: a weak hash or a print is reported only where it is a problem (real ruff)."""

from __future__ import annotations

from reviewbot.analyzers.ruff import RuffAnalyzer
from reviewbot.diffmodel import parse_diff
from reviewbot.principles import load_graph
from reviewbot.review.analyzer import SourceFile


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
