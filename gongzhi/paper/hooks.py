"""Sections paper adds to pages of the apps below it (core/sections.py): for staff of
an area of the town, the way to print a page's paper form and to record one. And the
erasure of a paper's photo when its resident's account is deleted."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from gongzhi.accounts.models import User
from gongzhi.core.sections import register_section
from gongzhi.events.models import ActivityStatus

from .kinds import KINDS
from .queries import paper_window, plan_kinds

TEMPLATE = "paper/section.html"


def _takes_sign_ups(activity) -> bool:
    return activity.status == ActivityStatus.PUBLISHED and activity.starts_at > timezone.now()


def _for_staff(request, obj) -> bool:
    return request.user.is_authenticated and request.user.has_perm("paper.use_desk", obj)


def _links(target, kinds, print_view) -> dict:
    args = [target.town.slug, target.pk]
    return {
        "print_url": reverse(print_view, args=args) if print_view else "",
        "records": [
            {"label": kind.label, "url": reverse(f"paper:record_{kind.key}", args=args)}
            for kind in kinds
        ],
    }


def area_section(request, area):
    if not _for_staff(request, area):
        return None
    return {"town": area.town, "desk": True}


def process_section(request, process):
    if not _for_staff(request, process):
        return None
    kinds = plan_kinds(process)
    if not kinds:
        return None
    printable = paper_window(process) is not None
    return _links(process, kinds, "paper:plan_form" if printable else None)


def _open_target(kind_key, is_open):
    def section(request, target):
        if not is_open(target) or not _for_staff(request, target):
            return None
        return _links(
            target, [KINDS[kind_key]], "paper:survey_form" if kind_key == "response" else None
        )

    return section


register_section(
    page="places.area", key="paper.area", order=95, template=TEMPLATE, context=area_section,
)  # fmt: skip
register_section(
    page="planning.process", key="paper.process", order=95, template=TEMPLATE,
    context=process_section,
)  # fmt: skip
register_section(
    page="proposals.proposal", key="paper.proposal", order=95, template=TEMPLATE,
    context=_open_target("support", lambda proposal: proposal.is_open),
)  # fmt: skip
register_section(
    page="surveys.survey", key="paper.survey", order=95, template=TEMPLATE,
    context=_open_target("response", lambda survey: survey.is_open),
)  # fmt: skip
register_section(
    page="events.activity", key="paper.activity", order=95, template=TEMPLATE,
    context=_open_target("registration", _takes_sign_ups),
)  # fmt: skip


@receiver(post_save, sender=User, dispatch_uid="paper.forget_photos_of_deleted_accounts")
def forget_photos_of_deleted_accounts(sender, instance, **kwargs):
    """A deleted account's paper forms lose their photos (a name and handwriting): the
    rows stay, anonymous like every contribution of a deleted account."""
    if instance.deleted_at is None:
        return
    for kind in KINDS.values():
        for row in kind.row_model.objects.filter(user=instance).exclude(paper_photo=""):
            row.paper_photo.delete(save=False)
            row.paper_photo = ""
            row.save(update_fields=["paper_photo"])
