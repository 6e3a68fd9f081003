"""待办: the staff member's workbench (core/todo.py holds the registry)."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext as _

from .pagecache import kept_per_person
from .scope import user_scope
from .todo import is_staff, sections_for
from .views import error_page


@kept_per_person
def todo(request):
    """What waits for a staff member within their scope, section by section as the
    capabilities register them. Residents and partners are told where their own
    things are instead of getting a bare 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_staff(user_scope(request.user)):
        return error_page(
            request,
            403,
            _("Not allowed"),
            _(
                "The to-do list is for area staff and the secretariat. Your own "
                "sign-ups, proposals and applications are under your account."
            ),
        )
    sections = sections_for(request.user)
    total = sum(section["count"] for section in sections)
    # The header's badge shows the same total: counted once, not again (core/todo.py).
    request.todo_count = total
    return render(request, "core/todo.html", {"sections": sections, "total": total})
