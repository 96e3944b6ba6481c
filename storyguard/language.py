"""Language per segment (en / zh / mixed) and Chinese word segmentation.

Detection is a cheap script count: Han characters against Latin letters. Traditional
Chinese is `zh`. jieba is created lazily, once per Segmenter, only when Chinese text is
actually seen, with the lexicons' terms added as user words.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: str) -> str:
    han = len(_HAN.findall(text))
    latin_words = len(_LATIN_WORD.findall(text))
    if han == 0:
        return "en"
    if latin_words == 0:
        return "zh"
    # One Han character is about one English word's worth of meaning, roughly.
    share = han / (han + latin_words * 1.5)
    if share >= 0.8:
        return "zh"
    if share <= 0.2:
        return "en"
    return "mixed"


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def fold_width(text: str) -> str:
    """Full-width ASCII to half-width, same length, so offsets do not move."""
    return text.translate(_FULLWIDTH)


_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


_RECENT_TAGS = 64


class Segmenter:
    """A private jieba tokenizer (never jieba's global one), built on first use."""

    def __init__(self, user_words: Callable[[], Iterable[str]] = tuple) -> None:
        self._user_words = user_words  # called once, when jieba is first needed
        self._tokenizer = None
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, list[tuple[int, int, str, str]]] = OrderedDict()

    def _get(self):
        with self._lock:
            if self._tokenizer is None:
                import jieba

                from .postag import FastPOSTokenizer

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for word in self._user_words():
                    tokenizer.add_word(word, freq=2000)
                self._tokenizer = FastPOSTokenizer(tokenizer)
            return self._tokenizer

    def tag(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, word, part of speech) for each word; offsets are exact.

        Tagging (jieba's HMM for unknown words) is most of the cost of Chinese text, and
        several detectors ask about the same segment: the last few results are kept.
        """
        with self._lock:
            cached = self._recent.get(text)
        if cached is not None:
            return cached
        out, position = [], 0
        for pair in self._get().cut(text, HMM=True):
            word, flag = pair.word, pair.flag
            out.append((position, position + len(word), word, flag))
            position += len(word)
        with self._lock:
            self._recent[text] = out
            while len(self._recent) > _RECENT_TAGS:
                self._recent.popitem(last=False)
        return out

    @property
    def loaded(self) -> bool:
        return self._tokenizer is not None
