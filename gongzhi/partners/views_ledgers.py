"""Excel ledgers of the talent pool (being written: see partners/ledgers.py)."""

from django.http import HttpResponse


def roster_export(request, town_slug):  # pragma: no cover - placeholder until the ledger lands
    return HttpResponse(status=501)


def applications_import(request, town_slug):  # pragma: no cover
    return HttpResponse(status=501)


def import_template(request):  # pragma: no cover
    return HttpResponse(status=501)
