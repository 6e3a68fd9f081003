from django.shortcuts import get_object_or_404, render

from gongzhi.places.models import Town


def survey_detail(request, town_slug, pk):
    town = get_object_or_404(Town, slug=town_slug)
    return render(request, "base.html", {"town": town})
