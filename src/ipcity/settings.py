"""Django settings. Everything that differs between machines comes from the environment,
and a bad value stops the platform at start-up with a message saying which variable is wrong."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ipcity.startup import (
    DEVELOPMENT_SECRET_KEY,
    data_dir,
    mail_backend,
    production_problems,
    stored_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET = DEVELOPMENT_SECRET_KEY


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no/on/off, got {raw!r}")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


ENVIRONMENT = os.environ.get("IPCITY_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"IPCITY_ENV must be development, production or test, got {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"
if PRODUCTION and (problems := production_problems(os.environ)):
    # The same list `ipcity serve` prints before it refuses to start (ipcity/startup.py).
    raise ImproperlyConfigured("IPCITY_ENV=production 的配置不完整 (production configuration incomplete)：\n"
                               + "\n".join(problems))

DATA_DIR = data_dir()
UPLOAD_DIR = DATA_DIR / "uploads"  # outside the web root: served only through permission-checked views

# Production refuses the development key (above); DATA_DIR/secret_key is the key earlier versions of `ipcity serve`
# generated there, still honoured so that existing sessions stay valid.
SECRET_KEY = os.environ.get("IPCITY_SECRET_KEY") or stored_secret_key(DATA_DIR) or DEFAULT_SECRET

DEBUG = _env_bool("IPCITY_DEBUG", not PRODUCTION and ENVIRONMENT != "test")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("IPCITY_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
if ENVIRONMENT == "test":
    ALLOWED_HOSTS.append("testserver")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("IPCITY_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "ipcity.accounts",
    "ipcity.audit",
    "ipcity.plan",
    "ipcity.stats",
    "ipcity.web",
    "ipcity.evidence",
    "ipcity.operations",
    "ipcity.protection",
    "ipcity.services",
]

MIDDLEWARE = [
    "ipcity.logs.RequestIdMiddleware",  # first: every log line of the request names it
    "django.middleware.security.SecurityMiddleware",
    "ipcity.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ipcity.web.middleware.SessionTouchMiddleware",  # after SessionMiddleware: it runs first on the way out
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ipcity.audit.middleware.AuditContextMiddleware",
    "ipcity.web.uploads.UploadRefusalMiddleware",  # an upload refused for its size answers 413 with the reason
    "ipcity.web.middleware.InputGuardMiddleware",  # control characters, over-long text, absurd dates: refused
]

ROOT_URLCONF = "ipcity.urls"
WSGI_APPLICATION = "ipcity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ipcity.web.context.platform",
            ],
        },
    },
]

_SQLITE_OPTIONS = {
    # WAL lets readers work while a writer commits; IMMEDIATE avoids lock upgrades failing mid-transaction.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://", "sqlite:///")):
        raise ImproperlyConfigured("DATABASE_URL must start with postgres://, postgresql:// or sqlite:///")
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # The same SQLite as the default below, in another place.
        DATABASES["default"]["ENGINE"] = "ipcity.sqlite"
        DATABASES["default"]["OPTIONS"] = {**_SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's, checking a kept connection before a request uses it (ipcity/postgresql/base.py): after a restart
        # of the database server, pages go on working rather than failing once per server thread.
        DATABASES["default"]["ENGINE"] = "ipcity.postgresql"
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        # The few written-out queries every request runs ask to be prepared (ipcity.models.written_out_cursor); with
        # Django's default (None) psycopg would prepare nothing. The ORM's client-side binding never prepares.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise ImproperlyConfigured(
                "DATABASE_URL 指向 PostgreSQL，但未安装 psycopg：请运行 pip install 'ipcity[postgres]' "
                "(DATABASE_URL is PostgreSQL but psycopg is not installed: pip install 'ipcity[postgres]')"
            ) from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "ipcity.sqlite",  # Django's, with writers taking turns (ipcity/sqlite/base.py)
            "NAME": DATA_DIR / "ipcity.sqlite3",
            # Kept open by each worker thread, as on PostgreSQL: opening one per request ran the PRAGMAs above every
            # time, and setting the journal mode waits for the write lock, so under load every request queued on it.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": dict(_SQLITE_OPTIONS),
        }
    }

# Computed indicator values are shared by every worker through the cache, keyed by the registry version (never
# stale): a file cache in DATA_DIR by default (every worker of a server, or servers sharing the path), Redis when
# IPCITY_CACHE_URL names one (redis://host:6379/0).
CACHE_URL = os.environ.get("IPCITY_CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("IPCITY_CACHE_URL must start with redis:// or rediss://")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
          if CACHE_URL else
          {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": DATA_DIR / "cache",
           "OPTIONS": {"MAX_ENTRIES": 5000}}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["ipcity.accounts.backends.LockoutAwareBackend"]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/workspace/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "ipcity.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ipcity.accounts.passwords.CharacterClassValidator"},
]

# 等保2.0 style account protection: lock after repeated failures, end idle sessions.
LOGIN_FAILURE_LIMIT = _env_int("IPCITY_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = _env_int("IPCITY_LOGIN_LOCKOUT_MINUTES", 15)
SESSION_COOKIE_AGE = _env_int("IPCITY_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False  # the session is kept alive by ipcity.web.middleware.SessionTouchMiddleware
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION and _env_bool("IPCITY_HTTPS", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION and _env_bool("IPCITY_HTTPS", True):
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# `manage check --deploy` (CI) passes with these three left to the deployment: the HTTPS reverse proxy redirects plain
# http (W008), and HSTS for every subdomain and the browsers' preload list (W005, W021) bind the domain's other sites.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W008", "security.W021"]
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

UPLOAD_MAX_BYTES = _env_int("IPCITY_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# What one organization may store (every file it uploads, 佐证材料 included) over a rolling window, so no account can
# fill the disk; and how many 佐证材料 one record holds.
UPLOAD_QUOTA_BYTES = _env_int("IPCITY_UPLOAD_QUOTA_MB", 1024) * 1024 * 1024
UPLOAD_QUOTA_DAYS = _env_int("IPCITY_UPLOAD_QUOTA_DAYS", 30)
SUPPORTING_FILES_PER_RECORD = _env_int("IPCITY_SUPPORTING_FILES_PER_RECORD", 20)
EVIDENCE_PACKAGE_MAX_BYTES = _env_int("IPCITY_EVIDENCE_PACKAGE_MAX_MB", 4096) * 1024 * 1024  # the year's .zip
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "ipcity.web.uploads.SizeLimitedUploadHandler",  # refuses an oversized file while it streams in
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Production serves the files `ipcity migrate` collected, under hashed names (cached for a year, compressed);
# development and tests serve them straight from the package under their own names.
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage" if PRODUCTION
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Mail goes through a wrapper that logs every failure; it delivers with EMAIL_DELIVERY_BACKEND. Production needs a
# real backend (smtp) or IPCITY_EMAIL_DISABLED=1 (ipcity/startup.py); development prints mails to the console.
EMAIL_BACKEND = "ipcity.logs.LoggedEmailBackend"
EMAIL_DELIVERY_BACKEND = ("django.core.mail.backends.dummy.EmailBackend" if _env_bool("IPCITY_EMAIL_DISABLED", False)
                          else mail_backend(os.environ.get("IPCITY_EMAIL_BACKEND", "")) or
                          "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("IPCITY_EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("IPCITY_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("IPCITY_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("IPCITY_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("IPCITY_EMAIL_TLS", False)
EMAIL_USE_SSL = _env_bool("IPCITY_EMAIL_SSL", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("IPCITY_EMAIL_FROM", "webmaster@localhost")

# One line per record, naming the request it came from (ipcity/logs.py); errors (500s) and mail failures included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ipcity.logs.RequestIdFilter"}},
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("IPCITY_LOG_LEVEL", "WARNING")},
}

# Argon2 (accounts/passwords.py); the PBKDF2 hashes of earlier versions still check and become Argon2 at the next
# sign-in.
PASSWORD_HASHERS = ["ipcity.accounts.passwords.Argon2Hasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher",
                    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher"]
if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

# Evidence registration (存证). The origin names the log in its checkpoints; keys live in DATA_DIR/evidence/.
# Development and tests make the signing keys on first use; production only through `ipcity evidence keys init`.
EVIDENCE_KEYS_ON_FIRST_USE = not PRODUCTION
EVIDENCE_ORIGIN = os.environ.get("IPCITY_EVIDENCE_ORIGIN", "evidence.ipcity.local/nankai")
EVIDENCE_WITNESS_NAME = os.environ.get("IPCITY_EVIDENCE_WITNESS", "witness.ipcity.local/court")
EVIDENCE_TSA_ORGANIZATION = os.environ.get("IPCITY_EVIDENCE_TSA_ORG", "南开区知识产权全链条服务平台")
EVIDENCE_TSA_URL = os.environ.get("IPCITY_EVIDENCE_TSA_URL", "")  # an external RFC 3161 TSA, used instead when set
EVIDENCE_MAX_BYTES = _env_int("IPCITY_EVIDENCE_MAX_MB", 200) * 1024 * 1024
EVIDENCE_RATE_PER_MINUTE = _env_int("IPCITY_EVIDENCE_RATE_PER_MINUTE", 30)
# Each registration queues a sealing task for `ipcity worker` (the row lock keeps sealing to one at a time).
EVIDENCE_BACKGROUND_SEQUENCER = _env_bool("IPCITY_EVIDENCE_BACKGROUND_SEQUENCER", True)
# A request waiting for its certificate seals at most this often per server process: registrations arriving
# meanwhile share the checkpoint (ipcity.evidence.ledger.seal).
EVIDENCE_SEAL_MERGE_SECONDS = _env_int("IPCITY_EVIDENCE_SEAL_MERGE_MS", 50) / 1000
if not 0 <= EVIDENCE_SEAL_MERGE_SECONDS <= 1:  # past a second a registrant would wait for nothing
    raise ImproperlyConfigured("IPCITY_EVIDENCE_SEAL_MERGE_MS must be 0 to 1000 (milliseconds)")

# Background work (imports, reports, reminders, sealing) runs on Django's Tasks API with the database backend:
# web processes queue a row, `ipcity worker` runs it. A task whose worker process is gone is run again (at most
# TASK_MAX_ATTEMPTS times in all); a worker on another machine counts as gone after TASK_LEASE_SECONDS.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASK_MAX_ATTEMPTS = 3
TASK_LEASE_SECONDS = _env_int("IPCITY_TASK_LEASE_SECONDS", 6 * 3600)
