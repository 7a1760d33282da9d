from django.contrib.auth import views as auth_views
from django.urls import path

from kiemdiem.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="web/login.html"),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("to-chuc/<int:org_id>/", views.organization, name="organization"),
    path("to-chuc/<int:org_id>/dang-vien/", views.member_list, name="member_list"),
    path("dang-vien/<int:member_id>/", views.member_detail, name="member_detail"),
]
