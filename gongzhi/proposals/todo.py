"""What proposals adds to staff's 待办 (core/todo.py): reported comments still to hide
or keep, and residents' comments on open proposals that have no official reply yet.
The rows show the proposal and a few words of the comment, never its author."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core.todo import todo_section

from .models import OPEN_STATUSES, Comment


def _shown(todo, comments):
    """The comments of the viewer's scope, oldest first, with the proposal's town and
    area that every row reads."""
    return (
        todo.narrow(comments, through="proposal")
        .select_related("proposal__town", "proposal__area")
        .order_by("created_at", "pk")
    )


def reported_comments(todo):
    # reports__isnull=False in the same filter(): "resolved_at is null" alone would
    # also match, through the outer join, every comment never reported. distinct: a
    # comment reported by three residents is one thing to moderate.
    return _shown(
        todo,
        Comment.objects.filter(reports__isnull=False, reports__resolved_at__isnull=True).distinct(),
    )


@todo_section(
    "proposals.reported", 30, gettext_lazy("Reported comments to moderate"), reported_comments
)
def reported_row(c):
    return {
        "url": reverse("proposals:moderation", args=[c.proposal.town.slug]),
        "title": _("Reported comment on “%(proposal)s”: %(text)s")
        % {"proposal": c.proposal.title, "text": Truncator(c.body).chars(40)},
        "detail": c.proposal.area.name,
    }


def unreplied_comments(todo):
    return _shown(
        todo,
        Comment.objects.filter(
            parent__isnull=True,
            is_official=False,
            hidden_at__isnull=True,
            proposal__status__in=OPEN_STATUSES,
        ).exclude(replies__is_official=True),
    )


@todo_section(
    "proposals.comments",
    31,
    gettext_lazy("Proposal comments awaiting an official reply"),
    unreplied_comments,
)
def unreplied_row(c):
    return {
        "url": c.proposal.get_absolute_url() + f"#comment-{c.pk}",
        "title": _("Comment on “%(proposal)s”: %(text)s")
        % {"proposal": c.proposal.title, "text": Truncator(c.body).chars(40)},
        "detail": _("%(area)s · written on %(date)s")
        % {"area": c.proposal.area.name, "date": c.created_at.date().isoformat()},
    }
