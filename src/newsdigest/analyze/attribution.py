"""Who says something: speech verbs and the speaker a dependency parse gives them.

Shared by the quote extractor (who said a quotation) and the figures (who
gives a number): both look for a speech verb near the statement and take its
grammatical subject as the speaker.
"""

from __future__ import annotations

SPEECH_VERBS = frozenset(
    """say tell add explain claim declare write ask note state insist warn quote announce argue contend
    continue recall describe admit acknowledge stress predict reply respond urge vow charge caution
    suggest tweet testify concede remark comment shout yell scream chant affirm assert""".split()
)


def speech_subject(verb):
    """The grammatical subject of a speech verb, climbing through "adding", "having told", "who said"."""
    token = verb
    for _ in range(4):
        for child in sorted(token.children, key=lambda c: abs(c.i - token.i)):  # the nearest, not a word in the quote
            if child.dep_ in {"nsubj", "nsubjpass"}:
                if child.tag_ in {"WP", "WDT"} and token.dep_ == "relcl":
                    return token.head
                return child
        if token.dep_ in {"xcomp", "advcl", "conj", "pcomp", "acl"} and token.head is not token:
            token = token.head
            continue
        if token.dep_ == "relcl":
            return token.head
        # "..., says an opposition source who added ..." parsed without a subject: the noun after the verb.
        for chunk in token.doc.noun_chunks:
            if chunk.start == token.i + 1:
                return chunk.root
            if chunk.start > token.i + 1:
                break
        break
    return None


def noun_phrase(head) -> str:
    """The words of ``head``'s phrase up to ``head`` itself ("a senior U.S. official")."""
    left = [t for t in head.subtree if t.i <= head.i]
    # only the contiguous run that ends at the head
    run = []
    for t in reversed(left):
        if run and t.i != run[-1].i - 1:
            break
        run.append(t)
    words = "".join(t.text_with_ws for t in reversed(run)).strip()
    return " ".join(words.split())
