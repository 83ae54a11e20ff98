"""ISO 9001 editions, second step (its own transaction: PostgreSQL refuses to alter a table with
pending updates): each clause belongs to one edition; the 2008 and 2026 libraries are loaded;
agencies record the edition they follow."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def load(apps, schema_editor):
    from eiso.audits.clauses import load_library

    load_library(apps.get_model("audits", "Clause"), apps.get_model("audits", "ClauseEdition"))


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0003_clause_editions"),
        ("organizations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="clause", name="edition",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="clauses",
                                    to="audits.clauseedition", verbose_name="edition"),
        ),
        migrations.AlterField(
            model_name="clause", name="code", field=models.CharField(max_length=10, verbose_name="clause"),
        ),
        migrations.AlterModelOptions(
            name="clause",
            options={"ordering": ["edition__code", "sort_key", "code"], "verbose_name": "ISO 9001 clause",
                     "verbose_name_plural": "ISO 9001 clauses"},
        ),
        migrations.AddConstraint(
            model_name="clause",
            constraint=models.UniqueConstraint(fields=("edition", "code"), name="clause_unique_in_edition"),
        ),
        migrations.CreateModel(
            name="EditionAdoption",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("adopted_on", models.DateField(verbose_name="from")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="note")),
                ("relinked", models.JSONField(blank=True, default=dict, verbose_name="clauses re-linked")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded")),
                ("agency", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                             related_name="edition_adoptions", to="organizations.agency",
                                             verbose_name="agency")),
                ("edition", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                              to="audits.clauseedition", verbose_name="edition")),
                ("recorded_by", models.ForeignKey(blank=True, null=True,
                                                  on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                  to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "edition adopted", "verbose_name_plural": "editions adopted",
                     "ordering": ["agency", "-adopted_on", "-id"]},
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
