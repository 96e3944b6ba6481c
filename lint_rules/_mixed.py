"""English phrases inside Chinese copy ("这个poor little boy", "every like counts! 点赞、评论").

The engine tags a segment `zh` when nearly all of it is Han, so its English phrases never meet
the English lexicons. Mixed Chinese-English posts are common; the built-in lexicon rules also
run the English lexicon over a Chinese segment that holds a run of English words.
"""

from __future__ import annotations

import re

from storyguard.documents import Segment
from storyguard.lexicon import LexiconRule

# Two English words in a row (a phrase, not a brand name or a unit).
# Starts only at a word's first letter: from inside a long run of letters every start rescans it.
_ENGLISH_RUN = re.compile(r"(?<![A-Za-z])[A-Za-z]{2,}[ '’-]+[A-Za-z]{2,}")


def lexicon_languages(segment: Segment) -> tuple[str, ...]:
    """The languages whose lexicons apply to a segment: its own, plus English for English
    phrases embedded in Chinese text."""
    languages = segment.languages
    if languages == ("zh",) and _ENGLISH_RUN.search(segment.text):
        return ("zh", "en")
    return languages


class EmbeddedEnglish(LexiconRule, abstract=True):
    """A lexicon rule that also reads English phrases embedded in Chinese segments."""

    def lexicon_languages(self, segment: Segment) -> tuple[str, ...]:
        return lexicon_languages(segment)
