"""Which sentences may enter a summary at all, and filling a budget greedily."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from newsdigest.model import Budget, Sentence
from newsdigest.nlp.quotes import CLOSING_CHARACTERS, OPENING_CHARACTERS, quotes_balanced
from newsdigest.nlp.text import count_words
from newsdigest.settings import MIN_SENTENCE_WORDS
_QUESTION_RE = re.compile(r"\?\W*$")
# A line that ends in a colon introduces something (a list, an embed) and one
# that ends in an ellipsis was cut off (a wire teaser: "... (Associated Press)").
_UNFINISHED_RE = re.compile(rf"""(?::|\.\s?\.\s?\.|…)[{CLOSING_CHARACTERS}]?\s*(?:\([^()]*\))?\s*$""")
# A sentence that opens with a coordinating conjunction continues the one
# before it ("And with the heat on the regime rising, ..."); alone it reads as
# a fragment. The optional quote mark covers a quotation's second sentence.
_CONJUNCTION_RE = re.compile(rf"""^(?P<quote>[{OPENING_CHARACTERS}]+\s*)?(?:and|but|or|so|yet|nor)\b""", re.IGNORECASE)


# Page furniture that survived cleaning, recognised by its shape rather than its
# exact words (issue 14). Two kinds: a page addressing its reader as a user
# interface does, and a picture's caption or credit. A sentence that only
# mentions tweets, photos or clicks ("Trump tweeted on Sunday that...", "the
# photo was taken in 1998") is news and matches none of these.
# An imperative at the start: a control's verb, or a verb with the objects a page's links take
# ("Share this", "Watch the video", "Read our coverage"); "Add to that ..." and "Like many ..." are prose.
_UI_IMPERATIVE_RE = re.compile(
    r"(?:please\s+)?(?:(?:click|tap|press|swipe|scroll|sign up|sign in|log in|subscribe|like us)\b"
    r"|(?:copy|paste|share|follow|download|register|join|enter|add|check out|watch|read|listen|see|view|learn|get"
    r"|send|tell|email|contact|visit|shop|browse)\s+(?:here|below|above|now|this|these|the|our|us|it|them|your|all)\b)",
    re.IGNORECASE,
)
# Controls, keys and the reader's own machine named anywhere in the sentence.
_UI_CONTROLS_RE = re.compile(
    r"\b(?:click|tap)(?:/(?:click|tap))?\s+(?:here|below|above|elsewhere)\b|\b(?:ctrl|cmd)\b|\bpress\s+(?:enter|return|esc|escape)\b"
    r"|\b(?:copy|copying|paste)\b[^.]{0,30}\b(?:code|link|url)\b|\bembed(?:ded)?\s+(?:code|this)\b"
    r"|\bby\s+(?:clicking|tapping|subscribing|signing up|continuing to use)\b|\bin the comments?\b|\bfollow us\b"
    r"|\b(?:sign(?:ing)? up|subscrib(?:e|ing))\s+(?:for|to)\b[^.]{0,40}\b(?:newsletters?|e-?mails?|alerts|updates)\b"
    r"|\byour\s+(?:browser|device|screen|inbox|tweets?|location history|website|feed|cookies|subscription)\b",
    re.IGNORECASE,
)
# Words one of _UI_CONTROLS_RE's branches needs (lower case): a cheap test before the regex.
_UI_CONTROL_WORDS = (
    "click", "tap", "ctrl", "cmd", "press", "copy", "paste", "embed", "subscrib", "sign", "comment", "follow us", "your",
)
_CAPTION_RE = re.compile(
    # AP and Reuters caption openings: "FILE - In this Oct. 27, 2012 file photo, ...", "... in this handout photo".
    r"^FILE\s*[-–—]|\b(?:in|from)\s+this\s+(?:(?-i:[A-Z][a-z]+)\.?,?\s+|\d{1,2},?\s+|(?:19|20)\d\d,?\s+|undated\s+|file\s+"
    r"|handout\s+|recent\s+|aerial\s+)*(?:photos?|images?|pictures?|photograph|frame grab|screen ?grab|screenshot|video still"
    r"|handout)\b|\b(?:handout|file)\s+(?:photo|picture|image)\b"
    r"|\b(?:photo|picture|image|photograph)\s+(?:provided|released|made available|obtained)\s+by\b"
    # Credits: "Image copyright", "Photo: X", "(Photo ...", "X/Getty Images", "via AFP", "AP Photo", "| AP", "(left)".
    r"|\b(?:image|photo|picture|media)\s+(?:copyright|caption|credit)\b|\bphoto(?:graph)?s?:\s|\((?:photo|image|picture)s?\b"
    r"|(?:/|\bvia\s+)(?:Getty Images|AFP|AP|Reuters|EPA)\b|\b(?:AP|AFP|Reuters|EPA)\s+Photo\b|\|\s|\((?:Associated Press)\)\s*$"
    r"|\((?:left|right|center|centre|top|bottom|pictured|above|below|inset)\)",
    re.IGNORECASE,
)
_CAPTION_WORDS = (
    "file", "photo", "image", "picture", "frame grab", "screen", "video still", "handout", "caption", "/", "via ", "|",
    "(left)", "(right)", "(center)", "(centre)", "(top)", "(bottom)", "(pictured)", "(above)", "(below)", "(inset)",
    "(associated press)",
)
# A caption's template: someone in the present tense, then a full date ("speaks ... on June 17, 2016 in Vienna").
_MONTH_DATE_RE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d\d\b")
_CAPTION_VERB_RE = re.compile(
    r"\b(?:speaks|poses|attends?|looks on|gestures|is seen|are seen|listens|reacts|celebrates|smiles"
    r"|shakes hands|greets|pauses|is pictured|are pictured|prays|embraces|shares? a laugh|mourns)\b"
)


def is_page_furniture(text: str) -> bool:
    """True when ``text`` addresses the reader as a user interface does (click, tap, copy the code,
    sign up, subscribe, share) or is mostly a picture's caption or credit."""
    if _UI_IMPERATIVE_RE.match(text):
        return True
    low = text.lower()
    if any(word in low for word in _UI_CONTROL_WORDS) and _UI_CONTROLS_RE.search(text):
        return True
    if any(word in low for word in _CAPTION_WORDS) and _CAPTION_RE.search(text):
        return True
    date = _MONTH_DATE_RE.search(text)
    return date is not None and _CAPTION_VERB_RE.search(text, 0, date.start()) is not None


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and quotes_balanced(text)


def is_candidate(sentence: Sentence, *, min_words: int = MIN_SENTENCE_WORDS) -> bool:
    """Whole, self-standing sentences only: long enough, no question, nothing cut off
    or left hanging on a colon, balanced quotes, no page furniture."""
    text = sentence.text
    if count_words(text) < min_words or is_page_furniture(text):
        return False
    if _QUESTION_RE.search(text) or _UNFINISHED_RE.search(text):
        return False
    return _balanced(text)


def candidate_positions(sentences: Sequence[Sentence], *, min_words: int = MIN_SENTENCE_WORDS) -> list[int]:
    """Positions of usable sentences; all of them when none passes the filter."""
    kept = [i for i, s in enumerate(sentences) if is_candidate(s, min_words=min_words)]
    return kept or list(range(len(sentences)))


def opens_with_conjunction(text: str, *, quoted_only: bool = False) -> bool:
    """True when ``text`` opens with And/But/Or/So/Yet/Nor (``quoted_only``: right after a quote mark)."""
    match = _CONJUNCTION_RE.match(text)
    return bool(match) and (not quoted_only or bool(match.group("quote")))


def distinct_documents(sentences: Sequence[Sentence]) -> list[str]:
    """Document ids in order of appearance, minus exact copies of an earlier document.

    Two documents are copies when they have the same sentences in the same
    order (the same wire story filed twice, or the same page boilerplate).
    """
    return [d for d, first in document_copies(sentences).items() if first == d]


def document_copies(sentences: Sequence[Sentence]) -> dict[str, str]:
    """Each document id, in order of appearance -> the id of the first document it is a copy of (itself if none)."""
    texts: dict[str, list[str]] = {}
    for s in sentences:
        texts.setdefault(s.doc_id, []).append(s.text)
    first: dict[tuple[str, ...], str] = {}
    return {d: first.setdefault(tuple(t), d) for d, t in texts.items()}


def fill_budget(
    ranked: Iterable[int],
    sentences: Sequence[Sentence],
    budget: Budget,
    *,
    accept: Callable[[int, list[int]], bool] | None = None,
) -> list[int]:
    """Walk ``ranked`` and keep each sentence that still fits and ``accept`` allows.

    Sentences that do not fit are skipped, not cut, so the budget is never exceeded.
    """
    chosen: list[int] = []
    used = 0
    for i in ranked:
        length = sentences[i].words
        if not budget.admits(used + length, len(chosen) + 1):
            if budget.sentences is not None and len(chosen) >= budget.sentences:
                break
            continue
        if accept is not None and not accept(i, chosen):
            continue
        chosen.append(i)
        used += length
    return chosen
