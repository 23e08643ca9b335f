"""The principle graph: its data is complete and consistent, its rule table matches the
real analyzers, and the look-ups behave as the contract says."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import textwrap
import tomllib
import warnings
from importlib import resources
from urllib.parse import urlparse

import pytest
from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from ruff.__main__ import find_ruff_bin

from reviewbot.analyzers.ruff import selectable
from reviewbot.errors import ReviewbotError, UnknownPrincipleError
from reviewbot.models import PrincipleRef, Severity
from reviewbot.principles import (
    Principle,
    PrincipleDataError,
    PrincipleGraph,
    RuleMapping,
    build_graph,
    load_graph,
)

DIFF_CHECKS = (
    "conflict-marker",
    "debugger-statement",
    "console-log",
    "focused-test",
    "skipped-test",
    "todo-comment",
    "sensitive-file",
)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"(])")
MAX_DEPTH = 6


@pytest.fixture(scope="module")
def graph() -> PrincipleGraph:
    return load_graph()


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    data = resources.files("reviewbot.principles") / "data"
    return {
        f.name: f.read_text(encoding="utf-8")
        for f in data.iterdir()
        if f.name.endswith(".toml")
    }


@pytest.fixture(scope="module")
def rules_text() -> dict[str, str]:
    rules = resources.files("reviewbot.principles") / "rules"
    return {
        f.name: f.read_text(encoding="utf-8")
        for f in rules.iterdir()
        if f.name.endswith(".rules.toml")
    }


@pytest.fixture(scope="module")
def ruff_bin() -> str:
    return str(find_ruff_bin())


@pytest.fixture(scope="module")
def ruff_catalog(ruff_bin: str) -> dict[str, dict]:
    out = subprocess.run(
        [ruff_bin, "rule", "--all", "--output-format", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return {rule["code"]: rule for rule in json.loads(out) if rule["code"]}


# -- the data ---------------------------------------------------------------


def test_graph_has_at_least_60_principles(graph):
    assert len(graph) >= 60
    assert len(graph.all()) == len(graph)


def test_every_principle_has_all_required_fields(graph):
    for p in graph.all():
        for field in ("id", "name", "statement", "why", "eli12", "category"):
            assert getattr(p, field).strip(), (p.id, field)
        assert p.references, p.id
        assert p.example is None or p.example.strip(), p.id


def test_ids_are_slugs_and_unique_across_files(graph, sources):
    ids = [pid for text in sources.values() for pid in tomllib.loads(text)]
    assert len(ids) == len(set(ids)) == len(graph)
    assert all(SLUG.match(pid) for pid in ids)


def test_category_is_the_data_file_stem(graph, sources):
    assert set(graph.categories()) == {name.removesuffix(".toml") for name in sources}
    for name, text in sources.items():
        for pid in tomllib.loads(text):
            assert graph.get(pid).category == name.removesuffix(".toml")


def test_statement_is_one_sentence_and_why_two_to_five(graph):
    for p in graph.all():
        assert (
            p.statement.endswith(".") and len(SENTENCE_BREAK.split(p.statement)) == 1
        ), p.id
        assert 2 <= len(SENTENCE_BREAK.split(p.why)) <= 5, p.id


def test_prose_is_whitespace_normalised(graph):
    for p in graph.all():
        for text in (p.name, p.statement, p.why, p.eli12):
            assert text == " ".join(text.split()), p.id


# how each example language writes the "bad" and "good" comment lines
COMMENT_MARKERS = {
    "python": "#",
    "shell": "#",
    "yaml": "#",
    "dockerfile": "#",
    "sql": "--",
    "html": "<!--",
    "javascript": "//",
    "typescript": "//",
    "go": "//",
    "java": "//",
}


def test_examples_show_bad_then_good_and_python_ones_compile(graph):
    examples = [p for p in graph.all() if p.examples]
    assert len(examples) >= len(graph) // 2
    for p in examples:
        for language, code in p.examples:
            marker = COMMENT_MARKERS[language]
            bad, good = code.find(f"{marker} bad"), code.find(f"{marker} good")
            assert 0 <= bad < good, (p.id, language)
            if language == "python":
                _compile_example(p.id, code)


def _compile_example(pid: str, code: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", SyntaxWarning
        )  # bad examples may warn on purpose
        try:
            compile(code, pid, "exec")
        except SyntaxError:  # statements such as `return` or `await` need a function
            body = textwrap.indent(code, "    ")
            compile(f"async def _example():\n{body}\n", pid, "exec")


def test_references_are_https_urls(graph):
    for p in graph.all():
        for url in p.references:
            parsed = urlparse(url)
            assert parsed.scheme == "https" and parsed.netloc and " " not in url, (
                p.id,
                url,
            )
        assert len(set(p.references)) == len(p.references), p.id


def test_there_are_five_to_ten_bedrock_principles_without_because(graph):
    bedrock = [p for p in graph.all() if p.bedrock]
    assert 5 <= len(bedrock) <= 10
    assert all(p.category == "bedrock" and p.because == () for p in bedrock)
    expected = {
        "limited-working-memory",
        "trust-boundary",
        "finite-resources",
        "failure-is-certain",
        "read-more-than-written",
        "people-differ",
    }
    assert expected <= {p.id for p in bedrock}


def test_every_non_bedrock_principle_has_a_known_because(graph):
    for p in graph.all():
        if not p.bedrock:
            assert p.because, p.id
            assert all(pid in graph for pid in p.because), p.id
            assert p.id not in p.because


def test_because_links_have_no_cycles(graph):
    state: dict[str, str] = {}

    def visit(pid: str) -> None:
        assert state.get(pid) != "active", f"cycle through {pid}"
        if state.get(pid) == "done":
            return
        state[pid] = "active"
        for deeper in graph.get(pid).because:
            visit(deeper)
        state[pid] = "done"

    for p in graph.all():
        visit(p.id)


def test_every_principle_reaches_bedrock_within_six_steps(graph):
    for p in graph.all():
        path = graph.path_to_bedrock(p.id)
        assert path[0] == p and path[-1].bedrock
        assert len(path) - 1 <= MAX_DEPTH, (p.id, [q.id for q in path])
        assert all(b.id in a.because for a, b in itertools.pairwise(path))


def test_every_bedrock_principle_is_built_upon(graph):
    used = {pid for p in graph.all() for pid in p.because}
    assert all(p.id in used for p in graph.all() if p.bedrock)


# -- the rule table ---------------------------------------------------------


def test_every_rule_maps_to_a_principle_with_a_valid_severity(graph):
    assert set(graph.analyzers()) == {
        "ruff", "secrets", "diff", "oxlint", "shellcheck", "hadolint", "zizmor", "actionlint", "astgrep"}
    for analyzer in graph.analyzers():
        for rule, mapping in graph.rules(analyzer).items():
            assert (mapping.analyzer, mapping.rule) == (analyzer, rule)
            assert mapping.principle_id in graph
            assert isinstance(mapping.severity, Severity)


def test_ruff_selection_is_curated_and_uses_every_severity(graph):
    ruff = graph.rules("ruff")
    assert 80 <= len(ruff) <= 150
    assert {m.severity for m in ruff.values()} == set(Severity)
    assert ruff["F821"].severity is Severity.ERROR
    assert ruff["B006"].severity is Severity.WARNING


def test_syntax_errors_are_comments_not_skips(graph):
    assert graph.rule("ruff", "invalid-syntax").severity is Severity.ERROR


def test_every_ruff_key_is_a_stable_rule_of_the_installed_ruff(graph, ruff_catalog):
    for code in selectable(graph.rules("ruff")):
        assert code in ruff_catalog, f"{code} is not a ruff rule"
        rule = ruff_catalog[code]
        assert not rule["preview"], f"{code} needs --preview"
        assert "Stable" in rule["status"], f"{code} is {rule['status']}"


def test_ruff_accepts_the_whole_selection_without_preview(graph, ruff_bin, tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n\n\ndef f(x=[]):\n    return undefined_name\n", encoding="utf-8"
    )
    result = subprocess.run(
        [
            ruff_bin,
            "check",
            "--isolated",
            "--no-cache",
            "--output-format",
            "json",
            "--select",
            ",".join(selectable(graph.rules("ruff"))),
            str(sample),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    found = {item["code"] for item in json.loads(result.stdout)}
    assert {"F401", "B006", "F821"} <= found


def test_every_shipped_detect_secrets_plugin_has_an_entry(graph):
    shipped = {cls.__name__ for cls in get_mapping_from_secret_type_to_class().values()}
    secrets = graph.rules("secrets")
    assert shipped <= set(secrets), shipped - set(secrets)
    assert secrets["default"].severity is Severity.WARNING  # an unknown detector is no evidence
    aws = secrets["AWSKeyDetector"]
    assert (aws.principle_id, aws.severity) == ("secrets-out-of-source", Severity.ERROR)
    assert aws.in_tests == "info"
    heuristics = ("KeywordDetector", "Base64HighEntropyString", "HexHighEntropyString")
    assert all(secrets[name].severity is Severity.WARNING for name in heuristics)


def test_unknown_secrets_plugin_falls_back_to_default(graph):
    mapping = graph.rule("secrets", "SomeFutureDetector")
    assert mapping is not None and mapping.rule == "default"
    assert graph.for_rule("secrets", "SomeFutureDetector").id == "secrets-out-of-source"


def test_every_diff_check_has_an_entry(graph):
    diff = graph.rules("diff")
    assert set(DIFF_CHECKS) <= set(diff)
    assert diff["conflict-marker"].severity is Severity.ERROR
    assert diff["sensitive-file"].severity is Severity.WARNING  # a file name is a heuristic
    assert diff["todo-comment"].severity is Severity.INFO


def test_rule_lookups(graph):
    assert graph.rule("ruff", "B006").principle_id == "no-shared-mutable-defaults"
    assert graph.for_rule("ruff", "B006") is graph.get("no-shared-mutable-defaults")
    assert graph.rule("ruff", "NOPE999") is None
    assert graph.for_rule("ruff", "NOPE999") is None
    assert graph.rule("no-such-analyzer", "B006") is None
    assert graph.rules("no-such-analyzer") == {}


def test_rules_returns_a_copy(graph):
    table = graph.rules("ruff")
    table.clear()
    assert graph.rules("ruff")


# -- look-ups ---------------------------------------------------------------


def test_get_returns_the_principle(graph):
    p = graph.get("trust-boundary")
    assert p.id == "trust-boundary" and p.bedrock
    assert "trust-boundary" in graph and "nope" not in graph
    assert 42 not in graph and ["trust-boundary"] not in graph


def test_get_unknown_id_suggests_close_ids(graph):
    with pytest.raises(UnknownPrincipleError) as info:
        graph.get("least-privilage")
    assert (
        str(info.value)
        == "unknown principle 'least-privilage' (did you mean 'least-privilege'?)"
    )
    assert isinstance(info.value, ReviewbotError)


def test_get_unknown_id_suggests_ids_containing_it(graph):
    with pytest.raises(UnknownPrincipleError, match=r"did you mean 'set-timeouts'\?"):
        graph.get("timeouts")


def test_get_unknown_id_without_any_match_says_how_to_list(graph):
    with pytest.raises(UnknownPrincipleError) as info:
        graph.get("zzzz")
    assert (
        str(info.value)
        == "unknown principle 'zzzz' (run `reviewbot principles` to list them)"
    )


def test_all_is_sorted_by_id(graph):
    ids = [p.id for p in graph.all()]
    assert ids == sorted(ids)


def test_deeper_follows_because_in_data_order(graph):
    p = graph.get("no-shared-mutable-defaults")
    assert tuple(q.id for q in graph.deeper(p.id)) == p.because
    assert graph.deeper("trust-boundary") == ()


def test_chain_reaches_bedrock_and_never_repeats(graph):
    for p in graph.all():
        layers = graph.chain(p.id)
        assert layers[0] == (p,)
        flat = [q.id for layer in layers for q in layer]
        assert len(flat) == len(set(flat)), p.id
        assert any(q.bedrock for layer in layers for q in layer), p.id
        assert {q.id for layer in layers for q in layer if q.bedrock} == {
            q.id for q in graph.bedrock_of(p.id)
        }


def test_chain_layers_are_breadth_first_in_the_curated_order(graph):
    layers = graph.chain("crypto-randomness")
    assert [[p.id for p in layer] for layer in layers] == [
        ["crypto-randomness"],
        ["security-values-must-be-unguessable", "trust-boundary"],
        ["attacks-improve-over-time"],
        ["change-is-constant"],
    ]


def test_chain_of_bedrock_is_itself(graph):
    assert graph.chain("finite-resources") == ((graph.get("finite-resources"),),)
    assert graph.path_to_bedrock("finite-resources") == (graph.get("finite-resources"),)


def test_path_to_bedrock_follows_the_first_because_entry(graph):
    for p in graph.all():
        path = graph.path_to_bedrock(p.id)
        assert all(b.id == a.because[0] for a, b in itertools.pairwise(path)), p.id
        assert graph.distance_to_bedrock(p.id) == len(path) - 1


def test_path_to_bedrock_takes_the_primary_branch_not_the_shortest(graph):
    # names-are-references is one step nearer bedrock, but when the default is built comes first
    path = graph.path_to_bedrock("no-shared-mutable-defaults")
    assert [p.id for p in path] == [
        "no-shared-mutable-defaults",
        "know-when-code-runs",
        "names-are-references",
        "locality-of-reasoning",
        "limited-working-memory",
    ]
    assert graph.distance_to_bedrock("trust-boundary") == 0


def test_bedrock_of_is_sorted_and_complete(graph):
    bedrock = graph.bedrock_of("no-shared-mutable-defaults")
    assert [p.id for p in bedrock] == sorted(p.id for p in bedrock)
    assert {p.id for p in bedrock} >= {"read-more-than-written", "people-make-mistakes"}


def test_lookups_of_unknown_ids_raise(graph):
    lookups = (
        graph.deeper,
        graph.chain,
        graph.path_to_bedrock,
        graph.bedrock_of,
        graph.distance_to_bedrock,
    )
    for method in lookups:
        with pytest.raises(UnknownPrincipleError):
            method("no-such-principle")


def test_search_matches_id_name_statement_and_category(graph):
    assert "parameterize-queries" in [p.id for p in graph.search("SQL")]
    assert "no-shared-mutable-defaults" in [
        p.id for p in graph.search("mutable default")
    ]
    assert graph.search("concurrency") and all(
        p.category == "concurrency" or "concurrency" in p.statement.lower()
        for p in graph.search("concurrency")
    )


def test_search_ranks_exact_id_first_and_handles_empty_queries(graph):
    assert graph.search("fail-fast")[0].id == "fail-fast"
    assert graph.search("   ") == ()
    assert graph.search("no principle mentions xylophones") == ()


def test_catalog_lines_are_deterministic_and_complete(graph, sources, rules_text):
    catalog = graph.catalog_lines()
    assert catalog == graph.catalog_lines()
    rebuilt = build_graph(dict(reversed(list(sources.items()))), rules_text)
    assert rebuilt.catalog_lines().encode() == catalog.encode()
    lines = catalog.splitlines()
    assert len(lines) == len(graph)
    first = graph.get(lines[0].split(" — ")[0])
    assert first.bedrock
    for line, p in zip(lines, _catalog_order(graph), strict=True):
        assert line == f"{p.id} — {p.name}: {p.statement}"


def _catalog_order(graph: PrincipleGraph) -> list[Principle]:
    return sorted(graph.all(), key=lambda p: (not p.bedrock, p.category, p.id))


def test_explain_and_ref_follow_the_level(graph):
    p = graph.get("trust-boundary")
    assert p.explain() == p.why and p.explain("engineer") == p.why
    assert p.explain("eli12") == p.eli12
    assert p.ref("eli12") == PrincipleRef(id=p.id, name=p.name, why=p.eli12)
    with pytest.raises(ValueError, match="unknown explanation level 'expert'"):
        p.explain("expert")


def test_load_graph_is_cached(graph):
    assert load_graph() is graph


# -- validation of malformed data -------------------------------------------

GOOD_BEDROCK = """
[rock]
name = "Rock"
statement = "A rock."
why = "It is hard. It lasts."
eli12 = "Like a stone."
because = []
references = ["https://example.org/rock"]
"""

GOOD_LEAF = """
[leaf]
name = "Leaf"
statement = "A leaf."
why = "It grows. It falls."
eli12 = "Like a leaf."
because = ["rock"]
references = ["https://example.org/leaf"]
"""

GOOD_RULE = (
    'principle = "leaf"\nseverity = "warning"\ntitle = "Mutable default argument"\n'
    'fix = "Default to None."\nwhy_here = ["`{arg}` is shared.", "The default is shared."]\n'
)
GOOD_RULES = "[B006]\n" + GOOD_RULE


def _build(
    leaf: str = GOOD_LEAF, rules: str = GOOD_RULES, bedrock: str = GOOD_BEDROCK
) -> PrincipleGraph:
    return build_graph({"bedrock.toml": bedrock, "design.toml": leaf}, {"ruff.rules.toml": rules})


def test_well_formed_minimal_data_builds():
    graph = _build()
    assert [p.id for p in graph.all()] == ["leaf", "rock"]
    assert graph.rule("ruff", "B006") == RuleMapping(
        "ruff", "B006", "leaf", Severity.WARNING, "Mutable default argument", "Default to None.",
        ("`{arg}` is shared.", "The default is shared."),
    )
    assert graph.get("leaf").example is None


@pytest.mark.parametrize(
    ("leaf", "message"),
    [
        ("[leaf\nname = 1", r"design\.toml: invalid TOML"),
        (
            GOOD_LEAF.replace('name = "Leaf"\n', ""),
            r"design\.toml: \[leaf\]: key 'name' must be a non-empty string",
        ),
        (
            GOOD_LEAF.replace('why = "It grows. It falls."', 'why = "  "'),
            r"\[leaf\]: key 'why' must be a non-empty string",
        ),
        (
            GOOD_LEAF.replace('name = "Leaf"', 'name = "Leaf"\nbecuase = []'),
            r"\[leaf\]: unknown key 'becuase'",
        ),
        (
            GOOD_LEAF.replace("[leaf]", "[Leaf_1]"),
            r"\[Leaf_1\]: id must be a lowercase slug",
        ),
        (
            GOOD_LEAF.replace("https://example.org/leaf", "http://example.org/leaf"),
            r"\[leaf\]: key 'references' has a non-https URL",
        ),
        (
            GOOD_LEAF.replace(
                'references = ["https://example.org/leaf"]', "references = []"
            ),
            r"\[leaf\]: key 'references' must list at least one URL",
        ),
        (
            GOOD_LEAF.replace('because = ["rock"]', 'because = "rock"'),
            r"\[leaf\]: key 'because' must be a list of non-empty strings",
        ),
        (
            GOOD_LEAF.replace('because = ["rock"]', 'because = ["rock", "rock"]'),
            r"\[leaf\]: key 'because' lists an entry twice",
        ),
        (
            GOOD_LEAF.replace('because = ["rock"]', 'because = ["rok"]'),
            r"design\.toml: \[leaf\]: 'because' names unknown principle 'rok' \(did you mean 'rock'\?\)",
        ),
        (
            GOOD_LEAF.replace('because = ["rock"]', "because = []"),
            r"design\.toml: \[leaf\]: key 'because' must name a deeper principle",
        ),
        (
            GOOD_LEAF.replace('because = ["rock"]', 'because = ["rock"]\nexample = "x = 1"'),
            r"\[leaf\]: unknown key 'example'",
        ),
        (
            GOOD_LEAF + '\n[leaf.examples]\npython = ""\n',
            r"\[leaf\]: examples\.python must be non-empty code",
        ),
        (
            GOOD_LEAF + '\n[[leaf.misconceptions]]\nid = "m"\nbelief = "b"\ncues = ["X"]\ncorrection = "c"\n',
            r"\[leaf\] misconception m: 'cues' must list lowercase phrases",
        ),
        (
            GOOD_LEAF + '\n[leaf.probe]\nquestion = "q"\n',
            r"\[leaf\]: \[probe\] must have exactly the keys question, answer, cues",
        ),
        ('leaf = "not a table"', r"design\.toml: \[leaf\]: must be a table of keys"),
    ],
)
def test_malformed_principle_data_names_file_and_key(leaf, message):
    with pytest.raises(PrincipleDataError, match=message):
        _build(leaf=leaf)


def test_bedrock_principle_with_because_is_rejected():
    bedrock = GOOD_BEDROCK.replace("because = []", 'because = ["leaf"]')
    with pytest.raises(
        PrincipleDataError,
        match=r"bedrock\.toml: \[rock\]: bedrock principles must have an empty 'because'",
    ):
        _build(bedrock=bedrock)


def test_cycles_are_rejected_with_the_cycle_named():
    twig = GOOD_LEAF.replace("[leaf]", "[twig]").replace(
        'because = ["rock"]', 'because = ["leaf"]'
    )
    leaf = GOOD_LEAF.replace('because = ["rock"]', 'because = ["rock", "twig"]')
    with pytest.raises(
        PrincipleDataError,
        match=r"'because' forms a cycle: (leaf -> twig -> leaf|twig -> leaf -> twig)",
    ):
        _build(leaf=leaf + twig)


def test_duplicate_ids_across_files_are_rejected():
    with pytest.raises(
        PrincipleDataError,
        match=r"security\.toml: principle id 'leaf' is already defined in design\.toml",
    ):
        build_graph(
            {
                "bedrock.toml": GOOD_BEDROCK,
                "design.toml": GOOD_LEAF,
                "security.toml": GOOD_LEAF,
            },
            {"ruff.rules.toml": GOOD_RULES},
        )


WHERE = r"rules/ruff\.rules\.toml: \[B006\]"


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (GOOD_RULES.replace('"leaf"', '"nope"'), WHERE + r": unknown principle 'nope'"),
        (GOOD_RULES.replace('"warning"', '"fatal"'), WHERE + r": severity: unknown severity 'fatal'"),
        (GOOD_RULES.replace('severity = "warning"\n', ""), WHERE + r": missing key 'severity'"),
        (GOOD_RULES.replace('"warning"', "3"), WHERE + r": key 'severity' must be a non-empty string"),
        (GOOD_RULES + 'colour = "red"\n', WHERE + r": unknown key 'colour'"),
        (GOOD_RULES + 'in_tests = "never"\n', WHERE + r": in_tests: unknown severity 'never'"),
        (GOOD_RULES + 'listed = "yes"\n', WHERE + r": key 'listed' must be true or false"),
        (GOOD_RULES.replace('"The default is shared."', '"{value} is shared."'),
         WHERE + r": the last why_here template must use no fact"),
        (GOOD_RULES.replace("`{arg}` is shared.", "`{colour}` is shared."),
         WHERE + r": why_here uses unknown fact 'colour'"),
        ('B006 = "x"', WHERE + r": must be a table"),
        ("[B006\n", r"rules/ruff\.rules\.toml: invalid TOML"),
    ],
)
def test_malformed_rules_name_file_and_rule(rules, message):
    with pytest.raises(PrincipleDataError, match=message):
        _build(rules=rules)


def test_data_errors_are_reviewbot_errors():
    assert issubclass(PrincipleDataError, ReviewbotError)


def test_graph_can_be_built_without_rules():
    graph = PrincipleGraph(_build().all())
    assert graph.analyzers() == () and graph.rule("ruff", "B006") is None
