"""Issue 16 §4: long work runs on Django's Tasks framework (django-tasks with its database
backend). Two `kiemdiem worker` processes started side by side against one database take
each queued task exactly once; a task's job is never run twice even if it were delivered
twice; a backend other than the database is refused by the command with a Vietnamese
message naming it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from kiemdiem.documents import jobs
from kiemdiem.documents.models import DocumentJob, JobStatus
from tests.ballots.crowd import database_url

JOBS = 6


def _queue(w: Any, count: int) -> list[DocumentJob]:
    """`count` dossier jobs of the commune, each queued as a task as `jobs.start` does."""
    made = []
    for _ in range(count):
        job = DocumentJob.objects.create(
            cycle=w.cycle, organization=w.orgs["commune"], requested_by=w.users["clerk"], total=2
        )
        jobs.queue(job)
        made.append(job)
    return made


def _worker(tmp_path: Any) -> subprocess.Popen[str]:
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "DOCUMENTS_JOB_RUNNER": "worker",
        "DOCUMENTS_OUTPUT_DIR": str(tmp_path),
        "DOCUMENTS_PDF": "false",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "kiemdiem", "worker", "--once", "--verbosity", "0"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_workers_side_by_side_take_each_task_once(dossier: Any, tmp_path: Any) -> None:
    queued = _queue(dossier, JOBS)
    workers = [_worker(tmp_path), _worker(tmp_path)]
    outputs = [w.communicate(timeout=300) for w in workers]
    for proc, (_out, err) in zip(workers, outputs, strict=True):
        assert proc.returncode == 0, err[-2000:]
    ran = [int(out.split("Đã chạy ")[1].split()[0]) for out, _ in outputs]
    assert sum(ran) == JOBS, ran  # between them, each task once
    print(f"tasks per worker: {ran}")
    results = list(DBTaskResult.objects.all())
    assert len(results) == JOBS
    for result in results:
        assert result.status == "SUCCESSFUL", result.traceback
        assert len(result.worker_ids) == 1  # claimed by one worker, never handed over
        assert result.return_value is True  # the job ran in this task (its own claim held)
    for job in queued:
        job.refresh_from_db()
        assert job.status == JobStatus.DONE and job.done == 2, job.error
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"job-{j.pk}.zip" for j in queued)


@pytest.mark.django_db
def test_a_task_delivered_twice_runs_its_job_once(
    dossier: Any, settings: Any, monkeypatch: Any
) -> None:
    """At-least-once backends (RQ after a lost acknowledgement) may deliver a task again:
    the job's own claim makes the second delivery a no-op."""
    settings.DOCUMENTS_JOB_RUNNER = "worker"
    from django_tasks_db.management.commands import db_worker

    # The test's one transaction must outlive the worker's idle reconnects.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    (job,) = _queue(dossier, 1)
    jobs.queue(job)  # the same job queued a second time
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert "Đã chạy 2 việc lập văn bản." in out.getvalue()
    values = sorted(DBTaskResult.objects.values_list("return_value", flat=True))
    assert values == [False, True]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


@pytest.mark.django_db
def test_a_job_cut_off_by_a_restart_is_marked_failed_when_a_worker_starts(
    dossier: Any, monkeypatch: Any
) -> None:
    """A worker killed mid-job leaves it running with a stopped heartbeat; the next worker
    marks it failed with the Vietnamese message before taking new work, so the office's page
    stops waiting and offers to start again."""
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    (job,) = _queue(dossier, 1)
    assert jobs.claim(job.pk)  # taken by a worker that then died
    old = timezone.now() - dt.timedelta(minutes=11)
    DocumentJob.objects.filter(pk=job.pk).update(heartbeat_at=old)
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert "Đã ghi 1 việc bị gián đoạn" in out.getvalue()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "bị gián đoạn" in job.error


def test_another_backend_needs_its_own_worker(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with pytest.raises(CommandError, match="không phải cơ sở dữ liệu"):
        call_command("worker", "--once", stdout=io.StringIO())
