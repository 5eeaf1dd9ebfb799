from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.members.services import importing
from dangjian.orgs.models import Organization


class Command(BaseCommand):
    help = (
        "Import a roster from an .xlsx file into the subtree of --org. Nothing is written when "
        "any row is bad, unless --keep-valid; exits non-zero when the file is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="Code of the receiving organization.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument("--keep-valid", action="store_true", help="Import the valid rows.")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organization.objects.filter(code=options["org"], is_active=True).first()
        if org is None:
            raise CommandError(f"No active organization has the code {options['org']!r}.")
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        default = org if org.kind == Organization.Kind.BRANCH else None
        with path.open("rb") as handle:
            parsed = importing.parse_roster(
                handle, scope=org, default_org=default, max_rows=settings.IMPORT_MAX_ROWS
            )
        if parsed.file_error:
            raise CommandError(parsed.file_error)
        for error in parsed.errors:
            self.stderr.write(f"row {error.row} {error.header}: {error.message}")
        self.stdout.write(
            f"{parsed.total} rows: {len(parsed.valid)} valid, {len(parsed.error_rows)} with errors"
        )
        if options["dry_run"]:
            if parsed.errors:
                raise CommandError("The file has errors.")
            return
        try:
            members = importing.import_rows(
                actor=None,
                parsed=parsed,
                keep_valid=options["keep_valid"],
                scope=org,
                label=path.name,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {len(members)} members."))
