from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "kiemdiem.history"
    label = "history"
    verbose_name = "Kết quả các năm, khen thưởng, báo cáo"
