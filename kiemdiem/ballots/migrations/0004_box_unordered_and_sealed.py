"""The ballot box's storage (issue 12 §2 and the closed-box rule):

- On SQLite a table keyed by text still stores its rows by a hidden, increasing rowid, so
  the physical order is the casting order. The box is rebuilt WITHOUT ROWID: rows live in
  the order of their random 128-bit keys, nothing else.
- A closed box refuses UPDATE and DELETE by trigger on both databases, so nobody — not the
  application, not an operator with a SQL prompt — rewrites a counted box in place.
"""

from django.db import migrations

REFUSE = "Hòm phiếu đã đóng: không được sửa hay xóa phiếu."

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER ballots_box_closed_no_{op.lower()}
    BEFORE {op} ON ballots_boxentry
    WHEN (SELECT status FROM ballots_ballot WHERE id = OLD.ballot_id) = 'closed'
    BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END;"""
    for op in ("UPDATE", "DELETE")
]

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION ballots_box_closed_guard() RETURNS trigger AS $$
BEGIN
    IF (SELECT status FROM ballots_ballot WHERE id = OLD.ballot_id) = 'closed' THEN
        RAISE EXCEPTION '{REFUSE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""
PG_TRIGGER = """CREATE TRIGGER ballots_box_closed_guard
    BEFORE UPDATE OR DELETE ON ballots_boxentry
    FOR EACH ROW EXECUTE FUNCTION ballots_box_closed_guard();"""


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type='table' AND name='ballots_boxentry'"
            )
            create = cursor.fetchone()[0]
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type='index' AND "
                "tbl_name='ballots_boxentry' AND sql IS NOT NULL"
            )
            indexes = [row[0] for row in cursor.fetchall()]
            if "WITHOUT ROWID" not in create.upper():
                cursor.execute("ALTER TABLE ballots_boxentry RENAME TO ballots_boxentry_old")
                cursor.execute(create + " WITHOUT ROWID")
                cursor.execute("INSERT INTO ballots_boxentry SELECT * FROM ballots_boxentry_old")
                cursor.execute("DROP TABLE ballots_boxentry_old")
                for sql in indexes:
                    cursor.execute(sql)
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)
        elif conn.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
            cursor.execute(PG_TRIGGER)


def backwards(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for op in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS ballots_box_closed_no_{op}")
        elif conn.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS ballots_box_closed_guard ON ballots_boxentry")
            cursor.execute("DROP FUNCTION IF EXISTS ballots_box_closed_guard()")


class Migration(migrations.Migration):
    dependencies = [("ballots", "0003_binding_round")]
    operations = [migrations.RunPython(forwards, backwards)]
