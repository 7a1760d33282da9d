from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "kiemdiem.documents"
    label = "documents"
    verbose_name = "Văn bản và hồ sơ"
    default_auto_field = "django.db.models.BigAutoField"
