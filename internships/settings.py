"""Settings for the directory, read from the environment.

Development is the default only when DJANGO_DEBUG=true is set explicitly (the Makefile does this for
`make run`). Anything else is treated as production and fails loudly on a missing secret.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.csp import CSP

from internships.static_headers import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-only-key-never-used-when-DEBUG-is-off"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # SearchVectorField and the trigram lookups; harmless on SQLite.
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "import_export",
    "axes",
    # Before django_tasks_db: its `db_worker` command is ours (programs/management/commands/
    # db_worker.py, the library's worker made to outlive a database outage).
    "programs",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so a hit skips the session, CSRF and auth layers; it replays the inner headers (CSP…).
    "programs.caching.pages.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before CSRF reads a form body: a large body from someone not signed in is refused (413).
    "internships.middleware.SmallAnonymousBodiesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "internships.middleware.SecurityHeadersMiddleware",
    "internships.middleware.ReadOnlyPublicPagesMiddleware",
    # Records who made each change in the programmes' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username and IP is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Brute-force protection of the admin login: after 5 failures for one username from one IP,
# that pair is refused with 429 for an hour. django-axes reads the client's address through
# django-ipware: behind our nginx (deploy/nginx.conf) set DJANGO_PROXY_COUNT=1 so it takes the
# address nginx appends to X-Forwarded-For, which a client cannot forge; with 0 (no proxy) it
# uses REMOTE_ADDR only and ignores forwarded headers.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = 1  # hours
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
# The lockout page uses the site's design and says when to try again.
AXES_LOCKOUT_CALLABLE = "programs.views.lockout.locked_out"

ROOT_URLCONF = "internships.urls"
WSGI_APPLICATION = "internships.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "programs.views.context.shortlist",
            ],
        },
    },
    {
        # Plain-text email (programs/mail/): templates/mail/, not HTML-escaped.
        "NAME": "mail",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates" / "mail"],
        "OPTIONS": {"autoescape": False},
    },
]

# SQLite in the repository folder unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead log: pages (and a large import's progress page) keep reading while the import's
    # one long transaction writes; SQLite's default journal blocks readers then ("database is
    # locked"). Other writes still wait for that transaction: production runs PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when PostgreSQL is down: a request waits at most this long for a pooled connection
    # (then answers 503, programs/views/unavailable.py), and each connection attempt gives up
    # after `connect_timeout` seconds, so /healthz and pages that need the database answer within
    # 2-3 s and the container's health check sees the outage.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # Each gunicorn worker runs WEB_THREADS page threads and one health thread
    # (internships/serving.py): one connection each, so /healthz never waits for a page's.
    _pool_size = int(os.environ.get("DJANGO_DB_POOL_SIZE", "0")) or (
        int(os.environ.get("WEB_THREADS", "2")) + 1
    )
    _options["pool"] = {
        "timeout": float(os.environ.get("DJANGO_DB_POOL_TIMEOUT", "1.0")),
        "min_size": min(2, _pool_size),
        "max_size": _pool_size,
    }
    _options.setdefault("connect_timeout", int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "2")))
    # No JIT: the list's queries (facet counts, the budget's estimate) cost enough in the planner's
    # units to be compiled, and compiling took 1.4 s of a 1.8 s query at 10,000 programmes.
    _options.setdefault("options", "-c jit=off")
    # The same backend with a breaker (internships/postgresql/base.py): after a failed attempt,
    # this process answers 503 at once for DATABASE_RETRY_SECONDS instead of waiting the pool's
    # timeout in every request, so the 503s and /healthz stay fast under load during an outage.
    DATABASES["default"]["ENGINE"] = "internships.postgresql"
DATABASE_RETRY_SECONDS = float(os.environ.get("DJANGO_DB_RETRY_SECONDS", "1"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT: Path | None = BASE_DIR / "staticfiles"  # None in the tests: nothing collected
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "DJANGO_STATICFILES_BACKEND",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    if not SECURE_SSL_REDIRECT:
        # Documented as "only behind a proxy that already redirects to HTTPS": that proxy does
        # the job check --deploy's W008 asks Django to do.
        SILENCED_SYSTEM_CHECKS = ["security.W008"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # nginx (deploy/nginx.conf) sets X-Forwarded-Proto to the scheme the client used and drops
    # any value the client sent, so Django can trust it. Never expose gunicorn directly: a client
    # could then claim HTTPS with this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The container's health probe speaks plain HTTP to 127.0.0.1.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Headers for Mozilla's HTTP Observatory: no inline script or style anywhere (JSON-LD is data,
# not script, so the CSP does not block it), nothing framed, nothing loaded from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# WhiteNoise answers /static/ before the inner middleware runs: give its files the same headers
# as pages (SecurityMiddleware, outermost, adds HSTS, nosniff, Referrer-Policy and COOP to both).
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    # `__Host-` cookies are only accepted over HTTPS, for this host, with Path=/.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)

# Whole anonymous pages are cached; programs/caching/ explains the invalidation.
# The cache accelerates and never decides: with Redis stopped or hung, a cache call gives up
# after a short socket timeout, is logged and behaves as a miss (get → None, set → nothing), and
# the process leaves Redis alone for REDIS_RETRY_SECONDS (internships/cache.py). Pages are then
# rendered uncached and admin saves succeed.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT = float(os.environ.get("DJANGO_REDIS_TIMEOUT", "0.3"))
REDIS_RETRY_SECONDS = float(os.environ.get("DJANGO_REDIS_RETRY_SECONDS", "5"))
CACHES = {
    "default": (
        {
            "BACKEND": "internships.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT,
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
# How long one request may hold a page's rendering lock: others serve the previous copy (or wait
# for the new one) meanwhile (programs/caching/pages.py).
PAGE_LOCK_SECONDS = float(os.environ.get("DJANGO_PAGE_LOCK_SECONDS", "3"))
# How long nginx may keep a page the app served from its cache (X-Accel-Expires): anonymous readers
# see an edit at most this late; signed-in advisers bypass nginx's cache.
NGINX_MICROCACHE_SECONDS = int(os.environ.get("DJANGO_NGINX_MICROCACHE_SECONDS", "1"))

# django-import-export: one transaction per import, so a bad row leaves nothing behind.
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Background tasks (large imports) are stored in the database and run by `manage.py db_worker`
# (django-tasks-db): no broker to run, and a task survives a restart of the web processes.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Cells starting with = + - @ are written as text (a leading quote / a string cell), never as a
# formula a spreadsheet would run.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# A control character an older row holds becomes U+FFFD in an XLSX export instead of failing it.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"


# Email (programs/mail/), sent only by the task worker: printed to the console under `make run`
# (DJANGO_DEBUG=true), through SMTP otherwise. Bad values stop startup with the variable's name.
def env_int(name: str, default: int, low: int, high: int) -> int:
    value = os.environ.get(name, "") or str(default)
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise ImproperlyConfigured(f"{name} must be between {low} and {high}, not {number}")
    return number


def env_email(name: str, default: str) -> str:
    from django.core.validators import validate_email

    value = os.environ.get(name, "") or default
    try:
        validate_email(value.rpartition("<")[2].rstrip(">").strip())
    except ValidationError:
        raise ImproperlyConfigured(f"{name} must be an email address, not {value!r}") from None
    return value


_smtp_tls, _smtp_ssl = env_bool("DJANGO_EMAIL_USE_TLS"), env_bool("DJANGO_EMAIL_USE_SSL")
if _smtp_tls and _smtp_ssl:
    raise ImproperlyConfigured("Set DJANGO_EMAIL_USE_TLS or DJANGO_EMAIL_USE_SSL, not both.")
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if DEBUG and not os.environ.get("DJANGO_EMAIL_HOST")
        else {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("DJANGO_EMAIL_HOST", "") or "localhost",
                "port": env_int("DJANGO_EMAIL_PORT", 465 if _smtp_ssl else 25, 1, 65535),
                "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
                "use_tls": _smtp_tls,
                "use_ssl": _smtp_ssl,
                "timeout": env_int("DJANGO_EMAIL_TIMEOUT", 10, 1, 300),
            },
        }
    )
}
# By default from the site's first host name (directory@internships.example.org).
_mail_host = next((h for h in ALLOWED_HOSTS if "." in h and not h[-1].isdigit()), "localhost")
DEFAULT_FROM_EMAIL = env_email(
    "DJANGO_DEFAULT_FROM_EMAIL",
    f"Medical Internships Directory <directory@{_mail_host.lstrip('.')}>",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in messages are absolute and built by the worker, outside any request.
SITE_URL = (
    os.environ.get("DJANGO_SITE_URL", "")
    or ("http://127.0.0.1:8000" if DEBUG else f"https://{_mail_host.lstrip('.')}")
).rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"DJANGO_SITE_URL must start with https://, not {SITE_URL!r}")

# Public forms (programs/views/public_forms.py): suggestions an address may send, counted in the
# shared cache (Redis in production, so every worker sees one count). Behind nginx
# (DJANGO_PROXY_COUNT=1) the address is the one nginx writes into X-Forwarded-For. When the cache
# is down, the forms stay open (nginx's own per-address limit still holds, deploy/nginx.conf).
SUGGESTIONS_PER_HOUR = env_int("DJANGO_SUGGESTIONS_PER_HOUR", 5, 1, 10_000)
# Alerts (programs/views/alerts.py): alerts one network address may ask for an hour, and alerts
# asked for one email address an hour (whoever asks).
ALERTS_PER_HOUR = env_int("DJANGO_ALERTS_PER_HOUR", 5, 1, 10_000)
ALERTS_PER_ADDRESS_PER_HOUR = env_int("DJANGO_ALERTS_PER_ADDRESS_PER_HOUR", 3, 1, 10_000)
RATELIMIT_IP_META_KEY = "programs.views.public_forms.client_address"
RATELIMIT_FAIL_OPEN = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Request bodies: a form post (the login page, an admin form) carries at most this much outside
# file fields; uploads are capped separately (programs/admin/uploads.py) and by nginx's
# client_max_body_size. Anonymous visitors can only GET (ReadOnlyPublicPagesMiddleware), and
# SmallAnonymousBodiesMiddleware refuses a large body from anyone not signed in.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, 2.5 MB, for signed-in staff
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5_000
ANONYMOUS_MAX_BODY_BYTES = int(os.environ.get("DJANGO_ANONYMOUS_MAX_BODY_BYTES", "16384"))
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("DJANGO_IMPORT_MAX_UPLOAD_BYTES", str(5 * 2**20)))
IMPORT_MAX_ROWS = int(os.environ.get("DJANGO_IMPORT_MAX_ROWS", "20000"))
# A file with more rows than this is checked and imported by a task (programs/admin/import_jobs.py)
# that `manage.py db_worker` runs, with a progress page; smaller files are previewed at once.
IMPORT_TASK_ROWS = int(os.environ.get("DJANGO_IMPORT_TASK_ROWS", "200"))
# An XLSX is a zip: refuse one whose members would decompress past this (zip bombs).
IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("DJANGO_IMPORT_MAX_UNCOMPRESSED_BYTES", str(50 * 2**20))
)
# Cells (and shared strings) an XLSX import may hold, counted in its XML before openpyxl builds them.
IMPORT_MAX_CELLS = int(os.environ.get("DJANGO_IMPORT_MAX_CELLS", str(IMPORT_MAX_ROWS * 40)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
