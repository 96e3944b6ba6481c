"""Labelling (SG1xx): stigmatising labels and pity framing used as a child's identity."""

from __future__ import annotations

import re
from collections.abc import Iterator

from storyguard.lexicon import Entry
from storyguard.rules import Edit, Fix, Match, RuleContext

from ._details import LEXICONS, labels_name_no_child
from ._mixed import EmbeddedEnglish

LABELLING_REFERENCES = (
    "CN-KJ-15", "CN-MPL-77", "UNICEF-ERC-RG1", "UNICEF-ERC-P1", "RD4C-PROTECTIVE", "RD4C-PEOPLE-CENTRIC",
    "ITU-COP2020-IND-CIVIC", "DOCHAS-2007-3", "BOND-PPPF-2024-PORTRAYAL",
)


# The header of the "don't" column in a vocabulary table: "Instead of | Write", "Avoid | Use", 避免使用 | 建议使用.
_AVOID_HEADER = re.compile(
    r"^\W*(?:instead of|avoid(?: using| saying)?|don[’']?t (?:say|use|write)|do not (?:say|use|write)|never (?:say|use)"
    r"|not this|old (?:term|wording)|outdated(?: terms?)?|words to avoid|problematic(?: terms?)?|wrong|incorrect"
    r"|避免使用|避免|不要说|不要用|不宜使用|慎用|错误用法|錯誤用法|不当用语|不當用語|不说|不說)\W*$",
    re.I,
)


class VocabularyTableAware(EmbeddedEnglish, abstract=True):
    """Style guides list the labels to avoid in a table ("Instead of | Write"): the words in
    such a table's cells are mentioned, not used; and some copy labels no child at all
    (`labels_name_no_child`: a pet's appeal, a report naming no child, an adult's memoir)."""

    def check(self, context: RuleContext) -> Iterator[Match]:
        if labels_name_no_child(context):
            return
        for match in super().check(context):
            if match.segment.scope == "table-cell" and avoid_table(context):
                continue
            yield match


def avoid_table(context: RuleContext) -> bool:
    """The copy holds a vocabulary table with an "avoid" column (its cells mention labels)."""
    return context.memo("avoid-table", lambda: any(
        segment.scope == "table-cell" and _AVOID_HEADER.match(segment.text.strip())
        for segment in context.document.segments
    ))


class StigmatisingLabel(VocabularyTableAware):
    """Flags a stigmatising category used as a child's identity.

    What it flags:
        Labels such as "AIDS orphan", "street kid", "crippled", "problem child", 留守儿童 or
        孤儿 used to name a child or children in publicity copy. Programme and policy names,
        quotations and negations ("we never say 'orphan'") are not flagged.

    Why it matters:
        A label reduces a child to a misfortune, follows them online for years, and exposes
        them to discrimination. China's Measures (Art. 15) forbid labelling children in
        difficulty; UNICEF asks reporters to avoid categorisations that stigmatise.

    How to fix:
        Describe the situation, person first: "a girl whose parents died of AIDS",
        "children whose parents work in the city", "父母在外务工的孩子".

    Examples:
        Bad (en): Meet Joseph, an AIDS orphan from the valley.
        Good (en): Joseph lost both parents and now lives with his aunt.
        Bad (zh): 这个留守娃每天一个人上学。
        Good (zh): 我们为父母在外务工的孩子开设了课后班。
    """

    code = "SG101"
    name = "stigmatising-label"
    category = "labelling"
    severity = "warning"
    references = LABELLING_REFERENCES
    fixable = "unsafe"
    lexicon = "labels"
    lexicon_root = LEXICONS
    message_template = "'{term}' labels the child: {note}"

    def fix_for(self, text: str, start: int, end: int, entry: Entry, sentences: list[tuple[int, int]]) -> Fix | None:
        """Swap the label for its person-first suggestion, agreeing in number and article."""
        if not entry.suggestions:
            return None
        term = text[start:end]
        if entry.language == "zh":
            return Fix((Edit(start, end, entry.suggestions[0]),), "unsafe", f"replace with '{entry.suggestions[0]}'")
        plural = term.lower().endswith("s") and not term.lower().endswith("ss")
        suggestion = next(
            (s for s in entry.suggestions if s.lower().startswith(("children", "young people")) == plural),
            entry.suggestions[0],
        )
        article = _ARTICLE_BEFORE.search(text, max(0, start - 40), start)  # a window: whole-text scans per hit were quadratic
        if article and not plural:
            start = article.start()  # "an AIDS orphan" -> "a child whose ...": the article goes with the label
            suggestion = f"{_ARTICLE[suggestion[:1].lower() in 'aeiou']} {suggestion}"
            term = text[start:end]
        if term[:1].isupper():
            suggestion = suggestion[:1].upper() + suggestion[1:]
        return Fix((Edit(start, end, suggestion),), "unsafe", f"replace with '{suggestion}'")


_ARTICLE_BEFORE = re.compile(r"\b(?:an?|An?)\s+$")
_ARTICLE = {False: "a", True: "an"}


class PityFraming(VocabularyTableAware):
    """Flags pity or deficit framing that defines a child by misfortune.

    What it flags:
        Phrases such as "poor little thing", "helpless child", "forgotten children",
        可怜的孩子, 苦命娃, 无依无靠 used about a child.

    Why it matters:
        Pity framing strips children of dignity and agency and sensationalises their lives;
        Dóchas, Bond and Radi-Aid research ask for dignity instead, and China's Measures
        (Art. 15) forbid labelling children in difficulty.

    How to fix:
        Say what is happening and what the gift changes, and show the child's own strengths.

    Examples:
        Bad (en): Look at this poor little boy, all alone in the world.
        Good (en): Maya, 9, loves drawing and wants to be an architect.
        Bad (zh): 这个苦命娃从小没人疼。
        Good (zh): 她喜欢画画，梦想成为一名建筑师。
    """

    code = "SG102"
    name = "pity-framing"
    category = "labelling"
    severity = "warning"
    references = LABELLING_REFERENCES
    lexicon = "pity"
    lexicon_root = LEXICONS
    document_needs_child = True
    message_template = "'{term}' frames the child by pity: {note}"


RULES = [StigmatisingLabel, PityFraming]
