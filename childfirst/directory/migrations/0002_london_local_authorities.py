"""Load the 33 London local authorities with their ONS GSS codes from data/."""

from django.db import migrations

from childfirst.directory.london import load_london_local_authorities


def load(apps, schema_editor):
    load_london_local_authorities(apps.get_model("directory", "LocalAuthority"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
