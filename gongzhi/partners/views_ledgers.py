"""Excel ledgers of the talent pool: the roster export, the import of applications
collected on paper, and the import template. The work is done in ledgers.py."""

import tempfile

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from gongzhi.core.access import LoginRequired, check_perm, get_checked
from gongzhi.core.rules import is_administrator, is_secretariat
from gongzhi.core.validators import validate_upload_size
from gongzhi.core.views import form_page
from gongzhi.places.models import Town

from . import ledgers

# The template holds no personal data; who may import somewhere may download it.
may_download_template = is_administrator | is_secretariat


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        validators=[FileExtensionValidator(["xlsx"]), validate_upload_size],
        widget=forms.FileInput(attrs={"accept": f".xlsx,{ledgers.XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "Filled in from the template; at most %(limit)s applications."
        ) % {"limit": f"{ledgers.MAX_IMPORT_ROWS:,}"}


def _xlsx_response(out, filename: str, fallback: str) -> FileResponse:
    out.seek(0)
    response = FileResponse(out, content_type=ledgers.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = ledgers.attachment_header(filename, fallback)
    return response


def roster_export(request, town_slug):
    """The partner roster (台账) as an Excel file: the whole town for its secretariat,
    the partners of their own areas for area staff. The download is logged."""
    town = get_checked(request, "partners.export_roster", Town, slug=town_slug)
    # The file is built on disk, not in memory, and streamed from there.
    on = timezone.localdate()
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    ledgers.export_roster(out, town=town, user=request.user, on=on)
    response = _xlsx_response(out, *ledgers.roster_filename(town, on))
    # Personal data: no shared cache may keep it.
    patch_cache_control(response, private=True, no_store=True)
    return response


def applications_import(request, town_slug):
    """Import applications collected on paper: every row checked, all or nothing."""
    town = get_checked(request, "partners.import", Town, slug=town_slug)
    row_errors: list[ledgers.RowError] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                created = ledgers.import_applications(
                    town=town, actor=request.user, upload=form.cleaned_data["file"]
                )
            except ledgers.ImportRejected as rejected:
                form.add_error("file", rejected.message)
                row_errors = rejected.errors
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d application was imported; it is waiting for review.",
                        "%(count)d applications were imported; they are waiting for review.",
                        len(created),
                    )
                    % {"count": len(created)},
                )
                return redirect(reverse("partners:review_queue", args=[town.slug]))
    else:
        form = ImportForm()
    context = {
        "town": town,
        "form": form,
        "row_errors": row_errors[: ledgers.MAX_ERRORS_SHOWN],
        "row_error_count": len(row_errors),
        "layout": ledgers.import_layout(town, html=True),
        "notes": ledgers.import_notes(),
    }
    return form_page(request, "partners/import.html", context, form)


def import_template(request):
    """The import template workbook; ?town=<slug> adds that town's residential areas."""
    if not may_download_template.test(request.user):
        if not request.user.is_authenticated:
            raise LoginRequired
        raise PermissionDenied
    town = None
    if request.GET.get("town"):
        town = get_object_or_404(Town, slug=request.GET["town"])
        check_perm(request, "partners.import", town)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    ledgers.write_import_template(out, town=town)
    return _xlsx_response(out, *ledgers.template_filename())
