"""What the story grouping compares: the pieces of stories/features.py that make it fast."""

from __future__ import annotations


def test_term_cache_gives_what_its_function_gives_and_stays_bounded():
    from newsdigest.stories.features import TermCache

    calls = []

    def shout(word: str) -> str:
        calls.append(word)
        return word.upper()

    cache = TermCache(shout, max_size=4)
    assert list(cache(["a", "b", "a", "c"])) == ["A", "B", "A", "C"]
    assert sorted(calls) == ["a", "b", "c"]  # each new word computed once
    assert list(cache(["c", "a"])) == ["C", "A"] and len(calls) == 3  # known words: no call
    assert list(cache(["d", "e", "a"])) == ["D", "E", "A"]  # over max_size: starts afresh, still right
    assert len(cache.known) <= 4
