"""Project-level checks: production settings pass Django's deployment checklist, migrations are
complete, SQLite is configured for concurrent use."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection


def _eiso(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "EISO_HTTPS", "SECRET_KEY"}}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "eiso", *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def test_check_deploy_with_production_settings_reports_nothing(tmp_path):
    result = _eiso("check", "--deploy", "--fail-level", "WARNING", env_extra={
        "DEBUG": "0", "SECRET_KEY": "k" * 20 + "-a-real-production-secret-key-of-sufficient-length-9Xz",
        "EISO_VAR_DIR": str(tmp_path), "ALLOWED_HOSTS": "eiso.example.gov.vn",
    })
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_weak_setup(tmp_path):
    # The same check fails when HTTPS is switched off: the test above can fail.
    result = _eiso("check", "--deploy", "--fail-level", "WARNING", env_extra={
        "DEBUG": "0", "SECRET_KEY": "k" * 20 + "-a-real-production-secret-key-of-sufficient-length-9Xz",
        "EISO_VAR_DIR": str(tmp_path), "EISO_HTTPS": "0",
    })
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-specific; this run is on %s" % connection.vendor)
    assert settings.DATABASES["default"]["OPTIONS"]["timeout"] >= 5
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_time_zone_default():
    assert settings.TIME_ZONE == os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
    assert settings.LANGUAGE_CODE == "vi"
