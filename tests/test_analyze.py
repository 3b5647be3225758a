"""Cross-source analysis on the Syria example: entities, quotes, figures, timeline, coverage."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from newsdigest.analyze import Analysis, analyze, analyze_documents
from newsdigest.analyze.entities import similar_words
from newsdigest.analyze.figures import parse_number
from newsdigest.analyze.quotes import quote_spans
from newsdigest.analyze.schema import ANALYSIS_SCHEMA
from newsdigest.analyze.timeline import classify, resolve
from newsdigest.model import Document
from newsdigest.render import escape
from newsdigest.render.analysis_report import render_analysis

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "syria"


def _load_example() -> list[Document]:
    from newsdigest.ingest import load_documents

    documents, problems = load_documents([EXAMPLE])
    assert documents and not [p for p in problems if p.fatal]
    return documents


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    return _load_example()


@pytest.fixture(scope="module")
def digest(documents):
    from newsdigest import summarize_documents

    return summarize_documents(documents, words=150)


@pytest.fixture(scope="module")
def analysis(documents, digest) -> Analysis:
    return analyze_documents(documents, digest=digest)


def _entity(analysis: Analysis, alias: str):
    found = [e for e in analysis.entities if alias in e.aliases]
    assert len(found) == 1, f"{alias!r} in {[(e.name, e.aliases) for e in found]}"
    return found[0]


@pytest.mark.parametrize(
    "aliases",
    [
        ("Riad Hijab", "Riyad Hijab", "Hijab"),
        ("Manaf Tlass", "Manaf Tlas", "Tlass", "Tlas"),
        ("Bashar al-Assad", "Bashar Assad", "Bashar Al-Assad", "Assad", "Al-Assad"),
    ],
)
def test_spellings_of_one_person_are_merged(analysis, aliases):
    entities = {_entity(analysis, a).id for a in aliases}
    assert len(entities) == 1


def test_different_people_with_close_names_stay_apart(analysis):
    assert _entity(analysis, "Riad Al-Asaad").id != _entity(analysis, "Bashar al-Assad").id
    assert _entity(analysis, "Mustafa Tlass").id != _entity(analysis, "Manaf Tlass").id
    assert _entity(analysis, "Hafez Al-Assad").id != _entity(analysis, "Bashar al-Assad").id


def test_entities_ranked_by_sources_with_roles(analysis):
    assert analysis.entities[0].name == "Bashar al-Assad"
    assert len(analysis.entities[0].documents) == 5
    counts = [len(e.documents) for e in analysis.entities]
    assert counts == sorted(counts, reverse=True)
    assert "Syrian Prime Minister" in _entity(analysis, "Riad Hijab").roles
    assert "White House spokesman" in _entity(analysis, "Jay Carney").roles
    assert _entity(analysis, "Jay Carney").kind == "person"
    assert _entity(analysis, "FSA").name == "Free Syrian Army"


def test_entity_labels_checked_and_only_real_mentions_counted(analysis, documents):
    names = {a for e in analysis.entities for a in e.aliases}
    assert "Alawite" not in names  # "his minority Alawite sect": a group adjective, not a person
    assert "U.S. News & World Report" not in names  # U.S. News naming itself
    # "Reuters contributed to this report." closes [5]: a credit line, not a mention; [1] quotes Reuters
    assert _entity(analysis, "Reuters").documents == (documents[0].id,)
    # "Jordan" is really named by all five: each reports a defector fleeing there
    jordan = _entity(analysis, "Jordan")
    assert jordan.kind == "place" and jordan.documents == tuple(d.id for d in documents)
    for d in documents:
        assert re.search(r"\b(?:to|in|entered) Jordan\b", d.text), d.id


def test_dateline_self_mention_and_label_checks():
    from newsdigest.pipeline import segment

    docs = [
        Document("a", "JERUSALEM (AP) _ A car bomb exploded Friday in a crowded market, police told The Associated Press. "
                      "Shoppers were buying bread before the Sabbath.", source="Associated Press"),
        Document("b", "NABLUS, West Bank (AP) _ Hamas claimed the attack in Jerusalem on Friday, "
                      "and Shiite leaders condemned it.", source="Associated Press"),
        Document("c", "Chad said on Monday it would send troops, the foreign minister of Chad told reporters.", source="Reuters"),
    ]
    analysis = analyze(docs, segment(docs))
    by_name = {a: e for e in analysis.entities for a in e.aliases}
    assert by_name["Jerusalem"].documents == ("b",)  # the dateline of [a] is not a mention
    assert "NABLUS" not in by_name and "Nablus" not in by_name
    assert "Associated Press" not in by_name and "AP" not in by_name  # the outlet naming itself
    assert "Sabbath" not in by_name  # spaCy: PERSON; "the Sabbath" takes an article, a name does not
    assert by_name["Chad"].kind == "place" and by_name["Chad"].mentions == 2  # spaCy: one PERSON, one GPE


def test_carney_quotes_including_he_added(analysis):
    carney = _entity(analysis, "Jay Carney")
    his = [q for q in analysis.quotes if q.speaker_entity == carney.id]
    texts = " ".join(q.text for q in his)
    assert "This is a sign that Assad's grip on power is loosening" in texts
    assert "The momentum is with the opposition" in texts  # “…,” he added.
    assert "only reinforces that the Assad regime is crumbling from within" in texts
    added = next(q for q in his if q.text.startswith("The momentum"))
    assert added.sources[0].attribution == "he added"


def test_shared_quote_is_one_quote_with_two_sources(analysis, documents):
    shared = [q for q in analysis.quotes if q.text.startswith("The impact of defections on regime stability")]
    assert len(shared) == 1
    assert shared[0].documents == [documents[0].id, documents[2].id]
    # "the official" in both articles: each introduced it as "a U.S. official" a few sentences before
    assert shared[0].speaker == "a U.S. official" and shared[0].speaker_resolved
    assert [s.attribution for s in shared[0].sources] == ["the official said", "the official said"]
    kinds = {q.speaker_kind for q in analysis.quotes}
    assert "description" in kinds  # "a U.S. official", "an opposition source"


def test_anaphoric_speakers_resolved_within_the_article(analysis, documents):
    bare = {"the official", "the source", "the opposition source", "the u.s. official", "he", "she"}
    for q in analysis.quotes:
        assert (q.speaker or "").lower() not in bare or not q.speaker_resolved, q
        assert q.speaker_resolved or q.speaker is None or (q.speaker or "").lower() in bare
    # U.S. News: "an opposition source", then "The source", "the source", "The opposition source": one speaker
    usnews = [q for q in analysis.quotes if q.documents == [documents[1].id] and q.speaker_kind == "description"]
    assert len(usnews) >= 8 and {q.speaker for q in usnews} == {"an opposition source"}
    attributions = {s.attribution.split()[0] for q in usnews for s in q.sources if s.attribution}
    assert {"the", "The"} <= attributions  # written both ways, shown as one
    # every speaker shown is either resolved or flagged, and never a bare anaphor where the article names it
    for f in analysis.figures:
        if f.speaker:
            assert f.speaker.lower() not in bare, f


def test_unresolvable_speaker_kept_as_written_and_marked(documents):
    from newsdigest.pipeline import segment

    docs = [
        Document("x", "A Syrian official met a U.S. official in Geneva on Monday.\n"
                      "“We talked about the ceasefire for a long time,” the official said.\n"
                      "“Nothing was agreed at the meeting today,” he said.")
    ]
    analysis = analyze(docs, segment(docs))
    by_text = {q.text[:10]: q for q in analysis.quotes}
    official = by_text["We talked "]
    assert official.speaker == "the official" and not official.speaker_resolved  # two officials: ambiguous
    he = by_text["Nothing wa"]
    assert he.speaker == "he" and not he.speaker_resolved
    out = render_analysis(analysis, "markdown")
    assert escape.markdown("the official (as written; not resolved)") in out


def test_quote_speakers_before_and_after(analysis):
    by_text = {q.text[:30]: q for q in analysis.quotes}
    assert any(q.speaker == "Rachel Kleinfeld" for q in analysis.quotes)  # "X said"
    assert any(q.speaker == "Abdullah Ibraheem" for q in analysis.quotes)  # "said X"
    assert any(q.speaker == "a Syrian activist" for q in analysis.quotes)
    assert any((q.speaker or "").endswith("opposition source") for q in analysis.quotes)
    assert by_text


def test_death_toll_is_one_group_side_by_side_not_contradictory(analysis, documents):
    groups = [g for g in analysis.figure_groups if any("19,000" in s.text for s in g.statements)]
    assert len(groups) == 1
    group = groups[0]
    texts = " | ".join(s.text for s in group.statements)
    assert "16,000 civilians" in texts and "4,000 military personnel" in texts
    assert group.verdict != "differ"
    assert {s.doc_id for s in group.statements} == {documents[2].id, documents[3].id}
    assert group.sources == 2 and [r.doc_ids for r in group.rows] == [(documents[2].id,), (documents[3].id,)]


def test_one_source_repeating_itself_is_not_agreement(analysis, documents):
    groups = [g for g in analysis.figure_groups if any(s.text.startswith("17") for s in g.statements)]
    assert len(groups) == 1
    group = groups[0]
    assert any(s.text.lower().startswith("nearly 20") for s in group.statements)
    # four mentions, all in U.S. News: one row, no verdict, its own figures shown as roughly agreeing
    assert group.sources == 1 and len(group.rows) == 1 and group.rows[0].doc_ids == (documents[1].id,)
    assert group.verdict == "one source" and group.rows[0].consistency == "roughly agree"
    assert sorted(group.rows[0].statements) == list(range(len(group.statements)))
    # numbers counting other things are not in it
    assert not any("250" in s.text or "five" in s.text for s in group.statements)


def test_no_verdict_without_two_sources(analysis):
    for g in analysis.figure_groups:
        sources = {r.doc_ids[0] for r in g.rows}
        assert g.sources == len(g.rows) == len(sources)
        assert {d for r in g.rows for d in r.doc_ids} == set(g.documents)
        if g.verdict in {"agree", "roughly agree", "differ"}:
            assert g.sources >= 2
        else:
            assert g.verdict in {"one source", "different measures"}


def test_copies_of_one_wire_story_count_once():
    from newsdigest.pipeline import segment

    wire = "At least 40 people were killed when the ferry capsized off the coast on Tuesday, police said."
    docs = [
        Document("a", wire + "\nRescue teams searched the water through the night."),
        Document("b", "The Daily reported the disaster.\n" + wire),  # the same wire sentence, another page
        Document("c", "About 45 people were killed when the ferry capsized, a coastguard spokesman said."),
    ]
    groups = analyze(docs, segment(docs)).figure_groups
    assert len(groups) == 1
    group = groups[0]
    assert group.sources == 2 and [r.doc_ids for r in group.rows] == [("a", "b"), ("c",)]
    assert group.verdict == "roughly agree" and "copies of one wire story count once" in group.note
    alone = analyze(docs[:2], segment(docs[:2])).figure_groups
    assert len(alone) == 1 and alone[0].verdict == "one source" and alone[0].sources == 1


def test_figures_have_counted_thing_qualifier_and_speaker(analysis):
    by_text = {f.text.lower(): f for f in analysis.figures}
    assert by_text["more than 19,000"].counts == "people" and by_text["more than 19,000"].event == "killed"
    assert by_text["up to 20,000"].qualifier == "up to" and by_text["up to 20,000"].counts == "soldiers"
    assert by_text["up to 20,000"].speaker == "Mostafa Ahmad al-Sheikh"
    assert by_text["100,000"].noun == "defection"
    assert by_text["$200"].unit == "money"
    assert "Brigade 105" not in {f.text for f in analysis.figures} and "105" not in by_text


def test_tlass_defection_on_6_july_is_on_the_timeline(analysis):
    events = [t for t in analysis.timeline if t.date_text == "6 July"]
    assert len(events) == 1
    assert "Tlass" in events[0].text
    assert events[0].date == "--07-06" and not events[0].relative  # no year, no publication date
    relative = [t for t in analysis.timeline if t.relative]
    assert relative and all(t.date is None for t in relative)  # the seeds carry no date
    keys = [(t.date is None, t.date or "") for t in analysis.timeline]
    dated = [k for k in keys if not k[0]]
    assert dated == sorted(dated, key=lambda k: (k[1].startswith("--"), k[1]))


def test_relative_dates_resolve_against_publication_date():
    import datetime as dt

    day = dt.date(2012, 8, 7)  # a Tuesday
    assert resolve("Monday", day) == ("2012-08-06", "day")
    assert resolve("6 July", day) == ("2012-07-06", "day")
    assert resolve("mid-June", day) == ("2012-06-15", "day")
    assert resolve("March 2011", None) == ("2011-03", "month")
    assert resolve("Monday", None) == (None, "relative")
    assert classify("30 years") is None and classify("every day") is None
    assert classify("last week") == "relative"


def test_timeline_uses_publication_date(documents):
    import dataclasses
    import datetime as dt

    dated = [dataclasses.replace(d, date=dt.date(2012, 8, 7)) for d in documents[:3]]
    analysis = analyze_documents(dated)
    mondays = [t for t in analysis.timeline if t.date_text == "Monday"]
    assert mondays and all(t.date == "2012-08-06" and t.resolved for t in mondays)


def test_at_most_one_row_per_article_and_relative_day(analysis):
    from newsdigest.analyze.timeline import relative_day

    seen: dict[tuple[str, str], str] = {}
    for t in analysis.timeline:
        if not t.relative:
            continue
        for s in t.sources:
            key = (s.doc_id, t.date or relative_day(s.date_text))
            assert seen.setdefault(key, t.id) == t.id, (key, seen[key], t.id)
    mondays = [t for t in analysis.timeline if relative_day(t.date_text) == "monday"]
    assert len(mondays) <= 3 and sum(len(t.sources) for t in mondays) >= 5  # was eight rows
    # undated relative days come after every dated event, under their own heading
    kinds = [t.date is None for t in analysis.timeline]
    assert kinds == sorted(kinds) and any(kinds) and not all(kinds)
    out = render_analysis(analysis, "markdown")
    when = out[out.index("## When") : out.index("## Who reports what")]
    heading = when.index("### Relative dates")
    assert "relative, undated" not in when[:heading] and "6 July" in when[:heading]
    assert escape.markdown("Monday (relative, undated)") in when[heading:]


def test_story_date_anchors_undated_sources(documents):
    import dataclasses
    import datetime as dt

    # The Examiner and Al-Ahram dated, the others not: the story's date is the earlier of the two middle dates
    dates = {2: dt.date(2012, 8, 7), 3: dt.date(2012, 8, 9)}
    docs = [dataclasses.replace(d, date=dates.get(i)) for i, d in enumerate(documents)]
    analysis = analyze_documents(docs)
    by_doc = {}
    for t in analysis.timeline:
        for s in t.sources:
            by_doc.setdefault(s.doc_id, []).append(t)
    # [1] has no date: its "Sunday" is read against the story's date (Tuesday 7 August 2012) and says so
    sunday = next(t for t in by_doc[docs[0].id] if t.date_text == "Sunday")
    assert sunday.date == "2012-08-05" and sunday.anchor == "2012-08-07"
    # [4] has its own date: no anchor ("Last month" from 9 August is July)
    own = [t for t in by_doc[docs[3].id] if t.relative and all(s.doc_id == docs[3].id for s in t.sources)]
    assert own and all(t.anchor is None for t in own)
    assert next(t for t in own if t.date_text == "Last month").date == "2012-07"
    placed = [t for t in analysis.timeline if t.relative and t.date]
    assert {t.date_text for t in placed} >= {"Monday", "Sunday", "Thursday", "Friday", "last week", "earlier this week"}
    # "one day later" / "a few weeks earlier" count from another event, not from the article's date
    assert all(t.date is None for t in analysis.timeline if t.date_text in {"One day later", "A few weeks earlier"})
    out = render_analysis(analysis, "markdown")
    assert escape.markdown("read against the story's date, 2012-08-07") in out
    assert escape.markdown("(from the story's date)") in out


def test_coverage_of_summary_and_unique_contributions(analysis, digest, documents):
    assert len(analysis.points) == len(digest.sentences)
    for point, ds in zip(analysis.points, digest.sentences):
        assert [s.doc_id for s in point.sources] == ds.citations
    assert {s.doc_id for s in analysis.sources} == {d.id for d in documents}
    assert all(len(s.unique) <= 3 for s in analysis.sources)
    assert sum(len(s.unique) for s in analysis.sources) >= 5


def test_without_digest_points_are_shared_statements(documents):
    analysis = analyze_documents(documents)
    assert analysis.points and not analysis.points[0].from_digest
    assert all(len({s.doc_id for s in p.sources}) >= 2 for p in analysis.points)


def test_to_dict_matches_schema_and_is_json(analysis):
    data = analysis.to_dict()
    jsonschema.Draft202012Validator.check_schema(ANALYSIS_SCHEMA)
    jsonschema.validate(data, ANALYSIS_SCHEMA)
    assert json.loads(render_analysis(analysis, "json")) == data


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_renderers(analysis, digest, fmt):
    out = render_analysis(analysis, fmt, digest=digest)
    assert "Jay Carney" in out and "roughly agree" in out and "6 July" in out


def test_terminal_prints_to_a_given_console(analysis):
    import io

    from rich.console import Console

    buffer = io.StringIO()
    assert render_analysis(analysis, "terminal", console=Console(file=buffer, width=120)) == ""
    assert "Who said what" in buffer.getvalue()


def test_article_text_is_escaped_in_markdown_and_terminal():
    from newsdigest.pipeline import segment

    docs = [
        Document("a", "“<script>alert(1)</script> is what we [red]want[/red] today,” said John Smith on Monday.\n"
                      "About 40 people were killed in the attack on the *market*, police said.", source="Evil <b>Outlet</b>"),
        Document("b", "Police said 45 people were killed in the attack on the market on Monday.", source="Other"),
    ]
    analysis = analyze(docs, segment(docs))
    md = render_analysis(analysis, "markdown")
    assert "<script>" not in md and "<b>" not in md and "&lt;script&gt;" in md
    assert "*market*" not in md
    text = render_analysis(analysis, "terminal", width=200)
    assert "[red]want[/red]" in text  # printed as written, not read as rich markup
    html = render_analysis(analysis, "html")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_unknown_format(analysis):
    with pytest.raises(ValueError, match="unknown analysis format"):
        render_analysis(analysis, "pdf")


def test_analyze_with_given_sentences_and_empty_input():
    from newsdigest.pipeline import segment

    docs = [Document("a", "“We will win this war soon,” said John Smith on Monday.\nHe said 5 people died."),
            Document("b", "")]
    analysis = analyze(docs, segment(docs))
    assert analysis.quotes[0].speaker == "John Smith"
    assert analyze([], []).entities == []


def test_helpers():
    assert parse_number("25,000 to 30,000") == (25000, 30000)
    assert parse_number("nearly 20") == (20, 20)
    assert parse_number("five") == (5, 5)
    assert parse_number("1.5 million") == (1_500_000, 1_500_000)
    assert similar_words("riad", "riyad") and similar_words("tlas", "tlass")
    assert not similar_words("riad", "bashar")
    text = "``Duc quote here,'' he said. “Curly quote here” and \"straight one here\" and “mixed close here\"."
    spans = [text[a:b] for a, b in quote_spans(text)]
    assert spans == ["Duc quote here,", "Curly quote here", "straight one here", "mixed close here"]


def test_long_symbol_runs_are_blanked_for_spacy_with_every_offset_kept():
    from newsdigest.analyze.parsing import _without_symbol_runs, parse
    from newsdigest.pipeline import segment

    rule = '"' * 3000 + "_" * 500  # spaCy peels such a run one character at a time: its cost is the square
    text = f'Prime Minister Riad Hijab fled to Jordan on Monday.\n{rule}\n"We will win," said Riad Hijab.'
    blanked = _without_symbol_runs(text)
    assert len(blanked) == len(text) and '"' * 32 not in blanked and "_" * 32 not in blanked
    assert blanked.replace(" ", "") == text.replace(" ", "").replace(rule, "")
    assert _without_symbol_runs('He said "no" -- twice... (*) ' + "-" * 31) == 'He said "no" -- twice... (*) ' + "-" * 31
    document = Document(id="d1", text=text, source="Wire")
    (parsed,) = parse([document], segment([document]))
    hijab = [e for e in parsed.doc.ents if e.text == "Riad Hijab"]
    assert [text[e.start_char : e.end_char] for e in hijab] == ["Riad Hijab", "Riad Hijab"]
    analysis = analyze_documents([document])
    assert any(q.text == "We will win," or "We will win" in q.text for q in analysis.quotes)
