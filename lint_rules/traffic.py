"""Traffic-seeking use (SG3xx): a child's story used to chase shares, views or sales."""

from __future__ import annotations

from collections.abc import Iterator

from storyguard.documents import Segment
from storyguard.lexicon import Entry, is_mention, segment_hits, segment_sentences
from storyguard.rules import Edit, Fix, Match, RuleContext
from storyguard.sentences import sentence_at

from ._details import (
    LEXICONS, animal_story, child_story, document_mentions_child, general_text, near_one_child, protected_child_story,
    specific_child,
)
from ._mixed import EmbeddedEnglish, lexicon_languages

TRAFFIC_REFERENCES = (
    "CN-KJ-15", "CN-MPL-49", "UNICEF-ERC-P3", "RD4C-PURPOSE", "RD4C-PROTECTIVE", "ITU-COP2020-IND-SAFE-ENV",
    "UK-FR-2025-1.1.2", "DOCHAS-2007-3",
)


_CLAUSE_MARKS = (",", "，", ";", "；", "—", "–", ":", "：", "、")
_SPACES = " \t\u3000"
_SENTENCE_END = ".!?。！？…\"'”’」』）)"


def _near_label(context: RuleContext, segment: Segment, start: int, end: int, reach: int = 160) -> bool:
    """Children labelled or pitied close by ("RT if you think these feral kids deserve...",
    大山里的穷孩子...转发到3个群): the demand trades on those children's misfortune, even when
    no single child is named."""
    spans = context.memo(f"label-spans:{segment.index}", lambda: _label_spans(context, segment))
    return any(a < end + reach and b > start - reach for a, b in spans)


def _label_spans(context: RuleContext, segment: Segment) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for language in lexicon_languages(segment):
        cues = context.lexicons.cues(LEXICONS, language)
        children = context.lexicons.cue(LEXICONS, language, "child")
        reach = 20 if language == "en" else 6
        sentences = segment_sentences(context, segment)
        for name in ("labels", "pity"):
            lexicon = context.lexicons.terms(LEXICONS, language, name)
            if lexicon is None:
                continue
            hits = segment_hits(context, lexicon, segment)  # the labelling rules' hits, not found again
            for start, end, _entry, _confidence in lexicon.assessed(segment.text, sentences, hits):
                # The label must be about children ("these feral kids", 穷孩子), not a puppy.
                near_child = children.search(segment.text, max(0, start - reach), min(len(segment.text), end + reach))
                if near_child and not is_mention(segment.text, start, end, cues, language, sentences):
                    spans.append((start, end))
    return spans


class _StoryContext:
    """Child context that is always present: used inside copy about one specific child."""

    def search(self, text: str, start: int = 0, end: int | None = None) -> bool:
        return True


_STORY_CONTEXT = _StoryContext()


class TrafficRule(EmbeddedEnglish, abstract=True):
    """Traffic is the use of a *child's* story: keep matches in copy about a specific child,
    or next to one ("share to save her" about a puppy, a gala stream, a book sale are fine)."""

    lexicon_root = LEXICONS


    def check(self, context: RuleContext) -> Iterator[Match]:
        # A news or court story about live-stream fraud, a study of sharing habits: no child's story is used.
        if general_text(context):
            return
        about_a_child = specific_child(context)
        seen: set[tuple[int, int, int]] = set()
        for match in super().check(context):
            if about_a_child or near_one_child(context, match.segment, match.start, match.end) or _near_label(
                    context, match.segment, match.start, match.end):
                seen.add((match.segment.index, match.start, match.end))
                yield match
        # Only where the copy shows it is about a child (a child word, an age under 18, a child's
        # name): an adult patient's story told in the same way is not this linter's business.
        if about_a_child and (child_story(context) or document_mentions_child(context) or protected_child_story(context)) \
                and not animal_story(context):
            yield from self._in_child_story(context, seen)

    def _in_child_story(self, context: RuleContext, seen: set[tuple[int, int, int]]) -> Iterator[Match]:
        """Entries that need child context, in copy that tells one child's story: the whole
        document is about the child, so "follow so you don't miss tonight's live" counts even
        when no child word stands within a sentence or two of it."""
        for segment, language, lexicon, cues, sentences in self.readings(context):
            for start, end, entry in segment_hits(context, lexicon, segment):
                if not entry.needs_child_context or (segment.index, start, end) in seen:
                    continue
                confidence = entry.assess(segment.text, start, end, _STORY_CONTEXT, sentences)
                if confidence is None or is_mention(segment.text, start, end, cues, language, sentences):
                    continue
                seen.add((segment.index, start, end))
                yield self.match(segment, start, end, entry, confidence, sentences)


class ShareBait(TrafficRule):
    """Flags demands to share, forward, like or follow built on a child's story.

    What it flags:
        "Share to save her", "forward this to 10 groups", "don't scroll past", 转发救命,
        求扩散, 转发到3个群, 点赞关注.

    Why it matters:
        It turns a child's suffering into engagement bait and spreads their story far beyond
        any consent given. China's Measures (Art. 15) forbid using children's information to
        attract attention or gain traffic; fundraising codes forbid undue pressure.

    How to fix:
        Ask for a donation plainly, or invite people to share the campaign page without
        pressure and without the child's details.

    Examples:
        Bad (en): Please share to save this little girl, every share counts!
        Good (en): You can find our winter appeal on our website.
        Bad (zh): 这个孩子才5岁，转发救命！求扩散！
        Good (zh): 欢迎转发我们的义卖活动通知。
    """

    code = "SG301"
    name = "share-bait"
    category = "traffic"
    severity = "error"
    references = TRAFFIC_REFERENCES
    fixable = "unsafe"
    lexicon = "share-bait"
    message_template = "'{term}' demands shares on the back of a child's story: {note}"

    def fix_for(self, text: str, start: int, end: int, entry: Entry, sentences: list[tuple[int, int]]) -> Fix | None:
        """Remove the demand: its clause when the sentence has other content before it, else the sentence."""
        sentence_start, sentence_end = sentence_at(sentences, start)
        if sentence_end <= sentence_start:
            return None
        clause = max(text.rfind(mark, sentence_start, start) for mark in _CLAUSE_MARKS)
        if clause > sentence_start and text[sentence_start:clause].strip():
            body_end = sentence_end
            while body_end > end and text[body_end - 1] in _SENTENCE_END:
                body_end -= 1
            return Fix((Edit(clause, body_end, ""),), "unsafe", "remove the share demand")
        start, after = sentence_start, sentence_end
        while after < len(text) and text[after] in _SPACES:
            after += 1
        if after == len(text):  # the last sentence takes the space before it, not after
            after = sentence_end
            while start > 0 and text[start - 1] in _SPACES:
                start -= 1
        return Fix((Edit(start, after, ""),), "unsafe", "remove the sentence demanding shares")


class ChildLiveStream(TrafficRule):
    """Flags live-streaming a child, or asking for tips and gifts around one.

    What it flags:
        "Watch her live from the hospital", 直播, 打赏, 刷礼物, 音浪 in copy about a child.

    Why it matters:
        Live streams expose a child in real time, cannot be taken back, and turn care into a
        show; the Minors Protection Law (Art. 76) bars live-streaming accounts for under-16s
        and the Measures (Art. 15) forbid using children in difficulty for traffic.

    How to fix:
        Do not stream the child. Report progress afterwards, with consent, without
        identifying details.

    Examples:
        Bad (en): Tune in tonight to watch our little girl Mia live from her hospital bed.
        Good (en): Our charity gala will be streamed live on Friday.
        Bad (zh): 今晚八点直播我家女儿化疗，家人们刷礼物支持。
        Good (zh): 公益讲座将于周五晚在线直播。
    """

    code = "SG302"
    name = "child-live-stream"
    category = "traffic"
    severity = "error"
    references = (*TRAFFIC_REFERENCES, "CN-MPL-76")
    lexicon = "live-stream"
    message_template = "'{term}' streams or monetises a child: {note}"


class ChildStorySales(TrafficRule):
    """Flags selling products on the strength of a child's story.

    What it flags:
        "Every mug you buy helps Lily", 直播带货, 买一单帮孩子 and similar.

    Why it matters:
        Tying sales to a child's suffering commercialises the child; China's Measures
        (Art. 15) forbid live-stream sales using children in difficulty.

    How to fix:
        Sell for the programme, not for a named or pictured child, and leave the child's
        story out of the sales pitch.

    Examples:
        Bad (en): Every mug you buy pays for six-year-old Lily's next round of chemo.
        Good (en): Proceeds from our mugs fund the charity's school meals programme.
        Bad (zh): 直播带货，每卖一单都帮8岁的小宇凑手术费。
        Good (zh): 义卖所得将用于乡村图书角项目。
    """

    code = "SG303"
    name = "child-story-sales"
    category = "traffic"
    severity = "error"
    references = TRAFFIC_REFERENCES
    lexicon = "child-sales"
    message_template = "'{term}' sells on a child's story: {note}"


class PityClickbait(TrafficRule):
    """Flags countdowns, share milestones and clickbait pity headlines.

    What it flags:
        "Only 3 days left unless this gets 10,000 shares", "what happened next will break
        your heart", 看哭了, 倒计时, 再不救就来不及了.

    Why it matters:
        Shock and countdown tactics pressure donors and sensationalise a child's situation;
        the CAP Code (4.2) bans shocking claims merely to attract attention.

    How to fix:
        State the need accurately and calmly; give a real deadline only if there is one, with
        its reason.

    Examples:
        Bad (en): You won't believe what happened to this little boy.
        Good (en): The appeal closes on 31 March when the school year ends.
        Bad (zh): 这个女孩才3岁，看哭了！再不救就来不及了！
        Good (zh): 本次募捐将于3月31日结束。
    """

    code = "SG304"
    name = "pity-clickbait"
    category = "traffic"
    severity = "warning"
    references = (*TRAFFIC_REFERENCES, "UK-CAP-4.2")
    lexicon = "clickbait"
    message_template = "'{term}' is clickbait pressure: {note}"


RULES = [ShareBait, ChildLiveStream, ChildStorySales, PityClickbait]
