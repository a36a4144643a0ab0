"""Every source string has a Vietnamese translation, and the catalogue matches the source."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_catalogue_is_complete_and_not_fuzzy():  # type: ignore[no-untyped-def]
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"untranslated: {missing[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"
    assert len(po) > 250


def test_placeholders_survive_translation():  # type: ignore[no-untyped-def]
    import re

    pattern = re.compile(r"%\(\w+\)s|\{\{ *\w+ *\}\}")
    for entry in polib.pofile(str(PO)):
        for msgstr in [entry.msgstr, *entry.msgstr_plural.values()]:
            if msgstr:
                assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(msgstr)), entry.msgid


def test_every_source_string_is_in_the_catalogue(tmp_path):  # type: ignore[no-untyped-def]
    """Extract the strings afresh (makemessages) and compare: a new string without a translation fails."""
    if shutil.which("xgettext") is None:
        if os.environ.get("LAMTHEO_REQUIRE_GETTEXT") == "1":
            pytest.fail("xgettext is required (apt-get install gettext)")
        pytest.skip("xgettext not installed: run `make test` as root to install gettext")
    work = tmp_path / "src"
    shutil.copytree(ROOT / "lamtheo", work / "lamtheo", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "config", work / "config", ignore=shutil.ignore_patterns("__pycache__"))
    (work / "locale" / "vi" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(ROOT / "manage.py", work / "manage.py")
    env = {**os.environ, "PYTHONPATH": str(work), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(work / "locale" / "vi" / "LC_MESSAGES" / "django.po"))}
    ours = {e.msgid for e in polib.pofile(str(PO)) if e.translated()}
    assert not (fresh - ours), f"strings without a Vietnamese translation: {sorted(fresh - ours)[:15]}"
