"""Which paths are test code (the test profile) and which are test data."""

from __future__ import annotations

import pytest

from reviewbot.review.testpaths import is_test_data, is_test_path


@pytest.mark.parametrize(("path", "test"), [
    ("tests/test_app.py", True),
    ("src/pkg/conftest.py", True),
    ("web/src/__tests__/button.jsx", True),
    ("lib/parse.spec.ts", True),
    ("pkg/server/handler_test.go", True),
    ("integration/_support/parsing.py", True),  # pyinvoke/invoke 849cb23ecf: a task a test runs and reads
    ("integration_tests/test_cli.py", True),
    ("src/app/integration/slack.py", False),  # a product's package named `integration`
    ("sentry_sdk/integrations/flask.py", False),
    ("test-browser.js", True),  # mafintosh/pump 276d39e1a9: `console.log('done')` tells the runner it passed
    ("test.js", True), ("lib/test.js", False),  # a package's root `test.js`; a module named `test` deeper in
    ("src/pkg/app.py", False),
])  # fmt: skip
def test_the_default_test_profile(path: str, test: bool) -> None:
    assert is_test_path(path) is test


def test_a_repository_profile_replaces_the_defaults() -> None:
    assert is_test_path("checks/smoke.py", ["checks/"]) and not is_test_path("tests/test_app.py", ["checks/"])


@pytest.mark.parametrize(("path", "data"), [
    ("pkg/testdata/broken.go", True), ("tests/data/sample.py", True), ("tests/test_data.py", False),
    ("testing/data/python314.py", True),  # PyCQA/pycodestyle's samples for each check
    ("src/testing/data.py", False),
])  # fmt: skip
def test_test_data_is_what_tests_read(path: str, data: bool) -> None:
    assert is_test_data(path) is data
