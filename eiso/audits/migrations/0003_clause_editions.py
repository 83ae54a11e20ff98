"""ISO 9001 editions: the clause library is versioned by edition (2008, 2015, the 2026 revision
as provisional data); the clauses already loaded are those of 2015; agencies record the edition
they follow (EditionAdoption)."""

import django.db.models.deletion
from django.db import migrations, models


def editions_and_2015(apps, schema_editor):
    from eiso.audits.clauses import EDITIONS, sort_key

    Edition = apps.get_model("audits", "ClauseEdition")
    Clause = apps.get_model("audits", "Clause")
    for data in EDITIONS:
        Edition.objects.update_or_create(code=data["code"], defaults={k: v for k, v in data.items() if k != "code"})
    edition_2015 = Edition.objects.get(code="2015")
    for clause in Clause.objects.all():
        clause.edition = edition_2015
        clause.sort_key = sort_key(clause.code)
        clause.save(update_fields=["edition", "sort_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0002_clause_library"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClauseEdition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=4, unique=True, verbose_name="edition")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("provisional", models.BooleanField(default=False, verbose_name="provisional")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
            ],
            options={"verbose_name": "ISO 9001 edition", "verbose_name_plural": "ISO 9001 editions",
                     "ordering": ["code"]},
        ),
        migrations.AddField(
            model_name="clause", name="edition",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="clauses",
                                    to="audits.clauseedition", verbose_name="edition"),
        ),
        migrations.RunPython(editions_and_2015, migrations.RunPython.noop),
    ]
