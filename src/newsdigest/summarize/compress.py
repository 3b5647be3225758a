"""Sentence compression: drop the parts of a news sentence a digest can do without.

``compress(text)`` returns a shorter, still grammatical version of one sentence,
or ``text`` itself when nothing can be removed safely. ``compress_all(texts)``
does the same for a batch.

The rules are data (:data:`RULES`, in the order they run), each a named regular
expression plus a small guard, in the spirit of trafilatura's rule lists. They
are deliberately conservative: a rule that is not sure does nothing.

Safety net (checked on every rule's output, so it holds for the final result):

* text inside quotation marks is never edited: a span that touches a quotation
  is left alone, and attributions are only dropped from sentences with no
  quotation marks at all (removing ``, he said`` from a quote changes who says it);
* the result must be shorter, non-empty, keep the final punctuation and the
  capital first letter, and keep quotes and parentheses balanced if the input
  had them balanced; otherwise the rule's change is discarded.

Speed: regular expressions only, with a cheap pre-filter per rule, so tens of
thousands of sentences a second. spaCy is optional and off by default: pass
``checker=spacy_clause_checker()`` to also require that what an attribution
removal leaves has a finite verb with a subject.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["RULES", "Rule", "compress", "compress_all", "dateline_length", "is_balanced", "spacy_clause_checker"]

# A checker gets (rule name, candidate text) and says whether the candidate is acceptable.
Checker = Callable[[str, str], bool]

# ---------------------------------------------------------------------------
# Small vocabularies used by the guards
# ---------------------------------------------------------------------------

_QUOTE_TOKEN = re.compile(r"``|''|[“”\"]")
_HAS_QUOTE = re.compile(r"``|''|[“”\"]")

_MONTHS = frozenset(
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec January February March April May June "
    "July August September October November December Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday No Nos Vol Page Room Route Highway Article Section Chapter".split()
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_AGENCIES = frozenset(
    "AP Reuters AFP Xinhua UPI CNN dpa DPA IANS PTI ANI Bloomberg BBC Interfax Itar-Tass TASS "
    "Kyodo Yonhap NYT WP JTA Tass".split()
)
# Words that start a clause, not a speaker: ", and officials said" is not an attribution.
_NOT_SPEAKER_START = frozenset(
    "and but or nor as which who whom whose that what when where while if because than so "
    "though although since until unless whether how why not".split()
)
_SUBORDINATORS = frozenset(
    "if when whenever although though because while whereas unless whether before after since "
    "as until once where how why what asked".split()
)
# A clause does not end on these (prepositions can: "if a new investor ... comes in").
_DANGLING_END = frozenset(
    "a an the of and or but nor that which who whom whose than his her their its our my your "
    "this these those".split()
)
# What may follow ", who ...," when the relative clause sits between subject and verb.
_PREDICATE_START = frozenset(
    "is was are were has had have will would can could should may might must did does do "
    "said says told added remains remained became becomes called calls denied denies faces "
    "faced leads led heads headed owns owned plans planned wants wanted also later never "
    "recently then previously earlier still now".split()
)
_UNITS = (
    r"miles?|mi|kilometers?|kilometres?|km|kms|meters?|metres?|m|cm|mm|centimeters?|"
    r"millimeters?|feet|foot|ft|inch|inches|yards?|pounds?|lbs?|ounces?|oz|kilograms?|kg|"
    r"grams?|tons?|tonnes?|mph|kph|km/h|knots?|degrees?(?: [CF]| Fahrenheit| Celsius)?|"
    r"Fahrenheit|Celsius|F|C|acres?|hectares?|gallons?|liters?|litres?|barrels?|"
    r"square (?:miles?|kilometers?|feet|meters?)|GMT|gmt|EDT|EST|CET|UTC|local time|"
    r"(?:US|U\.S\.|Canadian|Australian)? ?dollars|euros?|pounds sterling"
)
_CONVERSION = re.compile(
    rf"^(?:about |some |nearly |almost |roughly |around |more than |less than |minus |over |up to )?"
    rf"(?:US)?\$?[\d][\d.,/]*(?: ?(?:million|billion|trillion))?"
    rf"(?:-| )?(?:{_UNITS})?(?:-(?:long|high|wide|tall|deep|old))?$"
)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&.\-]*[A-Z][A-Za-z&.\-]*s?$")


# ---------------------------------------------------------------------------
# Quote and bracket bookkeeping
# ---------------------------------------------------------------------------


def _quoted_spans(s: str) -> list[tuple[int, int]]:
    """Character spans that are (or may be) inside quotation marks.

    A closing mark with no opener means the sentence continues a quotation that
    began earlier: everything before it is quoted. An opener with no closer
    quotes the rest of the sentence.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    kind = ""
    for m in _QUOTE_TOKEN.finditer(s):
        t = m.group()
        if open_at is None:
            looks_open = t == "''" and (m.start() == 0 or s[m.start() - 1].isspace()) and s[m.end() : m.end() + 1].isalnum()
            if t in ("``", "“", '"') or looks_open:
                open_at, kind = m.start(), "``" if looks_open else t
            else:
                spans.append((0, m.end()))
        elif (kind, t) in (("``", "''"), ("“", "”"), ('"', '"')):
            spans.append((open_at, m.end()))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(s)))
    return spans


def _touches_quote(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(qa < b and a < qb for qa, qb in spans)


_PARENS = re.compile(r"[()]")


def is_balanced(s: str) -> bool:
    """Parentheses nest properly and every kind of quotation mark is paired."""
    if "(" in s or ")" in s:
        depth = 0
        for m in _PARENS.finditer(s):
            depth += 1 if m.group() == "(" else -1
            if depth < 0:
                return False
        if depth:
            return False
    return s.count("``") == s.count("''") and s.count("“") == s.count("”") and s.count('"') % 2 == 0


def _n_words(s: str) -> int:
    return len(s.split())


def _final_punct(s: str) -> str:
    m = re.search(r"[.!?]+(?:''|[”\"’')\]]*)?$", s)
    return m.group() if m else ""


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One compression rule.

    ``pattern`` is searched in the sentence; for each match (left to right,
    non-overlapping) ``edit(match, text)`` returns the replacement for the
    matched span, or ``None`` to leave it. ``prefilter`` is a cheap substring
    test (any of them must occur) that skips the regex on most sentences. Matches
    that touch a quotation are always skipped; ``example`` documents (and the tests
    check) what the rule does.
    """

    name: str
    description: str
    pattern: re.Pattern[str]
    edit: Callable[[re.Match[str], str], str | None]
    prefilter: tuple[str, ...] = ()
    example: tuple[str, str] = ("", "")
    _pre: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.prefilter:
            object.__setattr__(self, "_pre", re.compile("|".join(map(re.escape, self.prefilter))))


# -- datelines ---------------------------------------------------------------

_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’&\-]*(?: [A-Z][A-Z.'’&\-]*){0,4}"  # CITY in capitals
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}(?= ?\())"  # or Title-case city, only before (Agency)
    r"(?:, [A-Z][A-Za-z.'’\-]*(?: [A-Z][A-Za-z.'’\-]*){0,3})?"  # , Country / State
    r"(?:,? (?:Jan|Feb|Mar|Apr|May|Jun|June|Jul|July|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{1,2})?"  # , Oct. 17
    r"(?P<agency> ?\([A-Za-z][A-Za-z.\-]*(?: [A-Z][A-Za-z.\-]*){0,2}\))?"  # (AP)
    r" ?(?P<dash>_|--|-|—|–|:) ?"
)


def _dateline(m: re.Match[str], s: str) -> str | None:
    rest = s[m.end() :]
    if not rest or not (rest[0].isupper() or rest[0].isdigit() or rest.startswith(("``", "“", '"'))):
        return None
    agency = m.group("agency")
    if agency:
        if agency.strip(" ()") not in _AGENCIES:
            return None
    else:
        # No agency: only an all-capitals place name followed by an AP/NYT style dash.
        if m.group("dash") not in ("_", "--", "—"):
            return None
        head = m.group()
        city = head.split(",")[0]
        if not re.fullmatch(r"[A-Z][A-Z.'’&\- ]+[A-Z.]", city.strip(" _-—")) or len(city.strip()) < 4:
            return None
        # "NATO -- ..." / "AIDS _ ..." are not places; a real dateline is followed by a sentence.
        if _n_words(rest) < 4:
            return None
    return ""


_AGENCY_PREFIX = re.compile(r"^\((?P<agency>[A-Za-z][A-Za-z.\-]*)\) ?(?:(?:_|--|-|—|–) ?)?")


def dateline_length(text: str) -> int:
    """How many leading characters of ``text`` are a dateline ("LONDON (AP) _ ",
    "RACELAND, La. (AP) — ", "(CNN) "), by the ``dateline`` rule; 0 when none.

    Dropping them is an edit that keeps the rest a substring of the source, so
    a sentence's offsets simply move: what the pipeline does before selection.
    """
    m = _DATELINE.match(text)
    if m and _dateline(m, text) == "":
        return m.end()
    m = _AGENCY_PREFIX.match(text)
    if m and m.group("agency") in _AGENCIES and text[m.end() : m.end() + 1].isupper():
        return m.end()
    return 0


# -- parentheticals ----------------------------------------------------------

_PAREN = re.compile(r" \((?P<inner>[^()]{1,120})\)(?=[\s.,;:!?]|$)(?! -)")


def _parenthetical(m: re.Match[str], s: str) -> str | None:
    inner = m.group("inner").strip()
    if not inner or m.start() == 0 or _HAS_QUOTE.search(inner) or inner[-1] in ".!?":
        return None
    if inner in _AGENCIES:  # "(AP)", "(Reuters)"
        return ""
    low = inner.lower()
    if low.startswith(("photo credit", "photo:", "photo by", "credit:", "file photo", "pictured", "video")):
        return "" if _n_words(inner) <= 15 else None
    if _CONVERSION.match(inner):  # "(25 miles)", "(0745 GMT)", "(minus 4 Fahrenheit)", "(15-foot)"
        return ""
    if any(ch.isdigit() for ch in inner):  # other numbers may matter: keep them
        return None
    if _ACRONYM.match(inner):  # "(FSA)" defines an abbreviation the reader may need
        return None
    if _n_words(inner) <= 5:
        return ""
    return None


# -- dash asides ---------------------------------------------------------------

_DASH_ASIDE = re.compile(
    r"(?P<a> (?P<d>_|--|—|–) |—|--)(?P<inner>[^_—–()]{1,80}?)(?P<b> (?P=d) |—|--)(?=\S)"
)


def _dash_aside(m: re.Match[str], s: str) -> str | None:
    inner = m.group("inner")
    # Same dash style on both sides, and both spaced or both unspaced.
    if (m.group("a").strip() != m.group("b").strip()) or ((m.group("a")[0] == " ") != (m.group("b")[0] == " ")):
        return None
    if "--" in inner or _HAS_QUOTE.search(inner) or _n_words(inner) > 8 or _n_words(inner) < 1:
        return None
    if not any(c.islower() for c in s[: m.start()]):  # "MOSCOW _ The heads _ ..." : a dateline, not an aside
        return None
    nxt = s[m.end() :]
    if not nxt or not (nxt[0].islower() or nxt[0].isdigit()):
        return None
    return " "


# -- appositives -----------------------------------------------------------------

_AGE = re.compile(r"\b(?P<name>[A-Z][A-Za-z'’\-]+), (?P<age>\d{1,3})(?P<end>, (?P<next>[a-z]+)\b|\.$)")
# A comma at most four words before a name: the name may close an appositive whose
# closing comma we must not remove.
_OPEN_APPOSITIVE = re.compile(r",\s+(?:\S+\s+){0,3}$")
_AGE_LIST = re.compile(r", \d{1,3},? and [A-Z]")
_APPOSITIVE_CHAIN = frozenset("who whose a an the of from in at".split())


def _age(m: re.Match[str], s: str) -> str | None:
    if m.group("name") in _MONTHS or not 1 <= int(m.group("age")) <= 119:
        return None
    if _AGE_LIST.search(s):  # "Qin, 44, and Wang, 31, ..." : keep lists of ages whole
        return None
    name = m.group("name")
    if m.group("end") == ".":
        return name + "."
    nxt = m.group("next")
    if nxt in _APPOSITIVE_CHAIN:  # "Pinochet, 82, who ..." -> "Pinochet, who ..."
        return f"{name}, {nxt}"
    if nxt in _PREDICATE_START or (nxt.endswith("ed") and len(nxt) > 3):  # "Pinochet, 82, was" -> "Pinochet was"
        # "... lives in Jidda, Saudi Arabia, Idris, 46, was": the name closes an appositive.
        if _OPEN_APPOSITIVE.search(s[: m.start()]):
            return None
        return f"{name} {nxt}"
    return None


_WHO_MID = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z.'’\-]*), who (?P<body>[^,;:()_—–]{3,90}?), (?P<next>[a-z]+)\b")
_WHO_END = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z.'’\-]*), who (?P<body>[^,;:()_—–]{3,90})(?P<end>[.!?])$")
_NOT_HEAD = frozenset("said says asked ask wondered know knows knew and but or".split())


def _who_mid(m: re.Match[str], s: str) -> str | None:
    if m.group("head").lower() in _NOT_HEAD or _HAS_QUOTE.search(m.group("body")) or "--" in m.group("body"):
        return None
    if _n_words(m.group("body")) > 9:
        return None
    # "Watch, Peter Bouckaert, who ..., said": the name closes an earlier appositive, whose
    # comma would be lost with the clause.
    if _OPEN_APPOSITIVE.search(s[: m.start()]):
        return None
    nxt = m.group("next")
    if nxt in _PREDICATE_START or (nxt.endswith("ed") and len(nxt) > 3):
        return f"{m.group('head')} {nxt}"
    return None


def _who_end(m: re.Match[str], s: str) -> str | None:
    if m.group("head").lower() in _NOT_HEAD or _HAS_QUOTE.search(m.group("body")) or "--" in m.group("body"):
        return None
    if _n_words(m.group("body")) > 9:
        return None
    # Keep enough of the sentence: the relative clause must not be most of it.
    if _n_words(s[: m.start()]) < 4:
        return None
    return m.group("head") + m.group("end")


# -- attributions ------------------------------------------------------------------

_TOKEN = r"[A-Za-z][A-Za-z.'’&\-]*"
_SPEAKER = rf"(?P<speaker>{_TOKEN}(?: {_TOKEN}){{0,5}})"
_WHEN = (
    rf"(?: (?:on |late |early )?{_WEEKDAY}(?: night| morning| afternoon| evening)?"
    r"| yesterday| today| tonight| last week| earlier| later| in a statement| in an interview"
    r"| on condition of anonymity)?"
)
_VERB = (
    r"(?:(?:has|have|had) )?(?:said|says|reported|reports|added|adds|announced|confirmed"
    rf"|told (?:reporters|journalists|the news agency|(?:the )?[A-Z][\w.]*(?: [A-Z][\w.]*){{0,3}}))"
)
_ATTRIB_TAIL = re.compile(rf", {_SPEAKER} {_VERB}{_WHEN}(?P<end>\.)$")
_ATTRIB_TAIL_INVERTED = re.compile(
    rf", (?:said|says|added) (?P<speaker>(?:the |a |an )?{_TOKEN}(?: {_TOKEN}){{0,4}})(?P<end>\.)$"
)
_ACCORDING_TAIL = re.compile(rf", according to (?P<speaker>{_TOKEN}(?: {_TOKEN}){{0,6}})(?P<end>\.)$")


def _clause_ok(body: str) -> bool:
    """Cheap test that ``body`` can stand alone as a sentence."""
    words = body.split()
    if len(words) < 4 or _HAS_QUOTE.search(body):
        return False
    first = words[0].lower().strip(",")
    if first in _SUBORDINATORS and "," not in body:
        return False
    last = words[-1].lower().strip(",;:")
    if last in _DANGLING_END or body.rstrip()[-1] in ",;:-_—(":
        return False
    return is_balanced(body)


def _speaker_ok(speaker: str) -> bool:
    first = speaker.split()[0].lower()
    return first not in _NOT_SPEAKER_START


_SOURCE_WORDS = re.compile(
    r"\b(?:officials?|police|reports?|agency|sources?|newspapers?|daily|radio|television|TV|"
    r"statements?|spokes(?:man|woman|person)|investigators?|witnesses|authorities|indictments?|"
    r"documents?|figures|data|results|people|analysts|experts|diplomats|residents|relatives|"
    r"survivors|officers|prosecutors|lawyers|doctors|organizers|ministry|government|military|army|"
    r"company|group|media|polls?|survey|center|office|bureau|department|service)\b"
)
_NAME = re.compile(r"^(?:[A-Z][\w.'’&\-]*|of|the|de|da|van|von|bin|al|el|and)(?: (?:[A-Z][\w.'’&\-]*|of|the|de|da|van|von|bin|al|el|and))*$")


def _according_tail(m: re.Match[str], s: str) -> str | None:
    speaker = m.group("speaker")
    # A source ("police", "the Interfax news agency", "Grazyna Puchalska"), not a rule or a
    # theory: "according to Scottish law" and "according to another theory" are content.
    if not (_SOURCE_WORDS.search(speaker) or _NAME.match(speaker)) or re.search(r"\b(?:theory|law|rules?|plan|estimates?|tradition|custom)\b", speaker):
        return None
    return _attrib_tail(m, s)


def _attrib_tail(m: re.Match[str], s: str) -> str | None:
    if _HAS_QUOTE.search(s) or not _speaker_ok(m.group("speaker")):
        return None
    if not _clause_ok(s[: m.start()]):
        return None
    return m.group("end")


# -- connectives --------------------------------------------------------------------

_LEAD_CONNECTIVE = re.compile(
    r"^(?:But|And|However,|Meanwhile,|Meantime,|In addition,|Also,|Moreover,|Furthermore,|"
    r"Nevertheless,|Nonetheless,|Still,|Besides,|Additionally,|Indeed,|Separately,|"
    r"In the meantime,|At the same time,|On the other hand,) (?=[A-Za-z0-9])"
)
_NOT_AFTER_BUT = frozenset("for said says then".split())


def _lead_connective(m: re.Match[str], s: str) -> str | None:
    rest = s[m.end() :]
    first = rest.split(" ", 1)[0]
    if first.lower().strip(",") in _NOT_AFTER_BUT or _n_words(rest) < 3:
        return None
    if len(first) > 1 and first[0].islower() and any(c.isupper() for c in first[1:]):  # "iPhone"
        return None
    return ""


_MID_CONNECTIVE = re.compile(r"(?<=[A-Za-z0-9.]), (?:however|meanwhile|though|moreover|furthermore|nonetheless|nevertheless), (?=[a-z])")


_FRONTED = frozenset(
    "in on at for with after before under despite during since unlike like from by to as "
    "although though when while if because now then still today yesterday instead until "
    "once outside inside among amid beyond throughout across around within over behind against "
    "between near without upon into through".split()
)
_CONJUNCTION = frozenset("though although and but or because as while so yet".split())


def _mid_connective(m: re.Match[str], s: str) -> str | None:
    nxt = s[m.end() :].split(" ", 1)[0]
    if nxt in _CONJUNCTION:
        return None
    head = s[: m.start()].split(" ", 1)[0].lower().strip(",")
    # "In Bangkok, however, there are" -> "In Bangkok, there are" (keep the comma after a
    # fronted phrase); "He added, however, that" -> "He added that".
    return ", " if head in _FRONTED else " "


RULES: tuple[Rule, ...] = (
    Rule(
        "dateline",
        "place (and agency) at the start of a wire story",
        _DATELINE,
        _dateline,
        example=("LONDON (AP) _ British police said Saturday ...", "British police said Saturday ..."),
    ),
    Rule(
        "agency_or_short_parenthetical",
        "(AP), (photo credit: ...), unit conversions and asides of at most five words",
        _PAREN,
        _parenthetical,
        prefilter=("(",),
        example=("winds of 150 kph (93 mph) hit", "winds of 150 kph hit"),
    ),
    Rule(
        "dash_aside",
        "a short aside between two dashes, when the sentence continues in lower case",
        _DASH_ASIDE,
        _dash_aside,
        prefilter=(" _ ", "--", "—", "–"),
        example=("China won 137 _ or 41 percent _ of 337 gold medals.", "China won 137 of 337 gold medals."),
    ),
    Rule(
        "age_appositive",
        "', 82,' after a name",
        _AGE,
        _age,
        prefilter=(", 1", ", 2", ", 3", ", 4", ", 5", ", 6", ", 7", ", 8", ", 9"),
        example=("Pinochet, 82, was arrested", "Pinochet was arrested"),
    ),
    Rule(
        "who_clause_mid",
        "a short non-restrictive ', who ...,' between a subject and its verb",
        _WHO_MID,
        _who_mid,
        prefilter=(", who ",),
        example=("Pinochet, who turns 83 next month, was reported", "Pinochet was reported"),
    ),
    Rule(
        "who_clause_end",
        "a short non-restrictive ', who ...' ending the sentence",
        _WHO_END,
        _who_end,
        prefilter=(", who ",),
    ),
    Rule(
        "attribution_tail",
        "', he said.' / ', officials said Monday.' / ', Reuters reported.' (no quotes in the sentence)",
        _ATTRIB_TAIL,
        _attrib_tail,
        prefilter=(" said", " says", " report", " added", " adds", " told", " announced", " confirmed"),
        example=("No safety problems were found on any of the planes, he said.", "No safety problems were found on any of the planes."),
    ),
    Rule(
        "attribution_tail_inverted",
        "', said Mr. Smith.' (no quotes in the sentence)",
        _ATTRIB_TAIL_INVERTED,
        _attrib_tail,
        prefilter=(", said ", ", says ", ", added "),
    ),
    Rule(
        "according_to_tail",
        "', according to the report.'",
        _ACCORDING_TAIL,
        _according_tail,
        prefilter=("according to",),
    ),
    Rule(
        "mid_connective",
        "', however,' / ', meanwhile,' inside the sentence",
        _MID_CONNECTIVE,
        _mid_connective,
        prefilter=("however", "meanwhile", "though", "moreover", "furthermore", "nonetheless", "nevertheless"),
        example=("The opposition source, however, says", "The opposition source says"),
    ),
    Rule(
        "leading_connective",
        "But / And / However, / Meanwhile, / In addition, / Also, ... at the start",
        _LEAD_CONNECTIVE,
        _lead_connective,
        example=("But the judges have continued to press forward.", "The judges have continued to press forward."),
    ),
)


# ---------------------------------------------------------------------------
# Engine
# ---------------------------------------------------------------------------

_CLEANUPS = (
    (re.compile(r"  +"), " "),
    (re.compile(r" +([,.;:!?])"), r"\1"),
    (re.compile(r",(?=[,.;:!?])"), ""),
    (re.compile(r"(?<![.])\.\.(?![.])"), "."),  # "6 p.m. (1430 GMT)." -> "6 p.m."
)


def _cleanup(s: str, strip: bool = True) -> str:
    for pat, repl in _CLEANUPS:
        s = pat.sub(repl, s)
    return s.strip() if strip else s


def _capitalise(s: str) -> str:
    for i, ch in enumerate(s):
        if ch.isalpha():
            return s[:i] + ch.upper() + s[i + 1 :] if ch.islower() else s
        if ch.isdigit():
            return s
    return s


def _acceptable(original: str, candidate: str, balanced: bool) -> bool:
    if not candidate.strip() or len(candidate) >= len(original):
        return False
    if balanced and not is_balanced(candidate):
        return False
    if _final_punct(candidate) != _final_punct(original):
        return False
    if any(candidate.count(bad) > original.count(bad) for bad in ("  ", " ,", ",.", " .")):
        return False
    first = next((c for c in candidate if c.isalnum()), "")
    orig_first = next((c for c in original if c.isalnum()), "")
    return not (orig_first.isupper() and first.islower())


def _apply(rule: Rule, s: str) -> str:
    if rule._pre is not None and rule._pre.search(s) is None:
        return s
    quotes: list[tuple[int, int]] | None = None
    edits: list[tuple[int, int, str]] = []
    for m in rule.pattern.finditer(s):
        if quotes is None:
            quotes = _quoted_spans(s)
        if _touches_quote(quotes, m.start(), m.end()):
            continue
        repl = rule.edit(m, s)
        if repl is not None:
            edits.append((m.start(), m.end(), repl))
    if not edits:
        return s
    # Apply right to left, tidying only a few characters around each seam, so text
    # elsewhere (quotations in particular) keeps its exact spacing and punctuation.
    for a, b, repl in reversed(edits):
        lo = max(0, a - 2)
        hi = min(len(s), b + 2)
        seam = _cleanup(s[lo:a] + repl + s[b:hi], strip=False)
        s = s[:lo] + seam + s[hi:]
    s = s.strip()
    # Only an edit at the very start can change the first word: capitalise the new one.
    return _capitalise(s) if edits[0][0] == 0 else s


def compress(text: str, *, rules: Iterable[Rule] = RULES, checker: Checker | None = None) -> str:
    """A shorter, grammatical version of the news sentence ``text``, or ``text`` itself."""
    s = text.strip()
    if not s:
        return text
    balanced = is_balanced(s)
    for rule in rules:
        candidate = _apply(rule, s)
        if candidate is s or candidate == s:
            continue
        if not _acceptable(s, candidate, balanced):
            continue
        if checker is not None and not checker(rule.name, candidate):
            continue
        s = candidate
    return s if s != text.strip() else text


def compress_all(texts: Iterable[str], *, checker: Checker | None = None) -> list[str]:
    """``compress`` for each text (cached: news batches repeat sentences a lot)."""
    if checker is not None:
        return [compress(t, checker=checker) for t in texts]
    return [_compress_cached(t) for t in texts]


@lru_cache(maxsize=100_000)
def _compress_cached(text: str) -> str:
    return compress(text)


def spacy_clause_checker(model: str | object = "en_core_web_sm") -> Checker:
    """Optional, slow check for attribution removals: the shortened sentence's root must
    be a verb or auxiliary with a subject. ``model`` is a spaCy model name or an already
    loaded pipeline. Other rules pass unchecked."""
    if isinstance(model, str):
        import spacy

        nlp = spacy.load(model, disable=["ner", "lemmatizer"])
    else:
        nlp = model
    checked = {"attribution_tail", "attribution_tail_inverted", "according_to_tail"}

    def check(rule_name: str, candidate: str) -> bool:
        if rule_name not in checked:
            return True
        doc = nlp(candidate)
        roots = [t for t in doc if t.dep_ == "ROOT"]
        if len(roots) != 1 or roots[0].pos_ not in ("VERB", "AUX"):
            return False
        return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in roots[0].children)

    return check
