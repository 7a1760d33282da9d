"""Decisions are append-only in the database too: an UPDATE of a decision row fails
whatever the client (design.md principle 5). DELETE is refused by the model and its
queryset and by PROTECT foreign keys; a database DELETE trigger would also stop the test
runner's table flush, so it is not added."""

from django.db import migrations

MESSAGE = "grading_decision: quyết định xếp loại chỉ được thêm mới, không được sửa"

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION grading_decision_no_update() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER grading_decision_no_update BEFORE UPDATE ON grading_decision
    FOR EACH ROW EXECUTE FUNCTION grading_decision_no_update()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS grading_decision_no_update ON grading_decision",
    "DROP FUNCTION IF EXISTS grading_decision_no_update()",
]
SQLITE = [
    f"""CREATE TRIGGER grading_decision_no_update BEFORE UPDATE ON grading_decision
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END"""
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS grading_decision_no_update"]


def _run(schema_editor, by_vendor):
    for statement in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES, "sqlite": SQLITE})


def backwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP})


class Migration(migrations.Migration):
    dependencies = [("grading", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
