"""eISO settings: one file, every deployment choice read from the environment.

Defaults run the whole system on one machine (SQLite under ``var/``, the database task
queue, local files). PostgreSQL, Celery/Redis and S3 are switched on by variables; see
README.md, "Configuration".
"""

import datetime
import os
import secrets
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from config.storage import storage_from_url

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env("EISO_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/."""
    key = env("SECRET_KEY", default="")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    try:  # created once, readable by the owner only; a second process starting at once reads it
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "ninja",
    "axes",
    "eiso.core",
    "eiso.organizations",
    "eiso.documents",
    "eiso.procedures",
    "eiso.dossiers",
    "eiso.audits",
    "eiso.improvements",
    "eiso.feedback",
    "eiso.objectives",
    "eiso.rollout",
    "eiso.fives",
    "eiso.oversight",
    "eiso.reviews",
    "eiso.people",
    "eiso.reports",
    "eiso.inbox",
    "eiso.api",
    "eiso.dashboard",
    "eiso.demo",
    # after eiso.core, whose `db_worker` (the same worker, with a heartbeat) takes precedence
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "eiso.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "eiso.core.middleware.RequestSizeLimitMiddleware",  # before any middleware or view reads the body
    "django.contrib.messages.middleware.MessageMiddleware",
    "eiso.organizations.sessions.SessionGuardMiddleware",  # idle timeout, sign out everywhere
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "eiso.core.middleware.DomainErrorMiddleware",
    "eiso.api.middleware.ApiJsonErrorsMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a lockout into the sign-in page with its message (429)
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "eiso" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "eiso.core.context_processors.navigation",
                "eiso.inbox.context_processors.inbox",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
# An empty DATABASE_URL (``DATABASE_URL=`` in an env file) means the default, like an unset one.
DATABASES = {"default": env.db_url_config(env("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'eiso.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; the busy timeout makes writers wait, not fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": env("SQLITE_TEST_NAME", default=None)}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- users ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    "eiso.organizations.signin.LockoutBackend",  # first: refuses a locked-out account or address
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sessions live in a signed cookie: signing in or browsing writes nothing to the database, so a long
# import holding SQLite's write lock cannot make logins fail. The idle timeout is each agency's
# setting (eiso/organizations/sessions.py); SESSION_IDLE_HOURS is for people with no agency.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_IDLE_HOURS = env.int("SESSION_IDLE_HOURS", default=8)
SESSION_COOKIE_AGE = 72 * 3600  # the longest idle timeout an agency may set; refreshed while in use

# Lockout after repeated failed sign-ins (django-axes, eiso/organizations/signin.py): per account,
# and per client address with a higher limit (an office behind one NAT shares one address).
BEHIND_PROXY = env.bool("BEHIND_PROXY", False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1)  # reverse proxies in front, each appending to X-Forwarded-For
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "eiso.organizations.signin.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "eiso.organizations.signin.client_address"
AXES_USERNAME_CALLABLE = "eiso.organizations.signin.normalized_username"
AXES_LOCKOUT_CALLABLE = "eiso.organizations.signin.lockout_response"
AXES_RESET_ON_SUCCESS = True  # a correct password clears that account's failures
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lockout lasts the cool-off, not longer
AXES_DISABLE_ACCESS_LOG = True  # no row per successful login: the login path writes nothing it must wait for
AXES_VERBOSE = False
# Self-service password reset by e-mail: requests per hour from one client address, and for one e-mail.
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=10)
PASSWORD_RESET_PER_EMAIL = env.int("PASSWORD_RESET_PER_EMAIL", default=3)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_HOURS", default=2) * 3600

# --- language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "eiso" / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

# --- files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "eiso" / "static"]  # vendored Bootstrap/htmx/Chart.js and eiso/app.{css,js}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": storage_from_url(env("STORAGE_URL", default=""), MEDIA_ROOT),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve static files without collectstatic (demo, tests)

# --- cache ---------------------------------------------------------------------------------
# CACHE_URL: locmemcache:// (the default: one cache per process) or redis://host:6379/1 to share the
# kept pages and figures between web nodes (needs `pip install "eiso[redis]"`). Either is correct with
# several nodes: every kept copy is keyed by the data generation (eiso.core.freshness), so a write on
# one node retires the copies of all. The local cache holds 10,000 entries (Django's default, 300, is
# less than one overseer's dashboard of a merged province: a copy per agency, ended ones too).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://eiso?max_entries=10000")}

# --- background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env(
            "TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"
        ),
    }
}

# --- e-mail ---------------------------------------------------------------------------------
# EMAIL_URL: smtp://user:password@host:587/?tls=True, or consolemail:// to print mail (the demo).
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_email_options = {
    "host": _email.get("EMAIL_HOST"), "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"), "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False), "use_ssl": _email.get("EMAIL_USE_SSL", False),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _email_options.items() if v}
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    },
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="eiso@localhost")

# --- security -------------------------------------------------------------------------------
# Secure by default outside DEBUG. EISO_HTTPS=0 turns the HTTPS-only settings off for a
# plain-HTTP install (the local demo, an intranet without TLS); each can also be set alone.
_https = env.bool("EISO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_https)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load-balancer probes speak plain HTTP
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=_https)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=_https)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- product settings -----------------------------------------------------------------------
EISO_PAGE_SIZE = env.int("EISO_PAGE_SIZE", default=25)
EISO_MAX_UPLOAD_BYTES = env.int("EISO_MAX_UPLOAD_MB", default=25) * 1024 * 1024
# Office files are zip archives: what their parts may unpack to, checked before any parser opens them.
# A document's parts (revision files, evidence: parsed whole when an obsolete copy is stamped, about
# 8 times the XML in memory) and an imported workbook's (read row by row: a 100,000-row export
# unpacks to about 45 MB, 11 times its stored size).
EISO_UNZIP_MAX_MEMBER_BYTES = env.int("EISO_UNZIP_MAX_MEMBER_MB", default=50) * 1024 * 1024
EISO_UNZIP_MAX_IMPORT_MEMBER_BYTES = env.int("EISO_UNZIP_MAX_IMPORT_MEMBER_MB", default=200) * 1024 * 1024
EISO_UNZIP_MAX_TOTAL_BYTES = env.int("EISO_UNZIP_MAX_TOTAL_MB", default=300) * 1024 * 1024
EISO_UNZIP_MAX_RATIO = env.int("EISO_UNZIP_MAX_RATIO", default=100)
EISO_UNZIP_MAX_MEMBERS = env.int("EISO_UNZIP_MAX_MEMBERS", default=10_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; files are streamed to disk
# Whole request bodies (files included) are refused over this before any byte is read (413); set the
# reverse proxy's limit (nginx client_max_body_size) to the same value.
EISO_MAX_REQUEST_BYTES = env.int("EISO_MAX_REQUEST_MB", default=60) * 1024 * 1024
# Uploads above FILE_UPLOAD_MAX_MEMORY_SIZE are spooled here; files a killed worker left behind are
# removed once older than EISO_UPLOAD_TEMP_MAX_AGE seconds (at start and by `eiso clean_uploads`).
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
EISO_UPLOAD_TEMP_MAX_AGE = env.int("EISO_UPLOAD_TEMP_MAX_AGE", default=2 * 3600)
# The CPU priority (Unix nice value, 0-19) a task worker takes while it imports a dossier file, so that
# pages served on the same machine go first; 0 leaves it alone.
EISO_IMPORT_NICE = env.int("EISO_IMPORT_NICE", default=10)
# The dossier import reads a file in columns with polars, whose allocator (jemalloc) keeps freed pages
# for a second ("muzzy") before giving them back: while an import of 1,000,000 dossiers reorders its
# 6,000,000 events, the copies it has already freed were still counted, and the peak went over 1 GB
# (1,043 MB; 909 MB with this). Read by polars when it is first imported, which is after the settings;
# appended to polars' own defaults, so a value set in the environment still wins.
os.environ.setdefault("_RJEM_MALLOC_CONF", "muzzy_decay_ms:0")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
