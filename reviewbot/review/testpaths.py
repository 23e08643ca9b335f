"""Which paths hold test code: the test profile.

Test code is held to different rules (a password in a fixture is not a leak,
`assert` is the point, a print is harmless), so each rule's `in_tests` policy
in the rule table applies to these paths. The defaults cover the common
layouts of Python, JavaScript/TypeScript, Go, Java and Ruby; the repository's
policy file replaces them with `tests = [...]` (gitignore-style globs, read
from the trusted revision like every policy setting).
"""

from __future__ import annotations

from collections.abc import Sequence

from reviewbot.review.globs import matches_any

DEFAULT_TEST_PATHS: tuple[str, ...] = (
    # directories of tests and fixtures, in any language
    "tests/", "test/", "testing/", "__tests__/", "spec/", "specs/", "e2e/", "cypress/",
    "fixtures/", "__fixtures__/", "__mocks__/", "testdata/", "test_data/", "**/src/test/",
    # Python
    "test_*.py", "*_test.py", "*_tests.py", "conftest.py",
    # JavaScript / TypeScript
    "*.test.js", "*.test.jsx", "*.test.mjs", "*.test.cjs", "*.test.ts", "*.test.tsx", "*.test.mts", "*.test.cts",
    "*.spec.js", "*.spec.jsx", "*.spec.mjs", "*.spec.cjs", "*.spec.ts", "*.spec.tsx", "*.spec.mts", "*.spec.cts",
    "*.cy.js", "*.cy.ts",
    # Go
    "*_test.go",
    # Java / Kotlin
    "*Test.java", "*Tests.java", "*IT.java", "*Test.kt",
    # Ruby
    "*_spec.rb", "*_test.rb",
)  # fmt: skip


def is_test_path(path: str, patterns: Sequence[str] | None = None) -> bool:
    """True when `path` is test code under `patterns` (None: the defaults)."""
    return matches_any(path, DEFAULT_TEST_PATHS if patterns is None else patterns)
