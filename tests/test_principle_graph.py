"""The shape of the curated graph as a teacher needs it: the first `because` entry is the
teaching branch, rule-level principles reach bedrock through the mechanism layer, and the
primary chains stay short enough to walk."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from reviewbot.principles import Principle, PrincipleGraph, load_graph

IMAGES = Path(__file__).parent / "fixtures" / "eli12_images.toml"

MECHANISMS = (
    "names-are-references",
    "know-when-code-runs",
    "cooperative-scheduling",
    "read-modify-write-is-not-atomic",
    "ambiguous-outcomes",
    "waiting-holds-resources",
    "bugs-are-not-recoverable-errors",
    "security-values-must-be-unguessable",
    "fixed-size-numbers",
    "unreliable-signals-get-ignored",
    "boundary-translation",
    "attacks-improve-over-time",
)
MAX_STEPS = 6

# (principle, principles its primary chain passes through, in this order)
TEACHING_ORDER = (
    ("no-shared-mutable-defaults", ("know-when-code-runs", "names-are-references", "limited-working-memory")),
    ("closures-capture-variables", ("know-when-code-runs", "names-are-references")),
    ("use-the-right-comparison", ("names-are-references",)),
    ("no-blocking-in-async", ("cooperative-scheduling", "finite-resources")),
    ("set-timeouts", ("waiting-holds-resources", "finite-resources")),
    ("idempotent-operations", ("ambiguous-outcomes", "failure-is-certain")),
    ("crypto-randomness", ("security-values-must-be-unguessable", "trust-boundary")),
    ("secrets-out-of-source", ("security-values-must-be-unguessable",)),
    ("catch-specific-exceptions", ("bugs-are-not-recoverable-errors", "fail-fast", "failure-is-certain")),
    ("floats-are-approximations", ("fixed-size-numbers", "finite-resources")),
    ("strong-cryptography", ("attacks-improve-over-time", "change-is-constant")),
    ("decode-at-the-boundary", ("boundary-translation", "trust-boundary")),
    ("parameterize-queries", ("separate-code-from-data", "boundary-translation", "trust-boundary")),
    ("guard-shared-mutable-state", ("read-modify-write-is-not-atomic", "interleaving-is-unpredictable")),
    ("avoid-global-mutable-state", ("read-modify-write-is-not-atomic", "interleaving-is-unpredictable")),
    ("deterministic-tests", ("interleaving-is-unpredictable",)),
    ("track-todos", ("unreliable-signals-get-ignored",)),
    ("use-logging-not-print", ("push-io-to-the-edges",)),
    ("respect-cancellation", ("never-ignore-errors",)),
    ("config-out-of-code", ("single-source-of-truth",)),
)


@pytest.fixture(scope="module")
def graph() -> PrincipleGraph:
    return load_graph()


def _chain(graph: PrincipleGraph, principle_id: str) -> list[str]:
    return [p.id for p in graph.path_to_bedrock(principle_id)]


def _rule_cited(graph: PrincipleGraph) -> set[str]:
    return {m.principle_id for analyzer in graph.analyzers() for m in graph.rules(analyzer).values()}


def test_the_mechanism_layer_exists_and_rests_on_bedrock_quickly(graph) -> None:
    for pid in MECHANISMS:
        principle = graph.get(pid)
        assert principle.category == "mechanisms" and not principle.bedrock, pid
        assert len(_chain(graph, pid)) - 1 <= 3, pid  # room above it for rules and design principles


@pytest.mark.parametrize(("principle", "through"), TEACHING_ORDER)
def test_primary_chains_follow_the_teaching_order(graph, principle: str, through: tuple[str, ...]) -> None:
    chain = _chain(graph, principle)
    positions = [chain.index(pid) if pid in chain else -1 for pid in through]
    assert -1 not in positions and positions == sorted(positions), (principle, chain)


def test_every_mechanism_is_the_primary_branch_of_some_principle(graph) -> None:
    primary_parents = {p.because[0] for p in graph.all() if p.because}
    assert set(MECHANISMS) <= primary_parents, sorted(set(MECHANISMS) - primary_parents)


def test_a_good_share_of_rule_cited_principles_pass_through_a_mechanism(graph) -> None:
    cited = _rule_cited(graph)
    through = [pid for pid in cited if set(_chain(graph, pid)) & set(MECHANISMS)]
    assert len(through) >= len(cited) // 3, sorted(cited - set(through))


def test_every_primary_chain_is_short_enough_to_walk(graph) -> None:
    for p in graph.all():
        chain = _chain(graph, p.id)
        assert len(chain) - 1 <= MAX_STEPS, chain
        assert len(set(chain)) == len(chain), chain


# -- every principle teaches in four ways -----------------------------------------


def _teaching_gaps(principle: Principle) -> list[str]:
    wanted = {
        "statement": bool(principle.statement),
        "why": bool(principle.why),
        "eli12": bool(principle.eli12),
        "an example": bool(principle.examples),
        "a misconception": bool(principle.misconceptions),
        "2-4 key points": 2 <= len(principle.key_points) <= 4,
        "a probe": principle.probe is not None,
    }
    return [name for name, present in wanted.items() if not present]


def test_every_principle_teaches_in_four_ways(graph) -> None:
    gaps = {p.id: _teaching_gaps(p) for p in graph.all()}
    assert {pid: missing for pid, missing in gaps.items() if missing} == {}


# -- eli12 analogies ------------------------------------------------------------


@pytest.fixture(scope="module")
def images() -> dict[str, str]:
    return tomllib.loads(IMAGES.read_text(encoding="utf-8"))


def test_every_eli12_image_is_listed_and_found_in_its_analogy(graph, images) -> None:
    assert sorted({p.id for p in graph.all()} ^ set(images)) == []  # a new principle needs its image
    for pid, image in images.items():
        assert image == image.lower() and image in graph.get(pid).eli12.lower(), (pid, image)


def test_no_analogy_image_repeats_on_a_primary_chain(graph, images) -> None:
    for p in graph.all():
        chain = [images[q.id] for q in graph.path_to_bedrock(p.id)]
        assert len(set(chain)) == len(chain), (p.id, chain)



def test_no_image_serves_two_ideas(images) -> None:
    by_image: dict[str, list[str]] = {}
    for pid, image in images.items():
        by_image.setdefault(image, []).append(pid)
    assert {image: ids for image, ids in by_image.items() if len(ids) > 1} == {}
