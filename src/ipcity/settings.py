"""Django settings. Everything that differs between machines comes from the environment,
and a bad value stops the platform at start-up with a message saying which variable is wrong."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ipcity.startup import data_dir, stored_secret_key

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET = "ipcity-insecure-development-key-do-not-use-in-production"


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

DATA_DIR = data_dir()
UPLOAD_DIR = DATA_DIR / "uploads"  # outside the web root: served only through permission-checked views

# `ipcity serve` stores a generated key in DATA_DIR/secret_key when none is given (ipcity/startup.py).
SECRET_KEY = os.environ.get("IPCITY_SECRET_KEY") or stored_secret_key(DATA_DIR) or DEFAULT_SECRET
if PRODUCTION and (SECRET_KEY == DEFAULT_SECRET or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured(
        "IPCITY_ENV=production requires IPCITY_SECRET_KEY: a random secret of at least 40 characters "
        "(the built-in development key is refused), or the key `ipcity serve` stores in DATA_DIR/secret_key"
    )

DEBUG = _env_bool("IPCITY_DEBUG", not PRODUCTION and ENVIRONMENT != "test")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("IPCITY_DEBUG must be off when IPCITY_ENV=production")

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
    "django.middleware.security.SecurityMiddleware",
    "ipcity.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://", "sqlite:///")):
        raise ImproperlyConfigured("DATABASE_URL must start with postgres://, postgresql:// or sqlite:///")
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "ipcity.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while a writer commits; IMMEDIATE avoids lock upgrades failing mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }

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
SESSION_SAVE_EVERY_REQUEST = True
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
WHITENOISE_USE_FINDERS = True  # serve straight from the package; `collectstatic` is optional
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = os.environ.get("IPCITY_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("IPCITY_LOG_LEVEL", "WARNING")},
}

if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Evidence registration (存证). The origin names the log in its checkpoints; keys live in DATA_DIR/evidence/.
EVIDENCE_ORIGIN = os.environ.get("IPCITY_EVIDENCE_ORIGIN", "evidence.ipcity.local/nankai")
EVIDENCE_WITNESS_NAME = os.environ.get("IPCITY_EVIDENCE_WITNESS", "witness.ipcity.local/court")
EVIDENCE_TSA_ORGANIZATION = os.environ.get("IPCITY_EVIDENCE_TSA_ORG", "南开区知识产权全链条服务平台")
EVIDENCE_TSA_URL = os.environ.get("IPCITY_EVIDENCE_TSA_URL", "")  # an external RFC 3161 TSA, used instead when set
EVIDENCE_MAX_BYTES = _env_int("IPCITY_EVIDENCE_MAX_MB", 200) * 1024 * 1024
EVIDENCE_RATE_PER_MINUTE = _env_int("IPCITY_EVIDENCE_RATE_PER_MINUTE", 30)
# A thread in each web process seals pending registrations every second (the row lock keeps it to one at a time).
EVIDENCE_BACKGROUND_SEQUENCER = _env_bool("IPCITY_EVIDENCE_BACKGROUND_SEQUENCER", True)
