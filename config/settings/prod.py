"""Production: secrets, hosts and the database come from the environment; HTTPS behind a proxy."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
if "DATABASE_URL" not in os.environ:
    raise RuntimeError("Set DATABASE_URL (PostgreSQL) in production; the embedded SQLite is for a laptop.")
assert DATABASES["default"]["ENGINE"]  # parsed from DATABASE_URL in base

# Demo and scale-data generators never ship (they create accounts with a published password).
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "lamtheo.devtools"]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SESSION_COOKIE_AGE = 8 * 3600  # a working day
