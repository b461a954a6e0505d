"""Assignment of partners to targets with capacities (METHODOLOGY §10).

* `greedy`: pairs by score descending (the caller sorts; ties by ids), a pair is taken when the
  target has fewer than `k` partners and the partner fewer than `cap` targets.
* `optimal`: the capacitated assignment (each partner replicated `cap` times, each target `k`
  times) that assigns as many pairs as possible and, among those, maximises the total score —
  min-cost max-flow on source → target (capacity k) → partner (1, cost 1 − S) → sink (cap), by
  successive shortest augmenting paths with Dijkstra on reduced costs (Edmonds & Karp, 1972,
  JACM 19(2):248–264; Ahuja, Magnanti & Orlin, «Network Flows», 1993, §9.7). Scores S ∈ [0, 1]
  make every cost non-negative, so the initial potentials are 0. Deterministic: edges in the
  caller's order, the heap ordered by (distance, node).
"""

from __future__ import annotations

import heapq

Pair = tuple[int, int]


def greedy(pairs: list[Pair], k: int, cap: int) -> set[Pair]:
    """Take pairs in the given order while the target and the partner have room."""
    taken: set[Pair] = set()
    per_target: dict[int, int] = {}
    per_partner: dict[int, int] = {}
    for target, partner in pairs:
        if per_target.get(target, 0) < k and per_partner.get(partner, 0) < cap:
            taken.add((target, partner))
            per_target[target] = per_target.get(target, 0) + 1
            per_partner[partner] = per_partner.get(partner, 0) + 1
    return taken


def optimal(pairs: list[tuple[int, int, float]], k: int, cap: int) -> set[Pair]:
    """Min-cost max-flow assignment of (target, partner, score) pairs; scores in [0, 1]."""
    targets = sorted({t for t, _, _ in pairs})
    partners = sorted({c for _, c, _ in pairs})
    node = {("t", t): i + 1 for i, t in enumerate(targets)}
    node.update({("c", c): len(targets) + i + 1 for i, c in enumerate(partners)})
    source, sink = 0, len(targets) + len(partners) + 1
    graph: list[list[int]] = [[] for _ in range(sink + 1)]
    to: list[int] = []
    capacity: list[int] = []
    cost: list[float] = []

    def edge(u: int, v: int, c: int, w: float) -> int:
        for a, b, cc, ww in ((u, v, c, w), (v, u, 0, -w)):
            graph[a].append(len(to))
            to.append(b)
            capacity.append(cc)
            cost.append(ww)
        return len(to) - 2

    for t in targets:
        edge(source, node[("t", t)], k, 0.0)
    pair_edges = {(t, c): edge(node[("t", t)], node[("c", c)], 1, 1.0 - s) for t, c, s in pairs}
    for c in partners:
        edge(node[("c", c)], sink, cap, 0.0)
    potential = [0.0] * (sink + 1)
    while True:
        dist = [float("inf")] * (sink + 1)
        back = [-1] * (sink + 1)
        dist[source] = 0.0
        heap = [(0.0, source)]
        while heap:
            d, u = heapq.heappop(heap)
            if d > dist[u]:
                continue
            for e in graph[u]:
                if capacity[e] <= 0:
                    continue
                v = to[e]
                nd = d + cost[e] + potential[u] - potential[v]
                if nd < dist[v] - 1e-12:
                    dist[v], back[v] = nd, e
                    heapq.heappush(heap, (nd, v))
        if dist[sink] == float("inf"):
            break
        for v in range(sink + 1):
            if dist[v] < float("inf"):
                potential[v] += dist[v]
        v = sink
        while v != source:
            e = back[v]
            capacity[e] -= 1
            capacity[e ^ 1] += 1
            v = to[e ^ 1]
    return {pair for pair, e in pair_edges.items() if capacity[e] == 0}
