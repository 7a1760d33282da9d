from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "kiemdiem.meetings"
    label = "meetings"
    verbose_name = "Hội nghị kiểm điểm"
