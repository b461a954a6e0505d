"""Partner assignment: greedy and the min-cost max-flow optimum (METHODOLOGY §10)."""

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.assignment import greedy, optimal


def test_optimal_beats_greedy_on_the_total():
    # A–X 0,9, A–Y 0,8, B–X 0,85, B–Y 0,1; one partner each, cap 1.
    # Greedy: A–X (0,9) then B–Y (0,1) = 1,0; optimum: A–Y + B–X = 0,8 + 0,85 = 1,65.
    pairs = [(1, 10, 0.9), (2, 10, 0.85), (1, 11, 0.8), (2, 11, 0.1)]
    assert greedy([(t, c) for t, c, _ in pairs], 1, 1) == {(1, 10), (2, 11)}
    assert optimal(pairs, 1, 1) == {(1, 11), (2, 10)}


def test_optimal_assigns_as_many_targets_as_possible():
    # B can only go to X; greedy gives X to A and leaves B without a partner.
    pairs = [(1, 10, 0.9), (2, 10, 0.8), (1, 11, 0.1)]
    assert greedy([(t, c) for t, c, _ in pairs], 1, 1) == {(1, 10)}
    assert optimal(pairs, 1, 1) == {(1, 11), (2, 10)}


def _best(pairs, k, cap):
    """Brute force: the feasible set with the most pairs, then the largest total score."""
    key = (0, 0.0)
    for size in range(len(pairs) + 1):
        for chosen in combinations(pairs, size):
            ts = [t for t, _, _ in chosen]
            cs = [c for _, c, _ in chosen]
            if all(ts.count(t) <= k for t in ts) and all(cs.count(c) <= cap for c in cs):
                cand = (size, round(sum(s for _, _, s in chosen), 9))
                if cand > key:
                    key = cand
    return key


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 3), st.integers(10, 12), st.floats(0, 1)),
        max_size=7,
        unique_by=lambda p: (p[0], p[1]),
    ),
    st.integers(1, 2),
    st.integers(1, 2),
)
def test_optimal_matches_brute_force(pairs, k, cap):
    chosen = optimal(pairs, k, cap)
    score = dict(((t, c), s) for t, c, s in pairs)
    assert all(sum(1 for t, _ in chosen if t == x) <= k for x, _, _ in pairs)
    assert all(sum(1 for _, c in chosen if c == y) <= cap for _, y, _ in pairs)
    key = (len(chosen), round(sum(score[p] for p in chosen), 9))
    best = _best(pairs, k, cap)
    assert key[0] == best[0] and abs(key[1] - best[1]) < 1e-6


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 8), st.integers(20, 35), st.integers(0, 5)),
        max_size=120,
        unique_by=lambda r: r[:2],
    ),
    st.integers(1, 3),
    st.integers(1, 3),
)
def test_greedy_needs_only_the_first_k_plus_t_k_over_cap_candidates(rows, k, cap):
    # `match_partners` gives greedy only each target's first k + ⌊T·k / cap⌋ candidates.
    ordered = sorted(rows, key=lambda r: (-r[2], r[0], r[1]))
    pairs = [(t, c) for t, c, _ in ordered]
    targets = {t for t, _ in pairs}
    bound = k + len(targets) * k // cap
    seen: dict[int, int] = {}
    pruned = []
    for t, c in pairs:
        seen[t] = seen.get(t, 0) + 1
        if seen[t] <= bound:
            pruned.append((t, c))
    assert greedy(pruned, k, cap) == greedy(pairs, k, cap)
