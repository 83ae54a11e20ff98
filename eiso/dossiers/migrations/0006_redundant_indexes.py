"""Indexes the dossier tables wrote for nothing, and room for the rollups' counts to change in place.

- ``Dossier.agency`` and ``Dossier.admin_procedure``, ``DossierEvent.dossier``: no index of their own;
  other indexes begin with them ((agency, code), (agency, received_at), (admin_procedure,
  received_at), the unique (dossier, kind, at, step)), which serve the same look-ups and key checks.
- PostgreSQL: the rollup table keeps half of each page free (fillfactor 50), so that an import's
  ``UPDATE`` of its counts (columns no index holds) writes the new row versions beside the old ones
  (heap-only tuples) instead of a new entry in each of its seven indexes.
"""

import django.db.models.deletion
from django.db import migrations, models

ROLLUPS = "dossiers_dossierrollup"


def rollup_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {ROLLUPS} SET (fillfactor = 50)")


def rollup_fillfactor_reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {ROLLUPS} RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0005_list_order_index'),
        ('organizations', '0006_password_reset_requests'),
        ('procedures', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='dossier',
            name='admin_procedure',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='dossiers', to='procedures.adminprocedure', verbose_name='administrative procedure'),
        ),
        migrations.AlterField(
            model_name='dossier',
            name='agency',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='dossiers', to='organizations.agency', verbose_name='agency'),
        ),
        migrations.AlterField(
            model_name='dossierevent',
            name='dossier',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='events', to='dossiers.dossier'),
        ),
        migrations.RunPython(rollup_fillfactor, rollup_fillfactor_reset, elidable=False),
    ]
