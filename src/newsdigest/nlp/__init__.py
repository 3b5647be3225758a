"""Language helpers shared by every stage: sentences, words and stems, similarity."""
