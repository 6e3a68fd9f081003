"""Excel ledgers (台账): one sheet per ledger, streamed.

A capability describes its ledger as a ``Ledger`` (a title, the columns, and a
function yielding rows); ``write_workbook`` writes one or several ledgers into an
.xlsx workbook with write-only sheets, reading rows as they come, so memory stays
bounded however large the town. ``xlsx_download`` builds the file on disk and
streams it as a private download. The reports capability bundles every ledger into
one workbook the same way.
"""

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="FFE8E8E8")
TITLE_FONT = Font(bold=True, size=14)
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Lists inside one cell are joined the way Chinese ledgers are.
LIST_SEPARATOR = "、"


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 16


@dataclass(frozen=True)
class Ledger:
    """``rows`` yields one list of cell values per record, in column order."""

    sheet_title: str
    title: str
    columns: list[Column]
    rows: Callable[[], Iterable[list]]


def ledger_title(text_with_year: str, text_exported: str, *, town, year: int | None) -> str:
    """A ledger's title: the year's ledger (``text_with_year``, with ``%(town)s`` and
    ``%(year)d``) or, for all years, one that says when it was exported
    (``text_exported``, with ``%(town)s`` and ``%(date)s``)."""
    if year is None:
        return text_exported % {"town": town.name, "date": timezone.localdate().isoformat()}
    return text_with_year % {"town": town.name, "year": year}


def wall_clock(moment):
    """A moment as the local wall-clock time Excel shows (it has no time zones)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def attachment_header(filename: str, fallback: str) -> str:
    """Content-Disposition for a download: an ASCII name for old clients and the
    real (often Chinese) name in RFC 5987 form for everyone else."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        # Keep text as text: openpyxl would store it as a formula, and a resident's
        # words must never run in a staff member's spreadsheet.
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def write_sheet(book: Workbook, ledger: Ledger) -> int:
    """Append ``ledger`` as a sheet of the write-only ``book``; return its row count."""
    sheet = book.create_sheet(str(ledger.sheet_title)[:31])
    for index, column in enumerate(ledger.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(ledger.columns))}2"
    title = WriteOnlyCell(sheet, value=str(ledger.title))
    title.font = TITLE_FONT
    sheet.append([title])
    header = []
    for column in ledger.columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    written = 0
    for row in ledger.rows():
        written += 1
        sheet.append([_cell(sheet, value) for value in row])
    return written


def write_workbook(out, ledgers: list[Ledger]) -> dict[str, int]:
    """Write the ledgers, one sheet each, to ``out``; return rows per sheet title."""
    book = Workbook(write_only=True)
    counts = {str(ledger.sheet_title): write_sheet(book, ledger) for ledger in ledgers}
    book.save(out)
    return counts


def xlsx_download(ledgers: list[Ledger], filename: str, fallback: str) -> FileResponse:
    """The workbook as a download: built in a temporary file (not in memory) and
    streamed from there; never kept by a shared cache (ledgers hold personal data)."""
    return _download(ledgers, filename, fallback)[0]


def logged_download(
    ledgers: list[Ledger], filename: str, fallback: str, *, actor, town, name: str, **extra
) -> FileResponse:
    """``xlsx_download``, with the access logged (ledgers hold people's names and
    decisions: DOMAIN.md, access to ledgers is logged): a ``ledger.export`` event on
    ``town`` naming the ledger, the rows written and the ``extra`` filters."""
    from gongzhi.core.services import record_event

    response, counts = _download(ledgers, filename, fallback)
    record_event(
        actor=actor,
        verb="ledger.export",
        target=town,
        after={"ledger": name, "rows": sum(counts.values()), **extra},
    )
    return response


def _download(ledgers: list[Ledger], filename: str, fallback: str):
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    counts = write_workbook(out, ledgers)
    out.seek(0)
    response = FileResponse(out, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_header(filename, fallback)
    patch_cache_control(response, private=True, no_store=True)
    return response, counts
