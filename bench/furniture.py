"""Page furniture in digests (issue 14): how many digests carry it, what each rule removed.

Three commands::

    PYTHONPATH=src .venv/bin/python bench/furniture.py digests     # digests with furniture, per dev set
    PYTHONPATH=src .venv/bin/python bench/furniture.py rules       # characters each furniture rule removed
    PYTHONPATH=src .venv/bin/python bench/furniture.py build-list  # rewrite src/newsdigest/ingest/furniture.txt

``digests`` summarizes every cluster of every dev set with the default method
(Multi-News dev at 250 words, DUC 2003 at 100, MultiLing 2011 English at 250,
the seeds ``examples/syria`` at the default length) and runs :func:`detect`
on every digest sentence. Run it with ``PYTHONPATH`` pointing at an older
``src`` to get the "before" column: the detector lives here, not in the
package, so it measures any version the same way.

The detector is deliberately broader than the removal rules and shares no
code with them (the measure is not the fix). A sentence is flagged when:

* ``chrome word``: it contains a word of page chrome: click (any form, but
  not the programme "Click's"), "tap here/to ...", swipe, scroll, CTRL/CMD/ESC,
  embed, subscribe, newsletter, sign up/in, log in, cookies, JavaScript,
  "your/this/the browser", ad blocker, "learn more", "read more", "continue
  reading", "share this", "in the comments"/"N comments"/"comments section",
  "follow us", tweet location, "copying the code", Wayback/Internet Archive,
  crawl, advertisement, "sponsored content/posts/links", copyright, "all rights reserved", caption, credit, Getty, AP
  Photo, agency slash credits (AFP/, /Reuters), slideshow, gallery, handout,
  file photo, pic.twitter.com, a Twitter handle in parentheses, a URL,
  "skip", playback, "video player", reaction and vote widgets ("your reaction",
  "react up to", "already used"), "story highlights", "read/see/watch our",
  the page about itself ("may not be published", "rights reserved", "this
  article/story/... was originally/updated/corrected", "earlier version of",
  "contributed to this", "views expressed", comment moderation, "not
  available", "failed to load", "quotes delayed", "thank you for reading",
  "our journalism", "follow X on Twitter");
* ``page shape``: an all-capitals label with a colon at its start
  ("RELATED:", "WATCH:"; not a speaker's label before a quote, 'TRUMP: "..."'), "CLOSE" or "FILE" at its start, a bar "|", a
  position in parentheses ("(left)"), "(Associated Press)" at its end, "in
  this ... photo/image/picture", a "Name/Agency" credit, a picture agency
  after a slash ("/Landov", "/Getty"), or a caption's template: a verb in
  the present tense (speaks, poses, attend, walks, holds, ...) and later a
  full date with its year ("... on June 17, 2016 in Vienna"), a line that
  ends in a full date ("According to Time magazine Dec 27, 2016"), a ">"
  opening (a quoted data field), "(a|the) ... view(s) of" opening (a caption),
  a weekday's full date glued before a sentence ("Saturday, March 26, 2005 Up to ...");
* ``imperative``: it starts with a verb addressing the reader (click, tap,
  read, watch, see, share, follow, subscribe, sign, download, check out,
  visit, join, learn, copy, press, enter, "like us", email, call, contact, tell);
* ``credit glued``: a caption opening with its credit or site, a domain
  first ("tsu.co Facebook is ...") or capitalised words then a capitalised
  determiner or pronoun and a small word ("Facebook This is the message ...");
* ``not English``: four or more lower-case words and not one English stop
  word (scikit-learn's list): chrome in another language ("Hmm, arazo bat
  egon da zerbitzariarenera iristeko.");
* ``recurs``: the same sentence (case and punctuation ignored) is in the
  input articles of three or more clusters of the same dev set.

Broad words flag some news sentences too (a story about a gallery or about
copyright); every flagged sentence is printed, so each count can be checked
by reading.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SEEDS = REPO / "examples" / "syria"
FURNITURE_TXT = REPO / "src" / "newsdigest" / "ingest" / "furniture.txt"

# (label, path under DATA or absolute, words; None = the default length)
DEV_SETS = (
    ("Multi-News dev", "multinews/dev.jsonl", 250),
    ("DUC 2003", "duc2003", 100),
    ("MultiLing 2011 English", "multiling2011", 250),
    ("seeds (examples/syria)", str(SEEDS), None),
)

_CHROME_WORDS = re.compile(
    r"\b(?:click(?:s|ed|ing)?(?!'s)|tap (?:here|to \w+)|swipe|scroll(?:ing)? (?:down|up)|ctrl|cmd|esc|embed(?:ded)?|subscri(?:be|bing|ption)"
    r"|newsletters?|sign(?:ing)? (?:up|in)|log(?:ging)? in|cookies?|javascript|(?:your|this|the) browser|ad ?blockers?|learn more|read more"
    r"|continue reading|share this|(?:in the|leave a|post a|\d+) comments?|comments? (?:section|below)|follow us|tweet with a location|location history|copying the code"
    r"|wayback|internet archive|crawl(?:s|ed)?|advertisements?|sponsored (?:content|posts?|links?|stories)|copyright|all rights reserved|captions?"
    r"|credits?|getty|ap photo|slideshow|galler(?:y|ies)|handout|file photo|skip|playback|video player"
    r"|your reaction|react(?:ed|ing)? up to|reactions? (?:on|to) this|already (?:used|voted|reacted)|story highlights"
    r"|(?:read|see|watch|check out|browse|view) our|may not be (?:published|reproduced|redistributed)|rights reserved"
    r"|this (?:article|story|post|piece|page|content|material) (?:(?:was|has been|is) )?(?:originally|first|updated"
    r"|corrected|excerpted|adapted|republished|reprinted)|(?:earlier|previous) version of|contributed to this"
    r"|views expressed|comments? (?:are|is)|commenting|moderated|community (?:experience|guidelines)|place for users"
    r"|not available|unavailable|failed to load|quotes? (?:are )?delayed|thank you for (?:reading|visiting|watching)"
    r"|our journalism"
    r"|follow (?:\w+ ){1,4}(?:on|at) (?:twitter|facebook|instagram))\b"
    r"|\b(?:AFP|AP|Reuters|EPA)/|/(?:AFP|AP|Reuters|EPA|Getty)\b|pic\.twitter\.com|\(@\w+\)|https?://|www\.",
    re.IGNORECASE,
)
_PAGE_SHAPE = re.compile(
    r"^[A-Z][A-Z' ]{2,}:(?!\s*[\"“])|^(?:CLOSE|FILE)\b|\||\((?:left|right|center|centre|top|bottom|pictured)\)"
    r"|\(Associated Press\)\s*$|\bin this\b.{0,60}\b(?:photo|image|picture)s?\b"
    r"|\b[A-Z][a-z]+ [A-Z][a-z]+ ?/ ?[A-Z][\w.]*(?: [A-Z][\w.]*){0,3}\s*$"
    r"|[\w.-] ?/ ?(?:Landov|Getty|AP|AFP|Reuters|EPA|Invision|Bloomberg|Corbis|For The)\b"
    r"|\b(?:speak|pose|attend|arrive|look|walk|gesture|wave|stand|sit|hold|listen|react|celebrate|smile|talk|greet|pause"
    r"|point|watch|pray|embrace|mourn|address|share|shake|leave|gather|march|play|work|wait|prepare|sign)s? "
    r"(?:[^.]|\.(?=\S|\s[a-z0-9]))*\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? (?:19|20)\d\d\b"
    r"|^[^.!?]{0,80}\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? (?:19|20)\d\d\W*$"
    r"|^>|^(?:(?:an?|the) )?(?:\w+ )?views? of\b"
    r"|^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, [A-Z][a-z]+\.? \d{1,2}, \d{4} ?[A-Z]",
)
# A credit or site name glued before a caption's first word: a domain first ("tsu.co Facebook is ..."),
# or capitalised words and then a capitalised determiner or pronoun with a small word after it
# ("Facebook This is the message ...").
_CREDIT_GLUED = re.compile(
    r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[a-z]{2,6} +[A-Z]"
    r"|^(?:[A-Z][\w.&'’-]* +){1,3}(?:This|That|These|Those|The|A|An|Here|There) +[a-z]"
)
# Not in English: enough words and not one English stop word (scikit-learn's list, not the
# summarizer's), e.g. Twitter's widget in Basque, "Hmm, arazo bat egon da zerbitzariarenera iristeko."
_LETTERS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
MIN_FOREIGN_WORDS = 4


def _not_english(sentence: str) -> bool:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = _LETTERS.findall(sentence)
    lower = [w for w in words if w[0].islower()]
    return len(lower) >= MIN_FOREIGN_WORDS and not any(w.lower() in ENGLISH_STOP_WORDS for w in words)
_IMPERATIVE = re.compile(
    r"^(?:please\s+)?(?:click|tap|read|watch|see|share|follow|subscribe|sign|download|check out|visit|join|learn|copy"
    r"|press|enter|like us|email|call|contact|tell)\b",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[\W_]+")
MIN_RECURRING_CLUSTERS = 3


def _flat(text: str) -> str:
    return " " + _NON_WORD.sub(" ", text).strip().casefold() + " "


def detect(sentence: str, recurring_in: int = 0) -> list[str]:
    """The detector's reasons to call ``sentence`` furniture (empty: none).

    ``recurring_in``: in how many clusters' input articles the sentence occurs.
    """
    reasons = []
    if _CHROME_WORDS.search(sentence):
        reasons.append("chrome word")
    if _PAGE_SHAPE.search(sentence):
        reasons.append("page shape")
    if _IMPERATIVE.search(sentence):
        reasons.append("imperative")
    if _CREDIT_GLUED.search(sentence):
        reasons.append("credit glued")
    if _not_english(sentence):
        reasons.append("not English")
    if recurring_in >= MIN_RECURRING_CLUSTERS:
        reasons.append("recurs")
    return reasons


def _load(path: str):
    from newsdigest.evaluate.datasets import Cluster, load_dataset
    from newsdigest.ingest import load_documents

    if Path(path).is_dir() and not (Path(path) / "docs").is_dir() and not (Path(path) / "SourceTexts").is_dir():
        documents, _ = load_documents([path])
        return [Cluster("syria", documents, [])]
    return load_dataset(path)


def digests_report(save: Path | None = None) -> dict:
    """Summarize every dev cluster and flag furniture in the digests."""
    from newsdigest.pipeline import summarize_documents

    result = {}
    for label, relative, words in DEV_SETS:
        path = relative if relative.startswith("/") else str(DATA / relative)
        clusters = _load(path)
        flat_inputs = {c.id: _flat("\n".join(d.text for d in c.documents)) for c in clusters}
        flagged_digests = 0
        flagged: list[dict] = []
        for cluster in clusters:
            digest = summarize_documents(cluster.documents, words=words)
            hit = False
            lines = []
            for s in digest.sentences:
                key = _flat(s.text)
                recurring = sum(1 for text in flat_inputs.values() if key in text) if len(key.split()) >= 3 else 0
                reasons = detect(s.text, recurring)
                lines.append(s.text)
                if reasons:
                    hit = True
                    flagged.append({"cluster": cluster.id, "sentence": s.text, "reasons": reasons})
            flagged_digests += hit
            if save is not None:
                out = save / label.split()[0].lower()
                out.mkdir(parents=True, exist_ok=True)
                (out / f"{cluster.id}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        result[label] = {"digests": len(clusters), "with_furniture": flagged_digests, "flagged": flagged}
    return result


def _dev_articles() -> list[tuple[str, str]]:
    """(story, raw text) of every dev article: stories/dev.jsonl holds all three datasets, plus the seeds."""
    articles = []
    with (DATA / "stories" / "dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            articles.append((record["story"], record["text"]))
    for file in sorted(SEEDS.glob("*.txt")):
        articles.append(("seeds-syria", file.read_text(encoding="utf-8")))
    return articles


def rules_report(show: bool = False) -> Counter:
    """Characters each furniture rule (and the shipped recurring list) removed over all dev articles.

    The rules run in ``clean_text``'s order on the same text it sees, so each
    rule is charged only for what the rules before it left.
    """
    from newsdigest.ingest.clean import CLEANING_RULES, FURNITURE_RULES, normalize_whitespace, unwrap_lines
    from newsdigest.ingest.furniture import drop_furniture_sentences, shipped_furniture

    ours = {rule.name for rule in FURNITURE_RULES}
    removed: Counter = Counter()
    for story, raw in _dev_articles():
        text = unwrap_lines(raw.replace("\r\n", "\n").replace("\r", "\n"))
        for rule in CLEANING_RULES:
            if rule.where != "anywhere":
                continue
            if rule.name in ours:
                for match in rule.regex.finditer(text):
                    removed[rule.name] += len(match.group(0).strip())
                    if show and match.group(0).strip():
                        print(f"[{rule.name}] {story}: {match.group(0).strip()[:200]!r}")
            text = rule.regex.sub(rule.replace, text)
        text = normalize_whitespace(html.unescape(text))
        kept = drop_furniture_sentences(text, shipped_furniture())
        if kept != text:
            removed["recurring sentences (furniture.txt)"] += len(text) - len(kept)
            if show:
                print(f"[furniture.txt] {story}: {len(text) - len(kept)} characters")
    return removed


def build_list(min_stories: int) -> list[tuple[int, str]]:
    """Sentences recurring in ``min_stories`` or more dev stories, with their story counts."""
    from newsdigest.ingest.clean import normalize_whitespace, unwrap_lines
    from newsdigest.ingest.furniture import story_counts

    by_story: dict[str, list[str]] = defaultdict(list)
    for story, raw in _dev_articles():
        by_story[story].append(normalize_whitespace(unwrap_lines(html.unescape(raw))))
    counts, examples = story_counts(by_story)
    return sorted(((n, examples[key]) for key, n in counts.items() if n >= min_stories), key=lambda x: (-x[0], x[1]))


def write_list(entries: list[tuple[int, str]], path: Path) -> None:
    header = (
        "# Page furniture: sentences that recur word for word in articles of unrelated stories.\n"
        "# Built by `PYTHONPATH=src .venv/bin/python bench/furniture.py build-list` from every dev article\n"
        "# (../shared/data/stories/dev.jsonl: DUC 2003, MultiLing 2011, Multi-News dev; grouped by story), keeping\n"
        "# sentences of 4+ words found in 3+ stories, then read line by line: no news sentence may stay here.\n"
        "# Compared case- and punctuation-insensitively (newsdigest.ingest.furniture.normalize_sentence).\n"
        "# Lines starting with # are comments.\n"
    )
    body = "".join(f"# in {n} stories\n{sentence}\n" for n, sentence in entries)
    path.write_text(header + body, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("digests", help="digests with furniture per dev set")
    d.add_argument("--save", type=Path, help="write every digest to DIR/<set>/<cluster>.txt")
    d.add_argument("--json", type=Path, help="write the result as JSON to this file")
    r = sub.add_parser("rules", help="characters each furniture rule removed over all dev articles")
    r.add_argument("--show", action="store_true", help="print every removal, for reading")
    b = sub.add_parser("build-list", help="rewrite src/newsdigest/ingest/furniture.txt")
    b.add_argument("--min-stories", type=int, default=3)
    args = parser.parse_args(argv)

    if args.command == "digests":
        result = digests_report(args.save)
        print("| dev set | digests | with furniture (detector) |")
        print("|---|---:|---:|")
        for label, row in result.items():
            print(f"| {label} | {row['digests']} | {row['with_furniture']} |")
        for label, row in result.items():
            for hit in row["flagged"]:
                print(f"  {label} {hit['cluster']} [{', '.join(hit['reasons'])}] {hit['sentence'][:220]}")
        if args.json:
            args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    elif args.command == "rules":
        removed = rules_report(args.show)
        print("| rule | characters removed |")
        print("|---|---:|")
        for name, chars in removed.most_common():
            print(f"| `{name}` | {chars:,} |")
    else:
        entries = build_list(args.min_stories)
        write_list(entries, FURNITURE_TXT)
        print(f"{len(entries)} sentences written to {FURNITURE_TXT}")
        for n, sentence in entries:
            print(f"  {n:3d}  {sentence}")


if __name__ == "__main__":
    sys.exit(main())
