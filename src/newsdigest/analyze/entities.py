"""People, organisations and places, merged across documents and spellings.

spaCy finds the mentions; merging them is ours, in three passes:

1. mentions are normalised into *forms* (possessives, "the", honorifics and
   the Arabic article "al-"/"el-" dropped for matching, dots of acronyms
   removed), so "Bashar al-Assad's" and "Bashar Al-Assad" are one form;
2. multi-word forms join a cluster when first and last words match and every
   word of the shorter finds a match in the longer, a match being equality or
   an edit distance of one (two for long words): "Riyad Hijab" ~ "Riad Hijab",
   "Manaf Tlas" ~ "Manaf Tlass", but "Riad Al-Asaad" stays apart from
   "Bashar al-Assad" (first names differ) and "Mustafa Tlass" from "Manaf Tlass";
3. a one-word form ("Assad", "Tlass", "Hijab", "FSA") attaches to the cluster
   whose last word equals it (the most-mentioned one when several do), or
   whose initials spell it; a near spelling is only a fallback.

Only real mentions count: not the dateline ("JERUSALEM (AP) _"), not a
photo credit or "X contributed to this report" line, not the outlet naming
itself ("told The Associated Press" in an AP story). Labels the small spaCy
model gets wrong in ways that are cheap to check are fixed first
(:func:`checked_label`): a group adjective taken for a person ("his minority
Alawite sect", a word spaCy tags NORP elsewhere, "the Sabbath") is dropped; a
single word taken for a person or organisation that is a country name
(pycountry's gazetteer) becomes a place, unless a full name in the cluster
ends with it (Michael Jordan).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from newsdigest.analyze.parsing import ParsedDocument
from newsdigest.nlp.quotes import QUOTE_CHARACTERS

KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place"}

# Words that name a role rather than a person: kept out of names, looked for in roles.
TITLE_WORDS = frozenset(
    """
    president prime minister secretary spokesman spokeswoman spokesperson general brigadier colonel col
    gen major captain lieutenant commander chief head leader ambassador envoy minister official officer
    analyst correspondent editor reporter director chairman chairwoman king queen prince senator governor
    mayor judge lawyer attorney professor dr mr mrs ms sir lord cleric mp ceo founder activist dictator
    premier chancellor deputy foreign defence defense interior press sheikh pope bishop emir sultan
    """.split()
)
_HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. dr dr. col col. gen gen. lt lt. sgt sgt. capt capt. sen sen. rep rep. gov gov. president general colonel brigadier sir".split())
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|al-|el-)(?=-?\w)", re.I)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "de", "du", "la", "&"})


@dataclass(frozen=True)
class Entity:
    """One person, organisation or place as all the sources name it."""

    id: str
    name: str  # the most used full spelling
    kind: str  # "person" | "organisation" | "place"
    aliases: tuple[str, ...]  # every spelling met, most used first
    roles: tuple[str, ...]  # titles and descriptions the text gives, most used first
    documents: tuple[str, ...]  # ids of the documents that mention it, in input order
    mentions: int

    @property
    def sources(self) -> int:
        return len(self.documents)


@dataclass
class _Mention:
    doc_index: int
    doc_id: str
    start: int  # character offsets into the document text
    end: int
    label: str
    surface: str  # normalised display text
    key: tuple[str, ...]
    is_acronym: bool
    roles: tuple[str, ...] = ()


@dataclass
class _Form:
    key: tuple[str, ...]
    mentions: list[_Mention] = field(default_factory=list)

    @property
    def label(self) -> str:
        return Counter(m.label for m in self.mentions).most_common(1)[0][0]


class EntityIndex:
    """Entities and a lookup from character spans to the entity mentioned there."""

    def __init__(self, entities: list[Entity], spans: dict[str, list[tuple[int, int, str]]]):
        self.entities = entities
        self.by_id = {e.id: e for e in entities}
        self._spans = spans  # doc id -> [(start, end, entity id)]

    def at(self, doc_id: str, start: int, end: int, kind: str | None = None) -> Entity | None:
        """The entity whose mention overlaps ``[start, end)`` in document ``doc_id``."""
        for a, b, eid in self._spans.get(doc_id, ()):
            if a < end and start < b:
                entity = self.by_id[eid]
                if kind is None or entity.kind == kind:
                    return entity
        return None

    def in_range(self, doc_id: str, start: int, end: int) -> list[Entity]:
        """Entities mentioned inside ``[start, end)``, first mention first, each once."""
        seen: dict[str, Entity] = {}
        for a, b, eid in self._spans.get(doc_id, ()):
            if start <= a and b <= end and eid not in seen:
                seen[eid] = self.by_id[eid]
        return list(seen.values())


def _clean_surface(text: str) -> str:
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text).strip(" ,;:()[]-" + QUOTE_CHARACTERS)
    if not re.search(r"\b[A-Z]\.$", text):  # keep the dot of "U.S."
        text = text.rstrip(".")
    words = text.split()
    while words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    while len(words) > 1 and words[0].lower() in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


def _key(surface: str) -> tuple[str, ...]:
    tokens = []
    for word in surface.replace("’", "'").split():
        word = word.lower().replace(".", "")
        word = _ARTICLE_PREFIX.sub("", word).lstrip("-") if len(word) > 3 else word
        if word in {"al", "el"} or not word:
            continue
        tokens.append(word)
    return tuple(tokens)


def _edit_distance(a: str, b: str, limit: int = 2) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def similar_words(a: str, b: str) -> bool:
    """Same word, or a transliteration of it: one edit for 4+ letters, two for 8+."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    if shortest < 4 or a[0] != b[0]:
        return False
    return _edit_distance(a, b) <= (2 if shortest >= 8 else 1)


def _names_match(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    if len(short) > len(long):
        short, long = long, short
    if not similar_words(short[0], long[0]) or not similar_words(short[-1], long[-1]):
        return False
    return all(any(similar_words(w, v) for v in long) for w in short)


def _initials(key_surface: str) -> str:
    return "".join(w[0] for w in key_surface.split() if w.lower() not in _SMALL_WORDS and w[:1].isupper())


def _roles_of(span) -> list[str]:
    """The title before a name ("White House spokesman") and the apposition after it."""
    doc, root = span.doc, span.root
    roles = []
    # Title words right before the name, inside the name's own noun phrase.
    i = span.start - 1
    while i >= 0:
        tok = doc[i]
        if tok.lower_ == "of" and i > 0 and doc[i - 1].lower_ in TITLE_WORDS:
            i -= 1  # "secretary of state"
            continue
        if tok.pos_ in {"DET", "PRON", "PUNCT", "ADP", "VERB", "AUX", "CCONJ", "SCONJ", "PART"} or tok.dep_ in {"poss", "case"}:
            break
        if root not in tok.ancestors or tok.ent_type_ == "PERSON":
            break
        i -= 1
    before = doc[i + 1 : span.start]
    if len(before) and len(before) <= 8 and any(t.lower_ in TITLE_WORDS or t.pos_ == "NOUN" for t in before):
        roles.append(before.text)
    for child in root.children:
        if child.dep_ == "appos" and child.i >= span.end:
            words = []
            for tok in child.subtree:
                if tok.i > child.i and (tok.dep_ in {"cc", "relcl", "acl", "punct"} or tok.text in {",", ";", "("} or tok.tag_ in {"WP", "WDT"}):
                    break
                words.append(tok)
            while words and words[0].pos_ in {"DET", "PUNCT"}:
                words = words[1:]
            if 0 < len(words) <= 10 and any(t.lower_ in TITLE_WORDS or t.pos_ == "NOUN" for t in words):
                roles.append(_join(words))
    # "X is the Examiner's national security correspondent" (not "X is not the most senior officer")
    head = root.head
    if root.dep_ == "nsubj" and head.lemma_ == "be" and not any(c.dep_ == "neg" for c in head.children):
        for child in head.children:
            if child.dep_ == "attr" and child.pos_ == "NOUN":
                words = []
                for tok in child.subtree:
                    if tok.i > child.i and (tok.dep_ in {"cc", "relcl", "acl", "punct"} or tok.text in {",", ";"}):
                        break
                    words.append(tok)
                while words and words[0].pos_ == "DET":
                    words = words[1:]
                if 0 < len(words) <= 10:
                    roles.append(_join(words))
    return roles


def _join(tokens) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


# Lines that are page furniture, not the story: credits, contributor lines, gallery links.
_FURNITURE_LINE = re.compile(
    r"^.*(?:\bphoto(?:graph)?\s*(?:credit|courtesy|by)\b|\bnews photo\b|\bphoto gallery\b|\bcontributed to this report\b"
    r"|\bcan be reached at\b|^\s*click (?:here )?for\b).*$",
    re.I | re.M,
)
# Group and nationality adjectives: "Alawite", "Shiite", "Kurdish", "Sudanese", "Palestinian".
_GROUP_SUFFIX = re.compile(r"(?:ites?|ians?|ese|ish)$")


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    import pycountry

    names = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            name = getattr(country, attr, None)
            if name and " " not in name:
                names.add(name.lower())
    return frozenset(names)


def furniture_spans(pd: ParsedDocument) -> list[tuple[int, int]]:
    """Character spans of a document that are not the story: its dateline and credit lines."""
    from newsdigest.summarize.compress import RULES

    text = pd.doc.text
    spans = [(m.start(), m.end()) for m in _FURNITURE_LINE.finditer(text)]
    dateline = next(r for r in RULES if r.name == "dateline")
    start = len(text) - len(text.lstrip())
    m = dateline.pattern.match(text, start)
    if m and dateline.edit(m, text[start:]) is not None:
        spans.append((start, m.end()))
    return spans


def checked_label(ent, label: str, word: str, norp: set[str], surnames: set[str]) -> str | None:
    """spaCy's label for a one-word mention ``word`` after cheap checks; None when it names nobody.

    ``norp``: words spaCy tags NORP somewhere in the cluster; ``surnames``: last words of
    multi-word person names in the cluster.
    """
    root = ent.root
    if label == "PERSON" and word not in surnames:
        if word in norp:
            return None  # "Alawite" tagged NORP elsewhere
        if _GROUP_SUFFIX.search(word) and root.dep_ in {"amod", "compound"} and root.head.pos_ == "NOUN":
            return None  # "his minority Alawite sect"
        if root.i > 0 and root.doc[root.i - 1].lower_ in {"the", "a", "an"} and root.dep_ not in {"amod", "compound"}:
            return None  # "shopping for the Sabbath": a name takes no article
    if label in {"PERSON", "ORG"} and word not in surnames and word in _countries():
        return "GPE"  # a place taken for a name
    return label


def extract_entities(parsed: Sequence[ParsedDocument]) -> EntityIndex:
    """Every person, organisation and place, merged, ranked by how many sources mention it."""
    norp = {ent.text.lower() for pd in parsed for ent in pd.doc.ents if ent.label_ == "NORP"}
    surnames: set[str] = set()
    for pd in parsed:
        for ent in pd.doc.ents:
            key = _key(_clean_surface(ent.text)) if ent.label_ == "PERSON" else ()
            if len(key) > 1:
                surnames.add(key[-1])
    forms: dict[tuple[str, ...], _Form] = {}
    for di, pd in enumerate(parsed):
        furniture = furniture_spans(pd)
        own_name = _key(_clean_surface(pd.document.source)) if pd.document.source else ()
        own_initials = _initials(pd.document.source).lower() if pd.document.source else ""
        for ent in pd.doc.ents:
            if ent.label_ not in KINDS:
                continue
            if any(a < ent.end_char and ent.start_char < b for a, b in furniture):
                continue  # "JERUSALEM (AP) _", "(photo credit: ...)"
            surface = _clean_surface(ent.text)
            if not surface or not surface[0].isupper() or "\n" in ent.text.strip() or surface.split()[-1].islower():
                continue
            key = _key(surface)
            if not key or len(surface) < 2:
                continue
            if key == own_name or (len(key) == 1 and len(own_initials) > 1 and key[0] == own_initials):
                continue  # the outlet naming itself: "told The Associated Press", "AP"
            label = ent.label_
            if len(key) == 1:
                label = checked_label(ent, label, key[0], norp, surnames)
                if label is None:
                    continue
            is_acronym = len(key) == 1 and surface.replace(".", "").isupper() and 2 <= len(key[0]) <= 6
            roles = tuple(_roles_of(ent)) if label in {"PERSON", "ORG", "GPE"} else ()
            mention = _Mention(di, pd.id, ent.start_char, ent.end_char, label, surface, key, is_acronym, roles)
            forms.setdefault(key, _Form(key)).mentions.append(mention)

    def kind_of(form: _Form) -> str:
        return KINDS[form.label]

    # Pass 2: multi-word forms, the most mentioned first, so they anchor clusters.
    clusters: list[list[_Form]] = []
    multi = sorted((f for f in forms.values() if len(f.key) > 1), key=lambda f: (-len(f.mentions), f.key))
    for form in multi:
        for cluster in clusters:
            anchor = cluster[0]
            if kind_of(anchor) == kind_of(form) and _names_match(form.key, anchor.key):
                cluster.append(form)
                break
        else:
            clusters.append([form])

    def cluster_mentions(cluster: list[_Form]) -> int:
        return sum(len(f.mentions) for f in cluster)

    def cluster_docs(cluster: list[_Form]) -> set[str]:
        return {m.doc_id for f in cluster for m in f.mentions}

    # Pass 3: one-word forms attach to a full name (exact last word, then initials, then near spelling).
    singles = sorted((f for f in forms.values() if len(f.key) == 1), key=lambda f: (-len(f.mentions), f.key))
    for form in singles:
        word = form.key[0]
        labels = {m.label for m in form.mentions}
        docs = {m.doc_id for m in form.mentions}
        is_acronym = any(m.is_acronym for m in form.mentions)

        def allowed(cluster: list[_Form]) -> bool:
            # A bare "Jordan" (a place) must not become Michael Jordan: the labels must
            # agree, or the full name must be in one of the same documents.
            return kind_of(cluster[0]) == KINDS[form.label] or "PERSON" in labels or bool(docs & cluster_docs(cluster))

        exact = [c for c in clusters if len(c[0].key) > 1 and any(f.key[-1] == word for f in c) and allowed(c)]
        if not exact and is_acronym:
            exact = [
                c
                for c in clusters
                if kind_of(c[0]) in {"organisation", "place"}
                and any(_initials(m.surface).lower() == word for f in c for m in f.mentions[:3])
            ]
        if not exact:
            exact = [
                c
                for c in clusters
                if len(c[0].key) > 1 and kind_of(c[0]) == "person" and "PERSON" in labels
                and any(similar_words(f.key[-1], word) for f in c)
            ]
        if exact:
            best = max(exact, key=lambda c: (len(docs & cluster_docs(c)) > 0, cluster_mentions(c)))
            best.append(form)
        else:
            clusters.append([form])

    entities: list[Entity] = []
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    doc_order = {pd.id: i for i, pd in enumerate(parsed)}
    ranked = sorted(clusters, key=lambda c: (-len(cluster_docs(c)), -cluster_mentions(c), c[0].key))
    for n, cluster in enumerate(ranked, 1):
        mentions = [m for f in cluster for m in f.mentions]
        anchor = cluster[0]
        if len(anchor.key) == 1:
            kind = KINDS[Counter(m.label for m in mentions).most_common(1)[0][0]]
        else:
            kind = kind_of(anchor)
        spellings = Counter(m.surface for m in mentions)
        full = [s for s in spellings if len(_key(s)) == max(len(f.key) for f in cluster)]
        name = max(full, key=lambda s: (spellings[s], s)) if full else spellings.most_common(1)[0][0]
        role_counts = Counter()
        role_display: dict[str, str] = {}
        for m in mentions if kind == "person" else ():
            for role in m.roles:
                if role.lower() not in name.lower():
                    role_counts[role.lower()] += 1
                    role_display.setdefault(role.lower(), role)
        entity = Entity(
            id=f"e{n}",
            name=name,
            kind=kind,
            aliases=tuple(s for s, _ in spellings.most_common()),
            roles=tuple(role_display[r] for r, _ in role_counts.most_common(5)),
            documents=tuple(sorted({m.doc_id for m in mentions}, key=doc_order.__getitem__)),
            mentions=len(mentions),
        )
        entities.append(entity)
        for m in mentions:
            spans[m.doc_id].append((m.start, m.end, entity.id))
    for items in spans.values():
        items.sort()
    return EntityIndex(entities, dict(spans))
