"""Boilerplate removal: named regex rules kept as data, and the function that applies them.

Every reader hands its raw article text to :func:`clean_text`. The result has
one paragraph per line (the sentence splitter ends a sentence at every line
break), single spaces, and none of the page furniture that news sites and wire
services put around an article: photo credits, "click for more" links, share
prompts, author bios, related-link lists, wire codes.

The rules are plain data, in the spirit of trafilatura's ``xpaths.py``: read
them, and extend them without touching code::

    from newsdigest.ingest.clean import CLEANING_RULES, Rule, clean_text
    my_rules = CLEANING_RULES + (Rule("newsletter", r"^Sign up for our newsletter.*$"),)
    clean_text(text, rules=my_rules)

A rule is a regular expression (compiled with MULTILINE, so ``^``/``$`` are line
ends) and a replacement. Rules whose ``where`` is ``"end"`` only look at the
last lines of an article, because that is where bios and link lists live, and
the same words in the middle of an article are usually news.

Rules match *kinds* of noise, not the exact strings of one site: a new site's
photo credit should fall under the photo-credit rule. Each one is written so a
real news sentence does not match: most are anchored to a whole line and
exclude sentence punctuation.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Iterator, Literal

from ..nlp.quotes import CLOSING_CHARACTERS
from ..nlp.text import normalize_sentence
from .furniture import drop_furniture_sentences, shipped_furniture

__all__ = [
    "Rule",
    "CLEANING_RULES",
    "FURNITURE_RULES",
    "clean_text",
    "unwrap_lines",
    "normalize_whitespace",
    "one_line",
    "drop_title_line",
    "Removal",
    "CleanedArticle",
    "record_removals",
]


# --- The engine's prefilter -----------------------------------------------------------
# Most rules match in a few articles out of thousands, and a full regex search of an
# article costs far more than looking for a plain string in it. So each rule's pattern
# is read once (by the regex parser itself) for the literal strings a match must
# contain: "Click" in "Click (?:here )?(?:for|to)", one of "Photo"/"photo"/"PHOTO"/...
# and a ":" in a credit rule, for each alternative of a "|" its own. An article that
# lacks them cannot match, and the rule is skipped: the output is exactly what the
# full search gives. Patterns with no such literal (a bare "^[ \t]*[^\w\n]{1,3}[ \t]*$")
# are always searched.
#
# A requirement is a literal string, or ("all", parts) / ("any", parts) of requirements.
_MAX_ALTERNATIVES = 32  # strings one run of literals may expand to ("[Pp]hoto[Ss]": 4)
_SMALL_CLASS = 4  # a character class this small ("[Pp]") becomes alternatives


def _requirement(items):
    """What every match of the parsed sequence ``items`` contains (see above); None if nothing is known."""
    from re import _constants as op  # the regex module's own parser: private, so any failure means "no prefilter"

    parts: list = []
    run: set[str] = {""}

    def close_run() -> None:
        nonlocal run
        if run != {""}:
            parts.append(("any", sorted(run)) if len(run) > 1 else run.pop())
        run = {""}

    for kind, value in items:
        characters = None
        if kind is op.LITERAL:
            characters = [chr(value)]
        elif kind is op.IN and len(value) <= _SMALL_CLASS and all(k is op.LITERAL for k, _ in value):
            characters = [chr(v) for _, v in value]
        if characters is not None and len(run) * len(characters) <= _MAX_ALTERNATIVES:
            run = {prefix + c for prefix in run for c in characters}
            continue
        close_run()
        if characters is not None:
            run = set(characters)
            continue
        inner = None
        if kind is op.SUBPATTERN:
            inner = _requirement(value[3])
        elif kind is op.ATOMIC_GROUP:
            inner = _requirement(value)
        elif kind in (op.MAX_REPEAT, op.MIN_REPEAT, op.POSSESSIVE_REPEAT) and value[0] >= 1:
            inner = _requirement(value[2])
        elif kind is op.ASSERT:  # a positive lookaround: its text is in the article too
            inner = _requirement(value[1])
        elif kind is op.BRANCH:
            branches = [_requirement(branch) for branch in value[1]]
            if all(b is not None for b in branches):
                inner = ("any", branches)
        if inner is not None:
            parts.append(inner)
    close_run()
    if not parts:
        return None
    # Rarest first (longest shortest literal), so a text that lacks it is turned away at once.
    parts.sort(key=_shortest_literal, reverse=True)
    return parts[0] if len(parts) == 1 else ("all", parts)


def _shortest_literal(requirement) -> int:
    if isinstance(requirement, str):
        return len(requirement)
    kind, parts = requirement
    lengths = [_shortest_literal(part) for part in parts]
    return max(lengths) if kind == "all" else min(lengths)


def _adds_ignorecase(items) -> bool:
    """Whether a group inside the parsed ``items`` turns on case-insensitive matching ("(?i:...)")."""
    from re import _constants as op
    from re import _parser as parser

    for kind, value in items:
        if kind is op.SUBPATTERN and value[1] & re.IGNORECASE:
            return True
        for part in value if isinstance(value, tuple) else (value,):
            for sub in part if isinstance(part, list) else (part,):
                if isinstance(sub, parser.SubPattern) and _adds_ignorecase(sub):
                    return True
    return False


def _test(requirement, ignorecase: bool, *, scanned: Collection[str] | None = None) -> Callable[..., object]:
    """The requirement as one generated function: ``"Photo" in text and ":" in text``, with no call per literal.

    The same tests in the same order (``and``/``or`` stop as ``all``/``any`` do), in one
    expression: a rule's prefilter runs for every article, and a tree of small functions
    cost more than the searches themselves. ``scanned``: the function takes ``(text, found,
    found_folded)``, the literals a :class:`_LiteralScan` found in the text and in its folded
    form, and looks those in ``scanned`` (the literals the scan looks for: lower-cased for a
    case-insensitive rule) up there instead of searching the text again.
    """
    names: dict[str, object] = {"folded_of": _ascii_folded}
    uses_folded = False

    def expression(part) -> str:
        nonlocal uses_folded
        if isinstance(part, str):
            if not ignorecase:
                return f"{part!r} in {'found' if scanned is not None and part in scanned else 'text'}"
            if part.isascii():
                lowered = part.lower()
                if scanned is not None and lowered in scanned:
                    return f"{lowered!r} in found_folded"
                uses_folded = True
                return f"{lowered!r} in folded"
            name = f"search_{len(names)}"
            names[name] = re.compile(re.escape(part), re.IGNORECASE).search  # the same case folding as the rule's
            return f"{name}(text) is not None"
        kind, parts = part
        return "(" + (" and " if kind == "all" else " or ").join(map(expression, parts)) + ")"

    body = expression(requirement)
    if uses_folded:
        body = f"(lambda folded: {body})(folded_of(text))"
    arguments = "text, found, found_folded" if scanned is not None else "text"
    return eval(f"lambda {arguments}: {body}", names)  # noqa: S307 - source built above from escaped literals (repr)


def _parsed_requirement(regex: re.Pattern[str]):
    """``(requirement, ignorecase)`` of ``regex`` (see the prefilter notes above); None when nothing is known."""
    try:
        from re import _parser as parser

        parsed = parser.parse(regex.pattern, regex.flags)
        requirement = _requirement(parsed.data)
        ignorecase = bool(parsed.state.flags & re.IGNORECASE) or _adds_ignorecase(parsed.data)
    except Exception:  # noqa: BLE001 - another Python's parser: search every text, as without a prefilter
        return None
    return None if requirement is None else (requirement, ignorecase)


def _prefilter(regex: re.Pattern[str]) -> Callable[[str], object] | None:
    """A cheap test that is false only for texts ``regex`` cannot match; None when there is none."""
    found = _parsed_requirement(regex)
    return None if found is None else _test(*found)


# --- One pass for the literals of every rule ----------------------------------------------
# Rule by rule, the prefilters search an article a few hundred times for a literal it mostly
# lacks. A test's first literals (its "gates": those of the first part of an "all", of every
# part of an "any") of _SCANNED_LENGTH characters or more are instead found for a whole set of
# rules in one pass (an Aho-Corasick automaton, pyahocorasick): a rule none of whose gates is
# found fails its test, and is not even asked; a rule with a gate in the text runs its test,
# which looks the scanned literals up in the set of those found and searches the text for the
# rest (they are looked for only once a gate is there). A rule with a one-character gate ("(",
# "-": they occur early in most texts) or no literal at all is always tested. The set is found again whenever a rule has
# changed the text: the same tests on the same text, so the same output as rule-by-rule prefilters.
_SCANNED_LENGTH = 2


def _is_scanned(literal: str) -> bool:
    return len(literal) >= _SCANNED_LENGTH


def _gates(requirement) -> set[str]:
    """The literals of which a text that meets ``requirement`` holds at least one (see above)."""
    if isinstance(requirement, str):
        return {requirement}
    kind, parts = requirement
    if kind == "all":
        return _gates(parts[0])
    return set().union(*map(_gates, parts))


def _top_level_alternatives(pattern: str) -> list[str]:
    """``pattern`` cut at each ``|`` outside parentheses and character classes: ``"a|(b|c)"`` -> ``["a", "(b|c)"]``."""
    pieces: list[str] = []
    start = depth = 0
    class_start = -1  # where the character class being read opened, -1 outside one
    escaped = False
    for i, c in enumerate(pattern):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif class_start >= 0:
            # A "]" first in the class ("[]a]", "[^]a]") is one of its characters.
            if c == "]" and i > class_start + 1 and not (i == class_start + 2 and pattern[i - 1] == "^"):
                class_start = -1
        elif c == "[":
            class_start = i
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            pieces.append(pattern[start:i])
            start = i + 1
    pieces.append(pattern[start:])
    return pieces


def _found_by(regex: re.Pattern[str]) -> Callable[[str], bool]:
    """``text -> regex.search(text) is not None``, searching one top-level alternative at a time.

    A search for ``A|B`` tries both alternatives at every position of the text, while ``A``
    alone may be a literal the regex engine skips to ("\\n[ \\t]*..."): a text holds a match
    of ``A|B`` exactly when it holds one of ``A`` or one of ``B``. Patterns with groups (a
    backreference could cross alternatives) or whose pieces would not compile alike are
    searched whole.
    """
    whole = regex.search
    pieces = _top_level_alternatives(regex.pattern)
    if len(pieces) < 2 or regex.groups or regex.flags & re.VERBOSE:
        return lambda text: whole(text) is not None
    try:
        compiled = [re.compile(piece, regex.flags) for piece in pieces]
    except re.error:
        return lambda text: whole(text) is not None
    if any(c.flags != regex.flags or c.groups for c in compiled):  # an inline "(?i)" flag is the whole pattern's
        return lambda text: whole(text) is not None
    searches = tuple(c.search for c in compiled)

    def found(text: str) -> bool:
        for search in searches:
            if search(text) is not None:
                return True
        return False

    return found


def _with_needs(test: Callable[..., object] | None, needs: Callable[[str], bool] | None) -> Callable[..., object] | None:
    """A scan test that also asks for the rule's ``needs`` pattern (after the literals: it costs more)."""
    if needs is None:
        return test
    if test is None:
        return lambda text, found, found_folded: needs(text)
    return lambda text, found, found_folded: test(text, found, found_folded) and needs(text)


class _LiteralScan:
    """The prefilters of ``rules`` with their long literals found in one pass over the text.

    ``tests``: each rule with its test ``(text, found, found_folded) -> bool``, None for a
    rule without literals (always searched). :meth:`found` gives the two sets for a text.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        import ahocorasick

        # Each scanned literal (exact, and lower-cased for case-insensitive rules) with the rules it
        # gates, as bits: rule i is bit i. ``always``: the rules tested in every text.
        gates: tuple[dict[str, int], dict[str, int]] = ({}, {})
        self.always = 0
        parsed_rules = [(rule, _parsed_requirement(rule.regex)) for rule in rules]
        for i, (rule, parsed) in enumerate(parsed_rules):
            if parsed is None:
                self.always |= 1 << i
                continue
            requirement, ignorecase = parsed
            literals = _gates(requirement)
            if ignorecase:  # a non-ASCII literal is searched as the rule folds it, not scanned
                literals = {lit.lower() if lit.isascii() else "" for lit in literals}
            if not all(map(_is_scanned, literals)):
                self.always |= 1 << i
                continue
            for literal in literals:
                gates[ignorecase][literal] = gates[ignorecase].get(literal, 0) | 1 << i
        self.gates = gates
        self.tests: list[tuple[Rule, Callable[..., object] | None]] = []
        for rule, parsed in parsed_rules:
            test = None
            if parsed is not None:
                requirement, ignorecase = parsed
                test = _test(requirement, ignorecase, scanned=gates[ignorecase].keys())
            self.tests.append((rule, _with_needs(test, rule.needs_found)))
        self.automata = []
        for words in gates:
            automaton = ahocorasick.Automaton()
            for word in sorted(words):
                automaton.add_word(word, word)
            automaton.make_automaton()
            self.automata.append(automaton if len(automaton) else None)

    def found(self, text: str) -> tuple[set[str], set[str]]:
        """The scanned literals ``text`` holds, and those its folded lower-case form holds."""
        exact, folded = self.automata
        return (
            set(map(_WORD, exact.iter(text))) if exact is not None else set(),
            set(map(_WORD, folded.iter(_ascii_folded(text)))) if folded is not None else set(),
        )

    def candidates(self, found: set[str], found_folded: set[str]) -> int:
        """The rules (bit i for ``tests[i]``) whose test may pass in a text where :meth:`found` gave these sets."""
        exact, folded = self.gates
        rules = self.always
        for word in found:
            rules |= exact[word]
        for word in found_folded:
            rules |= folded[word]
        return rules


_WORD = itemgetter(1)  # of an automaton's (end, word) match
_SCANS: dict[tuple[int, ...], tuple[tuple[Rule, ...], _LiteralScan]] = {}


def _scan_for(rules: tuple[Rule, ...]) -> _LiteralScan:
    """The :class:`_LiteralScan` of the "anywhere" rules of ``rules``, made once for the same rule objects.

    Keyed by the rules' identities, so ``CLEANING_RULES + (my_rule,)`` built anew at every call still
    finds the scan made the first time (about 40 ms); the entry holds the rules, so no id is reused.
    """
    key = tuple(map(id, rules))
    entry = _SCANS.get(key)
    if entry is None:
        if len(_SCANS) >= 8:
            _SCANS.clear()
        entry = _SCANS[key] = (rules, _LiteralScan([r for r in rules if r.where == "anywhere"]))
    return entry[1]


# Case-insensitive regexes match an ASCII letter with these non-ASCII letters too
# ("ſ" with "s", the Kelvin sign with "k"); folded to that letter, then lower-cased,
# a text holds a literal in lower case wherever the rule's own search finds it.
_ASCII_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_FOLDED_LETTERS = re.compile("[\u0130\u0131\u017f\u212a]")


@lru_cache(maxsize=4)
def _ascii_folded(text: str) -> str:
    if not text.isascii() and _FOLDED_LETTERS.search(text):
        text = text.translate(_ASCII_FOLD)
    return text.lower()


@dataclass(frozen=True)
class Rule:
    """One cleaning rule: replace every match of ``pattern`` with ``replace``.

    ``where="end"``: the pattern is tried on the last lines only, one line at a
    time from the bottom, and each matching line is dropped until a line does
    not match; the first line of an article is never dropped, so an "end" rule
    cannot remove the only text there is.

    ``max_chars``: a match longer than this is left alone. Rules for short
    standalone lines (bylines, bios, contact lines) set it so they never take
    a long paragraph that happens to contain their words.

    ``needs``: a pattern (same flags) found in every text the rule matches, for a
    rule whose literals are too common for the literal prefilter (above) to skip a text
    (a title glued to "The", "It", ...): where ``needs`` is not found, the rule is
    not searched. It must follow from ``pattern``; it saves time and changes nothing.
    """

    name: str
    pattern: str
    replace: str = ""
    where: Literal["anywhere", "end"] = "anywhere"
    flags: int = 0
    why: str = ""
    max_chars: int | None = None
    needs: str = ""
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    needs_regex: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.pattern, re.MULTILINE | self.flags))
        object.__setattr__(self, "needs_regex", re.compile(self.needs, re.MULTILINE | self.flags) if self.needs else None)

    @cached_property
    def _needs(self) -> Callable[[str], object] | None:
        return _prefilter(self.regex)

    @cached_property
    def needs_found(self) -> Callable[[str], bool] | None:
        """``text -> bool``: whether ``needs`` is found in ``text`` (None for a rule without ``needs``)."""
        return None if self.needs_regex is None else _found_by(self.needs_regex)

    def may_match(self, text: str) -> bool:
        """False only when the pattern cannot match in ``text``: it lacks every literal string a match needs.

        A cheap test before the full search (worked out from the pattern on first use); the
        rules give the same output with or without it.
        """
        needs = self._needs
        return (needs is None or bool(needs(text))) and (self.needs_found is None or self.needs_found(text))


def _at_line_start(body: str) -> str:
    """A ``needs`` pattern for ``"^" + body``: found exactly where that is, searched from the line breaks.

    ``^body`` matches at the text's start or right after a "\\n", so a text holds a match of it
    exactly when it holds one of ``\\Abody`` or of ``\\nbody``. The regex engine tries ``^``
    at every character of a text, while it skips straight from one "\\n" to the next.
    """
    return rf"\A(?:{body})|\n(?:{body})"


# Pieces shared by several rules.
_FILLER = r"[ \t]*(?:nn|MORE|END|ENDIT|-30-|[_=*~#-]{3,}|[*#] [*#] [*#])[ \t]*$"
_CREDIT_WORD = r"(?:[Pp]hoto(?:graph)?s?|PHOTOS?|[Ii]mages?|[Pp]ictures?|[Vv]ideo)"
_NAME_TOKEN = r"[A-Z][\w.'’-]*"
_BULLET = r"[•·▪►»‣◦■●*–-]"
# Journalists' jobs, for author bios.
_PRESS_ROLE = (
    r"(?:correspondent|reporter|writer|editor|columnist|contributor|producer|bureau chief|chief of bureau"
    r"|chief correspondent)s?"
)
# Inside one sentence: no sentence punctuation except a dot inside a token ("U.S.", "Mr.").
_IN_SENTENCE = r"(?:[^\n.!?]|\.(?! [A-Z][a-z]))"
_SHARE_WORD = (
    r"(?:share(?: this(?: article| story| page)?)?(?: on)?|tweet(?: this)?|e-?mail(?: this)?(?: article)?"
    r"|print(?: this)?(?: article)?|facebook|twitter|linkedin|whatsapp|reddit|pinterest|telegram"
    r"|copy link|save(?: article)?|comments?|\d+ comments?|share via)"
)

# --- Page furniture (issue 14) ------------------------------------------------------
# Chrome that web pages put around and *inside* an article: embedded-tweet
# widgets, picture captions and credits, teasers for other pages, video-player
# and archive notices. Much of it is glued to a real sentence in the same line
# ("...reported last week. Image copyright AFP Image caption Many in China..."),
# so these rules match the furniture itself, starting at a line start or right
# after a sentence end (_AFTER_SENTENCE), and leave the neighbours alone. Each
# ``why`` quotes a real example from the Multi-News development articles.
# Furniture no rule names is caught by its recurrence across unrelated stories:
# see newsdigest.ingest.furniture.
_AFTER_SENTENCE = r"(?:^[ \t]*|(?<=[.!?\"”’)]\s))"
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_PHOTO_AGENCY = r"(?:Getty Images|AP|AFP|Reuters|EPA|Landov|Bloomberg|Corbis|Zuma(?: Press)?|Invision|Shutterstock|Imaginechina)"
# "(Photo Courtesy of X)", "(Photo by X)", "(Image Credit: X)", "(AP Photo/X)": credits in parentheses
# that the credit rules below do not know. With "(Photo: X)" and "(photo credit: X)", which they do
# know, _CREDIT_PARENS is any credit in parentheses.
_OTHER_CREDIT_PARENS = (
    r"\((?:[Pp]hoto(?:graph)?s?|[Ii]mages?|[Pp]ictures?|[Vv]ideo)[ \t]+(?:by|[Cc]ourtesy of|[Cc]redit)[ \t][^()\n]{1,120}\)"
    r"|\((?:Photo(?:graph)?s?|Images?|Pictures?|Video)[ \t]+Credits?:[^()\n]{1,120}\)"
    r"|\((?:AP|AFP|Reuters|EPA)(?:[ \t]Photo)?/[^()\n]{1,80}\)"
)
_CREDIT_PARENS = (
    r"\((?:[Pp]hoto(?:graph)?s?|[Ii]mages?|[Pp]ictures?|[Vv]ideo)(?:[ \t]+(?:[Cc]redits?|[Cc]ourtesy|[Ss]ource))?:[^()\n]{1,120}\)"
    "|" + _OTHER_CREDIT_PARENS
)
# "Mario Tama/Getty Images", "Javier Manzano/For The Washington Post": photographer/agency.
# "Miley Ray Cyrus (@MileyCyrus) April 15, 2014": the name, handle and date under an embedded tweet.
# Rules start with a literal where they can: the regex engine then skips to candidates fast.
_TWEET_NAME = r"(?:[A-Z][\w.'’-]*+[ \t]+){0,4}"
_TWEET_HANDLE_DATE = r"\(@\w{1,15}\)[ \t]+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d{1,2},[ \t]+\d{4}"
_SLASH_CREDIT = r"(?:[A-Z][\w.'’-]+[ \t]){1,3}?[A-Z][\w.'’-]+[ \t]?/[ \t]?(?:For[ \t])?(?:The[ \t])?[A-Z][\w.&'’-]*(?:[ \t][A-Z][\w.&'’-]*){0,3}"

FURNITURE_RULES: tuple[Rule, ...] = (
    Rule(
        "twitter_embed_chrome",
        _AFTER_SENTENCE + r"(?:Tweet with a location"
        r"|You can add location information to your Tweets\b[^\n]{0,160}?(?:applications|apps)\."
        r"|You always have the option to delete your Tweet location history\."
        r"|Add this (?:Tweet|video|post|Moment) to your (?:website|site|blog) by copying the code below\."
        r"|Hmm,? there was a problem reaching the server\.(?:[ \t]+Try again\?)?"
        r"|By embedding Twitter content in your website or app,[^\n]{0,120}?Developer Policy\."
        r"|Include parent Tweet|Include media"
        r"|Not on Twitter\? Sign up,[^\n]{0,100}?as they happen\.)"
        r"(?:[ \t]+Learn more\b)?(?:[ \t]+Preview\b)?[ \t]*"
        r"|^[ \t]*(?:Learn more|Preview)[ \t]*$",
        why="Twitter's embed widget: 'Tweet with a location', 'You can add location information to your Tweets, "
        "such as your city or precise location, from the web and via third-party applications.', "
        "'Add this Tweet to your website by copying the code below. Learn more'.",
    ),
    Rule(
        "tweet_signature",
        rf"pic\.twitter\.com/\w+(?:[ \t]*(?:[—–]|--|โ€”)?[ \t]*{_TWEET_NAME}{_TWEET_HANDLE_DATE})?"
        rf"|(?:—|–|--|โ€”)[ \t]*{_TWEET_NAME}{_TWEET_HANDLE_DATE}"
        rf"|[A-Z][\w.'’-]*+(?:[ \t]+[A-Z][\w.'’-]*+){{0,3}}[ \t]+{_TWEET_HANDLE_DATE}|{_TWEET_HANDLE_DATE}",
        why="The signature under an embedded tweet, 'Miley Ray Cyrus (@MileyCyrus) April 15, 2014', and its picture "
        "link 'pic.twitter.com/QBPujurnUj'; the tweet's own words stay.",
    ),
    Rule(
        "image_caption_label",
        _AFTER_SENTENCE + r"(?:Media playback is unsupported on your device(?:[ \t]+Media caption[ \t]+[^\n]*?(?:[.!?](?=[ \t])|$))?"
        r"|(?:Image copyright[ \t][^\n]{1,80}?[ \t]+)?(?:Image|Media) caption[ \t]+[^\n]*?(?:[.!?](?=[ \t])|$)"
        r"|Image copyright[ \t][^\n]{1,80}$)",
        why="BBC picture and video labels with their captions: 'Image copyright AFP Image caption Many in China "
        "believe the body must be intact for a peaceful afterlife', 'Media playback is unsupported on your device "
        "Media caption Against the odds: The story of baby Vanellope'.",
    ),
    Rule(
        "caption_line_with_label_credit",
        r"^[ \t]*[^\s(][^\n.!?]{0,200}[.!?]?[ \t]+(?:Image|Photo|Picture|Photograph)s?(?:[ \t]credits?)?:[ \t]*[^\n.!?:]{1,60}$",
        why="A line of one sentence and a labelled credit is a picture's caption: 'View of the Zhangjiajie Grand Canyon "
        "bridge. Image: Shao ying/Imaginechina/ap' (credit_at_line_end would take the credit and leave the caption).",
    ),
    Rule(
        "story_highlights_label",
        _AFTER_SENTENCE + r"Story highlights[ \t]+",
        why="CNN's label for its box of bullet points, glued to the first one: 'Story highlights Concertgoers are "
        "invited to wear something gray' (the bullet stays).",
    ),
    Rule(
        "pipe_photo_credit",
        rf"^[^\n|]{{0,300}}?[ \t]\|[ \t]+(?:{_SLASH_CREDIT}|(?:{_PHOTO_AGENCY}|POLITICO)(?:[ \t]Photos?|[ \t]Images)?)(?=[ \t]|$)[ \t]*",
        why="A caption and its credit after a bar, before the headline: 'President Donald Trump often uses Twitter "
        "to rail against the media. | AP Photo Trump slams 'fake news'...' (the headline stays).",
    ),
    Rule(
        "caption_line_with_credit",
        rf"^[ \t]*[^\s(][^\n]{{0,350}}(?:{_CREDIT_PARENS}|(?:\.\.\.|…)[ \t]*\((?:Associated Press|AP|Reuters|AFP)\)"
        r"|\([A-Z][\w'’.& -]{1,40}:[ \t]*[A-Z][\w'’.-]+(?:[ \t][A-Z][\w'’.-]+){0,3}\))[ \t]*$",
        # needs: every credit it knows ends in ")", at the line's end
        needs=r"\)[ \t]*$",
        why="A short paragraph ending in a picture credit is that picture's caption: 'IAAF President Sebastian Coe "
        "speaks during a meeting ... in Vienna, Austria. (Photo: Christian Hofer, Getty Images for IAAF)', "
        "'San Mateo County coroner Robert Foucrault speaks ... Investigators are trying to determine... "
        "(Associated Press)', '... in Eagan on Sunday, Jan. 25, 2015. (Pioneer Press: Nick Ferraro)'.",
    ),
    Rule(
        "credit_in_parentheses",
        rf"(?<=\S)[ \t]*(?:{_CREDIT_PARENS})|^[ \t]*(?:{_OTHER_CREDIT_PARENS})[ \t]*$",
        # needs: the opening of every credit it knows
        needs=r"\((?:[Pp]hoto|[Ii]mage|[Pp]icture|[Vv]ideo|(?:AP|AFP|Reuters|EPA)(?:[ \t]Photo)?/)",
        why="A picture credit inside a paragraph: '(Image Credit: ... /AP Photo)', 'Suhayb Jamal Hassan (Photo "
        "Courtesy of the Rosemount-Apple Valley-Eagan school district)'; the rest of the line stays. A bare "
        "'(photo credit: X)' line is left to caption_before_credit, which takes the caption above it too.",
    ),
    Rule(
        "duplicate_caption_line",
        rf"^[ \t]*([^\n]{{20,400}}?)[ \t]*\n(?:[ \t]*\n)*[ \t]*(?=\1[ \t]+(?:{_SLASH_CREDIT}|{_CREDIT_PARENS}|\([^()\n]{{1,60}}\))[ \t]*$)",
        # needs: the credit's end at a line's end: a ")", or the "/" and outlet that end _SLASH_CREDIT
        needs=r"\)[ \t]*$|/[ \t]?(?:For[ \t])?(?:The[ \t])?[A-Z][\w.&'’-]*(?:[ \t][A-Z][\w.&'’-]*){0,3}[ \t]*$",
        why="Pages print a caption twice, the second time with its credit: 'A man collects items from a scrap yard "
        "near Bagram Airfield, ...' then the same line plus 'Javier Manzano/For The Washington Post'.",
    ),
    Rule(
        "slash_credit_caption_line",
        rf"^[^\n]{{0,400}}[.!?][\"”’]?[ \t]+{_SLASH_CREDIT}[ \t]*$"
        rf"|^[ \t]*(?:View[ \t]+)?(?:Slideshow[ \t]+)?(?:[A-Z][\w.'’-]+[ \t]){{0,2}}[A-Z][\w.'’-]*[ \t]?/[ \t]?{_PHOTO_AGENCY}\b[^\n]{{0,400}}$",
        why="A caption line that ends or starts with a photographer/agency credit: '... at the Waldorf-Astoria Hotel "
        "in New York City. Mario Tama/Getty Images', 'Times-Picayune /Landov Crew boats pump water Thursday ...'.",
    ),
    Rule(
        "view_caption_line",
        r"^[^\n]*\b(?:View|Show|Hide|Expand|[Tt]oggle) (?:Full )?[Cc]aption\b[^\n]*$",
        why="Caption widgets, 'Enlarge this image toggle caption Munir UZ Zaman/AFP/Getty Images' and "
        "'Prosecutors say Corey Morgan (left) and Kevin Edwards planned the heinous murder of "
        "9-year-old Tyshawn Lee. View Full Caption Chicago Police Department'.",
    ),
    Rule(
        "slideshow_counter",
        r"^[ \t]*(?:View[ \t]+)?(?:Slideshow|Photo [Gg]allery|Gallery)(?:[ \t]*\(\d+[ \t]+(?:Images|Photos|Pictures)\))?[ \t]*$",
        why="Gallery widgets on their own line: 'Slideshow (28 Images)'.",
    ),
    Rule(
        "teaser_label",
        _AFTER_SENTENCE + r"(?:RELATED(?: VIDEOS?| STORIES| CONTENT| LINKS?)?|READ MORE|READ ALSO|ALSO READ|SEE ALSO|MORE|WATCH"
        r"|VIDEOS?|PHOTOS?|GALLERY|NEWS|LISTEN|SLIDESHOW|TRENDING|UP NEXT|DON'T MISS|MUST SEE"
        r"|Related(?: [Vv]ideos?| [Ss]tories| [Cc]overage)?|Read [Mm]ore|See [Aa]lso|Also [Rr]ead|Watch|Photos|Video|Listen"
        r")[ \t]*:[^\n]*$",
        why="Links to other pages behind a label, to the end of the line: 'RELATED: Read the Horrifying Court "
        "Documents From the Tyshawn Lee Murder Case', 'NEWS: Miley cyrus gives up new dog Moonie', "
        "'Watch: Inside the LEGO hysteria'.",
    ),
    Rule(
        "read_more_suffix_line",
        r"^[^\n.!?]{1,200}?[ \t]+Read more[ \t]*$",
        why="Guardian-style teasers ending in the link: 'Documenting the Rohingya refugee crisis – in pictures Read more'.",
    ),
    Rule(
        "click_prompt",
        _AFTER_SENTENCE + r"(?:Please[ \t]+)?(?:Click|Tap|Swipe|Scroll)(?:/(?:tap|click))?"
        r"(?:[ \t]+(?:here|below|above|elsewhere|through|down|up|on[ \t]+\w+|the[ \t]+\w+))?[ \t]+(?:to|for)[ \t]"
        r"[^\n.!?]{0,200}[.!]?",
        why="Links and controls that address the reader: 'Click here to see the 50 least powerful people in the "
        "world.', 'Click here for a detailed description of sampling error.', 'Click above to listen to the call "
        "made to the Dodge County Sheriff's Office'.",
    ),
    Rule(
        "share_or_comment_prompt",
        _AFTER_SENTENCE + r"(?:(?:Read or )?Share this (?:story|article|page)[ \t]*:[ \t]*\S+"
        r"|Read about (?:that|it|this) here\."
        r"|(?:Have something to add to this story\?[ \t]*)?(?:Share|Leave|Post|Tell us)\b[^\n.!?]{0,40}\bin the comments?"
        r"(?:[ \t]+(?:section|below))*[.!]?)",
        why="'Read or Share this story: https://usat.ly/2IFR5Tt', 'Have something to add to this story? Share it in "
        "the comments.', 'Read about that here.'",
    ),
    Rule(
        "continue_reading_prompt",
        r"Photo Advertisement Continue reading the main story|Video Advertisement Continue reading the main story"
        r"|Advertisement Continue reading the main story"
        r"|Continue [Rr]eading (?:the main story|below|the story|this (?:story|article)|after (?:the )?(?:ad|advertisement))"
        r"|(?:Story|Article|STORY) (?:[Cc]ontinues?|CONTINUES?) (?:[Bb]elow|BELOW)(?:[ \t]+(?:the )?[Aa]dvertisement)?",
        why="Newspaper page breaks: 'Advertisement Continue reading the main story', 'Photo Advertisement Continue "
        "reading the main story', 'Story Continued Below'.",
    ),
    Rule(
        "player_chrome",
        r"Press[ \t]+CTRL-C or CMD-C[^\n.!?]{0,60}[.!]?|CTRL-C or CMD-C[^\n.!?]{0,60}[.!]?"
        r"|Click/tap elsewhere to exit, or press ESC\.?"
        r"|Skip in Skip x Embed x Share"
        r"|Video[ \t]+Loading Video Unavailable[^\n]{0,80}?Play now|Loading Video Unavailable[^\n]{0,80}?Play now"
        r"|Your browser does not support (?:the )?(?:video|audio)(?: tag| element| player)?\.?"
        r"|Please enable JavaScript[^\n.!?]{0,80}[.!]?|enable JavaScript[^\n.!?]{0,80}[.!]?"
        r"|CLOSE(?<=^CLOSE)[ \t][^\n]*$|CLOSE(?<=^ CLOSE)[ \t][^\n]*$",
        why="Video players: 'CTRL-C or CMD-C, then press Enter. Click/tap elsewhere to exit, or press ESC.', "
        "'Skip in Skip x Embed x Share', and USA Today's video blurb 'CLOSE USA TODAY Sports' Rachel Axon "
        "discusses ... USA TODAY Sports'.",
    ),
    Rule(
        "archive_crawl_notice",
        # Crawled notices often lose the space between sentences ("...will be preserved.Then the Internet ...").
        r"(?:^[ \t]*|(?<=[.!?\"”’)]\s)|(?<=[a-z][.!?])(?=[A-Z]))"
        r"[^\n.!?]{0,200}?(?=[cCNfawrstTW])(?:crawl data|[Cc]rawls? (?:are|is|was|were) (?:part|performed)|[Cc]rawls? of (?:supported|online)"
        r"|No More 404|fix all broken links on the web|added to the Wayback Machine|web page captures"
        r"|archive (?:the )?pages as they are created|the version that was live when the page was written"
        r"|references to these archived pages|seed for this crawl|[Tt]his crawl was run|WARC files)[^\n.!?]{0,300}(?:[.!?][\"”]?|$)",
        why="Internet Archive notices on crawled pages: 'Starting in 1996, Alexa Internet has been donating their "
        "crawl data to the Internet Archive.', 'The seed for this crawl was a list of every host in the Wayback Machine', "
        "'The WARC files associated with this crawl are not currently available to the general public.'",
    ),
    Rule(
        "newsletter_prompt",
        _AFTER_SENTENCE + r"(?:[ \t]*(?:(?:Sign up|Subscribe)(?:[ \t]+(?:now|today|here))?[ \t]+(?:for|to)\b[^\n.!?]{0,80}?"
        r"\b(?:newsletters?|e-?mails?|alerts|updates|digest|briefing)\b[^\n.!?]{0,80}[.!]?"
        r"|Get the [^\n.!?]{0,60} by e-?mail(?:[ \t]+Subscribe)?"
        r"|Thanks? (?:you )?for subscribing!?|Could not subscribe, try again later|Invalid Email"
        r"|We use your sign-up to provide content[^\n]{0,120}?understanding of you\.))+",
        flags=re.IGNORECASE,
        why="Newsletter boxes: 'Get the biggest daily news stories by email Subscribe Thanks for subscribing! Could "
        "not subscribe, try again later Invalid Email'.",
    ),
    Rule(
        "page_stamp",
        _AFTER_SENTENCE + r"(?:CREATED|POSTED|UPDATED|PUBLISHED)\b:?[ \t][^\n.!?]{0,40}?\d{4}"
        r"(?:[ \t]*[-|][ \t]*(?:UPDATED|CREATED|POSTED)\b:?[ \t][^\n.!?]{0,40}?\d{4})?",
        why="Page stamps glued to a byline: 'By Todd Hicks. CREATED Feb 3, 2015 - UPDATED: Feb 3, 2015'.",
    ),
    Rule(
        "dateline_before_sentence",
        rf"^[ \t]*(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,[ \t]+{_MONTH}[ \t]+\d{{1,2}},[ \t]+\d{{4}}[ \t]*(?=[A-Z][a-z])",
        why="A page's date stamp glued to the first sentence: 'Saturday, March 26, 2005 Up to four times as many "
        "women as men died ...', 'Tuesday, January 18, 2005Through a telethon, Romanians have raised ...' (the "
        "sentence stays; a date line on its own stays too).",
    ),
    Rule(
        "title_glued_to_sentence",
        r"(?:^[ \t]*|(?<=[.!?] ))[A-Z][^\n.!?:;\"“”]{8,80}?[a-z]"
        r"(?=(?:It|It’s|It's|The|This|That|These|Those|He|She|They|We|In|On|An|But|And|As|At|For|When|While"
        r"|After|Its|His|Her|Their|There|If|Now|So)[ \t’'])",
        # needs: a lower-case letter right before the first letter of one of those words (the capital
        # looked for first, the letter before it after: the regex engine skips to capitals fast)
        needs=r"[ABFHINOSTW](?<=[a-z].)",
        why="A chart or section title glued to the sentence after it, with no space between: 'Prices for copper "
        "have surgedIt’s a key ingredient in any kind of circuit ...' (the sentence stays; a name such as 'BofA "
        "and' is not a glue, as one-letter words are not taken for the next sentence's start).",
    ),
    Rule(
        "store_widget",
        r"^[^\n]{0,40}\bmaximum quantity of an item\b[^\n]*$|^[ \t]*To inquire about purchasing more than\b[^\n]*$",
        why="Shop pages: 'The maximum quantity of an item that can purchased in each transaction is 99.'",
    ),
)

CLEANING_RULES: tuple[Rule, ...] = (
    # --- Page furniture: FURNITURE_RULES above, first because they are the most specific (a caption
    # line must go whole before the credit rules below take its credit and leave the caption) ----------
    *FURNITURE_RULES,
    # --- Wire services (DUC/TREC SGML) -----------------------------------------
    Rule(
        "wire_note_line",
        r"^[ \t]*&UR;.*$",
        why="AP editor notes, bylines and routing codes: '&UR; Eds: UPDATES ...', '&UR; AP Photo'.",
    ),
    Rule("wire_entities", r"&(?:QL|QC|UR|LR|HT|Cx[0-9A-Fa-f]{2}|TF|TL|MD|XT);", why="SGML typesetting codes."),
    Rule(
        "wire_trailer",
        r"^[ \t]*(?:[A-Z]{2,4}-){1,3}\d\d-\d\d-\d\d \d{3,4}[A-Z]{3}\b.*$",
        needs=r"-\d\d-\d\d-\d\d \d\d\d",  # the stamp's date and time
        why="Transmission stamps such as 'NYT-10-17-98 0432EDT' or 'AP-NY-11-23-98 1554EST'.",
    ),
    Rule(
        "wire_optional_material",
        r"^[ \t]*\(?STORY CAN END HERE\b.*$|^[ \t]*\(?OPTIONAL MATERIAL FOLLOWS\b.*$",
        why="NYT editing marks '(STORY CAN END HERE. OPTIONAL MATERIAL FOLLOWS)'.",
    ),
    Rule(
        "wire_editor_initials",
        r"^[ \t]*\([a-z]{1,4}(?:[-/][a-z]{1,4}){0,4}\)[ \t]*$",
        needs=r"\)[ \t]*$",  # a line that ends in ")"
        why="Editor initials closing a wire story: '(ms-gb)', '(th)'.",
    ),
    Rule(
        "wire_pickup_line",
        r"^[^\n]{0,80}, (?:\d+(?:st|nd|rd|th) graf|graf \d+)\b[^\n]*$",
        why="AP pickup instructions: 'Temperatures in, 3rd graf pvs', 'Chile said, graf 3 pvs'.",
    ),
    Rule(
        "filler_line",
        "^" + _FILLER,
        needs=_at_line_start(_FILLER),
        why="Separators and continuation marks: 'nn', 'MORE', '___', '* * *'.",
    ),
    Rule(
        "editors_note_line",
        r"^[ \t]*EDITOR'?S NOTE\b[^\n]*$",
        flags=re.IGNORECASE,
        why="Notes to editors and readers about the story, not part of it.",
    ),
    Rule(
        "wire_copyright",
        r"c\.\s?\d{4} (?:N\.Y\. Times News Service|[A-Z][\w.&' ]{2,40} News Service)",
        why="Syndication notice 'c.1998 N.Y. Times News Service'.",
    ),
    Rule(
        "wire_service_note",
        r"^[ \t]*\((?:Repeating|A sidebar|Eds:|EDS:|UPDATES|RECASTS|CORRECTS|Optional)\b[^\n]*\)[ \t]*$",
        why="Syndication notes in parentheses: '(A sidebar to running trial coverage)'.",
    ),
    Rule(
        "bracketed_promo",
        r"\[(?:Photo Gallery|Photos?|Gallery|Slideshow|Video|Watch|Related|Read more|Read also|See also|Also read"
        r"|More|Listen|Audio|Interactive|Graphic|Poll|Pic|Pics|Image|Images)\b[^\]\n]{0,160}\]",
        flags=re.IGNORECASE,
        why="Inline promos for other pages: '[Photo Gallery: NASA's Curiosity Lands on Mars.]'.",
    ),
    # --- Photos and media --------------------------------------------------------
    Rule(
        "caption_before_credit",
        rf"^[^\n.!?]{{1,100}}\n(?=[ \t]*\({_CREDIT_WORD}(?: credits?| courtesy)?\s*:[^)\n]{{0,80}}\)[ \t]*$)",
        why="A short line right above a bare '(photo credit: ...)' line is that photo's caption.",
    ),
    Rule(
        "caption_with_credit_line",
        rf"^[^\n]{{0,100}}\({_CREDIT_WORD}(?: credits?| courtesy)?\s*:[^)\n]{{0,80}}\)[ \t]*$",
        why="A line ending in '(photo credit: ...)' is a caption: 'Syria army defector 370 (photo credit: ...)'.",
    ),
    Rule(
        "credit_parenthetical",
        rf"\s*\({_CREDIT_WORD}(?: credits?| courtesy)?\s*:[^)\n]{{0,80}}\)",
        # needs: the parenthesis and the credit word
        needs=r"\((?:[Pp]hoto|PHOTO|[Ii]mage|[Pp]icture|[Vv]ideo)",
        why="A credit inside a paragraph: drop the parenthesis, keep the sentence.",
    ),
    Rule(
        "credit_at_line_end",
        rf"(?:{_NAME_TOKEN} ){{0,2}}(?:news )?{_CREDIT_WORD}(?: credits?| courtesy)?:[ \t]*[^\n.!?:\]]{{1,60}}$",
        # needs: the credit word and its colon: a quick search before the slow one
        needs=r"(?:hoto(?:graph)?s?|HOTOS?|mages?|ictures?|ideo)(?: credits?| courtesy)?:",
        why="Credits glued to the end of a line, e.g. after a headline: '...regimeIsrael news photo: Flash 90'.",
    ),
    Rule(
        "credit_line",
        rf"^[ \t]*(?:{_CREDIT_WORD}(?: credits?)?(?::| by)|Credits?:|Getty Images|AP Photo\b|Reuters/)[^\n.!?]{{0,80}}$",
        why="A line holding only a credit: 'Photo: AP', 'Photo by Jane Doe/Reuters'.",
    ),
    Rule(
        "click_for_more",
        r"Click (?:here |below )?(?:for|to)\b[^\n.!?]{0,60}"
        r"(?:coverage|more|story|stories|video|videos|gallery|photos|here|article|report|updates)\b[.!]?",
        why="Links such as 'Click for full JPost coverage', even when repeated and glued together.",
    ),
    Rule(
        "agency_credit_line",
        r"^[^\n.!?]{0,60}(?:\bvia |/)(?:Getty Images|AFP|AP|Reuters|EPA|Shutterstock|Bloomberg|CBS News|NBC News)"
        r"[^\n.!?]{0,20}$|^[^\n.!?]{0,60}Getty Images[ \t]*$",
        # needs: the agency after its 'via' or slash
        needs=r"(?:via |/)(?:Getty Images|AFP|AP|Reuters|EPA|Shutterstock|Bloomberg|CBS News|NBC News)|Getty Images",
        why="Picture agency credits on their own line: 'VCG via Getty Images', 'Police Dept./CBS News'.",
    ),
    # --- Bylines, sharing, related content ----------------------------------------
    Rule(
        "byline_line",
        rf"^[ \t]*By(?:[ \t]+{_NAME_TOKEN}){{0,5}}(?:(?:,|[ \t]+and)(?:[ \t]+{_NAME_TOKEN}){{1,5}})*"
        r"[ \t]*(?:\+[ \t]*More)?[ \t]*$",
        max_chars=120,
        why="A byline on its own line, including the 'By + More' author widget.",
    ),
    Rule(
        "share_prompt_line",
        rf"^[ \t]*(?:{_SHARE_WORD}[ \t]*[|/·•,:]?[ \t]*)+$",
        flags=re.IGNORECASE,
        why="Lines made only of sharing buttons: 'Share this', 'Tweet', 'Email', 'Facebook | Twitter'.",
    ),
    Rule(
        "read_more_line",
        r"^[ \t]*(?:Read more|Read also|Also read|See also|Related|Recommended|More on this story|Most popular"
        r"|Advertisement|ADVERTISEMENT|Sponsored|Trending)\b[^\n.!?]{0,100}$",
        why="Headers of related-content and ad blocks.",
    ),
    Rule(
        "contributed_line",
        r"^[ \t]*(?:[A-Z][\w.&'’ ,-]{1,80}) contributed(?: reporting| additional reporting)?(?: to| for) this (?:report|story|article)\.?[ \t]*$",
        why="Agency credit lines: 'Reuters contributed to this report.'",
    ),
    Rule(
        "reporting_by_line",
        r"^[ \t]*\(?(?:Additional )?(?:Reporting|Writing|Editing|Compiled) by\b[^\n]{0,200}$",
        flags=re.IGNORECASE,
        why="Reuters-style credit lines: '(Reporting by ...; Editing by ...)'.",
    ),
    Rule(
        "copyright_line",
        r"^[ \t]*(?:©|\(c\)\s*\d{4}|Copyright\s*(?:©|\(c\)|\d{4}))[^\n]{0,150}$",
        flags=re.IGNORECASE,
        why="Copyright footers.",
    ),
    Rule(
        "related_link_bullet",
        rf"^[ \t]*{_BULLET}[ \t]+[^\n]{{1,160}}(?<![.!])(?<![.!][\"”’])$",
        where="end",
        needs=_at_line_start(rf"[ \t]*{_BULLET}[ \t]"),  # a line that opens with a bullet
        why="A bullet list at the end of an article is a list of links to other stories: headlines, so a "
        "bullet that ends like a sentence ('* When the surface waves ... reached Alaska ...') is news and stays.",
    ),
    Rule(
        "author_bio",
        rf"^[ \t]*\(?(?![^\n]*\b(?:said|says|told|according to)\b)(?:{_NAME_TOKEN}[ \t]+){{2,4}}"
        rf"(?:(?:covers|writes about|writes on|writes|reports on|reports)\b{_IN_SENTENCE}{{1,100}}?\bfor[ \t]+(?:the[ \t]+)?[A-Z]"
        rf"|is (?:a|an|the|The)\b(?:{_IN_SENTENCE}{{0,60}}(?:'s|’s){_IN_SENTENCE}{{0,60}}\b{_PRESS_ROLE}"
        rf"|{_IN_SENTENCE}{{0,60}}\b{_PRESS_ROLE}[ \t]+(?:for|at|with)[ \t]+(?:the[ \t]+)?[A-Z]))[^\n]*$",
        where="end",
        max_chars=300,
        why="A short closing line about the reporter: 'John T. Bennett covers national security ... for U.S. News', "
        "'Sara A. Carter is The Washington Examiner's national security correspondent.' A person's name, a press "
        "job and the outlet: 'Tlas is the chief of staff' or 'Reuters reports that ...' are news and stay.",
    ),
    Rule(
        "author_contact",
        rf"^[ \t]*\(?(?:[^\n.!?]{{1,150}}[.!?][ \t]+)?(?:"
        rf"(?:He|She|They|(?:{_NAME_TOKEN}[ \t]+){{1,4}})(?:can|may) be (?:reached|contacted|e-?mailed)"
        r"(?:[ \t]+(?:at|on|via|by (?:e-?mail|phone|telephone)(?: at)?))?[ \t]*(?:$|\.|[\w.+-]+@|\(?\+?\d|@|www\.|https?:|[Tt]witter)"
        r"|You can (?:contact|reach|e-?mail|write to|follow) (?:him|her|them|us|the author|the writer)\b"
        r"|(?:Contact|E-?mail|Reach|Write to) (?:him|her|them|the author|the writer) (?:at|on|via)\b"
        r"|Follow (?:him|her|them|us|the author|the writer) (?:on|at)\b"
        r")[^\n]*$",
        where="end",
        max_chars=300,
        why="Contact lines closing an article: 'You can contact him at or follow him on Twitter.', 'She can be "
        "reached at'. The line must open with the contact phrase: 'The village can be reached only by road' stays.",
    ),
    Rule(
        "end_share_or_tags",
        r"^[ \t]*(?:Tags?|Topics?|Filed under|Categories)\s*:[^\n]{0,200}$",
        flags=re.IGNORECASE,
        where="end",
        why="Tag lists under an article.",
    ),
    Rule(
        "dateline_stamp_line",
        r"^[ \t]*(?:First |Last )?(?:Published|Updated|Posted)(?: on| at)?:?[ \t][^\n]{0,50}\d[^\n]{0,20}(?<![.!?])$",
        flags=re.IGNORECASE,
        why="Page stamps 'First Published: Jun 13, 2017 12:29 IST', 'Updated on Dec 15, 2016'.",
    ),
    Rule(
        "navigation_line",
        # The link's shape is looked for first, the quotation marks after: a long line fails the
        # first test within 61 characters instead of being read to its end for « and ‹.
        r"^(?=[^\n.!?]{1,60}[ \t]*[>›»][ \t]*$)(?![^\n]*[«‹])[^\n]*|^[ \t]*[^\w\n]{1,3}[ \t]*$"
        r"|^[ \t]*(?:Text size|Font size|Listen to this article|Reset)\b[^\n.!?]{0,20}$",
        flags=re.IGNORECASE,
        # needs: each alternative's line: one ending in the link's mark, one of no word characters, one
        # opening with a widget's name
        needs=r">[ \t]*$|›[ \t]*$|»[ \t]*$|"
        + _at_line_start(r"[^\w\n]+$|[ \t]*(?:Text size|Font size|Listen to this article|Reset)"),
        why="Navigation links ('Back to China News >'), stray symbols and page widgets ('Text Size -'); "
        "a line closing a «quotation» is not a link.",
    ),
    Rule(
        "agency_inputs_line",
        r"^[ \t]*\((?:With )?(?:inputs? from [^)\n]{1,40}|agency inputs?|[A-Z][\w ]{1,30} inputs?)\)[ \t]*$",
        flags=re.IGNORECASE,
        why="Indian-press source notes: '(With agency inputs)'.",
    ),
    # --- Layout --------------------------------------------------------------------
    Rule(
        "standfirst_byline",
        r", writes (?:[A-Z][\w.'’-]+ ){1,4}in [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)? (?=[A-Z](?:[a-z]|\s))",
        replace=".\n",
        why="Weekly papers glue the standfirst '..., writes Bassel Oudat in Damascus' to the first "
        "paragraph: the byline goes, the standfirst becomes a sentence of its own.",
    ),
)

_OTHER_SPACES = r"\t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000"  # space characters but " " (a class's body)
# Every run of space characters becomes one " ": the other space characters each become a " "
# first, then runs of " " one. (One pattern for a run of any of them, " [ ...]+|[...][ ...]*",
# has no first character for the regex engine to skip to: it was tried at every character.)
_OTHER_SPACE = re.compile(rf"[{_OTHER_SPACES}]")
_SPACE_RUN = re.compile(" {2,}")
_ZERO_WIDTH_CHARACTERS = r"\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH = re.compile(rf"[{_ZERO_WIDTH_CHARACTERS}]")
# Control characters (ESC opens terminal escape sequences): never part of an article.
_CONTROL_CHARACTERS = r"\x00-\x08\x0e-\x1f\x7f"
_CONTROL = re.compile(rf"[{_CONTROL_CHARACTERS}]")
# C1 controls in decoded text are Windows-1252 bytes read as Latin-1 ("report\x92s"):
# give them their cp1252 meaning (’ “ ” – …), or drop them where cp1252 has none.
_C1_CHARACTERS = r"\x80-\x9f"
_C1 = re.compile(rf"[{_C1_CHARACTERS}]")
# Everything normalize_whitespace replaces but a "\n" and runs of " ": most texts hold none of it.
_SPECIAL_CHARACTERS = re.compile(rf"[{_OTHER_SPACES}{_ZERO_WIDTH_CHARACTERS}{_CONTROL_CHARACTERS}{_C1_CHARACTERS}\u2028\u2029]")


def _cp1252(match: re.Match[str]) -> str:
    return bytes([ord(match.group(0))]).decode("cp1252", errors="ignore")

_LEFTOVER_ENTITY = re.compile(r"&[A-Z][A-Za-z0-9]{1,6};")
_SENTENCE_END = re.compile(rf"""[.!?…:;][{CLOSING_CHARACTERS})\]]*$|''$""")
# Headlines may end in "?" or "!", never in a full stop.
_FULL_STOP_END = re.compile(rf"""[.…:;,][{CLOSING_CHARACTERS})\]]*$""")
# How many trailing lines "end" rules may strip: enough for a bio, a contact line
# and a list of links, not so many that they reach into the story.
_END_WINDOW = 15
# A bulleted line starts a paragraph of its own (compiled once: unwrap_lines tests every line).
_BULLET_START = re.compile(rf"{_BULLET}\s")


def normalize_whitespace(text: str) -> str:
    """One paragraph per line, single spaces, no blank lines, no zero-width or control characters."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # A metadata value with nothing to do: no line break, and every special and space
        # character but " " is unprintable; the only one printable is " ", and it stays.
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SPECIAL_CHARACTERS.search(text) is not None:
        if not text.isascii():  # line separators, zero-width and C1 characters are all outside ASCII
            text = _C1.sub(_cp1252, _ZERO_WIDTH.sub("", text.replace("\u2028", "\n").replace("\u2029", "\n")))
        text = _OTHER_SPACE.sub(" ", _CONTROL.sub(" ", text))
    # Substitutions over the whole text, not one per line: no run of spaces holds a "\n", so the
    # lines come out the same.
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    """A metadata value (id, title, source, URL): :func:`normalize_whitespace`, on a single line."""
    return normalize_whitespace(text).replace("\n", " ")


def _looks_hard_wrapped(lengths: list[int]) -> tuple[bool, int]:
    """Typewriter-style text: most lines end near one fixed width of 60-100 characters."""
    if len(lengths) < 3:
        return False, 0
    ordered = sorted(lengths)
    width = ordered[int(0.9 * (len(ordered) - 1))]
    if not 40 <= width <= 100 or ordered[-1] > width + 30:
        return False, width
    near_width = sum(1 for n in lengths if n >= 0.75 * width)
    return near_width >= 0.5 * len(lengths), width


def _ends_sentences(lines: list[str]) -> bool:
    """Paragraph-per-line text ends nearly every line with a full stop; wrapped text mostly doesn't."""
    ends = sum(1 for line in lines if _SENTENCE_END.search(line.rstrip()))
    return ends >= 0.5 * len(lines)


def unwrap_lines(text: str, wrapped: bool | None = None) -> str:
    """Join hard-wrapped lines back into paragraphs.

    A paragraph ends at a blank line, before an indented or bulleted line, and
    after a line much shorter than the wrap width. ``wrapped=None`` first checks
    that the text is hard-wrapped at all, so ordinary one-paragraph-per-line
    text passes through untouched.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lengths = [len(line.rstrip()) for line in lines if line.strip()]
    detected, width = _looks_hard_wrapped(lengths)
    if wrapped is None:  # a caller that knows (SGML wire text) is spared the check of line ends
        wrapped = detected and not _ends_sentences([line for line in lines if line.strip()])
    if not wrapped:
        return text
    if not width:
        width = max(lengths, default=0)
    paragraphs: list[str] = []
    current: list[str] = []
    previous_len = 0
    for line in lines:
        stripped = line.strip()
        starts_paragraph = (
            not stripped
            or line[:1] in (" ", "\t")  # wrapped continuation lines start flush left
            or stripped.startswith("&UR;")
            or _BULLET_START.match(stripped) is not None
            or previous_len < 0.6 * width
        )
        if starts_paragraph and current:
            paragraphs.append(" ".join(current))
            current = []
        if stripped:
            current.append(stripped)
        previous_len = len(line.rstrip()) if stripped else 0
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(paragraphs)


def drop_title_line(text: str, title: str) -> str:
    """Remove the headline when the body repeats it as its first line."""
    if not title or not text:
        return text
    first, _, rest = text.partition("\n")
    if normalize_sentence(first) == normalize_sentence(title):
        return rest
    return text


@dataclass(frozen=True)
class Removal:
    """What one rule took out of one article (``text`` minus what it put back)."""

    rule: str
    text: str
    chars: int


@dataclass
class CleanedArticle:
    """One :func:`clean_text` call seen by :func:`record_removals`."""

    raw_chars: int
    removals: list[Removal] = field(default_factory=list)


_RECORDING: ContextVar[list[CleanedArticle] | None] = ContextVar("newsdigest_cleaning_record", default=None)


@contextmanager
def record_removals() -> Iterator[list[CleanedArticle]]:
    """Within the block, every :func:`clean_text` call (by any reader) is logged.

    Yields a list that gets one :class:`CleanedArticle` per cleaned article,
    with what each rule removed. ``bench/cleaning_report.py`` uses it to show
    how much text every rule takes over a whole data set.
    """
    log: list[CleanedArticle] = []
    token = _RECORDING.set(log)
    try:
        yield log
    finally:
        _RECORDING.reset(token)


def _apply_rule(rule: Rule, text: str, removed: list[Removal] | None) -> str:
    if rule.max_chars is None and removed is None:
        return rule.regex.sub(rule.replace, text)

    def replace(match: re.Match[str]) -> str:
        if rule.max_chars is not None and len(match.group(0)) > rule.max_chars:
            return match.group(0)
        put_back = match.expand(rule.replace)
        if removed is not None and match.group(0).strip():  # blank lines are not text lost
            removed.append(Removal(rule.name, match.group(0), len(match.group(0)) - len(put_back)))
        return put_back

    return rule.regex.sub(replace, text)


def _end_rule_for(line: str, rules: list[Rule]) -> Rule | None:
    for rule in rules:
        if rule.max_chars is not None and len(line) > rule.max_chars:
            continue
        if rule.may_match(line) and rule.regex.search(line):
            return rule
    return None


def _apply_end_rule_lines(text: str, rules: list[Rule], removed: list[Removal] | None = None) -> str:
    lines = text.split("\n")
    dropped = 0
    while len(lines) > 1 and dropped < _END_WINDOW:
        last = lines[-1]
        if not last.strip():
            lines.pop()
            continue
        rule = _end_rule_for(last, rules)
        if rule is None:
            break
        lines.pop()
        dropped += 1
        if removed is not None:
            removed.append(Removal(rule.name, last, len(last) + 1))
    return "\n".join(lines)


def _apply_anywhere_rules(scan: _LiteralScan, text: str, removed: list[Removal] | None) -> str:
    """Every "anywhere" rule in order, each searched only where its prefilter lets it (see :class:`_LiteralScan`)."""
    found, found_folded = scan.found(text)
    pending = scan.candidates(found, found_folded)  # bit i: tests[i] still to ask, lowest first
    while pending:
        i = (pending & -pending).bit_length() - 1
        pending &= pending - 1
        rule, test = scan.tests[i]
        if test is None or test(text, found, found_folded):
            changed = _apply_rule(rule, text, removed)
            if changed is not text:  # re.sub gives the very string back when nothing matched
                text = changed
                found, found_folded = scan.found(text)
                pending = scan.candidates(found, found_folded) >> (i + 1) << (i + 1)  # the rules after this one
    return text


def clean_text(
    text: str,
    title: str = "",
    *,
    rules: tuple[Rule, ...] | list[Rule] = CLEANING_RULES,
    furniture: Collection[str] = (),
) -> str:
    """Clean one article body: one paragraph per line, boilerplate removed.

    ``title`` is the article's headline, when known: a first body line that only
    repeats it is dropped. ``rules`` defaults to :data:`CLEANING_RULES`.
    Sentences that recur across unrelated stories are dropped too: the shipped
    list (:func:`~newsdigest.ingest.furniture.shipped_furniture`) and
    ``furniture``, normalised sentences a pipeline found in its own stream
    (:func:`~newsdigest.ingest.furniture.recurring_sentences`).
    """
    log = _RECORDING.get()
    removed: list[Removal] | None = None
    if log is not None:
        log.append(CleanedArticle(len(text)))
        removed = log[-1].removals
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unwrap_lines(text)
    at_end = [r for r in rules if r.where == "end"]
    if isinstance(rules, tuple):
        text = _apply_anywhere_rules(_scan_for(rules), text, removed)
    else:
        for rule in rules:
            if rule.where == "anywhere" and rule.may_match(text):
                text = _apply_rule(rule, text, removed)
    # Entities after the rules, so wire codes like "&UR;" are still visible to them.
    text = html.unescape(text)
    text = _LEFTOVER_ENTITY.sub("", text)
    text = normalize_whitespace(text)
    text = drop_furniture_sentences(text, shipped_furniture(), furniture)
    if at_end:
        text = _apply_end_rule_lines(text, at_end, removed)
    without_title = drop_title_line(text, title)
    if removed is not None and without_title != text:
        removed.append(Removal("repeated_title", title, len(text) - len(without_title)))
    return without_title.strip()


def looks_like_title(line: str) -> bool:
    """A headline: short, and not ending like a sentence."""
    line = line.strip()
    if not line or len(line.split()) >= 20 or len(line) > 200:
        return False
    return _FULL_STOP_END.search(line) is None
