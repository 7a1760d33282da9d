from django.urls import path

from kiemdiem.grading import views, views_results, views_tree

urlpatterns = [
    path("ket-qua-cua-toi/", views_results.mine, name="my_results"),
    path("dang-vien/<int:member_id>/ket-qua/", views_results.results, name="member_results"),
    path("ky/<int:cycle_id>/xep-loai/", views.home, name="grading_home"),
    path("ky/<int:cycle_id>/xep-loai/chi-bo/<int:org_id>/", views.cell, name="grading_cell"),
    path(
        "ky/<int:cycle_id>/xep-loai/chi-bo/<int:org_id>/nhap-ket-qua/",
        views.tally,
        name="grading_tally",
    ),
    path(
        "ky/<int:cycle_id>/xep-loai/dang-vien/<int:member_id>/dieu-kien/",
        views.conditions,
        name="grading_conditions",
    ),
    path(
        "ky/<int:cycle_id>/xep-loai/dang-vien/<int:member_id>/lich-su/",
        views.member_history,
        name="grading_history",
    ),
    path(
        "ky/<int:cycle_id>/xep-loai/co-so/<int:org_id>/",
        views_tree.committee,
        name="grading_committee",
    ),
    path(
        "ky/<int:cycle_id>/xep-loai/cap-tren/<int:org_id>/",
        views_tree.superior,
        name="grading_superior",
    ),
    path(
        "ky/<int:cycle_id>/xep-loai/don-vi/<int:org_id>/",
        views_tree.unit_board,
        name="grading_units",
    ),
    path(
        "ky/<int:cycle_id>/xep-loai/don-vi/<int:org_id>/bang-diem/<str:key>/",
        views_tree.sheet,
        name="grading_sheet",
    ),
]
