"""The classifier exposed as rules (SG9xx): one per label, sharing one model and one pass.

Sentences of every prose segment are scored in one batch per document; a sentence whose
probability reaches the label's threshold becomes a finding with `source: "classifier"`.
The engine drops it where a rule already flagged an overlapping span of the same category.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

from lint_rules._details import animal_story, document_mentions_child, labels_name_no_child, specific_child
from lint_rules.labelling import avoid_table
from storyguard.errors import ModelUnavailableError
from storyguard.lexicon import QUOTED, segment_sentences
from storyguard.rules import Match, Rule, RuleContext

from . import ml_available

MIN_SENTENCE_CHARS = 6

# Style guides and training notes quote the labels they warn against: a sentence quoting two
# terms, or quoting one beside advice words, mentions labels rather than using them (the same
# reading the word-list rules give a quoted label).
_ADVICE = re.compile(
    r"\b(?:avoid|instead of|rather than|don[’']?t (?:say|use|write|call)|do not (?:say|use|write|call)|never (?:say|use|call)"
    r"|we (?:say|write|use)|say|write|use)\b|避免|不要说|不要用|不说|不說|不宜|慎用|而不是|代替|改为|改為|建议使用|建議使用",
    re.IGNORECASE,
)


def _talks_about_words(sentence: str) -> bool:
    quoted = len(QUOTED.findall(sentence))
    return quoted >= 2 or (quoted == 1 and _ADVICE.search(sentence) is not None)


def _model(context: RuleContext) -> Any:
    """The SentenceClassifier, loaded once per Linter (the CLI run or the server)."""
    shared = context.shared
    with shared["lock"]:
        if "classifier" not in shared:
            if not ml_available():
                raise ModelUnavailableError(
                    "the classifier needs the `ml` extra (pip install 'storyguard[ml]'); running rules only"
                )
            from .predict import SentenceClassifier

            shared["classifier"] = SentenceClassifier.load()
        return shared["classifier"]


def scored_sentences(segments: Iterable[Any], split: Callable[[Any], list[tuple[int, int]]]) -> list[tuple[Any, int, int]]:
    """(segment, start, end) of every sentence the classifier scores: prose scopes only, and
    sentences long enough to mean something. `split` gives a segment's sentence spans."""
    return [(segment, start, end) for segment in segments if segment.scope in ClassifierRule.scopes
            for start, end in split(segment) if end - start >= MIN_SENTENCE_CHARS]


def _scores(context: RuleContext) -> list[tuple[Any, int, int, dict[str, float]]]:
    def compute() -> list[tuple[Any, int, int, dict[str, float]]]:
        spans = scored_sentences(context.document.segments, lambda segment: segment_sentences(context, segment))
        if not spans:
            return []  # nothing to score: the model is never loaded
        model = _model(context)
        probabilities = model.predict([segment.text[start:end] for segment, start, end in spans])
        return [(segment, start, end, probs) for (segment, start, end), probs in zip(spans, probabilities)]

    return context.memo("classifier-scores", compute)


class ClassifierRule(Rule, abstract=True):
    label: ClassVar[str]
    advice: ClassVar[str] = ""
    source = "classifier"
    scopes = ("title", "meta", "heading", "paragraph", "list-item", "blockquote", "table-cell",
              "image-alt", "caption", "post-text", "front-matter", "text")

    def check(self, context: RuleContext) -> Iterator[Match]:
        # Every category is about a child: copy that never mentions one (a volunteer rota, an
        # adult's appeal) is not this classifier's business, however its sentences score.
        if not document_mentions_child(context):
            return
        # Traffic is the use of one child's story (as for the traffic rules): sharing an adult's
        # or a pet's appeal, or a charity's general news, is not.
        if self.label == "traffic" and (not specific_child(context) or animal_story(context)):
            return
        # Where the word-list rules find no child labelled (a report, a memoir, a pet), nor does this.
        if self.label == "labelling" and labels_name_no_child(context):
            return
        scores = _scores(context)
        if not scores:
            return
        # The F1-best sentence thresholds flag too much in a page of dozens of sentences, so a
        # class is reported only when `support` sentences reach its stricter document threshold
        # (both per class in head.json, chosen by classifiers.calibrate on the calibration set).
        # `[model] threshold` and `[model] support` override them for every class.
        model = _model(context)
        threshold = context.options.get("model_threshold") or model.document_thresholds[self.label]
        support = context.options.get("model_support") or model.document_support[self.label]
        confident = [(segment, start, end, probs) for segment, start, end, probs in scores if probs[self.label] >= threshold]
        if len(confident) < support:
            return
        for segment, start, end, probs in confident:
            if self.label == "labelling" and (
                    _talks_about_words(segment.text[start:end]) or (segment.scope == "table-cell" and avoid_table(context))):
                continue
            probability = probs[self.label]
            yield Match(
                segment=segment, start=start, end=end,
                message=f"the classifier reads this sentence as {self.label} ({probability:.0%})",
                suggestion=self.advice, confidence=round(probability, 3),
            )


class ClassifierLabelling(ClassifierRule):
    """The classifier's reading: this sentence labels or pities a child.

    What it flags:
        Sentences the trained classifier scores as labelling or pity framing (reported when
        enough sentences of the document reach the class's document threshold; both numbers
        are calibrated per class), including paraphrases no word list holds ("a little boy
        nobody ever chose").

    Why it matters:
        Labels and pity strip children of dignity (the Measures Art. 15; UNICEF RG1).

    How to fix:
        Rewrite person first, with the child's strengths and the change a gift makes.

    Examples:
        Bad (en): She is a little girl nobody ever wanted. Forgotten by the whole world, she has never known a mother's love.
        Good (en): Your gift funds school meals for 300 children this term.
        Bad (zh): 这个被命运抛弃的孩子，从来没有人疼过他。他是没人要的可怜娃。
        Good (zh): 您的捐款将用于三百名学生的午餐。
    """

    code = "SG901"
    name = "classifier-labelling"
    category = "labelling"
    severity = "info"
    references = ("CN-KJ-15", "UNICEF-ERC-RG1", "RD4C-PROTECTIVE", "ITU-COP2020-IND-CIVIC")
    label = "labelling"
    advice = "Describe the child person first, without pity or a category as identity."


class ClassifierIdentifying(ClassifierRule):
    """The classifier's reading: this sentence identifies a specific child.

    What it flags:
        Sentences the trained classifier scores as identifying: combinations of name, place,
        school, condition or family detail in words no pattern names.

    Why it matters:
        Details combine to identify a child (CRC GC25 para. 68; the Measures Art. 3).

    How to fix:
        Remove or generalise the details that locate the child.

    Examples:
        Bad (en): She is the seven-year-old at the end of Birch Lane, the one in Mrs Patel's class. Her dad, Mark Jones, drives the number 9 bus, and they live above the chip shop on Mill Road. Her nan walks her to the gate of Ashgrove Juniors every morning at half eight.
        Good (en): Children across the region will benefit from the new clinic.
        Bad (zh): 她就是村口小卖部旁边那户人家的八岁女儿，在镇中心小学读二年级。她的爸爸叫李建军，在县城工地打工，家就在柳塘村小学后面。她妈妈王秀英在柳塘镇东街开理发店，孩子放学就在店里写作业。
        Good (zh): 新诊所将服务全县的儿童。
    """

    code = "SG902"
    name = "classifier-identifying"
    category = "identifying"
    severity = "info"
    references = ("CN-KJ-3", "CN-MPL-103", "UN-CRC-GC25-68", "RD4C-PROPORTIONAL", "ITU-COP2020-IND-RIGHTS")
    label = "identifying"
    advice = "Remove or generalise details that locate or name the child."


class ClassifierTraffic(ClassifierRule):
    """The classifier's reading: this sentence uses a child's story for traffic or sales.

    What it flags:
        Sentences the trained classifier scores as traffic-seeking: new ways of begging for
        shares, views, gifts or sales around a child.

    Why it matters:
        The Measures (Art. 15) forbid using children in difficulty to gain traffic or sell.

    How to fix:
        Ask for support plainly, without pressure to share and without the child's details.

    Examples:
        Bad (en): Our little girl Mia is fighting for her life. Every time this post lands in someone's feed she gets one step closer to her operation. Keep it moving and get it in front of as many eyes as you can tonight. Tag three friends and pin this to your page so the algorithm keeps showing her.
        Good (en): Join our 5K fun run in May and bring your friends.
        Bad (zh): 求扩散！这个小女孩才5岁，每一次转发都可能救她一命！大家动动手指转发一下，孩子等不起了！
        Good (zh): 欢迎报名参加五月的公益跑活动。
    """

    code = "SG903"
    name = "classifier-traffic"
    category = "traffic"
    severity = "info"
    references = ("CN-KJ-15", "UNICEF-ERC-P3", "RD4C-PURPOSE", "ITU-COP2020-IND-SAFE-ENV")
    label = "traffic"
    advice = "Ask for support plainly, without share pressure or the child's details."


RULES = [ClassifierLabelling, ClassifierIdentifying, ClassifierTraffic]
