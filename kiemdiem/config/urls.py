from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "kiemdiem — Quản trị"
admin.site.site_title = "kiemdiem"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("kiemdiem.api.urls")),
    path("", include("kiemdiem.org.urls")),
    path("", include("kiemdiem.cycles.urls")),
    path("", include("kiemdiem.meetings.urls")),
    path("", include("kiemdiem.ballots.urls")),
    path("", include("kiemdiem.feedback.urls")),
    path("", include("kiemdiem.reviews.urls")),
    path("", include("kiemdiem.grading.urls")),
    path("", include("kiemdiem.history.urls")),
    path("", include("kiemdiem.documents.urls")),
    path("", include("kiemdiem.web.urls")),
]

# Vietnamese error pages in the site's layout, JSON under /api/ (issue 13 §6).
handler400 = "kiemdiem.web.errors.bad_request"
handler403 = "kiemdiem.web.errors.permission_denied"
handler404 = "kiemdiem.web.errors.page_not_found"
handler500 = "kiemdiem.web.errors.server_error"
