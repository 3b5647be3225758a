"""Citations, reading order, budgets and output formats of a whole digest."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from newsdigest import NewsdigestError, summarize_documents
from newsdigest.summarize.cite import cite
from newsdigest.model import Document
from newsdigest.summarize.order import is_dangling_opener, reading_order
from newsdigest.pipeline import default_words, segment
from newsdigest.render import render_digest
from newsdigest.render.digest_json import digest_schema, digest_to_dict

STORY = [
    Document(
        id="reuters",
        source="Reuters",
        title="PM defects",
        text=(
            "Syrian Prime Minister Riad Hijab defected to Jordan on Monday with his family.\n"
            "He said he was joining the revolution against President Bashar al-Assad.\n"
            "A local market in Amman reopened after renovation works were finished."
        ),
    ),
    Document(
        id="ap",
        source="AP",
        text=(
            "Riad Hijab, the Syrian prime minister, defected to Jordan with his family on Monday.\n"
            "The White House said the regime was crumbling from within after the defection."
        ),
    ),
    Document(
        id="afp",
        source="AFP",
        text=(
            "Fighting continued in Aleppo, the largest city of Syria, for a third week.\n"
            "Prime Minister Riad Hijab defected to Jordan on Monday, officials said."
        ),
    ),
]


def test_citations_name_every_document_reporting_the_sentence():
    sentences = segment(STORY)
    first = next(i for i, s in enumerate(sentences) if s.doc_id == "reuters" and s.index == 0)
    [cited] = cite([first], sentences)
    assert cited.citations[0] == "reuters"
    assert set(cited.citations) == {"reuters", "ap", "afp"}
    unrelated = next(i for i, s in enumerate(sentences) if "market" in s.text)
    [alone] = cite([unrelated], sentences)
    assert alone.citations == ["reuters"]


def test_citation_offsets_point_into_the_cleaned_text():
    digest = summarize_documents(STORY, words=60)
    texts = {d.id: d.text for d in STORY}
    data = digest_to_dict(digest)
    for entry in data["sentences"]:
        assert texts[entry["document"]][entry["start"] : entry["end"]] == entry["text"]
        for ref in entry["support"]:
            assert texts[ref["document"]][ref["start"] : ref["end"]] == ref["text"]
            assert ref["document"] in entry["citations"]


def test_reading_order_is_chronological_when_dates_are_known():
    docs = [
        Document(id="late", date=dt.date(2012, 8, 7), text="The second event happened later in the week, officials said."),
        Document(id="early", date=dt.date(2012, 8, 5), text="The first event happened early in the week, officials said."),
    ]
    sentences = segment(docs)
    order = reading_order([0, 1], sentences, docs)
    assert [sentences[i].doc_id for i in order] == ["early", "late"]


def test_reading_order_follows_source_position_without_dates():
    sentences = segment(STORY)
    chosen = [i for i, s in enumerate(sentences) if s.index in (0, 1)]
    order = reading_order(chosen, sentences, STORY)
    assert sentences[order[0]].index == 0
    # "He said ..." moves with the sentence before it; the other sentences keep source position.
    he = next(i for i in order if sentences[i].text.startswith("He said"))
    assert order[order.index(he) - 1] == he - 1
    # Otherwise source position, except that a sentence may move up to follow one on its sub-topic.
    from newsdigest.summarize.cohesion import same_topic

    rest = [i for i in order if i != he]
    for k in range(1, len(rest)):
        if sentences[rest[k]].index < sentences[rest[k - 1]].index:
            assert any(same_topic(sentences[j].text, sentences[rest[k - 1]].text) for j in order[: order.index(rest[k - 1])]) or same_topic(
                sentences[rest[k]].text, sentences[order[order.index(rest[k]) - 1]].text
            )


def test_no_dangling_opener_first_when_avoidable():
    assert is_dangling_opener("He also said the talks failed.")
    assert is_dangling_opener("But the army kept shelling.")
    assert not is_dangling_opener("Hijab fled to Jordan.")
    docs = [Document(id="a", text="He said the army would win soon enough.\nAssad's forces shelled Aleppo for a third day.")]
    sentences = segment(docs)
    order = reading_order([0, 1], sentences, docs)
    assert sentences[order[0]].text.startswith("Assad")


def test_reading_order_opens_with_the_most_supported_sentence_and_keeps_blocks():
    from newsdigest.summarize.cohesion import needs_antecedent

    assert needs_antecedent("The report follows a key defection on Thursday.")
    assert needs_antecedent('"It will depend on their role," the official said.')
    assert needs_antecedent("However, the army kept shelling.")
    assert not needs_antecedent("There were 20 officers among them.")
    docs = [
        Document(id="a", text="A bakery in the old town sold bread on Monday.\nIts owner said the army had left."),
        Document(id="b", text="The army left the old town on Monday, residents said."),
        Document(id="c", text="Residents said the army left the old town on Monday night."),
    ]
    sentences = segment(docs)
    order = reading_order([0, 1, 2], sentences, docs, support={0: 0, 1: 0, 2: 1})
    assert sentences[order[0]].doc_id == "b"
    assert order.index(1) == order.index(0) + 1  # "Its owner ..." right after its antecedent


def test_budget_too_small_for_any_sentence_is_an_error():
    with pytest.raises(NewsdigestError, match="no sentence fits the budget of 3 words"):
        summarize_documents(STORY, words=3)


def test_no_documents_is_an_error():
    with pytest.raises(NewsdigestError, match="no documents"):
        summarize_documents([])


def test_default_budget_grows_with_input_within_bounds():
    assert default_words(STORY) == 100
    big = [Document(id="x", text="word " * 10_000)]
    assert default_words(big) == 250


def test_json_output_matches_schema():
    digest = summarize_documents(STORY, words=40)
    data = json.loads(render_digest(digest, "json"))
    jsonschema.validate(data, digest_schema())
    assert data["words"] <= 40
    assert [d["number"] for d in data["documents"]] == [1, 2, 3]


def test_text_and_markdown_show_numbered_citations_and_sources():
    digest = summarize_documents(STORY, words=40)
    text = render_digest(digest, "text")
    md = render_digest(digest, "markdown")
    for out in (text, md):
        assert "[1]" in out and "Reuters: PM defects" in out
    assert "## Sources" in md


def test_markdown_escapes_article_markup():
    docs = [Document(id="x", text="The rebels posted <script>alert(1)</script> on a **forum** today in Homs.")] * 1
    md = render_digest(summarize_documents(docs, words=30), "markdown")
    assert "<script>" not in md and "&lt;script&gt;" in md


def test_trimmed_datelines_keep_offsets():
    docs = [Document(id="a", text="LONDON (AP) _ Police arrested the former dictator on Saturday night.\nHe was taken to a hospital.")]
    digest = summarize_documents(docs, words=40, trim_datelines=True)
    texts = [s.text for s in digest.sentences]
    assert texts[0].startswith("Police arrested")
    for s in digest.sentences:
        assert docs[0].text[s.sentence.start : s.sentence.end] == s.text
    assert summarize_documents(docs, words=40).sentences[0].text.startswith("LONDON (AP) _")


def test_the_default_method_summarizes_without_scipy_or_scikit_learn():
    # `newsdigest evaluate` and the CLI start fast because the default path imports neither
    # (citations' cosines and the solver's dominance counts are NumPy); the digest is a full one.
    import subprocess
    import sys
    from pathlib import Path

    examples = Path(__file__).resolve().parent.parent / "examples" / "syria"
    probe = (
        "import sys\n"
        "from newsdigest import load_documents, summarize_documents\n"
        f"documents, _ = load_documents([{str(examples)!r}])\n"
        "digest = summarize_documents(documents)\n"
        "print(len(digest.sentences), sum(len(s.support) for s in digest.sentences))\n"
        "print(sorted(m for m in ('scipy', 'sklearn') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split("\n")
    sentences, supports = map(int, out[0].split())
    assert sentences >= 3 and supports >= 1  # a digest with citations to other articles
    assert out[1] == "[]"
