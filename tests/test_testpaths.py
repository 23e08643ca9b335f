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


PARSER_SAMPLE = "try:\n    pass\nexcept foo, bar:\n    pass\n"  # Instagram/LibCST 3b5329aa20, Python 3.14's syntax
UNDEFINED_ON_PURPOSE = "x = {**d for d in dicts}\ny = [*a for a in its]\n"
FIXTURE_MODULE = "import pytest\n\n\n@pytest.fixture\ndef db():\n    return connect()\n"


@pytest.mark.parametrize(("path", "content", "data"), [
    ("native/libcst/tests/fixtures/terrible_tries.py", PARSER_SAMPLE, True),
    ("native/libcst/tests/fixtures/pep798_dict_unpack_comp.py", UNDEFINED_ON_PURPOSE, True),
    ("tests/fixtures/db.py", FIXTURE_MODULE, False),  # pytest fixtures: code the tests run
    ("tests/fixtures/broken.py", "from app import models\nmodels.(\n", False),  # code with a syntax error
    ("tests/fixtures/sample.py", None, False),  # no content to tell by
    ("src/pkg/constants.py", "X = 1\n", False),  # importing nothing outside `fixtures/` says nothing
])  # fmt: skip
def test_a_fixture_that_imports_nothing_is_a_sample(path: str, content: str | None, data: bool) -> None:
    assert is_test_data(path, content) is data


PYLINT_SAMPLE = '"""Tests for undefined-variable."""\nNESTED = [[1, 2]]\nBAD = [*missing for x in NESTED]  # [undefined-variable]\n'
PLAIN_TEST = "def test_add():\n    assert add(1, 2) == 3\n"


@pytest.mark.parametrize(("path", "content", "data"), [
    ("tests/functional/u/undefined/undefined_variable_py315.py", PYLINT_SAMPLE, True),  # pylint 54eab618d1
    ("tests/test_math.py", PLAIN_TEST, False),  # a test without imports is still a test
    ("tests/helpers.py", "from app import db\n\n\ndef reset():\n    db.clear()\n", False),  # a helper imports
    ("tests/conftest.py", "collect_ignore = ['setup.py']\n", False),  # pytest runs it
])  # fmt: skip
def test_test_code_that_imports_nothing_and_defines_no_test_is_a_sample(path: str, content: str, data: bool) -> None:
    assert is_test_data(path, content, is_test=True) is data
    assert not is_test_data(path, content, is_test=False)
