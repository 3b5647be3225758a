"""Thresholds that several modules share, each with its reason.

A value used by one module only stays in that module, next to the code it
tunes; a value here means the same thing wherever it is read, so changing it
changes every use at once.
"""

from __future__ import annotations

# Two sentences "say the same thing" when the cosine of their TF-IDF vectors
# (content-word Porter stems, :func:`newsdigest.nlp.similarity.sentence_similarities`)
# reaches this. Read by citation finding (a document supports a summary
# sentence) and by the analysis's coverage (a source reports a point, a
# sentence is shared), so a citation and the coverage grid never disagree.
# The value is the one citations always used; the analysis had its own 0.3
# over unstemmed words before, which counted topic-only overlaps as shared.
SAME_THING = 0.45

# A sentence shorter than this many words is mostly a headline, a caption or a
# fragment: no summary method takes it as a candidate.
MIN_SENTENCE_WORDS = 6

# The centroid and LexRank baselines skip a sentence whose similarity to one
# already chosen reaches this: a near-copy adds words, not content.
REDUNDANT_SIMILARITY = 0.5

# Share of identical sentences from which a later article is a duplicate of an
# earlier one (the same wire story filed twice, a page fetched twice) and is
# dropped on reading. Below it, rewrites and updates of a story are kept.
DUPLICATE_SHARE = 0.9
