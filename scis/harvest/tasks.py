"""Harvest runs done by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from .models import Job, Source


@task()
def harvest_source_task(source_id: int, job_id: int | None = None) -> dict:
    """Run one source in its queued job; returns the job's counts."""
    from .pipeline import harvest_source

    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return {"error": f"No harvest source with id {source_id}."}
    job = Job.objects.filter(pk=job_id, source=source).first() if job_id else None
    if job is not None and job.status not in (Job.Status.QUEUED, Job.Status.RUNNING):
        # The reaper gave up on it already; a later run is queued instead.
        return {"error": f"Job {job_id} already ended ({job.status})."}
    result = harvest_source(source, trigger=job.trigger if job else "schedule", job=job)
    done = result.job
    return {
        "job": done.pk,
        "status": done.status,
        "new": done.new,
        "updated": done.updated,
        "unchanged": done.unchanged,
        "duplicates": done.duplicates,
        "errors": done.errors,
        "removed": done.removed,
    }
