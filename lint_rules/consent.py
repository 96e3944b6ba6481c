"""Consent (SG4xx): a specific child's story told with no sign of consent or protection."""

from __future__ import annotations

import re
from collections.abc import Iterator

from storyguard.rules import Match, Rule, RuleContext

from ._details import AGE, FULL_NAME, NAME, consent_signal, document_details, specific_child

CONSENT_REFERENCES = (
    "CN-KJ-12", "CN-KJ-13", "CN-PIPL-31", "CN-MPL-72", "UNICEF-ERC-IG4", "DOCHAS-2007-4", "BOND-PPPF-2024-CONSENT",
    "RD4C-PARTICIPATORY", "RD4C-ACCOUNTABLE", "ITU-COP2020-IND-RIGHTS", "KCS-2024-COMMS",
)


class StoryWithoutConsent(Rule):
    """Flags a specific child's story or image with no sign of consent or anonymisation.

    What it flags:
        Copy about one identifiable or specific child (a name, or an age with a place, school or
        diagnosis) that nowhere says names are changed, faces obscured, or that the guardian
        (and the child) agreed. `consent:` front matter counts as a sign.

    Why it matters:
        The Measures (Art. 12-13) require the guardian's consent under 14 and the child's own
        from 14, and technical processing before publishing; Dóchas and Bond require informed
        permission for every story and image.

    How to fix:
        Get written consent, change the name, and say so: "Name changed; shared with her
        guardian's consent" / "文中儿童均为化名，经监护人同意发布".

    Examples:
        Bad (en): Lily, 7, has spent the winter in hospital waiting for a kidney.
        Good (en): Lily (name changed), 7, has spent the winter in hospital; shared with her mother's consent.
        Bad (zh): 小雨今年7岁，整个冬天都在医院等待肾源。
        Good (zh): 小雨（化名）今年7岁，经监护人同意分享她的故事。
    """

    code = "SG401"
    name = "story-without-consent"
    category = "consent"
    severity = "warning"
    references = CONSENT_REFERENCES
    message = "this tells a specific child's story but says nothing about consent or anonymisation"
    suggestion = "State that names are changed and that the guardian (and the child, from 14) agreed."

    def check(self, context: RuleContext) -> Iterator[Match]:
        if not specific_child(context) or consent_signal(context):
            return
        details = document_details(context)
        anchor = next((d for d in details if d.kind in (NAME, FULL_NAME)), None) or min(
            details, key=lambda d: (d.segment.index, d.start), default=None
        )
        if anchor is None:  # a told story with no detail to point at: point at its first segment
            segment = next(s for s in context.document.segments if s.scope != "image-src")
            yield Match(segment=segment, start=0, end=len(segment.text), message=self.message, suggestion=self.suggestion, confidence=0.6)
            return
        yield Match(
            segment=anchor.segment, start=anchor.start, end=anchor.end,
            message=self.message, suggestion=self.suggestion, confidence=0.7,
        )


_OWN_CONSENT = re.compile(
    r"本人同意|本人及监护人|孩子本人|and (?:her|his|their) own|the child(?:'s)? (?:own )?(?:consent|agreed|assent)|(?:she|he) agreed"
    # "Mia, 15, chose to share her story" (her own choice; not "her mother chose to share")
    r"|(?<!mother )(?<!father )(?<!mum )(?<!mom )(?<!dad )(?<!parents )(?<!parent )(?<!guardian )(?<!family )"
    r"chose to (?:share|tell|be named|be photographed)",
    re.I,
)


class ConsentAgeRule(Rule):
    """Flags consent that does not fit the child's age under the Measures (Art. 12).

    What it flags:
        A child aged 14 or over whose story cites only the guardian's consent; China's
        Measures require the child's own consent from 14, with notice to the guardian.
        Runs under the `cn` profile (or when selected by code), since the age rule is the
        Measures' own.

    Why it matters:
        Consent given by the wrong person is no consent; older children decide for themselves
        (the Measures Art. 12; Keeping Children Safe asks for the child's assent at any age).

    How to fix:
        Record and state the young person's own consent ("shared with her own consent and her
        mother's knowledge" / "经本人同意并告知监护人").

    Examples:
        Bad (en): Mia, 15, shared with her guardian's consent, needs a liver transplant.
        Good (en): Mia, 15, chose to share her story; her guardian was informed.
        Bad (zh): 小雨今年15岁，经监护人同意分享她的故事。
        Good (zh): 小雨今年15岁，经本人同意并告知监护人后分享她的故事。
    """

    code = "SG402"
    name = "consent-age"
    category = "consent"
    severity = "info"
    profiles = ("cn",)
    references = ("CN-KJ-12", "CN-PIPL-31", "KCS-2024-COMMS", "RD4C-PARTICIPATORY", "ITU-COP2020-IND-RIGHTS")

    def check(self, context: RuleContext) -> Iterator[Match]:
        if not specific_child(context) or not consent_signal(context):
            return
        full_text = "\n".join(segment.text for segment in context.document.segments)
        if _OWN_CONSENT.search(full_text):
            return
        for detail in document_details(context):
            if detail.kind == AGE and detail.value is not None and 14 <= detail.value < 18:
                yield Match(
                    segment=detail.segment, start=detail.start, end=detail.end,
                    message=f"a child of {detail.value} must consent personally; only a guardian's consent is mentioned",
                    suggestion="State the young person's own consent, with notice to the guardian.",
                    confidence=0.6,
                )
                return


RULES = [StoryWithoutConsent, ConsentAgeRule]
