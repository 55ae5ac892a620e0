"""On PostgreSQL, the audit table refuses DELETE and every UPDATE that is not an erasure (the
values, label, note and actor emptied when the records described are deleted for good), so not
even a raw query through the application's connection rewrites the trail. Other databases
rely on the model's guards (``AuditEvent.save``/``delete`` and its queryset)."""

from django.db import migrations

FUNCTION = "common_auditevent_append_only"

CREATE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit rows are never deleted (common_auditevent is append-only)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id
        OR NEW.at IS DISTINCT FROM OLD.at
        OR NEW.action IS DISTINCT FROM OLD.action
        OR NEW.content_type_id IS DISTINCT FROM OLD.content_type_id
        OR NEW.object_id IS DISTINCT FROM OLD.object_id
        OR NEW.owner_key IS DISTINCT FROM OLD.owner_key
        OR (NEW.actor_id IS DISTINCT FROM OLD.actor_id AND NEW.actor_id IS NOT NULL)
        OR (NEW.before IS DISTINCT FROM OLD.before AND NEW.before IS NOT NULL)
        OR (NEW.after IS DISTINCT FROM OLD.after AND NEW.after IS NOT NULL)
        OR (NEW.object_repr IS DISTINCT FROM OLD.object_repr
            AND NEW.object_repr NOT LIKE '(%)')
        OR (NEW.note IS DISTINCT FROM OLD.note AND NEW.note <> '')
    THEN
        RAISE EXCEPTION 'audit rows are never changed, only erased (common_auditevent)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {FUNCTION} ON common_auditevent;
CREATE TRIGGER {FUNCTION} BEFORE UPDATE OR DELETE ON common_auditevent
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""

DROP = f"""
DROP TRIGGER IF EXISTS {FUNCTION} ON common_auditevent;
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("common", "0002_contentversion")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
