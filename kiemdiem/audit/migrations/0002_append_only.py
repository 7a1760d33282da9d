"""The audit log is append-only in the database: UPDATE and DELETE are refused by trigger on
SQLite and PostgreSQL (issue 13 §5; kiemdiem/audit/append_only.py)."""

from django.db import migrations

from kiemdiem.audit.append_only import drop_sql, trigger_sql

TABLE = "audit_auditentry"
MESSAGE = "audit_auditentry: nhật ký thao tác chỉ được thêm mới, không được sửa hay xóa"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in trigger_sql(vendor, TABLE, MESSAGE, update=True, delete=True):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in drop_sql(vendor, TABLE, update=True, delete=True):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
