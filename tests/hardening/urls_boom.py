"""The site's URLs plus one page that fails, to see what a 500 writes to the logs."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("sự cố thử")


urlpatterns = [path("thu-loi/", boom), path("", include("kiemdiem.config.urls"))]
handler500 = "kiemdiem.web.errors.server_error"
