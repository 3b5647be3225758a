"""The shared definitions in newsdigest.nlp: quotation marks and dates."""

import datetime as dt

from newsdigest.nlp.dates import date_in_docno, parse_date, resolve_in_context
from newsdigest.nlp.quotes import has_opening_quote, quotes_balanced, unclosed_quotes


def test_quote_balance_counts_curly_duc_and_straight_marks():
    assert unclosed_quotes("“We will leave,” he said.") == 0
    assert unclosed_quotes("``We will leave.") == 1
    assert unclosed_quotes('He said "we will') == 1
    assert quotes_balanced("``Yes,'' he said, “no.”")
    assert not quotes_balanced("“Yes,'' he said.")  # a curly quote closed by a DUC mark is not its pair
    assert not quotes_balanced('"Yes, he said.')


def test_opening_quote_marks():
    assert has_opening_quote("“Yes”") and has_opening_quote("``Yes''") and has_opening_quote('"Yes"')
    assert not has_opening_quote("Yes,'' he said")  # a closing mark alone opens nothing


def test_publication_dates_in_every_form_readers_meet():
    assert parse_date("2012-08-06T10:15:00Z") == dt.date(2012, 8, 6)
    assert parse_date("10/17/1998 05:50:00") == dt.date(1998, 10, 17)  # DUC <DATE_TIME>
    assert parse_date("19981017") == dt.date(1998, 10, 17)
    assert parse_date(0) == dt.date(1970, 1, 1)
    assert parse_date("Aug 6, 2012") == dt.date(2012, 8, 6)
    assert parse_date("Aug 6, 2012", free_text=False) is None  # wire headers: numeric forms only
    assert parse_date(True) is None and parse_date("") is None and parse_date("not a date at all") is None
    assert parse_date("13/45/1998", free_text=False) is None


def test_docno_dates():
    assert date_in_docno("APW19981017.0477") == dt.date(1998, 10, 17)
    assert date_in_docno("XIE_ENG_19981017.0123") == dt.date(1998, 10, 17)
    assert date_in_docno("FT911-3") is None


def test_date_phrases_resolve_against_the_publication_day():
    monday = resolve_in_context("Monday", dt.date(2012, 8, 8))  # a Wednesday
    assert monday is not None and monday.date() == dt.date(2012, 8, 6)
    assert resolve_in_context("qwxz", dt.date(2012, 8, 8)) is None
