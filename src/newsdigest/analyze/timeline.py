"""Dated events in order.

spaCy finds the DATE expressions; durations ("30 years", "every day") are
dropped. Absolute dates ("6 July", "in mid-June", "March 2011") and relative
ones ("Monday", "last week") are resolved with dateparser against the
article's publication date when it is known (``RELATIVE_BASE``). An article
without a date is read against the story's date (the median publication date
of the sources that have one) and its events say so (``anchor``). When no
source has a date, relative dates stay relative and are marked so; a day and
month without a year keep an unknown year (ISO "--07-06").

One row per (article, relative day): the sentences of one article that all
say "Monday" make one event with several sources, since without a date they
cannot be told apart or ordered.

Order: dates with a year first, then dates whose year the text does not give
(most likely the publication year, so after the dated past), then the
unresolved relative ones by source and position (renderers put these under
one heading below the dated ones).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsdigest.analyze.parsing import ParsedDocument
from newsdigest.analyze.entities import EntityIndex
from newsdigest.nlp.dates import resolve_in_context

MONTHS = {
    m: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")],
        1,
    )
    for m in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_RE = re.compile(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?", re.I)
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DAY_RE = re.compile(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b")
_UNIT_RE = re.compile(r"\b(days?|weeks?|months?|years?|decades?|hours?|weekend|century)\b", re.I)
_ANCHORED_RE = re.compile(r"\b(ago|last|this|next|earlier|later|previous)\b", re.I)
_NARRATIVE_RE = re.compile(r"\b(later|earlier|before|after)\b", re.I)
_ANCHORED_TO_NOW_RE = re.compile(r"\b(ago|this|last|next|yesterday|today|tomorrow)\b", re.I)
# Where in a month "mid-June" or "the end of last year" falls.
_PART_OF = [(re.compile(r"\bmid-?|\bmiddle of\b", re.I), 15), (re.compile(r"\bearly\b|\bbeginning of\b|\bstart of\b", re.I), 1),
            (re.compile(r"\blate\b|\bend of\b", re.I), 28)]


@dataclass(frozen=True)
class EventSource:
    doc_id: str
    sentence_index: int
    date_text: str  # as written in that document


@dataclass(frozen=True)
class TimelineEvent:
    id: str
    date_text: str  # as written ("6 July", "Monday")
    date: str | None  # ISO: "2012-07-06", "2011-03", "--07-06" (year not given); None when unresolved
    precision: str  # "day" | "week" | "month" | "year" | "relative"
    relative: bool  # written relative to the article's date ("Monday", "last week")
    resolved: bool  # the date is known (absolute, or relative with a publication date)
    text: str  # the sentence that dates the event
    entities: tuple[str, ...]  # Entity ids of the people and organisations in it
    sources: tuple[EventSource, ...]
    anchor: str | None = None  # the story's date (ISO) the date was read against, when its article has none


def classify(text: str) -> str | None:
    """ "absolute", "relative", or None for durations and vague spans ("30 years", "daily")."""
    lower = text.lower()
    has_month = bool(_MONTH_RE.search(lower)) and not re.fullmatch(r"\s*may\s*", lower)
    if has_month or _YEAR_RE.search(lower):
        return "absolute"
    if any(d in lower for d in WEEKDAYS) or re.search(r"\b(yesterday|today|tonight|tomorrow)\b", lower):
        return "relative"
    if _UNIT_RE.search(lower) and _ANCHORED_RE.search(lower):
        return "relative"  # "last week", "two days ago", "earlier this week"
    return None


def _clean(text: str) -> str:
    text = re.sub(r"^(?:on|in|at|by|since|from|until|the)\s+", "", text.strip(), flags=re.I)
    for pattern, _day in _PART_OF:
        text = pattern.sub(" ", text)
    text = re.sub(r"^\s*(?:the|of)\s+", "", text.strip(), flags=re.I)
    text = re.sub(r"\b(?:earlier|later)\b", " ", text, flags=re.I)
    return " ".join(text.split())


def _bare_weekday(cleaned: str) -> int | None:
    """0-6 when ``cleaned`` is just a day name ("Friday", "Friday's", "Friday morning")."""
    words = re.sub(r"['’]s\b", "", cleaned.lower()).split()
    words = [w for w in words if w not in {"morning", "afternoon", "evening", "night"}]
    return WEEKDAYS.index(words[0]) if len(words) == 1 and words[0] in WEEKDAYS else None


def resolve(text: str, published: _dt.date | None, future: bool = False) -> tuple[str | None, str]:
    """ISO date (possibly partial) and precision of a date expression.

    ``future``: the sentence looks ahead ("will meet in mid-December"), so a month or day
    without a year is the next one rather than the last one. A bare day name is the
    publication day itself or one of the six days before it ("Friday" in Friday's paper).
    """
    kind = classify(text)
    if kind is None:
        return None, "relative"
    cleaned = _clean(text)
    part_day = next((day for pattern, day in _PART_OF if pattern.search(text)), None)
    month_match = _MONTH_RE.search(cleaned)
    year_match = _YEAR_RE.search(cleaned)
    if kind == "absolute" and published is None:
        month = MONTHS[month_match.group(1).lower()] if month_match else None
        year = int(year_match.group(1)) if year_match else None
        rest = _MONTH_RE.sub(" ", _YEAR_RE.sub(" ", cleaned))
        day_match = _DAY_RE.search(rest)
        day = int(day_match.group(1)) if day_match and 1 <= int(day_match.group(1)) <= 31 else None
        if month and day:
            return (f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"), "day"
        if month:
            return (f"{year:04d}-{month:02d}" if year else f"--{month:02d}"), "month"
        if year:
            return f"{year:04d}", "year"
        return None, "relative"
    if published is None or (_NARRATIVE_RE.search(text) and not _ANCHORED_TO_NOW_RE.search(text)):
        return None, "relative"  # "one day later", "a few weeks earlier": after or before some other event
    weekday = _bare_weekday(cleaned)
    if weekday is not None and not future:
        return (published - _dt.timedelta(days=(published.weekday() - weekday) % 7)).isoformat(), "day"
    parsed = resolve_in_context(cleaned, published, prefer_future=future)
    if parsed is None:
        return None, "relative"
    has_day = bool(_DAY_RE.search(_MONTH_RE.sub(" ", _YEAR_RE.sub(" ", cleaned)))) or kind == "relative"
    unit = re.search(r"\b(week|month|year)s?\b", cleaned, re.I)
    if unit and not any(d in cleaned.lower() for d in WEEKDAYS) and not month_match:
        if unit.group(1).lower() == "week":
            return parsed.date().isoformat(), "week"
        if unit.group(1).lower() == "month":
            return parsed.strftime("%Y-%m"), "month"
        return parsed.strftime("%Y"), "year"
    if month_match or has_day:
        if has_day and not part_day:
            return parsed.date().isoformat(), "day"
        if part_day:
            return parsed.replace(day=part_day).date().isoformat(), "day"
        return parsed.strftime("%Y-%m"), "month"
    return parsed.strftime("%Y"), "year"


def _sort_key(event: TimelineEvent, doc_order: dict[str, int]) -> tuple:
    first = event.sources[0]
    position = (doc_order.get(first.doc_id, 0), first.sentence_index)
    if event.date is None:
        return (2, "", position)
    if event.date.startswith("--"):
        return (1, event.date, position)
    return (0, event.date, position)


def story_date(parsed: Sequence[ParsedDocument]) -> _dt.date | None:
    """The median publication date of the sources that have one (the earlier of the two middle ones)."""
    dates = sorted(pd.document.date for pd in parsed if pd.document.date is not None)
    return dates[(len(dates) - 1) // 2] if dates else None


def relative_day(text: str) -> str:
    """A relative date as a key: "on Monday", "Monday's" -> "monday"; "last week" -> "last week"."""
    text = re.sub(r"['’]s\b", "", text.lower())
    return " ".join(re.sub(r"^(?:on|in|at|by|since|from|until|the)\s+", "", text.strip()).split())


def extract_timeline(parsed: Sequence[ParsedDocument], entities: EntityIndex) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    story = story_date(parsed)
    for pd in parsed:
        published = pd.document.date or story
        anchor = story.isoformat() if pd.document.date is None and story is not None else None
        seen_sentences: set[tuple[int, str]] = set()
        for ent in pd.doc.ents:
            if ent.label_ != "DATE":
                continue
            text = " ".join(ent.text.split())
            kind = classify(text)
            if kind is None:
                continue
            sentence = pd.sentence_at(ent.start_char)
            if sentence is None or not (sentence.start <= ent.start_char < sentence.end):
                continue
            date, precision = resolve(text, published, future=_looks_ahead(ent))
            key = (sentence.index, date or text.lower())
            if key in seen_sentences:
                continue
            seen_sentences.add(key)
            clause = _clause(ent, sentence)
            people = tuple(
                e.id for e in entities.in_range(pd.id, sentence.start, sentence.end) if e.kind in {"person", "organisation"}
            )
            events.append(
                TimelineEvent(
                    id="", date_text=text, date=date, precision=precision if date else "relative",
                    relative=kind == "relative", resolved=date is not None, text=clause,
                    entities=people, sources=(EventSource(pd.id, sentence.index, text),),
                    anchor=anchor if date is not None else None,
                )
            )
    events = _one_row_per_relative_day(events)
    many = max(2, (len(parsed) * 4 + 4) // 5)  # named by nearly every source: the story's constant cast
    common = {e.id for e in entities.entities if len(e.documents) >= many} if len(parsed) >= 3 else set()
    merged = _merge_same_events(events, common)
    doc_order = {pd.id: i for i, pd in enumerate(parsed)}
    merged.sort(key=lambda e: _sort_key(e, doc_order))
    return [
        TimelineEvent(
            f"t{n}", e.date_text, e.date, e.precision, e.relative, e.resolved, e.text, e.entities, e.sources, e.anchor
        )
        for n, e in enumerate(merged, 1)
    ]


def _one_row_per_relative_day(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """The events of one article on one relative day ("Monday") become one, its first sentence shown."""
    rows: dict[tuple, int] = {}
    result: list[TimelineEvent] = []
    for event in events:
        if not event.relative:
            result.append(event)
            continue
        key = (event.sources[0].doc_id, event.date or relative_day(event.date_text))
        if key not in rows:
            rows[key] = len(result)
            result.append(event)
            continue
        first = result[rows[key]]
        result[rows[key]] = dataclasses.replace(
            first, entities=tuple(dict.fromkeys(first.entities + event.entities)), sources=first.sources + event.sources
        )
    return result


def _looks_ahead(ent) -> bool:
    """The date's verb is in the future ("will meet", "is to withdraw") or the date is a deadline ("by the end of January")."""
    deadline = _MONTH_RE.search(ent.text) or "end of" in ent.text.lower()  # not "by Friday evening"
    if deadline and ent.start > 0 and ent.doc[ent.start - 1].lower_ in {"by", "until"} and ent.root.dep_ != "poss":
        return True
    tok = ent.root
    for _ in range(4):
        if tok.pos_ in {"VERB", "AUX"}:
            break
        if tok.head is tok:
            return False
        tok = tok.head
    aux = {c.lower_ for c in tok.children if c.dep_ in {"aux", "auxpass"}}
    return bool(aux & {"will", "shall", "'ll"}) or ("to" in aux and tok.head.lemma_ == "be")


def _clause(ent, sentence) -> str:
    """The clause the date belongs to, when the sentence is long; else the sentence."""
    if len(sentence.text.split()) <= 40:
        return sentence.text
    tok = ent.root
    for _ in range(6):
        if tok.pos_ in {"VERB", "AUX"} or tok.head is tok:
            break
        tok = tok.head
    span = ent.doc[tok.left_edge.i : tok.right_edge.i + 1]
    text = " ".join(span.text.split())
    if 5 <= len(text.split()) < len(sentence.text.split()) and sentence.start <= span.start_char:
        return text
    return sentence.text


def _content_words(text: str) -> set[str]:
    from newsdigest.nlp.text import stop_words, words

    stop = stop_words()
    return {w for w in words(text) if w not in stop and not w.isdigit()}


def _date_key(event: TimelineEvent) -> str:
    return event.date or relative_day(event.date_text)


def _merge_same_events(events: list[TimelineEvent], common: set[str]) -> list[TimelineEvent]:
    """The same date and a shared person in two documents: one event, several sources."""
    merged: list[TimelineEvent] = []
    for event in events:
        for i, other in enumerate(merged):
            same_doc = {s.doc_id for s in other.sources} & {s.doc_id for s in event.sources}
            people = (set(other.entities) & set(event.entities)) - common
            a, b = _content_words(other.text), _content_words(event.text)
            overlap = len(a & b) / max(1, len(a | b))
            if not same_doc and _date_key(other) == _date_key(event) and (people or overlap >= 0.25):
                merged[i] = dataclasses.replace(
                    other, entities=tuple(dict.fromkeys(other.entities + event.entities)), sources=other.sources + event.sources,
                    anchor=other.anchor or event.anchor,
                )
                break
        else:
            merged.append(event)
    return merged
