"""Stories: near-duplicate copies, online story grouping, titles and ranking.

>>> from newsdigest.stories import detect_stories
>>> stories = detect_stories(documents)
"""

from newsdigest.stories.copies import CopyFinder, CopyOptions
from newsdigest.stories.detect import Grouping, assign_stream, build_stories, detect_stories, group_documents, story_id, story_title
from newsdigest.stories.features import FeatureOptions
from newsdigest.stories.grouping import GroupingOptions, StoryGrouper, stream_order

__all__ = [
    "CopyFinder",
    "CopyOptions",
    "FeatureOptions",
    "Grouping",
    "GroupingOptions",
    "StoryGrouper",
    "assign_stream",
    "build_stories",
    "detect_stories",
    "group_documents",
    "story_id",
    "story_title",
    "stream_order",
]
