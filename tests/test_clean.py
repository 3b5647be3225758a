"""Boilerplate removal: the seed articles' noise goes, their news stays."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsdigest.ingest import clean as clean_module
from newsdigest.ingest import load_documents
from newsdigest.ingest.clean import CLEANING_RULES, Rule, clean_text, unwrap_lines
from newsdigest.nlp.text import split_sentences

SYRIA = Path(__file__).resolve().parents[1] / "examples" / "syria"

# Every piece of noise found in the five seed articles.
SEED_NOISE = [
    "Israel news photo",
    "Flash 90",
    "photo credit",
    "YouTube screenshot",
    "Syria army defector 370",
    "Click for full JPost coverage",
    "JPost coverage",
    "Photo Gallery",
    "Curiosity Lands on Mars",
    "By + More",
    "covers national security and foreign policy",
    "You can contact him",
    "follow him on Twitter",
    "national security correspondent",
    "She can be reached at",
    "Obama Exempts Military Personnel",
    "Check out U.S. News Weekly",
    "Mars Curiosity Rover Touches Down Safely",
    "•",
    "Reuters contributed to this report",
]

# Real sentences, some of them next to noise, that must survive cleaning.
SEED_SENTENCES = {
    "000": [
        "The White House said on Monday that the defection of Syria's prime minister showed that President "
        "Bashar al-Assad's government was “crumbling from within”, Reuters reported.",
        "Several Syrian ambassadors have defected as well.",
    ],
    "001": [
        "Assad's regime largely has abandoned its ground game, says the source.",
        "Nearly 20 high-ranking Syrian military officers defected to Turkey on Monday, says an opposition source "
        'who added Bashar al-Assad\'s regime "is falling apart."',
        "At the White House, press secretary Jay Carney on Monday told reporters the Obama administration has "
        "been working with Arab League allies on what a post-Assad transitional government might look like.",
    ],
    "002": [
        "More than 19,000 people have been killed in Syria since the anti-government uprising began in March 2011, "
        "and the intense fighting in Aleppo, the nation's largest city, is only adding to the death toll.",
        '"We view the defection of the head of Assad\'s government as a strong signal that his support is rapidly '
        'unraveling," said Abdullah Ibraheem of the Syrian Expatriates Organization, "including the ones assumed '
        'to be the loyalists."',
    ],
    "003": [
        "Manaf Tlass is a member of the military and political elite close to the president.",
        "The defectors are not viewed negatively because of their formerly close ties to the regime, but there "
        "are growing fears that they may drag Syria into an unknown future.",
    ],
    "004": [
        "The Syrian regime so far has headed off mass diplomatic defections as occurred in the fall of former "
        "Libyan dictator Col Muammar Gaddafi.",
        "Opposition groups told the Telegraph that the Assad regime has managed to prevent widespread defections "
        "with a carefully orchestrated campaign in which the families of diplomats and high-level figures are "
        "used to blackmail them to remain loyal.",
        "The report could not be verified.",
    ],
}


@pytest.fixture(scope="module")
def seeds():
    documents, problems = load_documents([SYRIA])
    assert not problems
    return {d.id[:3]: d for d in documents}


def test_seed_noise_is_gone(seeds):
    assert len(seeds) == 5
    for doc in seeds.values():
        for noise in SEED_NOISE:
            assert noise not in doc.text, f"{noise!r} left in {doc.id}"


def test_seed_sentences_survive(seeds):
    for key, sentences in SEED_SENTENCES.items():
        for sentence in sentences:
            assert sentence in seeds[key].text, f"lost from {key}: {sentence[:60]}"


def test_seed_paragraph_counts_are_kept(seeds):
    """No real paragraph is dropped: count paragraphs of the raw files minus their noise lines."""
    assert seeds["000"].text.count("\n") + 1 == 11
    assert seeds["004"].text.count("\n") + 1 == 16
    # 002 keeps every paragraph but the reporter's bio.
    raw_paragraphs = [p for p in (SYRIA / "002_9a7023dfee11c5f7.txt").read_text().split("\n") if p.strip()]
    assert seeds["002"].text.count("\n") + 1 == len(raw_paragraphs) - 1


def test_repeated_headline_glued_to_photo_credit_is_dropped(seeds):
    assert not seeds["000"].text.startswith("Attack a blow")
    assert seeds["000"].title == "Attack a blow to Assad's regime"


def test_standfirst_is_split_from_first_paragraph(seeds):
    first, second = seeds["003"].text.split("\n")[:2]
    assert first.endswith("indicating that the regime could be crumbling.")
    assert "Bassel Oudat" not in seeds["003"].text
    assert second.startswith("A key defection from the circle")


def test_one_paragraph_per_line_and_no_blank_lines(seeds):
    for doc in seeds.values():
        lines = doc.text.split("\n")
        assert all(line.strip() == line and line for line in lines)
        assert "  " not in doc.text
        assert "\u00a0" not in doc.text


def test_cleaned_seeds_split_into_sentences(seeds):
    for doc in seeds.values():
        spans = split_sentences(doc.text)
        assert len(spans) >= 10


# --- The rules are general: other sites' noise of the same kinds ------------------


@pytest.mark.parametrize(
    "noise",
    [
        "Kremlin talks stall\n(Photo credit: Reuters/Maxim Shemetov)",
        "Share this article\nFacebook | Twitter | Email",
        "Tweet\nEmail\nPrint",
        "Click here for more stories",
        "[Video: Watch the ceremony in full]",
        "Photo: AP",
        "Photo by Jane Doe/Reuters",
        "By Jane Doe and John Smith",
        "Associated Press writer Jim Heintz contributed to this report.",
        "(Reporting by Tom Miles; Editing by Alison Williams)",
        "Copyright 2012 The Courier. All rights reserved.",
        "Read more: Ferry strike ends after two days",
        "EDITOR'S NOTE _ John Doe is the AP bureau chief in Moscow.",
        "* * *",
        "VCG via Getty Images",
        "Back to China News >",
        "(With agency inputs)",
        "First Published: Jun 13, 2017 12:29 IST",
        "[Pic via thegrio.com]",
    ],
)
def test_rules_cover_kinds_of_noise(noise):
    story = "Talks between Moscow and Kiev stalled on Tuesday, officials said."
    assert clean_text(f"{story}\n{noise}\n{story} Both sides blamed each other.") == (
        f"{story}\n{story} Both sides blamed each other."
    )


def test_end_rules_strip_bio_and_links_only_at_the_end():
    text = (
        "Jane Doe is the city's chief fire correspondent, the mayor said in a statement on Monday.\n"
        "The fire burned for six hours.\n"
        "Jane Doe covers City Hall for the Courier. She can be reached at\n"
        "• Fire chief resigns\n"
        "• Budget vote delayed"
    )
    cleaned = clean_text(text)
    assert cleaned.split("\n") == [
        "Jane Doe is the city's chief fire correspondent, the mayor said in a statement on Monday.",
        "The fire burned for six hours.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The photo shows the prime minister crossing into Jordan with his family.",
        "A photographer for Reuters was wounded in the shelling, the agency said.",
        "By Monday, more than 20 officers had defected.",
        "Click, the new social network, said it had 2 million users.",
        "Reuters could not independently verify the video.",
        "The minister can be reached only through his office, aides said.",
        "Officials shared the video on Twitter, where it was viewed 2 million times.",
        "Share prices fell 3 percent in early trading.",
        "Copyright law is at the heart of the dispute.",
        "Posted on Facebook, the video drew 2 million views.",
        "Updated figures show 20 dead.",
    ],
)
def test_real_sentences_are_kept(sentence):
    text = f"The talks collapsed on Tuesday.\n{sentence}\nThe talks will resume next week."
    assert sentence in clean_text(text)


def test_rules_are_readable_data():
    names = [rule.name for rule in CLEANING_RULES]
    assert len(names) == len(set(names))
    assert all(isinstance(rule, Rule) and rule.why for rule in CLEANING_RULES)
    assert all(isinstance(rule.pattern, str) for rule in CLEANING_RULES)


def test_rules_can_be_extended():
    rules = CLEANING_RULES + (Rule("site_motto", r"^Ferry Gazette: all the ferries, all the time$"),)
    text = "Ferries resumed on Friday.\nFerry Gazette: all the ferries, all the time\nThe strike cost 2 million euros."
    assert clean_text(text, rules=rules) == "Ferries resumed on Friday.\nThe strike cost 2 million euros."
    assert "Ferry Gazette" in clean_text(text)


def test_headline_repeated_as_first_line_is_dropped():
    assert clean_text("Ferry strike ends\nFerry crews returned to work.", title="Ferry Strike Ends") == (
        "Ferry crews returned to work."
    )


def test_hard_wrapped_text_is_unwrapped():
    wrapped = (
        "Ferry crews walked off the job on Friday in a dispute over pay,\n"
        "stranding thousands of passengers in ports on both sides of the\n"
        "Baltic Sea, union officials said.\n"
        "\n"
        "The strike halted 14 ships on routes between Helsinki, Stockholm\n"
        "and Tallinn, the shipping companies said in a statement.\n"
    )
    assert clean_text(wrapped).split("\n") == [
        "Ferry crews walked off the job on Friday in a dispute over pay, stranding thousands of passengers in "
        "ports on both sides of the Baltic Sea, union officials said.",
        "The strike halted 14 ships on routes between Helsinki, Stockholm and Tallinn, the shipping companies "
        "said in a statement.",
    ]


def test_paragraph_per_line_text_is_not_joined():
    text = "\n".join(f"Paragraph number {i} says something short but complete about the story." for i in range(6))
    assert unwrap_lines(text) == text


def test_duc_quotes_are_kept_and_wire_codes_removed():
    text = (
        "\t   ``We have waited two years,'' said union\nspokesman Pekka Lahti. &QL;\n"
        " &UR; AP Photo HEL101 &QL;\nNYT-03-13-99 0210EST &QL;\n\t   (kk-jm)"
    )
    assert clean_text(unwrap_lines(text, wrapped=True)) == "``We have waited two years,'' said union spokesman Pekka Lahti."


def test_html_entities_and_odd_whitespace_are_normalized():
    assert clean_text("AT&amp;T\u00a0said\tit would\u200b appeal.\r\n\r\nShares fell.") == "AT&T said it would appeal.\nShares fell."


def test_large_article_cleans_fast():
    import time

    paragraph = "The ministry said on Monday that the ferry strike had cost 2 million euros a day. " * 5
    text = "\n\n".join([paragraph] * 2500)  # about 100,000 words
    start = time.perf_counter()
    cleaned = clean_text(text)
    assert time.perf_counter() - start < 5  # generous: catches catastrophic backtracking, not slowness
    assert len(re.findall(r"ferry strike", cleaned)) == 12500


# --- Nothing lost: byline, bio and contact rules take only short closing lines --------

STORY = "The talks collapsed on Tuesday.\nBoth sides blamed each other for the failure."

# Real closing sentences that use the words of bios and contact lines.
REAL_CLOSING_SENTENCES = [
    "The village can be reached only by a mountain road, which the rebels closed on Sunday.",
    "Thousands of supporters plan to follow them on the march to the capital, organisers said.",
    "Al Arabiya reports that a senior intelligence officer has also defected to Jordan.",
    "Manaf Tlas is the chief of staff of the Republican Guard and a friend of the president since childhood.",
    "Some reports have suggested a scenario in which Ecevit would head a three-party alliance.",
    "* When the surface waves from the Sumatra quake reached Alaska they triggered a swarm of 14 earthquakes.",
    "«Absolute chaos»",
]


@pytest.mark.parametrize("sentence", REAL_CLOSING_SENTENCES)
def test_real_closing_sentences_are_kept(sentence):
    assert clean_text(f"{STORY}\n{sentence}").split("\n")[-1] == sentence


@pytest.mark.parametrize("sentence", REAL_CLOSING_SENTENCES[:4])
def test_one_line_article_is_never_emptied(sentence):
    assert clean_text(sentence) == sentence
    assert clean_text("Jane Doe covers City Hall for the Courier. She can be reached at") != ""


def test_contact_words_inside_a_long_closing_paragraph_are_kept():
    paragraph = (
        "Aid workers said the families, who fled the shelling on foot with what they could carry, can be "
        "reached only by helicopter now that the bridge is down, and that food and medicine would run out "
        "within days unless the army reopened the road, which it closed on Sunday after rebels attacked a "
        "checkpoint near the town; journalists who follow them on the road are turned back."
    )
    assert clean_text(f"{STORY}\n{paragraph}").split("\n")[-1] == paragraph


@pytest.mark.parametrize(
    "closing",
    [
        "(Bill Thompson is a columnist for the Fort Worth Star-Telegram. You can contact him at (817) 390-7787.)",
        "Jessica Remo may be reached at jremo@example.com. Follow her on Twitter @JessicaRemo.",
        "Christopher Magan contributed to this report. Nick Ferraro can be reached at 651-228-2173.",
        "Sara A. Carter is The Washington Examiner's national security correspondent. She can be reached at",
        "John T. Bennett covers national security and foreign policy for U.S. News & World Report.",
        "You can contact him at or follow him on Twitter.",
    ],
)
def test_bio_and_contact_lines_closing_an_article_are_removed(closing):
    assert clean_text(f"{STORY}\n{closing}") == STORY


def test_record_removals_names_rule_and_characters():
    from newsdigest.ingest.clean import record_removals

    with record_removals() as log:
        clean_text(f"{STORY}\nShare this\nYou can contact him at or follow him on Twitter.")
    assert len(log) == 1
    assert [(r.rule, r.text) for r in log[0].removals] == [
        ("share_prompt_line", "Share this"),
        ("author_contact", "You can contact him at or follow him on Twitter."),
    ]
    assert log[0].removals[1].chars == len("You can contact him at or follow him on Twitter.") + 1
    assert clean_text("Ferries sailed.\nShare this") == "Ferries sailed."  # nothing recorded outside the block
    assert len(log) == 1


def test_control_characters_go_and_cp1252_bytes_read_as_latin1_are_repaired():
    # ESC would start a terminal escape sequence (colours, hyperlinks) in the output.
    assert clean_text("Shares fell \x1b[1m3 percent\x1b]8;;http://x\x07.") == "Shares fell [1m3 percent ]8;;http://x ."
    assert clean_text("The report\x92s author called it \x93serious\x94.") == "The report’s author called it “serious”."


# --- The engine's prefilter: a rule is skipped only where it cannot match -------------


def _quoted_examples(rule: Rule) -> list[str]:
    return re.findall(r"'([^']{4,})'", rule.why)


def test_prefilter_never_skips_a_rule_that_matches_its_own_examples():
    checked = 0
    for rule in CLEANING_RULES:
        for example in _quoted_examples(rule):
            for text in (example, f"Officials met on Monday.\n{example}\nThe talks ended."):
                if rule.regex.search(text):
                    assert rule.may_match(text), (rule.name, text)
                    checked += 1
    assert checked > 40  # the rules' own examples exercise most of the table


def test_prefilter_turns_away_text_without_the_literals_a_rule_needs():
    rule = Rule("click", r"Click (?:here )?(?:for|to)\b[^\n]{0,60}")
    assert rule.may_match("Click here for more.")
    assert not rule.may_match("The army left the city on Monday, officials said.")
    news = "The army left the city on Monday, officials said."
    skipped = [r.name for r in CLEANING_RULES if not r.may_match(news)]
    assert len(skipped) > len(CLEANING_RULES) // 2


def test_prefilter_follows_alternatives_and_lookarounds():
    rule = Rule("either", r"(?:Photo|Image) credit:|(?<=\. )Getty")
    assert rule.may_match("Image credit: AP")
    assert rule.may_match("It rained. Getty")
    assert not rule.may_match("Photo by AP, Image: Getty")  # "Getty" but no ". ", no " credit:"
    optional = Rule("optional", r"(?:Photo)?[0-9]+")
    assert optional.may_match("1999")  # nothing is required: always searched


@pytest.mark.parametrize(
    ("pattern", "flags", "text"),
    [
        (r"share this", re.IGNORECASE, "SHARE THIS"),
        (r"share this", re.IGNORECASE, "ſhare thiſ"),  # long s: the regex folds it to "s"
        (r"kelvin", re.IGNORECASE, "\u212aELVIN"),
        (r"link", re.IGNORECASE, "L\u0130NK"),
        (r"(?i:copyright) ©", 0, "COPYRIGHT ©"),
        (r"©\s*Reuters", re.IGNORECASE, "© reuters"),
    ],
)
def test_prefilter_folds_case_as_the_rule_does(pattern, flags, text):
    rule = Rule("case", pattern, flags=flags)
    assert rule.regex.search(text)
    assert rule.may_match(text)


def test_prefilter_of_a_case_sensitive_rule_is_case_sensitive():
    assert not Rule("exact", r"Share this").may_match("SHARE THIS story")


def test_a_rule_is_not_searched_where_its_needs_pattern_is_absent():
    rule = Rule("glued", r"[A-Z][a-z]+[a-z](?=The )", needs=r"[a-z]T")
    assert rule.may_match("Stocks to watchThe Fed meets.")
    assert not rule.may_match("The Fed meets. The talks go on.")  # "The" everywhere, never glued
    # The default rules' scan asks for it too, and cleans as a search of every text does.
    glued = next(r for r in CLEANING_RULES if r.name == "title_glued_to_sentence")
    assert glued.needs
    plain = "Prices rose. The Fed met. It said so. They agreed."
    assert not glued.may_match(plain)
    assert clean_text(plain) == plain
    assert clean_text("Prices for copper have surgedIt’s a key metal.") == "It’s a key metal."


def test_cleaning_with_and_without_prefilter_is_the_same():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SYRIA.glob("*.txt"))]
    assert texts
    unfiltered = [Rule(r.name, r.pattern, r.replace, r.where, r.flags, r.why, r.max_chars) for r in CLEANING_RULES]
    for rule in unfiltered:
        object.__setattr__(rule, "_needs", None)  # the cached prefilter: none, every text searched
    for text in texts:
        assert clean_text(text, rules=CLEANING_RULES) == clean_text(text, rules=unfiltered)


class _SearchEverything:
    """Stands for the one-pass literal scan of a rule set, with no test: every rule searched in every text."""

    def __init__(self, rules) -> None:
        self.tests = [(rule, None) for rule in rules if rule.where == "anywhere"]

    def found(self, text):
        return set(), set()  # looked up by no test

    def candidates(self, found, found_folded):
        return (1 << len(self.tests)) - 1  # every rule asked


def test_one_pass_literal_scan_cleans_as_rule_by_rule_prefilters_and_full_search():
    """Default rules (a tuple) use one Aho-Corasick pass for every rule's long literals; a list of rules
    uses each rule's own prefilter; with no prefilter every rule is searched. All three clean alike."""
    examples = [example for rule in CLEANING_RULES for example in _quoted_examples(rule)]
    news = "Officials met on Monday. The talks ended without a deal, the ministry said."
    texts = [f"{news}\n{example}\n{news}" for example in examples] + ["\n".join([news] + examples[k::7]) for k in range(7)]
    by_rule = list(CLEANING_RULES)
    unfiltered = [Rule(r.name, r.pattern, r.replace, r.where, r.flags, r.why, r.max_chars) for r in CLEANING_RULES]
    for rule in unfiltered:
        object.__setattr__(rule, "_needs", None)
    changed = 0
    for text in texts:
        cleaned = clean_text(text, rules=CLEANING_RULES)
        assert cleaned == clean_text(text, rules=by_rule) == clean_text(text, rules=unfiltered), text
        changed += cleaned != text
    assert changed > len(texts) // 2  # the examples are furniture: most texts lose something


def test_prefilter_changes_nothing_on_the_dev_articles(shared_data, monkeypatch):
    """Every article of the stories dev set (DUC, MultiLing and Multi-News articles) cleans the same
    with each rule searched everywhere: the prefilter only skips searches that would find nothing."""
    path = shared_data / "stories" / "dev.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    filtered = [(d.id, d.text) for d in load_documents([path], duplicate_threshold=None)[0]]
    monkeypatch.setattr(Rule, "may_match", lambda self, text: True)
    monkeypatch.setattr(clean_module, "_scan_for", _SearchEverything)  # the one-pass literal scan too
    searched = [(d.id, d.text) for d in load_documents([path], duplicate_threshold=None)[0]]
    assert len(filtered) > 500
    assert filtered == searched


def _plain_normalize_whitespace(text: str) -> str:
    # The definition, step by step: line breaks, zero-width gone, cp1252 for C1, controls to
    # spaces, every run of space characters one space, lines stripped, blank lines gone.
    for separator in ("\r\n", "\r", "\u2028", "\u2029"):
        text = text.replace(separator, "\n")
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    text = re.sub(r"[\x80-\x9f]", lambda m: bytes([ord(m.group(0))]).decode("cp1252", errors="ignore"), text)
    text = re.sub(r"[\x00-\x08\x0e-\x1f\x7f]", " ", text)
    text = re.sub(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+", " ", text)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def test_normalize_whitespace_is_its_plain_definition():
    import random

    from newsdigest.ingest.clean import normalize_whitespace

    generator = random.Random(11)
    alphabet = list("ab .\n\r\t\f\v") + [
        "\u00a0", "\u2003", "\u202f", "\u3000", "\u2028", "\u2029", "\u200b", "\ufeff", "\u00ad",
        "\x92", "\x81", "\x1b", "\x00", "\x7f", "é",
    ]
    for _ in range(20000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 12)))
        assert normalize_whitespace(text) == _plain_normalize_whitespace(text), repr(text)
    assert normalize_whitespace("It\x92s  a\u00a0 test\u200b.\r\n\r\n  Next\tline ") == "It’s a test.\nNext line"


# Pieces of the texts the rules with a ``needs`` pattern take: furniture, its parts, and near misses.
_NEEDS_PIECES = [
    "Back to China News >", "More »", "Next ›", "«Quoted»", "•", "* * *", "#", "--", "Text Size -", "Reset",
    "Listen to this article", "MORE", "nn", "END", "ENDIT", "-30-", "___", "=====", "NYT-10-17-98 0432EDT",
    "AP-NY-11-23-98 1554EST", "-11-23-98 15", "(ms-gb)", "(th)", "(AP)", "(Photo: AP)", "(Photo: Jane Doe, Getty Images)",
    "(Pioneer Press: Nick Ferraro)", "... (Associated Press)", "(Image Credit: Reuters)", "Mario Tama/Getty Images",
    "Javier Manzano/For The Washington Post", "/AFP", "VCG via Getty Images", "Getty Images", "photo: Flash 90",
    "(Photo Courtesy of the district)", "surgedIt’s", "watchThe", "haveAn", "So", "It", "The", "Fed", "AP", "x",
    "Officials met on Monday.", "He said.", "A man collects items from a scrap yard near the base",
]


def _needs_texts(generator, count: int) -> list[str]:
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(generator.randint(1, 8)):
            piece = generator.choice(_NEEDS_PIECES)
            if generator.random() < 0.1:  # a caption printed twice, the second time with a credit
                piece = f"{piece} and more words\n{piece} and more words {generator.choice(_NEEDS_PIECES[25:36])}"
            parts.append(piece)
            parts.append(generator.choice(["\n", " ", "", "\t", "\n\n", " \n", ". "]))
        texts.append("".join(parts))
    return texts


def test_a_needs_pattern_is_found_wherever_its_rule_matches():
    """Every ``needs`` of the default rules follows from the rule's pattern (it is in every text the rule
    matches), and searching it one top-level alternative at a time finds what the whole search finds."""
    import random

    texts = _needs_texts(random.Random(5), 20000)
    with_needs = [rule for rule in CLEANING_RULES if rule.needs]
    assert len(with_needs) >= 10
    for rule in with_needs:
        matched = 0
        for text in texts:
            found = rule.needs_regex.search(text) is not None
            assert rule.needs_found(text) == found, (rule.name, text)
            if rule.regex.search(text):
                assert found, (rule.name, text)
                matched += 1
        assert matched > 20, rule.name  # the pieces hold each rule's furniture


def test_top_level_alternatives_leave_groups_and_classes_whole():
    from newsdigest.ingest.clean import _top_level_alternatives

    assert _top_level_alternatives(r"a|(b|c)|d") == ["a", "(b|c)", "d"]
    assert _top_level_alternatives(r"[|]|[]|]|[^]|]|\||[\[]|x") == ["[|]", "[]|]", "[^]|]", r"\|", r"[\[]", "x"]
    assert _top_level_alternatives(r"(?:a|b)c") == ["(?:a|b)c"]


def test_the_scan_asks_every_rule_whose_prefilter_passes():
    """A rule the one-pass scan does not ask (none of its first literals found) fails its prefilter: on the
    rules' own examples and on random furniture texts, each scan test gives the rule's own prefilter answer,
    and is never true for a rule left out."""
    import random

    scan = clean_module._scan_for(CLEANING_RULES)
    examples = [example for rule in CLEANING_RULES for example in _quoted_examples(rule)]
    texts = examples + _needs_texts(random.Random(8), 3000) + [e.upper() for e in examples] + [e.lower() for e in examples]
    passed = 0
    for text in texts:
        found, found_folded = scan.found(text)
        asked = scan.candidates(found, found_folded)
        for i, (rule, test) in enumerate(scan.tests):
            passes = test is None or bool(test(text, found, found_folded))
            assert passes == rule.may_match(text), (rule.name, text)
            if passes:
                assert asked >> i & 1, (rule.name, text)
                passed += 1
    assert passed > 10000


def test_metadata_values_come_out_as_their_plain_definition():
    """Titles, sources and URLs mostly have nothing to normalise (normalize_whitespace gives them back at
    once): printable texts with and without runs of spaces, at the ends too, and with one unprintable."""
    import random

    from newsdigest.ingest.clean import normalize_whitespace, one_line

    generator = random.Random(12)
    alphabet = list("ab .:/-") + ["é", "’", "»", "\u00a0", "\u200b", "\t", "\n", "\x92", "\x1c", "\u2028", "\u3000"]
    weights = [10] * 7 + [2] * 3 + [1] * 8
    returned_as_given = 0
    for _ in range(20000):
        text = "".join(generator.choices(alphabet, weights, k=generator.randint(0, 14)))
        plain = _plain_normalize_whitespace(text)
        assert normalize_whitespace(text) == plain, repr(text)
        assert one_line(text) == plain.replace("\n", " "), repr(text)
        returned_as_given += normalize_whitespace(text) is text
    assert returned_as_given > 3000
