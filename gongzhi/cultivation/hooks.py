"""The public summary cultivation adds to a residential area's page (core/sections.py):
per programme, how many people of the area took part and completed it; no names.
Staff who may see the names get the link to the area's record."""

from django.urls import reverse

from gongzhi.core.sections import register_section

from .queries import area_summary


def area_section(request, area):
    summary = area_summary(area)
    user = getattr(request, "user", None)
    record_url = None
    if user is not None and user.has_perm("cultivation.view_area_record", area):
        record_url = reverse("cultivation:area_trainees", args=[area.town.slug, area.pk])
    if not summary and not record_url:
        return None
    return {"summary": summary, "record_url": record_url, "town_slug": area.town.slug}


register_section(
    page="places.area",
    key="cultivation.area",
    order=45,
    template="cultivation/section_area.html",
    context=area_section,
)
