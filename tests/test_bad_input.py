"""Bad input: one clear one-line problem naming the file, never an exception."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsdigest.ingest as ingest
from newsdigest.ingest import load_documents

ARTICLE = (
    "Ferry crews walked off the job on Friday in a dispute over pay, union officials said.\n"
    "The strike halted 14 ships on routes between Helsinki, Stockholm and Tallinn.\n"
)


def _only_problem(problems, path):
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem.path == str(path)
    assert "\n" not in str(problem)
    return problem


def test_empty_file(tmp_path):
    for name, content in (("empty.txt", b""), ("blank.txt", b"  \n\n\t \n")):
        path = tmp_path / name
        path.write_bytes(content)
        docs, problems = load_documents([path])
        assert docs == []
        problem = _only_problem(problems, path)
        assert problem.fatal and "empty file" in problem.message


def test_binary_file_with_nul_bytes(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(b"Ferry strike\x00\x00\x01\x02" * 50)
    docs, problems = load_documents([path])
    assert docs == []
    assert "binary" in _only_problem(problems, path).message


@pytest.mark.parametrize("bad_line", [1, 2])
def test_nul_bytes_in_json_lines_lose_only_their_line(tmp_path, bad_line):
    good = [
        '{"id": "a", "text": "Rebels captured two border posts in the north after heavy fighting."}',
        '{"id": "c", "text": "Aid groups warned of food shortages in besieged districts of Aleppo."}',
    ]
    lines = [line.encode() for line in good]
    lines.insert(bad_line - 1, b'{"id": "b", "text": "a bad \x00\x00 line"}')
    path = tmp_path / "stream.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    docs, problems = load_documents([path])
    assert [d.id for d in docs] == ["a", "c"]
    problem = _only_problem(problems, path)
    assert problem.fatal and problem.message == f"line {bad_line}: holds NUL bytes (binary data, not JSON), line skipped"


def test_mostly_non_text_file(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(1, 9)) * 200 + b" a few words")
    docs, problems = load_documents([path])
    assert docs == []
    assert "binary" in _only_problem(problems, path).message


def test_legacy_encoding_is_decoded_with_a_warning(tmp_path):
    path = tmp_path / "latin.txt"
    text = "Café owners in Zürich said the naïve plan would cost 5 million francs. Prices rose 3 percent."
    path.write_bytes(text.encode("cp1252"))
    (doc,), problems = load_documents([path])
    assert doc.text == text
    problem = _only_problem(problems, path)
    assert not problem.fatal
    assert "UTF-8" in problem.message and "cp1252" in problem.message


def test_a_short_latin_1_text_is_not_taken_for_a_baltic_dos_page(tmp_path):
    """charset_normalizer names cp775 for this line; Western text reads as cp1252 whenever it decodes so."""
    path = tmp_path / "latin.txt"
    text = "Café résumé naïve: Officials in the capital met on Monday to discuss the crisis in detail."
    path.write_bytes(text.encode("latin-1"))
    (doc,), problems = load_documents([path])
    assert doc.text == text
    assert _only_problem(problems, path).message.endswith("decoded as cp1252")


@pytest.mark.parametrize("name", ["mixed.jsonl", "mixed.txt"])
def test_one_latin_1_line_in_utf_8_text_is_guessed_alone(tmp_path, name):
    """The other lines stay UTF-8: guessing the whole file would turn their accents into mojibake."""
    utf8 = "Café owners in Zürich said the plan would cost 5 million francs."
    latin = "Naïve plans in München cost the city dearly, officials said."
    if name.endswith(".jsonl"):
        lines = [f'{{"id": "a", "text": "{utf8}"}}'.encode(), f'{{"id": "b", "text": "{latin}"}}'.encode("latin-1")]
    else:
        lines = [b"Title of the piece", utf8.encode(), latin.encode("latin-1"), "Später: more.".encode()]
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines) + b"\n")
    docs, problems = load_documents([path])
    text = " ".join(d.text for d in docs)
    assert utf8 in text and latin in text and "Ã" not in text
    problem = _only_problem(problems, path)
    assert not problem.fatal
    line = 2 if name.endswith(".jsonl") else 3
    assert f"not valid UTF-8 on line {line} of {len(lines)}" in problem.message and "cp1252" in problem.message


def test_hopeless_bytes_are_fatal(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(128, 256)) * 8)
    docs, problems = load_documents([path])
    assert docs == []
    problem = _only_problem(problems, path)
    assert problem.fatal and "undecodable" in problem.message


def _docx_bytes(tmp_path: Path) -> bytes:
    target = tmp_path / "made.docx"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Ferry strike</w:document>")
    return target.read_bytes()


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("report.pdf", lambda tmp: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        ("story.docx", _docx_bytes, "ZIP"),
        ("photo.png", lambda tmp: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, "PNG"),
        ("story.txt", lambda tmp: b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 40, "JPEG"),
    ],
)
def test_unsupported_formats_by_magic_bytes(tmp_path, name, make, kind):
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    docs, problems = load_documents([path])
    assert docs == []
    problem = _only_problem(problems, path)
    assert problem.fatal and "unsupported format" in problem.message and kind in problem.message


def test_missing_path(tmp_path):
    path = tmp_path / "nope.txt"
    docs, problems = load_documents([path])
    assert docs == []
    assert "no such file" in _only_problem(problems, path).message


def test_folder_without_articles(tmp_path):
    (tmp_path / "empty").mkdir()
    only_meta = tmp_path / "only_meta"
    only_meta.mkdir()
    (only_meta / "metadata.json").write_text("{}")
    (only_meta / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    for folder in (tmp_path / "empty", only_meta):
        docs, problems = load_documents([folder])
        assert docs == []
        assert "folder has no articles" in _only_problem(problems, folder).message


def test_file_over_size_cap(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: 51 MB on paper, nothing on disk
        handle.truncate(51 * 1024 * 1024)
    docs, problems = load_documents([path])
    assert docs == []
    problem = _only_problem(problems, path)
    assert problem.fatal and "too large" in problem.message


def test_size_cap_is_a_keyword(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE)
    docs, problems = load_documents([path], max_bytes=50)
    assert docs == [] and "too large" in _only_problem(problems, path).message
    docs, problems = load_documents(["-"], stdin=io.StringIO(ARTICLE), max_bytes=50)
    assert docs == [] and "too large" in _only_problem(problems, "-").message


def test_exact_duplicate_is_dropped_with_a_warning(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text("  " + ARTICLE.replace("\n", "\n\n") + "\nShare this\n")
    docs, problems = load_documents([tmp_path])
    assert [d.id for d in docs] == ["a"]
    problem = _only_problem(problems, tmp_path / "b.txt")
    assert not problem.fatal
    assert "duplicate" in problem.message and " b " in problem.message and " a " in problem.message


def test_near_duplicate_is_dropped_but_an_update_is_kept(tmp_path):
    sentences = [f"Officials said on day {i} that {i * 10} ferries were idle in port." for i in range(20)]
    (tmp_path / "a.txt").write_text("\n".join(sentences))
    (tmp_path / "b.txt").write_text("\n".join(sentences[:19] + ["Officials said the strike would end soon."]))
    (tmp_path / "c.txt").write_text("\n".join(sentences[:10] + [s.replace("ferries", "trains") for s in sentences[10:]]))
    docs, problems = load_documents([tmp_path])
    assert [d.id for d in docs] == ["a", "c"]
    problem = _only_problem(problems, tmp_path / "b.txt")
    assert not problem.fatal and "95%" in problem.message
    docs, problems = load_documents([tmp_path], duplicate_threshold=None)
    assert len(docs) == 3 and not problems


def test_no_text_after_cleaning(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_text("Share this\nTweet\nEmail\n(photo credit: Reuters)\n")
    docs, problems = load_documents([path])
    assert docs == []
    problem = _only_problem(problems, path)
    assert problem.fatal and "no text after cleaning" in problem.message


def test_invalid_json_lines_are_reported_and_the_rest_read(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text(
        json.dumps({"id": "one", "text": "The strike ended on Monday."}) + "\n"
        + '{"id": "two", "text": "broken\n'
        + json.dumps({"id": "three", "title": "no text field"}) + "\n"
        + "[1, 2]\n"
        + json.dumps({"id": "four", "text": "Ferries sailed again on Tuesday."}) + "\n"
    )
    docs, problems = load_documents([path])
    assert [d.id for d in docs] == ["one", "four"]
    assert [p.message.split(":")[0] for p in problems] == ["line 2", "line 3", "line 4"]
    assert all(p.path == str(path) and p.fatal for p in problems)
    assert "invalid JSON" in problems[0].message


def test_empty_stdin():
    docs, problems = load_documents(["-"], stdin=io.StringIO(""))
    assert docs == []
    assert "empty input" in _only_problem(problems, "-").message


def test_sgml_without_documents(tmp_path):
    path = tmp_path / "broken.sgml"
    path.write_text("<DOCNO> nothing here </DOCNO>")
    docs, problems = load_documents([path])
    assert docs == [] and "<DOC>" in _only_problem(problems, path).message


def test_reader_crash_becomes_a_problem(tmp_path, monkeypatch):
    def explode(text, *, doc_id, path):
        raise RuntimeError("reader bug")

    monkeypatch.setattr(ingest, "parse_text", explode)
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE)
    good = tmp_path / "page.html"
    good.write_text(f"<html><body><article><p>{ARTICLE}</p></article></body></html>")
    docs, problems = load_documents([path, good])
    assert [d.id for d in docs] == ["page"]
    problem = _only_problem(problems, path)
    assert "could not read as text" in problem.message and "reader bug" in problem.message


def test_bad_inputs_do_not_stop_good_ones(tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4 ...")
    docs, problems = load_documents([tmp_path, tmp_path / "missing.txt"])
    assert [d.id for d in docs] == ["good"]
    assert len(problems) == 3 and all(p.fatal for p in problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(tmp_path, data):
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    docs, problems = load_documents([path])
    assert docs or problems
    assert all("\n" not in str(p) for p in problems)
    assert all(d.text.strip() for d in docs)


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=2000))
def test_arbitrary_text_on_stdin_never_raises(text):
    docs, problems = load_documents(["-"], stdin=io.StringIO(text))
    assert docs or problems
    assert all("\n" not in str(p) for p in problems)


# --- Messages name the file and the real cause; nothing readable is lost -----------------


def test_json_lines_with_a_broken_first_line_keep_the_rest(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text(
        '{"id": "one", "text": "broken\n'
        + json.dumps({"id": "two", "text": "The strike ended on Monday."}) + "\n"
        + json.dumps({"id": "three", "text": "Ferries sailed again on Tuesday."}) + "\n"
    )
    docs, problems = load_documents([path])
    assert [d.id for d in docs] == ["two", "three"]
    problem = _only_problem(problems, path)
    assert problem.message.startswith("line 1: invalid JSON")


def test_json_lines_whose_first_line_is_not_json_at_all(tmp_path):
    path = tmp_path / "export"  # no extension: the content decides
    path.write_text("garbage from the exporter\n" + json.dumps({"id": "two", "text": "The strike ended on Monday."}) + "\n")
    docs, problems = load_documents([path])
    assert [d.id for d in docs] == ["two"]
    assert _only_problem(problems, path).message.startswith("line 1: invalid JSON")


def test_pretty_printed_json_is_still_one_record(tmp_path):
    path = tmp_path / "story.json"
    path.write_text(json.dumps({"id": "one", "title": "Ferries", "text": "The strike ended on Monday."}, indent=2))
    (doc,), problems = load_documents([path])
    assert doc.id == "one" and not problems
    path.write_text('\n\n{\n  "id": "one",\n  "text" "The strike ended."\n}\n')
    docs, problems = load_documents([path])
    assert docs == [] and _only_problem(problems, path).message.startswith("line 5: invalid JSON")


@pytest.mark.parametrize(("value", "kind"), [("123", "int"), ("null", "null"), ('["a"]', "list")])
def test_text_that_is_not_a_string_is_named(tmp_path, value, kind):
    path = tmp_path / "articles.jsonl"
    path.write_text(f'{{"id": "one", "text": {value}}}\n' + json.dumps({"id": "two", "text": "Ferries sailed."}) + "\n")
    docs, problems = load_documents([path])
    assert [d.id for d in docs] == ["two"]
    assert _only_problem(problems, path).message == f'line 1: "text" must be a string, not {kind}'


def test_bare_separators_on_stdin_name_stdin():
    docs, problems = load_documents(["-"], stdin=io.StringIO("|||||"))
    assert docs == []
    problem = _only_problem(problems, "-")
    assert problem.fatal and "no article text" in problem.message


def test_html_nested_too_deep_says_so(tmp_path):
    paragraph = "<p>Ferry crews walked off the job on Friday in a dispute over pay, union officials said.</p>"
    for depth, readable in ((254, True), (600, True), (5000, False)):
        path = tmp_path / f"deep{depth}.html"
        path.write_text("<html><body>" + "<div>" * depth + paragraph + "</div>" * depth + "</body></html>")
        docs, problems = load_documents([path])
        if readable:  # trafilatura gives up at 256 levels; the fallback reads on
            assert [d.text for d in docs] == ["Ferry crews walked off the job on Friday in a dispute over pay, union officials said."]
            assert not problems
        else:
            assert docs == []
            message = _only_problem(problems, path).message
            assert "nested" in message and "deep" in message and "no text after cleaning" not in message


def test_size_limit_is_the_documented_50_mb(tmp_path):
    assert ingest.MAX_BYTES == 50_000_000
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50_000_001)
    docs, problems = load_documents([path])
    assert _only_problem(problems, path).message == "too large (50,000,001 bytes, the limit is 50 MB)"


def test_symlinked_folders_are_followed_and_loops_named(tmp_path):
    real = tmp_path / "elsewhere"
    real.mkdir()
    (real / "b.txt").write_text(ARTICLE.replace("Friday", "Monday"))
    top = tmp_path / "top"
    top.mkdir()
    (top / "a.txt").write_text(ARTICLE)
    (top / "linked").symlink_to(real, target_is_directory=True)
    (top / "loop").symlink_to(top, target_is_directory=True)
    docs, problems = load_documents([top])
    assert [Path(d.path).relative_to(top).as_posix() for d in docs] == ["a.txt", "linked/b.txt"]
    problem = _only_problem(problems, top / "loop")
    assert not problem.fatal and "symlink loop" in problem.message and str(top) in problem.message


def test_unreadable_folder_is_not_called_empty(tmp_path, monkeypatch):
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(ARTICLE)
    real_scandir = os.scandir

    def scandir(path="."):  # root ignores permissions, so refuse the listing the way the OS would
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    docs, problems = load_documents([locked])
    assert docs == []
    problem = _only_problem(problems, locked)
    assert problem.fatal and problem.message == "cannot read folder: Permission denied"


def test_pipes_in_a_folder_are_skipped_and_devices_are_bounded(tmp_path):
    import os

    (tmp_path / "a.txt").write_text(ARTICLE)
    os.mkfifo(tmp_path / "pipe")  # reading it would wait for a writer forever
    docs, problems = load_documents([tmp_path, "/dev/zero"], max_bytes=1000)
    assert [d.id for d in docs] == ["a"]
    assert [(p.path, p.message) for p in problems] == [
        (str(tmp_path / "pipe"), "not a regular file (a pipe, socket or device), skipped"),
        ("/dev/zero", "too large (more than the limit of 1,000 bytes)"),
    ]


def test_lone_surrogates_on_stdin_do_not_crash():
    docs, problems = load_documents(["-"], stdin=io.StringIO("\ud800 Ferry crews walked off the job on Friday."))
    assert docs or problems


def test_a_lone_surrogate_escaped_in_json_lines_is_replaced_and_named(tmp_path):
    """JSON may escape a lone surrogate ("\\ud800"), which no UTF-8 output can hold: it becomes U+FFFD,
    with a warning naming the line, and the article is kept (a real pair of escapes stays one character)."""
    path = tmp_path / "a.jsonl"
    records = [
        {"id": "a", "title": "Ferry strike \ud800", "source": "Wire \udfff", "text": ARTICLE},
        {"id": "b", "title": "Emoji \U0001F600", "text": ARTICLE.replace("Friday", "Monday")},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    docs, problems = load_documents([str(path)], duplicate_threshold=None)
    assert [d.id for d in docs] == ["a", "b"]
    assert docs[0].title == "Ferry strike \ufffd" and docs[0].source == "Wire \ufffd"
    assert docs[1].title == "Emoji \U0001F600"
    problem = _only_problem(problems, path)
    assert not problem.fatal and problem.message.startswith("line 1: 2 invalid character escapes")
    for doc in docs:  # every output can encode them now
        (doc.title + doc.source + doc.text).encode("utf-8")


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "9999-12-31T23:59:59+00:00", "-0001-01-01", "soon"])
def test_a_date_outside_the_years_1000_to_8999_is_ignored_with_a_warning(tmp_path, date):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "a", "date": date, "text": ARTICLE}) + "\n", encoding="utf-8")
    docs, problems = load_documents([str(path)])
    assert [d.date for d in docs] == [None]
    problem = _only_problem(problems, path)
    assert not problem.fatal and "is not a date between the years 1000 and 8999, ignored" in problem.message


def test_dates_at_the_edges_of_the_calendar_never_reach_the_grouping(tmp_path):
    """Stories and timelines count days either side of a date: 0001-01-01 and 9999-12-31 once crashed them."""
    from newsdigest.stories import detect_stories

    path = tmp_path / "a.jsonl"
    lines = [
        {"id": "old", "date": "0001-01-01", "text": ARTICLE},
        {"id": "end", "date": "9999-12-31", "text": ARTICLE.replace("Friday", "Sunday")},
        {"id": "ok", "date": "2012-08-06", "text": "The minister resigned on Monday, officials in the capital said."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in lines), encoding="utf-8")
    docs, problems = load_documents([str(path)], duplicate_threshold=None)
    assert [str(d.date) for d in docs] == ["None", "None", "2012-08-06"] and len(problems) == 2
    stories = detect_stories(docs)
    assert sorted(a.id for s in stories for a in s.articles) == ["end", "ok", "old"]


def test_metadata_fields_of_the_wrong_type_are_ignored_with_one_warning(tmp_path):
    (tmp_path / "a.txt").write_text("Ferry strike\n\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Port closed\n\n" + ARTICLE.replace("Friday", "Monday"), encoding="utf-8")
    (tmp_path / "metadata.json").write_text(json.dumps({
        "a.txt": {"title": ["x"], "source": 5, "url": {}, "date": "not a date", "stray": 1},
        "b.txt": "Reuters",
    }), encoding="utf-8")
    docs, problems = load_documents([str(tmp_path)], duplicate_threshold=None)
    assert sorted(d.title for d in docs) == ["Ferry strike", "Port closed"]
    assert all(d.source == "" and d.url == "" and d.date is None for d in docs)
    messages = sorted(str(p) for p in problems)
    meta = tmp_path / "metadata.json"
    assert messages == [
        f"warning: {meta}: a.txt: 'source' must be a string, not int; 'title' must be a string, not list; "
        f"'url' must be a string, not dict; \"date\" 'not a date' is not a date between the years 1000 and 8999 (ignored)",
        f"warning: {meta}: entry for 'b.txt' ignored: expected an object of fields, got str",
    ]


def test_an_object_or_a_list_where_text_belongs_is_ignored_and_named(tmp_path):
    path = tmp_path / "a.jsonl"
    record = {"id": {"x": 1}, "title": ["Ferry strike"], "source": 7, "url": {"href": "x"}, "text": ARTICLE}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (doc,), problems = load_documents([str(path)])
    assert (doc.id, doc.title, doc.source, doc.url) == ("a-1", "", "7", "")
    assert _only_problem(problems, path).message == (
        'line 1: "id" must be text, not an object, ignored; "title" must be text, not a list, ignored; '
        '"url" must be text, not an object, ignored'
    )
