from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.moderation import services
from dangjian.moderation.files import DictionaryFileError
from dangjian.moderation.models import Category


class Command(BaseCommand):
    help = (
        "Import sensitive words (or, with --phrases, allowed phrases) from a .txt or .xlsx "
        "file: one term per line, optionally followed by its category and action. All or "
        "nothing unless --keep-valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--phrases", action="store_true", help="The file lists allowed phrases."
        )
        parser.add_argument("--category", help="Category code for lines that give none.")
        parser.add_argument(
            "--keep-valid", action="store_true", help="Import the valid lines despite problems."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        category = None
        if options["category"]:
            category = Category.objects.filter(code=options["category"]).first()
            if category is None:
                codes = ", ".join(Category.objects.values_list("code", flat=True))
                raise CommandError(f"--category {options['category']}: use one of {codes}")
        try:
            result = services.dictionary_import(
                actor=None,
                content=path.read_bytes(),
                filename=path.name,
                phrases=options["phrases"],
                default_category=category,
                keep_valid=options["keep_valid"],
            )
        except DictionaryFileError as exc:
            raise CommandError(str(exc)) from exc
        for problem in result.problems:
            self.stderr.write(f"{path.name}:{problem.line}: {problem.message}")
        if not result.imported:
            raise CommandError(
                f"{len(result.problems)} lines have problems; nothing was imported "
                "(fix them, or use --keep-valid)."
            )
        self.stdout.write(
            f"{result.added} added, {result.updated} changed, {result.unchanged} already listed"
            + (f", {len(result.problems)} lines left out" if result.problems else "")
        )
