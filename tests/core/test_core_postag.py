"""The faster part-of-speech search must tag exactly as jieba's own does."""

from __future__ import annotations

import json
from pathlib import Path

import jieba
import jieba.posseg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
from jieba.posseg.viterbi import viterbi as jieba_viterbi

from storyguard.postag import FastPOSTokenizer, TransitionIndex, viterbi

ROOT = Path(__file__).resolve().parents[2]


def _chinese_sentences() -> list[str]:
    """Sentences of the project's own Chinese training data: names, places, unknown words."""
    sentences = []
    for path in sorted((ROOT / "corpora" / "train" / "zh").glob("hand-*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                sentences.append(json.loads(line)["text"])
    return sentences


@pytest.fixture(scope="module")
def taggers() -> tuple[jieba.posseg.POSTokenizer, FastPOSTokenizer]:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return jieba.posseg.POSTokenizer(tokenizer), FastPOSTokenizer(tokenizer)


def test_tags_the_training_sentences_as_jieba_does(taggers) -> None:
    reference, fast = taggers
    sentences = _chinese_sentences()[::2]  # half is plenty and keeps the test quick
    assert len(sentences) > 500
    for sentence in sentences:
        assert [tuple(p) for p in fast.cut(sentence)] == [tuple(p) for p in reference.cut(sentence)], sentence


# Characters that jieba's HMM sees as parts of unknown words, and some it has no table for.
_HAN = "".join(sorted({c for s in ("王小雨张浩然李欣怡阿强小芳村镇县乡街号楼床病医院学校年级班岁的了是在和"
                                 "甘肃青山龙凤鑫淼犇骉燚𠀋㐀豳彧") for c in s}))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_HAN, min_size=1, max_size=40))
def test_search_matches_jieba_on_random_runs(run: str) -> None:
    expected = jieba_viterbi(run, char_state_tab_P, start_P, trans_P, emit_P)[1]
    assert viterbi(_INDEX, run) == expected


_INDEX = TransitionIndex()


def test_characters_outside_jiebas_tables_match_jieba(taggers) -> None:
    reference, fast = taggers
    text = "豳彧在㐀𠀋村读书，ABC 123 和 小雨。"
    assert [tuple(p) for p in fast.cut(text)] == [tuple(p) for p in reference.cut(text)]
