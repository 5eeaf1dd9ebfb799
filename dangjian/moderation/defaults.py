"""The dictionary a new installation starts with: the categories, and the curated terms and
allowed phrases in data/ (written for this product, not copied from public lists). Each
university adds its own through the dictionary pages or `manage.py import_sensitive_words`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dangjian.moderation import dictionary
from dangjian.moderation.engine import PERSONAL_DATA
from dangjian.moderation.models import ActionChoice, AllowedPhrase, Category, Dictionary, Term

DATA = Path(__file__).resolve().parent / "data"

# code, name, default action, pinyin, homophones
CATEGORIES = [
    ("political", _("Politically harmful"), ActionChoice.REVIEW, True, True),
    ("vulgar", _("Vulgar or abusive"), ActionChoice.MASK, True, True),
    ("violence", _("Violence and terror"), ActionChoice.BLOCK, False, False),
    ("fraud", _("Fraud and advertising"), ActionChoice.REVIEW, False, False),
    ("gambling_drugs", _("Gambling and drugs"), ActionChoice.BLOCK, False, False),
    (PERSONAL_DATA, _("Personal data"), ActionChoice.MASK, False, False),
]


def _lines(name: str) -> list[list[str]]:
    path = DATA / name
    if not path.exists():
        return []
    return [
        [part.strip() for part in line.split("\t")]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def install_categories() -> dict[str, Category]:
    """Category names are data in the university's language, as organization names are."""
    with translation.override(settings.LANGUAGE_CODE):
        return _install_categories()


def _install_categories() -> dict[str, Category]:
    categories = {}
    for position, (code, name, action, pinyin, homophones) in enumerate(CATEGORIES):
        categories[code], _created = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": str(name),
                "default_action": action,
                "pinyin": pinyin,
                "homophones": homophones,
                "position": position,
            },
        )
    return categories


def install_defaults(**kwargs: Any) -> None:
    """On a new database (no dictionary row yet): the categories, terms and allowed phrases."""
    if Dictionary.objects.filter(pk=dictionary.DICTIONARY_ID).exists():
        return
    with transaction.atomic():
        categories = install_categories()
        terms: dict[str, Term] = {}
        for text, code, *rest in _lines("default_terms.txt"):
            category = categories[code]
            folded = dictionary.fold(text)
            if folded and folded not in terms:
                action = rest[0] if rest else category.default_action
                terms[folded] = Term(text=text, folded=folded, category=category, action=action)
        Term.objects.bulk_create(terms.values())
        phrases = {dictionary.fold(text): text for text, *_ in _lines("default_allowed.txt")}
        AllowedPhrase.objects.bulk_create(
            AllowedPhrase(text=text, folded=folded) for folded, text in phrases.items() if folded
        )
        Dictionary.objects.create(pk=dictionary.DICTIONARY_ID)
    dictionary.forget()
