"""Direct quotations, who said them, and every source that carries them.

Quotation marks: curly “…”, straight "…", DUC's ``…'' and mixtures of them
(an opening curly quote closed by a straight one), paired within a paragraph;
a quote still open at the end of its paragraph runs to that end.

The speaker comes from the dependency parse: the speech verb ("say", "tell",
"add", "quote", …) outside the quotation marks that is nearest to the quote,
then its subject ("Carney said", "said a U.S. official", "X was quoted as
having told"). A pronoun subject ("he added") resolves to the previous named
speaker of the same document; a quote with no speech verb in its sentence
continues the quote just before it (same or previous paragraph). A subject
that is not a known name is a description; "the official" or "the source" is
resolved to the fullest description the article gives (:mod:`.speakers`).
What cannot be resolved is kept as written with ``speaker_resolved`` false.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsdigest.analyze.attribution import SPEECH_VERBS, noun_phrase, speech_subject
from newsdigest.analyze.parsing import ParsedDocument
from newsdigest.analyze.entities import EntityIndex
from newsdigest.nlp.quotes import CLOSING_ONLY, OPENERS, QUOTE_MARK_RE, STRAIGHT
from newsdigest.analyze.speakers import SpeakerResolver, description_key

_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
_MIN_WORDS = 3


@dataclass(frozen=True)
class QuoteSource:
    """Where a quote appears: a document, its sentence, and how that document attributes it."""

    doc_id: str
    sentence_index: int
    attribution: str  # the words naming the speaker there ("he added", "the official said"), or ""


@dataclass(frozen=True)
class Quote:
    id: str
    text: str
    speaker: str | None  # a name ("Jay Carney") or a description ("a U.S. official"); None if not found
    speaker_entity: str | None  # Entity.id when the speaker is a known person or organisation
    speaker_kind: str  # "person" | "organisation" | "place" | "description" | "unknown"
    sources: tuple[QuoteSource, ...]
    speaker_resolved: bool = False  # a name or the article's fullest description; False when kept as written ("he")

    @property
    def documents(self) -> list[str]:
        return list(dict.fromkeys(s.doc_id for s in self.sources))


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the quoted words (marks excluded), paired within each line."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        closer, inner_start = None, 0
        for mark in QUOTE_MARK_RE.finditer(line.group()):
            m, pos = mark.group(), line.start() + mark.start()
            if closer is None:
                if m in OPENERS:
                    closer, inner_start = OPENERS[m], pos + len(m)
            elif m == closer or (m in (*CLOSING_ONLY, STRAIGHT) and closer != OPENERS["``"]):
                # mixtures: any closing mark ends a curly or straight quotation
                spans.append((inner_start, pos))
                closer = None
        if closer is not None:
            spans.append((inner_start, line.end()))
    return [(a, b) for a, b in spans if len(text[a:b].split()) >= _MIN_WORDS]


def _clean_quote(text: str) -> str:
    return " ".join(text.split()).strip(" ,")


def _norm_words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")))


@dataclass
class _Occurrence:
    doc_index: int
    doc_id: str
    start: int
    end: int
    paragraph: int
    sentence_index: int
    text: str
    speaker: str | None = None
    entity: str | None = None
    kind: str = "unknown"
    attribution: str = ""
    resolved: bool = False


def _attribute(occ: _Occurrence, pd: ParsedDocument, spans, resolver: SpeakerResolver) -> bool:
    """Fill the speaker of ``occ`` from its sentence; False when no speech verb is there."""
    sentence = pd.sentences and pd.sentence_at(occ.start)
    tokens = pd.sentence_span(sentence) if sentence else None
    if tokens is None:
        return False
    inside = lambda t: any(a - 1 <= t.idx < b + 1 for a, b in spans)  # noqa: E731
    verbs = [t for t in tokens if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in {"VERB", "AUX"} and not inside(t)]
    according = [t for t in tokens if t.lower_ == "according" and not inside(t)]
    if not verbs and not according:
        return False

    def distance(t):
        return occ.start - t.idx if t.idx < occ.start else t.idx - occ.end

    subject = None
    if verbs:
        verb = min(verbs, key=distance)
        subject = speech_subject(verb)
        occ.attribution = ""
        if subject is not None:
            lo, hi = min(subject.i, verb.i), max(subject.i, verb.i)
            lo = min([lo] + [t.i for t in subject.subtree if t.i <= subject.i])
            if hi - lo <= 12:
                occ.attribution = " ".join(pd.doc[lo : hi + 1].text.split())
    if subject is None and according:
        for tok in according[0].subtree:
            if tok.dep_ == "pobj":
                subject = tok
                occ.attribution = "according to " + noun_phrase(tok)
                break
    if subject is None or inside(subject):
        return True  # no subject, or a word of the quotation itself ("It's important ...")
    if subject.lower_ in _PRONOUNS:
        occ.speaker, occ.kind = subject.text, "pronoun"  # resolved by the caller
        return True
    speaker = resolver.describe(subject, noun_phrase(subject))
    occ.speaker, occ.entity, occ.kind, occ.resolved = speaker.text, speaker.entity, speaker.kind, speaker.resolved
    return True


def extract_quotes(parsed: Sequence[ParsedDocument], entities: EntityIndex) -> list[Quote]:
    """Every direct quotation, one entry per distinct quote, with all the sources carrying it."""
    occurrences: list[_Occurrence] = []
    for di, pd in enumerate(parsed):
        text = pd.doc.text
        spans = quote_spans(text)
        previous: _Occurrence | None = None
        named_speakers = _named_speakers(pd, spans, entities)
        resolver = SpeakerResolver(pd, entities)
        for a, b in spans:
            sentence = pd.sentence_at(a)
            if sentence is None:
                continue
            occ = _Occurrence(di, pd.id, a, b, text.count("\n", 0, a), sentence.index, _clean_quote(text[a:b]))
            found = _attribute(occ, pd, spans, resolver)
            if not found and previous is not None and occ.paragraph - previous.paragraph <= 1 and previous.speaker:
                # A quote-only sentence goes on with the quote before it.
                occ.speaker, occ.entity, occ.kind = previous.speaker, previous.entity, previous.kind
                occ.attribution, occ.resolved = previous.attribution, previous.resolved
            if occ.kind == "pronoun":
                # the last person named outside quotation marks in this or the previous paragraph,
                # else the last named speaker before the quote
                line_start = text.rfind("\n", 0, text.rfind("\n", 0, a)) + 1
                named = [
                    e for start, e in _people_before(pd, entities, line_start, a)
                    if not any(x <= start < y for x, y in spans)
                ]
                before = named or [e for pos, e in named_speakers if pos < a]
                if before and occ.speaker.lower() in {"he", "she"}:
                    occ.speaker, occ.entity, occ.kind, occ.resolved = before[-1].name, before[-1].id, "person", True
                else:
                    occ.kind = "description"  # kept as written, unresolved
            if occ.speaker is None and _looks_like_a_name(occ.text):
                continue  # "British Daily Telegraph" in quotes is a title, not a quotation
            occurrences.append(occ)
            previous = occ

    # One quote, several outlets: merge occurrences whose words match (containment or near-equality).
    groups: list[list[_Occurrence]] = []
    keys: list[tuple[str, ...]] = []
    for occ in occurrences:
        words = _norm_words(occ.text)
        joined = " ".join(words)
        for group, key in zip(groups, keys):
            other = " ".join(key)
            if min(len(words), len(key)) >= 5 and (joined in other or other in joined or _jaccard(words, key) >= 0.8):
                group.append(occ)
                break
        else:
            groups.append([occ])
            keys.append(words)

    # Speakers that differ only in case or article are one: one spelling per document.
    spelling: dict[tuple[str, tuple[str, ...]], str] = {}
    for occ in occurrences:
        if occ.kind == "description" and occ.speaker:
            occ.speaker = spelling.setdefault((occ.doc_id, description_key(occ.speaker)), occ.speaker)

    quotes = []
    for group in groups:
        rank = {"person": 0, "organisation": 1, "description": 2}
        best = min(group, key=lambda o: (not o.resolved, rank.get(o.kind, 3), -len(o.text)))
        seen = set()
        sources = []
        for o in group:
            if (o.doc_id, o.sentence_index) not in seen:
                seen.add((o.doc_id, o.sentence_index))
                sources.append(QuoteSource(o.doc_id, o.sentence_index, o.attribution))
        quotes.append(
            Quote(
                id="",
                text=max((o.text for o in group), key=len),
                speaker=best.speaker,
                speaker_entity=best.entity,
                speaker_kind=best.kind if best.speaker else "unknown",
                sources=tuple(sources),
                speaker_resolved=bool(best.speaker) and best.resolved,
            )
        )
    order = sorted(range(len(quotes)), key=lambda i: (-len(quotes[i].documents), i))
    return [
        Quote(f"q{n}", q.text, q.speaker, q.speaker_entity, q.speaker_kind, q.sources, q.speaker_resolved)
        for n, q in enumerate((quotes[i] for i in order), 1)
    ]


def _named_speakers(pd: ParsedDocument, spans, entities: EntityIndex):
    """(offset, person) for every speech verb of the document whose subject is a known person."""
    found = []
    for tok in pd.doc:
        if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ in {"VERB", "AUX"}:
            if any(a <= tok.idx < b for a, b in spans):
                continue
            subject = speech_subject(tok)
            if subject is None or subject.lower_ in _PRONOUNS:
                continue
            entity = entities.at(pd.id, subject.idx, subject.idx + len(subject), kind="person")
            if entity is not None:
                found.append((min(tok.idx, subject.idx), entity))
    return found


def _people_before(pd: ParsedDocument, entities: EntityIndex, start: int, end: int):
    """(offset, person) for the mentions of people in ``[start, end)`` of the document, in order."""
    found = []
    for ent in pd.doc.char_span(start, end, alignment_mode="contract").ents if end > start else ():
        entity = entities.at(pd.id, ent.start_char, ent.end_char, kind="person")
        if entity is not None:
            found.append((ent.start_char, entity))
    return found


def _looks_like_a_name(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text)
    return bool(words) and all(w[0].isupper() for w in words)


def _jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / max(1, len(sa | sb))
