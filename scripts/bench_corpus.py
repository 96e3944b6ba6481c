"""Generate the benchmark corpus: 1,000 documents (EN and ZH; text, Markdown, HTML, social JSON,
.docx; 1-5 KB each) and one 5 MB HTML page, deterministically from a seed.

The sentences are written for this benchmark (appeals with and without problems, programme
news, event notices, policy summaries) and recombined with random names, ages and places.
Nothing comes from the real corpus. Usage: python scripts/bench_corpus.py OUT_DIR [--seed N]
"""

from __future__ import annotations

import argparse
import html
import io
import json
import random
from pathlib import Path

EN_NAMES = ["Lily", "Sam", "Maya", "Joseph", "Amina", "Leo", "Grace", "Daniel", "Ruth", "Omar", "Ella", "Tom"]
EN_SURNAMES = ["Chen", "Miller", "Okafor", "Lopez", "Smith", "Nguyen", "Brown", "Khan"]
EN_PLACES = ["Maple Village", "the Northside estate", "Kibera", "a town in Kent", "the river valley", "Hillside"]
ZH_NAMES = ["小雨", "小宇", "小明", "阿花", "小芳", "浩然", "欣怡", "子涵"]
ZH_SURNAMES = ["王", "李", "张", "刘", "陈", "杨"]
ZH_PLACES = ["甘肃省定西市安定区李家堡镇王庄村", "河南省某县", "四川凉山", "贵州毕节的一个村子", "云南山区"]

EN_SENTENCES = [
    "{name} {surname}, {age}, lives in {place} with {pronoun} grandmother.",
    "{name} is an AIDS orphan who dreams of becoming a nurse.",
    "Please share to save {name}, every share counts!",
    "Watch {name} live tonight and send gifts to help {pronoun_obj}.",
    "Look at this poor little thing, all alone in the world.",
    "Every mug you buy helps {name} get the surgery {pronoun} needs.",
    "{name} is in Year {grade} at Hillside Primary School.",
    "Call {pronoun_pos} mum on 07700 900{number}.",
    "{name} was diagnosed with leukaemia last spring and is on Ward {ward}.",
    "Names have been changed and the story is shared with the guardian's consent.",
    "Our after-school clubs give children a safe place to read, play and do homework.",
    "Thanks to your gifts, the village school now has a library and clean water.",
    "Volunteers {name} {surname} and friends ran the bake sale on Saturday.",
    "The county's child protection policy sets out how we handle personal information.",
    "Join us at the community hall on Friday for our annual quiz night.",
    "Our annual report explains how every pound was spent last year.",
    "Children whose parents work away from home join our weekend reading circle.",
    "The charity's board meets quarterly to review safeguarding procedures.",
    "Donations of winter coats can be dropped off at the main office.",
    "Forward this to ten groups before midnight or {name} will not make it.",
]
ZH_SENTENCES = [
    "{surname}{name}今年{age}岁，家住{place}。",
    "这个留守儿童每天一个人走两个小时山路上学。",
    "{name}才{age}岁，转发救命！求扩散！",
    "今晚八点直播，家人们刷礼物支持{name}！",
    "这个苦命娃从小没人疼，太可怜了。",
    "每卖出一单土特产，就为{name}的手术费多攒一份。",
    "{name}在青山镇中心小学{grade}年级二班读书。",
    "联系电话：138{number}5678。",
    "{name}患上了白血病，现在住在市医院{ward}床。",
    "文中孩子均为化名，故事经监护人同意后分享。",
    "我们为父母在外务工的孩子开设了课后辅导班。",
    "感谢各位捐赠者，村小的图书角已经建好。",
    "志愿者李明带来了一百本书。",
    "根据《未成年人保护法》，任何组织不得披露未成年人的个人信息。",
    "本周六上午九点，社区中心举办义卖活动，欢迎参加。",
    "本年度财务报告已在官网公示，欢迎查阅。",
    "项目覆盖甘肃省的十个县，惠及三千多名儿童。",
    "理事会每季度审议一次儿童保护制度的执行情况。",
    "冬衣捐赠请送至办公室一楼前台。",
    "转发到三个群，就能帮{name}多筹一份医药费。",
]


def _fill(template: str, rng: random.Random, language: str) -> str:
    he = rng.random() < 0.5
    values = {
        "name": rng.choice(EN_NAMES if language == "en" else ZH_NAMES),
        "surname": rng.choice(EN_SURNAMES if language == "en" else ZH_SURNAMES),
        "place": rng.choice(EN_PLACES if language == "en" else ZH_PLACES),
        "age": rng.randint(3, 15), "grade": rng.randint(1, 6), "ward": rng.randint(1, 30),
        "number": f"{rng.randint(100, 999)}", "pronoun": "he" if he else "she",
        "pronoun_obj": "him" if he else "her", "pronoun_pos": "his" if he else "her",
    }
    return template.format(**values)


def _paragraphs(rng: random.Random, language: str, size: int) -> list[str]:
    pool = EN_SENTENCES if language == "en" else ZH_SENTENCES
    joiner = " " if language == "en" else ""
    paragraphs, total = [], 0
    while total < size:
        paragraph = joiner.join(_fill(rng.choice(pool), rng, language) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 2
    return paragraphs


def _markdown(rng: random.Random, language: str, paragraphs: list[str]) -> str:
    title = "Help us this winter" if language == "en" else "冬季助学行动"
    out = [f"---\ntitle: {title}\n---\n", f"# {title}\n"]
    for index, paragraph in enumerate(paragraphs):
        if index % 4 == 3:
            out.append("- " + paragraph + "\n- " + _fill(rng.choice(EN_SENTENCES if language == "en" else ZH_SENTENCES), rng, language) + "\n")
        elif index % 5 == 4:
            out.append(f"![{paragraph[:40]}](img/photo-{index}.jpg)\n")
        else:
            out.append(paragraph.replace(". ", ". **", 1) + ("**" if ". " in paragraph else "") + "\n")
    return "\n".join(out)


def _html(language: str, paragraphs: list[str]) -> str:
    body = "".join(
        f'<figure><img src="img/p{index}.jpg" alt="{html.escape(p[:50], quote=True)}"><figcaption>{html.escape(p[:30])}</figcaption></figure>'
        if index % 6 == 5 else f"<p>{html.escape(p)}</p>\n"
        for index, p in enumerate(paragraphs)
    )
    return (f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>Appeal</title>'
            '<meta property="og:description" content="Our winter appeal"></head><body>'
            '<nav><a href="/">Home</a> <a href="/donate">Donate</a></nav><main>' + body + "</main></body></html>\n")


def _social(rng: random.Random, language: str, paragraphs: list[str]) -> str:
    posts = [{"platform": rng.choice(["weibo", "twitter", "wechat", "instagram"]), "text": p,
              "media": [{"alt": p[:30], "url": f"https://cdn.example.org/{i}.jpg"}], "hashtags": ["appeal", "救助"]}
             for i, p in enumerate(paragraphs)]
    # Some English files escape their few non-ASCII characters; escaped Chinese would triple the size.
    return json.dumps(posts, ensure_ascii=language == "en" and rng.random() < 0.5, indent=1)


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def generate(out: Path, seed: int = 7, count: int = 1000, big_page_mb: float = 5.0) -> dict[str, int]:
    rng = random.Random(seed)
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    formats = ["txt"] * 30 + ["md"] * 30 + ["html"] * 25 + ["json"] * 10 + ["docx"] * 5
    counts: dict[str, int] = {}
    for index in range(count):
        language = "en" if index % 2 == 0 else "zh"
        fmt = formats[index % len(formats)]
        # JSON posts repeat text in alt fields and add structure: less prose for the same size.
        paragraphs = _paragraphs(rng, language, rng.randint(600, 2000) if fmt == "json" else rng.randint(1000, 3800))
        name = corpus / f"{index:04d}-{language}.{fmt}"
        if fmt == "txt":
            name.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        elif fmt == "md":
            name.write_text(_markdown(rng, language, paragraphs), encoding="utf-8")
        elif fmt == "html":
            name.write_text(_html(language, paragraphs), encoding="utf-8")
        elif fmt == "json":
            name.write_text(_social(rng, language, paragraphs), encoding="utf-8")
        else:
            name.write_bytes(_docx(paragraphs))
        counts[fmt] = counts.get(fmt, 0) + 1
    big = out / "big" / "page.html"
    big.parent.mkdir(parents=True, exist_ok=True)
    paragraphs = []
    # Characters, not bytes: UTF-8 Chinese and the markup make up the rest of the 5 MB.
    while sum(len(p) for p in paragraphs) < big_page_mb * 1024 * 1024 * 0.62:
        paragraphs.extend(_paragraphs(rng, rng.choice(["en", "zh"]), 4000))
    big.write_text(_html("en", paragraphs), encoding="utf-8")
    (out / "tiny").mkdir(exist_ok=True)
    (out / "tiny" / "tiny.txt").write_text("Please share to save little Lily, 7!\n", encoding="utf-8")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.seed, args.count)))


if __name__ == "__main__":
    main()
