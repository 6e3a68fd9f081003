"""The site's navigation: the programme's four pillars plus reports.

Each capability registers the URL name of its pillar page here when it lands; a
pillar without one is shown as "coming" rather than linking to an empty page.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Pillar:
    key: str
    label: str
    url_name: str | None  # a town-scoped URL taking town_slug, or None while not built


PILLARS = [
    Pillar("people", _("People"), "partners:directory"),
    Pillar("planning", _("Planning"), "planning:process_list"),
    Pillar("participation", _("Participation"), "events:activity_list"),
    Pillar("projects", _("Projects"), "renewal:project_list"),
    Pillar("reports", _("Reports"), "reports:dashboard"),
]
