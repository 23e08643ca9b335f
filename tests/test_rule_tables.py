"""The rule tables: every rule reads like a senior wrote it, on a real finding of that rule."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from reviewbot.analyzers.diffchecks import CHECKS
from reviewbot.analyzers.ruff import SYNTAX_RULE, RuffAnalyzer
from reviewbot.diffmodel import parse_diff
from reviewbot.principles import PrincipleDataError, load_graph
from reviewbot.principles.ruletable import FACTS, parse_rule_files, template_fields, why_here_sentence
from reviewbot.review.analyzer import SourceFile
from reviewbot.review.builtin import body_of

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+\Z")  # a tool's rule name, e.g. "mutable-argument-default"
SAMPLES = tomllib.loads((Path(__file__).parent / "fixtures" / "ruff_rule_samples.toml").read_text(encoding="utf-8"))


def added(path: str, text: str) -> SourceFile:
    lines = text.splitlines()
    body = "".join(f"+{line}\n" for line in lines)
    diff = f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n{body}"
    (file,) = parse_diff(diff).files
    return SourceFile(path, text, file)


@pytest.fixture(scope="module")
def ruff_findings():
    graph = load_graph()
    files = [added(f"sample_{code.replace('-', '_')}.py", text) for code, text in SAMPLES.items()]
    found = RuffAnalyzer(tuple(graph.rules("ruff"))).analyze(files).findings
    return {(f.path, f.rule): f for f in found}


def test_every_rule_has_a_human_title_a_fix_and_a_why_here():
    graph = load_graph()
    for analyzer in graph.analyzers():
        for rule, mapping in graph.rules(analyzer).items():
            assert mapping.title and mapping.title != rule and not SLUG.match(mapping.title), rule
            assert mapping.fix.endswith((".", ")")), rule
            assert mapping.why_here and not template_fields(mapping.why_here[-1]), rule
            assert all(template_fields(t) <= set(FACTS) for t in mapping.why_here), rule


def test_there_is_a_sample_for_every_curated_ruff_rule():
    assert set(SAMPLES) == set(load_graph().rules("ruff"))


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_why_here_renders_on_a_real_finding_of_the_rule(code: str, ruff_findings) -> None:
    mapping = load_graph().rule("ruff", code)
    finding = ruff_findings.get((f"sample_{code.replace('-', '_')}.py", code))
    assert finding is not None, f"ruff reported no {code} on its sample"
    sentence = why_here_sentence(mapping, finding.facts)
    assert sentence.strip() and all(finding.facts.get(f) for f in template_fields(_chosen(mapping, sentence)))
    if code != SYNTAX_RULE and len(mapping.why_here) > 1:
        assert sentence != mapping.why_here[-1], f"{code}: the sample's facts fill no specific template"
    body = body_of(finding, mapping)
    assert body.startswith(sentence) and f"How to fix: {mapping.fix}" in body


def _chosen(mapping, sentence: str) -> str:
    """The template that produced `sentence` (its literal start matches)."""
    return next(t for t in mapping.why_here if sentence.startswith(t.split("{")[0]))


def test_secrets_and_diff_templates_render_with_their_facts_and_without() -> None:
    graph = load_graph()
    facts = {"secrets": {"kind": "AWS Access Key", "shown": "AKIA…"}, "diff": {"value": "breakpoint()", "kind": "keys"}}
    for analyzer in ("secrets", "diff"):
        for mapping in graph.rules(analyzer).values():
            for given in (facts[analyzer], {}):
                sentence = why_here_sentence(mapping, given)
                assert sentence and "{" not in sentence, (mapping.rule, sentence)
    assert set(CHECKS) == set(graph.rules("diff"))


def test_the_three_misattributed_whys_are_specific_now() -> None:
    graph = load_graph()
    assert graph.rule("ruff", "SIM118").principle_id != "say-it-simply"  # its why is about any()
    assert graph.rule("ruff", "PLR0913").principle_id == "narrow-interfaces"
    s324 = why_here_sentence(graph.rule("ruff", "S324"), {"call": "hashlib.md5", "function": "password_hash"})
    assert "collision" in s324 and "usedforsecurity" not in s324


def test_a_missing_fact_falls_back_to_the_next_template_never_a_hole() -> None:
    mapping = load_graph().rule("ruff", "B006")
    full = why_here_sentence(mapping, {"arg": "items", "value": "[]", "function": "add"})
    assert full.startswith("`items=[]` is built once, when `def add` runs")
    partial = why_here_sentence(mapping, {"arg": "items", "value": "[]"})
    assert partial == mapping.why_here[-1]


def test_a_rule_table_must_be_named_for_its_analyzer() -> None:
    with pytest.raises(PrincipleDataError, match=r"rules/oxlint\.toml: a rule table is named <analyzer>\.rules\.toml"):
        parse_rule_files({"oxlint.toml": ""})


def test_a_bare_except_is_named_for_what_it_catches() -> None:
    """`except:` catches BaseException: the why names that class, never a placeholder word."""
    graph = load_graph()
    text = "def run(job):\n    try:\n        job()\n    except:\n        pass\n"
    found = RuffAnalyzer(tuple(graph.rules("ruff"))).analyze([added("bare.py", text)]).findings
    (silenced,) = [f for f in found if f.rule == "S110"]
    sentence = why_here_sentence(graph.rule("ruff", "S110"), silenced.facts)
    assert sentence.startswith("Every `BaseException` in this `try` of `run` disappears")


def test_not_in_must_be_a_list_of_globs() -> None:
    entry = '[no-redeclare]\nprinciple = "p"\nseverity = "warning"\ntitle = "T"\nfix = "F."\nwhy_here = "W."\n'
    (table,) = parse_rule_files({"oxlint.rules.toml": entry + 'not_in = ["*.ts"]\n'}).values()
    assert table["no-redeclare"].not_in == ("*.ts",)
    with pytest.raises(PrincipleDataError, match=r"\[no-redeclare\]: key 'not_in' must be a list of path globs"):
        parse_rule_files({"oxlint.rules.toml": entry + 'not_in = "*.ts"\n'})
