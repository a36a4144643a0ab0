"""Local development and the demo (`make run`): plain static files, mail to the console.

DEBUG is off unless LAMTHEO_DEBUG=1, so that a newcomer sees the product's own error pages and not Django's
debug page (static files are served by WhiteNoise from what `make run` collected)."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("LAMTHEO_DEBUG") == "1"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
