"""Writes the moderation corpus files this folder commits (the test reads the files, never
this script):

- evasions.tsv: terms of the default dictionary, each written in many evasive ways and set in
  a sentence someone might post;
- clean_composed.txt: ordinary Party-building sentences composed from hand-written fragments
  (clean_written.txt holds the sentences written out whole).

    .venv/bin/python -m dangjian.moderation.tests.corpus.generate

Deterministic: the same fragments give the same files.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections.abc import Callable, Iterator

import opencc
from pypinyin import lazy_pinyin

from dangjian.moderation.tests.corpus import HERE, load_terms

PINYIN_CATEGORIES = {"political", "vulgar"}

# term -> (sentence group, homophone spellings a writer might use: same sounds, other
# characters). Sentence groups are in SENTENCES below.
EVADED: dict[str, tuple[str, tuple[str, ...]]] = {
    "法轮功": ("cult", ("发轮功", "法仑功")),
    "李洪志": ("cult", ("李洪智", "理洪志")),
    "大纪元": ("cult", ("大记元", "大纪园")),
    "明慧网": ("cult", ("名慧网", "明会网")),
    "九评共产党": ("cult", ("久评共产党", "九平共产党")),
    "三退保平安": ("cult", ("三推保平安", "散退保平安")),
    "全能神": ("cult", ("全能身", "泉能神")),
    "东方闪电": ("cult", ("冬方闪电", "东方闪点")),
    "门徒会": ("cult", ("门图会", "们徒会")),
    "打倒共产党": ("slogan", ("打到共产党",)),
    "中共暴政": ("slogan", ("中共报政", "中工暴政")),
    "大法弟子": ("cult", ("大发弟子", "大法第子")),
    "习包子": ("slogan", ("席包子", "习包紫")),
    "六四屠杀": ("slogan", ("六四图杀", "六四涂杀")),
    "八九六四": ("slogan", ("巴九六四", "八久六四")),
    "天安门屠杀": ("slogan", ("天安门图杀",)),
    "光复香港": ("slogan", ("光付香港", "光复香岗")),
    "东突厥斯坦": ("slogan", ("东突厥司坦", "冬突厥斯坦")),
    "支持台独": ("slogan", ("支持抬独", "支持台读")),
    "傻逼": ("insult", ("沙比", "煞笔", "傻比")),
    "他妈的": ("curse", ("她妈的", "塔妈的")),
    "操你妈": ("curse", ("草你妈", "操尼玛")),
    "草泥马": ("curse", ("艹泥马", "草你马")),
    "你妈死了": ("curse", ("你马死了", "尼玛死了")),
    "狗日的": ("insult", ("苟日的",)),
    "王八蛋": ("insult", ("王巴蛋", "忘八蛋")),
    "滚蛋": ("curse", ("棍蛋", "滚淡")),
    "屌丝": ("insult", ("吊丝", "叼丝")),
    "脑残": ("insult", ("恼残", "脑惨")),
    "婊子": ("insult", ("表子", "婊紫")),
    "卧槽": ("curse", ("握草", "卧草")),
    "神经病": ("insult", ("神精病", "神经并")),
    "白痴": ("insult", ("百痴", "白持")),
    "狗东西": ("insult", ("苟东西", "狗冬西")),
    "人渣": ("insult", ("仁渣", "人喳")),
    "死全家": ("curse", ("四全家", "死泉家")),
    "装逼": ("insult", ("装比", "妆逼")),
    "牛逼": ("curse", ("牛比", "妞逼")),
    "fuck": ("curse", ()),
    "shit": ("curse", ()),
    "nmsl": ("curse", ()),
    "出售枪支": ("sale", ()),
    "仿真枪出售": ("sale", ()),
    "雷管出售": ("sale", ()),
    "自制炸药": ("recipe", ()),
    "炸弹制作": ("recipe", ()),
    "买凶杀人": ("threat", ()),
    "血洗校园": ("threat", ()),
    "弄死你": ("threat", ()),
    "杀你全家": ("threat", ()),
    "代开发票": ("scam", ()),
    "刷单返利": ("scam", ()),
    "兼职刷单": ("scam", ()),
    "代写论文": ("scam", ()),
    "无抵押贷款": ("scam", ()),
    "加vx": ("scam", ()),
    "四六级答案": ("scam", ()),
    "收购银行卡": ("scam", ()),
    "日赚千元": ("scam", ()),
    "征信修复": ("scam", ()),
    "网上赌场": ("gambling", ()),
    "百家乐": ("gambling", ()),
    "六合彩": ("gambling", ()),
    "时时彩": ("gambling", ()),
    "开户送彩金": ("gambling", ()),
    "真人荷官": ("gambling", ()),
    "出售冰毒": ("drug", ()),
    "大麻出售": ("drug", ()),
    "K粉出售": ("drug", ()),
}

SENTENCES = {
    "cult": [
        "有人在宿舍楼下发{}的传单，已经报告宿管了。",
        "群里有人转发{}的视频，大家不要点开。",
        "他私信我推荐{}，说能保平安，我没理他。",
        "这个账号天天发{}的内容，建议封号。",
        "评论区突然冒出一堆{}的广告，管理员快处理。",
    ],
    "slogan": [
        "有人在评论区刷“{}”，请管理员删除。",
        "他在朋友圈发了一条“{}”的帖子。",
        "这个账号的签名写着{}，看着很可疑。",
        "群里有人发了{}的图片，已经截图举报。",
        "视频结尾打出了{}几个字，赶紧删了吧。",
    ],
    "insult": [
        "你就是个{}，别在这里胡说八道。",
        "楼上这个{}，会不会好好说话？",
        "谁在群里骂人{}，太没素质了。",
        "组长真是个{}，活全推给别人。",
        "别理他，一个{}而已。",
    ],
    "curse": [
        "{}，又要交材料，烦死了。",
        "这破活动{}，谁爱去谁去。",
        "他一开口就是{}，太难听了。",
        "看完这条通知我只想说{}。",
        "{}！签到系统又崩了。",
    ],
    "sale": [
        "{}，需要的私聊，价格好商量。",
        "网上有人发帖{}，已经报警了。",
        "二手群里居然有人发“{}”的帖子，管理员快看看。",
        "陌生人私信我说{}，问我要不要。",
    ],
    "recipe": [
        "有人在论坛分享{}的方法，请立即删除。",
        "这个视频教{}，千万不要传播。",
        "群里有人问{}的材料去哪里买。",
        "他的网盘里存着{}的教程。",
    ],
    "threat": [
        "他在群里扬言要{}，请保卫处注意。",
        "有人留言说{}，吓得我赶紧报了警。",
        "再让我看见你，我就{}。",
        "匿名账号发帖说要{}，已经上报。",
    ],
    "scam": [
        "{}，有需要的同学私聊我。",
        "兼职信息：{}，名额有限，先到先得。",
        "有人在表白墙发广告{}，大家别上当。",
        "宿舍门缝里塞了张小卡片，上面写着{}。",
        "私信我的人发来一句“{}”，一看就是骗子。",
    ],
    "gambling": [
        "群里有人发广告：{}，稳定上分。",
        "朋友圈有人推广{}的链接。",
        "表白墙上出现了“{}”的小广告。",
        "有同学被拉进一个{}的群，生活费都输光了。",
    ],
    "drug": [
        "{}，货真价实，同城可送。",
        "有人在二手群发{}的信息，已经举报。",
        "陌生账号私信我说{}，我立刻拉黑了。",
        "小广告上写着{}，请大家提高警惕。",
    ],
}

_S2T = opencc.OpenCC("s2t")
_NUMERAL_FORMS = {
    "arabic": "0123456789",
    "fullwidth": "０１２３４５６７８９",
    "circled": "⓪①②③④⑤⑥⑦⑧⑨",
    "capital": "零壹贰叁肆伍陆柒捌玖",
}
_NUMERALS = "零一二三四五六七八九"


def _ideograph(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK UNIFIED")


def _between(term: str, separators: str | list[str]) -> str:
    """The term with a separator between each two of its characters (cycling)."""
    out = term[0]
    for i, char in enumerate(term[1:]):
        out += separators[i % len(separators)] + char
    return out


def _latin_forms(term: str, form: Callable[[str], str]) -> str | None:
    if not any(c.isascii() and c.isalpha() for c in term):
        return None
    return "".join(form(c) if c.isascii() and c.isalpha() else c for c in term)


def _enclosed(char: str) -> str:
    return chr(0x24D0 + ord(char.lower()) - ord("a"))


def _math_bold(char: str) -> str:
    return chr(0x1D41A + ord(char.lower()) - ord("a"))


def _fullwidth(char: str) -> str:
    return chr(ord(char) + 0xFEE0)


_LOOKALIKE = {
    "a": "а",
    "c": "с",
    "e": "е",
    "o": "о",
    "p": "р",
    "x": "х",
    "k": "к",
    "s": "ѕ",
    "i": "і",
}


def _lookalike(term: str) -> str | None:
    for i, char in enumerate(term):
        if char.lower() in _LOOKALIKE:
            return term[:i] + _LOOKALIKE[char.lower()] + term[i + 1 :]
    return None


def _decorated(term: str) -> str | None:
    """Circled digits between two ideographs (法①轮②功)."""
    out, n = term[0], 0
    for previous, char in itertools.pairwise(term):
        if _ideograph(previous) and _ideograph(char):
            n += 1
            out += "①②③④⑤⑥⑦⑧⑨"[n - 1]
        out += char
    return out if n else None


def _repeated(term: str, times: int) -> str | None:
    """Every character repeated (letters at least three times: two are an English "ss"), but
    numerals: 九九 is ninety-nine, not a repeated nine."""
    if all(c in _NUMERALS for c in term):
        return None
    return "".join(c if c in _NUMERALS else c * (max(times, 3) if c.isascii() else times)
                   for c in term)  # fmt: skip


def _first_repeated(term: str) -> str | None:
    """The first character that is not a numeral, three times."""
    for i, char in enumerate(term):
        if char not in _NUMERALS:
            return term[:i] + char * 3 + term[i + 1 :]
    return None


def _numerals(term: str, form: str) -> str | None:
    if not any(c in _NUMERALS for c in term):
        return None
    digits = _NUMERAL_FORMS[form]
    return "".join(digits[_NUMERALS.index(c)] if c in _NUMERALS else c for c in term)


def _syllables(term: str) -> list[str]:
    return lazy_pinyin(term)


def _mixed_pinyin(term: str) -> str:
    """One character written in pinyin: 法lun功."""
    middle = len(term) // 2
    return term[:middle] + _syllables(term[middle])[0] + term[middle + 1 :]


def _mixed_initial(term: str) -> str | None:
    """One character cut to its initial letter: 傻B, 法L功."""
    if not 2 <= len(term) <= 3:
        return None
    position = len(term) - 1 if len(term) == 2 else 1
    initial = _syllables(term[position])[0][0].upper()
    return term[:position] + initial + term[position + 1 :]


def _forms(term: str, homophones: tuple[str, ...]) -> Iterator[tuple[str, str | None]]:
    hanzi = any(_ideograph(c) for c in term)
    yield "noise_spaces", _between(term, " ")
    yield "noise_punctuation", _between(term, ["，", "。", "、", "!"])
    yield "noise_symbols", _between(term, ["★", "#", "~", "|"])
    yield "noise_emoji", _between(term, ["🔥", "😂", "👍", "🈲"])
    yield "noise_zero_width", _between(term, ["\u200b", "\u200d", "\ufeff", "\u200c"])
    yield "noise_fullwidth", _between(term, ["＊", "．", "＿", "＝"])
    yield "noise_combining", "".join(c + "\u0301" for c in term[:-1]) + term[-1]
    yield "noise_mixed", _between(term, [" 🙏", "\u200b.", "／ ", "-*"])
    yield "decorated_digits", _decorated(term) if hanzi else None
    yield "repeat_all", _repeated(term, 2)
    yield "repeat_first", _first_repeated(term)
    traditional = _S2T.convert(term)
    yield "traditional", traditional if traditional != term else None
    yield "traditional_noise", _between(traditional, " ") if traditional != term else None
    yield "case", _latin_forms(term, lambda c: c.upper())
    yield "fullwidth", _latin_forms(term, _fullwidth)
    yield "enclosed", _latin_forms(term, _enclosed)
    yield "math_letters", _latin_forms(term, _math_bold)
    yield "lookalike_letters", _lookalike(term) if not hanzi else None
    yield "numerals_arabic", _numerals(term, "arabic")
    yield "numerals_fullwidth", _numerals(term, "fullwidth")
    yield "numerals_capital", _numerals(term, "capital")
    yield "numerals_noise", _between(n, " ") if (n := _numerals(term, "arabic")) else None
    yield "numerals_circled", _numerals(term, "circled") if term[0] in _NUMERALS else None
    if hanzi and term.isalnum():
        yield from _sound_forms(term, homophones)


def _sound_forms(term: str, homophones: tuple[str, ...]) -> Iterator[tuple[str, str | None]]:
    syllables = _syllables(term)
    yield "pinyin", "".join(syllables)
    yield "pinyin_spaced_upper", " ".join(s.capitalize() for s in syllables)
    yield "pinyin_noise", "-".join(syllables)
    yield "pinyin_fullwidth", "".join(_fullwidth(c) for c in "".join(syllables))
    yield "pinyin_math_letters", "".join(_math_bold(c) for c in "".join(syllables))
    yield "initials", "".join(s[0] for s in syllables).upper()
    yield "initials_noise", ".".join(s[0] for s in syllables)
    yield "mixed_pinyin", _mixed_pinyin(term)
    yield "mixed_pinyin_traditional", _mixed_pinyin(_S2T.convert(term))
    yield "mixed_initial", _mixed_initial(term)
    for i, homophone in enumerate(homophones):
        assert _syllables(homophone) == syllables, (term, homophone)
        yield f"homophone_{i + 1}", homophone
    if homophones:
        yield "homophone_noise", _between(homophones[0], ["*", " "])
        yield "homophone_repeat", _repeated(homophones[-1], 2)


def evasions() -> list[tuple[str, str, str, str]]:
    categories = {t.text: t.category for t in load_terms()}
    rows = []
    for term, (group, homophones) in EVADED.items():
        assert term in categories, term
        if categories[term] not in PINYIN_CATEGORIES:
            assert not homophones, term
        sentences = SENTENCES[group]
        forms = [(kind, text) for kind, text in _forms(term, homophones) if text]
        if categories[term] not in PINYIN_CATEGORIES:
            forms = [(k, t) for k, t in forms if not k.startswith(("pinyin", "initials", "mixed"))]
        for i, (kind, text) in enumerate(forms):
            rows.append((term, kind, text, _sentence(sentences, i, text)))
    return rows


def _sentence(sentences: list[str], start: int, text: str) -> str:
    """The first sentence from `start` (cycling) whose characters around the slot differ from
    the evasion's ends: 骂人 + 人渣 would read 骂人人渣, a doubled 人."""
    for i in range(len(sentences)):
        template = sentences[(start + i) % len(sentences)]
        before, after = template.split("{}")
        if before[-1:] != text[0] and after[:1] != text[-1]:
            return before + text + after
    raise ValueError(text)


ORGS = [
    "计算机学院本科生第一党支部", "机械工程学院教工党支部", "马克思主义学院研究生党支部",
    "外国语学院学生党支部", "化学化工学院博士生党支部", "经济管理学院会计系党支部",
    "图书馆直属党支部", "后勤保障处党支部", "离退休工作处第二党支部",
    "材料科学与工程学院研究生第三党支部", "数学与统计学院教工第一党支部", "物理学院本科生党支部",
    "医学院临床医学系党支部", "法学院学生党支部", "新闻传播学院研究生党支部",
    "艺术学院教工党支部", "体育学院学生党支部", "生命科学学院博士后党支部",
    "电子信息学院教工第二党支部", "土木工程学院本科生第二党支部", "环境学院研究生党支部",
    "历史文化学院教工党支部", "教育学院学生党支部", "农学院作物学系党支部",
    "校团委机关党支部", "党委组织部机关党支部", "校医院党支部", "国际交流处党支部",
    "继续教育学院党支部", "建筑学院研究生党支部", "软件学院2023级本科生党支部",
    "能源与动力工程学院教工党支部", "公共管理学院MPA党支部", "信息中心党支部",
]  # fmt: skip
DATES = [
    "3月15日", "近日", "4月下旬", "6月28日上午", "日前", "本周三下午", "10月12日", "11月初",
    "5月4日", "12月9日晚", "开学第一周", "7月1日", "1月中旬", "寒假前夕", "清明节前夕",
    "国庆节前", "2026年3月5日", "6月中旬", "期中考试后", "学期初",
]  # fmt: skip
PLACES = [
    "在学院会议室", "在图书馆报告厅", "在党员活动室", "在校史馆", "赴市档案馆",
    "赴市革命烈士纪念馆", "赴结对社区", "在线上", "在主楼201教室", "在实验楼学术报告厅",
    "赴乡村振兴帮扶点", "赴市委党校", "在学生活动中心", "在行政楼三楼会议室", "",
]  # fmt: skip
EVENTS = [
    "“学习二十届四中全会精神”主题党日活动", "专题组织生活会", "“弘扬雷锋精神”志愿服务活动",
    "党史学习教育专题讲座", "“红色经典诵读”活动", "党纪学习教育专题研讨会", "集中学习",
    "“我为同学办实事”实践活动", "入党积极分子培训", "预备党员转正大会", "发展党员大会",
    "民主评议党员工作", "“支部书记讲党课”活动", "“重温入党誓词”活动",
    "“传承红色基因”主题教育活动", "“清廉校园”主题活动", "联学共建活动", "参观学习活动",
    "“学习贯彻党的二十大精神”专题研讨会", "“四史”学习教育读书分享会", "党员先锋岗授牌仪式",
    "“光荣在党50年”纪念章颁发仪式", "支部换届选举大会", "党费收缴使用情况通报会",
    "“强国有我”青年大学习活动", "“我心中的党”征文比赛", "红色观影活动",
    "“文明校园”志愿服务", "“献礼建党105周年”合唱比赛", "党建与业务融合推进会",
]  # fmt: skip
ROLES = [
    "学院党委书记", "支部书记", "党委副书记", "组织员", "辅导员", "学院院长", "教授",
    "老党员", "党委组织部部长", "宣传委员", "组织委员", "纪检委员", "党支部副书记",
    "校党委委员", "研究生导师", "班主任",
]  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_NAMES = [
    "建国", "志强", "秀英", "海燕", "晓明", "丽娟", "伟", "敏", "静", "磊", "洋", "艳",
    "勇", "军", "杰", "娟", "涛", "明", "超", "霞", "平", "刚", "桂英", "玉兰", "子涵",
    "浩然", "雨萱", "思远", "一鸣", "欣怡", "梓轩", "佳琪", "宇航", "文博", "嘉怡",
    "俊杰", "雅婷", "晨曦", "天佑", "诗涵", "明哲", "书瑶", "振华", "红梅", "国庆",
    "卫东", "春燕", "立新", "爱民", "向阳",
]  # fmt: skip
POINTS = [
    "要把学习成果转化为推动学院高质量发展的实际行动",
    "党员要在学习工作中充分发挥先锋模范作用",
    "要坚持学思用贯通、知信行统一",
    "各支部要认真落实“三会一课”制度",
    "要把思想政治工作贯穿教育教学全过程",
    "要始终把纪律和规矩挺在前面",
    "青年学生要厚植爱国情怀，练就过硬本领",
    "要以钉钉子精神抓好各项任务落实",
    "发展党员工作必须严格程序、严肃纪律",
    "要把党史学习教育同解决实际问题结合起来",
    "要切实增强责任感和使命感",
    "党建工作要与人才培养、科学研究深度融合",
    "要坚持问题导向，切实为师生办实事、解难题",
    "要深刻领会“两个确立”的决定性意义",
    "要把支部建设成为坚强战斗堡垒",
    "每名党员都要对照党章党规查找差距",
    "要持续巩固主题教育成果",
    "要主动担当作为，敢于攻坚克难",
    "要以优良作风凝心聚力、干事创业",
    "要引导学生扣好人生第一粒扣子",
    "全体党员要带头遵守校规校纪",
    "要做到学习有计划、讨论有主题、会后有落实",
    "支部工作要规范化、标准化、常态化",
    "要把好发展党员的“入口关”",
    "要关心关爱困难党员和老党员",
]
SAYS = ["指出", "强调", "表示", "要求", "希望", "在讲话中指出", "在总结时强调"]
OPENERS = [
    "作为一名学生党员", "作为入党积极分子", "作为一名预备党员", "作为新时代的青年",
    "作为一名党员教师", "通过这次学习", "参观结束后", "听了这堂党课", "回顾党的百年历程",
    "站在纪念碑前", "通过这次志愿服务", "在这次组织生活会上", "读完这本书",
    "看完这部电影", "这次实践活动中",
]  # fmt: skip
FEELINGS = [
    "我深刻体会到了共产党员的责任与担当", "我对党的创新理论有了更深刻的理解",
    "我的心灵受到了深深的震撼", "我更加坚定了听党话、跟党走的信念",
    "我认识到自己在理论学习上还有不少差距", "我真切感受到了革命先辈的崇高精神",
    "我明白了初心使命的真正含义", "我看到了基层党员默默奉献的身影",
    "我体会到为人民服务不是一句空话", "我感受到了祖国日新月异的变化",
    "我对“人民至上”有了更直观的认识", "我找到了自己身上的不足",
    "我对专业学习有了新的思考", "我被老党员的坚定信念深深打动",
]  # fmt: skip
RESOLVES = [
    "今后我将以更高标准严格要求自己", "我会把学到的知识运用到学习和工作中去",
    "我要努力学好专业知识，将来为祖国建设贡献力量", "我将继续加强理论学习，不断提高自身素质",
    "我会积极向党组织靠拢，争取早日成为一名正式党员", "我要在平凡的岗位上发光发热",
    "我会主动帮助身边有困难的同学", "我将把这份感动化为前进的动力",
    "我要时刻牢记自己的党员身份", "我会认真整改，接受大家的监督",
    "我要把红色精神传承下去", "我会珍惜当下，不负青春韶华",
]  # fmt: skip
TARGETS = [
    "各党支部", "各位党员", "全体入党积极分子", "各支部组织委员", "2025级预备党员",
    "各学生党支部书记", "发展对象", "毕业生党员", "各位培养联系人",
]  # fmt: skip
DEADLINES = [
    "本周五", "3月31日", "下周一", "6月20日", "月底", "10月15日", "开学后第二周",
    "12月25日", "寒假前", "4月30日",
]  # fmt: skip
TASKS = [
    "提交个人学习心得", "完成党费收缴", "报送支部工作总结", "上传主题党日活动照片",
    "填写民主评议表", "完成网络培训课程", "提交思想汇报", "报送下学期工作计划",
    "核对党员信息", "完成组织关系转接", "报名参加党课培训", "提交转正申请书",
    "整理支部会议记录", "报送优秀党员推荐材料", "确认参加红色研学的人员名单",
]  # fmt: skip
TASK_TAILS = [
    "", "，逾期不再受理", "，材料请发至支部邮箱", "，如有困难请及时联系组织委员",
    "，具体要求见附件", "，感谢配合",
]  # fmt: skip
PEOPLE = [
    "党员", "入党积极分子", "预备党员", "师生党员", "青年教师", "学生代表", "发展对象",
    "党员志愿者", "教职工党员", "研究生党员",
]  # fmt: skip
REACTIONS = [
    "讲得太好了", "学习了", "受益匪浅", "为支部点赞", "很有意义的活动", "照片拍得真好",
    "感谢组织的关怀", "下次我也要参加", "向老党员致敬", "满满的正能量", "收获很大",
    "老师辛苦了", "志愿者们辛苦了", "内容很实在", "支持这样的活动", "期待下一期",
    "已转发", "今天又是被感动的一天", "第一次参加，感觉很好", "记得带党徽哦",
]  # fmt: skip
REACTION_TAILS = ["", "！", "。", "👍", "👏👏", "❤️", "💪", "！！", "～", "🇨🇳"]
COUNTS = [12, 18, 21, 24, 30, 32, 36, 40, 45, 48, 52, 56, 60, 64, 72, 80, 86, 95, 105, 120]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _lead(rng: random.Random) -> str:
    event = rng.choice(EVENTS)
    formal = event.endswith(("会", "仪式", "比赛"))
    verb = rng.choice(["召开", "举行"] if formal else ["开展", "组织开展", "举办"])
    # Meetings and ceremonies are held at home; visits go out ("赴").
    place = rng.choice([p for p in PLACES if not (formal and p.startswith("赴"))])
    return f"{rng.choice(DATES)}，{rng.choice(ORGS)}{place}{verb}{event}。"


def _attendance(rng: random.Random) -> str:
    n, people = rng.choice(COUNTS), rng.choice(PEOPLE)
    return rng.choice(
        [
            f"活动由{rng.choice(ROLES)}{_name(rng)}主持，{n}名{people}参加。",
            f"本次活动共有{n}名{people}参加，{rng.choice(ROLES)}{_name(rng)}到会指导。",
            f"{rng.choice(ORGS)}现有党员{n}名，其中预备党员{rng.randint(2, 9)}名。",
            f"会上，{rng.choice(ROLES)}{_name(rng)}通报了本学期发展党员情况，共有{n}人递交入党申请书。",
        ]
    )


def _quote(rng: random.Random) -> str:
    return f"{rng.choice(ROLES)}{_name(rng)}{rng.choice(SAYS)}，{rng.choice(POINTS)}。"


def _reflection(rng: random.Random) -> str:
    return f"{rng.choice(OPENERS)}，{rng.choice(FEELINGS)}，{rng.choice(RESOLVES)}。"


def _notice(rng: random.Random) -> str:
    return (
        f"请{rng.choice(TARGETS)}于{rng.choice(DEADLINES)}前"
        f"{rng.choice(TASKS)}{rng.choice(TASK_TAILS)}。"
    )


def _reaction(rng: random.Random) -> str:
    return rng.choice(REACTIONS) + rng.choice(REACTION_TAILS)


COMPOSED = [(_lead, 300), (_attendance, 150), (_quote, 220), (_reflection, 220),
            (_notice, 110), (_reaction, 80)]  # fmt: skip


def composed() -> list[str]:
    rng = random.Random(105)
    written = set((HERE / "clean_written.txt").read_text(encoding="utf-8").splitlines())
    out: dict[str, None] = {}
    for make, count in COMPOSED:
        made = 0
        for _ in range(count * 20):
            sentence = make(rng)
            if sentence not in out and sentence not in written:
                out[sentence] = None
                made += 1
                if made == count:
                    break
    return list(out)


def main() -> None:
    with (HERE / "evasions.tsv").open("w", encoding="utf-8") as tsv:
        tsv.write("# term\tkind\tevasion\ttext (generated by generate.py)\n")
        for row in evasions():
            assert all("\t" not in field and "\n" not in field for field in row), row
            assert row[3].count(row[2]) == 1, row
            tsv.write("\t".join(row) + "\n")
    sentences = composed()
    (HERE / "clean_composed.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
