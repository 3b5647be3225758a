"""Which sentences may enter a summary at all, and filling a budget greedily."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from newsdigest.model import Budget, Sentence
from newsdigest.nlp.quotes import CLOSING_CHARACTERS, OPENING_CHARACTERS, quotes_balanced
from newsdigest.nlp.text import count_words, normalize_sentence
from newsdigest.settings import MIN_SENTENCE_WORDS
_QUESTION_RE = re.compile(r"\?\W*$")
# A line that ends in a colon introduces something (a list, an embed) and one
# that ends in an ellipsis was cut off (a wire teaser: "... (Associated Press)").
_UNFINISHED_RE = re.compile(rf"""(?::|\.\s?\.\s?\.|…)[{CLOSING_CHARACTERS}]?\s*(?:\([^()]*\))?\s*$""")
# A sentence ends in a full stop, "!" or "?", perhaps inside a closing quote or bracket; a line
# without one is a headline, a picture's caption ("Beached boat in Galle, Sri Lanca after 2004
# Tsunami"), a label or a fragment, none of them a sentence of the story.
_SENTENCE_END_RE = re.compile(rf"""[.!?…][{CLOSING_CHARACTERS})\]]*\s*$""")
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
# Captions and credits, each kind with the words (lower case) one of its patterns needs (see _PAGE_ITSELF_KINDS).
_CAPTION_KINDS = {
    # AP and Reuters caption openings: "FILE - In this Oct. 27, 2012 file photo, ...", "... in this handout photo".
    "file": (r"^FILE\s*[-–—]",),
    "photo": (
        r"\b(?:in|from)\s+this\s+(?:(?-i:[A-Z][a-z]+)\.?,?\s+|\d{1,2},?\s+|(?:19|20)\d\d,?\s+|undated\s+|file\s+"
        r"|handout\s+|recent\s+|aerial\s+)*(?:photos?|images?|pictures?|photograph|frame grab|screen ?grab|screenshot"
        r"|video still|handout)\b|\b(?:handout|file)\s+(?:photo|picture|image)\b"
        r"|\b(?:photo|picture|image|photograph)\s+(?:provided|released|made available|obtained)\s+by\b"
        # Credits: "Photo: X", "(Photo ...", "AP Photo".
        r"|\bphoto(?:graph)?s?:\s|\((?:photo|image|picture)s?\b|\b(?:AP|AFP|Reuters|EPA)\s+Photo\b",
        "image", "picture", "frame grab", "screen", "video still", "handout",
    ),
    # "Image copyright", "Media caption", "Photo credit".
    "caption": (r"\b(?:image|photo|picture|media)\s+(?:copyright|caption|credit)\b", "copyright", "credit"),
    # "X/Getty Images", "via AFP".
    "/": (r"(?:/|\bvia\s+)(?:Getty Images|AFP|AP|Reuters|EPA)\b", "via "),
    "|": (r"\|\s",),  # "... | AP"
    "(associated press)": (r"\((?:Associated Press)\)\s*$",),
    "(left)": (
        r"\((?:left|right|center|centre|top|bottom|pictured|above|below|inset)\)",
        "(right)", "(center)", "(centre)", "(top)", "(bottom)", "(pictured)", "(above)", "(below)", "(inset)",
    ),
}
# A caption's template: someone in the present tense, then a full date ("speaks ... on June 17, 2016 in Vienna").
_MONTH_DATE = r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d\d"
_MONTH_DATE_RE = re.compile(_MONTH_DATE + r"\b")
_CAPTION_VERB_RE = re.compile(
    r"\b(?:speaks|poses|attends?|looks on|gestures|is seen|are seen|listens|reacts|celebrates|smiles"
    r"|shakes hands|greets|pauses|is pictured|are pictured|prays|embraces|shares? a laugh|mourns)\b"
)


# Page shapes that are not sentences of the story, whatever their words:
_PAGE_SHAPE_RE = re.compile(
    # a caption opening with its credit, a site or outlet glued before the caption's first word
    # ("Facebook This is the message Facebook users get ...", "tsu.co Facebook is blocking users ...");
    r"^(?:[a-z0-9][\w-]*(?:\.[a-z0-9-]+)*\.(?:com|co|org|net|tv|io|news|uk|us|ca|au|de|fr|me|ly)\s+[A-Z]"
    r"|(?:[A-Z][\w.&'’-]*\s+){1,3}(?:This|These|That|Those|The)\s+[a-z])"
    # a picture described without a verb: "View of the Zhangjiajie Grand Canyon bridge.";
    r"|^(?:An?\s+)?(?i:(?:aerial|general|close-up|closeup|wide|partial|overhead|interior|exterior)\s+)?[Vv]iew\s+of\s"
    r"(?!.*\b(?:is|was|are|were|has|have|had|shows?|showed|seems?)\b)\S+(?:\s+\S+){0,12}$"
    # a label for a box of bullet points glued to the first one: "Story highlights Concertgoers are invited ...";
    r"|^(?:Story|Key|Article)\s+(?:[Hh]ighlights|[Pp]oints|[Ss]ummary)\b"
    # a quoted list or data field (markup left as "> Occupation: ...").
    r"|^>"
)
# A stamp or source line: a few words ending in a full date, no full stop ("According to Time magazine Dec 27, 2016",
# "Published on Dec 15, 2016"). Tried only on a text ending in a year (see :func:`_is_stamp`).
_STAMP_RE = re.compile(r"^[^.!?]{0,60}" + _MONTH_DATE + r"\s*$")
# The page talking to its reader about the page: reaction and vote quotas ("Sorry, but you can only react up to 3
# times!", "It looks like you've already used that reaction on this post."), and teasers for its own content
# ("... rest a while and read our picks for the winners and the losers ...").
_READER_PAGE_RE = re.compile(
    r"\b(?:react|vote|comment|rate|like)\s+(?:up\s+to|more\s+than)\s+\d+\s+times?\b"
    r"|\byou(?:'ve|’ve|\s+have)?\s+already\s+(?:used|voted|reacted|rated|liked|commented)\b"
    r"|\breactions?\s+(?:on|to)\s+this\s+(?:post|page|story|article|video)\b|^your\s+reactions?\b"
    r"|\b(?:read|see|watch|check\s+out|browse|view|explore)\s+our\s+(?:\w+\s+)?(?:picks|coverage|guide|list|gallery|photos"
    r"|slideshow|video|videos|live\s+blog|full\s+(?:story|report|review|interview)|latest|stories|review|analysis|interview)\b",
    re.IGNORECASE,
)
_READER_PAGE_WORDS = (
    " times", "already", "reaction", "read our", "see our", "watch our", "check out our", "browse our", "view our",
    "explore our",
)
# The page talking about itself rather than the news: syndication and copyright notices, corrections
# and update notes, contributor lines, comment moderation, players and content that failed to load,
# thanks and pleas to the reader, "follow X on Twitter". A news sentence about a report or a
# comment names what it reports on ("The report was released on Tuesday") and matches none.
# Each kind with the words (lower case) one of its patterns needs: a kind is searched only in a text
# holding one of its words, and the common ones ("comment", "civil", "follow", "available") then
# send a text to the few patterns that need them rather than to all of them.
_PAGE_ITSELF_KINDS = {
    "may not": (r"\bmay\s+not\s+be\s+(?:published|reproduced|republished|redistributed|rewritten)\b",),
    "rights reserved": (r"\ball\s+rights\s+reserved\b",),
    "this article": (
        r"\bthis\s+(?:article|story|post|piece|page|interview|content|material|column)\s+(?:was\s+|has\s+been\s+|is\s+)?"
        r"(?:originally|first|updated|corrected|adapted|excerpted|republished|reprinted|produced\s+(?:by|in\s+partnership)"
        r"|part\s+of)\b",
        "this story", "this post", "this piece", "this page", "this interview", "this content", "this material",
        "this column",
    ),
    "version of this": (r"\b(?:an?\s+)?(?:earlier|previous)\s+version\s+of\s+this\s+(?:article|story|report|post|piece)\b",),
    "contributed": (r"\bcontributed\s+(?:reporting\s+)?to\s+this\s+(?:report|story|article)\b",),
    "views expressed": (r"\bviews\s+expressed\b[^.]{0,60}\b(?:own|necessarily)\b",),
    "comment": (
        r"\b(?:post|leave|submit|write)\s+a\s+comment\b|\bcomments?\s+(?:are|is|will\s+be)\s+(?:moderated|closed|reviewed"
        r"|disabled)\b|\b(?:suspend(?:ing|ed)?|disabl(?:ing|ed)|clos(?:ing|ed))\s+(?:article\s+)?comment(?:ing|s)\b",
    ),
    "civil": (r"\bkeep\s+(?:them|it|your\s+comments?|comments?)\s+civil\b",),
    "community": (r"\bcommunity\s+(?:experience|guidelines|standards)\b",),
    "to connect": (r"\bplace\s+for\s+(?:users|readers)\s+to\s+connect\b",),
    "available": (
        r"\b(?:this|the)\s+(?:video|content|media|audio|page)\s+(?:is|was)\s+(?:not\s+|un)available\s+(?:on|in|for)"
        r"\s+(?:this|your)\b|\bnot\s+available\s+in\s+your\s+(?:region|country|area)\b",
    ),
    "failed to load": (r"\bfailed\s+to\s+load\b",),
    "could not be": (r"\bcould\s+not\s+be\s+(?:loaded|played)\b",),
    "delayed": (r"\bquotes?\s+(?:are\s+)?delayed\b",),
    "thank you": (r"\bthank\s+you\s+for\s+(?:reading|visiting|subscribing|watching|listening)\b",),
    "journalism": (r"\bsupport\s+(?:our|local|independent)\s+journalism\b",),
    "follow": (r"^follow\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?:on|at)\s+(?:twitter|facebook|instagram|@)",),
}


class WordGates:
    """Which of several word lists have a word in a text, found in one pass over it.

    ``lists`` maps a name to its words (lower case); :meth:`found` gives the bits (``bit[name]``)
    of the lists with a word that is a substring of the text. Each list is a necessary condition
    of a costlier regex, so a text with no bit set skips all of them (an Aho-Corasick automaton
    over every word at once: one scan instead of one alternation per list)."""

    def __init__(self, lists: dict[str, Sequence[str]]) -> None:
        import ahocorasick

        self.bit = {name: 1 << i for i, name in enumerate(lists)}
        bits: dict[str, int] = {}
        for name, words in lists.items():
            for word in words:
                bits[word] = bits.get(word, 0) | self.bit[name]
        self._automaton = ahocorasick.Automaton()
        for word, value in sorted(bits.items()):
            self._automaton.add_word(word, value)
        self._automaton.make_automaton()

    def found(self, text: str) -> int:
        """The bits of the lists with a word in ``text``."""
        found = 0
        for _, bits in self._automaton.iter(text):
            found |= bits
        return found


# Words a caption's present-tense verb needs (every branch of _CAPTION_VERB_RE holds one of them).
_CAPTION_VERB_WORDS = (
    "speaks", "poses", "attend", "looks on", "gestures", "is seen", "are seen", "listens", "reacts", "celebrates",
    "smiles", "shakes hands", "greets", "pauses", "is pictured", "are pictured", "prays", "embraces", "a laugh",
    "mourns",
)


def _gated_kinds(family: str, kinds: dict[str, tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], re.Pattern[str]]]:
    """Each kind of ``kinds`` (first word -> (pattern, more words)) as "family: first word" -> (its words, its regex)."""
    return {
        f"{family}: {word}": ((word, *more), re.compile(pattern, re.IGNORECASE))
        for word, (pattern, *more) in kinds.items()
    }


# Each gated regex with the words it needs, in the order they are tried; the kinds of the page itself
# and of captions are named by their first word and need it or the words after their pattern.
_GATED_REGEXES = {
    "ui control": (_UI_CONTROL_WORDS, _UI_CONTROLS_RE),
    "reader page": (_READER_PAGE_WORDS, _READER_PAGE_RE),
    **_gated_kinds("page itself", _PAGE_ITSELF_KINDS),
    **_gated_kinds("caption", _CAPTION_KINDS),
}
_GATE_WORDS = {name: words for name, (words, _) in _GATED_REGEXES.items()} | {"caption verb": _CAPTION_VERB_WORDS}
_GATES = WordGates(_GATE_WORDS)
_GATED_TESTS = tuple((_GATES.bit[name], regex.search) for name, (_, regex) in _GATED_REGEXES.items())
_CAPTION_VERB_BIT = _GATES.bit["caption verb"]


def _is_stamp(text: str) -> bool:
    """True for a stamp line (:data:`_STAMP_RE`), which ends in a year: a cheap test of the last
    four characters first."""
    end = text.rstrip()[-4:]
    return end[:2] in ("19", "20") and end[2:].isdecimal() and _STAMP_RE.match(text) is not None


def is_page_furniture(text: str) -> bool:
    """True when ``text`` addresses the reader as a user interface does (click, tap, copy the code,
    sign up, subscribe, share, react, "read our picks") or is mostly a picture's caption or credit,
    or has a page's shape rather than a sentence's (a credit glued before a caption, a stamp line)."""
    if _UI_IMPERATIVE_RE.match(text) or _PAGE_SHAPE_RE.match(text) or _is_stamp(text):
        return True
    found = _GATES.found(text.lower())
    if not found:
        return False
    for bit, search in _GATED_TESTS:
        if found & bit and search(text):
            return True
    if not found & _CAPTION_VERB_BIT or ("19" not in text and "20" not in text):  # no verb, or no year
        return False
    date = _MONTH_DATE_RE.search(text)
    return date is not None and _CAPTION_VERB_RE.search(text, 0, date.start()) is not None


# Sentences in another language than an English cluster's: a widget's chrome in the reader's
# language ("Hmm, arazo bat egon da zerbitzariarenera iristeko.", Twitter's server error in Basque).
# English prose is about half function words; a sentence in another language has next to none,
# and most of its words are not words the rest of the cluster uses. Both must hold, so a terse
# English sentence ("Internet auctions don't automatically mean bargains.") stays.
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the a i no nor yet of and to in is was that for it on with as by at from his her he she they we you be have"
    " has had are were"
    " been this these those an or not but will would can could should may might must said says who which what when"
    " where their its our your my there after about more than up out into over all one so if do did does him them us"
    " me also just only then very how why being because before while since any some most other such even"
    " don't doesn't didn't isn't wasn't aren't weren't won't can't couldn't wouldn't it's he's she's that's there's"
    " i'm you're we're they're i've we've they've during through between against under without within among"
    " across until upon both each few many much own same too down off again whom whose".split()
)
_LETTER_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# The same words in an ASCII text, where a letter is one of A-Z and a-z: twice as fast (most sentences are ASCII).
_ASCII_LETTER_WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")
# A cluster whose words are at least this share English function words is English, and a sentence
# of it is in another language when under FOREIGN_SENTENCE_SHARE of its words are (Spanish has "a",
# French "on") and fewer than half of its lower-case words occur in the cluster's other sentences.
ENGLISH_CLUSTER_SHARE = 0.2
FOREIGN_SENTENCE_SHARE = 0.1
_MIN_LOWER_WORDS = 4
_STEM_LETTERS = 5


def letter_words(text: str) -> list[str]:
    """The words of ``text`` made of letters, with inner apostrophes ("don't"; a curly one made straight)."""
    text = text.replace("’", "'")
    return (_ASCII_LETTER_WORD_RE if text.isascii() else _LETTER_WORD_RE).findall(text)


def foreign_positions(texts: Sequence[str]) -> set[int]:
    """Positions of the sentences not in English when the cluster of ``texts`` is English (else none)."""
    tokens = [letter_words(t) for t in texts]
    lengths = list(map(len, tokens))
    total = sum(lengths)
    is_function_word = _ENGLISH_FUNCTION_WORDS.__contains__
    function_words = [sum(map(is_function_word, map(str.lower, ws))) for ws in tokens]  # counted in C, once
    if not total or sum(function_words) < ENGLISH_CLUSTER_SHARE * total:
        return set()
    suspects = {
        i for i, ws in enumerate(tokens)
        if function_words[i] < FOREIGN_SENTENCE_SHARE * lengths[i]
        and sum(w[0].islower() for w in ws) >= _MIN_LOWER_WORDS
    }
    if not suspects:
        return set()
    # Words compared by their first letters, a crude stem: "statements" finds "statement".
    vocabulary = {w[:_STEM_LETTERS].lower() for i, ws in enumerate(tokens) if i not in suspects for w in ws}
    foreign = set()
    for i in suspects:
        lower = [w for w in tokens[i] if w[0].islower()]
        if 2 * sum(w[:_STEM_LETTERS] in vocabulary for w in lower) < len(lower):
            foreign.add(i)
    return foreign


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and quotes_balanced(text)


def is_candidate(sentence: Sentence, *, min_words: int = MIN_SENTENCE_WORDS) -> bool:
    """Whole, self-standing sentences only: long enough, no question, nothing cut off
    or left hanging on a colon, balanced quotes, no page furniture."""
    text = sentence.text
    if count_words(text) < min_words or is_page_furniture(text):
        return False
    if _QUESTION_RE.search(text) or _UNFINISHED_RE.search(text) or not _SENTENCE_END_RE.search(text):
        return False
    return _balanced(text)


def candidate_positions(sentences: Sequence[Sentence], *, min_words: int = MIN_SENTENCE_WORDS) -> list[int]:
    """Positions of usable sentences (:func:`is_candidate`, and in the cluster's language); when none
    passes, every sentence that is neither page furniture nor in another language (a page of widgets
    may give no sentence at all)."""
    foreign = foreign_positions([s.text for s in sentences])
    kept = [i for i, s in enumerate(sentences) if i not in foreign and is_candidate(s, min_words=min_words)]
    return kept or [i for i, s in enumerate(sentences) if i not in foreign and not is_page_furniture(s.text)]


def first_of_each_text(positions: Iterable[int], sentences: Sequence[Sentence]) -> list[int]:
    """``positions`` minus every sentence whose words (case and punctuation aside) another one has
    nearer the top of its article (on a tie, earlier in ``positions``), in the order given.

    The same sentence in two articles (a wire story's lead carried by two
    outlets) is one candidate: a digest never says it twice. The copy kept is
    the one nearest its article's top, where lead and position limits look.
    """
    positions = list(positions)
    best: dict[str, int] = {}
    for i in positions:
        key = normalize_sentence(sentences[i].text)
        if key not in best or sentences[i].index < sentences[best[key]].index:
            best[key] = i
    kept = set(best.values())
    return [i for i in positions if i in kept]


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


def candidate_ranks(sentences: Sequence[Sentence], positions: Iterable[int]) -> list[int]:
    """For every sentence, how many of the candidate ``positions`` come before it in its document."""
    candidates = set(positions)
    seen: dict[str, int] = {}
    ranks = []
    for i, s in enumerate(sentences):
        ranks.append(seen.get(s.doc_id, 0))
        if i in candidates:
            seen[s.doc_id] = ranks[-1] + 1
    return ranks
