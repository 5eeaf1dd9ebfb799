"""Importing and exporting the dictionary: .txt and .xlsx, the validation report, all or
nothing, and the command line."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from dangjian.lib.excel import read_rows, write_workbook
from dangjian.moderation import services
from dangjian.moderation.models import AllowedPhrase, Category, Term
from dangjian.testing.base import BaseTestCase


def _import(content: bytes, filename: str = "words.txt", **options):
    return services.dictionary_import(actor=None, content=content, filename=filename, **options)


class ImportTests(BaseTestCase):
    def test_a_txt_file_with_categories_and_actions_by_code_or_name(self):
        content = "\n".join(
            [
                "# 我校补充词表",
                "甲乙丙丁\tpolitical\tblock",
                f"戊己庚辛,{Category.objects.get(code='fraud').name},送审",
                "壬癸子丑|vulgar",
            ]
        ).encode()
        result = _import(content)
        assert (result.imported, result.added, result.problems) == (True, 3, [])
        terms = {
            t.text: (t.category.code, t.action)
            for t in Term.objects.filter(text__in=["甲乙丙丁", "戊己庚辛", "壬癸子丑"])
        }
        assert terms == {
            "甲乙丙丁": ("political", "block"),
            "戊己庚辛": ("fraud", "review"),
            "壬癸子丑": ("vulgar", "mask"),  # the category's default action
        }

    def test_problems_are_reported_by_line_and_nothing_is_written(self):
        before = Term.objects.count()
        lines = [
            "好词一\tpolitical",
            "好词二\t没有这类",
            "好词三\tpolitical\t罚款",
            "！！\tpolitical",
        ]
        content = "\n".join([*lines, "好词一\tpolitical"]).encode()
        result = _import(content)
        assert not result.imported
        assert [(p.line, p.field) for p in result.problems] == [
            (2, "category"),
            (3, "action"),
            (4, "text"),
            (5, "text"),
        ]
        assert "没有这类" in result.problems[0].message
        political = Category.objects.get(code="political").name
        assert political in result.problems[0].message  # names the categories to use
        assert Term.objects.count() == before

    def test_keep_valid_imports_the_good_lines(self):
        result = _import("好词一\tpolitical\n好词二\t没有这类\n".encode(), keep_valid=True)
        assert result.imported and result.added == 1 and len(result.problems) == 1
        assert Term.objects.filter(text="好词一").exists()

    def test_lines_without_a_category_need_a_default(self):
        result = _import("只有词语\n".encode())
        assert not result.imported and result.problems[0].field == "category"
        result = _import("只有词语\n".encode(), default_category=Category.objects.get(code="fraud"))
        assert result.added == 1

    def test_a_term_already_listed_is_updated_not_duplicated(self):
        _import("重复的词\tpolitical\treview\n".encode())
        result = _import("重 复 的 詞\tpolitical\tblock\n".encode())
        assert (result.added, result.updated) == (0, 1)
        assert Term.objects.get(folded="重复的词").action == "block"

    def test_a_file_that_is_not_utf8_is_refused_whole(self):
        from dangjian.moderation.files import DictionaryFileError

        with pytest.raises(DictionaryFileError, match="UTF-8"):
            _import("词语".encode("gbk"))

    def test_an_xlsx_file_with_headings(self):
        workbook = write_workbook(
            [
                ["表格词一", Category.objects.get(code="violence").name, "拦截"],
                ["表格词二", "fraud", ""],
            ],
            headers=["词语", "分类", "处理方式"],
        )
        result = _import(workbook.read(), filename="words.xlsx")
        assert result.added == 2 and not result.problems
        assert Term.objects.get(text="表格词一").action == "block"

    def test_allowed_phrases(self):
        result = _import("第一个白名单短语\n第二个白名单短语\n".encode(), phrases=True)
        assert result.added == 2
        assert AllowedPhrase.objects.filter(text="第一个白名单短语").exists()


class ExportTests(BaseTestCase):
    def test_the_export_reads_back_in(self):
        _import("导出的词\tviolence\tblock\n".encode())
        client = self.client_for("editor1")
        txt = b"".join(
            client.get("/moderation/dictionary/export/?kind=terms&format=txt").streaming_content
        )
        assert "导出的词\tviolence\tblock" in txt.decode()
        xlsx = b"".join(
            client.get("/moderation/dictionary/export/?kind=terms&format=xlsx").streaming_content
        )
        rows = [values for _, values in read_rows(io.BytesIO(xlsx), max_rows=10_000)]
        assert ("导出的词", "暴力恐怖", "拒绝发布") in [tuple(r) for r in rows] or any(
            r[0] == "导出的词" for r in rows
        )
        Term.objects.filter(text="导出的词").delete()
        assert _import(txt).added >= 1
        assert _import(xlsx, filename="back.xlsx").problems == []


class CommandTests(BaseTestCase):
    def test_import_sensitive_words(self, tmp_path=None):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "words.txt"
            path.write_text("命令行词\tpolitical\tblock\n", encoding="utf-8")
            out = io.StringIO()
            call_command("import_sensitive_words", str(path), stdout=out)
            assert "1 added" in out.getvalue()
            path.write_text("坏行\t没有这类\n", encoding="utf-8")
            with pytest.raises(CommandError, match="nothing was imported"):
                call_command("import_sensitive_words", str(path), stderr=io.StringIO())

    def test_moderate_prints_one_json_object_per_line_as_the_api_answers(self):
        import tempfile
        from pathlib import Path

        with self.captureOnCommitCallbacks(execute=True):
            _import("命令行词\tpolitical\tblock\n".encode())
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "texts.txt"
            path.write_text("普通的一句话\n这里有命令行词😀\n", encoding="utf-8")
            out = io.StringIO()
            call_command("moderate", str(path), stdout=out)
        lines = [json.loads(line) for line in out.getvalue().splitlines()]
        assert lines[0] == {"action": "pass", "hits": []}
        assert lines[1] == {
            "action": "block",
            "hits": [
                {
                    "term": "命令行词",
                    "category": "political",
                    "action": "block",
                    "start": 3,
                    "end": 7,
                }
            ],
        }
        api = self.client_for("editor1").post(
            "/api/v1/moderation/check",
            {"text": "这里有命令行词😀"},
            content_type="application/json",
        )
        assert api.json() == lines[1]


class PhraseRoundTripTests(BaseTestCase):
    def test_allowed_phrases_exported_in_chinese_read_back_unchanged(self):
        from django.utils import translation

        _import("第一个白名单短语\n".encode(), phrases=True)
        before = set(AllowedPhrase.objects.values_list("text", flat=True))
        with translation.override("zh-hans"):
            response = self.client_for("editor1").get(
                "/moderation/dictionary/export/?kind=phrases&format=xlsx",
                HTTP_ACCEPT_LANGUAGE="zh-hans",
            )
            content = b"".join(response.streaming_content)
            result = _import(content, filename="back.xlsx", phrases=True)
        assert result.added == 0
        assert set(AllowedPhrase.objects.values_list("text", flat=True)) == before
