"""The benchmark code on a two-cluster fixture (peers included when installed)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # bench/ is a folder of scripts beside src/, not an installed package

from bench import peers, run, scaling  # noqa: E402
from newsdigest.evaluate import Cluster  # noqa: E402
from newsdigest.evaluate.systems import NewsdigestSystem  # noqa: E402
from newsdigest.model import Document, Sentence  # noqa: E402
from newsdigest.pipeline import segment, summarize_documents  # noqa: E402

SHARED_DATA = REPO.parent / "shared" / "data"

ARTICLES = {
    "wire": (
        "Rescue teams reached the flooded village of Alden on Monday after three days of heavy rain. "
        "The river rose four meters overnight and forced hundreds of families from their homes. "
        "Officials said two people were missing and that the water was expected to fall by Wednesday. "
        "The regional governor promised emergency funds for the families who lost their homes."
    ),
    "paper": (
        "Heavy rain flooded the village of Alden, and rescue teams arrived on Monday. "
        "Hundreds of families left their homes when the river rose four meters. "
        "Two people are missing, officials said. "
        "Farmers fear the harvest is lost after the river covered the fields near the village."
    ),
    "radio": (
        "The flood in Alden is the worst in forty years, residents said. "
        "The river rose four meters in one night after three days of rain. "
        "Rescue teams were searching for two missing people on Monday evening."
    ),
}


def two_clusters() -> list[Cluster]:
    docs = [Document(id=k, text=v) for k, v in ARTICLES.items()]
    return [
        Cluster("flood-1", docs, ["The river rose four meters and flooded Alden. Two people are missing."], kind="jsonl"),
        Cluster("flood-2", docs[::-1], ["Rescue teams reached Alden after heavy rain. Families left their homes."], kind="jsonl"),
    ]


def test_fit_ranked_skips_what_does_not_fit_and_keeps_document_order():
    sentences = [Sentence(text=t, doc_id="d", index=i, start=0, end=len(t)) for i, t in enumerate(["a b c d e", "f g", "h i j", "k"])]
    # Budget 6: rank 0 (5 words) fits, rank 2 (3 words) would overflow and is skipped, rank 3 (1 word) fills.
    assert peers.fit_ranked([0, 2, 3, 1], sentences, 6) == [0, 3]
    assert peers.fit_ranked([0], sentences, 2) == []  # never cut a sentence to make it fit


def test_peers_stay_within_budget():
    available, missing = peers.available_peers()
    if not available:
        pytest.skip(f"no peer installed: {', '.join(missing)}")
    cluster = two_clusters()[0]
    texts = {s.text for s in segment(cluster.documents)}
    for peer in available:
        peer.prepare()
        if hasattr(peer, "fit_background"):
            peer.fit_background(two_clusters())
        summary = peer.summarize(cluster, 30)
        assert summary, peer.name
        assert sum(len(s.split()) for s in summary) <= 30, peer.name
        assert set(summary) <= texts, peer.name  # whole sentences of the input only


def test_sumy_peer_follows_its_ranking():
    pytest.importorskip("sumy")
    cluster = two_clusters()[0]
    sentences = segment(cluster.documents)
    luhn = peers.SumyPeer("sumy Luhn", peers._sumy_factory("sumy.summarizers.luhn.LuhnSummarizer"))
    big = luhn.summarize(cluster, 10_000)
    assert big == [s.text for s in sentences]  # room for everything: every sentence, document order


def test_run_setting_and_report(tmp_path):
    clusters = two_clusters()
    available, missing = peers.available_peers()
    systems = [NewsdigestSystem("lead"), NewsdigestSystem("ilp"), *available]
    results = run.run_setting(clusters, systems, words=40, metric="f1", timeout=60, isolate=False, log=lambda line: None)
    assert [r.system for r in results] == [s.name for s in systems]
    for result in results:
        assert len(result.clusters) == 2
        assert not result.failures, (result.system, result.failures)
        assert result.peak_memory is not None
        assert 0 < result.mean("rouge1") <= 1
    rows = [scaling.time_cluster(clusters[0].documents, label="3 articles", repeated=False, method="ilp", timeout=60)]
    report = run.render_markdown(
        command="python bench/run.py --quick",
        started=run.dt.datetime(2024, 1, 1),
        seconds=1.0,
        sections=[(run.SETTINGS[1], 2, results)],
        scaling_rows=rows,
        plot_path="bench/scaling.png",
        timeout=60,
        missing=missing,
    )
    assert "python bench/run.py --quick" in report
    assert "| cores |" in report and "| Python |" in report
    for system in systems:
        assert f"| {system.name}" in report or f"**{system.name}**" in report
    assert "ROUGE-1.5.5" in report and "3 articles" in report


def test_common_table_drops_failed_clusters():
    clusters = two_clusters()

    class Slow:
        name = "slow"

        def summarize(self, cluster, words):
            if cluster.id == "flood-2":
                import time

                time.sleep(5)
            return [segment(cluster.documents)[0].text]

    results = run.run_setting(clusters, [NewsdigestSystem("lead"), Slow()], words=40, metric="f1", timeout=0.5, isolate=True, log=lambda line: None)
    assert results[1].failures[0].error == "timeout after 0.5 s"
    table = run.results_table(results)
    assert "flood-2: timeout after 0.5 s" in table
    assert "without flood-2" in run.common_table(results)


def test_scaling_builds_exact_sizes_and_plots(tmp_path):
    pool = two_clusters()[0].documents  # 11 sentences
    documents, repeated = scaling.build_cluster(pool, 5)
    assert len(segment(documents)) == 5 and not repeated
    documents, repeated = scaling.build_cluster(pool, 25)
    assert len(segment(documents)) == 25 and repeated
    assert len({d.id for d in documents}) == len(documents)  # repeats get new ids
    row = scaling.time_cluster(documents, label="25 sentences", repeated=repeated, method="ilp", timeout=60)
    assert row.sentences == 25 and row.seconds > 0 and not row.error
    png = scaling.plot([row], tmp_path / "scaling.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "articles repeated" in scaling.markdown_table([row])


def test_machine_description():
    info = run.machine()
    assert info["cores"].isdigit() and info["Python"].startswith("3.")


@pytest.mark.dataset
def test_quick_run_on_the_real_data(tmp_path):
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent: the benchmark needs ../shared/data beside the repository")
    output = tmp_path / "BENCH.md"
    assert run.main(["--quick", "--no-scaling", "--data", str(SHARED_DATA), "--output", str(output)]) == 0
    text = output.read_text()
    assert "DUC 2003" in text and "Multi-News" in text


def test_targets_table_checks_each_target_against_the_run():
    from newsdigest.evaluate.rouge import Score
    from newsdigest.evaluate.results import ClusterResult, EvaluationResult

    def result(system, metric, r1, r2, seconds, errors=()):
        clusters = [
            ClusterResult(
                id=f"c{k}",
                scores={m: Score(v, v, v) for m, v in (("rouge1", r1), ("rouge2", r2), ("rougeLsum", r1))},
                seconds=seconds,
                words=100,
                error="timeout" if f"c{k}" in errors else "",
            )
            for k in range(2)
        ]
        return EvaluationResult(system=system, metric=metric, words=100, truncate=metric == "recall", clusters=clusters)

    duc = run.Setting(name="DUC", path="duc2003", words=100, metric="recall", isolate=False)
    news = run.Setting(name="MN", path="multinews/dev.jsonl", words=250, metric="f1", isolate=True)
    sections = [
        (duc, 2, [result("ilp", "recall", 0.41, 0.115, 0.01), result("sumy LexRank", "recall", 0.37, 0.09, 0.3)]),
        (news, 2, [result("ilp", "f1", 0.47, 0.16, 0.05), result("lead", "f1", 0.45, 0.15, 0.01),
                   result("sumy LexRank", "f1", 0.44, 0.14, 1.0, errors={"c1"})]),
    ]
    table = run.targets_table(sections)
    lines = {line.split(" | ")[0].lstrip("| "): line for line in table.splitlines()[2:]}
    assert lines["DUC 2003, 100 words, recall: ROUGE-2 >= 11.5"].endswith("| met |")
    assert "30.0x" in lines["DUC 2003: the whole run >= 20x faster than sumy's LexRank"]
    assert lines["Multi-News dev, 250 words, F1: ROUGE-1 >= lead + 2"].endswith("| met |")
    assert "(+1.00)" in lines["Multi-News dev, 250 words, F1: ROUGE-2 >= lead + 2"]
    assert lines["Multi-News dev, 250 words, F1: ROUGE-2 >= lead + 2"].endswith("| **not met** |")
    assert "on the 1 clusters it finished" in table
    assert run.targets_table([]) == ""


def test_ablation_table_on_two_clusters():
    from bench import ablation

    rows = [
        ("lead baseline", "lead", {}),
        ("ilp", "ilp", {}),
        ("ilp without fill", "ilp", {"fill": False}, "fill"),
        ("ilp with fill", "ilp", {}, "fill"),
    ]
    sets = [("Tiny", two_clusters(), 40, "f1"), ("Other", two_clusters()[::-1], 30, "recall")]
    table = ablation.ablation_table(sets, rows=rows)
    lines = table.splitlines()
    assert lines[0].startswith("| row | Tiny R-1 | Tiny R-2 | Tiny ΔR-1 [95% CI] | Tiny ΔR-2 [95% CI] | Tiny ms/cluster |")
    body = [line for line in lines[2:6]]
    assert [line.split(" | ")[0] for line in body] == ["| lead baseline", "| ilp", "| ilp without fill", "| ilp with fill"]
    assert body[1].endswith("| reference |") and "+0.00 [+0.00, +0.00]" in body[1]
    assert body[3].split(" | ")[3].startswith("+0.00")  # the same configuration as the reference
    for line in body:
        r1, r2 = (float(x) for x in line.split(" | ")[1:3])
        assert 0 < r2 <= r1 <= 100
    loso = table[table.index("Leave one set out"):]
    assert "| fill | Tiny |" in loso and "| fill | Other |" in loso


def test_readability_counts_hanging_references_and_repeats():
    from bench import readability
    from newsdigest.evaluate.datasets import Cluster

    docs = [
        Document(id="a", text="Riad Hijab, the Syrian prime minister, defected to Jordan on Monday.\nHe said the regime was collapsing fast."),
        Document(id="b", text="Syrian prime minister Riad Hijab defected to Jordan on Monday with his family."),
    ]
    clusters = [Cluster("c", docs, ["Hijab defected."], kind="jsonl")]
    lead = readability.measure(clusters, 60, method="lead")
    assert lead["repeated_pairs"] == 1 and lead["digests"] == 1
    ilp = readability.measure(clusters, 60)
    assert ilp["repeated_pairs"] == 0 and ilp["unresolved"] == 0
    assert "| lead | tiny | 1 |" in readability.table([("lead", "tiny", lead)])


def test_cleaning_report_counts_what_each_rule_removed(tmp_path):
    import json

    from bench import cleaning_report

    (tmp_path / "stories").mkdir()
    story = "Ferry crews walked off the job on Friday, union officials said."
    records = [
        {"id": "a", "text": f"{story}\nShare this\nJane Doe can be reached at jdoe@example.com."},
        {"id": "b", "text": f"{story}\nThe village can be reached only by boat.\nShare this"},
    ]
    (tmp_path / "stories" / "dev.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    markdown, by_rule = cleaning_report.report(tmp_path)
    assert "- DUC 2003: absent, skipped" in markdown
    assert "- stories dev: 2 articles" in markdown
    assert by_rule["share_prompt_line"].articles == 2 and by_rule["share_prompt_line"].chars == 2 * len("Share this")
    contact = by_rule["author_contact"]
    assert contact.articles == 1 and contact.largest[0].text == "Jane Doe can be reached at jdoe@example.com."
    assert "| author_contact | 1 |" in markdown


def test_lead_anchor_fixes_the_most_central_opening_in():
    from bench.ablation import LeadChoiceILP
    from newsdigest.model import Budget
    from newsdigest.summarize.ilp import ConceptILP

    opening = "Syrian Prime Minister Riad Hijab defected to Jordan with his family on Monday, a spokesman said in Amman."
    paraphrase = "Prime Minister Riad Hijab defected to Jordan on Monday."
    docs = [
        Document(id="wire", text="\n".join([
            opening, "The government in Damascus said Hijab had been dismissed hours earlier.",
            "Rebels said army officers also defected to Turkey overnight.",
        ])),
        Document(id="paper", text="\n".join([
            "Army officers defected to Turkey overnight, rebel commanders said on Monday.",
            "Fighting continued in Aleppo for a third week.", paraphrase,
        ])),
        Document(id="radio", text="\n".join([
            "Riad Hijab, the prime minister, defected to Jordan with his family, his spokesman said.",
            "Army officers defected to Turkey, rebels said.",
        ])),
    ]
    sentences = segment(docs)
    budget = Budget(words=20)
    plain = [sentences[i].text for i in ConceptILP().select(sentences, budget)]
    anchored = LeadChoiceILP(lead_anchor="concepts").select(sentences, budget)
    assert paraphrase in plain and opening not in plain  # the solver prefers the shorter paraphrase ...
    assert opening in [sentences[i].text for i in anchored]  # ... the anchor keeps the original opening
    assert sum(sentences[i].words for i in anchored) <= 20
    # Room left after the anchor goes to the solver: with 30 words the officers' defection joins it.
    roomy = [sentences[i].text for i in LeadChoiceILP(lead_anchor="concepts").select(sentences, Budget(words=30))]
    assert roomy[0] == opening and any("Turkey" in t for t in roomy[1:])


def test_lead_positions_profile_counts_reference_bigrams_per_candidate_rank():
    from bench import lead_positions

    profile = lead_positions.rank_profile(two_clusters()[:1])
    assert set(profile) == {0, 1, 2, 3}
    assert all(0 <= share <= 1 for share, _ in profile.values())
    assert [n for _, n in profile.values()] == [3, 3, 3, 2]  # three articles, the radio piece has three sentences
    # "The river rose four meters" opens the reference and sits at rank 1 in two articles.
    assert profile[1][0] > 0


def test_speed_compiles_sources_it_times_even_when_imports_write_no_bytecode(tmp_path, monkeypatch):
    from bench import speed

    package = tmp_path / "pkg"
    package.mkdir()
    (package / "mod.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    speed.compile_sources(tmp_path)
    compiled = list((package / "__pycache__").glob("mod.*.pyc"))
    assert len(compiled) == 1


def test_exact_copy_pairs_are_those_whose_five_word_runs_mostly_agree():
    from bench.stories import exact_copy_pairs

    base = " ".join(f"w{n}" for n in range(100))
    near = base.replace("w50", "changed")  # 5 of 96 runs change: Jaccard 91 / 101
    docs = [Document(id="a", text=base, source="X"), Document(id="b", text=near, source="Y"),
            Document(id="c", text=" ".join(f"v{n}" for n in range(100)), source="Z")]
    pairs = exact_copy_pairs(docs, 0.8, 600)
    assert list(pairs) == [("a", "b")] and pairs["a", "b"] == 91 / 101
    assert exact_copy_pairs(docs, 0.95, 600) == {}


def test_input_orders_scores_the_file_as_given_then_distinct_shuffles(monkeypatch):
    import re

    from bench import stories

    documents = [Document(id=f"d{n}", text=f"Article {n} text.") for n in range(6)]
    gold = ["x"] * 6
    seen = []

    class Scores:  # what stories.ours returns first: only the F1 is read
        def __init__(self, f1):
            self.bcubed_f1 = f1

    def fake_ours(docs, labels, options=None):
        seen.append([d.id for d in docs])
        assert [g for g in labels] == gold and options == "opts"
        return Scores(int(docs[0].id[1]) / 10), 0.0, 0.0, None  # the score tells which article came first

    monkeypatch.setattr(stories, "ours", fake_ours)
    line = stories.input_orders(documents, gold, shuffles=4, options="opts")[0]
    assert seen[0] == [d.id for d in documents]  # the file as given first
    assert len(seen) == 5 and len({tuple(o) for o in seen}) == 5  # then four distinct shuffles
    assert all(sorted(o) == sorted(seen[0]) for o in seen)
    firsts = [int(o[0][1]) / 10 for o in seen[1:]]
    given, mean, low, high = (float(x) for x in re.findall(r"\d\.\d{3}", line))
    assert (given, low, high) == (0.0, min(firsts), max(firsts)) and abs(mean - sum(firsts) / 4) < 5e-4
    assert line.startswith("Input order (6 undated articles")


def test_input_orders_of_dated_articles_do_not_change_the_grouping(shared_data):
    import re

    from bench.stories import input_orders
    from newsdigest.evaluate.stories import load_story_dataset

    documents, gold = load_story_dataset(shared_data / "stories" / "dev.jsonl")
    dated = [k for k, d in enumerate(documents) if d.date][:240]
    line = input_orders([documents[k] for k in dated], [gold[k] for k in dated], shuffles=3)[0]
    scores = {float(x) for x in re.findall(r"\d\.\d{3}", line)}
    assert line.startswith("Input order (0 undated articles")
    assert len(scores) == 1 and 0.5 < scores.pop() < 1.0  # grouped in date order: every order the same (and not trivially)


def test_compressed_alternatives_let_the_solver_buy_content_with_the_words_freed():
    from bench import ablation

    road = "Floodwaters cut the main road to Alden on Monday"
    docs = [
        Document(id="county", text=f"{road}, county officials said.\nRescue teams reached Alden by boat on Tuesday."),
        Document(id="police", text=f"{road}, police said.\nRescue teams reached Alden by boat on Tuesday morning."),
    ]
    sentences = segment(docs)
    alternatives = ablation.with_compressed_alternatives(sentences, "attributions")
    assert alternatives[: len(sentences)] == sentences
    added = alternatives[len(sentences):]
    assert [s.text for s in added] == [f"{road}."] * 2 and [s.doc_id for s in added] == ["county", "police"]
    assert ablation.with_compressed_alternatives(sentences, "datelines") == sentences  # no dateline to drop

    plain = [s.text for s in summarize_documents(docs, words=17).sentences]
    squeezed = ablation.compressive_summary(docs, 17, "attributions", {})
    assert not (any(road in t for t in plain) and any("Rescue" in t for t in plain))  # 12 + 8 words do not fit 17
    assert f"{road}." in squeezed and any(t.startswith("Rescue teams reached Alden") for t in squeezed)
    assert sum(len(t.split()) for t in squeezed) <= 17
