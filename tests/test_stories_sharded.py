"""Story grouping sharded by time window: the same stories as one pass."""

from __future__ import annotations

import datetime as dt
import random
from concurrent.futures import ProcessPoolExecutor

import pytest

from newsdigest import Document, NewsdigestError
from newsdigest.evaluate.story_metrics import score_grouping
from newsdigest.stories import GroupingOptions, group_documents
from newsdigest.stories.sharded import group_sharded, primed_counts, time_windows

BASE = dt.date(2024, 3, 1)


def planted_stream(seed: int = 3) -> tuple[list[Document], list[str]]:
    """Six planted stories, each 8-12 articles over about two weeks (so they straddle 7-day windows), a few undated."""
    rng = random.Random(seed)
    common = [f"common{n}" for n in range(400)]  # words every story uses
    documents, gold = [], []
    for story in range(6):
        topic = [f"topic{story}x{n}" for n in range(25)]
        first_day = rng.randrange(0, 30)
        for n in range(rng.randint(8, 12)):
            words = rng.sample(topic, 16) + rng.sample(common, 8)
            rng.shuffle(words)
            text = ". ".join(" ".join(words[i : i + 8]).capitalize() for i in range(0, len(words), 8)) + "."
            undated = n == 5 and story % 2 == 0
            date = None if undated else BASE + dt.timedelta(days=first_day + rng.randrange(14))
            documents.append(Document(id=f"s{story}-a{n}", text=text, source=f"outlet{n % 4}", date=date))
            gold.append(f"story{story}")
    order = list(range(len(documents)))
    rng.shuffle(order)  # input order must not matter
    return [documents[i] for i in order], [gold[i] for i in order]


def test_windows_follow_dates_and_undated_articles_come_last():
    dates = [BASE + dt.timedelta(days=10), None, BASE, BASE + dt.timedelta(days=3), None, BASE + dt.timedelta(days=30)]
    windows = time_windows(dates, window_days=7)
    assert [w.number for w in windows] == [0, 1, 4, None]  # empty windows are left out
    assert [w.positions for w in windows] == [(2, 3), (0,), (5,), (1, 4)]
    assert primed_counts([2, 1, 1, 2], warmup=3) == [2, 1, 0, 0]
    with pytest.raises(NewsdigestError):
        time_windows(dates, window_days=0)


def test_sharded_grouping_converges_to_the_one_pass_grouping():
    documents, gold = planted_stream()
    one_pass = group_documents(documents)
    assert len(time_windows([d.date for d in documents], 7)) >= 5
    sharded, _ = group_sharded(documents, window_days=7, rounds=None)
    assert sharded == one_pass
    # The planted stories are found, across the window edges too.
    assert score_grouping(list(sharded.story), gold).bcubed_f1 == pytest.approx(1.0)


def test_bounded_rounds_still_join_stories_across_window_edges():
    documents, gold = planted_stream(seed=5)
    rounds_only = GroupingOptions(merge_size=0)  # the second pass's merging of small stories would hide what rounds do
    sharded, _ = group_sharded(documents, window_days=7, rounds=2, options=rounds_only)
    one_round, _ = group_sharded(documents, window_days=7, rounds=1, options=rounds_only)
    f1 = score_grouping(list(sharded.story), gold).bcubed_f1
    assert f1 > score_grouping(list(one_round.story), gold).bcubed_f1  # the second round merges edge stories
    assert f1 > 0.9


def test_same_grouping_whatever_the_number_of_workers():
    documents, _ = planted_stream(seed=11)
    alone, _ = group_sharded(documents, window_days=5, rounds=3)
    with ProcessPoolExecutor(1) as one, ProcessPoolExecutor(2) as two:
        assert group_sharded(documents, window_days=5, rounds=3, map_windows=one.map)[0] == alone
        assert group_sharded(documents, window_days=5, rounds=3, map_windows=two.map)[0] == alone


def test_repeated_ids_are_refused():
    documents, _ = planted_stream()
    with pytest.raises(NewsdigestError, match="repeat"):
        group_sharded(documents + documents[:1])


def test_matches_the_one_pass_grouping_on_the_stories_dev_set(shared_data):
    from newsdigest.evaluate.stories import load_story_dataset

    documents, gold = load_story_dataset(shared_data / "stories" / "dev.jsonl")
    one_pass = score_grouping(list(group_documents(documents).story), gold).bcubed_f1
    sharded, _ = group_sharded(documents, window_days=365, rounds=None)
    assert len(time_windows([d.date for d in documents], 365)) >= 5
    assert abs(score_grouping(list(sharded.story), gold).bcubed_f1 - one_pass) <= 0.005
