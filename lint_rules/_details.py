"""Shared analysis for the built-in packs: who the copy is about and what it reveals.

Detectors find details (a child's name, an age, a village, a school...) once per document
(memoised on the RuleContext) so the identifying, combination and consent rules agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from storyguard.documents import Segment
from storyguard.lazyre import LazyPattern
from storyguard.lexicon import PhraseSet, segment_sentences
from storyguard.rules import RuleContext

from ._mixed import lexicon_languages

LEXICONS = Path(__file__).parent / "lexicons"

# Detail kinds, in the order messages list them.
NAME, FULL_NAME, AGE, PLACE, ADDRESS, SCHOOL, CONTACT, ID_NUMBER, HOSPITAL, PARENT, HEALTH, ABUSE, IMAGE = (
    "first name", "full name", "age", "village or town", "home address", "school or class", "phone or email",
    "ID number", "hospital ward or bed", "parent's name", "diagnosis", "abuse or violence history", "photo",
)


@dataclass(frozen=True)
class Detail:
    segment: Segment
    start: int
    end: int
    kind: str
    language: str
    value: int | None = None  # the years, for ages

    @property
    def text(self) -> str:
        return self.segment.text[self.start:self.end]


def cue(context: RuleContext, language: str, name: str) -> PhraseSet:
    return context.lexicons.cue(LEXICONS, language, name)


def cue_words(context: RuleContext, language: str, name: str) -> list[str]:
    return context.lexicons.cue_words(LEXICONS, language).get(name, [])


def lowered_cue_words(context: RuleContext, language: str, *names: str) -> frozenset[str]:
    """Cue lists as one lower-case set, built once per document rather than per segment."""
    return context.memo(f"lowered-cues:{language}:{','.join(names)}", lambda: frozenset(
        word.lower() for name in names for word in cue_words(context, language, name)))


def _not_surnames(context: RuleContext) -> frozenset[str]:
    """Words that cannot be the second half of an English name: stop words, places, schools."""
    return lowered_cue_words(context, "en", "name_stop", "place", "school")


# --- English patterns --------------------------------------------------------------------
_EN_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_EN_FULL_NAME = LazyPattern(rf"(?<![\w'])({_EN_NAME})\s+((?:[A-Z]')?(?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?![\w-])")
_EN_AGE = LazyPattern(
    r"(?<![\w.])(?:(\d{1,2})[- ](?:year|yr)s?[- ]old|aged\s+(\d{1,2})|age\s+(\d{1,2})|(\d{1,2})\s*(?:yo|y/o|yrs old)"
    r"|(?<=, )(\d{1,2})(?=,)|(?<=[A-Za-z] )\((\d{1,2})\)|(?<=[A-Za-z])\((\d{1,2})\)|(\d{1,2})(?= months? old))(?![\w])",
    re.I,
)
_EN_FIRST_NAME = LazyPattern(
    r"(?:\b(?:[Ll]ittle|[Mm]eet|[Bb]aby|named|called|son|daughter|grandson|granddaughter|niece|nephew|girl|boy|toddler)\s+({n})(?![\w-])"
    r"|(?<![\w'])({n}),?\s+(?:aged\s+|age\s+)?\d{{1,2}}(?:,|\s+years?|\s*\(|-year)"
    r"|(?<![\w'])({n})\s*\((?:age\s+)?\d{{1,2}}\))"
    r"|(?:\d{{1,2}}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)-year-old\s+({n})(?![\w-])".format(n="[A-Z][a-z]{2,}")
)
# Second words that make a capitalised pair a place or an organisation, not a person.
_EN_NOT_SURNAMES = frozenset({
    "hills", "hill", "park", "valley", "house", "centre", "center", "trust", "fund", "appeal", "day", "week", "run", "walk",
    "library", "home", "homes", "youth", "hospital", "clinic", "club", "church", "chapel", "mosque", "temple", "foundation",
    "society", "council", "project", "network", "charity", "association", "hall", "ward", "unit", "office", "museum",
    "gallery", "theatre", "cafe", "café", "bank", "market", "farm", "gardens", "garden", "shelter", "hub", "programme",
    "program", "partnership", "alliance", "services", "service", "team", "group", "campus", "estate", "court", "lodge",
})
# Capitalised words that come with a number ("Unit 4", "Ward 3", "Year 6") without being names.
_EN_NUMBERED = frozenset({
    "unit", "ward", "room", "flat", "apartment", "block", "bed", "bay", "floor", "level", "gate", "platform", "year",
    "grade", "class", "form", "page", "chapter", "section", "table", "figure", "step", "phase", "zone", "area", "sector",
    "plot", "house", "building", "suite", "office", "box", "route", "bus", "line", "exit", "door", "lot", "row",
    "number", "part", "week", "day", "term", "session", "round", "stage", "team", "group", "cohort", "item", "question",
    "article", "rule", "clause", "schedule", "appendix", "annex", "tent", "camp", "pitch", "court", "stand",
})
_CHILD_PREFIX = LazyPattern(r"(?:[Ll]ittle|[Bb]aby|son|daughter|grandson|granddaughter|niece|nephew|girl|boy|toddler)\s")
# A named person whose name the copy says is changed: "Leo (not his real name)", "Kian's name has been changed".
_EN_PSEUDONYM_NAME = LazyPattern(
    r"(?<![\w'])[A-Z][a-z]{2,}(?:\*|[?!,]?\s*\((?i:names?\s+(?:has\s+been\s+|have\s+been\s+|was\s+)?changed|not\s+(?:his|her|their)\s+real\s+name)"
    r"|(?:'s|’s)\s+name\s+(?:has\s+been\s+|was\s+|is\s+)?changed)"
)
# The people who consent for a child: "his parents' agreement", "her foster carer's permission".
_EN_CHILD_GUARDIAN = LazyPattern(
    r"\b(?:his|her|their)\s+(?:parents?|mum|mom|dad|family|family's|family’s|guardians?|foster\s+(?:carers?|parents?|family)|carers?|grandparents?)(?:'s?|’s?)?\b",
    re.I,
)
_EN_NAME_IS_AGE = LazyPattern(r"(?<![\w'])([A-Z][a-z]{2,})(?:\*|\s*\([^()\n]{1,40}\))? (?:is|was|turned|turns) (?:only |just |now )?"
    r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)"
    r"(?:\s+years?\s+old)?(?=[\s,;!]|\.(?!\d))(?!\s+(?:of|in|out|more|step|steps|hundred|thousand|million|times|percent|hours|days|weeks|months|years|minutes|%))"
)
_EN_STATED_AGE = LazyPattern(r"\b(?:I'm|I’m|I am|he's|he’s|she's|she’s|he is|she is|who is)\s+(\d{2})\b")
_EN_PRONOUN_AGE = LazyPattern(
    r"\b(?:he|she|who)(?:'s|’s| is| was| turned| turns)\s+(?:only\s+|just\s+|now\s+)?(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)"
    r"(?:\s+years?\s+old)?(?=[\s,.;!?]|$)(?!\s+(?:hours|days|weeks|months|minutes|times|of|percent|%))"
    r"|\b[Aa]t\s+(?:the\s+age\s+of\s+)?(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?:\s+years?\s+old)?,",
    re.I,
)
_EN_THIS_IS = LazyPattern(r"\b(?:This is|Say hello to|Introducing|Our little|our little)\s+([A-Z][a-z]{2,})(?![\w-])")
_EN_SPECIFIC_CHILD = LazyPattern(
    r"\b(?:this|that|my|our|a|the|her|his|their)\s+(?:little\s+|young\s+|baby\s+|brave\s+|eldest\s+|youngest\s+|\w+-year-old\s+)?"
    r"(?:girl|boy|son|daughter|toddler|grandson|granddaughter|niece|nephew|child|kid|teenager|schoolgirl|schoolboy)\b",
    re.I,
)
_EN_STORY_PRONOUN = LazyPattern(r"\b(?:she|he)(?:'s|’s| is| was| has| had| will| can't| cannot| loves| needs)\b", re.I)
_ZH_SPECIFIC_CHILD = LazyPattern(
    r"(?:这个|这名|这位|那个|那位|一个|一名|有个|有一个|我家|我的|我们家|她家|他家)[\u4e00-\u9fff]{0,6}?"
    r"(?:女孩|男孩|女生|男生|孩子|女儿|儿子|宝宝|娃|姑娘|小伙子|患儿|小朋友)"
    r"|(?:女儿|儿子|孙子|孙女|外孙|外孙女|外甥|外甥女|侄子|侄女|弟弟|妹妹)(?:今年|才|只有)"
    r"|[\d一二两三四五六七八九十]{1,3}岁(?:的)?(?:女孩|男孩|女生|男生|孩子|她|他|弟弟|妹妹|儿子|女儿)"
)
_ZH_STORY_PRONOUN = LazyPattern(r"[她他佢]")
_ZH_REDUPLICATED_NAME = LazyPattern(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff])\1(?=[的今才在是从被每去刚得说也就还都，,。])")
_EN_WORD_AGES = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen".split())}
_EN_WORD_AGE = LazyPattern(r"(?<![\w-])(" + "|".join(_EN_WORD_AGES) + r")[- ]year[- ]old(?![\w])", re.I)
_EN_ADDRESS = LazyPattern(
    r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Drive|Dr|Close|Court|Ct|Way|Crescent|Terrace|Boulevard|Blvd|Place|Pl)\b\.?"
    r"|\b(?:Apt|Apartment|Flat|Unit)\s+\d+[A-Za-z]?\b"
    r"|(?<=\bat )no\.\s?\d{1,4}[A-Za-z]?\b|(?<=\blives at )number \d{1,4}[A-Za-z]?\b"
)
_EN_STREET = LazyPattern(r"\b(?!(?:The|A|An|Our|This|That|Every|Each|On|In|At|Of)\s)(?:[A-Z][a-z]+\s){1,2}(?:Street|Road|Lane|Avenue|Drive|Close|Crescent|Terrace|Estate)\b|\b[A-Z][a-z]+\sSt(?![\w'’.])(?!\s+[A-Z][a-z])")
# Counties and districts are too large to locate a child; villages, estates and townships are not.
_EN_VILLAGE = LazyPattern(r"\b(?:village|town|township|hamlet|settlement|estate)\s+of\s+[A-Z][a-z]+|\b[A-Z][a-z]+\s+(?:Village|Township|Estate)\b|\bin\s+[A-Z][a-z]+\s+village\b")
# Name words bounded at 31 characters: unbounded, runs like "A.A.A." backtracked quadratically.
_EN_SCHOOL = LazyPattern(
    r"\b(?:[A-Z][\w'.-]{0,30}\s){1,4}(?:Primary|Elementary|Middle|High|Junior|Secondary|Grammar|Catholic|Community|Public)?\s?(?:School|Academy|Kindergarten|Nursery)\b"
    r"|\b(?!(?:Democratic|Republican|Presidential|Party|State|The|Our)\s)(?:[A-Z][\w'’.-]{0,30}\s){1,3}(?:Primary|Juniors|Infants)(?![\w'’-])"
    r"|\b(?:Year|Grade|Class|P|Form)\s?\d{1,2}[A-Z]?\b(?=[^.]{0,40}\b(?:at|in)\b)"
    r"|\b(?:Mrs|Mr|Ms|Miss)\.?\s[A-Z][a-z]+'s\s(?:class|classroom|form)\b"
)
_EN_PHONE = LazyPattern(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?|\d{2,5}[\s.-])?\d{3,4}[\s.-]?\d{3,4}(?:[\s.-]\d{2,4})?(?![\w])")
# Parts bounded (RFC 5321 lengths): unbounded, a long dotted run with no "@" took quadratic time.
_EMAIL = LazyPattern(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")
_EN_BED = LazyPattern(r"\b(?:bed|cot|room|ward)\s*(?:no\.?|number|#)?\s*\d{1,4}[A-Z]?\b|\b(?:PICU|NICU|ICU)\b", re.I)
_EN_PROGRAMME_AFTER = LazyPattern(r"\s+(?:kits?|programmes?|programs?|projects?|campaigns?|initiatives?|appeals?|schemes?|funds?|drives?|packs?|bags?|supplies|challenge)\b", re.I)
_EN_PUPIL_AFTER = LazyPattern(r"(?:\s+and\s+[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+)?)?,?\s+(?:in|from|of)\s+(?:Year|Grade|Class|Form|Reception|P)\s?\d{0,2}[A-Z]?\b")
_EN_PUPIL_BEFORE = LazyPattern(r"\b(?:Year|Grade|Class|Form)\s?\d{1,2}[A-Z]?(?:'s|’s)\s+$")
_EN_PARENT = LazyPattern(
    r"\b(?:his|her|their)\s+(?:mother|mum|mom|father|dad|parents?|grandmother|grandfather|gran)\s*,?\s+(?:" + _EN_NAME + r")(?:\s+(?:and\s+)?" + _EN_NAME + r"){1,2}"
)

# --- Chinese patterns ----------------------------------------------------------------------
_ZH_AGE = LazyPattern(r"(?<![\d零一二两三四五六七八九十])(\d{1,2}|[一二两三四五六七八九十]{1,3})(?:周|週)?[岁歲](?:半)?")
# Every part is optional, so the lookahead (some unit ahead) keeps it from matching the empty
# string at every character, which made long Chinese pages slow.
_ZH_ADMIN = LazyPattern(
    r"(?=[\u4e00-\u9fff\d]{1,7}(?:省|自治区|市|州|盟|地区|县|区|旗|縣|區|镇|乡|街道|鎮|鄉|村|社区|屯|寨|社區|组))"
    r"(?:[\u4e00-\u9fff]{2,7}(?:省|自治区))?(?:[\u4e00-\u9fff]{2,7}(?:市|州|盟|地区))?(?:[\u4e00-\u9fff]{1,7}(?:县|区|旗|縣|區))?"
    r"(?:[\u4e00-\u9fff]{1,7}(?:镇|乡|街道|鎮|鄉))?(?:[\u4e00-\u9fff]{1,7}(?:村|社区|屯|寨|社區))?(?:[\u4e00-\u9fff一二三四五六七八九十\d]{1,4}组)?"
)
_ZH_VILLAGE = LazyPattern(r"[\u4e00-\u9fff]{1,6}(?:村|屯|寨|社区)(?![民委干长里子庄])")
# Characters that end a phrase before a place or school name ("我们在|柳塘村", "与|柘溪镇中心小学").
_ZH_NAME_BREAK = set("与和在到的为是将往给向从所及或了把被对于跟同赴来去回住读进入由让请也都就还很"
                     "與為將給從對於來進讓請還讀以讲講我你他她们們自己张張个個这這那全各该該每翻出")
_ZH_GENERIC_PLACE = {"农", "乡", "山", "各", "本", "全", "该", "此", "邻", "外", "每", "一个", "这个", "那个", "城中", "新农", "美丽乡"}
_ZH_GENERIC_SCHOOL = {"乡村", "农村", "普通", "特殊教育", "职业", "寄宿制", "公办", "民办", "这所", "那所", "该", "本", "我们", "一所", "各", "全日制", "医院", "山区", "城市", "重点", "中心"}
# Words jieba tags as person names or that look like 小X / 阿X diminutives but are not names.
_ZH_NOT_NAMES = {"谢谢", "小名", "小学生", "小病", "小时", "小学", "小区", "小编", "小组", "小伙伴", "小朋友", "小孩", "小事", "小店", "小镇", "小城",
                 "小县", "小村", "小心", "小吃", "小说", "小家", "小手", "小脸", "小床", "小额", "小家伙", "小屋", "小院", "小票",
                 "阿姨", "阿婆", "阿公", "阿爸", "阿妈", "小姑娘", "小伙子", "小女孩", "小男孩", "小宝", "小视频", "小红书", "小程序"}
_ZH_SINGULAR_CHILD = {"娃", "娃娃", "女孩", "男孩", "小女孩", "小男孩", "男仔", "女仔", "細路", "细路", "囡囡", "儿子", "女儿", "孙子", "孙女", "外孙", "外孙女", "宝宝", "小姑娘", "小伙子", "侄子", "侄女", "女童", "男童", "幼女"}
_ZH_ADDRESS = LazyPattern(r"[\u4e00-\u9fff]{1,10}(?:路|街|巷|道)\d{1,5}号(?:[\d一二三四五六七八九十]{1,3}(?:栋|幢|号楼))?(?:\d{1,2}单元)?(?:\d{2,5}室)?|[\u4e00-\u9fff]{2,8}小区\d{1,3}(?:栋|幢|号楼)")
_ZH_SCHOOL = LazyPattern(
    r"[\u4e00-\u9fff]{2,12}(?:小学|中学|初中|高中|幼儿园|学校|完小|教学点|小學|中學|學校|幼兒園|國小|國中|一中|二中|三中)"
    r"(?:[一二三四五六七八九初高\d]{1,2}[年年][级級])?(?:[（(]?[一二三四五六七八九十\d]{1,2}[）)]?[班])?"
    r"|[一二三四五六初高][一二三]?[年][级級][（(]?[一二三四五六七八九十\d]{1,2}[）)]?班"
    r"|(?:初|高)[一二三][（(]?\d{1,2}[）)]?班|[一二三四五六][（(]\d{1,2}[）)]班"
)
# A ward needs its number (三病区, 5号病房): "设有儿科病房" names a kind of ward, not where a child lies.
_ZH_HOSPITAL_UNIT = LazyPattern(
    r"[\u4e00-\u9fff]{2,10}(?:医院|醫院|保健院)[\u4e00-\u9fff]{0,6}?(?:PICU|NICU|ICU|重症监护室|\d{1,2}楼|[\d一二三四五六七八九十]{1,4}号?床"
    r"|[\d一二三四五六七八九十]{1,3}号?(?:病区|病房))"
    r"|(?:住院号|病案号|床号|病历号)[:：\s]*[A-Za-z0-9-]{4,}"
)
_ZH_NICKNAME = LazyPattern(r"(?:小名|乳名|名字)叫?([\u4e00-\u9fff]{2,3})|名叫([\u4e00-\u9fff]{2,3})")
_ZH_MEDIA = LazyPattern(r"照片|相片|合影|合照|视频|視頻|正脸|正臉|特写|特寫|镜头|鏡頭|画面|畫面|自拍")
_ZH_DOUBLED = LazyPattern(r"([\u4e00-\u9fff])\1(?!\1)")
_ZH_CHILD_BEFORE_NAME = LazyPattern(r"(?:患儿|患兒|女儿|女兒|儿子|兒子|孙女|孫女|孙子|孫子|小朋友|宝贝|寶貝|名叫|小名叫|乳名叫|小名|乳名)$")
# Doubled words that are kin words, adverbs or generic words, not pet names.
_ZH_DOUBLED_NOT_NAMES = frozenset(
    "爸爸 妈妈 媽媽 哥哥 姐姐 弟弟 妹妹 爷爷 爺爺 奶奶 姥姥 姥爷 舅舅 叔叔 伯伯 婶婶 嬸嬸 姑姑 公公 婆婆 太太 宝宝 寶寶 娃娃 "
    "天天 常常 刚刚 剛剛 慢慢 好好 渐渐 漸漸 人人 个个 個個 偷偷 悄悄 轻轻 輕輕 紧紧 緊緊 早早 久久 默默 多多 大大 小小 星星 点点 "
    "點點 处处 處處 年年 月月 时时 時時 事事 样样 樣樣 统统 統統 仅仅 僅僅 往往 白白 明明 步步 家家 户户 戶戶 谢谢 謝謝 "
    "看看 想想 试试 試試 说说 說說 走走 等等 快快 乖乖 满满 滿滿 足足 整整 万万 萬萬 层层 層層 重重 哈哈 呵呵 嘻嘻 "
    "嘿嘿 呜呜 嗚嗚 啦啦 拜拜 冲冲 衝衝 亲亲 親親 抱抱".split()
)
_ZH_ADVICE = LazyPattern(r"不得|不要|禁止|严禁|嚴禁|避免|尽量|儘量|不能|能不能|是否|应当|應當|应该|應該|建议|建議|切勿|千万别|千萬別|请勿|請勿")
_ZH_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "慕容", "令狐", "公孙", "皇甫", "尉迟", "长孙", "宇文", "司徒", "歐陽", "司馬")
_ZH_BED = LazyPattern(r"[\u4e00-\u9fff]{0,8}(?:病房|病区|重症监护室|ICU|PICU)?[\d一二三四五六七八九十]{1,4}(?:号)?床|[\d一二三四五六七八九十]{1,4}(?:号)?病房")
_CN_MOBILE = LazyPattern(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
_CN_ID = LazyPattern(r"(?<![\dXx])\d{17}[\dXx](?![\dXx])")
_ZH_PARENT = LazyPattern(r"(?:父亲|母亲|爸爸|妈妈|爷爷|奶奶|外婆|外公|姥姥|姥爷|父親|母親|媽媽|爺爺)[（(]?(?:叫|是|名叫)?([\u4e00-\u9fff]{2,3})")
_ZH_PROFILE = LazyPattern(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,4})[，,]\s*[男女][，,]\s*(\d{1,2}|[一二两三四五六七八九十]{1,3})周?岁")
_ZH_DIMINUTIVE = LazyPattern(r"(?:小|阿)[\u4e00-\u9fff]{1,2}")
_ZH_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Every name zh_names can report starts with one of these.
_ZH_NAME_STARTS = frozenset(_ZH_SURNAMES | {surname[0] for surname in _ZH_COMPOUND_SURNAMES} | {"小", "阿"})
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def valid_cn_id(number: str) -> bool:
    """GB 11643 checksum of an 18-character resident ID number."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def _near(phrases: PhraseSet, text: str, start: int, end: int, reach: int) -> bool:
    return phrases.search(text, max(0, start - reach), min(len(text), end + reach))


def ages_in(text: str, language: str) -> list[tuple[int, int, int]]:
    """(start, end, years) of explicit ages."""
    out = []
    if language == "zh":
        for match in _ZH_AGE.finditer(text):
            years = _zh_number(match.group(1))
            limit = _ZH_AGE_LIMIT_BEFORE.search(text, max(0, match.start() - 3), match.start()) or _ZH_AGE_LIMIT_AFTER.match(text, match.end())
            if years is not None and not limit:
                out.append((match.start(), match.end(), years))
        return out
    for match in _EN_AGE.finditer(text):
        if _EN_AGE_LIMIT.search(text, max(0, match.start() - 16), match.start()) or _EN_AGE_RANGE.match(text, match.end()):
            continue
        value = next(group for group in match.groups() if group)
        out.append((match.start(), match.end(), int(value)))
    for match in _EN_WORD_AGE.finditer(text):
        if _EN_AGE_LIMIT.search(text, max(0, match.start() - 16), match.start()):
            continue
        out.append((match.start(), match.end(), _EN_WORD_AGES[match.group(1).lower()]))
    return out


# "不满十四周岁", "16岁以下", "6-12岁": a limit or a range, not someone's age.
_ZH_AGE_LIMIT_BEFORE = LazyPattern(r"(?:不满|未满|不到|未到|超过|年满|已满|满|低于|高于|小于|大于|[\d一二两三四五六七八九十][-－~～至到])$")
_ZH_AGE_LIMIT_AFTER = LazyPattern(r"(?:以下|以上|以内|及以上|及以下|[-－~～至到]\s*\d)")
# "aged 10-18", "aged 5 to 11": a range of ages (a programme's), not someone's age.
_EN_AGE_RANGE = LazyPattern(r"\s*(?:-|–|—|to)\s*\d")
# "laptops less than 6 years old", "children under 5 years old": a limit, not someone's age.
_EN_AGE_LIMIT = LazyPattern(r"\b(?:less|more|younger|older|fewer) than\s+$|\b(?:under|over|at least|up to|no more than|at most|upwards of)\s+$", re.I)


def _zh_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + digits.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return digits.get(tens, 0) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(text)


def document_details(context: RuleContext) -> list[Detail]:
    return context.memo("details", lambda: _collect(context))


def detail_kinds(context: RuleContext) -> frozenset[str]:
    """The kinds of detail anywhere in the document (asked per detail, so worked out once)."""
    return context.memo("detail-kinds", lambda: frozenset(d.kind for d in document_details(context)))


def details_in(context: RuleContext, segment: Segment) -> list[Detail]:
    """The details found in one segment, from an index built once per document (a scan per
    segment would make long pages quadratic)."""
    def index() -> dict[int, list[Detail]]:
        by_segment: dict[int, list[Detail]] = {}
        for detail in document_details(context):
            by_segment.setdefault(id(detail.segment), []).append(detail)
        return by_segment

    return context.memo("details-by-segment", index).get(id(segment), [])


def _collect(context: RuleContext) -> list[Detail]:
    details: list[Detail] = []
    for segment in context.document.segments:
        context.check_time()
        for language in segment.languages:
            if segment.scope == "image-src":
                details.extend(_image_source_details(context, segment, language))
                continue
            details.extend(_en_details(context, segment) if language == "en" else _zh_details(context, segment))
    return details + _en_surnamed(context, details)


def _en_surnamed(context: RuleContext, details: list[Detail]) -> list[Detail]:
    """A child's first name found elsewhere, here with a surname: "Zoe was 10 ..." and the
    caption "Zoe Whitfield at the school gates"; "Hamza is 11" and "Beneficiary: Hamza Siddiqui"."""
    first = {d.text for d in details if d.kind == NAME and d.language == "en"}
    if not first:
        return []
    taken = {(id(d.segment), d.start) for d in details if d.kind == FULL_NAME}
    not_surnames = _not_surnames(context)
    out = []
    for segment in context.document.segments:
        if "en" not in segment.languages or segment.scope == "image-src":
            continue
        for match in _EN_FULL_NAME.finditer(segment.text):
            if match.group(1) in first and match.group(2).lower() not in not_surnames and (id(segment), match.start()) not in taken:
                out.append(Detail(segment, match.start(), match.end(), FULL_NAME, "en"))
    return out


def _is_adult(context: RuleContext, text: str, start: int, end: int, language: str) -> bool:
    """Adults named near their role ("volunteer Maria Lopez", "58岁的环卫工人") are not children."""
    roles = cue(context, language, "adult_role")
    reach = 30 if language == "en" else 8
    for a, b, years in ages_in(text[max(0, start - reach): end + reach], language):
        if years >= 18:
            return True
    # "I'm Marcus Oduya, I'm 34": an adult giving their own age.
    if language == "en" and any(int(match.group(1)) >= 18 for match in _EN_STATED_AGE.finditer(text, end, min(len(text), end + reach))):
        return True
    before = text[max(0, start - reach):start]
    after_end = min(len(text), end + (12 if language == "en" else 4))
    if language == "zh":
        # "邓佳怡：父亲长期瘫痪": a role after a colon or comma is someone else, not this person.
        stop = re.search(r"[，。：:；;、（(,]", text[end:after_end])
        after_end = end + stop.start() if stop else after_end
    return roles.search(before) or roles.search(text, end, after_end)


def first_names(context: RuleContext) -> frozenset[str]:
    """English given names from the `names` package's census lists, read once per Linter."""
    shared = context.shared
    if "en-first-names" not in shared:
        from importlib import resources

        words: set[str] = set()
        for table in ("dist.female.first", "dist.male.first"):
            for line in resources.files("names").joinpath(table).read_text("utf-8").splitlines():
                if line.strip():
                    words.add(line.split()[0].title())
        shared["en-first-names"] = frozenset(words)
    return shared["en-first-names"]


def document_mentions_child(context: RuleContext) -> bool:
    """A child word, a relation (my son, 女儿) or an age under 18 anywhere in the document."""
    def compute() -> bool:
        # "Amy is 9"; "Lily-Mae Harper in Year 2" (a name is only kept as a detail when tied to a child)
        return _child_words_or_ages(context) or bool(detail_kinds(context) & {AGE, NAME, FULL_NAME})

    return context.memo("document-mentions-child", compute)


def _distinct_cues(context: RuleContext, name: str) -> frozenset[str]:
    """The different phrases of one cue list found anywhere in the document."""
    return context.memo(f"distinct-cues:{name}", lambda: frozenset(
        segment.text[start:end].lower()
        for segment in context.document.segments for language in segment.languages
        for start, end in cue(context, language, name).finditer(segment.text)
    ))


def institutional_text(context: RuleContext) -> bool:
    """A report, study, news or court story, or government text: three or more different words
    of that register ("样本", "法院", "survey", "court heard") in the document."""
    return len(_distinct_cues(context, "institutional")) >= 3


def adult_memoir(context: RuleContext) -> bool:
    """An adult's own story of their childhood: two or more memoir phrases ("我曾是", "when I
    was", "长大后") in a text written in the first person."""
    return len(_distinct_cues(context, "memoir")) >= 2 and context.memo("first-person", lambda: sum(
        len(_FIRST_PERSON.findall(segment.text)) for segment in context.document.segments)) >= 3


_FIRST_PERSON = LazyPattern(r"我(?!们|們)|\bI\b|\bI'm\b|\bmy\b|\bme\b")


def general_text(context: RuleContext) -> bool:
    """Institutional text that names no child: a report's "video of a child" or "8岁" is
    about children in general, so only a child's name makes it one child's story."""
    return institutional_text(context) and not (detail_kinds(context) & {NAME, FULL_NAME}) and not protected_child_story(context)


def animal_story(context: RuleContext) -> bool:
    """A pet's appeal ("She's only 4 ... off-leash hikes"): animal words clearly outnumber child
    words (a dog is a "youngster" or a "baby" too; a child may draw cats)."""
    def compute() -> bool:
        animal = child = 0
        for segment in context.document.segments:
            for language in lexicon_languages(segment):
                animal += sum(1 for _hit in cue(context, language, "animal").finditer(segment.text))
                child += sum(1 for _hit in cue(context, language, "child").finditer(segment.text))
                child += sum(1 for _hit in cue(context, language, "relation").finditer(segment.text))
        return animal >= 3 and animal > 2 * child

    return context.memo("animal-story", compute)


def labels_name_no_child(context: RuleContext) -> bool:
    """Copy where a label describes no child: a pet's appeal ("five little orphans", kittens),
    a report or government text naming no child (a label there is a category), or an adult
    telling their own childhood ("我曾是留守儿童")."""
    return animal_story(context) or general_text(context) or adult_memoir(context)


def _child_words_or_ages(context: RuleContext) -> bool:
    """document_mentions_child without the details, for the detectors themselves (which it
    would otherwise call back into, without end)."""
    def compute() -> bool:
        for segment in context.document.segments:
            for language in segment.languages:
                if cue(context, language, "child").search(segment.text) or cue(context, language, "relation").search(segment.text):
                    return True
                if any(years < 18 for _a, _b, years in ages_in(segment.text, language)):
                    return True
        return False

    return context.memo("child-words-or-ages", compute)


def _capitalised_mentions(context: RuleContext) -> dict[str, int]:
    """How often each capitalised word, and each pair of them, occurs in the whole document."""

    def count() -> dict[str, int]:
        counts: dict[str, int] = {}
        for segment in context.document.segments:
            words = re.findall(r"(?<![\w'])[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?", segment.text)
            for phrase in words:
                counts[phrase] = counts.get(phrase, 0) + 1
                first = phrase.split()[0]
                if first != phrase:
                    counts[first] = counts.get(first, 0)
            for word in re.findall(r"(?<![\w'])[A-Z][a-z]+(?![\w])(?!\s+[A-Z][a-z])", segment.text):
                counts[word] = counts.get(word, 0) + 1
        return counts

    return context.memo("capitalised", count)


def _child_near(context: RuleContext, text: str, start: int, end: int, language: str, reach: int = 80, *, one_child: bool = False) -> bool:
    """A child cue (or a relation, or an age under 18) within `reach` characters.

    With `one_child`, plural cues ("children", "孩子们") do not count: copy about children in
    general is not copy about a child.
    """
    children = cue(context, language, "child")
    lo, hi = max(0, start - reach), min(len(text), end + reach)
    if any(not one_child or (_singular(text[a:b], language) and not _QUANTIFIED.search(text, max(0, a - 12), a))
           for a, b in children.finditer(text, lo, hi)):
        return True
    # "our children" (the children a charity serves) is a relation word, but not one child.
    if any(not one_child or language != "en" or _singular(text[a:b].split()[-1], language)
           for a, b in cue(context, language, "relation").finditer(text, lo, hi)):
        return True
    return any(years < 18 for _a, _b, years in ages_in(text[max(0, start - reach): end + reach], language))


def _en_details(context: RuleContext, segment: Segment) -> list[Detail]:
    text = segment.text
    out: list[Detail] = []

    def add(start: int, end: int, kind: str, value: int | None = None) -> None:
        out.append(Detail(segment, start, end, kind, "en", value))

    stop = lowered_cue_words(context, "en", "name_stop")
    for a, b, years in ages_in(text, "en"):
        if years < 18:
            add(a, b, AGE, years)
    mentions = _capitalised_mentions(context)
    relation = cue(context, "en", "relation")
    adult_titles = lowered_cue_words(context, "en", "adult_role")
    not_surnames = _not_surnames(context) | _EN_NOT_SURNAMES
    for match in _EN_FULL_NAME.finditer(text):
        first, last = match.group(1), match.group(2)
        # "Mayor Garcetti", "Coach Rivera": a title, not a given name.
        if first.lower() in stop or first.lower() in adult_titles or last.lower() in not_surnames:
            continue
        # "Visiting Larkfield", "Supporting Families": a verb starting a heading, not a given name.
        if len(first) > 5 and first.endswith("ing") and first not in first_names(context):
            continue
        if _is_adult(context, text, match.start(), match.end(), "en"):
            continue
        # A bigram of capitalised words is a child's name only when something ties it to a
        # child: an age right after it, a relation right before it, or the first name used
        # again on its own in a story about a child (appeals repeat the child's first name).
        tied = any(years < 18 for _a, _b, years in ages_in(text[match.end(): match.end() + 25], "en"))
        # ...or right before it: "10yo Tariq Haidari", "7-year-old Lily Chen".
        tied = tied or any(years < 18 and b >= len(text[max(0, match.start() - 20):match.start()].rstrip()) - 1
                           for _a, b, years in ages_in(text[max(0, match.start() - 20):match.start()].rstrip(), "en"))
        tied = tied or relation.search(text, max(0, match.start() - 30), match.start())
        # A pupil: "Lena Markovic in Year 9", "Harvey Collins and Amir Shah from Year 6", "Year 3's Oliver Grant".
        tied = tied or bool(_EN_PUPIL_AFTER.match(text, match.end()) or _EN_PUPIL_BEFORE.search(text, max(0, match.start() - 16), match.start()))
        known_first = first in first_names(context)
        repeated = mentions.get(first, 0) >= 2
        # (One child: "boys aged 11 to 14" in a court report do not make the accused a child.)
        tied = tied or ((known_first or repeated) and _child_near(context, text, match.start(), match.end(), "en", 80, one_child=True))
        if tied:
            add(match.start(), match.end(), FULL_NAME)
    taken = [(d.start, d.end) for d in out if d.kind == FULL_NAME]
    for match in _EN_FIRST_NAME.finditer(text):
        group = next(g for g in (1, 2, 3, 4) if match.group(g))
        a, b = match.start(group), match.end(group)
        if match.group(group).lower() in stop or any(x <= a < y for x, y in taken):
            continue
        # "Unit 4,", "Ward 3 (", "Room 12,": a numbered place or thing, not a name and an age.
        if group in (2, 3) and match.group(group).lower() in _EN_NUMBERED:
            continue
        # "Now 19, she studies...", "Chloe, 19": the number after the name is an adult's age.
        stated = re.search(r"\d{1,2}", text[b:match.end()]) if group in (2, 3) else None
        if stated and int(stated.group()) >= 18:
            continue
        # "Meet Bella" / "little Bella" name a child only in copy that mentions children at all,
        # and only if the word is a known given name or recurs ("Meet Harbour", the café, is not).
        # ("little Aisha", "baby Noah" need no other child word: the word before the name is one.)
        if group == 1 and not _CHILD_PREFIX.match(text, match.start()) and not _child_words_or_ages(context):
            continue
        word = match.group(group)
        if group == 1 and not (word in first_names(context) or mentions.get(word, 0) >= 2):
            continue
        if not _is_adult(context, text, a, b, "en"):
            add(a, b, NAME)
    for match in _EN_PRONOUN_AGE.finditer(text):
        group = 1 if match.group(1) else 2
        raw = match.group(group).lower()
        years = int(raw) if raw.isdigit() else _EN_WORD_AGES.get(raw)
        if years is not None and years < 18:
            add(match.start(group), match.end(group), AGE, years)
    for match in _EN_THIS_IS.finditer(text):
        word = match.group(1)
        known = word in first_names(context) or mentions.get(word, 0) >= 2  # "This is Now" is not a name
        if known and word.lower() not in stop and not any(x <= match.start(1) < y for x, y in taken):
            add(match.start(1), match.end(1), NAME)
    for match in _EN_NAME_IS_AGE.finditer(text):
        raw = match.group(2).lower()
        years = int(raw) if raw.isdigit() else _EN_WORD_AGES[raw]
        if match.group(1).lower() not in stop and years < 18 and not any(x <= match.start() < y for x, y in taken):
            add(match.start(1), match.end(1), NAME)
            add(match.start(2), match.end(2), AGE, years)
    for match in _CN_ID.finditer(text):
        if valid_cn_id(match.group()):
            add(match.start(), match.end(), ID_NUMBER)
    for match in _EN_ADDRESS.finditer(text):
        add(match.start(), match.end(), ADDRESS)
    for pattern in (_EN_VILLAGE, _EN_STREET):
        for match in pattern.finditer(text):
            add(match.start(), match.end(), PLACE)
    for match in _EN_SCHOOL.finditer(text):
        # "our Girls Stay In School kits", "the Back to School appeal": a programme, not a school.
        if _EN_PROGRAMME_AFTER.match(text, match.end()):
            continue
        add(match.start(), match.end(), SCHOOL)
    for match in _EMAIL.finditer(text):
        add(match.start(), match.end(), CONTACT)
    for match in _EN_PHONE.finditer(text):
        if sum(ch.isdigit() for ch in match.group()) >= 9:
            add(match.start(), match.end(), CONTACT)
    hospital = cue(context, "en", "hospital")
    for match in _EN_BED.finditer(text):
        if _near(hospital, text, match.start(), match.end(), 60) or match.group().isupper():
            add(match.start(), match.end(), HOSPITAL)
    for match in _EN_PARENT.finditer(text):
        add(match.start(), match.end(), PARENT)
    _sensitive(context, segment, "en", out)
    return out


def _zh_details(context: RuleContext, segment: Segment) -> list[Detail]:
    text = segment.text
    out: list[Detail] = []

    def add(start: int, end: int, kind: str, value: int | None = None) -> None:
        out.append(Detail(segment, start, end, kind, "zh", value))

    for a, b, years in ages_in(text, "zh"):
        if years < 18:
            add(a, b, AGE, years)
    for start, end, kind in zh_names(context, segment):
        add(start, end, kind)
    # The profile format of notices and appeals: "欧阳可可，女，9岁".
    for match in _ZH_PROFILE.finditer(text):
        name, years = match.group(1), _zh_number(match.group(2))
        if years is not None and years < 18 and (name[0] in _ZH_SURNAMES or name.startswith(_ZH_COMPOUND_SURNAMES)) \
                and not any(d.start <= match.start(1) < d.end for d in out if d.kind == FULL_NAME):
            add(match.start(1), match.end(1), FULL_NAME)
    for match in _ZH_ADMIN.finditer(text):
        if match.end() - match.start() < 5:  # too short for two levels
            continue
        start = _trim_zh_name(text, match.start(), match.end())
        chain = text[start:match.end()]
        levels = sum(chain.count(unit) for unit in ("省", "市", "县", "区", "镇", "乡", "村", "组", "屯", "縣", "區", "鎮", "鄉"))
        if levels >= 2 and len(chain) >= 5 and not re.search(r"乡镇|城乡|县区|市县|区县|省市|各|两个|几个|多个", chain):
            add(start, match.end(), PLACE)
    covered = {(d.start, d.end) for d in out if d.kind == PLACE}
    for match in _ZH_VILLAGE.finditer(text):
        start = _trim_zh_name(text, match.start(), match.end() - (2 if match.group().endswith("社区") else 1))
        name = text[start:match.end() - (2 if match.group().endswith("社区") else 1)]
        if len(name) < 2 or any(name.endswith(generic) or name == generic for generic in _ZH_GENERIC_PLACE):
            continue
        if not any(a <= start < b for a, b in covered) and _child_near(context, text, start, match.end(), "zh", 40):
            add(start, match.end(), PLACE)
    for match in _ZH_ADDRESS.finditer(text):
        add(match.start(), match.end(), ADDRESS)
    for match in _ZH_SCHOOL.finditer(text):
        start = _trim_zh_name(text, match.start(), match.end())
        suffix = re.search(r"(?:小学|中学|初中|高中|幼儿园|学校|完小|教学点|小學|中學|學校|幼兒園|國小|國中)", text[start:match.end()])
        name = text[start:start + suffix.start()] if suffix else ""
        if suffix and (len(name) < 2 or len(name) > 10 or name in _ZH_GENERIC_SCHOOL or any(name.endswith(g) for g in ("乡村", "农村", "普通", "职业", "医院"))):
            if not re.search(r"年级|班", text[start:match.end()]):
                continue
        add(start, match.end(), SCHOOL)
    for match in _CN_MOBILE.finditer(text):
        add(match.start(), match.end(), CONTACT)
    for match in _EMAIL.finditer(text):
        add(match.start(), match.end(), CONTACT)
    for match in _CN_ID.finditer(text):
        if valid_cn_id(match.group()):
            add(match.start(), match.end(), ID_NUMBER)
    for match in _ZH_BED.finditer(text):
        add(match.start(), match.end(), HOSPITAL)
    for match in _ZH_HOSPITAL_UNIT.finditer(text):
        add(_trim_zh_name(text, match.start(), match.end()), match.end(), HOSPITAL)
    for match in _ZH_NICKNAME.finditer(text):
        group = 1 if match.group(1) else 2
        if match.group(group) not in _ZH_NOT_NAMES:
            add(match.start(group), match.end(group), NAME)
    names = [(d.start, d.end) for d in out if d.kind in (NAME, FULL_NAME)]
    for sentence_start, sentence_end in segment_sentences(context, segment):
        media = _ZH_MEDIA.search(text, sentence_start, sentence_end)
        if media is None:
            continue
        named = any(sentence_start <= a < sentence_end for a, _b in names)
        singular = any(word in text[sentence_start:sentence_end] for word in _ZH_SINGULAR_CHILD | {"妹妹", "弟弟", "孩子"})
        # "照片尽量不露正脸", "能不能把孩子的照片发到网上？": advice about photos, not a photo.
        advice = _ZH_ADVICE.search(text, sentence_start, sentence_end)
        if named or (singular and not advice):
            add(media.start(), media.end(), IMAGE)
    for match in _ZH_PARENT.finditer(text):
        name = match.group(1)
        if (name[0] in _ZH_SURNAMES or name.startswith(_ZH_COMPOUND_SURNAMES) or name[0] in "陳劉黃趙吳鄭馮鄧蕭葉蘇魏呂盧鍾譚陸") and not name.endswith(("说", "在", "的", "和", "也", "都", "是", "每", "一", "去", "带", "把")):
            add(match.start(), match.end(), PARENT)
    _sensitive(context, segment, "zh", out)
    return out


def _trim_zh_name(text: str, start: int, stop: int) -> int:
    """Move a greedy match's start past the last phrase break before the name itself."""
    for index in range(stop - 1, start - 1, -1):
        if text[index] in _ZH_NAME_BREAK or not ("\u4e00" <= text[index] <= "\u9fff"):
            return index + 1
    return start


def _zh_name_tied(context: RuleContext, text: str, start: int, end: int) -> bool:
    """A Chinese full name belongs to a child when an age follows it closely, or a child word
    or relation sits right beside it (患儿王小雨, 王小雨同学, 女儿王小雨)."""
    if any(years < 18 for _a, _b, years in ages_in(text[end:end + 15], "zh")):
        return True
    if re.search(r"\d{1,2}岁(?:半)?的?$|[一二两三四五六七八九十]{1,3}岁(?:半)?的?$", text[max(0, start - 8):start]):
        return True
    window = text[max(0, start - 8):start] + text[end:end + 8]
    # (a class is "三班", "（2）班", "班的"; not the 班 of 西班牙)
    if re.search(r"同学|同學|小朋友|宝贝|寶貝|患儿|患兒|学生|學生|[\d一二三四五六七八九十）)]\s?班|年级|年級", text[end:end + 4] + " " + text[max(0, start - 6):start]):
        return True
    return any(word in window for word in _ZH_SINGULAR_CHILD) or cue(context, "zh", "relation").search(window)


def _zh_doubled_names(text: str, stop: set[str]) -> list[tuple[int, int, str]]:
    """Pet names made of one character twice (朵朵, 妞妞), where an age follows ("妞妞今年8岁")
    or a child word comes right before ("患儿朵朵", "女儿豆豆"). jieba rarely tags them as
    names, and most doubled words are kin words or adverbs (妈妈, 天天), which are left out."""
    out = []
    for match in _ZH_DOUBLED.finditer(text):
        start, end = match.start(), match.end()
        word = match.group()
        if word in _ZH_DOUBLED_NOT_NAMES or word in stop:
            continue
        aged = any(years < 18 for a, _b, years in ages_in(text[end:end + 8], "zh") if a <= 3)
        after_child_word = _ZH_CHILD_BEFORE_NAME.search(text, max(0, start - 4), start)
        if aged or after_child_word:
            out.append((start, end, NAME))
    return out


def zh_names(context: RuleContext, segment: Segment) -> list[tuple[int, int, str]]:
    """Chinese person names near child cues: jieba `nr` words with a known surname (full
    names), and 小X / 阿X diminutives (first names)."""
    text = segment.text
    stop = set(cue_words(context, "zh", "name_stop")) | _ZH_NOT_NAMES
    out: list[tuple[int, int, str]] = []
    # Only runs of text that hold a surname or 小/阿 can hold a name: the rest is not tagged.
    tokens = context.segmenter.tag(text, _ZH_NAME_STARTS)
    candidates = []
    for index, (start, end, word, flag) in enumerate(tokens):
        candidates.append((start, end, word, flag))
        # jieba often splits 王|小雨: a lone surname followed by a short name-like word is one name.
        if len(word) == 1 and word in _ZH_SURNAMES and index + 1 < len(tokens):
            next_start, next_end, next_word, next_flag = tokens[index + 1]
            if next_start == end and next_flag.startswith("nr") and 1 <= len(next_word) <= 2:
                candidates.append((start, next_end, word + next_word, "nr"))
    for start, end, word, flag in candidates:
        # 王某 / 王某某 is how Chinese copy anonymises a name, not a name.
        if flag != "nr" or word in stop or len(word) < 2 or len(word) > 4 or "某" in word[1:]:
            continue
        if (word[0] in _ZH_SURNAMES or word.startswith(_ZH_COMPOUND_SURNAMES)) and len(word) >= 2:
            if _zh_name_tied(context, text, start, end) and not _is_adult(context, text, start, end, "zh"):
                out.append((start, end, FULL_NAME))
        elif word[0] in "小阿" and word not in stop:
            if _child_near(context, text, start, end, "zh", 30):
                out.append((start, end, NAME))
    found = [(a, b) for a, b, _kind in out]
    out.extend(name for name in _zh_doubled_names(text, stop) if not any(a < name[1] and name[0] < b for a, b in found))
    # Lookups by position, not scans per match: a long page has thousands of both.
    taken = {position for a, b, _kind in out for position in range(a, b)}
    person_start_by_end: dict[int, int] = {}
    for a, b, _word, flag in context.segmenter.tag(text, _ZH_NAME_STARTS):
        if flag.startswith("nr"):
            person_start_by_end[b] = min(a, person_start_by_end.get(b, a))
    for match in _ZH_DIMINUTIVE.finditer(text):
        for end in (match.end(), match.end() - 1):
            word = text[match.start():end]
            if len(word) < 2 or word in stop or match.start() in taken:
                continue
            # jieba must read it as a person (小雨/nr, not 小时/n); a reduplicated 小朵朵 is a pet name.
            is_person = person_start_by_end.get(end, end) <= match.start()
            doubled = len(word) == 3 and word[1] == word[2]
            if (is_person or doubled) and _child_near(context, text, match.start(), end, "zh", 20):
                out.append((match.start(), end, NAME))
                taken.update(range(match.start(), end))
                break
    return out


def _sensitive(context: RuleContext, segment: Segment, language: str, out: list[Detail]) -> None:
    text = segment.text
    for kind, list_name in ((HEALTH, "diagnosis"), (ABUSE, "abuse")):
        for start, end in cue(context, language, list_name).finditer(text):
            out.append(Detail(segment, start, end, kind, language))


_PINYIN_SURNAMES = {
    "zhang", "wang", "li", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo",
    "he", "lin", "luo", "gao", "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao", "peng", "zeng",
    "xiao", "tian", "dong", "pan", "yuan", "jiang", "cai", "yu", "du", "ye", "cheng", "su", "wei", "lu", "ding", "ren",
    "shen", "yao", "cui", "zhong", "tan", "fan", "jin", "shi", "liao", "jia", "xia", "fu", "fang", "bai", "zou", "meng",
    "xiong", "qin", "qiu", "yin", "xue", "yan", "duan", "lei", "hou", "long", "tao", "li", "gu", "mao", "kong", "dai",
}
# Whole words of a file name: "5jin" (five jin of apples) is a quantity, not the surname Jin.
_FILE_TOKEN = LazyPattern(r"(?<![A-Za-z0-9])[A-Za-z]+(?![A-Za-z0-9])")
_PINYIN_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s", "y", "w", "")
_PINYIN_FINALS = frozenset((
    "a o e i u v ai ei ao ou an en ang eng ong er ia ie iao iu ian in iang ing iong ua uo uai ui uan un uang ue ve"
).split())


def _is_pinyin(word: str) -> bool:
    """Whether a word splits into pinyin syllables ("xiaoyu", "niuniu"), as a given name in a
    file name does; English words ("box", "photo", "apple") do not."""
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            if reachable[start] and _pinyin_syllable(word[start:end]):
                reachable[end] = True
                break
    return reachable[-1]


def _pinyin_syllable(piece: str) -> bool:
    for initial in _PINYIN_INITIALS:
        if piece.startswith(initial) and piece[len(initial):] in _PINYIN_FINALS:
            return True
    return False


def _image_source_details(context: RuleContext, segment: Segment, language: str) -> list[Detail]:
    """A file name that spells a name (`lily-chen.jpg`, `zhang-xiaoyu.jpg`) identifies the child."""
    if language != "en":
        return []
    text = segment.text
    name_part_start = max(text.rfind("/") + 1, 0)
    tokens = list(_FILE_TOKEN.finditer(text, name_part_start))
    stop = lowered_cue_words(context, "en", "name_stop") | {"jpg", "jpeg", "png", "gif", "webp", "img", "image", "photo", "pic", "www", "http", "https", "com", "org"}
    out = []
    for first, second in zip(tokens, tokens[1:]):
        a, b = first.group().lower(), second.group().lower()
        if a in stop or b in stop or len(a) < 2 or len(b) < 2:
            continue
        given = b if a in _PINYIN_SURNAMES else a if b in _PINYIN_SURNAMES else None
        if given is None or len(given) < 3 or given in _PINYIN_SURNAMES:
            continue
        # The other word must read as a given name: pinyin ("zhang-xiaoyu") or a known English one ("lily-chen").
        if _is_pinyin(given) or given.title() in first_names(context):
            out.append(Detail(segment, first.start(), second.end(), IMAGE, "en"))
    return out


def about_child(context: RuleContext, detail: Detail) -> bool:
    """The detail sits in copy about a specific child, or right next to a child cue."""
    if child_story(context):
        return True
    reach = 120 if detail.language == "en" else 40
    return _child_near(context, detail.segment.text, detail.start, detail.end, detail.language, reach, one_child=True)


def near_one_child(context: RuleContext, segment: Segment, start: int, end: int) -> bool:
    """A single child is mentioned close to this span, in any of the segment's languages."""
    text = segment.text
    for language in segment.languages:
        reach = 120 if language == "en" else 40
        if _child_near(context, text, start, end, language, reach, one_child=True):
            return True
        pattern = _EN_SPECIFIC_CHILD if language == "en" else _ZH_SPECIFIC_CHILD
        if pattern.search(text, max(0, start - reach), min(len(text), end + reach)):
            return True
    return False


# "every child in Year 5", "each pupil", 每个孩子: a singular word that stands for a group.
_QUANTIFIED = LazyPattern(r"(?:\b(?:every|each|any|no|all)\s+(?:single\s+)?|每个|每位|每一个|每名|所有|任何)$", re.I)


def _singular(word: str, language: str) -> bool:
    """One child ("girl", "女孩") rather than a group ("children", "孩子们")."""
    if language == "zh":
        return word in _ZH_SINGULAR_CHILD
    lowered = word.lower()
    return not (lowered.endswith("s") or lowered.endswith("ren") or lowered in ("youth", "people"))


def child_story(context: RuleContext) -> bool:
    """Whether the copy is about a specific child rather than children in general."""
    return context.memo("child_story", lambda: _child_story(context))


def _child_story(context: RuleContext) -> bool:
    kinds = detail_kinds(context)
    if kinds & {NAME, FULL_NAME, IMAGE}:
        return True
    return AGE in kinds and bool(kinds & {PLACE, ADDRESS, HEALTH, ABUSE, SCHOOL, HOSPITAL})


def specific_child(context: RuleContext) -> bool:
    """The copy tells one child's story, named or not ("this little girl ... she has ...")."""
    return context.memo("specific_child", lambda: child_story(context) or _told_story(context))


def _told_story(context: RuleContext) -> bool:
    if protected_child_story(context):
        return True
    segments = context.document.segments
    for position, segment in enumerate(segments):
        next_segment = segments[position + 1] if position + 1 < len(segments) else None
        for language in segment.languages:
            # An image of one child ("Little girl with a cleft lip crying") shows a specific child.
            if segment.scope in ("image-alt", "caption", "image-title") and any(
                _singular(segment.text[a:b], language) for a, b in cue(context, language, "child").finditer(segment.text)
            ):
                return True
            if language == "en":
                if _EN_SPECIFIC_CHILD.search(segment.text) and _EN_STORY_PRONOUN.search(segment.text):
                    return True
                if any(d.kind in (AGE, NAME) for d in details_in(context, segment)) and _EN_STORY_PRONOUN.search(segment.text):
                    return True
                singular = any(_singular(segment.text[a:b], "en") for a, b in cue(context, "en", "child").finditer(segment.text))
                if singular and len(_EN_STORY_PRONOUN.findall(segment.text)) >= 2:
                    return True
            elif _ZH_STORY_PRONOUN.search(segment.text) and (
                _ZH_SPECIFIC_CHILD.search(segment.text)
                or _ZH_REDUPLICATED_NAME.search(segment.text)
                or any(d.kind in (AGE, NAME) for d in details_in(context, segment))
            ):
                return True
            # A child's age or name in one paragraph and her story ("让更多人看到她") in the next.
            elif language == "zh" and next_segment is not None and _ZH_STORY_PRONOUN.search(next_segment.text) and any(
                    d.kind in (AGE, NAME) for d in details_in(context, segment)):
                return True
    return False


def protected_child_story(context: RuleContext) -> bool:
    """A named child whose name the copy says is changed, with the family or a child word in the
    copy ("Leo (not his real name) ... with his mum", "Danny (not his real name), with his foster
    carer's permission"): the story of one real child, protected or not."""
    def compute() -> bool:
        segments = [s for s in context.document.segments if "en" in s.languages]
        if not any(_pseudonymised_name(context, s.text) for s in segments):
            return False
        return _child_words_or_ages(context) or any(_EN_CHILD_GUARDIAN.search(s.text) for s in segments)

    return context.memo("protected-child-story", compute)


def _pseudonymised_name(context: RuleContext, text: str) -> bool:
    """A person's name the copy says is changed: "Leo (not his real name)", or a given name shortly
    before a pseudonym statement ("You met Ana in our appeal (name changed; ...)")."""
    if _EN_PSEUDONYM_NAME.search(text):
        return True
    names = first_names(context)
    for start, _end in cue(context, "en", "pseudonym").finditer(text):
        before = text[max(0, start - 60):start]
        if any(word in names for word in re.findall(r"(?<![\w'])[A-Z][a-z]{2,}(?![\w])", before)):
            return True
    return False


def consent_signal(context: RuleContext) -> Detail | bool:
    """A consent or anonymisation statement anywhere in the document (or consent front matter)."""
    return context.memo("consent", lambda: _consent(context))


def _consent(context: RuleContext) -> bool:
    if isinstance(context.document.metadata.get("consent"), (dict, str)) and context.document.metadata.get("consent"):
        return True
    for segment in context.document.segments:
        for language in segment.languages:
            if cue(context, language, "consent").search(segment.text) or cue(context, language, "pseudonym").search(segment.text):
                return True
    return False


def pseudonymous(context: RuleContext) -> bool:
    return context.memo("pseudonym", lambda: any(
        cue(context, language, "pseudonym").search(segment.text)
        for segment in context.document.segments for language in segment.languages
    ))
