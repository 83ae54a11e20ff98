"""Settings read from the environment: an empty value means the default."""

import os
import subprocess
import sys


def test_an_empty_database_url_means_the_default_sqlite(tmp_path):
    env = {**os.environ, "DATABASE_URL": "", "EISO_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; d = settings.DATABASES['default'];"
         "print(d['ENGINE'], d['NAME'])"],
        env=env, capture_output=True, text=True, check=False, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["django.db.backends.sqlite3", str(tmp_path / "eiso.sqlite3")]
