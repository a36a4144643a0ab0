"""Test settings: fast hashing, plain static storage (live_server cannot serve hashed names)."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

_TMP = Path(tempfile.mkdtemp(prefix="lamtheo-test-"))
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LAMTHEO_UPLOAD_DIR = _TMP / "uploads"
LAMTHEO_EXPORT_DIR = _TMP / "exports"
MEDIA_ROOT = _TMP / "media"
LAMTHEO_WORKLIST_RAISE = True
