"""Decisions refuse DELETE in the database too, not only UPDATE (issue 13 §5): an annulment
is a new row. The test runner's flush is let through as kiemdiem/audit/append_only.py says."""

from django.db import migrations

from kiemdiem.audit.append_only import drop_sql, trigger_sql

TABLE = "grading_decision"
MESSAGE = "grading_decision: quyết định xếp loại chỉ được thêm mới, không được xóa"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in trigger_sql(vendor, TABLE, MESSAGE, update=False, delete=True):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in drop_sql(vendor, TABLE, update=False, delete=True):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("grading", "0002_decision_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
