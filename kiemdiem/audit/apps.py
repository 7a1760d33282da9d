from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "kiemdiem.audit"
    label = "audit"
    verbose_name = "Nhật ký thao tác"

    def ready(self) -> None:
        from kiemdiem.audit.append_only import register_sqlite_function

        # Every SQLite connection gets the function the append-only DELETE triggers ask.
        connection_created.connect(register_sqlite_function, dispatch_uid="kiemdiem_append_only")
