"""Retention of the talent pool's personal data (PIPL: each category has a period).

- A recommendation names a resident who has not consented to anything: once its link
  has expired unanswered, it is deleted.
- A declined application is deleted one year after the decision.
- A partner who left is anonymised one year after leaving; the row stays because
  memberships and later records refer to it, shown as a former partner.
- A used one-time form token (core.Submission: who sent which form) is deleted after
  30 days (``core.services.forget_submissions``).

The privacy notice (accounts/privacy.py, "partner_profile") promises these periods.
Run daily: `python manage.py apply_retention`.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gongzhi.core.services import forget_submissions, record_event

from .models import Application, ApplicationStatus, Partner, PartnerStatus, Recommendation

KEEP_DECLINED = timedelta(days=365)
KEEP_LEFT = timedelta(days=365)


@transaction.atomic
def apply_retention(*, now=None) -> dict[str, int]:
    now = now or timezone.now()
    expired = Recommendation.objects.filter(status="pending", expires_at__lte=now)
    expired_count = expired.count()
    expired.delete()

    declined = Application.objects.filter(
        status=ApplicationStatus.DECLINED, decided_at__lte=now - KEEP_DECLINED
    )
    declined_count = 0
    for application in declined:
        record_event(actor=None, verb="retention.delete_application", target=application)
        application.delete()
        declined_count += 1

    left = Partner.objects.filter(
        status=PartnerStatus.LEFT, updated_at__lte=now - KEEP_LEFT
    ).exclude(name="")
    left_count = 0
    for partner in left:
        partner.name = ""
        partner.profession = ""
        partner.party_status = "none"
        partner.availability = []
        partner.save()
        partner.skills.clear()
        record_event(actor=None, verb="retention.anonymise_partner", target=partner)
        left_count += 1
    return {
        "used_form_tokens": forget_submissions(now=now),
        "expired_recommendations": expired_count,
        "declined_applications": declined_count,
        "former_partners": left_count,
    }
