from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.models import AuditEvent
from gongzhi.core.services import verify_audit_chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exit non-zero naming the first broken event."

    def handle(self, *args, **options):
        broken = verify_audit_chain()
        if broken is None:
            count = AuditEvent.objects.count()
            self.stdout.write(self.style.SUCCESS(f"audit trail intact: {count} events"))
            return
        if isinstance(broken, AuditEvent):
            raise CommandError(
                f"audit trail broken at event #{broken.seq} (id {broken.pk}, {broken.verb} "
                f"{broken.target_type}:{broken.target_id}): "
                "altered, or an event before it was removed"
            )
        raise CommandError(f"audit trail broken: {broken}")
