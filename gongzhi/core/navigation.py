"""The site's navigation: the programme's four pillars, the venues and reports in the
top menu, and the tab bar a resident's phone shows at the bottom of every page.

Every entry but 我的 is a page of one town. A page under /t/<town>/ links them in its
own town; a page without one (log-in, 我的, messages…) links them through
``places:go``, which leads into the person's town or, failing that, the
deployment's first town (core cannot read towns itself: places sits above it).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Entry:
    key: str  # the section of the site the entry stands for (see ``section_of``)
    label: str
    url_name: str  # takes the town's slug, unless ``town_scoped`` is False
    town_scoped: bool = True


PILLARS = [
    Entry("people", _("People"), "partners:directory"),
    Entry("planning", _("Planning"), "planning:process_list"),
    Entry("participation", _("Participation"), "events:activity_list"),
    Entry("projects", _("Projects"), "renewal:project_list"),
    # The register of venues (一客一厅): where activities and meetings are held.
    Entry("venues", _("Venues"), "venues:venue_list"),
    Entry("reports", _("Reports"), "reports:dashboard"),
]

# At most five, in the order residents know from the apps they use daily.
TABS = [
    Entry("home", pgettext_lazy("tab bar", "Home"), "places:town"),
    Entry("participation", pgettext_lazy("tab bar", "Take part"), "events:activity_list"),
    Entry("planning", pgettext_lazy("tab bar", "Plans"), "planning:process_list"),
    Entry("projects", pgettext_lazy("tab bar", "Projects"), "renewal:project_list"),
    Entry("me", pgettext_lazy("tab bar", "Me"), "me", town_scoped=False),
]

# Which section a page belongs to, by its URL namespace; a full "namespace:name"
# overrides its namespace. A resident's own pages belong to 我的 wherever they live.
SECTIONS = {
    "places": "home",
    "partners": "people",
    "organisations": "people",
    "cultivation": "people",
    "events": "participation",
    "proposals": "participation",
    "meetings": "participation",
    "contests": "participation",
    "surveys": "participation",
    "planning": "planning",
    "renewal": "projects",
    "news": "projects",
    "venues": "venues",
    "reports": "reports",
    "accounts": "me",
    "notifications": "me",
    "me": "me",
    "sms_choices": "me",
    # The SMS ledger is staff's, beside the other figures; staff reach it from 待办.
    "sms_ledger": "reports",
    "paper": "participation",
    "partners:my_applications": "me",
    "partners:edit_application": "me",
    "partners:recommendation": "me",
    "account_login": None,
    "account_signup": None,
    "accounts:privacy": None,
}


def town_entry(key: str) -> Entry | None:
    """The town-scoped entry of that key, from the menu or the tab bar."""
    for entry in [*PILLARS, *TABS]:
        if entry.key == key and entry.town_scoped:
            return entry
    return None


def section_of(match) -> str | None:
    """The section (an entry's key) of the page a resolver match names."""
    if match is None:
        return None
    if match.view_name in SECTIONS:
        return SECTIONS[match.view_name]
    return SECTIONS.get(match.namespace or match.url_name)


def me_url() -> str:
    """The person's 我的 page (their data page is linked from it)."""
    return reverse("me")


def entries(kind: list[Entry], town_slug: str | None, current: str | None, path: str):
    """The entries with their URLs and which one is current: ``page`` when the entry is
    this very page, ``true`` when the page lies within the entry's section."""
    items = []
    for entry in kind:
        if not entry.town_scoped:
            url = me_url() if entry.url_name == "me" else reverse(entry.url_name)
        elif town_slug:
            url = reverse(entry.url_name, args=[town_slug])
        else:
            # Places picks the person's town when the link is followed.
            url = reverse("places:go", args=[entry.key])
        marked = None
        if url == path:
            marked = "page"
        elif entry.key == current:
            marked = "true"
        items.append(
            {
                "key": entry.key,
                "label": entry.label,
                "url": url,
                "current": marked,
                # Phones show these in the tab bar, so their top menu leaves them out.
                "in_tabs": any(tab.key == entry.key for tab in TABS),
            }
        )
    return items
