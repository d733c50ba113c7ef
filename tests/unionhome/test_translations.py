import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {
    "en": ROOT / "unionhome/locale/en/LC_MESSAGES/django.po",
    "zh_Hans": ROOT / "unionhome/locale/zh_Hans/LC_MESSAGES/django.po",
}
SOURCE_DIRS = ["unionhome", "members", "activities", "welfare", "congress", "templates"]


@pytest.mark.parametrize("language", CATALOGUES)
def test_it_translates_every_entry(language):
    catalogue = polib.pofile(str(CATALOGUES[language]))
    untranslated = [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert untranslated == []


def test_it_has_every_source_string_in_the_catalogues(tmp_path):
    """Extract the messages from a copy of the source and compare with the committed catalogue."""
    for name in SOURCE_DIRS:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    (tmp_path / "unionhome/locale").mkdir()
    env = {"DJANGO_DEBUG": "true", "UNIONHOME_VAR_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "-v", "0"],
        cwd=tmp_path,
        env=env,
        check=True,
        timeout=120,
    )
    extracted = {
        entry.msgid for entry in polib.pofile(str(tmp_path / "unionhome/locale/en/LC_MESSAGES/django.po"))
    }
    committed = {entry.msgid for entry in polib.pofile(str(CATALOGUES["en"])) if not entry.obsolete}
    assert sorted(extracted - committed) == [], "run manage.py messages_update and translate the new entries"
