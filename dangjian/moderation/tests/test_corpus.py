"""The default dictionary against a fixed corpus (see corpus/): evasions it must catch,
ordinary Party-building sentences it must leave alone."""

from __future__ import annotations

import pytest

from dangjian.moderation.engine import Action, Engine
from dangjian.moderation.tests import corpus

MIN_RECALL = 0.98
MAX_FALSE_POSITIVES = 0.005


@pytest.fixture(scope="module")
def engine() -> Engine:
    return corpus.default_engine()


def test_the_dictionary_files_are_well_formed():
    entries = corpus.rows(corpus.DATA / "default_terms.txt")
    assert all(len(fields) == 3 for fields in entries), "every entry gives a category and action"
    terms = corpus.load_terms()
    assert {t.category for t in terms} == set(corpus.POLICIES)
    assert 150 <= len(terms) <= 300
    assert len({t.text for t in terms}) == len(terms), "duplicate terms"
    assert corpus.load_allowed()


def test_the_corpus_covers_enough_terms_and_kinds():
    categories = {t.text: t.category for t in corpus.load_terms()}
    kinds: dict[str, set[str]] = {}
    for row in corpus.evasions():
        assert row.term in categories, row
        assert row.text.count(row.evasion) == 1, row
        kinds.setdefault(row.term, set()).add(row.kind)
    assert len(kinds) >= 50
    assert all(len(k) >= 10 for k in kinds.values())
    assert {categories[t] for t in kinds} == set(corpus.POLICIES)
    assert len(corpus.clean_sentences()) >= 1000


def test_recall_on_evasions(engine):
    categories = {t.text: t.category for t in corpus.load_terms()}
    rows = corpus.evasions()
    missed = [r for r in rows if not corpus.caught(r, engine.scan(r.text).hits, categories[r.term])]
    recall = 1 - len(missed) / len(rows)
    report = "\n".join(f"  {m.term} [{m.kind}] {m.text}" for m in missed[:40])
    assert recall >= MIN_RECALL, (
        f"recall {recall:.2%} ({len(rows) - len(missed)}/{len(rows)}), "
        f"below {MIN_RECALL:.0%}; missed:\n{report}"
    )


def test_false_positives_on_clean_sentences(engine):
    sentences = corpus.clean_sentences()
    flagged = []
    for text in sentences:
        verdict = engine.scan(text)
        if verdict.hits:
            flagged.append((text, [(h.term, text[h.start : h.end]) for h in verdict.hits]))
        else:
            assert verdict.action is Action.PASS and verdict.masked_text() == text
    rate = len(flagged) / len(sentences)
    report = "\n".join(f"  {text} {hits}" for text, hits in flagged[:40])
    assert rate <= MAX_FALSE_POSITIVES, (
        f"false positives {rate:.2%} ({len(flagged)}/{len(sentences)}), "
        f"above {MAX_FALSE_POSITIVES:.1%}:\n{report}"
    )
