"""What partners adds to staff's 待办 (core/todo.py): applications waiting for the
secretariat's review (resubmitted answers to a question come back as submitted) and
recommendations the resident has not yet answered. Names are masked: the row only
points to the page where the reviewer, who may see more, does the work."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core.masking import mask_name
from gongzhi.core.todo import register_todo

from .models import Application, ApplicationStatus, Recommendation, RecommendationStatus


def waiting_applications(todo):
    return todo.narrow(Application.objects.filter(status=ApplicationStatus.SUBMITTED))


def application_rows(todo, limit):
    applications = (
        waiting_applications(todo).select_related("town", "area").order_by("created_at", "pk")
    )
    return [
        {
            "url": reverse("partners:review_application", args=[a.town.slug, a.pk]),
            "title": _("Application of %(name)s") % {"name": mask_name(a.name)},
            "detail": _("%(area)s · sent on %(date)s")
            % {"area": a.area.name, "date": a.created_at.date().isoformat()},
        }
        for a in applications[:limit]
    ]


def unanswered_recommendations(todo):
    return todo.narrow(
        Recommendation.objects.filter(
            status=RecommendationStatus.PENDING, expires_at__gt=timezone.now()
        )
    )


def recommendation_rows(todo, limit):
    recommendations = (
        unanswered_recommendations(todo).select_related("town", "area").order_by("expires_at", "pk")
    )
    return [
        {
            "url": reverse("partners:recommendations", args=[r.town.slug]),
            "title": _("Recommendation of %(name)s") % {"name": mask_name(r.name)},
            "detail": _("%(area)s · link valid until %(date)s")
            % {"area": r.area.name, "date": timezone.localdate(r.expires_at).isoformat()},
        }
        for r in recommendations[:limit]
    ]


register_todo(
    key="partners.applications",
    order=10,
    title=gettext_lazy("Partner applications to review"),
    count=waiting_applications,
    rows=application_rows,
    who="town",
)
register_todo(
    key="partners.recommendations",
    order=11,
    title=gettext_lazy("Recommendations not yet answered"),
    count=unanswered_recommendations,
    rows=recommendation_rows,
    who="town",
)
