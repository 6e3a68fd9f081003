from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump -Fc), the media and private files and "
        "a manifest (row counts, audit head, sha256 of every file) into a new folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="a new (or empty) folder for the backup")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, destination, database, **options):
        try:
            manifest = create_backup(Path(destination), using=database)
        except BackupError as error:
            raise CommandError(f"backup refused: {error}") from error
        head = manifest["audit_head"]
        self.stdout.write(
            self.style.SUCCESS(
                f"backup written to {Path(destination).resolve()}: "
                f"{len(manifest['tables'])} tables, "
                f"{sum(manifest['tables'].values())} rows, {len(manifest['files'])} files, "
                f"audit head #{head['last_seq']}"
            )
        )
