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
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "EISO_HTTPS", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
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
def test_database_is_configured_for_concurrent_use():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if connection.vendor == "sqlite":
        # WAL and a busy timeout: readers run beside the writer, writers wait instead of failing.
        assert options["timeout"] >= 5 and options["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in options["init_command"]
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    else:
        assert connection.vendor == "postgresql"
        assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_sqlite_file_database_uses_wal(tmp_path):
    result = _eiso("shell", "-c", "from django.db import connection; c = connection.cursor(); "
                   "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
                   env_extra={"DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}", "EISO_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"


def test_time_zone_default():
    assert os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh") == settings.TIME_ZONE
    assert settings.LANGUAGE_CODE == "vi"


@pytest.mark.django_db
def test_vietnamese_by_default_even_for_an_english_browser(client):
    page = client.get("/accounts/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="vi">' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()
