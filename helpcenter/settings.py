"""Settings for the help center, read from DJANGO_* environment variables.

Development defaults are safe: debug is off unless DJANGO_DEBUG=1, and with debug off a real
DJANGO_SECRET_KEY is required. Production sits behind a TLS-terminating proxy that sends
X-Forwarded-Proto: https.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = os.environ.get("DJANGO_DEBUG", "0").strip() == "1"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is not 1 "
            "(for example: export DJANGO_SECRET_KEY=$(openssl rand -hex 32))."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG-1"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # auth, sessions, messages and admin serve the staff pages only (insights); nothing on a
    # public page reads request.user or the session, so public GETs set no cookie.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "helpcenter",
    "database",
    "search",
    "guides",
    "understanding",
    "triage",
    "codes",
    "insights",
    "offline",
    "photo",
    "editor",
]

MIDDLEWARE = [
    "helpcenter.middleware.trusted_proxy_headers",
    "django.middleware.security.SecurityMiddleware",
    "helpcenter.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # Public pages from memory: before sessions, auth and CSRF, which such pages never use.
    "helpcenter.caching.page_memory",
    # Below it, every database call has a deadline; a request failed by the database is a 503.
    "database.middleware.database_deadline",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "helpcenter.middleware.method_not_allowed_page",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "helpcenter.urls"
WSGI_APPLICATION = "helpcenter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "helpcenter.context_processors.site",
                # Lazy: they touch the session only on the staff pages that use them.
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["django_htmx.templatetags.django_htmx"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'helpcenter.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# The database only keeps counts; no page waits on it for long. A database that is down, or
# accepts connections and never answers, costs a request at most these many seconds.
DB_TIMEOUT_SECONDS = float(os.environ.get("DJANGO_DB_TIMEOUT", "2"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": max(1, round(DB_TIMEOUT_SECONDS)),
            "options": f"-c statement_timeout={int(DB_TIMEOUT_SECONDS * 1000)}"
            f" -c lock_timeout={int(DB_TIMEOUT_SECONDS * 1000)}",
            # A peer that vanishes without closing is noticed by the kernel, not in 2 hours.
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 2,
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Wait this long for another worker's write lock instead of failing at once;
            # WAL lets readers and one writer work side by side.
            "timeout": DB_TIMEOUT_SECONDS,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- content -----------------------------------------------------------------------------
CONTENT_DIR = Path(os.environ.get("HELPCENTER_CONTENT_DIR", BASE_DIR / "content"))
# How often (seconds) a request may look for edited content files; edits show up this fast.
CONTENT_CHECK_SECONDS = float(os.environ.get("HELPCENTER_CONTENT_CHECK_SECONDS", "1"))
# How often each process applies revisions published in the browser on any instance (0: never).
EDITOR_SYNC_SECONDS = float(os.environ.get("HELPCENTER_EDITOR_SYNC_SECONDS", "2"))
CONTENT_TIME_ZONE = "Asia/Shanghai"
# Rendered guides kept between processes (guides/render_cache.py); empty turns it off.
CONTENT_CACHE_DIR = os.environ.get(
    "HELPCENTER_CONTENT_CACHE_DIR", str(BASE_DIR / "var" / "content")
)
# The search index of each content version, built once and loaded by every other process
# (search/store.py); empty turns it off.
SEARCH_INDEX_DIR = os.environ.get(
    "HELPCENTER_SEARCH_INDEX_DIR", str(BASE_DIR / "var" / "search-index")
)
# The assistant's reader (a model learned from content/examples/), one file per version
# (understanding/store.py); empty turns it off.
UNDERSTANDING_MODEL_DIR = os.environ.get(
    "HELPCENTER_UNDERSTANDING_MODEL_DIR", str(BASE_DIR / "var" / "understanding")
)
# After an editor's change, the previous model answers while the new one trains (seconds).
UNDERSTANDING_TRAIN_IN_BACKGROUND = True
# A guide whose facts were last checked longer ago than this is flagged (check and /healthz).
CONTENT_REVIEW_DAYS = int(os.environ.get("HELPCENTER_REVIEW_DAYS", "180"))
SITE_NAME = "商户帮助中心"
# The public address: canonical links, sitemap, shared links and QR codes are built from it,
# never from a request's Host header (a cached page must not carry a host a client made up).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")

# --- caching of public pages ---------------------------------------------------------------
# Public GETs are the same bytes for everyone: a proxy or CDN may keep them this long, serve
# them stale while it revalidates, and serve them stale when the origin fails. An edit shows
# within PAGE_MAX_AGE + a second.
PAGE_MAX_AGE = int(os.environ.get("HELPCENTER_PAGE_MAX_AGE", "30"))
PAGE_STALE_WHILE_REVALIDATE = int(os.environ.get("HELPCENTER_PAGE_SWR", "30"))
PAGE_STALE_IF_ERROR = int(os.environ.get("HELPCENTER_PAGE_STALE_IF_ERROR", "86400"))
# Rendered pages kept in each worker's memory, per content version.
PAGE_MEMORY_ENTRIES = int(os.environ.get("HELPCENTER_PAGE_MEMORY_ENTRIES", "2000"))
PAGE_MEMORY_BYTES = int(os.environ.get("HELPCENTER_PAGE_MEMORY_MB", "32")) * 1024 * 1024

# The cache backs the limits on anonymous writes (helpcenter/anonymous.py). The database
# cache is shared by every worker and instance that share the database.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "helpcenter_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}
# scope -> (writes allowed, per seconds), per client; see helpcenter/anonymous.py.
ANONYMOUS_WRITE_LIMITS: dict[str, tuple[int, int]] = {}
# Peers allowed to say who the client is (X-Forwarded-For) and that it used https
# (X-Forwarded-Proto): the TLS proxy in front, nobody else.
TRUSTED_PROXIES = frozenset(env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1"))

# --- static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

# --- security ----------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preload is on for production (check --deploy asks for it); DJANGO_HSTS_PRELOAD=0 opts out
# for a host that serves any subdomain over plain http.
SECURE_HSTS_PRELOAD = not DEBUG and env_flag("DJANGO_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.NONE],
    # No nonce: a nonce makes every response different, and public pages must be the same
    # bytes for every visitor so a proxy can keep them. No inline script exists to need one.
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "manifest-src": [CSP.SELF],
    # The service worker (/sw.js, offline reading); nothing else runs as a worker.
    "worker-src": [CSP.SELF],
}

# --- photos of the terminal's screen (photo/) ------------------------------------------------
# HELPCENTER_PHOTO=0 turns the feature off: /photo/ says so and the reader is never loaded.
PHOTO_ENABLED = env_flag("HELPCENTER_PHOTO", default=True)
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
# Photos read at once on this host, across all workers (photo/slots.py), and how long a photo
# waits for a turn before the visitor is asked to try again (503, Retry-After).
PHOTO_SLOTS = int(os.environ.get("HELPCENTER_PHOTO_SLOTS", "1"))
PHOTO_WAIT_SECONDS = float(os.environ.get("HELPCENTER_PHOTO_WAIT_SECONDS", "4"))
PHOTO_SLOTS_DIR = os.environ.get(
    "HELPCENTER_PHOTO_SLOTS_DIR", str(BASE_DIR / "var" / "photo-slots")
)
# One onnxruntime thread per read leaves the other core to pages; on 2 cores a photo is barely
# slower than with two (bench/bench_photo.py --threads).
PHOTO_THREADS = int(os.environ.get("HELPCENTER_PHOTO_THREADS", "1"))
PHOTO_DETECT_SIDE = int(os.environ.get("HELPCENTER_PHOTO_DETECT_SIDE", "736"))
# Uploads stay in memory, never in a temporary file; a larger body is refused before it is read.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = PHOTO_MAX_BYTES + 64 * 1024
# A form body Django will read: the browser editor posts a whole content file (the largest, an
# examples file, under 1 MB URL-encoded; editor/views.py refuses more than 20,000,000 bytes with its
# own page). The other forms are a few bytes, and the beacons check their own length.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- insights: what editors see (insights/) ------------------------------------------------
# Counters wait in each process's memory and are written every few seconds or events.
INSIGHTS_SYNC = False
INSIGHTS_FLUSH_SECONDS = float(os.environ.get("HELPCENTER_INSIGHTS_FLUSH_SECONDS", "10"))
INSIGHTS_FLUSH_EVENTS = int(os.environ.get("HELPCENTER_INSIGHTS_FLUSH_EVENTS", "500"))
INSIGHTS_MAX_PENDING = 20000  # distinct counters waiting in one process
# Where a process that exits while the database is away leaves its counts for the next one.
INSIGHTS_SPOOL_DIR = os.environ.get(
    "HELPCENTER_INSIGHTS_SPOOL_DIR", str(BASE_DIR / "var" / "insights-spool")
)
# Bounds on what anonymous visitors can make us store.
INSIGHTS_GAP_DAY_LIMIT = int(os.environ.get("HELPCENTER_INSIGHTS_GAP_DAY_LIMIT", "500"))
INSIGHTS_MAX_ROWS = int(os.environ.get("HELPCENTER_INSIGHTS_MAX_ROWS", "500000"))
# manage.py insights_prune deletes daily counters older than this.
INSIGHTS_KEEP_DAYS = int(os.environ.get("HELPCENTER_INSIGHTS_KEEP_DAYS", "400"))
# manage.py insights_digest also mails the week to these addresses (comma-separated).
INSIGHTS_DIGEST_TO = env_list("HELPCENTER_INSIGHTS_DIGEST_TO", "")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "helpcenter@localhost")
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
        ),
        "OPTIONS": {
            "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
            "timeout": 10,
        },
    }
}
LOGIN_URL = "insights:login"
LOGIN_REDIRECT_URL = "insights:staff"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
