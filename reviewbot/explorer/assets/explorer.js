// reviewbot principle explorer: search by name, id or rule; light up a principle's
// primary chain; move between principles with the arrow keys. No network access.
"use strict";

(function () {
  const map = document.getElementById("map");
  const nodes = map ? Array.from(map.querySelectorAll("a.node")) : [];
  const byId = new Map(nodes.map((node) => [node.dataset.id, node]));

  function chainOf(id) {
    const chain = [];
    let current = byId.get(id);
    while (current && !chain.includes(current)) {
      chain.push(current);
      current = byId.get(current.dataset.primary);
    }
    return chain;
  }

  function light(id) {
    clearLight();
    const chain = chainOf(id);
    chain.forEach((node, index) => {
      node.classList.add("lit");
      const next = chain[index + 1];
      if (next) {
        const edge = map.querySelector(`line[data-from="${node.dataset.id}"][data-to="${next.dataset.id}"]`);
        if (edge) edge.classList.add("lit");
      }
    });
  }

  function clearLight() {
    map.querySelectorAll(".lit").forEach((element) => element.classList.remove("lit"));
  }

  function neighbour(node, key) {
    const box = node.querySelector("rect");
    const x = Number(box.getAttribute("x"));
    const y = Number(box.getAttribute("y"));
    const candidates = nodes.filter((other) => other !== node).map((other) => {
      const r = other.querySelector("rect");
      return { other, dx: Number(r.getAttribute("x")) - x, dy: Number(r.getAttribute("y")) - y };
    });
    const pick = {
      ArrowLeft: (c) => c.dy === 0 && c.dx < 0,
      ArrowRight: (c) => c.dy === 0 && c.dx > 0,
      ArrowUp: (c) => c.dy < 0,
      ArrowDown: (c) => c.dy > 0,
    }[key];
    if (!pick) return null;
    const found = candidates.filter(pick);
    found.sort((a, b) => Math.abs(a.dy) - Math.abs(b.dy) || Math.abs(a.dx) - Math.abs(b.dx));
    return found.length ? found[0].other : null;
  }

  nodes.forEach((node) => {
    node.addEventListener("focus", () => light(node.dataset.id));
    node.addEventListener("mouseenter", () => light(node.dataset.id));
    node.addEventListener("keydown", (event) => {
      const next = neighbour(node, event.key);
      if (next) {
        event.preventDefault();
        next.focus();
        next.scrollIntoView({ block: "nearest", inline: "nearest" });
      }
    });
  });

  const input = document.getElementById("search");
  const results = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  const data = document.getElementById("search-index");
  if (!input || !results || !data) return;
  const index = JSON.parse(data.textContent);

  function matches(entry, words) {
    const haystack = [entry.id, entry.name, entry.category, entry.statement, ...entry.rules]
      .join(" ").toLowerCase();
    return words.every((word) => haystack.includes(word));
  }

  function rank(entry, query) {
    const ruleHit = entry.rules.some((rule) => rule.toLowerCase() === query || rule.toLowerCase().endsWith(":" + query));
    if (ruleHit || entry.id === query) return 0;
    if (entry.name.toLowerCase().includes(query)) return 1;
    return 2;
  }

  function search() {
    const query = input.value.trim().toLowerCase();
    results.replaceChildren();
    nodes.forEach((node) => node.classList.remove("match", "dim"));
    if (!query) { status.textContent = ""; return; }
    const words = query.split(/\s+/);
    const found = index.filter((entry) => matches(entry, words));
    found.sort((a, b) => rank(a, query) - rank(b, query) || a.name.localeCompare(b.name));
    status.textContent = `${found.length} principle${found.length === 1 ? "" : "s"} match “${input.value.trim()}”`;
    const hits = new Set(found.map((entry) => entry.id));
    nodes.forEach((node) => node.classList.add(hits.has(node.dataset.id) ? "match" : "dim"));
    found.forEach((entry) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = entry.href;
      link.textContent = entry.name;
      item.append(link);
      if (entry.rules.length) {
        const rules = document.createElement("span");
        rules.className = "muted";
        rules.textContent = ` (${entry.rules.slice(0, 4).join(", ")}${entry.rules.length > 4 ? ", …" : ""})`;
        item.append(rules);
      }
      results.append(item);
    });
  }

  input.addEventListener("input", search);
  if (input.value) search();
})();
