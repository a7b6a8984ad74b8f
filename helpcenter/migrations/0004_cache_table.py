"""The database cache table that the limits on anonymous writes use (settings.CACHES).

``manage.py createcachetable`` is idempotent; running it from a migration means that the
``migrate`` every deploy already runs is the only step needed, on SQLite and PostgreSQL.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("helpcenter", "0003_counters_replace_feedback_and_gaps")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
