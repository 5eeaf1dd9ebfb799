"""The sensitive-word engine: throughput on clean text, latency of a comment, memory, build.

Run on one core (the engine releases no threads). The dictionary is 20,000 terms of 2 to 4
ideographs drawn from characters, and sounds, that the clean text does not use, so the text is
clean under full normalization (homophones and pinyin on for one category of four) and the
figure is the cost every ordinary text pays.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

TERMS = 20_000
SENTENCES = [
    "学习贯彻党的二十大精神，推进全面从严治党向纵深发展。",
    "支部召开专题组织生活会，全体党员参加，开展批评与自我批评。",
    "五星红旗迎风飘扬，同学们在天安门广场参观学习。",
    "本次志愿服务活动共有三十名党员参加，服务时长累计九十小时。",
    "学院党委书记为新党员讲授专题党课，勉励大家坚定理想信念。",
    "各党支部按时完成党费收缴，并在支部党员大会上通报。",
]


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _best(run: Callable[[], Any], times: int = 3) -> float:
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def figures(entry: Callable[..., Any]) -> list[Any]:
    from dangjian.moderation import pinyin
    from dangjian.moderation.engine import Action, Engine, Policy, Term
    from dangjian.moderation.normalize import fold_table

    rng = random.Random(7)
    fold_table(chinese_numerals=True)  # the tables every process builds once
    readings = pinyin.readings()
    used = set("".join(SENTENCES))
    sounds = {readings[ord(c)][0] for c in used if ord(c) in readings}
    pool = [
        chr(c)
        for c in range(0x4E00, 0x9FA6)
        if chr(c) not in used and c in readings and readings[c][0] not in sounds
    ][:3500]
    words: set[str] = set()
    while len(words) < TERMS:
        words.add("".join(rng.choice(pool) for _ in range(rng.randint(2, 4))))
    categories = ["political", "vulgarity", "violence", "fraud"]
    terms = [Term(w, categories[i % 4], Action.REVIEW) for i, w in enumerate(sorted(words))]
    policies = {"vulgarity": Policy(pinyin=True, homophones=True)}

    before = _rss_kb()
    started = time.perf_counter()
    engine = Engine(terms, allowed=["共产党", "共产主义"], policies=policies)
    build = time.perf_counter() - started
    memory = (_rss_kb() - before) / 1024

    text = "".join(rng.choice(SENTENCES) for _ in range(60_000))
    size = len(text.encode("utf-8"))
    assert not engine.scan(text).hits, "the clean text must be clean"
    throughput = size / _best(lambda: engine.scan(text)) / 1e6

    comments = [text[i : i + 500] for i in range(0, 500 * 400, 500)]
    for comment in comments[:50]:
        engine.scan(comment)
    samples = []
    for _ in range(5):
        for comment in comments:
            started = time.perf_counter()
            engine.scan(comment)
            samples.append((time.perf_counter() - started) * 1e6)
    samples.sort()
    dataset = f"{TERMS:,} terms, {size / 1e6:.1f} MB clean Chinese text, one core"
    return [
        entry("moderation: clean text, full normalization", throughput, "MB/s",
              ">= 30 MB/s", dataset),
        entry("moderation: 500-character comment (p50)", statistics.median(samples), "us",
              "", dataset),
        entry("moderation: 500-character comment (p99)", samples[int(len(samples) * 0.99)],
              "us", "< 1,000 us", dataset),
        entry("moderation: dictionary in memory (RSS growth)", memory, "MB", "", dataset),
        entry("moderation: dictionary build", build, "s", "", dataset),
    ]  # fmt: skip
