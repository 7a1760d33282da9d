from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "kiemdiem.feedback"
    label = "feedback"
    verbose_name = "Lấy ý kiến nhận xét đảng viên"
