from django.urls import path

from kiemdiem.feedback import views

urlpatterns = [
    path("ky/<int:cycle_id>/nhan-xet/", views.cycle_requests, name="feedback_cycle"),
    path("nhan-xet/den/", views.inbox, name="feedback_inbox"),
    path("nhan-xet/<int:pk>/", views.detail, name="feedback_detail"),
]
