"""The loaders of the demo province, one per area, run by ``eiso demo`` in the order of its
``LOADERS``. Each ``load(out)`` creates what is missing through the apps' services and returns
the logins it created or found (only the organisations loader has any)."""
