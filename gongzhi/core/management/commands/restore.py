from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a folder written by `backup` into an empty database and empty media and "
        "private folders; the backup is checked against its manifest first, the result "
        "against it afterwards (row counts, audit head, files, audit chain)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup folder")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "empty a non-empty target first: DROP the database's tables and move the "
                "files of the media and private folders aside (what the database held is lost)"
            ),
        )
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, source, force, database, **options):
        try:
            restored = restore_backup(Path(source), force=force, using=database)
        except BackupError as error:
            raise CommandError(f"restore refused: {error}") from error
        for note in restored.notes:
            self.stdout.write(note)
        manifest = restored.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"restored the backup of {manifest['created_at']} "
                f"(code {manifest.get('git_commit') or 'unknown'}); run `manage.py migrate` "
                "if this code is newer than the backup"
            )
        )
