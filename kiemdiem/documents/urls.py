from django.urls import path

from kiemdiem.documents import views

urlpatterns = [
    path(
        "ky/<int:cycle_id>/van-ban/chi-bo/<int:org_id>/",
        views.cell_documents,
        name="documents_cell",
    ),
    path(
        "ky/<int:cycle_id>/van-ban/chi-bo/<int:org_id>/mau-11/<int:member_id>.docx",
        views.leader_file,
        name="documents_leader",
    ),
    path(
        "ky/<int:cycle_id>/van-ban/chi-bo/<int:org_id>/<str:name>",
        views.cell_file,
        name="documents_cell_file",
    ),
    path(
        "ky/<int:cycle_id>/van-ban/co-so/<int:org_id>/ho-so/",
        views.start_job,
        name="documents_start_job",
    ),
    path("van-ban/viec/<int:pk>/", views.job_page, name="document_job"),
    path("van-ban/viec/<int:pk>/tai-ve/", views.job_download, name="document_job_download"),
    path("hoi-nghi/<int:meeting_id>/van-ban/<str:name>", views.meeting_file, name="meeting_file"),
    path("tu-kiem-diem/<int:pk>/mau-02.docx", views.self_review_file, name="self_review_file"),
    path("tu-kiem-diem/<int:pk>/mau-05.docx", views.quarterly_file, name="quarterly_file"),
    path("quyet-dinh/<int:pk>/mau-03.docx", views.re_rating_file, name="re_rating_file"),
    path("nhan-xet/<int:pk>/mau-03.docx", views.feedback_file, name="feedback_file"),
    path("bao-cao-tap-the/<int:pk>/mau-01.docx", views.report_file, name="report_file"),
]
