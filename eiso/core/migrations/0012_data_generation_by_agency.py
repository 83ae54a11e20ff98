"""The data generation counted per agency (issue 15): a write to one agency no longer makes the
cached pages of readers who cannot see that agency's data stale (``eiso.core.freshness``).

The one row of the former table is dropped with it: cached copies are keyed in a new form, so none
computed before this migration is ever served after it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0011_search_index_agency_buckets"),
    ]

    operations = [
        migrations.DeleteModel(name="DataGeneration"),
        migrations.CreateModel(
            name="DataGeneration",
            fields=[
                ("agency_id", models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "data generation", "verbose_name_plural": "data generations"},
        ),
    ]
