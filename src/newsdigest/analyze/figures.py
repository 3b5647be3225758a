"""Numbers, what they count, and whether the sources agree on them.

spaCy marks the quantities (CARDINAL, MONEY, QUANTITY, PERCENT); the
dependency parse gives the noun they count ("19,000 *people*", "17 senior
military *officers*") and the event they count it for (the verb or event noun
above it: killed, defected, fled …), mapped to a few event classes so
"fled" and "defected" meet. A qualifier ("nearly", "more than", "up to",
"an estimated" …) turns the number into an interval.

Figures joined by "and" in one sentence ("16,000 civilians and more than 4,000
military personnel") make one statement whose total is their sum. Statements
about the same event and the same kind of thing are grouped; within a group
only like is compared with like: a total with a total, civilians with
civilians, never civilians with military personnel. Two statements of one
document are grouped only when they roughly agree (one article giving 5 and 7
officers is telling two events apart, not contradicting itself).

A group compares *sources*: the statements of one source fold into one row
(with whether its own figures agree), and a verdict (agree / roughly agree /
differ) is given only when two or more distinct sources give a figure.
Copies of one wire story count once: documents with the same sentences
(:func:`newsdigest.summarize.candidates.document_copies`) and, within a
group, documents whose figure sentence is word for word the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsdigest.analyze.parsing import ParsedDocument
from newsdigest.analyze.entities import EntityIndex
from newsdigest.analyze.attribution import noun_phrase, speech_subject
from newsdigest.analyze.speakers import SpeakerResolver

LABELS = {"CARDINAL": "count", "MONEY": "money", "QUANTITY": "quantity", "PERCENT": "percent"}

# Qualifier -> (low factor, high factor) around the stated number; None: open-ended.
QUALIFIERS: dict[str, tuple[float | None, float | None]] = {
    "more than": (1.0, None), "over": (1.0, None), "at least": (1.0, None), "upwards of": (1.0, None),
    "just over": (1.0, 1.1), "nearly": (0.8, 1.0), "almost": (0.8, 1.0), "close to": (0.8, 1.0),
    "just under": (0.9, 1.0), "up to": (None, 1.0), "as many as": (None, 1.0), "less than": (None, 1.0),
    "fewer than": (None, 1.0), "under": (None, 1.0), "about": (0.9, 1.1), "around": (0.9, 1.1),
    "some": (0.9, 1.1), "roughly": (0.9, 1.1), "approximately": (0.9, 1.1), "an estimated": (0.9, 1.1),
    "estimated": (0.9, 1.1), "an approximate": (0.9, 1.1),
}
_QUALIFIER_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True)) + r")\s*$", re.I
)

# Event classes: words that count the same happening.
EVENTS = {
    "killed": "kill die death dead toll massacre slay murder execute",
    "wounded": "wound injure injury hurt",
    "defected": "defect defection flee desert desertion abscond escape leave quit defector deserter exodus",
    "arrested": "arrest detain detention jail imprison",
    "displaced": "displace refugee",
}
EVENT_OF = {word: name for name, words in EVENTS.items() for word in words.split()}
# Nouns that count people: any of them is a part of a total of "people".
PERSON_NOUNS = frozenset(
    "people person civilian personnel soldier troop officer fighter child woman man resident protester "
    "rebel member official".split()
)
GENERIC_NOUNS = frozenset({"people", "person"})

_WORDS = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
               "dozen": 12, "dozens": 24, "hundred": 100, "hundreds": 200, "half": 0.5})
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9}


@dataclass(frozen=True)
class Figure:
    """One number in one sentence, with what it counts."""

    id: str
    text: str  # as written, qualifier included ("more than 19,000", "$200")
    value: float  # the number stated
    low: float | None  # the interval the qualifier allows; None when open on that side
    high: float | None
    qualifier: str  # "", "nearly", "more than", …
    unit: str  # "count" | "money" | "quantity" | "percent"
    counts: str  # what it counts ("senior military officers"), "" when the text does not say
    noun: str  # lemma of the counted noun
    event: str  # event class or verb lemma ("killed", "defected", "reached"), "" if none
    doc_id: str
    sentence_index: int
    sentence: str
    speaker: str | None  # who the sentence attributes the number to
    speaker_entity: str | None
    speaker_resolved: bool = False  # as for Quote.speaker_resolved


@dataclass(frozen=True)
class FigureStatement:
    """What one sentence says about a group's measure: one figure, or parts summed."""

    doc_id: str
    sentence_index: int
    figures: tuple[str, ...]  # Figure ids
    text: str  # "16,000 civilians + more than 4,000 military personnel"
    low: float | None
    high: float | None
    nouns: tuple[str, ...]


@dataclass(frozen=True)
class FigureRow:
    """Everything one source (a document and its copies) says about a group's measure."""

    doc_ids: tuple[str, ...]  # the document, then the copies of the same wire story
    statements: tuple[int, ...]  # positions in FigureGroup.statements
    text: str  # its distinct statements joined by " / "
    low: float | None  # the envelope of its statements
    high: float | None
    consistency: str  # "one figure" | "agree" | "roughly agree" | "differ": its own statements against each other


@dataclass(frozen=True)
class FigureGroup:
    id: str
    label: str  # what the group measures ("people killed")
    verdict: str  # "agree" | "roughly agree" | "differ" | "different measures" | "one source"
    note: str  # why, in words
    statements: tuple[FigureStatement, ...]
    rows: tuple[FigureRow, ...] = ()  # one per distinct source
    sources: int = 0  # distinct sources (copies of one wire story count once)

    @property
    def documents(self) -> list[str]:
        return list(dict.fromkeys(s.doc_id for s in self.statements))


def parse_number(text: str) -> tuple[float, float] | None:
    """``(low, high)`` of a written number: "19,000", "100-200", "five", "1.5 million", "$200"."""
    text = text.lower().replace(",", "").replace("$", " ").replace("€", " ").replace("£", " ")
    text = text.replace("per cent", " ").replace("percent", " ").replace("%", " ")
    numbers: list[float] = []
    current: float | None = None
    for word in re.findall(r"\d+(?:\.\d+)?|[a-z]+", text):
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            if current is not None:
                numbers.append(current)
            current = float(word)
        elif word in _SCALES and current is not None:
            current *= _SCALES[word]
        elif word in _WORDS:
            value = _WORDS[word]
            if word in {"hundred", "hundreds"} and current is not None:
                current *= 100
            elif current is not None and current >= 20 and value < 10:
                current += value  # "twenty five"
            else:
                if current is not None:
                    numbers.append(current)
                current = float(value)
        elif word in {"to", "and"} and current is not None:
            numbers.append(current)
            current = None
    if current is not None:
        numbers.append(current)
    if not numbers:
        return None
    return min(numbers), max(numbers)


def _number_token(ent):
    nums = [t for t in ent if t.like_num or t.pos_ == "NUM"]
    return nums[-1] if nums else ent.root


def _counted_noun(tok):
    """The noun a number counts: "17 [officers]", "25,000 to 30,000 [deserters]", "$200" -> "salary"."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN":
        return tok.head.head  # "a minimum salary of $200"
    for _ in range(3):
        if tok.dep_ in {"nummod", "quantmod", "compound", "amod", "det"} and tok.head is not tok:
            if tok.head.pos_ in {"NOUN", "PROPN"} and tok.head.i > tok.i:
                return tok.head
            if tok.head.pos_ == "NUM":
                tok = tok.head
                continue
        break
    return None


def _noun_text(noun) -> str:
    """The counted noun with its modifiers: "high-ranking Syrian military officers"."""
    left = []
    i = noun.i - 1
    while i >= 0:
        tok = noun.doc[i]
        hyphenated = i + 1 < len(noun.doc) and noun.doc[i + 1].text in {"-", "‑"}
        if noun not in tok.ancestors or tok.like_num or tok.pos_ in {"DET", "PRON", "ADP", "CCONJ"}:
            break
        if tok.pos_ == "ADV" and not hyphenated:
            break
        if tok.pos_ == "PUNCT" and tok.text not in {"-", "‑"}:
            break
        left.insert(0, tok)
        i -= 1
    return " ".join("".join(t.text_with_ws for t in left + [noun]).split())


_REPORTING = frozenset({"report", "say", "estimate", "believe", "claim", "think", "tell", "add"})


def _event_of(noun_or_tok) -> str:
    tok = noun_or_tok
    for _ in range(6):
        lemma = tok.lemma_.lower()
        if lemma in EVENT_OF:
            return EVENT_OF[lemma]
        if tok.pos_ == "VERB" and tok is not noun_or_tok:
            if lemma in _REPORTING:  # "were reported to have defected"
                for child in tok.children:
                    if child.dep_ in {"xcomp", "ccomp"} and child.lemma_.lower() in EVENT_OF:
                        return EVENT_OF[child.lemma_.lower()]
            return lemma
        if tok.head is tok:
            break
        tok = tok.head
    return ""


_ATTRIBUTING = frozenset({"say", "tell", "estimate", "report", "claim", "announce", "state", "write", "explain", "according"})


def _speaker(tokens, resolver: SpeakerResolver) -> tuple[str | None, str | None, bool]:
    for tok in tokens:
        if tok.lemma_.lower() in _ATTRIBUTING and tok.pos_ in {"VERB", "AUX"}:
            subject = speech_subject(tok)
            if subject is None or subject.lower_ in {"he", "she", "they", "it", "which", "that"}:
                continue
            if any(t.like_num for t in subject.subtree):
                continue
            speaker = resolver.describe(subject, noun_phrase(subject))
            return speaker.text, speaker.entity, speaker.resolved
    return None, None, False


def extract_figures(parsed: Sequence[ParsedDocument], entities: EntityIndex) -> list[Figure]:
    figures: list[Figure] = []
    for pd in parsed:
        doc = pd.doc
        speakers: dict[int, tuple[str | None, str | None, bool]] = {}
        resolver = SpeakerResolver(pd, entities)
        for ent in doc.ents:
            if ent.label_ not in LABELS:
                continue
            parsed_value = parse_number(ent.text)
            if parsed_value is None:
                continue
            low, high = parsed_value
            value = high if low == high else (low + high) / 2
            num = _number_token(ent)
            prev = doc[ent.start - 1] if ent.start else None
            noun = _counted_noun(num)
            if ent.label_ == "CARDINAL":
                if re.fullmatch(r"(1[89]|20)\d\d", ent.text.strip()) or value < 2:
                    continue  # a year, or "one of …"
                if prev is not None and (prev.pos_ == "PROPN" or (prev.pos_ == "NOUN" and (noun is None or prev.i == num.head.i))):
                    continue  # a label: "Brigade 105", "MiG 21", "defector 370"
            sentence = pd.sentence_at(ent.start_char)
            if sentence is None or not (sentence.start <= ent.start_char < sentence.end):
                continue
            # The qualifier may sit inside the entity ("an estimated 16,000") or just before it.
            before = doc.text[max(0, ent.start_char - 25) : ent.start_char]
            inner = doc.text[ent.start_char : num.idx]
            qualifier = ""
            for chunk in (inner.strip(), before.rstrip()):
                m = _QUALIFIER_RE.search(chunk)
                if m:
                    qualifier = m.group(1).lower()
                    break
            text = ent.text if (not qualifier or qualifier in ent.text.lower()) else f"{qualifier} {ent.text}"
            if ent.label_ == "MONEY" and prev is not None and prev.text in {"$", "€", "£"}:
                text = prev.text + text if not qualifier or qualifier in ent.text.lower() else f"{qualifier} {prev.text}{ent.text}"
            f_low, f_high = QUALIFIERS.get(qualifier, (1.0, 1.0))
            low = low * f_low if f_low is not None else None
            high = high * f_high if f_high is not None else None
            counts, lemma = "", ""
            if noun is not None:
                counts, lemma = _noun_text(noun), noun.lemma_.lower()
            else:
                # "estimate the number of defections to have reached 100,000"
                tokens = pd.sentence_span(sentence)
                for tok in tokens or ():
                    if tok.lower_ == "number" and tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ == "of":
                        target = doc[tok.i + 2 : tok.i + 6]
                        head = next((t for t in target if t.pos_ in {"NOUN", "PROPN"}), None)
                        if head is not None:
                            noun, counts, lemma = head, _noun_text(head), head.lemma_.lower()
                        break
            if ent.label_ == "PERCENT" or "per cent" in ent.text.lower():
                unit = "percent"
                if lemma in {"cent", "percent", "%"}:
                    counts, lemma = "", ""
            else:
                unit = LABELS[ent.label_]
            event = _event_of(noun if noun is not None else num)
            if sentence.index not in speakers:
                speakers[sentence.index] = _speaker(pd.sentence_span(sentence) or (), resolver)
            speaker, speaker_entity, speaker_resolved = speakers[sentence.index]
            figures.append(
                Figure(
                    id=f"f{len(figures) + 1}", text=" ".join(text.split()), value=value, low=low, high=high,
                    qualifier=qualifier, unit=unit, counts=counts, noun=lemma, event=event, doc_id=pd.id,
                    sentence_index=sentence.index, sentence=sentence.text, speaker=speaker,
                    speaker_entity=speaker_entity, speaker_resolved=speaker_resolved,
                )
            )
    return figures


def _statements(figures: Sequence[Figure], parsed: Sequence[ParsedDocument]) -> list[FigureStatement]:
    """Figures of one sentence with the same event and unit, joined by "and", become one summed statement."""
    statements = []
    by_sentence: dict[tuple[str, int, str, str], list[Figure]] = {}
    for f in figures:
        if not f.noun and not f.event:
            continue  # a bare number with nothing to compare it on
        by_sentence.setdefault((f.doc_id, f.sentence_index, f.event, f.unit), []).append(f)
    for (doc_id, index, event, _unit), group in by_sentence.items():
        parts = [f for f in group if event == "killed" and f.noun in PERSON_NOUNS and f.noun not in GENERIC_NOUNS]
        if len(parts) >= 2 and len({f.noun for f in parts}) == len(parts):
            statements.append(_make_statement(doc_id, index, parts))
            group = [f for f in group if f not in parts]
        for f in group:
            statements.append(_make_statement(doc_id, index, [f]))
    return statements


def _make_statement(doc_id: str, index: int, figures: Sequence[Figure]) -> FigureStatement:
    lows = [f.low for f in figures]
    highs = [f.high for f in figures]
    return FigureStatement(
        doc_id=doc_id,
        sentence_index=index,
        figures=tuple(f.id for f in figures),
        text=" + ".join(f.text if f.text.endswith(f.counts) else f"{f.text} {f.counts}".strip() for f in figures),
        low=None if None in lows else sum(lows),
        high=None if None in highs else sum(highs),
        nouns=tuple(sorted({f.noun for f in figures})),
    )


def _central(s: FigureStatement) -> float:
    if s.low is not None and s.high is not None:
        return (s.low + s.high) / 2
    return s.low * 1.1 if s.low is not None else (s.high or 0.0) * 0.9


def _overlap(a: FigureStatement, b: FigureStatement) -> bool:
    a_low, a_high = a.low or 0.0, a.high if a.high is not None else float("inf")
    b_low, b_high = b.low or 0.0, b.high if b.high is not None else float("inf")
    return a_low <= b_high and b_low <= a_high


def _ratio(a: FigureStatement, b: FigureStatement) -> float:
    x, y = _central(a), _central(b)
    return max(x, y) / max(min(x, y), 1e-9)


def _comparable(a: FigureStatement, b: FigureStatement) -> bool:
    """Like with like: same nouns; or a sum of parts against a generic total ("people")."""
    if a.nouns == b.nouns:
        return True
    generic = lambda s: set(s.nouns) <= GENERIC_NOUNS  # noqa: E731
    return (len(a.nouns) > 1 and generic(b)) or (len(b.nouns) > 1 and generic(a))


def _pair_verdict(a: FigureStatement, b: FigureStatement, figures: dict[str, Figure]) -> str:
    fa, fb = [figures[i] for i in a.figures], [figures[i] for i in b.figures]
    if [(f.value, f.qualifier) for f in fa] == [(f.value, f.qualifier) for f in fb]:
        return "agree"
    if (_overlap(a, b) and _ratio(a, b) <= 1.5) or _ratio(a, b) <= 1.25:
        return "roughly agree"
    return "differ"


def _event_years(sentence: str) -> set[str]:
    """Years that date the sentence's event ("In 1978, 20 people died"), not a span's start ("since March 2011")."""
    return {m.group() for m in re.finditer(r"\b(?:1[89]|20)\d\d\b", sentence) if "since" not in sentence[: m.start()].lower()}


def _same_measure(a: FigureStatement, b: FigureStatement, figures: dict[str, Figure]) -> bool:
    if a.doc_id == b.doc_id and a.sentence_index == b.sentence_index:
        return False
    fa, fb = figures[a.figures[0]], figures[b.figures[0]]
    if fa.unit != fb.unit:
        return False
    if _event_years(fa.sentence) != _event_years(fb.sentence):
        return False  # another year, another event: the 1978 fire is not this one
    if fa.event and fb.event:
        if fa.event != fb.event:
            return False
        if fa.event == "killed":
            nouns_ok = set(a.nouns + b.nouns) <= PERSON_NOUNS
        else:
            nouns_ok = a.nouns == b.nouns
    else:
        nouns_ok = bool(a.nouns) and a.nouns == b.nouns and fa.event == fb.event
    if not nouns_ok or not a.nouns or not b.nouns:
        return False
    if a.doc_id == b.doc_id:
        return _comparable(a, b) and _ratio(a, b) <= 1.3
    return _ratio(a, b) <= (3.0 if fa.event == "killed" else 1.5)


def _source_keys(members: Sequence[FigureStatement], copy_of: dict[str, str], parsed_sentences) -> dict[str, str]:
    """Document id -> the source it counts as within one group (copies of one wire story are one source)."""
    key = {s.doc_id: copy_of.get(s.doc_id, s.doc_id) for s in members}
    seen: list[tuple[set[str], str]] = []
    for s in sorted(members, key=lambda s: s.sentence_index):
        words = set(re.findall(r"\w+", parsed_sentences.get((s.doc_id, s.sentence_index), "").lower()))
        if len(words) < 8:
            continue  # too short to tell a copy from a coincidence
        # the same sentence, give or take a word or two: one wire story filed in several versions
        first = next((k for w, k in seen if len(words & w) >= 0.8 * len(words | w)), None)
        if first is None:
            seen.append((words, key[s.doc_id]))
        elif first != key[s.doc_id]:
            old = key[s.doc_id]
            key = {d: (first if k == old else k) for d, k in key.items()}
            seen = [(w, first if k == old else k) for w, k in seen]
    return key


_WHERE = frozenset({"in", "across", "throughout", "inside", "around", "near"})


def _sentence_places(parsed: Sequence[ParsedDocument]) -> dict[tuple[str, int], set[str]]:
    """(doc id, sentence index) -> the places the sentence says things happened in, its dateline left out."""
    from newsdigest.analyze.entities import furniture_spans

    places: dict[tuple[str, int], set[str]] = {}
    for pd in parsed:
        skip = furniture_spans(pd)
        for ent in pd.doc.ents:
            if ent.root.head.lower_ not in _WHERE:
                continue  # "an Arctic cold wave", "defected to Jordan": not where the figure was counted
            if ent.label_ in {"GPE", "LOC"} and not any(a < ent.end_char and ent.start_char < b for a, b in skip):
                sentence = pd.sentence_at(ent.start_char)
                if sentence is not None:
                    places.setdefault((pd.id, sentence.index), set()).add(ent.text.lower().removeprefix("the "))
    return places


def _combine(verdicts: Sequence[str]) -> str:
    if "differ" in verdicts:
        return "differ"
    if "roughly agree" in verdicts:
        return "roughly agree"
    return "agree"


def _rows(members: Sequence[FigureStatement], key: dict[str, str], by_id: dict[str, Figure]) -> list[FigureRow]:
    rows = []
    for source in dict.fromkeys(key[s.doc_id] for s in members):
        positions = [i for i, s in enumerate(members) if key[s.doc_id] == source]
        own = [members[i] for i in positions]
        pairs = [_pair_verdict(a, b, by_id) for i, a in enumerate(own) for b in own[i + 1 :] if _comparable(a, b)]
        texts = list(dict.fromkeys(s.text for s in own))
        lows, highs = [s.low for s in own], [s.high for s in own]
        rows.append(
            FigureRow(
                doc_ids=tuple(dict.fromkeys(s.doc_id for s in own)),
                statements=tuple(positions),
                text=" / ".join(texts),
                low=None if None in lows else min(lows),
                high=None if None in highs else max(highs),
                consistency="one figure" if len(texts) == 1 and len(own) == 1 else (_combine(pairs) if pairs else "agree"),
            )
        )
    return rows


def group_figures(figures: Sequence[Figure], parsed: Sequence[ParsedDocument]) -> list[FigureGroup]:
    """Groups of two or more statements that measure the same thing, one row per source, with a verdict each."""
    from newsdigest.summarize.candidates import document_copies

    by_id = {f.id: f for f in figures}
    statements = _statements(figures, parsed)
    copy_of = document_copies([s for pd in parsed for s in pd.sentences])
    sentence_texts = {(pd.id, s.index): s.text for pd in parsed for s in pd.sentences}
    parent = list(range(len(statements)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sentence_places = _sentence_places(parsed)
    places = [sentence_places.get((s.doc_id, s.sentence_index), set()) for s in statements]  # per group root
    for i in range(len(statements)):
        for j in range(i + 1, len(statements)):
            ri, rj = find(i), find(j)
            if ri == rj:
                continue
            if places[ri] and places[rj] and not places[ri] & places[rj]:
                continue  # "In Poland, 32 people died" and "In Romania, at least 21": two tolls
            if _same_measure(statements[i], statements[j], by_id):
                parent[ri] = rj
                places[rj] = places[ri] | places[rj]
    clusters: dict[int, list[FigureStatement]] = {}
    for i, s in enumerate(statements):
        clusters.setdefault(find(i), []).append(s)

    groups = []
    for members in clusters.values():
        if len(members) < 2:
            continue
        members = sorted(members, key=lambda s: (s.doc_id, s.sentence_index))
        first = by_id[members[0].figures[0]]
        key = _source_keys(members, copy_of, sentence_texts)
        rows = _rows(members, key, by_id)
        # Only statements of different sources are compared: one source repeating itself is not agreement.
        verdicts = [
            _pair_verdict(a, b, by_id)
            for i, a in enumerate(members)
            for b in members[i + 1 :]
            if key[a.doc_id] != key[b.doc_id] and _comparable(a, b)
        ]
        if len(rows) < 2:
            verdict = "one source"
            own = rows[0].consistency
            note = "only one source gives this figure; not compared"
            if own in {"roughly agree", "differ"}:
                note += f"; its own figures {'differ' if own == 'differ' else 'roughly agree'}: {rows[0].text}"
        elif not verdicts:
            verdict = "different measures"
            note = "the figures count different things; shown side by side, not compared"
        else:
            verdict = _combine(verdicts)
            note = {
                "differ": "the sources give figures that do not overlap",
                "roughly agree": "the figures are close or their ranges overlap",
                "agree": "the sources give the same figure",
            }[verdict]
            if len(rows) < len({s.doc_id for s in members}):
                note += "; copies of one wire story count once"
        summed = [s for s in members if len(s.figures) > 1]
        if summed:
            s = summed[0]
            parts = [by_id[i] for i in s.figures]
            total = sum(f.value for f in parts)
            open_ended = any(f.high is None for f in parts)
            note += f"; {s.text} = {'more than ' if open_ended else ''}{_fmt(total)} in all"
        heads = [by_id[s.figures[0]].counts.split()[-1].lower() for s in members if by_id[s.figures[0]].counts]
        noun_text = "people" if first.event == "killed" else (max(heads, key=heads.count) if heads else first.unit)
        label = f"{noun_text} {first.event}".strip() if first.event else noun_text
        if first.event not in EVENTS and first.event:
            label = f"{noun_text} ({first.event})"
        groups.append(FigureGroup("", label, verdict, note, tuple(members), tuple(rows), len(rows)))
    groups.sort(key=lambda g: (-g.sources, -len(g.statements), g.label))
    return [
        FigureGroup(f"g{n}", g.label, g.verdict, g.note, g.statements, g.rows, g.sources) for n, g in enumerate(groups, 1)
    ]


def _fmt(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
