"""Excel ledgers (台账) of the talent pool.

The partner roster is exported with the columns a community worker files. Applications
collected on paper are imported from a workbook laid out as docs/ledgers.md describes.
An import is all or nothing: every row is checked first, each problem is reported with
the row number Excel shows, and one bad row means nothing is stored.

Later capabilities add roster columns through ``register_roster_column`` (organisations
adds units and roles), so that partners imports none of them.
"""

import difflib
import itertools
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError
from gongzhi.core.ledgers import (  # noqa: F401 - re-exported for the roster's users
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    LIST_SEPARATOR,
    TITLE_FONT,
    XLSX_CONTENT_TYPE,
    Column,
    Ledger,
    attachment_header,
    write_workbook,
)
from gongzhi.core.scope import within_scope
from gongzhi.core.services import record_event

from .matching import split_tags
from .models import Application, Channel, Mode, Partner, PartyStatus, Slot
from .services import submit_application

# Rows are read from the database and written to the sheet this many at a time, so
# the memory an export needs does not grow with the town.
CHUNK_SIZE = 500
# Each application is written through submit_application (account, consents, audit
# event) inside one transaction: 500 rows take about 5 s on PostgreSQL, well inside a
# request's time and short enough to hold the audit chain's lock. Bigger batches of
# paper forms are split into several files.
MAX_IMPORT_ROWS = 500
# A workbook of 2,000 applications unpacks to a few megabytes; far more is a zip bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Rows with problems shown on the page; the count of all of them is always given.
MAX_ERRORS_SHOWN = 500

REQUIRED_FILL = PatternFill("solid", start_color="FFFDE2C8")


def _as_text(cell):
    """Keep text that starts with "=" as text: openpyxl would store it as a formula,
    and a resident's name must never run in a staff member's spreadsheet."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    return cell


def _in_all_languages(text) -> set[str]:
    """A lazy string as every language of the deployment renders it."""
    if not isinstance(text, Promise):
        return {str(text)}
    rendered = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendered.add(str(text))
    return rendered


# ---------------------------------------------------------------------------
# Roster export


@dataclass(frozen=True)
class RosterColumn:
    key: str
    header: Promise
    values: Callable[[list[int]], dict[int, str]]
    width: int = 24


_extra_columns: dict[str, RosterColumn] = {}


def register_roster_column(*, key: str, header, values, width: int = 24) -> None:
    """Let a later capability add a roster column (placed after availability).

    ``values`` maps a batch of partner ids to the text of their cells, in a fixed
    number of queries per batch; partners missing from the result get an empty cell.
    """
    _extra_columns[key] = RosterColumn(key, header, values, width)


# (header, width); the registered columns go after "Availability".
_ROSTER_HEAD = [
    (pgettext_lazy("ledger column", "No."), 6),
    (pgettext_lazy("ledger column", "Name"), 12),
    (pgettext_lazy("ledger column", "Mobile number"), 14),
    (pgettext_lazy("ledger column", "Residential area"), 16),
    (pgettext_lazy("ledger column", "Profession"), 16),
    (pgettext_lazy("ledger column", "Skills"), 24),
    (pgettext_lazy("ledger column", "Primary mode"), 12),
    (pgettext_lazy("ledger column", "Other modes"), 20),
    (pgettext_lazy("ledger column", "Party membership"), 14),
    (pgettext_lazy("ledger column", "Availability"), 24),
]
_ROSTER_TAIL = [
    (pgettext_lazy("ledger column", "Joined on"), 12),
    (pgettext_lazy("ledger column", "Status"), 8),
    (pgettext_lazy("ledger column", "Channel"), 14),
]


def roster_partners(*, town, user):
    """The partners a user's roster holds: the whole town for its secretariat and
    administrators, only the partners of their own areas for area staff."""
    partners = within_scope(Partner.objects.filter(town=town), user, town)
    return (
        partners.select_related("area", "user", "application")
        .prefetch_related("skills", "modes")
        .order_by("area__code", "name_sort", "name", "pk")
    )


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def roster_ledger(partners, *, title: str, chunk_size: int | None = None) -> Ledger:
    """The roster of ``partners`` as a ledger: the talent pool's columns (and those
    later capabilities register, e.g. units and roles), full contacts for staff (the
    export is logged). The roster download and the reports bundle both write it.
    Rows are read ``chunk_size`` at a time (default ``CHUNK_SIZE``), so memory and
    queries stay bounded however large the town."""
    extra = list(_extra_columns.values())
    head = [(column.header, column.width) for column in extra]
    columns = [Column(header, width) for header, width in [*_ROSTER_HEAD, *head, *_ROSTER_TAIL]]
    labels = dict(Mode.choices)

    def rows():
        size = chunk_size or CHUNK_SIZE
        number = 0
        for batch in _batches(partners.iterator(chunk_size=size), size):
            extra_values = [column.values([p.pk for p in batch]) for column in extra]
            for partner in batch:
                number += 1
                channel = partner.application.get_channel_display() if partner.application else ""
                yield [
                    number,
                    partner.name,
                    # The ledger is for staff: the full number (the export is logged).
                    partner.user.phone or "",
                    partner.area.name,
                    partner.profession,
                    LIST_SEPARATOR.join(skill.name for skill in partner.skills.all()),
                    str(labels[partner.primary_mode]) if partner.primary_mode else "",
                    LIST_SEPARATOR.join(str(labels[m]) for m in sorted(partner.secondary_modes)),
                    partner.get_party_status_display(),
                    LIST_SEPARATOR.join(partner.get_availability_display()),
                    *[values.get(partner.pk, "") for values in extra_values],
                    partner.joined_on,
                    partner.get_status_display(),
                    channel,
                ]

    return Ledger(
        sheet_title=pgettext_lazy("sheet title", "Partner roster"),
        title=title,
        columns=columns,
        rows=rows,
    )


def write_roster(out, *, town, partners, on: date) -> int:
    """Write the roster of ``partners`` as an .xlsx workbook to ``out``; return the
    number of partners written."""
    title = _("%(town)s community partner roster, exported %(date)s") % {
        "town": town.name,
        "date": on.isoformat(),
    }
    return sum(write_workbook(out, [roster_ledger(partners, title=title)]).values())


def roster_filename(town, on: date) -> tuple[str, str]:
    """The download's name and its ASCII fallback."""
    name = _("Partner roster")
    return (
        f"{name}-{town.name}-{on.isoformat()}.xlsx",
        f"partner-roster-{town.slug}-{on.isoformat()}.xlsx",
    )


def export_roster(out, *, town, user, on: date) -> int:
    """Write ``user``'s roster of ``town`` on date ``on`` to ``out`` and log the access:
    the roster holds personal data (DOMAIN.md: access to ledgers is logged)."""
    rows = write_roster(out, town=town, partners=roster_partners(town=town, user=user), on=on)
    record_event(
        actor=user, verb="ledger.export", target=town, after={"ledger": "partners", "rows": rows}
    )
    return rows


# ---------------------------------------------------------------------------
# Import of applications


@dataclass(frozen=True)
class ImportColumn:
    key: str
    header: str  # the documented header (docs/ledgers.md); always accepted
    label: Promise  # the same in the interface's language; also accepted
    required: bool
    width: int

    @property
    def title(self) -> str:
        """How messages name the column: "姓名", or "Name / 姓名" in English."""
        label = str(self.label)
        return self.header if label == self.header else f"{label} / {self.header}"


IMPORT_COLUMNS = [
    ImportColumn("name", "姓名", pgettext_lazy("ledger column", "Name"), True, 12),
    ImportColumn("phone", "手机号码", pgettext_lazy("ledger column", "Mobile number"), True, 14),
    ImportColumn("area", "居民区", pgettext_lazy("ledger column", "Residential area"), True, 16),
    ImportColumn("profession", "职业", pgettext_lazy("ledger column", "Profession"), True, 16),
    ImportColumn("skills", "技能", pgettext_lazy("ledger column", "Skills"), False, 20),
    ImportColumn("modes", "工作模式", pgettext_lazy("ledger column", "Work modes"), True, 20),
    ImportColumn(
        "party_status", "政治面貌", pgettext_lazy("ledger column", "Party membership"), False, 14
    ),
    ImportColumn(
        "availability", "可服务时间", pgettext_lazy("ledger column", "Availability"), False, 22
    ),
    ImportColumn("motivation", "申请理由", pgettext_lazy("ledger column", "Motivation"), False, 30),
    ImportColumn(
        "consent", "已签署同意书", pgettext_lazy("ledger column", "Signed consent"), True, 12
    ),
]

# The words a paper form or a community worker uses for each value. They are part of
# the file format (docs/ledgers.md), not interface text; the codes and the interface's
# labels in every language are accepted as well.
MODE_WORDS = {
    Mode.THINK_TANK: ["社区智库", "智库"],
    Mode.PLANNING: ["社区规划", "规划"],
    Mode.GOVERNANCE: ["社区治理", "治理"],
    Mode.MEDIA: ["社区媒体", "媒体"],
    Mode.EDUCATION: ["社区教育", "教育"],
}
PARTY_WORDS = {
    PartyStatus.NONE: ["群众", "无", "共青团员"],
    PartyStatus.MEMBER: ["党员", "中共党员"],
    PartyStatus.DUAL_REGISTERED: ["双报到党员", "双报到"],
}
SLOT_WORDS = {
    Slot.WEEKDAY_DAY: ["工作日白天"],
    Slot.WEEKDAY_EVENING: ["工作日晚上"],
    Slot.WEEKEND_DAY: ["周末白天"],
    Slot.WEEKEND_EVENING: ["周末晚上"],
}
CONSENT_WORDS = ["是", "已签署", "yes", "y", "1", "true", "✓", "√"]

# The template's example row. A row with the example's number is the example left in
# place, reported as such rather than imported.
EXAMPLE_PHONE = "13800138000"
EXAMPLE_ROW = {
    "name": "张三",
    "phone": EXAMPLE_PHONE,
    "profession": "退休教师",
    "skills": "园艺、摄影",
    "modes": "社区规划、社区教育",
    "party_status": "党员",
    "availability": "工作日晚上、周末白天",
    "motivation": "想为小区的花园出份力",
    "consent": "是",
}


def _norm(text: str) -> str:
    """How values are compared: without spaces or case."""
    return re.sub(r"\s+", "", text).casefold()


def _header_norm(text: str) -> str:
    # "手机号码*" and "手机号码（必填）" name the same column as "手机号码".
    text = re.sub(r"[（(][^)）]*[)）]$", "", text.strip())
    return _norm(text.strip("*＊ "))


def _vocabulary(words: dict, choices) -> dict[str, str]:
    """Every accepted spelling of each value -> the value."""
    vocabulary = {}
    for choice in choices:
        for spelling in {choice.value, *words[choice], *_in_all_languages(choice.label)}:
            vocabulary[_norm(spelling)] = choice.value
    return vocabulary


def documented(words: dict) -> str:
    """The documented spellings for messages and help: 社区智库（智库）、社区规划（规划）…"""
    return LIST_SEPARATOR.join(
        spellings[0] + (f"（{'、'.join(spellings[1:])}）" if len(spellings) > 1 else "")
        for spellings in words.values()
    )


@dataclass
class RowData:
    """One valid row, ready for ``submit_application``."""

    row: int  # as Excel numbers it
    name: str
    phone: str
    area: object
    profession: str
    skills: list[str]
    modes: list[str]
    party_status: str
    availability: list[str]
    motivation: str
    phone_column: str = ""  # how the file names the mobile column, for later problems


@dataclass(frozen=True)
class RowError:
    row: int  # as Excel numbers it
    column: str  # the column's header and letter, e.g. "手机号码 (B)"; empty: the whole row
    reason: str


class ImportRejected(Exception):
    """Nothing was imported: a problem with the whole file, or the rows' problems."""

    def __init__(self, message: str, errors: Iterable[RowError] = ()):
        super().__init__(message)
        self.message = message
        self.errors = list(errors)


def _text(value) -> str:
    """A cell's value as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # A mobile number typed into a number cell comes back as 13800138000.0.
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _phone(text: str) -> str | None:
    """The 11-digit number in what was typed (spaces, dashes, +86 allowed), or None."""
    digits = re.sub(r"[\s\-‐–—()（）]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits if re.fullmatch(r"1\d{10}", digits) else None


def _header_aliases() -> dict[str, str]:
    aliases = {}
    for column in IMPORT_COLUMNS:
        for spelling in {column.header, *_in_all_languages(column.label)}:
            aliases[_header_norm(spelling)] = column.key
    return aliases


def _find_header(head: list[tuple[int, tuple]], aliases: dict[str, str]) -> int | None:
    """Which of the first rows is the header: the first naming the name and mobile
    columns (a title row above it is allowed)."""
    for index, (_number, values) in enumerate(head):
        keys = {aliases.get(_header_norm(_text(v))) for v in values}
        if {"name", "phone"} <= keys:
            return index
    return None


def _read_header(values: tuple, aliases: dict[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    """Each known column's position, and its name as the file shows it plus its letter."""
    positions, names = {}, {}
    for position, value in enumerate(values):
        key = aliases.get(_header_norm(_text(value)))
        if key is None:
            continue  # other columns (notes, a form number) are allowed and ignored
        if key in positions:
            raise ImportRejected(
                _("The column “%(column)s” appears twice in the header row.")
                % {"column": _text(value)}
            )
        positions[key] = position
        names[key] = f"{_text(value)} ({get_column_letter(position + 1)})"
    missing = [c.title for c in IMPORT_COLUMNS if c.required and c.key not in positions]
    if missing:
        raise ImportRejected(
            _(
                "The header row lacks these columns: %(columns)s. "
                "Download the template to see the layout."
            )
            % {"columns": LIST_SEPARATOR.join(missing)}
        )
    return positions, names


def _unknown(message: str, words: dict) -> Callable[[str], str]:
    return lambda value: (
        message % {"value": value} + " " + _("Write %(words)s.") % {"words": documented(words)}
    )


class _Row:
    """Reads and checks one row's cells, collecting a RowError per problem."""

    def __init__(self, number: int, values: tuple, positions: dict, names: dict):
        self.number, self.values, self.positions, self.names = number, values, positions, names
        self.errors: list[RowError] = []

    def text(self, key: str) -> str:
        position = self.positions.get(key)
        if position is None or position >= len(self.values):
            return ""
        return _text(self.values[position])

    def error(self, key: str, reason: str) -> None:
        self.errors.append(RowError(self.number, self.names.get(key, ""), reason))

    def required(self, key: str, max_length: int | None = None) -> str:
        text = self.text(key)
        if not text:
            self.error(key, _("Empty, but this column is required."))
        elif max_length:
            self.at_most(key, text, max_length)
        return text

    def at_most(self, key: str, text: str, limit: int) -> None:
        if len(text) > limit:
            self.error(
                key,
                _("At most %(limit)d characters; this has %(length)d.")
                % {"limit": limit, "length": len(text)},
            )

    def choices(self, key: str, vocabulary: dict, unknown: Callable[[str], str]) -> list[str]:
        values = []
        for word in split_tags(self.text(key)):
            value = vocabulary.get(_norm(word))
            if value is None:
                self.error(key, unknown(word))
            elif value not in values:
                values.append(value)
        return values


class _RowChecker:
    """Turns one row into a RowData or RowErrors; knows the town's areas and the
    accepted spellings."""

    def __init__(self, areas: dict[str, object], positions: dict, names: dict):
        self.areas, self.positions, self.names = areas, positions, names
        self.modes = _vocabulary(MODE_WORDS, Mode)
        self.parties = _vocabulary(PARTY_WORDS, PartyStatus)
        self.slots = _vocabulary(SLOT_WORDS, Slot)
        self.consent = {_norm(word) for word in CONSENT_WORDS}

    def check(self, number: int, values: tuple) -> tuple[RowData | None, list[RowError], str]:
        """The row's data (None when it has problems), its problems, and its mobile
        number when one could be read (to find numbers that appear twice)."""
        row = _Row(number, values, self.positions, self.names)
        name = row.required("name", max_length=40)
        phone = self._phone(row)
        area = self._area(row)
        profession = row.required("profession", max_length=40)
        skills = split_tags(row.text("skills"))
        for skill in skills:
            row.at_most("skills", skill, 30)
        if not row.text("modes"):
            row.error("modes", _("Empty, but this column is required."))
        modes = row.choices(
            "modes", self.modes, _unknown(_("Unknown work mode “%(value)s”."), MODE_WORDS)
        )
        party_status = self._party_status(row)
        availability = row.choices(
            "availability", self.slots, _unknown(_("Unknown time “%(value)s”."), SLOT_WORDS)
        )
        motivation = row.text("motivation")
        row.at_most("motivation", motivation, 500)
        if _norm(row.text("consent")) not in self.consent:
            row.error(
                "consent",
                _(
                    "Write 是 only when the person signed the privacy consent on the paper "
                    "form; without it the application cannot be imported."
                ),
            )
        if row.errors:
            return None, row.errors, phone
        data = RowData(
            row=number,
            name=name,
            phone=phone,
            area=area,
            profession=profession,
            skills=skills,
            modes=modes,
            party_status=party_status,
            availability=availability,
            motivation=motivation,
            phone_column=self.names["phone"],
        )
        return data, [], phone

    def _phone(self, row: _Row) -> str | None:
        text = row.required("phone")
        if not text:
            return None
        phone = _phone(text)
        if phone is None:
            row.error(
                "phone",
                _("“%(value)s” is not a mainland mobile number (11 digits starting with 1).")
                % {"value": text},
            )
        elif phone == EXAMPLE_PHONE:
            row.error("", _("This is the template's example row: delete it before importing."))
        return phone

    def _area(self, row: _Row):
        text = row.required("area")
        if not text:
            return None
        area = self.areas.get(text)
        if area is None:
            reason = _("There is no residential area called “%(value)s” in this town.") % {
                "value": text
            }
            close = difflib.get_close_matches(text, list(self.areas), n=1)
            if close:
                reason += " " + _("Did you mean “%(name)s”?") % {"name": close[0]}
            row.error("area", reason)
        return area

    def _party_status(self, row: _Row) -> str:
        text = row.text("party_status")
        if not text:
            return PartyStatus.NONE
        value = self.parties.get(_norm(text))
        if value is None:
            row.error(
                "party_status",
                _unknown(_("Unknown party membership “%(value)s”."), PARTY_WORDS)(text),
            )
        return value


def parse_rows(rows: Iterable[tuple], *, areas: dict[str, object]) -> list[RowData | RowError]:
    """Check the rows of a sheet; ``rows`` yields each row's cell values from row 1.

    Returns a RowData per valid row and a RowError per problem, in row order; rows
    with no value at all are skipped. A problem with the whole sheet (no header row,
    a required column missing, no rows, too many rows) raises ImportRejected.
    ``areas`` maps the names of the town's residential areas to the areas.
    """
    numbered = enumerate(rows, start=1)
    head = [(number, tuple(values)) for number, values in itertools.islice(numbered, 5)]
    aliases = _header_aliases()
    header_index = _find_header(head, aliases)
    if header_index is None:
        raise ImportRejected(
            _(
                "No header row found: the first sheet must start with the column names "
                "(%(columns)s). Download the template to see the layout."
            )
            % {"columns": LIST_SEPARATOR.join(c.title for c in IMPORT_COLUMNS)}
        )
    positions, names = _read_header(head[header_index][1], aliases)
    checker = _RowChecker(areas, positions, names)
    results: list[RowData | RowError] = []
    rows_of_phone: dict[str, list[int]] = defaultdict(list)
    count = 0
    for number, values in itertools.chain(head[header_index + 1 :], numbered):
        if not any(_text(value) for value in values):
            continue
        count += 1
        if count > MAX_IMPORT_ROWS:
            raise ImportRejected(
                _(
                    "The file has more than %(limit)s applications; split it into files "
                    "of at most %(limit)s rows."
                )
                % {"limit": f"{MAX_IMPORT_ROWS:,}"}
            )
        data, errors, phone = checker.check(number, tuple(values))
        results.extend(errors)
        if data:
            results.append(data)
        if phone:
            rows_of_phone[phone].append(number)
    if not count:
        raise ImportRejected(_("The file has no applications below the header row."))
    duplicates = _duplicates(rows_of_phone, names["phone"])
    if duplicates:
        duplicated = {error.row for error in duplicates}
        results = [r for r in results if isinstance(r, RowError) or r.row not in duplicated]
        results.extend(duplicates)
    # Stable: a row's problems keep the order of its columns.
    return sorted(results, key=lambda r: r.row)


def _duplicates(rows_of_phone: dict[str, list[int]], column: str) -> list[RowError]:
    errors = []
    for numbers in rows_of_phone.values():
        for number in numbers if len(numbers) > 1 else []:
            others = ", ".join(str(n) for n in numbers if n != number)
            reason = ngettext(
                "The same mobile number is also in row %(rows)s.",
                "The same mobile number is also in rows %(rows)s.",
                len(numbers) - 1,
            ) % {"rows": others}
            errors.append(RowError(number, column, reason))
    return errors


def check_against_records(rows: list[RowData], *, town) -> list[RowError]:
    """Problems that depend on what is stored: a number that already has an account,
    is a partner or has an open application of this town cannot be imported
    (``submit_application`` would refuse it; this names the row beforehand)."""
    accounts, partners, applications = set(), set(), set()
    user_model = get_user_model()
    for batch in _batches([row.phone for row in rows], CHUNK_SIZE):
        accounts.update(user_model.objects.filter(phone__in=batch).values_list("phone", flat=True))
        partners.update(
            Partner.objects.filter(town=town, user__phone__in=batch).values_list(
                "user__phone", flat=True
            )
        )
        applications.update(
            Application.objects.open()
            .filter(town=town, applicant__phone__in=batch)
            .values_list("applicant__phone", flat=True)
        )
    errors = []
    for row in rows:
        if row.phone in partners:
            reason = _("This mobile number already belongs to a partner of this town.")
        elif row.phone in applications:
            reason = _("An application with this mobile number is already waiting for review.")
        elif row.phone in accounts:
            reason = _(
                "This mobile number already has an account: the person can log in and apply online."
            )
        else:
            continue
        errors.append(RowError(row.row, row.phone_column, reason))
    return errors


NOT_A_WORKBOOK = gettext_lazy(
    "This file could not be read as an Excel workbook (.xlsx). Save it from Excel or WPS "
    "as an .xlsx workbook and upload it again."
)


def read_workbook(upload):
    """Open an uploaded .xlsx file; anything else is rejected with a clear message."""
    upload.seek(0)
    magic = upload.read(8)
    upload.seek(0)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRejected(
            _(
                "This is an old-style Excel file (.xls). Open it in Excel or WPS, save it "
                "as an .xlsx workbook and upload that."
            )
        )
    if not magic.startswith(b"PK\x03\x04"):  # every .xlsx is a zip archive
        raise ImportRejected(str(NOT_A_WORKBOOK))
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportRejected(str(NOT_A_WORKBOOK)) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRejected(
            _("This workbook is too large once unpacked. Keep only the applications in it.")
        )
    upload.seek(0)
    try:
        book = load_workbook(upload, read_only=True, data_only=True, keep_links=False)
        sheet = book.worksheets[0]
    except Exception as error:  # any failure to open means "not a workbook"
        raise ImportRejected(str(NOT_A_WORKBOOK)) from error
    # Some programs write a wrong size into a sheet; read what is really there.
    sheet.reset_dimensions()
    return book, sheet


def read_applications(upload, *, town) -> list[RowData]:
    """Every row of an uploaded workbook, checked; ImportRejected lists all problems."""
    book, sheet = read_workbook(upload)
    areas = {area.name.strip(): area for area in town.areas.all()}
    try:
        results = parse_rows(sheet.iter_rows(values_only=True), areas=areas)
    except ImportRejected:
        raise
    except Exception as error:  # a damaged sheet fails only while it is read
        raise ImportRejected(str(NOT_A_WORKBOOK)) from error
    finally:
        book.close()
    rows = [r for r in results if isinstance(r, RowData)]
    errors = [r for r in results if isinstance(r, RowError)]
    errors.extend(check_against_records(rows, town=town))
    if errors:
        errors.sort(key=lambda e: e.row)
        raise ImportRejected(_rejection(errors), errors)
    return rows


def _rejection(errors: list[RowError]) -> str:
    count = len({error.row for error in errors})
    return ngettext(
        "Nothing was imported: %(count)d row has problems. Correct it in the file and "
        "upload the file again.",
        "Nothing was imported: %(count)d rows have problems. Correct them in the file "
        "and upload the file again.",
        count,
    ) % {"count": count}


def import_applications(*, town, actor, upload) -> list[Application]:
    """Import the applications of an uploaded workbook: all of them, or none.

    Each row becomes an application of the "imported" channel, from a new account
    without a password, with the partner-profile consent the signed paper form gave.
    Raises ImportRejected listing every problem; then nothing is stored.
    """
    require_perm(actor, "partners.import", town)
    rows = read_applications(upload, town=town)
    errors: list[RowError] = []
    with transaction.atomic():
        created = []
        for row in rows:
            try:
                # submit_application is atomic itself: a refusal (say, the number was
                # registered a moment ago) undoes its own savepoint only, so every row
                # is still tried and reported before the whole import is rolled back.
                application = submit_application(
                    town=town,
                    user=None,
                    password=None,
                    channel=Channel.IMPORTED,
                    consent=True,
                    phone=row.phone,
                    name=row.name,
                    area=row.area,
                    profession=row.profession,
                    skills=row.skills,
                    modes=row.modes,
                    party_status=row.party_status,
                    availability=row.availability,
                    motivation=row.motivation,
                )
            except DomainError as error:
                errors.append(RowError(row.row, "", error.message))
            except ValidationError as error:
                errors.append(RowError(row.row, "", " ".join(error.messages)))
            else:
                created.append(application)
        if errors:
            raise ImportRejected(_rejection(errors), errors)  # rolls back every row
        record_event(
            actor=actor,
            verb="ledger.import",
            target=town,
            after={"ledger": "partner_applications", "rows": len(created)},
        )
    return created


# ---------------------------------------------------------------------------
# The import template


def _areas_sheet_title() -> str:
    return str(pgettext_lazy("sheet title", "Residential areas"))[:31]


def _help_texts(town, *, html: bool = False) -> dict[str, str]:
    """What to write in each column. With ``html``, the Chinese words the file takes
    are marked as Chinese (``lang``), so an English page reads them as quoted values."""

    def cite(text, **words):
        if not html:
            return text % words
        marked = {
            key: format_html('<span lang="zh-Hans">{}</span>', value)
            for key, value in words.items()
        }
        # The sentence is escaped and each value is built by format_html.
        return mark_safe(conditional_escape(text) % marked)  # noqa: S308

    if town:
        area = _(
            "The exact name of one of the town's residential areas (see the sheet “%(sheet)s”)."
        ) % {"sheet": _areas_sheet_title()}
    else:
        area = _("The exact name of one of the town's residential areas, as the platform lists it.")
    return {
        "name": _("As on the paper form; at most 40 characters."),
        "phone": _(
            "11 digits starting with 1; each number only once in the file. A number that "
            "already has an account or an application cannot be imported."
        ),
        "area": area,
        "profession": _("At most 40 characters."),
        "skills": _("Optional. Separate several with 、 or commas."),
        "modes": cite(
            _(
                "One or more of: %(words)s. Separate several with 、 or commas, the most "
                "wanted first."
            ),
            words=documented(MODE_WORDS),
        ),
        "party_status": cite(
            _("One of: %(words)s. Empty means not a party member."), words=documented(PARTY_WORDS)
        ),
        "availability": cite(
            _("Optional. Any of: %(words)s. Separate several with 、 or commas."),
            words=documented(SLOT_WORDS),
        ),
        "motivation": _("Optional; at most 500 characters."),
        "consent": cite(
            _(
                "Write %(yes)s only when the person signed the privacy consent on the paper "
                "form. Rows without it are not imported."
            ),
            yes="是",
        ),
    }


def import_notes() -> list[str]:
    """The rules of an import, for the template and the import page."""
    return [
        _("Keep the row of column names; the order of the columns is free."),
        _("Delete the example row before importing."),
        _("At most %(limit)s applications per file.") % {"limit": f"{MAX_IMPORT_ROWS:,}"},
        _(
            "Every row is checked first. If any row has a problem, nothing is imported "
            "and every problem is listed with its row number."
        ),
    ]


def import_layout(town=None, *, html: bool = False) -> list[dict]:
    """Each column of the layout: its titles, whether required, what to write (with
    ``html``, for a page: the Chinese values marked as Chinese)."""
    texts = _help_texts(town, html=html)
    return [
        {
            "header": column.header,
            "label": str(column.label),
            "title": column.title,
            "required": column.required,
            "help": texts[column.key],
        }
        for column in IMPORT_COLUMNS
    ]


def write_import_template(out, *, town=None) -> None:
    """An .xlsx template: the header row and one example row, a sheet explaining each
    column and, for a town, a sheet of its residential areas (offered in a drop-down)."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(pgettext_lazy("sheet title", "Applications"))[:31]
    area_names = list(town.areas.order_by("code").values_list("name", flat=True)) if town else []
    letters = {c.key: get_column_letter(i) for i, c in enumerate(IMPORT_COLUMNS, start=1)}
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        letter = letters[column.key]
        cell = sheet.cell(row=1, column=index, value=str(column.label))
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        sheet.column_dimensions[letter].width = column.width
        # Text cells throughout, so that Excel keeps mobile numbers as typed.
        sheet.column_dimensions[letter].number_format = "@"
        example = EXAMPLE_ROW.get(column.key)
        if column.key == "area":
            example = area_names[0] if area_names else _("(name of the residential area)")
        _as_text(sheet.cell(row=2, column=index, value=example)).number_format = "@"
    sheet.freeze_panes = "A2"
    last = MAX_IMPORT_ROWS + 1
    parties = ",".join(words[0] for words in PARTY_WORDS.values())
    _drop_down(sheet, f"{letters['party_status']}2:{letters['party_status']}{last}", parties)
    _drop_down(sheet, f"{letters['consent']}2:{letters['consent']}{last}", "是,否")

    notes = book.create_sheet(str(pgettext_lazy("sheet title", "How to fill in"))[:31])
    for letter, width in (("A", 24), ("B", 10), ("C", 80)):
        notes.column_dimensions[letter].width = width
    notes.append([_("Column"), _("Required"), _("What to write")])
    for cell in notes[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for column in import_layout(town):
        notes.append([column["title"], _("yes") if column["required"] else _("no"), column["help"]])
    notes.append([])
    for note in import_notes():
        notes.append(["", "", note])
    for row in notes.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")

    if area_names:
        areas = book.create_sheet(_areas_sheet_title())
        areas.column_dimensions["A"].width = 24
        areas.append([str(pgettext_lazy("ledger column", "Residential area"))])
        areas["A1"].font = HEADER_FONT
        for number, name in enumerate(area_names, start=2):
            _as_text(areas.cell(row=number, column=1, value=name))
        source = f"'{areas.title}'!$A$2:$A${len(area_names) + 1}"
        _drop_down(sheet, f"{letters['area']}2:{letters['area']}{last}", source, formula=True)
    book.save(out)


def template_filename() -> tuple[str, str]:
    """The template download's name and its ASCII fallback."""
    name = _("Partner application template")
    return f"{name}.xlsx", "partner-application-template.xlsx"


def _drop_down(sheet, cells: str, values: str, formula: bool = False) -> None:
    # A warning, not a stop: people may still type another accepted spelling.
    validation = DataValidation(
        type="list",
        formula1=values if formula else f'"{values}"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
    )
    sheet.add_data_validation(validation)
    validation.add(cells)
