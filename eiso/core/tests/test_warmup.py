"""A web process's start (config.wsgi, config.asgi): the URL patterns and the project's templates are
loaded, then everything alive is frozen out of the garbage collector's full passes (eiso.core.warmup)."""

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import gc, json, importlib
importlib.import_module({module!r})
from django.template import engines
from django.urls import get_resolver
cache = engines["django"].engine.template_loaders[0].get_template_cache
print(json.dumps({{"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects()),
                  "templates": sorted(k for k in cache if isinstance(k, str)),
                  "resolver": bool(get_resolver()._reverse_dict)}}))
"""


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_web_application_starts_with_its_templates_compiled_and_its_heap_frozen(module, tmp_path):
    env = {**os.environ, "EISO_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run([sys.executable, "-c", PROBE.format(module=module)], env=env, capture_output=True,
                         text=True, check=False, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    state = json.loads(out.stdout.strip().splitlines()[-1])
    # Frozen: Django, the resolver and the templates (some 300,000 objects); only what the probe made since is not.
    assert state["frozen"] > 100_000
    assert state["frozen"] > 20 * state["tracked"]
    assert {"base.html", "dossiers/dossier_list.html", "documents/search.html"} <= set(state["templates"])
    assert state["resolver"]


def test_a_development_server_starts_without_compiling_every_template(tmp_path):
    """With DEBUG (``runserver`` reloading on every edit) nothing is compiled or frozen at start."""
    env = {**os.environ, "EISO_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    out = subprocess.run([sys.executable, "-c", PROBE.format(module="config.wsgi")], env=env, capture_output=True,
                         text=True, check=False, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    state = json.loads(out.stdout.strip().splitlines()[-1])
    assert state["frozen"] == 0
    assert "dossiers/dossier_list.html" not in state["templates"]
