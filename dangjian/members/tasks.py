"""Background work on rosters: thin wrappers that load by id and call the services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError

from dangjian.members.models import ImportJob
from dangjian.members.services import importing


def _job(job_id: int) -> ImportJob:
    return ImportJob.objects.select_related("created_by", "organization", "scope").get(pk=job_id)


@shared_task
def import_job_validate_task(job_id: int) -> None:
    importing.import_job_validate(job=_job(job_id), max_rows=settings.IMPORT_MAX_ROWS)


@shared_task
def import_job_commit_task(job_id: int, keep_valid: bool) -> None:
    try:
        importing.import_job_commit(
            job=_job(job_id), keep_valid=keep_valid, max_rows=settings.IMPORT_MAX_ROWS
        )
    except ValidationError:
        return  # the job records why, and its page shows it
