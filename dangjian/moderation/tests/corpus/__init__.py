"""The moderation corpus: the default dictionary's evasions and ordinary sentences, and the
readers that the corpus test and the bench share.

evasions.tsv holds terms of data/default_terms.txt written in evasive ways, each set in a
sentence; clean_written.txt and clean_composed.txt hold ordinary Party-building news and
comments. generate.py wrote evasions.tsv and clean_composed.txt; the files are the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dangjian.moderation.engine import Action, Engine, Hit, Policy, Term

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "data"
# The product's default policies (defaults.py): sounds where evasion by sound is common.
POLICIES = {
    "political": Policy(pinyin=True, homophones=True),
    "vulgar": Policy(pinyin=True, homophones=True),
    "violence": Policy(),
    "fraud": Policy(),
    "gambling_drugs": Policy(),
}


@dataclass(frozen=True)
class Evasion:
    term: str
    kind: str
    evasion: str
    text: str

    @property
    def span(self) -> tuple[int, int]:
        start = self.text.index(self.evasion)
        return start, start + len(self.evasion)


def rows(path: Path) -> list[list[str]]:
    """Tab-separated fields of each line that is neither blank nor a # comment."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def load_terms(path: Path = DATA / "default_terms.txt") -> list[Term]:
    """The .txt dictionary format: term, then optionally category and action, tab-separated
    (the shipped file always gives both)."""
    terms = []
    for fields in rows(path):
        text, category, action = [*fields, "", ""][:3]
        terms.append(Term(text.strip(), category.strip() or "political",
                          Action(action.strip() or "review")))  # fmt: skip
    return terms


def load_allowed(path: Path = DATA / "default_allowed.txt") -> list[str]:
    return [fields[0].strip() for fields in rows(path)]


def default_engine() -> Engine:
    """The engine a new installation starts with."""
    return Engine(load_terms(), allowed=load_allowed(), policies=POLICIES, chinese_numerals=True)


def evasions() -> list[Evasion]:
    return [Evasion(*fields) for fields in rows(HERE / "evasions.tsv")]


def clean_sentences() -> list[str]:
    return [
        line
        for name in ("clean_written.txt", "clean_composed.txt")
        for line in (HERE / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def caught(evasion: Evasion, hits: list[Hit] | tuple[Hit, ...], category: str) -> bool:
    """A hit of the evaded term on the evasion, or one of its category covering it."""
    start, end = evasion.span
    return any(
        (hit.term == evasion.term and hit.start < end and start < hit.end)
        or (hit.category == category and hit.start <= start and end <= hit.end)
        for hit in hits
    )
