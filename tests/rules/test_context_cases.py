"""Context decisions of the built-in packs, beyond the one-line docstring examples: who the copy
is about (a specific child, children in general, an adult, a pet), embedded English in Chinese
posts, vocabulary tables, programme names. Each text is written for this test."""

from __future__ import annotations

import pytest

from storyguard.config import Config
from storyguard.documents import parse_text
from storyguard.engine import Linter
from storyguard.registry import Registry


@pytest.fixture(scope="module")
def lint():
    linter = Linter(Config(model_enabled=False), Registry.from_entry_points())

    def run(text: str, fmt: str = "text", language: str = "auto") -> set[str]:
        path = {"text": "draft.txt", "markdown": "draft.md", "social-json": "post.json"}[fmt]
        report = linter.lint_document(parse_text(path, text, fmt), language=language)
        return {finding.rule for finding in report.findings}

    return run


# --- traffic: whose story is it? ---------------------------------------------------------

def test_engagement_ask_far_from_child_words_in_a_child_story(lint):
    text = (
        "Our little fighter Omar is 6 and starts his third round of treatment next week.\n\n"
        "The hospital is two hours from home and the family has been sleeping in the car park.\n\n"
        "Tell all your friends about this page tonight."
    )
    assert "SG301" in lint(text)


def test_charity_gala_stream_mentioning_the_children_it_serves_is_fine(lint):
    text = "The Spring Ball goes live at 8pm: watch the live stream for the auction. Every bid funds our children's reading clubs."
    assert not {"SG301", "SG302", "SG304"} & lint(text)


def test_pet_appeal_with_an_age_is_not_a_child(lint):
    text = (
        "Meet Biscuit, our rescue pup. She's only 3 and needs surgery on her hip. The vet says she'll be running "
        "again by spring, and her paws are itching for the beach. Please like and share so she gets her op! Woof!"
    )
    assert not {"SG301", "SG302", "SG304"} & lint(text)


def test_share_demand_about_labelled_children_is_traffic(lint):
    assert "SG301" in lint("Repost if you think these street kids deserve a hot meal. 1 repost = 1 more meal tonight.")


def test_share_demand_about_a_pitied_puppy_is_not(lint):
    text = "This poor little thing was left at the gate in the rain. Share to save her! She needs a foster home this week."
    assert not {"SG301", "SG304"} & lint(text)


def test_changed_name_story_with_parents_consent_is_a_child_story(lint):
    text = (
        "Remember Theo (not his real name)? His parents agreed to let us share how the winter went. "
        "Copy and paste this post into your groups so everyone sees it."
    )
    assert "SG301" in lint(text)


def test_sales_tied_to_one_childs_treatment(lint):
    text = "Hand-painted mugs designed by little Priya! All profits go to Priya's treatment fund."
    assert "SG303" in lint(text)


# --- embedded English and vocabulary tables -----------------------------------------------

def test_english_pity_phrase_inside_chinese_post(lint):
    text = "小宇今年六岁，刚刚做完手术。这个poor little boy每天都在病床上等妈妈下班。"
    assert "SG102" in lint(text)


def test_vocabulary_table_of_words_to_avoid(lint):
    text = "| Avoid | Use |\n|---|---|\n| AIDS orphan | child who lost a parent to AIDS |\n| street kids | children living on the street |\n"
    assert not {"SG101", "SG102"} & lint(text, "markdown")


def test_orphan_as_a_story_character(lint):
    assert "SG101" not in lint("The school play this year is a musical about an orphan who finds a home.")


# --- identifying details ------------------------------------------------------------------

def test_every_child_in_a_year_group_is_not_one_child(lint):
    text = "Thanks to your raffle tickets, every child in Year 4 went to the zoo in May at no cost to families."
    assert "SG203" not in lint(text)


def test_pupil_named_with_year_group(lint):
    assert "SG201" in lint("Well done to Ruby Fairweather in Year 5, who read 100 books this term!")


def test_child_named_again_with_surname_in_a_caption(lint):
    text = "# Noor's year\n\nNoor was 9 when she first came to the club.\n\n![Noor Haddad on the climbing wall](club.jpg)\n"
    rules = lint(text, "markdown")
    assert {"SG201", "SG208"} <= rules


def test_programme_name_is_not_a_school(lint):
    text = "Amira (name changed) is 12. Our Back To School kits meant she had a uniform and books this year."
    assert "SG203" not in lint(text)


def test_title_before_surname_is_not_a_childs_name(lint):
    text = "Kids from the youth club met Mayor Okafor, 12 of them for the first time, at the town hall."
    assert "SG201" not in lint(text)


def test_numbered_list_is_not_an_age(lint):
    text = "Our goals: (1) Offer more sessions across the city. (2) Train new coaches at Riverside School."
    assert "SG203" not in lint(text)


def test_chinese_profile_format_names_a_child(lint):
    assert "SG201" in lint("受助人：王乐乐，女，8岁，家住山区，去年右腿受伤。")


def test_chinese_name_before_a_parents_description(lint):
    assert "SG201" in lint("本学期补助名单：\n- 初二（2）班 刘雨桐：母亲长期患病\n")


def test_chinese_caption_repeating_the_childs_name(lint):
    text = "留守儿童小杰听说爸妈过年不回来了，一下午都没说话。\n\n![小杰在门口发呆的照片](a.jpg)\n"
    assert "SG208" in lint(text, "markdown")


def test_an_age_limit_is_not_a_childs_age(lint):
    text = "Riverside Academy is collecting tablets less than 4 years old for pupils who have none at home."
    assert not {"SG203", "SG401"} & lint(text)


def test_a_name_followed_by_an_adult_age(lint):
    text = "Now 20, Jade mentors younger pupils at her old school and studies nursing."
    assert "SG401" not in lint(text)


def test_family_consent_in_plain_words(lint):
    text = "Leo is 7 and has spent the winter in hospital. His parents are happy for us to share his story."
    assert "SG401" not in lint(text)


def test_chinese_photos_without_faces(lint):
    text = "本文儿童均为化名，照片不含正脸。\n\n小雨（化名）今年8岁，喜欢画画。\n\n![两个孩子在操场上跑步](a.jpg)\n"
    assert "SG208" not in lint(text, "markdown")


# --- the same answer in every process --------------------------------------------------

class _Known:
    """Just enough of a rule context for `_named_child_in`: the names found elsewhere."""

    def __init__(self, names):
        self._values = {"pseudonym": False, "child-names": names}

    def memo(self, key, _compute):
        return self._values[key]


@pytest.mark.parametrize("names", [["阿花", "小宇", "欧阳可可"], ["小宇", "欧阳可可", "阿花"], ["欧阳可可", "阿花", "小宇"]])
def test_caption_naming_two_children_points_at_the_first_name_in_any_order(names):
    """The names were once tried in the order of a set, which Python's per-process string
    hashing reshuffles: which name a finding pointed at changed from one run to the next."""
    from types import SimpleNamespace

    from lint_rules.identifying import _named_child_in

    caption = SimpleNamespace(text="阿花患上了白血病，就为小宇的手术费多攒一份")
    assert _named_child_in(_Known(names), caption) == (0, 2)
    assert _named_child_in(_Known(names), SimpleNamespace(text="看看欧阳可可和小宇")) == (2, 6)


# --- details that are not a child's ------------------------------------------------------

def test_numbered_places_and_age_ranges_are_not_a_child_and_an_age(lint):
    text = (
        "Registered office: Unit 4, Heron Quay Business Park. Our youth club serves young people aged 11-18 "
        "and runs homework sessions for children in Ward 3, Block 2, of the estate."
    )
    assert not {"SG201", "SG202", "SG209"} & lint(text)


def test_organisations_named_like_people_are_not_children(lint):
    text = (
        "Thank you to Fernside Library, Sunrise Home and Ridgeway Youth for collecting coats for children this winter. "
        "Visiting Larkfield? Drop your coats at reception."
    )
    assert "SG201" not in lint(text)


def test_a_child_named_and_aged_is_still_found(lint):
    assert "SG201" in lint("Meet Amara Okoye, 7, who lives with her grandmother and loves drawing.")


def test_chinese_age_limits_and_ranges_are_not_ages(lint):
    text = "根据规定，处理不满十四周岁未成年人个人信息应征得监护人同意；本项目面向6-12岁的孩子，16岁以下的孩子需家长陪同。"
    assert not {"SG209", "SG201", "SG203"} & lint(text)


def test_advice_about_photos_is_not_a_photo_of_a_child(lint):
    text = "发求助帖时，孩子的照片尽量不露正脸，可以用背影；不要把病房床号等能定位到孩子的信息发到网上。"
    assert not {"SG206", "SG208", "SG209"} & lint(text)


def test_doubled_pet_name_with_an_age_names_a_child(lint):
    # A first name with an age, a village and a diagnosis: the combination rule.
    assert "SG209" in lint("豆豆今年6岁，家住青禾县桃溪镇，去年查出了白血病。")
    assert "SG209" not in lint("今年6岁的孩子们，家住青禾县各个镇，有的去年查出了白血病。")


def test_doubled_kin_words_and_adverbs_are_not_names(lint):
    assert not {"SG201", "SG209"} & lint("妈妈今年38岁，天天在厂里加班，奶奶帮忙照看孩子们，家住青禾县桃溪镇。")


def test_screenshot_of_a_guidance_page_is_not_a_photo_of_a_child(lint):
    post = '{"platform": "x", "text": "New guidance for schools on pupil photos.", "media": [{"alt": "Screenshot of the council guidance on pupil images", "url": "https://example.org/guidance.png"}]}'
    assert "SG208" not in lint(post, "social-json")


@pytest.mark.parametrize("name, named", [("zhang-xiaoyu.jpg", True), ("lily-chen.jpg", True), ("apple-box-5jin.jpg", False), ("photo-sun.jpg", False)])
def test_file_names_that_spell_a_name(name, named):
    from types import SimpleNamespace

    from lint_rules._details import _image_source_details

    from storyguard.lexicon import LexiconStore

    context = SimpleNamespace(memo=lambda _key, compute: compute(), lexicons=LexiconStore(), shared={})
    segment = SimpleNamespace(text=f"https://example.org/img/{name}")
    assert bool(_image_source_details(context, segment, "en")) is named


# --- registers where a label or a name is not a child's ----------------------------------

def test_labels_in_a_research_report_are_categories(lint):
    text = (
        "# 青禾县农村儿童心理健康调查报告（摘要）\n\n课题组在全县12所学校发放问卷，回收样本2,041份。"
        "统计显示，留守儿童和困境儿童的焦虑得分高于其他儿童。研究建议各乡镇完善关爱服务。"
    )
    assert not {"SG101", "SG102"} & lint(text)


def test_a_named_child_in_a_report_is_still_labelled(lint):
    text = "调查报告显示样本中问题较多。课题组走访时遇到了留守儿童王小雨。王小雨今年8岁，老师说她每天一个人在家。"
    assert "SG101" in lint(text)


def test_an_adult_telling_her_own_childhood_is_not_labelled(lint):
    text = (
        "我曾是留守儿童。我七岁那年，爸妈去了南方打工，村里人管我们叫留守儿童。"
        "长大后我考上师范，如今我在村小教语文，我想让孩子们知道有人在乎他们。"
    )
    assert "SG101" not in lint(text)


def test_court_report_names_the_accused_not_a_child(lint):
    text = (
        "A 41-year-old man has been jailed after contacting boys aged between 11 and 14 through a gaming site. "
        "Carl Devlin, of Sorrel Avenue, pleaded guilty, the court heard. Detective Sergeant Owen Pryce urged parents "
        "to talk to their children about who they chat to online."
    )
    assert "SG201" not in lint(text)


def test_an_adult_giving_his_own_age_is_not_a_child(lint):
    text = "Hi everyone, I'm Marcus Oduya, I'm 34 and I've been in hospital since my transplant. My kids miss me."
    assert "SG201" not in lint(text)


def test_traditional_chinese_ages_are_ages(lint):
    # 歲 and 週歲 are the Traditional forms of 岁 and 周岁: the same combination rule applies.
    assert "SG209" in lint("豆豆今年6歲，家住青禾縣桃溪鎮，去年查出了白血病。")
    assert "SG209" in lint("豆豆今年6岁，家住青禾县桃溪镇，去年查出了白血病。")
