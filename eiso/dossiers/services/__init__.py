"""Writes to dossiers: recording events (the ``recording`` package: rows, validation, writing,
retiming), uploaded imports, apology letters and settings."""
