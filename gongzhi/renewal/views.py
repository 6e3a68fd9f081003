"""Placeholder until the pages are written (see urls.py for the contract)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


project_list = create_project = ledger = project_detail = manage = edit_project = _todo
add_milestone = record_milestone = add_spending = approve_budget = add_photo = _todo
start_construction = suspend = resume = complete = start_maintenance = _todo
