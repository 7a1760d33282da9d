"""Running document jobs as tasks of Django's Tasks framework (documents/tasks.py): each job
is queued as a task in the same transaction that records it. By default a thread of the
web process runs the queue once the request commits (a laptop with `make run` needs
nothing else); with DOCUMENTS_JOB_RUNNER = "worker" the web process only queues and
`kiemdiem worker` (the backend's worker) runs them (several app servers).

The backend's worker claims each task once; the job itself is also claimed with one
conditional UPDATE (queued -> running), so a thread and a worker, or two workers, never run
the same job twice. Progress is written after each cell, so any
server shows it. The result is written to a temporary file and renamed into place: a
download never sees half an archive."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from kiemdiem.accounts.access import Action, Kind, can_at
from kiemdiem.audit.models import record
from kiemdiem.cycles.models import Cycle
from kiemdiem.documents import dossier, tasks
from kiemdiem.documents.models import DocumentJob, JobStatus
from kiemdiem.documents.render import DocumentError
from kiemdiem.org.models import Organization

log = logging.getLogger(__name__)
DENIED = "Đồng chí không có quyền lập hồ sơ của tổ chức này."
STALE = dt.timedelta(minutes=10)
CUT_OFF = "Việc lập hồ sơ bị gián đoạn (máy chủ khởi động lại giữa chừng). Đồng chí bấm lập lại."
FAILED = "Không lập được hồ sơ: {}. Đồng chí thử lại; nếu vẫn lỗi, báo quản trị hệ thống."


def output_dir() -> Path:
    path = Path(settings.DOCUMENTS_OUTPUT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def may_start(user: Any, org: Organization) -> bool:
    return can_at(user, Action.EXPORT, Kind.DECISION, org)


@transaction.atomic
def start(user: Any, cycle: Cycle, org: Organization, *, pdf: bool = False) -> DocumentJob:
    """Queue the dossiers of every cell of `org`; the thread starts once this commits. A
    job of the same organization still queued or running is returned instead of a second."""
    if not may_start(user, org):
        raise PermissionDenied(DENIED)
    thread = getattr(settings, "DOCUMENTS_JOB_RUNNER", "thread") == "thread"
    running = (
        DocumentJob.objects.select_for_update()
        .filter(cycle=cycle, organization=org, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .first()
    )
    if running is not None and _stale(running):
        DocumentJob.objects.filter(pk=running.pk).update(
            status=JobStatus.FAILED, error=CUT_OFF, finished_at=timezone.now()
        )
    elif running is not None:
        if thread and running.status == JobStatus.QUEUED:
            # Queued by a process that is gone: a thread here runs the queue (claimed once).
            transaction.on_commit(spawn)
        return running
    job = DocumentJob.objects.create(
        cycle=cycle, organization=org, pdf=pdf, requested_by=user,
        total=len(dossier.committee_cells(org)),
    )  # fmt: skip
    record(user, "start_dossier_job", job, new={"organization": org.pk, "pdf": pdf})
    queue(job)
    if thread:
        transaction.on_commit(spawn)
    return job


def queue(job: DocumentJob) -> str:
    """Queue `job` as a task, inside the caller's transaction: the job and its task are
    recorded together or not at all. Returns the task's id."""
    return str(tasks.make_committee_dossiers.enqueue(job.pk).id)


def _stale(job: DocumentJob) -> bool:
    beat = job.heartbeat_at or job.started_at
    return job.status == JobStatus.RUNNING and (beat is None or beat < timezone.now() - STALE)


def spawn() -> threading.Thread | None:
    """Run the task queue in a thread of this process (DOCUMENTS_JOB_RUNNER = "thread").
    Only the database backend can be drained here; another backend has its own worker."""
    if not tasks.on_database_backend():
        return None
    thread = threading.Thread(target=_in_thread, daemon=True, name="kiemdiem-tasks")
    thread.start()
    return thread


def fail_cut_off() -> int:
    """Mark failed, with the Vietnamese message, every running job whose heartbeat stopped:
    its worker was killed or the server restarted mid-job. Workers call it when they start,
    so the office's page says what happened instead of waiting for ever."""
    return DocumentJob.objects.filter(
        status=JobStatus.RUNNING, heartbeat_at__lt=timezone.now() - STALE
    ).update(status=JobStatus.FAILED, error=CUT_OFF, finished_at=timezone.now())


def _in_thread() -> None:
    try:
        fail_cut_off()
        tasks.drain()
    finally:
        connection.close()  # the thread's own connection: never leak it


def claim(job_id: int) -> bool:
    return (
        DocumentJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
        )
        == 1
    )


def _report(job_id: int, done: int, total: int, current: str) -> None:
    DocumentJob.objects.filter(pk=job_id).update(
        done=done, total=total, current=current[:200], heartbeat_at=timezone.now()
    )


def run(job_id: int) -> bool:
    """Run one job if it is still queued; True when this call ran it."""
    if not claim(job_id):
        return False
    job = DocumentJob.objects.select_related("cycle", "organization", "requested_by").get(pk=job_id)
    target = output_dir() / f"job-{job.pk}.zip"
    partial = target.with_suffix(".part")
    try:
        with partial.open("wb") as f:
            dossier.committee_zip(
                job.requested_by, job.cycle, job.organization, f,
                lambda done, total, current: _report(job.pk, done, total, current),
                pdf=job.pdf,
            )  # fmt: skip
        os.replace(partial, target)
    except Exception as exc:  # the office sees a message, the log the traceback
        log.exception("document job %s failed", job_id)
        partial.unlink(missing_ok=True)
        DocumentJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error=FAILED.format(_why(exc)), finished_at=timezone.now()
        )
        return True
    name = f"Ho_so_{dossier.slug(job.organization.name)}_{job.cycle.year}.zip"
    DocumentJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, result=target.name, result_name=name, current="",
        finished_at=timezone.now(),
    )  # fmt: skip
    return True


def _why(exc: Exception) -> str:
    if isinstance(exc, DocumentError | PermissionDenied):
        return str(exc).rstrip(".")
    if isinstance(exc, OSError):
        return "không ghi được tệp trên máy chủ (hết chỗ hoặc không có quyền ghi)"
    return "lỗi không lường trước khi lập văn bản"


def result_path(job: DocumentJob) -> Path | None:
    if job.status != JobStatus.DONE or not job.result:
        return None
    path = output_dir() / job.result
    return path if path.is_file() else None
