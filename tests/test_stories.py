"""Story detection: copies merged, every article in one story, stable ids, outputs."""

from __future__ import annotations

import datetime as dt
import json
import re
import pickle
import random

import jsonschema
import pytest
from typer.testing import CliRunner

from newsdigest import Document, NewsdigestError, detect_stories
from newsdigest.ingest import load_documents
from newsdigest.apps.cli import app
from newsdigest.evaluate.story_metrics import score_grouping
from newsdigest.pipeline import summarize_stories
from newsdigest.render import render_stories
from newsdigest.render.digest_json import digest_schema
from newsdigest.render.stories import story_schema
from newsdigest.stories import GroupingOptions, StoryGrouper, group_documents, stream_order

from .conftest import EXAMPLE

WIRE = (
    "Rescue teams on Tuesday pulled 14 miners alive from the flooded Kestrel colliery in the northern valley, "
    "two days after a wall of water trapped them 300 metres underground. The miners had sheltered in an air "
    "pocket near the main shaft while pumps lowered the water, mine manager Oskar Lind told reporters at the "
    "pit head. Three workers are still missing and divers will resume the search at dawn. The Kestrel colliery "
    "was inspected in March and cleared to reopen after an earlier flood, the regional mining office said. "
    "Families who had waited at the gate through two cold nights cheered as the first stretcher came up."
)
FOLLOW_UP = (
    "Divers searching the flooded Kestrel colliery found the three missing miners alive on Wednesday, "
    "ending a search that lasted three days. Mine manager Oskar Lind said the men had reached a second "
    "air pocket in the flooded gallery. The regional mining office opened an inquiry into the flood at the colliery."
)
OTHER = (
    "The central bank raised its main interest rate by half a point on Thursday to 4.5 percent, its third "
    "increase this year, saying inflation in food and energy prices had not eased. Economists had expected "
    "a smaller rise. The governor said further increases could follow if wages keep climbing."
)
OTHER_2 = (
    "Shares fell in early trading after the central bank's interest rate increase, the third this year. "
    "Banks gained while builders lost ground, as traders bet on further rate rises to fight inflation."
)


def doc(id, text, source, day=None, title=""):
    return Document(id=id, text=text, source=source, title=title, date=dt.date(2024, 5, day) if day else None)


def articles():
    return [
        doc("ap-1", WIRE, "Associated Press", 7, "14 miners rescued from flooded colliery"),
        # The same wire story in two more outlets, one with a changed word and a new headline.
        doc("herald-9", WIRE.replace("cheered", "applauded"), "Valley Herald", 7, "Miners rescued alive"),
        doc("post-3", WIRE, "Morning Post", 8, "14 miners rescued from flooded colliery"),
        doc("times-2", FOLLOW_UP, "Daily Times", 8, "Missing miners found alive"),
        doc("fin-1", OTHER, "Finance Daily", 9, "Central bank raises rates again"),
        doc("fin-2", OTHER_2, "Market Watch", 9, "Shares fall after rate rise"),
    ]


def members(story) -> set[str]:
    return {a.id for a in story.articles} | {c.id for a in story.articles for c in a.copies}


def partition(stories) -> set[frozenset[str]]:
    return {frozenset(members(s)) for s in stories}


def test_copies_become_one_article_listing_their_outlets():
    stories = detect_stories(articles())
    mine = next(s for s in stories if "ap-1" in members(s))
    original = next(a for a in mine.articles if a.id == "ap-1")
    assert [c.id for c in original.copies] == ["herald-9", "post-3"]
    assert original.outlets == ["Associated Press", "Valley Herald", "Morning Post"]
    # A copy is not an article of its own, nor an independent source of the story.
    assert [a.id for a in mine.articles] == ["ap-1", "times-2"]
    assert mine.sources == ["Associated Press", "Daily Times"]


def test_digest_cites_a_copied_article_once():
    stories = detect_stories(articles())
    digests, problems = summarize_stories(stories, words=60)
    mine = next(s for s in stories if "ap-1" in members(s))
    cited = {c for ds in digests[mine.id].sentences for c in ds.citations}
    assert cited and cited <= {"ap-1", "times-2"}
    assert {d.id for d in digests[mine.id].documents} == {"ap-1", "times-2"}


def test_every_article_lands_in_exactly_one_story_and_stories_are_ranked():
    docs = articles() + [doc("lone", "A choir from the coast won the national singing contest on Sunday.", "Radio", None)]
    stories = detect_stories(docs)
    seen = [i for s in stories for i in members(s)]
    assert sorted(seen) == sorted(d.id for d in docs)
    assert partition(stories) == {
        frozenset({"ap-1", "herald-9", "post-3", "times-2"}),
        frozenset({"fin-1", "fin-2"}),
        frozenset({"lone"}),
    }
    ranks = [(len(s.sources), s.end or dt.date.min) for s in stories]
    assert ranks == sorted(ranks, reverse=True)


def test_group_documents_runs_the_pass_with_the_grouper_it_is_given():
    import numpy as np

    class NeverJoins(StoryGrouper):  # a grouper scoring otherwise, as bench/dense.py's
        def scores(self, ids, weights, stories, date):
            return np.zeros(len(stories))

    docs = articles()
    one_pass = GroupingOptions(reassign_rounds=0)
    default = group_documents(docs, one_pass)
    apart = group_documents(docs, one_pass, grouper=NeverJoins(one_pass))
    assert len(set(default.story)) == 2  # the miners and the central bank
    # Copies still join their originals; every other article opens a story of its own.
    assert apart.copy_of == default.copy_of
    assert len(set(apart.story)) == sum(original is None for original in apart.copy_of) == 4


def test_story_ids_and_titles_are_stable_across_runs_and_input_orders():
    first = detect_stories(articles())
    again = detect_stories(articles())
    assert [(s.id, s.title, members(s)) for s in first] == [(s.id, s.title, members(s)) for s in again]
    shuffled = articles()
    random.Random(3).shuffle(shuffled)
    other = detect_stories(shuffled)
    assert {s.id: members(s) for s in other} == {s.id: members(s) for s in first}
    # The headline two articles share names the miners' story.
    mine = next(s for s in first if "ap-1" in members(s))
    assert mine.title == "14 miners rescued from flooded colliery"


def test_repeated_ids_are_refused_with_a_clear_error():
    docs = articles()
    with pytest.raises(NewsdigestError, match="'ap-1' repeats"):
        detect_stories(docs + [docs[0]])
    assert detect_stories([]) == []


def test_dated_articles_come_first_in_date_order_then_undated_in_input_order():
    docs = [doc("u2", "x", "A"), doc("d9", "x", "A", 9), doc("u1", "x", "A"), doc("d3", "x", "A", 3)]
    assert [docs[i].id for i in stream_order(docs)] == ["d3", "d9", "u2", "u1"]


def test_stories_close_after_days_without_news():
    early = doc("old", FOLLOW_UP, "Daily Times", 1)
    late = Document(id="new", text=FOLLOW_UP.replace("Wednesday", "Friday"), source="Other", date=dt.date(2024, 9, 1))
    together = group_documents([early, late], find_copies=False)
    apart = group_documents([early, late], GroupingOptions(close_after_days=30), find_copies=False)
    assert together.story[0] == together.story[1]
    assert apart.story[0] != apart.story[1]


def test_open_stories_are_bounded_and_the_grouper_pickles_and_resumes():
    words = ["otters", "glaciers", "violins", "tractors", "comets", "lanterns", "kayaks", "orchids"]
    docs = [doc(f"n{i}", f"{word.title()} {word}.", "X", 1 + i) for i, word in enumerate(words)]
    grouper = StoryGrouper(GroupingOptions(max_open=3))
    for d in sorted(docs, key=lambda d: d.date):
        grouper.add(d)
    assert len(grouper.open) == 3
    docs = articles()
    whole = StoryGrouper()
    keys = [whole.add(d) for d in docs[:3]]
    resumed = StoryGrouper.from_state(json.loads(json.dumps(whole.state())))
    copied = pickle.loads(pickle.dumps(whole))
    rest = [whole.add(d) for d in docs[3:]]
    assert [resumed.add(d) for d in docs[3:]] == rest == [copied.add(d) for d in docs[3:]]
    assert keys[0] == "ap-1"


def test_story_lines_follow_the_shipped_schema():
    stories = detect_stories(articles())
    digests, _ = summarize_stories(stories, words=60)
    lines = render_stories(stories, digests, "jsonl").splitlines()
    assert len(lines) == len(stories)
    schema = story_schema()
    for line in lines:
        record = json.loads(line)
        jsonschema.validate(record, schema)
        jsonschema.validate(record["digest"], digest_schema())
    first = next(json.loads(x) for x in lines if '"ap-1"' in x)
    assert first["articles"][0]["copies"] == ["herald-9", "post-3"]
    bare = [json.loads(x) for x in render_stories(stories, {}, "jsonl").splitlines()]
    assert all("digest" not in r for r in bare)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**first, "articles": []}, schema)


def test_hostile_text_is_escaped_in_html_and_markdown():
    docs = [
        doc("evil", WIRE, "<script>alert(1)</script>", 7, "Miners <img src=x onerror=alert(1)> rescued"),
        Document(id="link", text=FOLLOW_UP, title="*bold* [x](javascript:alert(1))", url="javascript:alert(1)", date=dt.date(2024, 5, 8)),
    ]
    stories = detect_stories(docs)
    page = render_stories(stories, {}, "html")
    assert "<script>" not in page and "<img" not in page and "javascript:" not in page.split("</style>")[1].split("href=")[0] + "".join(p.split('"')[1] for p in page.split("href=")[1:])
    assert "&lt;script&gt;" in page
    markdown = render_stories(stories, {}, "markdown")
    assert "\\*bold\\*" in markdown and "\\[x\\]" in markdown and "&lt;img" in markdown and "<img" not in markdown


def test_stories_command_writes_json_lines_and_html(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["stories", str(EXAMPLE), "--format", "jsonl", "--no-digest"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == 1 and len(lines[0]["articles"]) == 5 and "digest" not in lines[0]
    out = tmp_path / "stories.html"
    result = runner.invoke(app, ["stories", str(EXAMPLE), "--format", "html", "-o", str(out), "--words", "80"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Syria" in page and re.search(r'class="cite"[^>]*>\[\d\]', page)  # the digest, with its citations
    result = runner.invoke(app, ["stories", str(tmp_path / "missing")])
    assert result.exit_code == 1 and "no such file" in result.stderr


def test_grouping_scores_on_a_worked_example():
    # Gold: {a b c} {d e}; predicted: {a b} {c d e}.
    s = score_grouping(["1", "1", "2", "2", "2"], ["x", "x", "x", "y", "y"])
    assert s.bcubed_precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert s.bcubed_recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert s.pairwise_precision == pytest.approx(2 / 4) and s.pairwise_recall == pytest.approx(2 / 4)
    assert (s.stories_found, s.stories_gold) == (2, 2)
    perfect = score_grouping(["p", "p", "q"], ["x", "x", "y"])
    assert perfect.bcubed_f1 == 1.0 and perfect.pairwise_f1 == 1.0


@pytest.mark.dataset
def test_seed_articles_form_one_story_among_the_dev_stories(shared_data):
    seeds, _ = load_documents([EXAMPLE], duplicate_threshold=None)
    dev, _ = load_documents([shared_data / "stories" / "dev.jsonl"], duplicate_threshold=None)
    mixed = seeds + dev
    random.Random(9).shuffle(mixed)
    stories = detect_stories(mixed)
    seed_ids = {d.id for d in seeds}
    holding = [s for s in stories if members(s) & seed_ids]
    assert len(holding) == 1 and members(holding[0]) == seed_ids


@pytest.mark.dataset
def test_evaluate_scores_the_dev_grouping(shared_data):
    result = CliRunner().invoke(app, ["evaluate", str(shared_data / "stories" / "dev.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["articles"] == 855 and scores["stories_gold"] == 119
    assert 0.0 < scores["bcubed_f1"] <= 1.0 and scores["articles_per_second"] > 0


def test_reassign_brings_a_lone_early_article_home_and_leaves_an_unrelated_one():
    from newsdigest.stories.refine import reassign
    from newsdigest.stories.sparse import sparse_vectors

    quake = {"quake": 0.8, "city": 0.6}
    vectors = sparse_vectors(
        [quake, {"quake": 0.7, "city": 0.7, "rescue": 0.14}, dict(quake), {"budget": 1.0}, {"quake": 0.6, "city": 0.8}]
    )
    labels = ["early", "late", "late", "other", "late"]
    undated = [None] * len(vectors)
    moved = reassign(vectors, labels, undated, GroupingOptions(threshold=0.5, reassign_rounds=2))
    assert moved == ["late", "late", "late", "other", "late"]
    assert reassign(vectors, labels, undated, GroupingOptions(threshold=0.5, reassign_rounds=0)) == labels
    # A story that closed long before (close_after_days) is out of reach.
    dates = [dt.date(2024, 1, 1)] + [dt.date(2024, 9, 1)] * 4
    assert reassign(vectors, labels, dates, GroupingOptions(threshold=0.5, close_after_days=30))[0] == "early"


def test_small_stories_join_their_closest_story_and_large_or_unrelated_ones_stay():
    from newsdigest.stories.refine import merge_small_stories
    from newsdigest.stories.sparse import sparse_vectors

    chrome = {"subscribe": 0.3}  # boilerplate in every article (end to end: test_stories_furniture.py)
    vectors = [
        {"quake": 0.8, "city": 0.6}, {"quake": 0.7, "city": 0.7}, {"quake": 0.6, "city": 0.8},  # a story of 3
        {"quake": 0.6, "rescue": 0.8}, {"quake": 0.5, "rescue": 0.85},  # 2 articles on its rescue
    ] + [{f"topic{n}": 1.0} for n in range(40)]  # unrelated stories of one article
    vectors = sparse_vectors([{**v, **chrome} for v in vectors])
    labels = ["q", "q", "q", "r", "r"] + [f"t{n}" for n in range(40)]
    undated = [None] * len(vectors)
    options = GroupingOptions(merge_size=2, merge_threshold=0.3)
    assert merge_small_stories(vectors, labels, undated, options) == ["q"] * 5 + labels[5:]
    # Above merge_threshold only; stories larger than merge_size are never merged.
    assert merge_small_stories(vectors, labels, undated, GroupingOptions(merge_size=2, merge_threshold=0.9)) == labels
    assert merge_small_stories(vectors, labels, undated, GroupingOptions(merge_size=1, merge_threshold=0.3)) == labels
    # Out of reach in time (close_after_days), as in the rounds.
    dates = [dt.date(2024, 1, 1)] * 3 + [dt.date(2024, 9, 1)] * 2 + [None] * 40
    far = GroupingOptions(merge_size=2, merge_threshold=0.3, close_after_days=30)
    assert merge_small_stories(vectors, labels, dates, far) == labels


def test_articles_without_text_are_never_copies_of_each_other():
    from newsdigest.stories import CopyFinder

    finder = CopyFinder()
    assert finder.add(Document(id="a", text="", source="X")) is None
    assert finder.add(Document(id="b", text="  \n", source="Y")) is None
    wire = "The storm reached the coast on Monday and forced thousands of people from their homes near the river."
    assert finder.add(Document(id="c", text=wire, source="X")) is None
    assert finder.add(Document(id="d", text=wire, source="Y")) == "c"


def test_shingle_hashes_follow_the_runs_of_five_words():
    from newsdigest.stories.copies import shingle_hashes

    text = "The storm reached the coast on Monday and forced thousands from their homes"
    hashes = shingle_hashes(text, 600)
    assert len(hashes) == len(text.split()) - 4
    assert shingle_hashes(text.upper().replace(" ", "  \n "), 600) == hashes  # case and white space do not count
    swapped = shingle_hashes(text.replace("reached the coast", "the coast reached"), 600)
    assert swapped[-4:] == hashes[-4:] and swapped[:3] != hashes[:3]  # only the runs holding the swap change
    assert len(set(hashes)) == len(hashes) and all(0 <= h < 2**32 for h in hashes)
    assert shingle_hashes("three short words", 600) != shingle_hashes("three words short", 600)
    assert shingle_hashes("", 600) == []
    assert len(shingle_hashes(text, 6)) == 2  # only the first max_words words


def test_copies_at_the_threshold_are_found_most_of_the_time():
    """Pairs of Jaccard about 0.87 (one word in 75 changed): datasketch's even weights would miss about a quarter."""
    from newsdigest.stories import CopyFinder
    from newsdigest.stories.copies import shingle_hashes

    rng = random.Random(3)
    vocabulary = [f"w{n}" for n in range(5000)]
    found = 0
    for pair in range(40):
        words = [rng.choice(vocabulary) for _ in range(300)]
        edited = [f"x{pair}-{i}" if i % 75 == 40 else word for i, word in enumerate(words)]
        a, b = set(shingle_hashes(" ".join(words), 600)), set(shingle_hashes(" ".join(edited), 600))
        assert 0.85 <= len(a & b) / len(a | b) <= 0.9
        finder = CopyFinder()
        finder.add(Document(id="a", text=" ".join(words), source="X"))
        found += finder.add(Document(id="b", text=" ".join(edited), source="Y")) == "a"
    assert found >= 34


def test_the_default_copy_index_gets_the_bands_datasketch_picks_without_importing_scipy_integrate():
    import subprocess
    import sys

    from datasketch import MinHashLSH

    from newsdigest.stories.copies import DEFAULT_BANDS

    for (threshold, num_perm, missed), bands in DEFAULT_BANDS.items():
        chosen = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(1 - missed, missed))
        assert (chosen.b, chosen.r) == bands
    probe = (
        "import sys\n"
        "from newsdigest.stories import CopyFinder\n"
        "from newsdigest.stories.copies import CopyOptions\n"
        "from newsdigest import Document\n"
        "finder = CopyFinder()\n"
        f"text = {WIRE!r}\n"
        "finder.add(Document(id='a', text=text, source='X'))\n"
        "print(finder.add(Document(id='b', text=text, source='Y')), 'scipy.integrate' in sys.modules)\n"
        "other = CopyFinder(CopyOptions(threshold=0.7))\n"  # bands to choose: SciPy's quad, imported now
        "print(other.index.b, other.index.r, 'scipy.integrate' in sys.modules)\n"
        "import scipy.integrate; print(scipy.integrate.quad(lambda x: x, 0, 1)[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "a False"
    expected = MinHashLSH(threshold=0.7, num_perm=64, weights=(0.2, 0.8))
    assert out[1] == f"{expected.b} {expected.r} True"
    assert out[2] == "0.5"


def test_a_story_of_two_distinct_groups_is_split_and_a_coherent_one_is_not():
    from dataclasses import replace

    from newsdigest.stories.refine import split_stories
    from newsdigest.stories.sparse import sparse_vectors

    shared = {"river": 0.5, "xinhua": 0.3}  # what both events say (and what merged them)
    dam = [{**shared, "dam": 0.7, "turbine": 0.2 + 0.05 * n} for n in range(5)]
    flood = [{**shared, "flood": 0.7, "dike": 0.2 + 0.05 * n} for n in range(5)]
    one = [{"quake": 0.8, "city": 0.5, f"detail{n}": 0.3} for n in range(10)]  # one event, each article its own detail
    others = [{f"topic{n}": 1.0} for n in range(20)]
    vectors = sparse_vectors([dam[0], flood[0], dam[1], flood[1], dam[2], flood[2], dam[3], flood[3], dam[4], flood[4]] + one + others)
    labels = ["merged"] * 10 + ["quake"] * 10 + [f"t{n}" for n in range(20)]
    options = GroupingOptions()
    split = split_stories(vectors, labels, options)
    assert len({split[i] for i in range(0, 10, 2)}) == 1 and len({split[i] for i in range(1, 10, 2)}) == 1
    assert split[0] == "merged" and split[1] != "merged"  # the part with the story's first article keeps its key
    assert split[10:] == labels[10:]
    # Parts smaller than split_size, or not apart by split_margin, stay together; split_size=0 turns it off.
    assert split_stories(vectors, labels, replace(options, split_size=6)) == labels
    assert split_stories(vectors, labels, replace(options, split_margin=0.9)) == labels
    assert split_stories(vectors, labels, replace(options, split_size=0)) == labels


def test_each_part_of_a_split_story_is_tried_again():
    from newsdigest.stories.refine import split_stories
    from newsdigest.stories.sparse import sparse_vectors

    shared = {"river": 0.5, "xinhua": 0.3}
    groups = [[{**shared, word: 0.7, f"{word}{n}": 0.2} for n in range(5)] for word in ("dam", "flood", "ferry")]
    vectors = sparse_vectors([groups[n % 3][n // 3] for n in range(15)] + [{f"topic{n}": 1.0} for n in range(20)])
    labels = ["merged"] * 15 + [f"t{n}" for n in range(20)]
    split = split_stories(vectors, labels, GroupingOptions())
    assert len(set(split[:15])) == 3
    assert all(split[n] == split[n % 3] for n in range(15))  # each event whole, in its own story
