from django.urls import path

from kiemdiem.ballots import views

urlpatterns = [
    path("hoi-nghi/<int:meeting_id>/bo-phieu/", views.ballot_open, name="ballot_open"),
    path("bo-phieu/<int:ballot_id>/", views.ballot_detail, name="ballot_detail"),
    path("bo-phieu/<int:ballot_id>/phieu/", views.vote, name="ballot_vote"),
    path("bo-phieu/<int:ballot_id>/bien-nhan/", views.receipts, name="ballot_receipts"),
]
