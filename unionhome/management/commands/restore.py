from pathlib import Path

from django.core.management.base import BaseCommand

from unionhome.backup import backup_restore


class Command(BaseCommand):
    help = "Restore an archive written by `backup` into an empty database (and empty upload folders)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace a database and upload folders that are not empty"
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive, force=False, database="default", **options):
        manifest = backup_restore(archive=archive, force=force, using=database)
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"restored {archive.name}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['files'])} files; every table's row count and checksum match the backup."
        )
