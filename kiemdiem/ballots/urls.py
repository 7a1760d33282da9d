from django.urls import path

from kiemdiem.ballots import views, views_paper

urlpatterns = [
    path("hoi-nghi/<int:meeting_id>/bo-phieu/", views.ballot_open, name="ballot_open"),
    path("bo-phieu/<int:ballot_id>/", views.ballot_detail, name="ballot_detail"),
    path("bo-phieu/<int:ballot_id>/phieu/", views.vote, name="ballot_vote"),
    path("bo-phieu/<int:ballot_id>/bien-nhan/", views.receipts, name="ballot_receipts"),
    path("bo-phieu/<int:ballot_id>/nhap/<int:number>/", views_paper.paper_entry,
         name="ballot_entry"),
    path("bo-phieu/<int:ballot_id>/phieu-giay.docx", views_paper.papers_docx,
         name="ballot_papers_docx"),
    path("bo-phieu/<int:ballot_id>/in-phieu/", views_paper.papers_print,
         name="ballot_papers_print"),
    path("bo-phieu/<int:ballot_id>/phieu-tong-hop.docx", views_paper.tally_docx,
         name="ballot_tally_docx"),
    path("bo-phieu/<int:ballot_id>/kiem-phieu/", views_paper.ballot_count, name="ballot_count"),
    path("bo-phieu/<int:ballot_id>/bien-ban.docx", views_paper.minutes, name="ballot_minutes"),
    path("bo-phieu/<int:ballot_id>/ban-kiem-phieu/", views_paper.committee,
         name="ballot_committee"),
]  # fmt: skip
