from django.urls import path

from kiemdiem.cycles import views

urlpatterns = [
    path("ky/", views.cycle_list, name="cycle_list"),
    path("ky/mo/", views.cycle_open, name="cycle_open"),
    path("ky/<int:cycle_id>/", views.cycle_detail, name="cycle_detail"),
    path("ky/<int:cycle_id>/cap-duoi/", views.child_cycle_open, name="child_cycle_open"),
    path("ky/<int:cycle_id>/buoc/<int:step_id>/", views.step_edit, name="step_edit"),
    path("ky/<int:cycle_id>/doi-tuong/", views.subject_list, name="subject_list"),
]
