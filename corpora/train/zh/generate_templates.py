#!/usr/bin/env python3
"""Deterministic generator of template sentences for the Chinese training set.

All names, places, schools and hospitals are invented or generic. Run:
    python generate_templates.py          # writes templates.jsonl next to this file
Output: one JSON object per line with origin="template".
"""
import json
import random
from pathlib import Path

SEED = 20261122
TARGET = {  # (labels tuple) -> count per script: (simplified, traditional)
    (): (240, 130),
    ("identifying",): (90, 50),
    ("labelling",): (50, 30),
    ("traffic",): (50, 30),
    ("labelling", "identifying"): (60, 30),
    ("identifying", "traffic"): (65, 35),
    ("labelling", "traffic"): (45, 25),
    ("labelling", "identifying", "traffic"): (40, 20),
}

# ---------------------------------------------------------------- fillers
F = {
    "simplified": {
        "surname": list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤"),
        "given": ["子涵", "欣怡", "梓轩", "雨桐", "浩然", "一诺", "思琪", "宇航", "佳琪", "梦瑶", "俊熙", "可馨", "天佑", "语嫣", "晨阳", "若曦", "博文", "诗涵", "家豪", "奕辰", "紫萱", "明轩", "安琪", "嘉怡", "泽宇", "雅静", "锦程", "书瑶", "子墨", "小雨", "乐乐", "朵朵", "星辰", "沐阳", "心悦", "昊天", "依依", "梓萌", "皓轩", "芷若"],
        "nick": ["小雨", "豆豆", "乐乐", "妞妞", "果果", "小宝", "朵朵", "甜甜", "小虎", "丫丫", "球球", "壮壮", "贝贝", "糖糖", "小满", "阿福"],
        "prov_county": ["河南周口某县", "贵州毕节某县", "云南昭通某县", "甘肃定西某县", "四川凉山某县", "湖南邵阳某县", "江西赣州某县", "广西河池某县", "安徽阜阳某县", "湖北恩施某县", "陕西商洛某县", "山西吕梁某县", "河北张家口某县", "重庆巫溪县", "黑龙江绥化某县", "宁夏固原某县"],
        "village": ["某镇某村", "某乡某村三组", "某镇老街", "某乡中心村", "某镇河口村", "某乡坪上村", "某镇西沟村", "某乡岩脚村"],
        "school": ["镇中心小学{g}年级", "县实验小学{g}年级{c}班", "某某小学{g}年级{c}班", "乡中心校{g}年级", "县第二中学初{m}（{c}）班", "村小{g}年级", "镇九年制学校{g}年级"],
        "hospital": ["省儿童医院血液科{b}床", "市一院儿科{b}床", "县人民医院{b}床", "省人民医院PICU {b}床", "市妇幼保健院NICU{b}床", "某大学附属医院儿科{b}床"],
        "illness": ["白血病", "先天性心脏病", "神经母细胞瘤", "再生障碍性贫血", "脑瘤", "肾病综合征", "重度烧伤", "骨肉瘤", "脑积水", "地中海贫血"],
        "label": ["留守娃", "苦命娃", "事实孤儿", "孤儿", "残疾娃", "贫困生", "可怜的孩子", "没爹没妈的孩子", "小可怜", "病秧子", "问题少年", "苦命的孩子"],
        "pity": ["从来没有人为他过过生日", "她是被命运抛弃的孩子", "一出生就注定要吃苦", "连一件新衣服都没穿过", "每天只能吃咸菜拌饭", "从没见过妈妈的样子", "没人疼也没人管", "活得像一根没人要的野草"],
        "share": ["求转发！每一次转发都是救命", "求扩散，转发到3个群就行", "别划走，看到的请动动手指转发", "转发就是救命，拜托大家", "点赞关注，帮孩子上热门", "家人们刷刷礼物，帮孩子凑医药费", "倒计时3天，转发过万孩子才有希望", "评论区扣1，让孩子被更多人看到", "直播间音浪冲一冲，全部给孩子治病", "每卖出一单就捐5元给这个孩子，拍起来"],
        "adult": ["志愿者王芳", "社工李娜", "58岁的环卫工人李建国", "退休教师张秀英", "项目官员刘洋", "支教老师陈静", "62岁的农民赵永福", "外卖员周强", "护士长何敏", "基金会秘书长孙伟"],
    },
    "traditional": {
        "surname": list("王李張劉陳楊黃趙吳周徐孫馬朱胡郭何林羅高鄭梁謝宋唐韓馮鄧曹彭曾蕭田董袁潘蔣蔡余杜葉程魏蘇呂丁任沈姚盧鍾姜崔譚陸范汪廖石金賴許洪邱侯江"),
        "given": ["子涵", "欣怡", "宇軒", "雨桐", "浩然", "詠琳", "思琪", "俊傑", "佳琪", "品妤", "柏宇", "可馨", "宥廷", "語彤", "承恩", "若曦", "冠宇", "詩涵", "家豪", "芷晴", "紫萱", "明軒", "安琪", "嘉怡", "哲瑋", "雅婷", "卓霖", "書瑤", "子墨", "曉晴"],
        "nick": ["小雨", "豆豆", "樂樂", "妞妞", "果果", "小寶", "朵朵", "甜甜", "阿晴", "小安", "球球", "貝貝"],
        "prov_county": ["屏東縣某鄉", "台東縣某鄉", "花蓮縣某部落", "雲林縣某村", "南投縣某鄉", "嘉義縣某鎮", "苗栗縣某鄉", "宜蘭縣某村", "深水埗某唐樓", "天水圍某屋邨", "屯門某屋邨", "觀塘某公屋"],
        "village": ["某巷", "某村二鄰", "某街12號", "某社區", "某大廈", "某部落"],
        "school": ["某國小{g}年{cz}班", "鎮上國小{g}年級", "某小學{g}年級", "某國中{m}年{cz}班", "某中學中{m}"],
        "hospital": ["台大兒童醫院{b}床", "長庚兒童加護病房{b}床", "瑪麗醫院兒科{b}號床", "屯門醫院兒科病房{b}床", "高雄榮總兒科{b}床", "某醫學中心兒科{b}床"],
        "illness": ["白血病", "先天性心臟病", "神經母細胞瘤", "再生不良性貧血", "腦瘤", "腎病症候群", "嚴重燒燙傷", "骨肉瘤", "地中海型貧血"],
        "label": ["孤兒", "苦命的孩子", "單親家庭的小孩", "殘障兒", "低收入戶小孩", "可憐的孩子", "沒爸沒媽的孩子", "小可憐", "問題少年", "沒人要的孩子"],
        "pity": ["從來沒有人幫他過生日", "她是被命運遺棄的孩子", "一出生就註定要吃苦", "連一件新衣服都沒穿過", "從沒見過媽媽的樣子", "沒人疼也沒人管"],
        "share": ["請轉發！每一次分享都是救命", "求擴散，分享到三個群組就好", "先別滑走，幫忙按個分享", "分享就是救命，拜託大家", "按讚分享，讓孩子被看見", "家人們刷刷禮物，幫孩子湊醫藥費", "倒數3天，分享破萬孩子才有希望", "留言+1，讓演算法推給更多人"],
        "adult": ["志工王芳", "社工李娜", "58歲的清潔工李建國", "退休教師張秀英", "計畫專員劉洋", "偏鄉教師陳靜", "62歲的農民趙永福", "外送員周強", "護理長何敏", "基金會執行長孫偉"],
    },
}

# ---------------------------------------------------------------- templates
# Each: (register, pattern). Patterns use {slot} names resolved by fill().
T = {
    "simplified": {
        (): [
            ("policy", "进一步健全{area}留守儿童关爱服务体系，压实{level}责任。"),
            ("policy", "依据《困境儿童个人信息保护工作办法》，{who}不得对儿童进行标签化宣传。"),
            ("policy", "{who}发布涉及未成年人的信息，应当取得监护人同意并做去识别化处理。"),
            ("ngo-appeal", "您的捐款将用于{n}名乡村学生的{need}。"),
            ("ngo-appeal", "每月{money}元，可以为一名孩子提供{need}。"),
            ("crowdfunding", "{adult}患病住院，恳请大家伸出援手。"),
            ("crowdfunding", "孩子化名“{nick}”，相关信息经监护人同意后发布。"),
            ("crowdfunding", "为保护隐私，文中孩子均为化名，照片已做模糊处理。本次筹款目标{goal}元。"),
            ("weibo", "欢迎转发我们的{saleevent}，所得全部用于{need}。"),
            ("weibo", "今晚{hour}点直播{adultevent}，欢迎大家观看。"),
            ("school-notice", "感谢{schoolname}全体师生参与“{bookevent}”活动，共捐出图书{n}册。"),
            ("news", "{city}儿童福利院举行{event}，{n}余名市民参与。"),
            ("news", "{city}儿童医院门诊时间调整为每天{hour}点开始，急诊24小时开放。"),
            ("project-report", "本年度项目覆盖{n}所学校，所有个案信息已匿名化处理。"),
            ("project-report", "评估显示，参与项目的学生{metric}平均提升{pct}%。"),
            ("wechat-article", "我们不使用“{badword}”这类字眼描述孩子，他们需要的是尊重。"),
            ("wechat-article", "研究显示，父母外出务工家庭的儿童在{metric}方面面临更多挑战。"),
            ("moments", "{adult}今天又去福利院做义工了，真让人佩服。"),
            ("xiaohongshu", "公益小tips：发帖别晒孩子的{privacy}，保护隐私从我做起✅"),
            ("livestream-script", "欢迎来到{adultevent}直播间，本场不涉及任何未成年人出镜。"),
            ("douyin", "今天去{city}儿童福利院送书，视频中孩子的面部都已遮挡。"),
        ],
        ("identifying",): [
            ("crowdfunding", "孩子叫{name}，今年{age}岁，在{place}{school}读书，确诊{illness}。"),
            ("crowdfunding", "患儿{name}，{age}岁，目前在{hospital}接受治疗。"),
            ("crowdfunding", "孩子的父亲叫{sn}{adultgiven}，母亲叫{adultname2}，一家住在{place}。"),
            ("weibo", "视频里的孩子是{place}的，{age}岁，在{school}，叫{name}。"),
            ("moments", "我侄子{name}，{age}岁，在{school}，前几天查出{illness}。"),
            ("news", "据悉，受伤儿童名叫{name}，{age}岁，家住{place}。"),
            ("wechat-article", "图为{name}在{hospital}的病床上，她今年{age}岁。"),
            ("school-notice", "{school}的{name}同学患{illness}，目前在{hospital}治疗。"),
            ("xiaohongshu", "我班上的{nick}（大名{name}），就住在学校后面，{age}岁。"),
            ("project-report", "个案：{name}，{age}岁，{place}人，{illness}，已康复。"),
        ],
        ("labelling",): [
            ("crowdfunding", "这个{label}，{pity}。"),
            ("weibo", "心疼这个{label}，{pity}😭"),
            ("douyin", "{label}的一天，{pity}。"),
            ("wechat-article", "{pity}——这就是一个{label}的童年。"),
            ("ngo-appeal", "请帮帮这些{label}，他们{pity2}。"),
            ("news", "记者走访了村里的{label}，{pity}。"),
        ],
        ("traffic",): [
            ("crowdfunding", "{share}！孩子的手术费还差{money}元。"),
            ("weibo", "#{tag}# {share}！"),
            ("douyin", "{share}，家人们拜托了🙏"),
            ("livestream-script", "{share}，家人们今晚多支持！"),
            ("moments", "{share}，孩子下周就要手术了。"),
            ("xiaohongshu", "姐妹们{share}💗"),
        ],
        ("labelling", "identifying"): [
            ("crowdfunding", "{label}{name}，今年{age}岁，家住{place}，{pity}。"),
            ("wechat-article", "{label}{nick}（本名{name}），在{school}读书，{pity}。"),
            ("news", "在{place}，{age}岁的{label}{name}{pity}。"),
            ("school-notice", "{school}的{label}{name}，家里困难，请老师们多关照。"),
            ("ngo-appeal", "资助对象：{label}{name}，{age}岁，{place}人。"),
        ],
        ("identifying", "traffic"): [
            ("crowdfunding", "孩子叫{name}，在{hospital}，{share}！"),
            ("weibo", "{name}，{age}岁，{place}，{share}！#{tag}#"),
            ("douyin", "视频里是我女儿{name}，在{hospital}，{share}"),
            ("livestream-script", "镜头给到孩子，她叫{name}，{age}岁，{place}的，{share}！"),
            ("moments", "同事的孩子{name}在{hospital}，{share}。"),
        ],
        ("labelling", "traffic"): [
            ("crowdfunding", "{label}{pity}，{share}！"),
            ("douyin", "{label}太可怜了，{share}"),
            ("weibo", "#{tag}# 这个{label}{pity}，{share}！"),
            ("livestream-script", "家人们，这个{label}就在镜头前，{share}！"),
        ],
        ("labelling", "identifying", "traffic"): [
            ("crowdfunding", "{label}{name}，{age}岁，{place}，{pity}，{share}！"),
            ("weibo", "{label}{nick}（{name}）在{hospital}，{share}！#{tag}#"),
            ("douyin", "{place}的{label}{name}，{age}岁，{share}"),
        ],
    },
    "traditional": {
        (): [
            ("policy", "依《兒少權法》規定，{who}不得揭露兒少之姓名或足以識別身分之資訊。"),
            ("policy", "{who}發布個案故事時，應經法定代理人書面同意並去識別化。"),
            ("ngo-appeal", "您的捐款將用於{n}位偏鄉學童的{need}。"),
            ("ngo-appeal", "每月{money}元，就能為一位孩子提供{need}。"),
            ("crowdfunding", "{adult}生病住院，懇請大家伸出援手。"),
            ("crowdfunding", "孩子化名「{nick}」，故事經家長同意後分享。"),
            ("weibo", "歡迎轉發我們的{saleevent}，所得全數用於{need}。"),
            ("weibo", "今晚{hour}點直播{adultevent}，歡迎收看。"),
            ("school-notice", "感謝{schoolname}全體師生參與「{bookevent}」活動，共捐出圖書{n}冊。"),
            ("news", "{city}兒童之家舉辦{event}，逾{n}位民眾參加。"),
            ("news", "{city}兒童醫院門診時間調整為每天{hour}點開始。"),
            ("project-report", "本年度計畫服務{n}所學校，個案資料均已匿名化。"),
            ("wechat-article", "我們不使用「{badword}」這類字眼描述孩子。"),
            ("moments", "{adult}今天又去兒童之家當志工，真的很佩服。"),
            ("xiaohongshu", "公益小提醒：發文不要曬出孩子的{privacy}✅"),
            ("livestream-script", "歡迎來到{adultevent}直播，本場沒有未成年人出鏡。"),
        ],
        ("identifying",): [
            ("crowdfunding", "孩子叫{name}，今年{age}歲，住在{place}，就讀{school}，確診{illness}。"),
            ("crowdfunding", "患童{name}，{age}歲，目前在{hospital}治療。"),
            ("weibo", "影片中的孩子住在{place}，{age}歲，讀{school}，叫{name}。"),
            ("moments", "我姪子{name}，{age}歲，讀{school}，最近檢查出{illness}。"),
            ("news", "據了解，受傷童名叫{name}，{age}歲，住在{place}。"),
            ("school-notice", "{school}的{name}同學罹患{illness}，目前在{hospital}治療。"),
        ],
        ("labelling",): [
            ("crowdfunding", "這個{label}，{pity}。"),
            ("weibo", "心疼這個{label}，{pity}😭"),
            ("ngo-appeal", "請幫幫這個{label}，{pity}。"),
            ("news", "記者探訪了當地的{label}，{pity}。"),
        ],
        ("traffic",): [
            ("crowdfunding", "{share}！孩子的手術費還差{money}元。"),
            ("weibo", "#{tag}# {share}！"),
            ("moments", "{share}，孩子下週就要開刀了。"),
            ("livestream-script", "{share}，家人們今晚多多支持！"),
        ],
        ("labelling", "identifying"): [
            ("crowdfunding", "{label}{name}，今年{age}歲，住在{place}，{pity}。"),
            ("ngo-appeal", "受助對象：{label}{name}，{age}歲，{place}人。"),
            ("school-notice", "{school}的{label}{name}，家境困苦，請老師多關照。"),
        ],
        ("identifying", "traffic"): [
            ("crowdfunding", "孩子叫{name}，在{hospital}，{share}！"),
            ("weibo", "{name}，{age}歲，住在{place}，{share}！"),
            ("livestream-script", "鏡頭給到孩子，她叫{name}，{age}歲，{share}！"),
        ],
        ("labelling", "traffic"): [
            ("crowdfunding", "{label}{pity}，{share}！"),
            ("weibo", "#{tag}# 這個{label}{pity}，{share}！"),
        ],
        ("labelling", "identifying", "traffic"): [
            ("crowdfunding", "{label}{name}，{age}歲，{place}，{pity}，{share}！"),
            ("weibo", "{label}{nick}（{name}）在{hospital}，{share}！"),
        ],
    },
}

MISC = {
    "simplified": {
        "area": ["农村", "全县", "全市", "乡镇", "各地"], "level": ["县、乡、村三级", "部门", "属地", "学校和家庭"],
        "who": ["任何组织和个人", "新闻媒体", "公益组织", "网络平台", "学校", "募捐平台"],
        "need": ["营养午餐", "冬季校服", "课外读物", "心理辅导", "图书角建设", "热水设施", "助听器", "康复训练"],
        "event": ["义卖活动", "捐书活动", "公益跑", "开放日", "爱心市集", "慈善音乐会"],
        "saleevent": ["义卖活动", "公益跑", "爱心市集", "慈善音乐会", "旧物义卖"],
        "bookevent": ["一人一书", "书香传递", "手拉手捐书", "图书漂流", "爱心捐书"],
        "goal": ["8万", "15万", "30万", "42万", "60万"],
        "adultevent": ["公益讲座", "慈善晚会", "年度颁奖典礼", "志愿者分享会", "公益论坛"],
        "schoolname": ["县第一小学", "某某小学", "实验中学", "外国语学校", "镇中心小学"],
        "city": ["某市", "本市", "县城", "省会", "某区"],
        "metric": ["阅读能力", "社会情感能力", "心理健康", "学业表现", "营养状况"],
        "badword": ["可怜", "悲惨", "孤儿", "留守娃", "苦命"],
        "privacy": ["正脸", "校服和校名", "住址", "身份证号", "医院床号"],
        "tag": ["爱心接力", "转发救命", "求扩散", "救救孩子", "正能量"],
        "adultgiven": ["建国", "志强", "国平", "大伟", "永福", "春生"],
        "adultname2": ["李红梅", "王秀英", "刘桂兰", "张丽", "陈小芳", "吴春花"],
        "pity2": ["从小就没人疼", "连饭都吃不饱", "注定走不出大山", "是这个世界上最可怜的人"],
    },
    "traditional": {
        "who": ["任何人", "媒體", "公益團體", "網路平台", "學校", "勸募團體"],
        "need": ["營養午餐", "冬季制服", "課外讀物", "心理輔導", "課後照顧", "復健課程"],
        "event": ["義賣活動", "捐書活動", "公益路跑", "開放日", "愛心市集"],
        "saleevent": ["義賣活動", "公益路跑", "愛心市集", "二手義賣"],
        "bookevent": ["一人一書", "書香傳遞", "愛心捐書", "圖書漂流"],
        "goal": ["80萬", "150萬", "300萬"],
        "adultevent": ["公益講座", "慈善晚會", "年度頒獎典禮", "志工分享會"],
        "schoolname": ["某國小", "某某小學", "某國中", "某中學"],
        "city": ["台北", "台中", "高雄", "新北", "香港", "本市"],
        "badword": ["可憐", "悲慘", "孤兒", "苦命"],
        "privacy": ["正臉", "制服和校名", "住址", "身分證字號", "病床號碼"],
        "tag": ["愛心接力", "轉發救命", "求擴散", "救救孩子"],
    },
}


def school_for(age, script, rng):
    """School/grade wording consistent with the child's age."""
    f = F[script]
    if age <= 5:
        return rng.choice(["幼儿园大班", "幼儿园中班", "镇幼儿园"] if script == "simplified" else ["幼稚園大班", "某幼兒園中班"])
    if age <= 12:
        g = "一二三四五六"[min(max(age - 6, 1), 6) - 1]
        pats = [p for p in f["school"] if "{g}" in p]
    else:
        g = "一"
        pats = [p for p in f["school"] if "{m}" in p]
    return rng.choice(pats).format(g=g, c="一二三四五六"[rng.randint(0, 5)],
                                   m="一二三"[min(max(age - 12, 1), 3) - 1], cz=rng.choice("甲乙丙丁"))


def fill(pat, script, rng):
    f, m = F[script], MISC[script]
    g = rng.randint(1, 6)
    label = rng.choice(f["label"])
    age = rng.randint(12, 16) if "少年" in label else rng.randint(3, 14)
    vals = {
        "name": rng.choice(f["surname"]) + rng.choice(f["given"]),
        "nick": rng.choice(f["nick"]),
        "sn": rng.choice(f["surname"]),
        "age": age,
        "place": rng.choice(f["prov_county"]) + ("" if script == "traditional" and rng.random() < 0.5 else rng.choice(f["village"])),
        "school": school_for(age, script, rng),
        "hospital": rng.choice(f["hospital"]).format(b=rng.randint(1, 48)),
        "illness": rng.choice(f["illness"]),
        "label": label,
        "pity": rng.choice(f["pity"]),
        "share": rng.choice(f["share"]),
        "adult": rng.choice(f["adult"]),
        "n": rng.choice([30, 50, 120, 200, 300, 500, 800, 1200, 2600]),
        "money": rng.choice([20, 30, 50, 100, 300, 500, 1000, 5000]) if "元" in pat and "差" not in pat else rng.choice(["8万", "12万", "20万", "35万", "50萬" if script == "traditional" else "50万"]),
        "hour": rng.choice([7, 8, 9, 19, 20]),
        "pct": rng.randint(6, 25),
    }
    for k, v in m.items():
        vals[k] = rng.choice(v)
    vals.setdefault("area", "")
    return pat.format(**vals)


def main():
    rng = random.Random(SEED)
    seen, out = set(), []
    for labels, (ns, nt) in TARGET.items():
        for script, n in (("simplified", ns), ("traditional", nt)):
            pats = T[script][labels]
            made, tries = 0, 0
            while made < n and tries < n * 200:
                tries += 1
                reg, pat = pats[made % len(pats)] if tries <= n else rng.choice(pats)
                text = fill(pat, script, rng)
                if text in seen:
                    continue
                seen.add(text)
                out.append({"text": text, "labels": list(labels), "register": reg,
                            "origin": "template", "script": script})
                made += 1
    rng.shuffle(out)
    path = Path(__file__).with_name("templates.jsonl")
    with path.open("w", encoding="utf-8") as fh:
        for r in out:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} template sentences to {path}")


if __name__ == "__main__":
    main()
