"""Dates: the one parser for the dates articles carry, and for dates in their text.

:func:`parse_date` reads a publication date wherever one comes from (a JSON
lines field, ``metadata.json``, an HTML page's metadata, a TREC/DUC header);
:func:`date_in_docno` reads the date TREC/DUC document numbers hold;
:func:`resolve_in_context` resolves a date phrase of the article text
("Monday", "last week", "6 July") against the article's publication date.
dateparser does the free-text work; it is imported on first use (slow to
import, and most inputs are ISO dates).
"""

from __future__ import annotations

import datetime as dt
import re

# Numeric wire forms (TREC/DUC ``<DATE_TIME>``/``<DATE>``): "10/17/1998 05:50:00",
# "1998-10-21 11:23", "19981017". Month first: these are American wires.
_WIRE_FORMS = (
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), ("m", "d", "y")),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})"), ("y", "m", "d")),
)
# APW19981017.0477, NYT19981017.0080, XIE_ENG_19981017.0123
_DOCNO_DATE = re.compile(r"^([A-Z]+)_?(?:ENG_)?(\d{8})[.\-_]")


def _wire_form(value: str) -> dt.date | None:
    for pattern, order in _WIRE_FORMS:
        match = pattern.search(value)
        if match:
            parts = dict(zip(order, map(int, match.groups())))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                pass
    return None


# Publication dates outside these are mistakes ("0001-01-01" as "no date", "9999-12-31" as "never"),
# and the days around them are outside what a date can hold: grouping and timelines count days either side.
EARLIEST = dt.date(1000, 1, 1)
LATEST = dt.date(8999, 12, 31)


def in_range(date: dt.date | None) -> dt.date | None:
    """``date`` when it lies between :data:`EARLIEST` and :data:`LATEST`, else None."""
    return date if date is not None and EARLIEST <= date <= LATEST else None


def parse_date(value: object, *, free_text: bool = True) -> dt.date | None:
    """The date ``value`` gives, or None (also for a date before year 1000 or after 8999).

    In order: a Unix timestamp (a number), ISO 8601 ("2012-08-06",
    "2012-08-06T10:00:00Z"), a numeric wire form ("10/17/1998 05:50:00",
    "19981017"), and, with ``free_text``, anything dateparser reads
    ("Aug 6, 2012", "6 August 2012").
    """
    return in_range(_parse_date(value, free_text=free_text))


def _parse_date(value: object, *, free_text: bool) -> dt.date | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, tz=dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    found = _wire_form(value)
    if found is not None or not free_text:
        return found
    import dateparser  # slow to import; most inputs never need it

    parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date() if parsed else None


def date_in_docno(docno: str) -> dt.date | None:
    """The date in a TREC/DUC document number ("APW19981017.0477" -> 1998-10-17)."""
    match = _DOCNO_DATE.match(docno)
    if not match:
        return None
    digits = match.group(2)
    try:
        return in_range(dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])))
    except ValueError:
        return None


def resolve_in_context(phrase: str, published: dt.date, *, prefer_future: bool = False) -> dt.datetime | None:
    """What a date phrase of an article means, read on the day it was published.

    "Monday" is the last Monday before ``published``, "last week" the week
    before it (the next ones with ``prefer_future``, for a sentence that
    looks ahead); a month without a day is its first day. None when
    dateparser cannot read ``phrase``.
    """
    import dateparser  # slow to import; only the analysis needs it

    base = dt.datetime(published.year, published.month, published.day)
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "future" if prefer_future else "past",
        "PREFER_DAY_OF_MONTH": "first",
    }
    return dateparser.parse(phrase, languages=["en"], settings=settings)
