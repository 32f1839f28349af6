"""Load the 33 London local authorities with their ONS GSS codes from data/."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "london_local_authorities.csv"


def load(apps, schema_editor):
    LocalAuthority = apps.get_model("directory", "LocalAuthority")
    with DATA.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            LocalAuthority.objects.update_or_create(
                gss_code=row["gss_code"],
                defaults={
                    "name": row["name"],
                    "dfe_code": row["dfe_code"],
                    "region": row["region"],
                    "police_force": row["police_force"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
