"""Writes to dossiers: recording events (``recording``) and the rest (apology letters, settings)."""
