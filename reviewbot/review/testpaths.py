"""Which paths hold test code: the test profile.

Test code is held to different rules (a password in a fixture is not a leak,
`assert` is the point, a print is harmless), so each rule's `in_tests` policy
in the rule table applies to these paths. The defaults cover the common
layouts of Python, JavaScript/TypeScript, Go, Java and Ruby; the repository's
policy file replaces them with `tests = [...]` (gitignore-style globs, read
from the trusted revision like every policy setting).

Test data is narrower: files a test reads as input or compares as text
(`testdata/`, `tests/data/`, `__fixtures__/`), such as a formatter's sample
sources with undefined names on purpose. They are never imported or run, so
the code linters do not review them; the secret scan and the diff checks still
read them (a real key in a fixture is still a committed key). A `fixtures/`
folder holds both kinds: a module of pytest fixtures imports what it sets up,
while a parser's sample (LibCST's `tests/fixtures/terrible_tries.py`) imports
nothing, or is not even Python this interpreter can parse. Elsewhere in test
code, a file that imports nothing and defines no test is such a sample too.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from reviewbot.review.globs import matches_any

DEFAULT_TEST_PATHS: tuple[str, ...] = (
    # directories of tests and fixtures, in any language
    "tests/", "test/", "testing/", "__tests__/", "spec/", "specs/", "e2e/", "cypress/",
    "fixtures/", "__fixtures__/", "__mocks__/", "testdata/", "test_data/", "**/src/test/",
    # integration suites at the repository's root (pyinvoke's `integration/`); not anywhere, where
    # `integration/` may be a package of the product
    "/integration/", "/integration_tests/", "/integration-tests/",
    # Python
    "test_*.py", "*_test.py", "*_tests.py", "conftest.py",
    # JavaScript / TypeScript
    "*.test.js", "*.test.jsx", "*.test.mjs", "*.test.cjs", "*.test.ts", "*.test.tsx", "*.test.mts", "*.test.cts",
    "*.spec.js", "*.spec.jsx", "*.spec.mjs", "*.spec.cjs", "*.spec.ts", "*.spec.tsx", "*.spec.mts", "*.spec.cts",
    "*.cy.js", "*.cy.ts",
    # a package's own `test.js` and `test-<what>.js` (sindresorhus's `test.js`, mafintosh/pump's `test-browser.js`)
    "/test.js", "/test.mjs", "/test.cjs", "/test.ts", "test-*.js", "test-*.mjs", "test-*.cjs", "test-*.ts",
    # Go
    "*_test.go",
    # Java / Kotlin
    "*Test.java", "*Tests.java", "*IT.java", "*Test.kt",
    # Ruby
    "*_spec.rb", "*_test.rb",
)  # fmt: skip


# Directories whose files tests read as data: Go's `testdata/` (the go tool ignores it), the common
# `tests/data/`, `test/data/` and `testing/data/` (pycodestyle's samples), jest's `__fixtures__/`.
DEFAULT_TEST_DATA_PATHS: tuple[str, ...] = (
    "testdata/", "test_data/", "**/tests/data/", "**/test/data/", "**/testing/data/", "__fixtures__/",
)  # fmt: skip


# Folders that hold test data and test code alike.
FIXTURE_PATHS: tuple[str, ...] = ("fixtures/",)
_IMPORT_LINE = re.compile(r"^\s*(?:import|from)\s+[\w.]+", re.MULTILINE)
_TEST_LINE = re.compile(r"^\s*(?:(?:async\s+)?def\s+test|class\s+Test)", re.MULTILINE)


def is_test_data(path: str, content: str | None = None, is_test: bool = False) -> bool:
    """True when `path` is input a test reads (never code that runs). `is_test`: the file is test code by
    the test profile, where a Python file that neither imports anything nor defines a test is a sample a
    test hands to a parser or a linter (pylint's `tests/functional/`)."""
    if matches_any(path, DEFAULT_TEST_DATA_PATHS):
        return True
    if not path.endswith(".py") or content is None:
        return False
    if matches_any(path, FIXTURE_PATHS):
        return _a_sample(content)
    return is_test and PurePosixPath(path).name != "conftest.py" and _a_sample(content, defines_no_test=True)


def _a_sample(content: str, defines_no_test: bool = False) -> bool:
    """A Python file that imports nothing (and, with `defines_no_test`, defines no `test_` function or
    `Test` class), read with `ast`, or with patterns where this interpreter cannot parse it."""
    try:
        tree = ast.parse(content)
    except (SyntaxError, ValueError):
        return _IMPORT_LINE.search(content) is None and not (defines_no_test and _TEST_LINE.search(content))
    nodes = list(ast.walk(tree))
    if any(isinstance(node, ast.Import | ast.ImportFrom) for node in nodes):
        return False
    return not defines_no_test or not any(_a_test(node) for node in nodes)


def _a_test(node: ast.AST) -> bool:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return node.name.startswith("test")
    return isinstance(node, ast.ClassDef) and node.name.startswith("Test")


def is_test_path(path: str, patterns: Sequence[str] | None = None) -> bool:
    """True when `path` is test code under `patterns` (None: the defaults)."""
    return matches_any(path, DEFAULT_TEST_PATHS if patterns is None else patterns)
