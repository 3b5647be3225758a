"""Readers: every format on a real sample, folders, metadata, stdin, ids and dates."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import time
from pathlib import Path

import pytest

from newsdigest.ingest import load_documents
from newsdigest.ingest.detect import detect_format
from newsdigest.ingest.multinews import parse_multinews
from newsdigest.ingest.sgml import parse_sgml
from newsdigest.model import Document

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SYRIA = ROOT / "examples" / "syria"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DUC_DOCS = SHARED / "data" / "duc2003" / "docs"
MULTINEWS = SHARED / "data" / "multinews" / "dev.jsonl"


def _needs(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"dataset not available: {path} (../shared is absent)")


# --- Plain text -------------------------------------------------------------------


def test_plain_text_file_title_and_body():
    path = SYRIA / "004_6b2e7a2603df25b0.txt"
    (doc,), problems = load_documents([str(path)])
    assert not problems
    assert doc.id == "004_6b2e7a2603df25b0"
    assert doc.path == str(path)
    # Title from metadata.json; the body starts with the standfirst, not the headline.
    assert doc.title == "'Senior Syria regime figures trying to defect'"
    assert doc.source == "The Jerusalem Post"
    assert doc.text.startswith('The "British Daily Telegraph" reports')


def test_plain_text_title_detected_without_metadata(tmp_path):
    shutil.copy(SYRIA / "000_a7f4607e7ada74c9.txt", tmp_path)
    shutil.copy(SYRIA / "002_9a7023dfee11c5f7.txt", tmp_path)
    docs, problems = load_documents([tmp_path])
    assert not problems
    by_id = {d.id: d for d in docs}
    assert by_id["000_a7f4607e7ada74c9"].title == "Attack a blow to Assad's regime"
    assert by_id["000_a7f4607e7ada74c9"].source == ""
    # 002 opens with a sentence: no title, and the sentence stays in the body.
    assert by_id["002_9a7023dfee11c5f7"].title == ""
    assert by_id["002_9a7023dfee11c5f7"].text.startswith("The defection Monday of Syrian Prime Minister Riad Hijab")


def test_single_line_file_is_body_not_title(tmp_path):
    (tmp_path / "short.txt").write_text("Ferry crews went back to work on Monday")
    (doc,), _ = load_documents([tmp_path / "short.txt"])
    assert doc.title == ""
    assert doc.text == "Ferry crews went back to work on Monday"


# --- Folders and metadata ---------------------------------------------------------------


def test_folder_with_metadata():
    docs, problems = load_documents([str(SYRIA) + "/"])
    assert not problems
    assert [d.id for d in docs] == [
        "000_a7f4607e7ada74c9",
        "001_74ff02e70c4ac12e",
        "002_9a7023dfee11c5f7",
        "003_e2e44cc11d258c05",
        "004_6b2e7a2603df25b0",
    ]
    assert [d.source for d in docs] == [
        "Israel National News (Arutz Sheva)",
        "U.S. News & World Report",
        "The Washington Examiner",
        "Al-Ahram Weekly",
        "The Jerusalem Post",
    ]
    assert docs[1].title == "Crumbling: Nearly 20 Senior Syrian Military Officers Defect Assad's Regime"
    assert all(d.title for d in docs)
    assert all(d.date is None for d in docs)
    assert all(Path(d.path).parent == SYRIA for d in docs)


def test_examples_are_byte_copies_of_the_seeds():
    _needs(SHARED / "seeds")
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        assert (SYRIA / seed.name).read_bytes() == seed.read_bytes()
    meta = json.loads((SYRIA / "metadata.json").read_text())
    assert sorted(meta) == sorted(p.name for p in (SHARED / "seeds").glob("*.txt"))


def test_folder_recursive_sorted_skips_hidden_and_applies_nested_metadata(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "one.txt").write_text("The strike ended on Monday after two days.")
    (tmp_path / "a" / "two.txt").write_text("Ferries sailed again on Tuesday, the operator said.")
    (tmp_path / "a" / ".hidden.txt").write_text("Should not be read at all.")
    (tmp_path / ".git" / "config.txt").write_text("Should not be read either.")
    (tmp_path / "a" / "metadata.json").write_text(
        json.dumps({"two.txt": {"source": "Harbour Radio", "title": "Ferries sail again", "date": "2021-03-18",
                                "url": "https://radio.example/ferries"}})
    )
    docs, problems = load_documents([tmp_path])
    assert not problems
    assert [d.id for d in docs] == ["two", "one"]  # a/ before b/
    assert docs[0].source == "Harbour Radio"
    assert docs[0].title == "Ferries sail again"
    assert docs[0].date == dt.date(2021, 3, 18)
    assert docs[0].url == "https://radio.example/ferries"
    assert docs[1].source == ""


def test_broken_metadata_is_a_warning(tmp_path):
    (tmp_path / "one.txt").write_text("The strike ended on Monday after two days.")
    (tmp_path / "metadata.json").write_text("{not json")
    docs, problems = load_documents([tmp_path])
    assert len(docs) == 1
    assert len(problems) == 1 and not problems[0].fatal
    assert "metadata.json" in problems[0].path


def test_ids_are_unique_across_folders(tmp_path):
    for folder, text in (("x", "The strike ended on Monday."), ("y", "Ferries sailed again on Tuesday.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(text)
    docs, _ = load_documents([tmp_path / "x", tmp_path / "y"])
    assert [d.id for d in docs] == ["story", "story-2"]


# --- stdin ------------------------------------------------------------------------------


def test_stdin_plain_text():
    text = (SYRIA / "001_74ff02e70c4ac12e.txt").read_text()
    (doc,), problems = load_documents(["-"], stdin=io.StringIO(text))
    assert not problems
    assert doc.path == "-"
    assert doc.id == "stdin"
    assert doc.title.startswith("Crumbling")
    assert "By + More" not in doc.text


def test_stdin_mixed_with_files():
    docs, problems = load_documents(
        [SYRIA / "000_a7f4607e7ada74c9.txt", "-"], stdin=io.StringIO("Ferries sailed again on Tuesday.")
    )
    assert not problems
    assert [d.path for d in docs] == [str(SYRIA / "000_a7f4607e7ada74c9.txt"), "-"]


def test_stdin_multinews_string():
    record = json.loads((FIXTURES / "multinews_sample.jsonl").read_text().splitlines()[0])
    docs, problems = load_documents(["-"], stdin=io.StringIO(record["document"]))
    assert not problems
    assert [d.id for d in docs] == ["stdin-1", "stdin-2"]
    assert docs[1].text.startswith("Residents of Iquique ran into the streets")


def test_stdin_jsonl():
    docs, problems = load_documents(["-"], stdin=io.StringIO((FIXTURES / "articles.jsonl").read_text()))
    assert not problems
    assert [d.id for d in docs] == ["courier-1", "stdin-2", "no-meta"]


def test_stdin_html_and_sgml():
    (html_doc,), _ = load_documents(["-"], stdin=io.StringIO((FIXTURES / "news_page.html").read_text()))
    assert html_doc.title == "Harbour bridge closed after storm damage"
    sgml_docs, _ = load_documents(["-"], stdin=io.StringIO((FIXTURES / "duc_ferry.sgml").read_text()))
    assert [d.id for d in sgml_docs] == ["APW19990312.0107", "NYT19990313.0042"]


# --- HTML -------------------------------------------------------------------------------


def test_html_page_main_text_and_metadata():
    (doc,), problems = load_documents([FIXTURES / "news_page.html"])
    assert not problems
    assert doc.id == "news_page"
    assert doc.title == "Harbour bridge closed after storm damage"
    assert doc.date == dt.date(2021, 3, 17)
    assert doc.source == "The Coastal Courier"
    assert doc.url == "https://www.coastalcourier.example/news/2021/03/17/harbour-bridge-closed"
    assert doc.text.startswith("The city's harbour bridge will stay closed to all traffic")
    assert "The weather service expects calmer conditions from Thursday" in doc.text
    assert '"We are not taking any chances with a structure that carries 60,000 vehicles a day,"' in doc.text
    for junk in ("Subscribe", "Sport", "Privacy policy", "Related stories", "Tunnel tolls", "Comments",
                 "Typical.", "Sign up", "All rights reserved", "Tweet", "Photo credit", "Tags", "Search"):
        assert junk not in doc.text, junk


def test_html_detected_by_content_despite_extension(tmp_path):
    target = tmp_path / "page.txt"
    target.write_bytes((FIXTURES / "news_page.html").read_bytes())
    (doc,), _ = load_documents([target])
    assert doc.title == "Harbour bridge closed after storm damage"
    assert "<p>" not in doc.text


# --- SGML (DUC/TREC) ----------------------------------------------------------------------


def test_sgml_fixture_duc_style():
    docs = parse_sgml((FIXTURES / "duc_ferry.sgml").read_text(), path="duc_ferry.sgml")
    assert [d.id for d in docs] == ["APW19990312.0107", "NYT19990313.0042"]
    ap, nyt = docs
    assert ap.date == dt.date(1999, 3, 12)
    assert nyt.date == dt.date(1999, 3, 13)
    assert (ap.source, nyt.source) == ("Associated Press", "New York Times")
    assert ap.text.split("\n") == [
        "HELSINKI, Finland (AP) _ Ferry crews walked off the job Friday in a dispute over pay, stranding "
        "thousands of passengers in ports on both sides of the Baltic Sea, union officials said.",
        "The strike halted 14 ships on routes between Helsinki, Stockholm and Tallinn. ``We have waited two "
        "years for a fair offer,'' said union spokesman Pekka Lahti. ``Our members have simply run out of "
        "patience.''",
        "The shipping companies said they would seek a court order to end the walkout, which they called illegal.",
        "About 9,000 passengers were affected, the Finnish Maritime Administration said.",
    ]
    assert nyt.text.split("\n") == [
        "HELSINKI, Finland _ For the second day, the ferries that link Finland with Sweden and Estonia sat idle "
        "in their berths on Saturday, and travelers crowded into buses and airport lounges.",
        "``It is like the sea has been closed,'' said Liisa Nieminen, who had hoped to visit her daughter in "
        "Stockholm. The airlines added flights, but most were full by midday.",
        "Talks between the union and the shipping companies are to resume on Monday, the government mediator said.",
    ]
    for doc in docs:
        for junk in ("&", "<", "BC-", "NYT-", "EST", "STORY CAN END", "graf", "(kk-jm)", "KAISA", "AP Photo", "nn\n"):
            assert junk not in doc.text, junk


def test_sgml_date_from_docno_when_no_date_field():
    text = "<DOC>\n<DOCNO> XIE19980305.0012 </DOCNO>\n<TEXT>\nThe talks resumed on Thursday.\n</TEXT>\n</DOC>\n"
    (doc,) = parse_sgml(text, path="x")
    assert doc.date == dt.date(1998, 3, 5)
    assert doc.source == "Xinhua"
    assert doc.text == "The talks resumed on Thursday."


def test_sgml_doc_and_text_boundaries():
    # A <DOC> ends at </DOC>, at the next <DOC> or at the end of the file; a <TEXT> at </TEXT>
    # or the end of its <DOC>; tags in any case; other tags inside are part of the body.
    text = (
        "<doc><DOCNO> A1 </DOCNO><TEXT>First <B>bold</B> story.</text></doc>"
        "<DOC><DOCNO> A2 </DOCNO><TEXT>Second story, its DOC never closed."
        "<DOC><DOCNO> A3 </DOCNO><TEXT>Third story <in a> tag.</TEXT> trailer <TEXT>and more text."
    )
    docs = parse_sgml(text, path="x")
    assert [d.id for d in docs] == ["A1", "A2", "A3"]
    assert [d.text for d in docs] == [
        "First bold story.",
        "Second story, its DOC never closed.",
        "Third story tag.\nand more text.",
    ]


@pytest.mark.dataset
def test_every_duc2003_document_loads_clean():
    _needs(DUC_DOCS)
    clusters = sorted(p for p in DUC_DOCS.iterdir() if p.is_dir())
    start = time.perf_counter()
    docs, problems = load_documents([str(c) for c in clusters], duplicate_threshold=None)
    elapsed = time.perf_counter() - start
    files = [p for c in clusters for p in c.iterdir()]
    assert not problems
    assert len(docs) == len(files)
    assert {d.id.split("-")[0] for d in docs} == {p.name for p in files}
    assert elapsed < 30  # a second or two in practice; only guards against a pathological slowdown
    for doc in docs:
        assert doc.date is not None and 1998 <= doc.date.year <= 1999, doc.id
        assert doc.source in ("Associated Press", "New York Times"), doc.id
        assert doc.text and "\n\n" not in doc.text
        for junk in ("&QL;", "&UR;", "&QC;", "&LR;", "<P>", "</", "STORY CAN END HERE", "EDT &", "c.1998 N.Y."):
            assert junk not in doc.text, (doc.id, junk)
        lines = doc.text.split("\n")
        assert not any(line.startswith(("NYT-", "AP-NY-")) for line in lines), doc.id
        # Unwrapped: DUC wraps near 70 columns, so a long document must have longer lines.
        if len(doc.text) > 2000:
            assert max(map(len, lines)) > 100, doc.id


@pytest.mark.dataset
def test_duc_sample_text_exact():
    path = DUC_DOCS / "d30003t" / "APW19981017.0151"
    _needs(path)
    (doc,), _ = load_documents([path])
    assert doc.id == "APW19981017.0151"
    assert doc.date == dt.date(1998, 10, 17)
    first = doc.text.split("\n")[0]
    assert first.startswith("LONDON (AP) _") and len(first) > 100


@pytest.mark.dataset
def test_duc_duplicates_within_one_load_are_flagged():
    _needs(DUC_DOCS)
    docs, problems = load_documents([DUC_DOCS / "d30025t", DUC_DOCS / "d30048t"])
    # The two clusters share four NYT stories: kept once, reported as duplicates.
    assert len({d.id for d in docs}) == len(docs)
    dups = [p for p in problems if "duplicate" in p.message]
    assert dups and all(not p.fatal for p in dups)


# --- Multi-News ---------------------------------------------------------------------------


def test_parse_multinews_string():
    docs = parse_multinews("First story here. ||||| ||||| Third piece of text.", record_id="r7", path="x")
    assert [d.id for d in docs] == ["r7-1", "r7-3"]
    assert docs[0].text == "First story here."


def test_multinews_jsonl_fixture():
    docs, problems = load_documents([FIXTURES / "multinews_sample.jsonl"])
    assert not problems
    assert [d.id for d in docs] == ["mn_fixture_1-1", "mn_fixture_1-2", "mn_fixture_2-1", "mn_fixture_2-2"]
    assert docs[1].text.split("\n") == [
        "Residents of Iquique ran into the streets when the earthquake hit shortly after noon local time.",
        '"The whole building was swaying," said Carla Munoz, a shop owner.',
        "Chile's navy said the quake did not meet the conditions for a tsunami.",
    ]


@pytest.mark.dataset
def test_multinews_dataset_loads():
    _needs(MULTINEWS)
    docs, problems = load_documents([MULTINEWS], duplicate_threshold=None)
    assert not [p for p in problems if p.fatal and "no text after cleaning" not in p.message]
    records = [json.loads(line) for line in MULTINEWS.read_text().splitlines() if line.strip()]
    assert {d.id.rsplit("-", 1)[0] for d in docs} == {r["id"] for r in records}
    assert len(docs) >= len(records)
    assert all(" \n" not in d.text and "|||||" not in d.text for d in docs)


# --- Our JSON lines -------------------------------------------------------------------------


def test_jsonl_articles():
    docs, problems = load_documents([FIXTURES / "articles.jsonl"])
    assert not problems
    first, second, third = docs
    assert first == Document(
        id="courier-1",
        text="The city's harbour bridge will stay closed until at least Friday, the transport authority said.\n"
        "Engineers found cracks in two support cables.",
        title="Harbour bridge closed after storm damage",
        source="The Coastal Courier",
        url="https://www.coastalcourier.example/a",
        date=dt.date(2021, 3, 17),
        path=str(FIXTURES / "articles.jsonl"),
    )
    assert second.id == "articles-2"  # no id field: <file stem>-<line>
    assert second.date == dt.date(2021, 3, 17)  # "March 17, 2021" via dateparser
    assert (third.title, third.source, third.date) == ("", "", None)


def _mixed_jsonl_lines() -> list[str]:
    """Good records (the fixture's) around every kind of bad line."""
    good = (FIXTURES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [good[0], "", "{broken", "[1, 2]", '{"title": "no text"}', good[1], '{"text": 5}', good[2], '{"id": "cut", "text": ']


def test_jsonl_read_line_by_line_gives_what_the_whole_text_gives(tmp_path):
    from newsdigest.ingest.jsonl import parse_jsonl

    lines = _mixed_jsonl_lines()
    path = tmp_path / "mixed.jsonl"
    path.write_text("\ufeff" + "\r\n".join(lines) + "\n", encoding="utf-8")
    docs, problems = load_documents([path])
    whole_docs, whole_problems = parse_jsonl("\n".join(lines), str(path))
    assert [d.id for d in docs] == ["courier-1", "mixed-6", "no-meta"]
    assert docs == whole_docs
    assert [p.message for p in problems] == [p.message for p in whole_problems]
    assert [p.message.split(":")[0] for p in problems] == ["line 3", "line 4", "line 5", "line 7", "line 9"]


def test_jsonl_over_the_file_limit_is_read_line_by_line(tmp_path):
    lines = _mixed_jsonl_lines()
    long_line = json.dumps({"id": "long", "text": "word " * 400})
    path = tmp_path / "big.jsonl"
    path.write_bytes(("\n".join(lines[:2] + [long_line] + lines[5:]) + "\n").encode() + b'{"text": "caf\xe9"}\n')
    assert path.stat().st_size > 1000
    docs, problems = load_documents([path], max_bytes=1000)  # no line of the fixture reaches 1,000 bytes
    assert [d.id for d in docs] == ["courier-1", "big-4", "no-meta"]  # after line 6: the cut record, the Latin-1 one
    assert [p.message for p in problems] == [
        "line 3: longer than the limit of 1,000 bytes, line skipped",
        "line 5: \"text\" must be a string, not int",
        "line 7: invalid JSON (Expecting value), line skipped",
        "line 8: not UTF-8 (byte 13 of the line), line skipped",
    ]


def test_pretty_printed_json_is_still_read_whole(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "one", "text": "A single pretty-printed article."}, indent=2), encoding="utf-8")
    docs, problems = load_documents([path])
    assert [d.id for d in docs] == ["one"] and not problems


# --- Detection and size ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ('{"text": "x"}\n', "a.txt", "jsonl"),
        ("<DOC>\n<DOCNO> X </DOCNO>\n", "a.txt", "sgml"),
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", "a.txt", "html"),
        ("one ||||| two", "a.txt", "multinews"),
        ("Just an article.", "a.html", "html"),
        ("Just an article.", "a.txt", "text"),
        ("Just an article.", "", "text"),
    ],
)
def test_detect_format_content_first(text, name, expected):
    assert detect_format(text, name) == expected


def test_100k_word_article_loads_fast(tmp_path):
    sentence = "The ministry said on Monday that the ferry strike had cost the economy 2 million euros a day."
    paragraphs = [" ".join([sentence.replace("Monday", f"day {i}")] * 6) for i in range(1000)]
    big = tmp_path / "big.txt"
    big.write_text("Ferry strike costs mount\n\n" + "\n\n".join(paragraphs))
    assert len(big.read_text().split()) > 100_000
    start = time.perf_counter()
    (doc,), problems = load_documents([big])
    assert time.perf_counter() - start < 10  # well under a second in practice
    assert not problems
    assert doc.title == "Ferry strike costs mount"
    assert doc.text.count("\n") == 999
