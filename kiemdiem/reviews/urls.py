from django.urls import path

from kiemdiem.reviews import views, views_periodic, views_report

urlpatterns = [
    path("tu-kiem-diem/", views.home, name="review_home"),
    path("ky/<int:cycle_id>/tu-kiem-diem/", views.my_review, name="my_review"),
    path(
        "ky/<int:cycle_id>/tu-kiem-diem/dang-vien/<int:member_id>/",
        views.editor,
        name="review_editor",
    ),
    path("tu-kiem-diem/<int:pk>/luu/", views.autosave, name="review_autosave"),
    path(
        "ky/<int:cycle_id>/tu-kiem-diem/dang-vien/<int:member_id>/hang-quy/",
        views_periodic.record_quarter,
        name="review_quarter",
    ),
    path("tu-kiem-diem/<int:pk>/tra-lai/", views.return_review, name="review_return"),
    path("tu-kiem-diem/<int:pk>/cham-diem/", views.score, name="review_score"),
    path(
        "ky/<int:cycle_id>/chi-bo/<int:org_id>/tu-kiem-diem/", views.cell_list, name="review_cell"
    ),
    path(
        "ky/<int:cycle_id>/bao-cao-tap-the/<int:collective_id>/",
        views_report.report,
        name="collective_report",
    ),
    path("ky/<int:cycle_id>/goi-y/", views_report.suggestions, name="suggestion_list"),
    path("goi-y/<int:pk>/", views_report.suggestion, name="suggestion_detail"),
]
