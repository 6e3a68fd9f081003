from django.core.management.base import BaseCommand

from gongzhi.core.sms.outgoing import send_due


class Command(BaseCommand):
    help = (
        "Send the text messages whose time came: those held overnight (quiet hours "
        "21:00-08:00), retries after a provider error, any whose task was lost. Run "
        "from cron every minute; safe to run twice or at once on several machines."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"tried: {send_due()}")
