"""The committee's dossiers as a background job (issue 6 Done-when): started from the
committee's grading page, run by a thread of the web process or by `kiemdiem worker`, its
progress visible k of n with the current cell, then one .zip of every cell's dossier."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kiemdiem.documents import jobs
from kiemdiem.documents.models import DocumentJob, JobStatus


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch: Any) -> None:
    """The backend's worker closes old connections between tasks, as a request does; in a
    test wrapped in one transaction that would close it under the test (Django's own test
    case unhooks close_old_connections from requests for the same reason)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def _client(w: Any, who: str = "clerk") -> Client:
    c = Client()
    c.force_login(w.users[who])
    return c


def _start(w: Any) -> DocumentJob:
    url = reverse("documents_start_job", args=[w.cycle.pk, w.orgs["commune"].pk])
    page = reverse("grading_committee", args=[w.cycle.pk, w.orgs["commune"].pk])
    assert f'action="{url}"' in _client(w).get(page).content.decode()  # the page's button
    r = _client(w).post(url)
    assert r.status_code == 302
    return DocumentJob.objects.get(pk=int(r.url.strip("/").split("/")[-1]))


def _spy(monkeypatch: Any) -> list[tuple[int, int, str]]:
    seen: list[tuple[int, int, str]] = []
    real = jobs._report

    def report(job_id: int, done: int, total: int, current: str) -> None:
        seen.append((done, total, current))
        real(job_id, done, total, current)

    monkeypatch.setattr(jobs, "_report", report)
    return seen


def _check_zip(w: Any, job: DocumentJob) -> None:
    r = _client(w).get(reverse("document_job_download", args=[job.pk]))
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    z = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
    names = z.namelist()
    assert "01_Chi_bo_xom_1/00_MUC_LUC.txt" in names and "02_Chi_bo_xom_2/00_MUC_LUC.txt" in names
    assert "01_Chi_bo_xom_1/04_Mau_04_Bieu_tong_hop_xep_loai.docx" in names
    index2 = z.read("02_Chi_bo_xom_2/00_MUC_LUC.txt").decode()
    assert "chưa có kết quả biểu quyết" in index2 and "chưa chấm bảng điểm" in index2


@pytest.mark.django_db(transaction=True)
def test_job_runs_in_a_thread_of_the_web_process(dossier: Any, monkeypatch: Any) -> None:
    """The default runner (a laptop with `make run`): the job starts when the request
    commits, its progress moves cell by cell, and the page offers the download."""
    w = dossier
    seen = _spy(monkeypatch)
    job = _start(w)
    assert job.total == 2 and job.requested_by_id == w.users["clerk"].pk
    for _ in range(600):
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.1)
    assert job.status == JobStatus.DONE, job.error
    assert seen == [(0, 2, "Chi bộ xóm 1"), (1, 2, "Chi bộ xóm 2"), (2, 2, "")]
    assert job.done == 2 and job.seconds is not None
    page = _client(w).get(reverse("document_job", args=[job.pk])).content.decode()
    assert "2/2 chi bộ" in page and "http-equiv" not in page and "Tải hồ sơ" in page
    _check_zip(w, job)


@pytest.mark.django_db
def test_job_by_the_worker_command(dossier: Any, settings: Any, monkeypatch: Any) -> None:
    """With DOCUMENTS_JOB_RUNNER = "worker" the web process only queues; `kiemdiem worker
    --once` runs it. The page refreshes itself while waiting and shows k of n."""
    settings.DOCUMENTS_JOB_RUNNER = "worker"
    w = dossier
    job = _start(w)
    page = _client(w).get(reverse("document_job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "0/2 chi bộ" in page
    assert _start(w).pk == job.pk  # a second click while it waits makes no second job
    seen = _spy(monkeypatch)
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert "Đã chạy 1 việc lập văn bản." in out.getvalue()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and [s[0] for s in seen] == [0, 1, 2]
    assert not jobs.run(job.pk)  # claimed once: a second worker finds nothing to do
    _check_zip(w, job)


@pytest.mark.django_db
def test_outsiders_neither_start_nor_see_nor_download(dossier: Any, settings: Any) -> None:
    settings.DOCUMENTS_JOB_RUNNER = "worker"
    w = dossier
    url = reverse("documents_start_job", args=[w.cycle.pk, w.orgs["commune"].pk])
    assert _client(w, "outsider").post(url).status_code == 404
    assert _client(w, "secretary").post(url).status_code == 404  # a cell's secretary
    assert not DocumentJob.objects.exists()
    job = _start(w)
    call_command("worker", "--once", stdout=io.StringIO())
    for who in ("outsider", "member", "secretary"):
        assert _client(w, who).get(reverse("document_job", args=[job.pk])).status_code == 404
        r = _client(w, who).get(reverse("document_job_download", args=[job.pk]))
        assert r.status_code == 404


@pytest.mark.django_db
def test_a_failure_shows_a_vietnamese_message(dossier: Any, settings: Any, tmp_path: Any,
                                              monkeypatch: Any) -> None:  # fmt: skip
    """A broken template an office put in its folder fails the job with a message that
    names the template, and leaves no half-written archive behind."""
    settings.DOCUMENTS_JOB_RUNNER = "worker"
    settings.DOCUMENTS_OUTPUT_DIR = tmp_path / "out"
    broken = tmp_path / "tpl"
    broken.mkdir()
    from docx import Document

    doc = Document()
    doc.add_paragraph("{{ khong_co_truong_nay }}")
    doc.save(str(broken / "mau04.docx"))
    settings.DOCUMENT_TEMPLATES_DIR = str(broken)
    job = _start(dossier)
    call_command("worker", "--once", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Mẫu văn bản “mau04.docx” dùng một trường không có dữ liệu" in job.error
    assert list((tmp_path / "out").iterdir()) == []
    page = _client(dossier).get(reverse("document_job", args=[job.pk])).content.decode()
    assert "Không lập được hồ sơ" in page


@pytest.mark.django_db
def test_a_job_cut_off_by_a_restart_does_not_block_the_next(dossier: Any, settings: Any) -> None:
    """A running job whose heartbeat stopped ten minutes ago was cut off (the server
    restarted): the next request marks it failed with a Vietnamese message and starts anew;
    a job still beating is returned instead of a second one."""
    import datetime as dt

    from django.utils import timezone

    settings.DOCUMENTS_JOB_RUNNER = "worker"
    w = dossier
    job = _start(w)
    assert jobs.claim(job.pk)
    assert _start(w).pk == job.pk  # alive: no second job
    old = timezone.now() - dt.timedelta(minutes=11)
    DocumentJob.objects.filter(pk=job.pk).update(heartbeat_at=old)
    fresh = _start(w)
    assert fresh.pk != job.pk and fresh.status == JobStatus.QUEUED
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "bị gián đoạn" in job.error
