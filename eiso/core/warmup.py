"""A web process's start: what its requests read and never change is loaded once, then kept out of the
garbage collector's full passes.

A worker holds some 300,000 objects that live as long as it does: Django and the apps, the URL
resolver, the compiled templates. A full (generation 2) collection walks all of them, holding the
interpreter lock, so every request of the worker waits: 77–164 ms of CPU each, 2–3 times per worker
during the benchmark's main pages on SQLite (up to 1 s of wall time on a loaded machine). Loaded
first and frozen (``gc.freeze``), they are no longer walked: the same run had no full collection at
all, and a worker's collected heap is some 15,000–35,000 objects instead of 280,000. Reference
counting still frees them; only cycles among them would never be collected, and these objects are
kept for the process's life anyway.
"""

import gc
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver


def _project_templates(engine) -> list[str]:
    """The names of the project's own page templates (``eiso/``), as ``get_template`` takes them."""
    project = Path(settings.BASE_DIR) / "eiso"
    names = []
    for directory in engine.template_dirs:
        directory = Path(directory)
        if directory.is_relative_to(project):
            names.extend(str(path.relative_to(directory)) for path in sorted(directory.rglob("*.html")))
    return names


def load_and_freeze() -> int:
    """Load the URL patterns and compile the project's templates (the template loader keeps them),
    then move every object alive into the collector's permanent generation. Returns how many.
    Not with DEBUG: a development server starts again on every edit, and would compile every
    template each time (1–2 s) for a heap that lives seconds."""
    if settings.DEBUG:
        return 0
    get_resolver().reverse_dict  # noqa: B018 - builds the resolver's patterns and reverse index
    for engine in engines.all():
        for name in _project_templates(engine):
            try:
                engine.get_template(name)
            except TemplateSyntaxError:  # a broken template fails on its page, as it did before
                continue
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
