from django.urls import path

from kiemdiem.meetings import views

urlpatterns = [
    path("ky/<int:cycle_id>/hoi-nghi/", views.meeting_list, name="meeting_list"),
    path("ky/<int:cycle_id>/hoi-nghi/moi/", views.meeting_new, name="meeting_new"),
    path("hoi-nghi/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("hoi-nghi/<int:meeting_id>/bien-ban/", views.meeting_print, name="meeting_print"),
    path("hoi-nghi/<int:meeting_id>/diem-danh/", views.attendance_save, name="attendance_save"),
    path("hoi-nghi/<int:meeting_id>/thanh-phan/", views.people_save, name="meeting_people"),
    path("hoi-nghi/<int:meeting_id>/trang-thai/", views.meeting_status, name="meeting_status"),
    path("hoi-nghi/<int:meeting_id>/muc/<int:item_id>/", views.item_minutes, name="item_minutes"),
    path(
        "hoi-nghi/<int:meeting_id>/muc/<int:item_id>/chuyen/",
        views.item_move,
        name="item_move",
    ),
]
