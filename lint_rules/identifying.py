"""Identifying details (SG2xx): what pins a specific real child down, alone or combined."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from storyguard.lazyre import LazyPattern
from storyguard.rules import Edit, Fix, Match, Rule, RuleContext

from .images import RULES as IMAGE_RULES
from ._details import (
    ABUSE, ADDRESS, AGE, CONTACT, FULL_NAME, HEALTH, HOSPITAL, ID_NUMBER, IMAGE, NAME, PARENT, PLACE, SCHOOL,
    Detail, _singular, about_child, child_story, cue, detail_kinds, details_in, document_details, document_mentions_child,
    pseudonymous,
)

IDENTIFYING_REFERENCES = (
    "CN-KJ-3", "CN-KJ-14", "CN-MPL-103", "CN-PIPL-28", "UNICEF-ERC-P2", "UNICEF-ERC-P6", "UN-CRC-GC25-68",
    "RD4C-PROPORTIONAL", "RD4C-PREVENTION", "ITU-COP2020-IND-RIGHTS", "SAIH-SMG-2017",
)


class DetailRule(Rule, abstract=True):
    """Rule kind: report the document's details of some kinds, in copy about a specific child."""

    kinds: ClassVar[tuple[str, ...]]
    requires_child_story: ClassVar[bool] = True
    # Most details matter only in copy that mentions a child; an ID number is never fine.
    requires_child_mention: ClassVar[bool] = True
    message: ClassVar[str]
    suggestion: ClassVar[str]
    # Placeholders for a safe fix, by detail kind and language, where redaction is mechanical.
    redactions: ClassVar[dict[str, dict[str, str]]] = {}

    def check(self, context: RuleContext) -> Iterator[Match]:
        # Copy that never mentions a child (no child word, relation or age under 18) is not about
        # one: an adult patient's diagnosis or a county name there is not this linter's business.
        if self.requires_child_mention and not document_mentions_child(context):
            return
        for detail in document_details(context):
            if detail.kind not in self.kinds or detail.language not in self.languages:
                continue
            if self.requires_child_story and not about_child(context, detail):
                continue
            if self.keep(context, detail):
                yield Match(
                    segment=detail.segment, start=detail.start, end=detail.end,
                    message=self.message.format(text=detail.text, kind=detail.kind),
                    suggestion=self.suggestion, confidence=0.85, fix=self.fix_for(detail),
                )

    def keep(self, context: RuleContext, detail: Detail) -> bool:
        return True

    def fix_for(self, detail: Detail) -> Fix | None:
        placeholder = self.redactions.get(detail.kind, {}).get(detail.language)
        if placeholder is None:
            return None
        return Fix((Edit(detail.start, detail.end, placeholder),), "safe", f"replace with {placeholder}")


class ChildFullName(DetailRule):
    """Flags a child's full name (given name and surname) in fundraising copy.

    What it flags:
        A first name plus surname tied to a child ("Lily Chen, 7", "my son Jacob Miller",
        王小雨, 张浩然) unless the copy says the name is changed. Adults' names (staff, donors,
        adult beneficiaries) are not flagged.

    Why it matters:
        A full name makes the child searchable forever and links the story to their school,
        friends and future employers. The Minors Protection Law (Art. 103) and the Measures
        forbid disclosing it; UNICEF asks for names to be changed.

    How to fix:
        Use a first name only, or a changed name marked as such ("Lily, name changed", 化名).

    Examples:
        Bad (en): Lily Chen, 7, needs a new kidney before winter.
        Good (en): Our volunteer Maria Lopez ran the bake sale.
        Bad (zh): 7岁的王小雨患上了白血病。
        Good (zh): 志愿者李明带来了一百本书。
    """

    code = "SG201"
    name = "child-full-name"
    category = "identifying"
    severity = "error"
    references = IDENTIFYING_REFERENCES
    fixable = "unsafe"
    kinds = (FULL_NAME,)
    requires_child_story = False
    message = "this looks like a child's full name"
    suggestion = "Use a first name only, or a changed name marked as such (化名 / name changed)."

    def keep(self, context: RuleContext, detail: Detail) -> bool:
        return not pseudonymous(context)

    def fix_for(self, detail: Detail) -> Fix | None:
        """A first initial in English ("Lily Chen" -> "L."), surname + 某 in Chinese (王小雨 -> 王某)."""
        name = detail.text.strip()
        if not name:
            return None
        if detail.language == "zh":
            short, description = f"{name[0]}某", "replace the full name with surname + 某"
        else:
            short, description = f"{name[0].upper()}.", "replace the full name with a first initial"
        return Fix((Edit(detail.start, detail.end, short),), "unsafe", description)


class ChildLocation(DetailRule):
    """Flags where a child lives: home address, street, village, township or county chain.

    What it flags:
        House numbers and streets, "Maple Village", 某省某县某镇某村 chains, in copy about a
        specific child.

    Why it matters:
        A location lets anyone find the child; combined with a name or an age it identifies
        them (CRC General Comment 25, para. 68; the Measures Art. 3).

    How to fix:
        Give the region at most ("a village in Gansu"), never the village or street.

    Examples:
        Bad (en): Sam, 6, lives at 14 Birch Lane with his gran.
        Good (en): Our office is open Monday to Friday.
        Bad (zh): 小宇今年8岁，家住甘肃省定西市安定区李家堡镇王庄村。
        Good (zh): 项目覆盖甘肃省的十个县。
    """

    code = "SG202"
    name = "child-location"
    category = "identifying"
    severity = "error"
    references = IDENTIFYING_REFERENCES
    fixable = "safe"
    kinds = (ADDRESS, PLACE)
    # A street address is removed mechanically; a village or county chain needs a human to
    # decide how much of the region may stay.
    redactions = {ADDRESS: {"en": "[address removed]", "zh": "[地址已删除]"}}
    message = "this gives the child's {kind}"
    suggestion = "Name the region at most; leave out the village, street and house number."


class ChildSchool(DetailRule):
    """Flags a child's school, grade or class.

    What it flags:
        "Year 4 at Hillside Primary School", 某某小学三年级二班, in copy about a specific child.

    Why it matters:
        A school tells anyone where to find the child every weekday (Minors Protection Law
        Art. 103).

    How to fix:
        Leave the school out, or say "a local primary school".

    Examples:
        Bad (en): Ella, 8, is in Year 3 at Hillside Primary School.
        Good (en): Thank you to Hillside Primary School for hosting our book drive.
        Bad (zh): 小雨今年9岁，在青山镇中心小学三年级二班读书。
        Good (zh): 感谢青山镇中心小学师生参与捐书活动。
    """

    code = "SG203"
    name = "child-school"
    category = "identifying"
    severity = "warning"
    references = IDENTIFYING_REFERENCES
    kinds = (SCHOOL,)
    message = "this names the child's school or class"
    suggestion = "Leave the school out, or say 'a local primary school' / '当地一所小学'."


class ContactDetails(DetailRule):
    """Flags phone numbers and email addresses published with a child's story.

    What it flags:
        A family's phone number or email next to a named child's story.

    Why it matters:
        Contact details let strangers reach the child or family directly; Save the Children
        forbids exchanging them with sponsors.

    How to fix:
        Route donations and contact through the organisation; remove the number (safe fix).

    Examples:
        Bad (en): Lily, 7, needs surgery. Call her mum on 07700 900123.
        Good (en): Lily, 7, needs surgery (name changed, shared with her guardian's consent).
        Bad (zh): 小宇今年8岁，联系他妈妈：13812345678。
        Good (zh): 小宇（化名）今年8岁，经监护人同意分享他的故事。
    """

    code = "SG204"
    name = "contact-details"
    category = "identifying"
    severity = "error"
    references = IDENTIFYING_REFERENCES
    fixable = "safe"
    kinds = (CONTACT,)
    message = "contact details published alongside a child's story"
    suggestion = "Route contact through the organisation and remove the number or address."
    redactions = {CONTACT: {"en": "[contact removed]", "zh": "[联系方式已删除]"}}

    def keep(self, context: RuleContext, detail: Detail) -> bool:
        return any(d.kind in (NAME, FULL_NAME, PARENT) for d in document_details(context))


class NationalIdNumber(DetailRule):
    """Flags a Chinese resident ID number (checksum-validated).

    What it flags:
        An 18-character resident identity number whose GB 11643 checksum is valid.

    Why it matters:
        An ID number identifies the child permanently and enables fraud; it is sensitive
        personal information under PIPL Art. 28.

    How to fix:
        Remove it (safe fix); platforms verify identity privately.

    Examples:
        Bad (en): Patient ID 110105201903070020, admitted on Monday.
        Good (en): Case reference CF-2291.
        Bad (zh): 患儿身份证号：440306201506121537。
        Good (zh): 项目编号：XY-2024-031。
    """

    code = "SG205"
    name = "id-number"
    category = "identifying"
    severity = "error"
    references = IDENTIFYING_REFERENCES
    fixable = "safe"
    kinds = (ID_NUMBER,)
    requires_child_story = False
    requires_child_mention = False
    message = "a resident ID number (checksum valid)"
    suggestion = "Remove the ID number."
    redactions = {ID_NUMBER: {"en": "[ID removed]", "zh": "[身份证号已删除]"}}


class HospitalBed(DetailRule):
    """Flags a hospital ward, room or bed number given for a child.

    What it flags:
        "Bed 12 on Ward 5", "PICU", 3号病房, 12床, in copy about a specific child.

    Why it matters:
        A ward and bed tell strangers exactly where a sick child lies today.

    How to fix:
        Say "in hospital" and leave out the ward and bed.

    Examples:
        Bad (en): Visit Noah, 4, in bed 12 on the oncology ward at St Mary's Hospital.
        Good (en): The children's hospital is open to visitors from 2 to 6 pm.
        Bad (zh): 6岁的小雨住在省儿童医院血液科12床。
        Good (zh): 儿童医院门诊时间为每天8点至17点。
    """

    code = "SG206"
    name = "hospital-bed"
    category = "identifying"
    severity = "warning"
    references = IDENTIFYING_REFERENCES
    kinds = (HOSPITAL,)
    message = "this says where in hospital the child is"
    suggestion = "Say 'in hospital' and leave out ward, room and bed."


class SensitiveHistory(DetailRule):
    """Flags a diagnosis or abuse history tied to a named or locatable child.

    What it flags:
        Leukaemia, HIV, abuse, 白血病, 被性侵 mentioned in a story that also names or locates the
        child.

    Why it matters:
        Health and abuse history are sensitive (PIPL Art. 28); UNICEF requires changing the name
        and hiding the identity of abused or HIV-positive children (RG3).

    How to fix:
        Change the name and remove locating details, or leave the diagnosis out.

    Examples:
        Bad (en): Lily Chen, 7, from Maple Village was diagnosed with leukaemia.
        Good (en): Children with leukaemia need long stays in hospital.
        Bad (zh): 王庄村8岁的王小雨被确诊为白血病。
        Good (zh): 白血病患儿往往需要长期住院治疗。
    """

    code = "SG207"
    name = "sensitive-history"
    category = "identifying"
    severity = "warning"
    references = (*IDENTIFYING_REFERENCES, "UNICEF-ERC-RG3")
    kinds = (HEALTH, ABUSE)
    message = "a {kind} tied to an identifiable child"
    suggestion = "Change the name and remove locating details, or leave the diagnosis out."

    def keep(self, context: RuleContext, detail: Detail) -> bool:
        kinds = detail_kinds(context)
        named = bool(kinds & {FULL_NAME}) or (NAME in kinds and not pseudonymous(context))
        return named and bool(kinds & {FULL_NAME, PLACE, ADDRESS, SCHOOL, AGE, HOSPITAL})


class ChildImage(Rule):
    """Flags an image whose alt text, caption or file name shows a specific child.

    What it flags:
        `<img alt="Lily in her hospital bed">`, `![小雨在病床上](xiaoyu.jpg)`, a file name that
        spells a child's name (`lily-chen-ward5.jpg`), figure captions naming the child.

    Why it matters:
        A portrait identifies a child at a glance and spreads beyond the page; the Minors
        Protection Law (Art. 103) forbids disclosing a minor's image.

    How to fix:
        Use an image where the child cannot be recognised (from behind, blurred), rename the
        file, and write alt text that does not name the child.

    Examples:
        Bad (en): ![Lily Chen, 7, in her hospital bed](img/lily-chen.jpg)
        Good (en): ![Volunteers sorting donated books](img/book-drive.jpg)
        Bad (zh): ![8岁的小雨在病床上](img/xiaoyu.jpg)
        Good (zh): ![志愿者在整理图书](img/books.jpg)
    """

    code = "SG208"
    name = "child-image"
    category = "identifying"
    severity = "warning"
    references = IDENTIFYING_REFERENCES
    scopes = ("image-alt", "image-title", "image-src", "caption")

    def check(self, context: RuleContext) -> Iterator[Match]:
        for segment in context.segments_for(self):
            for detail in details_in(context, segment):
                if detail.kind in (IMAGE, NAME, FULL_NAME):
                    yield self._match(segment, detail.start, detail.end)
                    break
            else:
                # A generic child word in alt text is fine when the copy says faces are obscured,
                # or when the picture is a document, poster or chart rather than a photo.
                if segment.scope == "image-src" or _faces_obscured(context) or _NOT_A_PHOTO.match(segment.text):
                    continue
                # The child the copy names, named again under the picture ("小浩边哭边扒饭的正脸镜头").
                named = _named_child_in(context, segment)
                if named is not None:
                    yield self._match(segment, *named)
                    continue
                for language in segment.languages:
                    hit = next((span for span in cue(context, language, "child").finditer(segment.text)
                                if child_story(context) or _singular(segment.text[span[0]:span[1]], language)), None)
                    obscured = cue(context, language, "pseudonym").search(segment.text)
                    if hit and not obscured:
                        yield self._match(segment, *hit)
                        break

    def _match(self, segment, start: int, end: int) -> Match:
        return Match(
            segment=segment, start=start, end=end,
            message=f"this {segment.scope.replace('-', ' ')} shows or names a specific child",
            suggestion="Use an image where the child cannot be recognised, rename the file, and keep names out of alt text.",
            confidence=0.75,
        )


class IdentifyingCombination(Rule):
    """Flags copy that combines several details which together pin one child down.

    What it flags:
        Three or more kinds of detail about one child: first name, age, village, school,
        diagnosis, hospital, photo. A first name stated as changed (化名) does not count.

    Why it matters:
        Details harmless alone identify a child together (CRC General Comment 25, para. 68;
        the Measures Art. 3 cover information identifying a child "alone or combined").

    How to fix:
        Drop details until no reader who knows the area could tell who the child is.

    Examples:
        Bad (en): Amy is 9, lives in Glenmore Village and has epilepsy.
        Good (en): A nine-year-old girl we support has epilepsy.
        Bad (zh): 小花今年9岁，住在石桥村，患有癫痫。
        Good (zh): 我们资助的一名9岁女孩患有癫痫。
    """

    code = "SG209"
    name = "identifying-combination"
    category = "identifying"
    severity = "warning"
    references = IDENTIFYING_REFERENCES
    threshold: ClassVar[int] = 3

    def check(self, context: RuleContext) -> Iterator[Match]:
        if not document_mentions_child(context):
            return
        details = [d for d in document_details(context) if d.kind not in (CONTACT, ID_NUMBER, PARENT)]
        if pseudonymous(context):
            details = [d for d in details if d.kind not in (NAME,)]
        groups = {_group(d.kind) for d in details}
        has_person = bool(groups & {"name", "age", "image"})
        if len(groups) < self.threshold or not has_person:
            return
        first = min(details, key=lambda d: (d.segment.index, d.start))
        listed = ", ".join(sorted(groups))
        yield Match(
            segment=first.segment, start=first.start, end=first.end,
            message=f"together these details identify the child: {listed}",
            suggestion="Remove details until the child cannot be recognised by people who know the area.",
            confidence=min(0.95, 0.5 + 0.12 * len(groups)),
        )


_OBSCURED = re.compile(
    r"blurr?(?:ed|ing)?|obscured|pixelated|from behind|faces? (?:is |are )?(?:hidden|not shown|turned away)"
    r"|(?:walking|walks|turned|turning|facing|looking) away from the camera|backs? to the camera|silhouett(?:e|ed)"
    r"|不露(?:正)?脸|不露臉|背影|打码|打碼|模糊处理|模糊處理|遮挡|遮擋|面部已"
    r"|(?:不含|没有|沒有|无|無|不拍|不出现|不出現)正[脸臉]",
    re.IGNORECASE,
)


_NOT_A_PHOTO = LazyPattern(
    r"\s*(?:(?:a|an|the)\s+)?(?:screenshot|screen\s?grab|logo|poster|flyer|leaflet|infographic|chart|graph|map|diagram|"
    r"illustration|icon|banner|cover|document|page|table|form|certificate|graphic|drawing|painting)s?\b"
    r"|\s*(?:截图|截圖|海报|海報|标志|標誌|图表|圖表|示意图|示意圖|插画|插畫|封面|文件|证书|證書|画作|畫作|手绘|手繪)",
    re.IGNORECASE,
)


def _named_child_in(context: RuleContext, segment) -> tuple[int, int] | None:
    """Where a child's name found elsewhere in the copy appears in this caption or alt text."""
    if pseudonymous(context):
        return None
    names = context.memo("child-names", lambda: {
        d.text for d in document_details(context) if d.kind in (NAME, FULL_NAME) and len(d.text) >= 2})
    # The first name in the caption, the longest where two start together: never the order
    # of a set, which changes from one process to the next.
    found = []
    for name in names:
        start = segment.text.find(name)
        if start >= 0 and (not name.isascii() or _word_at(segment.text, start, start + len(name))):
            found.append((start, -len(name)))
    if not found:
        return None
    start, negative_length = min(found)
    return start, start - negative_length


def _word_at(text: str, start: int, end: int) -> bool:
    return not (start > 0 and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())


def _faces_obscured(context: RuleContext) -> bool:
    return context.memo("faces-obscured", lambda: any(_OBSCURED.search(s.text) for s in context.document.segments))


def _group(kind: str) -> str:
    return {NAME: "name", FULL_NAME: "name", AGE: "age", PLACE: "place", ADDRESS: "place", SCHOOL: "school",
            HEALTH: "health", ABUSE: "health", HOSPITAL: "hospital", IMAGE: "image"}.get(kind, kind)


RULES = [ChildFullName, ChildLocation, ChildSchool, ContactDetails, NationalIdNumber, HospitalBed,
         SensitiveHistory, ChildImage, IdentifyingCombination, *IMAGE_RULES]
