"""Check the support and comment counts kept on proposals against their rows, and
repair any that drifted (e.g. after rows were written around the services).

    manage.py repair_counts          # report and repair
    manage.py repair_counts --check  # report only; exit status 1 when any drifted
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gongzhi.proposals.counters import drift, recount
from gongzhi.proposals.models import Proposal


class Command(BaseCommand):
    help = "Check the proposals' support and comment counts against their rows; repair drift."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="report only, change nothing")

    def handle(self, *args, check=False, **options):
        found = drift()
        for row in found:
            self.stdout.write(
                f"proposal #{row['pk']}: supports {row['support_count'][0]} "
                f"(rows {row['support_count'][1]}), comments {row['comment_count'][0]} "
                f"(rows {row['comment_count'][1]})"
            )
        if not found:
            self.stdout.write(self.style.SUCCESS("All proposal counts match their rows."))
            return
        if check:
            raise CommandError(f"{len(found)} proposals' counts differ from their rows.")
        with transaction.atomic():
            recount(
                Proposal.objects.select_for_update().filter(pk__in=[row["pk"] for row in found])
            )
        self.stdout.write(self.style.SUCCESS(f"Repaired the counts of {len(found)} proposals."))
