from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from gongzhi.events.tasks import send_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders for activities that start tomorrow (run daily; "
        "safe to run more than once)."
    )

    def handle(self, *args, **options):
        result = send_reminders.enqueue()
        if result.status == TaskResultStatus.FAILED:  # the immediate backend ran it
            raise CommandError(result.errors[-1].traceback if result.errors else "failed")
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"reminded: {result.return_value}")
        else:
            self.stdout.write(f"queued: task {result.id}")
