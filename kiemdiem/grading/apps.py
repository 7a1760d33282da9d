from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "kiemdiem.grading"
    label = "grading"
    verbose_name = "Đề xuất, quyết định xếp loại và hạn mức"
