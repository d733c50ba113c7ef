from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

IGNORE = [".venv", "var", "tests", "staticfiles", "test-artifacts"]


class Command(BaseCommand):
    help = (
        "Refresh the zh_Hans and en catalogues from the source and list English entries still to translate."
    )

    def handle(self, *args, **options):
        import polib

        call_command(
            "makemessages",
            locale=["en", "zh_Hans"],
            ignore_patterns=IGNORE,
            no_location=True,
            no_obsolete=True,
            verbosity=0,
        )
        locale_dir = Path(settings.LOCALE_PATHS[0])
        # Source strings are Chinese, so the Chinese catalogue is the identity.
        chinese = polib.pofile(str(locale_dir / "zh_Hans/LC_MESSAGES/django.po"))
        for entry in chinese:
            entry.msgstr = entry.msgid
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid_plural}
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        chinese.metadata.update(
            {
                "Language": "zh_Hans",
                "Language-Team": "unionhome",
                "Project-Id-Version": "unionhome",
                "Last-Translator": "unionhome",
                "PO-Revision-Date": "2026-11-23 00:00+0800",
            }
        )
        chinese.metadata_is_fuzzy = False
        chinese.save()
        english = polib.pofile(str(locale_dir / "en/LC_MESSAGES/django.po"))
        english.metadata.update(
            {
                "Language": "en",
                "Language-Team": "unionhome",
                "Project-Id-Version": "unionhome",
                "Last-Translator": "unionhome",
                "PO-Revision-Date": "2026-11-23 00:00+0800",
            }
        )
        english.metadata_is_fuzzy = False
        english.save()
        missing = [entry.msgid for entry in english if not entry.translated() or "fuzzy" in entry.flags]
        for msgid in missing:
            self.stdout.write(msgid)
        self.stdout.write(f"{len(missing)} English entries to translate")
