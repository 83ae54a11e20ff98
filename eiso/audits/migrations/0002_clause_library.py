"""Shipped the ISO 9001:2015 clause library. Since 0003 the library is versioned by edition and
0003 loads every edition (eiso/audits/data/iso9001_<edition>.json); this step is kept, empty, so
that databases migrated before it keep their history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("audits", "0001_initial")]

    operations = []
