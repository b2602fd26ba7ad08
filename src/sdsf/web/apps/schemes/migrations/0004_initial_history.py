from django.db import migrations

from sdsf.web.apps.schemes.migrations._first_history import first_records


def forwards(apps, schema_editor):
    first_records(apps, "schemes", ["Scheme", "Phase", "Meeting", "Comment"])


class Migration(migrations.Migration):
    dependencies = [("schemes", "0003_revisions_and_history")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
