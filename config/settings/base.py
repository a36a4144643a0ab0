"""Settings shared by every environment. Wiring only: no domain code here."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LAMTHEO_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-secret-change-me-in-production-0123456789")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "lamtheo.core",
    "lamtheo.rulebook",
    "lamtheo.organizations",
    "lamtheo.planning",
    "lamtheo.remediation",
    "lamtheo.commitments",
    "lamtheo.oversight",
    "lamtheo.feedback",
    "lamtheo.portal",
    "lamtheo.roster",
    "lamtheo.api",
    "lamtheo.devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lamtheo.core.middleware.VietnameseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Builds request.actor and activates the organization scope for the whole request.
    "lamtheo.organizations.middleware.ActorMiddleware",
    # Every view is login-only unless marked with @login_not_required (a test lists each public URL).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lamtheo.core.context_processors.navigation_menu",
            ],
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'lamtheo.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_SQLITE), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

AUTH_USER_MODEL = "organizations.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
# Our Vietnamese formats (digit grouping 1.234,5; dd/mm/yyyy) replace Django's.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
# Uploaded evidence files; served only through scoped views (never as public media).
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media-not-served/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"lamtheo": {"handlers": ["console"], "level": "INFO"}},
}

# Demo accounts share one password; `make run` prints it. Never used outside the demo seed.
LAMTHEO_DEMO_PASSWORD = os.environ.get("LAMTHEO_DEMO_PASSWORD", "lamtheo@2025")

# Background jobs: django-tasks with its database backend; `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Job progress is shared between the worker and web processes (files locally; set REDIS_URL in production).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Roster imports and exports (limits are settings, not constants: offices differ).
LAMTHEO_UPLOAD_DIR = VAR_DIR / "uploads"
LAMTHEO_EXPORT_DIR = VAR_DIR / "exports"
LAMTHEO_IMPORT_LIMITS = {
    "max_bytes": int(os.environ.get("LAMTHEO_IMPORT_MAX_MB", "50")) * 1024 * 1024,
    "max_rows": int(os.environ.get("LAMTHEO_IMPORT_MAX_ROWS", "1000000")),
    "max_cell_chars": 2000,
    "max_uncompressed_bytes": 1024 * 1024 * 1024,
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024


# Planning: progress more than this many points behind the time elapsed is "at risk"; reminders go out this
# many working days before a due date (weekends and the rulebook's public holidays skipped).
LAMTHEO_AT_RISK_MARGIN = 10
# Citizens' reports: photo size, and how many reports (and follow-ups) one client may send (django-ratelimit
# rates: "<count>/<period>", period s, m, h or d); the load benchmark raises the rate for its one client.
LAMTHEO_PHOTO_MAX_BYTES = int(os.environ.get("LAMTHEO_PHOTO_MAX_MB", "10")) * 1024 * 1024
LAMTHEO_REPORT_RATE = os.environ.get("LAMTHEO_REPORT_RATE", "10/h")
LAMTHEO_FOLLOWUP_RATE = os.environ.get("LAMTHEO_FOLLOWUP_RATE", "30/h")
LAMTHEO_REMINDER_WORKING_DAYS = int(os.environ.get("LAMTHEO_REMINDER_WORKING_DAYS", "3"))

# The API never returns more than this many rows per page (?limit= is capped).
NINJA_PAGINATION_MAX_LIMIT = 500
# A unit given a task is "not reporting" once its last progress report is older than this many days.
LAMTHEO_REPORT_STALE_DAYS = int(os.environ.get("LAMTHEO_REPORT_STALE_DAYS", "30"))
# Tests want a failing home-page provider to fail loudly; a server logs it and shows the rest.
LAMTHEO_WORKLIST_RAISE = False
