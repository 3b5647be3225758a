"""Dataset readers, ROUGE conventions and the evaluation runner.

Every fixture is built here in tmp_path: no dataset file lives in the repository.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdigest.evaluate import (
    Cluster,
    bootstrap_ci,
    detect_format,
    evaluate,
    evaluate_command,
    evaluate_system,
    load_dataset,
    score_summary,
    truncate_words,
)
from newsdigest.evaluate.datasets import duc_model_key
from newsdigest.model import Document

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

STORY_A = [
    "Rescue teams reached the flooded village of Alden on Monday after three days of heavy rain.",
    "The river rose four meters overnight and forced hundreds of families from their homes.",
    "Officials said two people were missing and that the water was expected to fall by Wednesday.",
]
STORY_B = [
    "Heavy rain flooded the village of Alden, and rescue teams arrived on Monday.",
    "Hundreds of families left their homes when the river rose four meters.",
    "Two people are missing, officials said, and the regional governor promised emergency funds.",
]


def _sgml(docno: str, sentences: list[str]) -> str:
    body = "\n".join(sentences)
    return (
        f"<DOC>\n<DOCNO> {docno} </DOCNO>\n<DOCTYPE> NEWS STORY </DOCTYPE>\n"
        f"<DATE_TIME> 10/17/1998 05:50:00 </DATE_TIME>\n<BODY>\n<TEXT>\n{body}\n</TEXT>\n</BODY>\n</DOC>\n"
    )


def make_duc(root: Path) -> Path:
    for cluster, key in (("d00001t", "D00001"), ("d00002t", "D00002")):
        folder = root / "docs" / cluster
        folder.mkdir(parents=True)
        (folder / "APW19981017.0001").write_text(_sgml("APW19981017.0001", STORY_A))
        (folder / "NYT19981017.0002").write_text(_sgml("NYT19981017.0002", STORY_B))
        models = root / "models"
        models.mkdir(exist_ok=True)
        # DUC models break lines mid-sentence and space out punctuation.
        (models / f"{key}.M.100.T.A").write_text("Rescue teams reached Alden ,\nafter heavy rain flooded the village .\n")
        (models / f"{key}.M.100.T.B").write_text("The river rose four meters .\nTwo people are missing .\n")
    return root


def make_multinews(path: Path) -> Path:
    records = [
        {"id": "mn_1", "document": " ".join(STORY_A) + " ||||| " + " ".join(STORY_B), "summary": "– Floods hit Alden. Two people are missing."},
        {"id": "mn_2", "document": " ".join(STORY_B), "summary": "– The river rose four meters."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def make_multiling(root: Path) -> Path:
    sources = root / "SourceTexts"
    sources.mkdir(parents=True)
    for topic in ("M000", "M001"):
        for n, story in enumerate((STORY_A, STORY_B)):
            (sources / f"{topic}{n}.english").write_text("2005/01/08 Floods in Alden\n\nSaturday, January 8, 2005\n\n" + "\n\n".join(story))
            (sources / f"{topic}{n}.french").write_text("Des inondations.\n")  # other languages are ignored
    models = root / "Model Summaries" / "English"
    models.mkdir(parents=True)
    for topic in ("M000", "M001"):
        for annotator in "AB":
            (models / f"{topic}.{annotator}.250").write_text("Floods hit Alden.\nTwo people are missing.\n")
    (root / "Model Summaries" / "French").mkdir()
    return root


def make_own_jsonl(path: Path) -> Path:
    records = [
        {"id": "own_1", "documents": [{"text": " ".join(STORY_A), "source": "Wire"}, {"text": " ".join(STORY_B)}], "references": ["Floods hit Alden.", "The river rose."]},
        {"id": "own_2", "documents": [{"text": " ".join(STORY_B)}], "summary": "Two people are missing."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


# --- dataset readers ------------------------------------------------------------


def test_duc_layout(tmp_path):
    root = make_duc(tmp_path / "duc")
    assert detect_format(root) == "duc"
    clusters = load_dataset(root)
    assert [c.id for c in clusters] == ["d00001t", "d00002t"]
    first = clusters[0]
    assert [d.id for d in first.documents] == ["APW19981017.0001", "NYT19981017.0002"]
    assert "Rescue teams reached the flooded village" in first.documents[0].text
    assert len(first.references) == 2
    # Model lines are joined into one line, so sentences are not cut at line breaks.
    assert first.references[0] == "Rescue teams reached Alden , after heavy rain flooded the village ."
    assert first.kind == "duc"


def test_duc_model_key():
    assert duc_model_key("d30003t") == "D30003"
    assert duc_model_key("D31001") == "D31001"


def test_duc_cluster_without_models_is_an_error(tmp_path):
    root = make_duc(tmp_path / "duc")
    for model in (root / "models").glob("D00002*"):
        model.unlink()
    with pytest.raises(ValueError, match="d00002t.*no reference"):
        load_dataset(root)


def test_multinews_layout(tmp_path):
    path = make_multinews(tmp_path / "dev.jsonl")
    assert detect_format(path) == "multinews"
    clusters = load_dataset(path)
    assert [c.id for c in clusters] == ["mn_1", "mn_2"]
    assert len(clusters[0].documents) == 2  # split at |||||
    assert clusters[0].references == ["Floods hit Alden. Two people are missing."]  # en dash bullet dropped


def test_multiling_layout_english_only(tmp_path):
    root = make_multiling(tmp_path / "multiling")
    assert detect_format(root) == "multiling"
    clusters = load_dataset(root)
    assert [c.id for c in clusters] == ["M000", "M001"]
    assert [d.id for d in clusters[0].documents] == ["M0000", "M0001"]
    assert clusters[0].documents[0].title == "Floods in Alden"
    assert not clusters[0].documents[0].text.startswith("2005/01/08")
    assert len(clusters[0].references) == 2


def test_own_jsonl_layout(tmp_path):
    path = make_own_jsonl(tmp_path / "own.jsonl")
    assert detect_format(path) == "jsonl"
    clusters = load_dataset(path)
    assert [len(c.documents) for c in clusters] == [2, 1]
    assert clusters[0].documents[0].source == "Wire"
    assert clusters[0].references == ["Floods hit Alden.", "The river rose."]
    assert clusters[1].references == ["Two people are missing."]


def test_limit(tmp_path):
    assert len(load_dataset(make_duc(tmp_path / "duc"), limit=1)) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty file"),
        ("not json\n", "not JSON lines"),
        ('{"id": 1, "text": "x"}\n', "JSON records need"),
        ('{"id": 1, "documents": "x", "references": ["y"]}\n', "'documents' must be a list"),
        ('{"id": 1, "documents": [{"text": "x"}]}\n', "needs 'references'"),
    ],
)
def test_bad_json_lines(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(ValueError, match=message) as error:
        load_dataset(path)
    assert str(path) in str(error.value)
    assert "\n" not in str(error.value)


def test_unknown_folder_and_missing_path(tmp_path):
    with pytest.raises(ValueError, match="not a dataset folder") as error:
        load_dataset(tmp_path)
    assert str(tmp_path) in str(error.value)
    with pytest.raises(ValueError, match="no such file"):
        load_dataset(tmp_path / "absent")


# --- ROUGE ------------------------------------------------------------------------


def test_rouge_by_hand():
    # ref "the cat sat on the mat", sys "the cat lay on the mat", 6 tokens each.
    # ROUGE-1: clipped unigram matches the x2, cat, on, mat = 5 -> R = P = 5/6.
    # ROUGE-2: ref bigrams the-cat cat-sat sat-on on-the the-mat; sys has the-cat
    #          on-the the-mat of them = 3 of 5 -> R = P = 3/5.
    # ROUGE-Lsum: one sentence each, LCS "the cat on the mat" = 5 -> 5/6.
    scores = score_summary("the cat lay on the mat", ["the cat sat on the mat"])
    assert scores["rouge1"].recall == pytest.approx(5 / 6)
    assert scores["rouge1"].precision == pytest.approx(5 / 6)
    assert scores["rouge1"].f1 == pytest.approx(5 / 6)
    assert scores["rouge2"].recall == pytest.approx(3 / 5)
    assert scores["rougeLsum"].recall == pytest.approx(5 / 6)


def test_rouge_precision_and_recall_differ():
    # sys "the cat" against ref "the cat sat": 2 matches; R = 2/3, P = 2/2, F = 2PR/(P+R) = 0.8.
    scores = score_summary("the cat", ["the cat sat"])
    assert scores["rouge1"].recall == pytest.approx(2 / 3)
    assert scores["rouge1"].precision == pytest.approx(1.0)
    assert scores["rouge1"].f1 == pytest.approx(0.8)


def test_rouge_stems():
    # Porter stemming: "cats" -> "cat", "running" -> "run".
    assert score_summary("cats running", ["cat run"])["rouge1"].recall == pytest.approx(1.0)


def test_rouge_lsum_is_sentence_level():
    # Same two sentences in the other order. Summary-level LCS takes each reference
    # sentence's best union LCS: both sentences match fully -> 1.0. ROUGE-2 sees
    # the bigrams across the boundary: sys the-cat cat-sat sat-the the-dog dog-ran,
    # ref the-dog dog-ran ran-the the-cat cat-sat -> 4 of 5.
    scores = score_summary("The cat sat. The dog ran.", ["The dog ran. The cat sat."])
    assert scores["rougeLsum"].recall == pytest.approx(1.0)
    assert scores["rouge2"].recall == pytest.approx(4 / 5)


def test_sentence_lists_are_scored_like_text():
    as_list = score_summary(["The cat sat.", "The dog ran."], ["The dog ran. The cat sat."])
    as_text = score_summary("The cat sat. The dog ran.", ["The dog ran. The cat sat."])
    assert as_list == as_text


def test_average_over_references():
    # R-1 recall is 1 against "a b" and 0 against "c d": the cluster gets (1 + 0) / 2.
    assert score_summary("alpha beta", ["alpha beta", "gamma delta"])["rouge1"].recall == pytest.approx(0.5)


def test_truncate_words_keeps_sentence_boundaries():
    assert truncate_words(["a b c", "d e", "f"], 4) == ["a b c", "d"]
    assert truncate_words(["a b"], 10) == ["a b"]


def test_truncation_convention():
    # The system's first five words miss, the matching words come after: with
    # truncation to 5 words nothing matches; untruncated, 5 of the 10 reference words do.
    reference = "one two three four five six seven eight nine ten"
    system = "red green blue black white six seven eight nine ten"
    assert score_summary(system, [reference], truncate=5)["rouge1"].recall == 0.0
    assert score_summary(system, [reference])["rouge1"].recall == pytest.approx(0.5)
    # The reference is truncated too: against its first 5 words a system that
    # matches words 6-10 only scores 0, and one that matches 1-5 scores 1.
    assert score_summary("one two three four five", [reference], truncate=5)["rouge1"].recall == 1.0


def test_empty_summary_scores_zero():
    assert score_summary([], ["the cat"])["rouge1"].recall == 0.0


def test_bootstrap_ci():
    assert bootstrap_ci([0.3, 0.3, 0.3]) == pytest.approx((0.3, 0.3))
    values = [0.1, 0.2, 0.3, 0.4, 0.5]
    low, high = bootstrap_ci(values)
    assert low < 0.3 < high
    assert bootstrap_ci(values) == (low, high)  # fixed seed


# --- runner ----------------------------------------------------------------------


class FirstSentences:
    name = "first"

    def summarize(self, cluster, words):
        return [cluster.documents[0].text.split(". ")[0] + "."]


class Sleeper:
    name = "sleeper"

    def summarize(self, cluster, words):
        time.sleep(5)
        return ["never"]


def _clusters():
    docs = [Document(id="a", text=" ".join(STORY_A)), Document(id="b", text=" ".join(STORY_B))]
    return [
        Cluster("c1", docs, ["Rescue teams reached the flooded village of Alden on Monday."]),
        Cluster("c2", docs[::-1], ["Heavy rain flooded the village of Alden."]),
    ]


def test_evaluate_system_scores_times_and_saves(tmp_path):
    result = evaluate_system(_clusters(), FirstSentences(), words=100, metric="recall", save_summaries=tmp_path / "out")
    assert [c.id for c in result.clusters] == ["c1", "c2"]
    # Each summary is its cluster's first sentence, which contains the reference.
    assert result.mean("rouge1") == pytest.approx(1.0)
    assert all(c.seconds >= 0 for c in result.clusters)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["c1.txt", "c2.txt"]
    assert (tmp_path / "out" / "c1.txt").read_text().startswith("Rescue teams")
    data = result.to_dict()
    assert data["clusters"] == 2 and set(data["scores"]) == {"rouge1", "rouge2", "rougeLsum"}


@pytest.mark.parametrize("isolate", [False, True])
def test_timeout_is_reported_not_hidden(isolate):
    result = evaluate_system(_clusters()[:1], Sleeper(), words=100, timeout=0.3, isolate=isolate)
    assert result.failures and result.failures[0].error == "timeout after 0.3 s"
    assert result.mean("rouge1") == 0.0


def test_isolated_run_matches_in_process():
    inside = evaluate_system(_clusters(), FirstSentences(), words=100)
    forked = evaluate_system(_clusters(), FirstSentences(), words=100, isolate=True, memory="rss")
    assert [c.summary for c in inside.clusters] == [c.summary for c in forked.clusters]
    assert forked.peak_memory is not None and forked.peak_memory >= 0


def test_evaluate_with_a_newsdigest_method():
    result = evaluate(_clusters(), method="lead", words=30, metric="f1")
    assert result.metric == "f1" and not result.truncate
    assert not result.failures
    assert all(0 < c.words <= 30 for c in result.clusters)


def test_evaluate_rejects_unknown_method_and_metric():
    with pytest.raises(ValueError, match="unknown method"):
        evaluate(_clusters(), method="nope", words=100)
    with pytest.raises(ValueError, match="metric"):
        evaluate_system(_clusters(), FirstSentences(), words=100, metric="bleu")


def test_evaluate_command_json(tmp_path, capsys):
    path = make_own_jsonl(tmp_path / "own.jsonl")
    code = evaluate_command(path, words=40, method="lead", json_output=True, save_summaries=tmp_path / "s")
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["kind"] == "jsonl" and payload["metric"] == "f1" and payload["clusters"] == 2
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["own_1.txt", "own_2.txt"]


def test_evaluate_command_table_and_errors(tmp_path, capsys):
    root = make_duc(tmp_path / "duc")
    assert evaluate_command(root, words=100, method="lead", limit=1) == 0
    out = capsys.readouterr().out
    assert "ROUGE-2" in out and "recall" in out
    assert evaluate_command(tmp_path / "absent", words=100) == 2
    assert "no such file" in capsys.readouterr().err
    assert evaluate_command(root, words=100, method="nope") == 2


def test_cli_evaluate(tmp_path):
    from typer.testing import CliRunner

    from newsdigest.apps.cli import app

    path = make_multinews(tmp_path / "dev.jsonl")
    result = CliRunner().invoke(app, ["evaluate", str(path), "--words", "30", "--method", "lead", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["metric"] == "f1"


def test_cli_evaluate_names_a_missing_dataset_before_asking_for_words(tmp_path):
    from typer.testing import CliRunner

    from newsdigest.apps.cli import app

    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(app, ["evaluate", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"newsdigest: error: {missing}: no such file or directory"
    # A standard dataset is scored at its standard budget; clusters of our own need one.
    result = CliRunner().invoke(app, ["evaluate", str(make_multinews(tmp_path / "dev.jsonl")), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["words"] == 250
    own = tmp_path / "own.jsonl"
    own.write_text(json.dumps({"id": "c1", "documents": ["A fire burned on Monday, officials said."], "references": ["A fire."]}) + "\n")
    result = CliRunner().invoke(app, ["evaluate", str(own)])
    assert result.exit_code == 2 and "--words is needed to score summaries of jsonl clusters" in result.stderr


# --- the real datasets (skipped when ../shared is absent) --------------------------


@pytest.fixture
def data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent: dataset tests need ../shared/data beside the repository")
    return SHARED_DATA


@pytest.mark.dataset
def test_real_datasets_load(data):
    duc = load_dataset(data / "duc2003")
    assert len(duc) == 30 and all(len(c.references) == 4 for c in duc)
    assert duc[0].id == "d30003t"
    news = load_dataset(data / "multinews" / "dev.jsonl")
    assert len(news) == 50 and all(len(c.references) == 1 for c in news)
    multiling = load_dataset(data / "multiling2011")
    assert len(multiling) == 10 and all(len(c.documents) == 10 and len(c.references) == 3 for c in multiling)


@pytest.mark.dataset
@pytest.mark.parametrize(("name", "words", "count"), [("duc2003", 100, 30), ("multinews/dev.jsonl", 250, 50)])
def test_save_summaries_writes_one_file_per_cluster(data, tmp_path, name, words, count):
    out = tmp_path / "summaries"
    assert evaluate_command(data / name, words=words, method="lead", save_summaries=out, json_output=True) == 0
    files = sorted(out.iterdir())
    assert len(files) == count
    if name == "duc2003":
        assert files[0].name == "d30003t.txt"


def test_dataset_path_with_rich_markup_and_unwritable_summaries_are_one_line(tmp_path):
    import json as _json
    import subprocess
    import sys

    folder = tmp_path / "odd [link=x] ["  # with the file name: ".../odd [link=x] [/] dev.jsonl"
    folder.mkdir()
    record = {"id": "r1", "document": "The river flooded the old town on Monday, officials said. ||||| "
              "Officials said the river flooded the old town on Monday night.", "summary": "The river flooded the town."}
    dataset = folder / "] dev.jsonl"
    dataset.write_text(_json.dumps(record) + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "newsdigest", "evaluate", str(dataset), "--words", "20"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "[/]" in run.stdout
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    run = subprocess.run([sys.executable, "-m", "newsdigest", "evaluate", str(dataset), "--words", "20",
                          "--save-summaries", str(blocker)], capture_output=True, text=True)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert run.stderr.strip() == f"newsdigest: error: cannot write summaries to {blocker}: File exists"


def test_the_scorer_loads_only_nltks_porter_stemmer_and_scores_as_rouge_score_does():
    # While rouge-score loads, nltk's package __init__ files are not run (they import every
    # corpus reader, parser and stemmer, and nltk's links to scikit-learn and SciPy); afterwards
    # nltk, scikit-learn and SciPy import whole as usual, rouge-score's bare nltk finds its
    # names in the whole package, and the scores are rouge-score's own.
    probe = (
        "import sys\n"
        "from newsdigest.evaluate.rouge import load_scorer, score_summary\n"
        "load_scorer()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('nltk', 'sklearn', 'scipy', 'pandas')))\n"
        "import nltk, sklearn.feature_extraction, scipy.stats, scipy.sparse\n"
        "import rouge_score.rouge_scorer as loaded\n"
        "print(callable(nltk.word_tokenize), loaded.nltk.sent_tokenize is nltk.sent_tokenize, 'nltk.corpus' in sys.modules)\n"
        "from rouge_score.rouge_scorer import RougeScorer\n"
        "reference, summary = 'Rescue teams reached the flooded villages.\\nRivers rose.', 'Teams reach flooding village.'\n"
        "plain = RougeScorer(['rouge1', 'rouge2', 'rougeLsum'], use_stemmer=True).score(reference, summary)\n"
        "ours = score_summary(summary, [reference])\n"
        "print(all((ours[m].precision, ours[m].recall, ours[m].f1) == tuple(plain[m]) for m in plain), ours['rouge1'].recall > 0)\n"
        "from nltk.stem.porter import PorterStemmer\n"
        "import rouge_score.tokenizers as tokenizers\n"
        "words = 'running flooded villages generously relational conditional hopefulness agreed ponies caresses'.split()\n"
        "bare, whole = tokenizers.porter.PorterStemmer(), PorterStemmer()\n"
        "print(type(bare) is not type(whole), [bare.stem(w) for w in words] == [whole.stem(w) for w in words])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "True True True"
    assert out[2] == "True True"
    assert out[3] == "True True"  # rouge-score's own copy of the stemmer stems as the whole nltk's does


def test_cached_tokenizer_gives_rouge_scores_tokens_for_a_text_of_several_lines():
    from rouge_score.tokenizers import DefaultTokenizer

    from newsdigest.evaluate.rouge import CachedTokenizer

    text = "Rescue teams reached the flooded villages.\n\nRivers rose 12%-\n-fast; officials' cars\nΣΟΣ İstanbul\n"
    ours, theirs = CachedTokenizer(), DefaultTokenizer(use_stemmer=True)
    expected = theirs.tokenize(text)
    assert "river" in expected and "12" in expected
    assert ours.tokenize(text) == expected
    assert [ours.tokenize(line) for line in text.split("\n")] == [theirs.tokenize(line) for line in text.split("\n")]
    assert ours.tokenize(text) == expected  # the second time from what it remembered


def test_empty_and_binary_files_of_a_duc_or_multiling_folder_are_named_and_left_out(tmp_path, capsys):
    from typer.testing import CliRunner

    from newsdigest.apps.cli import app

    duc = make_duc(tmp_path / "duc")
    clean = [(c.id, len(c.documents), c.references) for c in load_dataset(duc)]
    folder = duc / "docs" / "d00001t"
    (folder / "EMPTY.0001").write_text("")
    (folder / "NOISE.0002").write_bytes(bytes(range(256)) * 4)
    (folder / "NOTES.txt").write_text("A note with no DOC element.\n")
    (duc / "models" / "D00002.M.100.T.C").write_bytes(b"\x00\x01garbage")
    clusters = load_dataset(duc)
    assert [(c.id, len(c.documents), c.references) for c in clusters] == clean
    assert clusters[0].warnings == (
        f"{folder / 'EMPTY.0001'}: empty file, skipped",
        f"{folder / 'NOISE.0002'}: binary file (contains NUL bytes), skipped",
        f"{folder / 'NOTES.txt'}: no <DOC> document in it, skipped",
    )
    assert clusters[1].warnings == (f"{duc / 'models' / 'D00002.M.100.T.C'}: binary file (contains NUL bytes), skipped",)
    result = CliRunner().invoke(app, ["evaluate", str(duc), "--json"])
    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines() if "skipped" in line] == [
        f"newsdigest: warning: {w}" for c in clusters for w in c.warnings
    ]

    multiling = make_multiling(tmp_path / "multiling")
    (multiling / "SourceTexts" / "M0002.english").write_text("  \n")
    (first,) = [c for c in load_dataset(multiling) if c.id == "M000"]
    assert len(first.documents) == 2
    assert first.warnings == (f"{multiling / 'SourceTexts' / 'M0002.english'}: empty file, skipped",)
