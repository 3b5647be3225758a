"""Who "the official" and "the source" are: the fullest description the same article gives.

A news article introduces an unnamed speaker once ("a U.S. official with
direct knowledge of ...", "an opposition source") and then shortens it ("the
official", "The source", "the U.S. official"). A definite description is
resolved to the article's descriptions of the same head noun, singular and
introduced without "the" ("a", "an", "one", or none), whose words include all
of its own: "the U.S. official" -> "a U.S. official". When those descriptions
are one or nested ("a U.S. official" within "a senior U.S. official") the
fullest wins; when they differ ("a U.S. official", "a Syrian official") or
there is none, the speaker is kept as written and marked unresolved. A
description naming a role that exactly one person of the article holds ("the
spokesman", with "White House spokesman Jay Carney") resolves to that person.

Speakers that differ only in case or article ("The opposition source", "the
opposition source") get one spelling: :func:`description_key`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdigest.analyze.entities import EntityIndex
from newsdigest.analyze.parsing import ParsedDocument

DEFINITE = frozenset({"the", "this", "that"})
ARTICLES = frozenset({"the", "a", "an", "this", "that"})
_INTRODUCING = frozenset({"a", "an", "one", "another"})


@dataclass(frozen=True)
class Speaker:
    text: str | None  # a name, a description, or the words as written when unresolved
    entity: str | None  # Entity.id
    kind: str  # "person" | "organisation" | "place" | "description" | "unknown"
    resolved: bool  # a name or the article's fullest description; False for "the official", "he" left as written


def description_key(text: str) -> tuple[str, ...]:
    """The words of a description without case or articles: "The opposition source" -> ("opposition", "source")."""
    return tuple(w for w in re.findall(r"[\w.'’-]+", text.lower()) if w not in ARTICLES)


def display(text: str) -> str:
    """A description as it reads mid-sentence: a leading article in lower case ("The source" -> "the source")."""
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}".strip() if first.lower() in ARTICLES | _INTRODUCING and rest else text


def _modifiers(head) -> tuple[str, ...]:
    """Lower-cased words of the head's left modifiers (determiners and numbers excluded): "U.S.", "opposition"."""
    words = []
    for child in head.children:
        if child.i < head.i and child.dep_ not in {"det", "nummod", "poss", "case", "punct", "predet"}:
            words += [t.lower_.replace(".", "") for t in child.subtree if t.dep_ not in {"det", "punct", "cc"}]
    return tuple(words)


def _determiner(head) -> str:
    for t in head.children:
        if t.i < head.i and t.dep_ in {"det", "nummod"}:
            return t.lower_
    return ""


class SpeakerResolver:
    """Resolves the subjects of speech verbs of one parsed document."""

    def __init__(self, pd: ParsedDocument, entities: EntityIndex):
        self.pd = pd
        self.entities = entities
        # Introducing descriptions by head lemma: (modifier words, phrase as written).
        self._introduced: dict[str, list[tuple[frozenset[str], str]]] = {}
        for chunk in pd.doc.noun_chunks:
            root = chunk.root
            if root.pos_ != "NOUN" or root.tag_ != "NN":
                continue
            det = _determiner(root)
            if det in DEFINITE or (not det and not _modifiers(root)):
                continue
            if det and det not in _INTRODUCING:
                continue  # "his spokesman", "some official"
            text = " ".join(pd.doc[chunk.start : root.i + 1].text.split())
            self._introduced.setdefault(root.lemma_.lower(), []).append((frozenset(_modifiers(root)), display(text)))

    def describe(self, subject, written: str) -> Speaker:
        """The speaker the subject token of a speech verb names; ``written`` is its noun phrase as written.

        Not for pronouns: quotes resolve those by position."""
        pd, entities = self.pd, self.entities
        entity = entities.at(pd.id, subject.idx, subject.idx + len(subject), kind="person") or entities.at(
            pd.id, subject.idx, subject.idx + len(subject)
        )
        if entity is None:
            # the name inside the phrase ("Interior Minister X"), not a possessor ("Zughayar's father")
            owned = {t.i for c in subject.children if c.dep_ == "poss" for t in c.subtree}
            phrase_tokens = [t for t in subject.subtree if t.i <= subject.i and t.i not in owned]
            if phrase_tokens:
                first, last = phrase_tokens[0], phrase_tokens[-1]
                entity = entities.at(pd.id, first.idx, last.idx + len(last), kind="person")
        if entity is None:  # "the girls' uncle, Hassan Bakir, was quoted"
            for child in subject.children:
                if child.dep_ == "appos" and child.i > subject.i:
                    entity = entities.at(pd.id, child.idx, child.idx + len(child), kind="person")
                    break
        if entity is not None:
            return Speaker(entity.name, entity.id, entity.kind, True)
        written = display(written)
        det = _determiner(subject)
        common = subject.pos_ == "NOUN" or (subject.pos_ == "PROPN" and subject.is_lower)  # "the president" as PROPN
        if not common or subject.tag_ not in {"NN", "NNP"} or (det and det not in DEFINITE):
            return Speaker(written, None, "description", True)  # "a U.S. official", "Some opposition figures"
        if not det and _modifiers(subject):
            return Speaker(written, None, "description", True)  # "opposition spokesman Ali" with no name found
        own = frozenset(_modifiers(subject))
        lemma = subject.lemma_.lower()
        fuller = {}
        for words, text in self._introduced.get(lemma, ()):
            if own <= words:
                fuller.setdefault(words, text)
        if fuller:
            ranked = sorted(fuller, key=len)
            if all(a <= b for a, b in zip(ranked, ranked[1:])):  # one description, or nested ones
                return Speaker(fuller[ranked[-1]], None, "description", True)
            return Speaker(written, None, "description", False)  # two different people could be meant
        person = self._role_holder(subject.lower_, own)
        if person is not None:
            return Speaker(person.name, person.id, person.kind, True)
        return Speaker(written, None, "description", False)

    def _role_holder(self, head: str, modifiers: frozenset[str]):
        """The one person of this article whose role ends with ``head`` ("the spokesman" -> Jay Carney)."""
        holders = []
        for e in self.entities.entities:
            if e.kind != "person" or self.pd.id not in e.documents:
                continue
            for role in e.roles:
                words = [w.lower().replace(".", "") for w in role.split()]
                if words and words[-1] == head and modifiers <= set(words):
                    holders.append(e)
                    break
        return holders[0] if len(holders) == 1 else None
