"""What partners adds to staff's 待办 (core/todo.py): applications waiting for the
secretariat's review (resubmitted answers to a question come back as submitted) and
recommendations the resident has not yet answered. Names are masked: the row only
points to the page where the reviewer, who may see more, does the work."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core.masking import mask_name
from gongzhi.core.todo import todo_section

from .models import Application, ApplicationStatus, Recommendation, RecommendationStatus


def waiting_applications(todo):
    applications = Application.objects.filter(status=ApplicationStatus.SUBMITTED)
    return todo.narrow(applications).select_related("town", "area").order_by("created_at", "pk")


@todo_section(
    "partners.applications",
    10,
    gettext_lazy("Partner applications to review"),
    waiting_applications,
    who="town",
)
def application_row(a):
    return {
        "url": reverse("partners:review_application", args=[a.town.slug, a.pk]),
        "title": _("Application of %(name)s") % {"name": mask_name(a.name)},
        "detail": _("%(area)s · sent on %(date)s")
        % {"area": a.area.name, "date": a.created_at.date().isoformat()},
    }


def unanswered_recommendations(todo):
    recommendations = Recommendation.objects.filter(
        status=RecommendationStatus.PENDING, expires_at__gt=timezone.now()
    )
    return todo.narrow(recommendations).select_related("town", "area").order_by("expires_at", "pk")


@todo_section(
    "partners.recommendations",
    11,
    gettext_lazy("Recommendations not yet answered"),
    unanswered_recommendations,
    who="town",
)
def recommendation_row(r):
    return {
        "url": reverse("partners:recommendations", args=[r.town.slug]),
        "title": _("Recommendation of %(name)s") % {"name": mask_name(r.name)},
        "detail": _("%(area)s · link valid until %(date)s")
        % {"area": r.area.name, "date": timezone.localdate(r.expires_at).isoformat()},
    }
