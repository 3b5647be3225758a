"""Budgeted maximum coverage: pick sentences whose concepts weigh the most.

The problem behind :class:`~newsdigest.summarize.ilp.ConceptILP`: choose
sentences (each with a length and a set of concepts) so that the summed weight
of the concepts they cover, each counted once, is as large as possible within
a word (and optionally sentence) budget.

:func:`local_search` solves it in about a millisecond: the cost-effective
greedy of Khuller et al. (1999) / Lin & Bilmes (2010), best single sentence
included, then steepest-ascent local search over three moves -- add a
sentence, swap one in for one out, swap two in for one out -- until no move
improves the covered weight. It is deterministic (ties go to the lower
candidate position) and has no time limit. :func:`branch_and_bound` proves
the optimum from there. ``ConceptILP(solver="highs")`` solves the same
problem as an integer program with HiGHS: the reference the tests hold these
solvers to.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_EPS = 1e-9
# Steepest ascent stops long before this on news clusters (a handful of moves);
# the cap only bounds adversarial inputs, and it is a count, not a clock.
MAX_MOVES = 200


def _row_sums(a: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``a @ v`` without BLAS: multithreaded BLAS is slower on matrices this small,
    and its summation order may vary from run to run (ties must not)."""
    return (a * v).sum(axis=1)


def coverage_value(incidence: np.ndarray, weights: np.ndarray, chosen: Sequence[int]) -> float:
    """Summed weight of the concepts that at least one chosen row covers."""
    if not len(chosen):
        return 0.0
    covered = incidence[list(chosen)].any(axis=0)
    return float(weights[covered].sum())


def _fits(lengths, used, count, max_words, max_sentences):
    ok = used + lengths <= max_words + _EPS
    if max_sentences is not None and count + 1 > max_sentences:
        ok[:] = False
    return ok


def greedy(
    incidence: np.ndarray,
    weights: np.ndarray,
    lengths: np.ndarray,
    max_words: float,
    max_sentences: int | None = None,
) -> list[int]:
    """Cost-effective greedy (gain per word), or the best single row when that is better."""
    n = incidence.shape[0]
    a = incidence.astype(float)
    uncovered = np.ones(incidence.shape[1], dtype=bool)
    chosen: list[int] = []
    available = np.ones(n, dtype=bool)
    used = 0.0
    while True:
        gains = _row_sums(a, weights * uncovered)
        ok = available & _fits(lengths, used, len(chosen), max_words, max_sentences) & (gains > _EPS)
        if not ok.any():
            break
        ratio = np.where(ok, gains / np.maximum(lengths, 1), -np.inf)
        best = int(np.argmax(ratio))
        chosen.append(best)
        available[best] = False
        used += lengths[best]
        uncovered &= ~incidence[best]
    singles = _row_sums(a, weights)
    fit_alone = lengths <= max_words + _EPS
    if fit_alone.any() and (max_sentences is None or max_sentences >= 1):
        best_single = int(np.argmax(np.where(fit_alone, singles, -np.inf)))
        if singles[best_single] > coverage_value(incidence, weights, chosen) + _EPS:
            chosen = [best_single]
    return chosen


def local_search(
    incidence: np.ndarray,
    weights: np.ndarray,
    lengths: np.ndarray,
    max_words: float,
    max_sentences: int | None = None,
    *,
    start: Sequence[int] | None = None,
    pair_swaps: bool = True,
) -> list[int]:
    """Greedy start, then the best improving move until none is left; sorted positions.

    Moves: add one row; replace one chosen row by one other; replace one chosen
    row by two others (``pair_swaps``). Each round takes the move with the
    largest gain (lowest positions on ties), so the result depends on the
    input only.
    """
    n, m = incidence.shape
    if n == 0:
        return []
    a = incidence.astype(float)
    lengths = np.asarray(lengths, dtype=float)
    chosen = list(start) if start is not None else greedy(incidence, weights, lengths, max_words, max_sentences)
    count = incidence[chosen].sum(axis=0).astype(np.int64) if chosen else np.zeros(m, dtype=np.int64)
    for _ in range(MAX_MOVES):
        in_summary = np.zeros(n, dtype=bool)
        in_summary[chosen] = True
        used = float(lengths[chosen].sum()) if chosen else 0.0
        best_gain, best_move = _EPS, None

        # Add one row.
        gains = _row_sums(a, weights * (count == 0))
        ok = ~in_summary & _fits(lengths, used, len(chosen), max_words, max_sentences)
        if ok.any():
            j = int(np.argmax(np.where(ok, gains, -np.inf)))
            if gains[j] > best_gain:
                best_gain, best_move = float(gains[j]), ((), (j,))

        for i in chosen:
            # Take row i out: concepts only it covers become uncovered.
            alone = incidence[i] & (count == 1)
            loss = float(weights[alone].sum())
            after = (count - incidence[i]) == 0
            free_weight = weights * after
            gains = _row_sums(a, free_weight)
            room = max_words - (used - lengths[i])
            ok = ~in_summary & (lengths <= room + _EPS)
            if ok.any():
                j = int(np.argmax(np.where(ok, gains, -np.inf)))
                if gains[j] - loss > best_gain + _EPS:
                    best_gain, best_move = float(gains[j] - loss), ((i,), (j,))
            if not pair_swaps or (max_sentences is not None and len(chosen) + 1 > max_sentences):
                continue
            # Two rows in for row i: gain(j) + gain(k) - overlap(j, k), both fitting together.
            cand = np.flatnonzero(ok & (gains > loss / 2))
            if len(cand) < 2:
                continue
            sub = a[cand] * free_weight
            overlap = (sub[:, None, :] * a[cand][None, :, :]).sum(axis=2)
            pair = gains[cand][:, None] + gains[cand][None, :] - overlap
            fits_pair = lengths[cand][:, None] + lengths[cand][None, :] <= room + _EPS
            pair = np.where(np.triu(fits_pair, 1), pair, -np.inf)
            flat = int(np.argmax(pair))
            p, q = divmod(flat, len(cand))
            if pair[p, q] - loss > best_gain + _EPS:
                best_gain, best_move = float(pair[p, q] - loss), ((i,), (int(cand[p]), int(cand[q])))

        if best_move is None:
            break
        out, into = best_move
        for i in out:
            chosen.remove(i)
            count -= incidence[i]
        for j in into:
            chosen.append(j)
            count += incidence[j]
    return sorted(chosen)


def concept_bound(
    incidence: np.ndarray, weights: np.ndarray, lengths: np.ndarray, uncovered: np.ndarray,
    available: np.ndarray, room: float,
) -> float:
    """An upper bound on the weight that ``available`` rows within ``room`` words can add.

    Each uncovered concept is priced at the best weight-per-word density among
    the available rows that hold it: a set of rows of total length L covering
    concepts U pays at most L for them, so the fractional knapsack over
    concepts (weight w_c, cost w_c / density_c) bounds any such set. Unlike
    the sum of the rows' gains it counts a concept once however many rows
    repeat it, which is what makes it tight on news clusters.
    """
    rows = np.flatnonzero(available & (lengths <= room + _EPS))
    if not len(rows):
        return 0.0
    sub = incidence[rows]
    return _bound_of_rows(sub, weights, lengths[rows], uncovered, _row_sums(sub, weights * uncovered), room)


def _bound_of_rows(
    sub: np.ndarray, weights: np.ndarray, lengths: np.ndarray, uncovered: np.ndarray, gains: np.ndarray, room: float
) -> float:
    """:func:`concept_bound` from the rows it looks at: their incidence, lengths and gains (``sub @ free``)."""
    density = gains / np.maximum(lengths, 1)
    best = np.where(sub, density[:, None], 0.0).max(axis=0)
    held = (best > 0) & uncovered
    if not held.any():
        return 0.0
    d = best[held]
    w = weights[held]
    order = np.argsort(-d, kind="stable")
    cost = np.cumsum((w / d)[order])
    k = int(np.searchsorted(cost, room + _EPS, side="right"))
    total = float(w[order][:k].sum())
    if k < len(order):
        spent = cost[k - 1] if k else 0.0
        total += float((room - spent) * d[order][k])
    return total


def shared_concepts(incidence: np.ndarray) -> np.ndarray:
    """``shared[j, k]``: how many concepts rows j and k both hold (``incidence @ incidence.T``, exact counts).

    Counted concept by concept, for every pair of the rows holding it, with ``np.bincount``:
    integers, no BLAS, and no scipy.sparse to import (~0.15 CPU-s of a run).
    """
    n = incidence.shape[0]
    concept, row = np.nonzero(incidence.T)  # holders grouped by concept, rows ascending
    holders = np.bincount(concept, minlength=incidence.shape[1])
    starts = np.cumsum(holders) - holders
    pairs = holders[concept]  # each entry pairs with every holder of its concept, itself included
    partner = np.repeat(starts[concept], pairs) + (np.arange(pairs.sum()) - np.repeat(np.cumsum(pairs) - pairs, pairs))
    counts = np.bincount(np.repeat(row, pairs) * n + row[partner], minlength=n * n)
    return counts.reshape(n, n)


def undominated(incidence: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Rows that no other row dominates (an exact reduction).

    Row j is dominated by row k when k holds every concept j holds and is no
    longer: swapping j for k in any selection keeps it within budget and
    covers at least as much, so some optimum avoids j. Between rows with the
    same concepts and length, the first one stays.
    """
    shared = shared_concepts(incidence)
    missing = incidence.sum(axis=1)[:, None] - shared  # missing[j, k]: concepts of j that k lacks
    n = len(lengths)
    covers = (missing == 0) & (lengths[None, :] <= lengths[:, None])
    np.fill_diagonal(covers, False)
    same = covers & covers.T  # identical concepts and length: keep the first
    strictly = covers & ~same
    earlier_twin = same & (np.arange(n)[None, :] < np.arange(n)[:, None])
    keep = ~(strictly.any(axis=1) | earlier_twin.any(axis=1))
    return keep


def branch_and_bound(
    incidence: np.ndarray,
    weights: np.ndarray,
    lengths: np.ndarray,
    max_words: float,
    max_sentences: int | None = None,
    *,
    incumbent: Sequence[int] | None = None,
    max_nodes: int = 2000,
) -> tuple[list[int], bool]:
    """Exact search seeded with ``incumbent`` (default: :func:`local_search`).

    Depth-first include/exclude branching on the row of best gain per word,
    pruned with :func:`concept_bound`. Returns the best selection found and
    whether it is proven optimal; the proof is abandoned after ``max_nodes``
    nodes (a count, so the result never depends on the machine's speed).
    """
    n, m = incidence.shape
    lengths = np.asarray(lengths, dtype=float)
    if n == 0:
        return [], True
    best = list(incumbent) if incumbent is not None else local_search(
        incidence, weights, lengths, max_words, max_sentences
    )
    best_value = coverage_value(incidence, weights, best)
    a = incidence.astype(float)
    nodes = 0
    complete = True
    start = undominated(incidence, lengths)

    def visit(chosen: list[int], available: np.ndarray, uncovered: np.ndarray, value: float, used: float):
        nonlocal best, best_value, nodes, complete
        nodes += 1
        if nodes > max_nodes:
            complete = False
            return
        if value > best_value + _EPS:
            best, best_value = list(chosen), value
        if max_sentences is not None and len(chosen) >= max_sentences:
            return
        room = max_words - used
        # Only the rows still available and within the room are summed (a row's sum is the same
        # doubles whichever other rows are summed with it), once for the branching and the bound.
        rows = np.flatnonzero(available & (lengths <= room + _EPS))
        gains = _row_sums(a[rows], weights * uncovered)
        gaining = gains > _EPS
        if not gaining.any():
            return
        rows, gains = rows[gaining], gains[gaining]
        if value + _bound_of_rows(incidence[rows], weights, lengths[rows], uncovered, gains, room) <= best_value + 1e-7:
            return
        best_row = int(np.argmax(gains / np.maximum(lengths[rows], 1)))  # the first of the best: rows ascend
        j = int(rows[best_row])
        without = np.zeros(n, dtype=bool)
        without[rows] = True
        without[j] = False
        chosen.append(j)
        visit(chosen, without, uncovered & ~incidence[j], value + float(gains[best_row]), used + lengths[j])
        chosen.pop()
        visit(chosen, without, uncovered, value, used)

    visit([], start, np.ones(m, dtype=bool), 0.0, 0.0)
    return sorted(best), complete
