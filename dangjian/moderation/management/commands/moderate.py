from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.moderation import services


class Command(BaseCommand):
    help = (
        "Check each line of a UTF-8 text file against the dictionary and print one JSON object "
        "per line, the object the API's /moderation/check answers. Nothing is recorded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A UTF-8 text file, or - for standard input.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            if name == "-":
                lines = sys.stdin.read().splitlines()
            else:
                lines = Path(name).read_text(encoding="utf-8-sig").splitlines()
        except FileNotFoundError as exc:
            raise CommandError(f"{name}: no such file") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{name}: not UTF-8 text (byte {exc.start + 1})") from exc
        for line in lines:
            verdict = services.check(line)
            self.stdout.write(json.dumps(verdict.as_dict(), ensure_ascii=False))
