from django.db import migrations

from sdsf.web.apps.schemes.migrations._first_history import first_records


def forwards(apps, schema_editor):
    first_records(apps, "actionplan", ["Orientation"])


class Migration(migrations.Migration):
    dependencies = [
        ("actionplan", "0003_orientation_revisions"),
        ("schemes", "0004_initial_history"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
