"""The database cache's table (settings.CACHES), so that every checkout, test database and
production database that is migrated has it: limits count there when REDIS_URL is not set.

`createcachetable` does nothing for other cache backends or when the table exists."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("ssb_portal", "0002_officials_see_and_clear_login_lockouts")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
