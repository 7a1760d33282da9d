from django.urls import path, re_path

from kiemdiem.api import views
from kiemdiem.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    # Anything else under /api/ answers in JSON too: a client never has to parse a web page.
    re_path(r"^api/", views.api_not_found),
    path("tai-khoan/khoa-api/", views.token_list, name="api_tokens"),
    path("tai-khoan/khoa-api/<int:pk>/thu-hoi/", views.token_revoke, name="api_token_revoke"),
]
