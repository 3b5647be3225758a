"""Can a sentence stand alone, and do two sentences report the same fact?

Both questions are asked twice with the same definitions: by the default
method while it selects and orders sentences, and by ``bench/readability.py``
when it measures digests.

**Unresolved reference** (:func:`needs_antecedent`): the sentence points back
at something the reader must already know. It opens (after any quote marks)
with

* a pronoun or demonstrative: He, She, It, They, His, Her, Its, Their, Him,
  Them, This, These, Those, That, Such;
* a connective that continues an earlier sentence: And, But, Or, So, Yet,
  Nor, Also, However, Meanwhile, Moreover, Furthermore, Instead, Still,
  Nevertheless, Nonetheless, Besides, Thus, Therefore, Otherwise, Likewise,
  Similarly, Consequently, "In addition", "As a result", "In turn", "Even
  so", "On the other hand", "By contrast", "In contrast", "For his/her/their
  part", "In response";
* a bare definite reference: "The"/"That"/"This" + one of a few nouns that
  only make sense with their antecedent (:data:`BARE_NOUNS`: official,
  source, report, move, statement, decision, spokesman ...);

or it attributes what it says to such a reference anywhere ("…, the official
said", "…, he added"). A sentence like that is *resolved* in a digest when the
sentence right before it is the one right before it in its own article.

**Same fact** (:func:`same_fact`): two sentences that say the same about the
same actors: their lower-case content words (what happened, without the
names) overlap (at least :data:`MIN_SHARED` stems and :data:`SAME_FACT_OVERLAP`
of the shorter one's) *and* they name the same actors (they share a
capitalised word after the first, or neither has one) *and* whose figures do not tell them apart (when both give numbers, some
pair of them roughly agrees: within a factor :data:`FIGURE_RATIO`, the
analysis' "roughly agree" rule for ranges). "17 military officers defected"
and "Nearly 20 high-ranking Syrian military officers defected" are one fact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from newsdigest.model import Sentence
from newsdigest.nlp.text import WORD_RE, stem, stop_words

PRONOUNS = "he she it they his her its their him them this these those that such"
CONNECTIVES = (
    "and but or so yet nor also however meanwhile moreover furthermore instead still nevertheless "
    "nonetheless besides thus therefore otherwise likewise similarly consequently"
)
CONNECTIVE_PHRASES = (
    "in addition", "as a result", "in turn", "even so", "on the other hand", "by contrast", "in contrast",
    "for his part", "for her part", "for their part", "for its part", "in response",
)
# Nouns that, bare after "the", stand for someone or something named before.
BARE_NOUNS = (
    "official officials source sources report move statement decision spokesman spokeswoman spokesperson "
    "agency incident announcement letter ruling comments remarks development"
)
_SPEECH = r"(?:said|says|added|adds|told|noted|explained|continued|insisted|stressed)"

_OPENER_RE = re.compile(
    r"^[\W_]*(?:(?:" + "|".join(PRONOUNS.split() + CONNECTIVES.split()) + r")\b"
    r"|(?:" + "|".join(p.replace(" ", r"\s+") for p in CONNECTIVE_PHRASES) + r")\b"
    r"|(?:the|that|this)\s+(?:" + "|".join(BARE_NOUNS.split()) + r")\b)",
    re.IGNORECASE,
)
# "..., the official said." / "..., he added": an attribution to someone named before.
_ATTRIBUTION_RE = re.compile(
    r"[,\"”'’]\s*(?:(?:he|she|they)\s+" + _SPEECH + r"|(?:the|that)\s+(?:official|officials|source|sources|"
    r"spokesman|spokeswoman|spokesperson)\s+" + _SPEECH + r")\b",
    re.IGNORECASE,
)

SAME_FACT_OVERLAP = 0.5
MIN_SHARED = 3
TOPIC_SHARED = 2
FIGURE_RATIO = 1.5
_FIGURE_RE = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\d%])")


def needs_antecedent(text: str) -> bool:
    """True when ``text`` refers back to something it does not name (see the module)."""
    return bool(_OPENER_RE.match(text) or _ATTRIBUTION_RE.search(text))


def resolved(previous: Sentence | None, sentence: Sentence) -> bool:
    """Whether ``sentence`` reads right after ``previous`` (None: it opens the digest)."""
    if not needs_antecedent(sentence.text):
        return True
    return previous is not None and previous.doc_id == sentence.doc_id and previous.index == sentence.index - 1


def unresolved_positions(ordered: Sequence[Sentence]) -> list[int]:
    """Positions in a digest (in reading order) of sentences left without their antecedent."""
    return [k for k, s in enumerate(ordered) if not resolved(ordered[k - 1] if k else None, s)]


@lru_cache(maxsize=100_000)
def _words_and_names(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Stems of the lower-case content words, and of the capitalised words after the first."""
    stop = stop_words()
    content, names = set(), set()
    for k, token in enumerate(WORD_RE.findall(text)):
        low = token.lower()
        if low in stop or low[0].isdigit():
            continue
        (names if k and token[0].isupper() else content).add(stem(low))
    return frozenset(content), frozenset(names)


def _figures(text: str) -> list[float]:
    out = []
    for m in _FIGURE_RE.findall(text):
        value = float(m.replace(",", ""))
        if not 1900 <= value <= 2100 or "," in m:  # years date an event, they do not count it
            out.append(value)
    return out


def same_fact(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` report the same fact (see the module)."""
    (ca, na), (cb, nb) = _words_and_names(a), _words_and_names(b)
    shared = len(ca & cb)
    if shared < MIN_SHARED or shared < SAME_FACT_OVERLAP * min(len(ca), len(cb)):
        return False
    if (na or nb) and not (na & nb):
        return False
    fa, fb = _figures(a), _figures(b)
    if fa and fb:
        return any(max(x, y) <= FIGURE_RATIO * max(min(x, y), 1e-9) for x in fa for y in fb)
    return True


def same_topic(a: str, b: str) -> bool:
    """Looser than :func:`same_fact`: the same actors and some of what happened
    (at least :data:`TOPIC_SHARED` lower-case content stems in common)."""
    (ca, na), (cb, nb) = _words_and_names(a), _words_and_names(b)
    return len(ca & cb) >= TOPIC_SHARED and (not (na or nb) or bool(na & nb))


def repeated_pairs(texts: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs of positions in ``texts`` that report the same fact."""
    return [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts)) if same_fact(texts[i], texts[j])]
