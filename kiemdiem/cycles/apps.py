from django.apps import AppConfig


class CyclesConfig(AppConfig):
    name = "kiemdiem.cycles"
    label = "cycles"
    verbose_name = "Kế hoạch kiểm điểm hằng năm"
