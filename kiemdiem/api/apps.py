from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kiemdiem.api"
    label = "api"
    verbose_name = "API và khóa truy cập"
