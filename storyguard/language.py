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


def fold_case(text: str) -> str:
    """Lower case, same length: `str.lower` turns a few characters (İ) into two, which would
    move every offset after them; those few are left as they are."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char if len(char.lower()) != 1 else char.lower() for char in text)


_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


_RECENT_RUNS = 2048
# jieba.posseg's own split (`re_han_internal`): each run is tagged independently of the rest.
_JIEBA_RUN = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._]+")


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

    def tag(self, text: str, only_runs_with: frozenset[str] | None = None) -> list[tuple[int, int, str, str]]:
        """(start, end, word, part of speech) for each word; offsets are exact.

        jieba tags each run of Han characters (with the letters and digits joined to it) on its
        own. With `only_runs_with`, only the runs holding one of those characters are tagged,
        and their words are exactly those of tagging the whole text: a detector that needs a
        surname character skips most of the text. Tagging (jieba's HMM for unknown words) is
        most of the cost of Chinese text, so recent runs' words are kept.
        """
        tokenizer = self._get()
        out: list[tuple[int, int, str, str]] = []
        position = 0
        for run in _JIEBA_RUN.finditer(text):
            if only_runs_with is None:
                out.extend(self._untagged(tokenizer, text, position, run.start()))
            elif only_runs_with.isdisjoint(run.group()):
                continue
            for start, end, word, flag in self._run_words(tokenizer, run.group()):
                out.append((run.start() + start, run.start() + end, word, flag))
            position = run.end()
        if only_runs_with is None:
            out.extend(self._untagged(tokenizer, text, position, len(text)))
        return out

    def _run_words(self, tokenizer, run: str) -> list[tuple[int, int, str, str]]:
        with self._lock:
            cached = self._recent.get(run)
        if cached is not None:
            return cached
        words, position = [], 0
        for pair in tokenizer.cut(run, HMM=True):
            words.append((position, position + len(pair.word), pair.word, pair.flag))
            position += len(pair.word)
        with self._lock:
            self._recent[run] = words
            while len(self._recent) > _RECENT_RUNS:
                self._recent.popitem(last=False)
        return words

    def _untagged(self, tokenizer, text: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
        """Text between runs, as jieba returns it (its own tags for spaces, digits, punctuation)."""
        if start >= end:
            return []
        return [(start + a, start + b, word, flag) for a, b, word, flag in self._run_words(tokenizer, text[start:end])]

    @property
    def loaded(self) -> bool:
        return self._tokenizer is not None
