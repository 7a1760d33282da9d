from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kiemdiem.audit"
    label = "audit"
    verbose_name = "Nhật ký thao tác"
