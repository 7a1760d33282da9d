from django.urls import path

from kiemdiem.cycles import views, views_progress

urlpatterns = [
    path("ky/", views.cycle_list, name="cycle_list"),
    path("ky/mo/", views.cycle_open, name="cycle_open"),
    path("ky/<int:cycle_id>/", views.cycle_detail, name="cycle_detail"),
    path("ky/<int:cycle_id>/cap-duoi/", views.child_cycle_open, name="child_cycle_open"),
    path("ky/<int:cycle_id>/buoc/<int:step_id>/", views.step_edit, name="step_edit"),
    path("ky/<int:cycle_id>/doi-tuong/", views.subject_list, name="subject_list"),
    path("ky/<int:cycle_id>/tien-do/", views_progress.dashboard, name="progress"),
    path("ky/<int:cycle_id>/tien-do.xlsx", views_progress.dashboard_xlsx, name="progress_xlsx"),
    path("ky/<int:cycle_id>/nhac-viec/", views_progress.reminder_list, name="reminders"),
    path("ky/<int:cycle_id>/nhac-viec/gui/", views_progress.reminder_send, name="reminder_send"),
]
