"""Language detection and the lazily loaded jieba segmenter."""

from __future__ import annotations

import subprocess
import sys

import pytest

from storyguard.language import Segmenter, detect_language, fold_width, has_han


@pytest.mark.parametrize(
    "text, language",
    [
        ("Lily is seven and lives with her grandmother.", "en"),
        ("", "en"),
        ("12345 !!!", "en"),
        ("小明今年七岁，住在山区。", "zh"),
        ("這個孩子每天走兩個小時去上學。", "zh"),  # Traditional Chinese is zh
        ("孩子們需要你的幫助", "zh"),
        ("小明今年七岁，他说 OK。", "zh"),  # a stray Latin word does not make it mixed
        ("Lily 今年七岁 and she loves school very much", "mixed"),
        ("Please donate today to help children in rural areas, 谢谢", "en"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_has_han_and_fold_width():
    assert has_han("Lily 小")
    assert not has_han("Lily ＡＢＣ")
    folded = fold_width("ＡＢＣ　１２３！")
    assert folded == "ABC 123!"
    assert len(folded) == len("ＡＢＣ　１２３！")


def test_segmenter_is_lazy_until_tag():
    calls = []

    def words():
        calls.append(1)
        return ["小明同学"]

    segmenter = Segmenter(words)
    assert segmenter.loaded is False
    assert calls == []
    tags = segmenter.tag("小明同学今天去上学")
    assert segmenter.loaded is True
    assert calls == [1]
    # Offsets are exact and cover the text; the user word stays one token.
    assert "".join(word for _s, _e, word, _f in tags) == "小明同学今天去上学"
    for start, end, word, _flag in tags:
        assert "小明同学今天去上学"[start:end] == word
    assert any(word == "小明同学" for _s, _e, word, _f in tags)
    segmenter.tag("再来一次")
    assert calls == [1]  # built once


def test_constructing_a_segmenter_does_not_import_jieba():
    code = (
        "import sys\n"
        "from storyguard.language import Segmenter, detect_language\n"
        "s = Segmenter()\n"
        "detect_language('小明今年七岁')\n"
        "assert s.loaded is False\n"
        "assert 'jieba' not in sys.modules, 'jieba imported before tag()'\n"
        "s.tag('小明')\n"
        "assert s.loaded is True and 'jieba' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
