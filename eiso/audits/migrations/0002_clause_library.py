"""Ships the ISO 9001:2015 clause library (eiso/audits/data/iso9001_2015.json)."""

from django.db import migrations


def load(apps, schema_editor):
    from eiso.audits.clauses import load_library

    load_library(apps.get_model("audits", "Clause"))


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
