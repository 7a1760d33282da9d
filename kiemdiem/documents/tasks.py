"""Document work as tasks of Django's Tasks framework (`django.tasks`, through the
django-tasks backport on Django 5.2). The backend is a setting (TASKS): the database
backend by default, so the embedded install needs no extra service; a province can name an
RQ or Celery backend instead and run that backend's worker.

The task carries only the job's id: the DocumentJob row keeps the progress and the result
that every app server shows, and its claim (queued -> running, one conditional UPDATE)
stays the guard that a job runs once even if a backend delivered a task twice."""

from __future__ import annotations

import os
import threading

from django.conf import settings
from django_tasks import task
from django_tasks.base import DEFAULT_TASK_QUEUE_NAME

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


@task()
def make_committee_dossiers(job_id: int) -> bool:
    """Run one committee's dossier job; True when this call ran it."""
    from kiemdiem.documents import jobs  # jobs queues this task: import at call time

    return jobs.run(job_id)


def on_database_backend() -> bool:
    return bool(settings.TASKS["default"]["BACKEND"] == DATABASE_BACKEND)


def drain() -> None:
    """Run every ready task of the default queue in this thread, then return: the web
    process's own worker where DOCUMENTS_JOB_RUNNER = "thread" (a laptop with `make run`).
    It is the backend's worker, so a thread and `kiemdiem worker` processes side by side
    claim each task once (row locks on PostgreSQL, an exclusive transaction on SQLite)."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker_id = f"web-{os.getpid()}-{threading.get_ident()}"[:64]
    Worker(
        queue_names=[DEFAULT_TASK_QUEUE_NAME],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()
