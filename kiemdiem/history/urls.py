from django.urls import path

from kiemdiem.history import views

urlpatterns = [
    path("to-chuc/<int:org_id>/ket-qua-cac-nam/nhap/", views.import_page, name="history_import"),
    path("ket-qua-cac-nam/mau-nhap.<str:fmt>", views.template, name="history_template"),
    path("to-chuc/<int:org_id>/khen-thuong/", views.rewards_page, name="history_rewards"),
    path(
        "to-chuc/<int:org_id>/khen-thuong.<str:fmt>",
        views.rewards_file,
        name="history_rewards_file",
    ),
    path("to-chuc/<int:org_id>/bao-cao/", views.report_page, name="history_report"),
    path("to-chuc/<int:org_id>/bao-cao.xlsx", views.report_file, name="history_report_file"),
]
