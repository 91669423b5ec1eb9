"""Index work done by the task worker, off the editor's request."""

from django_tasks import task


@task()
def update_record_index(translation_key: str) -> int:
    """Re-index one record (all its translations) after it changed."""
    from .index import index_record

    return index_record(translation_key)
