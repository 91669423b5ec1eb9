"""Index work done by the task worker, off the editor's request and off the
scheduler's loop."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

# A refresh started this long ago and not finished is taken to have died
# with its worker: queue another.
REFRESH_DEADLINE = timedelta(hours=2)


@task()
def update_record_index(translation_key: str) -> int:
    """Re-index one record (all its translations) after it changed."""
    from .index import index_record

    return index_record(translation_key)


@task()
def refresh_postings(language: str) -> int | None:
    """Take a new snapshot of one language's common words' postings, if one
    is still due; returns how many words it keeps (None: not due)."""
    from .kept_postings import is_stale, refresh

    if not is_stale(language):
        return None
    return refresh(language)


def queue_due_refreshes() -> list[str]:
    """Queue `refresh_postings` for every language whose snapshot is due and
    has no refresh queued or running; returns those languages.

    The scheduler calls this each run. A refresh takes minutes on a large
    archive (a quarter of an hour at 100,000 records on PostgreSQL): done in the
    scheduler's own loop it held up scheduled publishing, newsletter sends
    and harvests for as long.
    """
    from .kept_postings import is_stale

    busy = _refreshing()
    queued = [
        code
        for code, _name in settings.LANGUAGES
        if code not in busy and is_stale(code)
    ]
    for language in queued:
        refresh_postings.enqueue(language)
    return queued


def _refreshing() -> set[str]:
    """Languages whose refresh is queued or running, as far as the task
    queue shows it: the database queue does; other backends run tasks at
    once or keep no record here, and their duplicates only find nothing
    due."""
    from django.db.models import Q
    from django_tasks import TaskResultStatus
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(refresh_postings.get_backend(), DatabaseBackend):
        return set()
    rows = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.READY)
        | Q(
            status=TaskResultStatus.RUNNING,
            started_at__gte=timezone.now() - REFRESH_DEADLINE,
        ),
        task_path=refresh_postings.module_path,
    ).values_list("args_kwargs", flat=True)
    return {args_kwargs["args"][0] for args_kwargs in rows if args_kwargs["args"]}
