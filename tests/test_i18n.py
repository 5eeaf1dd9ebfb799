"""The interface is Simplified Chinese by default, English on request, and fully translated."""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.test import Client, override_settings

from dangjian.testing.base import BaseTestCase

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation():
    catalog = polib.pofile(str(CATALOG))
    missing = [entry.msgid for entry in catalog if not entry.translated() or entry.obsolete]
    assert not missing, f"untranslated: {missing[:20]}"
    fuzzy = [entry.msgid for entry in catalog if "fuzzy" in entry.flags]
    assert not fuzzy


def test_placeholders_survive_translation():
    catalog = polib.pofile(str(CATALOG))
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    for entry in catalog:
        expected = sorted(pattern.findall(entry.msgid))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                assert sorted(pattern.findall(text)) == expected or entry.msgid_plural, entry.msgid


class LanguageTestCase(BaseTestCase):
    @override_settings(LANGUAGE_CODE="zh-hans")
    def test_the_default_interface_is_chinese(self):
        response = Client().get("/accounts/login/")
        self.assertContains(response, 'lang="zh-CN"')
        self.assertContains(response, "登录")
        self.assertContains(response, "智慧党建")
        home = self.client_for("secretary1").get("/")
        self.assertContains(home, "工作台")

    @override_settings(LANGUAGE_CODE="zh-hans")
    def test_english_can_be_chosen(self):
        client = Client()
        client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
        response = client.get("/accounts/login/")
        self.assertContains(response, "Sign in")
        self.assertContains(response, 'lang="en"')

    @override_settings(LANGUAGE_CODE="zh-hans")
    def test_validation_errors_are_chinese_and_name_the_rule(self):
        client = self.client_for("secretary1")
        response = client.post(
            "/members/new/",
            {
                "organization": "B11",
                "origin": "registered",
                "name": "张三",
                "id_number": "110101200801010011",
                "ethnicity": "01",
                "education": "bachelor",
                "category": "undergraduate",
                "status": "full",
                "joined_on": "2024-03-01",
                "full_member_on": "2025-03-01",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "公民身份号码")
