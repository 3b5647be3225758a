"""Quotation marks: the one definition every module reads.

News text marks a quotation with curly “…”, straight "…" or, in TREC/DUC
wire files, ``…'' (two backticks, two apostrophes); ‘…’ and '…' mark a quote
inside a quote or a headline's quote. Sentence splitting, candidate filters,
the quote extractor and the cleaning rules all take their marks from here.
"""

from __future__ import annotations

import re

# Each opening double mark and the mark that closes it.
OPENERS = {"“": "”", "``": "''", '"': '"'}
OPENING_ONLY = ("“", "``")  # marks that can only open a quotation
CLOSING_ONLY = ("”", "''")  # marks that can only close one
STRAIGHT = '"'  # opens and closes
# Marks that may close a quotation that ends with a sentence ("... done." or ... done.”):
# characters for a regular expression character class.
CLOSING_CHARACTERS = "\"'”’"
# Marks that may open a quotation ("“And then ...", DUC's ``And ..."), as characters.
OPENING_CHARACTERS = "\"“‘'`"
# Every single-character quote mark, double and single, curly and straight.
QUOTE_CHARACTERS = "'\"“”‘’"

# Any double quotation mark; the two-character DUC marks are tried first.
QUOTE_MARK_RE = re.compile(r"``|''|[“”\"]")


def unclosed_quotes(text: str) -> int:
    """How many quotations ``text`` opens and does not close (<= 0: none left open).

    Curly and DUC marks are counted as openers minus closers; straight quotes
    cannot tell opening from closing, so an odd number counts as one open.
    """
    opened = sum(text.count(q) for q in OPENING_ONLY)
    closed = sum(text.count(q) for q in CLOSING_ONLY)
    return (opened - closed) + (text.count(STRAIGHT) % 2)


def quotes_balanced(text: str) -> bool:
    """Every curly and DUC quotation closed by its own kind, and an even number of straight quotes."""
    return (
        all(text.count(opener) == text.count(closer) for opener, closer in zip(OPENING_ONLY, CLOSING_ONLY))
        and text.count(STRAIGHT) % 2 == 0
    )


def has_opening_quote(text: str) -> bool:
    """True when ``text`` holds a mark that opens a quotation (“, `` or ")."""
    return any(mark in text for mark in OPENERS)
