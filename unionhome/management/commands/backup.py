from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from unionhome.backup import backup_create


class Command(BaseCommand):
    help = "Write a timestamped archive of the database and the uploaded files (see unionhome/backup.py)."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, default=None, help="default: UNIONHOME_BACKUP_DIR")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output_dir=None, database="default", **options):
        archive = backup_create(output_dir=output_dir or Path(settings.UNIONHOME_BACKUP_DIR), using=database)
        self.stdout.write(str(archive))
