from django.urls import path

from kiemdiem.org import views_io

urlpatterns = [
    path("to-chuc/<int:org_id>/nhap/", views_io.import_page, name="org_import"),
    path("to-chuc/<int:org_id>/xuat.xlsx", views_io.export_members, name="org_export"),
    path("mau-nhap/<str:what>.<str:fmt>", views_io.template_download, name="import_template"),
]
