"""The principle explorer in a real browser: `reviewbot principles --html DIR`, opened from disk.

Headless Chromium (tests/browser.py) loads the generated files: the map draws every
principle, a click opens its page, search finds a principle by rule id, the keyboard
moves along the map, nothing is fetched from the network and the console stays clean.
A screenshot of the map is kept in test-artifacts/.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from browser import browser_page, screenshot

from reviewbot.explorer import build_site, write_site
from reviewbot.principles import PrincipleGraph, load_graph
from reviewbot.principles.model import Probe


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("explorer") / "site"
    subprocess.run([sys.executable, "-m", "reviewbot", "principles", "--html", str(directory)],
                   check=True, capture_output=True, text=True)
    return directory


def test_the_map_draws_every_principle_and_loads_nothing_from_the_network(site: Path) -> None:
    graph = load_graph()
    with browser_page() as watched:
        page = watched.page
        page.goto((site / "index.html").as_uri())
        page.wait_for_selector("#map a.node")
        assert page.locator("#map a.node").count() == len(graph)
        assert page.locator("#map a.node.bedrock").count() == sum(p.bedrock for p in graph.all())
        assert page.locator("#map line.edge.primary").count() == sum(1 for p in graph.all() if p.because)
        shot = screenshot(watched, "explorer-map.png")
        assert shot.stat().st_size > 10_000
        assert watched.errors == []
        assert watched.network_requests() == []


def test_a_click_on_a_node_opens_that_principles_page(site: Path) -> None:
    principle = load_graph().get("no-shared-mutable-defaults")
    with browser_page() as watched:
        page = watched.page
        page.goto((site / "index.html").as_uri())
        page.locator(f'#map a.node[data-id="{principle.id}"]').click()
        page.wait_for_url(f"**/p/{principle.id}.html")
        assert page.locator("h1").inner_text() == principle.name
        assert principle.statement.split()[0] in page.locator(".statement").inner_text()
        assert page.get_by_role("heading", name="The chain to bedrock").count() == 1
        assert watched.errors == [] and watched.network_requests() == []


def test_search_finds_a_principle_by_rule_id(site: Path) -> None:
    principle = load_graph().for_rule("ruff", "B006")
    assert principle is not None
    with browser_page() as watched:
        page = watched.page
        page.goto((site / "index.html").as_uri())
        page.get_by_label("Principle name, id, or rule").fill("B006")
        results = page.locator("#search-results a")
        results.first.wait_for()
        assert principle.name in results.all_inner_texts()
        assert "match" in page.locator("#search-status").inner_text()
        assert page.locator(f'#map a.node.match[data-id="{principle.id}"]').count() == 1
        page.get_by_role("link", name=principle.name, exact=True).first.click()
        page.wait_for_url(f"**/p/{principle.id}.html")
        assert watched.errors == [] and watched.network_requests() == []


def test_the_keyboard_moves_along_the_map_and_opens_a_page(site: Path) -> None:
    with browser_page() as watched:
        page = watched.page
        page.goto((site / "index.html").as_uri())
        page.locator("#map a.node.bedrock").first.focus()  # bedrock sits in the bottom row
        start = page.evaluate("document.activeElement.dataset.id")
        page.keyboard.press("ArrowRight")
        beside = page.evaluate("document.activeElement.dataset.id")
        assert beside != start and page.locator(f'#map a.node.bedrock[data-id="{beside}"]').count() == 1
        page.keyboard.press("ArrowUp")
        moved = page.evaluate("document.activeElement.dataset.id")
        assert moved and moved != start
        assert page.locator("#map a.node.lit").count() >= 1  # the focused principle's chain is lit
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/p/{moved}.html")
        assert watched.errors == []


def test_every_control_has_a_name_and_every_node_names_its_category_in_text(site: Path) -> None:
    graph = load_graph()
    with browser_page() as watched:
        page = watched.page
        page.goto((site / "index.html").as_uri())
        labels = page.locator("#map a.node").evaluate_all("nodes => nodes.map(n => n.getAttribute('aria-label'))")
        kinds = page.locator("#map a.node text.kind").evaluate_all("texts => texts.map(t => t.textContent)")
        assert all(labels) and len(labels) == len(graph)
        expected = {"bedrock" if p.bedrock else p.category for p in graph.all()}
        assert set(kinds) == expected  # colour is never the only sign of the category
        assert page.get_by_role("searchbox").count() == 1
        assert page.get_by_role("link", name="Skip to content").count() == 1


def test_a_probe_answer_stays_hidden_until_asked_for(site: Path, tmp_path: Path) -> None:
    graph = load_graph()
    principle = next((p for p in graph.all() if p.probe is not None), None)
    if principle is None:  # a graph without probes yet: render one principle with a probe the same way
        principle = replace(graph.get("no-shared-mutable-defaults"), probe=Probe(
            question="```python\ndef f(x=[]):\n    x.append(1)\n    return x\nf()\nprint(f())\n```\nWhat is printed?",
            answer="[1, 1]: the default list is built once and shared.", cues=("[1, 1]",)))
        graph = PrincipleGraph([principle if p.id == principle.id else p for p in graph.all()],
                               {a: graph.rules(a) for a in graph.analyzers()})
        site = tmp_path / "site"
        write_site(build_site(graph), site)
    with browser_page((1000, 1400)) as watched:
        page = watched.page
        page.goto((site / "p" / f"{principle.id}.html").as_uri())
        answer = page.locator("details").filter(has_text="Show the answer")
        assert not answer.evaluate("d => d.open")
        answer.locator("summary").click()
        assert answer.evaluate("d => d.open")
        screenshot(watched, "explorer-principle.png")
        assert watched.errors == [] and watched.network_requests() == []


def test_a_learner_map_shows_each_state_in_text_and_loads_nothing(tmp_path: Path) -> None:
    from reviewbot.learner.local import local_profile_path, open_learner_store

    env = {"REVIEWBOT_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path)}
    store = open_learner_store(f"sqlite:///{local_profile_path(env)}")
    store.shown("local", "ada", [("no-shared-mutable-defaults", 2), ("parameterize-queries", 0)])
    store.understood("local", "ada", ["no-shared-mutable-defaults"])
    target = tmp_path / "ada.html"
    result = subprocess.run([sys.executable, "-m", "reviewbot", "learner", "ada", "--html", str(target)],
                            env={**env, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert target.stat().st_mode & 0o777 == 0o600
    with browser_page() as watched:
        page = watched.page
        page.goto(target.as_uri())
        understood = page.locator('#map a.node[data-id="no-shared-mutable-defaults"]')
        assert "understood" in understood.get_attribute("aria-label")
        assert "understood" in understood.locator("text.kind").text_content()
        assert "in progress" in page.locator('#map a.node[data-id="parameterize-queries"]').get_attribute("aria-label")
        assert page.locator("#map a.node.state-never-met").count() == len(load_graph()) - 2
        evidence = page.locator("#evidence-no-shared-mutable-defaults").inner_text()
        assert "you said it clicked on" in evidence and "2 layers deep" in evidence
        assert page.get_by_role("heading", name="Next principles to learn").count() == 1
        screenshot(watched, "learner-map.png")
        assert watched.errors == [] and watched.network_requests() == []
