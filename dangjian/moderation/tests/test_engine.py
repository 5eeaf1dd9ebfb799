"""The sensitive-word engine on its own: normalization, spans, whitelist, boundaries."""

from __future__ import annotations

import ast
import itertools
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from dangjian.lib.checkdigits import gb11643_check_char
from dangjian.moderation.engine import Action, Engine, Policy, Term, Via

TERMS = [
    Term("法轮功", "political", Action.BLOCK),
    Term("共产", "political", Action.REVIEW),
    Term("六四", "political", Action.REVIEW),
    Term("傻逼", "vulgarity", Action.MASK),
    Term("ass", "vulgarity", Action.MASK),
    Term("fuck", "vulgarity", Action.MASK),
    Term("代开发票", "fraud", Action.REVIEW),
    Term("代开发票电话", "fraud", Action.BLOCK),
]
ALLOWED = ["共产党", "共产主义"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(
        TERMS,
        allowed=ALLOWED,
        policies={"vulgarity": Policy(pinyin=True, homophones=True)},
    )


def found(engine: Engine, text: str) -> list[tuple[str, str]]:
    """(term, the exact original text of the span) for each hit."""
    return [(h.term, text[h.start : h.end]) for h in engine.scan(text).hits]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("法轮功", "法轮功"),
        ("法 轮 功", "法 轮 功"),  # spaces
        ("法、轮。功", "法、轮。功"),  # punctuation
        ("法\u200b轮\ufeff功", "法\u200b轮\ufeff功"),  # zero-width characters
        ("法★轮☆功", "法★轮☆功"),  # symbols
        ("法🙂轮👍功", "法🙂轮👍功"),  # emoji
        ("法輪功", "法輪功"),  # traditional
        ("法法轮轮功功", "法法轮轮功功"),  # repeats
        ("法①轮②功", "法①轮②功"),  # decorated digits between ideographs
        ("ＦＵＣＫ", "ＦＵＣＫ"),  # full width, case
        ("Ⓕⓤⓒⓚ", "Ⓕⓤⓒⓚ"),  # enclosed letters
        ("fuuuuck", "fuuuuck"),  # a long run of one letter
        ("fuсk", "fuсk"),  # Cyrillic с
        ("f_u_c_k", "f_u_c_k"),
    ],
)
def test_every_normalization_catches_its_evasion_with_the_exact_span(engine, text, span):
    hits = found(engine, f"他说{text}了")
    assert len(hits) == 1 and hits[0][1] == span, hits


def test_spans_are_exact_around_emoji_combining_marks_and_full_width_forms(engine):
    text = "👨‍👩‍👧好ｆｕｃｋ\u0301！é法輪功🇨🇳"
    hits = engine.scan(text).hits
    assert [text[h.start : h.end] for h in hits] == ["ｆｕｃｋ\u0301", "法輪功"]
    decomposed = unicodedata.normalize("NFD", "café fuck")
    (hit,) = engine.scan(decomposed).hits
    assert decomposed[hit.start : hit.end] == "fuck"


def test_an_allowed_phrase_covering_a_term_cancels_it(engine):
    assert found(engine, "中国共产党是领导核心") == []
    assert found(engine, "共产主义远大理想") == []
    assert found(engine, "他宣扬共产思想") == [("共产", "共产")]


def test_the_longest_term_wins(engine):
    text = "代开发票电话139"
    assert found(engine, text) == [("代开发票电话", "代开发票电话")]
    assert engine.scan(text).action is Action.BLOCK


def test_latin_and_digit_terms_respect_word_boundaries(engine):
    assert found(engine, "the class assembled") == []
    assert found(engine, "my ass.") == [("ass", "ass")]
    assert found(engine, "1964年出生") == []
    assert found(engine, "纪念六四") == [("六四", "六四")]


def test_pinyin_and_homophones_only_for_the_categories_that_ask(engine):
    assert found(engine, "你这个沙比") == [("傻逼", "沙比")]
    assert found(engine, "你是shabi吗") == [("傻逼", "shabi")]
    assert found(engine, "sb一个") == [("傻逼", "sb")]
    assert engine.scan("你是shabi吗").hits[0].via is Via.PINYIN
    assert found(engine, "发轮功") == []  # political terms match as written only
    assert found(engine, "falungong") == []
    assert found(engine, "这是一个 sbc 文件") == []  # initials inside a word


def test_personal_data_is_found_and_masked(engine):
    first17 = "11010119900307851"
    id_number = first17 + gb11643_check_char(first17)
    wrong = first17 + ("0" if id_number[-1] != "0" else "1")
    text = f"联系我13812345678，身份证{id_number}，或 138 1234 5678"
    verdict = engine.scan(text)
    assert [h.category for h in verdict.hits] == ["personal_data"] * 3
    masked = verdict.masked_text()
    assert "13812345678" not in masked and "138****5678" in masked
    assert f"110***********{id_number[-4:]}" in masked
    assert found(engine, f"订单号{id_number}0") == []  # longer runs are not IDs
    assert found(engine, f"身份证{wrong}") == []  # wrong check character


def test_the_verdict_is_the_most_severe_action_and_masks_what_it_should(engine):
    verdict = engine.scan("傻逼和法轮功")
    assert verdict.action is Action.BLOCK
    assert verdict.masked_text() == "**和***"
    assert verdict.as_dict()["hits"][0] == {
        "term": "傻逼",
        "category": "vulgarity",
        "action": "mask",
        "start": 0,
        "end": 2,
    }


def test_ordinary_party_language_passes(engine):
    for text in [
        "五星红旗迎风飘扬，天安门广场举行升旗仪式。",
        "支部召开专题组织生活会，全体党员参加。",
        "学习贯彻党的二十大精神，推进全面从严治党。",
        "今天的班级活动在1号教学楼举行，assessment 表格请于周五前提交。",
    ]:
        assert engine.scan(text).action is Action.PASS, (text, engine.scan(text).hits)


def test_the_engine_imports_no_django():
    """The engine and what it imports of ours are plain Python (runnable outside Django)."""
    root = Path(__file__).resolve().parents[3]
    seen: set[str] = set()
    pending = ["dangjian.moderation.engine"]
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        tree = ast.parse((root / (module.replace(".", "/") + ".py")).read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith("django"), (module, name)
                if name.startswith("dangjian.") and (root / name.replace(".", "/")).is_dir():
                    pending += [f"{name}.{alias.name}" for alias in node.names]
                elif name.startswith("dangjian."):
                    pending.append(name)
    assert "dangjian.moderation.normalize" in seen and "dangjian.lib.checkdigits" in seen


def test_texts_and_terms_beyond_the_basic_plane_are_searched_too(engine):
    rare = "\U00020000"  # 𠀀, CJK extension B
    assert found(engine, f"{rare}法轮功{rare}") == [("法轮功", "法轮功")]
    wide = Engine([Term(f"{rare}乙", "political", Action.REVIEW)])
    assert [(h.start, h.end) for h in wide.scan(f"甲{rare} 乙").hits] == [(1, 4)]


def test_half_initial_spellings_match_but_not_inside_model_names(engine):
    assert found(engine, "你个傻B") == [("傻逼", "傻B")]
    assert found(engine, "你个s逼") == [("傻逼", "s逼")]
    assert found(engine, "S B一个") == [("傻逼", "S B")]
    pinyin_only = Engine(
        [Term("共匪", "political", Action.REVIEW)], policies={"political": Policy(pinyin=True)}
    )
    assert pinyin_only.scan("gong匪").hits and pinyin_only.scan("G匪").hits
    assert not pinyin_only.scan("5G费用已报销").hits  # 5G is a word: its G is no initial
    # Ideographs alone sound like a term only where the category asks for homophones, even
    # when the text has Latin letters elsewhere.
    assert not pinyin_only.scan("公费师范生的PPT").hits


def test_a_term_of_digits_only_is_not_a_count_of_something(engine):
    for text in ["建党64周年", "本学期发展党员64名", "校报第64期", "他今年64岁"]:
        assert found(engine, text) == [], text
    assert found(engine, "纪念六四") == [("六四", "六四")]
    assert found(engine, "纪念6 4") == [("六四", "6 4")]


def test_a_naturally_doubled_character_is_no_repeat_evasion():
    terms = [Term("他妈的", "vulgar", Action.MASK), Term("时时彩", "gambling", Action.BLOCK)]
    engine = Engine(terms, policies={"vulgar": Policy(pinyin=True, homophones=True)})
    assert [h.term for h in engine.scan("他妈的，又停电").hits] == ["他妈的"]
    assert engine.scan("他他妈妈的的").hits  # every character repeated: an evasion
    assert engine.scan("他妈妈妈的").hits  # three of one
    assert not engine.scan("看望他妈妈的时候").hits  # 妈妈 is a word
    assert not engine.scan("她妈妈的笑容").hits  # nor does it sound like one
    assert [h.term for h in engine.scan("玩时时彩").hits] == ["时时彩"]
    assert not engine.scan("各节目同时彩排").hits  # fewer repeats than the term has


def test_terms_with_numerals_sound_as_written():
    terms = [Term("王八蛋", "vulgar", Action.MASK), Term("九评共产党", "political", Action.BLOCK)]
    policies = {c: Policy(pinyin=True, homophones=True) for c in ("vulgar", "political")}
    engine = Engine(terms, allowed=ALLOWED, policies=policies)
    for text in ["王巴蛋", "wangbadan", "王8蛋", "WBD", "九①评②共③产④党", "久评共产党",
                 "9评共产党", "jiu评gong产党"]:  # fmt: skip
        assert [h.term for h in engine.scan(f"说{text}呢").hits], text


def test_rare_readings_of_a_term_do_not_make_ordinary_words_sound_like_it():
    engine = Engine(
        [Term("约炮", "vulgar", Action.REVIEW)], policies={"vulgar": Policy(homophones=True)}
    )
    assert not engine.scan("掏腰包").hits  # 约 can be read yao, 炮 bao: not in this term
    assert engine.scan("月泡").hits


@pytest.mark.parametrize("chunk", [None, 1, 3])
def test_the_prefilter_never_hides_a_match(monkeypatch, chunk):
    """Every occurrence that a plain search finds, the screened search finds too: terms of one
    character, terms at the very end, overlapping terms; and whatever the chunks the screen
    reads the text in (a pair of characters may straddle two)."""
    import random

    from dangjian.moderation import engine as module
    from dangjian.moderation.engine import _STARTS_TERM, _Places

    if chunk is not None:
        monkeypatch.setattr(module, "_FIRST_CHUNK", chunk)

    rng = random.Random(3)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 60)]
    words = {"".join(rng.choices(alphabet, k=rng.randint(1, 4))) for _ in range(300)}
    engine = Engine([Term(w, "violence", Action.BLOCK) for w in words])
    automaton = engine._terms
    for _ in range(200):
        norm = engine.normalize("".join(rng.choices([*alphabet, "天", "地"], k=rng.randint(1, 12))))
        expected = {
            (i, start, start + len(pattern))
            for i, pattern in enumerate(automaton.patterns)
            for start in range(len(norm.text))
            if norm.text.startswith(pattern, start)
        }
        at = _Places(engine._screen[norm.codes], _STARTS_TERM)
        assert set(_find(automaton, norm, at)) == expected, norm.text


def _find(automaton, norm, at):
    found = automaton.find(norm.codes, lambda: norm.units, lambda: norm.text, at)
    return zip(*(np.asarray(column).tolist() for column in found), strict=True)


def test_a_screened_scan_finds_what_an_unscreened_one_does(monkeypatch):
    """Long texts against a large dictionary are screened first: same hits, by every view."""
    import random

    from dangjian.moderation import engine as module

    rng = random.Random(5)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    size = module.SCREEN_TERMS + 100
    filler = {"".join(rng.choices(alphabet, k=rng.randint(2, 4))) for _ in range(size)}
    terms = [*TERMS, *(Term(w, "violence", Action.REVIEW) for w in filler)]
    engine = Engine(
        terms, allowed=ALLOWED, policies={"vulgarity": Policy(pinyin=True, homophones=True)}
    )
    assert engine.size >= module.SCREEN_TERMS
    planted = ["法 轮 功", "沙比", "shabi", "傻B", "六四", "fuck", "代开发票电话", "共产党",
               "13812345678"]  # fmt: skip
    pieces = [*rng.choices(alphabet, k=3000), *planted, *rng.choices(sorted(filler), k=40)]
    rng.shuffle(pieces)
    text = "，".join(pieces)
    screened = engine.scan(text)
    monkeypatch.setattr(module, "SCREEN_FROM", len(text) + 1)
    assert engine.scan(text) == screened
    assert {h.via for h in screened.hits} >= {Via.TEXT, Via.HOMOPHONE, Via.PINYIN, Via.PATTERN}


def test_the_spelled_view_writes_what_the_spelling_table_does():
    import random

    from dangjian.moderation import pinyin
    from dangjian.moderation.normalize import code_points

    table = pinyin.spelling_table()
    rng = random.Random(9)
    ranges = [(0x4E00, 0x9FA5), (0x61, 0x7A), (0x30, 0x39), (0x20000, 0x20040), (0xAC00, 0xAC10)]
    for _ in range(200):
        size = rng.choice([rng.randint(0, 20), rng.randint(60, 200)])  # by Python, by numpy
        text = "".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(size))
        pieces = [table.get(ord(c), c) for c in text]
        spelled, offsets = pinyin.spell(code_points(text))
        assert spelled.tobytes().decode("utf-32-le") == "".join(pieces), text
        assert offsets.tolist() == [0, *itertools.accumulate(map(len, pieces))], text


def test_pinyin_is_read_near_latin_letters_only_and_found_anywhere(engine):
    """A long text is spelled out only around its Latin letters: pinyin at either end, next
    to another Latin word, half in ideographs, is found with its exact span; Latin words that
    spell nothing change nothing."""
    filler = "学习贯彻党的二十大精神，推进全面从严治党向纵深发展。" * 60
    pieces = ["shabi", filler, "PPT下载", filler, "你个傻B", filler, "上传APP和sha逼", filler, "sb"]
    text = "".join(pieces)
    spans = [(h.term, text[h.start : h.end], h.via) for h in engine.scan(text).hits]
    assert spans == [
        ("傻逼", "shabi", Via.PINYIN),
        ("傻逼", "傻B", Via.PINYIN),
        ("傻逼", "sha逼", Via.PINYIN),
        ("傻逼", "sb", Via.PINYIN),
    ]
    assert not engine.scan(f"{filler}PPT{filler}ok").hits


def test_a_term_written_with_a_repeat_needs_one_wherever_the_text_is_long():
    """A term that folds to fewer characters than it has (不不 is 不, 时时彩 is 时彩) needs its
    repeat in the text: matches without one are dropped at once, the others judged."""
    terms = [Term("不不", "vulgar", Action.MASK), Term("时时彩", "gambling", Action.BLOCK)]
    engine = Engine(terms, policies={"vulgar": Policy(homophones=True)})
    filler = "党支部按时完成党费收缴，各节目同时彩排。" * 100
    assert not engine.scan(filler).hits  # no repeat anywhere
    assert not engine.scan(filler + "天天向上").hits  # a repeat elsewhere
    text = f"{filler}部部{filler}玩时时彩{filler}"
    assert [(h.term, text[h.start : h.end]) for h in engine.scan(text).hits] == [
        ("不不", "部部"),
        ("时时彩", "时时彩"),
    ]


def test_a_span_is_covered_when_one_of_some_spans_holds_it():
    import random

    from dangjian.moderation.engine import _Cover

    rng = random.Random(4)
    for _ in range(200):
        spans = [(a, a + rng.randint(1, 6)) for a in rng.choices(range(30), k=rng.randint(0, 6))]
        starts = np.array([a for a, _ in spans], dtype=np.intp)
        ends = np.array([b for _, b in spans], dtype=np.intp)
        covered = _Cover((np.zeros_like(starts), starts, ends))
        for s in range(30):
            for e in range(s + 1, s + 8):
                assert covered(s, e) == any(a <= s and e <= b for a, b in spans), (spans, s, e)


@pytest.mark.parametrize(
    "piece",
    ["my ass.", "the class", "纪念六四", "建党64周年", "你这个沙比", "你是shabi吗", "sb一个",
     "5G费用", "中国共产党", "他宣扬共产思想", "他他妈妈的的"],
)  # fmt: skip
def test_many_matches_are_judged_as_a_few_are(engine, piece):
    """Past a few matches of one automaton, numpy judges them first: the hits are the same."""
    assert found(engine, "，".join([piece] * 50)) == found(engine, piece) * 50
