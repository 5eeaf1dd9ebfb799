"""Shared set-up of the contribution tests: the test university, a private media folder, and
quick ways to send and decide contributions."""

from __future__ import annotations

import io
import shutil
import tempfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from dangjian.content import services as content
from dangjian.contributions import services
from dangjian.contributions.models import Contribution
from dangjian.moderation import dictionary
from dangjian.moderation.models import Category
from dangjian.moderation.services import term_save
from dangjian.testing.base import BaseTestCase

TEXT = "支部组织党员参观纪念馆，重温入党誓词。\n大家深受教育，表示要立足岗位作贡献。"


def png(name: str = "photo.png", color: tuple[int, int, int] = (200, 22, 29)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


class ContributionTestCase(BaseTestCase):
    def setUp(self) -> None:
        # Each test's dictionary is rolled back with it; the engine must not outlive the test.
        dictionary.forget()
        self.addCleanup(dictionary.forget)
        media = tempfile.mkdtemp(prefix="dangjian-contributions-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        override = override_settings(MEDIA_ROOT=media)
        override.enable()
        self.addCleanup(override.disable)

    def user(self, persona: str) -> Any:
        return self.uni.user(persona)

    def add_term(self, text: str, category: str, action: str) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            term_save(
                actor=None, text=text, category=Category.objects.get(code=category), action=action
            )

    def picture(self, persona: str = "member1", name: str = "photo.png") -> Any:
        return content.upload_create(actor=self.user(persona), file=png(name), kind="image")

    def submit(self, persona: str = "member1", **fields: Any) -> Contribution:
        data = {"title": "支部主题党日活动", "text": TEXT, "section": "news"} | fields
        result = services.contribution_submit(
            actor=self.user(persona), data=services.ArticleInput(**data)
        )
        return result.contribution

    def fresh(self, contribution: Contribution) -> Contribution:
        return Contribution.objects.select_related("target", "item").get(pk=contribution.pk)
