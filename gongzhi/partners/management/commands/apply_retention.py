from django.core.management.base import BaseCommand

from gongzhi.partners.retention import apply_retention


class Command(BaseCommand):
    help = "Delete or anonymise personal data whose retention period has passed (run daily)."

    def handle(self, *args, **options):
        counts = apply_retention()
        for what, n in counts.items():
            self.stdout.write(f"{what}: {n}")
