"""Load the default 5S checklist shipped in eiso/fives/data/checklist.json (the rows without an
agency); an agency that edits its checklist works on its own copy."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "checklist.json"


def load(apps, schema_editor):
    item = apps.get_model("fives", "FivesItem")
    if item.objects.filter(agency__isnull=True).exists():
        return
    rows = json.loads(DATA.read_text(encoding="utf-8"))["items"]
    item.objects.bulk_create([item(agency=None, s=r["s"], text=r["text"], points=r["points"],
                                   graded=r.get("graded", False), position=i) for i, r in enumerate(rows, start=1)])


def unload(apps, schema_editor):
    apps.get_model("fives", "FivesItem").objects.filter(agency__isnull=True, answers__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("fives", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
