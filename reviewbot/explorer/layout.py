"""Where each principle sits on the map: bedrock at the bottom, each layer above what it rests on.

Pure geometry. A principle's layer is the length of its primary chain (`because[0]`
down to bedrock); within a layer, principles sit above the principle they primarily
rest on (a barycentre ordering, the classic way to keep layered drawings readable),
wrapped into rows of at most `ROW_NODES`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reviewbot.principles import Principle, PrincipleGraph

NODE_WIDTH = 200
NODE_HEIGHT = 46
GAP_X = 14
ROW_GAP = 26
LAYER_GAP = 70
MARGIN = 24
ROW_NODES = 11


@dataclass(frozen=True)
class Node:
    principle: Principle
    layer: int  # 0 = bedrock
    x: float  # left edge
    y: float  # top edge

    @property
    def center_x(self) -> float:
        return self.x + NODE_WIDTH / 2


@dataclass(frozen=True)
class Edge:
    source: str  # the principle that rests on `target`
    target: str
    primary: bool  # target is source's because[0]


@dataclass(frozen=True)
class Layout:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    width: float
    height: float

    def node(self, principle_id: str) -> Node:
        return next(n for n in self.nodes if n.principle.id == principle_id)


def layout(graph: PrincipleGraph) -> Layout:
    x_of: dict[str, float] = {}
    rows_per_layer = []
    for layer in _layers(graph):  # bottom up: each layer is ordered by the one below
        rows = _rows(_ordered(layer, x_of))
        for row in rows:
            for index, principle in enumerate(row):
                x_of[principle.id] = MARGIN + index * (NODE_WIDTH + GAP_X)
        rows_per_layer.append(rows)
    return _place(rows_per_layer, x_of, graph)


def _layers(graph: PrincipleGraph) -> list[list[Principle]]:
    depth = {p.id: graph.distance_to_bedrock(p.id) for p in graph.all()}
    layers: list[list[Principle]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for principle in graph.all():
        layers[depth[principle.id]].append(principle)
    return layers


def _ordered(layer: Sequence[Principle], x_of: dict[str, float]) -> list[Principle]:
    """Bedrock by id; higher layers above the principle they primarily rest on."""
    def key(principle: Principle) -> tuple[float, str, str]:
        anchor = x_of.get(principle.because[0], 0.0) if principle.because else 0.0
        return anchor, principle.category, principle.id

    return sorted(layer, key=key)


def _rows(layer: list[Principle]) -> list[list[Principle]]:
    return [layer[start:start + ROW_NODES] for start in range(0, len(layer), ROW_NODES)] or [[]]


def _place(rows_per_layer: list[list[list[Principle]]], x_of: dict[str, float], graph: PrincipleGraph) -> Layout:
    total_rows = sum(len(rows) for rows in rows_per_layer)
    height = 2 * MARGIN + total_rows * (NODE_HEIGHT + ROW_GAP) + (len(rows_per_layer) - 1) * LAYER_GAP
    nodes: list[Node] = []
    y = height - MARGIN - NODE_HEIGHT
    for depth, rows in enumerate(rows_per_layer):
        for row in rows:
            nodes += [Node(p, depth, x_of[p.id], y) for p in row]
            y -= NODE_HEIGHT + ROW_GAP
        y -= LAYER_GAP
    width = 2 * MARGIN + ROW_NODES * (NODE_WIDTH + GAP_X) - GAP_X
    edges = tuple(
        Edge(p.id, target, index == 0) for p in graph.all() for index, target in enumerate(p.because)
    )
    return Layout(tuple(nodes), edges, width, height)
