"""CSV and TSV tables of articles, and XML that is no article format."""

from __future__ import annotations

import datetime as dt

import pytest

from newsdigest.ingest import load_documents
from newsdigest.ingest.detect import detect_format

LONG = "Syria's prime minister Riad Hijab defected to Jordan on Monday, officials said. " * 3000  # a cell over csv's 128 KiB


def test_csv_rows_are_articles_under_aliased_columns(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "ID;Headline;Body;Published;Outlet;Link;Votes\n"
        'a1;Syrian PM defects;"Syria\'s prime minister Riad Hijab defected to Jordan.\nHe fled with his family.";2012-08-06;BBC;https://bbc.example/a1;7\n'
        '\n'
        'a2;Rebels advance;Rebels captured two border posts in the north after heavy fighting.;2012-08-07;AP;;3\n',
        encoding="utf-8",
    )
    docs, problems = load_documents([path])
    assert problems == []
    assert [(d.id, d.title, d.source, d.date) for d in docs] == [
        ("a1", "Syrian PM defects", "BBC", dt.date(2012, 8, 6)),
        ("a2", "Rebels advance", "AP", dt.date(2012, 8, 7)),
    ]
    assert docs[0].url == "https://bbc.example/a1" and docs[1].url == ""
    assert "He fled with his family." in docs[0].text  # a quoted cell spans lines
    assert "7" not in docs[0].text  # an unknown column is no part of the article


def test_tsv_without_ids_numbers_rows_by_line_and_reads_a_long_cell(tmp_path):
    path = tmp_path / "feed.tsv"
    path.write_text("text\ttitle\n" + LONG + "\tLong one\nA second article about the talks in Geneva ended without a deal.\t\n",
                    encoding="utf-8-sig")
    docs, problems = load_documents([path])
    assert problems == []
    assert [d.id for d in docs] == ["feed-2", "feed-3"]
    assert docs[0].title == "Long one" and len(docs[0].text) > 200_000


def test_table_rows_without_text_or_with_a_bad_date_are_named_and_the_rest_read(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "id,text,date\n"
        "a1,,2012-08-06\n"
        "a2,Rebels captured two border posts in the north after heavy fighting.,someday\n",
        encoding="utf-8",
    )
    docs, problems = load_documents([path])
    assert [d.id for d in docs] == ["a2"] and docs[0].date is None
    messages = sorted((p.fatal, p.message) for p in problems)
    assert messages == [
        (False, 'line 3: "date" \'someday\' is not a date between the years 1000 and 8999, ignored'),
        (True, "line 2: no text in the 'text' column, row skipped"),
    ]
    assert all(p.path == str(path) for p in problems)


def test_table_without_a_text_column_is_one_problem_not_text(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("ticker,price\nACME,12.5\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("Rebels captured two border posts in the north after heavy fighting.", encoding="utf-8")
    docs, problems = load_documents([path, good])
    assert [d.id for d in docs] == ["good"]
    (problem,) = problems
    assert problem.path == str(path) and problem.fatal
    assert "table without a text column" in problem.message and "'ticker,price'" in problem.message


@pytest.mark.parametrize(
    "name, content, root",
    [
        ("logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><text>Breaking news logo</text></svg>', "svg"),
        ("map.xml", '<?xml version="1.0"?>\n<!-- made by a CMS -->\n<urlset><url><loc>https://x.example/</loc></url></urlset>', "urlset"),
    ],
)
def test_xml_that_is_no_article_format_is_named_not_read_as_text(tmp_path, name, content, root):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    docs, problems = load_documents([path])
    assert docs == []
    (problem,) = problems
    assert problem.fatal and f"root is <{root}>" in problem.message


@pytest.mark.parametrize(
    "text, name, expected",
    [
        ('<?xml version="1.0"?><!DOCTYPE html><html><body><p>Hi there.</p></body></html>', "page.xhtml", "html"),
        ('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "feed.xml", "feed"),
        ("id,text\n1,Some words here.\n", "a.csv", "table"),
        ("id,text\n1,Some words here.\n", "a.txt", "text"),
        ("<b>Bold</b> claims were made on Monday.", "a.txt", "text"),
    ],
)
def test_xml_and_tables_detected_without_taking_other_formats(text, name, expected):
    assert detect_format(text, name) == expected


@pytest.mark.parametrize(
    "name, content, expected_texts, expected_problems",
    [
        ("html.csv", "id,text\na1,<p>The prime minister fled to Jordan on Monday.</p>\n",
         ["<p>The prime minister fled to Jordan on Monday.</p>"], []),
        ("pipes.csv", "id,text\na1,Officials met ||||| and talked on Monday in Geneva.\n",
         ["Officials met ||||| and talked on Monday in Geneva."], []),
        ("cr.csv", "id,text\ra1,The first article is here today.\ra2,The second article is here today.\r",
         ["The first article is here today.", "The second article is here today."], []),
        ("excel.csv", "\nsep=;\nid;text\na1;Officials said the talks in Geneva ended without a deal.\n",
         ["Officials said the talks in Geneva ended without a deal."], []),
        ("quotes.tsv", 'id\ttext\na1\t"We will win," he said on Monday.\na2\tThe second article is here.\n',
         ['"We will win," he said on Monday.', "The second article is here."], []),
        ("extra.csv", "id,text\na1,Stocks rose on Monday, led by banks.\n",
         ["Stocks rose on Monday"],
         [(False, "line 2: 3 cells under a header of 2, the last 1 ignored (a ',' in a cell that is not quoted?)")]),
        ("unclosed.csv", 'id,text\na1,"Body one is fine."\na2,"Body two never ends\na3,Body three.\n',
         ["Body one is fine."],
         [(True, "line 3: a quote mark opened in this row is never closed (every line after it fell into one cell), row skipped")]),
        ("empty.csv", "id,title,text\n", [], [(True, "table with a header (id, title, text) and no rows")]),
    ],
)
def test_table_layouts_and_the_rows_they_lose_are_said(tmp_path, name, content, expected_texts, expected_problems):
    path = tmp_path / name
    path.write_bytes(content.encode())
    docs, problems = load_documents([path])
    assert [d.text for d in docs] == expected_texts
    assert [(p.fatal, p.message) for p in problems] == expected_problems


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("feed.xml", '<?xml version="1.0"?><atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:title>X</atom:title>'
         "<atom:entry><atom:id>1</atom:id><atom:title>E</atom:title><atom:content type=\"text\">The prime minister fled to Jordan "
         "on Monday, officials said, and aid groups warned of shortages.</atom:content></atom:entry></atom:feed>", "feed"),
        ("page.html", '<?xml version="1.0"?><html:html xmlns:html="http://www.w3.org/1999/xhtml"><html:body><html:p>The prime '
         "minister fled to Jordan on Monday, officials said.</html:p></html:body></html:html>", "html"),
        ("note.txt", "<svg is a file format. The prime minister fled to Jordan on Monday, officials said.", "text"),
    ],
)
def test_prefixed_xml_roots_and_text_that_only_looks_like_markup_are_still_read(tmp_path, name, content, kind):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert detect_format(content, name) == kind
    docs, problems = load_documents([path])
    assert [p for p in problems if p.fatal] == []
    assert any("fled to Jordan on Monday" in d.text for d in docs)
