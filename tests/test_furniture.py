"""Page furniture (issue 14): removed where it sits, real sentences next to it kept.

The furniture lines are copied from the Multi-News development articles (web
pages); the real sentences are news sentences from the same records.
"""

from __future__ import annotations

import pytest

from newsdigest.ingest.clean import FURNITURE_RULES, clean_text
from newsdigest.ingest.furniture import (
    drop_furniture_sentences,
    normalize_sentence,
    recurring_sentences,
    shipped_furniture,
)
from newsdigest.model import Document, Sentence
from newsdigest.summarize import candidates
from newsdigest.summarize.candidates import WordGates, candidate_positions, is_candidate, is_page_furniture

REAL = "Two officials in Guangdong province have been arrested after they allegedly bought corpses."
AFTER = "The shooting victim who survived had identified Smith's twin in a photo lineup."

# Furniture that sits inside a paragraph: (family, text). Glued after a real
# sentence in the same line, only the furniture may go.
INLINE = [
    ("twitter_embed_chrome", "Add this Tweet to your website by copying the code below. Learn more"),
    (
        "twitter_embed_chrome",
        "You can add location information to your Tweets, such as your city or precise location, from the web and "
        "via third-party applications. You always have the option to delete your Tweet location history. Learn more",
    ),
    ("tweet_signature", "pic.twitter.com/QBPujurnUj — Miley Ray Cyrus (@MileyCyrus) April 2, 2014"),
    (
        "image_caption_label",
        "Image copyright AFP Image caption Many in China believe the body must be intact for a peaceful afterlife",
    ),
    (
        "image_caption_label",
        "Media playback is unsupported on your device Media caption Against the odds: The story of baby Vanellope",
    ),
    ("teaser_label", "RELATED: Read the Horrifying Court Documents From the Tyshawn Lee Murder Case"),
    ("teaser_label", "WATCH: People tour the glass skywalk around China's Yuntai Mountain"),
    ("click_prompt", "Click here to see the 50 least powerful people in the world."),
    ("click_prompt", "Click here for a detailed description of sampling error."),
    ("share_or_comment_prompt", "Have something to add to this story? Share it in the comments."),
    ("share_or_comment_prompt", "Read or Share this story: https://usat.ly/2IFR5Tt"),
    ("continue_reading_prompt", "Photo Advertisement Continue reading the main story"),
    ("player_chrome", "CTRL-C or CMD-C, then press Enter. Click/tap elsewhere to exit, or press ESC."),
    ("player_chrome", "Skip in Skip x Embed x Share"),
    (
        "archive_crawl_notice",
        "Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive.",
    ),
    ("archive_crawl_notice", "The WARC files associated with this crawl are not currently available to the general public."),
    ("newsletter_prompt", "Get the biggest daily news stories by email Subscribe Thanks for subscribing!"),
    ("page_stamp", "CREATED Feb 3, 2015 - UPDATED: Feb 3, 2015"),
]

# Furniture that pages print as a paragraph of its own (captions with their
# credit, widgets): the whole line goes, the lines around it stay.
OWN_LINE = [
    (
        "caption_line_with_credit",
        "IAAF President Sebastian Coe speaks during a meeting of the IAAF Council at the Grand Hotel on June 17, 2016 "
        "in Vienna, Austria. (Photo: Christian Hofer, Getty Images for IAAF)",
    ),
    (
        "caption_line_with_credit",
        "San Mateo County coroner Robert Foucrault speaks at a news conference at the California Highway Patrol "
        "headquarters in Redwood City, Calif., Monday, May 6, 2013. Investigators are trying to determine... "
        "(Associated Press)",
    ),
    (
        "caption_line_with_credit",
        "The site of the accidental shooting death of a 13-year-old boy in Eagan on Sunday, Jan. 25, 2015. "
        "(Pioneer Press: Nick Ferraro)",
    ),
    (
        "slash_credit_caption_line",
        "President Obama and Mitt Romney share a laugh at the 67th Annual Alfred E. Smith Memorial Foundation Dinner "
        "at the Waldorf-Astoria Hotel in New York City. Mario Tama/Getty Images",
    ),
    (
        "slash_credit_caption_line",
        "Times-Picayune /Landov Crew boats pump water Thursday onto the oil-and-gas production platform "
        "Vermilion 380-A, after an explosion in the Gulf of Mexico.",
    ),
    (
        "view_caption_line",
        "Prosecutors say Corey Morgan (left) and Kevin Edwards planned the heinous murder of 9-year-old Tyshawn Lee. "
        "View Full Caption Chicago Police Department",
    ),
    ("view_caption_line", "Enlarge this image toggle caption Munir UZ Zaman/AFP/Getty Images Munir UZ Zaman/AFP/Getty Images"),
    ("slideshow_counter", "Slideshow (28 Images)"),
    ("read_more_suffix_line", "Rohingya crisis: UN 'suppressed' report predicting its shortcomings in Myanmar Read more"),
    (
        "player_chrome",
        "CLOSE USA TODAY Sports' Rachel Axon discusses the International Association of Athletics Federation's "
        "decision to ban Russia's track and field athletes from the upcoming Rio Olympics. USA TODAY Sports",
    ),
    ("twitter_embed_chrome", "Tweet with a location"),
    ("store_widget", "The maximum quantity of an item that can purchased in each transaction is 99."),
]

# Real sentences that mention tweets, photos, clicks, captions: they stay.
NEWS = [
    "President Donald Trump on Sunday morning tweeted that the media are distorting democracy in America.",
    "Trump tweeted on Sunday that the investigation was a witch hunt.",
    "The photo was taken in 1998, two years before the couple married.",
    "The shooting victim who survived had identified Smith's twin, Kevin Dugar, in a photo lineup.",
    "The photo was posted on the social sharing site Reddit, where it quickly got to the top of the front page.",
    "Users who clicked the link were asked for their bank details, police said.",
    "BBC Click's Dan Simmons was challenged to smash his way through one of the panels of the skywalk.",
    "Miley responded almost instantly, tweeting that she was still in the hospital.",
    "Investigators said it is not clear if the mystery woman actually stole the photos.",
    "Share prices fell 3 percent in early trading in Tokyo on Monday.",
    "Two photographs, estimated to be worth more than $105,000, were part of the exhibit.",
    "Add to that the cost of fuel, and the budget is gone, the mayor said.",
]


def test_every_family_has_a_reason_and_a_real_example():
    names = {name for name, _ in INLINE + OWN_LINE}
    assert names <= {rule.name for rule in FURNITURE_RULES}
    for rule in FURNITURE_RULES:
        assert rule.why and "'" in rule.why, rule.name  # a quoted example


@pytest.mark.parametrize("family,furniture", INLINE, ids=[f"{n}-{i}" for i, (n, _) in enumerate(INLINE)])
def test_inline_furniture_goes_and_its_neighbours_stay(family, furniture):
    assert clean_text(f"{REAL}\n{furniture}\n{AFTER}") == f"{REAL}\n{AFTER}"
    assert clean_text(f"{REAL} {furniture}\n{AFTER}") == f"{REAL}\n{AFTER}"


@pytest.mark.parametrize("family,furniture", OWN_LINE, ids=[f"{n}-{i}" for i, (n, _) in enumerate(OWN_LINE)])
def test_furniture_lines_go_and_the_lines_around_them_stay(family, furniture):
    assert clean_text(f"{REAL}\n{furniture}\n{AFTER}") == f"{REAL}\n{AFTER}"


@pytest.mark.parametrize(
    "credit", ["(Photo Courtesy of the Rosemount-Apple Valley-Eagan school district)", "(Image Credit: Evan Vucci/AP Photo)"]
)
def test_a_credit_inside_a_paragraph_goes_and_the_paragraph_stays(credit):
    assert clean_text(f"{REAL} {credit} {AFTER}") == f"{REAL} {AFTER}"
    # On a line of its own, and at the end of a line: a line ending in a credit is that picture's caption.
    assert clean_text(f"{REAL}\n{credit}\n{AFTER}") == f"{REAL}\n{AFTER}"
    assert clean_text(f"{REAL}\nSuhayb Jamal Hassan {credit}\n{AFTER}") == f"{REAL}\n{AFTER}"


def test_internet_archive_notice_goes_even_without_spaces_between_its_sentences():
    notice = (
        "These crawls are part of an effort to archive pages as they are created and archive the pages that they "
        "refer to. That way, as the pages that are referenced are changed or taken from the web, a link to the "
        "version that was live when the page was written will be preserved.Then the Internet Archive hopes that "
        "references to these archived pages will be put in place of a link that would be otherwise be broken."
        "The goal is to fix all broken links on the web. Crawls of supported \"No More 404\" sites."
    )
    assert clean_text(f"{REAL}\n{notice}\n{AFTER}") == f"{REAL}\n{AFTER}"
    # A news sentence about the archive is not its notice.
    news = "Screenshots saved by the Internet Archive's Wayback Machine show the page was changed on Friday."
    assert clean_text(f"{REAL} {news}") == f"{REAL} {news}"


def test_caption_credit_before_a_headline_keeps_the_headline():
    line = (
        "President Donald Trump often uses Twitter to rail against the media. | AP Photo Trump slams 'fake news' "
        "for treating son unfairly and 'distorting democracy'"
    )
    assert clean_text(f"{line}\n{REAL}") == (
        f"Trump slams 'fake news' for treating son unfairly and 'distorting democracy'\n{REAL}"
    )


@pytest.mark.parametrize("dash", ["— ", "-- ", ""])
def test_tweet_signature_goes_and_the_tweet_stays(dash):
    line = f"I hate this. & I hate hospitals. {dash}Miley Ray Cyrus (@MileyCyrus) April 15, 2014"
    assert clean_text(f"{line}\n{REAL}") == f"I hate this. & I hate hospitals.\n{REAL}"


def test_a_caption_printed_twice_goes_both_times():
    caption = (
        "A man collects items from a scrap yard near Bagram Airfield, the main operations headquarters for the "
        "international forces in Afghanistan."
    )
    text = f"{REAL}\n{caption}\n\n{caption} Javier Manzano/For The Washington Post\n{AFTER}"
    assert clean_text(text) == f"{REAL}\n{AFTER}"


@pytest.mark.parametrize("sentence", NEWS)
def test_news_about_tweets_photos_and_clicks_survives(sentence):
    assert clean_text(f"{REAL} {sentence}\n{AFTER}") == f"{REAL} {sentence}\n{AFTER}"
    assert not is_page_furniture(sentence)
    assert is_candidate(Sentence(sentence, "d", 0, 0, len(sentence)))


@pytest.mark.parametrize(
    "sentence",
    [
        # Reader addressed as a user interface, in words no rule lists.
        "Tap the button below to watch the full interview with the governor.",
        "Sign up for our morning briefing to get the news in your inbox.",
        "Follow us on Facebook for more stories like this one.",
        "Share this story with your friends and family on social media.",
        "Copy the link below and paste it into your browser to view the document.",
        "You always have the option to delete your Tweet location history.",
        # Captions and credits, in words no rule lists.
        "FILE - In this Oct. 27, 2012 file photo, Christopher Kennedy Lawford appears at a luncheon in Beverly Hills.",
        "In this March 13, 2018 photo, President Donald Trump speaks during a tour of border wall prototypes.",
        "A jawbone unearthed in Romania is shown in this handout photo provided by the Max Planck Institute.",
        "Mark Karpeles, center, chief executive of Mt Gox, attends a news conference in Tokyo, Japan July 11, 2017.",
        "Alexander Vinnik (center), the Russian accused of laundering stolen Bitcoins, in court on Tuesday.",
        "Crew boats pump water onto the platform after the explosion on Thursday. Gerald Herbert/AP Photo",
    ],
)
def test_candidate_selection_refuses_furniture_whatever_the_words(sentence):
    assert is_page_furniture(sentence)
    assert not is_candidate(Sentence(sentence, "d", 0, 0, len(sentence)))


def test_candidate_positions_skip_furniture_among_news():
    texts = [NEWS[0], "Click here to see the 50 least powerful people in the world.", NEWS[2]]
    sentences = [Sentence(t, "d", k, 0, len(t)) for k, t in enumerate(texts)]
    assert candidate_positions(sentences) == [0, 2]


# --- The recurring-sentence signal -------------------------------------------------

NOTICE = "Get our free mobile app for breaking news alerts on the go."
WIRE = "The Federal Reserve left interest rates unchanged on Wednesday, citing slowing growth."


def _stories() -> dict[str, list[str]]:
    return {
        "fed": [f"{WIRE}\nMarkets rose.", f"{WIRE}\nStocks gained. {NOTICE}", f"{WIRE}\nBonds fell."],
        "storm": [f"A storm hit Florida on Monday. {NOTICE}", "Power was cut to 2 million homes in the state."],
        "election": [f"Voters went to the polls in Ohio.\n{NOTICE}"],
        "trial": [f"The jury began deliberations on Friday afternoon. {NOTICE}"],
        "quake": ["A quake shook Japan. Officials said nobody was hurt in the quake.", "Officials said nobody was hurt."],
        "fire": ["A fire burned a warehouse. Officials said nobody was hurt."],
    }


def test_recurring_sentences_are_those_of_three_unrelated_stories():
    found = recurring_sentences(_stories())
    assert found == {normalize_sentence(NOTICE)}
    # The wire story filed three times repeats within one story: news, not furniture.
    assert normalize_sentence(WIRE) not in found
    # Two stories are not enough.
    assert normalize_sentence("Officials said nobody was hurt.") not in found
    assert recurring_sentences(_stories(), min_stories=2) >= {normalize_sentence("Officials said nobody was hurt.")}


def test_a_pipeline_passes_what_it_found_to_clean_text():
    found = recurring_sentences(_stories())
    text = f"A storm hit Florida on Monday. {NOTICE}\nPower was cut to 2 million homes."
    assert clean_text(text, furniture=found) == "A storm hit Florida on Monday.\nPower was cut to 2 million homes."
    assert NOTICE in clean_text(text)  # without the stream's list the sentence stays
    # Nearly verbatim: case and punctuation do not matter.
    assert drop_furniture_sentences("Rain fell. GET OUR FREE MOBILE APP -- for breaking news alerts on the go!", found) == (
        "Rain fell."
    )


def test_furniture_is_found_whatever_the_case_folding_and_is_not_imagined():
    entry = normalize_sentence("Die STRASSENBAHNHALTESTELLE schliesst heute.")
    text = "Der Zug kam. Die Straßenbahnhaltestelle schließt heute!\nMorgen ist sie offen."
    assert drop_furniture_sentences(text, {entry}) == "Der Zug kam.\nMorgen ist sie offen."
    # Every word of the entry is in the text, but not as that sentence: the text stays as it is.
    scattered = "Heute schliesst die Bank. Die Strassenbahnhaltestelle ist neu."
    assert drop_furniture_sentences(scattered, {entry}) is scattered


def test_recurring_sentences_accept_documents():
    stories = {k: [Document(id=f"{k}{i}", text=t) for i, t in enumerate(v)] for k, v in _stories().items()}
    assert recurring_sentences(stories) == recurring_sentences(_stories())


def test_shipped_list_is_applied_by_clean_text():
    assert normalize_sentence("For Use By Clients of the New York Times News Service") in shipped_furniture()
    text = "The talks resumed on Monday in Geneva. For Use By Clients of the New York Times News Service\nThey ended."
    assert clean_text(text) == "The talks resumed on Monday in Geneva.\nThey ended."


def test_shipped_list_holds_no_short_or_news_sentences():
    for entry in shipped_furniture():
        assert len(entry.split()) >= 4
        assert not any(normalize_sentence(news) == entry for news in NEWS)


# --- Furniture the first rules missed (read in the Multi-News dev digests) -----------------

# Real sentences of the same records: they mention Facebook, tweets, photos, views and posts and stay.
NEWS_TOO = [
    "Nonetheless, on Sept. 25, Facebook blocked all users from mentioning Tsu.co.",
    "Tsu says Facebook just doesn't want its users to realize that their photos, videos and personal observations "
    "might actually be worth something.",
    "On top of that, Facebook went back and deleted about 10 million posts referencing Tsu.",
    "In He and Dong's towns, local government has demanded a certain number of the dead should be cremated each month.",
    "The photo was posted on the social sharing site Reddit, where it quickly got to the top of the site's front page.",
    "Miley responded almost instantly, tweeting, \"babe as of right now I'm still in the hospital.\"",
    "He was appointed to this post in 2010 and has held it ever since.",
    "May 25, 2006: A leaking storage tank prompted a pollution violation at a platform damaged by Hurricane Katrina.",
    "Views of the economy have soured among Republicans since the spring, the poll found.",
    # The page-itself family: news about reports, comments, videos and versions stays.
    "The report was released on Tuesday and has been updated twice since the election.",
    "The mayor said his comments were taken out of context and closed the meeting.",
    "Police said the video was not available to the public until Friday.",
    "\"Thank you for your support,\" the senator told the crowd in Des Moines.",
    "An earlier version of the bill was rejected by the Senate in March.",
]


@pytest.mark.parametrize("sentence", NEWS_TOO)
def test_real_sentences_near_the_new_families_survive(sentence):
    assert not is_page_furniture(sentence)
    assert is_candidate(Sentence(sentence, "d", 0, 0, len(sentence)))
    assert clean_text(f"{REAL} {sentence}\n{AFTER}") == f"{REAL} {sentence}\n{AFTER}"


@pytest.mark.parametrize(
    "sentence",
    [
        # A caption that opens with its credit or site (multinews_2644), whatever the site.
        "Facebook This is the message Facebook users get if they try to post links to Tsu.",
        "tsu.co Facebook is blocking users from posting about Tsu.",
        "Getty Images The president waves to supporters as he leaves the rally in Ohio.",
        "example.org Protesters gather outside the parliament building on Monday.",
        # A picture described without a verb (multinews_806).
        "View of the Zhangjiajie Grand Canyon bridge.",
        "Aerial view of the world's longest and highest glass-bottomed bridge.",
        # A reaction widget (multinews_4149) and a teaser for the page's own content (multinews_4539).
        "Sorry, but you can only react up to 3 times!",
        "Oops! It looks like you've already used that reaction on this post.",
        "But before you start running, rest a while and read our picks for the winners and the losers from the "
        "final night of the Democratic convention.",
        # A box label glued to its first bullet (multinews_3550), a quoted data field (multinews_5388),
        # a source or stamp line (multinews_4804, multinews_33).
        "Story highlights Concertgoers are invited to wear something gray",
        "> Occupation: White House Communications Director",
        "According to Time magazine Dec 27, 2016",
        "Published on Dec 15, 2016",
    ],
)
def test_candidate_selection_refuses_the_new_families(sentence):
    assert is_page_furniture(sentence)
    assert not is_candidate(Sentence(sentence, "d", 0, 0, len(sentence)))


BASQUE = "Hmm, arazo bat egon da zerbitzariarenera iristeko."
SPANISH = "Hubo un problema al conectar con el servidor, vuelve a intentarlo más tarde."
CLUSTER = [
    "Just days after it was put up, the tree began to gray and shed its needles, and soon it was nearly see-through.",
    "The tree was quickly nicknamed Spelacchio, or Mangy, because so many of its dead needles were dropping off.",
    "Spelacchio arrived in Rome early this month from the Trentino region, near Italy's border with Austria.",
    "Vietnam's cashew exports rose last year as processed nuts fetched higher prices in Europe.",
    # Terse English sentences of the dev data, with few function words or none: they stay.
    "Internet auctions don't automatically mean bargains at all.",
    "The earthquake lasted approximately 30 seconds.",
    # No function word, but the cluster uses its words.
    "Vietnam exported 33,000 processed cashew nuts last year, fetching dlrs 133 million.",
]


def _sentences(texts):
    return [Sentence(t, f"d{k % 2}", k, 0, len(t)) for k, t in enumerate(texts)]


@pytest.mark.parametrize("foreign", [BASQUE, SPANISH])
def test_a_sentence_in_another_language_than_the_clusters_is_refused(foreign):
    texts = CLUSTER[:3] + [foreign] + CLUSTER[3:]
    positions = candidate_positions(_sentences(texts))
    assert texts.index(foreign) not in positions
    assert [texts[i] for i in positions] == CLUSTER  # every English sentence stays, the terse ones too


def test_glued_widget_in_another_language_leaves_the_real_sentence():
    # The widget as the page printed it, after a real sentence in the same line (multinews_33).
    line = f"{CLUSTER[0]} {BASQUE} Berriro saiatu? Gehitu Txio gurasoak Media gehitu"
    from newsdigest.nlp.text import split_sentences

    text = clean_text(f"{line}\n{CLUSTER[1]}\n{CLUSTER[2]}")
    texts = [text[a:b] for a, b in split_sentences(text)]
    kept = [texts[i] for i in candidate_positions(_sentences(texts))]
    assert CLUSTER[0] in kept and not any("arazo" in t for t in kept)


def test_a_cluster_in_another_language_keeps_its_sentences():
    spanish = [
        "El árbol de Navidad de la plaza Venecia perdió sus agujas en pocos días.",
        "Los romanos lo llamaron Spelacchio y se burlaron de él en las redes sociales.",
        SPANISH,
    ]
    assert candidate_positions(_sentences(spanish)) == [0, 1, 2]


def test_caption_line_with_a_labelled_credit_goes_whole():
    caption = "View of the Zhangjiajie Grand Canyon bridge. Image: Shao ying/Imaginechina/ap"
    assert clean_text(f"{REAL}\n{caption}\n{AFTER}") == f"{REAL}\n{AFTER}"
    # Glued after a real sentence only the credit goes, and candidate selection refuses the caption.
    glued = clean_text(f"{REAL} View of the Zhangjiajie Grand Canyon bridge. Image: Shao ying/Imaginechina/ap")
    assert glued == f"{REAL} View of the Zhangjiajie Grand Canyon bridge."
    assert not is_candidate(Sentence("View of the Zhangjiajie Grand Canyon bridge.", "d", 0, 0, 44))


def test_story_highlights_label_goes_and_its_bullet_stays():
    assert clean_text("Story highlights Concertgoers are invited to wear something gray\nTickets go on sale") == (
        "Concertgoers are invited to wear something gray\nTickets go on sale"
    )
    assert clean_text(f"{REAL} Story highlights Concertgoers are invited to wear something gray") == (
        f"{REAL} Concertgoers are invited to wear something gray"
    )


def test_a_page_of_widgets_gives_no_furniture_even_when_no_sentence_passes():
    # multinews_4149: a reaction widget around a one-line puzzle; nothing is a full candidate.
    texts = [
        "Your Reaction?",
        "Sorry, but you can only react up to 3 times!",
        "Oops!",
        "It looks like you've already used that reaction on this post.",
        "There's a panda amongst them!",
        "Can you find it?",
    ]
    kept = [texts[i] for i in candidate_positions(_sentences(texts))]
    assert kept == ["Oops!", "There's a panda amongst them!", "Can you find it?"]


@pytest.mark.parametrize(
    "line",
    [
        # Wikinews picture captions on lines of their own (MultiLing 2011), and a chart title.
        "Beached boat in Galle, Sri Lanca after 2004 Tsunami",
        "Countries affected by the 2004 Indian Ocean tsunami",
        "The scenes after the bombings on July 7",
        "Definitions of Opioid Prescriptions and Intensity of Physicians' Prescribing",
    ],
)
def test_a_line_without_a_sentence_end_is_no_candidate(line):
    assert not is_candidate(Sentence(line, "d", 0, 0, len(line)))


@pytest.mark.parametrize(
    "sentence",
    [
        "``We hope that we will be clean,'' said the team's coach, Zhou Ming.",
        '"It makes me sad. I have the impression the riders will never understand."',
        "The president in particular has criticized the media for what he calls unfair and biased coverage (again).",
        "He won the 2003 US Open, beating Juan Carlos Ferrero in the finals!",
    ],
)
def test_sentences_ending_inside_quotes_or_brackets_stay_candidates(sentence):
    assert is_candidate(Sentence(sentence, "d", 0, 0, len(sentence)))


def test_a_dateline_glued_to_the_first_sentence_goes_and_the_sentence_stays():
    text = (
        "Tuesday, January 18, 2005Through a telethon, Romanians have raised 15 billion lei for the victims.\n"
        "Saturday, March 26, 2005 Up to four times as many women as men died in the tsunami, Oxfam said.\n"
        "Thursday, May 1, 2008\n"
        "Monday, Jan. 5, 2015 was the coldest day in a decade."
    )
    assert clean_text(text) == (
        "Through a telethon, Romanians have raised 15 billion lei for the victims.\n"
        "Up to four times as many women as men died in the tsunami, Oxfam said.\n"
        "Thursday, May 1, 2008\n"
        "Monday, Jan. 5, 2015 was the coldest day in a decade."
    )


@pytest.mark.parametrize(
    "sentence",
    [
        # The page talking about itself, from the Multi-News and DUC dev articles ...
        "This material may not be published, broadcast, rewritten or redistributed.",
        "This article was originally published by the Spanish language ACI Prensa.",
        "This story originally appeared in The New York Post.",
        "(This article is excerpted from New Scientist, a weekly science and technology magazine based in London.)",
        "Editor's note: This story has been updated to correct David Turpin's age and Louise Turpin's middle name.",
        "This story has been corrected to show that the bag was found around 8:30 p.m., not 9:30 p.m.",
        "Associated Press writers Mark Sherman and Cal Woodward in Washington contributed to this report.",
        "Follow Michael Liedtke at twitter.com/liedtkesfc.",
        "Follow Jennifer Abbasi on Twitter.",
        # ... and in the words of other sites.
        "Our goal is to create a safe and engaging place for users to connect over interests and passions.",
        "In order to improve our community experience, we are temporarily suspending article commenting.",
        "Please note that all comments are moderated before they appear on the site.",
        "You must be logged in to post a comment.",
        "We apologize, but this video has failed to load.",
        "This content is not available in your region.",
        "The views expressed in this article are the author's own.",
        "Thank you for reading, and please support our journalism.",
    ],
)
def test_candidate_selection_refuses_the_page_talking_about_itself(sentence):
    assert is_page_furniture(sentence)
    assert not is_candidate(Sentence(sentence, "d", 0, 0, len(sentence)))


def test_a_title_glued_to_the_next_sentence_goes_and_the_sentences_stay():
    # Multi-News dev (multinews_4804): a chart title with no space before the paragraph's next sentence.
    text = (
        "The five-cent coins cost about seven cents each to produce last year. Prices for copper have "
        "surgedIt’s a key ingredient in any kind of circuit or wiring.\n"
        "Stocks to watch in the week aheadThe Federal Reserve meets on Tuesday."
    )
    assert clean_text(text) == (
        "The five-cent coins cost about seven cents each to produce last year. It’s a key ingredient in any "
        "kind of circuit or wiring.\n"
        "The Federal Reserve meets on Tuesday."
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Nationwide, BofA and Wells Fargo have about 14,000 and 6,500 ATMs, respectively.",
        "McDonald's The Chew segment and YouTube In Focus both aired on Monday.",
        "The iPhone maker said LeBron James and DeAndre Jordan would appear in the ad.",
    ],
)
def test_names_with_capitals_inside_are_not_taken_for_glued_titles(sentence):
    assert clean_text(sentence) == sentence


def test_the_word_gates_find_each_lists_words_wherever_they_are_and_only_then():
    gates = WordGates({"a": ("sign", "sign up", "file", "(left)"), "b": ("via ", "|", "this article", "this story", "sign")})
    a, b = gates.bit["a"], gates.bit["b"]
    expected = {
        "please sign up": a | b, "profile": a, "x (left) y": a, "sent via email": b, "a | b": b, "in this story": b,
        "sig": 0, "fil e": 0, "(left": 0, "via": 0, "this artic": 0, "the story": 0, "": 0, "signs a file via |": a | b,
    }
    assert {text: gates.found(text) for text in expected} == expected


def _ungated_furniture(text: str) -> bool:
    """is_page_furniture with every regex tried on every text: no word gate, no cheap test of a year first."""
    c = candidates
    if c._UI_IMPERATIVE_RE.match(text) or c._PAGE_SHAPE_RE.match(text) or c._STAMP_RE.match(text):
        return True
    if any(search(text) for _, search in c._GATED_TESTS):
        return True
    date = c._MONTH_DATE_RE.search(text)
    return date is not None and c._CAPTION_VERB_RE.search(text, 0, date.start()) is not None


def _furniture_like_texts(count: int) -> list[str]:
    """The module's furniture and news, and random texts made of the gates' words and of what the gated
    regexes look for, in any case, with dates and trailing blanks."""
    import random

    words = sorted({w for words in candidates._GATE_WORDS.values() for w in words}) + [
        "here", "below", "the code", "link", "newsletters", "browser", "up to 3 times", "used", "picks",
        "coverage", "Getty Images", "AFP", "Photo", "this", "was originally", "moderated", "June 17, 2016",
        "Dec 27, 2016", "in Vienna", "Obama", "said", "on", "2016", "19", "20",
    ]
    generator = random.Random(5)
    texts = [REAL, AFTER, *NEWS, *NEWS_TOO, *(f for _, f in INLINE), *(f for _, f in OWN_LINE)]
    for _ in range(count):
        pieces = [generator.choice(words) for _ in range(generator.randint(1, 9))]
        pieces = [p.upper() if generator.random() < 0.15 else p.title() if generator.random() < 0.15 else p for p in pieces]
        texts.append("".join(p + generator.choice([" ", " ", ". ", ", ", "/", "\n"]) for p in pieces).rstrip(". "))
        texts[-1] += generator.choice(["", ".", " ", "\u2003", "\n"])
    return texts


def test_the_word_gates_never_change_a_verdict(monkeypatch):
    """Each word list is a necessary condition of its regex: gated or not, the same texts are furniture."""
    texts = _furniture_like_texts(4000)
    verdicts = [is_page_furniture(t) for t in texts]
    assert verdicts == [_ungated_furniture(t) for t in texts]
    assert 500 < sum(verdicts) < len(texts) - 500  # both kinds, many of each
    # A list missing a word: a text that holds its regex's match is turned away (so the gate decides).
    for name, word, furniture in (
        ("ui control", "your", "Please update your browser to see this."),
        ("caption: |", "|", "Protesters march in Caracas on Sunday | AP"),
        ("caption: caption", "credit", "Media credit Reuters"),
        ("caption verb", "speaks", "Mayor Smith speaks to reporters on June 17, 2016 in Vienna."),
        ("page itself: may not", "may not", "This material may not be published or broadcast."),
        ("page itself: civil", "civil", "We welcome your views, but please keep it civil."),
    ):
        assert is_page_furniture(furniture), furniture
        lists = dict(candidates._GATE_WORDS)
        lists[name] = tuple(w for w in lists[name] if w != word)
        monkeypatch.setattr(candidates, "_GATES", WordGates(lists))
        assert not is_page_furniture(furniture), furniture
        monkeypatch.undo()


def test_the_word_precheck_never_turns_away_a_text_holding_furniture(monkeypatch):
    """drop_furniture_sentences looks for every word of an entry in the case-folded text before it normalises
    the text: on random texts made of the shipped entries' words, it drops what it drops without that check."""
    import random

    from newsdigest.ingest import furniture as furniture_module

    entries = shipped_furniture() | {normalize_sentence("Die STRASSENBAHNHALTESTELLE schliesst heute.")}
    words = sorted({word for entry in entries for word in entry.split()}) + ["Straßenbahnhaltestelle", "schließt", "STORY"]
    generator = random.Random(3)
    texts = []
    for _ in range(3000):
        pieces = [generator.choice(words) for _ in range(generator.randint(1, 12))]
        text = "".join(p + generator.choice([" ", ". ", "-", "\n", ": ", "'s "]) for p in pieces)
        if generator.random() < 0.3:  # a whole entry as a sentence, in another case, with its own punctuation
            entry = [w.upper() if generator.random() < 0.5 else w for w in generator.choice(sorted(entries)).split()]
            cut = generator.randrange(len(text) + 1)
            text = f"{text[:cut]}\n{' '.join(entry)}{generator.choice(['.', '!', ''])}\n{text[cut:]}"
        texts.append(text)
    checked = [drop_furniture_sentences(t, entries) for t in texts]
    for_frozen = [drop_furniture_sentences(t, frozenset(entries)) for t in texts]
    monkeypatch.setattr(furniture_module, "_PRECHECK_LIMIT", -1)  # every text normalised, no word test
    unchecked = [drop_furniture_sentences(t, entries) for t in texts]
    assert checked == unchecked == for_frozen
    assert sum(c != t for c, t in zip(checked, texts)) > 300  # the entries were found and dropped
