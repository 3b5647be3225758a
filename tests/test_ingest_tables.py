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
